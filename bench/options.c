/*
 * Flag parsing for build/dmabench: see options.h. Every flag is one row of
 * the table below (bench/flag.h): its variable or setter, its default, its
 * --quick default and its help; --help is printed from the rows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flag.h"
#include "options.h"
#include "scenario.h"

#define SOAK_MAX_MS	(30ULL * 24 * 3600 * 1000)	/* 30 days; ms * 1e6 fits in 64 bits */

/* Split a comma list into tokens; empty list or empty token is an error. */
static int split(const char *list, char tok[][128], int max)
{
	int n = 0;
	const char *p = list;

	if (!*list)
		return -EINVAL;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == 0 || len >= 128 || n == max)
			return -EINVAL;
		memcpy(tok[n], p, len);
		tok[n][len] = '\0';
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	return n;
}

/* Names from a table (strategies, scenarios): "all" is the table in its order. */
static int set_names(const char *val, const void *(*find)(const char *), const void *const *table,
		     unsigned int count, const void **out, int *nout, struct flag_error *e)
{
	char tok[OPT_MAX_LIST][128];
	int n = split(val, tok, OPT_MAX_LIST);

	if (n < 0)
		return -EINVAL;
	*nout = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(tok[i], "all") && !find(tok[i]))
			return flag_why(e, tok[i], "unknown name (see --list)");
	for (int i = 0; i < n; i++) {
		if (!strcmp(tok[i], "all")) {
			for (unsigned int k = 0; k < count; k++)
				out[(*nout)++] = table[k];
			return 0;
		}
	}
	for (int i = 0; i < n; i++) {
		const void *s = find(tok[i]);

		for (int k = 0; k < *nout; k++)
			if (out[k] == s)
				return flag_why(e, tok[i], "named twice");
		out[(*nout)++] = s;
	}
	return 0;
}

static const void *find_strategy(const char *name) { return strategy_find(name); }
static const void *find_scenario(const char *name) { return scenario_find(name); }

static int set_strategy(void *opts, const char *val, struct flag_error *e)
{
	struct options *o = opts;

	return set_names(val, find_strategy, (const void *const *)strategy_table, strategy_count,
			 (const void **)o->strategies, &o->nr_strategies, e);
}

static int set_scenario(void *opts, const char *val, struct flag_error *e)
{
	struct options *o = opts;

	return set_names(val, find_scenario, (const void *const *)scenario_table, scenario_count,
			 (const void **)o->scenarios, &o->nr_scenarios, e);
}

/* A list over a fixed set of words, into bools; "all" sets every one. */
static int set_words(const char *val, const char *const words[], bool *const outs[], int nwords,
		     struct flag_error *e)
{
	char tok[OPT_MAX_LIST][128];
	int n = split(val, tok, OPT_MAX_LIST);

	if (n < 0)
		return -EINVAL;
	for (int w = 0; w < nwords; w++)
		*outs[w] = false;
	for (int i = 0; i < n; i++) {
		int w;

		if (!strcmp(tok[i], "all")) {
			for (w = 0; w < nwords; w++)
				*outs[w] = true;
			continue;
		}
		for (w = 0; w < nwords; w++)
			if (!strcmp(tok[i], words[w]))
				break;
		if (w == nwords)
			return flag_why(e, tok[i], NULL);
		*outs[w] = true;
	}
	return 0;
}

static int set_mode(void *opts, const char *val, struct flag_error *e)
{
	struct options *o = opts;

	return set_words(val, (const char *const[]){ "normal", "kdump" },
			 (bool *const[]){ &o->mode_normal, &o->mode_kdump }, 2, e);
}

static int set_invalidation(void *opts, const char *val, struct flag_error *e)
{
	struct options *o = opts;

	return set_words(val, (const char *const[]){ "strict", "lazy" },
			 (bool *const[]){ &o->inv_strict, &o->inv_lazy }, 2, e);
}

static int set_sharing(void *opts, const char *val, struct flag_error *e)
{
	struct options *o = opts;

	return set_words(val, (const char *const[]){ "device", "group", "private" },
			 (bool *const[]){ &o->share_device, &o->share_group, &o->share_private }, 3, e);
}

