/* Statistics for the harness; definitions and contracts in stats.h. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/stats.h"

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

static int check_sample(const double *x, size_t n)
{
	if (!x || n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	return 0;
}

/* both samples checked as check_sample does */
static int check_samples(const double *a, size_t na, const double *b, size_t nb)
{
	int err = check_sample(a, na);

	return err ? err : check_sample(b, nb);
}

static int sorted_copy(const double *x, size_t n, double **out)
{
	int err = check_sample(x, n);
	double *s;

	if (err)
		return err;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	*out = s;
	return 0;
}

double stats_quantile_sorted(const double *s, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	double frac = h - (double)lo;

	if (lo >= n - 1)
		return s[n - 1];
	/* frac == 0 must not touch s[lo+1] * 0 (that would turn inf into NaN) */
	return frac == 0 ? s[lo] : s[lo] + frac * (s[lo + 1] - s[lo]);
}

static int valid_p(double p)
{
	return p >= 0 && p <= 1;	/* false for NaN too */
}

int stats_quantiles(const double *x, size_t n, const double *ps, size_t np,
		    double *out)
{
	double *s;
	int err;

	if (!ps || !out)
		return -EINVAL;
	for (size_t i = 0; i < np; i++)
		if (!valid_p(ps[i]))
			return -EINVAL;
	err = sorted_copy(x, n, &s);
	if (err)
		return err;
	for (size_t i = 0; i < np; i++)
		out[i] = stats_quantile_sorted(s, n, ps[i]);
	free(s);
	return 0;
}

int stats_quantile(const double *x, size_t n, double p, double *out)
{
	return stats_quantiles(x, n, &p, 1, out);
}

int stats_median(const double *x, size_t n, double *out)
{
	return stats_quantile(x, n, 0.5, out);
}

int stats_summarize(const double *x, size_t n, struct stats_summary *o)
{
	double *s, mean = 0, m2 = 0;
	int err;

	if (!o)
		return -EINVAL;
	err = sorted_copy(x, n, &s);
	if (err)
		return err;
	/* Welford: no catastrophic cancellation for large, close values */
	for (size_t i = 0; i < n; i++) {
		double d = x[i] - mean;

		mean += d / (double)(i + 1);
		m2 += d * (x[i] - mean);
	}
	o->n = n;
	o->min = s[0];
	o->max = s[n - 1];
	o->median = stats_quantile_sorted(s, n, 0.5);
	o->mean = mean;
	o->sd = n > 1 ? sqrt(m2 / (double)(n - 1)) : NAN;
	o->cv = (n > 1 && mean != 0) ? o->sd / mean : NAN;
	free(s);
	return 0;
}

int stats_bimodal(const double *x, size_t n, double rel_gap, bool *out)
{
	double *s, gap = 0, med;
	size_t at = 0;
	int err;

	if (!out || !(rel_gap >= 0))
		return -EINVAL;
	*out = false;
	err = sorted_copy(x, n, &s);
	if (err)
		return err;
	med = stats_quantile_sorted(s, n, 0.5);
	for (size_t k = 2; n >= 4 && k + 2 <= n; k++)	/* s[0..k-1] | s[k..n-1] */
		if (s[k] - s[k - 1] > gap) {
			gap = s[k] - s[k - 1];
			at = k;
		}
	if (at) {
		double lo = s[at - 1] - s[0], hi = s[n - 1] - s[at];
		double wide = lo > hi ? lo : hi;

		*out = gap >= rel_gap * fabs(med) && gap > 2 * wide;
	}
	free(s);
	return 0;
}

/* ---- RNG ---- */

