#!/usr/bin/env bash
# scripts/drift-power.sh [OUT_DIR] — measures the between-run comparison on
# this machine (run it idle): the A/A false-positive rate of `dmabench
# compare` at its default settings, and its power against a known slowdown.
#
#   A/A:   four default sweeps (build/dmabench, no flags but --out), compared
#          as two pairs (1 against 2, 3 against 4) with the default
#          --drift=floor and, for reference, --drift=none. Counts the
#          configurations called faster or slower (goal: at most 1 of 52 over
#          both pairs together). About 4 x the `--dry-run=summary` estimate
#          (on the 2-vCPU VM: 4 x 110 s, 7-8 minutes).
#   power: N (default 10) pairs of sweeps of the injected strategy and the
#          floor, `--strategy=none,STRATEGY --reps=15` with default windows
#          (POWER_FLAGS), each pair a baseline and a run with
#          DMABENCH_INJECT_NS=STRATEGY:PCT% (default cached, 5%), taken back
#          to back; each pair compared. A pair "catches" the slowdown when
#          every normal-mode configuration of STRATEGY (every scenario and
#          thread count) is called slower (goal: 9 of 10). Also counts the
#          STRATEGY configurations compare would not judge (too-disturbed)
#          and other configurations called different. Every comparison is
#          made four ways: --drift=floor, scale, none, and --metric=p50
#          --drift=none ("p50"). About 2 x N x 60 s
#          on the 2-vCPU VM (20 minutes).
# Environment: DMABENCH (default build/dmabench), STRATEGY, PCT, N, SKIP_AA=1,
# SKIP_POWER=1, EXTRA (more flags for every sweep, e.g. --no-c2c),
# POWER_FLAGS (the power sweeps' flags, default "--strategy=none,STRATEGY
# --reps=15"; "--quick --reps=5" was the first protocol: every strategy,
# 60 ms windows), COMPARE_FLAGS (more flags for every compare, e.g.
# --alpha=0.05).
# Prints two markdown tables for docs/METHODOLOGY.md; keeps every run under
# OUT_DIR (default a new directory under /tmp).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${DMABENCH:-$here/../build/dmabench}
strategy=${STRATEGY:-cached}
pct=${PCT:-5}
n=${N:-10}
extra=${EXTRA:-}
power_flags=${POWER_FLAGS:---strategy=none,$strategy --reps=15}
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
sweep() {	# sweep DIR [FLAGS...]
	local dir=$1; shift
	rm -rf "$dir"
	"$bin" --out="$dir" $extra "$@" >"$dir.out" 2>"$dir.err" || { echo "drift-power.sh: sweep $dir failed: $(tail -1 "$dir.err")" >&2; exit 1; }
}

if [ "${SKIP_AA:-0}" != 1 ]; then
	for k in 1 2 3 4; do
		t0=$(date +%s)
		sweep "$out/aa$k"
		echo "A/A sweep $k: $(( $(date +%s) - t0 )) s" | tee -a "$log"
	done
	echo
	echo "| A/A pair | configurations | called different, --drift=floor (default) | too disturbed to judge | --drift=scale | --drift=none | floor, --disturbed=keep | --metric=p50 --drift=none |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
	for p in "1 2" "3 4"; do
		set -- $p
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --out="$out/aa$1-$2.csv" $cflags >"$out/aa$1-$2.txt" 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --drift=scale --out="$out/aa$1-$2-scale.csv" $cflags >/dev/null 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --drift=none --out="$out/aa$1-$2-raw.csv" $cflags >/dev/null 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --disturbed=keep --out="$out/aa$1-$2-keep.csv" $cflags >/dev/null 2>&1
		"$bin" compare "$out/aa$1" "$out/aa$2" --no-plot --metric=p50 --drift=none --out="$out/aa$1-$2-p50.csv" $cflags >/dev/null 2>&1
		read -r f nconf nd < <(flagged "$out/aa$1-$2.csv")
		read -r fk _ < <(flagged "$out/aa$1-$2-keep.csv")
		read -r fs _ < <(flagged "$out/aa$1-$2-scale.csv")
		read -r fr _ < <(flagged "$out/aa$1-$2-raw.csv")
		read -r fp _ < <(flagged "$out/aa$1-$2-p50.csv")
		echo "| $1 against $2 | $nconf | $f | $nd | $fs | $fr | $fk | $fp |"
	done
fi

if [ "${SKIP_POWER:-0}" != 1 ]; then
	echo
	echo "| pair | drift | $strategy configurations called slower ($pct% injected) | too disturbed to judge | median raw ratio of the $strategy configurations | other configurations called different |"
	echo "| --- | --- | --- | --- | --- | --- |"
	caught_floor=0 caught_scale=0 caught_none=0 caught_p50=0
	for k in $(seq 1 "$n"); do
		sweep "$out/base$k" $power_flags
		DMABENCH_INJECT_NS="$strategy:$pct%" sweep "$out/inj$k" $power_flags
		for d in floor scale none p50; do
			if [ $d = p50 ]; then how="--metric=p50 --drift=none"; else how="--drift=$d"; fi
			"$bin" compare "$out/base$k" "$out/inj$k" --no-plot $how --out="$out/pow$k-$d.csv" $cflags >/dev/null 2>&1
			read -r s tot nd ratio other < <(awk -F, -v s="$strategy" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
				$c["in"] != "both" { next }
				$c["strategy"] == s && $c["mode"] == "normal" { n++; r[n] = $c["raw_ratio"]; if ($c["verdict"] == "slower") k++
					if ($c["verdict"] == "too-disturbed") d++; next }
				$c["verdict"] == "faster" || $c["verdict"] == "slower" { o++ }
				END { for (i = 2; i <= n; i++) for (j = i; j > 1 && r[j - 1] > r[j]; j--) { t = r[j]; r[j] = r[j - 1]; r[j - 1] = t }
				      m = n ? (n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2) : 0
				      printf "%d %d %d %.4f %d\n", k + 0, n + 0, d + 0, m, o + 0 }' "$out/pow$k-$d.csv")
			if [ "$s" = "$tot" ] && [ "$tot" -gt 0 ]; then eval "caught_$d=\$((caught_$d + 1))"; fi
			echo "| $k | $d | $s of $tot | $nd | $ratio | $other |"
		done
	done
	echo
	echo "caught at every thread count ($strategy +$pct%), of $n pairs: floor $caught_floor, scale $caught_scale, none $caught_none, p50 (--metric=p50 --drift=none) $caught_p50"
fi
echo "drift-power.sh: finished $(date -u +%FT%TZ)" >>"$log"
