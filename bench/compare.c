/*
 * bench/compare.c — `dmabench compare A B [RUN...] [--out=FILE|-] [--seed=N]
 * [--min-effect=PCT] [--drift=floor|scale|none] [--fail-on=KIND] [--no-plot]`:
 * run directories, from one machine or several, into one table of ratios
 * with their confidence, compare.csv, and overlay plots. A is the baseline;
 * every other run is compared with it (b_run says which).
 *
 * Join. Each run's results.csv (columns found by name; schema 1) is grouped
 * by the configuration key — scenario, strategy, mode, invalidation,
 * sharing, placement, home_node, threads — into the ns_per_op of its
 * repetitions with their rep numbers (an empty cell, an unavailable figure,
 * is left out and the repetition count says so). For every configuration
 * both runs have:
 *   - A's and B's median ns per call, and raw_ratio = median(B)/median(A);
 *   - the basis of the verdict. floor (the default, and always between
 *     machines): each repetition divided by the repetition of the same
 *     number of its run's floor — strategy none, 1 thread, the same
 *     scenario, invalidation, sharing, placement and home node (kdump rows
 *     use the normal-mode floor) — so drift that moves a whole run cancels.
 *     The floor rows themselves: raw, with the interval required beyond
 *     1 +/- ANCHOR_BAND (one machine), or "reference" (no verdict, between
 *     machines). scale (--drift=scale): B's repetitions divided by the
 *     median over thread counts of the floor rows' median(B)/median(A).
 *     raw (--drift=none, or a run without none rows): ns as measured;
 *   - ratio = median(B)/median(A) of the basis and its 95% percentile-
 *     bootstrap interval (STATS_BOOT_DEFAULT_ITERS resamples of each side);
 *     the seed is --seed mixed with the configuration key;
 *   - the two-sided Mann-Whitney U p-value on the basis (exact when the
 *     sides are small and untied, src/harness/stats.h);
 *   - the verdict: "slower" (B takes longer per call) or "faster" only when
 *     p < 0.05 AND the interval lies beyond 1 (+/- --min-effect);
 *     otherwise "no-significant-difference". With 3 repetitions a side the
 *     smallest possible p is 0.1, so nothing can be significant; the table
 *     says how many rows were in that case;
 *   - between machines, a_norm/b_norm: each median over its own run's floor.
 * A configuration only one run has is listed ("only in A", "only in B").
 *
 * Output: the table on stdout; compare.csv (--out, default ./compare.csv,
 * written under a temporary name and renamed; never inside a run); overlay
 * plots beside it, in <out without .csv>-plots/, drawn by
 * scripts/compare-plot.sh (a panel per strategy, a line per run), unless
 * --no-plot. --out=-: the CSV on stdout, the table on stderr, no plots.
 * Exit: 0 done; 1 a verdict of the --fail-on kind was found (slower,
 * faster, any), or a failure at run time (memory, writing, drawing); 2 bad
 * input (one line on stderr: a missing directory or file, a malformed CSV,
 * a missing column, differing schema versions, a run with no configuration
 * in common with A, a bad flag).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness/csv.h"
#include "harness/stats.h"
#include "runcsv.h"
#include "strategy/strategy.h"

int compare_main(int argc, char **argv);

extern char **environ;

#define PROG		"dmabench compare"
#define SCHEMA		1
#define LEVEL		0.95
#define ALPHA		0.05

enum { K_SCENARIO, K_STRATEGY, K_MODE, K_INVALIDATION, K_SHARING, K_PLACEMENT,
       K_HOME_NODE, K_THREADS, NKEY };
static const char *const key_names[NKEY] = {
	"scenario", "strategy", "mode", "invalidation", "sharing", "placement",
	"home_node", "threads",
};

/* One configuration of one run: its key and the ns_per_op of its repetitions. */
struct cfg {
	const char *key[NKEY];		/* cell text, owned by the run's table */
	long long home, threads;
	unsigned int strat;		/* position in strategy_table; strategy_count if unknown */
	size_t row;			/* first row, for messages */
	const double *ns;		/* usable repetitions */
	const long long *rep;		/* their repetition numbers */
	size_t n;
	long long rep_one;		/* while loading: this row's rep */
	const struct cfg *floor_cfg;	/* the none/1-thread configuration of its run, or NULL */
	double *x;			/* ns / the floor's ns in the same repetition */
	size_t nx;
	size_t nrows;			/* repetitions including empty cells */
	double median;			/* NAN when n == 0 */
	double floor;			/* the none/1-thread median of its run, or NAN */
};

struct run {
	const char *label;		/* "A" or "B" */
	const char *dir;
	char path[PATH_MAX];
	struct csv_table t;
	long long schema;
	const char *machine, *run_id;	/* of the first row */
	struct cfg *cfg;
	size_t ncfg;
	double *vals;
	long long *repv;
};

#define MAX_RUNS	64

