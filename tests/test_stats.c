/* Tests for src/harness/stats.c: hand-computed vectors, R-published values,
 * brute-force enumeration, and properties of the bootstrap and histogram. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "harness/stats.h"
#include "test.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

TEST(median_odd_even_ties)
{
	double odd[] = { 5, 1, 4, 2, 3 }, even[] = { 4, 1, 3, 2 };
	double ties_odd[] = { 9, 2, 1, 2, 2 }, ties_even[] = { 2, 1, 2, 1 };
	double one[] = { 7.5 }, m;

	REQUIRE(stats_median(odd, 5, &m) == 0);
	CHECK(m == 3);
	REQUIRE(stats_median(even, 4, &m) == 0);
	CHECK(m == 2.5);
	REQUIRE(stats_median(ties_odd, 5, &m) == 0);
	CHECK(m == 2);
	REQUIRE(stats_median(ties_even, 4, &m) == 0);
	CHECK(m == 1.5);
	REQUIRE(stats_median(one, 1, &m) == 0);
	CHECK(m == 7.5);
}

TEST(median_leaves_input_unsorted)
{
	double x[] = { 3, 1, 2 }, m;

	REQUIRE(stats_median(x, 3, &m) == 0);
	CHECK(x[0] == 3 && x[1] == 1 && x[2] == 2);
}

/* R: quantile(c(1,2,3,4), c(0, .25, .9, 1)) = 1, 1.75, 3.7, 4;
 *    quantile(c(10,20,30,40,50), c(.1, .99)) = 14, 49.6 (type 7). */
TEST(quantile_type7_vectors)
{
	double x[] = { 4, 2, 3, 1 }, y[] = { 50, 10, 40, 20, 30 };
	double ps[] = { 0, 0.25, 0.9, 1 }, q[4], v;

	REQUIRE(stats_quantiles(x, 4, ps, 4, q) == 0);
	CHECK_NEAR(q[0], 1, 1e-12);
	CHECK_NEAR(q[1], 1.75, 1e-12);
	CHECK_NEAR(q[2], 3.7, 1e-12);
	CHECK_NEAR(q[3], 4, 1e-12);
	REQUIRE(stats_quantile(y, 5, 0.1, &v) == 0);
	CHECK_NEAR(v, 14, 1e-12);
	REQUIRE(stats_quantile(y, 5, 0.99, &v) == 0);
	CHECK_NEAR(v, 49.6, 1e-12);
}

/* {2,4,4,4,5,5,7,9}: mean 5, squared deviations sum 32, var 32/7. */
TEST(summary_hand_computed)
{
	double x[] = { 9, 4, 2, 4, 5, 7, 4, 5 };
	struct stats_summary s;

	REQUIRE(stats_summarize(x, N_OF(x), &s) == 0);
	CHECK_EQ_INT(s.n, 8);
	CHECK(s.min == 2 && s.max == 9);
	CHECK(s.median == 4.5);
	CHECK_NEAR(s.mean, 5, 1e-12);
	CHECK_NEAR(s.sd, sqrt(32.0 / 7), 1e-12);
	CHECK_NEAR(s.cv, sqrt(32.0 / 7) / 5, 1e-12);
}

TEST(summary_undefined_sd_cv_are_nan)
{
	double one[] = { 3 }, zero_mean[] = { -1, 1 };
	struct stats_summary s;

	REQUIRE(stats_summarize(one, 1, &s) == 0);
	CHECK(s.mean == 3 && isnan(s.sd) && isnan(s.cv));
	REQUIRE(stats_summarize(zero_mean, 2, &s) == 0);
	CHECK_NEAR(s.sd, sqrt(2), 1e-12);
	CHECK(isnan(s.cv));
}

/* large, close values: a naive sum-of-squares formula loses all digits */
TEST(summary_sd_stable_for_large_values)
{
	double x[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };
	struct stats_summary s;

	REQUIRE(stats_summarize(x, 4, &s) == 0);
	CHECK_NEAR(s.sd, sqrt(30.0), 1e-6);
}

TEST(stats_reject_bad_input)
{
	double x[] = { 1, NAN, 3 }, y[] = { 1, INFINITY }, ok[] = { 1, 2 }, v;
	struct stats_summary s;

	CHECK_EQ_INT(stats_median(ok, 0, &v), -EINVAL);
	CHECK_EQ_INT(stats_median(x, 3, &v), -EINVAL);
	CHECK_EQ_INT(stats_summarize(y, 2, &s), -EINVAL);
	CHECK_EQ_INT(stats_quantile(ok, 2, 1.5, &v), -EINVAL);
	CHECK_EQ_INT(stats_quantile(ok, 2, -0.1, &v), -EINVAL);
	CHECK_EQ_INT(stats_quantile(ok, 2, NAN, &v), -EINVAL);
}

