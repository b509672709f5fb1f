/*
 * The end-of-run table on stdout (report_table(), report.h): one table per
 * scenario, mode, invalidation, sharing and placement, a row per strategy, a
 * column per thread count, the median ns per call with its interval and the
 * noise marks of summary.csv.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "scenario.h"

/* v with a precision that suits its size, and "±half" in the same precision */
static void fmt_pm(char *buf, size_t len, double v, double half, bool sign)
{
	double a = fabs(v) > fabs(half) ? fabs(v) : fabs(half);
	int d = a < 1 ? 2 : a < 10 ? 1 : 0;

	if (isnan(half))
		snprintf(buf, len, sign ? "%+.*f" : "%.*f", d, v);
	else
		snprintf(buf, len, sign ? "%+.*f\u00b1%.*f" : "%.*f\u00b1%.*f", d, v, d, half);
}

static double half_width(double point, double lo, double hi)
{
	if (isnan(lo) || isnan(hi))
		return NAN;
	return fmax(hi - point, point - lo);
}

enum { MARK_NOISY = 1, MARK_BIMODAL = 2, MARK_FLAGGED = 4 };

/* The cell's mark: one character, the strongest reason first. */
static char cell_mark(const struct report_cfg *o, unsigned int *seen)
{
	if (o->mask) {
		*seen |= MARK_FLAGGED;
		return '!';
	}
	if (o->bimodal) {
		*seen |= MARK_BIMODAL;
		return 'b';
	}
	if (o->noisy) {
		*seen |= MARK_NOISY;
		return '~';
	}
	return ' ';
}

static bool same_table(const struct config *o, const struct config *c)
{
	return o->scenario == c->scenario && o->strict == c->strict && o->sharing == c->sharing &&
	       !strcmp(o->placement, c->placement) && o->home_node == c->home_node;
}

/* The configuration of table c with this strategy, mode and thread count, or -1. */
static int find_cell(const struct plan *p, const struct config *c, const struct strategy *s,
		     bool kdump, int threads)
{
	for (unsigned int k = 0; k < p->nr_configs; k++) {
		const struct config *o = &p->configs[k];

		if (o->strategy == s && o->kdump == kdump && o->threads == threads && same_table(o, c))
			return (int)k;
	}
	return -1;
}

/* Cell text of configuration k: the floor (or every row without one) as
 * median ± CI; other rows as the overhead over the floor ± CI. */
static void cell_text(const struct report *r, int k, bool over, char *buf, size_t len,
		      unsigned int *seen)
{
	const struct report_cfg *o;
	char num[48];

	if (k < 0 || !r->cfgs[k].n) {
		snprintf(buf, len, "- ");
		return;
	}
	o = &r->cfgs[k];
	if (over && !isnan(o->over))
		fmt_pm(num, sizeof(num), o->over, half_width(o->over, o->over_lo, o->over_hi), true);
	else
		fmt_pm(num, sizeof(num), o->median, half_width(o->median, o->ci_lo, o->ci_hi), false);
	snprintf(buf, len, "%s%c", num, cell_mark(o, seen));
}

/* printf width for a UTF-8 cell: "±" is two bytes, one column */
static int cell_pad(const char *cell, int width)
{
	return width + (strstr(cell, "\u00b1") ? 1 : 0);
}

/*
 * ns per call, strategy (and mode) by threads, one table per scenario /
 * invalidation / sharing / placement / home node. Strategy none shows its
 * median ± the 95% CI; every other row the overhead over none at the same
 * thread count ± its 95% CI (the wider side of the bootstrap interval),
 * which is summary.csv's overhead_ns [overhead_ci_lo, overhead_ci_hi]. A
 * cell ends with a mark: ~ noisy, b bimodal, ! a repetition carries a flag.
 */
