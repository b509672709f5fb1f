# scripts/plot-overhead.gp — overhead over strategy none (median ns per call
# minus none's, same configuration otherwise) against threads, bars = the
# summary's 95% bootstrap interval of the difference.
# Parameters: nS, S[], C[], P[], datadir, maxthreads, plus plot-common.gp's.
load scriptdir.'/plot-common.gp'
set ylabel 'overhead over none (ns per call; median difference, 95% CI)'
set xrange [0:maxthreads * 1.05]
if (maxthreads <= 16) set xtics 1
# strategies side by side by a hair, so their bars do not hide each other
off(i) = (i - (nS + 1) / 2.0) * maxthreads * 0.005
set xzeroaxis lt 1 lc rgb 'black' lw 1
plot for [i=1:nS] datadir.'/'.S[i].'.dat' using ($1 + off(i)):8:9:10 with yerrorlines lw 2 lc rgb C[i] pt P[i] title S[i]
load scriptdir.'/plot-finish.gp'
