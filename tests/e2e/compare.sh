#!/usr/bin/env bash
# `dmabench compare A B` end to end on the synthetic fixture run
# tests/fixtures/small (5 repetitions a configuration, spread +-1.2%):
# A against a copy of A, against B with one strategy 20% slower (or faster),
# against a run from "another machine"; compare.csv where --out says and
# never in A or B; overlay plots; and every error case.
. "$(dirname "$0")/lib.sh"
BIN=$DMABENCH		# absolute (lib.sh)
A=$PWD/tests/fixtures/small
W=$TMP/work		# the current directory of every compare here
mkdir -p "$W"

A_PRINT=$(fingerprint "$A")
# scale_run SRC DST AWK_CONDITION FACTOR: DST/results.csv = SRC's with
# ns_per_op (and 1/mops_per_s) times FACTOR on the rows matching the condition
scale_run() {
	mkdir -p "$2"
	cp "$1/summary.csv" "$1/machine.txt" "$2/" 2>/dev/null
	awk -F, -v OFS=, -v f="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		'"$3"' { $c["ns_per_op"] = $c["ns_per_op"] * f; $c["mops_per_s"] = $c["mops_per_s"] / f } { print }' \
		"$1/results.csv" >"$2/results.csv"
}
# edit_run SRC DST AWK_PROGRAM_ON_DATA_ROWS: DST/results.csv rewritten by the program (c[] = columns)
edit_run() {
	mkdir -p "$2"
	cp "$1/summary.csv" "$1/machine.txt" "$2/"
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } '"$3" "$1/results.csv" >"$2/results.csv"
}

# --- A against a copy of A: nothing significant ---
cp -r "$A" "$TMP/A2"
if (cd "$W" && "$BIN" compare "$A" "$TMP/A2" --no-plot >"$TMP/out" 2>"$TMP/err"); then
	c=$W/compare.csv
	rows=$(($(wc -l <"$c") - 1))
	nsd=$(col "$c" verdict | grep -cx no-significant-difference)
	if [ "$rows" -eq 150 ] && [ "$nsd" -eq 150 ] && [ "$(col "$c" in | sort -u)" = both ]; then
		pass compare_a_a_no_significant_difference
	else
		fail compare_a_a_no_significant_difference "$nsd of $rows rows no-significant-difference"
	fi
	if [ -z "$(col "$c" a_norm | tr -d '\n')" ] && [ -z "$(col "$c" norm_ratio | tr -d '\n')" ]; then
		pass compare_same_machine_no_normalisation
	else
		fail compare_same_machine_no_normalisation "normalised figures for one machine"
	fi
	if grep -q '^150 configurations: 0 faster, 0 slower, 150 no significant difference' "$TMP/out"; then
		pass compare_table_summary_line
	else
		fail compare_table_summary_line "$(tail -n 3 "$TMP/out")"
	fi
else
	fail compare_a_a_no_significant_difference "exit $?: $(cat "$TMP/err")"
fi
if [ "$A_PRINT" = "$(fingerprint "$A")" ] && [ -z "$(ls -A "$TMP/A2" | grep -vxE 'results.csv|summary.csv|machine.txt|c2c.csv')" ]; then
	pass compare_writes_nothing_into_runs
else
	fail compare_writes_nothing_into_runs "a run directory changed: $(ls -A "$TMP/A2")"
fi

# --- one strategy 20% slower (all its repetitions): exactly its rows flagged ---
scale_run "$A" "$TMP/B" '$c["strategy"] == "rcu"' 1.2
if "$BIN" compare "$A" "$TMP/B" --out="$TMP/slow.csv" --no-plot >"$TMP/out" 2>"$TMP/err"; then
	flagged=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["verdict"] != "no-significant-difference" { print $c["strategy"], $c["verdict"] }' "$TMP/slow.csv" | sort | uniq -c | awk '{ $1 = $1; print }')
	ratios_ok=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["strategy"] == "rcu" && !($c["ratio"] > 1.19 && $c["ratio"] < 1.21 && $c["ratio_ci_lo"] > 1 && $c["p_value"] < 0.05) { bad++ }
		END { print bad + 0 }' "$TMP/slow.csv")
	if [ "$flagged" = "12 rcu slower" ] && [ "$ratios_ok" = 0 ]; then
		pass compare_one_strategy_slower_only_its_rows
	else
		fail compare_one_strategy_slower_only_its_rows "flagged: '$flagged', rcu rows off: $ratios_ok"
	fi
else
	fail compare_one_strategy_slower_only_its_rows "exit $?: $(cat "$TMP/err")"