/* reference: splitmix64 with state 0 first returns 0xe220a8397b1dcdaf */
TEST(rng_splitmix_reference_and_determinism)
{
	uint64_t st = 0;
	struct stats_rng a, b, c;
	int same = 1, differ = 0;

	CHECK(stats_splitmix64(&st) == 0xe220a8397b1dcdafull);
	stats_rng_seed(&a, 42);
	stats_rng_seed(&b, 42);
	stats_rng_seed(&c, 43);
	for (int i = 0; i < 1000; i++) {
		uint64_t x = stats_rng_next(&a);

		same &= x == stats_rng_next(&b);
		differ |= x != stats_rng_next(&c);
	}
	CHECK(same);
	CHECK(differ);
}

/* counts of rng_below(10) over 100000 draws: chi-square with 9 degrees of
 * freedom; 27.9 is the 0.999 point. Deterministic for the seed. */
TEST(rng_below_uniform_and_in_range)
{
	struct stats_rng r;
	unsigned cnt[10] = { 0 };
	double chi = 0;
	int in_range = 1, dbl_ok = 1;

	stats_rng_seed(&r, 7);
	for (int i = 0; i < 100000; i++) {
		uint64_t v = stats_rng_below(&r, 10);
		double d = stats_rng_double(&r);

		in_range &= v < 10;
		dbl_ok &= d >= 0 && d < 1;
		if (v < 10)
			cnt[v]++;
	}
	CHECK(in_range);
	CHECK(dbl_ok);
	for (int i = 0; i < 10; i++)
		chi += (cnt[i] - 10000.0) * (cnt[i] - 10000.0) / 10000.0;
	CHECK_MSG(chi < 27.9, "chi-square %.2f", chi);
}

/* roughly normal(100, 10) via the sum of 12 uniforms */
static void fill_normal(double *x, size_t n, uint64_t seed)
{
	struct stats_rng r;

	stats_rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++) {
		double s = 0;

		for (int k = 0; k < 12; k++)
			s += stats_rng_double(&r);
		x[i] = 100 + 10 * (s - 6);
	}
}

TEST(boot_same_seed_same_interval)
{
	double x[40];
	struct stats_ci a, b, c, d;

	fill_normal(x, 40, 1);
	REQUIRE(stats_boot_median_ci(x, 40, 0.95, 2000, 99, &a) == 0);
	REQUIRE(stats_boot_median_ci(x, 40, 0.95, 2000, 99, &b) == 0);
	REQUIRE(stats_boot_median_ci(x, 40, 0.95, 0, 99, &d) == 0);
	REQUIRE(stats_boot_median_ci(x, 40, 0.95, 2000, 100, &c) == 0);
	CHECK(a.lo == b.lo && a.hi == b.hi && a.point == b.point);
	CHECK(a.lo == d.lo && a.hi == d.hi);	/* 0 iterations = default 2000 */
	CHECK(a.lo != c.lo || a.hi != c.hi);
}

TEST(boot_ci_contains_median_and_shrinks_with_n)
{
	static double big[4000];
	double small[20], m;
	struct stats_ci cs, cb;

	fill_normal(small, 20, 5);
	fill_normal(big, 4000, 6);
	REQUIRE(stats_boot_median_ci(small, 20, 0.95, 2000, 1, &cs) == 0);
	REQUIRE(stats_boot_median_ci(big, 4000, 0.95, 2000, 1, &cb) == 0);
	REQUIRE(stats_median(small, 20, &m) == 0);
	CHECK(cs.point == m);
	CHECK(cs.lo <= m && m <= cs.hi);
	CHECK(cb.lo <= cb.point && cb.point <= cb.hi);
	CHECK(cs.lo < cs.hi);
	CHECK_MSG(cb.hi - cb.lo < 0.5 * (cs.hi - cs.lo), "n=4000 width %g, n=20 width %g",
		  cb.hi - cb.lo, cs.hi - cs.lo);
	/* the true median (100) is inside both */
	CHECK(cs.lo < 100 && 100 < cs.hi);
	CHECK(cb.lo < 100 && 100 < cb.hi);
}

TEST(boot_level_orders_width_and_stays_in_range)
{
	double x[] = { 12, 10, 15, 11, 30 };
	struct stats_ci c50, c95;

	REQUIRE(stats_boot_median_ci(x, 5, 0.5, 2000, 3, &c50) == 0);
	REQUIRE(stats_boot_median_ci(x, 5, 0.95, 2000, 3, &c95) == 0);
	CHECK(c95.lo <= c50.lo && c50.hi <= c95.hi);
	CHECK(c95.lo >= 10 && c95.hi <= 30);	/* resampled medians of the data */
	CHECK(c95.point == 12);
	CHECK_EQ_INT(stats_boot_median_ci(x, 5, 1.0, 0, 3, &c50), -EINVAL);
	CHECK_EQ_INT(stats_boot_median_ci(x, 5, 0.0, 0, 3, &c50), -EINVAL);
	CHECK_EQ_INT(stats_boot_median_ci(x, 0, 0.95, 0, 3, &c50), -EINVAL);
}

