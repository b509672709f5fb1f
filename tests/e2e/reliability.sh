#!/usr/bin/env bash
# Issue 13's reliability points, as a user meets them: a window the
# scheduler took (SIGSTOP) is flagged; write failures after start-up end
# the run with exit 1 and status failed; files in a run directory are
# written through temp names, never through a planted symlink.
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
unset HWLOC_SYNTHETIC HWLOC_XMLFILE HWLOC_FSROOT TOPO_ALLOWED
ONE=(--scenario=lookup --strategy=none --threads=1 --reps=1 --no-c2c --events=none)
cells() { awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } { print $c }' "$1"; }

# --- a process stopped across the end of a window: flagged desched and
# overran. Two 1 s windows; the stop comes 0.3 s after the first row is
# written (so inside the second window, whatever the start-up took) and
# lasts 1.5 s, past that window's deadline. ---
"$D" "${ONE[@]}" --reps=2 --duration-ms=1000 --warmup-ms=20 --out="$TMP/stop" >"$TMP/stop.out" 2>"$TMP/stop.err" &
pid=$!
for _ in $(seq 200); do [ "$({ wc -l <"$TMP/stop/results.csv"; } 2>/dev/null || echo 0)" -ge 2 ] && break; sleep 0.05; done
sleep 0.3
kill -STOP "$pid"
sleep 1.5
kill -CONT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -ne 0 ]; then
	fail sigstop-run "exit $rc: $(head -c 300 "$TMP/stop.err")"
else
	f=$(cells "$TMP/stop/results.csv" flags | tail -n 1)
	case $f in *desched*) pass sigstop-window-desched ;; *) fail sigstop-window-desched "flags '$f'" ;; esac
	case $f in *overran*) pass sigstop-window-overran ;; *) fail sigstop-window-overran "flags '$f'" ;; esac
	f=$(cells "$TMP/stop/summary.csv" flags)
	case $f in *desched*overran*) pass sigstop-summary-flags ;; *) fail sigstop-summary-flags "flags '$f'" ;; esac
	grep -q '^flagged windows: [12] of 2 ' "$TMP/stop.out" && pass sigstop-count-printed ||
		fail sigstop-count-printed "$(grep -i flagged "$TMP/stop.out")"
fi

# --- write failures after start-up: exit 1, one line naming the file and
# its errno, status failed where machine.txt can still be written, no temp
# files, no "run directory:" line for a run that did not write its results ---
MANY=(--scenario=lookup --strategy=none --threads=1 --no-c2c --events=none --duration-ms=20 --warmup-ms=5 --reps=60)
# wait_rows DIR: until results.csv has a row (at most 10 s)
wait_rows() { for _ in $(seq 100); do [ "$({ wc -l <"$1/results.csv"; } 2>/dev/null || echo 0)" -ge 2 ] && return 0; sleep 0.1; done; return 1; }
one_line() {	# NAME PATTERN: exit 1, one stderr line matching PATTERN, no "run directory:"
	local name=$1 pat=$2 rc=$3 lines
	lines=$(grep -vc '^dmabench: note\|^dmabench: [a-z-]* PU\|arena' "$TMP/w.err")
	if [ "$rc" -ne 1 ]; then fail "$name" "exit $rc, want 1: $(head -c 300 "$TMP/w.err")"
	elif ! grep -q -- "$pat" "$TMP/w.err"; then fail "$name" "no '$pat' line: $(head -c 300 "$TMP/w.err")"
	elif [ "$(grep -c 'cannot write' "$TMP/w.err")" -ne 1 ]; then fail "$name" "want one 'cannot write' line: $(cat "$TMP/w.err")"
	elif grep -q '^run directory:' "$TMP/w.out"; then fail "$name" "prints run directory: for a failed run"
	else pass "$name"; fi
}

# the run directory removed mid-run
"$D" "${MANY[@]}" --out="$TMP/gone" >"$TMP/w.out" 2>"$TMP/w.err" &
pid=$!
wait_rows "$TMP/gone"
rm -rf "$TMP/gone"
wait "$pid"
one_line write-dir-removed "cannot write $TMP/gone: No such file or directory" $?
[ ! -e "$TMP/gone" ] && pass write-dir-removed-not-remade || fail write-dir-removed-not-remade "$(ls -A "$TMP/gone")"

