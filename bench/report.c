/* results.csv rows, summary.csv and the stdout table: see report.h. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "harness/costmodel.h"
#include "harness/stats.h"
#include "report.h"
#include "scenario.h"

static const char *const fixed_cols[] = {
	"schema", "run_id", "machine", "scenario", "strategy", "mode", "invalidation",
	"sharing", "placement", "home_node", "threads", "numa_nodes_used", "cpus", "rep",
	"duration_ns", "ops", "ns_per_op", "mops_per_s", "batch_p50_ns", "batch_p90_ns",
	"batch_p99_ns", "min_thread_ops", "max_thread_ops", "concurrency_fraction",
	"timer_overhead_ns", "batch_calls", "migrations", "binding",
};

static const char *const summary_cols[] = {
	"schema", "run_id", "machine", "scenario", "strategy", "mode", "invalidation",
	"sharing", "placement", "home_node", "threads", "numa_nodes_used", "reps",
	"ns_per_op_median", "ns_per_op_min", "ns_per_op_max", "ns_per_op_cv",
	"ns_per_op_ci_lo", "ns_per_op_ci_hi", "mops_per_s_median", "mops_per_s_min",
	"mops_per_s_max", "batch_p50_ns", "batch_p90_ns", "batch_p99_ns", "overhead_ns",
	"overhead_ci_lo", "overhead_ci_hi", "model_refcount_ns", "flags",
};

static const struct {
	unsigned int bit;
	const char *word;
} flag_words[] = {
	{ ROWFLAG_FAILED_CALLS, "failed-calls" },
	{ ROWFLAG_INVARIANT, "invariant-failed" },
	{ ROWFLAG_ARENA, "arena-overflow" },
	{ ROWFLAG_INTERRUPTED, "interrupted" },
	{ ROWFLAG_BIND_FAILED, "binding-failed" },
	{ ROWFLAG_MIGRATED, "migrated" },
	{ ROWFLAG_HOST_STEAL, "host-steal" },
	{ ROWFLAG_HOST_SLOW, "host-slow" },
	{ ROWFLAG_DESCHEDULED, "desched" },
	{ ROWFLAG_OVERRAN, "overran" },
};

void report_count_flagged(const struct report *r, unsigned int mask, unsigned int *rows,
			  unsigned int *flagged)
{
	size_t n = (size_t)r->plan->nr_configs * r->plan->reps;

	*rows = *flagged = 0;
	for (size_t i = 0; r->reps && i < n; i++) {
		if (!r->reps[i].done)
			continue;
		(*rows)++;
		if (r->reps[i].flags_mask & mask)
			(*flagged)++;
	}
}

static void flags_string(const struct config *c, unsigned int mask, const char *note,
			 const struct report_cfg *noise, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
#define ADD(w) n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "+" : "", (w))
	if (c->flags & CONFIG_OVERSUBSCRIBED)
		ADD("oversubscribed");
	if (c->flags & CONFIG_SMT_SHARED)
		ADD("smt-shared");
	for (size_t i = 0; i < ARRAY_SIZE(flag_words); i++)
		if (mask & flag_words[i].bit)
			ADD(flag_words[i].word);
	if (noise && noise->noisy)
		ADD("noisy");
	if (noise && noise->bimodal)
		ADD("bimodal");
	if (note && *note)
		ADD(note);
#undef ADD
}

static void add_key(struct csv_row *row, const struct report *r, const struct config *c)
{
	csv_row_add_int(row, SCHEMA_VERSION);
	csv_row_add_str(row, r->run_id);
	csv_row_add_str(row, r->machine);
	csv_row_add_str(row, c->scenario->name);
	csv_row_add_str(row, c->strategy->name);
	csv_row_add_str(row, config_mode_name(c));
	csv_row_add_str(row, config_invalidation_name(c));
	csv_row_add_str(row, config_sharing_name(c));
	csv_row_add_str(row, c->placement);
	csv_row_add_int(row, c->home_node);
	csv_row_add_int(row, c->threads);
	csv_row_add_int(row, c->nodes_used);
}

int report_open(struct report *r, const struct plan *p, const struct pmu_events *ev,
		const char *dir, const char *run_id, const char *machine, uint64_t seed,
		double timer_overhead_ns)
{
	const char *cols[ARRAY_SIZE(fixed_cols) + PMU_MAX_EVENTS + 2];
	size_t n = 0;
	char path[1200];

	memset(r, 0, sizeof(*r));
	r->plan = p;
	r->events = ev;
	r->seed = seed;
	r->timer_overhead_ns = timer_overhead_ns;
	snprintf(r->run_id, sizeof(r->run_id), "%s", run_id);
	snprintf(r->machine, sizeof(r->machine), "%s", machine);
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	r->reps = calloc((size_t)p->nr_configs * p->reps, sizeof(*r->reps));
	if (!r->reps)
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(fixed_cols); i++)
		cols[n++] = fixed_cols[i];
	for (unsigned int i = 0; i < ev->n; i++)
		cols[n++] = ev->column[i];
	cols[n++] = "counter_status";
	cols[n++] = "flags";
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	return csv_writer_open(&r->results, path, cols, n, 0);
}

int report_row(struct report *r, const struct plan_item *it, const struct runner_result *res,
	       const char *binding, unsigned int flags_mask, const char *note)
{
	const struct config *c = &r->plan->configs[it->config];
	struct rep_result *rr = &r->reps[(size_t)it->config * r->plan->reps + it->rep - 1];
	struct csv_row row = CSV_ROW_INIT;
	double p50 = NAN, p90 = NAN, p99 = NAN;
	unsigned long calls[res->nr_threads];
	char flags[512], status[2048];
	int rc;

	stats_hist_quantile(&res->hist, 0.50, &p50);
	stats_hist_quantile(&res->hist, 0.90, &p90);
	stats_hist_quantile(&res->hist, 0.99, &p99);
	for (unsigned int i = 0; i < res->nr_threads; i++)
		calls[i] = res->threads[i].batch_calls;
	for (unsigned int i = 1; i < res->nr_threads; i++)	/* insertion sort: a handful */
		for (unsigned int k = i; k > 0 && calls[k - 1] > calls[k]; k--) {
			unsigned long t = calls[k];

			calls[k] = calls[k - 1];
			calls[k - 1] = t;
		}

	add_key(&row, r, c);
	csv_row_add_str(&row, c->cpus);
	csv_row_add_uint(&row, it->rep);
	csv_row_add_uint(&row, res->span_ns);
	csv_row_add_uint(&row, res->ops);
	csv_row_add_double_prec(&row, res->ns_per_op, 6);
	csv_row_add_double_prec(&row, res->mops_per_s, 6);
	csv_row_add_double_prec(&row, p50, 6);
	csv_row_add_double_prec(&row, p90, 6);
	csv_row_add_double_prec(&row, p99, 6);
	csv_row_add_uint(&row, res->min_thread_ops);
	csv_row_add_uint(&row, res->max_thread_ops);
	csv_row_add_double_prec(&row, res->concurrency_fraction, 6);
	csv_row_add_double_prec(&row, r->timer_overhead_ns, 4);
	csv_row_add_uint(&row, calls[res->nr_threads / 2]);
	csv_row_add_uint(&row, res->migrations);
	csv_row_add_str(&row, binding);
	for (unsigned int i = 0; i < r->events->n; i++) {
		double v;

		if (res->ops && !pmu_totals_value(&res->pmu, i, &v))
			csv_row_add_double_prec(&row, v / (double)res->ops, 6);
		else
			csv_row_add_empty(&row);
	}
	pmu_totals_status(&res->pmu, status, sizeof(status));
	csv_row_add_str(&row, status);
	flags_string(c, flags_mask, note, NULL, flags, sizeof(flags));
	csv_row_add_str(&row, flags);

	rc = csv_writer_write_row(r->results, &row);
	csv_row_free(&row);
	if (rc)
		return rc;
	rr->done = true;
	rr->ns_per_op = res->ns_per_op;
	rr->ops = res->ops;
	rr->mops_per_s = res->mops_per_s;
	rr->p50 = p50;
	rr->p90 = p90;
	rr->p99 = p99;
	rr->flags_mask = flags_mask;
	rr->note = note;
	return 0;
}

