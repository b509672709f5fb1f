# scripts/plot-overhead-body.gp — the drawing of plot-overhead.gp (see there).
# strategies side by side, so their bars do not hide each other
offn(i, n) = (i - (n + 1) / 2.0) * (maxthreads < 4 ? 0.025 : maxthreads * 0.008)
if (nK > 0) {
	set multiplot
	set tmargin 8
	set bmargin 8
	set size 0.56, 1; set origin 0, 0
	set key outside bottom center horizontal maxrows 3 samplen 2 box opaque
	set ylabel 'overhead over none (ns per call; median difference, 95% CI)'
	set title 'the costly strategies'
	plot for [i=1:nS] datadir.'/'.S[i].'.dat' using ($1 + offn(i, nS)):8:9:10 with yerrorlines lw 2 lc rgb C[i] pt P[i] title S[i]
	set size 0.44, 1; set origin 0.56, 0
	set ylabel 'overhead over none (ns per call)'
	set title sprintf('the cheap ones (at least %gx cheaper), own scale', cheap_gap)
	plot for [i=1:nK] datadir.'/'.K[i].'.dat' using ($1 + offn(i, nK)):8:9:10 with yerrorlines lw 2 lc rgb KC[i] pt KP[i] title K[i]
	unset multiplot
	unset title
	set tmargin 6.5
	set bmargin
} else {
	set ylabel 'overhead over none (ns per call; median difference, 95% CI)'
	plot for [i=1:nS] datadir.'/'.S[i].'.dat' using ($1 + offn(i, nS)):8:9:10 with yerrorlines lw 2 lc rgb C[i] pt P[i] title S[i]
}