void report_table(const struct report *r, FILE *f)
{
	const struct plan *p = r->plan;
	bool *shown = calloc(p->nr_configs, sizeof(bool));
	int *threads = calloc(p->nr_configs, sizeof(int));	/* at most one count per config */
	int nt;

	if (!shown || !threads || !r->cfgs) {
		free(shown);
		free(threads);
		return;
	}
	for (unsigned int ci = 0; ci < p->nr_configs; ci++) {
		const struct config *c = &p->configs[ci];
		const struct strategy *floor_s = NULL;
		unsigned int seen = 0;
		int cw = 9, lw = 8;
		char cell[64];

		if (shown[ci])
			continue;
		nt = 0;
		for (unsigned int k = 0; k < p->nr_configs; k++) {
			const struct config *o = &p->configs[k];
			bool have = false;

			if (!same_table(o, c))
				continue;
			shown[k] = true;
			if (report_floor_config(p, k) == (int)k)
				floor_s = o->strategy;
			for (int t = 0; t < nt; t++)
				have |= threads[t] == o->threads;
			if (!have)
				threads[nt++] = o->threads;
		}
		for (int i = 1; i < nt; i++)
			for (int k = i; k > 0 && threads[k - 1] > threads[k]; k--) {
				int t = threads[k];

				threads[k] = threads[k - 1];
				threads[k - 1] = t;
			}
		/* widths: the widest cell and label of this table */
		for (unsigned int s = 0; s < strategy_count; s++)
			for (int m = 0; m < 2; m++)
				for (int t = 0; t < nt; t++) {
					int k = find_cell(p, c, strategy_table[s], m, threads[t]);
					unsigned int dummy = 0;

					if (k < 0)
						continue;
					cell_text(r, k, strategy_table[s] != floor_s, cell, sizeof(cell), &dummy);
					if ((int)strlen(cell) - 1 > cw)
						cw = (int)strlen(cell) - 1;
					if ((int)strlen(strategy_table[s]->name) + (m ? 8 : 0) > lw)
						lw = (int)strlen(strategy_table[s]->name) + (m ? 8 : 0);
				}
		fprintf(f, "\n%s, invalidation %s, sharing %s, placement %s: ns per call (thread time)\n",
			c->scenario->name, config_invalidation_name(c), config_sharing_name(c), c->placement);
		if (floor_s)
			fprintf(f, "  %s: median \u00b1 95%% CI; other rows: overhead over %s at the same threads \u00b1 95%% CI\n",
				floor_s->name, floor_s->name);
		else
			fprintf(f, "  median \u00b1 95%% CI (no strategy none in this run: no overhead)\n");
		fprintf(f, "  %-*s", lw, "strategy");
		for (int t = 0; t < nt; t++)
			fprintf(f, " %*d%s", cw - 1, threads[t], "T ");
		fputc('\n', f);
		/* rows in table order: strategy, then mode */
		for (unsigned int s = 0; s < strategy_count; s++) {
			for (int m = 0; m < 2; m++) {
				bool any = false;
				char label[64];

				for (int t = 0; t < nt && !any; t++)
					any = find_cell(p, c, strategy_table[s], m, threads[t]) >= 0;
				if (!any)
					continue;
				snprintf(label, sizeof(label), "%s%s", strategy_table[s]->name, m ? " (kdump)" : "");
				fprintf(f, "  %-*s", lw, label);
				for (int t = 0; t < nt; t++) {
					int k = find_cell(p, c, strategy_table[s], m, threads[t]);

					cell_text(r, k, strategy_table[s] != floor_s, cell, sizeof(cell), &seen);
					fprintf(f, " %*s", cell_pad(cell, cw + 1), cell);
				}
				fputc('\n', f);
			}
		}
		/* one mark a line: the legend stays inside 100 columns */
		if (seen & MARK_NOISY)
			fprintf(f, "  mark ~ noisy: the CV of the repetitions is above %.0f%%\n", REPORT_NOISY_CV * 100);
		if (seen & MARK_BIMODAL)
			fprintf(f, "  mark b bimodal: the repetitions form two clusters\n");
		if (seen & MARK_FLAGGED)
			fprintf(f, "  mark ! a repetition carries a row flag (summary.csv flags)\n");
	}
	free(shown);
	free(threads);
}
