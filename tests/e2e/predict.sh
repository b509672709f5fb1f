#!/bin/bash
# tests/e2e/predict.sh — dmabench predict: the band by hand on a small run
# directory, every shipped profile, --list-profiles, the plots, topology
# replay, and every bad input of issue 9 (one line, exit 2, nothing written).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROFILES=$ROOT/profiles

# --- a run directory: 2 PUs, c1 refcount 10 ns, cached 3 ns; rmw round trip 60 (one-way 30) ---
RUN=$TMP/run
mkdir "$RUN"
cp "$PROFILES/vm-epyc-2c/topology.xml" "$RUN/topology.xml"
H=schema,run_id,machine,scenario,strategy,mode,invalidation,sharing,placement,home_node,threads,numa_nodes_used,reps,ns_per_op_median,ns_per_op_min,ns_per_op_max,ns_per_op_cv,ns_per_op_ci_lo,ns_per_op_ci_hi,mops_per_s_median,mops_per_s_min,mops_per_s_max,batch_p50_ns,batch_p90_ns,batch_p99_ns,overhead_ns,overhead_ci_lo,overhead_ci_hi,model_refcount_ns,flags
row() { echo "1,r,m,lookup,$1,normal,none,device,compact,0,$2,1,3,$3,,,,,,,,,,,,,,,,"; }
{ echo "$H"; row refcount 1 10; row refcount 2 40; row cached 1 3; row cached 2 3.1; } >"$RUN/summary.csv"
printf 'from,to,from_node,to_node,round_trip_ns,op\n0,0,0,0,,store\n0,1,0,0,100,store\n1,1,0,0,,store\n0,0,0,0,,rmw\n0,1,0,0,60,rmw\n1,1,0,0,,rmw\n' >"$RUN/c2c.csv"
printf 'placement,threads,cpus,fetch_adds,runs,run_length\ncompact,2,0+1,200,25,8\n' >"$RUN/runlength.csv"

# refcount at 2 threads, Z = 0, hold 10: R = 8 fetch-adds = 4 calls;
# lo = mid = 2*(10 + 30/4) = 35 (one latency class), hi = 2*(10 + 30/2) = 50
if "$DMABENCH" predict --run="$RUN" --threads=1,2 --no-plot >"$TMP/out" 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "refcount" && $c["threads"] == 2 {
		ok = ($c["lo_ns"] == 35 && $c["mid_ns"] == 35 && $c["hi_ns"] == 50 &&
		      $c["measured_ns"] == 40 && $c["class"] == "shared-write" &&
		      $c["run_length"] == 8 && $c["run_length_calls"] == 4 &&
		      $c["run_length_source"] == "bare" &&
		      $c["c2c_op"] == "rmw" && $c["target"] == "run"); n++ }
	$c["strategy"] == "cached" && $c["threads"] == 2 {
		flat = ($c["lo_ns"] == 3 && $c["hi_ns"] == 3 && $c["class"] == "read-mostly") }
	END { exit !(ok && flat && n == 1 && NR == 5) }' "$RUN/predicted.csv" &&
   grep -q 'a prediction, not a measurement' "$TMP/out"; then
	pass predict_run_band_by_hand
else
	fail predict_run_band_by_hand "$(cat "$TMP/err" "$RUN/predicted.csv" 2>&1 | head -8)"
fi

