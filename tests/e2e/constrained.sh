#!/usr/bin/env bash
# Constrained and odd machines, each with a short real run: a restricted
# cpuset (taskset), more threads than PUs, no counters (perf_event_open
# refused), threads that cannot be bound, model memory that cannot be had.
# The run completes and says what it did, or stops with exit 1 and one line.
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
SHORT="--scenario=lookup --strategy=none,refcount --reps=1 --duration-ms=20 --warmup-ms=5 --no-c2c"

# cells FILE COLUMN: that column of every data row
cells() { col "$@"; }	# lib.sh
rows() { echo $(($(wc -l <"$1") - 1)); }
# the counter columns: between binding and counter_status
events() { head -1 "$1" | tr ',' '\n' | sed -n '/^binding$/,/^counter_status$/p' | sed '1d;$d'; }
whole() { csv_whole "$1"; }	# lib.sh
# run NAME ENV... -- ARGS...: dmabench with that environment into $TMP/NAME
run() {
	local name=$1
	shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$D" "$@" --out="$TMP/$name" >"$TMP/$name.out" 2>"$TMP/$name.err"
}

# --- a restricted cpuset: only PU 1 is used, and counted ---
if command -v taskset >/dev/null 2>&1 && [ "$(nproc --all)" -ge 2 ]; then
	taskset -c 1 "$D" $SHORT --threads=all --out="$TMP/ts" >"$TMP/ts.out" 2>"$TMP/ts.err"
	rc=$?
	if [ $rc -ne 0 ]; then fail taskset-run "exit $rc: $(tail -2 "$TMP/ts.err")"
	elif [ "$(cells "$TMP/ts/results.csv" cpus | sort -u)" != 1 ]; then
		fail taskset-run "cpus column: $(cells "$TMP/ts/results.csv" cpus | sort -u | tr '\n' ' ')"
	elif [ "$(cells "$TMP/ts/results.csv" threads | sort -u)" != 1 ]; then
		fail taskset-run "threads=all under taskset -c 1 gave $(cells "$TMP/ts/results.csv" threads | sort -u | tr '\n' ' ')"
	elif [ "$(cells "$TMP/ts/results.csv" binding | sort -u)" != bound+mem-bound ] &&
	     [ "$(cells "$TMP/ts/results.csv" binding | sort -u)" != bound+mem-unbound ]; then
		fail taskset-run "binding: $(cells "$TMP/ts/results.csv" binding | sort -u)"
	elif ! grep -qx 'allowed_pus: 1 (1)' "$TMP/ts/machine.txt"; then
		fail taskset-run "machine.txt: $(grep '^allowed_pus' "$TMP/ts/machine.txt")"
	else
		pass taskset-run
	fi
	expect_usage_error taskset-two-threads-refused --threads \
		taskset -c 1 "$D" $SHORT --threads=2 --out="$TMP/ts2"
	[ ! -e "$TMP/ts2" ] && pass taskset-refused-writes-nothing || fail taskset-refused-writes-nothing "a run directory was made"
	# oversubscribed on the one PU: both threads on PU 1, every row marked
	taskset -c 1 "$D" $SHORT --threads=2 --oversubscribe --out="$TMP/ts3" >"$TMP/ts3.out" 2>"$TMP/ts3.err"
	rc=$?
	if [ $rc -ne 0 ]; then fail taskset-oversubscribed "exit $rc: $(tail -2 "$TMP/ts3.err")"
	elif [ "$(cells "$TMP/ts3/results.csv" cpus | sort -u)" != 1+1 ]; then
		fail taskset-oversubscribed "cpus: $(cells "$TMP/ts3/results.csv" cpus | sort -u | tr '\n' ' ')"
	elif cells "$TMP/ts3/results.csv" flags | grep -qv oversubscribed; then
		fail taskset-oversubscribed "a row without oversubscribed: $(cells "$TMP/ts3/results.csv" flags | tr '\n' ' ')"
	else
		pass taskset-oversubscribed
	fi
fi

# --- more threads than PUs: refused, or with --oversubscribe marked in every row ---
pus=$(nproc)
expect_usage_error too-many-threads-refused --threads "$D" $SHORT --threads=$((pus + 1)) --out="$TMP/many"
[ ! -e "$TMP/many" ] && pass too-many-threads-writes-nothing || fail too-many-threads-writes-nothing "a run directory was made"
run over -- $SHORT --threads=$((pus + 1)) --oversubscribe
rc=$?
if [ $rc -ne 0 ]; then fail oversubscribe-run "exit $rc: $(tail -2 "$TMP/over.err")"
elif [ "$(rows "$TMP/over/results.csv")" -ne 2 ]; then fail oversubscribe-run "$(rows "$TMP/over/results.csv") rows, want 2"
elif cells "$TMP/over/results.csv" flags | grep -qv '\boversubscribed\b'; then
	fail oversubscribe-run "a row without oversubscribed: $(cells "$TMP/over/results.csv" flags | tr '\n' ' ')"
