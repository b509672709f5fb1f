/*
 * src/harness/stats.h — statistics for repetitions and per-batch samples.
 *
 * Pure functions on caller-owned arrays: nothing here reads a clock, prints
 * or keeps global state, so any thread may call any function on its own
 * data. Inputs are never modified (functions that sort work on a copy they
 * allocate, O(n) memory, O(n log n) time). Every function returns 0 or a
 * negative errno: -EINVAL for n == 0, a NaN or infinite sample, or an
 * argument out of range; -ENOMEM when the scratch copy cannot be allocated.
 *
 * Definitions used throughout (say them in METHODOLOGY, not again here):
 * - quantile(p): R's type 7 (the default of R and NumPy): on the sorted
 *   sample x[0..n-1], h = (n-1)p, quantile = x[floor h] + (h - floor h) *
 *   (x[floor h + 1] - x[floor h]). The median is quantile(0.5).
 * - sd: the sample standard deviation (divisor n-1); cv = sd / mean.
 *   Undefined values (sd and cv with n == 1, cv with mean == 0) are NAN,
 *   which csv_row_add_double_prec() writes as an empty cell.
 * - bootstrap CI: percentile interval of B resampled statistics (resampling
 *   with replacement, n draws from the sample), lo/hi = type-7 quantiles at
 *   (1-level)/2 and (1+level)/2 of the B values. Deterministic: the same
 *   data, level, B and seed give the same interval on every machine.
 * - Mann-Whitney U: see stats_mann_whitney().
 * - histogram: see struct stats_hist.
 */
#ifndef DMABENCH_HARNESS_STATS_H
#define DMABENCH_HARNESS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- order statistics and moments ---- */

struct stats_summary {
	size_t n;
	double min, max;
	double median;		/* type-7 quantile 0.5 */
	double mean;
	double sd;		/* sample sd (n-1); NAN when n == 1 */
	double cv;		/* sd / mean; NAN when n == 1 or mean == 0 */
};

int stats_summarize(const double *x, size_t n, struct stats_summary *out);
int stats_median(const double *x, size_t n, double *out);
/* p in [0, 1], type 7. */
int stats_quantile(const double *x, size_t n, double p, double *out);
/* Several quantiles with one sort: out[i] = quantile(ps[i]). */
int stats_quantiles(const double *x, size_t n, const double *ps, size_t np,
		    double *out);
/*
 * Two clusters in a handful of repetitions: sorted, the widest gap between
 * neighbours splits x into two groups of at least 2 each, the gap is at
 * least rel_gap times the median, and it is more than twice the wider
 * group's own range (max - min). Sets *out (needs n >= 4; fewer: false).
 * A single outlier is not bimodal: each side needs two values.
 */
#define STATS_BIMODAL_REL_GAP	0.10
int stats_bimodal(const double *x, size_t n, double rel_gap, bool *out);
/* Type-7 quantile of an already ascending-sorted, non-empty array; no checks,
 * no allocation (for callers that sort once themselves). */
double stats_quantile_sorted(const double *sorted, size_t n, double p);

/* ---- deterministic random numbers ----
 * xoshiro256** (Blackman & Vigna), state seeded from one 64-bit seed through
 * splitmix64, so any seed (0 included) gives a good stream. Not thread-safe
 * per generator: one generator per thread. */
struct stats_rng {
	uint64_t s[4];
};

void stats_rng_seed(struct stats_rng *r, uint64_t seed);
uint64_t stats_rng_next(struct stats_rng *r);
/* Uniform in [0, bound), unbiased (Lemire's multiply-and-reject); bound > 0. */
uint64_t stats_rng_below(struct stats_rng *r, uint64_t bound);
/* Uniform double in [0, 1), 53 random bits. */
double stats_rng_double(struct stats_rng *r);
/* splitmix64 step: a seed mixer, e.g. for a per-configuration seed. */
uint64_t stats_splitmix64(uint64_t *state);

/* ---- bootstrap confidence intervals ----
 * level in (0, 1), e.g. 0.95; iters == 0 means STATS_BOOT_DEFAULT_ITERS.
 * point is the statistic on the original sample(s). Cost: iters x O(n) time
 * (quickselect per resample), O(iters + n) memory. */
#define STATS_BOOT_DEFAULT_ITERS 2000u

