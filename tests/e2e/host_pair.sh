#!/usr/bin/env bash
# Issue 10: the host's vCPU placement. Around every window of two or more
# threads the sweep probes the rmw round trip between the window's PUs
# (src/harness/pairprobe.h); a window whose probe lies beyond 1.5x the
# pair's typical figure is flagged host-c2c. The test hook
# DMABENCH_PAIR_SLOW=1 scales the window probes (never the start-up ones)
# threefold: every 2-thread row is then host-c2c and no 1-thread row is;
# machine.txt says host_c2c with the pair; host_c2c.csv has each window's
# probes; the end-of-run text counts them;
# DMABENCH_PAIR_SLOW=start (a run that starts far) is judged again at the
# end and results.csv rewritten; a bad hook value is refused. Needs two
# allowed PUs (CI has two).
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
unset HWLOC_SYNTHETIC HWLOC_XMLFILE HWLOC_FSROOT TOPO_ALLOWED
RUN=(--scenario=lookup --strategy=none --threads=1,2 --no-c2c --events=none --warmup-ms=10 --duration-ms=30)

if [ "$(nproc)" -lt 2 ]; then
	pass "skip: one allowed PU, no pair to probe"
else
	DMABENCH_PAIR_SLOW=1 "$D" "${RUN[@]}" --reps=3 --out="$TMP/far" >"$TMP/far.out" 2>"$TMP/far.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail hooked-run "exit $rc: $(head -c 300 "$TMP/far.err")"
	else
		two=$(awk -F, -v t="$(colnum "$TMP/far/results.csv" threads)" -v f="$(colnum "$TMP/far/results.csv" flags)" \
			'NR > 1 && $t == 2 { n++; if ($f ~ /host-c2c/) k++ } END { print k + 0 "/" n + 0 }' "$TMP/far/results.csv")
		one=$(awk -F, -v t="$(colnum "$TMP/far/results.csv" threads)" -v f="$(colnum "$TMP/far/results.csv" flags)" \
			'NR > 1 && $t == 1 { n++; if ($f ~ /host-c2c/) k++ } END { print k + 0 "/" n + 0 }' "$TMP/far/results.csv")
		[ "$two" = 3/3 ] && pass hooked-every-2t-row-host-c2c || fail hooked-every-2t-row-host-c2c "2T rows flagged $two"
		[ "$one" = 0/3 ] && pass hooked-no-1t-row-host-c2c || fail hooked-no-1t-row-host-c2c "1T rows flagged $one"
		n=$(col "$TMP/far/summary.csv" flags | grep -c 'host-c2c')
		[ "$n" -eq 1 ] && pass hooked-summary-host-c2c || fail hooked-summary-host-c2c "$n of 2 summary rows"
		grep -Eq '^host_c2c: .* [0-9]+-[0-9]+ [0-9.]+ \[[0-9.]+-[0-9.]+\] 3/3$' "$TMP/far/machine.txt" &&
			pass machine-txt-pair || fail machine-txt-pair "$(grep host_c2c "$TMP/far/machine.txt")"
		grep -Eq '^host windows: [3-6] of 6 \(host-c2c 3:' "$TMP/far.out" && pass end-of-run-count ||
			fail end-of-run-count "$(grep -A1 '^host windows' "$TMP/far.out")"
		hc=$(awk -F, 'NR > 1 { n++; if ($8 == 2 && $15 == 1 && $12 != "" && $14 != "") k++ } END { print k + 0 "/" n + 0 }' "$TMP/far/host_c2c.csv" 2>/dev/null)
		[ "$hc" = 3/3 ] && head -1 "$TMP/far/host_c2c.csv" | grep -qx 'scenario,strategy,mode,invalidation,sharing,placement,home_node,threads,rep,pu_a,pu_b,before_ns,after_ns,typical_ns,host_c2c' &&
			pass host-c2c-csv-every-2t-window || fail host-c2c-csv-every-2t-window "rows flagged/all: '$hc'"
		grep -q 'DMABENCH_PAIR_SLOW' "$TMP/far.err" && pass hooked-said-on-stderr ||
			fail hooked-said-on-stderr "$(head -c 300 "$TMP/far.err")"
	fi
fi

# a run that starts far (DMABENCH_PAIR_SLOW=start: the start-up figures x3):
# its first windows are flagged while it runs, then judged again against the
# whole run at the end; results.csv is rewritten whole and agrees with machine.txt
if [ "$(nproc)" -ge 2 ]; then
	# the probes are real: under load a try can see no verdict change (its
	# window probes disturbed too); up to three tries, 2 s apart
	for try in 1 2 3; do
		rm -rf "$TMP/start"
		DMABENCH_PAIR_SLOW=start "$D" "${RUN[@]}" --reps=5 --out="$TMP/start" >"$TMP/start.out" 2>"$TMP/start.err"
		rc=$?
		changed=$(sed -n 's/.*judged again against the whole run.*: \([0-9]*\) window(s) changed/\1/p' "$TMP/start.out")
		[ "$rc" -eq 0 ] && [ "${changed:-0}" -ge 1 ] && break
		sleep 2
	done
	[ "$rc" -eq 0 ] && [ "${changed:-0}" -ge 1 ] && pass start-far-rejudged ||
		fail start-far-rejudged "exit $rc, changed '${changed}' (3 tries): $(grep -v '^\[' "$TMP/start.err" | head -c 300)"
	rows=$(col "$TMP/start/results.csv" flags | grep -c 'host-c2c')
	said=$(sed -n 's/^host_c2c: .* \([0-9]*\)\/[0-9]*$/\1/p' "$TMP/start/machine.txt")
	[ "$rows" = "$said" ] && pass start-results-agree-with-machine-txt ||
		fail start-results-agree-with-machine-txt "results.csv $rows host-c2c rows, machine.txt '$said'"
	"$D" check-csv "$TMP/start/results.csv" "$TMP/start/summary.csv" >/dev/null 2>"$TMP/err" &&
		[ "$(col "$TMP/start/results.csv" rep | wc -l)" -eq 10 ] && pass start-rewritten-csv-valid ||
		fail start-rewritten-csv-valid "$(head -c 300 "$TMP/err")"
fi

# one thread only: nothing to probe, and machine.txt says so
"$D" --scenario=lookup --strategy=none --threads=1 --no-c2c --events=none --warmup-ms=10 --duration-ms=20 \
	--reps=1 --out="$TMP/one" >/dev/null 2>"$TMP/one.err"
grep -q '^host_c2c: not probed' "$TMP/one/machine.txt" 2>/dev/null && [ ! -e "$TMP/one/host_c2c.csv" ] && pass one-thread-not-probed ||
	fail one-thread-not-probed "$(grep host_c2c "$TMP/one/machine.txt" 2>&1) $(head -c 200 "$TMP/one.err")"

DMABENCH_PAIR_SLOW=yes "$D" "${RUN[@]}" --reps=1 --out="$TMP/bad" >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 DMABENCH_PAIR_SLOW; then pass hook-bad-value; else fail hook-bad-value "$WHY"; fi
[ ! -e "$TMP/bad" ] && pass hook-bad-value-no-dir || fail hook-bad-value-no-dir "run directory made"
