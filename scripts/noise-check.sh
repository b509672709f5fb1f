#!/usr/bin/env bash
# Issue 10's noise criterion on one or more run directories:
#   scripts/noise-check.sh RUN_DIR... [--scenario=map-unmap]
# For every configuration of the scenario (summary.csv) whose CV of ns per
# call is above 10%, or that has a repetition more than 1.5 x its median
# (results.csv), prints the configuration, its CV, and each repetition's
# ns per call, ratio to the median and flags. Such a row is explained by
# the host when its repetitions without a host flag (host-c2c, host-slow, host-steal,
# desched, overran, migrated) are within the limits by themselves: CV at
# most 10% and none above 1.5 x their own median; else it is UNEXPLAINED.
# Last line per run:
#   RUN: N rows over, U unexplained -> pass|FAIL
# pass: no row over the limits, or every one explained by host flags.
# Exit 0 when every run passes, 1 otherwise, 2 for bad input.
set -uo pipefail
export LC_ALL=C
scenario=map-unmap
dirs=()
for a in "$@"; do
	case $a in
	--scenario=*) scenario=${a#--scenario=} ;;
	-*) echo "noise-check.sh: unknown flag '$a'" >&2; exit 2 ;;
	*) dirs+=("$a") ;;
	esac
done
[ ${#dirs[@]} -gt 0 ] || { echo "usage: scripts/noise-check.sh RUN_DIR... [--scenario=NAME]" >&2; exit 2; }
status=0
for d in "${dirs[@]}"; do
	if [ ! -f "$d/summary.csv" ] || [ ! -f "$d/results.csv" ]; then
		echo "noise-check.sh: $d: no summary.csv/results.csv" >&2
		exit 2
	fi
	awk -F, -v sc="$scenario" -v run="$d" '
	function col(name) { return c[name] }
	FNR == 1 { delete c; for (i = 1; i <= NF; i++) c[$i] = i; file++; next }
	{ key = $col("scenario") "," $col("strategy") "," $col("mode") "," $col("invalidation") "," \
		$col("sharing") "," $col("placement") "," $col("home_node") "," $col("threads") }
	$col("scenario") != sc { next }
	file == 1 { med[key] = $col("ns_per_op_median"); cv[key] = $col("ns_per_op_cv"); order[++n] = key; next }
	file == 2 { nr[key]++; rep[key, nr[key]] = $col("rep") " " $col("ns_per_op") " " $col("flags") }
	function median(a, k,   i, j, t) {
		for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		over = 0; unexplained = 0
		for (i = 1; i <= n; i++) {
			k = order[i]; m = med[k] + 0; bad = (cv[k] + 0 > 0.10)
			for (j = 1; j <= nr[k]; j++) { split(rep[k, j], f, " "); if (m > 0 && f[2] / m > 1.5) bad = 1 }
			if (!bad) continue
			over++
			delete v; nv = 0; s1 = 0; s2 = 0
			for (j = 1; j <= nr[k]; j++) {
				split(rep[k, j], f, " ")
				if (f[3] ~ /host-c2c|host-slow|host-steal|desched|overran|migrated/) continue
				v[++nv] = f[2] + 0; s1 += f[2]; s2 += f[2] * f[2]
			}
			um = nv ? median(v, nv) : 0; mean = nv ? s1 / nv : 0
			ucv = nv > 1 && mean > 0 ? sqrt((s2 - nv * mean * mean) / (nv - 1)) / mean : 0
			worst = nv && um > 0 ? v[nv] / um : 0
			ok = ucv <= 0.10 && worst <= 1.5
			if (!ok) unexplained++
			printf "%s: %s cv %.3f median %.2f -> %s (%d unflagged: cv %.3f, max x%.2f)\n", run, k, cv[k], m,
				(ok ? "explained by host flags" : "UNEXPLAINED"), nv, ucv, worst
			for (j = 1; j <= nr[k]; j++) {
				split(rep[k, j], f, " ")
				printf "    rep %s %8.2f ns  x%.2f  %s\n", f[1], f[2], (m > 0 ? f[2] / m : 0), (f[3] == "" ? "-" : f[3])
			}
		}
		printf "%s: %d rows over, %d unexplained -> %s\n", run, over, unexplained, (unexplained ? "FAIL" : "pass")
		exit unexplained ? 1 : 0
	}' "$d/summary.csv" "$d/results.csv" || status=1
done
exit $status
