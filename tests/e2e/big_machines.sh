#!/usr/bin/env bash
# Machines bigger than any guess: --threads=all on synthetic topologies of
# 1, 193, 1024 and 4096 PUs plans one configuration per thread count, exits 0
# and never writes past an array (make asan runs this under UBSan+ASan; the
# 192-entry array of thread counts overflowed at 193 PUs before).
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
unset HWLOC_SYNTHETIC HWLOC_XMLFILE HWLOC_FSROOT TOPO_ALLOWED

for n in 1 193 1024 4096; do
	expect_exit "threads-all-$n-pus" 0 env HWLOC_SYNTHETIC="core:$n pu:1" \
		"$D" --dry-run --threads=all --scenario=lookup --strategy=none
	got=$(grep -c '^ *[0-9]*  scenario=lookup strategy=none ' "$TMP/out")
	[ "$got" -eq "$n" ] && pass "threads-all-$n-pus-one-config-each" ||
		fail "threads-all-$n-pus-one-config-each" "$got configurations, want $n: $(head -c 300 "$TMP/err")"
	grep -q "^topology: $n allowed PUs" "$TMP/out" && pass "threads-all-$n-pus-topology" ||
		fail "threads-all-$n-pus-topology" "$(head -1 "$TMP/out")"
done
# the default sweep (powers of two and the maximum) on the largest one
expect_exit default-threads-4096-pus 0 env HWLOC_SYNTHETIC="pack:4 core:512 pu:2" \
	"$D" --dry-run --scenario=lookup --strategy=none
grep -q 'threads=4096 ' "$TMP/out" && pass default-threads-4096-pus-has-max ||
	fail default-threads-4096-pus-has-max "no 4096-thread configuration"