fi
scale_run "$A" "$TMP/F" '$c["strategy"] == "cached" && $c["scenario"] == "lookup" && $c["threads"] == 4' 0.8
if "$BIN" compare "$A" "$TMP/F" --out="$TMP/fast.csv" --no-plot >"$TMP/out" 2>"$TMP/err" &&
   [ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["verdict"] != "no-significant-difference" { print $c["scenario"], $c["strategy"], $c["threads"], $c["verdict"] }' "$TMP/fast.csv")" = "lookup cached 4 faster" ]; then
	pass compare_one_row_faster
else
	fail compare_one_row_faster "$(grep -E 'faster|slower' "$TMP/fast.csv" | head -3) $(cat "$TMP/err")"
fi
# the same seed gives the same file; the rule needs p AND the interval
"$BIN" compare "$A" "$TMP/B" --out="$TMP/slow2.csv" --no-plot >/dev/null 2>&1
if cmp -s "$TMP/slow.csv" "$TMP/slow2.csv"; then
	pass compare_deterministic_with_seed
else
	fail compare_deterministic_with_seed "two runs with --seed 1 differ"
fi

# --min-effect: a 20% difference clears a 5% band and not a 30% one
n5=$("$BIN" compare "$A" "$TMP/B" --out="$TMP/me5.csv" --no-plot --min-effect=5 2>/dev/null | grep -c ' slower$')
n30=$("$BIN" compare "$A" "$TMP/B" --out="$TMP/me30.csv" --no-plot --min-effect=30 2>/dev/null | grep -c ' slower$')
if [ "$n5" = 12 ] && [ "$n30" = 0 ]; then
	pass compare_min_effect_band
else
	fail compare_min_effect_band "flagged $n5 with 5%, $n30 with 30% (want 12 and 0)"
fi
for v in x -1 100 '' 1e999; do
	expect_usage_error "compare_min_effect_bad_${v:-empty}" --min-effect "$BIN" compare "$A" "$TMP/B" --out="$TMP/me.csv" --no-plot --min-effect="$v"
done

# three repetitions a side cannot reach p < 0.05: nothing flagged, and a note says so
edit_run "$A" "$TMP/A3" '$c["rep"] <= 3 { print }'
scale_run "$TMP/A3" "$TMP/B3" '$c["strategy"] == "rcu"' 1.2
if "$BIN" compare "$TMP/A3" "$TMP/B3" --out="$TMP/three.csv" --no-plot >"$TMP/out" 2>"$TMP/err" &&
   [ "$(col "$TMP/three.csv" verdict | sort -u)" = no-significant-difference ] &&
   grep -q '^note: 150 configurations have too few repetitions' "$TMP/out"; then
	pass compare_three_reps_never_significant
else
	fail compare_three_reps_never_significant "$(col "$TMP/three.csv" verdict | sort | uniq -c | tr '\n' ' ') $(grep note "$TMP/out")"
fi

# --- another machine: normalised by each run's own none/1-thread floor; rows only one run has ---
edit_run "$A" "$TMP/M" '$c["strategy"] == "percpu-ref" { next }
	{ $c["machine"] = "other-box"; $c["ns_per_op"] = $c["ns_per_op"] * 2; print }
	$c["strategy"] == "rcu" && $c["threads"] == 8 { $c["threads"] = 16; print }'
if "$BIN" compare "$A" "$TMP/M" --out="$TMP/machines.csv" --no-plot >"$TMP/out" 2>"$TMP/err"; then
	m=$TMP/machines.csv
	bad_norm=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["in"] == "both" {
		# the none, 1-thread medians of the fixture: 20 ns (lookup), 80 ns (map-unmap, lambda / 4)
		fl = $c["scenario"] == "lookup" ? 20 : 80
		n++; an = $c["a_median_ns"] / $c["a_floor_ns"]; d = an - $c["a_norm"]
		if (d < 0) d = -d; if (d > 1e-3 * an || $c["a_floor_ns"] != fl || $c["b_floor_ns"] != 2 * fl ||
		    $c["norm_ratio"] < 0.999 || $c["norm_ratio"] > 1.001) bad++ }
		END { print n + 0, bad + 0 }' "$m")
	onlyA=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["verdict"] == "only in A" { print $c["strategy"] }' "$m" | sort | uniq -c | awk '{ $1 = $1; print }')
	onlyB=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["verdict"] == "only in B" { print $c["strategy"] "@" $c["threads"] }' "$m" | sort -u | tr '\n' ' ')
	kd=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["mode"] == "kdump" && $c["a_floor_ns"] == "" { n++ } END { print n + 0 }' "$m")
	if [ "$bad_norm" = "144 0" ] && [ "$kd" = 0 ]; then
		pass compare_two_machines_normalised_by_own_floor
	else
		fail compare_two_machines_normalised_by_own_floor "rows, bad: $bad_norm; kdump rows without a floor: $kd"
	fi
	if [ "$onlyA" = "6 percpu-ref" ] && [ "$onlyB" = "rcu@16 " ] && grep -q '6 only in A, 2 only in B' "$TMP/out"; then
		pass compare_lists_configurations_of_one_run
	else
		fail compare_lists_configurations_of_one_run "only in A: '$onlyA', only in B: '$onlyB'"
	fi
else
	fail compare_two_machines_normalised_by_own_floor "exit $?: $(cat "$TMP/err")"
fi

# --- overlay plots beside --out ---
mkdir -p "$TMP/plots-out"
if "$BIN" compare "$A" "$TMP/B" --out="$TMP/plots-out/ab.csv" >"$TMP/out" 2>"$TMP/err"; then
	d=$TMP/plots-out/ab-plots
	n_png=$(ls "$d"/overlay-*.png 2>/dev/null | wc -l)
	n_svg=$(ls "$d"/overlay-*.svg 2>/dev/null | wc -l)
	if [ "$n_png" -eq 4 ] && [ "$n_svg" -eq 4 ] && [ -s "$d/overlay-lookup-compact-strict-device.png" ] &&
	   grep -q '>rcu<' "$d/overlay-lookup-compact-strict-device.svg" &&
	   grep -q 'dashed: B: ' "$d/overlay-lookup-compact-strict-device.svg" &&
	   [ "$(grep -c 'dashed: B' "$d/overlay-lookup-compact-strict-device.svg")" -eq 1 ]; then
		pass compare_overlay_plots
	else
		fail compare_overlay_plots "$n_png png, $n_svg svg in $d (a panel per strategy, B named once)"
	fi
else
	fail compare_overlay_plots "exit $?: $(cat "$TMP/err")"
fi

# --- errors: one line, exit 2, no compare.csv, the runs untouched ---
# bad NAME PATTERN ARGS...: dmabench compare ARGS... run in $W
bad() {
	local name=$1 pat=$2
	shift 2
	rm -f "$W/compare.csv"
	(cd "$W" && "$BIN" compare "$@" --no-plot) >"$TMP/out" 2>"$TMP/err"
	if ! one_line_error $? 2 "$pat"; then
		fail "$name" "$WHY"
	elif [ -e "$W/compare.csv" ] || [ -n "$(ls -A "$W" | grep -v '^compare')" ]; then
		fail "$name" "wrote into $W: $(ls -A "$W")"
	elif [ "$A_PRINT" != "$(fingerprint "$A")" ]; then
		fail "$name" "run A changed"
	else
		pass "$name"
	fi
}
rm -rf "$W"/*
bad compare_missing_dir_a "A: no such run directory" "$TMP/nope" "$A"
bad compare_missing_dir_b "B: no such run directory" "$A" "$TMP/nope"
mkdir -p "$TMP/nores"; cp "$A/summary.csv" "$TMP/nores/"
bad compare_missing_results "B: .*results.csv: missing" "$A" "$TMP/nores"
mkdir -p "$TMP/empty"; : >"$TMP/empty/results.csv"
bad compare_empty_file "B: .*empty" "$A" "$TMP/empty"
mkdir -p "$TMP/hdr"; head -n 1 "$A/results.csv" >"$TMP/hdr/results.csv"
bad compare_header_only "B: .*no data rows" "$A" "$TMP/hdr"
mkdir -p "$TMP/cols"; sed '5s/$/,extra/' "$A/results.csv" >"$TMP/cols/results.csv"
bad compare_wrong_column_count "B: .*line 5" "$A" "$TMP/cols"
mkdir -p "$TMP/trunc"; head -c 3000 "$A/results.csv" >"$TMP/trunc/results.csv"
bad compare_truncated_mid_row "B: .*results.csv: line" "$A" "$TMP/trunc"
mkdir -p "$TMP/utf"; sed '4s/lookup/lo\xffkup/' "$A/results.csv" >"$TMP/utf/results.csv"
bad compare_not_utf8 "B: .*line 4" "$A" "$TMP/utf"
mkdir -p "$TMP/huge"; truncate -s 100M "$TMP/huge/results.csv"
bad compare_huge_file "B: .*larger than" "$A" "$TMP/huge"
edit_run "$A" "$TMP/nocol" '{ print }'
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ns_per_op") k = i }
	{ out = ""; sep = ""; for (i = 1; i <= NF; i++) if (i != k) { out = out sep $i; sep = "," }; print out }' \
	"$A/results.csv" >"$TMP/nocol/results.csv"
bad compare_missing_column "B: .*missing column ns_per_op" "$A" "$TMP/nocol"
edit_run "$A" "$TMP/nonnum" 'NR == 7 { $c["ns_per_op"] = "12x" } { print }'
bad compare_non_numeric "B: .*line 7: column ns_per_op: not a positive number" "$A" "$TMP/nonnum"
edit_run "$A" "$TMP/badkey" 'NR == 9 { $c["strategy"] = "ref count" } { print }'
bad compare_bad_key_value "B: .*line 9: column strategy: bad value 'ref count'" "$A" "$TMP/badkey"
edit_run "$A" "$TMP/s2" '{ $c["schema"] = 2; print }'
bad compare_schema_mismatch "schema mismatch: A=1 B=2" "$A" "$TMP/s2"
bad compare_schema_mismatch_reversed "schema mismatch: A=2 B=1" "$TMP/s2" "$A"
bad compare_schema_unsupported "schema 2 in both runs" "$TMP/s2" "$TMP/s2"
edit_run "$A" "$TMP/other" '{ $c["scenario"] = "other-" $c["scenario"]; print }'
bad compare_no_common_configuration "no common configuration" "$A" "$TMP/other"
bad compare_out_inside_a "--out=.*inside run directory A" "$A" "$TMP/A2" --out="$A/x.csv"
bad compare_out_inside_b "--out=.*inside run directory B" "$A" "$TMP/A2" --out="$TMP/A2/./x.csv"
bad compare_out_missing_dir "--out=.*directory does not exist" "$A" "$TMP/A2" --out="$TMP/no/such/x.csv"
bad compare_out_is_dir "--out=.*is a directory" "$A" "$TMP/A2" --out="$TMP"
bad compare_one_dir "need two run directories" "$A"
bad compare_fail_on_bad "--fail-on: invalid value 'sometimes'" "$A" "$A" --fail-on=sometimes
bad compare_drift_bad "--drift: invalid value 'x'" "$A" "$A" --drift=x
bad compare_three_no_common "no common configuration.*B2" "$A" "$A" "$TMP/other"
bad compare_three_schema "schema mismatch: A=1 B2=2" "$A" "$A" "$TMP/s2"
bad compare_unknown_flag "--bogus: unknown flag" "$A" "$A" --bogus
bad compare_bad_seed "--seed: invalid value 'abc'" "$A" "$A" --seed=abc
bad compare_negative_seed "--seed: invalid value '-1'" "$A" "$A" --seed=-1
bad compare_empty_out "--out" "$A" "$A" --out=

# CRLF line ends are a good file; --help is not an error
mkdir -p "$TMP/crlf"; sed 's/$/\r/' "$A/results.csv" >"$TMP/crlf/results.csv"
if "$BIN" compare "$A" "$TMP/crlf" --out="$TMP/crlf.csv" --no-plot >"$TMP/out" 2>"$TMP/err" &&
   [ "$(col "$TMP/crlf.csv" verdict | sort -u)" = no-significant-difference ]; then
	pass compare_crlf_accepted
else
	fail compare_crlf_accepted "$(cat "$TMP/err")"
fi
expect_exit compare_help 0 "$BIN" compare --help

# --- --fail-on: exit 1 when a verdict of that kind is found, 0 otherwise ---
expect_exit compare_fail_on_slower_found 1 "$BIN" compare "$A" "$TMP/B" --out="$TMP/fo.csv" --no-plot --fail-on=slower
expect_exit compare_fail_on_faster_absent 0 "$BIN" compare "$A" "$TMP/B" --out="$TMP/fo.csv" --no-plot --fail-on=faster
expect_exit compare_fail_on_any_found 1 "$BIN" compare "$A" "$TMP/F" --out="$TMP/fo.csv" --no-plot --fail-on=any
expect_exit compare_fail_on_faster_found 1 "$BIN" compare "$A" "$TMP/F" --out="$TMP/fo.csv" --no-plot --fail-on=faster
expect_exit compare_fail_on_a_a 0 "$BIN" compare "$A" "$TMP/A2" --out="$TMP/fo.csv" --no-plot --fail-on=any
[ -s "$TMP/fo.csv" ] && pass compare_fail_on_still_writes || fail compare_fail_on_still_writes "no compare.csv"

# --- --out=-: the CSV on stdout (parseable, same as a file), the table on stderr, no file named - ---
rm -f "$W/-"
if (cd "$W" && "$BIN" compare "$A" "$TMP/B" --out=- >"$TMP/stdout.csv" 2>"$TMP/err"); then
	if [ ! -e "$W/-" ] && cmp -s "$TMP/stdout.csv" "$TMP/slow.csv" && grep -q 'configurations:' "$TMP/err"; then
		pass compare_out_stdout
	else
		fail compare_out_stdout "file '-' exists, or stdout differs from --out=FILE, or no table on stderr"
	fi
else
	fail compare_out_stdout "exit $?: $(head -c 300 "$TMP/err")"
fi

# --- drift: B is A with every row 4% slower (a whole run moved), plus rcu 10% more ---
scale_run "$A" "$TMP/D" '1' 1.04
scale_run "$TMP/D" "$TMP/DR" '$c["strategy"] == "rcu"' 1.10
"$BIN" compare "$A" "$TMP/D" --out="$TMP/drift.csv" --no-plot >/dev/null 2>&1
n=$(col "$TMP/drift.csv" verdict | grep -vc no-significant-difference)
[ "$n" = 0 ] && pass compare_drift_floor_cancels || fail compare_drift_floor_cancels "$n rows flagged for a whole-run drift of 4%"
"$BIN" compare "$A" "$TMP/D" --out="$TMP/drift0.csv" --no-plot --drift=none >/dev/null 2>&1
n=$(col "$TMP/drift0.csv" verdict | grep -c slower)
[ "$n" = 150 ] && pass compare_drift_none_sees_drift || fail compare_drift_none_sees_drift "$n of 150 rows slower with --drift=none"
"$BIN" compare "$A" "$TMP/DR" --out="$TMP/driftr.csv" --no-plot >/dev/null 2>&1
flagged=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["verdict"] != "no-significant-difference" { print $c["strategy"], $c["verdict"], $c["basis"] }' "$TMP/driftr.csv" | sort | uniq -c | awk '{ $1 = $1; print }')
[ "$flagged" = "12 rcu slower floor" ] && pass compare_drift_real_change_found || fail compare_drift_real_change_found "flagged: '$flagged'"
# the none/1-thread rows are the raw anchor
b=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["strategy"] == "none" && $c["threads"] == 1 { print $c["basis"] }' "$TMP/drift.csv" | sort -u)
[ "$b" = raw ] && pass compare_floor_rows_raw || fail compare_floor_rows_raw "basis '$b'"

# --- between machines: the verdict is on the normalised ratio (B is 2x slower overall, rcu 1.2x more) ---
edit_run "$A" "$TMP/M2" '{ $c["machine"] = "other-box"; $c["ns_per_op"] = $c["ns_per_op"] * ($c["strategy"] == "rcu" ? 2.4 : 2); print }'
"$BIN" compare "$A" "$TMP/M2" --out="$TMP/m2.csv" --no-plot >/dev/null 2>&1
flagged=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["verdict"] == "slower" || $c["verdict"] == "faster" { print $c["strategy"], $c["verdict"] }' "$TMP/m2.csv" | sort | uniq -c | awk '{ $1 = $1; print }')
ref=$(col "$TMP/m2.csv" verdict | grep -c reference)
[ "$flagged" = "12 rcu slower" ] && [ "$ref" -gt 0 ] && pass compare_machines_verdict_normalised ||
	fail compare_machines_verdict_normalised "flagged '$flagged', reference rows $ref"

# --- the same machine name, other hardware (machine.txt's cpu_model): two machines, said once ---
edit_run "$A" "$TMP/M3" '{ $c["ns_per_op"] = $c["ns_per_op"] * ($c["strategy"] == "rcu" ? 2.4 : 2); print }'
sed -i 's/^cpu_model: .*/cpu_model: Some Other Processor   /' "$TMP/M3/machine.txt"
"$BIN" compare "$A" "$TMP/M3" --out="$TMP/m3.csv" --no-plot >"$TMP/out" 2>"$TMP/err"
flagged=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["verdict"] == "slower" || $c["verdict"] == "faster" { print $c["strategy"], $c["verdict"] }' "$TMP/m3.csv" | sort | uniq -c | awk '{ $1 = $1; print }')
ref=$(col "$TMP/m3.csv" verdict | grep -c reference)
n=$(grep -c "^note: A and B are both named '.*' but their machine.txt describe other hardware (A: cpu_model: .*; B: cpu_model: Some Other Processor[;)]" "$TMP/out")
[ "$flagged" = "12 rcu slower" ] && [ "$ref" -gt 0 ] && [ "$n" -eq 1 ] && pass compare_same_name_other_hardware ||
	fail compare_same_name_other_hardware "flagged '$flagged', reference rows $ref, note lines $n: $(head -c 400 "$TMP/out")"
cp -r "$A" "$TMP/A3"
"$BIN" compare "$A" "$TMP/A3" --out="$TMP/a3.csv" --no-plot >"$TMP/out" 2>"$TMP/err"
! grep -q 'other hardware' "$TMP/out" && [ -z "$(col "$TMP/a3.csv" norm_ratio | tr -d '\n')" ] &&
	pass compare_same_hardware_one_machine || fail compare_same_hardware_one_machine "$(grep 'other hardware' "$TMP/out")"

# --- three runs: A the baseline, one table, a b_run per row ---
if "$BIN" compare "$A" "$TMP/A2" "$TMP/B" --out="$TMP/three-runs.csv" --no-plot >"$TMP/out" 2>"$TMP/err"; then
	r1=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["b_run"] == 1' "$TMP/three-runs.csv" | wc -l)
	r2=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["b_run"] == 2 && $c["verdict"] == "slower" { print $c["strategy"] }' "$TMP/three-runs.csv" | sort | uniq -c | awk '{ $1 = $1; print }')
	s1=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["b_run"] == 1 && $c["verdict"] != "no-significant-difference"' "$TMP/three-runs.csv" | wc -l)
	if [ "$r1" = 150 ] && [ "$s1" = 0 ] && [ "$r2" = "12 rcu" ] && grep -q '^B2: ' "$TMP/out"; then
		pass compare_three_runs
	else
		fail compare_three_runs "B1 rows $r1 (flagged $s1), B2 slower '$r2'"
	fi
else
	fail compare_three_runs "exit $?: $(head -c 300 "$TMP/err")"
fi

# --drift=scale: a whole-run drift of 4% cancels; rcu's 10% more is still found
"$BIN" compare "$A" "$TMP/D" --out="$TMP/drifts.csv" --no-plot --drift=scale >/dev/null 2>&1
n=$(col "$TMP/drifts.csv" verdict | grep -vc no-significant-difference)
[ "$n" = 0 ] && pass compare_drift_scale_cancels || fail compare_drift_scale_cancels "$n rows flagged"
"$BIN" compare "$A" "$TMP/DR" --out="$TMP/driftsr.csv" --no-plot --drift=scale >/dev/null 2>&1
flagged=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["verdict"] != "no-significant-difference" { print $c["strategy"], $c["verdict"], $c["basis"] }' "$TMP/driftsr.csv" | sort | uniq -c | awk '{ $1 = $1; print }')
[ "$flagged" = "12 rcu slower scale" ] && pass compare_drift_scale_finds_change || fail compare_drift_scale_finds_change "flagged: '$flagged'"
# three runs with plots: one PNG per group, every run named once in its colour
if "$BIN" compare "$A" "$TMP/A2" "$TMP/B" --out="$TMP/plots-out/three.csv" >"$TMP/out" 2>"$TMP/err" &&
   [ "$(ls "$TMP/plots-out/three-plots"/overlay-*.png | wc -l)" -eq 4 ] &&
   grep -q 'dashed: B1: ' "$TMP/plots-out/three-plots/overlay-lookup-compact-strict-device.svg" &&
   grep -q 'dashed: B2: ' "$TMP/plots-out/three-plots/overlay-lookup-compact-strict-device.svg"; then
	pass compare_three_runs_overlay
else
	fail compare_three_runs_overlay "exit $?: $(head -c 300 "$TMP/err")"
fi

# --disturbed: a repetition with a host or scheduler flag is left out where
# enough clean ones remain for p < alpha to stay possible: 4 at --alpha=0.05
# (cached: rep 5 flagged and 3x slower), kept where fewer would (static-key:
# reps 4 and 5 flagged); keep counts all. The default alpha (0.01) needs 5:
# below, after the 0.05 cases
edit_run "$A" "$TMP/H" '$c["strategy"] == "cached" && $c["rep"] == 5 { $c["ns_per_op"] *= 3; $c["flags"] = "desched+host-c2c" }
	$c["strategy"] == "static-key" && $c["rep"] >= 4 { $c["flags"] = "host-slow" }
	$c["strategy"] == "rcu" && $c["rep"] == 5 { $c["flags"] = "host-c2cx" } { print }'
reps_of() { awk -F, -v s="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["strategy"] == s { print $c["b_reps"] }' "$1" | sort -u | tr '\n' ' '; }
if "$BIN" compare "$A" "$TMP/H" --out="$TMP/dist.csv" --no-plot --alpha=0.05 >"$TMP/out" 2>"$TMP/err"; then
	got="cached $(reps_of "$TMP/dist.csv" cached)static-key $(reps_of "$TMP/dist.csv" static-key)rcu $(reps_of "$TMP/dist.csv" rcu)"
	[ "$got" = "cached 4 static-key 5 rcu 5 " ] && pass compare_disturbed_dropped_where_four_remain ||
		fail compare_disturbed_dropped_where_four_remain "b_reps: $got"
	# B's median of each cached configuration is the median of its four clean
	# repetitions (the mean of the middle two), not of all five
	med=$(awk -F, 'FNR == 1 { delete c; for (i = 1; i <= NF; i++) c[$i] = i; f++; next }
		f == 1 && $c["strategy"] == "cached" && $c["rep"] <= 4 {
			k = $c["scenario"] "," $c["mode"] "," $c["invalidation"] "," $c["sharing"] "," $c["threads"]
			v[k, ++n[k]] = $c["ns_per_op"] + 0 }
		f == 2 && $c["strategy"] == "cached" {
			k = $c["scenario"] "," $c["mode"] "," $c["invalidation"] "," $c["sharing"] "," $c["threads"]
			for (i = 2; i <= 4; i++) for (j = i; j > 1 && v[k, j - 1] > v[k, j]; j--) { t = v[k, j]; v[k, j] = v[k, j - 1]; v[k, j - 1] = t }
			want = (v[k, 2] + v[k, 3]) / 2; got = $c["b_median_ns"] + 0; rows++
			if (n[k] != 4 || got < want * 0.9999 || got > want * 1.0001) bad++ }
		END { print bad + 0 "/" rows + 0 }' "$TMP/H/results.csv" "$TMP/dist.csv")
	[ "$med" = 0/12 ] && pass compare_disturbed_median_without_it || fail compare_disturbed_median_without_it "cached rows whose B median is not that of the four clean repetitions: $med"
	grep -q '^B: left out 12 of 750 repetitions with a host or scheduler flag; 24 configurations had fewer than 4 clean ones and kept all' "$TMP/out" &&
		pass compare_disturbed_said || fail compare_disturbed_said "$(grep 'left out' "$TMP/out")"
else
	fail compare_disturbed_dropped_where_four_remain "exit $?: $(head -c 300 "$TMP/err")"
fi
"$BIN" compare "$A" "$TMP/H" --out="$TMP/keep.csv" --no-plot --disturbed=keep >"$TMP/out" 2>&1
got=$(reps_of "$TMP/keep.csv" cached)
[ "$got" = "5 " ] && ! grep -q 'left out' "$TMP/out" && pass compare_disturbed_keep ||
	fail compare_disturbed_keep "cached b_reps '$got'; $(grep 'left out' "$TMP/out")"
# the default alpha, 0.01: 5 a side is the fewest with which p < 0.01 is
# possible, so a configuration with a flagged repetition of 5 keeps all of
# them (cached 5, static-key 5) and the line says 5; one whose kept
# repetitions are half or more flagged gets no verdict (T: dev-flag reps 3-5
# flagged and 3x slower: too-disturbed, not slower)
verdicts_of() { awk -F, -v s="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["strategy"] == s { print $c["verdict"] }' "$1" | sort | uniq -c | awk '{ $1 = $1; print }' | tr '\n' ' '; }
if "$BIN" compare "$A" "$TMP/H" --out="$TMP/dist01.csv" --no-plot >"$TMP/out" 2>"$TMP/err" &&
   [ "$(reps_of "$TMP/dist01.csv" cached)$(reps_of "$TMP/dist01.csv" static-key)" = "5 5 " ] &&
   grep -q '^B: left out 0 of 750 repetitions with a host or scheduler flag; 36 configurations had fewer than 5 clean ones and kept all' "$TMP/out" &&
   grep -q '99% interval that inverts the rank test.*p < 0.01 (--alpha)' "$TMP/out"; then
	pass compare_default_alpha_keeps_under_five_clean
else
	fail compare_default_alpha_keeps_under_five_clean "cached/static-key b_reps: $(reps_of "$TMP/dist01.csv" cached)$(reps_of "$TMP/dist01.csv" static-key); $(grep -E 'left out|interval' "$TMP/out"; head -c 300 "$TMP/err")"
fi
edit_run "$A" "$TMP/T" '$c["strategy"] == "dev-flag" && $c["rep"] >= 3 { $c["ns_per_op"] *= 3; $c["flags"] = "host-slow" } { print }'
if "$BIN" compare "$A" "$TMP/T" --out="$TMP/td.csv" --no-plot >"$TMP/out" 2>"$TMP/err" &&
   verdicts_of "$TMP/td.csv" dev-flag | grep -qx '[0-9][0-9]* too-disturbed ' &&
   [ "$(col "$TMP/td.csv" verdict | grep -c slower)" = 0 ] &&
   grep -q 'too disturbed to judge (half or more of a side' "$TMP/out"; then
	pass compare_too_disturbed_no_verdict
else
	fail compare_too_disturbed_no_verdict "dev-flag: $(verdicts_of "$TMP/td.csv" dev-flag); $(grep configurations: "$TMP/out"; head -c 300 "$TMP/err")"
fi
# a quarter or more too disturbed: a note says what to do (TA: every
# strategy's repetitions 3-5 flagged); T (12 of 150) prints no such note
edit_run "$A" "$TMP/TA" '$c["rep"] >= 3 { $c["flags"] = "host-slow" } { print }'
"$BIN" compare "$A" "$TMP/TA" --out="$TMP/ta.csv" --no-plot >"$TMP/out" 2>&1
"$BIN" compare "$A" "$TMP/T" --out="$TMP/td.csv" --no-plot >"$TMP/out-t" 2>&1
grep -q '^note: 150 of 150 configurations could not be judged (the host flagged half or more' "$TMP/out" &&
   ! grep -q 'could not be judged' "$TMP/out-t" && pass compare_too_disturbed_note ||
	fail compare_too_disturbed_note "$(grep -h 'judged' "$TMP/out" "$TMP/out-t")"
# too-disturbed is not a verdict: --fail-on=any does not trip on it (T5:
# every dev-flag repetition flagged and 3x slower, which judged whole would
# be called slower; --disturbed=keep judges it and trips)
edit_run "$A" "$TMP/T5" '$c["strategy"] == "dev-flag" { $c["ns_per_op"] *= 3; $c["flags"] = "host-slow" } { print }'
expect_exit compare_fail_on_ignores_too_disturbed 0 "$BIN" compare "$A" "$TMP/T5" --out="$TMP/td-fo.csv" --no-plot --fail-on=any
expect_exit compare_fail_on_disturbed_keep_trips 1 "$BIN" compare "$A" "$TMP/T5" --out="$TMP/td-fo.csv" --no-plot --fail-on=any --disturbed=keep
# --metric=p50 judges batch_p50_ns: rcu's window means 20% slower with its
# batch medians unchanged (a host phase over part of each window) is slower
# by the mean and no difference by p50; its batch medians 20% slower with
# the means unchanged, the other way round; compare.csv names the metric
edit_run "$A" "$TMP/MEAN" '$c["strategy"] == "rcu" { $c["ns_per_op"] *= 1.2 } { print }'
edit_run "$A" "$TMP/P50" '$c["strategy"] == "rcu" { $c["batch_p50_ns"] *= 1.2 } { print }'
slower_of() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["verdict"] == "slower" { print $c["strategy"] }' "$1" | sort | uniq -c | awk '{ $1 = $1; print }' | tr '\n' ' '; }
"$BIN" compare "$A" "$TMP/MEAN" --out="$TMP/mm.csv" --no-plot >/dev/null 2>&1
"$BIN" compare "$A" "$TMP/MEAN" --out="$TMP/mp.csv" --no-plot --metric=p50 >"$TMP/out" 2>&1
"$BIN" compare "$A" "$TMP/P50" --out="$TMP/pm.csv" --no-plot >/dev/null 2>&1
"$BIN" compare "$A" "$TMP/P50" --out="$TMP/pp.csv" --no-plot --metric=p50 >/dev/null 2>&1
got="$(slower_of "$TMP/mm.csv")|$(slower_of "$TMP/mp.csv")|$(slower_of "$TMP/pm.csv")|$(slower_of "$TMP/pp.csv")"
if [ "$got" = "12 rcu |||12 rcu " ] && [ "$(col "$TMP/mp.csv" metric | sort -u)" = batch_p50_ns ] &&
   [ "$(col "$TMP/mm.csv" metric | sort -u)" = ns_per_op ] && grep -q '^per repetition: batch_p50_ns' "$TMP/out"; then
	pass compare_metric_p50
else
	fail compare_metric_p50 "slower rows (mean/mean, mean/p50, p50/mean, p50/p50): '$got'; metric $(col "$TMP/mp.csv" metric | sort -u)"
fi
"$BIN" compare "$A" "$TMP/B" --metric=p90 --no-plot >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 metric; then pass compare_metric_bad; else fail compare_metric_bad "$WHY"; fi
# --interval: twenty repetitions a configuration (each fixture row four
# times, apart by 0.07%), `cached` at two levels (1.4x in a third of its
# repetitions, other ones in A and B) and 5% slower in B. The Hodges-Lehmann
# interval (the default) finds every cached row slower; the ratio of medians'
# bootstrap interval, whose resampled medians fall on either level, fewer.
# Every other row: no difference either way; compare.csv names the interval.
twenty() {	# twenty SRC DST HIGH_REP_MOD3 FACTOR
	edit_run "$1" "$2" '{ r = $c["rep"]; for (k = 0; k < 4; k++) { $c["rep"] = r + 5 * k; x = 1 + 0.0007 * k
		if ($c["strategy"] == "cached") x *= '"$4"' * (($c["rep"] % 3) == '"$3"' ? 1.4 : 1)
		$c["ns_per_op"] = $c["ns_per_op"] * x; print; $c["ns_per_op"] = $c["ns_per_op"] / x } }'
}
twenty "$A" "$TMP/L2A" 0 1
twenty "$A" "$TMP/L2B" 1 1.05
"$BIN" compare "$TMP/L2A" "$TMP/L2B" --out="$TMP/hl.csv" --no-plot >"$TMP/out" 2>&1
"$BIN" compare "$TMP/L2A" "$TMP/L2B" --out="$TMP/boot.csv" --no-plot --interval=bootstrap >/dev/null 2>&1
ncached=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["strategy"] == "cached"' "$TMP/hl.csv" | wc -l)
hl=$(slower_of "$TMP/hl.csv") boot=$(slower_of "$TMP/boot.csv")
nboot=${boot% cached }
if [ "$ncached" -gt 0 ] && [ "$hl" = "$ncached cached " ] && { [ -z "$boot" ] || { [ "$boot" = "$nboot cached " ] && [ "$nboot" -lt "$ncached" ]; }; } &&
   [ "$(col "$TMP/hl.csv" interval | sort -u)" = hl ] && [ "$(col "$TMP/boot.csv" interval | sort -u)" = bootstrap ] &&
   grep -q '^ratio = Hodges-Lehmann' "$TMP/out" && [ "$(col "$TMP/hl.csv" verdict | grep -c faster)" = 0 ]; then
	pass compare_interval_hl_two_levels
else
	fail compare_interval_hl_two_levels "$ncached cached rows; slower with hl '$hl', with bootstrap '$boot'; interval $(col "$TMP/hl.csv" interval | sort -u)"
fi
# --blocks: eight blocks, each an A run and a B run at one level of their
# own (0.8 to 1.3 times the fixture: the host's level over a block), cached
# 4.1-4.8% slower in every B (a factor of its own in each block, so the
# blocks' estimates are untied: the exact test). Judged block by block: exactly the cached rows
# slower, every value of every block used (40 a side), the interval named
# hl-blocks; --fail-on trips; every bad input is one line and exit 2.
blk_run() {	# blk_run SRC DST LEVEL CACHED_FACTOR [AWK_FLAG_CONDITION]
	edit_run "$1" "$2" '{ x = '"$3"'; if ($c["strategy"] == "cached") x *= '"$4"'; $c["ns_per_op"] = $c["ns_per_op"] * x
		if ('"${5:-0}"') $c["flags"] = "host-slow"; print }'
}
bk=() i=0
for lv in 1 1.3 0.8 1.15 0.9 1.2 1.05 0.85; do
	i=$((i + 1))
	blk_run "$A" "$TMP/BK/a$i" "$lv" 1
	blk_run "$A" "$TMP/BK/b$i" "$lv" "1.0$((40 + i))"	# 5% give or take: untied block estimates
	bk+=("$TMP/BK/a$i" "$TMP/BK/b$i")
done
"$BIN" compare --blocks "${bk[@]}" --out="$TMP/bk.csv" --no-plot >"$TMP/out" 2>&1
rc=$?
ncached=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["strategy"] == "cached"' "$TMP/bk.csv" | wc -l)
if [ $rc = 0 ] && [ "$ncached" -gt 0 ] && [ "$(slower_of "$TMP/bk.csv")" = "$ncached cached " ] &&
   [ "$(col "$TMP/bk.csv" verdict | grep -c faster)" = 0 ] && [ "$(col "$TMP/bk.csv" interval | sort -u)" = hl-blocks ] &&
   [ "$(col "$TMP/bk.csv" a_reps | sort -u)" = 40 ] && [ "$(col "$TMP/bk.csv" b_reps | sort -u)" = 40 ] &&
   grep -q '^blocks: 8, each an A run and a B run' "$TMP/out" && grep -q '^ratio = Hodges-Lehmann of each block' "$TMP/out" &&
   grep -q "^A: $TMP/BK/a1 and 7 more (blocks)" "$TMP/out"; then
	pass compare_blocks_finds_the_change
else
	fail compare_blocks_finds_the_change "exit $rc; $ncached cached rows; slower '$(slower_of "$TMP/bk.csv")'; $(head -c 300 "$TMP/out")"
fi
expect_exit compare_blocks_fail_on 1 "$BIN" compare --blocks "${bk[@]}" --out="$TMP/bk-fo.csv" --no-plot --fail-on=slower
# cached's repetitions all host-slow in the A runs of blocks 1-3: with
# --disturbed=drop those runs are left out, and 5 blocks cannot reach
# p < 0.01 (2/32 at best): too-disturbed; the default with --blocks
# (keep) judges all eight, and says it kept them
blk_run "$A" "$TMP/BD/a1" 1 1 '$c["strategy"] == "cached"'
blk_run "$A" "$TMP/BD/a2" 1.3 1 '$c["strategy"] == "cached"'
blk_run "$A" "$TMP/BD/a3" 0.8 1 '$c["strategy"] == "cached"'
bd=("$TMP/BD/a1" "$TMP/BK/b1" "$TMP/BD/a2" "$TMP/BK/b2" "$TMP/BD/a3" "${bk[@]:5}")
"$BIN" compare --blocks "${bd[@]}" --out="$TMP/bd.csv" --no-plot --disturbed=drop >"$TMP/bd.out" 2>&1
"$BIN" compare --blocks "${bd[@]}" --out="$TMP/bdk.csv" --no-plot >"$TMP/bdk.out" 2>&1
td=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["strategy"] == "cached" && $c["verdict"] == "too-disturbed"' "$TMP/bd.csv" | wc -l)
if [ "$td" = "$ncached" ] && [ -z "$(slower_of "$TMP/bd.csv")" ] && [ "$(slower_of "$TMP/bdk.csv")" = "$ncached cached " ] &&
   grep -q '^blocks: 8, .*flag left out (--disturbed=drop)$' "$TMP/bd.out" &&
   grep -q '^blocks: 8, .*flag kept (--disturbed=drop leaves them out)$' "$TMP/bdk.out"; then
	pass compare_blocks_disturbed_kept_by_default
else
	fail compare_blocks_disturbed_kept_by_default "drop: $td of $ncached cached rows too-disturbed; default: '$(slower_of "$TMP/bdk.csv")'; $(grep '^blocks' "$TMP/bd.out" "$TMP/bdk.out" | head -c 400)"
fi
# a configuration missing from a side's first run (A1 without cached: a run
# taken with fewer strategies) is still pooled from the runs that have it:
# cached is judged on the 7 blocks with both sides (35 values against 40),
# slower at --alpha=0.05 (7 blocks reach 2/128 at best), never "in B only"
edit_run "$TMP/BK/a1" "$TMP/BU/a1" '$c["strategy"] != "cached" { print }'
bu=("$TMP/BU/a1" "${bk[@]:1}")
"$BIN" compare --blocks "${bu[@]}" --out="$TMP/bu.csv" --no-plot --alpha=0.05 >"$TMP/out" 2>&1
areps=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["strategy"] == "cached" { print $c["a_reps"] "/" $c["b_reps"] }' "$TMP/bu.csv" | sort -u)
if [ "$(slower_of "$TMP/bu.csv")" = "$ncached cached " ] && [ "$areps" = 35/40 ] && [ "$(col "$TMP/bu.csv" in | sort -u)" = both ]; then
	pass compare_blocks_every_runs_configurations
else
	fail compare_blocks_every_runs_configurations "slower '$(slower_of "$TMP/bu.csv")'; cached reps '$areps'; in '$(col "$TMP/bu.csv" in | sort -u | tr '\n' ' ')'"
fi
"$BIN" compare --blocks "$TMP/BK/a1" "$TMP/BK/b1" "$TMP/BK/a2" --no-plot >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 blocks; then pass compare_blocks_odd_count; else fail compare_blocks_odd_count "$WHY"; fi
"$BIN" compare --blocks "$TMP/BK/a1" "$TMP/BK/b1" --no-plot >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 blocks; then pass compare_blocks_one_block; else fail compare_blocks_one_block "$WHY"; fi
"$BIN" compare --blocks "${bk[@]}" --drift=scale --no-plot >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 scale; then pass compare_blocks_not_scale; else fail compare_blocks_not_scale "$WHY"; fi
"$BIN" compare --blocks "${bk[@]}" --interval=bootstrap --no-plot >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 bootstrap; then pass compare_blocks_not_bootstrap; else fail compare_blocks_not_bootstrap "$WHY"; fi
edit_run "$TMP/BK/b2" "$TMP/BM/b2" '{ $c["machine"] = "other-box"; print }'
"$BIN" compare --blocks "$TMP/BK/a1" "$TMP/BK/b1" "$TMP/BK/a2" "$TMP/BM/b2" --out="$TMP/bm.csv" --no-plot >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 "one machine"; then pass compare_blocks_one_machine; else fail compare_blocks_one_machine "$WHY"; fi
"$BIN" compare "$A" "$TMP/B" --interval=wald --no-plot >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 interval; then pass compare_interval_bad; else fail compare_interval_bad "$WHY"; fi
# the same with --alpha=0.05: 2 clean of 5 keep all too, and are still too disturbed
"$BIN" compare "$A" "$TMP/T" --out="$TMP/td05.csv" --no-plot --alpha=0.05 >/dev/null 2>&1
[ "$(col "$TMP/td05.csv" verdict | grep -c slower)" = 0 ] && [ "$(col "$TMP/td05.csv" verdict | grep -c too-disturbed)" -gt 0 ] &&
	pass compare_too_disturbed_at_005 || fail compare_too_disturbed_at_005 "$(col "$TMP/td05.csv" verdict | sort | uniq -c | tr '\n' ' ')"
for v in 0 x 0.5 -0.01 ''; do
	expect_usage_error "compare_alpha_bad_${v:-empty}" --alpha "$BIN" compare "$A" "$TMP/B" --out="$TMP/al.csv" --no-plot --alpha="$v"
done
# --- the placement judged across the runs (host_c2c.csv in both runs of one
# machine): one typical round trip per pair over both runs; a window off it
# is left out as host-c2c is, and the runs' own host-c2c words are not used.
# P: cached at 2 threads, rep 1 3x slow in the far placement (probes 200 ns
# against 50), rep 2 flagged host-c2c by its own run but near, rep 3 3x
# slow and near (a real outlier). Judged across: rep 1 out, rep 2 in:
# B's median of {1, 3, 1, 1} = 1x A's, 4 repetitions. Without the files
# (own flags): rep 2 out, rep 1 in: median of {3, 3, 1, 1} = 2x.
hc_of() {	# RUN_DIR AWK_CONDITION_FOR_FAR: host_c2c.csv for every 2+ thread row
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
		print "scenario,strategy,mode,invalidation,sharing,placement,home_node,threads,rep,pu_a,pu_b,before_ns,after_ns,typical_ns,host_c2c"; next }
		$c["threads"] >= 2 { rt = ('"$2"') ? 200 : 50
		print $c["scenario"], $c["strategy"], $c["mode"], $c["invalidation"], $c["sharing"], $c["placement"],
		      $c["home_node"], $c["threads"], $c["rep"], 0, 1, rt, rt, 50, rt == 200 }' "$1/results.csv" >"$1/host_c2c.csv"
}
cp -r "$A" "$TMP/PA"
hc_of "$TMP/PA" 0
edit_run "$A" "$TMP/PB" '$c["strategy"] == "cached" && $c["threads"] == 2 && $c["rep"] == 1 { $c["ns_per_op"] *= 3 }
	$c["strategy"] == "cached" && $c["threads"] == 2 && $c["rep"] == 2 { $c["flags"] = "host-c2c" }
	$c["strategy"] == "cached" && $c["threads"] == 2 && $c["rep"] == 3 { $c["ns_per_op"] *= 3 } { print }'
