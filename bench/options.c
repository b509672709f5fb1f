/* Flag parsing for build/dmabench: see options.h. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"
#include "scenario.h"

enum {
	O_LIST = 256, O_HELP, O_VERSION, O_SCENARIO, O_STRATEGY, O_MODE,
	O_INVALIDATION, O_THREADS, O_PLACEMENT, O_SHARING, O_HOME_NODE,
	O_DURATION, O_WARMUP, O_REPS, O_EVENTS, O_SEED, O_OUT, O_QUICK,
	O_DRY_RUN, O_OVERSUB, O_RCU_FLAVOR, O_INV_NS, O_STRICT_BINDING,
	O_SOAK, O_NO_C2C,
};

static const struct option long_opts[] = {
	{ "list",		no_argument,		NULL, O_LIST },
	{ "help",		no_argument,		NULL, O_HELP },
	{ "version",		no_argument,		NULL, O_VERSION },
	{ "scenario",		required_argument,	NULL, O_SCENARIO },
	{ "strategy",		required_argument,	NULL, O_STRATEGY },
	{ "mode",		required_argument,	NULL, O_MODE },
	{ "invalidation",	required_argument,	NULL, O_INVALIDATION },
	{ "threads",		required_argument,	NULL, O_THREADS },
	{ "placement",		required_argument,	NULL, O_PLACEMENT },
	{ "sharing",		required_argument,	NULL, O_SHARING },
	{ "home-node",		required_argument,	NULL, O_HOME_NODE },
	{ "duration-ms",	required_argument,	NULL, O_DURATION },
	{ "warmup-ms",		required_argument,	NULL, O_WARMUP },
	{ "reps",		required_argument,	NULL, O_REPS },
	{ "events",		required_argument,	NULL, O_EVENTS },
	{ "seed",		required_argument,	NULL, O_SEED },
	{ "out",		required_argument,	NULL, O_OUT },
	{ "quick",		no_argument,		NULL, O_QUICK },
	{ "dry-run",		optional_argument,	NULL, O_DRY_RUN },
	{ "oversubscribe",	no_argument,		NULL, O_OVERSUB },
	{ "rcu-flavor",		required_argument,	NULL, O_RCU_FLAVOR },
	{ "inv-ns",		required_argument,	NULL, O_INV_NS },
	{ "strict-binding",	no_argument,		NULL, O_STRICT_BINDING },
	{ "soak",		required_argument,	NULL, O_SOAK },
	{ "no-c2c",		no_argument,		NULL, O_NO_C2C },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
	fprintf(f,
"usage: dmabench [FLAGS]            run a sweep, write a run directory\n"
"       dmabench compare A B [RUN...]  compare run directories (A the baseline)\n"
"       dmabench c2c [FLAGS]        core-to-core latency only (--op=store|rmw|both)\n"
"       dmabench predict [FLAGS]    the contention model's band on a target machine (--help)\n"
"       dmabench check-csv FILE...  check a results.csv or summary.csv as compare and plot do\n"
"\n"
"  --list                 the strategies and scenarios, one line each\n"
"  --scenario=LIST        lookup, map-unmap, map-sg        (default lookup,map-unmap)\n"
"  --strategy=LIST        names from --list                (default all)\n"
"  --mode=LIST            normal, kdump                    (default normal, plus kdump for gated strategies)\n"
"  --invalidation=LIST    strict, lazy                     (default lazy)\n"
"  --threads=LIST         N, A-B, pow2, all                (default pow2: 1,2,4,... and the maximum)\n"
"  --placement=LIST       compact, scatter, smt, cpus:0,2,4 (default compact,scatter; one on a 1-node machine)\n"
"  --sharing=LIST         device, group, private           (default device)\n"
"  --home-node=N          NUMA node of the shared model memory (default: the device's, node 0)\n"
"  --duration-ms=N        measured window per repetition   (default 300; --quick 60)\n"
"  --warmup-ms=N          warm-up window before each       (default 100; --quick 20)\n"
"  --reps=N               repetitions, interleaved         (default 5; --quick 3)\n"
"  --events=LIST          libpfm4 event names              (default cycles,instructions,cache-misses,\n"
"                         task-clock,context-switches,cpu-migrations)\n"
"  --seed=N               shuffles the repetition order and seeds the bootstrap (default 1)\n"
"  --out=DIR              run directory (must not exist)   (default results/<machine>/<UTC stamp>)\n"
"  --quick                a short sweep (under 30 s on 2 cores)\n"
"  --dry-run[=summary]    print the plan: configurations, each thread's PU and node, the time estimate\n"
"                         (windows, the c2c pass, the plots); =summary: the counts and the estimate only\n"
"  --oversubscribe        allow more threads than allowed PUs (rows are marked)\n"
"  --strict-binding       a failed thread or memory binding is fatal (default: recorded per row)\n"
"  --rcu-flavor=F         memb or qsbr                     (default memb)\n"
"  --inv-ns=N             modelled cost of one IOTLB invalidation, ns (default 500)\n"
"  --soak=DURATION        soak mode: map-unmap for every strategy, then check the model's invariants\n"
"                         (DURATION: N, Ns, Nm or Nms; plain N is seconds)\n"
"  --no-c2c               skip the core-to-core latency pass of a sweep\n"
"  -h, --help, --version\n"
"every LIST is comma-separated and accepts 'all'\n"
"environment (hwloc's own; a topology that is not this machine allows --dry-run only):\n"
"  HWLOC_XMLFILE=FILE     plan on an hwloc XML, e.g. a run directory's topology.xml (replay)\n"
"  HWLOC_SYNTHETIC=DESC   plan on a synthetic topology, e.g. \"pack:2 numa:1 core:8 pu:2\"\n"
"  TOPO_ALLOWED=LIST      only these PUs (0-3,8), as taskset restricts a real machine\n"
"a run directory keeps topology.xml (this machine, hwloc XML), c2c.csv (store and rmw)\n"
"and runlength.csv (the run-length calibration) beside the CSVs\n");
}

void options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->action = OPT_RUN;
	o->home_node = -1;
	o->duration_ms = 300;
	o->warmup_ms = 100;
	o->reps = 5;
	o->seed = 1;
	o->rcu_flavor = RCU_FLAVOR_MEMB;
	o->inv_ns = 500;
	snprintf(o->events, sizeof(o->events),
		 "cycles,instructions,cache-misses,task-clock,context-switches,cpu-migrations");
}

static int bad(char *err, size_t errlen, const char *flag, const char *val, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* See options.h. */
const char *options_quote(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s && n + 8 < len && n < 200; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			n += snprintf(buf + n, len - n, "\\x%02x", ch);
		else
			buf[n++] = (char)ch;
	}
	snprintf(buf + n, len - n, "%s", *s ? "..." : "");
	return buf;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int bad(char *err, size_t errlen, const char *flag, const char *val, const char *fmt, ...)
{
	char why[256], v[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "dmabench: %s: invalid value '%s': %s", flag,
		 options_quote(val, v, sizeof(v)), why);
	return -EINVAL;
}

