#!/usr/bin/env bash
# Placement through --dry-run on hwloc synthetic and XML topologies, and under taskset.
. "$(dirname "$0")/lib.sh"

SYN="pack:2 numa:2 core:4 pu:2"	# PUs 0-31; node n holds PUs 8n..8n+7; core = PU pair
# compact fills node 0 (one PU per core, then siblings) before node 1; scatter deals over
# nodes, alternating packages (nodes 0, 1 are package 0; 2, 3 package 1)

# cpus= of the first configuration line for the given flags
plan_cpus() {
	"$@" --dry-run --scenario=lookup --strategy=none 2>"$TMP/err" |
		sed -n 's/.* threads=\([0-9]*\) cpus=\([0-9+]*\) nodes=\([0-9]*\).*/\1 \2 \3/p' | head -1
}

check() {	# check NAME "WANT" CMD...
	local name=$1 want=$2 got
	shift 2
	got=$(plan_cpus "$@")
	[ "$got" = "$want" ] && pass "$name" || fail "$name" "got '$got', want '$want' $(head -c 200 "$TMP/err")"
}

export HWLOC_SYNTHETIC="$SYN"
check compact-4   "4 0+2+4+6 1"            "$DMABENCH" --placement=compact --threads=4
check compact-5   "5 0+2+4+6+1 1"          "$DMABENCH" --placement=compact --threads=5
check compact-9   "9 0+2+4+6+1+3+5+7+8 2" "$DMABENCH" --placement=compact --threads=9
check scatter-2   "2 0+16 2"               "$DMABENCH" --placement=scatter --threads=2	# two packages
check scatter-4   "4 0+16+8+24 4"          "$DMABENCH" --placement=scatter --threads=4
check scatter-5   "5 0+16+8+24+2 4"        "$DMABENCH" --placement=scatter --threads=5
check smt-4       "4 0+1+2+3 1"            "$DMABENCH" --placement=smt --threads=4
check cpus-list   "3 3+5+9 2"              "$DMABENCH" --placement=cpus:3,5,9 --threads=3
check cpus-range  "4 8+9+10+11 1"          "$DMABENCH" --placement=cpus:8-11 --threads=4
# default threads: powers of two and the maximum
n=$("$DMABENCH" --dry-run --scenario=lookup --strategy=none --placement=compact | grep -c 'strategy=none')
[ "$n" -eq 6 ] && pass default-threads-pow2 || fail default-threads-pow2 "$n configurations, want 6 (1,2,4,8,16,32)"
# default placements on a 4-node machine: compact and scatter
n=$("$DMABENCH" --dry-run --scenario=lookup --strategy=none --threads=2 | grep -c 'strategy=none')
[ "$n" -eq 2 ] && pass default-placements || fail default-placements "$n configurations, want 2"
"$DMABENCH" --dry-run --scenario=lookup --strategy=none --threads=2 | grep -q 'estimated run time' \
	&& pass dry-run-estimate || fail dry-run-estimate "no estimate"
"$DMABENCH" --dry-run --scenario=lookup --strategy=none --threads=4 --placement=scatter \
	| grep -q 'not this machine' && pass dry-run-says-synthetic || fail dry-run-says-synthetic "no note"
expect_usage_error too-many-threads --threads "$DMABENCH" --dry-run --threads=33
expect_exit oversubscribe 0 "$DMABENCH" --dry-run --threads=33 --oversubscribe --scenario=lookup --strategy=none
"$DMABENCH" --dry-run --threads=33 --oversubscribe --scenario=lookup --strategy=none --placement=compact \
	| grep -q oversubscribed && pass oversubscribe-marked || fail oversubscribe-marked "not marked"
expect_usage_error home-node-synthetic --home-node "$DMABENCH" --dry-run --home-node=4
expect_exit home-node-3 0 "$DMABENCH" --dry-run --home-node=3 --scenario=lookup --strategy=none
# a synthetic topology cannot be measured
expect_exit synthetic-refuses-run 2 "$DMABENCH" --quick --out="$TMP/nope"

# the same plan from an XML export of the synthetic topology
if command -v lstopo-no-graphics >/dev/null 2>&1; then
	lstopo-no-graphics --of xml "$TMP/topo.xml" 2>/dev/null
	unset HWLOC_SYNTHETIC
	export HWLOC_XMLFILE="$TMP/topo.xml"
	check xml-scatter-4 "4 0+16+8+24 4" "$DMABENCH" --placement=scatter --threads=4
	echo 'not xml' >"$TMP/bad.xml"
	HWLOC_XMLFILE="$TMP/bad.xml" "$DMABENCH" --dry-run >"$TMP/out" 2>&1
	rc=$?
	[ $rc -ne 0 ] && pass xml-broken-refused || fail xml-broken-refused "exit 0 on a broken XML topology"
	unset HWLOC_XMLFILE
fi
unset HWLOC_SYNTHETIC

# the real machine under taskset: only the allowed PU is used
if command -v taskset >/dev/null 2>&1 && [ "$(nproc --all)" -ge 2 ]; then
	check taskset-one "1 1 1" taskset -c 1 "$DMABENCH" --threads=1
	expect_usage_error taskset-refuses-2 --threads taskset -c 1 "$DMABENCH" --dry-run --threads=2
fi

# --dry-run=summary: the counts and the estimate (windows, c2c, plots) in a few lines
unset HWLOC_XMLFILE
export HWLOC_SYNTHETIC="$SYN"
out=$("$DMABENCH" --dry-run=summary 2>&1); rc=$?
lines=$(printf '%s\n' "$out" | wc -l)
if [ $rc -eq 0 ] && [ "$lines" -le 5 ] && printf '%s\n' "$out" | grep -q 'estimated run time: .*c2c .*(496 pairs).*plots'; then
	pass dry-run-summary
else
	fail dry-run-summary "exit $rc, $lines lines: $out"
fi
full=$("$DMABENCH" --dry-run | grep '^estimated')
sum=$(printf '%s\n' "$out" | grep '^estimated')
[ "$full" = "$sum" ] && pass dry-run-summary-same-estimate || fail dry-run-summary-same-estimate "'$full' vs '$sum'"
# the estimate is the windows plus c2c plus plots; --no-c2c drops the c2c part
printf '%s\n' "$sum" | awk '{ match($0, /run time: [0-9]+/); t = substr($0, RSTART + 10, RLENGTH - 10) + 0
	match($0, /windows [0-9]+/); w = substr($0, RSTART + 8, RLENGTH - 8) + 0
	match($0, /c2c [0-9]+/); c = substr($0, RSTART + 4, RLENGTH - 4) + 0
	match($0, /plots [0-9]+/); p = substr($0, RSTART + 6, RLENGTH - 6) + 0
	exit !(c > 0 && p > 0 && t >= w + c + p - 2 && t <= w + c + p + 2) }' &&
	pass estimate-includes-c2c-and-plots || fail estimate-includes-c2c-and-plots "$sum"
"$DMABENCH" --dry-run=summary --no-c2c | grep -q 'c2c 0 s (0 pairs: --no-c2c)' &&
	pass estimate-no-c2c || fail estimate-no-c2c "$("$DMABENCH" --dry-run=summary --no-c2c | grep estim)"
expect_usage_error dry-run-bad-value --dry-run "$DMABENCH" --dry-run=everything
expect_exit dash-h 0 "$DMABENCH" -h
grep -q '^usage: dmabench' "$TMP/out" && pass dash-h-prints-usage || fail dash-h-prints-usage "$(head -2 "$TMP/out")"