enum fail_on { FAIL_ON_NONE, FAIL_ON_SLOWER, FAIL_ON_FASTER, FAIL_ON_ANY };
enum drift { DRIFT_FLOOR, DRIFT_SCALE, DRIFT_NONE };

/* The floor configuration (none, 1 thread) of a run between runs of one
 * machine: compared on raw ns, its verdict needs the interval beyond 1 +/-
 * this band (the drift between runs measured on an idle VM: 1-10%). */
#define ANCHOR_BAND	0.05

struct args {
	const char *dir[MAX_RUNS];
	int nruns;
	enum fail_on fail_on;
	enum drift drift;
	const char *out;
	uint64_t seed;
	bool plot;
	double min_effect;		/* --min-effect, as a fraction: 0 = any difference */
};

/* The one-line message and the exit status the caller returns. */
struct failure {
	char msg[1024];
};

static int failf(struct failure *f, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int failf(struct failure *f, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- the command line ---- */

static void usage(FILE *to)
{
	fprintf(to,
"usage: dmabench compare A B [RUN...] [--out=FILE|-] [--seed=N] [--min-effect=PCT]\n"
"                        [--drift=floor|none] [--fail-on=slower|faster|any] [--no-plot]\n"
"  A B RUN...  run directories (each with results.csv), from one machine or several;\n"
"              A is the baseline every other run is compared with\n"
"  --out=FILE  the joined table as CSV (default ./compare.csv; not inside a run);\n"
"              overlay plots go beside it, in FILE without .csv, plus -plots/.\n"
"              --out=- writes the CSV to stdout, the table to stderr, and no plots\n"
"  --seed=N    seeds the bootstrap (default 1)\n"
"  --min-effect=PCT  a difference must also be at least PCT%% with confidence: the\n"
"              interval must lie wholly beyond 1 +/- PCT/100 (default 0)\n"
"  --drift=floor  (default) each repetition is divided by strategy none, 1 thread, of\n"
"              the same run and repetition before comparing: drift that moves a whole\n"
"              run cancels. The none/1-thread rows themselves are compared on raw ns\n"
"              and need the interval beyond 1 +/- %.0f%% (or --min-effect). Between\n"
"              machines the floor-normalised ratio is always the one judged\n"
"  --drift=scale  B's repetitions are divided by the run-to-run drift of the floor:\n"
"              the median over thread counts of median(B)/median(A) of strategy none\n"
"              (same scenario, invalidation, sharing, placement, home node); the none\n"
"              rows themselves as with floor (one machine only)\n"
"  --drift=none   compare raw ns per call (one machine only)\n"
"  --fail-on=K exit 1 when a verdict of kind K is found: slower, faster or any\n"
"  --no-plot   no overlay plots\n"
"Verdict: faster/slower when the Mann-Whitney p < %.2g and the %.0f%% bootstrap interval\n"
"of the ratio (B over A) excludes 1 (and any band); otherwise no-significant-difference.\n"
"Exit: 0 done; 1 a --fail-on verdict was found, or a failure at run time; 2 bad input.\n",
		ANCHOR_BAND * 100, ALPHA, LEVEL * 100);
}

static int parse_args(struct args *a, int argc, char **argv, struct failure *f)
{
	int npos = 0;

	a->out = "compare.csv";
	a->seed = 1;
	a->plot = true;
	a->nruns = 0;
	a->fail_on = FAIL_ON_NONE;
	a->drift = DRIFT_FLOOR;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			return -1;
		} else if (!strncmp(s, "--out=", 6) || !strcmp(s, "--out")) {
			const char *v = s[5] == '=' ? s + 6 : (i + 1 < argc ? argv[++i] : NULL);

			if (!v || !*v)
				return failf(f, 2, PROG ": --out: expected a file name");
			a->out = v;
		} else if (!strncmp(s, "--seed=", 7) || !strcmp(s, "--seed")) {
			const char *v = s[6] == '=' ? s + 7 : (i + 1 < argc ? argv[++i] : NULL);
			long long x;

			if (!v || csv_parse_ll(v, &x) || x < 0 || v[0] == '+')
				return failf(f, 2, PROG ": --seed: invalid value '%s': expected a non-negative integer",
					     v ? v : "");
			a->seed = (uint64_t)x;
		} else if (!strncmp(s, "--min-effect=", 13) || !strcmp(s, "--min-effect")) {
			const char *v = s[12] == '=' ? s + 13 : (i + 1 < argc ? argv[++i] : NULL);
			double x;

			if (!v || csv_parse_double(v, &x) || !(x >= 0 && x < 100) || v[0] == '+')
				return failf(f, 2, PROG ": --min-effect: invalid value '%s': expected a percentage, 0 to 99",
					     v ? v : "");
			a->min_effect = x / 100.0;
		} else if (!strncmp(s, "--fail-on=", 10) || !strcmp(s, "--fail-on")) {
			const char *v = s[9] == '=' ? s + 10 : (i + 1 < argc ? argv[++i] : NULL);

			if (v && !strcmp(v, "slower"))
				a->fail_on = FAIL_ON_SLOWER;
			else if (v && !strcmp(v, "faster"))
				a->fail_on = FAIL_ON_FASTER;
			else if (v && !strcmp(v, "any"))
				a->fail_on = FAIL_ON_ANY;
			else
				return failf(f, 2, PROG ": --fail-on: invalid value '%.60s': expected slower, faster or any",
					     v ? v : "");
		} else if (!strncmp(s, "--drift=", 8) || !strcmp(s, "--drift")) {
			const char *v = s[7] == '=' ? s + 8 : (i + 1 < argc ? argv[++i] : NULL);

			if (v && !strcmp(v, "floor"))
				a->drift = DRIFT_FLOOR;
			else if (v && !strcmp(v, "scale"))
				a->drift = DRIFT_SCALE;
			else if (v && !strcmp(v, "none"))
				a->drift = DRIFT_NONE;
			else
				return failf(f, 2, PROG ": --drift: invalid value '%.60s': expected floor, scale or none",
					     v ? v : "");
		} else if (!strcmp(s, "--no-plot")) {
			a->plot = false;
		} else if (s[0] == '-' && s[1]) {
			return failf(f, 2, PROG ": unknown option %s (see dmabench compare --help)", s);
		} else {
			if (npos == MAX_RUNS)
				return failf(f, 2, PROG ": one run directory too many: %.200s (at most %d)", s, MAX_RUNS);
			a->dir[npos++] = s;
		}
	}
	if (npos < 2)
		return failf(f, 2, PROG ": need two run directories or more: dmabench compare A B [RUN...] [--out=FILE]");
	a->nruns = npos;
	return 0;
}

