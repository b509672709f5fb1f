/*
 * `dmabench predict` — the contention model (src/harness/costmodel.h) applied
 * to a target machine: from 1-thread costs (a run directory's summary.csv, or
 * --c1-ns for a bare shared counter) and a target (the run's own
 * topology.xml + c2c.csv, a shipped profile, or --topology + --c2c), a band
 * lo/mid/hi of ns per call at every thread count and placement asked for,
 * the knee, the USL alpha/beta the model implies, and the measured figure
 * where the run has one. Writes predicted.csv (whole, or nothing) and, unless
 * --no-plot, the plots (scripts/plot-predict.sh).
 * Exit status: 0 done, 2 bad input (one line on stderr naming the problem,
 * nothing written), 1 a failure at run time.
 */
#include <dirent.h>
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
#include "harness/c2c.h"
#include "harness/costmodel.h"
#include "harness/csv.h"
#include "harness/runlen.h"
#include "harness/topo.h"
#include "strategy/strategy.h"
#include "flag.h"
#include "runfile.h"

#define PREDICT_MAX_THREADS 4096
#define PREDICT_MAX_PLACEMENTS 8

/*
 * A strategy's class for the model comes from the strategy table (its
 * `class` and `shared_rmws` fields): no second list of names here. The
 * floors are flat like the read-mostly class. "shared-counter" is not a
 * strategy: it is the bare shared counter that --c1-ns describes.
 * rmw_per_call turns a run length in fetch-adds into one in calls.
 */
struct predict_class {
	enum costmodel_class cls;
	double rmw_per_call;
};

static const struct predict_class *class_of(const char *strategy)
{
	static const struct predict_class shared_counter = { COSTMODEL_SHARED_WRITE, 1 };
	static struct predict_class *by_strategy;	/* one per table entry, made once */
	const struct strategy *s;
	unsigned int i;

	if (!strcmp(strategy, "shared-counter"))
		return &shared_counter;
	s = strategy_find(strategy);
	if (!s)
		return NULL;
	for (i = 0; i < strategy_count && strategy_table[i] != s; i++)
		;
	if (!by_strategy)
		by_strategy = calloc(strategy_count, sizeof(*by_strategy));
	if (!by_strategy)
		return NULL;
	switch (s->class) {
	case STRATEGY_CLASS_SHARED_WRITE:
		by_strategy[i] = (struct predict_class){ COSTMODEL_SHARED_WRITE, s->shared_rmws };
		break;
	case STRATEGY_CLASS_PERCPU:
		by_strategy[i] = (struct predict_class){ COSTMODEL_PER_CPU, 0 };
		break;
	case STRATEGY_CLASS_FLOOR:
	case STRATEGY_CLASS_READ_MOSTLY:
		by_strategy[i] = (struct predict_class){ COSTMODEL_READ_MOSTLY, 0 };
		break;
	default:
		return NULL;
	}
	return &by_strategy[i];
}

struct popts {
	const char *run, *profile, *topology, *c2c, *out, *threads, *placement;
	const char *profiles_dir;
	double c1_ns, rmw_per_call, run_length;
	bool have_c1, have_rmw, have_r, list, help, no_plot, op_given;
	enum c2c_op op;
};

/* One input configuration: the 1-thread cost of a summary.csv key. */
struct pkey {
	char scenario[32], strategy[32], mode[16], invalidation[16], sharing[16];
	double c1_ns;
};

struct ptarget {
	char name[PATH_MAX];		/* what predicted.csv's target column says */
	char topo_kind[16];		/* "xml" or "synthetic" */
	char topo_src[PATH_MAX];	/* the file, or the synthetic string */
	char c2c_path[PATH_MAX];
	bool strict_matrix;		/* a profile/--c2c: every pair must have a figure */
};

/* snprintf for paths: false (and an empty string) when it would not fit. */
static bool __attribute__((format(printf, 3, 4))) pfmt(char *buf, size_t len, const char *fmt, ...)
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

