# scripts/plot-c2c.gp — core-to-core round trip heatmap (c2c.csv): one cell
# per pair of PUs, the time for one cache line to go there and back.
# Parameters: grid and cells (i j ns rows from c2c.awk), tics (its axis commands),
# plus plot-common.gp's.
load scriptdir.'/plot-common.gp'
load tics
unset key
unset grid
set rmargin 12
set tmargin 7
set size ratio -1
set xlabel 'PU (OS index), one side of the pair'
set ylabel 'PU (OS index), other side'
set cblabel 'round trip (ns)'
# colours are absolute: 0 is white-ish on every machine
set cbrange [0:*]
set xrange [-0.5:c2c_n - 0.5]
set yrange [-0.5:c2c_n - 0.5]
set palette defined (0 '#fdd0a2', 1 '#fd8d3c', 2 '#d94801', 3 '#7f2704')
set border 15
unset x2tics
unset y2tics
# up to 16 PUs the figures are printed in their cells too; blank cells are
# the diagonal and pairs the measurement sampled out
if (c2c_n <= 16) {
	plot grid using 1:2:3 with image, \
	     cells using 1:2:(sprintf("%.0f", $3)) with labels font "DejaVu Sans,9"
} else {
	plot grid using 1:2:3 with image
}
load scriptdir.'/plot-finish.gp'
