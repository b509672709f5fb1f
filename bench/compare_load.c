/*
 * dmabench compare: reading a run (bench/compare.h). A run's results.csv,
 * checked as check-csv does (runcsv.h), grouped by the configuration key
 * into the ns_per_op of its repetitions; each configuration's floor (strategy
 * none, 1 thread) and its repetitions over the floor's.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "compare.h"
#include "flag.h"
#include "runcsv.h"
#include "strategy/strategy.h"

const char *const key_names[NKEY] = {
	"scenario", "strategy", "mode", "invalidation", "sharing", "placement",
	"home_node", "threads",
};

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
void warn_status(const struct run *r)
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
		fprintf(stderr, PROG ": warning: %s: %s\n", r->label, flag_quote(st, esc, sizeof(esc)));
	} else {
		fprintf(stderr, PROG ": warning: %s: %s: no status line (missing or unreadable): "
			"the run may not have finished\n", r->label, flag_quote(path, esc, sizeof(esc)));
	}
}

/* machine.txt's hardware lines into r->hw; none (no file, an old run): "" */
static void read_hw(struct run *r)
{
	static const char *const keys[] = { "cpu_model: ", "caches: ", "hypervisor: " };
	char path[PATH_MAX + 16], line[512];
	size_t used = 0;
	struct stat st;
	FILE *fp;

	r->hw[0] = '\0';
	snprintf(path, sizeof(path), "%s/machine.txt", r->dir);
	fp = fopen(path, "re");
	if (!fp)
		return;
	if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode)) {
		fclose(fp);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t n = strlen(keys[k]), len = strcspn(line, "\n");

			if (strncmp(line, keys[k], n))
				continue;
			while (len > n && line[len - 1] == ' ')	/* a padded brand string */
				len--;
			used += (size_t)snprintf(r->hw + used, sizeof(r->hw) - used, "%s%.*s",
						 used ? "; " : "", (int)len, line);
			if (used >= sizeof(r->hw))
				used = sizeof(r->hw) - 1;
		}
	}
	fclose(fp);
}

const char *run_machine_name(const struct run *r)
{
	int c = csv_col(&r->t, "machine");

	return c >= 0 && csv_rows(&r->t) ? csv_cell(&r->t, 0, c) : "";
}

bool run_same_name_other_hw(const struct run *a, const struct run *b)
{
	return !strcmp(run_machine_name(a), run_machine_name(b)) && a->hw[0] && b->hw[0] && strcmp(a->hw, b->hw);
}

bool run_same_machine(const struct run *a, const struct run *b)
{
	return !strcmp(run_machine_name(a), run_machine_name(b)) && !run_same_name_other_hw(a, b);
}

/* Load results.csv and its schema version (checked against the other run
 * before anything else is read). */
int run_open(struct run *r, struct failure *f)
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
	read_hw(r);
	return 0;
}

static int mode_rank(const char *m)
{
	return strcmp(m, "normal") ? 1 : 0;
}

/* The display order, which is also the join order: both runs sort with it. */
int cfg_cmp(const struct cfg *x, const struct cfg *y)
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

/* a flags cell with a host or scheduler flag (COMPARE_DISTURBED_FLAGS) other than ignore */
static bool disturbed(const char *flags, const char *ignore)
{
	static const char *const words[] = COMPARE_DISTURBED_FLAGS;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t len = strlen(words[i]);

		if (ignore && !strcmp(words[i], ignore))
			continue;
		for (const char *p = strstr(flags, words[i]); p; p = strstr(p + 1, words[i]))
			if ((p == flags || p[-1] == '+') && (p[len] == '\0' || p[len] == '+'))
				return true;
	}
	return false;
}

static unsigned int strategy_pos(const char *name)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		if (!strcmp(strategy_table[i]->name, name))
			return i;
	return strategy_count;
}

/* Rows -> configurations, each with its usable ns_per_op values. */
int run_load(struct run *r, struct failure *f)
{
	int kc[NKEY], c_ns, c_machine, c_run_id, c_rep, c_flags;
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
	if (col_or_fail(r, r->metric_col, &c_ns, f) || col_or_fail(r, "machine", &c_machine, f) ||
	    col_or_fail(r, "run_id", &c_run_id, f) || col_or_fail(r, "rep", &c_rep, f))
		return 2;
	c_flags = csv_col(&r->t, "flags");	/* optional: every repetition counts as clean without it */
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
			if (!runcsv_key_ok(c->key[k])) {
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
		{
			/* the placement judged across the runs replaces the run's own host-c2c */
			bool off;
			int judged = compare_place_verdict(r, c->key, c->rep_one, &off);

			if (judged < 0) {
				free(rows);
				return failf(f, 1, PROG ": %s: out of memory", r->label);
			}
			c->disturbed_one = (c_flags >= 0 && disturbed(csv_cell(&r->t, i, c_flags),
								     judged ? "host-c2c" : NULL)) || off;
			c->place_off_one = off;
		}
		rc = csv_cell_double(&r->t, i, c_ns, &v);
		if (rc == -ENODATA) {
			c->median = NAN;	/* unavailable: counted, not used */
		} else if (rc || !(v > 0) || !isfinite(v)) {
			rc = failf(f, 2, PROG ": %s: %s: line %zu: %s: not a positive number: '%s'",
				     r->label, r->path, line, r->metric_col, csv_cell(&r->t, i, c_ns));
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
		size_t clean = 0, usable = 0;
		bool drop;

		for (; j < n && !cfg_cmp(&rows[j], &rows[i]); j++)
			if (!isnan(rows[j].median)) {
				usable++;
				clean += !rows[j].disturbed_one;
			}
		drop = r->drop_disturbed && clean >= r->min_clean;
		c.dropped = drop ? usable - clean : 0;
		for (size_t k = i; drop && k < j; k++)
			r->place_dropped += !isnan(rows[k].median) && rows[k].place_off_one;
		c.kept_disturbed = r->drop_disturbed && !drop && clean < usable;
		c.disturbed_kept = c.kept_disturbed ? usable - clean : 0;
		r->dropped += c.dropped;
		r->kept_cfgs += c.kept_disturbed;
		for (size_t k = i; k < j; k++)
			if (!isnan(rows[k].median) && !(drop && rows[k].disturbed_one)) {
				r->repv[nvals] = rows[k].rep_one;
				r->vals[nvals++] = rows[k].median;
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

void run_free(struct run *r)
{
	compare_place_free(r);
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

/* compare.h */
const struct cfg *cfg_floor(const struct run *r, const struct cfg *c)
{
	const struct cfg *fl = floor_of(r, c, c->key[K_MODE]);

	return fl ? fl : floor_of(r, c, "normal");
}

/*
 * Each configuration's floor (none, 1 thread, same scenario, invalidation,
 * sharing, placement, home node; kdump rows use the normal-mode floor), its
 * median, and its repetitions divided by the floor's repetition of the same
 * number (x: drift that moves a whole run, or a whole round of repetitions,
 * cancels in the ratio). 0 or -ENOMEM.
 */
int set_floors(struct run *r)
{
	for (size_t i = 0; i < r->ncfg; i++) {
		struct cfg *c = &r->cfg[i];
		const struct cfg *fl = cfg_floor(r, c);

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
