/*
 * dmabench compare: the output (bench/compare.h): compare.csv (written
 * whole under a temporary name, or through a temporary file to stdout for
 * --out=-) and the table.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compare.h"
#include "flag.h"
#include "runcsv.h"

static const char *const out_cols[] = {
	"scenario", "strategy", "mode", "invalidation", "sharing", "placement", "home_node", "threads",
	"in", "a_reps", "b_reps", "a_median_ns", "b_median_ns", "ratio", "ratio_ci_lo", "ratio_ci_hi",
	"p_value", "verdict", "a_floor_ns", "b_floor_ns", "a_norm", "b_norm", "norm_ratio",
	"basis", "raw_ratio", "b_run", "b_machine", "metric", "interval",
};

static void add_num(struct csv_row *r, double v, int digits)
{
	csv_row_add_double_prec(r, v, digits);	/* NAN: an empty cell */
}

int write_csv(const char *out, const struct row *rows, size_t n, bool norm, const struct run *runs,
		     struct failure *f)
{
	struct csv_writer *w;
	struct csv_row r = CSV_ROW_INIT;
	int rc;

	rc = csv_writer_open(&w, out, out_cols, sizeof(out_cols) / sizeof(out_cols[0]), CSV_ATOMIC);
	if (rc)
		return failf(f, 1, PROG ": %s: cannot write: %s", out, strerror(-rc));
	for (size_t i = 0; i < n && !rc; i++) {
		const struct row *x = &rows[i];
		const struct cfg *c = x->a ? x->a : x->b;
		double an = NAN, bn = NAN;

		for (int k = 0; k < NKEY; k++)
			csv_row_add_str(&r, c->key[k]);
		csv_row_add_str(&r, x->a && x->b ? "both" : x->a ? "A" : "B");
		if (x->a) csv_row_add_uint(&r, x->a->n); else csv_row_add_empty(&r);
		if (x->b) csv_row_add_uint(&r, x->b->n); else csv_row_add_empty(&r);
		add_num(&r, x->a ? x->a->median : NAN, 6);
		add_num(&r, x->b ? x->b->median : NAN, 6);
		add_num(&r, x->ratio.point, 5);
		add_num(&r, x->ratio.lo, 5);
		add_num(&r, x->ratio.hi, 5);
		add_num(&r, x->p, 4);
		csv_row_add_str(&r, x->verdict);
		if (norm) {
			if (x->a) an = x->a->median / x->a->floor;
			if (x->b) bn = x->b->median / x->b->floor;
		}
		add_num(&r, norm && x->a ? x->a->floor : NAN, 6);
		add_num(&r, norm && x->b ? x->b->floor : NAN, 6);
		add_num(&r, an, 5);
		add_num(&r, bn, 5);
		add_num(&r, bn / an, 5);
		csv_row_add_str(&r, x->basis);
		add_num(&r, x->raw_ratio, 5);
		csv_row_add_uint(&r, (unsigned int)x->brun);
		csv_row_add_str(&r, runs[x->brun].machine);
		csv_row_add_str(&r, runs[0].metric_col);
		csv_row_add_str(&r, x->interval);
		rc = csv_writer_write_row(w, &r);
	}
	csv_row_free(&r);
	if (rc) {
		csv_writer_abort(w);
		return failf(f, 1, PROG ": %s: writing failed: %s", out, strerror(-rc));
	}
	rc = csv_writer_close(w);
	if (rc)
		return failf(f, 1, PROG ": %s: writing failed: %s", out, strerror(-rc));
	return 0;
}

static int width(const struct row *rows, size_t n, int k, int min)
{
	int w = min;

	for (size_t i = 0; i < n; i++) {
		const struct cfg *c = rows[i].a ? rows[i].a : rows[i].b;
		int l = (int)strlen(c->key[k]);

		if (l > w)
			w = l;
	}
	return w;
}

/* "A: DIR (machine M, run R)", control characters escaped (flag_quote) */
static void print_run_line(FILE *to, const struct run *r)
{
	char d[PATH_MAX * 4 + 8], m[1024], id[1024];

	fprintf(to, "%s: %s (machine %s, run %s)\n", r->label, flag_quote(r->dir, d, sizeof(d)),
		flag_quote(r->machine, m, sizeof(m)), flag_quote(r->run_id, id, sizeof(id)));
}

