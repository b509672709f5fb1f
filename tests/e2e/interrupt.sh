#!/usr/bin/env bash
# SIGINT/SIGTERM during a sweep: the window in progress is dropped, every
# finished row is kept whole, summary.csv holds exactly the configurations
# with rows, machine.txt says "status: interrupted", exit 130/143; a second
# signal exits at once, still with whole rows only. Signals are sent at
# several points: while starting, during a warm-up, mid-window, between many
# short windows (around the row writes), and twice.
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
BASE="--scenario=lookup --strategy=none,cached --threads=1 --no-c2c"

# start NAME ARGS...: dmabench in the background, output in $TMP/NAME.*
start() {
	local name=$1
	shift
	"$D" "$@" --out="$TMP/$name" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	PID=$!
}

# wait_rows NAME K: until the progress line "[K/" is on stderr (or 60 s)
wait_rows() {
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -q "^\[$2/" "$TMP/$1.err" 2>/dev/null && return 0
		kill -0 "$PID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# progress count: the last "[k/N]" line (0 if none)
progress() {
	local k
	k=$(sed -n 's/^\[\([0-9]*\)\/.*/\1/p' "$TMP/$1.err" | tail -1)
	echo "${k:-0}"
}

# whole NAME FILE: csv_whole FILE, or fail NAME with the reason
whole() { csv_whole "$2" || { fail "$1" "$WHY"; return 1; }; }

# keys FILE: the configuration key columns of every row, sorted, one line each
keys() {
	local f=$1
	awk -F, -v a="$(colnum "$f" scenario)" -v b="$(colnum "$f" threads)" \
		'NR > 1 { k = $a; for (i = a + 1; i <= b; i++) k = k "," $i; print k }' "$f" | sort
}

# keys_of FILE: the same for the data rows on stdin (unsorted), columns named by FILE's header
keys_of() {
	awk -F, -v a="$(colnum "$1" scenario)" -v b="$(colnum "$1" threads)" \
		'{ k = $a; for (i = a + 1; i <= b; i++) k = k "," $i; print k }'
}

# check_interrupted NAME RC WANT_RC [ROWS]: the run directory after a first signal
check_interrupted() {
	local name=$1 rc=$2 want=$3 rows=${4:-} dir=$TMP/$1 got k
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, want $want: $(tail -2 "$TMP/$name.err")"; return
	fi
	whole "$name" "$dir/results.csv" || return
	whole "$name" "$dir/summary.csv" || return
	got=$(($(wc -l <"$dir/results.csv") - 1))
	k=$(progress "$name")
	if [ "$got" -ne "$k" ]; then
		fail "$name" "$got rows, but the progress said $k windows finished"; return
	fi
	if [ -n "$rows" ] && [ "$got" -ne "$rows" ]; then
		fail "$name" "$got rows, want $rows"; return
	fi
	# summary: exactly the configurations with rows, reps = their row count
	if [ "$(keys "$dir/results.csv" | uniq)" != "$(keys "$dir/summary.csv")" ]; then
		fail "$name" "summary.csv configurations differ from results.csv's: $(diff <(keys "$dir/results.csv" | uniq) <(keys "$dir/summary.csv") | grep '^[<>]' | head -3 | tr '\n' ' ')"
		return
	fi
	if [ "$(keys "$dir/results.csv" | uniq -c | awk '{ print $2, $1 }')" != \
	     "$(paste -d' ' <(awk -F, 'NR > 1' "$dir/summary.csv" | keys_of "$dir/summary.csv") \
		<(awk -F, -v r="$(colnum "$dir/summary.csv" reps)" 'NR > 1 { print $r }' "$dir/summary.csv") | sort)" ]; then
		fail "$name" "summary.csv reps do not match the rows per configuration"; return
	fi
	if ! grep -qx 'status: interrupted' "$dir/machine.txt"; then
		fail "$name" "machine.txt: $(grep '^status' "$dir/machine.txt")"; return
	fi
	if ls -A "$dir" | grep -qE 'tmp|^\.results\.json'; then
		fail "$name" "temporary files left: $(ls -A "$dir" | tr '\n' ' ')"; return
	fi
	# results.json: whole, says interrupted, one iteration entry per row
	if ! python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
its = [b for b in d["benchmarks"] if b["run_type"] == "iteration"]
sys.exit(0 if d["context"]["dmabench_status"] == "interrupted" and len(its) == int(sys.argv[2]) else 1)' "$dir/results.json" "$got" 2>/dev/null; then
		fail "$name" "results.json missing, torn, or not the rows: $(head -c 200 "$dir/results.json" 2>&1)"; return
	fi
	if ! grep -q "^dmabench: interrupted by SIG.*: $got of [0-9]* windows measured" "$TMP/$name.err"; then
		fail "$name" "no 'interrupted' line on stderr: $(tail -1 "$TMP/$name.err")"; return
	fi
	pass "$name"
}

# 1. during the first window's warm-up: no row, empty summary, still a whole run directory
start warmup-first $BASE --reps=1 --warmup-ms=3000 --duration-ms=50
sleep 1
kill -INT $PID; wait $PID
check_interrupted warmup-first $? 130 0

# 2. during a later window's warm-up (SIGTERM: 143)
start warmup-later $BASE --reps=2 --warmup-ms=1500 --duration-ms=20
wait_rows warmup-later 1 && sleep 0.4
kill -TERM $PID; wait $PID
check_interrupted warmup-later $? 143 1

# 3. mid-window: the window in progress is dropped, the finished ones kept
start mid-window $BASE --reps=3 --warmup-ms=0 --duration-ms=1000
wait_rows mid-window 2 && sleep 0.5
kill -INT $PID; wait $PID
check_interrupted mid-window $? 130 2

# 4. among many short windows, so the signal lands around row writes and
# window set-up; several times, at different moments
for t in 0.2 0.4 0.6 0.8 1.0; do
	start "short-$t" --scenario=lookup,map-unmap --threads=1,2 --reps=20 --warmup-ms=0 --duration-ms=1 --no-c2c
	wait_rows "short-$t" 1
	sleep "$t"
	kill -INT $PID; wait $PID
	rc=$?
	if [ $rc -eq 0 ]; then
		fail "short-$t" "the sweep finished before the signal: make it longer"
	else
		check_interrupted "short-$t" $rc 130
	fi
done

# 5. at start-up, with the c2c pass: whatever it was doing, the files are whole
start startup $BASE --reps=1 --warmup-ms=500 --duration-ms=50
sleep 0.15
kill -INT $PID; wait $PID
rc=$?
if [ ! -d "$TMP/startup" ]; then
	# killed before the run directory existed (default action or early exit): nothing written
	[ $rc -eq 130 ] && pass startup || fail startup "exit $rc, no run directory"
else
	check_interrupted startup $rc 130 0
fi
start startup-c2c --scenario=lookup --strategy=none --threads=1 --reps=1 --warmup-ms=500 --duration-ms=50
sleep 0.3
kill -INT $PID; wait $PID
rc=$?
if [ -d "$TMP/startup-c2c" ]; then check_interrupted startup-c2c $rc 130; else
	[ $rc -eq 130 ] && pass startup-c2c || fail startup-c2c "exit $rc"; fi

# 6. a second signal exits at once: whole rows, machine.txt says so, no summary needed
start second $BASE --reps=3 --warmup-ms=0 --duration-ms=2000
wait_rows second 1 && sleep 0.3
kill -INT $PID; kill -TERM $PID; wait $PID
rc=$?
dir=$TMP/second
if [ $rc -ne 130 ] && [ $rc -ne 143 ]; then
	fail second-signal "exit $rc, want 130 or 143"
elif ! whole second-signal "$dir/results.csv"; then
	:
elif [ "$(($(wc -l <"$dir/results.csv") - 1))" -ne 1 ]; then
	fail second-signal "$(($(wc -l <"$dir/results.csv") - 1)) rows, want 1"
elif ! grep -qx 'status: interrupted' "$dir/machine.txt" ||
     ! grep -q '^exit: at once, on a second signal' "$dir/machine.txt"; then
	fail second-signal "machine.txt: $(tail -2 "$dir/machine.txt" | tr '\n' ' ')"
elif [ -e "$dir/results.json" ] && ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$dir/results.json" 2>/dev/null; then
	fail second-signal "results.json torn"
else
	pass second-signal
fi

# 7. SIGHUP (a dropped terminal or ssh session) ends the sweep the same way, 129;
# under nohup (SIGHUP ignored from the start) the sweep goes on to the end
start hangup $BASE --reps=2 --warmup-ms=0 --duration-ms=500
wait_rows hangup 1 && sleep 0.2
kill -HUP $PID; wait $PID
check_interrupted hangup $? 129 1
nohup "$D" $BASE --reps=1 --warmup-ms=0 --duration-ms=300 --out="$TMP/nohup" >"$TMP/nohup.out" 2>"$TMP/nohup.err" &
PID=$!
for ((i = 0; i < 600; i++)); do grep -q '^\[1/' "$TMP/nohup.err" 2>/dev/null && break; sleep 0.05; done
kill -HUP $PID; wait $PID
rc=$?
if [ $rc -eq 0 ] && grep -qx 'status: complete' "$TMP/nohup/machine.txt" &&
   [ "$(($(wc -l <"$TMP/nohup/results.csv") - 1))" -eq 2 ]; then pass nohup-keeps-running; else
	fail nohup-keeps-running "exit $rc: $(grep '^status' "$TMP/nohup/machine.txt" 2>/dev/null)"; fi

# 8. the first signal says what happens next, on stderr
grep -q '^dmabench: interrupted: finishing up (signal again to exit at once)$' "$TMP/mid-window.err" &&
	pass first-signal-says-so || fail first-signal-says-so "$(grep -v '^\[' "$TMP/mid-window.err" | tr '\n' ' ')"

# 9. soak: interrupted, says so, 130
"$D" --soak=120s >"$TMP/soak.out" 2>"$TMP/soak.err" &
PID=$!
for ((i = 0; i < 600; i++)); do grep -q '^strategy ' "$TMP/soak.out" && break; sleep 0.05; done
sleep 1
kill -INT $PID; wait $PID
rc=$?
if [ $rc -eq 130 ] && grep -q '^soak: .*(interrupted)$' "$TMP/soak.out"; then pass soak-interrupted; else
	fail soak-interrupted "exit $rc: $(tail -2 "$TMP/soak.out" | tr '\n' ' ')"; fi
