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

/* ---- mean-value analysis and the band, by hand ---- */

TEST(mva_no_delay_is_n_times_demand)
{
	double t = 0;

	/* one centre, Z = 0: every customer waits for all the others: T = n D */
	CHECK_EQ_INT(costmodel_mva(10, 0, 1, &t), 0);
	CHECK_NEAR(t, 10, 1e-12);
	CHECK_EQ_INT(costmodel_mva(10, 0, 3, &t), 0);
	CHECK_NEAR(t, 30, 1e-9);
}

TEST(mva_with_delay_by_hand)
{
	double t = 0;

	/* D = 10, Z = 30. n=1: R=10, T=40, X=1/40, Q=0.25.
	 * n=2: R = 10*1.25 = 12.5, T = 42.5, X = 2/42.5, Q = 25/42.5.
	 * n=3: R = 10*(1 + 25/42.5) = 15.882352..., T = 45.882352... */
	CHECK_EQ_INT(costmodel_mva(10, 30, 1, &t), 0);
	CHECK_NEAR(t, 40, 1e-9);
	CHECK_EQ_INT(costmodel_mva(10, 30, 2, &t), 0);
	CHECK_NEAR(t, 42.5, 1e-9);
	CHECK_EQ_INT(costmodel_mva(10, 30, 3, &t), 0);
	CHECK_NEAR(t, 30 + 10 * (1 + 25 / 42.5), 1e-9);
}

TEST(mva_two_centres_by_hand)
{
	double d[] = { 10, 5 }, t = 0;

	/* n=1: X=1/15, Q = 10/15, 5/15; n=2: R = 10*(5/3) + 5*(4/3) = 23.333 */
	CHECK_EQ_INT(costmodel_mva_multi(d, 2, 0, 2, &t), 0);
	CHECK_NEAR(t, 50.0 / 3 + 20.0 / 3, 1e-9);
	CHECK_NEAR(costmodel_knee(d, 2, 30), 4.5, 1e-12);	/* (30+15)/10 */
}

TEST(mva_bad_arguments)
{
	double t, neg[] = { -1 };

	CHECK_EQ_INT(costmodel_mva(10, 0, 0, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_mva(0, 0, 2, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_mva(NAN, 0, 2, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_mva(10, -1, 2, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_mva_multi(neg, 1, 5, 2, &t), -EINVAL);
	CHECK_EQ_INT(costmodel_mva_multi(neg, 0, 5, 2, &t), -EINVAL);
}

TEST(band_hi_is_the_random_handoff_model)
{
	struct c2c_matrix m;
	int pus[] = { 0, 1, 2, 3 };
	struct costmodel_input in = { .cls = COSTMODEL_SHARED_WRITE, .c1_ns = 10,
				      .visits = 1, .hold_ns = 10, .n = 4,
				      .run_length = NAN };
	struct costmodel_band b;

	REQUIRE(four_pus(&m) == 0);
	/* one-way: (100+120+300+310+320+330)/6/2 = 123.33, min 50 */
	CHECK_EQ_INT(costmodel_handoffs(&m, C2C_OP_STORE, pus, 4, &in.h_mean_ns, &in.h_min_ns), 0);
	CHECK_NEAR(in.h_mean_ns, 1480.0 / 12, 1e-9);
	CHECK_NEAR(in.h_min_ns, 50, 1e-12);
	/* hi: s = 10 + 123.33*3/4 = 102.5, Z = 0: T = 4*102.5 = 410, the old model */
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.hi_ns, 410, 1e-9);
	CHECK_NEAR(b.hi_ns, costmodel_refcount_ns(&m, pus, 4, 10), 1e-9);
	/* lo with R random (4/3): s = 10 + 50*3/4 = 47.5: T = 190; mid without
	 * a measured R is the random model: hi */
	CHECK_NEAR(b.lo_ns, 190, 1e-9);
	CHECK_NEAR(b.mid_ns, 410, 1e-9);
	/* R = 4 visits: mid s = 10 + 123.33/4 = 40.833 -> T = 163.33;
	 * lo s = 10 + 50/4 = 22.5 -> T = 90 */
	in.run_length = 4;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.mid_ns, 4 * (10 + 1480.0 / 12 / 4), 1e-9);
	CHECK_NEAR(b.lo_ns, 90, 1e-9);
	CHECK_NEAR(b.hi_ns, 410, 1e-9);
	/* knee: Z = 0, one centre: 1 */
	CHECK_NEAR(b.knee, 1, 1e-12);
	in.run_length = NAN;
	c2c_free(&m);
}

TEST(band_run_length_and_delay)
{
	struct costmodel_input in = { .cls = COSTMODEL_SHARED_WRITE, .c1_ns = 40,
				      .visits = 1, .hold_ns = 10, .n = 2,
				      .h_mean_ns = 50, .h_min_ns = 50, .run_length = 5 };
	struct costmodel_band b;

	/* Z = 30. hi: s = 10 + 25 = 35; n=1 R=35, T=65, Q=35/65;
	 * n=2: R = 35*(100/65), T = 30 + 3500/65.
	 * lo: s = 10 + 50/5 = 20; n=1 Q=20/50=0.4; n=2: R=28, T=58.
	 * one latency class (h_min = h_mean): mid = lo.
	 * knee at the mid service 20: (30+20)/20 */
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.hi_ns, 30 + 3500.0 / 65, 1e-9);
	CHECK_NEAR(b.lo_ns, 58, 1e-9);
	CHECK_NEAR(b.mid_ns, 58, 1e-9);
	CHECK_NEAR(b.knee, 2.5, 1e-12);
	/* R = 1 (strict alternation) puts a handoff every call: the values are
	 * sorted so lo <= mid <= hi still: s = 60 -> T = 30 + 60*(1 + 60/90) = 130 */
	in.run_length = 1;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.hi_ns, 130, 1e-9);
	CHECK_NEAR(b.mid_ns, 130, 1e-9);
	CHECK_NEAR(b.lo_ns, 30 + 3500.0 / 65, 1e-9);
	/* one thread: no handoff at all, T = c1 */
	in.n = 1;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.lo_ns, 40, 1e-9);
	CHECK_NEAR(b.hi_ns, 40, 1e-9);
}