static int set_threads(void *opts, const char *val, struct flag_error *e)
{
	struct options *o = opts;
	char tok[OPT_MAX_LIST][128];
	int n = split(val, tok, OPT_MAX_LIST);

	if (n < 0)
		return -EINVAL;
	o->nr_threads = 0;
	o->threads_all = o->threads_pow2 = false;
	for (int i = 0; i < n; i++) {
		char *dash = strchr(tok[i], '-');
		uint64_t a, b;

		if (!strcmp(tok[i], "all")) {
			o->threads_all = true;
		} else if (!strcmp(tok[i], "pow2")) {
			o->threads_pow2 = true;
		} else if (dash && dash != tok[i]) {
			*dash = '\0';
			if (flag_parse_u64(tok[i], 1, OPT_MAX_THREADS, &a) ||
			    flag_parse_u64(dash + 1, 1, OPT_MAX_THREADS, &b) || b < a) {
				*dash = '-';
				return flag_why(e, tok[i], NULL);
			}
			for (uint64_t t = a; t <= b; t++) {
				if (o->nr_threads == OPT_MAX_LIST)
					return flag_why(e, NULL, "more than %d thread counts", OPT_MAX_LIST);
				o->threads[o->nr_threads++] = (int)t;
			}
		} else {
			if (flag_parse_u64(tok[i], 1, OPT_MAX_THREADS, &a))
				return flag_why(e, tok[i], NULL);
			if (o->nr_threads == OPT_MAX_LIST)
				return flag_why(e, NULL, "more than %d thread counts", OPT_MAX_LIST);
			o->threads[o->nr_threads++] = (int)a;
		}
	}
	return 0;
}

static int set_placement(void *opts, const char *val, struct flag_error *e)
{
	/* cpus:0,2,4 contains commas: a token starting with a digit continues a cpus: list */
	struct options *o = opts;
	char buf[4096];
	char *save = NULL, *tok;

	if (!*val || strlen(val) >= sizeof(buf) || val[0] == ',' || val[strlen(val) - 1] == ',' ||
	    strstr(val, ",,"))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", val);
	o->nr_placements = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			o->nr_placements = 0;
			snprintf(o->placements[o->nr_placements++], 128, "compact");
			snprintf(o->placements[o->nr_placements++], 128, "scatter");
			snprintf(o->placements[o->nr_placements++], 128, "smt");
			continue;
		}
		if ((tok[0] >= '0' && tok[0] <= '9') && o->nr_placements > 0 &&
		    !strncmp(o->placements[o->nr_placements - 1], "cpus:", 5)) {
			char *p = o->placements[o->nr_placements - 1];

			if (strlen(p) + strlen(tok) + 2 >= 128)
				return flag_why(e, NULL, "cpus: list too long");
			strcat(p, ",");
			strcat(p, tok);
			continue;
		}
		if (strcmp(tok, "compact") && strcmp(tok, "scatter") && strcmp(tok, "smt") &&
		    strncmp(tok, "cpus:", 5))
			return flag_why(e, tok, NULL);
		if (!strncmp(tok, "cpus:", 5) && !tok[5])
			return flag_why(e, tok, "cpus: needs a CPU list, e.g. cpus:0,2,4");
		if (o->nr_placements == OPT_MAX_LIST || strlen(tok) >= 128)
			return flag_why(e, NULL, "too many placements");
		snprintf(o->placements[o->nr_placements++], 128, "%s", tok);
	}
	return o->nr_placements ? 0 : -EINVAL;
}

static int set_dry_run(void *opts, const char *val, struct flag_error *e)
{
	struct options *o = opts;

	(void)e;
	if (!val)
		o->dry_run = DRY_RUN_FULL;
	else if (!strcmp(val, "summary"))
		o->dry_run = DRY_RUN_SUMMARY;
	else
		return -EINVAL;
	return 0;
}

static int set_list(void *opts, const char *val, struct flag_error *e)
{
	(void)val, (void)e;
	((struct options *)opts)->action = OPT_LIST;
	return 0;
}

static int set_version(void *opts, const char *val, struct flag_error *e)
{
	(void)val, (void)e;
	((struct options *)opts)->action = OPT_VERSION;
	return 0;
}

#define O(field) FLAG_VAR(struct options, field)

