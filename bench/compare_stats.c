/*
 * dmabench compare: the join of two runs and the statistics of one row
 * (bench/compare.h): the ratio with its interval (Hodges-Lehmann, or the
 * ratio of medians with its bootstrap interval: --interval) and the
 * Mann-Whitney p from src/harness/stats; here only what stats does not
 * have — the smallest p the exact test can reach (can_reach) and the
 * floor's drift between runs (drift_scale, a median of ratios).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "runcsv.h"

static uint64_t key_hash(const struct cfg *c)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	for (int k = 0; k < NKEY; k++) {
		for (const char *s = c->key[k]; *s; s++)
			h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
		h = (h ^ 0x1f) * 0x100000001b3ull;
	}
	return h;
}

/* The smallest two-sided p the exact test can give: 2 / C(na + nb, na). */
static bool can_reach(size_t na, size_t nb, double alpha)
{
	double comb = 1;

	for (size_t i = 1; i <= na; i++)
		comb = comb * (double)(nb + i) / (double)i;
	return 2.0 / comb < alpha;
}

const char *const metric_cols[] = { [METRIC_MEAN] = "ns_per_op", [METRIC_P50] = "batch_p50_ns" };
const char *const interval_words[] = { [INTERVAL_HL] = "hl", [INTERVAL_BOOTSTRAP] = "bootstrap" };

unsigned int compare_min_clean(double alpha)
{
	unsigned int n = 1;

	while (n < 64 && !can_reach(n, n, alpha))
		n++;
	return n;
}

unsigned int compare_min_blocks(double alpha)
{
	unsigned int k = 1;

	while (k < 64 && !(ldexp(2, -(int)k) < alpha))	/* the signed-rank test's smallest p: 2 / 2^K */
		k++;
	return k;
}

/*
 * The basis of a row: "floor" (x, the repetitions over their run's floor)
 * when both sides have it and --drift=floor or the machines differ; the
 * floor rows themselves are "raw" (one machine: judged with ANCHOR_BAND) or,
 * between machines, "reference" (1 by definition: no verdict).
 */
int compare_cfg(struct row *w, const struct args *args, bool use_floor, bool machines, double scale,
		struct failure *f)
{
	double alpha = args->alpha, min_effect = args->min_effect;
	double *scaled = NULL;
	const struct cfg *a = w->a, *b = w->b;
	const double *xa, *xb;
	size_t na, nb;
	double band = min_effect;
	struct stats_mw mw;
	int rc;

	w->ratio.point = w->ratio.lo = w->ratio.hi = NAN;
	w->p = NAN;
	w->raw_ratio = NAN;
	w->could_be_significant = false;
	w->basis = "raw";
	w->interval = args->blocks ? "hl-blocks" : interval_words[args->interval];
	if (!a || !b) {
		w->verdict = a ? "only in A" : "only in B";
		return 0;
	}
	if ((!a->n && a->blocks_out) || (!b->n && b->blocks_out)) {
		w->verdict = "too-disturbed";	/* --blocks: every run of a side left out */
		return 0;
	}
	if (!a->n || !b->n) {
		w->verdict = "no-data";
		return 0;
	}
	w->raw_ratio = b->median / a->median;
	if (2 * a->disturbed_kept >= a->n || 2 * b->disturbed_kept >= b->n) {
		w->verdict = "too-disturbed";
		return 0;
	}
	xa = a->ns; na = a->n;
	xb = b->ns; nb = b->n;
	if (use_floor && a->floor_cfg == a && b->floor_cfg == b) {
		if (machines) {
			w->basis = "reference";
			w->verdict = "reference";
			return 0;
		}
		if (band < ANCHOR_BAND)
			band = ANCHOR_BAND;
	} else if (use_floor && a->nx && b->nx) {
		w->basis = "floor";
		xa = a->x; na = a->nx;
		xb = b->x; nb = b->nx;
	} else if (!use_floor && scale > 0 && !machines) {
		if (!strcmp(a->key[K_STRATEGY], "none") && !strcmp(a->key[K_MODE], "normal")) {
			if (band < ANCHOR_BAND)
				band = ANCHOR_BAND;
		} else {
			scaled = malloc(nb * sizeof(*scaled));
			if (!scaled)
				return failf(f, 1, PROG ": out of memory");
			for (size_t i = 0; i < nb; i++)
				scaled[i] = xb[i] / scale;
			xb = scaled;
			w->basis = "scale";
		}
	}
	if (args->blocks) {
		const unsigned int *ba = xa == a->x ? a->xblk : a->blk, *bb = xb == b->x ? b->xblk : b->blk;
		struct stats_blocked r;

		rc = stats_hl_ratio_blocked(xa, ba, na, xb, bb, nb, 1 - alpha, &r);
		if (rc == -ENOMEM)
			return failf(f, 1, PROG ": out of memory");
		w->ratio.point = w->ratio.lo = w->ratio.hi = w->p = NAN;
		if (!rc) {
			w->ratio = r.ratio;
			w->p = r.p;
			w->could_be_significant = isfinite(r.ratio.hi);
		}
		/* too few blocks left to reach p < alpha, because some runs were mostly the host */
		if ((rc == -EINVAL || !w->could_be_significant) && (a->blocks_out || b->blocks_out)) {
			w->ratio.point = w->ratio.lo = w->ratio.hi = w->p = NAN;
			w->verdict = "too-disturbed";
			return 0;
		}
		if (!rc && isinf(w->ratio.hi))
			w->ratio.lo = w->ratio.hi = NAN;
		w->verdict = "no-significant-difference";
		if (w->p < alpha && (w->ratio.lo > 1 + band || w->ratio.hi < 1 - band))
			w->verdict = w->ratio.point > 1 ? "slower" : "faster";
		return 0;
	}
	if (args->interval == INTERVAL_HL)
		rc = stats_hl_ratio_ci(xa, na, xb, nb, 1 - alpha, &w->ratio);
	else
		rc = stats_boot_median_ratio_ci(xa, na, xb, nb, 1 - alpha, 0, args->seed ^ key_hash(a), &w->ratio);
	if (!rc && isinf(w->ratio.hi))	/* hl: the test cannot reach 1 - alpha with these sizes */
		w->ratio.lo = w->ratio.hi = NAN;
	if (rc == -ENOMEM) {
		free(scaled);
		return failf(f, 1, PROG ": out of memory");
	}
	if (rc)
		w->ratio.point = w->ratio.lo = w->ratio.hi = NAN;
	rc = stats_mann_whitney(xa, na, xb, nb, STATS_MW_AUTO, &mw);
	free(scaled);
	if (rc == -ENOMEM)
		return failf(f, 1, PROG ": out of memory");
	w->p = rc ? NAN : mw.p;
	w->could_be_significant = can_reach(na, nb, alpha);
	w->verdict = "no-significant-difference";
	if (w->p < alpha && (w->ratio.lo > 1 + band || w->ratio.hi < 1 - band))
		w->verdict = w->ratio.point > 1 ? "slower" : "faster";
	return 0;
}