/* The stream handoff: a calibration loop's timings inverted through the MVA (Z = 0). */
TEST(stream_handoff_by_hand)
{
	/* 2 threads, 30 ns per call each, 5 ns alone, R = 2 calls:
	 * t/n - one = 10 ns of handoff per call, 20 ns per handoff */
	CHECK_NEAR(costmodel_stream_handoff(30, 2, 5, 2), 20, 1e-12);
	/* 4 threads at 40 ns, 4 ns alone, R = 3: (10 - 4) * 3 = 18 */
	CHECK_NEAR(costmodel_stream_handoff(40, 4, 4, 3), 18, 1e-12);
	/* faster than alone (noise): no handoff cost, not a negative one */
	CHECK_NEAR(costmodel_stream_handoff(8, 2, 5, 2), 0, 0);
	/* the inversion is exact: feeding the handoff back through the model
	 * (hold = one, eta = handoff / h, R) gives the loop's time again */
	{
		struct costmodel_input in = { .cls = COSTMODEL_SHARED_WRITE, .c1_ns = 5,
					      .visits = 1, .hold_ns = 5, .n = 2,
					      .h_mean_ns = 25, .h_min_ns = 25, .run_length = 2,
					      .eta = 20.0 / 25 };
		struct costmodel_band b;

		CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
		CHECK_NEAR(b.mid_ns, 30, 1e-9);
	}
	CHECK(isnan(costmodel_stream_handoff(30, 1, 5, 2)));
	CHECK(isnan(costmodel_stream_handoff(30, 2, 0, 2)));
	CHECK(isnan(costmodel_stream_handoff(30, 2, 5, 0)));
	CHECK(isnan(costmodel_stream_handoff(NAN, 2, 5, 2)));
	CHECK(isnan(costmodel_stream_handoff(INFINITY, 2, 5, 2)));
}

/* eta scales the handoff of lo and mid, not hi; run_length_lo lengthens lo's runs only. */
TEST(band_eta_and_lo_runs_by_hand)
{
	struct costmodel_input in = { .cls = COSTMODEL_SHARED_WRITE, .c1_ns = 10,
				      .visits = 1, .hold_ns = 10, .n = 2,
				      .h_mean_ns = 40, .h_min_ns = 20, .run_length = 2,
				      .eta = 0.5 };
	struct costmodel_band b;

	/* Z = 0, so T = 2 s. mid: s = 10 + 0.5*40/2 = 20 -> 40;
	 * lo: s = 10 + 0.5*20/2 = 15 -> 30; hi: s = 10 + 40/2 = 30 -> 60 */
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.mid_ns, 40, 1e-9);
	CHECK_NEAR(b.lo_ns, 30, 1e-9);
	CHECK_NEAR(b.hi_ns, 60, 1e-9);
	/* lo's runs 5 calls: s = 10 + 0.5*20/5 = 12 -> 24; mid, hi unchanged */
	in.run_length_lo = 5;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.lo_ns, 24, 1e-9);
	CHECK_NEAR(b.mid_ns, 40, 1e-9);
	CHECK_NEAR(b.hi_ns, 60, 1e-9);
	/* shorter than R: lo keeps R */
	in.run_length_lo = 1;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.lo_ns, 30, 1e-9);
	/* not given (0 or NAN): eta 1, lo's R = R: s = 10 + 20/2 = 20 -> 40; mid 10 + 20 -> 60 */
	in.eta = 0;
	in.run_length_lo = NAN;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.lo_ns, 40, 1e-9);
	CHECK_NEAR(b.mid_ns, 60, 1e-9);
	in.eta = -0.5;
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
	in.eta = INFINITY;
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
	in.eta = 0.5;
	in.run_length_lo = -1;
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
	/* lo's own stream (the bare loop's): s = 10 + 0.25*20/2 = 12.5 -> 25;
	 * a dearer one than mid's is not taken: lo stays at mid's eta */
	in.run_length_lo = 0;
	in.eta_lo = 0.25;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.lo_ns, 25, 1e-9);
	CHECK_NEAR(b.mid_ns, 40, 1e-9);
	in.eta_lo = 0.9;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.lo_ns, 30, 1e-9);
	in.eta_lo = -1;
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
}

