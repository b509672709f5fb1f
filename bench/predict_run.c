/*
 * dmabench predict: the run's costs (bench/predict.h). summary.csv's
 * 1-thread medians, one per key; machine.txt's inv_ns; runlength.csv's
 * run lengths, and the choice of R for a row.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness/runlen.h"
#include "predict.h"

int load_run(const char *dir, struct prun *r, struct pkey **keys, unsigned int *nkeys)
{
	char path[PATH_MAX], err[256];
	struct pkey *k;

	memset(r, 0, sizeof(*r));
	*keys = NULL;
	*nkeys = 0;
	if (!predict_is_dir(dir))
		return predict_bad("--run", dir, "not a directory");
	(void)pfmt(path, sizeof(path), "%s/summary.csv", dir);
	if (csv_read_file(path, &r->sum, err, sizeof(err)))
		return predict_bad("--run", dir, "no readable summary.csv");
	r->have_sum = true;
	r->c_scen = csv_col(&r->sum, "scenario");
	r->c_strat = csv_col(&r->sum, "strategy");
	r->c_mode = csv_col(&r->sum, "mode");
	r->c_inv = csv_col(&r->sum, "invalidation");
	r->c_share = csv_col(&r->sum, "sharing");
	r->c_place = csv_col(&r->sum, "placement");
	r->c_threads = csv_col(&r->sum, "threads");
	r->c_ns = csv_col(&r->sum, "ns_per_op_median");
	if (r->c_scen < 0 || r->c_strat < 0 || r->c_mode < 0 || r->c_inv < 0 ||
	    r->c_share < 0 || r->c_place < 0 || r->c_threads < 0 || r->c_ns < 0)
		return predict_bad("--run", dir, "summary.csv lacks the key columns");
	k = calloc(csv_rows(&r->sum) + 1, sizeof(*k));
	if (!k)
		return 1;
	for (size_t i = 0; i < csv_rows(&r->sum); i++) {
		struct pkey key;
		double ns;
		bool dup = false;

		if (strcmp(csv_cell(&r->sum, i, (size_t)r->c_threads), "1") ||
		    csv_cell_double(&r->sum, i, (size_t)r->c_ns, &ns) || !(ns > 0))
			continue;
		memset(&key, 0, sizeof(key));
		snprintf(key.scenario, sizeof(key.scenario), "%s", csv_cell(&r->sum, i, (size_t)r->c_scen));
		snprintf(key.strategy, sizeof(key.strategy), "%s", csv_cell(&r->sum, i, (size_t)r->c_strat));
		snprintf(key.mode, sizeof(key.mode), "%s", csv_cell(&r->sum, i, (size_t)r->c_mode));
		snprintf(key.invalidation, sizeof(key.invalidation), "%s", csv_cell(&r->sum, i, (size_t)r->c_inv));
		snprintf(key.sharing, sizeof(key.sharing), "%s", csv_cell(&r->sum, i, (size_t)r->c_share));
		key.c1_ns = ns;
		/* one thread is the same on every placement: the first row counts */
		for (unsigned int j = 0; j < *nkeys; j++)
			dup |= !strcmp(k[j].scenario, key.scenario) && !strcmp(k[j].strategy, key.strategy) &&
			       !strcmp(k[j].mode, key.mode) && !strcmp(k[j].invalidation, key.invalidation) &&
			       !strcmp(k[j].sharing, key.sharing);
		if (!dup)
			k[(*nkeys)++] = key;
	}
	if (!*nkeys) {
		free(k);
		return predict_bad("--run", dir, "summary.csv has no 1-thread row with a figure");
	}
	*keys = k;
	r->inv_ns = NAN;
	(void)pfmt(path, sizeof(path), "%s/machine.txt", dir);
	{
		FILE *f = fopen(path, "r");
		char line[256];

		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "inv_ns: ", 8)) {
				char *end;
				double v = strtod(line + 8, &end);

				if (end != line + 8 && isfinite(v) && v >= 0)
					r->inv_ns = v;
			}
		if (f)
			fclose(f);
	}
	(void)pfmt(path, sizeof(path), "%s/runlength.csv", dir);
	if (predict_is_file(path) && !csv_read_file(path, &r->rl, err, sizeof(err)))
		r->have_rl = csv_col(&r->rl, "run_length") >= 0 && csv_col(&r->rl, "threads") >= 0 &&
			     csv_col(&r->rl, "placement") >= 0;
	return 0;
}

