#!/usr/bin/env bash
# Bad input to build/dmabench: one line on stderr naming the flag, exit 2,
# nothing measured and no run directory left behind.
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
out="--out=$TMP/run"

u() {	# u NAME FLAG ARGS...
	local name=$1 flag=$2
	shift 2
	expect_usage_error "$name" "$flag" "$D" "$@" --dry-run
	[ ! -e "$TMP/run" ] || { fail "$name-nodir" "a run directory was created"; rm -rf "$TMP/run"; }
}

u unknown-strategy --strategy --strategy=nosuch
u unknown-scenario --scenario --scenario=nosuch
u unknown-placement --placement --placement=diagonal
u unknown-mode --mode --mode=panic
u unknown-invalidation --invalidation --invalidation=sometimes
u unknown-sharing --sharing --sharing=everyone
u unknown-rcu-flavor --rcu-flavor --rcu-flavor=bp
u threads-zero --threads --threads=0
u threads-negative --threads --threads=-1
u threads-nonnumeric --threads --threads=abc
u threads-empty --threads --threads=
u threads-huge --threads --threads=99999999999999999999
u threads-too-many --threads --threads=4096
u threads-range-backwards --threads --threads=4-2
u duration-zero --duration-ms --duration-ms=0
u duration-nonnumeric --duration-ms --duration-ms=fast
u duration-negative --duration-ms --duration-ms=-5
u warmup-nonnumeric --warmup-ms --warmup-ms=x
u reps-zero --reps --reps=0
u reps-huge --reps --reps=1000000
u home-node-missing --home-node --home-node=7
u home-node-nonnumeric --home-node --home-node=zero
u seed-nonnumeric --seed --seed=abc
u inv-ns-negative --inv-ns --inv-ns=-1
u soak-bad --soak --soak=forever
u cpus-empty --placement --placement=cpus:
u cpus-not-allowed --placement --placement=cpus:999
u unknown-flag --bogus --bogus
u missing-value --threads --threads
u stray-argument stray stray

# events are checked when a run starts (libpfm4 names)
expect_usage_error unknown-event --events "$D" --events=NO_SUCH_EVENT_XYZ --quick $out
[ ! -e "$TMP/run" ] || fail unknown-event-nodir "a run directory was created"

# --out that exists, or cannot be written
mkdir -p "$TMP/exists"
expect_usage_error out-exists --out "$D" --quick --out="$TMP/exists"
expect_usage_error out-unwritable --out "$D" --quick --out=/proc/dmabench-no/run

# good input still works
expect_exit list 0 "$D" --list
n=$("$D" --list | sed -n '/^strategies:/,/^scenarios:/p' | grep -c '^  [a-z]')
[ "$n" -eq 9 ] && pass list-nine || fail list-nine "got $n strategies"
expect_exit help 0 "$D" --help
expect_exit version 0 "$D" --version
expect_exit dry-run 0 "$D" --dry-run
