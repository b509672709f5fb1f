/* The run-length calibration: R from owners by hand, and a real pass here. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include "test.h"
#include "harness/runlen.h"
#include "harness/topo.h"

TEST(strict_alternation_is_one)
{
	uint16_t o[] = { 0, 1, 0, 1, 0, 1 };
	struct runlen_result r;

	CHECK_EQ_INT(runlen_from_owners(o, 6, &r), 0);
	CHECK_EQ_INT((int)r.runs, 6);
	CHECK_NEAR(r.run_length, 1, 0);
}

TEST(runs_by_hand)
{
	/* 0 0 0 | 1 1 | 0 | 2 2 2 2: 4 runs of 10 -> R = 2.5 */
	uint16_t o[] = { 0, 0, 0, 1, 1, 0, 2, 2, 2, 2 };
	struct runlen_result r;

	CHECK_EQ_INT(runlen_from_owners(o, 10, &r), 0);
	CHECK_EQ_INT((int)r.runs, 4);
	CHECK_EQ_INT((int)r.ops, 10);
	CHECK_NEAR(r.run_length, 2.5, 1e-12);
	/* one holder throughout: one run */
	CHECK_EQ_INT(runlen_from_owners(o + 6, 4, &r), 0);
	CHECK_NEAR(r.run_length, 4, 0);
	CHECK_EQ_INT(runlen_from_owners(o, 0, &r), -EINVAL);
	CHECK_EQ_INT(runlen_from_owners(NULL, 3, &r), -EINVAL);
}

TEST(measure_here_counts_sane_runs)
{
	struct topo *t;
	struct runlen_result r = { 0 };
	int pus[2], n;

	REQUIRE(topo_open(&t) == 0);
	n = topo_allowed_pus(t, pus, 2);
	if (n < 2)
		pus[1] = pus[0];	/* one allowed PU: both threads on it */
	/* the counter must reach 2*ops and the runs be counted, else -EPROTO */
	CHECK_EQ_INT(runlen_measure(t, pus, 2, 20000, topo_first_numa_node(t), &r), 0);
	CHECK_EQ_INT((int)r.threads, 2);
	CHECK_EQ_INT((int)r.ops, 40000);
	/* at least two runs (both threads ran), at most one per op */
	CHECK(r.runs >= 2 && r.runs <= r.ops);
	CHECK(r.run_length >= 1 && r.run_length <= 20000);
	/* timed: per fetch-add at 2 threads, and alone */
	CHECK(isfinite(r.ns_per_call) && r.ns_per_call > 0);
	{
		double one = NAN;

		CHECK_EQ_INT(runlen_time_bare(t, pus[0], 5000, 2, topo_first_numa_node(t), &one), 0);
		CHECK(isfinite(one) && one > 0);
		CHECK_EQ_INT(runlen_time_bare(t, pus[0], 0, 2, 0, &one), -EINVAL);
		CHECK_EQ_INT(runlen_time_bare(t, pus[0], 100, 0, 0, &one), -EINVAL);
	}
	CHECK_EQ_INT(runlen_measure(t, pus, 1, 100, 0, &r), -EINVAL);
	CHECK_EQ_INT(runlen_measure(t, pus, 2, 0, 0, &r), -EINVAL);
	topo_close(t);
}

