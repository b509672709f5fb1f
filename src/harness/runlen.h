/*
 * src/harness/runlen.h — run length R: how many consecutive atomic
 * read-modify-writes one thread performs on a contended line before the
 * line moves to another thread. A calibration pass, outside every timed
 * window: N threads, pinned to the PUs given (placed exactly as the sweep
 * places them), start together on a spin barrier and each performs `ops`
 * fetch-adds of 1 on one shared 64-bit counter alone in its line (in
 * home-node memory), logging every value its fetch-add returned. The values
 * 0 .. N*ops-1 are each returned exactly once, in the order the line served
 * them, so owner[value] is the order of service; R = N*ops / (the number of
 * maximal runs of one owner). R = 1: strict alternation; R = N/(N-1): a
 * random next holder; large R: the line stays put (unfair arbitration).
 * The loop does nothing between fetch-adds, so it measures the hardware's
 * arbitration at full pressure; a real call has work between its RMWs
 * (docs/METHODOLOGY.md says which way that errs).
 *
 * Contract: library code, 0 or -errno. runlen_measure() starts and joins
 * n threads of its own; memory n*ops*8 bytes for the logs.
 */
#ifndef DMABENCH_HARNESS_RUNLEN_H
#define DMABENCH_HARNESS_RUNLEN_H

#include <stdint.h>

struct topo;

#define RUNLEN_DEFAULT_OPS 100000u	/* per thread: ~20 ms at 2 threads */

struct runlen_result {
	unsigned int threads;
	unsigned long long ops;		/* all threads together */
	unsigned long long runs;	/* maximal runs of one owner */
	double run_length;		/* ops / runs */
};

/*
 * Pure: R from the owners in service order (owner[i] = the thread whose
 * fetch-add returned i), total entries. -EINVAL on total == 0.
 */
int runlen_from_owners(const uint16_t *owner, unsigned long long total,
		       struct runlen_result *out);

/*
 * The calibration on this system: n threads (2 .. 65535) on pus[0..n-1]
 * (allowed PUs; a PU may repeat: oversubscribed), ops per thread (>= 1),
 * the counter on home_node. -EINVAL, -EOPNOTSUPP (not this system), -ENOMEM,
 * the binding error, or -EPROTO if the logs are not a permutation of
 * 0..n*ops-1 (cannot happen with a working fetch-add).
 */
int runlen_measure(struct topo *t, const int *pus, unsigned int n, unsigned long ops,
		   int home_node, struct runlen_result *out);

#endif