void free_run(struct prun *r)
{
	if (r->have_sum)
		csv_free(&r->sum);
	if (r->have_rl)
		csv_free(&r->rl);
}

/* The measured figure of a key at (placement, threads), NAN if none. */
double measured_ns(const struct prun *r, const struct pkey *k, const char *placement,
		   int threads)
{
	char tn[16];

	if (!r->have_sum)
		return NAN;
	snprintf(tn, sizeof(tn), "%d", threads);
	for (size_t i = 0; i < csv_rows(&r->sum); i++) {
		double ns;

		if (!strcmp(csv_cell(&r->sum, i, (size_t)r->c_scen), k->scenario) &&
		    !strcmp(csv_cell(&r->sum, i, (size_t)r->c_strat), k->strategy) &&
		    !strcmp(csv_cell(&r->sum, i, (size_t)r->c_mode), k->mode) &&
		    !strcmp(csv_cell(&r->sum, i, (size_t)r->c_inv), k->invalidation) &&
		    !strcmp(csv_cell(&r->sum, i, (size_t)r->c_share), k->sharing) &&
		    (threads == 1 || !strcmp(csv_cell(&r->sum, i, (size_t)r->c_place), placement)) &&
		    !strcmp(csv_cell(&r->sum, i, (size_t)r->c_threads), tn) &&
		    !csv_cell_double(&r->sum, i, (size_t)r->c_ns, &ns))
			return ns;
	}
	return NAN;
}

static const char *rl_cell(const struct csv_table *t, size_t i, int col)
{
	return col < 0 ? "" : csv_cell(t, i, (size_t)col);
}

/*
 * R for a row: in fetch-adds (x->r_fa, the run_length column) and in calls
 * (x->r_calls, what the model divides the handoff by). In order:
 *   --run-length (fetch-adds, divided by rpc): "given";
 *   the run's call-shaped calibration of this key (scenario, strategy, mode,
 *   sharing) at this placement and thread count (own machine only):
 *   "call-shaped", R in calls directly; else that key's one at the most
 *   threads: "call-shaped-run-N-threads" (not with --c1-ns: a bare counter
 *   is what the bare loop measures);
 *   the bare fetch-add loop's at this placement and thread count (own
 *   machine only): "bare", divided by rpc; else the bare one at the most
 *   threads: "bare-run-N-threads";
 *   else NAN: "random" (or "none" at one thread).
 * With it, from the same row: x->eta, the stream efficiency (the eta
 * column; NAN in a run from before it), and on the own machine with an
 * exact match x->state_rt, the pair round trip the calibration was taken
 * at (pair_rt_ns). For the lo edge, x->r_lo_calls and x->eta_lo: the bare
 * loop's R in calls and its stream efficiency, taken right after the
 * call-shaped row (its bare_r_calls, bare_eta: the same host placement),
 * else from the bare rows at the same placement and thread count (own
 * machine), else at their most threads. A row whose overlap column says the
 * threads hardly ran together (RUNLEN_MIN_OVERLAP) is not used. An old
 * runlength.csv (no calibration column) is all bare rows.
 */
struct rl_cols {
	int cp, ct, cr, ck, cs, cst, cm, csh, crc, cov, ceta, cprt, cbr, cbe;
};

static double cell_or_nan(const struct csv_table *t, size_t i, int col)
{
	double v;

	return col >= 0 && !csv_cell_double(t, i, (size_t)col, &v) ? v : NAN;
}

