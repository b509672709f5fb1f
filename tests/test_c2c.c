/* tests/test_c2c.c — src/harness/c2c.c: the pair plan, a real measurement
 * here, the op names. The files: test_c2c_io.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "harness/c2c.h"
#include "harness/topo.h"

/* n PUs, `per_node` consecutive OS indexes per node. */
static struct c2c_pu *pu_list(unsigned int n, unsigned int per_node)
{
	struct c2c_pu *p = calloc(n, sizeof(*p));

	for (unsigned int i = 0; p && i < n; i++) {
		p[i].os = (int)i;
		p[i].node = (int)(i / per_node);
	}
	return p;
}

static bool has_pair(const struct c2c_matrix *m, int a, int b)
{
	for (unsigned int i = 0; i < m->npairs; i++)
		if (m->pairs[i].from == a && m->pairs[i].to == b)
			return true;
	return false;
}

TEST(plan_all_unordered_pairs)
{
	/* given out of order: the plan sorts PUs and makes from < to */
	struct c2c_pu pus[] = { { 5, 1 }, { 0, 0 }, { 3, 1 }, { 1, 0 } };
	struct c2c_matrix m;

	REQUIRE(c2c_plan(&m, pus, 4, 0) == 0);
	CHECK_EQ_INT(m.npairs, 6);
	CHECK_EQ_INT(m.total_pairs, 6);
	CHECK(!m.sampled);
	for (unsigned int i = 0; i < m.npairs; i++) {
		CHECK(m.pairs[i].from < m.pairs[i].to);
		CHECK(isnan(m.pairs[i].round_trip_ns));
		if (i)
			CHECK(m.pairs[i - 1].from < m.pairs[i].from ||
			      (m.pairs[i - 1].from == m.pairs[i].from &&
			       m.pairs[i - 1].to < m.pairs[i].to));
	}
	CHECK_EQ_INT(m.pairs[0].from, 0);
	CHECK_EQ_INT(m.pairs[0].to, 1);
	CHECK_EQ_INT(m.pairs[5].from, 3);
	CHECK_EQ_INT(m.pairs[5].to, 5);
	CHECK_EQ_INT(m.pairs[5].from_node, 1);
	CHECK(has_pair(&m, 1, 5) && has_pair(&m, 0, 3));
	c2c_free(&m);
}

TEST(plan_rejects_bad_pu_lists)
{
	struct c2c_pu dup[] = { { 0, 0 }, { 2, 0 }, { 0, 0 } };
	struct c2c_pu neg[] = { { 0, 0 }, { -1, 0 } };
	struct c2c_matrix m;

	CHECK_EQ_INT(c2c_plan(&m, dup, 3, 0), -EINVAL);
	c2c_free(&m);
	CHECK_EQ_INT(c2c_plan(&m, neg, 2, 0), -EINVAL);
	c2c_free(&m);
	CHECK_EQ_INT(c2c_plan(&m, dup, 0, 0), -EINVAL);
	c2c_free(&m);
}

TEST(one_pu_has_no_pairs)
{
	struct c2c_pu one[] = { { 4, 0 } };
	struct c2c_matrix m;

	REQUIRE(c2c_plan(&m, one, 1, 0) == 0);
	CHECK_EQ_INT(m.npairs, 0);
	CHECK_EQ_INT(m.npus, 1);
	CHECK(isnan(c2c_round_trip_op_ns(&m, C2C_OP_STORE, 4, 4)));
	c2c_free(&m);
}

/* 80 PUs (more than 64) on 4 nodes: sampled within the budget, every node
 * pair represented, the same plan every time. */
TEST(plan_samples_above_64_pus)
{
	struct c2c_pu *pus = pu_list(80, 20);
	struct c2c_matrix m, again;
	char rule[512];

	REQUIRE(pus);
	REQUIRE(c2c_plan(&m, pus, 80, 0) == 0);
	CHECK(m.sampled);
	CHECK_EQ_INT(m.total_pairs, 80 * 79 / 2);
	CHECK(m.npairs <= C2C_DEFAULT_MAX_PAIRS);
	CHECK(m.npairs > C2C_DEFAULT_MAX_PAIRS / 2);
	CHECK_EQ_INT(m.representatives, 4 + 6);
	/* same-node representatives: the two lowest PUs of each node */
	for (int x = 0; x < 4; x++)
		CHECK(has_pair(&m, 20 * x, 20 * x + 1));
	/* cross-node: the lowest PU of each of the two nodes */
	for (int x = 0; x < 4; x++)
		for (int y = x + 1; y < 4; y++)
			CHECK(has_pair(&m, 20 * x, 20 * y));
	for (unsigned int i = 1; i < m.npairs; i++)
		CHECK(m.pairs[i - 1].from < m.pairs[i].from ||
		      (m.pairs[i - 1].from == m.pairs[i].from &&
		       m.pairs[i - 1].to < m.pairs[i].to));
	c2c_plan_rule(&m, rule, sizeof(rule));
	CHECK(strstr(rule, "sampled") && strstr(rule, "3160") && strstr(rule, "representatives"));
	REQUIRE(c2c_plan(&again, pus, 80, 0) == 0);
	REQUIRE(again.npairs == m.npairs);
	for (unsigned int i = 0; i < m.npairs; i++)
		CHECK(again.pairs[i].from == m.pairs[i].from && again.pairs[i].to == m.pairs[i].to);
	c2c_free(&again);
	c2c_free(&m);
	free(pus);
}

