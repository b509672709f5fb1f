# scripts/plot-throughput.gp — throughput against threads, one line per strategy.
# Parameters: nS, S[] (strategy), C[] (colour), P[] (point type), datadir
# (one S[i].dat per strategy: see plot.sh), maxthreads, plus plot-common.gp's.
load scriptdir.'/plot-common.gp'
set ylabel 'throughput, all threads together (Mops/s = 10^6 calls/s, median of repetitions)'
set xrange [0:maxthreads * 1.05]
set yrange [0:*]
if (maxthreads <= 16) set xtics 1
plot for [i=1:nS] datadir.'/'.S[i].'.dat' using 1:2 with linespoints lw 2 lc rgb C[i] pt P[i] title S[i]
load scriptdir.'/plot-finish.gp'
