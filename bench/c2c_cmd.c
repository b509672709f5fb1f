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

static void usage(FILE *f)
{
	fprintf(f,
"usage: dmabench c2c [FLAGS]\n"
"Core-to-core latency: the round trip of one cache line between every pair of\n"
"allowed PUs (unordered, from < to; sampled by a stated rule above the budget).\n"
"  --op=OP            store (default): store/load ping-pong; rmw: compare-and-swap\n"
"                     handoff (each leg a read-for-ownership, as a refcount's);\n"
"                     both: store then rmw (c2c.csv's op column tells them apart)\n"
"  --cpus=LIST        only these PUs (OS indexes: 0-3,8); default every allowed PU\n"
"  --home-node=N      NUMA node the shared line is bound to (default: the first node)\n"
"  --samples=N        median of N samples (default %u)\n"
"  --round-trips=N    round trips per sample (default %u)\n"
"  --max-pairs=N      pair budget before sampling (default %u = all pairs of 64 PUs)\n"
"  --out=DIR|FILE     write c2c.csv into DIR, or to FILE (replaced whole);\n"
"                     default or '-': the CSV on stdout, the summary on stderr\n"
"  --dry-run          print the pair plan and the sampling rule, measure nothing\n"
"  --help             this text\n",
		C2C_DEFAULT_SAMPLES, C2C_DEFAULT_ROUND_TRIPS, C2C_DEFAULT_MAX_PAIRS);
}

static int bad(const char *flag, const char *val, const char *why)
{
	if (val)
		fprintf(stderr, "dmabench c2c: %s: invalid value '%s': %s\n", flag, val, why);
	else
		fprintf(stderr, "dmabench c2c: %s: %s\n", flag, why);
	return 2;
}

/* A decimal number in [lo, hi], nothing else. */
static int parse_uint(const char *s, unsigned long lo, unsigned long hi,
		      unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/* 0, or the exit status 2 after printing why. */
static int parse_args(struct c2c_opts *o, int argc, char **argv)
{
	static const char *const with_value[] = {
		"--cpus", "--home-node", "--samples", "--round-trips", "--max-pairs",
		"--out", "--op",
	};

	memset(o, 0, sizeof(*o));
	o->home_node = -1;
	c2c_params_default(&o->params);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '='), *val = NULL;
		size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
		char name[32];
		unsigned long v;
		bool takes = false;

		if (strncmp(a, "--", 2) || nlen >= sizeof(name))
			return strncmp(a, "--", 2) ?
			       bad(a, NULL, "unexpected argument (flags are --name=value)") :
			       bad(a, NULL, "unknown flag");
		memcpy(name, a, nlen);
		name[nlen] = 0;
		for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			takes |= !strcmp(name, with_value[k]);
		if (takes) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return bad(name, NULL, "needs a value");
		} else if (eq) {
			if (!strcmp(name, "--dry-run") || !strcmp(name, "--help"))
				return bad(name, eq + 1, "takes no value");
			return bad(name, NULL, "unknown flag");
		}

		if (!strcmp(name, "--help")) {
			o->help = true;
		} else if (!strcmp(name, "--dry-run")) {
			o->dry_run = true;
		} else if (!strcmp(name, "--op")) {
			o->both = !strcmp(val, "both");
			if (!o->both && c2c_op_parse(val, &o->params.op))
				return bad(name, val, "expected store, rmw or both");
		} else if (!strcmp(name, "--cpus")) {
			if (!*val)
				return bad(name, val, "expected a list of PUs, e.g. 0-3,8");
			o->cpus = val;
		} else if (!strcmp(name, "--home-node")) {
			if (parse_uint(val, 0, INT_MAX, &v))
				return bad(name, val, "expected a NUMA node number");
			o->home_node = (int)v;
		} else if (!strcmp(name, "--samples")) {
			if (parse_uint(val, 1, 100000, &v))
				return bad(name, val, "expected a number of samples, 1 to 100000");
			o->params.samples = (unsigned int)v;
		} else if (!strcmp(name, "--round-trips")) {
			if (parse_uint(val, 1, 10000000, &v))
				return bad(name, val, "expected round trips per sample, 1 to 10000000");
			o->params.round_trips = (unsigned int)v;
		} else if (!strcmp(name, "--max-pairs")) {
			if (parse_uint(val, 1, 10000000, &v))
				return bad(name, val, "expected a number of pairs, 1 to 10000000");
			o->max_pairs = (unsigned int)v;
		} else if (!strcmp(name, "--out")) {
			if (!*val)
				return bad(name, val, "expected a directory or a file name");
			o->out = val;
		} else {
			return bad(name, NULL, "unknown flag");
		}
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
		fprintf(stderr, "dmabench c2c: measuring %u pairs\n", m->npairs);
	rc = c2c_run(m, t, &o->params);
	if (!rc && o->both) {
		struct c2c_params rmw = o->params;

		rmw.op = C2C_OP_RMW;
		rc = c2c_run(m, t, &rmw);
	}
	if (rc) {
		fprintf(stderr, "dmabench c2c: measuring failed: %s\n", strerror(-rc));
		return 1;
	}
	rc = path ? c2c_write_csv(m, path) : c2c_print_csv(m, stdout);
	if (rc) {
		fprintf(stderr, "dmabench c2c: cannot write %s: %s\n",
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
		fprintf(stderr, "dmabench c2c: cannot load the topology: %s\n", strerror(-rc));
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
		fprintf(stderr, "dmabench c2c: cannot plan the pairs: %s\n", strerror(-rc));
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
