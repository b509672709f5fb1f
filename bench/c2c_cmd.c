/*
 * `dmabench c2c` — core-to-core latency only (src/harness/c2c.h says what
 * is measured). Reads its flags, plans the pairs, measures them (or prints
 * the plan with --dry-run), writes c2c.csv and the summary lines.
 * Exit status: 0 done, 2 bad input (one line on stderr naming the flag),
 * 1 a failure at run time.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "harness/c2c.h"
#include "harness/topo.h"
#include "flag.h"

#define PROG "dmabench c2c"

#define C2C_ASSUMED_RT_NS 150.0		/* for the --dry-run time estimate only */

struct c2c_opts {
	bool help, dry_run;
	int home_node;			/* -1: the first NUMA node */
	const char *out;		/* NULL or "-": stdout */
	const char *cpus;		/* NULL: every allowed PU */
	struct c2c_params params;
	bool both;			/* --op=both: store, then rmw */
	unsigned int max_pairs;
};

static int set_op(void *opts, const char *val, struct flag_error *e)
{
	struct c2c_opts *o = opts;

	(void)e;
	o->both = !strcmp(val, "both");
	return o->both ? 0 : c2c_op_parse(val, &o->params.op);
}

#define C(field) FLAG_VAR(struct c2c_opts, field)

/* Rows without def show the value c2c_params_default() put there. */
static const struct flag c2c_flags[] = {
	{ .name = "op", .arg = "OP", .type = FLAG_CALL, .set = set_op, .show = "store",
	  .help = "store: store/load ping-pong; rmw: compare-and-swap handoff (each leg a\n"
		  "read-for-ownership, as a refcount's); both: store then rmw (c2c.csv's op\n"
		  "column tells them apart)",
	  .why = "expected store, rmw or both" },
	{ .name = "cpus", .arg = "LIST", .type = FLAG_STR, C(cpus), .show = "every allowed PU",
	  .help = "only these PUs (OS indexes: 0-3,8)",
	  .why = "expected a list of PUs, e.g. 0-3,8" },
	{ .name = "home-node", .arg = "N", .type = FLAG_INT, C(home_node), .max = INT_MAX,
	  .show = "the first node", .help = "NUMA node the shared line is bound to",
	  .why = "expected a NUMA node number" },
	{ .name = "samples", .arg = "N", .type = FLAG_UINT, C(params.samples), .min = 1, .max = 100000,
	  .help = "median of N samples", .why = "expected a number of samples, 1 to 100000" },
	{ .name = "round-trips", .arg = "N", .type = FLAG_UINT, C(params.round_trips), .min = 1,
	  .max = 10000000, .help = "round trips per sample",
	  .why = "expected round trips per sample, 1 to 10000000" },
	{ .name = "max-pairs", .arg = "N", .type = FLAG_UINT, C(max_pairs), .min = 1, .max = 10000000,
	  .help = "pair budget before sampling; the default is all pairs of 64 PUs",
	  .why = "expected a number of pairs, 1 to 10000000" },
	{ .name = "out", .arg = "DIR|FILE", .type = FLAG_STR, C(out), .show = "'-'",
	  .help = "write c2c.csv into DIR, or to FILE (replaced whole);\n"
		  "'-': the CSV on stdout, the summary on stderr",
	  .why = "expected a directory or a file name" },
	{ .name = "dry-run", .type = FLAG_SET, C(dry_run),
	  .help = "print the pair plan and the sampling rule, measure nothing" },
};

static void c2c_opts_default(struct c2c_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->home_node = -1;
	o->max_pairs = C2C_DEFAULT_MAX_PAIRS;
	c2c_params_default(&o->params);
}

