# scripts/plot-overhead.gp — overhead over strategy none (median ns per call
# minus none's, same configuration otherwise) against threads, bars = the
# summary's 95% bootstrap interval of the difference. The cheap strategies
# (K[], chosen by plot.sh) get a right-hand panel with their own scale.
# Parameters: nS, S[], C[], P[] (the left panel), nK, K[], KC[], KP[] (the
# cheap panel; nK = 0: one panel), cheap_gap, datadir, maxthreads, plus
# plot-common.gp's. A multiplot cannot be replotted: the drawing
# (plot-overhead-body.gp) is loaded once for the PNG, once for the SVG.
load scriptdir.'/plot-common.gp'
set xrange [0:maxthreads * 1.05 + 0.3]
if (maxthreads <= 16) set xtics 1
set xzeroaxis lt 1 lc rgb 'black' lw 1
load scriptdir.'/plot-overhead-body.gp'
set output
set terminal svg size 1280,760 dynamic font "DejaVu Sans,11" noenhanced background rgb 'white' linewidth 1.2
set output out.'.svg'
load scriptdir.'/plot-overhead-body.gp'
set output