/* Rows of A against run k, appended to rows[*n]; 0, or 2 when none in common. */
int join_pair(struct run *A, struct run *B, int k, struct row *rows, size_t *n, struct failure *f)
{
	size_t i = 0, j = 0, common = 0;

	while (i < A->ncfg || j < B->ncfg) {
		int d = i == A->ncfg ? 1 : j == B->ncfg ? -1 : cfg_cmp(&A->cfg[i], &B->cfg[j]);
		struct row *w = &rows[(*n)++];

		w->a = d <= 0 ? &A->cfg[i++] : NULL;
		w->b = d >= 0 ? &B->cfg[j++] : NULL;
		w->brun = k;
		common += w->a && w->b;
	}
	if (!common)
		return failf(f, 2, PROG ": no common configuration: A has %zu, %s (%.200s) has %zu, none in both "
			     "(keys: scenario strategy mode invalidation sharing placement home_node threads)",
			     A->ncfg, B->label, B->dir, B->ncfg);
	return 0;
}

/*
 * --drift=scale: the drift of row w's floor between A and B, the median over
 * thread counts of median(B)/median(A) of strategy none, normal mode, with
 * w's scenario, invalidation, sharing, placement and home node; NAN if none.
 */
double drift_scale(const struct row *rows, size_t from, size_t n, const struct row *w)
{
	static const int same[] = { K_SCENARIO, K_INVALIDATION, K_SHARING, K_PLACEMENT };
	double r[n - from + 1], m = NAN;
	size_t k = 0;

	if (!w->a || !w->b)
		return NAN;
	for (size_t i = from; i < n; i++) {
		const struct row *x = &rows[i];
		bool eq = x->a && x->b && x->a->n && x->b->n && x->a->home == w->a->home &&
			  !strcmp(x->a->key[K_STRATEGY], "none") && !strcmp(x->a->key[K_MODE], "normal");

		for (size_t j = 0; eq && j < sizeof(same) / sizeof(same[0]); j++)
			eq = !strcmp(x->a->key[same[j]], w->a->key[same[j]]);
		if (eq)
			r[k++] = x->b->median / x->a->median;
	}
	if (k)
		stats_median(r, k, &m);
	return m;
}

bool fails_on(enum fail_on fo, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool slower = !strcmp(rows[i].verdict, "slower"), faster = !strcmp(rows[i].verdict, "faster");

		if ((fo == FAIL_ON_SLOWER && slower) || (fo == FAIL_ON_FASTER && faster) ||
		    (fo == FAIL_ON_ANY && (slower || faster)))
			return true;
	}
	return false;
}
