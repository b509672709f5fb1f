#!/usr/bin/env bash
# The Universal Scalability Law fit of scripts/plot.sh (usl-fit.gp): the
# synthetic fixture tests/fixtures/usl has throughput made from known
# lambda, sigma, kappa (tests/fixtures/README.md); the fit must give them
# back within 5%, stay at sigma = kappa = 0 for a linear strategy instead of
# going negative, fit from four thread counts and refuse three.
. "$(dirname "$0")/lib.sh"
PLOT=scripts/plot.sh

# usl_get FILE STRATEGY COLUMN: a cell of usl.csv, by column name
usl_get() { awk -F, -v s="$2" -v n="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == s { print $c[n]; exit }' "$1"; }
# within GOT WANT REL: |GOT - WANT| <= REL * WANT (GOT must be a number)
within() { awk -v g="$1" -v w="$2" -v r="$3" 'BEGIN { d = g - w; if (d < 0) d = -d
	exit !(g ~ /^[-+0-9.eE]+$/ && d <= r * w) }'; }

cp -r tests/fixtures/usl "$TMP/usl"
if ! "$PLOT" "$TMP/usl" >"$TMP/out" 2>"$TMP/err"; then
	fail usl_fixture_plots "exit $?: $(cat "$TMP/err")"
else
	u=$TMP/usl/usl.csv
	# strategy lambda sigma kappa, as generated (tests/fixtures/gen.awk)
	for want in "refcount 1.5 0.04 0.0015" "deferred-v2 0.8 0.10 0.0005"; do
		set -- $want
		s=$1
		l=$(usl_get "$u" "$s" lambda) sg=$(usl_get "$u" "$s" sigma) k=$(usl_get "$u" "$s" kappa)
		st=$(usl_get "$u" "$s" status) np=$(usl_get "$u" "$s" n_points)
		if [ "$st" = fit ] && [ "$np" = 10 ] && within "$l" "$2" 0.05 && within "$sg" "$3" 0.05 && within "$k" "$4" 0.05; then
			pass "usl_fit_recovers_${s//-/_}"
		else
			fail "usl_fit_recovers_${s//-/_}" "got lambda=$l sigma=$sg kappa=$k status=$st n=$np, want $2 $3 $4 fit 10"
		fi
	done
	# n_peak = sqrt((1 - sigma) / kappa) and X there, from the fitted figures
	np=$(usl_get "$u" refcount n_peak) xp=$(usl_get "$u" refcount x_at_peak)
	if within "$np" "$(awk 'BEGIN { print sqrt(0.96 / 0.0015) }')" 0.05 &&
	   within "$xp" "$(awk 'BEGIN { n = sqrt(0.96 / 0.0015); print 1.5 * n / (1 + 0.04 * (n - 1) + 0.0015 * n * (n - 1)) }')" 0.05; then
		pass usl_peak_from_fit
	else
		fail usl_peak_from_fit "n_peak=$np x_at_peak=$xp"
	fi
	# linear data: sigma and kappa held at their bound 0, no peak
	l=$(usl_get "$u" cached lambda) sg=$(usl_get "$u" cached sigma) k=$(usl_get "$u" cached kappa)
	if within "$l" 2.0 0.05 && awk -v s="$sg" -v k="$k" 'BEGIN { exit !(s >= 0 && s < 1e-6 && k >= 0 && k < 1e-8) }' &&
	   [ -z "$(usl_get "$u" cached n_peak)" ] && [ "$(usl_get "$u" cached status)" = fit ]; then
		pass usl_linear_stays_at_zero_no_peak
	else
		fail usl_linear_stays_at_zero_no_peak "lambda=$l sigma=$sg kappa=$k n_peak='$(usl_get "$u" cached n_peak)'"
	fi
	if [ -s "$TMP/usl/plots/usl-lookup-compact-strict-device.png" ] &&
	   grep -q 'peak at N=' "$TMP/usl/plots/usl-lookup-compact-strict-device.svg"; then
		pass usl_plot_has_fit_legend
	else
		fail usl_plot_has_fit_legend "no usl plot or no fitted legend"
	fi
fi

# four thread counts fit, three do not: refcount cut to 1,2,4,8 / 1,2,4
for keep in "1 2 4 8:fit" "1 2 4:too-few-points (n<4)"; do
	t=${keep%%:*} want=${keep#*:}
	rm -rf "$TMP/cut"; cp -r tests/fixtures/usl "$TMP/cut"
	awk -F, -v t=" $t " 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		$c["strategy"] == "refcount" && index(t, " " $c["threads"] " ")' tests/fixtures/usl/summary.csv >"$TMP/cut/summary.csv"
	n=$(echo $t | wc -w)
	if "$PLOT" "$TMP/cut" >"$TMP/out" 2>"$TMP/err" && [ "$(usl_get "$TMP/cut/usl.csv" refcount status)" = "$want" ] &&
	   [ "$(usl_get "$TMP/cut/usl.csv" refcount n_points)" = "$n" ]; then
		pass "usl_${n}_thread_counts"
	else
		fail "usl_${n}_thread_counts" "status '$(usl_get "$TMP/cut/usl.csv" refcount status)', want '$want': $(cat "$TMP/err")"
	fi
done
if [ "$(usl_get "$TMP/cut/usl.csv" refcount lambda)" = "" ]; then
	pass usl_no_invented_fit
else
	fail usl_no_invented_fit "three points, lambda '$(usl_get "$TMP/cut/usl.csv" refcount lambda)'"
fi

# A comma-decimal locale (de_DE.UTF-8, built here into $TMP with localedef:
# no root, no system locale needed): `make plot` writes the same usl.csv
# as under C. Before, gnuplot printed "1,5" and the fit read sigma 0, kappa
# 0, n_peak inf with status fit and exit 0.
for s in scripts/bench.sh scripts/plot.sh scripts/compare-plot.sh; do
	grep -q '^export LC_ALL=C$' "$s" && pass "lc_all_c_in_$(basename "$s" .sh)" ||
		fail "lc_all_c_in_$(basename "$s" .sh)" "no 'export LC_ALL=C' line"
done
if command -v localedef >/dev/null 2>&1 && [ -d /usr/share/i18n/locales ] &&
   mkdir -p "$TMP/loc" && localedef -i de_DE -f UTF-8 "$TMP/loc/de_DE.UTF-8" >/dev/null 2>&1 &&
   [ "$(LOCPATH=$TMP/loc LC_ALL=de_DE.UTF-8 awk 'BEGIN { printf "%.1f", 1.5 }' 2>/dev/null)" = "1,5" ]; then
	cp -r tests/fixtures/usl "$TMP/usl-c" && cp -r tests/fixtures/usl "$TMP/usl-de"
	env -u LC_ALL LC_NUMERIC=C "$PLOT" "$TMP/usl-c" >/dev/null 2>&1
	if env -u LC_ALL LOCPATH="$TMP/loc" LANG=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 \
		make -s --no-print-directory -o "$BUILD/dmabench" BUILD="$BUILD" DMABENCH_DEPS_OK=1 \
		plot RUN="$TMP/usl-de" >"$TMP/out" 2>"$TMP/err" &&
	   cmp -s "$TMP/usl-c/usl.csv" "$TMP/usl-de/usl.csv"; then
		pass usl_comma_decimal_locale_same_as_c
	else
		fail usl_comma_decimal_locale_same_as_c "$(cat "$TMP/err") $(sed -n 2p "$TMP/usl-de/usl.csv")"
	fi
else
	echo "# localedef or de_DE source missing: comma-decimal run skipped (LC_ALL=C lines still checked)"
fi
