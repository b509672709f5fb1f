#!/usr/bin/env bash
# compare and plot read run directories through one validator
# (bench/runcsv.c, `dmabench check-csv`): the same rows are refused by both;
# repeated rows are not repetitions; a FIFO is refused, not waited on;
# terminal output escapes control characters; runs that did not finish are
# named in a warning; plotting is bounded.
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
A=$PWD/tests/fixtures/small
PLOT=scripts/plot.sh
export DMABENCH=$D

# run_edit SRC DST FILE AWK: DST a copy of SRC with FILE's data rows rewritten (c[] = columns)
run_edit() {
	rm -rf "$2"; cp -r "$1" "$2"
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } '"$4" "$1/$3" >"$2/$3"
}
# refused NAME PATTERN CMD...: exit 2, one stderr line matching PATTERN, within 20 s
refused() {
	local name=$1 pat=$2 rc
	shift 2
	timeout 20 "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	if [ "$rc" -ne 2 ]; then fail "$name" "exit $rc, want 2: $(head -c 300 "$TMP/err")"
	elif [ "$(wc -l <"$TMP/err")" -ne 1 ]; then fail "$name" "want one line: $(head -c 400 "$TMP/err")"
	elif ! grep -q -- "$pat" "$TMP/err"; then fail "$name" "no '$pat': $(cat "$TMP/err")"
	else pass "$name"; fi
}

# --- every row four times: not 20 repetitions (p = 4.5e-05 "slower" before) ---
run_edit "$A" "$TMP/dup" results.csv '{ for (k = 0; k < 4; k++) print }'
refused compare-duplicate-rows "configuration and rep repeated" "$D" compare "$A" "$TMP/dup" --no-plot --out="$TMP/c.csv"
refused check-csv-duplicate-rows "configuration and rep repeated" "$D" check-csv "$TMP/dup/results.csv"
run_edit "$A" "$TMP/dups" summary.csv '{ print; if (NR == 2) print }'
refused plot-duplicate-summary "repeated" "$PLOT" "$TMP/dups"
# the same configuration with distinct reps is fine
run_edit "$A" "$TMP/reps" results.csv '{ print; $c["rep"] += 100; print }'
timeout 60 "$D" compare "$A" "$TMP/reps" --no-plot --out="$TMP/c.csv" >"$TMP/out" 2>"$TMP/err" &&
	pass compare-more-reps-ok || fail compare-more-reps-ok "$(head -c 300 "$TMP/err")"

# --- one range for both: 1e308 and a home node of 1e23 refused by compare and plot ---
run_edit "$A" "$TMP/big" results.csv 'NR == 3 { $c["ns_per_op"] = "1e308" } { print }'
refused compare-1e308 "line 3: column ns_per_op" "$D" compare "$A" "$TMP/big" --no-plot --out="$TMP/c.csv"
run_edit "$A" "$TMP/bigs" summary.csv 'NR == 3 { $c["ns_per_op_median"] = "1e308" } { print }'
refused plot-1e308 "line 3: column ns_per_op_median" "$PLOT" "$TMP/bigs"
run_edit "$A" "$TMP/home" summary.csv '{ $c["home_node"] = "100000000000000000000000"; print }'
refused plot-home-1e23 "column home_node" "$PLOT" "$TMP/home"
DMABENCH=/nonexistent refused plot-home-1e23-without-binary "column home_node" "$PLOT" "$TMP/home"
run_edit "$A" "$TMP/homer" results.csv '{ $c["home_node"] = "100000000000000000000000"; print }'
refused compare-home-1e23 "column home_node" "$D" compare "$A" "$TMP/homer" --no-plot --out="$TMP/c.csv"

# --- a FIFO named results.csv / summary.csv: refused at once, not read forever ---
mkdir -p "$TMP/fifo"
cp "$A/machine.txt" "$TMP/fifo/"
mkfifo "$TMP/fifo/results.csv" "$TMP/fifo/summary.csv"
refused compare-fifo "not a regular file" "$D" compare "$A" "$TMP/fifo" --no-plot --out="$TMP/c.csv"
refused plot-fifo "summary.csv" "$PLOT" "$TMP/fifo"

# --- control characters in machine / run_id: escaped on the terminal ---
run_edit "$A" "$TMP/esc" results.csv '{ $c["machine"] = "\"evil\033[2J\033]0;pwned\007box\""; print }'
if timeout 60 "$D" compare "$A" "$TMP/esc" --no-plot --out="$TMP/c.csv" >"$TMP/out" 2>"$TMP/err"; then
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$TMP/out" "$TMP/err"; then
		fail compare-escapes-control "a raw control byte on the terminal"
	elif grep -qF 'evil\x1b[2J' "$TMP/out"; then pass compare-escapes-control
	else fail compare-escapes-control "$(grep '^B:' "$TMP/out")"; fi
else
	fail compare-escapes-control "exit: $(head -c 300 "$TMP/err")"
fi

# --- runs that did not finish: one warning line each ---
for st in interrupted running failed; do
	rm -rf "$TMP/st"; cp -r "$A" "$TMP/st"
	sed -i "s/^status: .*/status: $st/" "$TMP/st/machine.txt"
	if timeout 60 "$D" compare "$A" "$TMP/st" --no-plot --out="$TMP/c.csv" >"$TMP/out" 2>"$TMP/err" &&
	   [ "$(grep -c "warning: B: .*status '$st'" "$TMP/err")" -eq 1 ] && ! grep -q 'warning: A' "$TMP/err"; then
		pass "compare-warns-status-$st"
	else
		fail "compare-warns-status-$st" "$(head -c 300 "$TMP/err")"
	fi
done
timeout 60 "$D" compare "$A" "$A" --no-plot --out="$TMP/c.csv" >"$TMP/out" 2>"$TMP/err" && ! grep -q warning "$TMP/err" &&
	pass compare-complete-no-warning || fail compare-complete-no-warning "$(head -c 300 "$TMP/err")"

# --- a path too long is said to be too long, not missing ---
long=$TMP/$(printf 'x%.0s' $(seq 5000))
refused compare-path-too-long "too long" "$D" compare "$A" "$long" --no-plot --out="$TMP/c.csv"

# --- plotting is bounded: more than 20000 summary rows refused at once ---
mkdir -p "$TMP/huge"
cp "$A/machine.txt" "$TMP/huge/"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
	NR == 2 { for (k = 1; k <= 20001; k++) { $c["threads"] = k; print } }' "$A/summary.csv" >"$TMP/huge/summary.csv"
start=$(date +%s)
refused plot-bounded "more than 20000" "$PLOT" "$TMP/huge"
[ $(($(date +%s) - start)) -lt 15 ] && pass plot-bounded-fast || fail plot-bounded-fast "took $(($(date +%s) - start)) s"
refused plot-path-too-long "File name too long" "$PLOT" "$long"
refused plot-missing-dir "no such directory" "$PLOT" "$TMP/nope"
