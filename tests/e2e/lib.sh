# tests/e2e/lib.sh — sourced by every tests/e2e/*.sh; the helpers they share.
#
# Output is TAP: pass NAME prints "ok N - NAME", fail NAME WHY prints
# "not ok N - NAME" and WHY as "# " lines with the script line that failed;
# at exit the plan "1..N", and exit status 1 if any check failed (otherwise
# the script's own). The count lives in a file, so pass and fail work from a
# subshell too. A script that needs its own cleanup at exit adds it with
# at_exit CMD (a plain `trap ... EXIT` would drop the plan and $TMP's removal).
#
# $DMABENCH is the driver under test (absolute), $TMP a scratch directory
# removed at exit; $TMP/out and $TMP/err hold the last expect_* command's
# output.
set -u
BUILD=${BUILD:-build}
DMABENCH=${DMABENCH:-$BUILD/dmabench}
# absolute, so a test may cd elsewhere
case $DMABENCH in /*) ;; *) DMABENCH=$PWD/$DMABENCH ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dmabench-e2e.XXXXXX")
case $TMP in /*) ;; *) TMP=$PWD/$TMP ;; esac
_TAP_LIB=${BASH_SOURCE[0]}
_TAP_COUNT=$TMP/.tap-count	# "tests failed", one line
_AT_EXIT=()
echo "0 0" >"$_TAP_COUNT"

_tap_next() {	# _tap_next FAILED(0/1): bumps the count, sets _TAP_N
	local n f
	read -r n f <"$_TAP_COUNT"
	_TAP_N=$((n + 1))
	echo "$_TAP_N $((f + $1))" >"$_TAP_COUNT"
}

# "# at FILE:LINE" of the script's call, and the helper's line if fail was
# called inside a function of the script
_tap_where() {
	local i outer inner=
	for ((i = 2; i < ${#BASH_SOURCE[@]}; i++)); do
		[ "${BASH_SOURCE[i]}" = "$_TAP_LIB" ] && continue
		[ -z "$inner" ] && inner="${BASH_SOURCE[i]}:${BASH_LINENO[i - 1]}"
		outer="${BASH_SOURCE[i]}:${BASH_LINENO[i - 1]}"
	done
	if [ -z "$inner" ]; then
		return
	elif [ "$inner" = "$outer" ]; then
		echo "# at $outer"
	else
		echo "# at $outer (in ${inner##*/})"
	fi
}

# a "#" in NAME would start a TAP directive (SKIP, TODO): written as "\#"
pass() { _tap_next 0; echo "ok $_TAP_N - ${1//#/\\#}"; }
fail() {
	local line
	_tap_next 1
	echo "not ok $_TAP_N - ${1//#/\\#}"
	_tap_where
	[ -n "${2:-}" ] || return 0
	while IFS= read -r line; do echo "#   $line"; done <<<"$2"
}

at_exit() { _AT_EXIT+=("$*"); }

_tap_end() {
	local rc=$? n f cmd
	for cmd in "${_AT_EXIT[@]}"; do eval "$cmd"; done
	read -r n f <"$_TAP_COUNT"
	echo "1..$n"
	rm -rf "$TMP"
	[ "$f" -eq 0 ] || exit 1
	exit "$rc"
}
trap _tap_end EXIT

# one_line_error RC WANT PATTERN [ERRFILE]: after a command that exited RC with
# its stderr in ERRFILE ($TMP/err): true when RC is WANT (or, for WANT
# "nonzero", anything but 0) and ERRFILE is one line matching PATTERN (grep);
# otherwise false, the reason in $WHY.
one_line_error() {
	local rc=$1 want=$2 pat=$3 err=${4:-$TMP/err} lines
	lines=$(wc -l <"$err")
	WHY=
	if [ "$want" = nonzero ] && [ "$rc" -eq 0 ]; then
		WHY="exit 0, want non-zero: $(head -c 300 "$err")"
	elif [ "$want" != nonzero ] && [ "$rc" -ne "$want" ]; then
		WHY="exit $rc, want $want: $(head -c 300 "$err")"
	elif [ "$lines" -ne 1 ]; then
		WHY="want one line on stderr, got $lines: $(head -c 300 "$err")"
	elif ! grep -q -- "$pat" "$err"; then
		WHY="message does not say '$pat': $(cat "$err")"
	fi
	[ -z "$WHY" ]
}

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
	local name=$1 flag=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	if one_line_error $? 2 "$flag"; then pass "$name"; else fail "$name" "$WHY"; fi
}

# fingerprint DIR: every path under DIR with its size and checksum
fingerprint() { (cd "$1" && find . -printf '%p %s\n' | sort && find . -type f -exec md5sum {} + | sort); }

# col FILE NAME: the values of column NAME (by name) of a simple CSV, one a line
col() { awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } { print $c }' "$1"; }

# colnum FILE NAME: the number (from 1) of column NAME in FILE's header
colnum() { head -1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }

# csv_whole FILE: true when FILE is non-empty, every line has the header's
# field count and it ends in a newline (no torn last row); else false, the
# reason in $WHY
csv_whole() {
	local f=$1 bad
	WHY=
	if [ ! -s "$f" ]; then
		WHY="$f missing or empty"
	elif bad=$(awk -F, 'NR == 1 { n = NF } NF != n { print NR; exit }' "$f") && [ -n "$bad" ]; then
		WHY="$(basename "$f") line $bad has another field count"
	elif [ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" != '\n' ]; then
		WHY="$(basename "$f") does not end in a newline (torn row)"
	fi
	[ -z "$WHY" ]
}
