#!/usr/bin/env bash
# `dmabench c2c` end to end: the pair plan on synthetic topologies, a real
# measurement on this machine's PUs written as c2c.csv, and bad flags.
. "$(dirname "$0")/lib.sh"

SYN="pack:2 numa:2 core:4 pu:2"		# 32 PUs on 4 NUMA nodes
BIG="pack:2 numa:2 core:20 pu:2"	# 160 PUs: more than 64, sampled

# --- the plan, without measuring ---
if HWLOC_SYNTHETIC="$SYN" "$DMABENCH" c2c --dry-run >"$TMP/plan" 2>"$TMP/err"; then
	n=$(grep -c '^  pair ' "$TMP/plan")
	if [ "$n" -eq 496 ] && grep -q 'all 496 unordered pairs' "$TMP/plan" &&
	   grep -q '^  pair 0 (node 0) <-> 31 (node 3)$' "$TMP/plan" &&
	   grep -q '^diagonal: ' "$TMP/plan"; then
		pass c2c_dry_run_synthetic_all_pairs
	else
		fail c2c_dry_run_synthetic_all_pairs "$n pair lines (want 32*31/2 = 496): $(head -3 "$TMP/plan")"
	fi
else
	fail c2c_dry_run_synthetic_all_pairs "exit $?: $(cat "$TMP/err")"
fi

if HWLOC_SYNTHETIC="$BIG" "$DMABENCH" c2c --dry-run >"$TMP/plan" 2>"$TMP/err"; then
	n=$(grep -c '^  pair ' "$TMP/plan")
	stated=$(sed -n 's/.*sampled \([0-9]*\) of 12720 unordered pairs.*/\1/p' "$TMP/plan")
	if [ -n "$stated" ] && [ "$n" -eq "$stated" ] && [ "$n" -le 2016 ] &&
	   grep -q 'node-pair representatives' "$TMP/plan" &&
	   grep -q 'every [0-9]*-th of the remaining pairs' "$TMP/plan"; then
		pass c2c_dry_run_samples_above_64_pus
	else
		fail c2c_dry_run_samples_above_64_pus "$n pair lines, rule says '$stated': $(head -1 "$TMP/plan")"
	fi
else
	fail c2c_dry_run_samples_above_64_pus "exit $?: $(cat "$TMP/err")"
fi

if HWLOC_SYNTHETIC="$SYN" "$DMABENCH" c2c --dry-run --max-pairs=50 --cpus=0-31 >"$TMP/plan" 2>"$TMP/err" &&
   [ "$(grep -c '^  pair ' "$TMP/plan")" -eq 48 ] && grep -q 'sampled 48 of 496' "$TMP/plan"; then
	pass c2c_dry_run_max_pairs
else
	fail c2c_dry_run_max_pairs "$(head -1 "$TMP/plan") $(cat "$TMP/err")"
fi

if HWLOC_SYNTHETIC="$SYN" "$DMABENCH" c2c --dry-run --cpus=8,16 >"$TMP/plan" 2>"$TMP/err" &&
   [ "$(grep -c '^  pair ' "$TMP/plan")" -eq 1 ] &&
   grep -q '^  pair 8 (node 1) <-> 16 (node 2)$' "$TMP/plan"; then
	pass c2c_dry_run_cpus
else
	fail c2c_dry_run_cpus "$(cat "$TMP/plan" "$TMP/err" | head -8)"
fi

# --- a real measurement here (needs two allowed PUs) ---
mkdir "$TMP/run"
if "$DMABENCH" c2c --samples=11 --round-trips=500 --out="$TMP/run" >"$TMP/out" 2>"$TMP/err"; then
	csv=$TMP/run/c2c.csv
	if [ "$(head -1 "$csv")" != "from,to,from_node,to_node,round_trip_ns,op" ]; then
		fail c2c_measure_csv "header: $(head -1 "$csv")"
	elif ! awk -F, 'NR > 1 { if (NF != 6 || $6 != "store") exit 1
			if ($1 == $2 && $5 != "") exit 1
			if ($1 != $2 && !($1 < $2 && $5 + 0 > 0 && $5 ~ /^[0-9.]+$/)) exit 1
			pairs += ($1 != $2); diag += ($1 == $2) }
		END { if (pairs < 1 || diag < 2) exit 1 }' "$csv"; then
		fail c2c_measure_csv "rows: $(cat "$csv")"
	elif ! grep -q '^c2c_same_node_median_ns: [0-9]' "$TMP/out" ||
	     ! grep -q "^c2c.csv: $csv\$" "$TMP/out"; then
		fail c2c_measure_csv "summary: $(cat "$TMP/out")"
	else
		pass c2c_measure_csv
	fi
