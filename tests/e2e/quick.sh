#!/usr/bin/env bash
# build/dmabench --quick end to end: the run directory and its CSVs.
. "$(dirname "$0")/lib.sh"

run=$TMP/run
"$DMABENCH" --quick --out="$run" >"$TMP/stdout" 2>"$TMP/stderr"
rc=$?
[ $rc -eq 0 ] && pass quick-exit || { fail quick-exit "exit $rc: $(tail -3 "$TMP/stderr")"; exit 0; }

for f in results.csv summary.csv machine.txt results.json; do
	[ -s "$run/$f" ] && pass "has-$f" || fail "has-$f" "missing or empty"
done
grep -q "^run directory: $run\$" "$TMP/stdout" && pass prints-run-dir || fail prints-run-dir "no 'run directory:' line"
grep -q ': ns per call (thread time)' "$TMP/stdout" && pass prints-table || fail prints-table "no table on stdout"
grep -q '^status: complete$' "$run/machine.txt" && pass machine-status || fail machine-status "no 'status: complete'"

# same field count on every line, no quoting needed, numbers parse
for f in results.csv summary.csv; do
	bad=$(awk -F, 'NR==1{n=NF} NF!=n{print NR; exit}' "$run/$f")
	[ -z "$bad" ] && pass "$f-fields" || fail "$f-fields" "line $bad has a different field count"
	num_cols=$(head -1 "$run/$f" | tr ',' '\n' | grep -nE '_ns$|_per_op$|^ops$|^threads$|^rep$|mops_per_s|_median$|_min$|_max$|_cv$|_lo$|_hi$|fraction$' | cut -d: -f1 | tr '\n' ' ')
	badnum=$(awk -F, -v cols="$num_cols" 'NR>1{n=split(cols,c," "); for(i=1;i<=n;i++){v=$c[i]; if (v!="" && v !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) {print NR": "v; exit}}}' "$run/$f")
	[ -z "$badnum" ] && pass "$f-numbers" || fail "$f-numbers" "not a number at $badnum"
done

# every column in results/README.md exists in the CSV and vice versa
for f in results.csv summary.csv; do
	doc=$(awk -v f="$f" '$0 ~ "<!-- columns:"f {on=1; next} on && /<!-- end -->/ {on=0} on' results/README.md |
		sed -n 's/^| `\([^`]*\)`.*/\1/p' | sort)
	csv=$(head -1 "$run/$f" | tr ',' '\n' | sort)
	if [ "$doc" = "$csv" ]; then pass "$f-documented"; else
		fail "$f-documented" "$(diff <(echo "$doc") <(echo "$csv") | grep '^[<>]' | tr '\n' ' ')"; fi
done

# the rows: every configuration once per repetition, ops > 0, ns/op positive
rows=$(($(wc -l <"$run/results.csv") - 1))
configs=$(($(wc -l <"$run/summary.csv") - 1))
[ "$rows" -eq $((configs * 3)) ] && pass rows-per-rep || fail rows-per-rep "$rows rows for $configs configurations x 3 reps"
c=$(colnum "$run/results.csv" ops)
zero=$(awk -F, -v c="$c" 'NR>1 && $c<=0' "$run/results.csv" | wc -l)
[ "$zero" -eq 0 ] && pass ops-positive || fail ops-positive "$zero rows with no calls"
c=$(colnum "$run/results.csv" flags)
inv=$(awk -F, -v c="$c" 'NR>1 && ($c ~ /invariant-failed|failed-calls/)' "$run/results.csv" | wc -l)
[ "$inv" -eq 0 ] && pass model-invariants-hold || fail model-invariants-hold "$inv rows flagged"
# unavailable counters are empty cells with a reason, never 0
c=$(colnum "$run/results.csv" counter_status)
if grep -q 'unavailable' "$run/results.csv"; then
	cc=$(colnum "$run/results.csv" cycles_per_op)
	zeros=$(awk -F, -v c="$cc" -v s="$c" 'NR>1 && $s ~ /cycles:unavailable/ && $c != ""' "$run/results.csv" | wc -l)
	[ "$zeros" -eq 0 ] && pass unavailable-is-empty || fail unavailable-is-empty "$zeros rows with a value for an unavailable counter"
else
	pass unavailable-is-empty
fi
# every strategy in --list and both modes of the gated ones appear in the summary
for s in $("$DMABENCH" --list | sed -n '/^strategies:/,/^scenarios:/p' | awk '/^  [a-z]/{print $1}'); do
	grep -q ",$s,normal," "$run/summary.csv" && pass "summary-has-$s" || fail "summary-has-$s" "no row"
done
n=$(grep -c ',kdump,' "$run/summary.csv")
[ "$n" -gt 0 ] && pass summary-has-kdump || fail summary-has-kdump "no kdump rows"
# a second run into the same directory is refused and leaves it alone
sum=$(md5sum "$run/results.csv")
expect_usage_error out-reuse --out "$DMABENCH" --quick --out="$run"
[ "$sum" = "$(md5sum "$run/results.csv")" ] && pass out-untouched || fail out-untouched "results.csv changed"
