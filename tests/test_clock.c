/* tests/test_clock.c — src/harness/clock.{h,c}: the clock, its cost, the tick calibration, the spins. */
#include <errno.h>
#include <stdio.h>
#include "test.h"
#include "harness/clock.h"

TEST(clock_now_is_monotonic_and_in_ns)
{
	uint64_t a = clock_now_ns();
	struct timespec ts = { 0, 2000000 };	/* 2 ms */
	uint64_t b;

	nanosleep(&ts, NULL);
	b = clock_now_ns();
	CHECK(b >= a);
	/* a 2 ms sleep reads as ms in ns units, not s or us */
	CHECK_MSG(b - a >= 2000000 && b - a < 2000000000ull, "2 ms sleep read as %llu ns",
		  (unsigned long long)(b - a));
}

TEST(clock_thread_cpu_time_excludes_sleep)
{
	uint64_t c0 = clock_thread_cpu_ns(), w0 = clock_now_ns();
	struct timespec ts = { 0, 20000000 };	/* 20 ms asleep */

	nanosleep(&ts, NULL);
	CHECK(clock_now_ns() - w0 >= 20000000);
	CHECK_MSG(clock_thread_cpu_ns() - c0 < 10000000, "slept, yet %llu ns of CPU",
		  (unsigned long long)(clock_thread_cpu_ns() - c0));
}

TEST(clock_overhead_is_positive_and_small)
{
	double ns = clock_overhead_ns();

	printf("# clock_now_ns() costs %.1f ns here\n", ns);
	CHECK(ns > 0);
	CHECK_MSG(ns < 1e6, "one clock read %.0f ns", ns);	/* sanity, not performance */
}

TEST(clock_spin_runs_the_asked_count_of_relax_iterations)
{
	uint64_t t0 = clock_now_ns(), dt;

	clock_spin(0);		/* nothing */
	clock_spin(100000);
	dt = clock_now_ns() - t0;
	/* wide: `pause` is 10-140 cycles; the point is that it returns, having spun */
	CHECK_MSG(dt > 1000 && dt < 1000000000ull, "100000 spins took %llu ns",
		  (unsigned long long)dt);
}

TEST(clock_spin_and_sleep_until_reach_the_deadline)
{
	uint64_t deadline = clock_now_ns() + 1000000;

	CHECK(clock_spin_until(deadline) >= deadline);
	CHECK(clock_now_ns() >= deadline);
	deadline = clock_now_ns() + 3000000;
	CHECK_EQ_INT(clock_sleep_until(deadline), 0);
	CHECK(clock_now_ns() >= deadline);
	CHECK_EQ_INT(clock_sleep_until(0), 0);	/* past deadline: returns at once */
}

TEST(ticks_per_ns_is_positive_and_converts_ns_to_ticks)
{
	double tpn = clock_ticks_per_ns();
	uint64_t c0 = get_cycles(), t0 = clock_now_ns();

	printf("# get_cycles() ticks per ns: %.4f\n", tpn);
	CHECK(tpn > 0);
	CHECK_EQ_INT(clock_ns_to_ticks(0, tpn), 0);
	CHECK_EQ_INT(clock_ns_to_ticks(1000, 2.5), 2500);
	CHECK_EQ_INT(clock_ns_to_ticks(3, 0.5), 2);	/* rounded to nearest */
	/* ticks advance with the clock at the calibrated rate (within 10%) */
	clock_spin_until(t0 + 5000000);
	{
		double rate = (double)(get_cycles() - c0) / (double)(clock_now_ns() - t0);

		CHECK_MSG(rate > tpn * 0.9 && rate < tpn * 1.1, "rate %.4f, calibrated %.4f", rate, tpn);
	}
}