static void usage(FILE *f)
{
	struct c2c_opts o;
	struct flag_cmd cmd = { .opts = &o, .flags = c2c_flags, .nflags = FLAG_COUNT(c2c_flags) };

	c2c_opts_default(&o);
	fprintf(f,
"usage: dmabench c2c [FLAGS]\n"
"Core-to-core latency: the round trip of one cache line between every pair of\n"
"allowed PUs (unordered, from < to; sampled by a stated rule above the budget).\n");
	flag_usage(&cmd, f);
}

static int bad(const char *flag, const char *val, const char *why)
{
	char err[1024];

	if (val)
		flag_bad(err, sizeof(err), PROG, flag, val, why);
	else
		snprintf(err, sizeof(err), PROG ": %s: %s", flag, why);
	fprintf(stderr, "%s\n", err);
	return 2;
}

/* 0, or the exit status 2 after printing why. */
static int parse_args(struct c2c_opts *o, int argc, char **argv)
{
	struct flag_cmd cmd = {
		.prog = PROG, .opts = o, .flags = c2c_flags, .nflags = FLAG_COUNT(c2c_flags),
		.help = &o->help,
	};
	char err[1024];

	c2c_opts_default(o);
	if (flag_parse(&cmd, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	return 0;
}

/* Where the CSV goes: NULL for stdout. 0, or exit status 2 after printing. */
static int resolve_out(const char *out, char **path)
{
	struct stat st;
	char *dir, *slash;
	int rc = 0;

	*path = NULL;
	if (!out || !strcmp(out, "-"))
		return 0;
	if (!stat(out, &st) && S_ISDIR(st.st_mode)) {
		size_t n = strlen(out);

		if (asprintf(path, "%s%sc2c.csv", out, out[n - 1] == '/' ? "" : "/") < 0)
			return bad("--out", out, "out of memory");
		return 0;
	}
	dir = strdup(out);
	if (!dir)
		return bad("--out", out, "out of memory");
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		rc = bad("--out", out, "its directory does not exist");
	else if (access(dir, W_OK | X_OK))
		rc = bad("--out", out, "its directory is not writable");
	else if (!(*path = strdup(out)))
		rc = bad("--out", out, "out of memory");
	free(dir);
	return rc;
}

static void print_plan(const struct c2c_matrix *m, const struct c2c_opts *o,
		       int home, FILE *f)
{
	char rule[512];
	double rts = (double)m->npairs * (o->params.warmup + o->params.samples) *
		     o->params.round_trips * (o->both ? 2 : 1);
	unsigned int nodes = 0;

	for (unsigned int i = 0; i < m->npus; i++) {
		bool seen = false;

		for (unsigned int j = 0; j < i; j++)
			seen |= m->pus[j].node == m->pus[i].node;
		nodes += !seen;
	}
	c2c_plan_rule(m, rule, sizeof(rule));
	fprintf(f, "c2c plan: %u PUs on %u NUMA node%s; %s\n", m->npus, nodes,
		nodes == 1 ? "" : "s", rule);
	fprintf(f, "home node: %d (the shared line's memory)\n", home);
	fprintf(f, "op: %s\n", o->both ? "store, then rmw" : c2c_op_name(o->params.op));
	fprintf(f, "method: ping-pong of one 64-byte line, median of %u samples of %u "
		"round trips after %u warm-up samples, clock overhead subtracted\n",
		o->params.samples, o->params.round_trips, o->params.warmup);
	fprintf(f, "estimate: %.1f s at an assumed %.0f ns per round trip\n",
		rts * C2C_ASSUMED_RT_NS * 1e-9, C2C_ASSUMED_RT_NS);
	fprintf(f, "diagonal: no figure (written as an empty round_trip_ns cell)\n");
	for (unsigned int i = 0; i < m->npairs; i++)
		fprintf(f, "  pair %d (node %d) <-> %d (node %d)\n", m->pairs[i].from,
			m->pairs[i].from_node, m->pairs[i].to, m->pairs[i].to_node);
}

/* The --cpus list through topo's own cpus: parser (ranges, allowed PUs). */
static int parse_cpus(struct topo *t, const char *list, int **cpus, unsigned int *n)
{
	struct topo_placement pl;
	char *spec;
	int rc;

	if (asprintf(&spec, "cpus:%s", list) < 0)
		return bad("--cpus", list, "out of memory");
	rc = topo_parse_placement(t, spec, &pl);
	free(spec);
	if (rc)
		return bad("--cpus", list,
			   "expected allowed PU OS indexes and ranges, e.g. 0-3,8");
	*cpus = malloc(pl.nr_cpus * sizeof(**cpus));
	if (!*cpus)
		return bad("--cpus", list, "out of memory");
	memcpy(*cpus, pl.cpus, pl.nr_cpus * sizeof(**cpus));
	*n = (unsigned int)pl.nr_cpus;
	return 0;
}

static int measure_and_write(struct c2c_matrix *m, struct topo *t,
			     const struct c2c_opts *o, const char *path)
{
	FILE *sum = path ? stdout : stderr;
	int rc;

	if (m->npairs > 100)
		fprintf(stderr, PROG ": measuring %u pairs\n", m->npairs);
	rc = c2c_run(m, t, &o->params);
	if (!rc && o->both) {
		struct c2c_params rmw = o->params;

		rmw.op = C2C_OP_RMW;
		rc = c2c_run(m, t, &rmw);
	}
	if (rc) {
		fprintf(stderr, PROG ": measuring failed: %s\n", strerror(-rc));
		return 1;
	}
	rc = path ? c2c_write_csv(m, path) : c2c_print_csv(m, stdout);
	if (rc) {
		fprintf(stderr, PROG ": cannot write %s: %s\n",
			path ? path : "stdout", strerror(-rc));
		return 1;
	}
	if (c2c_write_summary(m, sum))
		return 1;
	if (path)
		fprintf(stdout, "c2c.csv: %s\n", path);
	return fflush(stdout) ? 1 : 0;
}

int c2c_main(int argc, char **argv)
{
	struct c2c_opts o;
	struct c2c_matrix m = { 0 };
	struct topo *t = NULL;
	char *path = NULL;
	int *cpus = NULL;
	unsigned int ncpus = 0;
	int rc;

	rc = parse_args(&o, argc, argv);
	if (rc || o.help) {
		if (o.help)
			usage(stdout);
		return rc;
	}
	rc = topo_open(&t);
	if (rc) {
		fprintf(stderr, PROG ": cannot load the topology: %s\n", strerror(-rc));
		return 1;
	}
	if (o.home_node < 0) {
		o.home_node = topo_first_numa_node(t);
	} else if (!topo_numa_node_exists(t, o.home_node)) {
		char v[16];

		snprintf(v, sizeof(v), "%d", o.home_node);
		rc = bad("--home-node", v, "no such NUMA node");
		goto out;
	}
	o.params.home_node = o.home_node;
	if (o.cpus && (rc = parse_cpus(t, o.cpus, &cpus, &ncpus)))
		goto out;
	if (!o.dry_run && !topo_is_this_system(t)) {
		rc = bad("HWLOC_SYNTHETIC/HWLOC_XMLFILE", NULL,
			 "the topology is not this machine's: only --dry-run can use it");
		goto out;
	}
	if (!o.dry_run && (rc = resolve_out(o.out, &path)))
		goto out;
	rc = c2c_plan_topo(&m, t, cpus, ncpus, o.max_pairs);
	if (rc) {
		fprintf(stderr, PROG ": cannot plan the pairs: %s\n", strerror(-rc));
		rc = 1;
		goto out;
	}
	if (o.dry_run) {
		print_plan(&m, &o, o.home_node, stdout);
		rc = fflush(stdout) ? 1 : 0;
	} else {
		rc = measure_and_write(&m, t, &o, path);
	}
out:
	c2c_free(&m);
	free(cpus);
	free(path);
	topo_close(t);
	return rc;
}