/* The row of pass (call-shaped or bare) for k at placement/threads, or at its most threads. */
static long find_rl_row(const struct csv_table *t, const struct rl_cols *c, bool shaped, bool own,
			const struct pkey *k, const char *placement, int threads, bool *exact,
			int *best_n)
{
	long best = -1;

	*best_n = 0;
	*exact = false;
	for (size_t i = 0; i < csv_rows(t); i++) {
		const char *kind = rl_cell(t, i, c->ck);
		double v, n, ov;

		if (shaped ? strcmp(kind, "call-shaped") : (*kind && strcmp(kind, "bare")))
			continue;
		if (shaped && (strcmp(rl_cell(t, i, c->cs), k->scenario) ||
			       strcmp(rl_cell(t, i, c->cst), k->strategy) ||
			       strcmp(rl_cell(t, i, c->cm), k->mode) ||
			       strcmp(rl_cell(t, i, c->csh), k->sharing)))
			continue;
		if (c->cov >= 0 && !csv_cell_double(t, i, (size_t)c->cov, &ov) && ov < RUNLEN_MIN_OVERLAP)
			continue;
		if (csv_cell_double(t, i, (size_t)(shaped ? c->crc : c->cr), &v) || !(v > 0) ||
		    csv_cell_double(t, i, (size_t)c->ct, &n))
			continue;
		if (own && (int)n == threads && !strcmp(rl_cell(t, i, c->cp), placement)) {
			*exact = true;
			*best_n = (int)n;
			return (long)i;
		}
		if ((int)n > *best_n) {
			*best_n = (int)n;
			best = (long)i;
		}
	}
	return best;
}

void run_length_for(const struct popts *o, const struct prun *r, bool own,
		    const struct pkey *k, const char *placement, int threads, double rpc,
		    struct prl *x)
{
	const struct csv_table *t = r ? &r->rl : NULL;
	struct rl_cols c;
	bool exact;
	int best_n;
	long row;

	x->r_fa = x->r_calls = x->eta = x->state_rt = x->r_lo_calls = x->eta_lo = NAN;
	if (o->have_r) {
		snprintf(x->src, sizeof(x->src), "given");
		x->r_fa = o->run_length;
		x->r_calls = o->run_length / rpc;
		return;
	}
	if (threads < 2 || !r || !r->have_rl) {
		snprintf(x->src, sizeof(x->src), threads < 2 ? "none" : "random");
		return;
	}
	c = (struct rl_cols){
		.cp = csv_col(t, "placement"), .ct = csv_col(t, "threads"),
		.cr = csv_col(t, "run_length"), .ck = csv_col(t, "calibration"),
		.cs = csv_col(t, "scenario"), .cst = csv_col(t, "strategy"),
		.cm = csv_col(t, "mode"), .csh = csv_col(t, "sharing"),
		.crc = csv_col(t, "r_calls"), .cov = csv_col(t, "overlap"),
		.ceta = csv_col(t, "eta"), .cprt = csv_col(t, "pair_rt_ns"),
		.cbr = csv_col(t, "bare_r_calls"), .cbe = csv_col(t, "bare_eta"),
	};
	/* the lo edge's runs: the bare loop's, in calls */
	row = find_rl_row(t, &c, false, own, k, placement, threads, &exact, &best_n);
	if (row >= 0) {
		x->r_lo_calls = cell_or_nan(t, (size_t)row, c.cr) / rpc;
		x->eta_lo = cell_or_nan(t, (size_t)row, c.ceta);
	}
	/* pass 0: call-shaped rows of this key; pass 1: bare rows */
	for (int pass = 0; pass < 2; pass++) {
		bool shaped = pass == 0;

		if (shaped && (c.ck < 0 || c.crc < 0 || c.cs < 0 || c.cst < 0 || c.cm < 0 || c.csh < 0 ||
			       o->have_c1))
			continue;
		row = find_rl_row(t, &c, shaped, own, k, placement, threads, &exact, &best_n);
		if (row < 0)
			continue;
		if (exact)
			snprintf(x->src, sizeof(x->src), shaped ? "call-shaped" : "bare");
		else
			snprintf(x->src, sizeof(x->src), "%s-run-%d-threads", shaped ? "call-shaped" : "bare",
				 best_n);
		x->r_fa = cell_or_nan(t, (size_t)row, c.cr);
		x->r_calls = shaped ? cell_or_nan(t, (size_t)row, c.crc) : x->r_fa / rpc;
		x->eta = cell_or_nan(t, (size_t)row, c.ceta);
		if (exact)
			x->state_rt = cell_or_nan(t, (size_t)row, c.cprt);
		/* a call-shaped row carries the bare loop taken right after it */
		if (shaped && cell_or_nan(t, (size_t)row, c.cbr) > 0) {
			x->r_lo_calls = cell_or_nan(t, (size_t)row, c.cbr);
			x->eta_lo = cell_or_nan(t, (size_t)row, c.cbe);
		}
		return;
	}
	snprintf(x->src, sizeof(x->src), "random");
}
