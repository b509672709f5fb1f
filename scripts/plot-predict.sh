#!/bin/bash
# scripts/plot-predict.sh DIR — the plots of DIR/predicted.csv (dmabench
# predict): one figure per (scenario, placement, invalidation, sharing, mode,
# target), two panels: ns per call against threads (log y) and throughput
# (Mops/s, all threads together) against threads. Per strategy: the band lo-hi
# shaded, the mid line, the knee (thread count where the busiest shared
# resource saturates) as a dashed vertical line, and the measured points
# (dmabench runs, where the run has them) as filled marks. Labelled as a
# prediction. Writes DIR/plots/predict-*.png and *.svg (each renamed into
# place whole). Bad input: one line on stderr, exit 2, nothing written.
set -u
prog=plot-predict.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/plot-lib.sh"

[ $# -eq 1 ] || die "usage: plot-predict.sh DIR (with DIR/predicted.csv)"
dir=$1
csv=$dir/predicted.csv
[ -f "$csv" ] && [ -r "$csv" ] || die "$csv: not a readable file"
command -v gnuplot >/dev/null || die "gnuplot not found (scripts/install-deps.sh)" 1
check_text "$csv"
work_dir_init predict
mkdir -p "$dir/plots" || die "$dir/plots: cannot create" 1

# one data file per (group, strategy): threads lo mid hi measured knee;
# groups listed in $work/groups as "gid<TAB>title<TAB>file-stem"
LC_ALL=C awk -F, -v work="$work" '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
	  split("scenario strategy mode invalidation sharing placement threads target lo_ns mid_ns hi_ns knee_threads measured_ns class", need, " ")
	  for (k in need) if (!(need[k] in c)) { print "predicted.csv: missing column " need[k] > "/dev/stderr"; exit 2 }
	  next }
{
	# the warning (last column) may be quoted and hold commas: the columns used come first
	g = $c["scenario"] SUBSEP $c["placement"] SUBSEP $c["invalidation"] SUBSEP $c["sharing"] SUBSEP $c["mode"] SUBSEP $c["target"]
	if (!(g in gid)) {
		gid[g] = ++ng
		stem = "predict-" $c["scenario"] "-" $c["placement"] "-" $c["invalidation"] "-" $c["sharing"] "-" $c["mode"] "-" $c["target"]
		gsub(/[^A-Za-z0-9_.+-]/, "_", stem)
		printf "%d\t%s, %s placement, %s invalidation, %s sharing, %s mode, target %s\t%s\n", ng,
			$c["scenario"], $c["placement"], $c["invalidation"], $c["sharing"], $c["mode"], $c["target"], stem > (work "/groups")
	}
	s = $c["strategy"]
	f = work "/g" gid[g] "-" s ".dat"
	if (!((g, s) in seen)) { seen[g, s] = 1; printf "%s\t%s\n", s, $c["class"] > (work "/g" gid[g] ".strategies") }
	printf "%s %s %s %s %s %s\n", $c["threads"], $c["lo_ns"] == "" ? "NaN" : $c["lo_ns"],
		$c["mid_ns"] == "" ? "NaN" : $c["mid_ns"], $c["hi_ns"] == "" ? "NaN" : $c["hi_ns"],
		$c["measured_ns"] == "" ? "NaN" : $c["measured_ns"],
		$c["knee_threads"] == "" ? "NaN" : $c["knee_threads"] > f
}' "$csv" 2>"$work/err" || { head -n 1 "$work/err" >&2; exit 2; }
[ -s "$work/groups" ] || die "$csv: no rows"

cut -f1 "$work"/g*.strategies | awk '!seen[$0]++' >"$work/names"
load_colors "$work/names"

while IFS=$'\t' read -r g title stem; do
	gp=$work/g$g.gp
	{
		echo "set terminal pngcairo size 1400,640 font 'DejaVu Sans,11' noenhanced linewidth 1.2"
		echo "set output $(gq "$work/$stem.png")"
		echo "set datafile missing 'NaN'"
		echo "set multiplot layout 1,2 title $(gq "PREDICTION (dmabench predict, contention model; marks = measured): $title")"
		echo "set key top left box opaque font ',9'"
		echo "set grid; set xlabel 'threads'"
		echo "set style fill transparent solid 0.18 noborder"
		# panel 1: ns per call
		echo "set ylabel 'ns per call (log; band lo-hi, line mid)'; set logscale y"
		cmd=; knees=
		while IFS=$'\t' read -r s cls; do
			f=$work/g$g-$s.dat
			col=${COLOR[$s]:-#000000}; pt=${PT[$s]:-7}
			cmd+="${cmd:+, }$(gq "$f") using 1:2:4 with filledcurves lc rgb '$col' notitle"
			cmd+=", $(gq "$f") using 1:3 with lines lw 2 lc rgb '$col' title $(gq "$s ($cls)")"
			cmd+=", $(gq "$f") using 1:5 with points pt $pt ps 1.4 lc rgb '$col' notitle"
			k=$(awk '$6 != "NaN" && $1 > 1 { print $6; exit }' "$f")
			[ -n "$k" ] && knees+="set arrow from $k, graph 0 to $k, graph 1 nohead dt 2 lw 1.5 lc rgb '$col'; set label $(gq "knee $s") at $k, graph 0.95 rotate by 90 right textcolor rgb '$col' font ',8'; "
		done <"$work/g$g.strategies"
		echo "$knees"
		echo "plot $cmd"
		# panel 2: throughput
		echo "unset arrow; unset label; unset logscale y; set ylabel 'throughput, all threads (Mops/s)'"
		cmd=
		while IFS=$'\t' read -r s cls; do
			f=$work/g$g-$s.dat
			col=${COLOR[$s]:-#000000}; pt=${PT[$s]:-7}
			cmd+="${cmd:+, }$(gq "$f") using 1:(\$1*1000/\$4):(\$1*1000/\$2) with filledcurves lc rgb '$col' notitle"
			cmd+=", $(gq "$f") using 1:(\$1*1000/\$3) with lines lw 2 lc rgb '$col' title $(gq "$s")"
			cmd+=", $(gq "$f") using 1:(\$1*1000/\$5) with points pt $pt ps 1.4 lc rgb '$col' notitle"
		done <"$work/g$g.strategies"
		echo "plot $cmd"
		echo "unset multiplot; set output"
	} >"$gp"
	# the same again as SVG
	sed -e "1s/.*/set terminal svg size 1400,640 dynamic font 'DejaVu Sans,11' noenhanced background rgb 'white' linewidth 1.2/" \
	    -e "2s/\.png'\$/.svg'/" "$gp" >"$gp.svg"
	gnuplot "$gp" 2>"$work/gperr" && gnuplot "$gp.svg" 2>>"$work/gperr" ||
		die "gnuplot failed on $stem: $(head -n 1 "$work/gperr")" 1
	for ext in png svg; do
		cp "$work/$stem.$ext" "$dir/plots/.$stem.$ext.tmp" && mv -f "$dir/plots/.$stem.$ext.tmp" "$dir/plots/$stem.$ext" ||
			die "cannot write $dir/plots/$stem.$ext" 1
	done
	echo "plot: $dir/plots/$stem.png"
done <"$work/groups"