/* The repetitions of config ci that finished: their ns_per_op etc. */
static size_t collect_note(const struct report *r, unsigned int ci, double *ns, double *mops,
			   double *p50, double *p90, double *p99, unsigned int *mask,
			   const char **note)
{
	size_t n = 0;

	*mask = 0;
	if (note)
		*note = NULL;
	for (unsigned int k = 0; k < r->plan->reps; k++) {
		const struct rep_result *rr = &r->reps[(size_t)ci * r->plan->reps + k];

		if (!rr->done)
			continue;
		ns[n] = rr->ns_per_op;
		mops[n] = rr->mops_per_s;
		p50[n] = rr->p50;
		p90[n] = rr->p90;
		p99[n] = rr->p99;
		*mask |= rr->flags_mask;
		if (note && rr->note && *rr->note)
			*note = rr->note;
		n++;
	}
	return n;
}

static size_t collect(const struct report *r, unsigned int ci, double *ns, double *mops,
		      double *p50, double *p90, double *p99, unsigned int *mask)
{
	return collect_note(r, ci, ns, mops, p50, p90, p99, mask, NULL);
}

/* The strategy-`none` configuration with every other key equal (mode aside: none has no kdump row). */
int report_floor_config(const struct plan *p, unsigned int ci)
{
	const struct config *c = &p->configs[ci];

	for (unsigned int k = 0; k < p->nr_configs; k++) {
		const struct config *o = &p->configs[k];

		if (!strcmp(o->strategy->name, "none") && !o->kdump && o->scenario == c->scenario &&
		    o->strict == c->strict && o->sharing == c->sharing &&
		    !strcmp(o->placement, c->placement) && o->home_node == c->home_node &&
		    o->threads == c->threads)
			return (int)k;
	}
	return -1;
}

