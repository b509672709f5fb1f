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

TEST(measure_here_is_a_permutation_with_sane_runs)
{
	struct topo *t;
	struct runlen_result r = { 0 };
	int pus[2], n;

	REQUIRE(topo_open(&t) == 0);
	n = topo_allowed_pus(t, pus, 2);
	if (n < 2)
		pus[1] = pus[0];	/* one allowed PU: both threads on it */
	/* the logs must be a permutation of 0..2*ops-1, else -EPROTO */
	CHECK_EQ_INT(runlen_measure(t, pus, 2, 20000, topo_first_numa_node(t), &r), 0);
	CHECK_EQ_INT((int)r.threads, 2);
	CHECK_EQ_INT((int)r.ops, 40000);
	/* at least two runs (both threads ran), at most one per op */
	CHECK(r.runs >= 2 && r.runs <= r.ops);
	CHECK(r.run_length >= 1 && r.run_length <= 20000);
	CHECK_EQ_INT(runlen_measure(t, pus, 1, 100, 0, &r), -EINVAL);
	CHECK_EQ_INT(runlen_measure(t, pus, 2, 0, 0, &r), -EINVAL);
	topo_close(t);
}
