# scripts/plot-common.gp — loaded first by every plot script (gnuplot 5.4).
# Inputs (set by the caller's parameter file): out (path without extension),
# title_main, title_sub, title_sub2 (may be ''): three title lines centred on
# the canvas (gnuplot's own title centres on the plot area, which the legend
# makes narrow). The plot is drawn as out.png (pngcairo); then
# plot-finish.gp redraws it as out.svg. Text is not "enhanced": names such
# as dev_flag or cpus:0+2 print as they are.
set terminal pngcairo size 1280,760 font "DejaVu Sans,11" noenhanced linewidth 1.2
set output out.'.png'
set encoding utf8
set datafile missing '?'
set label 101 title_main at screen 0.5, screen 0.965 center front font "DejaVu Sans,13"
set label 102 title_sub at screen 0.5, screen 0.925 center front font "DejaVu Sans,11"
set label 103 title_sub2 at screen 0.5, screen 0.890 center front font "DejaVu Sans,10" tc rgb '#555555'
set tmargin 6.5
# the legend sits right of the plot area (gnuplot sizes the margin for it),
# never over data
set key outside right top vertical Left reverse noenhanced spacing 1.2 samplen 3 box opaque
set grid back lt 1 lc rgb '#dddddd' lw 1
set border 3
set tics nomirror out
set xlabel 'threads (worker threads mapping concurrently)'
set pointsize 1.1
