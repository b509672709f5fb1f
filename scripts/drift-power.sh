#!/usr/bin/env bash
# scripts/drift-power.sh [OUT_DIR] — measures the between-run comparison on
# this machine (run it idle): the A/A false-positive rate of `dmabench
# compare` at its default settings, and its power against a known slowdown.
#
#   A/A:   four default sweeps (build/dmabench, no flags but --out), compared
#          as two pairs (1 against 2, 3 against 4) with the defaults and,
#          for reference, the other rules below. Counts the
#          configurations called faster or slower (goal: at most 1 of 52 over
#          both pairs together). About 4 x the `--dry-run=summary` estimate
#          (on the 2-vCPU VM: 4 x 110 s, 7-8 minutes).
#   power: N (default 10) pairs of sweeps of the injected strategy and the
#          floor, `--quick --strategy=none,STRATEGY --reps=60` (POWER_FLAGS:
#          60 ms windows, 60 repetitions), each pair a baseline and a run with
#          DMABENCH_INJECT_NS=STRATEGY:PCT% (default cached, 5%), taken back
#          to back; each pair compared. A pair "catches" the slowdown when
#          every normal-mode configuration of STRATEGY (every scenario and
#          thread count) is called slower (goal: 9 of 10). Also counts the
#          STRATEGY configurations compare would not judge (too-disturbed)
#          and other configurations called different. Every comparison is
#          made five ways: --drift=floor (the default), floor with
#          --interval=bootstrap ("boot", the rule until 2026-12-06), scale,
#          none, and --metric=p50 --drift=none ("p50"). Each pair's row also gives the share of
#          the two sweeps' windows the canary flagged `host-slow`; the last
#          line adds, for reading the misses only, the pairs where neither
#          sweep had more than HOST_SLOW_MAX (default 25) per cent of its
#          windows flagged and how many of those were caught (the goal is
#          judged on all pairs). About 2 x N x 42 s on the 2-vCPU VM
#          (14 minutes).
# Environment: DMABENCH (default build/dmabench), STRATEGY, PCT, N, SKIP_AA=1,
# SKIP_POWER=1, EXTRA (more flags for every sweep, e.g. --no-c2c),
# POWER_FLAGS (the power sweeps' flags, default "--quick
# --strategy=none,STRATEGY --reps=60"; "--quick --reps=5" was the first
# protocol: every strategy; "--strategy=none,STRATEGY --reps=15" the fifth,
# 300 ms windows), HOST_SLOW_MAX, COMPARE_FLAGS (more flags for every
# compare, e.g. --alpha=0.05), REJUDGE=1 (a sweep whose directory under
# OUT_DIR already holds results.csv is not taken again: the runs of an
# earlier measurement are judged by this build's compare).
# BLOCKS=K: every pair, and each A/A pair, is instead a series of K blocks
# taken by scripts/ab.sh (an A run and a B run one right after the other,
# A B, B A, ...) and judged with `dmabench compare --blocks`; the power
# runs' flags default to "--quick --strategy=none,STRATEGY --reps=6" (K x 6
# repetitions a side, as many windows as the 60-repetition pair), the A/A
# runs' (AA_FLAGS) to "--quick --reps=6". The ways judged are then floor
# (the default: with --blocks, disturbed repetitions kept), none, and floor
# with --disturbed=drop ("drop"). About
# 2 x N x K x 5 s for the power series, 2 x 2 x K x 30 s for the A/A.
# Prints two markdown tables for docs/METHODOLOGY.md; keeps every run under
# OUT_DIR (default a new directory under /tmp).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${DMABENCH:-$here/../build/dmabench}
strategy=${STRATEGY:-cached}
pct=${PCT:-5}
n=${N:-10}
extra=${EXTRA:-}
blocks=${BLOCKS:-0}
case $blocks in *[!0-9]* | '' | 1) echo "drift-power.sh: BLOCKS: expected 0 (no blocks) or 2 or more, got '$blocks'" >&2; exit 2 ;; esac
if [ "$blocks" -gt 0 ]; then
	power_flags=${POWER_FLAGS:---quick --strategy=none,$strategy --reps=6}
	aa_flags=${AA_FLAGS:---quick --reps=6}
	ways="floor none drop"
else
	power_flags=${POWER_FLAGS:---quick --strategy=none,$strategy --reps=60}
	aa_flags=${AA_FLAGS:-}
	ways="floor boot scale none p50"
fi
host_slow_max=${HOST_SLOW_MAX:-25}
cflags=${COMPARE_FLAGS:-}
out=${1:-$(mktemp -d /tmp/dmabench-drift.XXXXXX)}
mkdir -p "$out" || exit 1
[ -x "$bin" ] || { echo "drift-power.sh: $bin: not built (make)" >&2; exit 1; }
log=$out/log
echo "drift-power.sh: runs in $out; started $(date -u +%FT%TZ) on $(uname -n), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$log"

