/* The clock's cost, the spin calibration, and sleeping to a deadline: see clock.h. */
#include <errno.h>
#include <stdlib.h>
#include "harness/clock.h"

#define OVERHEAD_TRIALS		101
#define OVERHEAD_READS		64

int clock_sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline_ns / NSEC_PER_SEC),
		.tv_nsec = (long)(deadline_ns % NSEC_PER_SEC),
	};
	int rc;

	/* clock_nanosleep returns the error, it does not set errno */
	while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR)
		;
	return -rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* median of a small array, sorted in place */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double clock_overhead_ns(void)
{
	double per_read[OVERHEAD_TRIALS];

	for (int t = 0; t < OVERHEAD_TRIALS; t++) {
		uint64_t t0 = clock_now_ns(), t1 = t0;

		/* OVERHEAD_READS reads after t0, each ending one interval */
		for (int i = 0; i < OVERHEAD_READS; i++)
			t1 = clock_now_ns();
		per_read[t] = (double)(t1 - t0) / OVERHEAD_READS;
	}
	double m = median(per_read, OVERHEAD_TRIALS);

	/* a clock coarser than the loop (never seen with the vDSO) still gives > 0 */
	return m > 0 ? m : 1.0 / OVERHEAD_READS;
}

#define TICK_TRIALS	5
#define TICK_TRIAL_NS	(2 * 1000 * 1000ull)

double clock_ticks_per_ns(void)
{
	double rate[TICK_TRIALS];

	for (int t = 0; t < TICK_TRIALS; t++) {
		uint64_t t0 = clock_now_ns(), c0 = get_cycles(), t1, c1;

		t1 = clock_spin_until(t0 + TICK_TRIAL_NS);
		c1 = get_cycles();
		rate[t] = (double)(c1 - c0) / (double)(t1 - t0 ? t1 - t0 : 1);
	}
	double m = median(rate, TICK_TRIALS);

	return m > 0 ? m : 1.0;
}
