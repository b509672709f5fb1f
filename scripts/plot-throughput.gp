# scripts/plot-throughput.gp — throughput against threads, one line per
# strategy, whiskers min-max over repetitions; log y when logy = 1.
# Parameters: nS, S[] (strategy), C[] (colour), P[] (point type), datadir
# (one S[i].dat per strategy: see plot.sh), maxthreads, logy, plus plot-common.gp's.
load scriptdir.'/plot-common.gp'
if (logy) {
	set ylabel 'throughput, all threads (Mops/s, log scale; median, whiskers min-max)'
	set logscale y
	set mytics 10
	set yrange [*:*]
} else {
	set ylabel 'throughput, all threads (Mops/s; median, whiskers min-max)'
	set yrange [0:*]
}
set xrange [0:maxthreads * 1.05 + 0.3]
if (maxthreads <= 16) set xtics 1
# strategies side by side by a hair, so their whiskers do not hide each other
off(i) = (i - (nS + 1) / 2.0) * (maxthreads < 4 ? 0.02 : maxthreads * 0.006)
plot for [i=1:nS] datadir.'/'.S[i].'.dat' using ($1 + off(i)):2:3:4 with yerrorlines lw 2 lc rgb C[i] pt P[i] title S[i]
load scriptdir.'/plot-finish.gp'
