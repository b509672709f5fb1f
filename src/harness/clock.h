/*
 * src/harness/clock.h — the clock the harness reads per batch, its measured
 * cost, and the calibrated busy-wait that models an IOMMU invalidation.
 *
 * Clock. clock_now_ns() is CLOCK_MONOTONIC through the vDSO (no system call
 * when the kernel's clocksource allows it: tsc, kvm-clock); it is read once
 * per batch of calls, never per call. clock_overhead_ns() measures what one
 * read costs here; the harness exports that figure (timer_overhead_ns) and
 * never subtracts it silently.
 *
 * Ticks. The model's invalidation busy-waits until get_cycles() (the TSC)
 * passes a deadline (src/model/model-iommu.c); clock_ticks_per_ns()
 * calibrates the tick against this clock so --inv-ns becomes a tick count:
 * clock_ns_to_ticks().
 *
 * Spinning. clock_spin(n) is n cpu_relax() iterations (x86 `pause`, whose
 * latency varies by microarchitecture: ~10 cycles before Skylake, ~140
 * after): a short back-off, not a measure of time.
 *
 * Contract. Every function may be called from any thread at any time and
 * keeps no state; nothing here prints. Costs: clock_now_ns() tens of ns;
 * clock_overhead_ns() about 1 ms; clock_ticks_per_ns() about 10 ms of
 * spinning on the calling CPU (run it where nothing else competes for it).
 */
#ifndef DMABENCH_HARNESS_CLOCK_H
#define DMABENCH_HARNESS_CLOCK_H

#include <stdint.h>
#include <time.h>
#include "model/compiler.h"	/* cpu_relax(): the model's, so the loops match */

#define NSEC_PER_SEC	1000000000ull

static inline uint64_t clock_ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

/* CLOCK_MONOTONIC in ns: the per-batch read. */
static inline uint64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return clock_ts_ns(&ts);
}

/* CPU time of the calling thread in ns (a system call on most kernels: not for hot loops). */
static inline uint64_t clock_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return clock_ts_ns(&ts);
}

/* n cpu_relax() iterations. */
static __always_inline void clock_spin(unsigned long n)
{
	for (unsigned long i = n; i; i--)
		cpu_relax();
}

/* Busy-wait (cpu_relax) until clock_now_ns() >= deadline_ns; returns that reading. */
static inline uint64_t clock_spin_until(uint64_t deadline_ns)
{
	uint64_t now;

	while ((now = clock_now_ns()) < deadline_ns)
		cpu_relax();
	return now;
}

/* Sleep until CLOCK_MONOTONIC reaches deadline_ns (restarts after signals): 0 or -errno. */
int clock_sleep_until(uint64_t deadline_ns);

/*
 * Cost of one clock_now_ns() in ns: the median over 101 trials of (time of
 * 64 back-to-back reads) / 64. Always > 0.
 */
double clock_overhead_ns(void);

/*
 * get_cycles() ticks (model/compiler.h: the TSC on x86) per ns of
 * clock_now_ns(): the median of 5 trials of about 2 ms each. Always > 0.
 * The model's invalidation waits a deadline in these ticks.
 */
double clock_ticks_per_ns(void);

/* ns of modelled wait -> get_cycles() ticks, rounded to nearest; 0 ns -> 0. */
static inline uint64_t clock_ns_to_ticks(uint64_t ns, double ticks_per_ns)
{
	return (uint64_t)((double)ns * ticks_per_ns + 0.5);
}

#endif