hc_of "$TMP/PB" '$c["strategy"] == "cached" && $c["threads"] == 2 && $c["rep"] == 1'
cached2() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "cached" && $c["threads"] == 2 { printf "%.1f %s\n", $c["raw_ratio"], $c["b_reps"] }' "$1" | sort -u | tr '\n' ' '; }
if "$BIN" compare "$TMP/PA" "$TMP/PB" --out="$TMP/place.csv" --no-plot --alpha=0.05 >"$TMP/out" 2>"$TMP/err" &&
   [ "$(cached2 "$TMP/place.csv")" = "1.0 4 " ] &&
   grep -q '^placement: the runs.* (PUs 0-1: 50.0 ns, .*2 probes off, 2 repetitions left out for it' "$TMP/out"; then
	pass compare_placement_judged_across_runs
else
	fail compare_placement_judged_across_runs "cached at 2 threads: $(cached2 "$TMP/place.csv"); $(grep placement "$TMP/out"; head -c 300 "$TMP/err")"
fi
rm "$TMP/PA/host_c2c.csv"
if "$BIN" compare "$TMP/PA" "$TMP/PB" --out="$TMP/place-own.csv" --no-plot --alpha=0.05 >"$TMP/out" 2>"$TMP/err" &&
   [ "$(cached2 "$TMP/place-own.csv")" = "2.0 4 " ] && ! grep -q '^placement:' "$TMP/out"; then
	pass compare_placement_own_flags_without_the_files
else
	fail compare_placement_own_flags_without_the_files "cached at 2 threads: $(cached2 "$TMP/place-own.csv"); $(grep placement "$TMP/out")"
fi

"$BIN" compare "$A" "$TMP/H" --disturbed=some --no-plot >"$TMP/out" 2>"$TMP/err"
if one_line_error $? 2 disturbed; then pass compare_disturbed_bad_value; else fail compare_disturbed_bad_value "$WHY"; fi
