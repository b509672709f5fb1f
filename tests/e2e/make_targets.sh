#!/usr/bin/env bash
# Makefile targets that take a value (make plot RUN=, make compare A= B=,
# make bench/quick BENCH_ARGS=): a missing, empty or bad value fails
# (non-zero) with one line naming the variable or the flag, besides make's
# own "make: ***" line. Nothing is measured: every BENCH_ARGS here also
# carries --dry-run, so a regression that accepted the bad flag would still
# not start a sweep. $BUILD/dmabench is taken as built (-o): these runs never
# rebuild it under the suite that is testing it.
. "$(dirname "$0")/lib.sh"

export DMABENCH_DEPS_OK=1
MK=(make -s --no-print-directory -o "$BUILD/dmabench" BUILD="$BUILD" SAN="${SAN:-}")

# mk_error NAME PATTERN MAKE-ARGS...: non-zero, one line (make's own aside)
# on stderr matching PATTERN
mk_error() {
	local name=$1 pat=$2 rc
	shift 2
	"${MK[@]}" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	grep -v '^make\(\[[0-9]*\]\)\?: ' "$TMP/err" >"$TMP/err1"
	if one_line_error $rc nonzero "$pat" "$TMP/err1"; then pass "$name"; else
		fail "$name" "$WHY (stdout: $(head -c 300 "$TMP/out"))"; fi
}

# make plot RUN=
mk_error plot-run-missing 'RUN=' plot
mk_error plot-run-empty 'RUN=' plot RUN=
mk_error plot-run-nonexistent "$TMP/nope" plot RUN="$TMP/nope"
mkdir "$TMP/empty"
mk_error plot-run-not-a-run "$TMP/empty" plot RUN="$TMP/empty"
[ -z "$(ls -A "$TMP/empty")" ] && pass plot-run-not-a-run-untouched ||
	fail plot-run-not-a-run-untouched "wrote $(ls -A "$TMP/empty")"
: >"$TMP/afile"
mk_error plot-run-a-file "$TMP/afile" plot RUN="$TMP/afile"

# make compare A= B=
mk_error compare-both-missing 'A=' compare
mk_error compare-both-empty 'A=' compare A= B=
mk_error compare-b-missing 'B=' compare A="$TMP/empty"
mk_error compare-b-empty 'B=' compare A="$TMP/empty" B=
mk_error compare-a-empty 'A=' compare A= B="$TMP/empty"
mk_error compare-nonexistent "$TMP/nope" compare A="$TMP/nope" B="$TMP/nope"
mk_error compare-not-runs "$TMP/empty" compare A="$TMP/empty" B="$TMP/empty"
if [ -f tests/fixtures/tiny/summary.csv ]; then
	cp -r tests/fixtures/tiny "$TMP/tiny"
	mk_error compare-out-no-dir "$TMP/no/such" compare A="$TMP/tiny" B="$TMP/tiny" OUT="$TMP/no/such/c.csv"
	mk_error compare-out-a-dir "$TMP/empty" compare A="$TMP/tiny" B="$TMP/tiny" OUT="$TMP/empty"
fi

# make bench / make quick BENCH_ARGS=: dmabench's own one-line error
before=$(find results -maxdepth 3 2>/dev/null | sort | md5sum)
mk_error bench-args-unknown-flag --bogus bench BENCH_ARGS="--bogus --dry-run"
mk_error bench-args-bad-value --threads bench BENCH_ARGS="--threads=0 --dry-run"
mk_error bench-args-missing-value --out bench BENCH_ARGS="--dry-run --out"
mk_error bench-args-empty-value --reps bench BENCH_ARGS="--reps= --dry-run"
mk_error bench-args-stray stray bench BENCH_ARGS="stray --dry-run"
mk_error quick-args-unknown-strategy --strategy quick BENCH_ARGS="--strategy=nosuch --dry-run"
[ "$before" = "$(find results -maxdepth 3 2>/dev/null | sort | md5sum)" ] && pass bench-args-write-nothing ||
	fail bench-args-write-nothing "results/ changed"
# make help: the comment block only, every line indented, exit 0
out=$(MAKEFLAGS= make -s --no-print-directory help 2>&1); rc=$?
if [ $rc -eq 0 ] && [ -n "$out" ] && ! printf '%s\n' "$out" | grep -qvE '^  '; then
	pass make-help-clean
else
	fail make-help-clean "exit $rc: $(printf '%s' "$out" | tail -n 2)"
fi

# build/gen/version.h under concurrent makes (two make bench at once): each
# make writes its own temp file and renames it; none fails with "mv: cannot
# stat", none leaves a temp file. 8 makes at once on a fresh dir, 6 times.
vfail=0
for round in 1 2 3 4 5 6; do
	vb=$TMP/vrace$round
	pids=()
	for k in 1 2 3 4 5 6 7 8; do
		make -s --no-print-directory BUILD="$vb" "$vb/gen/version.h" >"$TMP/v$k.out" 2>&1 &
		pids+=($!)
	done
	for k in "${!pids[@]}"; do
		wait "${pids[$k]}" || { vfail=1; cat "$TMP/v$((k + 1)).out" >>"$TMP/verr"; }
	done
	ls "$vb/gen" | grep -qv '^version\.h$' && { vfail=1; ls "$vb/gen" >>"$TMP/verr"; }
	grep -q DMABENCH_GIT_REVISION "$vb/gen/version.h" || vfail=1
done
[ "$vfail" -eq 0 ] && pass version-h-concurrent-makes ||
	fail version-h-concurrent-makes "$(head -c 300 "$TMP/verr" 2>/dev/null)"

# make plot / make compare with a '"', a '$' and a "'" in the paths: taken as text
q=$TMP/'we"ird$x'"'"'q'
cp -r tests/fixtures/usl "$q"
"${MK[@]}" plot RUN="$q" >"$TMP/out" 2>"$TMP/err" && [ -s "$q/usl.csv" ] && pass plot-run-quotes-dollar ||
	fail plot-run-quotes-dollar "$(head -c 300 "$TMP/err")"
"${MK[@]}" compare A="$q" B="$q" OUT="$TMP/c\$y\"q.csv" >"$TMP/out" 2>"$TMP/err" && [ -s "$TMP/c\$y\"q.csv" ] &&
	pass compare-quotes-dollar || fail compare-quotes-dollar "$(head -c 300 "$TMP/err")"

# Ctrl-C of make bench (SIGINT to the whole process group): the run
# directory is still printed (tee used to die with the driver's output)
# (env --default-signal: a background job starts with SIGINT ignored, as a terminal job does not)
setsid env --default-signal=INT "${MK[@]}" quick BENCH_ARGS="--scenario=lookup --strategy=none --threads=1 --no-c2c --events=none --reps=200 --duration-ms=20 --warmup-ms=5 --out=$TMP/intr" >"$TMP/bout" 2>&1 &
bpid=$!
for _ in $(seq 100); do [ "$({ wc -l <"$TMP/intr/results.csv"; } 2>/dev/null || echo 0)" -ge 3 ] && break; sleep 0.1; done
kill -INT -- -"$bpid" 2>/dev/null
wait "$bpid"
grep -q "^run directory: $TMP/intr\$" "$TMP/bout" && pass bench-interrupted-prints-run-dir ||
	fail bench-interrupted-prints-run-dir "$(tail -c 300 "$TMP/bout")"