static double median_of(const double *x, size_t n)
{
	double m = NAN;

	if (n)
		stats_median(x, n, &m);
	return m;
}

/* The figures of configuration ci over its finished repetitions, into *o. */
static void summarize_config(const struct report *r, unsigned int ci, struct report_cfg *o)
{
	const struct plan *p = r->plan;
	unsigned int R = p->reps;
	double ns[R], mops[R], p50[R], p90[R], p99[R];
	double fns[R], fm[R], f50[R], f90[R], f99[R];
	struct stats_summary s;
	struct stats_ci ci_med = { NAN, NAN, NAN }, ci_over = { NAN, NAN, NAN };
	unsigned int fmask;
	const char *note;
	int floor = report_floor_config(p, ci);

	memset(o, 0, sizeof(*o));
	o->n = collect_note(r, ci, ns, mops, p50, p90, p99, &o->mask, &note);
	if (o->n == 0)
		return;
	stats_summarize(ns, o->n, &s);
	stats_boot_median_ci(ns, o->n, 0.95, 0, r->seed ^ ci, &ci_med);
	o->median = s.median;
	o->min = s.min;
	o->max = s.max;
	o->mean = s.mean;
	o->sd = s.sd;
	o->cv = s.cv;
	o->ci_lo = ci_med.lo;
	o->ci_hi = ci_med.hi;
	o->mops_min = o->mops_max = mops[0];
	for (size_t i = 1; i < o->n; i++) {
		if (mops[i] < o->mops_min)
			o->mops_min = mops[i];
		if (mops[i] > o->mops_max)
			o->mops_max = mops[i];
	}
	o->mops_median = median_of(mops, o->n);
	o->p50 = median_of(p50, o->n);
	o->p90 = median_of(p90, o->n);
	o->p99 = median_of(p99, o->n);
	if (floor >= 0) {
		size_t fn = collect(r, (unsigned int)floor, fns, fm, f50, f90, f99, &fmask);

		if (fn)
			stats_boot_median_diff_ci(fns, fn, ns, o->n, 0.95, 0, r->seed ^ ci, &ci_over);
	}
	o->over = ci_over.point;
	o->over_lo = ci_over.lo;
	o->over_hi = ci_over.hi;
	o->noisy = s.cv > REPORT_NOISY_CV;
	if (stats_bimodal(ns, o->n, STATS_BIMODAL_REL_GAP, &o->bimodal))
		o->bimodal = false;
	flags_string(&p->configs[ci], o->mask, note, o, o->flags, sizeof(o->flags));
}

