#!/usr/bin/env bash
# scripts/plot.sh end to end, on the synthetic fixture runs (tests/fixtures,
# copied to $TMP: the fixtures are never written): the plots and usl.csv
# appear, nothing else is written into the run directory, colours follow
# the strategy table, and every broken input fails with one line, exit 2,
# and the directory untouched.
. "$(dirname "$0")/lib.sh"
PLOT=scripts/plot.sh
FIX=tests/fixtures

# png_svg_ok DIR NAME...: each NAME.png is a PNG and each NAME.svg an SVG, both non-empty
png_svg_ok() {
	local d=$1 n
	shift
	for n in "$@"; do
		[ -s "$d/$n.png" ] && [ "$(head -c 8 "$d/$n.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
			{ echo "$n.png missing or not a PNG"; return 1; }
		[ -s "$d/$n.svg" ] && grep -q '<svg' "$d/$n.svg" && grep -q '</svg>' "$d/$n.svg" ||
			{ echo "$n.svg missing or not an SVG"; return 1; }
	done
}

# the colour of strategy NAME's first plotted line in an SVG gnuplot wrote
# (its legend title is NAME, or NAME: and the fit)
svg_color() { awk -v t="<title>$2" 'i = index($0, t) { c = substr($0, i + length(t), 1); if (c == "<" || c == ":") on = 1 }
	on && match($0, /(stroke|color)=.rgb\([^)]*\)/) {
	s = substr($0, RSTART, RLENGTH); sub(/.*rgb/, "rgb", s); gsub(/ /, "", s); print s; exit }' "$1"; }

# --- tiny: two thread counts ---
cp -r "$FIX/tiny" "$TMP/tiny"
if "$PLOT" "$TMP/tiny" >"$TMP/out" 2>"$TMP/err"; then
	st="lookup-compact-strict-device"
	if why=$(png_svg_ok "$TMP/tiny/plots" throughput-$st latency-$st overhead-$st kdump-$st \
			throughput-$st-kdump latency-$st-kdump); then
		pass plot_tiny_png_and_svg
	else
		fail plot_tiny_png_and_svg "$why"
	fi
	n=$(col "$TMP/tiny/usl.csv" status | grep -c '^too-few-points (n<4)$')
	rows=$(($(wc -l <"$TMP/tiny/usl.csv") - 1))
	lam=$(col "$TMP/tiny/usl.csv" lambda | tr -d '\n')
	if [ "$rows" -eq 5 ] && [ "$n" -eq 5 ] && [ -z "$lam" ]; then
		pass plot_tiny_usl_says_too_few_points
	else
		fail plot_tiny_usl_says_too_few_points "$n of $rows rows too-few-points, lambdas '$lam'"
	fi
	# no fit at all: no USL plot (usl.csv keeps the reason), and the script says so
	if [ -z "$(ls "$TMP/tiny/plots" | grep '^usl-')" ] && grep -q '2 USL plots not drawn (no fit)' "$TMP/out"; then
		pass plot_tiny_no_usl_plot_without_fit
	else
		fail plot_tiny_no_usl_plot_without_fit "$(ls "$TMP/tiny/plots" | grep '^usl-' | head -2) $(tail -1 "$TMP/out")"
	fi
	extra=$(cd "$TMP/tiny" && ls -A | grep -vxE 'results.csv|summary.csv|machine.txt|plots|usl.csv')
	if [ -z "$extra" ] && [ -z "$(ls "$TMP/tiny/plots" | grep -vE '\.(png|svg)$')" ]; then
		pass plot_writes_only_plots_and_usl
	else
		fail plot_writes_only_plots_and_usl "also wrote: $extra $(ls "$TMP/tiny/plots" | grep -vE '\.(png|svg)$')"
	fi
else
	fail plot_tiny_png_and_svg "exit $?: $(cat "$TMP/err")"
fi

# --- small: six thread counts, kdump rows, model column, c2c.csv ---
cp -r "$FIX/small" "$TMP/small"
if "$PLOT" "$TMP/small" >"$TMP/out" 2>"$TMP/err"; then
	names=()
	for sc in lookup map-unmap; do
		st="$sc-compact-strict-device"
		names+=(throughput-$st latency-$st overhead-$st usl-$st kdump-$st throughput-$st-kdump latency-$st-kdump usl-$st-kdump)
	done
	if why=$(png_svg_ok "$TMP/small/plots" "${names[@]}" c2c-heatmap); then
		pass plot_small_png_and_svg
	else
		fail plot_small_png_and_svg "$why"
	fi
	u=$TMP/small/usl.csv
	nfit=$(col "$u" status | grep -cx fit)
	nfew=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["strategy"] == "percpu-ref" && $c["status"] == "too-few-points (n<4)" && $c["n_points"] == 3' "$u" | wc -l)
	if [ "$nfit" -eq 24 ] && [ "$nfew" -eq 2 ]; then
		pass plot_small_usl_fits_and_too_few
	else
		fail plot_small_usl_fits_and_too_few "$nfit fits (want 24), $nfew percpu-ref too-few rows (want 2)"
	fi
	if grep -q '<title>refcount model</title>' "$TMP/small/plots/latency-lookup-compact-strict-device.svg" &&
	   ! grep -q ' model</title>' "$TMP/small/plots/latency-map-unmap-compact-strict-device.svg"; then
		pass plot_model_line_where_summary_has_it
	else
		fail plot_model_line_where_summary_has_it "refcount model line missing, or drawn where the column is empty"
	fi
	# drawing again replaces the plots whole and leaves no temporary names
	touch "$TMP/small/plots/stale.png"
	if "$PLOT" "$TMP/small" >"$TMP/out" 2>"$TMP/err" && [ ! -e "$TMP/small/plots/stale.png" ] &&
	   [ -z "$(ls -A "$TMP/small" | grep '^\.')" ]; then
		pass plot_redraw_replaces_plots
	else
		fail plot_redraw_replaces_plots "$(cat "$TMP/err") $(ls -A "$TMP/small")"
	fi
else
	fail plot_small_png_and_svg "exit $?: $(cat "$TMP/err")"
fi

# --- colours come from the strategy table, not from the CSV's order ---
# usl/ lists refcount, deferred-v2, cached; each gets the palette entry of
# its position in the table (dmabench --list), whatever the table's order.
cp -r "$FIX/usl" "$TMP/usl"
if [ -x "$DMABENCH" ] && "$PLOT" "$TMP/usl" >"$TMP/out" 2>"$TMP/err"; then
	svg=$TMP/usl/plots/throughput-lookup-compact-strict-device.svg
	pos() { "$DMABENCH" --list | awk -v s="$1" '/^strategies:/ { on = 1; next } /^[^ ]/ { on = 0 } on && NF { if ($1 == s) print n; n++ }'; }
	rc_pos=$(pos refcount) ca_pos=$(pos cached)
	c_ref=$(svg_color "$svg" refcount) c_cached=$(svg_color "$svg" cached)
	# the palette entry at each position (scripts/plot-lib.sh), as svg rgb()
	want() { eval "$(grep '^PALETTE=' scripts/plot-lib.sh)"; local h=${PALETTE[$1 % ${#PALETTE[@]}]}
		printf 'rgb(%d,%d,%d)' "0x${h:1:2}" "0x${h:3:2}" "0x${h:5:2}"; }
	if [ -n "$rc_pos" ] && [ -n "$ca_pos" ] && [ "$rc_pos" != "$ca_pos" ] &&
	   [ "$c_ref" = "$(want "$rc_pos")" ] && [ "$c_cached" = "$(want "$ca_pos")" ] &&
	   [ "$(svg_color "$TMP/usl/plots/usl-lookup-compact-strict-device.svg" cached)" = "$c_cached" ]; then
		pass plot_colours_follow_strategy_table
	else
		fail plot_colours_follow_strategy_table "refcount at $rc_pos is $c_ref, cached at $ca_pos is $c_cached"
	fi
	if DMABENCH=/nonexistent "$PLOT" "$TMP/usl" >"$TMP/out" 2>"$TMP/err" &&
	   [ "$(svg_color "$svg" refcount)" = "rgb(77,77,77)" ]; then
		pass plot_colours_without_binary_first_appearance
	else
		fail plot_colours_without_binary_first_appearance "refcount is $(svg_color "$svg" refcount): $(cat "$TMP/err")"
	fi
else
	fail plot_colours_follow_strategy_table "no $DMABENCH or plot failed: $(cat "$TMP/err")"
fi

# --- bad input: one line, exit 2, nothing written into the directory ---
# bad NAME PATTERN: runs plot.sh on $TMP/bad (made by the caller)
bad() {
	local name=$1 pat=$2 before
	before=$(fingerprint "$TMP/bad")
	"$PLOT" "$TMP/bad" >"$TMP/out" 2>"$TMP/err"
	if ! one_line_error $? 2 "$pat"; then
		fail "$name" "$WHY"
	elif [ "$before" != "$(fingerprint "$TMP/bad")" ]; then
		fail "$name" "the run directory changed"
	else
		pass "$name"
	fi
}
# fresh BROKEN_SUMMARY_COMMAND: $TMP/bad = the tiny run with summary.csv from the command
fresh() { rm -rf "$TMP/bad"; cp -r "$FIX/tiny" "$TMP/bad"; "$@" <"$FIX/tiny/summary.csv" >"$TMP/bad/summary.csv"; }
# drop_col NAME: summary.csv without column NAME
drop_col() { awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i }
	{ out = ""; sep = ""; for (i = 1; i <= NF; i++) if (i != c) { out = out sep $i; sep = "," }; print out }'; }
# set_cell LINE NAME VALUE: one cell replaced
set_cell() { awk -F, -v OFS=, -v l="$1" -v n="$2" -v v="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i } NR == l { $c = v } { print }'; }

expect_exit plot_no_argument 2 "$PLOT"
expect_exit plot_missing_dir 2 "$PLOT" "$TMP/no-such-dir"
rm -rf "$TMP/bad"; mkdir "$TMP/bad"; cp "$FIX/tiny/results.csv" "$TMP/bad/"
bad plot_missing_summary "summary.csv: missing"
fresh true;                           bad plot_empty_summary "empty file"
fresh head -n 1;                      bad plot_header_only "no data rows"
fresh sed '3s/$/,extra/';             bad plot_wrong_column_count "line 3: 31 fields, the header has 30"
fresh drop_col ns_per_op_median;      bad plot_missing_column "missing column ns_per_op_median"
fresh set_cell 4 ns_per_op_median abc; bad plot_non_numeric "line 4: column ns_per_op_median: not a positive number"
fresh set_cell 4 threads 2.5;         bad plot_non_integer_threads "line 4: column threads"
fresh set_cell 3 mops_per_s_median ""; bad plot_empty_required_number "line 3: column mops_per_s_median"
fresh set_cell 5 overhead_ns 1x;      bad plot_bad_optional_number "line 5: column overhead_ns: not a number"
fresh sed 's/^1,/2,/';                bad plot_wrong_schema "schema is '2'"
fresh head -c 700;                    bad plot_truncated_mid_row "of 30 fields"
fresh sed '4s/refcount/"ref\ncount"/'; bad plot_line_break_in_field "line 4"
fresh sed '5s/.*/&\n&/';              bad plot_duplicate_configuration "configuration repeated"
fresh sed '3s/device/dev"ice/';       bad plot_stray_quote "quote inside an unquoted field"
fresh sed '4s/lookup/lo\xffkup/';     bad plot_not_utf8 "not UTF-8"
fresh sed '4s/lookup/lo\x00kup/';     bad plot_nul_byte "NUL"
fresh sed '4s/lookup/..\/x/';         bad plot_key_with_slash "column scenario: bad value"
rm -rf "$TMP/bad"; cp -r "$FIX/tiny" "$TMP/bad"; truncate -s 100M "$TMP/bad/summary.csv"
bad plot_huge_file "more than 64 MiB"
fresh cat; printf 'from,to,round_trip_ns\n0,1,abc\n' >"$TMP/bad/c2c.csv"
bad plot_bad_c2c "c2c.csv: line 2: round_trip_ns"

# CRLF line ends and a byte-order mark are fine
rm -rf "$TMP/crlf"; cp -r "$FIX/tiny" "$TMP/crlf"
{ printf '\357\273\277'; sed 's/$/\r/' "$FIX/tiny/summary.csv"; } >"$TMP/crlf/summary.csv"
if "$PLOT" "$TMP/crlf" >"$TMP/out" 2>"$TMP/err" && [ -s "$TMP/crlf/plots/throughput-lookup-compact-strict-device.png" ]; then
	pass plot_crlf_and_bom_accepted
else
	fail plot_crlf_and_bom_accepted "$(cat "$TMP/err")"
fi

# extra event columns and a reordered header change nothing (columns by name)
rm -rf "$TMP/cols"; cp -r "$FIX/tiny" "$TMP/cols"
awk -F, -v OFS=, '{ n = NF; t = $1; $1 = $n; $n = t; print $0, (NR == 1 ? "foo_per_op" : "1") }' "$FIX/tiny/summary.csv" >"$TMP/cols/summary.csv"
if "$PLOT" "$TMP/cols" >"$TMP/out" 2>"$TMP/err" &&
   [ "$(col "$TMP/cols/usl.csv" status | grep -c 'too-few')" -eq 5 ]; then
	pass plot_columns_found_by_name
else
	fail plot_columns_found_by_name "$(cat "$TMP/err")"
fi

# several home nodes and an explicit CPU list: one plot set each, named apart
rm -rf "$TMP/multi"; cp -r "$FIX/tiny" "$TMP/multi"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } { print }
	{ $c["home_node"] = 1; print } { $c["home_node"] = 0; $c["placement"] = "cpus:0+1"; print }' \
	"$FIX/tiny/summary.csv" >"$TMP/multi/summary.csv"
if "$PLOT" "$TMP/multi" >"$TMP/out" 2>"$TMP/err" &&
   why=$(png_svg_ok "$TMP/multi/plots" throughput-lookup-compact-strict-device-home0 throughput-lookup-compact-strict-device-home1 \
		throughput-lookup-cpus-0+1-strict-device-home0 kdump-lookup-compact-strict-device-home1) &&
   [ "$(col "$TMP/multi/usl.csv" home_node | sort | uniq -c | awk '{ $1 = $1; print }' | tr '\n' ' ')" = "10 0 5 1 " ]; then
	pass plot_home_nodes_and_cpu_lists_apart
else
	fail plot_home_nodes_and_cpu_lists_apart "${why:-} $(cat "$TMP/err") $(ls "$TMP/multi/plots" | head -3)"
fi