# removed and made again: not our directory any more, nothing written into it
"$D" "${MANY[@]}" --out="$TMP/again" >"$TMP/w.out" 2>"$TMP/w.err" &
pid=$!
wait_rows "$TMP/again"
rm -rf "$TMP/again"
mkdir "$TMP/again"
wait "$pid"
one_line write-dir-remade "cannot write $TMP/again: \\(the run directory was removed\\|No such file\\)" $?
[ -z "$(ls -A "$TMP/again")" ] && pass write-dir-remade-left-alone ||
	fail write-dir-remade-left-alone "$(ls -A "$TMP/again")"

# a file-size limit (as a full disk: writes fail, EFBIG here): the first
# file over 4 KiB (topology.xml, else results.csv) fails, machine.txt (under
# 4 KiB) still says failed
( trap '' XFSZ; ulimit -f 4; exec "$D" "${MANY[@]}" --out="$TMP/full" ) >"$TMP/w.out" 2>"$TMP/w.err"
one_line write-file-too-large "cannot write $TMP/full/\\(topology.xml\\|results.csv\\): File too large" $?
grep -qx 'status: failed' "$TMP/full/machine.txt" && pass write-failed-status ||
	fail write-failed-status "$(grep status "$TMP/full/machine.txt")"
ls -a "$TMP/full" | grep -q 'tmp' && fail write-failed-no-temp "$(ls -a "$TMP/full")" || pass write-failed-no-temp
[ ! -e "$TMP/full/summary.csv" ] && pass write-failed-no-summary || fail write-failed-no-summary "summary.csv written after a failed row"

# a read-only run directory (root ignores modes: as root, the run is made
# as user nobody through setpriv when it can be)
AS=()
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1 && getent passwd nobody >/dev/null 2>&1; then
		chmod 755 "$TMP"
		mkdir "$TMP/rw"
		chown nobody "$TMP/rw"
		AS=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
	else
		AS=(skip)
	fi
fi
if [ "${AS[0]:-}" != skip ]; then
	ro=$TMP/rw/ro
	[ "$(id -u)" -eq 0 ] || { mkdir -p "$TMP/rw"; }
	"${AS[@]}" "$D" "${MANY[@]}" --out="$ro" >"$TMP/w.out" 2>"$TMP/w.err" &
	pid=$!
	wait_rows "$ro"
	chmod a-w "$ro"
	wait "$pid"
	one_line write-dir-read-only "cannot write $ro/host_canary.csv: Permission denied" $?
	grep -qx 'status: failed' "$ro/machine.txt" && pass write-read-only-status-patched ||
		fail write-read-only-status-patched "$(grep -A1 status "$ro/machine.txt")"
	ls -a "$ro" | grep -q 'tmp' && fail write-read-only-no-temp "$(ls -a "$ro")" || pass write-read-only-no-temp
	chmod u+w "$ro"
else
	echo "# root without setpriv: the read-only directory case needs another user"
fi

# --- symlinks planted in the run directory are replaced, never written through ---
echo victim >"$TMP/victim"
"$D" "${MANY[@]}" --reps=15 --out="$TMP/link" >"$TMP/w.out" 2>"$TMP/w.err" &
pid=$!
wait_rows "$TMP/link"
ln -sf "$TMP/victim" "$TMP/link/machine.txt"
ln -s "$TMP/victim" "$TMP/link/.machine.txt.tmp"	# the old fixed temp name
ln -s "$TMP/victim" "$TMP/link/summary.csv"
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] && [ "$(cat "$TMP/victim")" = victim ] && pass symlink-target-untouched ||
	fail symlink-target-untouched "exit $rc, victim now: $(head -c 100 "$TMP/victim")"
[ -f "$TMP/link/machine.txt" ] && [ ! -L "$TMP/link/machine.txt" ] && grep -qx 'status: complete' "$TMP/link/machine.txt" &&
	pass symlink-machine-replaced || fail symlink-machine-replaced "$(ls -l "$TMP/link")"

# the second-signal patch of machine.txt does not follow a link either
echo victim >"$TMP/victim"
"$D" "${MANY[@]}" --out="$TMP/link2" >"$TMP/w.out" 2>"$TMP/w.err" &
pid=$!
wait_rows "$TMP/link2"
ln -sf "$TMP/victim" "$TMP/link2/machine.txt"
kill -INT "$pid"; kill -INT "$pid"
wait "$pid"
[ "$(cat "$TMP/victim")" = victim ] && pass second-signal-no-follow ||
	fail second-signal-no-follow "victim now: $(head -c 100 "$TMP/victim")"
