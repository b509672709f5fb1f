#!/usr/bin/env bash
# scripts/ab.sh [-k K] OUT_DIR 'COMMAND_A' 'COMMAND_B' [COMPARE_FLAG...] —
# two sweeps compared in blocks, for a host whose level moves over seconds to
# minutes (a cloud VM: METHODOLOGY §4 "A seventh time"). Takes K (default
# 10, at most 256) blocks, each a run of COMMAND_A and a run of COMMAND_B one right after
# the other, in the order A B, B A, A B, ... (a steady drift favours
# neither), each run with `--out=OUT_DIR/aK` or `OUT_DIR/bK` added; then
# `dmabench compare --blocks OUT_DIR/a1 OUT_DIR/b1 ... --out=OUT_DIR/compare.csv
# COMPARE_FLAG...`, whose exit status it returns (--fail-on=slower gates a
# change). Short runs make short blocks: `--quick --reps=6` runs take 5-30 s
# on the 2-vCPU VM. For example, a build against the one before it:
#   scripts/ab.sh /tmp/ab 'old/build/dmabench --quick --reps=6' \
#                         'build/dmabench --quick --reps=6' --fail-on=slower
# A run that fails stops the series (exit 1). Environment: DMABENCH, the
# dmabench whose compare judges (default build/dmabench); AB_NO_COMPARE=1
# takes the runs only (exit 0). A directory OUT_DIR/xK that already holds
# results.csv is kept, not taken again (a series cut short goes on).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
k=10
if [ "${1:-}" = -k ]; then
	k=${2:-}
	shift 2
fi
case $k in '' | *[!0-9]* | 0 | 1) echo "ab.sh: -k: expected a whole number of blocks, 2 to 256, got '$k'" >&2; exit 2 ;; esac
[ "$k" -le 256 ] || { echo "ab.sh: -k: expected a whole number of blocks, 2 to 256 (what compare --blocks takes), got '$k'" >&2; exit 2; }
[ $# -ge 3 ] || { echo "usage: scripts/ab.sh [-k K] OUT_DIR 'COMMAND_A' 'COMMAND_B' [COMPARE_FLAG...]" >&2; exit 2; }
out=$1 cmd_a=$2 cmd_b=$3
shift 3
bin=${DMABENCH:-$here/../build/dmabench}
mkdir -p "$out" || exit 1

take() {	# take a|b BLOCK
	local dir=$out/$1$2 cmd
	[ "$1" = a ] && cmd=$cmd_a || cmd=$cmd_b
	[ -f "$dir/results.csv" ] && return 0
	rm -rf "$dir"
	if ! bash -c "$cmd"' --out="$1"' ab.sh "$dir" >"$dir.out" 2>"$dir.err"; then
		echo "ab.sh: block $2, run $1 failed: $(tail -n 1 "$dir.err")" >&2
		exit 1
	fi
}

runs=()
for b in $(seq 1 "$k"); do
	if [ $((b % 2)) = 1 ]; then take a "$b"; take b "$b"; else take b "$b"; take a "$b"; fi
	runs+=("$out/a$b" "$out/b$b")
done
[ "${AB_NO_COMPARE:-0}" = 1 ] && exit 0
"$bin" compare --blocks "${runs[@]}" --out="$out/compare.csv" "$@"
