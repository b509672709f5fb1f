/* The run-length calibrations of runlen.h: each thread counts the runs it starts as it goes; R = RMWs / runs. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness/clock.h"
#include "harness/runlen.h"
#include "harness/topo.h"

struct rl_run {
	uint64_t last;			/* the value this thread's previous RMW returned */
	uint64_t starts;		/* RMWs that did not continue this thread's run */
};

#define RL_RUN_INIT { .last = UINT64_MAX - 1, .starts = 0 }

/* One RMW that returned v: it continues the thread's run only if nothing came between. */
static inline void run_step(struct rl_run *run, uint64_t v)
{
	run->starts += v != run->last + 1;
	run->last = v;
}

/* R from total RMWs in runs (>= 1), rmw_per_call to a call: the result's counts. */
static int set_runs(struct runlen_result *out, unsigned long long total, unsigned long long runs,
		    unsigned int rmw_per_call)
{
	out->ops = total;
	out->runs = runs;
	out->run_length = (double)total / runs;
	out->rmw_per_call = rmw_per_call;
	out->calls = total / rmw_per_call;
	out->run_length_calls = (double)out->calls / runs;
	return 0;
}

int runlen_from_owners_calls(const uint16_t *owner, unsigned long long total,
			     unsigned int rmw_per_call, struct runlen_result *out)
{
	unsigned long long runs = 1;

	if (!owner || !out || !total || !rmw_per_call || total % rmw_per_call)
		return -EINVAL;
	for (unsigned long long i = 1; i < total; i++)
		runs += owner[i] != owner[i - 1];
	return set_runs(out, total, runs, rmw_per_call);
}

int runlen_from_owners(const uint16_t *owner, unsigned long long total,
		       struct runlen_result *out)
{
	return runlen_from_owners_calls(owner, total, 1, out);
}

int runlen_count_runs(const uint64_t *const *returned, const unsigned long *len,
		      unsigned int n, unsigned long long *runs)
{
	unsigned long long sum = 0;

	if (!returned || !len || !runs || !n)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		struct rl_run run = RL_RUN_INIT;

		if (len[i] && !returned[i])
			return -EINVAL;
		for (unsigned long k = 0; k < len[i]; k++)
			run_step(&run, returned[i][k]);
		sum += run.starts;
	}
	*runs = sum;
	return 0;
}

int runlen_solve_spin(double ns0, unsigned long k1, double ns1, double target_ns,
		      unsigned long kmax, unsigned long *k)
{
	double x;

	if (!k || !k1 || !isfinite(ns0) || !isfinite(ns1) || !isfinite(target_ns) ||
	    ns0 < 0 || ns1 < 0 || target_ns < 0)
		return -EINVAL;
	if (!(ns1 > ns0))
		return -ERANGE;
	if (target_ns <= ns0) {
		*k = 0;
		return 0;
	}
	x = round((double)k1 * (target_ns - ns0) / (ns1 - ns0));
	*k = x >= (double)kmax ? kmax : (unsigned long)x;
	return 0;
}

struct rl_thread {
	const struct topo *t;
	int pu;
	unsigned int n;
	unsigned long ops;		/* fetch-adds per pass */
	const struct runlen_call *call;	/* NULL: the bare loop */
	unsigned int passes;		/* >= 1; more only for a timing (the counts are the last pass's) */
	uint64_t *counter;		/* the shared line: sharing it is the point */
	uint64_t starts;		/* call-shaped: RMWs that began a run (see rl_call) */
	unsigned int *arrived;		/* the start barrier */
	uint64_t best_ns;		/* the fastest pass */
	uint64_t start_ns, end_ns;	/* of the last pass: the threads' overlap */
	uint64_t sink;			/* the spin chain's result, so it is not dropped */
	int err;
};

/*
 * K out-of-line calls, each adding to the running value: a dependent chain
 * the core cannot shorten, no shared memory touched. Calls, not inline adds:
 * the real call's non-line work is calls (deferred-v2: the indirect
 * is_attach_deferred(), the cached lookup), and with inline adds its loop
 * cost 42-43 ns per call against 29 measured (METHODOLOGY 5.4).
 */
static __attribute__((__noinline__, __noclone__)) uint64_t rl_work(uint64_t x, unsigned long i)
{
	__asm__ volatile("" : "+r"(x));
	return x + i;
}