static const struct flag option_flags[] = {
	{ .name = "list", .type = FLAG_CALL, .set = set_list,
	  .help = "the strategies and scenarios, one line each" },
	{ .name = "scenario", .arg = "LIST", .type = FLAG_CALL, .set = set_scenario,
	  .def = "lookup,map-unmap", .help = "lookup, map-unmap, map-sg",
	  .why = "expected a comma-separated list of names from --list" },
	{ .name = "strategy", .arg = "LIST", .type = FLAG_CALL, .set = set_strategy,
	  .def = "all", .help = "names from --list",
	  .why = "expected a comma-separated list of names from --list" },
	{ .name = "mode", .arg = "LIST", .type = FLAG_CALL, .set = set_mode,
	  .def = "all", .show = "normal, plus kdump for gated strategies", .help = "normal, kdump",
	  .why = "expected a comma-separated list of normal kdump" },
	{ .name = "invalidation", .arg = "LIST", .type = FLAG_CALL, .set = set_invalidation,
	  .def = "lazy", .help = "strict, lazy",
	  .why = "expected a comma-separated list of strict lazy" },
	{ .name = "threads", .arg = "LIST", .type = FLAG_CALL, .set = set_threads,
	  .show = "pow2: 1,2,4,... and the maximum", .help = "N, A-B, pow2, all",
	  .why = "expected numbers 1 to 4096, ranges A-B, pow2 or all, comma-separated" },
	{ .name = "placement", .arg = "LIST", .type = FLAG_CALL, .set = set_placement,
	  .show = "compact,scatter; one on a 1-node machine", .help = "compact, scatter, smt, cpus:0,2,4",
	  .why = "expected compact, scatter, smt or cpus:LIST" },
	{ .name = "sharing", .arg = "LIST", .type = FLAG_CALL, .set = set_sharing,
	  .def = "device", .help = "device, group, private",
	  .why = "expected a comma-separated list of device group private" },
	{ .name = "home-node", .arg = "N", .type = FLAG_INT, O(home_node), .max = 65535,
	  .show = "the device's, node 0", .help = "NUMA node of the shared model memory",
	  .why = "expected a NUMA node number" },
	{ .name = "duration-ms", .arg = "N", .type = FLAG_U64, O(duration_ms), .min = 1, .max = 3600000,
	  .def = "300", .quick = "60", .help = "measured window per repetition",
	  .why = "expected milliseconds, 1 to 3600000" },
	{ .name = "warmup-ms", .arg = "N", .type = FLAG_U64, O(warmup_ms), .max = 3600000,
	  .def = "100", .quick = "20", .help = "warm-up window before each",
	  .why = "expected milliseconds, 0 to 3600000" },
	{ .name = "reps", .arg = "N", .type = FLAG_UINT, O(reps), .min = 1, .max = 1000,
	  .def = "5", .quick = "3", .help = "repetitions, interleaved",
	  .why = "expected repetitions, 1 to 1000" },
	{ .name = "events", .arg = "LIST", .type = FLAG_BUF, FLAG_BUF_VAR(struct options, events),
	  .def = "cycles,instructions,cache-misses,task-clock,context-switches,cpu-migrations",
	  .help = "libpfm4 event names",
	  .why = "expected a comma-separated list of libpfm4 event names" },
	{ .name = "seed", .arg = "N", .type = FLAG_U64, O(seed), .max = UINT64_MAX, .def = "1",
	  .help = "shuffles the repetition order and seeds the bootstrap",
	  .why = "expected a non-negative integer" },
	{ .name = "out", .arg = "DIR", .type = FLAG_BUF, FLAG_BUF_VAR(struct options, out),
	  .show = "results/<machine>/<UTC stamp>", .help = "run directory (must not exist)",
	  .why = "expected a directory path that does not exist" },
	{ .name = "quick", .type = FLAG_SET, O(quick),
	  .help = "a short sweep (under 30 s on 2 cores)" },
	{ .name = "dry-run", .arg = "[=summary]", .type = FLAG_CALL, .set = set_dry_run,
	  .help = "print the plan: configurations, each thread's PU and node, the time estimate\n"
		  "(windows, the c2c pass, the plots); =summary: the counts and the estimate only",
	  .why = "expected no value or summary" },
	{ .name = "oversubscribe", .type = FLAG_SET, O(oversubscribe),
	  .help = "allow more threads than allowed PUs (rows are marked)" },
	{ .name = "strict-binding", .type = FLAG_SET, O(strict_binding),
	  .help = "a failed thread or memory binding is fatal (default: recorded per row)" },
	{ .name = "rcu-flavor", .arg = "F", .type = FLAG_ENUM, O(rcu_flavor),
	  FLAG_WORDS([RCU_FLAVOR_MEMB] = "memb", [RCU_FLAVOR_QSBR] = "qsbr"),
	  .def = "memb", .help = "memb or qsbr", .why = "expected memb or qsbr" },
	{ .name = "inv-ns", .arg = "N", .type = FLAG_U64, O(inv_ns), .max = 1000000000, .def = "500",
	  .help = "modelled cost of one IOTLB invalidation, ns",
	  .why = "expected nanoseconds, 0 to 1000000000" },
	{ .name = "soak", .arg = "DURATION", .type = FLAG_DURATION_MS, O(soak_ms), .min = 1,
	  .max = SOAK_MAX_MS,
	  .help = "soak mode: map-unmap for every strategy, then check the model's invariants\n"
		  "(DURATION: N, Ns, Nms, Nm or Nh; plain N is seconds; up to 30 days)",
	  .why = "expected a duration: N (seconds), Ns, Nms, Nm or Nh, up to 30 days" },
	{ .name = "no-c2c", .type = FLAG_SET, O(no_c2c),
	  .help = "skip the core-to-core latency pass of a sweep" },
	{ .name = "version", .type = FLAG_CALL, .set = set_version,
	  .help = "the version and the git revision" },
};

