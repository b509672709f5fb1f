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

# --- every value-taking flag: missing, empty, non-numeric, negative, zero,
# huge and unknown values, where each applies (zero is valid for --seed,
# --warmup-ms, --inv-ns and --home-node: tested below as good input) ---
HUGE=99999999999999999999999
LONG=$(printf 'x%.0s' $(seq 5000))
for f in scenario strategy mode invalidation threads placement sharing home-node \
	 duration-ms warmup-ms reps events seed out rcu-flavor inv-ns soak; do
	# "--flag" then another flag: not a value; "--flag" last: no value at all
	u "$f-missing" "--$f" "--$f"
	expect_usage_error "$f-missing-last" "--$f" "$D" --dry-run "--$f"
	u "$f-empty" "--$f" "--$f="
	u "$f-control-char" "--$f" "--$f=$(printf '1\n2')"
done
for f in threads home-node duration-ms warmup-ms reps seed inv-ns soak; do
	u "$f-nonnumeric" "--$f" "--$f=abc"
	u "$f-negative" "--$f" "--$f=-3"
	u "$f-huge" "--$f" "--$f=$HUGE"
	u "$f-fraction" "--$f" "--$f=1.5"
	u "$f-hex" "--$f" "--$f=0x10"
	u "$f-plus" "--$f" "--$f=+2"
	u "$f-space" "--$f" "--$f= 2"
	u "$f-trailing" "--$f" "--$f=2x"
done
for f in threads duration-ms reps soak; do
	u "$f-zero" "--$f" "--$f=0"
done
u duration-too-long --duration-ms --duration-ms=3600001
u warmup-too-long --warmup-ms --warmup-ms=3600001
u reps-too-many --reps --reps=1001
u inv-ns-too-big --inv-ns --inv-ns=1000000001
u home-node-nonexistent --home-node --home-node=65535
u home-node-too-big --home-node --home-node=65536
u soak-too-long --soak --soak=721h
u soak-overflow --soak --soak=1099511627776h
u soak-unit --soak --soak=5x
u soak-negative-unit --soak --soak=-5s
u threads-range-huge --threads --threads=1-99999
u threads-range-open --threads --threads=1-
u threads-range-zero --threads --threads=0-2
u threads-list-empty-item --threads --threads=1,,2
u threads-list-trailing --threads --threads=1,
u threads-pow2-and-zero --threads --threads=pow2,0
for f in scenario strategy mode invalidation sharing placement rcu-flavor; do
	u "$f-unknown" "--$f" "--$f=nosuch"
	u "$f-unknown-long" "--$f" "--$f=$LONG"
done
for f in scenario strategy mode invalidation sharing; do
	u "$f-trailing-comma" "--$f" "--$f=all,"
	u "$f-leading-comma" "--$f" "--$f=,all"
	u "$f-all-and-unknown" "--$f" "--$f=all,nosuch"
done
u strategy-twice --strategy --strategy=none,none
u scenario-twice --scenario --scenario=lookup,lookup
u placement-trailing-comma --placement --placement=compact,
u placement-cpus-trailing-comma --placement --placement=cpus:0,
u placement-cpus-nonnumeric --placement --placement=cpus:a
u placement-cpus-negative --placement --placement=cpus:-1
u placement-cpus-huge --placement --placement=cpus:$HUGE
u placement-cpus-duplicate --placement --placement=cpus:0,0
u placement-cpus-backwards --placement --placement=cpus:1-0
u rcu-flavor-case --rcu-flavor --rcu-flavor=MEMB
u events-unknown --events --events=NO_SUCH_EVENT_XYZ
u events-twice --events --events=task-clock,task-clock
u events-too-many --events --events=$(printf 'cpu-clock:u,%.0s' $(seq 17))task-clock
u events-long --events "--events=$LONG"
u events-empty-item --events --events=task-clock,,cycles
u out-too-long --out "--out=/tmp/$LONG"
# flags that take no value
for f in quick dry-run oversubscribe strict-binding no-c2c list help version; do
	u "$f-given-a-value" "--$f" "--$f=yes"
done
u short-flag -q -q	# -h is --help (placement.sh dash-h)
u short-flags-clustered -x -xyz
u ambiguous-prefix --s --s=1
u control-char-argument 'x0a' "$(printf 'a\nb')"

# zero and edge values that are valid
expect_exit seed-zero 0 "$D" --dry-run --seed=0
expect_exit seed-max 0 "$D" --dry-run --seed=18446744073709551615
expect_exit warmup-zero 0 "$D" --dry-run --warmup-ms=0
expect_exit inv-ns-zero 0 "$D" --dry-run --inv-ns=0
expect_exit home-node-zero 0 "$D" --dry-run --home-node=0
expect_exit events-none 0 "$D" --dry-run --events=none
expect_exit soak-units 0 "$D" --dry-run --soak=720h
expect_exit all-lists 0 "$D" --dry-run --scenario=all --strategy=all --mode=all --invalidation=all --sharing=all --threads=all

# events are checked when a run starts (libpfm4 names)
expect_usage_error unknown-event --events "$D" --events=NO_SUCH_EVENT_XYZ --quick $out
[ ! -e "$TMP/run" ] || fail unknown-event-nodir "a run directory was created"

# --out that exists, or cannot be written
mkdir -p "$TMP/exists"
expect_usage_error out-exists --out "$D" --quick --out="$TMP/exists"
expect_usage_error out-unwritable --out "$D" --quick --out=/proc/dmabench-no/run

# good input still works
expect_exit list 0 "$D" --list
# every strategy line names a class; the floors and at least one design are there
n=$("$D" --list | sed -n '/^strategies:/,/^scenarios:/p' | grep -c '^  [a-z]')
nc=$("$D" --list | sed -n '/^strategies:/,/^scenarios:/p' | grep -Ec '^  [a-z].* \[(floor|read-mostly|shared-write|percpu)[];]')
[ "$n" -ge 2 ] && [ "$n" -eq "$nc" ] && pass list-strategies-with-class || fail list-strategies-with-class "$n strategies, $nc with a class"
expect_exit help 0 "$D" --help
expect_exit version 0 "$D" --version
expect_exit dry-run 0 "$D" --dry-run