TEST(plan_budget_applies_below_64)
{
	struct c2c_pu *pus = pu_list(32, 8);
	struct c2c_matrix m;
	char rule[512];

	REQUIRE(pus);
	REQUIRE(c2c_plan(&m, pus, 32, 0) == 0);
	CHECK(!m.sampled);
	CHECK_EQ_INT(m.npairs, 32 * 31 / 2);
	c2c_plan_rule(&m, rule, sizeof(rule));
	CHECK_STR(rule, "all 496 unordered pairs (from < to)");
	c2c_free(&m);

	REQUIRE(c2c_plan(&m, pus, 32, 50) == 0);
	CHECK(m.sampled);
	CHECK(m.npairs <= 50);
	CHECK_EQ_INT(m.representatives, 4 + 6);
	/* 486 remaining pairs over 40 slots: every 13th */
	CHECK_EQ_INT(m.stride, 13);
	CHECK_EQ_INT(m.npairs, 10 + 38);
	c2c_free(&m);
	free(pus);
}

TEST(plan_from_synthetic_topology)
{
	struct topo *t = NULL;
	struct c2c_matrix m;
	double rt = 0;
	struct c2c_params p;
	int rc;

	setenv("HWLOC_SYNTHETIC", "pack:2 numa:2 core:4 pu:2", 1);
	rc = topo_open(&t);
	unsetenv("HWLOC_SYNTHETIC");
	REQUIRE(rc == 0);
	REQUIRE(c2c_plan_topo(&m, t, NULL, 0, 0) == 0);
	CHECK_EQ_INT(m.npus, 32);
	CHECK_EQ_INT(m.npairs, 32 * 31 / 2);
	CHECK(!m.sampled);
	/* 8 PUs per NUMA node, in OS order on a synthetic topology */
	CHECK_EQ_INT(m.pus[0].node, 0);
	CHECK_EQ_INT(m.pus[31].node, 3);
	c2c_free(&m);
	/* planning is all a synthetic topology allows */
	c2c_params_default(&p);
	CHECK_EQ_INT(c2c_measure_pair(t, 0, 1, &p, &rt, NULL), -EOPNOTSUPP);
	topo_close(t);
}

/* The real thing on this machine's first two allowed PUs, kept short. */
static int measure_here(struct c2c_matrix *m, struct topo **tp)
{
	struct c2c_params p;
	int cpus[2], rc;

	rc = topo_open(tp);
	if (rc)
		return rc;
	if (topo_allowed_pus(*tp, cpus, 2) < 2)
		return -ENODEV;
	rc = c2c_plan_topo(m, *tp, cpus, 2, 0);
	if (rc)
		return rc;
	c2c_params_default(&p);
	p.samples = 5;
	p.warmup = 1;
	p.round_trips = 200;
	p.home_node = topo_first_numa_node(*tp);
	return c2c_run(m, *tp, &p);
}

TEST(measures_a_finite_positive_round_trip_here)
{
	struct topo *t = NULL;
	struct c2c_matrix m = { 0 };
	int rc = measure_here(&m, &t);

	CHECK_MSG(rc == 0, "measure_here: %d (needs two allowed PUs)", rc);
	if (!rc) {
		int a = m.pus[0].os, b = m.pus[1].os;
		double rt = c2c_round_trip_op_ns(&m, C2C_OP_STORE, a, b);

		CHECK_EQ_INT(m.npairs, 1);
		CHECK(isfinite(rt) && rt > 0);
		CHECK(rt < 1e6);	/* a millisecond would be no cache transfer */
		CHECK(c2c_round_trip_op_ns(&m, C2C_OP_STORE, b, a) == rt);
		/* the diagonal has no figure */
		CHECK(isnan(c2c_round_trip_op_ns(&m, C2C_OP_STORE, a, a)));
		CHECK(m.clock_overhead_ns > 0);
		CHECK_EQ_INT(m.samples, 5);
	}
	c2c_free(&m);
	topo_close(t);
}

TEST(measure_refuses_bad_pairs)
{
	struct topo *t = NULL;
	struct c2c_params p;
	double rt;
	int cpus[2];

	REQUIRE(topo_open(&t) == 0);
	REQUIRE(topo_allowed_pus(t, cpus, 2) >= 1);
	c2c_params_default(&p);
	CHECK_EQ_INT(c2c_measure_pair(t, cpus[0], cpus[0], &p, &rt, NULL), -EINVAL);
	CHECK_EQ_INT(c2c_measure_pair(t, cpus[0], 100000, &p, &rt, NULL), -EINVAL);
	p.samples = 0;
	CHECK_EQ_INT(c2c_measure_pair(t, cpus[0], cpus[0] + 1, &p, &rt, NULL), -EINVAL);
	topo_close(t);
}

TEST(op_names)
{
	enum c2c_op op = C2C_OP_STORE;

	CHECK_EQ_INT(c2c_op_parse("rmw", &op), 0);
	CHECK_EQ_INT(op, C2C_OP_RMW);
	CHECK_STR(c2c_op_name(op), "rmw");
	CHECK_EQ_INT(c2c_op_parse("store", &op), 0);
	CHECK_STR(c2c_op_name(op), "store");
	CHECK_EQ_INT(c2c_op_parse("cas", &op), -EINVAL);
	CHECK_EQ_INT(c2c_op_parse("", &op), -EINVAL);
}
