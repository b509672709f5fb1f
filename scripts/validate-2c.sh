#!/bin/bash
# scripts/validate-2c.sh [OUTDIR] — the validation table of issue 9 point 7
# (docs/METHODOLOGY.md, "Validation"), on an IDLE machine. Two separate runs,
# each: a lookup sweep at 1 and 2 threads (compact) of refcount, deferred-v2
# and the flat classes, with the sweep's own c2c pass (store + rmw) and
# run-length calibrations (the bare fetch-add loop, and the call-shaped one
# of each shared-write lookup, after the windows); then `dmabench predict`
# on that run's own topology, c2c and R (R in calls and where it came from:
# "call-shaped", or "bare" for a run without call-shaped rows); then the
# table rows (markdown) for METHODOLOGY:
#   shared-write rows: the band contains the measured figure and mid is
#   within 20% of it; flat rows: measured at 2 threads within 10% of the
#   1-thread cost.
# About 2 x 45 s on 2 cores. Exit: 0 done (the verdicts are in the table), 1 a step failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${DMABENCH:-$root/build/dmabench}
[ -x "$bin" ] || { echo "validate-2c.sh: $bin not built (make)" >&2; exit 2; }
out=${1:-results/validate-2c-$(date -u +%Y%m%dT%H%M%SZ)}
[ ! -e "$out" ] || { echo "validate-2c.sh: $out exists" >&2; exit 2; }
mkdir -p "$out" || exit 1
for i in 1 2; do
	echo "== run $i -> $out/run$i" >&2
	"$bin" --scenario=lookup --strategy=none,refcount,deferred-v2,cached,kdump-gate,static-key,dev-flag,rcu,percpu-ref \
		--mode=normal --threads=1,2 --placement=compact --reps=5 --out="$out/run$i" >"$out/run$i.log" 2>&1 ||
		{ tail -3 "$out/run$i.log" >&2; exit 1; }
	(cd "$root" && "$bin" predict --run="$out/run$i" --threads=1,2 --placement=compact) >&2 || exit 1
done
machine=$(awk -F': ' '$1 == "cpu_model" { print $2; exit }' "$out/run1/machine.txt")
{
echo "| machine | run | strategy | class | N | c2c rmw rt (ns) | R (calls) | R source | predicted lo / mid / hi (ns) | measured (ns) | in band | mid error | verdict |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for i in 1 2; do
	rt=$(awk -F, 'NR > 1 && $1 != $2 && $6 == "rmw" { print $5; exit }' "$out/run$i/c2c.csv")
	awk -F, -v run="$i" -v mach="$machine" -v rt="$rt" '
	NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next }
	$c["threads"] == 1 { one[$c["strategy"]] = $c["measured_ns"] }
	$c["threads"] == 2 {
		s = $c["strategy"]; cls = $c["class"]; m = $c["measured_ns"]
		lo = $c["lo_ns"]; mid = $c["mid_ns"]; hi = $c["hi_ns"]
		inb = (m >= lo * 0.999 && m <= hi * 1.001) ? "yes" : "no"
		err = 100 * (mid - m) / m
		if (cls == "shared-write")
			v = (inb == "yes" && err <= 20 && err >= -20) ? "pass" : "FAIL"
		else {
			flat = 100 * (m - one[s]) / one[s]
			v = (flat <= 10 && flat >= -10) ? "pass" : "FAIL"
			err = flat
			inb = "-"
		}
		rc = $c["run_length_calls"]; src = $c["run_length_source"]
		if (rc != "")
			rc = sprintf("%.2f", rc)
		printf "| %s | %s | %s | %s | 2 | %s | %s | %s | %.1f / %.1f / %.1f | %.1f | %s | %+.0f%%%s | %s |\n",
			mach, run, s, cls, rt, rc == "" ? "-" : rc, cls == "shared-write" ? src : "-",
			lo, mid, hi, m, inb, err,
			cls == "shared-write" ? "" : " (vs 1 thread)", v
	}' "$out/run$i/predicted.csv"
done
} | tee "$out/validation.md"