TEST(boot_constant_sample_has_zero_width)
{
	double x[] = { 4, 4, 4, 4, 4, 4 };
	struct stats_ci c;

	REQUIRE(stats_boot_median_ci(x, 6, 0.95, 500, 1, &c) == 0);
	CHECK(c.lo == 4 && c.hi == 4 && c.point == 4);
}

TEST(boot_diff_and_ratio_of_medians)
{
	double a[30], b[30], b2[30];
	struct stats_ci d, r, same, d2;

	fill_normal(a, 30, 11);
	fill_normal(b, 30, 12);
	for (int i = 0; i < 30; i++) {
		b[i] += 20;		/* B is A's distribution shifted by +20 */
		b2[i] = 2 * a[i];	/* exactly twice A */
	}
	REQUIRE(stats_boot_median_diff_ci(a, 30, b, 30, 0.95, 2000, 4, &d) == 0);
	CHECK(d.lo <= d.point && d.point <= d.hi);
	CHECK_MSG(d.lo > 0 && d.lo < 20 && d.hi > 20, "diff CI [%g, %g]", d.lo, d.hi);
	REQUIRE(stats_boot_median_diff_ci(a, 30, b, 30, 0.95, 2000, 4, &d2) == 0);
	CHECK(d.lo == d2.lo && d.hi == d2.hi);
	REQUIRE(stats_boot_median_diff_ci(a, 30, a, 30, 0.95, 2000, 4, &same) == 0);
	CHECK(same.point == 0 && same.lo < 0 && same.hi > 0);
	REQUIRE(stats_boot_median_ratio_ci(a, 30, b2, 30, 0.95, 2000, 4, &r) == 0);
	CHECK_NEAR(r.point, 2, 1e-12);
	CHECK_MSG(r.lo < 2 && r.hi > 2 && r.lo > 1.5 && r.hi < 2.5,
		  "ratio CI [%g, %g]", r.lo, r.hi);
}

TEST(boot_ratio_zero_denominator_is_edom)
{
	double a[] = { 0, 0, 0, 1 }, b[] = { 1, 2, 3 }, a2[] = { 0, 0, 5, 6, 7 };
	struct stats_ci c;

	CHECK_EQ_INT(stats_boot_median_ratio_ci(a, 4, b, 3, 0.95, 200, 1, &c), -EDOM);
	/* median 5 but many resamples have median 0 */
	CHECK_EQ_INT(stats_boot_median_ratio_ci(a2, 5, b, 3, 0.95, 2000, 1, &c), -EDOM);
}

/* R: wilcox.test(1:5, 6:10) -> W = 0, p-value = 0.007937 (= 2/252) */
TEST(mw_exact_5v5_separated)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	struct stats_mw r;

	REQUIRE(stats_mann_whitney(a, 5, b, 5, STATS_MW_AUTO, &r) == 0);
	CHECK(r.exact == 1);
	CHECK(r.u == 0);
	CHECK_NEAR(r.p, 2.0 / 252, 1e-15);
	REQUIRE(stats_mann_whitney(b, 5, a, 5, STATS_MW_AUTO, &r) == 0);
	CHECK(r.u == 25);
	CHECK_NEAR(r.p, 2.0 / 252, 1e-15);
}

/* R's ?wilcox.test example (Hollander & Wolfe, permeability constants):
 * wilcox.test(x, y, alternative = "g") -> W = 35, p-value = 0.1272, so the
 * two-sided exact p is 2 * 382 / 3003 = 0.2544. */
TEST(mw_exact_r_example)
{
	double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct stats_mw r;

	REQUIRE(stats_mann_whitney(x, 10, y, 5, STATS_MW_AUTO, &r) == 0);
	CHECK(r.exact);
	CHECK(r.u == 35);
	CHECK_NEAR(r.p, 2.0 * 382 / 3003, 1e-12);
}

/* exact p against brute-force enumeration of every split of the pooled sample */
static double brute_p(const double *pool, int m, int n, double u_obs)
{
	int N = m + n;
	long le = 0, ge = 0, tot = 0;

	for (unsigned mask = 0; mask < (1u << N); mask++) {
		double u = 0;

		if (__builtin_popcount(mask) != m)
			continue;
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++)
				if ((mask >> i & 1) && !(mask >> j & 1) && pool[i] > pool[j])
					u++;
		tot++;
		le += u <= u_obs;
		ge += u >= u_obs;
	}
	return fmin(1, 2.0 * (double)(le < ge ? le : ge) / (double)tot);
}

