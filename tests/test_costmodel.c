/* The contended-refcount model against hand-computed values. */
#include <errno.h>
#include <math.h>
#include "test.h"
#include "harness/c2c.h"
#include "harness/costmodel.h"

/* PUs 0,1 on node 0 and 2,3 on node 1; made-up round trips (ns):
 * same node 100 (0-1) and 120 (2-3), cross node 300, 310, 320, 330. */
static int four_pus(struct c2c_matrix *m)
{
	static const struct c2c_pu pus[] = { { 0, 0 }, { 1, 0 }, { 2, 1 }, { 3, 1 } };
	static const struct { int a, b; double rt; } rt[] = {
		{ 0, 1, 100 }, { 2, 3, 120 },
		{ 0, 2, 300 }, { 0, 3, 310 }, { 1, 2, 320 }, { 1, 3, 330 },
	};
	int rc = c2c_plan(m, pus, 4, 0);

	if (rc)
		return rc;
	for (unsigned int i = 0; i < sizeof(rt) / sizeof(rt[0]); i++)
		for (unsigned int k = 0; k < m->npairs; k++)
			if (m->pairs[k].from == rt[i].a && m->pairs[k].to == rt[i].b)
				m->pairs[k].round_trip_ns = rt[i].rt;
	return 0;
}

TEST(one_thread_is_the_uncontended_cost)
{
	int pu = 3;
	double t = 0;

	/* T(1) = c1: no other holder, no transfer; no matrix needed */
	CHECK_EQ_INT(costmodel_refcount(NULL, &pu, 1, 9.5, &t), 0);
	CHECK_NEAR(t, 9.5, 1e-12);
}

TEST(two_threads_same_node)
{
	struct c2c_matrix m;
	int pus[] = { 1, 0 };
	double t = 0;

	REQUIRE(four_pus(&m) == 0);
	/* T(2) = 2 c1 + rt/2 = 2*10 + 100/2 */
	CHECK_EQ_INT(costmodel_refcount(&m, pus, 2, 10, &t), 0);
	CHECK_NEAR(t, 70, 1e-9);
	c2c_free(&m);
}

TEST(four_threads_two_nodes)
{
	struct c2c_matrix m;
	int pus[] = { 0, 1, 2, 3 };
	double t = 0;

	REQUIRE(four_pus(&m) == 0);
	/* T(4) = 4*10 + (100+120+300+310+320+330)/4 = 40 + 1480/4 = 410 */
	CHECK_EQ_INT(costmodel_refcount(&m, pus, 4, 10, &t), 0);
	CHECK_NEAR(t, 410, 1e-9);
	CHECK_NEAR(costmodel_refcount_ns(&m, pus, 4, 10), 410, 1e-9);
	c2c_free(&m);
}

TEST(three_threads_cross_node)
{
	struct c2c_matrix m;
	int pus[] = { 0, 2, 3 };
	double t = 0;

	REQUIRE(four_pus(&m) == 0);
	/* T(3) = 3*8 + (300+310+120)/3 = 24 + 243.333... */
	CHECK_EQ_INT(costmodel_refcount(&m, pus, 3, 8, &t), 0);
	CHECK_NEAR(t, 24 + 730.0 / 3, 1e-9);
	c2c_free(&m);
}

TEST(sampled_out_pair_uses_node_mean)
{
	struct c2c_matrix m;
	int pus[] = { 1, 3 };
	double t = 0;

	REQUIRE(four_pus(&m) == 0);
	for (unsigned int k = 0; k < m.npairs; k++)
		if (m.pairs[k].from == 1 && m.pairs[k].to == 3)
			m.pairs[k].round_trip_ns = NAN;
	/* 1-3 unknown: the mean of the other cross-node pairs, (300+310+320)/3 = 310 */
	CHECK_EQ_INT(costmodel_refcount(&m, pus, 2, 10, &t), 0);
	CHECK_NEAR(t, 20 + 310.0 / 2, 1e-9);
	c2c_free(&m);
}

TEST(unknown_pair_is_no_data)
{
	static const struct c2c_pu pus[] = { { 0, 0 }, { 1, 0 } };
	struct c2c_matrix m;
	int both[] = { 0, 1 }, stranger[] = { 0, 7 };
	double t = -1;

	REQUIRE(c2c_plan(&m, pus, 2, 0) == 0);	/* planned, never measured */
	CHECK_EQ_INT(costmodel_refcount(&m, both, 2, 10, &t), -ENODATA);
	CHECK(isnan(costmodel_refcount_ns(&m, both, 2, 10)));
	m.pairs[0].round_trip_ns = 50;
	CHECK_EQ_INT(costmodel_refcount(&m, stranger, 2, 10, &t), -ENODATA);
	c2c_free(&m);
}

TEST(bad_arguments)
{
	struct c2c_matrix m;
	int dup[] = { 0, 0 }, one[] = { 0 }, two[] = { 0, 1 };
	double t;

	REQUIRE(four_pus(&m) == 0);
	CHECK_EQ_INT(costmodel_refcount(&m, dup, 2, 10, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_refcount(&m, one, 0, 10, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_refcount(&m, one, 1, 0, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_refcount(&m, one, 1, NAN, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_refcount(NULL, two, 2, 10, &t), -EINVAL);
	c2c_free(&m);
}