else
	fail c2c_measure_csv "exit $?: $(cat "$TMP/err")"
fi

# the CSV on stdout when there is no --out; a file name for --out
if "$DMABENCH" c2c --samples=3 --round-trips=100 >"$TMP/stdout.csv" 2>"$TMP/err" &&
   [ "$(head -1 "$TMP/stdout.csv")" = "from,to,from_node,to_node,round_trip_ns,op" ] &&
   "$DMABENCH" c2c --samples=3 --round-trips=100 --out="$TMP/named.csv" >"$TMP/out" 2>&1 &&
   [ "$(head -1 "$TMP/named.csv")" = "from,to,from_node,to_node,round_trip_ns,op" ] &&
   [ -z "$(ls "$TMP" | grep '\.tmp\.')" ]; then
	pass c2c_out_stdout_and_file
else
	fail c2c_out_stdout_and_file "$(head -3 "$TMP/stdout.csv" "$TMP/err" "$TMP/out")"
fi

# --op=rmw: a compare-and-swap handoff, its rows say rmw; --op=both: both blocks
if "$DMABENCH" c2c --op=rmw --samples=5 --round-trips=200 --out="$TMP/rmw.csv" >"$TMP/out" 2>&1 &&
   awk -F, 'NR > 1 && $6 != "rmw" { exit 1 } NR > 1 && $1 != $2 { p++ } END { exit !(p >= 1) }' "$TMP/rmw.csv" &&
   grep -q '^c2c_rmw_same_node_median_ns: [0-9]' "$TMP/out" &&
   "$DMABENCH" c2c --op=both --samples=5 --round-trips=200 --out="$TMP/both.csv" >"$TMP/out" 2>&1 &&
   [ "$(grep -c ',store$' "$TMP/both.csv")" -ge 3 ] && [ "$(grep -c ',rmw$' "$TMP/both.csv")" -ge 3 ]; then
	pass c2c_op_rmw_and_both
else
	fail c2c_op_rmw_and_both "$(head -5 "$TMP/rmw.csv" "$TMP/out")"
fi

# --- bad input: exit 2, one line naming the flag ---
expect_usage_error c2c_op_unknown --op "$DMABENCH" c2c --op=cas
expect_usage_error c2c_unknown_flag --bogus "$DMABENCH" c2c --bogus
expect_usage_error c2c_samples_zero --samples "$DMABENCH" c2c --samples=0
expect_usage_error c2c_samples_text --samples "$DMABENCH" c2c --samples=abc
expect_usage_error c2c_samples_missing --samples "$DMABENCH" c2c --samples
expect_usage_error c2c_round_trips_negative --round-trips "$DMABENCH" c2c --round-trips=-5
expect_usage_error c2c_max_pairs_zero --max-pairs "$DMABENCH" c2c --max-pairs=0
expect_usage_error c2c_home_node_missing --home-node "$DMABENCH" c2c --home-node=4096
expect_usage_error c2c_home_node_text --home-node "$DMABENCH" c2c --home-node=x
expect_usage_error c2c_cpus_not_allowed --cpus "$DMABENCH" c2c --cpus=4095
expect_usage_error c2c_cpus_garbage --cpus "$DMABENCH" c2c --cpus=1-
expect_usage_error c2c_out_no_dir --out "$DMABENCH" c2c --out="$TMP/no/such/dir/c2c.csv"
expect_usage_error c2c_dry_run_value --dry-run "$DMABENCH" c2c --dry-run=yes
expect_usage_error c2c_positional 'stray' "$DMABENCH" c2c stray
expect_usage_error c2c_synthetic_needs_dry_run HWLOC_SYNTHETIC \
	env HWLOC_SYNTHETIC="$SYN" "$DMABENCH" c2c
expect_exit c2c_help 0 "$DMABENCH" c2c --help