int report_summary(struct report *r, const double *model_refcount_ns)
{
	const struct plan *p = r->plan;
	struct csv_writer *w;
	char path[1200];
	int rc;

	free(r->cfgs);
	r->cfgs = calloc(p->nr_configs, sizeof(*r->cfgs));
	if (!r->cfgs)
		return -ENOMEM;
	for (unsigned int ci = 0; ci < p->nr_configs; ci++)
		summarize_config(r, ci, &r->cfgs[ci]);
	snprintf(path, sizeof(path), "%s/summary.csv", r->dir);
	rc = csv_writer_open(&w, path, summary_cols, ARRAY_SIZE(summary_cols), CSV_ATOMIC);
	if (rc)
		return rc;
	for (unsigned int ci = 0; ci < p->nr_configs; ci++) {
		const struct config *c = &p->configs[ci];
		const struct report_cfg *o = &r->cfgs[ci];
		struct csv_row row = CSV_ROW_INIT;

		if (o->n == 0)
			continue;	/* never measured (interrupted): no row */
		add_key(&row, r, c);
		csv_row_add_uint(&row, o->n);
		csv_row_add_double_prec(&row, o->median, 6);
		csv_row_add_double_prec(&row, o->min, 6);
		csv_row_add_double_prec(&row, o->max, 6);
		csv_row_add_double_prec(&row, o->cv, 4);
		csv_row_add_double_prec(&row, o->ci_lo, 6);
		csv_row_add_double_prec(&row, o->ci_hi, 6);
		csv_row_add_double_prec(&row, o->mops_median, 6);
		csv_row_add_double_prec(&row, o->mops_min, 6);
		csv_row_add_double_prec(&row, o->mops_max, 6);
		csv_row_add_double_prec(&row, o->p50, 6);
		csv_row_add_double_prec(&row, o->p90, 6);
		csv_row_add_double_prec(&row, o->p99, 6);
		csv_row_add_double_prec(&row, o->over, 6);
		csv_row_add_double_prec(&row, o->over_lo, 6);
		csv_row_add_double_prec(&row, o->over_hi, 6);
		csv_row_add_double_prec(&row, model_refcount_ns ? model_refcount_ns[ci] : NAN, 6);
		csv_row_add_str(&row, o->flags);
		rc = csv_writer_write_row(w, &row);
		csv_row_free(&row);
		if (rc) {
			csv_writer_abort(w);
			return rc;
		}
	}
	return csv_writer_close(w);
}

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
		/* a line per mark: all three on one would pass the 100 columns */
		if (seen & MARK_NOISY)
			fprintf(f, "  marks: ~ noisy (CV of the repetitions above 10%%);\n");
		if (seen & MARK_BIMODAL)
			fprintf(f, "  marks: b bimodal (the repetitions form two clusters);\n");
		if (seen & MARK_FLAGGED)
			fprintf(f, "  marks: ! a repetition carries a flag (summary.csv flags);\n");
	}
	free(shown);
	free(threads);
}

/* ---- results.json: Google Benchmark's JSON output format ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* ,"key": number — left out when the figure does not exist (JSON has no NaN) */
static void json_num(FILE *f, const char *key, double v)
{
	if (isfinite(v))
		fprintf(f, ", \"%s\": %.9g", key, v);
}

