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

# --- a process stopped from 0.6 s to 2.1 s, across the end of its 1 s window
# (which starts within 0.5 s): flagged desched and overran ---
"$D" "${ONE[@]}" --duration-ms=1000 --warmup-ms=20 --out="$TMP/stop" >"$TMP/stop.out" 2>"$TMP/stop.err" &
pid=$!
sleep 0.6
kill -STOP "$pid"
sleep 1.5
kill -CONT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -ne 0 ]; then
	fail sigstop-run "exit $rc: $(head -c 300 "$TMP/stop.err")"
else
	f=$(cells "$TMP/stop/results.csv" flags)
	case $f in *desched*) pass sigstop-window-desched ;; *) fail sigstop-window-desched "flags '$f'" ;; esac
	case $f in *overran*) pass sigstop-window-overran ;; *) fail sigstop-window-overran "flags '$f'" ;; esac
	f=$(cells "$TMP/stop/summary.csv" flags)
	case $f in *desched*overran*) pass sigstop-summary-flags ;; *) fail sigstop-summary-flags "flags '$f'" ;; esac
	grep -q '^flagged windows: 1 of 1 ' "$TMP/stop.out" && pass sigstop-count-printed ||
		fail sigstop-count-printed "$(grep -i flagged "$TMP/stop.out")"
fi
