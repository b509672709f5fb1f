/*
 * bench/compare.c — `dmabench compare`: its flags (rows of the flag table,
 * bench/flag.h) and the command: open and load the runs, join each with A,
 * judge every row, write compare.csv and the table, draw the plots.
 * What is compared and how: bench/compare.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "harness/pairprobe.h"
#include "flag.h"
#include "runcsv.h"

int compare_main(int argc, char **argv);

int failf(struct failure *f, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- the command line ---- */

static int set_min_effect(void *opts, const char *val, struct flag_error *e)
{
	double x;

	(void)e;
	if (flag_parse_double(val, &x) || !(x >= 0 && x < 100))
		return -EINVAL;
	((struct args *)opts)->min_effect = x / 100.0;
	return 0;
}

static int set_alpha(void *opts, const char *val, struct flag_error *e)
{
	double x;

	(void)e;
	if (flag_parse_double(val, &x) || !(x >= 0.0001 && x <= 0.2))
		return -EINVAL;
	((struct args *)opts)->alpha = x;
	return 0;
}

#define A(field) FLAG_VAR(struct args, field)

static const struct flag compare_flags[] = {
	{ .name = "out", .arg = "FILE", .type = FLAG_STR, A(out), .def = "compare.csv",
	  .help = "the joined table as CSV (not inside a run); overlay plots go beside it,\n"
		  "in FILE without .csv, plus -plots/. --out=- writes the CSV to stdout,\n"
		  "the table to stderr, and no plots",
	  .why = "expected a file name" },
	{ .name = "seed", .arg = "N", .type = FLAG_U64, A(seed), .max = UINT64_MAX, .def = "1",
	  .help = "seeds the bootstrap", .why = "expected a non-negative integer" },
	{ .name = "min-effect", .arg = "PCT", .type = FLAG_CALL, .set = set_min_effect, .def = "0",
	  .help = "a difference must also be at least PCT% with confidence: the\n"
		  "interval must lie wholly beyond 1 +/- PCT/100",
	  .why = "expected a percentage, 0 to 99" },
	{ .name = "alpha", .arg = "P", .type = FLAG_CALL, .set = set_alpha, .def = ALPHA_DEFAULT_S,
	  .help = "a verdict needs the Mann-Whitney p below P and the 1 - P interval (--interval)\n"
		  "beyond 1: about the false-call rate per configuration the test allows. Two\n"
		  "runs of one build on the measured VM: 4 calls in 1080 configurations at 0.01,\n"
		  "42 at 0.05 (METHODOLOGY §4)",
	  .why = "expected a probability, 0.0001 to 0.2" },
	{ .name = "metric", .arg = "M", .type = FLAG_ENUM, A(metric),
	  FLAG_WORDS([METRIC_MEAN] = "mean", [METRIC_P50] = "p50"), .def = "mean",
	  .help = "what a repetition contributes: mean (ns_per_op, the window's mean cost per\n"
		  "call) or p50 (batch_p50_ns, its median batch's cost per call: blind to a\n"
		  "host phase over part of a window, and to a change that only adds rare slow\n"
		  "calls)",
	  .why = "expected mean or p50" },
	{ .name = "interval", .arg = "I", .type = FLAG_ENUM, A(interval),
	  FLAG_WORDS([INTERVAL_HL] = "hl", [INTERVAL_BOOTSTRAP] = "bootstrap"), .def = "hl",
	  .help = "the ratio and its interval. hl: the Hodges-Lehmann estimate (the median of\n"
		  "every quotient of a B repetition over an A one) with the interval that\n"
		  "inverts the rank test: repetitions at two levels in both runs do not widen\n"
		  "it. bootstrap: median B / median A with its percentile-bootstrap interval",
	  .why = "expected hl or bootstrap" },
	{ .name = "drift", .arg = "MODE", .type = FLAG_ENUM, A(drift),
	  FLAG_WORDS([DRIFT_FLOOR] = "floor", [DRIFT_SCALE] = "scale", [DRIFT_NONE] = "none"),
	  .def = "floor",
	  .help = "floor, scale or none. floor: each repetition is divided by strategy\n"
		  "none, 1 thread, of the same run and repetition before comparing: drift that\n"
		  "moves a whole run cancels. The none/1-thread rows themselves are compared on\n"
		  "raw ns and need the interval beyond 1 +/- " STRINGIFY(ANCHOR_BAND_PCT) "% (or --min-effect).\n"
		  "Between machines the floor-normalised ratio is always the one judged.\n"
		  "scale: B's repetitions are divided by the run-to-run drift of the floor:\n"
		  "the median over thread counts of median(B)/median(A) of strategy none\n"
		  "(same scenario, invalidation, sharing, placement, home node); the none\n"
		  "rows themselves as with floor (one machine only).\n"
		  "none: compare raw ns per call (one machine only)",
	  .why = "expected floor, scale or none" },
	{ .name = "disturbed", .arg = "MODE", .type = FLAG_ENUM, A(disturbed),
	  FLAG_WORDS([0] = "drop", [1] = "keep"), .def = "drop",
	  .help = "drop or keep. drop: leave out the repetitions whose row carries a host or\n"
		  "scheduler flag (host-c2c, host-slow, host-steal, desched, overran, migrated)\n"
		  "where a configuration keeps enough others that p < alpha stays possible\n"
		  "(5 at the default alpha, 4 at 0.05); one with fewer keeps all.\n"
		  "keep: every repetition counts. With --blocks the default is keep",
	  .why = "expected drop or keep" },
	{ .name = "fail-on", .arg = "K", .type = FLAG_ENUM, A(fail_on),
	  FLAG_WORDS([FAIL_ON_SLOWER] = "slower", [FAIL_ON_FASTER] = "faster", [FAIL_ON_ANY] = "any"),
	  .help = "exit 1 when a verdict of kind K is found: slower, faster or any",
	  .why = "expected slower, faster or any" },
	{ .name = "blocks", .type = FLAG_SET, A(blocks),
	  .help = "the runs are A1 B1 A2 B2 ...: blocks of an A run and a B run taken one after\n"
		  "the other, of one machine (scripts/ab.sh takes them). Each block gives one\n"
		  "ratio (B over A within the block), and the blocks' ratios are judged by the\n"
		  "signed-rank test: the host's level moving between blocks cancels, and a run\n"
		  "at a level of its own counts as one block. p < 0.01 needs 8 blocks or more;\n"
		  "256 at most. Disturbed repetitions are kept unless --disturbed=drop.\n"
		  "Not with --drift=scale or --interval=bootstrap" },
	{ .name = "no-plot", .type = FLAG_SET, A(no_plot), .help = "no overlay plots" },
};

