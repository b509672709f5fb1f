/*
 * results.csv rows, summary.csv (the statistics of a configuration over its
 * repetitions) and the contention model's column: see report.h. The table
 * is report_table.c, results.json report_json.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness/atomic_file.h"
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
	{ ROWFLAG_HOST_C2C, "host-c2c" },
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
	r->written = calloc((size_t)p->nr_configs * p->reps, sizeof(*r->written));
	if (!r->reps || !r->written)
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
	r->written[r->nwritten++] = (unsigned int)(rr - r->reps);
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

int report_rewrite_flags(struct report *r)
{
	char path[1200], *line = NULL;
	size_t cap = 0, k = 0;
	struct atomic_file af;
	FILE *in;
	ssize_t n;
	int rc;

	if (r->results) {
		rc = csv_writer_close(r->results);
		r->results = NULL;
		if (rc)
			return rc;
	}
	snprintf(path, sizeof(path), "%s/results.csv", r->dir);
	in = fopen(path, "re");
	if (!in)
		return -errno;
	rc = atomic_file_open(&af, path);
	if (rc) {
		fclose(in);
		return rc;
	}
	for (size_t ln = 0; (n = getline(&line, &cap, in)) > 0; ln++) {
		char *comma = strrchr(line, ',');

		if (ln == 0 || !comma || k >= r->nwritten) {	/* the header, as it was */
			fputs(line, af.f);
			continue;
		}
		{
			const struct rep_result *rr = &r->reps[r->written[k]];
			const struct config *c = &r->plan->configs[r->written[k] / r->plan->reps];
			char flags[512];

			flags_string(c, rr->flags_mask, rr->note, NULL, flags, sizeof(flags));
			fprintf(af.f, "%.*s,%s\n", (int)(comma - line), line, flags);
			k++;
		}
	}
	free(line);
	rc = ferror(in) ? -EIO : 0;
	fclose(in);
	if (rc || k != r->nwritten) {
		atomic_file_abort(&af);
		return rc ? rc : -EPROTO;	/* a row count that is not the one written */
	}
	return atomic_file_commit(&af, 0);
}

void report_close(struct report *r)
{
	if (r->results)
		csv_writer_close(r->results);
	r->results = NULL;
	free(r->reps);
	r->reps = NULL;
	free(r->written);
	r->written = NULL;
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
