#!/usr/bin/env bash
# make bench / make quick: run the sweep, then draw it.
#   scripts/bench.sh build/dmabench [dmabench flags...]
# The run directory is the one dmabench prints last ("run directory: DIR").
set -uo pipefail
# every number written or read (awk, gnuplot's sprintf, printf, sort -g) in
# the C locale, whatever the user's: a comma-decimal LANG corrupted usl.csv
export LC_ALL=C
bin=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
# Ctrl-C reaches the whole process group: tee ignores it, so the driver's
# summary and its "run directory:" line still reach the terminal and $log
"$bin" "$@" | (trap '' INT; exec tee "$log")
rc=${PIPESTATUS[0]}
dir=$(sed -n 's/^run directory: //p' "$log" | tail -n 1)
if [ -n "$dir" ] && [ -f "$dir/summary.csv" ]; then
	"$(dirname "$0")/plot.sh" "$dir" || echo "bench.sh: plotting $dir failed" >&2
	# the contention model's band on this run's own machine (predicted.csv,
	# plots/predict-*); a run without topology.xml or c2c.csv has none
	if [ -f "$dir/topology.xml" ] && [ -f "$dir/c2c.csv" ]; then
		"$bin" predict --run="$dir" >/dev/null || echo "bench.sh: predict on $dir failed" >&2
	fi
fi
[ -n "$dir" ] && [ "$rc" -ne 0 ] && echo "bench.sh: the run ended with status $rc; its rows are in $dir" >&2
echo "bench.sh: wall time $(( $(date +%s) - start )) s"
exit "$rc"
