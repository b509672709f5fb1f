/*
 * src/harness/runlen.h — run length R: how many consecutive atomic
 * read-modify-writes one thread performs on a contended line before the
 * line moves to another thread. A calibration pass, outside every timed
 * window: N threads, pinned to the PUs given (placed exactly as the sweep
 * places them), start together on a spin barrier and each performs `ops`
 * fetch-adds of 1 on one shared 64-bit counter alone in its line (in
 * home-node memory). The values 0 .. N*ops-1 are each returned exactly
 * once, in the order the line served them; a thread's fetch-add that
 * returned its previous value + 1 continued its run (nobody came between),
 * any other started one, so each thread counts the runs it starts, in
 * registers, as it goes (runlen_count_runs: the same count as the owners
 * in service order would give, runlen_from_owners). Nothing is logged: a
 * store stream beside a locked RMW changes how long a core keeps the line.
 * R = N*ops / runs. R = 1: strict alternation; R = N/(N-1): a random next
 * holder; large R: the line stays put (unfair arbitration). The bare loop
 * does nothing between fetch-adds, so it measures the hardware's
 * arbitration at full pressure: a tight loop keeps the line longer than a
 * call that works between its RMWs, so its R overstates the call's
 * (docs/METHODOLOGY.md section 5).
 *
 * The call-shaped calibration (runlen_measure_calls) mimics the kernel's
 * refcount call at the line instead: one call is an out-of-line function
 * making `rmw_per_call` out-of-line calls (get, put), each a plain load of
 * a field on the line (kobject_get/put read state_initialized there first)
 * and one fetch-add on it, a load of another line between them
 * (group->domain), then a chain of `spin` dependent out-of-line calls (no
 * clock read, no shared access: the call's work outside get..put). `spin`
 * is calibrated at one thread
 * (runlen_calibrate_spin) so that one call costs the strategy's measured
 * 1-thread cost c1; at N threads R in calls = calls / runs: 1/R is the
 * handoffs per call (a call that loses the line between its RMWs counts
 * twice), which the contention model's edges divide the handoff by. Both
 * loops are timed, so the sweep also gets what a handoff cost in the
 * stream (costmodel_stream_handoff).
 *
 * Contract: library code, 0 or -errno. The measuring calls start and join
 * threads of their own.
 */
#ifndef DMABENCH_HARNESS_RUNLEN_H
#define DMABENCH_HARNESS_RUNLEN_H

#include <stdint.h>

struct topo;

#define RUNLEN_DEFAULT_OPS 100000u	/* per thread: ~20 ms at 2 threads */

#define RUNLEN_CALL_DEFAULT_CALLS 50000u	/* per thread: ~1.5 ms at 2 threads, 30 ns/call */
#define RUNLEN_SPIN_MAX (1ul << 20)	/* spin iterations per gap: ~0.5 ms */
#define RUNLEN_MIN_OVERLAP 0.5		/* below it, predict does not use the R */

struct runlen_result {
	unsigned int threads;
	unsigned long long ops;		/* fetch-adds, all threads together */
	unsigned long long runs;	/* maximal runs of one owner */
	double run_length;		/* ops / runs: R in fetch-adds */
	unsigned int rmw_per_call;	/* fetch-adds per call (1: the bare loop) */
	unsigned long long calls;	/* ops / rmw_per_call */
	double run_length_calls;	/* calls / runs: R in calls */
	double ns_per_call;		/* the calibration loop's own ns per call (the bare
					 * loop: per fetch-add) as a thread saw it (mean over
					 * threads); NAN if not timed */
	double overlap;			/* the time all n threads ran together over the time
					 * any ran (0..1): an R from a pass that did not
					 * overlap (a busy machine) says nothing */
};

/*
 * Pure: R from the owners in service order (owner[i] = the thread whose
 * fetch-add returned i), total entries. -EINVAL on total == 0.
 * runlen_from_owners_calls: the same with rmw_per_call fetch-adds per call
 * (>= 1, total a multiple of it): run_length_calls = total/rmw_per_call/runs.
 * runlen_from_owners is rmw_per_call = 1.
 */
