#!/usr/bin/env bash
# Runs every unit test program ($BUILD/tests/test_*) and every end-to-end
# script (tests/e2e/*.sh but lib.sh) under prove: each prints TAP. Then the
# count of every file (passed, failed, seconds), the failed tests with their
# diagnostics, and last the line "N passed, N failed" (CI reads it); exit 1 on
# any failure. A program that breaks its plan or exits with anything but 0
# (or 1 after a "not ok") is reported as a crash or a timeout (TEST_TIMEOUT
# seconds, 600 by default), and counts as one failure if it printed no
# "not ok". Each program's output, stdout and stderr, is kept in
# $BUILD/test-logs/NAME.log, its TAP alone in NAME.tap. PROVE_FLAGS adds
# prove options (-j2, --timer).
#
# tests/run.sh --one FILE is how prove runs one of them (its --exec): under
# timeout, stdout to prove and the logs, stderr to the log only.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD DMABENCH=$BUILD/dmabench
LOG=$BUILD/test-logs

# log_name FILE: build/tests/test_iova -> test_iova, tests/e2e/cli.sh -> e2e-cli
log_name() {
	case $1 in
	*.sh) echo "e2e-$(basename "$1" .sh)" ;;
	*) basename "$1" ;;
	esac
}

if [ "${1:-}" = --one ]; then
	t=$2 name=$(log_name "$2")
	log=$LOG/$name.log tap=$LOG/$name.tap
	: >"$log"
	: >"$tap"
	start=$(date +%s)
	case $t in
	*.sh) cmd=(bash "$t") ;;
	*) cmd=("$t") ;;
	esac
	timeout "${TEST_TIMEOUT:-600}" "${cmd[@]}" 2>>"$log" | tee -a "$log" "$tap"
	rc=${PIPESTATUS[0]}
	why="exited $rc"
	[ "$rc" -eq 124 ] && why="timed out after ${TEST_TIMEOUT:-600}s"
	[ "$rc" -gt 128 ] && [ "$rc" -ne 255 ] && why="killed by signal $((rc - 128))"
	echo "$rc $(( $(date +%s) - start )) $why" >"$LOG/$name.rc"
	[ "$rc" -eq 0 ] || echo "# $t: $why; log: $log" | tee -a "$log"
	exit "$rc"
fi

mkdir -p "$LOG"
rm -f "$LOG"/*.log "$LOG"/*.tap "$LOG"/*.rc
files=()
for t in "$BUILD"/tests/test_*; do
	case $t in *.o|*.d) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] && files+=("$t")
done
for s in tests/e2e/*.sh; do
	[ "$(basename "$s")" = lib.sh ] && continue
	[ -f "$s" ] && files+=("$s")
done
if ! command -v prove >/dev/null; then
	echo "tests/run.sh: prove not found (Debian package perl: scripts/install-deps.sh)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

start=$(date +%s)
# shellcheck disable=SC2086 # PROVE_FLAGS: extra prove options, split on blanks
prove --norc ${PROVE_FLAGS:-} --exec "tests/run.sh --one" "${files[@]}"
prove_rc=$?

# per file: the counts from its TAP; a crash or a broken plan without a
# "not ok" line is one failure
passed=0 failed=0 report=
echo
for t in "${files[@]}"; do
	name=$(log_name "$t")
	tap=$LOG/$name.tap shown=${name/#e2e-/e2e/}
	read -r rc secs why 2>/dev/null <"$LOG/$name.rc" || { rc=none secs=? why="did not run"; }
	p=0 f=0 plan=
	if [ -f "$tap" ]; then
		p=$(grep -c '^ok ' "$tap")
		f=$(grep -c '^not ok ' "$tap")
		plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$tap" | head -1)
	fi
	# exit 1 is how a program says a test failed; anything else is reported
	ran=$((p + f))
	if [ "$plan" != "$ran" ] || { [ "$rc" != 0 ] && { [ "$rc" != 1 ] || [ "$f" -eq 0 ]; }; }; then
		[ "$f" -eq 0 ] && f=1
		report+="$shown: $why; $ran of ${plan:-?} tests ran; see $LOG/$name.log"$'\n'
	fi
	if [ -f "$tap" ] && grep -q '^not ok ' "$tap"; then
		# each "not ok" line and the "#" lines right after it
		report+=$(awk -v n="$shown" '/^not ok / { on = 1; print n ": " $0; next }
			on && /^#/ { print n ": " $0; next } { on = 0 }' "$tap")$'\n'
	fi
	printf '%-28s %3d passed, %d failed (%ss)\n' "$shown" "$p" "$f" "$secs"
	passed=$((passed + p))
	failed=$((failed + f))
done
if [ "$failed" -eq 0 ] && [ "$prove_rc" -ne 0 ]; then
	report+="prove exited $prove_rc with no failed test counted (see its report above)"$'\n'
	failed=1
fi
[ -n "$report" ] && printf '\nfailed:\n%s' "$report"
echo "total time $(( $(date +%s) - start ))s; logs in $LOG"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