/* ---- reading a run ---- */

static int col_or_fail(struct run *r, const char *name, int *col, struct failure *f)
{
	*col = csv_col(&r->t, name);
	if (*col < 0)
		return failf(f, 2, PROG ": %s: %s: missing column %s", r->label, r->path, name);
	return 0;
}

/*
 * One line on stderr when the run's machine.txt does not say "status:
 * complete": a run killed (running), interrupted or failed compares only
 * the windows it finished.
 */
static void warn_status(const struct run *r)
{
	char path[PATH_MAX + 16], line[256], status[200] = "", esc[PATH_MAX * 4 + 2048];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/machine.txt", r->dir);
	fp = fopen(path, "re");
	if (fp) {
		struct stat st;

		/* a FIFO or device named machine.txt is not read */
		if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode)) {
			fclose(fp);
			fp = NULL;
		}
	}
	while (fp && fgets(line, sizeof(line), fp))
		if (!strncmp(line, "status: ", 8))
			snprintf(status, sizeof(status), "%.*s", (int)strcspn(line + 8, "\n"), line + 8);
	if (fp)
		fclose(fp);
	if (!strcmp(status, "complete"))
		return;
	if (status[0]) {
		char st[PATH_MAX + 400];

		snprintf(st, sizeof(st), "%s: status '%s', not complete: a run that did not finish",
			 path, status);
		fprintf(stderr, PROG ": warning: %s: %s\n", r->label, runcsv_escape(st, esc, sizeof(esc)));
	} else {
		fprintf(stderr, PROG ": warning: %s: %s: no status line (missing or unreadable): "
			"the run may not have finished\n", r->label, runcsv_escape(path, esc, sizeof(esc)));
	}
}

/* Load results.csv and its schema version (checked against the other run
 * before anything else is read). */
static int run_open(struct run *r, struct failure *f)
{
	char err[512];
	struct stat st;
	int c, rc;

	if (stat(r->dir, &st) && errno == ENOENT)
		return failf(f, 2, PROG ": %s: no such run directory: %s", r->label, r->dir);
	if (stat(r->dir, &st))	/* too long a name, a loop, no permission: say which */
		return failf(f, 2, PROG ": %s: cannot read the run directory (%s): %s", r->label,
			     strerror(errno), r->dir);
	if (!S_ISDIR(st.st_mode))
		return failf(f, 2, PROG ": %s: not a directory: %s", r->label, r->dir);
	if ((size_t)snprintf(r->path, sizeof(r->path), "%s/results.csv", r->dir) >= sizeof(r->path))
		return failf(f, 2, PROG ": %s: path too long: %s", r->label, r->dir);
	rc = runcsv_read(r->path, &r->t, err, sizeof(err));
	if (rc == -ENOENT)
		return failf(f, 2, PROG ": %s: %s: missing (not a run directory?)", r->label, r->path);
	if (rc == -ENOMEM)
		return failf(f, 1, PROG ": %s: %s", r->label, err);
	if (rc)
		return failf(f, 2, PROG ": %s: %s", r->label, err);
	if (col_or_fail(r, "schema", &c, f))
		return 2;
	if (!csv_rows(&r->t))
		return failf(f, 2, PROG ": %s: %s: no data rows", r->label, r->path);
	for (size_t i = 0; i < csv_rows(&r->t); i++) {
		long long v;

		if (csv_cell_ll(&r->t, i, c, &v))
			return failf(f, 2, PROG ": %s: %s: line %zu: schema: not an integer: '%s'",
				     r->label, r->path, r->t.row_line[i], csv_cell(&r->t, i, c));
		if (i && v != r->schema)
			return failf(f, 2, PROG ": %s: %s: line %zu: schema %lld after schema %lld",
				     r->label, r->path, r->t.row_line[i], v, r->schema);
		r->schema = v;
	}
	return 0;
}