TEST(mw_exact_matches_enumeration)
{
	static const int sizes[][2] = { { 4, 6 }, { 7, 3 }, { 1, 8 }, { 6, 6 } };
	struct stats_rng rng;
	int ok = 1;

	stats_rng_seed(&rng, 2024);
	for (size_t s = 0; s < N_OF(sizes); s++) {
		int m = sizes[s][0], n = sizes[s][1];
		double pool[16];
		struct stats_mw r;

		for (int i = 0; i < m + n; i++)	/* distinct: no ties */
			pool[i] = (double)i + stats_rng_double(&rng) * (i < m ? 3 : 1);
		REQUIRE(stats_mann_whitney(pool, m, pool + m, n, STATS_MW_EXACT, &r) == 0);
		if (fabs(r.p - brute_p(pool, m, n, r.u)) > 1e-12) {
			ok = 0;
			test_fail(__FILE__, __LINE__, "sizes %d,%d: p %.12g vs %.12g",
				  m, n, r.p, brute_p(pool, m, n, r.u));
		}
	}
	CHECK(ok);
}

/*
 * Hodges-Lehmann ratio: 1:5 against 6:10, by hand. The 25 quotients b/a run
 * from 6/5 = 1.2 to 10/1 = 10, the 13th is 8/3. At level 0.99 k = 0
 * (P(U <= 0) = 1/252 <= 0.005 < P(U <= 1) = 2/252): [1.2, 10]. At 0.999 the
 * test cannot reach the level (1/252 > 0.0005): [0, inf].
 */
TEST(hl_ratio_5v5_by_hand)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 }, z[] = { 1, 0, 2 };
	struct stats_ci c;

	REQUIRE(stats_hl_ratio_ci(a, 5, b, 5, 0.99, &c) == 0);
	CHECK_NEAR(c.point, 8.0 / 3, 1e-15);
	CHECK_NEAR(c.lo, 1.2, 1e-15);
	CHECK_NEAR(c.hi, 10, 1e-15);
	REQUIRE(stats_hl_ratio_ci(a, 5, b, 5, 0.999, &c) == 0);
	CHECK(c.lo == 0 && isinf(c.hi));
	REQUIRE(stats_hl_ratio_ci(a, 4, b, 4, 0.99, &c) == 0);	/* 4 vs 4: min p 2/70 */
	CHECK(c.lo == 0 && isinf(c.hi));
	CHECK_EQ_INT(stats_hl_ratio_ci(a, 5, z, 3, 0.99, &c), -EDOM);
	CHECK_EQ_INT(stats_hl_ratio_ci(a, 5, b, 5, 1, &c), -EINVAL);
	CHECK_EQ_INT(stats_hl_ratio_ci(a, 0, b, 5, 0.99, &c), -EINVAL);
}

/*
 * The interval inverts the rank test: it leaves 1 out exactly when the
 * test's p < 1 - level, for untied samples, exact (small) and normal
 * (na + nb > 60) alike, over random samples with and without a shift.
 */
TEST(hl_ratio_interval_agrees_with_the_test)
{
	static const int sizes[][2] = { { 5, 5 }, { 7, 9 }, { 12, 15 }, { 30, 30 }, { 40, 35 }, { 60, 60 } };
	struct stats_rng rng;
	int disagree = 0, calls = 0, trials = 0;

	stats_rng_seed(&rng, 77);
	for (size_t s = 0; s < N_OF(sizes); s++)
		for (int t = 0; t < 60; t++) {
			int m = sizes[s][0], n = sizes[s][1];
			double a[60], b[60], shift = 1 + 0.02 * (t % 4);
			struct stats_mw r;
			struct stats_ci c;
			bool out, sig;

			for (int i = 0; i < m; i++)
				a[i] = 100 + 5 * stats_rng_double(&rng);
			for (int j = 0; j < n; j++)
				b[j] = (100 + 5 * stats_rng_double(&rng)) * shift;
			REQUIRE(stats_hl_ratio_ci(a, m, b, n, 0.99, &c) == 0);
			REQUIRE(stats_mann_whitney(a, m, b, n, STATS_MW_AUTO, &r) == 0);
			out = c.lo > 1 || c.hi < 1;
			sig = r.p < 0.01;
			disagree += out != sig;
			calls += out;
			trials++;
			CHECK(c.lo <= c.point && c.point <= c.hi);
		}
	CHECK_EQ_INT(disagree, 0);
	CHECK(calls > trials / 4);	/* the shifted ones are found: the check is not vacuous */
}

/*
 * Two levels in the same proportion on both sides (as the cheap lookups run
 * on the 2-vCPU Turin guest, METHODOLOGY §6) and B = 1.05 A: the estimate is
 * 1.05 exactly (the quotients a_j / a_i are symmetric about 1), and the
 * interval is narrower than the ratio of medians' bootstrap one.
 */
