# scripts/plot-compare.gp — runs overlaid, a panel per strategy: ns per call
# (or ns over the run's own floor) against threads; run A solid black, the
# other runs dashed in their colours, named once at the top in those colours.
# Parameters: nS, S[] (strategies: <datadir>/<S[i]>.dat holds threads, A,
# B1..), nRL, RL[] (run labels, A first), nRC, RC[] (run colours, cycled),
# datadir, maxthreads, ylab, what, scriptdir, out, title_main.
# Not plot-common.gp: a multiplot cannot be replotted, so the drawing
# (plot-compare-body.gp) is loaded once for the PNG and once for the SVG.
set encoding utf8
set datafile missing '?'
ncol = nS <= 3 ? nS : (nS <= 8 ? 4 : 5)
nrow = int((nS + ncol - 1) / ncol)
head = 0.09 + 0.03 * (nRL + 1)		# screen fraction for the title and the run names
W = 360 * ncol + 80
H = int((280 * nrow + 60) / (1 - head))
rc(k) = RC[(k - 1) % nRC + 1]
dtk(k) = k == 1 ? 1 : 2
set grid back lt 1 lc rgb '#dddddd' lw 1
set border 3
set tics nomirror out
set key off
set xrange [0:maxthreads * 1.05 + 0.5]
if (maxthreads <= 16) set xtics 1 ; else set xtics autofreq
set ylabel ylab font ",9"
set xlabel "threads" font ",9"
set format y '%g'
set yrange [0:*]
set terminal pngcairo size W, H font "DejaVu Sans,10" noenhanced linewidth 1.2
set output out.'.png'
load scriptdir.'/plot-compare-body.gp'
set output
set terminal svg size W, H dynamic font "DejaVu Sans,10" noenhanced background rgb 'white' linewidth 1.2
set output out.'.svg'
load scriptdir.'/plot-compare-body.gp'
set output