# the call-shaped calibration (runlength.csv of a new run): R in calls taken
# as it is, not divided: r_calls = 3 -> mid = 2*(10 + 30/3) = 40, hi 50; lo
# takes the bare loop's longer runs (8 fetch-adds = 4 calls): 2*(10 + 30/4) = 35.
# A row whose threads hardly ran together (overlap < 0.5), or of another
# strategy, is not used: the bare R again (4 calls -> lo = mid = 35).
RL_H=placement,threads,cpus,fetch_adds,runs,run_length,calibration,scenario,strategy,mode,sharing,c1_ns,rmw_per_call,spin_k,c1_achieved_ns,calls,r_calls,loop_ns_per_call,overlap,note
rl_bare='compact,2,0+1,200,25,8,bare,,,,,,1,,,200,,,0.9,'
rl_case() {	# NAME ROW EXPECT_MID EXPECT_SRC EXPECT_RCALLS
	local d=$TMP/rl-$1
	cp -r "$RUN" "$d"
	printf '%s\n%s\n%s\n' "$RL_H" "$rl_bare" "$2" >"$d/runlength.csv"
	if "$DMABENCH" predict --run="$d" --threads=2 --no-plot >/dev/null 2>"$TMP/err" &&
	   awk -F, -v mid="$3" -v src="$4" -v rc="$5" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["strategy"] == "refcount" { ok = ($c["mid_ns"] == mid && $c["lo_ns"] == 35 && $c["hi_ns"] == 50 &&
			$c["run_length_source"] == src && $c["run_length_calls"] == rc) }
		END { exit !ok }' "$d/predicted.csv"; then
		pass "predict_runlength_$1"
	else
		fail "predict_runlength_$1" "$(cat "$TMP/err" "$d/predicted.csv" | head -6)"
	fi
}
rl_case call_shaped 'compact,2,0+1,120000,20000,6,call-shaped,lookup,refcount,normal,device,10,2,12,10.1,60000,3,25,0.9,' 40 call-shaped 3
rl_case low_overlap_not_used 'compact,2,0+1,120000,20000,6,call-shaped,lookup,refcount,normal,device,10,2,12,10.1,60000,3,25,0.2,' 35 bare 4
rl_case other_strategy_not_used 'compact,2,0+1,120000,20000,6,call-shaped,lookup,deferred-v2,normal,device,10,2,12,10.1,60000,3,25,0.9,' 35 bare 4
rl_case failed_row_not_used 'compact,2,0+1,,,,call-shaped,lookup,refcount,normal,device,,2,,,,,,,no 1-thread figure of this configuration' 35 bare 4
# the stream handoff (runlength.csv's eta and pair_rt_ns, a run of this version):
# eta 0.5 scales lo and mid, not hi; the band is for the placement the
# calibration saw: pair rt 120 against the c2c pass's 60 doubles the handoffs
# (one-way 60). mid: 2*(10 + 0.5*60/3) = 40; lo (4 calls): 2*(10 + 0.5*60/4)
# = 35; hi: 2*(10 + 60/2) = 80.
d=$TMP/rl-eta
cp -r "$RUN" "$d"
printf '%s,pair_rt_ns,h_ns,handoff_ns,eta\n%s,,,,\n%s\n' "$RL_H" "$rl_bare" \
	'compact,2,0+1,120000,20000,6,call-shaped,lookup,refcount,normal,device,10,2,12,10.1,60000,3,25,0.9,,120,60,30,0.5' >"$d/runlength.csv"
if "$DMABENCH" predict --run="$d" --threads=2 --no-plot >/dev/null 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "refcount" { ok = ($c["mid_ns"] == 40 && $c["lo_ns"] == 35 && $c["hi_ns"] == 80 &&
		$c["eta"] == 0.5 && $c["state_rt_ns"] == 120 && $c["run_length_lo_calls"] == 4 &&
		$c["handoff_mean_ns"] == 60) }
	END { exit !ok }' "$d/predicted.csv"; then
	pass predict_stream_handoff_by_hand
else
	fail predict_stream_handoff_by_hand "$(cat "$TMP/err" "$d/predicted.csv" | head -6)"
fi
# with the bare loop taken right after the calibration (bare_r_calls 6,
# bare_eta 0.25): lo = 2*(10 + 0.25*60/6) = 25; mid and hi as before
d2=$TMP/rl-eta-bare
cp -r "$RUN" "$d2"
printf '%s,pair_rt_ns,h_ns,handoff_ns,eta,bare_r_calls,bare_eta\n%s,,,,,,\n%s\n' "$RL_H" "$rl_bare" \
	'compact,2,0+1,120000,20000,6,call-shaped,lookup,refcount,normal,device,10,2,12,10.1,60000,3,25,0.9,,120,60,30,0.5,6,0.25' >"$d2/runlength.csv"
if "$DMABENCH" predict --run="$d2" --threads=2 --no-plot >/dev/null 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "refcount" { ok = ($c["mid_ns"] == 40 && $c["lo_ns"] == 25 && $c["hi_ns"] == 80 &&
		$c["eta_lo"] == 0.25 && $c["run_length_lo_calls"] == 6) }
	END { exit !ok }' "$d2/predicted.csv"; then
	pass predict_stream_handoff_lo_by_hand
else
	fail predict_stream_handoff_lo_by_hand "$(cat "$TMP/err" "$d2/predicted.csv" | head -6)"
