/*
 * dmabench compare: the host placement, judged across the runs compared
 * (bench/compare.h). Each run flags `host-c2c` against its own typical
 * round trip between the vCPUs (pairprobe.h); on a VM whose host keeps the
 * vCPUs far apart for most of one run and near for most of the next, each
 * run's unflagged windows are then in a different placement, and compare
 * would call a 2x placement change a difference between the runs
 * (docs/METHODOLOGY.md §4). So when every run compared was measured on the
 * same machine and kept its window probes (host_c2c.csv), the windows are
 * judged again against one typical figure per pair: the median of every
 * probe of that pair in all the runs. A window off it by more than
 * PAIRPROBE_RATIO either way counts as disturbed (left out as `host-c2c`
 * is, under the same min_clean rule), and the runs' own `host-c2c`
 * words are not used. Runs of other machines, or without host_c2c.csv (an
 * older run), keep their own flags.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "harness/pairprobe.h"
#include "harness/stats.h"

/* "scenario\037...\037threads\037rep": the window's key, owned by the caller */
static char *window_key(const char *const *key, long long rep)
{
	size_t len = 24;
	char *s, *p;

	for (int k = 0; k < NKEY; k++)
		len += strlen(key[k]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (int k = 0; k < NKEY; k++)
		p += sprintf(p, "%s\037", key[k]);
	sprintf(p, "%lld", rep);
	return s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A probe pair's figures over all the runs. */
struct pair_figs {
	long long a, b;
	double *v;
	size_t n, cap;
	double typical;
};

static struct pair_figs *pair_of(struct pair_figs **p, size_t *np, long long a, long long b)
{
	struct pair_figs *q;

	for (size_t i = 0; i < *np; i++)
		if ((*p)[i].a == a && (*p)[i].b == b)
			return &(*p)[i];
	q = realloc(*p, (*np + 1) * sizeof(**p));
	if (!q)
		return NULL;
	*p = q;
	q = &(*p)[(*np)++];
	*q = (struct pair_figs){ .a = a, .b = b, .typical = NAN };
	return q;
}

static int add_fig(struct pair_figs *p, double v)
{
	if (!(v > 0) || !isfinite(v))
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		double *q = realloc(p->v, cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		p->v = q;
		p->cap = cap;
	}
	p->v[p->n++] = v;
	return 0;
}

struct hc_cols {
	int key[NKEY], rep, a, b, before, after;
};

static bool hc_columns(const struct csv_table *t, struct hc_cols *c)
{
	for (int k = 0; k < NKEY; k++)
		if ((c->key[k] = csv_col(t, key_names[k])) < 0)
			return false;
	c->rep = csv_col(t, "rep");
	c->a = csv_col(t, "pu_a");
	c->b = csv_col(t, "pu_b");
	c->before = csv_col(t, "before_ns");
	c->after = csv_col(t, "after_ns");
	return c->rep >= 0 && c->a >= 0 && c->b >= 0 && c->before >= 0 && c->after >= 0;
}

/* Every run's host_c2c.csv into hc[], or false when one has none (or is unreadable). */
static bool load_all(struct run *run, int nruns, struct csv_table *hc, struct hc_cols *cols)
{
	for (int k = 0; k < nruns; k++) {
		char path[PATH_MAX + 16], err[256];

		/* another machine's round trips are not this one's placements */
		if (csv_col(&run[k].t, "machine") < 0 || !run_same_machine(&run[0], &run[k]))
			return false;
		if ((size_t)snprintf(path, sizeof(path), "%s/host_c2c.csv", run[k].dir) >= sizeof(path) ||
		    csv_read_file(path, &hc[k], err, sizeof(err)))
			return false;
		if (!hc_columns(&hc[k], &cols[k]))
			return false;
	}
	return true;
}

/*
 * Row i's pair and its before and after figures (NAN where empty); NULL for
 * a row without its PUs (skipped), or with *rc = -ENOMEM.
 */
static struct pair_figs *row_probe(const struct csv_table *t, const struct hc_cols *c, size_t i,
				   struct pair_figs **pairs, size_t *npairs, double *before,
				   double *after, int *rc)
{
	struct pair_figs *p;
	long long a, b;

	*before = *after = NAN;
	if (csv_cell_ll(t, i, (size_t)c->a, &a) || csv_cell_ll(t, i, (size_t)c->b, &b))
		return NULL;
	p = pair_of(pairs, npairs, a, b);
	if (!p) {
		*rc = -ENOMEM;
		return NULL;
	}
	(void)csv_cell_double(t, i, (size_t)c->before, before);
	(void)csv_cell_double(t, i, (size_t)c->after, after);
	return p;
}

int compare_placement(struct run *run, int nruns, struct failure *f)
{
	struct csv_table hc[MAX_RUNS];
	struct hc_cols cols[MAX_RUNS];
	struct pair_figs *pairs = NULL;
	size_t npairs = 0;
	int rc = 0;

	memset(hc, 0, sizeof(hc));
	if (!load_all(run, nruns, hc, cols))
		goto out;
	/* one typical figure per pair: the median of all its probes, all runs */
	for (int k = 0; k < nruns && !rc; k++)
		for (size_t i = 0; i < csv_rows(&hc[k]) && !rc; i++) {
			double before, after;
			struct pair_figs *p = row_probe(&hc[k], &cols[k], i, &pairs, &npairs, &before,
							&after, &rc);

			if (!p)
				continue;
			rc = add_fig(p, before);
			if (!rc)
				rc = add_fig(p, after);
		}
	for (size_t i = 0; i < npairs && !rc; i++) {
		struct pair_figs *p = &pairs[i];

		if (p->n && stats_median(p->v, p->n, &p->typical))
			rc = -ENOMEM;
	}
	/* each run: its judged windows, and those off the common figure */
	for (int k = 0; k < nruns && !rc; k++) {
		struct run *r = &run[k];
		size_t n = csv_rows(&hc[k]);

		r->place_judged = calloc(n ? n : 1, sizeof(char *));
		r->place_off = calloc(n ? n : 1, sizeof(char *));
		if (!r->place_judged || !r->place_off) {
			rc = -ENOMEM;
			break;
		}
		for (size_t i = 0; i < n && !rc; i++) {
			const char *key[NKEY];
			long long rep;
			double before, after;
			struct pair_figs *p;
			char *s;

			for (int c = 0; c < NKEY; c++)
				key[c] = csv_cell(&hc[k], i, (size_t)cols[k].key[c]);
			if (csv_cell_ll(&hc[k], i, (size_t)cols[k].rep, &rep))
				continue;
			p = row_probe(&hc[k], &cols[k], i, &pairs, &npairs, &before, &after, &rc);
			if (!p)
				continue;
			s = window_key(key, rep);
			if (!s) {
				rc = -ENOMEM;
				break;
			}
			/* a window has one row per probed pair: judged once, off if any pair is */
			r->place_judged[r->nplace_judged++] = s;
			if (isfinite(p->typical) && pairprobe_off(p->typical, before, after, PAIRPROBE_RATIO)) {
				r->place_off[r->nplace_off] = strdup(s);
				if (!r->place_off[r->nplace_off++]) {
					rc = -ENOMEM;
					break;
				}
			}
		}
		if (!rc) {
			qsort(r->place_judged, r->nplace_judged, sizeof(char *), cmp_str);
			qsort(r->place_off, r->nplace_off, sizeof(char *), cmp_str);
			r->place_on = true;
		}
	}
	if (!rc && npairs) {
		run[0].place_typical = pairs[0].typical;
		run[0].place_a = pairs[0].a;
		run[0].place_b = pairs[0].b;
	}
out:
	for (int k = 0; k < nruns; k++)
		csv_free(&hc[k]);
	for (size_t i = 0; i < npairs; i++)
		free(pairs[i].v);
	free(pairs);
	if (rc)
		return failf(f, 1, PROG ": out of memory");
	return 0;
}

/* Was this window judged across the runs, and was it off? */
static bool in_sorted(char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(char *), cmp_str);
}

int compare_place_verdict(const struct run *r, const char *const *key, long long rep, bool *off)
{
	char *s;

	*off = false;
	if (!r->place_on)
		return 0;
	s = window_key(key, rep);
	if (!s)
		return -ENOMEM;
	if (!in_sorted(r->place_judged, r->nplace_judged, s)) {
		free(s);
		return 0;
	}
	*off = in_sorted(r->place_off, r->nplace_off, s);
	free(s);
	return 1;
}

void compare_place_free(struct run *r)
{
	for (size_t i = 0; i < r->nplace_judged; i++)
		free(r->place_judged[i]);
	for (size_t i = 0; i < r->nplace_off; i++)
		free(r->place_off[i]);
	free(r->place_judged);
	free(r->place_off);
	r->place_judged = r->place_off = NULL;
	r->nplace_judged = r->nplace_off = 0;
	r->place_on = false;
}
