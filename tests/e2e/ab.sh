#!/usr/bin/env bash
# scripts/ab.sh end to end, shrunk to seconds: two blocks of tiny sweeps
# (lookup, one thread, 3 repetitions of 10 ms), B with `cached` +20%. Checks
# the series' shape, not its verdicts (a 10 ms window on a loaded machine
# decides nothing): the four runs, the second block taken B first, B's runs
# injected and A's not, compare.csv judged in blocks, a run already there
# kept, and the bad inputs.
. "$(dirname "$0")/lib.sh"

out=$TMP/ab
tiny="$DMABENCH --strategy=none,cached --scenario=lookup --threads=1 --reps=3 --duration-ms=10 --warmup-ms=5 --no-c2c"
DMABENCH=$DMABENCH scripts/ab.sh -k 2 "$out" "$tiny" "env DMABENCH_INJECT_NS=cached:20% $tiny" --no-plot >"$TMP/first" 2>"$TMP/err"
rc=$?
# the order taken, by the results' modification times: a1 b1 b2 a2
ids=$(stat -c %.9Y "$out"/a1/results.csv "$out"/b1/results.csv "$out"/b2/results.csv "$out"/a2/results.csv 2>/dev/null | tr '\n' ' ')
sorted=$(printf '%s\n' $ids | sort -g | tr '\n' ' ')
if [ $rc = 0 ] && [ -s "$out/compare.csv" ] && [ "$(col "$out/compare.csv" interval | sort -u)" = hl-blocks ] &&
   [ "$ids" = "$sorted" ] && grep -q '^injected: cached' "$out/b1/machine.txt" && grep -q '^injected: cached' "$out/b2/machine.txt" &&
   ! grep -q '^injected' "$out/a1/machine.txt" && ! grep -q '^injected' "$out/a2/machine.txt" &&
   grep -q '^blocks: 2, each an A run and a B run' "$TMP/first"; then
	pass ab_two_blocks
else
	fail ab_two_blocks "exit $rc; times of a1 b1 b2 a2: '$ids'; $(head -c 300 "$TMP/err")"
fi

# the series again: runs already there are kept, only the compare is made anew
before=$(stat -c %Y "$out"/[ab][12]/results.csv)
sleep 1
DMABENCH=$DMABENCH scripts/ab.sh -k 2 "$out" false false --no-plot >"$TMP/again" 2>&1
rc=$?
if [ "$before" = "$(stat -c %Y "$out"/[ab][12]/results.csv)" ] && [ $rc = 0 ]; then
	pass ab_keeps_runs_taken
else
	fail ab_keeps_runs_taken "exit $rc: $(head -c 300 "$TMP/again")"
fi

scripts/ab.sh -k 1 "$TMP/ab1" true true >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 -k; then pass ab_one_block_refused; else fail ab_one_block_refused "$WHY"; fi
scripts/ab.sh -k 257 "$TMP/ab1" true true >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 "2 to 256"; then pass ab_too_many_blocks_refused; else fail ab_too_many_blocks_refused "$WHY"; fi
scripts/ab.sh "$TMP/ab2" true >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 usage; then pass ab_usage; else fail ab_usage "$WHY"; fi
scripts/ab.sh -k 2 "$TMP/ab3" "$tiny" "$DMABENCH --no-such-flag" >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 1 "block 1, run b failed"; then pass ab_failed_run_stops; else fail ab_failed_run_stops "$WHY"; fi
exit 0