# flagged CSV: "faster"/"slower" rows among those both runs have, and the too-disturbed ones
flagged() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["in"] == "both" { n++; if ($c["verdict"] == "faster" || $c["verdict"] == "slower") f++; if ($c["verdict"] == "too-disturbed") d++ }
	END { printf "%d %d %d\n", f + 0, n + 0, d + 0 }' "$1"; }
# per cent of the runs' windows (results.csv rows) whose flags carry host-slow
host_slow_pct() { awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ n++; if (("+" $c["flags"] "+") ~ /[+]host-slow[+]/) s++ }
	END { printf "%.0f\n", n ? 100 * s / n : 0 }' "${@/%//results.csv}"; }
# BLOCKS: the runs of side a or b of a series
side() {	# side DIR a|b
	for b in $(seq 1 "$blocks"); do printf '%s\n' "$1/$2$b"; done
}
# BLOCKS: take a series, B's runs with the environment ENV_FOR_B: pair DIR ENV_FOR_B FLAGS...
pair() {
	local dir=$1 envb=$2; shift 2
	[ "${REJUDGE:-0}" = 1 ] || rm -rf "$dir"
	AB_NO_COMPARE=1 DMABENCH=$bin "$here/ab.sh" -k "$blocks" "$dir" "$bin $extra $*" "env $envb $bin $extra $*" || exit 1
}
# BLOCKS: judge a series: judge DIR OUT_CSV COMPARE_FLAGS...
judge() {
	local dir=$1 csv=$2 runs=() b; shift 2
	for b in $(seq 1 "$blocks"); do runs+=("$dir/a$b" "$dir/b$b"); done
	"$bin" compare --blocks "${runs[@]}" --no-plot --out="$csv" "$@" $cflags
}
how_of() {
	case $1 in
	p50) echo "--metric=p50 --drift=none" ;;
	boot) echo "--interval=bootstrap" ;;
	keep) echo "--disturbed=keep" ;;
	drop) echo "--disturbed=drop" ;;
	*) echo "--drift=$1" ;;
	esac
}
sweep() {	# sweep DIR [FLAGS...]
	local dir=$1; shift
	[ "${REJUDGE:-0}" = 1 ] && [ -f "$dir/results.csv" ] && return	# judge the runs already there again
	rm -rf "$dir"
	"$bin" --out="$dir" $extra "$@" >"$dir.out" 2>"$dir.err" || { echo "drift-power.sh: sweep $dir failed: $(tail -1 "$dir.err")" >&2; exit 1; }
}

if [ "${SKIP_AA:-0}" != 1 ] && [ "$blocks" -gt 0 ]; then
	for k in 1 2; do
		t0=$(date +%s)
		pair "$out/aa$k" "" $aa_flags
		echo "A/A series $k ($blocks blocks of '$aa_flags'): $(( $(date +%s) - t0 )) s" | tee -a "$log"
	done
	echo
	echo "| A/A series ($blocks blocks) | configurations | called different, floor (default, disturbed kept) | --drift=none | --disturbed=drop | too disturbed to judge with drop |"
	echo "| --- | --- | --- | --- | --- | --- |"
	for k in 1 2; do
		for d in floor none drop; do
			judge "$out/aa$k" "$out/aa$k-$d.csv" $(how_of $d) >"$out/aa$k-$d.txt" 2>&1
		done
		read -r f nconf _ < <(flagged "$out/aa$k-floor.csv")
		read -r fr _ < <(flagged "$out/aa$k-none.csv")
		read -r fd _ nd < <(flagged "$out/aa$k-drop.csv")
		echo "| $k | $nconf | $f | $fr | $fd | $nd |"
	done