static int mode_rank(const char *m)
{
	return strcmp(m, "normal") ? 1 : 0;
}

/* The display order, which is also the join order: both runs sort with it. */
static int cfg_cmp(const struct cfg *x, const struct cfg *y)
{
	static const int order[] = { K_SCENARIO, K_PLACEMENT, K_INVALIDATION, K_SHARING };
	int d;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((d = strcmp(x->key[order[i]], y->key[order[i]])))
			return d;
	if (x->home != y->home)
		return x->home < y->home ? -1 : 1;
	if ((d = mode_rank(x->key[K_MODE]) - mode_rank(y->key[K_MODE])))
		return d;
	if ((d = strcmp(x->key[K_MODE], y->key[K_MODE])))
		return d;
	if (x->strat != y->strat)
		return x->strat < y->strat ? -1 : 1;
	if ((d = strcmp(x->key[K_STRATEGY], y->key[K_STRATEGY])))
		return d;
	if (x->threads != y->threads)
		return x->threads < y->threads ? -1 : 1;
	return 0;
}

static int cfg_qsort_cmp(const void *a, const void *b)
{
	int d = cfg_cmp(a, b);

	if (d)
		return d;
	/* keep file order inside a configuration */
	return ((const struct cfg *)a)->row < ((const struct cfg *)b)->row ? -1 : 1;
}

static unsigned int strategy_pos(const char *name)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		if (!strcmp(strategy_table[i]->name, name))
			return i;
	return strategy_count;
}

/*
 * What dmabench writes in a key cell (names from its tables, numbers,
 * cpus:0+2+4): letters, digits, _ . : + - and not starting with . or a sign
 * other than '-' for a number. The plot scripts name files after them.
 */
static bool key_ok(const char *s)
{
	if (!*s || *s == '.' || *s == ':' || *s == '+')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("_.:+-", *s)))
			return false;
	return true;
}

/* Rows -> configurations, each with its usable ns_per_op values. */
static int run_load(struct run *r, struct failure *f)
{
	int kc[NKEY], c_ns, c_machine, c_run_id, c_rep;
	size_t n = csv_rows(&r->t), ncfg = 0, nvals = 0;
	struct cfg *rows;
	int rc;

	for (int k = 0; k < NKEY; k++)
		if (col_or_fail(r, key_names[k], &kc[k], f))
			return 2;
	{	/* the rules plot obeys too (runcsv.h), after the schema checks */
		char err[1024];

		rc = runcsv_check(&r->t, RUNCSV_RESULTS, r->path, err, sizeof(err));
		if (rc)
			return failf(f, rc == -ENOMEM ? 1 : 2, PROG ": %s: %s", r->label, err);
	}
	if (col_or_fail(r, "ns_per_op", &c_ns, f) || col_or_fail(r, "machine", &c_machine, f) ||
	    col_or_fail(r, "run_id", &c_run_id, f) || col_or_fail(r, "rep", &c_rep, f))
		return 2;
	r->machine = csv_cell(&r->t, 0, c_machine);
	r->run_id = csv_cell(&r->t, 0, c_run_id);

	rows = calloc(n, sizeof(*rows));
	r->vals = calloc(n, sizeof(*r->vals));
	r->repv = calloc(n, sizeof(*r->repv));
	if (!rows || !r->vals || !r->repv) {
		rc = failf(f, 1, PROG ": %s: out of memory", r->label);
		free(rows);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		struct cfg *c = &rows[i];
		size_t line = r->t.row_line[i];
		double v;

		c->row = i;
		for (int k = 0; k < NKEY; k++) {
			c->key[k] = csv_cell(&r->t, i, kc[k]);
			if (!key_ok(c->key[k])) {
				rc = failf(f, 2, PROG ": %s: %s: line %zu: %s: bad value '%.60s'",
					     r->label, r->path, line, key_names[k], c->key[k]);
				free(rows);	/* after the message: it quotes the rows */
				return rc;
			}
		}
		if (csv_cell_ll(&r->t, i, kc[K_HOME_NODE], &c->home) ||
		    csv_cell_ll(&r->t, i, kc[K_THREADS], &c->threads) || c->threads < 1) {
			rc = failf(f, 2, PROG ": %s: %s: line %zu: home_node '%s' / threads '%s': not an integer (threads >= 1)",
				     r->label, r->path, line, c->key[K_HOME_NODE], c->key[K_THREADS]);
			free(rows);	/* after the message: it quotes the rows */
			return rc;
		}
		if (csv_cell_ll(&r->t, i, c_rep, &c->rep_one) || c->rep_one < 1) {
			rc = failf(f, 2, PROG ": %s: %s: line %zu: rep: not a positive integer: '%.60s'",
				   r->label, r->path, line, csv_cell(&r->t, i, c_rep));
			free(rows);
			return rc;
		}
		c->strat = strategy_pos(c->key[K_STRATEGY]);
		rc = csv_cell_double(&r->t, i, c_ns, &v);
		if (rc == -ENODATA) {
			c->median = NAN;	/* unavailable: counted, not used */
		} else if (rc || !(v > 0) || !isfinite(v)) {
			rc = failf(f, 2, PROG ": %s: %s: line %zu: ns_per_op: not a positive number: '%s'",
				     r->label, r->path, line, csv_cell(&r->t, i, c_ns));
			free(rows);
			return rc;
		} else {
			c->median = v;		/* the row's value until grouped */
		}
	}
	qsort(rows, n, sizeof(*rows), cfg_qsort_cmp);

	/* group: reuse rows[] in place, a configuration per run of equal keys */
	for (size_t i = 0; i < n;) {
		size_t j = i, start = nvals;
		struct cfg c = rows[i];

		for (; j < n && !cfg_cmp(&rows[j], &rows[i]); j++)
			if (!isnan(rows[j].median)) {
				r->repv[nvals] = rows[j].rep_one;
				r->vals[nvals++] = rows[j].median;
			}
		c.ns = r->vals + start;
		c.rep = r->repv + start;
		c.n = nvals - start;
		c.nrows = j - i;
		c.median = NAN;
		c.floor = NAN;
		if (c.n && stats_median(c.ns, c.n, &c.median)) {
			rc = failf(f, 1, PROG ": %s: out of memory", r->label);
			free(rows);
			return rc;
		}
		rows[ncfg++] = c;
		i = j;
	}
	r->cfg = rows;
	r->ncfg = ncfg;
	return 0;
}

