#!/usr/bin/env bash
# --soak: every strategy and mode under map-unmap, strict and lazy, every
# sharing, 4 threads; afterwards the model's invariants hold (refcounts back,
# no IOVA leaked, flush queues and page tables empty, no device attached
# twice or left deferred). Short here (the long run is in the notes); and
# the soak must be able to fail: injected allocation failures are reported.
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
CLEAN='ok [refs +0, iova leaked 0, fq 0, ptes 0, attached twice 0, still deferred 0]'

"$D" --soak=8s >"$TMP/out" 2>"$TMP/err"
rc=$?
nstrat=$("$D" --list | sed -n '/^strategies:/,/^scenarios:/p' | grep -c '^  [a-z]')
ngated=$("$D" --list | grep -c 'gated: also runs in kdump mode')
want=$(( (nstrat + ngated) * 2 * 3 ))	# (normal + kdump of the gated) x strict/lazy x 3 sharings
lines=$(grep -cE '^[a-z0-9-]+ +(normal|kdump) +(strict|lazy) +(device|group|private) +4 ' "$TMP/out")
clean=$(grep -cF -- "$CLEAN" "$TMP/out")
if [ $rc -ne 0 ]; then
	fail soak-invariants-hold "exit $rc: $(grep -vF -- "$CLEAN" "$TMP/out" | tail -4 | tr '\n' ' ') $(tail -2 "$TMP/err")"
elif [ "$lines" -ne "$want" ]; then
	fail soak-invariants-hold "$lines configuration lines, want $want"
elif [ "$clean" -ne "$want" ]; then
	fail soak-invariants-hold "$((want - clean)) configurations not clean: $(grep -vF -- "$CLEAN" "$TMP/out" | sed -n '3,5p' | tr '\n' ' ')"
elif ! grep -q "^soak: $want configurations, [0-9]* calls in [0-9]* s, 0 with a broken invariant or failed calls$" "$TMP/out"; then
	fail soak-invariants-hold "last line: $(tail -1 "$TMP/out")"
else
	pass soak-invariants-hold
fi
# every configuration made calls
zero=$(awk '$1 ~ /^[a-z]/ && $5 == 4 && $6 == 0' "$TMP/out" | wc -l)
[ "$zero" -eq 0 ] && pass soak-every-configuration-ran || fail soak-every-configuration-ran "$zero with no calls"

# allocation failures injected mid-soak: failed calls and unbuildable worlds are
# counted and fail the soak (exit 1); the invariants still hold where a world ran
DMABENCH_FAIL_ALLOC_AFTER=3000 "$D" --soak=2s --strategy=none >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -ne 1 ]; then
	fail soak-reports-failures "exit $rc, want 1: $(tail -3 "$TMP/out" | tr '\n' ' ')"
elif ! grep -qE 'failed calls|Cannot allocate memory' "$TMP/out"; then
	fail soak-reports-failures "no failure named: $(cat "$TMP/out" | tr '\n' ' ')"
elif grep -F ' failed calls; ' "$TMP/out" | grep -vqF -- "$CLEAN"; then
	fail soak-reports-failures "failed maps broke an invariant: $(grep 'failed calls' "$TMP/out" | head -2)"
elif ! grep -q '^soak: .*, [1-9][0-9]* with a broken invariant or failed calls$' "$TMP/out"; then
	fail soak-reports-failures "last line: $(tail -1 "$TMP/out")"
else
	pass soak-reports-failures
fi
