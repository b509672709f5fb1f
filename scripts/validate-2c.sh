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
#   shared-write rows: the band (predicted for the host placement the
#   call-shaped calibration saw: predicted.csv's state_rt_ns) contains the
#   median of the 2-thread windows taken in that placement (both of the
#   window's host_c2c probes within 1.5x of it; at least 2 windows, else
#   "not judged"), and mid is within 20% of it; the all-repetitions median
#   is printed beside it. Flat rows: measured at 2 threads within 10% of the
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
echo "| machine | run | strategy | class | N | rmw rt at calibration (ns) | R / R lo (calls) | eta | predicted lo / mid / hi (ns) | measured, same placement (ns) | reps | measured, all reps (ns) | in band | mid error | verdict |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for i in 1 2; do
	# per 2-thread lookup window: its rep's ns per call and its placement probes
	awk -F, 'FNR == 1 { for (k = 1; k <= NF; k++) c[FILENAME, $k] = k; next }
	FILENAME ~ /host_c2c/ && $c[FILENAME, "threads"] == 2 && $c[FILENAME, "scenario"] == "lookup" {
		print "P", $c[FILENAME, "strategy"], $c[FILENAME, "rep"], $c[FILENAME, "before_ns"], $c[FILENAME, "after_ns"] }
	FILENAME ~ /results/ && $c[FILENAME, "threads"] == 2 && $c[FILENAME, "scenario"] == "lookup" &&
	  $c[FILENAME, "mode"] == "normal" {
		print "W", $c[FILENAME, "strategy"], $c[FILENAME, "rep"], $c[FILENAME, "ns_per_op"] }' \
		"$out/run$i/results.csv" "$out/run$i/host_c2c.csv" >"$out/run$i.windows"
	awk -F, -v run="$i" -v mach="$machine" -v wfile="$out/run$i.windows" '
	function median(a, n,    i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	BEGIN {
		while ((getline line < wfile) > 0) {
			split(line, f, " ")
			if (f[1] == "P") { pb[f[2], f[3]] = f[4]; pa[f[2], f[3]] = f[5] }
			else { ns[f[2], f[3]] = f[4]; reps[f[2]] = reps[f[2]] " " f[3] }
		}
	}
	NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k; next }
	$c["threads"] == 1 { one[$c["strategy"]] = $c["measured_ns"] }
	$c["threads"] == 2 {
		s = $c["strategy"]; cls = $c["class"]; all = $c["measured_ns"]
		lo = $c["lo_ns"]; mid = $c["mid_ns"]; hi = $c["hi_ns"]; st = $c["state_rt_ns"]
		# the windows in the placement the calibration saw: both probes within 1.5x of its round trip
		n = 0; split(reps[s], rl, " ")
		for (k in rl) {
			r = rl[k]
			if (st > 0 && pb[s, r] > 0 && pa[s, r] > 0 && pb[s, r] < 1.5 * st && pb[s, r] > st / 1.5 &&
			    pa[s, r] < 1.5 * st && pa[s, r] > st / 1.5)
				v[++n] = ns[s, r]
		}
		if (cls == "shared-write") {
			if (n >= 2) {
				m = median(v, n)
				inb = (m >= lo * 0.999 && m <= hi * 1.001) ? "yes" : "no"
				err = 100 * (mid - m) / m
				verdict = (inb == "yes" && err <= 20 && err >= -20) ? "pass" : "FAIL"
				ms = sprintf("%.1f", m); es = sprintf("%+.0f%%", err)
			} else {
				inb = "-"; ms = "-"; es = "-"
				verdict = "not judged (fewer than 2 windows in the calibration placement)"
			}
			printf "| %s | %s | %s | %s | 2 | %s | %.2f / %.2f | %s | %.1f / %.1f / %.1f | %s | %d | %.1f | %s | %s | %s |\n",
				mach, run, s, cls, st == "" ? "-" : sprintf("%.1f", st), $c["run_length_calls"],
				$c["run_length_lo_calls"], $c["eta"] == "" ? "-" : sprintf("%.2f", $c["eta"]),
				lo, mid, hi, ms, n, all, inb, es, verdict
		} else {
			flat = 100 * (all - one[s]) / one[s]
			printf "| %s | %s | %s | %s | 2 | - | - | - | %.1f / %.1f / %.1f | - | - | %.1f | - | %+.0f%% (vs 1 thread) | %s |\n",
				mach, run, s, cls, lo, mid, hi, all, flat, (flat <= 10 && flat >= -10) ? "pass" : "FAIL"
		}
		delete v
	}' "$out/run$i/predicted.csv"
done
} | tee "$out/validation.md"