/* The --name of the long option whose val is c, or NULL. */
static const char *flag_name(int c)
{
	for (const struct option *lo = long_opts; lo->name; lo++)
		if (lo->val == c)
			return lo->name;
	return NULL;
}

/* A whole-string unsigned decimal in [min, max]. */
static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')	/* strtoull would take spaces, signs */
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

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

static int parse_strategies(struct options *o, const char *val, char *err, size_t errlen)
{
	char tok[OPT_MAX_LIST][128];
	int n = split(val, tok, OPT_MAX_LIST);

	if (n < 0)
		return bad(err, errlen, "--strategy", val, "expected a comma-separated list of names from --list");
	o->nr_strategies = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(tok[i], "all") && !strategy_find(tok[i]))
			return bad(err, errlen, "--strategy", tok[i], "unknown strategy (see --list)");
	for (int i = 0; i < n; i++) {
		if (!strcmp(tok[i], "all")) {
			for (unsigned int k = 0; k < strategy_count; k++)
				o->strategies[o->nr_strategies++] = strategy_table[k];
			return 0;
		}
	}
	for (int i = 0; i < n; i++) {
		const struct strategy *s = strategy_find(tok[i]);

		for (int k = 0; k < o->nr_strategies; k++)
			if (o->strategies[k] == s)
				return bad(err, errlen, "--strategy", tok[i], "named twice");
		o->strategies[o->nr_strategies++] = s;
	}
	return 0;
}