static int bad(const char *what, const char *val, const char *why)
{
	if (val)
		fprintf(stderr, "dmabench predict: %s: invalid value '%s': %s\n", what, val, why);
	else
		fprintf(stderr, "dmabench predict: %s: %s\n", what, why);
	return 2;
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
	ssize_t n;
	char *slash;

	if (!stat("profiles", &st) && S_ISDIR(st.st_mode))
		return "profiles";
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return "profiles";
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
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
		return bad("--run/--c1-ns", NULL, "give exactly one of them");
	if (o->have_rmw && !o->have_c1)
		return bad("--rmw-per-call", NULL, "only with --c1-ns");
	if (!!o->profile + !!o->topology > 1)
		return bad("--profile/--topology", NULL, "give at most one target");
	if (!!o->topology != !!o->c2c)
		return bad(o->topology ? "--topology" : "--c2c", NULL,
			   "--topology and --c2c go together");
	if (o->have_c1 && !o->profile && !o->topology)
		return bad("--c1-ns", NULL, "needs a target: --profile or --topology with --c2c");
	if (!o->run && !o->out)
		return bad("--out", NULL, "needed without --run");
	return 0;
}

/* ---- profiles ---- */

static bool is_file(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISREG(st.st_mode);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* The first line of SOURCE (the citation), or "(no SOURCE file)". */
static void profile_source_line(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(buf, len, "(no SOURCE file)");
	(void)pfmt(path, sizeof(path), "%s/SOURCE", dir);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_profiles(const char *dir)
{
	char *names[256];
	unsigned int n = 0;
	struct dirent *e;
	DIR *d;

	if (!is_dir(dir) || !(d = opendir(dir)))
		return bad("--profiles-dir", dir, "not a readable directory");
	while (n < 256 && (e = readdir(d))) {
		char sub[PATH_MAX];

		if (e->d_name[0] == '.')
			continue;
		if (pfmt(sub, sizeof(sub), "%s/%s/c2c.csv", dir, e->d_name) && is_file(sub))
			names[n++] = strdup(e->d_name);
		if (n && !names[n - 1])
			n--;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (unsigned int i = 0; i < n; i++) {
		char sub[PATH_MAX], src[512];

		(void)pfmt(sub, sizeof(sub), "%s/%s", dir, names[i]);
		profile_source_line(sub, src, sizeof(src));
		printf("%-28s %s\n", names[i], src);
		free(names[i]);
	}
	return fflush(stdout) ? 1 : 0;
}

/* Read a whole small file (a synthetic string). */
static int read_line_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return *buf ? 0 : -EINVAL;
}

static int resolve_target(const struct popts *o, struct ptarget *tg)
{
	char dir[PATH_MAX];

	memset(tg, 0, sizeof(*tg));
	if (o->profile) {
		if (strchr(o->profile, '/') || !strcmp(o->profile, ".") || !strcmp(o->profile, ".."))
			return bad("--profile", o->profile, "a profile name, not a path");
		(void)pfmt(dir, sizeof(dir), "%s/%s", o->profiles_dir, o->profile);
		if (!is_dir(dir))
			return bad("--profile", o->profile, "unknown profile (see --list-profiles)");
		(void)pfmt(tg->name, sizeof(tg->name), "profile:%s", o->profile);
		(void)pfmt(tg->c2c_path, sizeof(tg->c2c_path), "%s/c2c.csv", dir);
		(void)pfmt(tg->topo_src, sizeof(tg->topo_src), "%s/topology.xml", dir);
		strcpy(tg->topo_kind, "xml");
		if (!is_file(tg->topo_src)) {
			char syn[PATH_MAX];

			(void)pfmt(syn, sizeof(syn), "%s/topology.synthetic", dir);
			if (!is_file(syn))
				return bad("--profile", o->profile,
					   "the profile has no topology.xml or topology.synthetic");
			if (read_line_file(syn, tg->topo_src, sizeof(tg->topo_src)))
				return bad("--profile", o->profile, "topology.synthetic is empty or unreadable");
			strcpy(tg->topo_kind, "synthetic");
		}
		if (!is_file(tg->c2c_path))
			return bad("--profile", o->profile, "the profile has no c2c.csv");
		tg->strict_matrix = true;
		return 0;
	}
	if (o->topology) {
		if (!is_file(o->topology))
			return bad("--topology", o->topology, "no such file");
		if (!is_file(o->c2c))
			return bad("--c2c", o->c2c, "no such file");
		(void)pfmt(tg->name, sizeof(tg->name), "topology:%s", o->topology);
		snprintf(tg->topo_src, sizeof(tg->topo_src), "%s", o->topology);
		strcpy(tg->topo_kind, "xml");
		snprintf(tg->c2c_path, sizeof(tg->c2c_path), "%s", o->c2c);
		tg->strict_matrix = true;
		return 0;
	}
	/* the run's own machine */
	snprintf(tg->name, sizeof(tg->name), "run");
	(void)pfmt(tg->topo_src, sizeof(tg->topo_src), "%s/topology.xml", o->run);
	strcpy(tg->topo_kind, "xml");
	(void)pfmt(tg->c2c_path, sizeof(tg->c2c_path), "%s/c2c.csv", o->run);
	if (!is_file(tg->topo_src))
		return bad("--run", o->run, "no topology.xml (a run from before topology replay: give --profile or --topology)");
	if (!is_file(tg->c2c_path))
		return bad("--run", o->run, "no c2c.csv (the run skipped the c2c pass)");
	return 0;
}

/* Load the target topology through hwloc's own variables (topo.h). */
static int open_target_topo(const struct ptarget *tg, struct topo **t)
{
	int rc;

	unsetenv("HWLOC_FSROOT");
	unsetenv("TOPO_ALLOWED");
	if (!strcmp(tg->topo_kind, "synthetic")) {
		unsetenv("HWLOC_XMLFILE");
		setenv("HWLOC_SYNTHETIC", tg->topo_src, 1);
	} else {
		unsetenv("HWLOC_SYNTHETIC");
		setenv("HWLOC_XMLFILE", tg->topo_src, 1);
	}
	rc = topo_open(t);
	if (rc)
		return bad(!strcmp(tg->topo_kind, "synthetic") ? "topology.synthetic" : "topology",
			   tg->topo_src, rc == -EFBIG ? "larger than hwloc should hold" :
			   "not an hwloc topology (hwloc refused it)");
	return 0;
}

/* Every cell checked before c2c_read_csv, so the message can say which. */
static int check_matrix_file(const char *path)
{
	struct csv_table t;
	char err[256];
	int rc = csv_read_file(path, &t, err, sizeof(err)), cr = -1, cf = -1, ct = -1;

	if (rc)
		return bad("c2c", path, err[0] ? err : "not a CSV file");
	cr = csv_col(&t, "round_trip_ns");
	cf = csv_col(&t, "from");
	ct = csv_col(&t, "to");
	if (cr < 0 || cf < 0 || ct < 0) {
		csv_free(&t);
		return bad("c2c", path, "not a c2c.csv (needs from,to,from_node,to_node,round_trip_ns[,op])");
	}
	for (size_t r = 0; r < csv_rows(&t); r++) {
		const char *v = csv_cell(&t, r, (size_t)cr);
		bool diag = !strcmp(csv_cell(&t, r, (size_t)cf), csv_cell(&t, r, (size_t)ct));
		char why[128];
		double d;
		char *end;

		if (diag)
			continue;
		if (!*v)
			snprintf(why, sizeof(why), "line %zu: a missing cell (empty round_trip_ns)", r + 2);
		else if ((d = strtod(v, &end)), *end)
			snprintf(why, sizeof(why), "line %zu: round_trip_ns '%.40s' is not a number", r + 2, v);
		else if (isnan(d))
			snprintf(why, sizeof(why), "line %zu: round_trip_ns is NaN", r + 2);
		else if (!isfinite(d) || d <= 0)
			snprintf(why, sizeof(why), "line %zu: round_trip_ns %.40s is not a positive number",
				 r + 2, v);
		else
			continue;
		csv_free(&t);
		return bad("c2c", path, why);
	}
	csv_free(&t);
	return 0;
}

static int load_matrix(const struct ptarget *tg, struct topo *t, struct c2c_matrix *m,
		       enum c2c_op *op, bool op_given)
{
	int n = topo_nr_allowed_pus(t), rc;

	if ((rc = check_matrix_file(tg->c2c_path)))
		return rc;
	if (c2c_read_csv(m, tg->c2c_path))
		return bad("c2c", tg->c2c_path, "not a c2c.csv (header, PU numbers, nodes or a repeated pair)");
	if ((int)m->npus != n) {
		char why[160];

		snprintf(why, sizeof(why), "the matrix has %u PUs, the topology %d", m->npus, n);
		return bad("c2c", tg->c2c_path, why);
	}
	for (unsigned int i = 0; i < m->npus; i++)
		if (!topo_pu_allowed(t, m->pus[i].os)) {
			char why[160];

			snprintf(why, sizeof(why), "PU %d of the matrix is not in the topology",
				 m->pus[i].os);
			return bad("c2c", tg->c2c_path, why);
		}
	if (tg->strict_matrix && m->npairs < m->total_pairs)
		return bad("c2c", tg->c2c_path, "missing cells: not every pair of PUs has a row");
	if (!op_given)
		*op = m->measured[C2C_OP_RMW] ? C2C_OP_RMW : C2C_OP_STORE;
	if (!m->measured[*op])
		return bad("--op", c2c_op_name(*op), "the matrix has no figures for it");
	if (tg->strict_matrix)
		for (unsigned int i = 0; i < m->npairs; i++)
			if (isnan(c2c_pair_ns(&m->pairs[i], *op)))
				return bad("c2c", tg->c2c_path, "a missing cell: a pair has no figure for the op");
	return 0;
}

/* ---- the run's costs ---- */

struct prun {
	struct csv_table sum;
	bool have_sum;
	int c_scen, c_strat, c_mode, c_inv, c_share, c_place, c_threads, c_ns;
	struct csv_table rl;
	bool have_rl;
	double inv_ns;			/* machine.txt's inv_ns (strict lock hold), NAN */
};

static int load_run(const char *dir, struct prun *r, struct pkey **keys, unsigned int *nkeys)
{
	char path[PATH_MAX], err[256];
	struct pkey *k;

	memset(r, 0, sizeof(*r));
	*keys = NULL;
	*nkeys = 0;
	if (!is_dir(dir))
		return bad("--run", dir, "not a directory");
	(void)pfmt(path, sizeof(path), "%s/summary.csv", dir);
	if (csv_read_file(path, &r->sum, err, sizeof(err)))
		return bad("--run", dir, "no readable summary.csv");
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
		return bad("--run", dir, "summary.csv lacks the key columns");
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
		return bad("--run", dir, "summary.csv has no 1-thread row with a figure");
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
	if (is_file(path) && !csv_read_file(path, &r->rl, err, sizeof(err)))
		r->have_rl = csv_col(&r->rl, "run_length") >= 0 && csv_col(&r->rl, "threads") >= 0 &&
			     csv_col(&r->rl, "placement") >= 0;
	return 0;
}

static void free_run(struct prun *r)
{
	if (r->have_sum)
		csv_free(&r->sum);
	if (r->have_rl)
		csv_free(&r->rl);
}

/* The measured figure of a key at (placement, threads), NAN if none. */
static double measured_ns(const struct prun *r, const struct pkey *k, const char *placement,
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
 * R for a row: in fetch-adds (*r_fa, the run_length column) and in calls
 * (*r_calls, what the model divides the handoff by). In order:
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
 * A row whose overlap column says the threads hardly ran together
 * (RUNLEN_MIN_OVERLAP) is not used. An old runlength.csv (no calibration
 * column) is all bare rows.
 */
static void run_length_for(const struct popts *o, const struct prun *r, bool own,
			   const struct pkey *k, const char *placement, int threads, double rpc,
			   double *r_fa, double *r_calls, char *src, size_t len)
{
	const struct csv_table *t = r ? &r->rl : NULL;
	int cp, ct, cr, ck, cs, cst, cm, csh, crc, cov, best_n;
	double best, best_fa;

	*r_fa = *r_calls = NAN;
	if (o->have_r) {
		snprintf(src, len, "given");
		*r_fa = o->run_length;
		*r_calls = o->run_length / rpc;
		return;
	}
	if (threads < 2 || !r || !r->have_rl) {
		snprintf(src, len, threads < 2 ? "none" : "random");
		return;
	}
	cp = csv_col(t, "placement");
	ct = csv_col(t, "threads");
	cr = csv_col(t, "run_length");
	ck = csv_col(t, "calibration");
	cs = csv_col(t, "scenario");
	cst = csv_col(t, "strategy");
	cm = csv_col(t, "mode");
	csh = csv_col(t, "sharing");
	crc = csv_col(t, "r_calls");
	cov = csv_col(t, "overlap");
	/* pass 0: call-shaped rows of this key; pass 1: bare rows */
	for (int pass = 0; pass < 2; pass++) {
		bool shaped = pass == 0;

		if (shaped && (ck < 0 || crc < 0 || cs < 0 || cst < 0 || cm < 0 || csh < 0 || o->have_c1))
			continue;
		best_n = 0;
		best = best_fa = NAN;
		for (size_t i = 0; i < csv_rows(t); i++) {
			const char *kind = rl_cell(t, i, ck);
			double v, fa = NAN, n, ov;

			if (shaped ? strcmp(kind, "call-shaped") : (*kind && strcmp(kind, "bare")))
				continue;
			if (shaped && (strcmp(rl_cell(t, i, cs), k->scenario) ||
				       strcmp(rl_cell(t, i, cst), k->strategy) ||
				       strcmp(rl_cell(t, i, cm), k->mode) ||
				       strcmp(rl_cell(t, i, csh), k->sharing)))
				continue;
			if (cov >= 0 && !csv_cell_double(t, i, (size_t)cov, &ov) && ov < RUNLEN_MIN_OVERLAP)
				continue;
			if (csv_cell_double(t, i, (size_t)(shaped ? crc : cr), &v) || !(v > 0) ||
			    csv_cell_double(t, i, (size_t)ct, &n))
				continue;
			if (shaped)
				(void)csv_cell_double(t, i, (size_t)cr, &fa);
			else
				fa = v;
			if (own && (int)n == threads && !strcmp(rl_cell(t, i, cp), placement)) {
				snprintf(src, len, shaped ? "call-shaped" : "bare");
				*r_fa = fa;
				*r_calls = shaped ? v : v / rpc;
				return;
			}
			if ((int)n > best_n) {
				best_n = (int)n;
				best = v;
				best_fa = fa;
			}
		}
		if (!isnan(best)) {
			snprintf(src, len, "%s-run-%d-threads", shaped ? "call-shaped" : "bare", best_n);
			*r_fa = best_fa;
			*r_calls = shaped ? best : best / rpc;
			return;
		}
	}
	snprintf(src, len, "random");
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

/* ---- the prediction ---- */

struct prow {
	const struct pkey *key;
	const struct predict_class *pc;
	char placement[128];
	int threads, nodes;
	bool smt;
	double hold_ns, visits, h_mean, h_min, r_fetch_adds, r_calls, lock_hold;
	char r_src[40];
	struct costmodel_band band;
	double alpha, beta, measured;
	const char *warning;
	int rc;
};

static const struct pkey *find_key(const struct pkey *keys, unsigned int nkeys,
				   const char *scenario, const char *strategy, const struct pkey *like)
{
	for (unsigned int i = 0; i < nkeys; i++)
		if (!strcmp(keys[i].scenario, scenario) && !strcmp(keys[i].strategy, strategy) &&
		    !strcmp(keys[i].mode, "normal") && !strcmp(keys[i].sharing, like->sharing) &&
		    (strcmp(scenario, like->scenario) || !strcmp(keys[i].invalidation, like->invalidation)))
			return &keys[i];
	return NULL;
}

/*
 * The hold per visit: the shared-line part of a call. In lookup it is the
 * call less the floor (`none`: the loop, no lookup), the floor being the
 * pure delay; elsewhere the strategy's own lookup less the floor's lookup.
 * Without those rows: the whole call (band too high, said in warning).
 */
static double hold_for(const struct pkey *k, const struct pkey *keys, unsigned int nkeys,
		       const char **warning)
{
	const struct pkey *own, *floor;

	if (!strcmp(k->scenario, "counter"))
		return k->c1_ns;
	own = !strcmp(k->scenario, "lookup") ? k : find_key(keys, nkeys, "lookup", k->strategy, k);
	floor = find_key(keys, nkeys, "lookup", "none", k);
	if (own && floor && floor->c1_ns < own->c1_ns && own->c1_ns - floor->c1_ns <= k->c1_ns)
		return own->c1_ns - floor->c1_ns;
	if (own && own->c1_ns <= k->c1_ns) {
		*warning = "hold = the strategy's whole lookup (no `none` lookup row for the floor): band a little high";
		return own->c1_ns;
	}
	*warning = "hold = the whole call (no lookup rows for this strategy): band too high";
	return k->c1_ns;
}

/* The placement's mean and cheapest handoff into in and the row; 0, or the row's error. */
static int row_handoffs(struct prow *w, struct costmodel_input *in, const struct c2c_matrix *m,
			enum c2c_op op, const int *pus, int n)
{
	w->rc = costmodel_handoffs(m, op, pus, (unsigned int)n, &in->h_mean_ns, &in->h_min_ns);
	if (w->rc) {
		w->warning = "a pair of the placement has no c2c figure";
		return w->rc;
	}
	w->h_mean = in->h_mean_ns;
	w->h_min = in->h_min_ns;
	return 0;
}

static int predict_rows(const struct popts *o, struct topo *t, const struct c2c_matrix *m,
			enum c2c_op op, const struct prun *run, bool own,
			const struct pkey *keys, unsigned int nkeys,
			char (*placements)[128], int nplace, const int *threads, int nthreads,
			struct prow **rows_out, size_t *nrows_out)
{
	size_t cap = (size_t)nkeys * nplace * nthreads, nr = 0;
	struct prow *rows = calloc(cap ? cap : 1, sizeof(*rows));
	int maxt = threads[nthreads - 1];
	struct topo_slot *slots = calloc((size_t)maxt, sizeof(*slots));
	int *pus = calloc((size_t)maxt, sizeof(*pus));

	if (!rows || !slots || !pus) {
		free(rows);
		free(slots);
		free(pus);
		return -ENOMEM;
	}
	for (unsigned int ki = 0; ki < nkeys; ki++) {
		const struct pkey *k = &keys[ki];
		const struct predict_class *pc = class_of(k->strategy);

		for (int pi = 0; pi < nplace; pi++) {
			struct topo_placement pl;
			size_t first = nr;
			unsigned int un[PREDICT_MAX_THREADS];
			double ut[PREDICT_MAX_THREADS];
			unsigned int uk = 0;

			if (topo_parse_placement(t, placements[pi], &pl)) {
				free(rows); free(slots); free(pus);
				return -EINVAL;
			}
			for (int ti = 0; ti < nthreads; ti++) {
				struct prow *w = &rows[nr++];
				struct costmodel_input in = { 0 };
				int n = threads[ti];

				w->key = k;
				w->pc = pc;
				snprintf(w->placement, sizeof(w->placement), "%s", topo_placement_name(&pl));
				w->threads = n;
				w->band.lo_ns = w->band.mid_ns = w->band.hi_ns = w->band.knee = NAN;
				w->alpha = w->beta = w->h_mean = w->h_min = w->r_fetch_adds = w->r_calls = NAN;
				w->rc = topo_plan(t, &pl, n, false, slots);
				if (w->rc) {
					free(rows); free(slots); free(pus);
					return w->rc;
				}
				w->nodes = topo_plan_nodes_used(slots, n);
				for (int i = 0; i < n; i++) {
					pus[i] = slots[i].pu_os;
					w->smt |= slots[i].smt_shared;
				}
				w->measured = own ? measured_ns(run, k, w->placement, n) : NAN;
				if (!pc) {
					w->warning = "strategy class unknown: no band";
					continue;
				}
				in.cls = pc->cls;
				in.c1_ns = k->c1_ns;
				in.n = (unsigned int)n;
				in.run_length = NAN;
				/* strict unmap: the command-queue lock, held for the modelled invalidation */
				if (!strcmp(k->invalidation, "strict") && strcmp(k->scenario, "lookup") &&
				    run && isfinite(run->inv_ns) && run->inv_ns > 0)
					w->lock_hold = in.lock_hold_ns = fmin(run->inv_ns, k->c1_ns);
				if (pc->cls == COSTMODEL_SHARED_WRITE) {
					double rpc = o->have_c1 ? o->rmw_per_call : pc->rmw_per_call;

					in.visits = 1;
					in.hold_ns = hold_for(k, keys, nkeys, &w->warning);
					/* the line's hold and the lock's fit in one call */
					if (in.hold_ns + in.lock_hold_ns > k->c1_ns)
						in.hold_ns = fmax(0, k->c1_ns - in.lock_hold_ns);
					w->hold_ns = in.hold_ns;
					w->visits = 1;
					run_length_for(o, run, own, k, w->placement, n, rpc, &w->r_fetch_adds,
						       &w->r_calls, w->r_src, sizeof(w->r_src));
					if (!isnan(w->r_calls))
						in.run_length = w->r_calls;
					if (row_handoffs(w, &in, m, op, pus, n))
						continue;
					if (!strcmp(k->invalidation, "strict") && !w->warning && !(w->lock_hold > 0))
						w->warning = "strict: the invalidation queue lock is not modelled (no inv_ns in machine.txt: band too low)";
					else if (!strcmp(k->invalidation, "strict") && !w->warning)
						w->warning = "strict: the queue lock is a centre held inv_ns; the IOVA depot lock is not modelled";
					else if (strcmp(k->mode, "normal") && !w->warning)
						w->warning = "kdump mode: classed as in normal mode";
					else if (!strncmp(w->r_src, "bare", 4) && !o->have_c1 && !w->warning)
						w->warning = strcmp(k->scenario, "lookup")
							? "R from the bare fetch-add loop (the call-shaped R is calibrated for lookup only): lo and mid likely low"
							: "R from the bare fetch-add loop (no call-shaped row): a tight loop keeps the line longer than a call: lo and mid likely low";
				} else {
					snprintf(w->r_src, sizeof(w->r_src), "none");
					if (w->lock_hold > 0) {
						if (row_handoffs(w, &in, m, op, pus, n))
							continue;
					}
					if (w->smt)
						w->warning = "threads share a core: SMT siblings compete for the core (flat is optimistic)";
					else if (!strcmp(k->invalidation, "strict") && !(w->lock_hold > 0))
						w->warning = "strict: the invalidation queue lock is not modelled (no inv_ns in machine.txt: flat too low)";
					else if (!strcmp(k->invalidation, "strict"))
						w->warning = "strict: the queue lock is a centre held inv_ns; the IOVA depot lock is not modelled";
					else if (pc->cls == COSTMODEL_PER_CPU)
						w->warning = "per-CPU: flat; an occasional global step (depot or flush) is not in the band";
				}
				w->rc = costmodel_predict(&in, &w->band);
				if (!w->rc && n >= 1 && uk < PREDICT_MAX_THREADS) {
					un[uk] = (unsigned int)n;
					ut[uk++] = w->band.mid_ns;
				}
			}
			/* the USL that the mid curve implies, on every row of the curve */
			if (pc) {
				double a = NAN, b = NAN;

				if (costmodel_usl_implied(un, ut, uk, k->c1_ns, &a, &b)) {
					a = NAN;
					b = NAN;
				}
				for (size_t i = first; i < nr; i++) {
					rows[i].alpha = a;
					rows[i].beta = b;
				}
			}
		}
	}
	free(slots);
	free(pus);
	*rows_out = rows;
	*nrows_out = nr;
	return 0;
}

static int write_predicted(const char *dir, const struct ptarget *tg, enum c2c_op op,
			   const struct prow *rows, size_t nr)
{
	static const char *const cols[] = {
		"scenario", "strategy", "mode", "invalidation", "sharing", "placement",
		"threads", "numa_nodes_used", "target", "class", "c1_ns", "hold_ns",
		"lock_hold_ns", "handoff_mean_ns", "handoff_min_ns", "c2c_op", "run_length",
		"run_length_calls", "run_length_source",
		"lo_ns", "mid_ns", "hi_ns", "knee_threads", "usl_alpha", "usl_beta",
		"measured_ns", "warning",
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = 0;

	if (!f)
		return -errno;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		fprintf(f, "%s%s", i ? "," : "", cols[i]);
	fputc('\n', f);
	for (size_t i = 0; i < nr && !rc; i++) {
		const struct prow *w = &rows[i];
		struct csv_row r = CSV_ROW_INIT;

		csv_row_add_str(&r, w->key->scenario);
		csv_row_add_str(&r, w->key->strategy);
		csv_row_add_str(&r, w->key->mode);
		csv_row_add_str(&r, w->key->invalidation);
		csv_row_add_str(&r, w->key->sharing);
		csv_row_add_str(&r, w->placement);
		csv_row_add_int(&r, w->threads);
		csv_row_add_int(&r, w->nodes);
		csv_row_add_str(&r, tg->name);
		csv_row_add_str(&r, w->pc ? costmodel_class_name(w->pc->cls) : "unknown");
		csv_row_add_double_prec(&r, w->key->c1_ns, 6);
		csv_row_add_double_prec(&r, w->visits > 0 ? w->hold_ns : NAN, 6);
		csv_row_add_double_prec(&r, w->lock_hold > 0 ? w->lock_hold : NAN, 6);
		csv_row_add_double_prec(&r, w->h_mean, 6);
		csv_row_add_double_prec(&r, w->h_min, 6);
		csv_row_add_str(&r, w->visits > 0 || w->lock_hold > 0 ? c2c_op_name(op) : "");
		csv_row_add_double_prec(&r, w->r_fetch_adds, 6);
		csv_row_add_double_prec(&r, w->r_calls, 6);
		csv_row_add_str(&r, w->r_src);
		csv_row_add_double_prec(&r, w->band.lo_ns, 6);
		csv_row_add_double_prec(&r, w->band.mid_ns, 6);
		csv_row_add_double_prec(&r, w->band.hi_ns, 6);
		csv_row_add_double_prec(&r, w->band.knee, 4);
		csv_row_add_double_prec(&r, w->alpha, 4);
		csv_row_add_double_prec(&r, w->beta, 4);
		csv_row_add_double_prec(&r, w->measured, 6);
		csv_row_add_str(&r, w->warning);
		if (r.err)
			rc = r.err;
		else
			fprintf(f, "%.*s\n", (int)r.len, r.buf);
		csv_row_free(&r);
	}
	if (fclose(f) && !rc)
		rc = -ENOMEM;
	if (!rc)
		rc = runfile_write(dir, "predicted.csv", buf, len);
	free(buf);
	return rc;
}

/* scripts/plot-predict.sh: ./scripts, else next to the binary (build/../scripts). */
static int plot(const char *dir)
{
	char script[PATH_MAX], exe[PATH_MAX], cmd[PATH_MAX * 3];
	ssize_t n;

	snprintf(script, sizeof(script), "scripts/plot-predict.sh");
	if (!is_file(script) && (n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		char *slash;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		snprintf(script, sizeof(script), "%.*s/../scripts/plot-predict.sh", PATH_MAX - 64, exe);
	}
	if (!is_file(script)) {
		fprintf(stderr, "dmabench predict: scripts/plot-predict.sh not found: no plots\n");
		return 0;
	}
	if (strchr(dir, '\'') || strchr(script, '\''))
		return 0;
	snprintf(cmd, sizeof(cmd), "'%s' '%s'", script, dir);
	fflush(stdout);
	return system(cmd) ? 1 : 0;
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
	if (o.out && !is_dir(o.out))
		return bad("--out", o.out, "not a directory");
	if (access(outdir, W_OK | X_OK))
		return bad(o.out ? "--out" : "--run", outdir, "not writable");
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
		rc = bad("--threads", o.threads, "expected N, A-B, pow2 or all, comma-separated");
		goto out;
	}
	if (threads[nthreads - 1] > maxpus) {
		char why[128];

		snprintf(why, sizeof(why), "%d threads: above the target's %d PUs",
			 threads[nthreads - 1], maxpus);
		rc = bad("--threads", o.threads, why);
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
				rc = bad("--placement", o.placement,
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
			rc = bad("--placement", placements[i], "more threads than the placement's PUs");
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
		rc = plot(outdir);
out:
	free(rows);
	if (keys != &counter)
		free(keys);
	free_run(&run);
	c2c_free(&m);
	topo_close(t);
	return rc;
}