static inline uint64_t spin_chain(uint64_t x, unsigned long k)
{
	for (unsigned long i = 0; i < k; i++)
		x = rl_work(x, i);
	return x;
}

#define RL_NOINLINE __attribute__((__noinline__, __noclone__))

/*
 * One RMW of a call, out of line as kobject_get() and kobject_put() are:
 * first a plain load of a field on the same line (kobject_get/put read
 * kobj->state_initialized there, the REFCOUNT_FULL cmpxchg loop reads the
 * count), so a CPU that does not own the line fetches it shared, then
 * upgrades, as the real call does; then a fetch-add of 1 to the sequence in
 * the line's first word. The value it returns says whether the line
 * stayed: v == the thread's previous v + 1 continues a run, anything else
 * starts one. Counted in registers and the caller's frame, nothing logged:
 * a store stream beside a locked RMW changes how long a core keeps the line
 * (METHODOLOGY 5.1).
 */
static RL_NOINLINE uint64_t rl_rmw(uint64_t *line, struct rl_run *run)
{
	const unsigned int *flag = (const unsigned int *)(line + 1);
	uint64_t v;

	if (__builtin_expect(!__atomic_load_n(flag, __ATOMIC_RELAXED), 0))
		return 0;	/* never: the flag is set before the threads start */
	v = __atomic_fetch_add(line, 1, __ATOMIC_RELAXED);
	run_step(run, v);
	return v;
}

/*
 * One call of the call-shaped calibration, shaped as the kernel's refcount
 * lookup is at the line: its RMWs each in a call of their own (get, put),
 * a load of another line between them (group->domain, read-only), then
 * the call's other work (K chained calls: the rest of the call and the
 * loop, which in the real call come after the put). Measured against a
 * standalone copy of the real deferred-v2 lookup (METHODOLOGY 5.1), this
 * shape follows it where one with the RMWs back to back in one function
 * and the work before them did not (R 1.2-1.4 calls and 36-50 ns per call
 * against the real's ~2 calls and 28-31 ns, in the same minutes).
 */
static RL_NOINLINE uint64_t rl_call(uint64_t *line, const uint64_t *other,
				    const struct runlen_call *call, struct rl_run *run, uint64_t x)
{
	for (unsigned int j = 0; j < call->rmw_per_call; j++) {
		if (j)
			x += __atomic_load_n(other, __ATOMIC_RELAXED);
		x += rl_rmw(line, run);	/* the next step starts from this RMW's result */
	}
	return spin_chain(x, call->spin);
}

static void *rl_worker(void *arg)
{
	struct rl_thread *a = arg;

	a->err = topo_bind_thread(a->t, a->pu);
	__atomic_add_fetch(a->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(a->arrived, __ATOMIC_ACQUIRE) < a->n)
		;
	a->best_ns = UINT64_MAX;
	if (!a->call) {
		for (unsigned int p = 0; p < a->passes; p++) {
			struct rl_run run = RL_RUN_INIT;

			a->start_ns = clock_now_ns();
			for (unsigned long i = 0; i < a->ops; i++)
				run_step(&run, __atomic_fetch_add(a->counter, 1, __ATOMIC_RELAXED));
			a->end_ns = clock_now_ns();
			a->starts = run.starts;
			if (a->end_ns - a->start_ns < a->best_ns)
				a->best_ns = a->end_ns - a->start_ns;
		}
		return NULL;
	}
	for (unsigned int p = 0; p < a->passes; p++) {
		struct rl_run run = RL_RUN_INIT;
		uint64_t x = a->sink, t0 = clock_now_ns(), dt;

		for (unsigned long i = 0; i < a->ops; i += a->call->rmw_per_call)
			x = rl_call(a->counter, a->counter + 24, a->call, &run, x);	/* other: 192 bytes on */
		a->end_ns = clock_now_ns();
		a->start_ns = t0;
		dt = a->end_ns - t0;
		a->sink = x;
		a->starts = run.starts;
		if (dt < a->best_ns)
			a->best_ns = dt;
	}
	return NULL;
}

/*
 * Call-shaped: the runs are the RMWs that started one, summed over the
 * threads (each run starts with exactly one such RMW: its thread's
 * previous RMW returned a value another thread then moved past). The
 * counter must have reached total (one pass), else -EPROTO.
 */
