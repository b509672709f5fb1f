/*
 * `dmabench predict` — the contention model (src/harness/costmodel.h) applied
 * to a target machine: from 1-thread costs (a run directory's summary.csv, or
 * --c1-ns for a bare shared counter) and a target (the run's own
 * topology.xml + c2c.csv, a shipped profile, or --topology + --c2c), a band
 * lo/mid/hi of ns per call at every thread count and placement asked for,
 * the knee, the USL alpha/beta the model implies, and the measured figure
 * where the run has one. Writes predicted.csv (whole, or nothing) and, unless
 * --no-plot, the plots (scripts/plot-predict.sh). This file: the flags,
 * the thread list and the steps; the parts are named in bench/predict.h.
 * Exit status: 0 done, 2 bad input (one line on stderr naming the problem,
 * nothing written), 1 a failure at run time.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "flag.h"
#include "predict.h"
#include "runfile.h"

/* snprintf for paths: false (and an empty string) when it would not fit. */
bool pfmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = 0;
		return false;
	}
	return true;
}

int predict_bad(const char *what, const char *val, const char *why)
{
	if (val)
		fprintf(stderr, "dmabench predict: %s: invalid value '%s': %s\n", what, val, why);
	else
		fprintf(stderr, "dmabench predict: %s: %s\n", what, why);
	return 2;
}

bool predict_is_file(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISREG(st.st_mode);
}

bool predict_is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static int set_op(void *opts, const char *val, struct flag_error *e)
{
	(void)e;
	return c2c_op_parse(val, &((struct popts *)opts)->op);
}

/* A positive number into the row's variable, at most 1000 for --rmw-per-call. */
static int set_positive(double *out, const char *val, double max)
{
	return flag_parse_double(val, out) || !(*out > 0) || *out > max ? -EINVAL : 0;
}

static int set_c1_ns(void *opts, const char *val, struct flag_error *e)
{
	(void)e;
	return set_positive(&((struct popts *)opts)->c1_ns, val, INFINITY);
}

static int set_rmw_per_call(void *opts, const char *val, struct flag_error *e)
{
	(void)e;
	return set_positive(&((struct popts *)opts)->rmw_per_call, val, 1000);
}

static int set_run_length(void *opts, const char *val, struct flag_error *e)
{
	(void)e;
	return set_positive(&((struct popts *)opts)->run_length, val, INFINITY);
}

#define P(field) FLAG_VAR(struct popts, field)

static const struct flag predict_flags[] = {
	{ .help = "costs (one of):" },
	{ .name = "run", .arg = "DIR", .type = FLAG_STR, P(run), .why = "empty",
	  .help = "1-thread costs from DIR/summary.csv (and R from DIR/runlength.csv)" },
	{ .name = "c1-ns", .arg = "X", .type = FLAG_CALL, .set = set_c1_ns,
	  .help = "a bare shared counter costing X ns per call at one thread",
	  .why = "expected a positive number of ns" },
	{ .name = "rmw-per-call", .arg = "K", .type = FLAG_CALL, .set = set_rmw_per_call, .def = "1",
	  .help = "its atomic RMWs per call", .why = "expected a positive number of RMWs, at most 1000" },
	{ .help = "target (one of; default with --run: the run's own topology.xml and c2c.csv):" },
	{ .name = "profile", .arg = "NAME", .type = FLAG_STR, P(profile), .why = "empty",
	  .help = "a shipped machine profile (--list-profiles)" },
	{ .name = "topology", .arg = "FILE", .type = FLAG_STR, P(topology), .why = "empty",
	  .help = "an hwloc XML (HWLOC_XMLFILE format), with --c2c=FILE" },
	{ .name = "c2c", .arg = "FILE", .type = FLAG_STR, P(c2c), .why = "empty",
	  .help = "the target's c2c.csv (c2c.csv format), with --topology" },
	{ .help = "threads and placement, as the sweep takes them:" },
	{ .name = "threads", .arg = "LIST", .type = FLAG_STR, P(threads), .why = "empty",
	  .help = "N, A-B, pow2, all", .show = "pow2: 1,2,4,... and the target's PUs" },
	{ .name = "placement", .arg = "LIST", .type = FLAG_STR, P(placement), .why = "empty",
	  .help = "compact, scatter, smt, cpus:0+2", .show = "compact,scatter; one on one node" },
	{ .help = "model:" },
	{ .name = "run-length", .arg = "R", .type = FLAG_CALL, .set = set_run_length,
	  .help = "fetch-adds per run of one holder", .show = "measured in --run, else random",
	  .why = "expected a positive number of fetch-adds" },
	{ .name = "op", .arg = "store|rmw", .type = FLAG_CALL, .set = set_op,
	  .help = "which c2c figures are the handoff", .show = "rmw when present",
	  .why = "expected store or rmw" },
	{ .help = "output:" },
	{ .name = "out", .arg = "DIR", .type = FLAG_STR, P(out), .why = "empty",
	  .help = "predicted.csv and plots/ go here", .show = "the --run directory" },
	{ .name = "no-plot", .type = FLAG_SET, P(no_plot), .help = "predicted.csv only" },
	{ .name = "list-profiles", .type = FLAG_SET, P(list),
	  .help = "the shipped profiles and their sources" },
	{ .name = "profiles-dir", .arg = "DIR", .type = FLAG_STR, P(profiles_dir), .why = "empty",
	  .help = "where profiles live",
	  .show = "$DMABENCH_PROFILES, else ./profiles, else profiles/ beside this binary's build/" },
};

