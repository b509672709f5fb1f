# scripts/plot-finish.gp — loaded last by every plot script: the PNG is done;
# draw the same plot again as out.svg.
set output
set terminal svg size 1280,760 dynamic font "DejaVu Sans,11" noenhanced background rgb 'white' linewidth 1.2
set output out.'.svg'
replot
set output
