#!/usr/bin/env bash
# scripts/plot.sh RUN_DIR — draws one run directory (make plot RUN=DIR).
#
# Reads RUN_DIR/summary.csv (schema 1, columns found by name), and
# machine.txt and c2c.csv when present. Writes RUN_DIR/plots/*.png and *.svg
# and RUN_DIR/usl.csv, and nothing else into RUN_DIR. Everything is drawn in
# a temporary directory elsewhere first, then copied under a temporary name
# in RUN_DIR and renamed into place: a reader sees the old plots/ and usl.csv
# or the new ones. Bad input (missing directory, missing, empty or malformed
# summary.csv or c2c.csv) gives one line on stderr, exit 2, and nothing
# written into RUN_DIR; a failure while drawing or writing gives exit 1.
#
# Plots, per scenario x placement x invalidation x sharing (x home node when
# the run has several) and per mode (normal; kdump where the run has it):
#   throughput-*   Mops/s against threads, a line per strategy, whiskers
#                  min-max of repetitions; log y where the medians span more
#                  than 20x (lookup: none against refcount)
#   latency-*      ns per call against threads, log y, min-max whiskers, the
#                  contention model dotted where summary.csv has one
#   overhead-*     ns per call over strategy none, with the 95% CI; the cheap
#                  strategies in a panel of their own, with its own scale:
#                  ordered by their largest |median overhead|, split
#                  at the widest ratio between neighbours when it is 5x or more
#   usl-*          Universal Scalability Law fit per strategy (usl-fit.gp);
#                  drawn only where one strategy at least has a fit
#   kdump-*        normal (solid) against kdump mode (dashed), gated strategies
#   c2c-heatmap    core-to-core round trips, when c2c.csv exists
# A strategy has the same colour on every plot: its position in
# `dmabench --list` ($DMABENCH, else build/dmabench next to this script), or,
# without the binary, its order of first appearance in summary.csv.
#
# usl.csv, one row per scenario/placement/invalidation/sharing/home node/mode
# and strategy: n_points (thread counts), lambda (Mops/s of one thread),
# sigma, kappa, their standard errors (*_se; empty for a parameter held at
# its bound 0, see `constraint`), n_peak = sqrt((1-sigma)/kappa) and
# x_at_peak (Mops/s; empty when kappa = 0 or sigma >= 1: no peak), status
# "fit", "too-few-points (n<4)" (no figures: a fit needs four thread counts)
# or "fit-failed" (gnuplot's fit did not converge; no figures).
set -uo pipefail
# every number written or read (awk, gnuplot's sprintf, printf, sort -g) in
# the C locale, whatever the user's: a comma-decimal LANG corrupted usl.csv
export LC_ALL=C
prog=plot.sh
here=$(cd "$(dirname "$0")" && pwd)
MIN_USL_POINTS=4
CHEAP_GAP=5
nousl=0
. "$here/plot-lib.sh"

[ $# -eq 1 ] || die "usage: scripts/plot.sh RUN_DIR (a run directory holding summary.csv)"
run=$1
[ -n "$run" ] || die "empty run directory name"
[ "$run" = / ] || run=${run%/}
if [ ! -e "$run" ]; then	# missing, or a name too long, a loop, no permission: say which
	why=$(LC_ALL=C stat -- "$run" 2>&1 >/dev/null | sed 's/.*: //')
	case $why in "No such file or directory"|"") die "$run: no such directory" ;; *) die "$run: $why" ;; esac
fi
[ -d "$run" ] || die "$run: not a directory"
sum=$run/summary.csv
[ -e "$sum" ] || die "$sum: missing (not a run directory?)"
[ -f "$sum" ] && [ -r "$sum" ] || die "$sum: not a readable file"
command -v gnuplot >/dev/null 2>&1 || die "gnuplot not found (Debian: apt-get install gnuplot-nox)" 1

work_dir_init plot

check_text "$sum"
check_rows "$sum"
check_csv "$sum"
run_awk summary.awk "$sum" -v name="$sum" -v out="$work/rows.tsv" -v meta="$work/meta"
c2c=$run/c2c.csv
if [ -e "$c2c" ]; then
	[ -f "$c2c" ] && [ -r "$c2c" ] || die "$c2c: not a readable file"
	check_text "$c2c"
	run_awk c2c.awk "$c2c" -v name="$c2c" -v out="$work/c2c.grid" -v tics="$work/c2c.tics" -v cells="$work/c2c.cells"