static void usage(FILE *f)
{
	struct flag_cmd cmd = { .flags = predict_flags, .nflags = FLAG_COUNT(predict_flags) };

	fprintf(f,
"usage: dmabench predict [FLAGS]\n"
"A band (lo, mid, hi ns per call) for every thread count on a target machine,\n"
"from this machine's 1-thread costs and the contention model (docs/METHODOLOGY.md).\n"
"It is a prediction, labelled so; measured points are overlaid where there are any.\n");
	flag_usage(&cmd, f);
	fprintf(f,
"Bad input (missing or malformed profile, topology or matrix, threads above the\n"
"target's PUs, --c1-ns not a positive number): one line, exit 2, nothing written.\n");
}

/* ./profiles, else profiles/ beside the binary's build directory (build/../profiles). */
static const char *default_profiles_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	struct stat st;

	if (!stat("profiles", &st) && S_ISDIR(st.st_mode))
		return "profiles";
	if (!runfile_exe_dir(exe, sizeof(exe)))
		return "profiles";
	if (!pfmt(dir, sizeof(dir), "%s/../profiles", exe))
		return "profiles";
	return dir;
}

static int parse_args(struct popts *o, int argc, char **argv)
{
	struct flag_cmd cmd = {
		.prog = "dmabench predict", .opts = o, .flags = predict_flags,
		.nflags = FLAG_COUNT(predict_flags), .help = &o->help,
	};
	char err[1024];

	memset(o, 0, sizeof(*o));
	o->run_length = NAN;
	o->profiles_dir = getenv("DMABENCH_PROFILES");
	if (!o->profiles_dir || !*o->profiles_dir)
		o->profiles_dir = default_profiles_dir();
	if (flag_parse(&cmd, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	o->have_c1 = flag_given(&cmd, "c1-ns");
	o->have_rmw = flag_given(&cmd, "rmw-per-call");
	o->have_r = flag_given(&cmd, "run-length");
	o->op_given = flag_given(&cmd, "op");
	if (o->help || o->list)
		return 0;
	if (!!o->run + o->have_c1 != 1)
		return predict_bad("--run/--c1-ns", NULL, "give exactly one of them");
	if (o->have_rmw && !o->have_c1)
		return predict_bad("--rmw-per-call", NULL, "only with --c1-ns");
	if (!!o->profile + !!o->topology > 1)
		return predict_bad("--profile/--topology", NULL, "give at most one target");
	if (!!o->topology != !!o->c2c)
		return predict_bad(o->topology ? "--topology" : "--c2c", NULL,
			   "--topology and --c2c go together");
	if (o->have_c1 && !o->profile && !o->topology)
		return predict_bad("--c1-ns", NULL, "needs a target: --profile or --topology with --c2c");
	if (!o->run && !o->out)
		return predict_bad("--out", NULL, "needed without --run");
	return 0;
}

/* ---- threads and placements, as the sweep takes them ---- */

static int parse_threads(const char *s, int max, int *out, int *n)
{
	char buf[1024], *save = NULL, *tok;

	*n = 0;
	if (!s) {
		for (int v = 1; v < max && *n < PREDICT_MAX_THREADS - 1; v *= 2)
			out[(*n)++] = v;
		out[(*n)++] = max;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long a, b;
		char *end;

		if (!strcmp(tok, "all")) {
			a = 1;
			b = max;
		} else if (!strcmp(tok, "pow2")) {
			for (int v = 1; v < max && *n < PREDICT_MAX_THREADS - 1; v *= 2)
				out[(*n)++] = v;
			out[(*n)++] = max;
			continue;
		} else {
			a = strtol(tok, &end, 10);
			if (end == tok || a < 1)
				return -EINVAL;
			b = a;
			if (*end == '-') {
				char *e2;

				b = strtol(end + 1, &e2, 10);
				if (e2 == end + 1 || *e2 || b < a)
					return -EINVAL;
			} else if (*end) {
				return -EINVAL;
			}
		}
		for (long v = a; v <= b; v++) {
			if (*n >= PREDICT_MAX_THREADS || v > INT_MAX)
				return -E2BIG;
			out[(*n)++] = (int)v;
		}
	}
	/* sort, drop repeats */
	for (int i = 1; i < *n; i++)
		for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
			int x = out[j];

			out[j] = out[j - 1];
			out[j - 1] = x;
		}
	for (int i = 1, k = 1; i <= *n; i++) {
		if (i == *n) {
			*n = k;
			break;
		}
		if (out[i] != out[k - 1])
			out[k++] = out[i];
	}
	return *n ? 0 : -EINVAL;
}

int predict_main(int argc, char **argv)
{
	struct popts o;
	struct ptarget tg;
	struct prun run = { 0 };
	struct pkey *keys = NULL, counter;
	unsigned int nkeys = 0;
	struct topo *t = NULL;
	struct c2c_matrix m = { 0 };
	enum c2c_op op = C2C_OP_RMW;
	static int threads[PREDICT_MAX_THREADS];
	char placements[PREDICT_MAX_PLACEMENTS][128];
	int nthreads = 0, nplace = 0, maxpus, rc;
	struct prow *rows = NULL;
	size_t nrows = 0;
	const char *outdir;
	bool own;

	rc = parse_args(&o, argc, argv);
	if (rc || o.help) {
		if (o.help)
			usage(stdout);
		return rc;
	}
	if (o.list)
		return list_profiles(o.profiles_dir);
	op = o.op;
	outdir = o.out ? o.out : o.run;
	if (o.out && !predict_is_dir(o.out))
		return predict_bad("--out", o.out, "not a directory");
	if (access(outdir, W_OK | X_OK))
		return predict_bad(o.out ? "--out" : "--run", outdir, "not writable");
	if (o.run) {
		rc = load_run(o.run, &run, &keys, &nkeys);
		if (rc)
			goto out;
	} else {
		memset(&counter, 0, sizeof(counter));
		strcpy(counter.scenario, "counter");
		strcpy(counter.strategy, "shared-counter");
		strcpy(counter.mode, "normal");
		strcpy(counter.invalidation, "none");
		strcpy(counter.sharing, "device");
		counter.c1_ns = o.c1_ns;
		keys = &counter;
		nkeys = 1;
	}
	own = !o.profile && !o.topology;
	if ((rc = resolve_target(&o, &tg)) || (rc = open_target_topo(&tg, &t)) ||
	    (rc = load_matrix(&tg, t, &m, &op, o.op_given)))
		goto out;
	maxpus = topo_nr_allowed_pus(t);
	rc = parse_threads(o.threads, maxpus, threads, &nthreads);
	if (rc) {
		rc = predict_bad("--threads", o.threads, "expected N, A-B, pow2 or all, comma-separated");
		goto out;
	}
	if (threads[nthreads - 1] > maxpus) {
		char why[128];

		snprintf(why, sizeof(why), "%d threads: above the target's %d PUs",
			 threads[nthreads - 1], maxpus);
		rc = predict_bad("--threads", o.threads, why);
		goto out;
	}
	if (o.placement) {
		char buf[1024], *save = NULL, *tok;

		snprintf(buf, sizeof(buf), "%s", o.placement);
		/* "cpus:0,2" holds commas: a token that is a number joins the one before */
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			struct topo_placement pl;

			if (nplace && (*tok >= '0' && *tok <= '9') &&
			    !strncmp(placements[nplace - 1], "cpus:", 5)) {
				size_t l = strlen(placements[nplace - 1]);

				snprintf(placements[nplace - 1] + l, sizeof(placements[0]) - l, "+%s", tok);
				continue;
			}
			if (nplace >= PREDICT_MAX_PLACEMENTS || topo_parse_placement(t, tok, &pl)) {
				rc = predict_bad("--placement", o.placement,
					 "expected compact, scatter, smt or cpus:LIST of the target's PUs");
				goto out;
			}
			snprintf(placements[nplace++], sizeof(placements[0]), "%s", tok);
		}
	} else {
		strcpy(placements[nplace++], "compact");
		if (topo_nr_numa_nodes(t) > 1)
			strcpy(placements[nplace++], "scatter");
	}
	for (int i = 0; i < nplace; i++) {
		struct topo_placement pl;

		if (topo_parse_placement(t, placements[i], &pl) ||
		    threads[nthreads - 1] > topo_placement_max_threads(t, &pl)) {
			rc = predict_bad("--placement", placements[i], "more threads than the placement's PUs");
			goto out;
		}
	}
	rc = predict_rows(&o, t, &m, op, o.run ? &run : NULL, own, keys, nkeys,
			  placements, nplace, threads, nthreads, &rows, &nrows);
	if (rc) {
		fprintf(stderr, "dmabench predict: %s\n", strerror(-rc));
		rc = 1;
		goto out;
	}
	rc = write_predicted(outdir, &tg, op, rows, nrows);
	if (rc) {
		fprintf(stderr, "dmabench predict: cannot write %s/predicted.csv: %s\n", outdir,
			strerror(-rc));
		rc = 1;
		goto out;
	}
	printf("predicted.csv: %s/predicted.csv (%zu rows; target %s, handoff from %s c2c "
	       "figures) -- a prediction, not a measurement\n", outdir, nrows, tg.name,
	       c2c_op_name(op));
	if (!o.no_plot)
		rc = predict_plot(outdir);
out:
	free(rows);
	if (keys != &counter)
		free(keys);
	free_run(&run);
	c2c_free(&m);
	topo_close(t);
	return rc;
}