TEST(hl_ratio_two_levels)
{
	double a[21], b[21];
	struct stats_ci hl, boot;

	for (int i = 0; i < 21; i++)
		a[i] = (i % 3 == 0 ? 1.40 : 1.14) * (1 + 0.001 * i);
	for (int i = 0; i < 21; i++)
		b[i] = 1.05 * a[(i + 1) % 21];
	REQUIRE(stats_hl_ratio_ci(a, 21, b, 21, 0.99, &hl) == 0);
	REQUIRE(stats_boot_median_ratio_ci(a, 21, b, 21, 0.99, 0, 1, &boot) == 0);
	CHECK_NEAR(hl.point, 1.05, 1e-12);
	CHECK(hl.lo > 1);
	CHECK(hl.hi - hl.lo < boot.hi - boot.lo);
}

/*
 * Blocks, by hand: four blocks of one value a side, a = 1 and b = 2, 3,
 * 1.5, 0.8: d = log of each. Signed ranks: 0.8's is 1 (negative), the
 * others 2, 3, 4: W+ = 9; 2 of the 16 sign patterns reach 9 or more, so p =
 * 4/16. The ten Walsh averages' median is the mean of (log 0.8 + log 3)/2
 * and (log 1.5 + log 2)/2: point = 7.2^(1/4). At level 0.5, P(W+ <= 2) =
 * 3/16 <= 0.25 < P(W+ <= 3): the third lowest and highest Walsh averages,
 * sqrt(0.8 x 2) and sqrt(1.5 x 3).
 */
TEST(hl_ratio_blocked_by_hand)
{
	double a[] = { 1, 1, 1, 1 }, b[] = { 2, 3, 1.5, 0.8 }, same[] = { 5, 5, 5, 5 };
	unsigned int blk[] = { 0, 1, 2, 3 }, other[] = { 4, 5, 6, 7 };
	struct stats_blocked r;

	REQUIRE(stats_hl_ratio_blocked(a, blk, 4, b, blk, 4, 0.5, &r) == 0);
	CHECK(r.blocks == 4 && r.pairs == 4);
	CHECK_NEAR(r.ratio.point, pow(7.2, 0.25), 1e-12);
	CHECK_NEAR(r.p, 0.25, 1e-15);
	CHECK_NEAR(r.ratio.lo, sqrt(1.6), 1e-12);
	CHECK_NEAR(r.ratio.hi, sqrt(4.5), 1e-12);
	REQUIRE(stats_hl_ratio_blocked(a, blk, 4, b, blk, 4, 0.99, &r) == 0);
	CHECK(r.ratio.lo == 0 && isinf(r.ratio.hi));	/* 4 blocks: p >= 2/16 */
	/* every block's estimate 0: p = 1, no interval */
	REQUIRE(stats_hl_ratio_blocked(same, blk, 4, same, blk, 4, 0.5, &r) == 0);
	CHECK(r.p == 1 && r.ratio.point == 1 && r.ratio.lo == 0 && isinf(r.ratio.hi));
	CHECK_EQ_INT(stats_hl_ratio_blocked(a, blk, 4, b, other, 4, 0.99, &r), -EINVAL);	/* no common block */
	CHECK_EQ_INT(stats_hl_ratio_blocked(a, blk, 4, b, blk, 4, 1, &r), -EINVAL);
	b[1] = 0;
	CHECK_EQ_INT(stats_hl_ratio_blocked(a, blk, 4, b, blk, 4, 0.99, &r), -EDOM);
}

/*
 * The interval leaves 1 out exactly when the exact signed-rank p < 1 -
 * level, over random blocked samples (8 to 256 blocks, compare --blocks'
 * most, of 2 to 6 values a side, with and without a shift); and enough of
 * them are called for the check to mean something.
 */
TEST(hl_ratio_blocked_interval_agrees_with_the_test)
{
	static const int nblocks[] = { 8, 10, 15, 20, 128, 256 };
	struct stats_rng rng;
	int disagree = 0, calls = 0, trials = 0;

	stats_rng_seed(&rng, 31);
	for (size_t s = 0; s < N_OF(nblocks); s++)
		for (int t = 0; t < 40; t++) {
			static double a[256 * 6], b[256 * 6];
			static unsigned int ba[256 * 6], bb[256 * 6];
			double shift = 1 + 0.01 * (t % 4) / (nblocks[s] > 20 ? 4 : 1);
			size_t na = 0, nb = 0;
			struct stats_blocked r;
			bool out, sig;

			for (int k = 0; k < nblocks[s]; k++) {
				double level = 0.5 + stats_rng_double(&rng);
				int m = 2 + (int)(stats_rng_double(&rng) * 5), n = 2 + (int)(stats_rng_double(&rng) * 5);

				for (int i = 0; i < m; i++, na++) {
					a[na] = level * (100 + 5 * stats_rng_double(&rng));
					ba[na] = (unsigned int)k;
				}
				for (int j = 0; j < n; j++, nb++) {
					b[nb] = shift * level * (100 + 5 * stats_rng_double(&rng));
					bb[nb] = (unsigned int)k;
				}
			}
			REQUIRE(stats_hl_ratio_blocked(a, ba, na, b, bb, nb, 0.99, &r) == 0);
			out = r.ratio.lo > 1 || r.ratio.hi < 1;
			sig = r.p < 0.01;
			disagree += out != sig;
			calls += sig;
			trials++;
		}
	CHECK(disagree == 0);
	CHECK(calls > trials / 8 && calls < trials);
}

