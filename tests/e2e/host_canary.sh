#!/usr/bin/env bash
# Issue 10: the host canary. A window whose canary is slow (made so on
# purpose with the test hook DMABENCH_CANARY_SLOW=1, which slows the
# probes around windows and never the start-up baseline) is flagged
# host-slow in results.csv and summary.csv, and the end-of-run table marks
# it; a plain run flags few rows or none; a bad hook value is refused.
# The probes inside each window: host_canary.csv has every worker's figures
# per window; DMABENCH_CANARY_INSIDE=0 leaves them out, odd keeps them in
# odd repetitions only.
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
unset HWLOC_SYNTHETIC HWLOC_XMLFILE HWLOC_FSROOT TOPO_ALLOWED
RUN=(--scenario=lookup,map-unmap --strategy=none --threads=1 --no-c2c --events=none --warmup-ms=10 --duration-ms=30)

# --- slowed on purpose: every row host-slow ---
DMABENCH_CANARY_SLOW=1 "$D" "${RUN[@]}" --reps=3 --out="$TMP/slow" >"$TMP/slow.out" 2>"$TMP/slow.err"
rc=$?
if [ "$rc" -ne 0 ]; then
	fail hooked-run "exit $rc: $(head -c 300 "$TMP/slow.err")"
else
	rows=$(col "$TMP/slow/results.csv" flags | wc -l)
	flagged=$(col "$TMP/slow/results.csv" flags | grep -c 'host-slow')
	[ "$rows" -eq 6 ] && [ "$flagged" -eq "$rows" ] && pass hooked-every-row-host-slow ||
		fail hooked-every-row-host-slow "$flagged of $rows rows flagged: $(col "$TMP/slow/results.csv" flags | tr '\n' ' ')"
	n=$(col "$TMP/slow/summary.csv" flags | grep -c 'host-slow')
	[ "$n" -eq 2 ] && pass hooked-summary-host-slow || fail hooked-summary-host-slow "$n of 2 summary rows"
	grep -q '[0-9]!' "$TMP/slow.out" && pass hooked-table-marks ||
		fail hooked-table-marks "no ! mark: $(grep -A4 'strategy' "$TMP/slow.out" | head -8)"
	grep -q 'DMABENCH_CANARY_SLOW' "$TMP/slow.err" && pass hooked-said-on-stderr ||
		fail hooked-said-on-stderr "$(head -c 300 "$TMP/slow.err")"
	grep -Eq '^host_canary: .*lowest ns per load: pu[0-9]+ [0-9.]+' "$TMP/slow/machine.txt" &&
		pass machine-txt-baseline || fail machine-txt-baseline "$(grep host_canary "$TMP/slow/machine.txt")"
	"$D" check-csv "$TMP/slow/results.csv" "$TMP/slow/summary.csv" >"$TMP/out" 2>"$TMP/err" &&
		pass hooked-csv-valid || fail hooked-csv-valid "$(head -c 300 "$TMP/err")"
	# host_canary.csv: one row per window and worker, whole; the hook slows
	# the probes inside the 30 ms windows (one at 20 ms) too
	hc=$TMP/slow/host_canary.csv
	if [ ! -f "$hc" ]; then
		fail canary-csv-rows "no host_canary.csv"
	else
		n=$(col "$hc" host_slow | wc -l)
		csv_whole "$hc" && [ "$n" -eq 6 ] && pass canary-csv-rows || fail canary-csv-rows "$n rows: $WHY"
		# a row without a probe inside (a batch preempted across 20-30 ms on a
		# loaded machine) is judged by its edges; at least one row has them
		bad=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["mid_n"] >= 1 { inside++ }
			!($c["host_slow"] == 1 && $c["before_ns"] > 1.25 * $c["baseline_ns"] &&
			  ($c["mid_n"] == 0 || ($c["mid_over"] == $c["mid_n"] &&
			   $c["mid_median_ns"] > 1.25 * $c["baseline_ns"] && $c["mid_max_ns"] >= $c["mid_median_ns"]))) {
				print NR ": " $0 }
			END { if (!inside) print "no row with a probe inside" }' "$hc")
		[ -z "$bad" ] && pass canary-csv-hooked-inside || fail canary-csv-hooked-inside "$bad"
	fi
	grep -q '^host_canary: .*a short one every 20 ms inside it' "$TMP/slow/machine.txt" &&
		pass machine-txt-inside || fail machine-txt-inside "$(grep host_canary "$TMP/slow/machine.txt")"