static int parse_scenarios(struct options *o, const char *val, char *err, size_t errlen)
{
	char tok[OPT_MAX_LIST][128];
	int n = split(val, tok, OPT_MAX_LIST);

	if (n < 0)
		return bad(err, errlen, "--scenario", val, "expected a comma-separated list of lookup, map-unmap, map-sg");
	o->nr_scenarios = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(tok[i], "all") && !scenario_find(tok[i]))
			return bad(err, errlen, "--scenario", tok[i], "unknown scenario (see --list)");
	for (int i = 0; i < n; i++) {
		if (!strcmp(tok[i], "all")) {
			for (unsigned int k = 0; k < scenario_count; k++)
				o->scenarios[o->nr_scenarios++] = scenario_table[k];
			return 0;
		}
	}
	for (int i = 0; i < n; i++) {
		const struct scenario *s = scenario_find(tok[i]);

		for (int k = 0; k < o->nr_scenarios; k++)
			if (o->scenarios[k] == s)
				return bad(err, errlen, "--scenario", tok[i], "named twice");
		o->scenarios[o->nr_scenarios++] = s;
	}
	return 0;
}

/* A list over a fixed set of words, into bools; "all" sets every one. */
static int parse_words(const char *flag, const char *val, const char *const words[],
		       bool *const outs[], int nwords, char *err, size_t errlen)
{
	char tok[OPT_MAX_LIST][128];
	int n = split(val, tok, OPT_MAX_LIST);
	char expect[256] = "expected a comma-separated list of";

	for (int w = 0; w < nwords; w++) {
		strncat(expect, " ", sizeof(expect) - strlen(expect) - 1);
		strncat(expect, words[w], sizeof(expect) - strlen(expect) - 1);
	}
	if (n < 0)
		return bad(err, errlen, flag, val, "%s", expect);
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
			return bad(err, errlen, flag, tok[i], "%s", expect);
		*outs[w] = true;
	}
	return 0;
}

static int parse_threads(struct options *o, const char *val, char *err, size_t errlen)
{
	char tok[OPT_MAX_LIST][128];
	int n = split(val, tok, OPT_MAX_LIST);
	const char *why = "expected numbers >= 1, ranges A-B, pow2 or all, comma-separated";

	if (n < 0)
		return bad(err, errlen, "--threads", val, "%s", why);
	o->nr_threads = 0;
	o->threads_all = o->threads_pow2 = false;
	o->threads_given = true;
	for (int i = 0; i < n; i++) {
		char *dash = strchr(tok[i], '-');
		uint64_t a, b;

		if (!strcmp(tok[i], "all")) {
			o->threads_all = true;
		} else if (!strcmp(tok[i], "pow2")) {
			o->threads_pow2 = true;
		} else if (dash && dash != tok[i]) {
			*dash = '\0';
			if (parse_u64(tok[i], 1, OPT_MAX_THREADS, &a) ||
			    parse_u64(dash + 1, 1, OPT_MAX_THREADS, &b) || b < a) {
				*dash = '-';
				return bad(err, errlen, "--threads", tok[i], "%s", why);
			}
			for (uint64_t t = a; t <= b; t++) {
				if (o->nr_threads == OPT_MAX_LIST)
					return bad(err, errlen, "--threads", val, "more than %d thread counts", OPT_MAX_LIST);
				o->threads[o->nr_threads++] = (int)t;
			}
		} else {
			if (parse_u64(tok[i], 1, OPT_MAX_THREADS, &a))
				return bad(err, errlen, "--threads", tok[i], "%s (at most %d)", why, OPT_MAX_THREADS);
			if (o->nr_threads == OPT_MAX_LIST)
				return bad(err, errlen, "--threads", val, "more than %d thread counts", OPT_MAX_LIST);
			o->threads[o->nr_threads++] = (int)a;
		}
	}
	return 0;
}

static int parse_placements(struct options *o, const char *val, char *err, size_t errlen)
{
	/* cpus:0,2,4 contains commas: a token starting with a digit continues a cpus: list */
	char buf[4096];
	char *save = NULL, *tok;

	if (!*val || strlen(val) >= sizeof(buf) || val[0] == ',' || val[strlen(val) - 1] == ',' ||
	    strstr(val, ",,"))
		return bad(err, errlen, "--placement", val, "expected compact, scatter, smt or cpus:LIST");
	snprintf(buf, sizeof(buf), "%s", val);
	o->nr_placements = 0;
	o->placements_given = true;
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
				return bad(err, errlen, "--placement", val, "cpus: list too long");
			strcat(p, ",");
			strcat(p, tok);
			continue;
		}
		if (strcmp(tok, "compact") && strcmp(tok, "scatter") && strcmp(tok, "smt") &&
		    strncmp(tok, "cpus:", 5))
			return bad(err, errlen, "--placement", tok, "expected compact, scatter, smt or cpus:LIST");
		if (!strncmp(tok, "cpus:", 5) && !tok[5])
			return bad(err, errlen, "--placement", tok, "cpus: needs a CPU list, e.g. cpus:0,2,4");
		if (o->nr_placements == OPT_MAX_LIST || strlen(tok) >= 128)
			return bad(err, errlen, "--placement", val, "too many placements");
		snprintf(o->placements[o->nr_placements++], 128, "%s", tok);
	}
	if (o->nr_placements == 0)
		return bad(err, errlen, "--placement", val, "expected compact, scatter, smt or cpus:LIST");
	return 0;
}