static void run_free(struct run *r)
{
	for (size_t i = 0; r->cfg && i < r->ncfg; i++)
		free(r->cfg[i].x);
	csv_free(&r->t);
	free(r->cfg);
	free(r->vals);
	free(r->repv);
}

/* strategy none, 1 thread, the same scenario/mode/invalidation/sharing/placement/home */
static const struct cfg *floor_of(const struct run *r, const struct cfg *c, const char *mode)
{
	static const int same[] = { K_SCENARIO, K_INVALIDATION, K_SHARING, K_PLACEMENT };

	for (size_t i = 0; i < r->ncfg; i++) {
		const struct cfg *x = &r->cfg[i];
		bool eq = x->threads == 1 && x->home == c->home &&
			  !strcmp(x->key[K_STRATEGY], "none") && !strcmp(x->key[K_MODE], mode);

		for (size_t k = 0; eq && k < sizeof(same) / sizeof(same[0]); k++)
			eq = !strcmp(x->key[same[k]], c->key[same[k]]);
		if (eq)
			return x;
	}
	return NULL;
}

/*
 * Each configuration's floor (none, 1 thread, same scenario, invalidation,
 * sharing, placement, home node; kdump rows use the normal-mode floor), its
 * median, and its repetitions divided by the floor's repetition of the same
 * number (x: drift that moves a whole run, or a whole round of repetitions,
 * cancels in the ratio). 0 or -ENOMEM.
 */
static int set_floors(struct run *r)
{
	for (size_t i = 0; i < r->ncfg; i++) {
		struct cfg *c = &r->cfg[i];
		const struct cfg *fl = floor_of(r, c, c->key[K_MODE]);

		if (!fl)
			fl = floor_of(r, c, "normal");
		c->floor_cfg = fl;
		c->floor = fl ? fl->median : NAN;
		if (!fl || fl == c || !c->n)
			continue;
		c->x = calloc(c->n, sizeof(*c->x));
		if (!c->x)
			return -ENOMEM;
		for (size_t k = 0; k < c->n; k++)
			for (size_t j = 0; j < fl->n; j++)
				if (fl->rep[j] == c->rep[k] && fl->ns[j] > 0) {
					c->x[c->nx++] = c->ns[k] / fl->ns[j];
					break;
				}
	}
	return 0;
}

/* ---- comparing ---- */

struct row {
	const struct cfg *a, *b;	/* either may be NULL: only in the other */
	int brun;			/* which run is B: 1 .. nruns-1 */
	const char *basis;		/* "floor": per-repetition floor-normalised; "raw": ns */
	double raw_ratio;		/* median(B) / median(A) of ns, whatever the basis */
	struct stats_ci ratio;		/* of the basis; NAN when not computed */
	double p;
	bool could_be_significant;	/* the rank test can reach p < ALPHA */
	const char *verdict;
};

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
static bool can_reach(size_t na, size_t nb)
{
	double comb = 1;

	for (size_t i = 1; i <= na; i++)
		comb = comb * (double)(nb + i) / (double)i;
	return 2.0 / comb < ALPHA;
}