static int runs_from_counts(const struct rl_thread *th, unsigned int n,
			    unsigned long long total, unsigned int rmw_per_call,
			    struct runlen_result *out)
{
	unsigned long long runs = 0;

	if (__atomic_load_n(th[0].counter, __ATOMIC_RELAXED) != total)
		return -EPROTO;
	for (unsigned int i = 0; i < n; i++)
		runs += th[i].starts;
	if (!runs || runs > total)
		return -EPROTO;
	return set_runs(out, total, runs, rmw_per_call);
}

/*
 * n threads on pus, each ops fetch-adds per pass (a multiple of the call's
 * rmw_per_call), passes passes; check (one pass only): the counter must
 * have reached n * ops, then R into out. *ns_per_call: the mean over threads of
 * the best pass's time per call, when call is given.
 */
static int run_threads(struct topo *t, const int *pus, unsigned int n, unsigned long ops,
		       const struct runlen_call *call, unsigned int passes, int home_node,
		       bool check, struct runlen_result *out, double *ns_per_call)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned long long total = (unsigned long long)n * ops;
	struct rl_thread *th = NULL;
	pthread_t *tid = NULL;
	unsigned int started = 0;
	void *mem = NULL;
	bool bound;
	int rc = 0;

	if (!topo_is_this_system(t))
		return -EOPNOTSUPP;
	for (unsigned int i = 0; i < n; i++)
		if (!topo_pu_allowed(t, pus[i]))
			return -EINVAL;
	th = calloc(n, sizeof(*th));
	tid = calloc(n, sizeof(*tid));
	if (!th || !tid) {
		rc = -ENOMEM;
		goto out;
	}
	/* the counter and the barrier on lines of their own, in one page */
	rc = topo_alloc_on_node(t, page, home_node, &mem, &bound);
	if (rc)
		goto out;
	memset(mem, 0, page);
	*(unsigned int *)((uint64_t *)mem + 1) = 1;	/* rl_call's flag, on the counter's line */
	for (unsigned int i = 0; i < n; i++) {
		th[i] = (struct rl_thread){ .t = t, .pu = pus[i], .n = n, .ops = ops,
					    .call = call, .passes = passes, .counter = mem,
					    .arrived = (unsigned int *)((char *)mem + 128),
					    .sink = i };
	}
	for (; started < n; started++) {
		rc = -pthread_create(&tid[started], NULL, rl_worker, &th[started]);
		if (rc) {
			/* let the started ones through the barrier, then join them */
			__atomic_add_fetch(th[0].arrived, n - started, __ATOMIC_ACQ_REL);
			break;
		}
	}
	for (unsigned int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	for (unsigned int i = 0; i < n && !rc; i++)
		rc = th[i].err;
	if (rc)
		goto out;
	if (ns_per_call) {
		double sum = 0;

		for (unsigned int i = 0; i < n; i++)
			sum += (double)th[i].best_ns / (ops / (call ? call->rmw_per_call : 1));
		*ns_per_call = sum / n;
	}
	if (!check)
		goto out;
	rc = runs_from_counts(th, n, total, call ? call->rmw_per_call : 1, out);
	if (!rc) {
		uint64_t first = UINT64_MAX, last = 0, late = 0, early = UINT64_MAX;

		out->threads = n;
		for (unsigned int i = 0; i < n; i++) {
			first = th[i].start_ns < first ? th[i].start_ns : first;
			late = th[i].start_ns > late ? th[i].start_ns : late;
			early = th[i].end_ns < early ? th[i].end_ns : early;
			last = th[i].end_ns > last ? th[i].end_ns : last;
		}
		out->overlap = last > first && early > late ? (double)(early - late) / (last - first) : 0;
	}
out:
	free(th);
	free(tid);
	topo_free(t, mem, page);
	return rc;
}

int runlen_measure(struct topo *t, const int *pus, unsigned int n, unsigned long ops,
		   int home_node, struct runlen_result *out)
{
	if (!t || !pus || !out || n < 2 || n > 65535 || !ops)
		return -EINVAL;
	out->ns_per_call = NAN;
	return run_threads(t, pus, n, ops, NULL, 1, home_node, true, out, &out->ns_per_call);
}