struct stats_ci {
	double point;
	double lo, hi;
};

int stats_boot_median_ci(const double *x, size_t n, double level,
			 unsigned iters, uint64_t seed, struct stats_ci *ci);
/* median(B) - median(A); A and B resampled independently (one stream: each
 * iteration draws A's resample, then B's). */
int stats_boot_median_diff_ci(const double *a, size_t na,
			      const double *b, size_t nb, double level,
			      unsigned iters, uint64_t seed, struct stats_ci *ci);
/* median(B) / median(A); -EDOM if median(A) or any resampled median of A is
 * 0 (the ratio does not exist). */
int stats_boot_median_ratio_ci(const double *a, size_t na,
			       const double *b, size_t nb, double level,
			       unsigned iters, uint64_t seed, struct stats_ci *ci);

/* ---- Mann-Whitney U (Wilcoxon rank-sum) test, two-sided ----
 * u = U of sample A = #{(i,j): a_i > b_j} + 0.5 #{a_i == b_j}, which is R's
 * W in wilcox.test(a, b). p is two-sided:
 * - exact (STATS_MW_AUTO picks it when there are no ties and
 *   na + nb <= STATS_MW_EXACT_MAX_N): the null distribution of U counted
 *   exactly (Gaussian binomial coefficients, 64-bit integers), p =
 *   min(1, 2 min(P(U <= u), P(U >= u))). 5 vs 5 separated: p = 2/252.
 * - normal approximation otherwise: mean na nb / 2, variance with the tie
 *   correction na nb / 12 ((N+1) - sum(t^3 - t) / (N (N-1))), and a
 *   continuity correction of 0.5 towards the mean — exactly R's
 *   wilcox.test(a, b, exact = FALSE, correct = TRUE). p = 1 when every
 *   value is tied (variance 0).
 * STATS_MW_EXACT returns -EINVAL if there are ties, -E2BIG if too large. */
#define STATS_MW_EXACT_MAX_N 60

enum stats_mw_method {
	STATS_MW_AUTO,
	STATS_MW_EXACT,
	STATS_MW_NORMAL,
};

struct stats_mw {
	double u;
	double p;
	double z;	/* normal approximation: the corrected z; 0 when exact */
	int exact;	/* 1: exact distribution used */
};

int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		       enum stats_mw_method method, struct stats_mw *r);

/*
 * The Hodges-Lehmann estimate of B over A as a ratio, and the interval that
 * inverts the Mann-Whitney test above (Bauer 1972; R's wilcox.test(log(b),
 * log(a), conf.int = TRUE)): the N = na nb quotients b_j / a_i, sorted;
 * point = their median; the interval [q_(k+1), q_(N-k)] (1-based), k the
 * largest u with P(U <= u) <= (1 - level) / 2 — P from the exact null
 * distribution when na + nb <= STATS_MW_EXACT_MAX_N, else from the
 * continuity-corrected normal approximation, k = floor(N/2 - z sqrt(na nb
 * (na + nb + 1) / 12) - 0.5) (no tie correction: ties narrow the true null,
 * so the interval is a little wider than it need be). So the interval
 * leaves 1 out exactly when the exact test's p < 1 - level (untied): 5
 * against 5 at level 0.99 gives k = 0, [min, max], beyond 1 only when one
 * sample is all above the other (p = 2/252). Where the test cannot reach
 * the level at all (4 against 4 at 0.99) lo = 0 and hi = +inf. With ties
 * the test itself takes its normal approximation, so the two may differ
 * at the edge. Unlike a ratio of medians, the interval is not widened by
 * samples that sit at two levels in the same proportion on both sides:
 * each quotient compares one value of B with one of A. Every value
 * must be > 0 (-EDOM otherwise); -ENOMEM; -EINVAL for an empty sample or a
 * level outside (0, 1).
 */
int stats_hl_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
		      double level, struct stats_ci *ci);