fi

# ---- the input is good; from here on failures are run-time failures (1) ----

machine=$(sed -n 's/^machine\t//p' "$work/meta" | clean_text)
run_id=$(sed -n 's/^run_id\t//p' "$work/meta" | clean_text)
cpu_model=
if [ -f "$run/machine.txt" ] && [ -r "$run/machine.txt" ]; then
	cpu_model=$(head -c 65536 "$run/machine.txt" | sed -n 's/^cpu_model:[[:space:]]*//p' | head -n 1 | clean_text | cut -c 1-120)
fi
subtitle="machine $machine · run $run_id"
subtitle2=${cpu_model:+CPU: $cpu_model}

# Strategy order -> colour: the binary's table, then anything else in the
# order it first appears in summary.csv.
cut -f 7 "$work/rows.tsv" >"$work/names"
load_colors "$work/names"

# Split into one data file per (group, mode, strategy), sorted by threads,
# d/g<gid>-<mode>/<strategy>.dat:
#   threads mops_med mops_min mops_max ns_med ns_min ns_max oh oh_lo oh_hi model
# groups: gid scenario placement invalidation sharing home_node
# index:  gid mode strategy npoints has_overhead has_model maxthreads
mkdir -p "$work/d" "$work/plots" "$work/p"
LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3 -k4,4 -k5,5n -k6,6 -k7,7 -k8,8n "$work/rows.tsv" |
LC_ALL=C awk -F'\t' -v d="$work/d" -v groups="$work/groups" -v index_="$work/index" '
	function flush() {
		if (file == "") return
		close(file)
		print gid, mode, strat, np, hasoh, hasmodel, maxt > index_
	}
	function fb(v, w) { return v == "?" ? w : v }
	{
		g = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
		if (!(g in gids)) {
			gids[g] = ++ng
			print ng, $1, $2, $3, $4, $5 > groups
		}
		dir = d "/g" gids[g] "-" $6
		if (!(dir in made)) {
			made[dir] = 1
			if (system("mkdir -p \"" dir "\"")) exit 1
		}
		f = dir "/" $7 ".dat"
		if (f != file) {
			flush()
			file = f; gid = gids[g]; mode = $6; strat = $7; np = 0; hasoh = 0; hasmodel = 0; maxt = 0
		}
		oh = $15
		printf "%s %s %s %s %s %s %s %s %s %s %s\n", $8, $9, fb($10, $9), fb($11, $9), $12, fb($13, $12), fb($14, $12),
			oh, fb($16, oh), fb($17, oh), $18 > file
		np++
		if (oh != "?") hasoh = 1
		if ($18 != "?") hasmodel = 1
		if ($8 + 0 > maxt) maxt = $8 + 0
	}
	END { flush() }' || die "splitting summary.csv failed" 1
nhome=$(cut -f 5 "$work/rows.tsv" | sort -u | wc -l)

# strategy names of group $1, mode $2, in colour order, filtered by awk test $3 on index fields
strategies() {
	awk -v g="$1" -v m="$2" 'NR == FNR { ord[++n] = $1; next }
		$1 == g && $2 == m && ('"${3:-1}"') { have[$3] = 1 }
		END { for (i = 1; i <= n; i++) if (ord[i] in have) print ord[i] }' "$work/order.all" "$work/index"
}

common() {	# the strategy arrays S, C, P of this group and mode
	gp_array S "${S[@]}"; gp_array C "${C[@]}"; gp_narray P "${P[@]}"
	printf 'datadir = %s\nmaxthreads = %d\n' "$(gq "$ddir")" "$maxt"
}
params() {	# params OUTNAME TITLE: the common parameters
	printf 'scriptdir = %s\nout = %s\ntitle_main = %s\ntitle_sub = %s\ntitle_sub2 = %s\n' \
		"$(gq "$here")" "$(gq "$work/plots/$1")" "$(gq "$2")" "$(gq "$subtitle")" "$(gq "$subtitle2")"
}