/*
 * One block cannot decide: ten blocks of one distribution on both sides,
 * but in one block B's run sits 30% up (a run at a level of its own). Its
 * estimate is one of ten: no call.
 */
TEST(hl_ratio_blocked_one_block_cannot_decide)
{
	double a[60], b[60];
	unsigned int blk[60];
	struct stats_blocked r;
	struct stats_rng rng;

	stats_rng_seed(&rng, 3);
	for (int i = 0; i < 60; i++) {
		a[i] = 100 * (1 + 0.03 * stats_rng_double(&rng));
		b[i] = 100 * (1 + 0.03 * stats_rng_double(&rng)) * (i / 6 == 3 ? 1.3 : 1);
		blk[i] = (unsigned int)(i / 6);
	}
	REQUIRE(stats_hl_ratio_blocked(a, blk, 60, b, blk, 60, 0.99, &r) == 0);
	CHECK(r.blocks == 10);
	CHECK(r.p >= 0.01 && r.ratio.lo <= 1 && r.ratio.hi >= 1);
}

/*
 * What blocks are for: eight blocks of 6 against 6, B 4% above A within
 * each, every block (both sides alike) at its own level, 0.7x to 1.5x.
 * Blocked, the levels do not matter at all (the same result as with every
 * block at 1x) and the 4% is found (all 8 blocks up: p = 2/256); pooled
 * without blocks, the levels swamp it.
 */
TEST(hl_ratio_blocked_levels_cancel)
{
	static const double level[8] = { 1, 1.5, 0.7, 1.2, 0.9, 1.4, 0.8, 1.1 };
	double a[48], b[48], a1[48], b1[48];
	unsigned int ba[48], bb[48];
	struct stats_blocked r, r1;
	struct stats_ci pooled;
	struct stats_rng rng;

	stats_rng_seed(&rng, 11);
	for (int i = 0; i < 48; i++) {
		a1[i] = 100 * (1 + 0.03 * stats_rng_double(&rng));
		b1[i] = 104 * (1 + 0.03 * stats_rng_double(&rng));
		a[i] = a1[i] * level[i / 6];
		b[i] = b1[i] * level[i / 6];
		ba[i] = bb[i] = (unsigned int)(i / 6);
	}
	REQUIRE(stats_hl_ratio_blocked(a, ba, 48, b, bb, 48, 0.99, &r) == 0);
	REQUIRE(stats_hl_ratio_blocked(a1, ba, 48, b1, bb, 48, 0.99, &r1) == 0);
	REQUIRE(stats_hl_ratio_ci(a, 48, b, 48, 0.99, &pooled) == 0);
	CHECK(r.blocks == 8 && r.pairs == 8 * 36);
	CHECK_NEAR(r.ratio.point, r1.ratio.point, 1e-12);
	CHECK_NEAR(r.ratio.lo, r1.ratio.lo, 1e-12);
	CHECK_NEAR(r.ratio.hi, r1.ratio.hi, 1e-12);
	CHECK_NEAR(r.p, r1.p, 1e-12);
	CHECK(r.p < 0.01 && r.ratio.lo > 1 && fabs(r.ratio.point - 1.04) < 0.02);
	CHECK(pooled.lo < 1 && pooled.hi - pooled.lo > 3 * (r.ratio.hi - r.ratio.lo));
}

/* R: wilcox.test(1:5, 6:10, exact = FALSE) -> W = 0, p-value = 0.01219:
 * z = (0 - 12.5 + 0.5) / sqrt(25/12 * 11) = -2.50672 */
TEST(mw_normal_no_ties)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	struct stats_mw r;

	REQUIRE(stats_mann_whitney(a, 5, b, 5, STATS_MW_NORMAL, &r) == 0);
	CHECK(!r.exact);
	CHECK_NEAR(r.z, -12.0 / sqrt(25.0 / 12 * 11), 1e-12);
	CHECK_NEAR(r.p, 0.012185780355, 1e-9);
}

/*
 * With ties, by hand: a = {1,2,2,3,3,4}, b = {3,4,4,5,5,6,7}.
 * U_a = 1 (4 > 3) + 0.5 * 4 tied pairs (3/3 twice, 4/4 twice) = 3.
 * Tie groups: 2 (t=2), 3 (t=3), 4 (t=3), 5 (t=2): sum t^3 - t = 60.
 * var = 42/12 * (14 - 60/(13*12)) = 47.653846; z = (3 - 21 + 0.5)/sqrt(var)
 * = -2.535065; p = 2 pnorm(z) = 0.0112427.
 */