int runlen_from_owners(const uint16_t *owner, unsigned long long total,
		       struct runlen_result *out);
int runlen_from_owners_calls(const uint16_t *owner, unsigned long long total,
			     unsigned int rmw_per_call, struct runlen_result *out);

/*
 * Pure: the runs that the calibrations count as they go, from what each of
 * n threads' RMWs returned (returned[i][0 .. len[i]-1], in the thread's
 * order): an RMW starts a run unless it returned its thread's previous
 * value + 1. Equal to runlen_from_owners()'s runs over the same service
 * order (tests/test_runlen.c checks it). -EINVAL on NULL or n == 0.
 */
int runlen_count_runs(const uint64_t *const *returned, const unsigned long *len,
		      unsigned int n, unsigned long long *runs);

/* One call of the call-shaped calibration (above). */
struct runlen_call {
	unsigned int rmw_per_call;	/* >= 1 */
	unsigned long spin;		/* K: chained calls per call, after its fetch-adds, <= RUNLEN_SPIN_MAX */
};

/*
 * Pure: the K that makes a call cost target_ns, from two timings of one
 * call at one thread: ns0 at spin 0 and ns1 at spin k1 (> 0), the cost
 * taken as linear in K: K = round(k1 (target - ns0) / (ns1 - ns0)),
 * clamped to [0, kmax]; target <= ns0 gives 0 (the RMWs alone already
 * cost c1). -EINVAL on non-finite or negative inputs or k1 == 0, -ERANGE
 * when ns1 <= ns0 (no slope to solve on: noise).
 */
int runlen_solve_spin(double ns0, unsigned long k1, double ns1, double target_ns,
		      unsigned long kmax, unsigned long *k);

/*
 * One thread on pu, ns per call of `call` (the best of `passes` passes of
 * `calls` calls, counter on home_node): the 1-thread timing the spin
 * calibration solves on. 0 or -errno as runlen_measure.
 */
int runlen_time_calls(struct topo *t, int pu, const struct runlen_call *call,
		      unsigned long calls, unsigned int passes, int home_node, double *ns);

/*
 * K for c1_ns (> 0) at one thread on pu: time K = 0 and a probe K, solve
 * (runlen_solve_spin), time the answer, and refine on the two nearest
 * timings up to three times while it is more than 5% off. out gets
 * rmw_per_call and K; *achieved_ns the timed cost at that K (above c1
 * when the RMWs alone cost more). 0 or -errno (-ERANGE: no slope found).
 */
int runlen_calibrate_spin(struct topo *t, int pu, unsigned int rmw_per_call, double c1_ns,
			  int home_node, struct runlen_call *out, double *achieved_ns);

/*
 * One thread on pu, ns per fetch-add of the bare loop (counting as the
 * calibration counts; the best of `passes` passes of `ops`): the 1-thread
 * cost that the bare loop's contended ns per fetch-add is held against
 * (the stream handoff, docs/METHODOLOGY.md 5.1). 0 or -errno as
 * runlen_measure.
 */
int runlen_time_bare(struct topo *t, int pu, unsigned long ops, unsigned int passes,
		     int home_node, double *ns);

/*
 * The calibration on this system: n threads (2 .. 65535) on pus[0..n-1]
 * (allowed PUs; a PU may repeat: oversubscribed), ops per thread (>= 1),
 * the counter on home_node. -EINVAL, -EOPNOTSUPP (not this system), -ENOMEM,
 * the binding error, or -EPROTO if the counter did not reach n*ops or no
 * run was counted (cannot happen with a working fetch-add).
 */
int runlen_measure(struct topo *t, const int *pus, unsigned int n, unsigned long ops,
		   int home_node, struct runlen_result *out);

/*
 * The call-shaped calibration: as runlen_measure, each of the n threads
 * making `calls` calls of `call` (so calls * rmw_per_call fetch-adds);
 * out->run_length_calls is R in calls, out->ns_per_call the loop's own
 * contended cost per call.
 */
int runlen_measure_calls(struct topo *t, const int *pus, unsigned int n,
			 const struct runlen_call *call, unsigned long calls, int home_node,
			 struct runlen_result *out);

#endif