TEST(runs_in_calls_by_hand)
{
	struct runlen_result r;
	/* two fetch-adds per call; whole calls alternate: 4 runs of 4 calls -> R = 1 call */
	uint16_t alt[] = { 0, 0, 1, 1, 0, 0, 1, 1 };
	/* each thread keeps the line two calls: 2 runs, 4 calls -> R = 2 */
	uint16_t kept[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	/* the line moves between the get and the put of every call: 4 runs, 2 calls -> R = 0.5 */
	uint16_t split[] = { 0, 1, 0, 1 };

	CHECK_EQ_INT(runlen_from_owners_calls(alt, 8, 2, &r), 0);
	CHECK_EQ_INT((int)r.runs, 4);
	CHECK_EQ_INT((int)r.calls, 4);
	CHECK_NEAR(r.run_length, 2, 1e-12);
	CHECK_NEAR(r.run_length_calls, 1, 1e-12);
	CHECK_EQ_INT(runlen_from_owners_calls(kept, 8, 2, &r), 0);
	CHECK_NEAR(r.run_length_calls, 2, 1e-12);
	CHECK_NEAR(r.run_length, 4, 1e-12);
	CHECK_EQ_INT(runlen_from_owners_calls(split, 4, 2, &r), 0);
	CHECK_NEAR(r.run_length_calls, 0.5, 1e-12);
	/* three per call */
	CHECK_EQ_INT(runlen_from_owners_calls(kept, 6, 3, &r), 0);
	CHECK_EQ_INT((int)r.calls, 2);
	CHECK_NEAR(r.run_length_calls, 1, 1e-12);
	/* the bare form is one per call */
	CHECK_EQ_INT(runlen_from_owners(alt, 8, &r), 0);
	CHECK_NEAR(r.run_length_calls, r.run_length, 0);
	CHECK_EQ_INT(runlen_from_owners_calls(alt, 7, 2, &r), -EINVAL);
	CHECK_EQ_INT(runlen_from_owners_calls(alt, 8, 0, &r), -EINVAL);
}

TEST(spin_solve_by_hand)
{
	unsigned long k = 99;

	/* 5 ns at K=0, 25 ns at K=100: 0.2 ns per K; 12 ns -> K = 35 */
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 25, 12, 1000, &k), 0);
	CHECK_EQ_INT((int)k, 35);
	/* rounding: 12.1 -> 35.5 -> 36 */
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 25, 12.1, 1000, &k), 0);
	CHECK_EQ_INT((int)k, 36);
	/* extrapolates past the probe, clamps at kmax */
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 25, 45, 1000, &k), 0);
	CHECK_EQ_INT((int)k, 200);
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 25, 1e6, 1000, &k), 0);
	CHECK_EQ_INT((int)k, 1000);
	/* the RMWs alone already cost the target: no spin */
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 25, 4, 1000, &k), 0);
	CHECK_EQ_INT((int)k, 0);
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 25, 5, 1000, &k), 0);
	CHECK_EQ_INT((int)k, 0);
	/* no slope: noise, not an answer */
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 5, 12, 1000, &k), -ERANGE);
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 4, 12, 1000, &k), -ERANGE);
	CHECK_EQ_INT(runlen_solve_spin(5, 0, 25, 12, 1000, &k), -EINVAL);
	CHECK_EQ_INT(runlen_solve_spin(NAN, 100, 25, 12, 1000, &k), -EINVAL);
	CHECK_EQ_INT(runlen_solve_spin(5, 100, 25, -1, 1000, &k), -EINVAL);
}

TEST(call_shaped_here_counts_runs_in_calls)
{
	struct topo *t;
	struct runlen_result r = { 0 };
	struct runlen_call call = { .rmw_per_call = 2, .spin = 8 };
	int pus[2], n;
	double ns = NAN;

	REQUIRE(topo_open(&t) == 0);
	n = topo_allowed_pus(t, pus, 2);
	if (n < 2)
		pus[1] = pus[0];
	CHECK_EQ_INT(runlen_measure_calls(t, pus, 2, &call, 5000, topo_first_numa_node(t), &r), 0);
	CHECK_EQ_INT((int)r.threads, 2);
	CHECK_EQ_INT((int)r.ops, 20000);
	CHECK_EQ_INT((int)r.calls, 10000);
	CHECK_EQ_INT((int)r.rmw_per_call, 2);
	CHECK(r.runs >= 2 && r.runs <= r.ops);
	/* calls/runs, and R in fetch-adds is rmw_per_call times it */
	CHECK_NEAR(r.run_length_calls, (double)r.calls / r.runs, 1e-9);
	CHECK_NEAR(r.run_length, 2 * r.run_length_calls, 1e-9);
	CHECK(isfinite(r.ns_per_call) && r.ns_per_call > 0);
	CHECK(r.overlap >= 0 && r.overlap <= 1);
	/* one thread, timed */
	CHECK_EQ_INT(runlen_time_calls(t, pus[0], &call, 1000, 2, topo_first_numa_node(t), &ns), 0);
	CHECK(isfinite(ns) && ns > 0);
	call.rmw_per_call = 0;
	CHECK_EQ_INT(runlen_measure_calls(t, pus, 2, &call, 100, 0, &r), -EINVAL);
	call = (struct runlen_call){ .rmw_per_call = 1, .spin = RUNLEN_SPIN_MAX + 1 };
	CHECK_EQ_INT(runlen_measure_calls(t, pus, 2, &call, 100, 0, &r), -EINVAL);
	call.spin = 0;
	CHECK_EQ_INT(runlen_measure_calls(t, pus, 1, &call, 100, 0, &r), -EINVAL);
	CHECK_EQ_INT(runlen_measure_calls(t, pus, 2, &call, 0, 0, &r), -EINVAL);
	topo_close(t);
}