fi
# the same row on another target: eta goes with R, the target's own handoffs (no state scaling)
mkdir "$TMP/rl-eta-out"
if "$DMABENCH" predict --run="$d" --profile=graviton2 --threads=2 --no-plot --out="$TMP/rl-eta-out" >/dev/null 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "refcount" && $c["threads"] == 2 { ok = ($c["eta"] == 0.5 && $c["state_rt_ns"] == "" &&
		$c["run_length_source"] == "call-shaped-run-2-threads") }
	END { exit !ok }' "$TMP/rl-eta-out/predicted.csv"; then
	pass predict_stream_handoff_on_a_profile
else
	fail predict_stream_handoff_on_a_profile "$(cat "$TMP/err" "$TMP/rl-eta-out/predicted.csv" 2>&1 | head -6)"
fi

# a run's call-shaped R on another target (a profile): the one at the most threads, said so
d=$TMP/rl-profile
cp -r "$RUN" "$d"
printf '%s\n%s\n%s\n' "$RL_H" "$rl_bare" 'compact,2,0+1,120000,20000,6,call-shaped,lookup,refcount,normal,device,10,2,12,10.1,60000,3,25,0.9,' >"$d/runlength.csv"
mkdir "$TMP/rl-profile-out"
if "$DMABENCH" predict --run="$d" --profile=graviton2 --threads=4 --no-plot --out="$TMP/rl-profile-out" >/dev/null 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "refcount" && $c["threads"] == 4 { ok = ($c["run_length_source"] == "call-shaped-run-2-threads" && $c["run_length_calls"] == 3) }
	END { exit !ok }' "$TMP/rl-profile-out/predicted.csv"; then
	pass predict_runlength_call_shaped_on_a_profile
else
	fail predict_runlength_call_shaped_on_a_profile "$(cat "$TMP/err" "$TMP/rl-profile-out/predicted.csv" 2>&1 | head -6)"
fi

# with the floor (`none`, 2 ns) the hold is 10 - 2 = 8 and Z = 2 (MVA by hand):
# mid s = 8 + 30/4 = 15.5: n=1 Q = 15.5/17.5; n=2 T = 2 + 15.5*(1 + 15.5/17.5) = 31.2286
# hi  s = 8 + 15 = 23:     n=1 Q = 23/25;     n=2 T = 2 + 23*(1 + 23/25) = 46.16
RUNF=$TMP/runf
cp -r "$RUN" "$RUNF"
{ row none 1 2; row none 2 2.1; } >>"$RUNF/summary.csv"
if "$DMABENCH" predict --run="$RUNF" --threads=2 --no-plot >/dev/null 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	function near(a, b) { return a - b < 1e-3 && b - a < 1e-3 }
	$c["strategy"] == "refcount" { ok = (near($c["hold_ns"], 8) && near($c["mid_ns"], 31.2286) &&
		near($c["lo_ns"], 31.2286) && near($c["hi_ns"], 46.16) && $c["warning"] ~ /^R from the bare fetch-add loop/) }
	END { exit !ok }' "$RUNF/predicted.csv"; then
	pass predict_hold_less_the_floor
else
	fail predict_hold_less_the_floor "$(cat "$TMP/err" "$RUNF/predicted.csv" | head -6)"
fi

# strict map-unmap: the command-queue lock is a centre held inv_ns (machine.txt):
# none (flat) at c1 600, lock 500, one-way 30: s = 500 + 15, Z = 100:
# T(2) = 100 + 515 (1 + 515/615)
RUNS=$TMP/runs
cp -r "$RUN" "$RUNS"
echo 'inv_ns: 500' >"$RUNS/machine.txt"
{ echo "1,r,m,map-unmap,none,normal,strict,device,compact,0,1,1,3,600,,,,,,,,,,,,,,,,"; } >>"$RUNS/summary.csv"
if "$DMABENCH" predict --run="$RUNS" --threads=2 --no-plot >/dev/null 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	function near(a, b) { return a - b < 1e-3 && b - a < 1e-3 }
	$c["scenario"] == "map-unmap" { ok = ($c["lock_hold_ns"] == 500 && near($c["mid_ns"], 100 + 515 * (1 + 515 / 615))) }
	END { exit !ok }' "$RUNS/predicted.csv"; then
	pass predict_strict_lock_centre
else
	fail predict_strict_lock_centre "$(cat "$TMP/err"; grep map-unmap "$RUNS/predicted.csv")"