#define SOAK_MAX_MS	(30ULL * 24 * 3600 * 1000)	/* 30 days; ms * 1e6 fits in 64 bits */

/* N (seconds), Ns, Nm, Nms, Nh; at most SOAK_MAX_MS */
static int parse_duration_ms(const char *s, uint64_t *ms)
{
	char num[64];
	size_t len = strspn(s, "0123456789");
	const char *unit = s + len;
	uint64_t v, mul;

	if (len == 0 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len);
	num[len] = '\0';
	if (parse_u64(num, 1, UINT64_C(1) << 40, &v))
		return -EINVAL;
	if (!*unit || !strcmp(unit, "s"))
		mul = 1000;
	else if (!strcmp(unit, "ms"))
		mul = 1;
	else if (!strcmp(unit, "m"))
		mul = 60000;
	else if (!strcmp(unit, "h"))
		mul = 3600000;
	else
		return -EINVAL;
	if (v > SOAK_MAX_MS / mul)
		return -EINVAL;
	*ms = v * mul;
	return 0;
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	bool dur_given = false, warm_given = false, reps_given = false;
	uint64_t v;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		const char *a = optarg;
		char flag[64], shownv[256];
		int rc = 0;

		snprintf(flag, sizeof(flag), "--%s", flag_name(c) ? flag_name(c) : "?");
		/* "--out --dry-run": the next flag is not a value (getopt would take it) */
		if (a && a == argv[optind - 1] && !strncmp(a, "--", 2)) {
			snprintf(err, errlen, "dmabench: %s: missing value (%s=VALUE)", flag, flag);
			return -EINVAL;
		}
		if (a && has_control(a))
			return bad(err, errlen, flag, a, "control characters are not allowed");
		switch (c) {
		case O_LIST: o->action = OPT_LIST; break;
		case O_HELP: o->action = OPT_HELP; break;
		case O_VERSION: o->action = OPT_VERSION; break;
		case O_SCENARIO: rc = parse_scenarios(o, a, err, errlen); break;
		case O_STRATEGY: rc = parse_strategies(o, a, err, errlen); break;
		case O_MODE: {
			static const char *const w[] = { "normal", "kdump" };
			bool *const outs[] = { &o->mode_normal, &o->mode_kdump };

			rc = parse_words("--mode", a, w, outs, 2, err, errlen);
			break;
		}
		case O_INVALIDATION: {
			static const char *const w[] = { "strict", "lazy" };
			bool *const outs[] = { &o->inv_strict, &o->inv_lazy };

			rc = parse_words("--invalidation", a, w, outs, 2, err, errlen);
			break;
		}
		case O_SHARING: {
			static const char *const w[] = { "device", "group", "private" };
			bool *const outs[] = { &o->share_device, &o->share_group, &o->share_private };

			rc = parse_words("--sharing", a, w, outs, 3, err, errlen);
			break;
		}
		case O_THREADS: rc = parse_threads(o, a, err, errlen); break;
		case O_PLACEMENT: rc = parse_placements(o, a, err, errlen); break;
		case O_HOME_NODE:
			if (parse_u64(a, 0, 65535, &v))
				return bad(err, errlen, "--home-node", a, "expected a NUMA node number");
			o->home_node = (int)v;
			break;
		case O_DURATION:
			if (parse_u64(a, 1, 3600 * 1000, &o->duration_ms))
				return bad(err, errlen, "--duration-ms", a, "expected milliseconds, 1 to 3600000");
			dur_given = true;
			break;
		case O_WARMUP:
			if (parse_u64(a, 0, 3600 * 1000, &o->warmup_ms))
				return bad(err, errlen, "--warmup-ms", a, "expected milliseconds, 0 to 3600000");
			warm_given = true;
			break;
		case O_REPS:
			if (parse_u64(a, 1, 1000, &v))
				return bad(err, errlen, "--reps", a, "expected repetitions, 1 to 1000");
			o->reps = (unsigned int)v;
			reps_given = true;
			break;
		case O_EVENTS:
			if (!*a || strlen(a) >= sizeof(o->events))
				return bad(err, errlen, "--events", a, "expected a comma-separated list of libpfm4 event names");
			snprintf(o->events, sizeof(o->events), "%s", a);
			o->events_given = true;
			break;
		case O_SEED:
			if (parse_u64(a, 0, UINT64_MAX, &o->seed))
				return bad(err, errlen, "--seed", a, "expected a non-negative integer");
			break;
		case O_OUT:
			if (!*a || strlen(a) >= sizeof(o->out))
				return bad(err, errlen, "--out", a, "expected a directory path that does not exist");
			snprintf(o->out, sizeof(o->out), "%s", a);
			break;
		case O_QUICK: o->quick = true; break;
		case O_DRY_RUN:
			if (!a)
				o->dry_run = DRY_RUN_FULL;
			else if (!strcmp(a, "summary"))
				o->dry_run = DRY_RUN_SUMMARY;
			else
				return bad(err, errlen, "--dry-run", a, "expected no value or summary");
			break;
		case 'h': o->action = OPT_HELP; break;
		case O_OVERSUB: o->oversubscribe = true; break;
		case O_STRICT_BINDING: o->strict_binding = true; break;
		case O_NO_C2C: o->no_c2c = true; break;
		case O_RCU_FLAVOR:
			if (!strcmp(a, "memb"))
				o->rcu_flavor = RCU_FLAVOR_MEMB;
			else if (!strcmp(a, "qsbr"))
				o->rcu_flavor = RCU_FLAVOR_QSBR;
			else
				return bad(err, errlen, "--rcu-flavor", a, "expected memb or qsbr");
			break;
		case O_INV_NS:
			if (parse_u64(a, 0, 1000 * 1000 * 1000, &o->inv_ns))
				return bad(err, errlen, "--inv-ns", a, "expected nanoseconds, 0 to 1000000000");
			break;
		case O_SOAK:
			if (parse_duration_ms(a, &o->soak_ms))
				return bad(err, errlen, "--soak", a, "expected a duration: N (seconds), Ns, Nms, Nm or Nh, up to 30 days");
			break;
		case ':':
			/* optopt: the option that lacks its value */
			snprintf(err, errlen, "dmabench: --%s: missing value (--%s=VALUE)",
				 flag_name(optopt) ? flag_name(optopt) : "?",
				 flag_name(optopt) ? flag_name(optopt) : "?");
			return -EINVAL;
		default:
			/* glibc: optopt is the option's val when a flag that takes no
			 * value got one, the character of an unknown short flag, else 0 */
			if (flag_name(optopt))
				snprintf(err, errlen, "dmabench: --%s: takes no value (see --help)",
					 flag_name(optopt));
			else if (optopt > 0 && optopt < 256)
				snprintf(err, errlen, "dmabench: -%s: unknown flag (see --help)",
					 options_quote((char[]){ (char)optopt, 0 }, shownv,
						       sizeof(shownv)));
			else
				snprintf(err, errlen, "dmabench: %s: unknown flag (see --help)",
					 options_quote(optind > 0 && optind <= argc ? argv[optind - 1] : "?",
						       shownv, sizeof(shownv)));
			return -EINVAL;
		}
		if (rc)
			return rc;
	}
	if (optind < argc) {
		char v[256];

		snprintf(err, errlen, "dmabench: %s: unexpected argument (see --help)",
			 options_quote(argv[optind], v, sizeof(v)));
		return -EINVAL;
	}
	if (o->quick) {
		if (!dur_given)
			o->duration_ms = 60;
		if (!warm_given)
			o->warmup_ms = 20;
		if (!reps_given)
			o->reps = 3;
	}
	if (o->nr_scenarios == 0) {
		o->scenarios[o->nr_scenarios++] = scenario_find("lookup");
		o->scenarios[o->nr_scenarios++] = scenario_find("map-unmap");
	}
	if (o->nr_strategies == 0)
		for (unsigned int k = 0; k < strategy_count; k++)
			o->strategies[o->nr_strategies++] = strategy_table[k];
	if (!o->mode_normal && !o->mode_kdump)
		o->mode_normal = o->mode_kdump = true;	/* kdump only where gated: plan.c */
	if (!o->inv_strict && !o->inv_lazy)
		o->inv_lazy = true;
	if (!o->share_device && !o->share_group && !o->share_private)
		o->share_device = true;
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