TEST(mw_normal_tie_correction)
{
	double a[] = { 1, 2, 2, 3, 3, 4 }, b[] = { 3, 4, 4, 5, 5, 6, 7 };
	struct stats_mw r;

	REQUIRE(stats_mann_whitney(a, 6, b, 7, STATS_MW_AUTO, &r) == 0);
	CHECK(!r.exact);	/* ties: AUTO falls back to the approximation */
	CHECK(r.u == 3);
	CHECK_NEAR(r.z, -17.5 / sqrt(3.5 * (14 - 60.0 / 156)), 1e-12);
	CHECK_NEAR(r.p, 0.011242651869, 1e-9);
	CHECK_EQ_INT(stats_mann_whitney(a, 6, b, 7, STATS_MW_EXACT, &r), -EINVAL);
}

TEST(mw_all_tied_and_symmetry_and_errors)
{
	double c[] = { 2, 2, 2 }, a[40], b[40], nan[] = { NAN };
	struct stats_mw r, s;

	REQUIRE(stats_mann_whitney(c, 3, c, 3, STATS_MW_AUTO, &r) == 0);
	CHECK(r.p == 1 && r.u == 4.5);
	fill_normal(a, 40, 1);
	fill_normal(b, 40, 2);
	REQUIRE(stats_mann_whitney(a, 40, b, 40, STATS_MW_AUTO, &r) == 0);
	REQUIRE(stats_mann_whitney(b, 40, a, 40, STATS_MW_AUTO, &s) == 0);
	CHECK(!r.exact);	/* 80 > STATS_MW_EXACT_MAX_N */
	CHECK(r.u + s.u == 1600);
	CHECK_NEAR(r.p, s.p, 1e-15);
	CHECK(r.p > 0.01);	/* same distribution */
	CHECK_EQ_INT(stats_mann_whitney(a, 40, b, 40, STATS_MW_EXACT, &r), -E2BIG);
	CHECK_EQ_INT(stats_mann_whitney(a, 0, b, 40, STATS_MW_AUTO, &r), -EINVAL);
	CHECK_EQ_INT(stats_mann_whitney(nan, 1, b, 40, STATS_MW_AUTO, &r), -EINVAL);
}

/* the largest exact case: 30 vs 30 separated, p = 2 / C(60,30) */
TEST(mw_exact_largest_size)
{
	double a[30], b[30];
	struct stats_mw r;

	for (int i = 0; i < 30; i++) {
		a[i] = i;
		b[i] = 100 + i;
	}
	REQUIRE(stats_mann_whitney(a, 30, b, 30, STATS_MW_AUTO, &r) == 0);
	CHECK(r.exact);
	CHECK_NEAR(r.p / (2.0 / 118264581564861424.0), 1, 1e-12);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* type-1 quantile: the sample of rank ceil(p n) (rank 1 for p == 0) */
static double exact_q(const double *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p * (double)n);

	return sorted[rank < 1 ? 0 : rank - 1];
}

TEST(hist_quantiles_within_stated_error)
{
	enum { N = 100000 };
	static double x[N];
	static struct stats_hist h;
	double ps[] = { 0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 };
	struct stats_rng r;
	double worst = 0;

	stats_hist_init(&h);
	stats_rng_seed(&r, 77);
	for (int i = 0; i < N; i++) {
		/* log-uniform over 1 ns .. 1e5 ns: every octave gets samples */
		x[i] = exp(stats_rng_double(&r) * log(1e5));
		REQUIRE(stats_hist_add(&h, x[i]) == 0);
	}
	qsort(x, N, sizeof(x[0]), cmp_d);
	CHECK(h.count == N);
	for (size_t i = 0; i < N_OF(ps); i++) {
		double q, e = exact_q(x, N, ps[i]), rel;

		REQUIRE(stats_hist_quantile(&h, ps[i], &q) == 0);
		rel = fabs(q - e) / e;
		if (rel > worst)
			worst = rel;
		CHECK_MSG(rel <= STATS_HIST_REL_ERROR * (1 + 1e-12),
			  "p=%g: hist %.9g exact %.9g rel %.3g", ps[i], q, e, rel);
	}
	CHECK(worst > 0);	/* it is an approximation: the test sees the error */
	CHECK(STATS_HIST_REL_ERROR < 0.008);
}

TEST(hist_bucket_edges_are_exact_boundaries)
{
	static struct stats_hist h;
	double q;

	/* 1.0 and 1 + 1/64 start adjacent buckets; 1 + 1/64 - tiny is in the first */
	stats_hist_init(&h);
	stats_hist_add(&h, 1.0);
	stats_hist_add(&h, 1.0 + 1.0 / 64 - 1e-12);
	stats_hist_add(&h, 1.0 + 1.0 / 64);
	stats_hist_add(&h, 2.0);
	REQUIRE(stats_hist_quantile(&h, 0.5, &q) == 0);	/* rank 2: bucket [1, 1+1/64) */
	CHECK_NEAR(q, 1 + 1.0 / 128, 1e-12);
	REQUIRE(stats_hist_quantile(&h, 0.75, &q) == 0);	/* rank 3: [1+1/64, 1+2/64) */
	CHECK_NEAR(q, 1 + 3.0 / 128, 1e-12);
	REQUIRE(stats_hist_quantile(&h, 1, &q) == 0);	/* clamped to the max */
	CHECK(q == 2.0);
	REQUIRE(stats_hist_quantile(&h, 0, &q) == 0);	/* clamped to the min */
	CHECK(q == 1.0);
}