fi

# --op=store: one-way 50: hi = 2*(10 + 25) = 70
if "$DMABENCH" predict --run="$RUN" --threads=2 --op=store --no-plot >/dev/null 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "refcount" { ok = ($c["hi_ns"] == 70 && $c["c2c_op"] == "store") }
	END { exit !ok }' "$RUN/predicted.csv"; then
	pass predict_op_store
else
	fail predict_op_store "$(cat "$TMP/err" "$RUN/predicted.csv" | head -5)"
fi

# --- every shipped profile, with a bare counter (--c1-ns) ---
n=0
for p in "$PROFILES"/*/; do
	name=$(basename "$p")
	out=$TMP/prof-$name
	mkdir "$out"
	if "$DMABENCH" predict --c1-ns=5 --rmw-per-call=2 --profile="$name" --profiles-dir="$PROFILES" \
		--out="$out" --no-plot >"$TMP/out" 2>"$TMP/err" &&
	   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ rows++; if (!($c["lo_ns"] <= $c["mid_ns"] && $c["mid_ns"] <= $c["hi_ns"] && $c["lo_ns"] >= 5)) bad = 1
		  if ($c["threads"] == 1 && $c["mid_ns"] != 5) bad = 1
		  if ($c["threads"] > 1 && !($c["hi_ns"] > 5)) bad = 1 }
		END { exit !(rows >= 2 && !bad) }' "$out/predicted.csv"; then
		n=$((n + 1))
	else
		fail "predict_profile_$name" "$(cat "$TMP/err" "$out/predicted.csv" 2>&1 | head -5)"
	fi
done
if [ "$n" -ge 4 ]; then pass predict_every_profile; else fail predict_every_profile "$n profiles passed, want >= 4"; fi

# a two-socket profile: the scatter band sits above compact at 2 threads (cross-socket handoff)
out=$TMP/xs
mkdir "$out"
if "$DMABENCH" predict --c1-ns=5 --profile=xeon-gold-6242-2s --profiles-dir="$PROFILES" --threads=2 \
	--placement=compact,scatter --out="$out" --no-plot >/dev/null 2>"$TMP/err" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ hi[$c["placement"]] = $c["hi_ns"]; nodes[$c["placement"]] = $c["numa_nodes_used"] }
	END { exit !(hi["scatter"] > 2 * hi["compact"] && nodes["scatter"] == 2 && nodes["compact"] == 1) }' "$out/predicted.csv"; then
	pass predict_two_socket_scatter_above_compact
else
	fail predict_two_socket_scatter_above_compact "$(cat "$TMP/err" "$out/predicted.csv" | head -5)"
fi

# --list-profiles: every profile with its source line
if "$DMABENCH" predict --list-profiles --profiles-dir="$PROFILES" >"$TMP/out" 2>"$TMP/err" &&
   [ "$(grep -c 'published figures, not a dmabench run' "$TMP/out")" -ge 3 ] &&
   grep -q '^vm-epyc-2c .*dmabench measurement' "$TMP/out"; then
	pass predict_list_profiles
else
	fail predict_list_profiles "$(cat "$TMP/out" "$TMP/err")"
fi

# --- plots (gnuplot): PNG and SVG per group ---
if command -v gnuplot >/dev/null; then
	if (cd "$ROOT" && "$DMABENCH" predict --run="$RUN" --threads=1,2 >"$TMP/out" 2>"$TMP/err") &&
	   [ -s "$RUN/plots/predict-lookup-compact-none-device-normal-run.png" ] &&
	   [ -s "$RUN/plots/predict-lookup-compact-none-device-normal-run.svg" ] &&
	   grep -q PREDICTION "$RUN/plots/predict-lookup-compact-none-device-normal-run.svg"; then
		pass predict_plots
	else
		fail predict_plots "$(cat "$TMP/out" "$TMP/err"; ls "$RUN/plots" 2>&1)"
	fi
fi

# --- topology replay: a run's topology.xml drives --dry-run ---
if HWLOC_XMLFILE="$RUN/topology.xml" "$DMABENCH" --dry-run --scenario=lookup --strategy=refcount \
	--threads=2 --placement=compact >"$TMP/out" 2>"$TMP/err" && grep -q 'thread 1: pu ' "$TMP/out"; then
	pass predict_topology_replay_dry_run
else
	fail predict_topology_replay_dry_run "$(head -5 "$TMP/out" "$TMP/err")"
fi

# --- bad input: one line naming the problem, exit 2, nothing written ---
BAD=$TMP/bad
mkdir "$BAD"
nothing_written() { [ -z "$(ls -A "$BAD")" ]; }
bad_case() {	# NAME PATTERN ARGS...
	local name=$1 pat=$2
	shift 2
	expect_usage_error "$name" "$pat" "$DMABENCH" predict --out="$BAD" --no-plot --profiles-dir="$PROFILES" "$@"
	nothing_written || { fail "${name}_nothing_written" "$(ls -A "$BAD")"; rm -rf "${BAD:?}"/*; }
}
# a broken profile tree
PD=$TMP/profiles
mkdir -p "$PD/nothing" "$PD/notxml" "$PD/mismatch" "$PD/nan" "$PD/neg" "$PD/hole" "$PD/gap"
echo 'this is not xml' >"$PD/notxml/topology.xml"
cp "$RUN/c2c.csv" "$PD/notxml/c2c.csv"
for d in mismatch nan neg hole gap; do cp "$RUN/topology.xml" "$PD/$d/topology.xml"; done
printf 'from,to,from_node,to_node,round_trip_ns,op\n0,1,0,0,60,rmw\n0,2,0,0,60,rmw\n1,2,0,0,60,rmw\n' >"$PD/mismatch/c2c.csv"
printf 'from,to,from_node,to_node,round_trip_ns,op\n0,1,0,0,nan,rmw\n' >"$PD/nan/c2c.csv"
printf 'from,to,from_node,to_node,round_trip_ns,op\n0,1,0,0,-60,rmw\n' >"$PD/neg/c2c.csv"
printf 'from,to,from_node,to_node,round_trip_ns,op\n0,1,0,0,,rmw\n' >"$PD/hole/c2c.csv"
printf 'from,to,from_node,to_node,round_trip_ns,op\n0,0,0,0,,rmw\n1,1,0,0,,rmw\n' >"$PD/gap/c2c.csv"
P=(--c1-ns=5 --profiles-dir="$PD")
bad_case predict_bad_unknown_profile 'unknown profile' --c1-ns=5 --profile=no-such-machine
bad_case predict_bad_profile_path 'not a path' --c1-ns=5 --profile=../etc
bad_case predict_bad_profile_missing_files 'no topology' "${P[@]}" --profile=nothing
bad_case predict_bad_not_xml 'not an hwloc topology' "${P[@]}" --profile=notxml
bad_case predict_bad_pu_count 'matrix has 3 PUs, the topology 2' "${P[@]}" --profile=mismatch
bad_case predict_bad_nan 'NaN' "${P[@]}" --profile=nan
bad_case predict_bad_negative 'not a positive number' "${P[@]}" --profile=neg
bad_case predict_bad_missing_cell 'missing cell' "${P[@]}" --profile=hole
bad_case predict_bad_missing_pair 'missing cells' "${P[@]}" --profile=gap
bad_case predict_bad_topology_missing '--topology' --c1-ns=5 --topology="$TMP/none.xml" --c2c="$RUN/c2c.csv"
bad_case predict_bad_topology_not_xml 'not an hwloc topology' --c1-ns=5 --topology="$PD/notxml/topology.xml" --c2c="$RUN/c2c.csv"
bad_case predict_bad_topology_without_c2c '--topology' --c1-ns=5 --topology="$RUN/topology.xml"
bad_case predict_bad_c1_zero '--c1-ns' --c1-ns=0 --profile=graviton2
bad_case predict_bad_c1_negative '--c1-ns' --c1-ns=-3 --profile=graviton2
bad_case predict_bad_c1_text '--c1-ns' --c1-ns=fast --profile=graviton2
bad_case predict_bad_c1_nan '--c1-ns' --c1-ns=nan --profile=graviton2
bad_case predict_bad_threads_above_pus 'above the target' --c1-ns=5 --profile=graviton2 --threads=65
bad_case predict_bad_threads_text '--threads' --c1-ns=5 --profile=graviton2 --threads=many
bad_case predict_bad_no_costs '--run/--c1-ns' --profile=graviton2
bad_case predict_bad_rmw_zero '--rmw-per-call' --c1-ns=5 --rmw-per-call=0 --profile=graviton2
bad_case predict_bad_op '--op' --c1-ns=5 --op=cas --profile=graviton2
bad_case predict_bad_op_absent 'no figures' --c1-ns=5 --op=store --profile=graviton2
bad_case predict_bad_placement '--placement' --c1-ns=5 --profile=graviton2 --placement=diagonal
bad_case predict_bad_run_length '--run-length' --c1-ns=5 --profile=graviton2 --run-length=0
expect_usage_error predict_bad_run_dir '--run' "$DMABENCH" predict --run="$TMP/no-such-run" --no-plot
mkdir "$TMP/old-run"; cp "$RUN/summary.csv" "$RUN/c2c.csv" "$TMP/old-run/"
expect_usage_error predict_bad_run_without_topology 'no topology.xml' "$DMABENCH" predict --run="$TMP/old-run" --no-plot
[ ! -e "$TMP/old-run/predicted.csv" ] && pass predict_bad_run_nothing_written || fail predict_bad_run_nothing_written "predicted.csv appeared"

# --- a real (tiny) sweep keeps topology.xml, c2c store + rmw rows and runlength.csv; predict reads it ---
SW=$TMP/sweep
if "$DMABENCH" --scenario=lookup --strategy=none,refcount --mode=normal --threads=1,2 --placement=compact \
	--duration-ms=20 --warmup-ms=5 --reps=1 --out="$SW" >"$TMP/out" 2>"$TMP/err" &&
   grep -q '<topology' "$SW/topology.xml" &&
   grep -q ',store$' "$SW/c2c.csv" && grep -q ',rmw$' "$SW/c2c.csv" &&
   awk -F, 'NR == 2 { ok = ($1 == "compact" && $2 == 2 && $6 >= 1) } END { exit !ok }' "$SW/runlength.csv" &&
   grep -q '^run_length: placement=compact threads=2 ' "$SW/machine.txt" &&
   grep -q '^c2c_rmw_same_node_median_ns: ' "$SW/machine.txt" &&
   HWLOC_XMLFILE="$SW/topology.xml" "$DMABENCH" --dry-run --threads=2 --scenario=lookup --strategy=refcount >/dev/null 2>&1 &&
   "$DMABENCH" predict --run="$SW" --no-plot >/dev/null 2>"$TMP/err2" &&
   awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["strategy"] == "refcount" && $c["threads"] == 2 { ok = ($c["measured_ns"] > 0 && $c["lo_ns"] <= $c["hi_ns"]); src = $c["run_length_source"] }
	END { if (!ok) exit 1; print src }' "$SW/predicted.csv" >"$TMP/src" &&
   # the call-shaped row of refcount at 2 threads: K, c1 and R in calls; predict
   # takes it when its threads ran together (overlap >= 0.5), else the bare R
   awk -F, -v src="$(cat "$TMP/src")" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["calibration"] == "call-shaped" && $c["strategy"] == "refcount" && $c["threads"] == 2 {
		n++
		ok = ($c["scenario"] == "lookup" && $c["rmw_per_call"] == 2 && $c["c1_ns"] > 0 &&
		      $c["spin_k"] >= 0 && $c["r_calls"] > 0 && $c["calls"] > 0 &&
		      $c["fetch_adds"] == 2 * $c["calls"] &&
		      src == ($c["overlap"] >= 0.5 ? "call-shaped" : "bare") &&
		      $c["pair_rt_ns"] > 0 && ($c["h_ns"] - $c["pair_rt_ns"] / 2) ^ 2 < 1e-6 &&
		      $c["loop_ns_per_call"] > 0 && $c["handoff_ns"] >= 0 && $c["eta"] != "" &&
		      $c["bare_r_calls"] > 0) }
	# the bare row is timed too: its 1-thread and contended ns per fetch-add
	$c["calibration"] == "bare" && $c["threads"] == 2 {
		bare = ($c["c1_achieved_ns"] > 0 && $c["loop_ns_per_call"] > 0 && $c["pair_rt_ns"] > 0) }
	END { exit !(ok && bare && n == 1) }' "$SW/runlength.csv" &&
   grep -q '^run_length_calls: lookup refcount mode=normal sharing=device placement=compact threads=2 ' "$SW/machine.txt"; then
	pass predict_on_a_real_sweep
else
	fail predict_on_a_real_sweep "$(cat "$TMP/err" "$TMP/err2" 2>/dev/null | tail -3; ls "$SW" 2>&1 | tr '\n' ' ')"
fi
