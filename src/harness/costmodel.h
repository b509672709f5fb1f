/*
 * src/harness/costmodel.h — a prediction of the contended `refcount` cost per
 * call from the core-to-core round trips (c2c.h).
 *
 * The model. The `refcount` lookup (iommu_get_domain_for_dev()) is a
 * kobject_get (atomic increment), a load of group->domain (another line, only
 * read, so it stays shared in every cache and hits), and a kobject_put (atomic
 * decrement). Both atomics need the refcount line exclusively, so the line is
 * a single server: it serves one call at a time. The get and the put are
 * about c1/2 apart, far less than a line transfer, so a thread that received
 * the line for its get still holds it for its put: one acquisition per call,
 * holding the line for c1, the measured one-thread cost of a whole call. The
 * next holder is assumed independent of the last and equally likely to be any
 * of the N threads (itself included: then no transfer), and a transfer from
 * PU k to PU j costs the one-way time rt(j,k)/2 (a c2c round trip is two
 * transfers). The line then serves a call every
 *     c1 + (1/N^2) sum_{j != k} rt(j,k)/2
 * on average, and each of the N threads waits for the other N-1 calls, so the
 * latency of one call as a thread sees it (results.csv's ns_per_op) is
 *     T(N) = N c1 + (1/N) sum_{unordered pairs j<k} rt(j,k),
 * i.e. T(1) = c1 and, for two threads with round trip rt, T(2) = 2 c1 + rt/2.
 * What it leaves out, and which way that errs: a thread losing the line
 * between its get and put (two transfers per call: T above too low); a
 * holder keeping the line for several calls in a row, which the unfair
 * arbitration of real caches does more often than 1/N (T too high); queueing
 * in the interconnect beyond one transfer at a time; the loop overhead
 * counted in c1 though it runs off the line (T a little too high); and a
 * ping-pong leg costs an invalidation plus a miss where an RMW handoff is
 * one read-for-ownership, so rt/2 may overstate a handoff (T too high).
 * A pair that c2c sampling left out is replaced by the mean of the measured
 * pairs between the same two nodes.
 *
 * Pure arithmetic on its arguments; any thread may call it; O(N^2).
 */
#ifndef DMABENCH_HARNESS_COSTMODEL_H
#define DMABENCH_HARNESS_COSTMODEL_H

#include "harness/c2c.h"

/*
 * T(N) above for the threads on PUs pus[0..n-1] (OS indexes, distinct: the
 * model assumes one thread per PU), c1 = uncontended_ns (> 0, finite; the
 * one-thread refcount ns per call). -EINVAL on n == 0, a bad c1 or a
 * duplicate PU; -ENODATA if a pair's round trip is unknown (not in m, and no
 * measured pair between the same nodes). m may be NULL when n == 1.
 */
int costmodel_refcount(const struct c2c_matrix *m, const int *pus,
		       unsigned int n, double uncontended_ns, double *out_ns);

/* The same, NAN on any error (the CSV writes NAN as an empty cell). */
double costmodel_refcount_ns(const struct c2c_matrix *m, const int *pus,
			     unsigned int n, double uncontended_ns);

/*
 * ---- the contention model per strategy class (docs/METHODOLOGY.md) ----
 *
 * A call is a pure delay Z (the part that touches no shared written line)
 * plus `visits` visits to one shared resource (a line or a lock written by
 * every call), each holding it for `hold_ns` plus a handoff when the resource
 * arrives from another CPU. The resource is a single FCFS queue; the N
 * threads are the N customers of a closed network solved exactly by
 * mean-value analysis (costmodel_mva). The handoff is a band:
 *   hi: the next holder is a random one of the N threads (the model above):
 *       a handoff of mean one-way time h_mean, with probability (N-1)/N;
 *   lo: the line stays R operations with one holder (R measured, the run
 *       length), and moves over the cheapest latency class present:
 *       h_min / R per visit.
 *   mid: the measured R with the mean one-way time of the placed pairs:
 *       h_mean / R per visit (the best single estimate; without a measured
 *       R it is hi; on a machine with one latency class it is lo).
 * Service per visit s = hold + handoff; demand D = visits * s; Z = c1 -
 * visits * hold (>= 0). If R is below random (strict alternation) the
 * three are sorted so lo <= mid <= hi. knee = (Z + D) / D at the mid
 * service: the thread count where the resource's utilisation reaches 1 under
 * the asymptotic bounds. Read-mostly and per-CPU classes are flat at c1.
 */