/*
 * The same for runs taken in blocks (an A run and a B run taken one after
 * the other, repeated: `dmabench compare --blocks`): every value carries
 * its block (ablk[i], bblk[j]). The block is the unit: each block with
 * values on both sides gives one estimate, d_k = log of its own
 * Hodges-Lehmann ratio (the median of its quotients b_j / a_i; quotients
 * across blocks are never formed), and the K estimates are judged by the
 * Wilcoxon signed-rank test: point = exp(the median of the Walsh averages
 * (d_i + d_j) / 2, i <= j), the interval exp of the Walsh averages the
 * test's null distribution picks (exact when the |d_k| are untied and
 * nonzero, else the normal approximation with midranks, the tie and a
 * continuity correction), p two-sided. A level of the host that holds
 * over a block moves both of its runs and cancels in d_k; a run that sits
 * at a level of its own (the 2-vCPU guest's two-thread windows, a host
 * phase the canary missed) moves one d_k, and the test, whose unit is the
 * block, counts it as one block. So K must be large enough for p < 1 -
 * level at all: 2 / 2^K, 8 blocks at 0.99, where the interval is (0,
 * +inf). r->pairs: within-block quotients; r->blocks: K. -EINVAL: no
 * block with both sides, a level outside (0, 1), an empty sample; -EDOM: a
 * value not > 0; -ENOMEM.
 */
struct stats_blocked {
	struct stats_ci ratio;		/* lo = 0, hi = +inf where the test cannot reach the level */
	double p;			/* two-sided; 1 when every block's estimate is 0 */
	size_t pairs;			/* within-block quotients */
	unsigned int blocks;
};

int stats_hl_ratio_blocked(const double *a, const unsigned int *ablk, size_t na,
			   const double *b, const unsigned int *bblk, size_t nb,
			   double level, struct stats_blocked *r);

/* ---- log-linear histogram of per-batch samples (ns per call) ----
 * 64 linear sub-buckets per power of two from STATS_HIST_LOWEST (2^-8 ns)
 * to STATS_HIST_HIGHEST (2^40 ns, ~18 min), plus an underflow bucket (0 and
 * values below LOWEST) and an overflow bucket. Fixed size (~25 KiB, no
 * allocation), O(1) add (a shift of the double's bits, no log()).
 *
 * Error bound: stats_hist_quantile(p) returns the midpoint of the bucket
 * holding the rank-ceil(p*count) sample (the inverse empirical CDF, R type 1;
 * rank 1 for p == 0), clamped to the exact min/max seen; ranks 1 and count
 * return the exact min and max. For a sample in
 * [LOWEST, HIGHEST) the relative error against that sample is at most
 * 1/128 (< 0.79%): a bucket [L, L(1+w)) has w <= 1/64. Samples in the
 * underflow/overflow buckets come back as the exact min/max.
 *
 * One writer per histogram (each thread keeps its own, in its padded
 * per-thread record); merge them after the writers stopped. */
#define STATS_HIST_SUB_BITS	6
#define STATS_HIST_SUB		(1 << STATS_HIST_SUB_BITS)
#define STATS_HIST_MIN_EXP	(-8)
#define STATS_HIST_MAX_EXP	40
#define STATS_HIST_LOWEST	0x1p-8
#define STATS_HIST_HIGHEST	0x1p40
#define STATS_HIST_NBUCKETS	((STATS_HIST_MAX_EXP - STATS_HIST_MIN_EXP) * STATS_HIST_SUB)
#define STATS_HIST_REL_ERROR	(1.0 / (2 * STATS_HIST_SUB))

struct stats_hist {
	uint64_t count;		/* every sample, underflow/overflow included */
	uint64_t underflow;	/* v < STATS_HIST_LOWEST */
	uint64_t overflow;	/* v >= STATS_HIST_HIGHEST */
	double min, max;	/* exact; meaningful when count > 0 */
	double sum;		/* for the mean */
	uint64_t bucket[STATS_HIST_NBUCKETS];
};

void stats_hist_init(struct stats_hist *h);
/* v >= 0 and not NaN (+inf goes to overflow), else -EINVAL and nothing is
 * counted. stats_hist_add_n() counts the value n times. */
int stats_hist_add(struct stats_hist *h, double v);
int stats_hist_add_n(struct stats_hist *h, double v, uint64_t n);
/* dst += src (dst may not be src). */
void stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src);
/* p in [0, 1]; -ENODATA if the histogram is empty. */
int stats_hist_quantile(const struct stats_hist *h, double p, double *out);
double stats_hist_mean(const struct stats_hist *h);	/* NAN if empty */

#endif
