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

#endif