elif [ "${SKIP_AA:-0}" != 1 ]; then
	for k in 1 2 3 4; do
		t0=$(date +%s)
		sweep "$out/aa$k" $aa_flags
		echo "A/A sweep $k: $(( $(date +%s) - t0 )) s" | tee -a "$log"
	done
	echo
	echo "| A/A pair | configurations | called different, --drift=floor (default) | too disturbed to judge | --interval=bootstrap | --drift=scale | --drift=none | floor, --disturbed=keep | --metric=p50 --drift=none |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	for p in "1 2" "3 4"; do
		set -- $p
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --out="$out/aa$1-$2.csv" $cflags >"$out/aa$1-$2.txt" 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --interval=bootstrap --out="$out/aa$1-$2-boot.csv" $cflags >/dev/null 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --drift=scale --out="$out/aa$1-$2-scale.csv" $cflags >/dev/null 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --drift=none --out="$out/aa$1-$2-raw.csv" $cflags >/dev/null 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --disturbed=keep --out="$out/aa$1-$2-keep.csv" $cflags >/dev/null 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --metric=p50 --drift=none --out="$out/aa$1-$2-p50.csv" $cflags >/dev/null 2>&1
		read -r f nconf nd < <(flagged "$out/aa$1-$2.csv")
		read -r fk _ < <(flagged "$out/aa$1-$2-keep.csv")
		read -r fb _ < <(flagged "$out/aa$1-$2-boot.csv")
		read -r fs _ < <(flagged "$out/aa$1-$2-scale.csv")
		read -r fr _ < <(flagged "$out/aa$1-$2-raw.csv")
		read -r fp _ < <(flagged "$out/aa$1-$2-p50.csv")
		echo "| $1 against $2 | $nconf | $f | $nd | $fb | $fs | $fr | $fk | $fp |"
	done
fi

if [ "${SKIP_POWER:-0}" != 1 ]; then
	echo
	echo "| pair | drift | $strategy configurations called slower ($pct% injected) | too disturbed to judge | median raw ratio of the $strategy configurations | other configurations called different | windows host-slow, base / injected (%) |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	caught_floor=0 caught_boot=0 caught_scale=0 caught_none=0 caught_p50=0 caught_keep=0 caught_drop=0 quiet=0 quiet_caught=0
	for k in $(seq 1 "$n"); do
		if [ "$blocks" -gt 0 ]; then
			pair "$out/pair$k" "DMABENCH_INJECT_NS=$strategy:$pct%" $power_flags
		else
			# the layout of the runs before BLOCKS: base$k and inj$k
			sweep "$out/base$k" $power_flags
			DMABENCH_INJECT_NS="$strategy:$pct%" sweep "$out/inj$k" $power_flags
		fi
		if [ "$blocks" -gt 0 ]; then
			mapfile -t ra < <(side "$out/pair$k" a); mapfile -t rb < <(side "$out/pair$k" b)
		else
			ra=("$out/base$k") rb=("$out/inj$k")
		fi
		hs_base=$(host_slow_pct "${ra[@]}") hs_inj=$(host_slow_pct "${rb[@]}")
		is_quiet=$(( hs_base <= host_slow_max && hs_inj <= host_slow_max ))
		quiet=$(( quiet + is_quiet ))
		for d in $ways; do
			if [ "$blocks" -gt 0 ]; then
				judge "$out/pair$k" "$out/pow$k-$d.csv" $(how_of $d) >/dev/null 2>&1
			else
				"$bin" compare "$out/base$k" "$out/inj$k" --no-plot $(how_of $d) --out="$out/pow$k-$d.csv" $cflags >/dev/null 2>&1
			fi
			read -r s tot nd ratio other < <(awk -F, -v s="$strategy" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
				$c["in"] != "both" { next }
				$c["strategy"] == s && $c["mode"] == "normal" { n++; r[n] = $c["raw_ratio"]; if ($c["verdict"] == "slower") k++
					if ($c["verdict"] == "too-disturbed") d++; next }
				$c["verdict"] == "faster" || $c["verdict"] == "slower" { o++ }
				END { for (i = 2; i <= n; i++) for (j = i; j > 1 && r[j - 1] > r[j]; j--) { t = r[j]; r[j] = r[j - 1]; r[j - 1] = t }
				      m = n ? (n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2) : 0
				      printf "%d %d %d %.4f %d\n", k + 0, n + 0, d + 0, m, o + 0 }' "$out/pow$k-$d.csv")
			if [ "$s" = "$tot" ] && [ "$tot" -gt 0 ]; then
				eval "caught_$d=\$((caught_$d + 1))"
				[ $d = floor ] && quiet_caught=$(( quiet_caught + is_quiet ))
			fi
			echo "| $k | $d | $s of $tot | $nd | $ratio | $other | $hs_base / $hs_inj |"
		done
	done
	echo
	if [ "$blocks" -gt 0 ]; then
		echo "caught at every thread count ($strategy +$pct%), of $n series of $blocks blocks: floor $caught_floor, none $caught_none, drop (--disturbed=drop) $caught_drop"
	else
		echo "caught at every thread count ($strategy +$pct%), of $n pairs: floor $caught_floor, floor with --interval=bootstrap $caught_boot, scale $caught_scale, none $caught_none, p50 (--metric=p50 --drift=none) $caught_p50"
	fi
	echo "pairs with at most $host_slow_max% of each sweep's windows host-slow: $quiet of $n; of those caught (floor): $quiet_caught"
fi
echo "drift-power.sh: finished $(date -u +%FT%TZ)" >>"$log"
