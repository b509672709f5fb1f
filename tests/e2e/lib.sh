# tests/e2e/lib.sh — sourced by every tests/e2e/*.sh.
# pass NAME / fail NAME WHY print the lines tests/run.sh counts.
# $DMABENCH is the driver under test, $TMP a scratch dir removed at exit.
set -u
BUILD=${BUILD:-build}
DMABENCH=${DMABENCH:-$BUILD/dmabench}
# absolute, so a test may cd elsewhere
case $DMABENCH in /*) ;; *) DMABENCH=$PWD/$DMABENCH ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dmabench-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# expect_exit NAME WANT_RC CMD... : runs CMD, checks its exit status.
expect_exit() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then pass "$name"; else
		fail "$name" "exit $rc, want $want: $(head -c 300 "$TMP/err")"; fi
}

# expect_usage_error NAME FLAG CMD... : exit 2 and one stderr line naming FLAG.
expect_usage_error() {
	local name=$1 flag=$2 rc lines
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	lines=$(wc -l <"$TMP/err")
	if [ "$rc" -ne 2 ]; then
		fail "$name" "exit $rc, want 2: $(head -c 300 "$TMP/err")"
	elif [ "$lines" -ne 1 ]; then
		fail "$name" "want one line on stderr, got $lines: $(head -c 300 "$TMP/err")"
	elif ! grep -q -- "$flag" "$TMP/err"; then
		fail "$name" "message does not name $flag: $(cat "$TMP/err")"
	else
		pass "$name"
	fi
}
