#!/usr/bin/env bash
# scripts/compare-plot.sh COMPARE_CSV PLOT_DIR LABEL_A LABEL_B [LABEL...] — the
# overlay plots of `dmabench compare` (which runs it): one PNG/SVG per
# scenario x placement x invalidation x sharing (x home node when there are
# several) and mode, with a panel per strategy (its name as the panel's
# title) and in each panel a line per run: ns per call against threads, run
# A solid black, each other run dashed in its own colour; the runs are named
# once, at the top, in their colours (few legend entries however many
# strategies). When compare.csv has normalised figures (runs from different
# machines) those are drawn: each run over its own none, 1-thread floor.
# PLOT_DIR is replaced as a whole (drawn elsewhere, copied beside it under a
# temporary name, renamed). Exit 2 on a bad compare.csv, 1 when drawing fails.
set -uo pipefail
# every number written or read (awk, gnuplot's sprintf, printf, sort -g) in
# the C locale, whatever the user's: a comma-decimal LANG corrupted usl.csv
export LC_ALL=C
prog=compare-plot.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/plot-lib.sh"

[ $# -ge 4 ] || die "usage: scripts/compare-plot.sh COMPARE_CSV PLOT_DIR LABEL_A LABEL_B [LABEL...]"
csv=$1 dest=${2%/}
shift 2
LABELS=("$@")
nruns=$#
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
for k in "${!LABELS[@]}"; do LABELS[$k]=$(printf '%s' "${LABELS[$k]}" | clean_text | cut -c 1-150); done
if [ "$norm" = 1 ]; then
	ylab='ns per call / own none 1-thread'
	what='each run over its own none, 1-thread median (runs from different machines)'
else
	ylab='ns per call (median)'
	what='ns per call, median of repetitions'
fi
# run colours: A black, then the palette's others
RUNC=('#000000' '#e41a1c' '#377eb8' '#ff7f00' '#4daf4a' '#984ea3' '#a65628' '#f781bf' '#17becf' '#bcbd22')

# one data file per group and strategy, d/g<gid>/<strategy>.dat:
# threads A B1 .. B<nruns-1> ("?": no figure); groups: gid scenario placement
# invalidation sharing home mode; index: gid strategy threads
mkdir -p "$work/d" "$work/plots" "$work/p"
LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3 -k4,4 -k5,5n -k6,6 -k7,7 -k8,8n "$work/rows.tsv" |
LC_ALL=C awk -F'\t' -v d="$work/d" -v groups="$work/groups" -v index_="$work/index" -v nb="$((nruns - 1))" '
	function flush(   t, k, line) {
		if (file == "") return
		for (t = 1; t <= nt; t++) {
			line = T[t] " " (A[T[t]] == "" ? "?" : A[T[t]])
			for (k = 1; k <= nb; k++) line = line " " ((T[t], k) in B ? B[T[t], k] : "?")
			print line > file
		}
		close(file)
		delete A; delete B; nt = 0
	}
	{
		g = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5 SUBSEP $6
		if (!(g in gids)) {
			gids[g] = ++ng
			print ng, $1, $2, $3, $4, $5, $6 > groups
			if (system("mkdir -p \"" d "/g" ng "\"")) exit 1
		}
		f = d "/g" gids[g] "/" $7 ".dat"
		if (f != file) { flush(); file = f; print gids[g], $7 > index_ }
		t = $8
		if (!(t in A)) { T[++nt] = t; A[t] = "" }
		if ($9 != "?") A[t] = $9
		if ($10 != "?") B[t, $11] = $10
	}
	END { flush() }' || die "splitting compare.csv failed" 1
nhome=$(cut -f 5 "$work/rows.tsv" | sort -u | wc -l)

while read -r gid scen plc inv shar home mode; do
	stem="$scen-${plc//:/-}-$inv-$shar"
	desc="$scen, placement $plc, $inv invalidation, sharing $shar"
	if [ "$nhome" -gt 1 ]; then stem+="-home$home"; desc+=", home node $home"; fi
	if [ "$mode" != normal ]; then stem+="-$mode"; desc+=", $mode mode"; fi
	mapfile -t S < <(awk -v g="$gid" 'NR == FNR { ord[++n] = $1; next } $1 == g { have[$2] = 1 }
		END { for (i = 1; i <= n; i++) if (ord[i] in have) print ord[i] }' "$work/order.all" "$work/index")
	maxt=$(for s in "${S[@]}"; do cat "$work/d/g$gid/$s.dat"; done | awk '$1 > x { x = $1 } END { print x + 0 }')
	n=overlay-$stem
	{ printf 'scriptdir = %s\nout = %s\ntitle_main = %s\nwhat = %s\n' \
		"$(gq "$here")" "$(gq "$work/plots/$n")" "$(gq "Runs compared, a panel per strategy: $desc")" "$(gq "$what")"
	  gp_array S "${S[@]}"
	  gp_array RL "${LABELS[@]}"
	  gp_array RC "${RUNC[@]}"
	  printf 'datadir = %s\nmaxthreads = %d\nylab = %s\n' "$(gq "$work/d/g$gid")" "$maxt" "$(gq "$ylab")"
	} >"$work/p/$n.gp"
	draw "$n" plot-compare.gp "$work/p/$n.gp"
done <"$work/groups"

install_dir "$work/plots" "$dest"
echo "$prog: $nplots overlay plots (png+svg) in $dest"