/* "lookup/refcount/mode:normal/inv:none/sharing:device/placement:compact/home:0" */
static void json_family(const struct config *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/mode:%s/inv:%s/sharing:%s/placement:%s/home:%d",
		 c->scenario->name, c->strategy->name, config_mode_name(c),
		 config_invalidation_name(c), config_sharing_name(c), c->placement, c->home_node);
}

static void json_entry_head(FILE *f, bool *first, const char *name, const char *run_name,
			    unsigned int family, unsigned int instance, const char *run_type,
			    unsigned int reps, const struct config *c)
{
	fprintf(f, "%s    {\"name\": ", *first ? "" : ",\n");
	*first = false;
	json_str(f, name);
	fprintf(f, ", \"family_index\": %u, \"per_family_instance_index\": %u, \"run_name\": ",
		family, instance);
	json_str(f, run_name);
	fprintf(f, ", \"run_type\": \"%s\", \"repetitions\": %u, \"threads\": %d",
		run_type, reps, c->threads);
}

/*
 * One entry per finished repetition (run_type "iteration"), then the
 * aggregates mean, median, stddev and cv over them (run_type "aggregate",
 * as Google Benchmark writes with --benchmark_repetitions). real_time and
 * cpu_time are both ns_per_op: the threads' time per call (dmabench does not
 * read CPU time apart from it; the context says so). iterations: the calls
 * of all threads. items_per_second: mops_per_s * 1e6.
 */
