#!/usr/bin/env bash
# Runs every unit test binary and every end-to-end script; counts PASS/FAIL
# lines. A program that exits non-zero without a FAIL line counts as one
# failure (a crash). Last line: "N passed, N failed"; exit 1 on any failure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD DMABENCH=$BUILD/dmabench
LOG=$BUILD/test-logs
mkdir -p "$LOG"
passed=0 failed=0
start=$(date +%s)

run_one() {
	local name=$1 log=$LOG/${1//\//-}.log rc p f
	shift
	timeout "${TEST_TIMEOUT:-600}" "$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^PASS ' "$log")
	# a unit test prints "FAIL file:line" detail lines and one "FAIL name" line;
	# count tests, not detail lines
	f=$(grep -E '^FAIL ' "$log" | grep -vcE '^FAIL [^ ]+:[0-9]+: ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: exited $rc with no FAIL line (crash or timeout); see $log"
		f=1
	fi
	grep -E '^FAIL ' "$log" | sed "s|^|$name: |"
	printf '%-28s %3d passed, %d failed (%ss)\n' "$name" "$p" "$f" "$(( $(date +%s) - t0 ))"
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	t0=$(date +%s)
	run_one "$(basename "$t")" "$t"
done
for s in tests/e2e/*.sh; do
	[ "$(basename "$s")" = lib.sh ] && continue
	[ -f "$s" ] || continue
	t0=$(date +%s)
	run_one "e2e/$(basename "$s" .sh)" bash "$s"
done
echo "total time $(( $(date +%s) - start ))s; logs in $LOG"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