# ---- USL fits ----
# usl_fit DATA L0: sets FIT (l s k le se ke) and FIT_NOTE, or returns 1.
usl_fit() {
	local data=$1 l0=$2 fs fk best= bestw= line note= bestnote=
	for fs in 0 1; do
		for fk in 0 1; do
			rm -f "$work/fit.out"
			gnuplot -e "datafile = $(gq "$data"); outfile = $(gq "$work/fit.out"); l0 = $l0; fix_s = $fs; fix_k = $fk" \
				"$here/usl-fit.gp" >/dev/null 2>&1 || continue
			line=$(cat "$work/fit.out" 2>/dev/null) || continue
			# feasible: sigma >= 0, kappa >= 0, lambda > 0, all finite
			awk -v l="$line" 'BEGIN { n = split(l, a, " "); if (n < 8) exit 1
				for (i = 1; i <= 7; i++) if (a[i] !~ /^[-+0-9.eE]+$/) exit 1
				exit !(a[1] > 0 && a[2] >= 0 && a[3] >= 0) }' || continue
			set -- $line
			if [ -z "$best" ] || awk -v a="$7" -v b="$bestw" 'BEGIN { exit !(a < b) }'; then
				best=$line; bestw=$7
				note=
				[ "$fs" = 1 ] && note=sigma=0
				[ "$fk" = 1 ] && note=${note:+$note+}kappa=0
				bestnote=$note
			fi
		done
	done
	[ -n "$best" ] || return 1
	FIT=$best
	FIT_NOTE=$bestnote
}

echo "strategy,scenario,placement,invalidation,sharing,home_node,mode,n_points,lambda,sigma,kappa,lambda_se,sigma_se,kappa_se,n_peak,x_at_peak,constraint,status" >"$work/usl.csv"
nfit=0 nfew=0 nfail=0