TEST(spin_calibration_here)
{
	struct topo *t;
	struct runlen_call call = { 0 };
	double ns = NAN;
	int pu;

	REQUIRE(topo_open(&t) == 0);
	REQUIRE(topo_allowed_pus(t, &pu, 1) >= 1);
	/* a target below one uncontended fetch-add: no spin at all */
	CHECK_EQ_INT(runlen_calibrate_spin(t, pu, 2, 1e-3, topo_first_numa_node(t), &call, &ns), 0);
	CHECK_EQ_INT((int)call.spin, 0);
	CHECK_EQ_INT((int)call.rmw_per_call, 2);
	CHECK(isfinite(ns) && ns > 1e-3);
	/* 2 us a call is far above two uncontended fetch-adds anywhere: spin needed */
	CHECK_EQ_INT(runlen_calibrate_spin(t, pu, 2, 2000, topo_first_numa_node(t), &call, &ns), 0);
	CHECK(call.spin > 0 && call.spin <= RUNLEN_SPIN_MAX);
	CHECK(isfinite(ns) && ns > 0);
	CHECK_EQ_INT(runlen_calibrate_spin(t, pu, 0, 10, 0, &call, &ns), -EINVAL);
	CHECK_EQ_INT(runlen_calibrate_spin(t, pu, 2, 0, 0, &call, &ns), -EINVAL);
	CHECK_EQ_INT(runlen_calibrate_spin(t, pu, 2, NAN, 0, &call, &ns), -EINVAL);
	topo_close(t);
}

/* The calibrations count runs as they go: the same count as the owners in service order. */
TEST(counted_runs_equal_owner_runs)
{
	enum { N = 3, TOTAL = 3000 };
	static uint16_t owner[TOTAL];
	static uint64_t ret[N][TOTAL];
	const uint64_t *rp[N];
	unsigned long len[N] = { 0 };
	unsigned long long runs = 0;
	struct runlen_result r;
	uint32_t x = 12345;

	/* a service order with runs of 1..8 by a pseudo-random thread */
	for (unsigned long i = 0; i < TOTAL;) {
		unsigned int who, k;

		x = x * 1103515245u + 12345u;
		who = (x >> 16) % N;
		k = 1 + (x >> 8) % 8;
		for (; k && i < TOTAL; k--, i++)
			owner[i] = (uint16_t)who;
	}
	for (unsigned long i = 0; i < TOTAL; i++)
		ret[owner[i]][len[owner[i]]++] = i;
	for (int i = 0; i < N; i++)
		rp[i] = ret[i];
	CHECK_EQ_INT(runlen_from_owners(owner, TOTAL, &r), 0);
	CHECK_EQ_INT(runlen_count_runs(rp, len, N, &runs), 0);
	CHECK_EQ_INT((int)runs, (int)r.runs);
	/* strict alternation of two: every RMW starts a run */
	{
		static const uint64_t a[] = { 0, 2, 4 }, b[] = { 1, 3, 5 };
		const uint64_t *two[] = { a, b };
		unsigned long l2[] = { 3, 3 };

		CHECK_EQ_INT(runlen_count_runs(two, l2, 2, &runs), 0);
		CHECK_EQ_INT((int)runs, 6);
	}
	CHECK_EQ_INT(runlen_count_runs(NULL, len, N, &runs), -EINVAL);
	CHECK_EQ_INT(runlen_count_runs(rp, len, 0, &runs), -EINVAL);
}
