#!/usr/bin/env bash
# scripts/compare-plot.sh COMPARE_CSV PLOT_DIR LABEL_A LABEL_B — the overlay
# plots of `dmabench compare` (which runs it): per scenario x placement x
# invalidation x sharing (x home node when there are several) and mode, ns
# per call against threads, run A solid, run B dashed, a colour per
# strategy as in plot.sh. When compare.csv has normalised figures (runs from
# two machines) those are drawn: each run over its own none, 1-thread floor.
# PLOT_DIR is replaced as a whole (drawn elsewhere, copied beside it under a
# temporary name, renamed). Exit 2 on a bad compare.csv, 1 when drawing fails.
set -uo pipefail
# every number written or read (awk, gnuplot's sprintf, printf, sort -g) in
# the C locale, whatever the user's: a comma-decimal LANG corrupted usl.csv
export LC_ALL=C
prog=compare-plot.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/plot-lib.sh"

[ $# -eq 4 ] || die "usage: scripts/compare-plot.sh COMPARE_CSV PLOT_DIR LABEL_A LABEL_B"
csv=$1 dest=${2%/} label_a=$3 label_b=$4
[ -f "$csv" ] && [ -r "$csv" ] || die "$csv: missing"
[ -n "$dest" ] || die "empty plot directory name"
command -v gnuplot >/dev/null 2>&1 || die "gnuplot not found (Debian: apt-get install gnuplot-nox; or dmabench compare --no-plot)" 1

work_dir_init cmpplot

check_text "$csv"
check_rows "$csv"
run_awk compare.awk "$csv" -v name="$csv" -v out="$work/rows.tsv"
norm=$(sed -n '1s/^norm //p' "$work/rows.tsv")
sed -i 1d "$work/rows.tsv"
cut -f 7 "$work/rows.tsv" >"$work/names"
load_colors "$work/names"
label_a=$(printf '%s' "$label_a" | clean_text | cut -c 1-110)
label_b=$(printf '%s' "$label_b" | clean_text | cut -c 1-110)
if [ "$norm" = 1 ]; then
	ylab='time per call / the run'"'"'s own none 1-thread median (log scale; runs from two machines)'
else
	ylab='time per call, one thread (ns, log scale; median of repetitions)'
fi

# one data file per group and mode and strategy, d/g<gid>/<strategy>.dat:
# threads A B; groups: gid scenario placement invalidation sharing home mode;
# index: gid strategy threads hasA hasB, a line per row
mkdir -p "$work/d" "$work/plots" "$work/p"
LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3 -k4,4 -k5,5n -k6,6 -k7,7 -k8,8n "$work/rows.tsv" |
LC_ALL=C awk -F'\t' -v d="$work/d" -v groups="$work/groups" -v index_="$work/index" '
	{
		g = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5 SUBSEP $6
		if (!(g in gids)) {
			gids[g] = ++ng
			print ng, $1, $2, $3, $4, $5, $6 > groups
			if (system("mkdir -p \"" d "/g" ng "\"")) exit 1
		}
		f = d "/g" gids[g] "/" $7 ".dat"
		if (f != last && last != "")
			close(last)	# sorted: a file is written in one stretch
		last = f
		print gids[g], $7, $8, ($9 != "?"), ($10 != "?") > index_
		print $8, $9, $10 > f
	}' || die "splitting compare.csv failed" 1
nhome=$(cut -f 5 "$work/rows.tsv" | sort -u | wc -l)

while read -r gid scen plc inv shar home mode; do
	stem="$scen-${plc//:/-}-$inv-$shar"
	desc="$scen, placement $plc, $inv invalidation, sharing $shar"
	if [ "$nhome" -gt 1 ]; then stem+="-home$home"; desc+=", home node $home"; fi
	if [ "$mode" != normal ]; then stem+="-$mode"; desc+=", $mode mode"; fi
	# strategies with figures in A (field 4) and in B (field 5), in colour order
	side() { awk -v g="$gid" -v k="$1" 'NR == FNR { ord[++n] = $1; next } $1 == g && $k { have[$2] = 1 }
		END { for (i = 1; i <= n; i++) if (ord[i] in have) print ord[i] }' "$work/order.all" "$work/index"; }
	mapfile -t SA < <(side 4)
	mapfile -t SB < <(side 5)
	maxt=$(awk -v g="$gid" '$1 == g && $3 > x { x = $3 } END { print x + 0 }' "$work/index")
	mapfile -t CA < <(gp_colors "${SA[@]}"); mapfile -t PA < <(gp_points "${SA[@]}")
	mapfile -t CB < <(gp_colors "${SB[@]}"); mapfile -t PB < <(gp_points "${SB[@]}")
	n=overlay-$stem
	{ printf 'scriptdir = %s\nout = %s\ntitle_main = %s\ntitle_sub = %s\ntitle_sub2 = %s\n' \
		"$(gq "$here")" "$(gq "$work/plots/$n")" "$(gq "Run A (solid) against run B (dashed): $desc")" \
		"$(gq "$label_a")" "$(gq "$label_b")"
	  gp_array SA "${SA[@]}"; gp_array CA "${CA[@]}"; gp_narray PA "${PA[@]}"
	  gp_array SB "${SB[@]}"; gp_array CB "${CB[@]}"; gp_narray PB "${PB[@]}"
	  printf 'datadir = %s\nmaxthreads = %d\nylab = %s\n' "$(gq "$work/d/g$gid")" "$maxt" "$(gq "$ylab")"
	} >"$work/p/$n.gp"
	draw "$n" plot-compare.gp "$work/p/$n.gp"
done <"$work/groups"

install_dir "$work/plots" "$dest"
echo "$prog: $nplots overlay plots (png+svg) in $dest"