enum costmodel_class {
	COSTMODEL_SHARED_WRITE,	/* a line or lock written by every call */
	COSTMODEL_READ_MOSTLY,	/* shared lines only read on the fast path */
	COSTMODEL_PER_CPU,	/* per-CPU state, an occasional global step */
	COSTMODEL_NR_CLASSES,
};

const char *costmodel_class_name(enum costmodel_class c);

/*
 * Exact MVA, one queueing centre of demand d_ns per call and a delay of
 * z_ns, n customers: the per-call time as a thread sees it (n / X(n)).
 * -EINVAL on n == 0, negative or non-finite inputs, d + z == 0.
 * Several centres: costmodel_mva_multi (k >= 1 demands).
 */
int costmodel_mva(double d_ns, double z_ns, unsigned int n, double *t_ns);

/*
 * The handoff a stream of calls paid, from a calibration loop's timings:
 * the loop is one line visited by every call with no pure delay, so at n
 * threads the MVA gives t_n = n (one + x) exactly, x the handoff per call;
 * a handoff is x times the run length r (calls per handoff):
 * max(0, t_n / n - one) * r. NAN on non-finite or non-positive inputs or
 * n < 2. It is what a handoff costs when the next request is already on
 * its way while the holder works, which a ping-pong round trip does not
 * see (docs/METHODOLOGY.md 5.1).
 */
double costmodel_stream_handoff(double t_n_ns, unsigned int n, double one_ns, double r);
int costmodel_mva_multi(const double *d_ns, unsigned int k, double z_ns,
			unsigned int n, double *t_ns);
/* (z + sum d) / max d: NAN when every demand is 0. */
double costmodel_knee(const double *d_ns, unsigned int k, double z_ns);

struct costmodel_input {
	enum costmodel_class cls;
	double c1_ns;		/* one-thread cost per call, > 0 */
	double visits;		/* visits per call to the shared resource (>= 0) */
	double hold_ns;		/* per visit, visits * hold <= c1 */
	unsigned int n;		/* threads, >= 1 */
	double h_mean_ns;	/* mean one-way handoff over the placed pairs */
	double h_min_ns;	/* the cheapest one-way handoff among them */
	double run_length;	/* R in visits (> 0), or NAN: random, N/(N-1) */
	/*
	 * The stream efficiency eta (> 0; 0 or NAN: 1, a ping-pong one-way per
	 * handoff): what a handoff cost in a calibration stream over the
	 * one-way time then (costmodel_stream_handoff; a stream hides part of
	 * each transfer behind the holder's work). It scales the handoff of
	 * the lo and mid edges; hi stays a full one-way at a random next holder.
	 * Negative or infinite: -EINVAL.
	 */
	double eta;
	/* R for the lo edge (0 or NAN: run_length; below it: run_length): the
	 * longest runs the hardware gives at this placement (the bare loop's,
	 * in visits) */
	double run_length_lo;
	/* eta for the lo edge (0 or NAN: eta; above it: eta): the cheapest
	 * stream measured there (the bare loop's) */
	double eta_lo;
	/*
	 * A lock taken once per call by every class (strict invalidation's
	 * command-queue lock), held lock_hold_ns (>= 0; 0: none): a second
	 * queueing centre. The lock's line moves on most acquisitions under
	 * contention, so its handoff is the random next holder on every edge
	 * (lo at h_min, mid and hi at h_mean). visits * hold + lock_hold <= c1.
	 */
	double lock_hold_ns;
};

struct costmodel_band {
	double lo_ns, mid_ns, hi_ns;
	double knee;		/* NAN for the flat classes */
};

/* -EINVAL on a bad input (the shared class needs finite handoffs when n > 1). */
int costmodel_predict(const struct costmodel_input *in, struct costmodel_band *out);

/*
 * Handoff figures of the PUs pus[0..n-1] from m's op figures (one-way =
 * round trip / 2; a sampled-out pair takes its node-pair mean): the mean
 * over the unordered pairs and the minimum. n == 1: both 0. -ENODATA when
 * a pair has no figure, -EINVAL on bad arguments.
 */
int costmodel_handoffs(const struct c2c_matrix *m, enum c2c_op op, const int *pus,
		       unsigned int n, double *mean_ns, double *min_ns);

/*
 * The USL that a curve implies: least squares of T(N)/T(1) - 1 =
 * alpha (N-1) + beta N (N-1) over the points with N >= 2 (with one such
 * point, or all at one N: beta = 0 and alpha from their mean). -EINVAL
 * without a point at N >= 2 or without t1 > 0.
 */
int costmodel_usl_implied(const unsigned int *n, const double *t_ns, unsigned int k,
			  double t1_ns, double *alpha, double *beta);

#endif