void print_table(FILE *to, const struct run *runs, int nruns, const struct row *rows, size_t n,
		 bool norm, const struct args *a, bool use_floor)
{
	double alpha = a->alpha;
	int ws = width(rows, n, K_SCENARIO, 8), wp = width(rows, n, K_PLACEMENT, 9),
	    wi = width(rows, n, K_INVALIDATION, 5), wh = width(rows, n, K_SHARING, 7),
	    wm = width(rows, n, K_MODE, 4), wt = width(rows, n, K_STRATEGY, 8);
	size_t nf = 0, ns = 0, nn = 0, na = 0, nb = 0, nd = 0, nweak = 0, ndist = 0;
	char ci_head[32];

	snprintf(ci_head, sizeof(ci_head), "[%g%% CI]", (1 - alpha) * 100);

	for (int k = 0; k < nruns; k++)
		print_run_line(to, &runs[k]);
	fprintf(to, "per repetition: %s (%s)\n", runs[0].metric_col,
		strcmp(runs[0].metric_col, "ns_per_op") ? "--metric=p50: the median batch's ns per call"
							 : "the window's mean ns per call; --metric=p50 for its median batch");
	if (use_floor)
		fprintf(to, "basis floor: each repetition's ns / ns of none at 1 thread in the same run and repetition; "
			"basis scale: B's ns / the none rows' drift (drift that moves a whole run cancels); basis raw: ns\n");
	else
		fprintf(to, "basis: ns per call (--drift=none)\n");
	if (a->blocks) {
		fprintf(to, "ratio = Hodges-Lehmann of each block (the median of its quotients of a B value over an A value), "
			"the blocks' estimates combined by the Wilcoxon signed-rank test: its estimate and %g%% interval "
			"(--blocks); faster/slower when its p < %g (--alpha) and the interval excludes 1 (raw "
			"none/1-thread rows: 1 +/- %.0f%%)\n", (1 - alpha) * 100, alpha, ANCHOR_BAND * 100);
	} else {
		if (a->interval == INTERVAL_HL)
			fprintf(to, "ratio = Hodges-Lehmann, the median of every quotient of a B value over an A value of the "
				"basis, with the %g%% interval that inverts the rank test (--interval=hl)", (1 - alpha) * 100);
		else
			fprintf(to, "ratio = median B / median A of the basis, with its %g%% bootstrap interval (seed %llu, "
				"--interval=bootstrap)", (1 - alpha) * 100, (unsigned long long)a->seed);
		fprintf(to, "; faster/slower when Mann-Whitney p < %g (--alpha) and the interval excludes 1 "
			"(raw none/1-thread rows: 1 +/- %.0f%%)\n", alpha, ANCHOR_BAND * 100);
	}
	if (norm)
		fprintf(to, "different machines: A/floor and B/floor divide each median by its own run's none, 1-thread median; "
			"the verdict is on the floor basis\n");
	fprintf(to, "%s%-*s %-*s %-*s %-*s %4s %-*s %-*s %7s %10s %10s %7s %-16s %7s %-5s %s%s\n", nruns > 2 ? "run " : "",
	       ws, "scenario", wp, "placement", wi, "inval", wh, "sharing", "home", wm, "mode", wt, "strategy",
	       "threads", "A ns", "B ns", "ratio", ci_head, "p", "basis", norm ? "A/floor  B/floor  " : "", "verdict");
	for (size_t i = 0; i < n; i++) {
		const struct row *x = &rows[i];
		const struct cfg *c = x->a ? x->a : x->b;
		char a[32] = "-", b[32] = "-", r[32] = "-", ci[64] = "", p[32] = "-", nm[64] = "";

		if (x->a && !isnan(x->a->median)) snprintf(a, sizeof(a), "%.2f", x->a->median);
		if (x->b && !isnan(x->b->median)) snprintf(b, sizeof(b), "%.2f", x->b->median);
		if (!isnan(x->ratio.point)) {
			snprintf(r, sizeof(r), "%.3f", x->ratio.point);
			snprintf(ci, sizeof(ci), "[%.3f, %.3f]", x->ratio.lo, x->ratio.hi);
		}
		if (!isnan(x->p)) snprintf(p, sizeof(p), "%.3g", x->p);
		if (norm) {
			double an = x->a ? x->a->median / x->a->floor : NAN;
			double bn = x->b ? x->b->median / x->b->floor : NAN;

			char sa[16] = "-", sb[16] = "-";

			if (!isnan(an)) snprintf(sa, sizeof(sa), "%.3f", an);
			if (!isnan(bn)) snprintf(sb, sizeof(sb), "%.3f", bn);
			snprintf(nm, sizeof(nm), "%7s  %7s  ", sa, sb);
		}
		if (nruns > 2)
			fprintf(to, "B%-2d ", x->brun);
		fprintf(to, "%-*s %-*s %-*s %-*s %4s %-*s %-*s %7s %10s %10s %7s %-16s %7s %-5s %s%s\n",
		       ws, c->key[K_SCENARIO], wp, c->key[K_PLACEMENT], wi, c->key[K_INVALIDATION],
		       wh, c->key[K_SHARING], c->key[K_HOME_NODE], wm, c->key[K_MODE], wt, c->key[K_STRATEGY],
		       c->key[K_THREADS], a, b, r, ci, p, x->basis[0] == 'r' && x->basis[2] == 'f' ? "ref" : x->basis,
		       nm, x->verdict);
		if (!x->a) nb++;
		else if (!x->b) na++;
		else if (!strcmp(x->verdict, "faster")) nf++;
		else if (!strcmp(x->verdict, "slower")) ns++;
		else if (!strcmp(x->verdict, "no-data")) nd++;
		else if (!strcmp(x->verdict, "too-disturbed")) ndist++;
		else nn++;
		if (x->a && x->b && x->a->n && x->b->n && !x->could_be_significant)
			nweak++;
	}
	fprintf(to, "%zu configurations: %zu faster, %zu slower, %zu no significant difference, ", n, nf, ns, nn);
	if (ndist)
		fprintf(to, "%zu too disturbed to judge (half or more of a side's repetitions flagged), ", ndist);
	fprintf(to, "%zu only in A, %zu only in B%s\n", na, nb, nd ? " (some without data)" : "");
	if (ndist && 4 * ndist >= n)
		fprintf(to, "note: %zu of %zu configurations could not be judged (the host flagged half or more of their "
			"repetitions): more repetitions (--reps) keep enough clean ones; --disturbed=keep judges them with "
			"their flagged repetitions\n", ndist, n);
	if (nweak && a->blocks)
		fprintf(to, "note: %zu configurations have too few blocks for p < %g to be possible "
		       "(%u at least): they cannot be called faster or slower\n", nweak, alpha,
		       compare_min_blocks(alpha));
	else if (nweak)
		fprintf(to, "note: %zu configurations have too few repetitions for p < %g to be possible "
		       "(%u a side at least): they cannot be called faster or slower\n", nweak, alpha,
		       compare_min_clean(alpha));
}

/* --out=-: the CSV goes through a temporary file (the writer's atomic
 * rename keeps it whole), then to stdout. */
int write_csv_stdout(const struct row *rows, size_t n, bool norm, const struct run *runs,
			    struct failure *f)
{
	char tmp[] = "/tmp/dmabench-compare.XXXXXX", path[64], buf[65536];
	int fd = mkstemp(tmp), rc;
	size_t got;
	FILE *in;

	if (fd < 0)
		return failf(f, 1, PROG ": --out=-: no temporary file: %s", strerror(errno));
	close(fd);
	snprintf(path, sizeof(path), "%s", tmp);
	rc = write_csv(path, rows, n, norm, runs, f);
	if (rc) {
		unlink(path);
		return rc;
	}
	in = fopen(path, "r");
	unlink(path);
	if (!in)
		return failf(f, 1, PROG ": --out=-: %s", strerror(errno));
	while ((got = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, got, stdout) != got)
			break;
	fclose(in);
	if (fflush(stdout) || ferror(stdout))
		return failf(f, 1, PROG ": --out=-: writing to stdout failed");
	return 0;
}
