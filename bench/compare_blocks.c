/*
 * dmabench compare --blocks A1 B1 A2 B2 ...: the runs taken in blocks (an A
 * run and a B run one after the other, repeated: scripts/ab.sh) pooled into
 * one A and one B whose every value keeps its block, so that compare_cfg
 * can judge block by block (stats_hl_ratio_blocked: each block's own
 * ratio, the blocks' ratios by the signed-rank test). A change of the
 * host's level between blocks (the Turin guest's host phases, seconds to
 * minutes long: METHODOLOGY §4 "A seventh time") moves an A run and the B
 * run beside it alike and drops out; between two runs taken minutes apart
 * it cannot. Disturbed repetitions are kept by default (compare.c says
 * why). With --disturbed=drop, a run of a block that kept its disturbed
 * repetitions (fewer than BLOCK_MIN_CLEAN clean ones) and has them as half
 * or more of its values is left out (blocks_out), as compare leaves a too-disturbed
 * configuration unjudged; its block then counts only where both sides
 * kept values. A configuration whose blocks left can no longer reach
 * p < alpha is too-disturbed.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"

/* run r's configuration with c's key, or NULL (r->cfg is sorted by cfg_cmp) */
static const struct cfg *find_cfg(const struct run *r, const struct cfg *c)
{
	size_t lo = 0, hi = r->ncfg;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = cfg_cmp(&r->cfg[mid], c);

		if (!d)
			return &r->cfg[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* append src (n values, or none) with block blk to *dst / *dblk at *len */
static int append(double **dst, unsigned int **dblk, size_t *len, const double *src, size_t n,
		  unsigned int blk)
{
	double *d;
	unsigned int *b;

	if (!n)
		return 0;
	d = realloc(*dst, (*len + n) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	*dst = d;
	b = realloc(*dblk, (*len + n) * sizeof(*b));
	if (!b)
		return -ENOMEM;
	*dblk = b;
	memcpy(d + *len, src, n * sizeof(*d));
	for (size_t i = 0; i < n; i++)
		b[*len + i] = blk;
	*len += n;
	return 0;
}

static int cfg_ptr_cmp(const void *x, const void *y)
{
	return cfg_cmp(*(const struct cfg *const *)x, *(const struct cfg *const *)y);
}

/*
 * The side's configurations: each that any run of the side has, once, in
 * cfg_cmp order (a run cut short, or one taken with fewer strategies, adds
 * nothing and takes nothing away). NULL: out of memory.
 */
static const struct cfg **side_cfgs(const struct run *run, int nruns, int side, size_t *n)
{
	const struct cfg **all;
	size_t total = 0, u = 0;

	for (int k = side; k < nruns; k += 2)
		total += run[k].ncfg;
	all = malloc((total ? total : 1) * sizeof(*all));
	if (!all)
		return NULL;
	total = 0;
	for (int k = side; k < nruns; k += 2)
		for (size_t i = 0; i < run[k].ncfg; i++)
			all[total++] = &run[k].cfg[i];
	qsort(all, total, sizeof(*all), cfg_ptr_cmp);
	for (size_t i = 0; i < total; i++)
		if (!u || cfg_cmp(all[u - 1], all[i]))
			all[u++] = all[i];
	*n = u;
	return all;
}

/*
 * One side (side 0: the A runs run[0], run[2], ...; side 1: the B runs) into
 * *p: every configuration of the side (side_cfgs), each with the values of
 * every run of the side that has it, block k from run[2k + side].
 */
static int pool_side(const struct run *run, int nruns, int side, struct run *p, char *dir, size_t dirlen)
{
	const struct run *first = &run[side];
	int nblocks = nruns / 2;
	const struct cfg **tmpl;
	size_t ncfg;

	memset(p, 0, sizeof(*p));
	p->label = side ? "B" : "A";
	snprintf(dir, dirlen, "%s and %d more (blocks)", first->dir, nblocks - 1);
	p->dir = dir;
	p->schema = first->schema;
	p->machine = first->machine;
	p->run_id = first->run_id;
	memcpy(p->hw, first->hw, sizeof(p->hw));
	p->drop_disturbed = first->drop_disturbed;
	p->min_clean = first->min_clean;
	p->metric_col = first->metric_col;
	tmpl = side_cfgs(run, nruns, side, &ncfg);
	if (!tmpl)
		return -ENOMEM;
	p->cfg = calloc(ncfg ? ncfg : 1, sizeof(*p->cfg));
	if (!p->cfg) {
		free(tmpl);
		return -ENOMEM;
	}
	p->ncfg = ncfg;
	for (size_t i = 0; i < ncfg; i++) {
		struct cfg *c = &p->cfg[i];
		double *ns = NULL;
		size_t nns = 0;

		*c = *tmpl[i];
		c->ns = NULL;
		c->rep = NULL;
		c->x = NULL;
		c->n = c->nx = c->nrows = c->dropped = c->disturbed_kept = 0;
		c->kept_disturbed = false;
		c->median = c->floor = NAN;
		for (int k = 0; k < nblocks; k++) {
			const struct cfg *s = find_cfg(&run[2 * k + side], tmpl[i]);
			unsigned int *blk = (unsigned int *)c->blk, *xblk = (unsigned int *)c->xblk;
			size_t nx = c->nx;

			if (!s)
				continue;
			/* as too-disturbed between two runs: this run's values are mostly the host */
			if (s->n && 2 * s->disturbed_kept >= s->n) {
				c->blocks_out++;
				c->nrows += s->nrows;
				continue;
			}
			if (append(&ns, &blk, &nns, s->ns, s->n, (unsigned int)k) ||
			    append(&c->x, &xblk, &nx, s->x, s->nx, (unsigned int)k)) {
				c->ns = ns;
				c->blk = blk;
				c->xblk = xblk;
				free(tmpl);
				return -ENOMEM;
			}
			c->ns = ns;
			c->blk = blk;
			c->xblk = xblk;
			c->n = nns;
			c->nx = nx;
			c->nrows += s->nrows;
			c->dropped += s->dropped;
			c->disturbed_kept += s->disturbed_kept;
			c->kept_disturbed |= s->kept_disturbed;
		}
		if (c->n && stats_median(c->ns, c->n, &c->median)) {
			free(tmpl);
			return -ENOMEM;
		}
		p->dropped += c->dropped;
		p->kept_cfgs += c->kept_disturbed;
	}
	free(tmpl);
	/* the pooled run's own floors, found in it as set_floors finds a run's */
	for (size_t i = 0; i < p->ncfg; i++) {
		p->cfg[i].floor_cfg = cfg_floor(p, &p->cfg[i]);
		if (p->cfg[i].floor_cfg)
			p->cfg[i].floor = p->cfg[i].floor_cfg->median;
	}
	return 0;
}

int blocks_pool(const struct run *run, int nruns, struct run pool[2], struct failure *f)
{
	static char dirs[2][PATH_MAX + 64];

	for (int side = 0; side < 2; side++)
		if (pool_side(run, nruns, side, &pool[side], dirs[side], sizeof(dirs[side])))
			return failf(f, 1, PROG ": out of memory");
	return 0;
}

void blocks_free(struct run pool[2])
{
	for (int side = 0; side < 2; side++) {
		for (size_t i = 0; pool[side].cfg && i < pool[side].ncfg; i++) {
			free((double *)pool[side].cfg[i].ns);
			free((unsigned int *)pool[side].cfg[i].blk);
			free((unsigned int *)pool[side].cfg[i].xblk);
			free(pool[side].cfg[i].x);
		}
		free(pool[side].cfg);
		memset(&pool[side], 0, sizeof(pool[side]));
	}
}
