# scripts/plot-compare.gp — two runs overlaid: ns per call against threads,
# run A solid, run B dashed, one colour per strategy (log y).
# Parameters: nSA, SA[], CA[], PA[] (strategies with figures in A), nSB, SB[],
# CB[], PB[] (in B), datadir (<strategy>.dat: threads, A, B), maxthreads, ylab (what A and B are: ns, or ns over the run's own none
# 1-thread floor), plus plot-common.gp's.
load scriptdir.'/plot-common.gp'
set key samplen 6
set ylabel ylab
set logscale y
set mytics 10
set xrange [0:maxthreads * 1.05]
if (maxthreads <= 16) set xtics 1
# gnuplot 5.4 still opens the file of an empty "for" once: build the command
cmd = ""
if (nSA > 0) cmd = "for [i=1:nSA] datadir.'/'.SA[i].'.dat' using 1:2 with linespoints dt 1 lw 2 lc rgb CA[i] pt PA[i] title SA[i].' A'"
if (nSB > 0) cmd = cmd.(nSA > 0 ? ", " : "")."for [i=1:nSB] datadir.'/'.SB[i].'.dat' using 1:3 with linespoints dt 2 lw 2 lc rgb CB[i] pt PB[i] title SB[i].' B'"
eval "plot ".cmd
load scriptdir.'/plot-finish.gp'