/*
 * The basis of a row: "floor" (x, the repetitions over their run's floor)
 * when both sides have it and --drift=floor or the machines differ; the
 * floor rows themselves are "raw" (one machine: judged with ANCHOR_BAND) or,
 * between machines, "reference" (1 by definition: no verdict).
 */
static int compare_cfg(struct row *w, uint64_t seed, double min_effect, bool use_floor, bool machines,
		       double scale, struct failure *f)
{
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
	if (!a || !b) {
		w->verdict = a ? "only in A" : "only in B";
		return 0;
	}
	if (!a->n || !b->n) {
		w->verdict = "no-data";
		return 0;
	}
	w->raw_ratio = b->median / a->median;
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
	rc = stats_boot_median_ratio_ci(xa, na, xb, nb, LEVEL, 0, seed ^ key_hash(a), &w->ratio);
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
	w->could_be_significant = can_reach(na, nb);
	w->verdict = "no-significant-difference";
	if (w->p < ALPHA && (w->ratio.lo > 1 + band || w->ratio.hi < 1 - band))
		w->verdict = w->ratio.point > 1 ? "slower" : "faster";
	return 0;
}

/* ---- output ---- */

static const char *const out_cols[] = {
	"scenario", "strategy", "mode", "invalidation", "sharing", "placement", "home_node", "threads",
	"in", "a_reps", "b_reps", "a_median_ns", "b_median_ns", "ratio", "ratio_ci_lo", "ratio_ci_hi",
	"p_value", "verdict", "a_floor_ns", "b_floor_ns", "a_norm", "b_norm", "norm_ratio",
	"basis", "raw_ratio", "b_run", "b_machine",
};

static void add_num(struct csv_row *r, double v, int digits)
{
	csv_row_add_double_prec(r, v, digits);	/* NAN: an empty cell */
}

static int write_csv(const char *out, const struct row *rows, size_t n, bool norm, const struct run *runs,
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

/* "A: DIR (machine M, run R)", control characters escaped (runcsv_escape) */
static void print_run_line(FILE *to, const struct run *r)
{
	char d[PATH_MAX * 4 + 8], m[1024], id[1024];

	fprintf(to, "%s: %s (machine %s, run %s)\n", r->label, runcsv_escape(r->dir, d, sizeof(d)),
		runcsv_escape(r->machine, m, sizeof(m)), runcsv_escape(r->run_id, id, sizeof(id)));
}

static void print_table(FILE *to, const struct run *runs, int nruns, const struct row *rows, size_t n,
			bool norm, uint64_t seed, bool use_floor)
{
	int ws = width(rows, n, K_SCENARIO, 8), wp = width(rows, n, K_PLACEMENT, 9),
	    wi = width(rows, n, K_INVALIDATION, 5), wh = width(rows, n, K_SHARING, 7),
	    wm = width(rows, n, K_MODE, 4), wt = width(rows, n, K_STRATEGY, 8);
	size_t nf = 0, ns = 0, nn = 0, na = 0, nb = 0, nd = 0, nweak = 0;

	for (int k = 0; k < nruns; k++)
		print_run_line(to, &runs[k]);
	if (use_floor)
		fprintf(to, "ratio (basis floor) = median over repetitions of ns / ns of none at 1 thread in the same run and "
			"repetition, B over A; (basis scale) = median B / median A / the none rows' drift: drift that moves "
			"a whole run cancels; basis raw = median ns B / A\n");
	else
		fprintf(to, "ratio = median B / median A of ns per call (--drift=none)\n");
	fprintf(to, "%.0f%% bootstrap interval (seed %llu); faster/slower when Mann-Whitney p < %.2g and the interval "
		"excludes 1 (raw none/1-thread rows: 1 +/- %.0f%%)\n",
		LEVEL * 100, (unsigned long long)seed, ALPHA, ANCHOR_BAND * 100);
	if (norm)
		fprintf(to, "different machines: A/floor and B/floor divide each median by its own run's none, 1-thread median; "
			"the verdict is on the floor basis\n");
	fprintf(to, "%s%-*s %-*s %-*s %-*s %4s %-*s %-*s %7s %10s %10s %7s %-16s %7s %-5s %s%s\n", nruns > 2 ? "run " : "",
	       ws, "scenario", wp, "placement", wi, "inval", wh, "sharing", "home", wm, "mode", wt, "strategy",
	       "threads", "A ns", "B ns", "ratio", "[95% CI]", "p", "basis", norm ? "A/floor  B/floor  " : "", "verdict");
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
		else nn++;
		if (x->a && x->b && x->a->n && x->b->n && !x->could_be_significant)
			nweak++;
	}
	fprintf(to, "%zu configurations: %zu faster, %zu slower, %zu no significant difference, "
	       "%zu only in A, %zu only in B%s\n", n, nf, ns, nn, na, nb, nd ? " (some without data)" : "");
	if (nweak)
		fprintf(to, "note: %zu configurations have too few repetitions for p < %.2g to be possible "
		       "(4 a side at least): they cannot be called faster or slower\n", nweak, ALPHA);
}