static void usage(FILE *to)
{
	struct flag_cmd cmd = { .flags = compare_flags, .nflags = FLAG_COUNT(compare_flags) };

	fprintf(to,
"usage: dmabench compare A B [RUN...] [FLAGS]\n"
"       dmabench compare --blocks A1 B1 A2 B2 ... [FLAGS]\n"
"  A B RUN...             run directories (each with results.csv), from one machine or\n"
"                         several; A is the baseline every other run is compared with\n");
	flag_usage(&cmd, to);
	fprintf(to,
"Verdict: faster/slower when the rank test's p < alpha (Mann-Whitney; with --blocks the\n"
"signed-rank test over the blocks) and the 1 - alpha interval of the ratio (B over A,\n"
"--interval) excludes 1 (and any band); otherwise no-significant-difference.\n"
"Exit: 0 done; 1 a --fail-on verdict was found, or a failure at run time; 2 bad input.\n");
}

/* 0, -1 for --help, or 2 with the message in f. */
static int parse_args(struct args *a, int argc, char **argv, struct failure *f)
{
	struct flag_cmd cmd = {
		.prog = PROG, .opts = a, .flags = compare_flags, .nflags = FLAG_COUNT(compare_flags),
		.help = &a->help, .pos = a->dir, .max_pos = MAX_RUNS,
	};

	memset(a, 0, sizeof(*a));
	a->alpha = ALPHA_DEFAULT;
	if (flag_parse(&cmd, argc, argv, f->msg, sizeof(f->msg)))
		return 2;
	if (a->help)
		return -1;
	a->plot = !a->no_plot;
	if (cmd.npos < 2)
		return failf(f, 2, PROG ": need two run directories or more: dmabench compare A B [RUN...] [--out=FILE]");
	a->nruns = cmd.npos;
	if (a->blocks && (cmd.npos < 4 || cmd.npos % 2))
		return failf(f, 2, PROG ": --blocks: need an even number of run directories, two blocks at least "
			     "(A1 B1 A2 B2 ...), got %d", cmd.npos);
	if (a->blocks && a->drift == DRIFT_SCALE)
		return failf(f, 2, PROG ": --blocks: not with --drift=scale (floor or none)");
	if (a->blocks && a->interval == INTERVAL_BOOTSTRAP)
		return failf(f, 2, PROG ": --blocks: not with --interval=bootstrap (the interval is the signed-rank test's)");
	/*
	 * In blocks a disturbed repetition moves one block's ratio, which the
	 * signed-rank test counts once, and dropping it leaves a run fewer
	 * values where many windows are flagged: keep is the default there
	 * (METHODOLOGY §4 "An eighth time": more caught, the A/A rate held).
	 */
	if (a->blocks && !flag_given(&cmd, "disturbed"))
		a->disturbed = 1;
	return 0;
}