int runlen_time_bare(struct topo *t, int pu, unsigned long ops, unsigned int passes,
		     int home_node, double *ns)
{
	if (!t || !ns || !ops || !passes)
		return -EINVAL;
	return run_threads(t, &pu, 1, ops, NULL, passes, home_node, false, NULL, ns);
}

static bool call_ok(const struct runlen_call *call)
{
	return call && call->rmw_per_call >= 1 && call->rmw_per_call <= 64 &&
	       call->spin <= RUNLEN_SPIN_MAX;
}

int runlen_measure_calls(struct topo *t, const int *pus, unsigned int n,
			 const struct runlen_call *call, unsigned long calls, int home_node,
			 struct runlen_result *out)
{
	if (!t || !pus || !out || n < 2 || n > 65535 || !calls || !call_ok(call) ||
	    calls > ULONG_MAX / 64)
		return -EINVAL;
	out->ns_per_call = NAN;
	return run_threads(t, pus, n, calls * call->rmw_per_call, call, 1, home_node, true, out,
			   &out->ns_per_call);
}

int runlen_time_calls(struct topo *t, int pu, const struct runlen_call *call,
		      unsigned long calls, unsigned int passes, int home_node, double *ns)
{
	if (!t || !ns || !calls || !passes || !call_ok(call) || calls > ULONG_MAX / 64)
		return -EINVAL;
	return run_threads(t, &pu, 1, calls * call->rmw_per_call, call, passes, home_node, false,
			   NULL, ns);
}

#define SPIN_TIMING_CALLS 20000ul
#define SPIN_TIMING_PASSES 3u

int runlen_calibrate_spin(struct topo *t, int pu, unsigned int rmw_per_call, double c1_ns,
			  int home_node, struct runlen_call *out, double *achieved_ns)
{
	struct runlen_call c = { .rmw_per_call = rmw_per_call, .spin = 0 };
	double ns0, lo_ns, hi_ns, ns;
	unsigned long lo_k = 0, hi_k = 64, k;
	int rc;

	if (!t || !out || !achieved_ns || !rmw_per_call || rmw_per_call > 64 ||
	    !isfinite(c1_ns) || c1_ns <= 0)
		return -EINVAL;
	rc = runlen_time_calls(t, pu, &c, SPIN_TIMING_CALLS, SPIN_TIMING_PASSES, home_node, &ns0);
	if (rc)
		return rc;
	if (c1_ns <= ns0) {
		*out = c;
		*achieved_ns = ns0;
		return 0;
	}
	/* a probe K with a slope above the noise: double until it costs more */
	lo_ns = ns0;
	for (;;) {
		c.spin = hi_k;
		rc = runlen_time_calls(t, pu, &c, SPIN_TIMING_CALLS, SPIN_TIMING_PASSES, home_node,
				       &hi_ns);
		if (rc)
			return rc;
		if (hi_ns > ns0 * 1.2 || hi_k >= RUNLEN_SPIN_MAX)
			break;
		hi_k *= 4;
	}
	k = hi_k;
	ns = hi_ns;
	for (int it = 0; it < 4; it++) {
		/* solve on the two nearest timed points, K relative to the lower */
		unsigned long dk;

		rc = runlen_solve_spin(lo_ns, hi_k - lo_k, hi_ns, c1_ns, RUNLEN_SPIN_MAX - lo_k, &dk);
		if (rc)
			return rc;
		k = lo_k + dk;
		if (k == lo_k || k == hi_k) {
			ns = k == lo_k ? lo_ns : hi_ns;
			break;
		}
		c.spin = k;
		rc = runlen_time_calls(t, pu, &c, SPIN_TIMING_CALLS, SPIN_TIMING_PASSES, home_node, &ns);
		if (rc)
			return rc;
		if (fabs(ns - c1_ns) <= 0.05 * c1_ns)
			break;
		if (ns < c1_ns) {
			lo_k = k;
			lo_ns = ns;
		} else {
			hi_k = k;
			hi_ns = ns;
		}
		if (!(hi_ns > lo_ns))
			break;
	}
	out->rmw_per_call = rmw_per_call;
	out->spin = k;
	*achieved_ns = ns;
	return 0;
}