/* ---- paths ---- */

/* realpath of the directory that will hold path */
static int dir_of(const char *path, char *out)
{
	char tmp[PATH_MAX], *slash;

	if (strlen(path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	strcpy(tmp, path);
	slash = strrchr(tmp, '/');
	if (!slash)
		strcpy(tmp, ".");
	else if (slash == tmp)
		tmp[1] = '\0';
	else
		*slash = '\0';
	return realpath(tmp, out) ? 0 : -errno;
}

static bool inside(const char *dir, const char *top)
{
	size_t l = strlen(top);

	if (l == 1 && top[0] == '/')
		return true;
	return !strncmp(dir, top, l) && (dir[l] == '\0' || dir[l] == '/');
}

static int check_out(const struct args *a, struct failure *f)
{
	char d[PATH_MAX], r[PATH_MAX];
	struct stat st;

	if (!strcmp(a->out, "-"))
		return 0;	/* stdout */
	if (dir_of(a->out, d))
		return failf(f, 2, PROG ": --out=%s: its directory does not exist", a->out);
	if (!stat(a->out, &st) && S_ISDIR(st.st_mode))
		return failf(f, 2, PROG ": --out=%s: is a directory (want a file name)", a->out);
	if (!strcmp(a->out, "-"))
		return 0;	/* stdout */
	for (int i = 0; i < a->nruns; i++)
		if (realpath(a->dir[i], r) && inside(d, r))
			return failf(f, 2, PROG ": --out=%s: inside run directory %s (%s); write it elsewhere",
				     a->out, i ? "B" : "A", a->dir[i]);
	return 0;
}

/* ---- overlay plots: scripts/compare-plot.sh ---- */

static bool find_script(const char *exe, char *out, size_t len)
{
	const char *env = getenv("DMABENCH_SCRIPTS");
	char dir[PATH_MAX];
	const char *rel[] = { "/../scripts", "/../../scripts", "/../../../scripts" };

	if (env && *env) {
		snprintf(out, len, "%s/compare-plot.sh", env);
		return !access(out, R_OK);
	}
	if (exe) {
		snprintf(dir, sizeof(dir), "%s", exe);
		if (strrchr(dir, '/'))
			*strrchr(dir, '/') = '\0';
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(out, len, "%s%s/compare-plot.sh", dir, rel[i]);
			if (!access(out, R_OK))
				return true;
		}
	}
	snprintf(out, len, "scripts/compare-plot.sh");
	return !access(out, R_OK);
}

static int draw_plots(const struct args *a, const struct run *runs, struct failure *f)
{
	static char labels[MAX_RUNS][PATH_MAX + 256];
	char exe[PATH_MAX], script[PATH_MAX + 32], plots[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t l = strlen(a->out);
	char *argv[MAX_RUNS + 5];
	pid_t pid;
	int st, rc, ac = 0;

	if (n > 0)
		exe[n] = '\0';
	if (!find_script(n > 0 ? exe : NULL, script, sizeof(script)))
		return failf(f, 1, PROG ": overlay plots: scripts/compare-plot.sh not found "
			     "(set DMABENCH_SCRIPTS, or use --no-plot)");
	if (l > 4 && !strcmp(a->out + l - 4, ".csv"))
		snprintf(plots, sizeof(plots), "%.*s-plots", (int)(l - 4), a->out);
	else
		snprintf(plots, sizeof(plots), "%s-plots", a->out);
	/* the script colours strategies by `dmabench --list`: this binary's table */
	if (n > 0)
		setenv("DMABENCH", exe, 1);
	argv[ac++] = "bash";
	argv[ac++] = script;
	argv[ac++] = (char *)a->out;
	argv[ac++] = plots;
	for (int k = 0; k < a->nruns; k++) {
		snprintf(labels[k], sizeof(labels[k]), "%s: %s (%s, run %s)", runs[k].label, runs[k].dir,
			 runs[k].machine, runs[k].run_id);
		argv[ac++] = labels[k];
	}
	argv[ac] = NULL;
	fflush(stdout);
	rc = posix_spawnp(&pid, "bash", NULL, NULL, argv, environ);
	if (rc)
		return failf(f, 1, PROG ": overlay plots: cannot run bash: %s", strerror(rc));
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return failf(f, 1, PROG ": overlay plots: waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return 1;	/* the script printed its own one-line reason */
	return 0;
}

/* ---- the command ---- */

/* --out=-: the CSV goes through a temporary file (the writer's atomic
 * rename keeps it whole), then to stdout. */
static int write_csv_stdout(const struct row *rows, size_t n, bool norm, const struct run *runs,
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

/* Rows of A against run k, appended to rows[*n]; 0, or 2 when none in common. */
static int join_pair(struct run *A, struct run *B, int k, struct row *rows, size_t *n, struct failure *f)
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
static double drift_scale(const struct row *rows, size_t from, size_t n, const struct row *w)
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

static bool fails_on(enum fail_on fo, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool slower = !strcmp(rows[i].verdict, "slower"), faster = !strcmp(rows[i].verdict, "faster");

		if ((fo == FAIL_ON_SLOWER && slower) || (fo == FAIL_ON_FASTER && faster) ||
		    (fo == FAIL_ON_ANY && (slower || faster)))
			return true;
	}
	return false;
}

static int compare(const struct args *a, struct failure *f)
{
	static char labels[MAX_RUNS][16];
	struct run *run = calloc((size_t)a->nruns, sizeof(*run));
	struct row *rows = NULL;
	size_t n = 0, total = 0;
	bool norm = false, to_stdout = !strcmp(a->out, "-");
	FILE *to = to_stdout ? stderr : stdout;
	int rc;

	if (!run)
		return failf(f, 1, PROG ": out of memory");
	for (int k = 0; k < a->nruns; k++) {
		if (k == 0)
			snprintf(labels[k], sizeof(labels[k]), "A");
		else if (a->nruns == 2)
			snprintf(labels[k], sizeof(labels[k]), "B");
		else
			snprintf(labels[k], sizeof(labels[k]), "B%d", k);
		run[k].label = labels[k];
		run[k].dir = a->dir[k];
	}
	if ((rc = check_out(a, f)))
		goto out;
	for (int k = 0; k < a->nruns; k++)
		if ((rc = run_open(&run[k], f)))
			goto out;
	for (int k = 1; k < a->nruns; k++)
		if (run[k].schema != run[0].schema) {
			rc = failf(f, 2, PROG ": schema mismatch: A=%lld %s=%lld", run[0].schema, run[k].label,
				   run[k].schema);
			goto out;
		}
	if (run[0].schema != SCHEMA) {
		rc = failf(f, 2, PROG ": schema %lld in %s runs; this dmabench reads schema %d", run[0].schema,
			   a->nruns == 2 ? "both" : "all", SCHEMA);
		goto out;
	}
	for (int k = 0; k < a->nruns; k++) {
		if ((rc = run_load(&run[k], f)))
			goto out;
		warn_status(&run[k]);
		if (set_floors(&run[k])) {
			rc = failf(f, 1, PROG ": out of memory");
			goto out;
		}
		total += run[k].ncfg;
		norm |= k > 0 && strcmp(run[0].machine, run[k].machine) != 0;
	}
	rows = calloc(total + run[0].ncfg * (size_t)a->nruns, sizeof(*rows));
	if (!rows) {
		rc = failf(f, 1, PROG ": out of memory");
		goto out;
	}
	for (int k = 1; k < a->nruns; k++) {
		size_t from = n;
		bool machines = strcmp(run[0].machine, run[k].machine) != 0;

		if ((rc = join_pair(&run[0], &run[k], k, rows, &n, f)))
			goto out;
		for (size_t i = from; i < n; i++)
			if ((rc = compare_cfg(&rows[i], a->seed, a->min_effect, a->drift == DRIFT_FLOOR || machines,
					      machines, a->drift == DRIFT_SCALE ? drift_scale(rows, from, n, &rows[i]) : NAN,
					      f)))
				goto out;
	}
	if (to_stdout)
		rc = write_csv_stdout(rows, n, norm, run, f);
	else
		rc = write_csv(a->out, rows, n, norm, run, f);
	if (rc)
		goto out;
	print_table(to, run, a->nruns, rows, n, norm, a->seed, a->drift != DRIFT_NONE || norm);
	if (!to_stdout)
		fprintf(to, "wrote %s\n", a->out);
	if (a->plot && !to_stdout)
		rc = draw_plots(a, run, f);
	if (!rc && a->fail_on != FAIL_ON_NONE && fails_on(a->fail_on, rows, n)) {
		fprintf(to, "--fail-on=%s: such a verdict was found: exit 1\n",
			a->fail_on == FAIL_ON_SLOWER ? "slower" : a->fail_on == FAIL_ON_FASTER ? "faster" : "any");
		rc = 1;
	}
out:
	free(rows);
	for (int k = 0; k < a->nruns; k++)
		run_free(&run[k]);
	free(run);
	return rc;
}

int compare_main(int argc, char **argv)
{
	struct failure f = { "" };
	struct args a = { .seed = 1, .plot = true };
	int rc = parse_args(&a, argc, argv, &f);

	if (rc < 0) {
		usage(stdout);
		return 0;
	}
	if (!rc)
		rc = compare(&a, &f);
	if (rc && f.msg[0]) {
		char esc[sizeof(f.msg) * 4];

		fprintf(stderr, "%s\n", runcsv_escape(f.msg, esc, sizeof(esc)));
	}
	return rc;
}