TEST(hist_merge_equals_single_histogram)
{
	static struct stats_hist a, b, all;
	struct stats_rng r;
	double ps[] = { 0, 0.1, 0.5, 0.9, 0.99, 1 };

	stats_hist_init(&a);
	stats_hist_init(&b);
	stats_hist_init(&all);
	stats_rng_seed(&r, 3);
	for (int i = 0; i < 20000; i++) {
		double v = 5 + 500 * stats_rng_double(&r) * (i % 2 ? 1 : 3);

		stats_hist_add(i % 2 ? &a : &b, v);
		stats_hist_add(&all, v);
	}
	stats_hist_merge(&a, &b);
	CHECK(a.count == all.count && a.min == all.min && a.max == all.max);
	CHECK(!memcmp(a.bucket, all.bucket, sizeof(a.bucket)));
	for (size_t i = 0; i < N_OF(ps); i++) {
		double qa, qall;

		REQUIRE(stats_hist_quantile(&a, ps[i], &qa) == 0);
		REQUIRE(stats_hist_quantile(&all, ps[i], &qall) == 0);
		CHECK(qa == qall);
	}
	CHECK_NEAR(stats_hist_mean(&a), stats_hist_mean(&all), 1e-9);
}

TEST(hist_out_of_range_empty_and_bad_values)
{
	static struct stats_hist h;
	double q;

	stats_hist_init(&h);
	CHECK_EQ_INT(stats_hist_quantile(&h, 0.5, &q), -ENODATA);
	CHECK(isnan(stats_hist_mean(&h)));
	CHECK_EQ_INT(stats_hist_add(&h, NAN), -EINVAL);
	CHECK_EQ_INT(stats_hist_add(&h, -1), -EINVAL);
	CHECK(h.count == 0);
	REQUIRE(stats_hist_add(&h, 0) == 0);		/* underflow */
	REQUIRE(stats_hist_add_n(&h, 10, 2) == 0);
	REQUIRE(stats_hist_add(&h, 1e13) == 0);		/* overflow (> 2^40) */
	CHECK(h.count == 4 && h.underflow == 1 && h.overflow == 1);
	REQUIRE(stats_hist_quantile(&h, 0, &q) == 0);
	CHECK(q == 0);
	REQUIRE(stats_hist_quantile(&h, 1, &q) == 0);
	CHECK(q == 1e13);
	REQUIRE(stats_hist_quantile(&h, 0.5, &q) == 0);
	CHECK(fabs(q - 10) <= 10 * STATS_HIST_REL_ERROR);
	CHECK_NEAR(stats_hist_mean(&h), (0 + 20 + 1e13) / 4, 1e-3);
	CHECK_EQ_INT(stats_hist_quantile(&h, 1.01, &q), -EINVAL);
}

/* The case: two clusters of repetitions (60 and 103 ns) are bimodal;
 * one cluster with spread, a single outlier, or fewer than 4 values are not. */
TEST(bimodal_two_clusters_only)
{
	double two[] = { 102.8, 59.9, 103.1, 60.2, 102.5 };
	double one[] = { 100, 101, 99, 102, 100.5 };
	double outlier[] = { 100, 100.5, 101, 99.5, 160 };
	double close[] = { 100, 100.2, 103, 103.2 };	/* gap 2.8%: under 10% */
	double few[] = { 60, 103, 104 };
	bool b;

	REQUIRE(stats_bimodal(two, 5, STATS_BIMODAL_REL_GAP, &b) == 0);
	CHECK(b);
	REQUIRE(stats_bimodal(one, 5, STATS_BIMODAL_REL_GAP, &b) == 0);
	CHECK(!b);
	REQUIRE(stats_bimodal(outlier, 5, STATS_BIMODAL_REL_GAP, &b) == 0);
	CHECK(!b);
	REQUIRE(stats_bimodal(close, 4, STATS_BIMODAL_REL_GAP, &b) == 0);
	CHECK(!b);
	REQUIRE(stats_bimodal(close, 4, 0.01, &b) == 0);
	CHECK(b);
	REQUIRE(stats_bimodal(few, 3, STATS_BIMODAL_REL_GAP, &b) == 0);
	CHECK(!b);
	CHECK(stats_bimodal(two, 0, 0.1, &b) == -EINVAL);
}
