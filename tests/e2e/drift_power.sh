#!/usr/bin/env bash
# scripts/drift-power.sh end to end, shrunk to seconds: one power pair of
# tiny sweeps (lookup, one thread, 5 repetitions of 10 ms, `cached` +20%),
# then the same directory judged again with REJUDGE=1 (no sweep taken
# again), and BLOCKS=2 (each pair a series of two blocks). Checks the
# tables' shape (the rules a pair, the host-slow column, the summary
# lines), not the verdicts: a 10 ms window on a loaded machine
# decides nothing (the measured tables are in METHODOLOGY §4).
. "$(dirname "$0")/lib.sh"

out=$TMP/dp
export DMABENCH SKIP_AA=1 N=1 PCT=20 EXTRA=--no-c2c
export POWER_FLAGS="--strategy=none,cached --scenario=lookup --threads=1 --reps=5 --duration-ms=10 --warmup-ms=5"
scripts/drift-power.sh "$out" >"$TMP/first" 2>"$TMP/err"
rc=$?
rows=$(grep -cE '^\| 1 \| (floor|boot|scale|none|p50) \| [0-9]+ of [0-9]+ \|' "$TMP/first")
if [ $rc -eq 0 ] && [ "$rows" = 5 ] && [ -s "$out/base1/results.csv" ] && [ -s "$out/inj1/results.csv" ] &&
   grep -q '^| 1 | floor | .* | [0-9]* / [0-9]* |$' "$TMP/first" &&
   grep -q '^caught at every thread count (cached +20%), of 1 pairs: floor [01], floor with --interval=bootstrap [01],' "$TMP/first" &&
   grep -q "^pairs with at most 25% of each sweep's windows host-slow: [01] of 1; of those caught (floor): [01]\$" "$TMP/first" &&
   grep -q '^injected: cached' "$out/inj1/machine.txt"; then
	pass drift_power_one_pair
else
	fail drift_power_one_pair "exit $rc, $rows rule rows: $(tail -4 "$TMP/first"; head -c 300 "$TMP/err")"
fi

# REJUDGE=1: the runs there are judged again, none taken anew
before=$(stat -c %Y "$out/base1/results.csv" "$out/inj1/results.csv")
sleep 1
REJUDGE=1 scripts/drift-power.sh "$out" >"$TMP/again" 2>>"$TMP/err"
rc=$?
after=$(stat -c %Y "$out/base1/results.csv" "$out/inj1/results.csv")
if [ $rc -eq 0 ] && [ "$before" = "$after" ] &&
   [ "$(grep -c '^| 1 |' "$TMP/again")" = 5 ]; then
	pass drift_power_rejudge_takes_no_sweep
else
	fail drift_power_rejudge_takes_no_sweep "exit $rc; results.csv times '$before' -> '$after'"
fi
# BLOCKS=2: the pair and both A/A pairs as series of two blocks (scripts/ab.sh),
# judged with compare --blocks three ways
tiny="--strategy=none,cached --scenario=lookup --threads=1 --reps=3 --duration-ms=10 --warmup-ms=5"
SKIP_AA=0 BLOCKS=2 POWER_FLAGS="$tiny" AA_FLAGS="$tiny" scripts/drift-power.sh "$TMP/dpb" >"$TMP/blocks" 2>>"$TMP/err"
rc=$?
if [ $rc = 0 ] && [ "$(grep -cE '^\| 1 \| (floor|none|drop) \| [0-9]+ of [0-9]+ \|' "$TMP/blocks")" = 3 ] &&
   [ "$(grep -cE '^\| [12] \| 2 \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \|$' "$TMP/blocks")" = 2 ] &&
   grep -q '^caught at every thread count (cached +20%), of 1 series of 2 blocks: floor [01], none [01], drop' "$TMP/blocks" &&
   [ -s "$TMP/dpb/pair1/b2/results.csv" ] && grep -q '^injected: cached' "$TMP/dpb/pair1/b2/machine.txt" &&
   ! grep -q '^injected' "$TMP/dpb/aa1/b1/machine.txt" && [ "$(col "$TMP/dpb/pow1-floor.csv" interval | sort -u)" = hl-blocks ]; then
	pass drift_power_blocks
else
	fail drift_power_blocks "exit $rc: $(tail -12 "$TMP/blocks"; head -c 300 "$TMP/err")"
fi
BLOCKS=1 scripts/drift-power.sh "$TMP/dpb1" >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 BLOCKS; then pass drift_power_blocks_bad; else fail drift_power_blocks_bad "$WHY"; fi
exit 0