uint64_t stats_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void stats_rng_seed(struct stats_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = stats_splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t stats_rng_next(struct stats_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t stats_rng_below(struct stats_rng *r, uint64_t bound)
{
	unsigned __int128 m = (unsigned __int128)stats_rng_next(r) * bound;
	uint64_t low = (uint64_t)m;

	if (low < bound) {
		uint64_t threshold = -bound % bound;

		while (low < threshold) {
			m = (unsigned __int128)stats_rng_next(r) * bound;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double stats_rng_double(struct stats_rng *r)
{
	return (double)(stats_rng_next(r) >> 11) * 0x1p-53;
}

/* ---- bootstrap ---- */

/*
 * One sample prepared for resampling: sorted once, so a resample is just a
 * count per sorted index and its median a walk over the counts — O(n) per
 * iteration, no sort, no quickselect.
 */
struct boot_sample {
	double *sorted;
	uint32_t *count;
	size_t n;
};

static int boot_prepare(struct boot_sample *b, const double *x, size_t n)
{
	int err;

	b->sorted = NULL;
	b->count = NULL;
	b->n = n;
	if (n > UINT32_MAX)
		return -EINVAL;
	err = sorted_copy(x, n, &b->sorted);
	if (err)
		return err;
	b->count = malloc(n * sizeof(*b->count));
	if (!b->count) {
		free(b->sorted);
		b->sorted = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void boot_release(struct boot_sample *b)
{
	free(b->sorted);
	free(b->count);
}

/* value at 0-based rank k of the resample described by count[] */
static double boot_rank(const struct boot_sample *b, size_t k, size_t *i,
			size_t *cum)
{
	while (*cum + b->count[*i] <= k) {
		*cum += b->count[*i];
		(*i)++;
	}
	return b->sorted[*i];
}

static double boot_resample_median(const struct boot_sample *b,
				   struct stats_rng *r)
{
	size_t n = b->n, k = (n - 1) / 2, i = 0, cum = 0;
	double lo;

	memset(b->count, 0, n * sizeof(*b->count));
	for (size_t j = 0; j < n; j++)
		b->count[stats_rng_below(r, n)]++;
	lo = boot_rank(b, k, &i, &cum);
	if (n % 2)
		return lo;
	return lo + 0.5 * (boot_rank(b, k + 1, &i, &cum) - lo);
}

enum boot_kind { BOOT_ONE, BOOT_DIFF, BOOT_RATIO };

static int boot_ci(enum boot_kind kind, const double *a, size_t na,
		   const double *b, size_t nb, double level, unsigned iters,
		   uint64_t seed, struct stats_ci *ci)
{
	struct boot_sample sa, sb = { 0 };
	struct stats_rng rng;
	double *stat, ma, mb = 0;
	int err;

	if (!ci || !(level > 0 && level < 1))
		return -EINVAL;
	if (iters == 0)
		iters = STATS_BOOT_DEFAULT_ITERS;
	err = boot_prepare(&sa, a, na);
	if (err)
		return err;
	if (kind != BOOT_ONE) {
		err = boot_prepare(&sb, b, nb);
		if (err)
			goto out;
	}
	ma = stats_quantile_sorted(sa.sorted, na, 0.5);
	if (kind != BOOT_ONE)
		mb = stats_quantile_sorted(sb.sorted, nb, 0.5);
	if (kind == BOOT_RATIO && ma == 0) {
		err = -EDOM;
		goto out;
	}
	stat = malloc((size_t)iters * sizeof(*stat));
	if (!stat) {
		err = -ENOMEM;
		goto out;
	}
	stats_rng_seed(&rng, seed);
	for (unsigned it = 0; it < iters; it++) {
		double ra = boot_resample_median(&sa, &rng), rb;

		if (kind == BOOT_ONE) {
			stat[it] = ra;
			continue;
		}
		rb = boot_resample_median(&sb, &rng);
		if (kind == BOOT_DIFF) {
			stat[it] = rb - ra;
		} else if (ra == 0) {
			free(stat);
			err = -EDOM;
			goto out;
		} else {
			stat[it] = rb / ra;
		}
	}
	qsort(stat, iters, sizeof(*stat), cmp_double);
	ci->point = kind == BOOT_ONE ? ma : kind == BOOT_DIFF ? mb - ma : mb / ma;
	ci->lo = stats_quantile_sorted(stat, iters, (1 - level) / 2);
	ci->hi = stats_quantile_sorted(stat, iters, (1 + level) / 2);
	free(stat);
out:
	boot_release(&sa);
	boot_release(&sb);
	return err;
}

int stats_boot_median_ci(const double *x, size_t n, double level,
			 unsigned iters, uint64_t seed, struct stats_ci *ci)
{
	return boot_ci(BOOT_ONE, x, n, NULL, 0, level, iters, seed, ci);
}

int stats_boot_median_diff_ci(const double *a, size_t na,
			      const double *b, size_t nb, double level,
			      unsigned iters, uint64_t seed, struct stats_ci *ci)
{
	return boot_ci(BOOT_DIFF, a, na, b, nb, level, iters, seed, ci);
}

int stats_boot_median_ratio_ci(const double *a, size_t na,
			       const double *b, size_t nb, double level,
			       unsigned iters, uint64_t seed, struct stats_ci *ci)
{
	return boot_ci(BOOT_RATIO, a, na, b, nb, level, iters, seed, ci);
}

/* ---- Mann-Whitney U ---- */

struct mw_obs {
	double v;
	int from_a;
};

static int cmp_obs(const void *pa, const void *pb)
{
	return cmp_double(&((const struct mw_obs *)pa)->v,
			  &((const struct mw_obs *)pb)->v);
}

/*
 * Null distribution of U for sizes m, n: the coefficients of the Gaussian
 * binomial [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).
 * After step i the array holds [n+i choose i]_q exactly, so every value
 * stays below 2 * C(m+n, m) < 2^63 for m + n <= 60.
 */
static int64_t *mw_exact_counts(size_t m, size_t n)
{
	size_t deg = 0, size = m * n + m + 1;
	int64_t *c = calloc(size, sizeof(*c));

	if (!c)
		return NULL;
	c[0] = 1;
	for (size_t i = 1; i <= m; i++) {
		size_t k = n + i, top = deg + k;

		for (size_t u = top; u >= k; u--)
			c[u] -= c[u - k];
		for (size_t u = i; u <= top; u++)
			c[u] += c[u - i];
		deg += n;
	}
	return c;
}

int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		       enum stats_mw_method method, struct stats_mw *r)
{
	size_t N = na + nb, i, j;
	struct mw_obs *o;
	double rank_a = 0, ties = 0, u;
	int err;

	if (!r || method > STATS_MW_NORMAL)
		return -EINVAL;
	err = check_samples(a, na, b, nb);
	if (err)
		return err;
	o = malloc(N * sizeof(*o));
	if (!o)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		o[i] = (struct mw_obs){ a[i], 1 };
	for (i = 0; i < nb; i++)
		o[na + i] = (struct mw_obs){ b[i], 0 };
	qsort(o, N, sizeof(*o), cmp_obs);
	for (i = 0; i < N; i = j) {
		double t, midrank;
		size_t in_a = 0;

		for (j = i; j < N && o[j].v == o[i].v; j++)
			in_a += o[j].from_a;
		t = (double)(j - i);
		midrank = (double)(i + 1 + j) / 2;	/* ranks i+1 .. j */
		rank_a += midrank * (double)in_a;
		ties += t * t * t - t;
	}
	free(o);
	u = rank_a - (double)na * (double)(na + 1) / 2;
	r->u = u;
	r->z = 0;

	if (method == STATS_MW_EXACT && ties != 0)
		return -EINVAL;
	if (method == STATS_MW_EXACT && N > STATS_MW_EXACT_MAX_N)
		return -E2BIG;
	if (method != STATS_MW_NORMAL && ties == 0 && N <= STATS_MW_EXACT_MAX_N) {
		int64_t *c = mw_exact_counts(na, nb);
		uint64_t total = 0, le = 0, ge = 0;
		size_t ui = (size_t)u, umax = na * nb;
		double p;

		if (!c)
			return -ENOMEM;
		for (size_t k = 0; k <= umax; k++) {
			total += (uint64_t)c[k];
			if (k <= ui)
				le += (uint64_t)c[k];
			if (k >= ui)
				ge += (uint64_t)c[k];
		}
		free(c);
		p = 2.0 * (double)(le < ge ? le : ge) / (double)total;
		r->p = p > 1 ? 1 : p;
		r->exact = 1;
		return 0;
	}

	{
		double mn = (double)na * (double)nb, Nd = (double)N;
		double var = mn / 12 * ((Nd + 1) - ties / (Nd * (Nd - 1)));
		double d = u - mn / 2, z;

		r->exact = 0;
		if (!(var > 0)) {
			r->p = 1;
			return 0;
		}
		d -= d > 0 ? 0.5 : d < 0 ? -0.5 : 0;
		z = d / sqrt(var);
		r->z = z;
		r->p = erfc(fabs(z) / M_SQRT2);	/* 2 * pnorm(-|z|) */
		if (r->p > 1)
			r->p = 1;
	}
	return 0;
}

/* z with P(Z > z) = p, 0 < p < 0.5, by bisection on erfc (to ~1e-12). */
static double norm_upper_quantile(double p)
{
	double lo = 0, hi = 40;

	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (erfc(mid / M_SQRT2) / 2 > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/*
 * The interval's k (stats.h): the largest u with P(U <= u) <= tail, so that
 * leaving k quotients out at each end makes an interval that misses the
 * true ratio with probability at most 2 tail; -1 when even P(U <= 0) is
 * over tail (the test cannot reach the level).
 */
static int hl_k(size_t na, size_t nb, double level, long *k)
{
	double tail = (1 - level) / 2, mn = (double)na * (double)nb;

	*k = -1;
	if (na + nb <= STATS_MW_EXACT_MAX_N) {
		int64_t *c = mw_exact_counts(na, nb);
		double total = 0, cum = 0;

		if (!c)
			return -ENOMEM;
		for (size_t u = 0; u <= na * nb; u++)
			total += (double)c[u];
		for (size_t u = 0; u <= na * nb; u++) {
			cum += (double)c[u];
			if (cum / total > tail)
				break;
			*k = (long)u;
		}
		free(c);
		return 0;
	}
	/* the continuity-corrected normal approximation, as the test's */
	*k = (long)floor(mn / 2 - norm_upper_quantile(tail) * sqrt(mn * (double)(na + nb + 1) / 12) - 0.5);
	if (*k < -1)
		*k = -1;
	return 0;
}

int stats_hl_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
		      double level, struct stats_ci *ci)
{
	size_t N;
	long k = -1;
	double *q;
	int err;

	if (!ci || !(level > 0 && level < 1))
		return -EINVAL;
	err = check_samples(a, na, b, nb);
	if (err)
		return err;
	for (size_t i = 0; i < na; i++)
		if (!(a[i] > 0))
			return -EDOM;
	for (size_t j = 0; j < nb; j++)
		if (!(b[j] > 0))
			return -EDOM;
	if (nb > SIZE_MAX / sizeof(*q) / na)
		return -ENOMEM;
	N = na * nb;
	q = malloc(N * sizeof(*q));
	if (!q)
		return -ENOMEM;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			q[i * nb + j] = b[j] / a[i];
	qsort(q, N, sizeof(*q), cmp_double);
	err = hl_k(na, nb, level, &k);
	if (!err) {
		ci->point = N % 2 ? q[N / 2] : (q[N / 2 - 1] + q[N / 2]) / 2;
		if (k < 0 || 2 * (size_t)k >= N) {	/* the test cannot reach the level */
			ci->lo = 0;
			ci->hi = INFINITY;
		} else {
			ci->lo = q[k];
			ci->hi = q[N - 1 - (size_t)k];
		}
	}
	free(q);
	return err;
}

/*
 * The exact null distribution of the signed-rank statistic W+ for n untied
 * nonzero differences: c[w] = the number of the 2^n sign patterns with
 * W+ = w, w = 0 .. n(n+1)/2 (doubles: exact while 2^n <= 2^53; beyond,
 * each count is a sum of positive terms, good to about n ulps, and 2^n
 * stays inside a double's range for compare --blocks' 256 blocks at most).
 * NULL: out of memory.
 */
static double *signrank_counts(size_t n)
{
	size_t top = n * (n + 1) / 2;
	double *c = calloc(top + 1, sizeof(*c));

	if (!c)
		return NULL;
	c[0] = 1;
	for (size_t r = 1; r <= n; r++)
		for (size_t w = r * (r + 1) / 2; w >= r; w--)
			c[w] += c[w - r];
	return c;
}

/* the quotients b_j / a_i of block blk into q; their number (0: a side has none there) */
static size_t block_quotients(const double *a, const unsigned int *ablk, size_t na,
			      const double *b, const unsigned int *bblk, size_t nb,
			      unsigned int blk, double *q)
{
	size_t n = 0;

	for (size_t j = 0; j < nb; j++)
		if (bblk[j] == blk)
			for (size_t i = 0; i < na; i++)
				if (ablk[i] == blk)
					q[n++] = b[j] / a[i];
	return n;
}

int stats_hl_ratio_blocked(const double *a, const unsigned int *ablk, size_t na,
			   const double *b, const unsigned int *bblk, size_t nb,
			   double level, struct stats_blocked *r)
{
	unsigned int nblk = 0;
	double *q = NULL, *d = NULL, *walsh = NULL, *c = NULL, *abs_d = NULL;
	double tail = (1 - level) / 2, total, cum, lo_p, hi_p, wplus = 0;
	size_t K = 0, nz = 0, M;
	long k = -1;
	bool tied = false;
	int err;

	if (!r || !ablk || !bblk || !(level > 0 && level < 1))
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	err = check_samples(a, na, b, nb);
	if (err)
		return err;
	for (size_t i = 0; i < na; i++) {
		if (!(a[i] > 0))
			return -EDOM;
		if (ablk[i] >= nblk)
			nblk = ablk[i] + 1;
	}
	for (size_t j = 0; j < nb; j++)
		if (!(b[j] > 0))
			return -EDOM;
	if (nb > SIZE_MAX / sizeof(*q) / na)
		return -ENOMEM;
	q = malloc(na * nb * sizeof(*q));
	d = malloc((nblk ? nblk : 1) * sizeof(*d));
	abs_d = malloc((nblk ? nblk : 1) * sizeof(*abs_d));
	if (!q || !d || !abs_d) {
		err = -ENOMEM;
		goto out;
	}
	/* each block's estimate: the log of its own Hodges-Lehmann ratio */
	for (unsigned int blk = 0; blk < nblk; blk++) {
		size_t n = block_quotients(a, ablk, na, b, bblk, nb, blk, q);
		double m;

		if (!n)
			continue;
		r->pairs += n;
		qsort(q, n, sizeof(*q), cmp_double);
		m = n % 2 ? q[n / 2] : (q[n / 2 - 1] + q[n / 2]) / 2;
		d[K++] = log(m);
	}
	r->blocks = (unsigned int)K;
	if (!K) {
		err = -EINVAL;
		goto out;
	}
	/* the one-sample Hodges-Lehmann estimate: the median of the Walsh averages */
	M = K * (K + 1) / 2;
	walsh = malloc(M * sizeof(*walsh));
	if (!walsh) {
		err = -ENOMEM;
		goto out;
	}
	M = 0;
	for (size_t i = 0; i < K; i++)
		for (size_t j = i; j < K; j++)
			walsh[M++] = (d[i] + d[j]) / 2;
	qsort(walsh, M, sizeof(*walsh), cmp_double);
	r->ratio.point = exp(M % 2 ? walsh[M / 2] : (walsh[M / 2 - 1] + walsh[M / 2]) / 2);
	r->ratio.lo = 0;
	r->ratio.hi = INFINITY;
	r->p = 1;
	/* the signed-rank test: zeros dropped, midranks for ties */
	for (size_t i = 0; i < K; i++)
		if (d[i] != 0)
			abs_d[nz++] = fabs(d[i]);
	qsort(abs_d, nz, sizeof(*abs_d), cmp_double);
	for (size_t i = 1; i < nz; i++)
		tied |= abs_d[i] == abs_d[i - 1];
	tied |= nz < K;
	for (size_t i = 0; i < K; i++) {
		size_t lo = 0, hi;

		if (d[i] <= 0)
			continue;
		while (abs_d[lo] < d[i])
			lo++;
		for (hi = lo; hi + 1 < nz && abs_d[hi + 1] == d[i]; hi++)
			;
		wplus += (double)(lo + hi) / 2 + 1;	/* the midrank */
	}
	if (!tied) {
		c = signrank_counts(K);
		if (!c) {
			err = -ENOMEM;
			goto out;
		}
		total = ldexp(1, (int)K);
		lo_p = hi_p = 0;
		for (size_t w = 0; w <= M; w++) {
			if ((double)w <= wplus)
				lo_p += c[w];
			if ((double)w >= wplus)
				hi_p += c[w];
		}
		r->p = fmin(1, 2 * fmin(lo_p, hi_p) / total);
		/* the interval: drop the k lowest and k highest Walsh averages, k the
		 * largest with P(W+ <= k - 1) <= tail */
		cum = 0;
		for (size_t w = 0; w <= M; w++) {
			if ((cum + c[w]) / total > tail)
				break;
			cum += c[w];
			k = (long)w + 1;
		}
	} else if (nz) {
		/* the normal approximation with the tie correction and a continuity correction */
		double mean = (double)nz * (double)(nz + 1) / 4, var = mean * (double)(2 * nz + 1) / 6, z;

		for (size_t i = 0, j; i < nz; i = j) {
			for (j = i + 1; j < nz && abs_d[j] == abs_d[i]; j++)
				;
			var -= ((double)(j - i) * (double)(j - i) * (double)(j - i) - (double)(j - i)) / 48;
		}
		if (var > 0) {
			z = fmax(fabs(wplus - mean) - 0.5, 0) / sqrt(var);
			r->p = erfc(z / M_SQRT2);
			k = (long)floor((double)K * (double)(K + 1) / 4 -
					norm_upper_quantile(tail) * sqrt((double)K * (double)(K + 1) * (double)(2 * K + 1) / 24) - 0.5) + 1;
		}
	}
	if (k >= 1 && 2 * (size_t)k <= M) {
		r->ratio.lo = exp(walsh[k - 1]);
		r->ratio.hi = exp(walsh[M - (size_t)k]);
	}
out:
	free(q);
	free(d);
	free(abs_d);
	free(walsh);
	free(c);
	return err;
}

/* ---- histogram ---- */

/*
 * For a positive normal double the top 12 bits after the sign are the biased
 * exponent and the next STATS_HIST_SUB_BITS the leading mantissa bits, so
 * bits >> (52 - SUB_BITS) is exponent * SUB + sub-bucket: the bucket index
 * up to a constant, with no log() and no branch on the exponent.
 */
#define HIST_SHIFT	(52 - STATS_HIST_SUB_BITS)
#define HIST_BASE	((uint64_t)(1023 + STATS_HIST_MIN_EXP) << STATS_HIST_SUB_BITS)

static inline uint64_t dbits(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return u;
}

static inline double bucket_lower(size_t idx)
{
	uint64_t u = ((uint64_t)idx + HIST_BASE) << HIST_SHIFT;
	double v;

	memcpy(&v, &u, sizeof(v));
	return v;
}

void stats_hist_init(struct stats_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = INFINITY;
	h->max = -INFINITY;
}

int stats_hist_add_n(struct stats_hist *h, double v, uint64_t n)
{
	if (!(v >= 0))
		return -EINVAL;
	if (n == 0)
		return 0;
	if (v < STATS_HIST_LOWEST)
		h->underflow += n;
	else if (v >= STATS_HIST_HIGHEST)
		h->overflow += n;
	else
		h->bucket[(dbits(v) >> HIST_SHIFT) - HIST_BASE] += n;
	h->count += n;
	h->sum += v * (double)n;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	return 0;
}

int stats_hist_add(struct stats_hist *h, double v)
{
	return stats_hist_add_n(h, v, 1);
}

void stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src)
{
	if (src->count == 0)
		return;
	for (size_t i = 0; i < STATS_HIST_NBUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->underflow += src->underflow;
	dst->overflow += src->overflow;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

int stats_hist_quantile(const struct stats_hist *h, double p, double *out)
{
	uint64_t rank, cum;
	double v;

	if (!out || !valid_p(p))
		return -EINVAL;
	if (h->count == 0)
		return -ENODATA;
	rank = (uint64_t)ceil(p * (double)h->count);
	if (rank < 1)
		rank = 1;
	if (rank >= h->count) {
		*out = h->max;	/* the extremes are known exactly */
		return 0;
	}
	if (rank == 1) {
		*out = h->min;
		return 0;
	}
	cum = h->underflow;
	if (rank <= cum) {
		*out = h->min;
		return 0;
	}
	for (size_t i = 0; i < STATS_HIST_NBUCKETS; i++) {
		cum += h->bucket[i];
		if (rank <= cum) {
			v = 0.5 * (bucket_lower(i) + bucket_lower(i + 1));
			*out = v < h->min ? h->min : v > h->max ? h->max : v;
			return 0;
		}
	}
	*out = h->max;	/* the overflow bucket */
	return 0;
}

double stats_hist_mean(const struct stats_hist *h)
{
	return h->count ? h->sum / (double)h->count : NAN;
}