/* One line per run that had disturbed repetitions: how many were left out, or kept. */
static void print_disturbed(FILE *to, const struct run *run, int nruns, bool drop, unsigned int min_clean)
{
	if (drop && run[0].place_on && isfinite(run[0].place_typical)) {
		size_t off = 0, left = 0;

		for (int k = 0; k < nruns; k++) {
			off += run[k].nplace_off;
			left += run[k].place_dropped;
		}
		fprintf(to, "placement: the runs' windows judged against one typical rmw round trip "
			"(PUs %lld-%lld: %.1f ns, the median over all runs; off it by %.1fx: host-c2c): "
			"%zu probes off, %zu repetitions left out for it\n", run[0].place_a, run[0].place_b,
			run[0].place_typical, PAIRPROBE_RATIO, off, left);
	}
	for (int k = 0; k < nruns; k++) {
		size_t total = 0;

		for (size_t i = 0; i < run[k].ncfg; i++)
			total += run[k].cfg[i].nrows;
		if (!drop)
			continue;
		if (run[k].dropped || run[k].kept_cfgs)
			fprintf(to, "%s: left out %zu of %zu repetitions with a host or scheduler flag; "
				"%zu configurations had fewer than %u clean ones and kept all\n",
				run[k].label, run[k].dropped, total, run[k].kept_cfgs, min_clean);
	}
}

/*
 * The judged rows out: compare.csv (or stdout), the table of the runs shown
 * (the two pooled ones with --blocks), the disturbed lines of every run
 * loaded (all, a->nruns of them), the plots, and --fail-on's exit 1.
 */
static int report(const struct args *a, const struct run *shown, int nshown, const struct run *all,
		  const struct row *rows, size_t n, bool norm, struct failure *f)
{
	bool to_stdout = !strcmp(a->out, "-");
	FILE *to = to_stdout ? stderr : stdout;
	struct args plotted = *a;
	int rc;

	if (to_stdout)
		rc = write_csv_stdout(rows, n, norm, shown, f);
	else
		rc = write_csv(a->out, rows, n, norm, shown, f);
	if (rc)
		return rc;
	if (a->blocks)
		fprintf(to, "blocks: %d, each an A run and a B run taken one after the other; each block gives one "
			"ratio (B1's values over A1's, B2's over A2's, ...) and the blocks' ratios are judged together; "
			"%s\n", a->nruns / 2, a->disturbed ? "repetitions with a host or scheduler flag kept "
			"(--disturbed=drop leaves them out)" : "repetitions with a host or scheduler flag left out "
			"(--disturbed=drop)");
	print_table(to, shown, nshown, rows, n, norm, a, a->drift != DRIFT_NONE || norm);
	print_disturbed(to, all, a->nruns, a->disturbed == 0, all[0].min_clean);
	if (!to_stdout)
		fprintf(to, "wrote %s\n", a->out);
	plotted.nruns = nshown;
	if (a->plot && !to_stdout && (rc = draw_plots(&plotted, shown, f)))
		return rc;
	if (a->fail_on != FAIL_ON_NONE && fails_on(a->fail_on, rows, n)) {
		fprintf(to, "--fail-on=%s: such a verdict was found: exit 1\n",
			a->fail_on == FAIL_ON_SLOWER ? "slower" : a->fail_on == FAIL_ON_FASTER ? "faster" : "any");
		return 1;
	}
	return 0;
}

