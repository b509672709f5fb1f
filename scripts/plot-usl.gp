# scripts/plot-usl.gp — Universal Scalability Law: measured throughput
# (points) and the fitted X(N) = lambda N / (1 + sigma (N-1) + kappa N (N-1))
# (dashed), extrapolated to 4x the largest measured thread count. A strategy
# with fewer than four thread counts has points only, and a label says so.
# Parameters: nF, F[], FC[], FP[], FT[] (fitted: name, colour, point type,
# legend title; F[i].fit holds the curve), nU, U[], UC[], UP[], UT[] (not
# fitted), nofit_note (label text, '' for none), datadir, xmax, ymax (twice
# the largest measured throughput: extrapolated curves above it are clipped,
# so the measured points stay readable), plus plot-common.gp's.
load scriptdir.'/plot-common.gp'
set key font "DejaVu Sans,10"
set ylabel 'throughput, all threads together (Mops/s; median of repetitions)'
set xrange [0:xmax]
set yrange [0:ymax]
if (strlen(nofit_note) > 0) set label 1 nofit_note at graph 0.02, graph 0.96 left front font "DejaVu Sans,10" tc rgb '#b22222'
# gnuplot 5.4 still opens the file of an empty "for" once: build the command
cmd = ""
if (nF > 0) cmd = "for [i=1:nF] datadir.'/'.F[i].'.dat' using 1:2 with points lw 2 lc rgb FC[i] pt FP[i] ps 1.4 title FT[i], ".\
	"for [i=1:nF] datadir.'/'.F[i].'.fit' using 1:2 with lines dt 2 lw 2 lc rgb FC[i] notitle"
if (nU > 0) cmd = cmd.(nF > 0 ? ", " : "")."for [i=1:nU] datadir.'/'.U[i].'.dat' using 1:2 with points lw 2 lc rgb UC[i] pt UP[i] ps 1.4 title UT[i]"
eval "plot ".cmd
load scriptdir.'/plot-finish.gp'