fi

# --- DMABENCH_CANARY_INSIDE: 0 none inside, odd inside odd repetitions only ---
DMABENCH_CANARY_INSIDE=0 "$D" "${RUN[@]}" --reps=2 --out="$TMP/in0" >"$TMP/out" 2>"$TMP/err"
rc=$?
n=$(col "$TMP/in0/host_canary.csv" mid_n 2>/dev/null | sort -u | tr '\n' ' ')
[ "$rc" -eq 0 ] && [ "$n" = "0 " ] && grep -q 'none inside it: DMABENCH_CANARY_INSIDE=0' "$TMP/in0/machine.txt" &&
	grep -q 'DMABENCH_CANARY_INSIDE=0' "$TMP/err" && pass inside-off ||
	fail inside-off "exit $rc, mid_n: $n; $(grep host_canary "$TMP/in0/machine.txt"); $(head -c 200 "$TMP/err")"
DMABENCH_CANARY_INSIDE=odd "$D" "${RUN[@]}" --reps=2 --out="$TMP/inodd" >"$TMP/out" 2>"$TMP/err"
rc=$?
bad=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	($c["rep"] % 2 == 1) != ($c["mid_n"] >= 1) { print NR ": rep " $c["rep"] " mid_n " $c["mid_n"] }' \
	"$TMP/inodd/host_canary.csv" 2>&1)
[ "$rc" -eq 0 ] && [ -z "$bad" ] && pass inside-odd-only || fail inside-odd-only "exit $rc: $bad"
DMABENCH_CANARY_INSIDE=yes "$D" "${RUN[@]}" --reps=1 --out="$TMP/inbad" >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 DMABENCH_CANARY_INSIDE; then pass inside-bad-value; else fail inside-bad-value "$WHY"; fi
[ ! -e "$TMP/inbad" ] && pass inside-bad-value-no-dir || fail inside-bad-value-no-dir "run directory made"

# --- a plain run: few or none. A shared host's slow phases are real and can
# last seconds, and in a busy hour most windows for minutes
# (docs/METHODOLOGY.md §6: 43-58 of 60 one-thread windows host-slow in
# some idle sweeps), so up to four short runs 2 s apart: one with at most
# half its rows flagged passes. A canary that flagged every window by itself
# flags all 32 rows of the four and fails; some but not all of them flagged
# in every try is the host's hour, said as SKIP (test_canary's
# window_probe_and_baseline_probe_measure_alike checks the paths against
# each other at one moment, where the host cannot change in between) ---
seen= total=0 nflag=0
for try in 1 2 3 4; do
	"$D" "${RUN[@]}" --reps=4 --out="$TMP/plain$try" >"$TMP/plain.out" 2>"$TMP/plain.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		seen="exit $rc: $(head -c 300 "$TMP/plain.err")"
		break
	fi
	rows=$(col "$TMP/plain$try/results.csv" flags | wc -l)
	flagged=$(col "$TMP/plain$try/results.csv" flags | grep -c 'host-slow')
	seen="$seen try $try: $flagged of $rows rows host-slow;"
	total=$((total + rows)) nflag=$((nflag + flagged))
	[ "$rows" -eq 8 ] && [ $((flagged * 2)) -le "$rows" ] && { seen=ok; break; }
	sleep 2
done
if [ "$seen" = ok ]; then
	pass plain-few-host-slow
elif [ "$total" -eq 32 ] && [ "$nflag" -lt 32 ]; then
	echo "SKIP plain-few-host-slow: the host was slow in all four tries ($nflag of 32 rows host-slow, not all):$seen"
else
	fail plain-few-host-slow "$seen"
fi

# --- the hook takes 0 or 1 only ---
DMABENCH_CANARY_SLOW=2 "$D" "${RUN[@]}" --reps=1 --out="$TMP/bad" >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 DMABENCH_CANARY_SLOW; then pass hook-bad-value; else fail hook-bad-value "$WHY"; fi
[ ! -e "$TMP/bad" ] && pass hook-bad-value-no-dir || fail hook-bad-value-no-dir "run directory made"
