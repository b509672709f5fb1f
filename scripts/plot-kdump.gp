# scripts/plot-kdump.gp — the gated strategies in normal mode (solid) and in
# kdump mode (dashed: is_kdump_kernel() true, devices start deferred).
# Parameters: nN, N[], NC[], NP[] (normal-mode lines), nK, K[], KC[], KP[]
# (kdump-mode lines), dir_normal, dir_kdump, maxthreads, plus plot-common.gp's.
load scriptdir.'/plot-common.gp'
set key samplen 6
set ylabel 'time per call, one thread (ns, log scale; median, whiskers min-max)'
set logscale y
set mytics 10
set xrange [0:maxthreads * 1.05]
if (maxthreads <= 16) set xtics 1
# gnuplot 5.4 still opens the file of an empty "for" once: build the command
cmd = "plot for [i=1:nK] dir_kdump.'/'.K[i].'.dat' using 1:5:6:7 with yerrorlines dt 2 lw 2 lc rgb KC[i] pt KP[i] title K[i].' kdump'"
if (nN > 0) cmd = cmd.", for [i=1:nN] dir_normal.'/'.N[i].'.dat' using 1:5:6:7 with yerrorlines dt 1 lw 2 lc rgb NC[i] pt NP[i] title N[i].' normal'"
eval cmd
load scriptdir.'/plot-finish.gp'