elif cells "$TMP/over/summary.csv" flags | grep -qv '\boversubscribed\b'; then
	fail oversubscribe-run "a summary row without oversubscribed"
else
	pass oversubscribe-run
fi

# --- no counters at all (perf_event_open refused: perf_event_paranoid 4) ---
run nopmu DMABENCH_PMU_DENY=1 -- $SHORT --threads=1
rc=$?
csv=$TMP/nopmu/results.csv
if [ $rc -ne 0 ]; then fail pmu-denied-run "exit $rc: $(tail -2 "$TMP/nopmu.err")"
elif ! whole "$csv"; then fail pmu-denied-run "results.csv not whole"
else
	bad=""
	for c in $(events "$csv"); do
		v=$(cells "$csv" "$c" | sort -u)
		[ -z "$v" ] || bad="$bad $c=$v"
	done
	st=$(cells "$csv" counter_status | tr ';' '\n' | sed 's/^[^:]*://' | sort -u)
	nev=$(events "$csv" | wc -l)
	if [ "$nev" -lt 1 ]; then fail pmu-denied-run "no event columns"
	elif [ -n "$bad" ]; then fail pmu-denied-run "counter cells not empty:$bad"
	elif [ "$st" != "unavailable(EACCES)" ]; then fail pmu-denied-run "counter_status: $st"
	else pass pmu-denied-run; fi