void options_usage(FILE *f)
{
	struct flag_cmd cmd = { .flags = option_flags, .nflags = FLAG_COUNT(option_flags) };

	fprintf(f,
"usage: dmabench [FLAGS]            run a sweep, write a run directory\n"
"       dmabench compare A B [RUN...]  compare run directories (A the baseline)\n"
"       dmabench c2c [FLAGS]        core-to-core latency only (--op=store|rmw|both)\n"
"       dmabench predict [FLAGS]    the contention model's band on a target machine (--help)\n"
"       dmabench check-csv FILE...  check a results.csv or summary.csv as compare and plot do\n"
"\n");
	flag_usage(&cmd, f);
	fprintf(f,
"every LIST is comma-separated and accepts 'all'\n"
"environment (hwloc's own; a topology that is not this machine allows --dry-run only):\n"
"  HWLOC_XMLFILE=FILE     plan on an hwloc XML, e.g. a run directory's topology.xml (replay)\n"
"  HWLOC_SYNTHETIC=DESC   plan on a synthetic topology, e.g. \"pack:2 numa:1 core:8 pu:2\"\n"
"  TOPO_ALLOWED=LIST      only these PUs (0-3,8), as taskset restricts a real machine\n"
"a run directory keeps topology.xml (this machine, hwloc XML), c2c.csv (store and rmw)\n"
"and runlength.csv (the run-length calibration) beside the CSVs\n");
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	struct flag_cmd cmd = {
		.prog = "dmabench", .opts = o, .flags = option_flags,
		.nflags = FLAG_COUNT(option_flags),
	};
	bool help = false;

	memset(o, 0, sizeof(*o));
	o->action = OPT_RUN;
	o->home_node = -1;		/* the device's node: plan.c */
	cmd.help = &help;
	if (flag_parse(&cmd, argc, argv, err, errlen))
		return -EINVAL;
	if (help)
		o->action = OPT_HELP;
	if (o->quick)
		flag_apply_quick(&cmd);
	o->threads_given = flag_given(&cmd, "threads");
	o->placements_given = flag_given(&cmd, "placement");
	o->events_given = flag_given(&cmd, "events");
	return 0;
}

void options_for_soak(struct options *o)
{
	o->nr_scenarios = 0;
	o->scenarios[o->nr_scenarios++] = scenario_find("map-unmap");
	o->mode_normal = o->mode_kdump = true;
	o->inv_strict = o->inv_lazy = true;
	o->share_device = o->share_group = o->share_private = true;
	if (!o->threads_given) {
		o->threads_given = true;
		o->threads_pow2 = o->threads_all = false;
		o->nr_threads = 1;
		o->threads[0] = 4;
		o->oversubscribe = true;	/* several threads, also on a 2-PU machine */
	}
	if (!o->placements_given) {
		o->placements_given = true;
		o->nr_placements = 1;
		snprintf(o->placements[0], sizeof(o->placements[0]), "compact");
	}
	o->reps = 1;
}