while read -r gid scen plc inv shar home; do
	stem="$scen-${plc//:/-}-$inv-$shar"
	desc="$scen, placement $plc, $inv invalidation, sharing $shar"
	if [ "$nhome" -gt 1 ]; then stem+="-home$home"; desc+=", home node $home"; fi
	modes=$(awk -v g="$gid" '$1 == g { print $2 }' "$work/index" | sort -u)
	for mode in $modes; do
		name_sfx= desc_m=$desc
		if [ "$mode" != normal ]; then name_sfx="-$mode"; desc_m+=", $mode mode"; fi
		ddir=$work/d/g$gid-$mode
		mapfile -t S < <(strategies "$gid" "$mode")
		maxt=$(awk -v g="$gid" -v m="$mode" '$1 == g && $2 == m && $7 > x { x = $7 } END { print x + 0 }' "$work/index")
		mapfile -t C < <(gp_colors "${S[@]}")
		mapfile -t P < <(gp_points "${S[@]}")

		n=throughput-$stem$name_sfx
		# a log y axis where the strategies' medians span more than 20x (lookup:
		# none at thousands of Mops/s against refcount's tens)
		logy=$(for s in "${S[@]}"; do cat "$ddir/$s.dat"; done |
			awk '$2 > 0 { if (!lo || $2 < lo) lo = $2; if ($2 > hi) hi = $2 } END { print (lo > 0 && hi / lo > 20) ? 1 : 0 }')
		{ params "$n" "Throughput against threads: $desc_m"; common; printf 'logy = %d\n' "$logy"; } >"$work/p/$n.gp"
		draw "$n" plot-throughput.gp "$work/p/$n.gp"

		n=latency-$stem$name_sfx
		mapfile -t M < <(strategies "$gid" "$mode" '$6 == 1')
		mapfile -t MC < <(gp_colors "${M[@]}")
		{ params "$n" "Time per call against threads: $desc_m"; common; gp_array M "${M[@]}"; gp_array MC "${MC[@]}"; } >"$work/p/$n.gp"
		draw "$n" plot-latency.gp "$work/p/$n.gp"

		mapfile -t O < <(strategies "$gid" "$mode" '$5 == 1')
		if [ "${#O[@]}" -gt 0 ]; then
			n=overhead-$stem$name_sfx
			# the cheap strategies get a panel of their own: by their largest
			# |median overhead|,
			big=$(for s in "${O[@]}"; do awk -v s="$s" 'function a(x) { return x < 0 ? -x : x }
				$8 != "?" && a($8) > m { m = a($8) }
				END { print s, m + 0 }' "$ddir/$s.dat"; done)
			# split at the widest gap when the strategies
			# above it cost CHEAP_GAP times more than those below (none, 0, is
			# with the cheap ones)
			split=$(printf '%s\n' "$big" | sort -k2,2gr | awk -v g="$CHEAP_GAP" '
				{ n[NR] = $1; v[NR] = $2 }
				END { best = 0; at = 0
				      for (i = 1; i < NR; i++) if (v[i + 1] > 0 && v[i] / v[i + 1] > best) { best = v[i] / v[i + 1]; at = i }
				      if (best < g) at = NR
				      for (i = 1; i <= NR; i++) print n[i], (i <= at ? "B" : "K") }')
			OB=() OK=()
			for s in "${O[@]}"; do
				case $(printf '%s\n' "$split" | awk -v s="$s" '$1 == s { print $2 }') in
				K) OK+=("$s") ;;
				*) OB+=("$s") ;;
				esac
			done
			if [ "${#OB[@]}" -eq 0 ]; then OB=("${OK[@]}"); OK=(); fi
			mapfile -t OC < <(gp_colors "${OB[@]}"); mapfile -t OP < <(gp_points "${OB[@]}")
			mapfile -t KC < <(gp_colors "${OK[@]}"); mapfile -t KP < <(gp_points "${OK[@]}")
			{ params "$n" "Overhead over strategy none: $desc_m"
			  gp_array S "${OB[@]}"; gp_array C "${OC[@]}"; gp_narray P "${OP[@]}"
			  gp_array K "${OK[@]}"; gp_array KC "${KC[@]}"; gp_narray KP "${KP[@]}"
			  printf 'cheap_gap = %s\n' "$CHEAP_GAP"
			  printf 'datadir = %s\nmaxthreads = %d\n' "$(gq "$ddir")" "$maxt"; } >"$work/p/$n.gp"
			draw "$n" plot-overhead.gp "$work/p/$n.gp"
		fi

		# USL: fit, usl.csv rows, the plot
		F=() FT=() U=() UT=() few=()
		for s in "${S[@]}"; do
			data=$ddir/$s.dat
			np=$(awk -v g="$gid" -v m="$mode" -v s="$s" '$1 == g && $2 == m && $3 == s { print $4 }' "$work/index")
			key="$s,$scen,$plc,$inv,$shar,$home,$mode,$np"
			if [ "$np" -lt "$MIN_USL_POINTS" ]; then
				echo "$key,,,,,,,,,,too-few-points (n<$MIN_USL_POINTS)" >>"$work/usl.csv"
				U+=("$s"); UT+=("$s (n=$np: no fit)"); few+=("$s")
				nfew=$((nfew + 1))
				continue
			fi
			awk '{ print $1, $2 }' "$data" >"$work/fit.dat"
			l0=$(awk 'NR == 1 { print $2 / $1 }' "$work/fit.dat")
			if ! usl_fit "$work/fit.dat" "$l0"; then
				echo "$key,,,,,,,,,,fit-failed" >>"$work/usl.csv"
				U+=("$s"); UT+=("$s (fit failed)")
				nfail=$((nfail + 1))
				continue
			fi
			# the row, the legend title, and the dashed curve to 4x the largest N
			awk -v fit="$FIT" -v note="$FIT_NOTE" -v key="$key" -v s="$s" -v xmax="$((4 * maxt))" \
			    -v row="$work/usl.row" -v title="$work/usl.title" -v curve="$ddir/$s.fit" 'BEGIN {
				split(fit, a, " "); l = a[1]; sg = a[2]; k = a[3]
				g6 = "%.6g"
				se_s = (note ~ /sigma=0/) ? "" : sprintf(g6, a[5])
				se_k = (note ~ /kappa=0/) ? "" : sprintf(g6, a[6])
				np = ""; xp = ""
				if (k > 0 && sg < 1) {
					n = sqrt((1 - sg) / k)
					np = sprintf(g6, n); xp = sprintf(g6, l * n / (1 + sg * (n - 1) + k * n * (n - 1)))
				}
				printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,fit\n", key, sprintf(g6, l), sprintf(g6, sg), sprintf(g6, k),
					sprintf(g6, a[4]), se_s, se_k, np, xp, note > row
				printf "%s: λ=%.3g σ=%.2g κ=%.2g, %s\n", s, l, sg, k, (np == "" ? "no peak" : sprintf("peak at N=%.3g", np + 0)) > title
				for (i = 0; i <= 200; i++) {
					n = xmax * i / 200
					printf "%.6g %.6g\n", n, l * n / (1 + sg * (n - 1) + k * n * (n - 1)) > curve
				}
			}' || die "writing the USL fit of $s failed" 1
			cat "$work/usl.row" >>"$work/usl.csv"
			F+=("$s"); FT+=("$(cat "$work/usl.title")")
			nfit=$((nfit + 1))
		done
		note=
		if [ "${#few[@]}" -gt 0 ]; then
			note="No USL fit (fewer than $MIN_USL_POINTS\nthread counts): ${few[*]}"
			[ "${#F[@]}" -eq 0 ] && note="No USL fit: fewer than $MIN_USL_POINTS\nthread counts for every strategy"
		fi
		n=usl-$stem$name_sfx
		if [ "${#F[@]}" -eq 0 ]; then
			nousl=$((nousl + 1))	# no fit, no plot: usl.csv says why
			continue
		fi
		ymax=$(cat "$ddir"/*.dat | awk '$2 > y { y = $2 } END { print 2 * y }')
		mapfile -t FC < <(gp_colors "${F[@]}")
		mapfile -t FP < <(gp_points "${F[@]}")
		mapfile -t UC < <(gp_colors "${U[@]}")
		mapfile -t UP < <(gp_points "${U[@]}")
		{ params "$n" "Universal Scalability Law fit (dashed, extrapolated to 4x): $desc_m"
		  gp_array F "${F[@]}"; gp_array FC "${FC[@]}"; gp_narray FP "${FP[@]}"; gp_array FT "${FT[@]}"
		  gp_array U "${U[@]}"; gp_array UC "${UC[@]}"; gp_narray UP "${UP[@]}"; gp_array UT "${UT[@]}"
		  printf 'nofit_note = "%s"\ndatadir = %s\nxmax = %d\nymax = %s\n' "$note" "$(gq "$ddir")" "$((4 * maxt))" "$ymax"; } >"$work/p/$n.gp"
		draw "$n" plot-usl.gp "$work/p/$n.gp"
	done

	# normal against kdump for the strategies that have kdump rows
	mapfile -t K < <(strategies "$gid" kdump)
	if [ "${#K[@]}" -gt 0 ]; then
		mapfile -t N < <(strategies "$gid" normal | awk -v k="${K[*]}" 'BEGIN { split(k, a, " "); for (i in a) kd[a[i]] = 1 } $1 in kd')
		mapfile -t KC < <(gp_colors "${K[@]}"); mapfile -t KP < <(gp_points "${K[@]}")
		mapfile -t NC < <(gp_colors "${N[@]}"); mapfile -t NP < <(gp_points "${N[@]}")
		maxt=$(awk -v g="$gid" '$1 == g && $7 > x { x = $7 } END { print x + 0 }' "$work/index")
		n=kdump-$stem
		{ params "$n" "Normal against kdump mode, gated strategies: $desc"
		  gp_array N "${N[@]}"; gp_array NC "${NC[@]}"; gp_narray NP "${NP[@]}"
		  gp_array K "${K[@]}"; gp_array KC "${KC[@]}"; gp_narray KP "${KP[@]}"
		  printf 'dir_normal = %s\ndir_kdump = %s\nmaxthreads = %d\n' "$(gq "$work/d/g$gid-normal")" "$(gq "$work/d/g$gid-kdump")" "$maxt"
		} >"$work/p/$n.gp"
		draw "$n" plot-kdump.gp "$work/p/$n.gp"
	fi
done <"$work/groups"

if [ -s "$work/c2c.grid" ]; then
	if grep -q '^c2c_pairs = 0$' "$work/c2c.tics"; then
		echo "$prog: c2c.csv has no pair with a figure: no heatmap"
	else
		{ params c2c-heatmap "Core-to-core round trip of one cache line (c2c.csv)"
		  printf 'grid = %s\ncells = %s\ntics = %s\n' "$(gq "$work/c2c.grid")" "$(gq "$work/c2c.cells")" "$(gq "$work/c2c.tics")"; } >"$work/p/c2c.gp"
		draw c2c-heatmap plot-c2c.gp "$work/p/c2c.gp"
	fi
fi

# ---- into place: temporary names in RUN_DIR, then rename ----
install_dir "$work/plots" "$run/plots"
usl_tmp=$(mktemp "$run/.usl.csv.XXXXXX") || die "$run: cannot write into the run directory" 1
in_run+=("$usl_tmp")
cp "$work/usl.csv" "$usl_tmp" && chmod 644 "$usl_tmp" || die "$run: writing usl.csv failed" 1
mv -f -- "$usl_tmp" "$run/usl.csv" || die "$run/usl.csv: cannot rename into place" 1
echo "$prog: $nplots plots (png+svg) in $run/plots; usl.csv: $nfit fitted, $nfew with too few points, $nfail failed; $nousl USL plots not drawn (no fit)"