TEST(band_flat_classes_and_bad_input)
{
	struct costmodel_input in = { .cls = COSTMODEL_READ_MOSTLY, .c1_ns = 3, .n = 64,
				      .run_length = NAN };
	struct costmodel_band b;

	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.lo_ns, 3, 0);
	CHECK_NEAR(b.hi_ns, 3, 0);
	CHECK(isnan(b.knee));
	in.cls = COSTMODEL_PER_CPU;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.mid_ns, 3, 0);
	in.cls = COSTMODEL_SHARED_WRITE;
	in.visits = 1;
	in.hold_ns = 4;				/* more than c1 */
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
	in.hold_ns = 3;
	in.h_mean_ns = NAN;			/* n > 1 needs handoffs */
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
	in.h_mean_ns = 10;
	in.h_min_ns = 20;			/* min above mean */
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
	in.h_min_ns = 5;
	in.run_length = -1;
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
	in.run_length = NAN;
	in.c1_ns = 0;
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
}

TEST(usl_implied_by_hand)
{
	unsigned int n[] = { 1, 2, 3, 4 };
	double t[4], a = 0, b = 0;

	/* Z = 0, random handoff h = 50, c1 = 10: T = N c1 + h (N-1):
	 * T/c1 - 1 = (N-1)(1 + h/c1): alpha = 6, beta = 0 */
	for (int i = 0; i < 4; i++)
		t[i] = n[i] * 10.0 + 50 * (n[i] - 1);
	CHECK_EQ_INT(costmodel_usl_implied(n, t, 4, 10, &a, &b), 0);
	CHECK_NEAR(a, 6, 1e-9);
	CHECK_NEAR(b, 0, 1e-9);
	/* exactly USL-shaped: alpha 0.1, beta 0.01 come back */
	for (int i = 0; i < 4; i++)
		t[i] = 7 * (1 + 0.1 * (n[i] - 1) + 0.01 * n[i] * (n[i] - 1));
	CHECK_EQ_INT(costmodel_usl_implied(n, t, 4, 7, &a, &b), 0);
	CHECK_NEAR(a, 0.1, 1e-9);
	CHECK_NEAR(b, 0.01, 1e-9);
	/* one point at N >= 2: alpha alone */
	CHECK_EQ_INT(costmodel_usl_implied(n, t, 2, 7, &a, &b), 0);
	CHECK_NEAR(a, t[1] / 7 - 1, 1e-9);
	CHECK_NEAR(b, 0, 0);
	CHECK_EQ_INT(costmodel_usl_implied(n, t, 1, 7, &a, &b), -EINVAL);
}

TEST(band_with_the_strict_lock_by_hand)
{
	struct costmodel_input in = { .cls = COSTMODEL_READ_MOSTLY, .c1_ns = 600, .n = 2,
				      .h_mean_ns = 25, .h_min_ns = 25, .run_length = NAN,
				      .lock_hold_ns = 500 };
	struct costmodel_band b;
	double t;

	/* a flat class behind the lock: one centre s = 500 + 25/2, Z = 100:
	 * n=1: Q = 512.5/612.5; n=2: T = 100 + 512.5 (1 + 512.5/612.5) */
	t = 100 + 512.5 * (1 + 512.5 / 612.5);
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.lo_ns, t, 1e-9);
	CHECK_NEAR(b.mid_ns, t, 1e-9);
	CHECK_NEAR(b.hi_ns, t, 1e-9);
	CHECK_NEAR(b.knee, 612.5 / 512.5, 1e-12);
	/* a shared line too (hold 10, R random: line s = 10 + 12.5 = 22.5),
	 * two centres, Z = 90: n=1: X = 1/625, Q = 22.5/625, 512.5/625;
	 * n=2: T = 90 + 22.5 (1 + 22.5/625) + 512.5 (1 + 512.5/625) */
	in.cls = COSTMODEL_SHARED_WRITE;
	in.visits = 1;
	in.hold_ns = 10;
	t = 90 + 22.5 * (1 + 22.5 / 625) + 512.5 * (1 + 512.5 / 625);
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.hi_ns, t, 1e-9);
	CHECK_NEAR(b.lo_ns, t, 1e-9);
	/* one thread: c1 */
	in.n = 1;
	CHECK_EQ_INT(costmodel_predict(&in, &b), 0);
	CHECK_NEAR(b.mid_ns, 600, 1e-9);
	/* lock + line longer than the call */
	in.lock_hold_ns = 595;
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
	in.lock_hold_ns = -1;
	CHECK_EQ_INT(costmodel_predict(&in, &b), -EINVAL);
}
