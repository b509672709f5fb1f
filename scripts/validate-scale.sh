#!/bin/bash
# scripts/validate-scale.sh [--dry-run] [OUTDIR] — the scaling check of issue 9
# point 8, on any machine (meant for one with 16 or more PUs):
#   1. a 1-thread sweep (with the c2c pass) -> `dmabench predict` writes
#      OUTDIR/predicted.csv BEFORE anything multi-threaded is measured (no
#      run length yet: mid = the random-handoff model, lo = cheapest class);
#   2. the sweep: lookup and map-unmap for none, refcount, cached, kdump-gate,
#      static-key and percpu-ref at 1, 2, 4, 8, 12, 16 threads (those the
#      machine has), compact and scatter, 3 repetitions, normal mode, lazy;
#   3. predict again from the sweep's own run (its measured run lengths, the
#      measured points overlaid) -> OUTDIR/sweep/predicted.csv and plots;
#   4. prints predicted (blind, step 1, and calibrated, step 3) against measured.
# --dry-run prints the plan and its time estimate for THIS topology (set
# HWLOC_SYNTHETIC="pack:2 numa:1 core:8 pu:1" to see a 16-PU machine's) and
# measures nothing. Exit: 0 done, 2 bad input, 1 a step failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${DMABENCH:-$root/build/dmabench}
dry=0
if [ "${1:-}" = --dry-run ]; then dry=1; shift; fi
[ -x "$bin" ] || { echo "validate-scale.sh: $bin not built (make)" >&2; exit 2; }
STRATS=none,refcount,cached,kdump-gate,static-key,percpu-ref
SCEN=lookup,map-unmap
npu=$("$bin" --dry-run --scenario=lookup --strategy=none --threads=all --placement=compact --reps=1 2>/dev/null |
	awk '/thread [0-9]+: pu/ { sub(/.*thread /, ""); sub(/:.*/, ""); if ($0 + 1 > n) n = $0 + 1 } END { print n + 0 }')
[ "$npu" -ge 1 ] || { echo "validate-scale.sh: cannot count the allowed PUs" >&2; exit 1; }
T=1
for t in 2 4 8 12 16; do [ "$t" -le "$npu" ] && T=$T,$t; done
PLACE=compact,scatter
COMMON=(--scenario=$SCEN --strategy=$STRATS --mode=normal --invalidation=lazy --sharing=device --reps=3)
if [ "$dry" = 1 ]; then
	echo "validate-scale: $npu allowed PUs; threads $T; placements $PLACE"
	echo "step 1 (1-thread sweep + c2c):"
	"$bin" --dry-run "${COMMON[@]}" --threads=1 --placement=compact | grep -E '^plan:|^estimated'
	echo "step 2 (the sweep; plus the c2c pass, ~7 ms a pair store + ~1.3 ms rmw, and ~20-100 ms of run-length calibration per placement and thread count):"
	"$bin" --dry-run "${COMMON[@]}" --threads=$T --placement=$PLACE | grep -E '^plan:|^estimated'
	exit 0
fi
out=${1:-results/validate-scale-$(date -u +%Y%m%dT%H%M%SZ)}
[ ! -e "$out" ] || { echo "validate-scale.sh: $out exists" >&2; exit 2; }
mkdir -p "$out" || exit 1
echo "== step 1: 1-thread costs and c2c -> $out/c1"
"$bin" "${COMMON[@]}" --threads=1 --placement=compact --out="$out/c1" >"$out/c1.log" 2>&1 || { tail -3 "$out/c1.log"; exit 1; }
echo "== predict (blind: before any multi-threaded window) -> $out/predicted.csv"
"$bin" predict --run="$out/c1" --threads=$T --placement=$PLACE --out="$out" --no-plot || exit 1
echo "== step 2: the sweep -> $out/sweep"
"$bin" "${COMMON[@]}" --threads=$T --placement=$PLACE --out="$out/sweep" >"$out/sweep.log" 2>&1 || { tail -3 "$out/sweep.log"; exit 1; }
echo "== step 3: predict from the sweep's own run (measured R, points overlaid)"
(cd "$root" && "$bin" predict --run="$out/sweep" --threads=$T --placement=$PLACE) || exit 1
echo "== predicted against measured (ns per call; blind = step 1, cal = step 3)"
awk -F, '
FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; f++; next }
{ k = $c["scenario"] "," $c["strategy"] "," $c["placement"] "," $c["threads"] }
f == 1 { blo[k] = $c["lo_ns"]; bmid[k] = $c["mid_ns"]; bhi[k] = $c["hi_ns"]; next }
f == 2 { order[++n] = k; lo[k] = $c["lo_ns"]; mid[k] = $c["mid_ns"]; hi[k] = $c["hi_ns"]; m[k] = $c["measured_ns"] }
END {
	printf "%-10s %-11s %-8s %3s %28s %28s %10s %6s %8s\n", "scenario", "strategy", "place", "N",
		"blind lo/mid/hi", "calibrated lo/mid/hi", "measured", "inband", "mid err"
	for (i = 1; i <= n; i++) {
		k = order[i]; split(k, a, ",")
		inb = (m[k] != "" && m[k] >= lo[k] * 0.999 && m[k] <= hi[k] * 1.001) ? "yes" : (m[k] == "" ? "-" : "NO")
		err = (m[k] != "" && m[k] > 0) ? sprintf("%+.0f%%", 100 * (mid[k] - m[k]) / m[k]) : "-"
		printf "%-10s %-11s %-8s %3s %28s %28s %10s %6s %8s\n", a[1], a[2], a[3], a[4],
			sprintf("%.1f/%.1f/%.1f", blo[k], bmid[k], bhi[k]),
			sprintf("%.1f/%.1f/%.1f", lo[k], mid[k], hi[k]), m[k] == "" ? "-" : sprintf("%.1f", m[k]), inb, err
	}
}' "$out/predicted.csv" "$out/sweep/predicted.csv" | tee "$out/comparison.txt"
