# scripts/plot-latency.gp — ns per call against threads, log y, min-max whiskers
# over repetitions; the contention model's prediction dotted where the
# summary has one (model_refcount_ns).
# Parameters: nS, S[], C[], P[], nM, M[] (strategies with a model figure),
# MC[] (their colours), datadir, maxthreads, plus plot-common.gp's.
load scriptdir.'/plot-common.gp'
set ylabel 'time per call, one thread (ns, log scale; median, whiskers min-max of repetitions)'
set logscale y
set xrange [0:maxthreads * 1.05]
if (maxthreads <= 16) set xtics 1
# strategies side by side by a hair, so their bars do not hide each other
off(i) = (i - (nS + 1) / 2.0) * maxthreads * 0.005
set mytics 10
# gnuplot 5.4 still opens the file of an empty "for" once: build the command
cmd = "plot for [i=1:nS] datadir.'/'.S[i].'.dat' using ($1 + off(i)):5:6:7 with yerrorlines lw 2 lc rgb C[i] pt P[i] title S[i]"
if (nM > 0) cmd = cmd.", for [i=1:nM] datadir.'/'.M[i].'.dat' using 1:11 with lines dt 3 lw 2.5 lc rgb MC[i] title M[i].' model'"
eval cmd
load scriptdir.'/plot-finish.gp'