int report_json(const struct report *r, const char *status, int num_cpus)
{
	const struct plan *p = r->plan;
	char path[1200], tmp[1240], date[64];
	bool first = true;
	time_t now = time(NULL);
	struct tm tm;
	unsigned int family = 0, instance = 0;
	FILE *f;
	int fd, rc = 0;

	if (!r->cfgs)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/results.json", r->dir);
	snprintf(tmp, sizeof(tmp), "%s/.results.json.XXXXXX", r->dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		rc = -errno;
		close(fd);
		unlink(tmp);
		return rc;
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
	fprintf(f, "{\n  \"context\": {\n    \"date\": \"%s\",\n    \"host_name\": ", date);
	json_str(f, r->machine);
	fprintf(f, ",\n    \"executable\": \"dmabench\",\n    \"num_cpus\": %d,\n", num_cpus);
	fprintf(f, "    \"library_build_type\": \"release\",\n    \"dmabench_run_id\": ");
	json_str(f, r->run_id);
	fprintf(f, ",\n    \"dmabench_schema\": %d,\n    \"dmabench_status\": \"%s\",\n", SCHEMA_VERSION, status);
	fprintf(f, "    \"dmabench_time\": \"real_time = cpu_time = ns_per_op: the threads' busy time per call (results.csv); "
		   "iterations = calls of all threads\"\n  },\n  \"benchmarks\": [\n");
	for (unsigned int ci = 0; ci < p->nr_configs; ci++) {
		const struct config *c = &p->configs[ci];
		const struct report_cfg *o = &r->cfgs[ci];
		char fam[1024], run_name[1100], name[1200];
		static const char *const aggs[] = { "mean", "median", "stddev", "cv" };

		if (!o->n)
			continue;
		json_family(c, fam, sizeof(fam));
		snprintf(run_name, sizeof(run_name), "%s/threads:%d", fam, c->threads);
		/* a family: the configurations that differ in threads only; its
		 * index is its first configuration's, instances count from 0 */
		family = ci;
		instance = 0;
		for (unsigned int k = 0; k < ci; k++) {
			const struct config *o = &p->configs[k];

			if (o->scenario == c->scenario && o->strategy == c->strategy && o->kdump == c->kdump &&
			    o->strict == c->strict && o->sharing == c->sharing &&
			    !strcmp(o->placement, c->placement) && o->home_node == c->home_node) {
				if (family == ci)
					family = k;
				instance++;
			}
		}
		for (unsigned int k = 0; k < p->reps; k++) {
			const struct rep_result *rr = &r->reps[(size_t)ci * p->reps + k];

			if (!rr->done)
				continue;
			json_entry_head(f, &first, run_name, run_name, family, instance, "iteration", (unsigned int)o->n, c);
			fprintf(f, ", \"repetition_index\": %u, \"iterations\": %llu", k,
				(unsigned long long)rr->ops);
			json_num(f, "real_time", rr->ns_per_op);
			json_num(f, "cpu_time", rr->ns_per_op);
			fprintf(f, ", \"time_unit\": \"ns\"");
			json_num(f, "items_per_second", rr->mops_per_s * 1e6);
			fputc('}', f);
		}
		for (size_t a = 0; a < ARRAY_SIZE(aggs) && o->n > 1; a++) {
			double v = a == 0 ? o->mean : a == 1 ? o->median : a == 2 ? o->sd : o->cv;

			if (!isfinite(v))
				continue;
			snprintf(name, sizeof(name), "%s_%s", run_name, aggs[a]);
			json_entry_head(f, &first, name, run_name, family, instance, "aggregate", (unsigned int)o->n, c);
			fprintf(f, ", \"aggregate_name\": \"%s\", \"aggregate_unit\": \"%s\", \"iterations\": %zu",
				aggs[a], a == 3 ? "percentage" : "time", o->n);
			json_num(f, "real_time", v);
			json_num(f, "cpu_time", v);
			fprintf(f, ", \"time_unit\": \"ns\"");
			if (a == 1) {
				json_num(f, "items_per_second", o->mops_median * 1e6);
				json_num(f, "overhead_ns", o->over);
				json_num(f, "overhead_ci_lo", o->over_lo);
				json_num(f, "overhead_ci_hi", o->over_hi);
			}
			fputc('}', f);
		}
	}
	fprintf(f, "\n  ]\n}\n");
	if (fflush(f) || fsync(fileno(f)))
		rc = errno ? -errno : -EIO;
	if (fclose(f) && !rc)
		rc = -EIO;
	if (!rc && chmod(tmp, 0644))
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

void report_close(struct report *r)
{
	if (r->results)
		csv_writer_close(r->results);
	r->results = NULL;
	free(r->reps);
	r->reps = NULL;
	free(r->cfgs);
	r->cfgs = NULL;
}

/* The contention model's figure for refcount lookups on shared groups. */
double *costmodel_for_plan(const struct plan *p, const struct c2c_matrix *m, const struct report *r)
{
	double *out = malloc(p->nr_configs * sizeof(double));
	unsigned int R = p->reps;
	double ns[R], mops[R], p50[R], p90[R], p99[R];

	if (!out)
		return NULL;
	for (unsigned int ci = 0; ci < p->nr_configs; ci++) {
		const struct config *c = &p->configs[ci];
		int pus[c->threads];
		double one = NAN;
		unsigned int mask;

		out[ci] = NAN;
		if (strcmp(c->strategy->name, "refcount") || strcmp(c->scenario->name, "lookup") ||
		    c->sharing == MODEL_SHARE_PRIVATE)
			continue;
		/* the uncontended cost: the same configuration at one thread */
		for (unsigned int k = 0; k < p->nr_configs; k++) {
			const struct config *o = &p->configs[k];

			if (o->strategy == c->strategy && o->kdump == c->kdump && o->scenario == c->scenario &&
			    o->sharing == c->sharing && !strcmp(o->placement, c->placement) && o->threads == 1)
				one = median_of(ns, collect(r, k, ns, mops, p50, p90, p99, &mask));
		}
		if (isnan(one))
			continue;
		for (int i = 0; i < c->threads; i++)
			pus[i] = c->slots[i].pu_os;
		out[ci] = costmodel_refcount_ns(m, pus, c->threads, one);
	}
	return out;
}