/*
 * --blocks: every run of run[0]'s machine, each side pooled (compare_blocks.c)
 * and judged block by block; the table, compare.csv and the plots of the
 * two pooled runs.
 */
static int compare_blocks(const struct args *a, struct run *run, struct failure *f)
{
	struct run pool[2] = { { 0 } };
	struct row *rows = NULL;
	size_t n = 0;
	int rc;

	for (int k = 1; k < a->nruns; k++)
		if (!run_same_machine(&run[0], &run[k]))
			return failf(f, 2, PROG ": --blocks: %s (%.200s) is not of A1's machine '%s': blocks compare "
				     "runs of one machine", run[k].label, run[k].dir, run_machine_name(&run[0]));
	if ((rc = blocks_pool(run, a->nruns, pool, f)))
		goto out;
	rows = calloc(pool[0].ncfg + pool[1].ncfg + 1, sizeof(*rows));
	if (!rows) {
		rc = failf(f, 1, PROG ": out of memory");
		goto out;
	}
	if ((rc = join_pair(&pool[0], &pool[1], 1, rows, &n, f)))
		goto out;
	for (size_t i = 0; i < n; i++)
		if ((rc = compare_cfg(&rows[i], a, a->drift == DRIFT_FLOOR, false, NAN, f)))
			goto out;
	rc = report(a, pool, 2, run, rows, n, false, f);
out:
	free(rows);
	blocks_free(pool);
	return rc;
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
		if (a->blocks)
			snprintf(labels[k], sizeof(labels[k]), "%c%d", k % 2 ? 'B' : 'A', k / 2 + 1);
		else if (k == 0)
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
	for (int k = 1; k < a->nruns; k++)
		if (run_same_name_other_hw(&run[0], &run[k]))
			fprintf(to, "note: A and %s are both named '%s' but their machine.txt describe other hardware "
				"(A: %s; %s: %s): compared as two machines (the floor-normalised ratio)\n",
				run[k].label, run_machine_name(&run[0]), run[0].hw,
				run[k].label, run[k].hw);
	if (a->disturbed == 0 && (rc = compare_placement(run, a->nruns, f)))
		goto out;
	for (int k = 0; k < a->nruns; k++) {
		run[k].drop_disturbed = a->disturbed == 0;
		/* in blocks the test is over the blocks: a run needs only a few clean ones */
		run[k].min_clean = a->blocks ? BLOCK_MIN_CLEAN : compare_min_clean(a->alpha);
		run[k].metric_col = metric_cols[a->metric];
		if ((rc = run_load(&run[k], f)))
			goto out;
		warn_status(&run[k]);
		if (set_floors(&run[k])) {
			rc = failf(f, 1, PROG ": out of memory");
			goto out;
		}
		total += run[k].ncfg;
		norm |= k > 0 && !run_same_machine(&run[0], &run[k]);
	}
	if (a->blocks) {
		rc = compare_blocks(a, run, f);
		goto out;
	}
	rows = calloc(total + run[0].ncfg * (size_t)a->nruns, sizeof(*rows));
	if (!rows) {
		rc = failf(f, 1, PROG ": out of memory");
		goto out;
	}
	for (int k = 1; k < a->nruns; k++) {
		size_t from = n;
		bool machines = !run_same_machine(&run[0], &run[k]);

		if ((rc = join_pair(&run[0], &run[k], k, rows, &n, f)))
			goto out;
		for (size_t i = from; i < n; i++)
			if ((rc = compare_cfg(&rows[i], a, a->drift == DRIFT_FLOOR || machines, machines,
					      a->drift == DRIFT_SCALE ? drift_scale(rows, from, n, &rows[i]) : NAN, f)))
				goto out;
	}
	rc = report(a, run, a->nruns, run, rows, n, norm, f);
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
	struct args a;
	int rc = parse_args(&a, argc, argv, &f);

	if (rc < 0) {
		usage(stdout);
		return 0;
	}
	if (!rc)
		rc = compare(&a, &f);
	if (rc && f.msg[0]) {
		char esc[sizeof(f.msg) * 4];

		fprintf(stderr, "%s\n", flag_quote(f.msg, esc, sizeof(esc)));
	}
	return rc;
}