fi
# kernel counting refused (perf_event_paranoid 2, as for most users): user-only
# figures or unavailable, and an empty cell exactly where unavailable
run pmukernel DMABENCH_PMU_DENY=kernel -- $SHORT --threads=1
rc=$?
csv=$TMP/pmukernel/results.csv
if [ $rc -ne 0 ]; then fail pmu-kernel-denied-run "exit $rc: $(tail -2 "$TMP/pmukernel.err")"
else
	bad=$(awk -F, -v s="$(colnum "$csv" counter_status)" -v b="$(colnum "$csv" binding)" 'NR == 1 { for (i = b + 1; i < s; i++) name[i] = substr($i, 1, length($i) - 7); next }
		{ n = split($s, st, ";"); for (k = 1; k <= n; k++) { split(st[k], kv, ":"); status[kv[1]] = kv[2] }
		  for (i in name) { u = (status[name[i]] ~ /^unavailable/)
			if (u && $i != "") print name[i] "=" $i " but " status[name[i]]
			if (!u && $i == "") print name[i] " empty but " status[name[i]] } }' "$csv")
	grep -q 'task_clock:ok(user-only)' "$csv" || bad="$bad task_clock not user-only: $(cells "$csv" counter_status | head -1)"
	grep -q 'context_switches:unavailable(EACCES)' "$csv" || bad="$bad context_switches not unavailable(EACCES)"
	[ -z "$bad" ] && pass pmu-kernel-denied-run || fail pmu-kernel-denied-run "$bad"
fi

# --- threads that cannot be bound: recorded per row, fatal only with --strict-binding ---
run nobind DMABENCH_FAIL_BIND=1 -- $SHORT --threads=2
rc=$?
csv=$TMP/nobind/results.csv
if [ $rc -ne 0 ]; then fail bind-failure-recorded "exit $rc: $(tail -2 "$TMP/nobind.err")"
elif [ "$(rows "$csv")" -ne 2 ]; then fail bind-failure-recorded "$(rows "$csv") rows, want 2"
elif [ "$(cells "$csv" binding | sed 's/+mem-.*//' | sort -u)" != failed:2 ]; then
	fail bind-failure-recorded "binding: $(cells "$csv" binding | sort -u | tr '\n' ' ')"
elif cells "$csv" flags | grep -qv binding-failed; then
	fail bind-failure-recorded "a row without binding-failed: $(cells "$csv" flags | tr '\n' ' ')"
elif ! grep -qx 'status: complete' "$TMP/nobind/machine.txt"; then
	fail bind-failure-recorded "machine.txt: $(grep '^status' "$TMP/nobind/machine.txt")"
else
	pass bind-failure-recorded
fi
run strictbind DMABENCH_FAIL_BIND=1 -- $SHORT --threads=2 --strict-binding
rc=$?
errs=$(grep -v '^\[' "$TMP/strictbind.err" | grep -v '^dmabench: one NUMA node')
if [ $rc -ne 1 ]; then fail strict-binding-fatal "exit $rc, want 1: $errs"
elif [ "$(echo "$errs" | wc -l)" -ne 1 ] || ! echo "$errs" | grep -q 'binding failed (--strict-binding)'; then
	fail strict-binding-fatal "want one line about the binding, got: $errs"
elif ! whole "$TMP/strictbind/results.csv" || [ "$(rows "$TMP/strictbind/results.csv")" -ne 0 ]; then
	fail strict-binding-fatal "results.csv: $(cat "$TMP/strictbind/results.csv" | head -3)"
elif ! grep -qx 'status: failed' "$TMP/strictbind/machine.txt"; then
	fail strict-binding-fatal "machine.txt: $(grep '^status' "$TMP/strictbind/machine.txt")"
else
	pass strict-binding-fatal
fi
# the hook is off for "0"
run bindok DMABENCH_FAIL_BIND=0 -- $SHORT --threads=1
[ "$(cells "$TMP/bindok/results.csv" binding | sed 's/+mem-.*//' | sort -u)" = bound ] &&
	pass bind-hook-off || fail bind-hook-off "binding: $(cells "$TMP/bindok/results.csv" binding | sort -u)"

# --- model memory that cannot be had (model_fail_alloc_after through the driver) ---
# at once: the first world cannot be built; later: some windows first
for n in 0 50 1000; do
	run "alloc-$n" DMABENCH_FAIL_ALLOC_AFTER=$n -- --scenario=lookup,map-unmap --strategy=none,refcount \
		--threads=1,2 --reps=2 --duration-ms=5 --warmup-ms=0 --no-c2c
	rc=$?
	dir=$TMP/alloc-$n
	errs=$(grep -v '^\[' "$TMP/alloc-$n.err" | grep -v '^dmabench: one NUMA node')
	keys_r=$(awk -F, 'NR > 1 { print $4, $5, $6, $7, $8, $9, $10, $11 }' "$dir/results.csv" | sort -u)
	keys_s=$(awk -F, 'NR > 1 { print $4, $5, $6, $7, $8, $9, $10, $11 }' "$dir/summary.csv" | sort -u)
	if [ $rc -ne 1 ]; then fail "alloc-failure-$n" "exit $rc, want 1: $errs"
	elif [ "$(echo "$errs" | wc -l)" -ne 1 ] || ! echo "$errs" | grep -q '^dmabench: .*: Cannot allocate memory$'; then
		fail "alloc-failure-$n" "want one line naming the failure, got: $errs"
	elif ! whole "$dir/results.csv" || ! whole "$dir/summary.csv"; then
		fail "alloc-failure-$n" "a CSV is not whole"
	elif [ "$keys_r" != "$keys_s" ]; then
		fail "alloc-failure-$n" "summary.csv configurations differ from results.csv's"
	elif ! grep -qx 'status: failed' "$dir/machine.txt"; then
		fail "alloc-failure-$n" "machine.txt: $(grep '^status' "$dir/machine.txt")"
	else
		pass "alloc-failure-$n"
	fi
done
[ "$(rows "$TMP/alloc-0/results.csv")" -eq 0 ] && [ "$(rows "$TMP/alloc-1000/results.csv")" -gt 0 ] &&
	pass alloc-failure-keeps-earlier-rows ||
	fail alloc-failure-keeps-earlier-rows "rows: $(rows "$TMP/alloc-0/results.csv") at 0, $(rows "$TMP/alloc-1000/results.csv") at 1000"
# a window whose maps fail is flagged, never a clean figure
if cells "$TMP/alloc-50/results.csv" flags | grep -q failed-calls ||
   [ "$(rows "$TMP/alloc-50/results.csv")" -eq 0 ]; then pass alloc-failed-calls-flagged; else
	fail alloc-failed-calls-flagged "rows without failed-calls: $(cells "$TMP/alloc-50/results.csv" flags | tr '\n' ' ')"; fi

# --- a run directory is never reused: two runs in the same second get two directories ---
run mid -- $SHORT --threads=1
m=$(cells "$TMP/mid/results.csv" machine | head -1)
mkdir -p "$TMP/cwd"
now=$(date +%s)
for ((t = now - 1; t <= now + 5; t++)); do
	mkdir -p "$TMP/cwd/results/$m/$(date -u -d "@$t" +%Y%m%dT%H%M%SZ)"
done
(cd "$TMP/cwd" && "$D" $SHORT --threads=1 >"$TMP/same.out" 2>"$TMP/same.err")
rc=$?
new=$(cd "$TMP/cwd/results/$m" && ls | grep -- '-2$')
if [ $rc -ne 0 ]; then fail same-second-new-dir "exit $rc: $(tail -1 "$TMP/same.err")"
elif [ "$(echo "$new" | grep -c .)" -ne 1 ]; then fail same-second-new-dir "directories: $(ls "$TMP/cwd/results/$m" | tr '\n' ' ')"
elif [ "$(cells "$TMP/cwd/results/$m/$new/results.csv" run_id | sort -u)" != "$new" ]; then
	fail same-second-new-dir "run_id $(cells "$TMP/cwd/results/$m/$new/results.csv" run_id | sort -u) in $new"
elif [ -n "$(find "$TMP/cwd/results/$m" -mindepth 2 ! -path "*/$new/*")" ]; then
	fail same-second-new-dir "wrote into an existing run directory"
else
	pass same-second-new-dir
fi
