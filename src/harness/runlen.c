/* The run-length calibrations of runlen.h: fetch-add logs -> owners in service order -> R. */
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

int runlen_from_owners_calls(const uint16_t *owner, unsigned long long total,
			     unsigned int rmw_per_call, struct runlen_result *out)
{
	unsigned long long runs = 1;

	if (!owner || !out || !total || !rmw_per_call || total % rmw_per_call)
		return -EINVAL;
	for (unsigned long long i = 1; i < total; i++)
		runs += owner[i] != owner[i - 1];
	out->ops = total;
	out->runs = runs;
	out->run_length = (double)total / runs;
	out->rmw_per_call = rmw_per_call;
	out->calls = total / rmw_per_call;
	out->run_length_calls = (double)out->calls / runs;
	return 0;
}

int runlen_from_owners(const uint16_t *owner, unsigned long long total,
		       struct runlen_result *out)
{
	return runlen_from_owners_calls(owner, total, 1, out);
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
	unsigned int passes;		/* >= 1; more only for a timing (the log is overwritten) */
	uint64_t *counter;		/* the shared line: sharing it is the point */
	unsigned int *arrived;		/* the start barrier */
	uint64_t *log;			/* ops values this thread's fetch-adds returned */
	uint64_t best_ns;		/* the fastest pass */
	uint64_t start_ns, end_ns;	/* of the last pass: the threads' overlap */
	uint64_t sink;			/* the spin chain's result, so it is not dropped */
	int err;
};

/* K dependent adds: a chain the core cannot shorten, no memory touched. */
static inline uint64_t spin_chain(uint64_t x, unsigned long k)
{
	for (unsigned long i = 0; i < k; i++) {
		x += i;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static void *rl_worker(void *arg)
{
	struct rl_thread *a = arg;

	a->err = topo_bind_thread(a->t, a->pu);
	__atomic_add_fetch(a->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(a->arrived, __ATOMIC_ACQUIRE) < a->n)
		;
	if (!a->call) {
		a->start_ns = clock_now_ns();
		for (unsigned long i = 0; i < a->ops; i++)
			a->log[i] = __atomic_fetch_add(a->counter, 1, __ATOMIC_RELAXED);
		a->end_ns = clock_now_ns();
		return NULL;
	}
	a->best_ns = UINT64_MAX;
	for (unsigned int p = 0; p < a->passes; p++) {
		unsigned long k = a->call->spin, rpc = a->call->rmw_per_call;
		uint64_t x = a->sink, t0 = clock_now_ns(), dt;

		for (unsigned long i = 0; i < a->ops; i += rpc)
			for (unsigned long j = 0; j < rpc; j++) {
				uint64_t v;

				x = spin_chain(x, k);
				v = __atomic_fetch_add(a->counter, 1, __ATOMIC_RELAXED);
				a->log[i + j] = v;
				x += v;	/* the next gap starts from this RMW's result */
			}
		a->end_ns = clock_now_ns();
		a->start_ns = t0;
		dt = a->end_ns - t0;
		a->sink = x;
		if (dt < a->best_ns)
			a->best_ns = dt;
	}
	return NULL;
}

/*
 * n threads on pus, each ops fetch-adds per pass (a multiple of the call's
 * rmw_per_call), passes passes; check = the logs must be a permutation
 * (one pass only): then R into out. *ns_per_call: the mean over threads of
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
	uint16_t *owner = NULL;
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
	if (check)
		owner = malloc(total * sizeof(*owner));
	if (!th || !tid || (check && !owner)) {
		rc = -ENOMEM;
		goto out;
	}
	/* the counter and the barrier on lines of their own, in one page */
	rc = topo_alloc_on_node(t, page, home_node, &mem, &bound);
	if (rc)
		goto out;
	for (unsigned int i = 0; i < n; i++) {
		th[i] = (struct rl_thread){ .t = t, .pu = pus[i], .n = n, .ops = ops,
					    .call = call, .passes = passes, .counter = mem,
					    .arrived = (unsigned int *)((char *)mem + 128),
					    .sink = i };
		th[i].log = malloc(ops * sizeof(uint64_t));
		if (!th[i].log) {
			rc = -ENOMEM;
			goto out;
		}
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
	if (call && ns_per_call) {
		double sum = 0;

		for (unsigned int i = 0; i < n; i++)
			sum += (double)th[i].best_ns / (ops / call->rmw_per_call);
		*ns_per_call = sum / n;
	}
	if (!check)
		goto out;
	memset(owner, 0xff, total * sizeof(*owner));
	for (unsigned int i = 0; i < n && !rc; i++)
		for (unsigned long k = 0; k < ops; k++) {
			uint64_t v = th[i].log[k];

			if (v >= total || owner[v] != UINT16_MAX) {
				rc = -EPROTO;
				break;
			}
			owner[v] = (uint16_t)i;
		}
	if (!rc)
		rc = runlen_from_owners_calls(owner, total, call ? call->rmw_per_call : 1, out);
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
	if (th)
		for (unsigned int i = 0; i < n; i++)
			free(th[i].log);
	free(th);
	free(tid);
	free(owner);
	topo_free(t, mem, page);
	return rc;
}

int runlen_measure(struct topo *t, const int *pus, unsigned int n, unsigned long ops,
		   int home_node, struct runlen_result *out)
{
	if (!t || !pus || !out || n < 2 || n > 65535 || !ops)
		return -EINVAL;
	out->ns_per_call = NAN;
	return run_threads(t, pus, n, ops, NULL, 1, home_node, true, out, NULL);
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
