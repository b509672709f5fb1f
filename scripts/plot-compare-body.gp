# scripts/plot-compare-body.gp — the drawing of plot-compare.gp, loaded once
# per output format (see there for the parameters).
set label 101 title_main at screen 0.5, screen 0.985 center front font ',13'
set label 102 what at screen 0.5, screen 0.985 - 0.03 center front font ',10' tc rgb '#555555'
do for [k = 1:nRL] {
	set label 110 + k sprintf('%s %s', (k == 1 ? 'solid:' : 'dashed:'), RL[k]) \
		at screen 0.02, screen 0.985 - 0.03 * (k + 1) left front font ',10' tc rgb rc(k)
}
set multiplot layout nrow, ncol margins 0.06, 0.98, 0.10, 1 - head spacing 0.07, 0.16
do for [i = 1:nS] {
	set title S[i] font ',11'
	f = datadir.'/'.S[i].'.dat'
	plot for [k = 1:nRL] f using 1:(column(k + 1)) with linespoints dt dtk(k) lw 2 pt 7 ps 0.6 lc rgb rc(k) notitle
	unset label
}
unset multiplot
