/* The sweep resolved against the machine: see plan.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness/c2c.h"
#include "harness/pmu.h"
#include "plan.h"
#include "scenario.h"

#define ITEM_OVERHEAD_NS	(5 * 1000 * 1000ULL)	/* threads, world, CSV row */

const char *config_mode_name(const struct config *c)
{
	return c->kdump ? "kdump" : "normal";
}

const char *config_invalidation_name(const struct config *c)
{
	if (!c->scenario->maps)
		return "none";
	return c->strict ? "strict" : "lazy";
}

const char *config_sharing_name(const struct config *c)
{
	switch (c->sharing) {
	case MODEL_SHARE_DEVICE: return "device";
	case MODEL_SHARE_GROUP: return "group";
	case MODEL_SHARE_PRIVATE: return "private";
	}
	return "?";
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * The thread counts for one placement with max usable PUs, in *outp
 * (malloc'd, sized from max: --threads=all gives one count per PU, and a
 * machine has as many PUs as it has). Returns how many, or -errno.
 */
static int thread_counts(const struct options *o, int max, int **outp, char *err, size_t errlen)
{
	size_t cap = (size_t)max + 1 + (size_t)o->nr_threads;	/* all, max itself, --threads=N,... */
	int n = 0, *out;

	for (int t = 1; t < max; t *= 2)	/* the powers of 2 below max */
		cap++;
	*outp = out = malloc(cap * sizeof(*out));
	if (!out)
		return -ENOMEM;

	if (!o->threads_given || o->threads_pow2) {
		for (int t = 1; t < max; t *= 2)
			out[n++] = t;
		out[n++] = max;
	}
	if (o->threads_all)
		for (int t = 1; t <= max; t++)
			out[n++] = t;
	for (int i = 0; i < o->nr_threads; i++) {
		if (o->threads[i] > max && !o->oversubscribe) {
			snprintf(err, errlen,
				 "dmabench: --threads: invalid value '%d': more than the %d allowed PUs (use --oversubscribe)",
				 o->threads[i], max);
			return -EINVAL;
		}
		out[n++] = o->threads[i];
	}
	qsort(out, n, sizeof(*out), cmp_int);
	int u = 0;
	for (int i = 0; i < n; i++)
		if (u == 0 || out[u - 1] != out[i])
			out[u++] = out[i];
	return u;
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int add_config(struct plan *p, unsigned int *cap, const struct config *c)
{
	if (p->nr_configs == *cap) {
		unsigned int ncap = *cap ? *cap * 2 : 64;
		struct config *n = realloc(p->configs, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		p->configs = n;
		*cap = ncap;
	}
	p->configs[p->nr_configs] = *c;
	p->configs[p->nr_configs].index = p->nr_configs;
	p->nr_configs++;
	return 0;
}

static void note(struct plan *p, const char *s)
{
	if (p->nr_notes < (int)ARRAY_SIZE(p->notes))
		snprintf(p->notes[p->nr_notes++], sizeof(p->notes[0]), "%s", s);
}

static int plan_slots(struct plan *p, const struct options *o, struct config *c,
		      const struct topo_placement *pl, char *err, size_t errlen)
{
	size_t len = 0;
	int rc;

	c->slots = calloc(c->threads, sizeof(*c->slots));
	if (!c->slots)
		return -ENOMEM;
	rc = topo_plan(p->topo, pl, c->threads, o->oversubscribe, c->slots);
	if (rc == -E2BIG) {
		snprintf(err, errlen,
			 "dmabench: --threads: invalid value '%d': more threads than PUs for placement %s (use --oversubscribe)",
			 c->threads, c->placement);
		return -EINVAL;
	}
	if (rc) {
		snprintf(err, errlen, "dmabench: --placement: invalid value '%s': %s",
			 c->placement, strerror(-rc));
		return -EINVAL;
	}
	c->nodes_used = topo_plan_nodes_used(c->slots, c->threads);
	c->cpus[0] = '\0';
	for (int i = 0; i < c->threads; i++) {
		len += snprintf(c->cpus + len, sizeof(c->cpus) > len ? sizeof(c->cpus) - len : 0,
				"%s%d", i ? "+" : "", c->slots[i].pu_os);
		if (c->slots[i].oversubscribed)
			c->flags |= CONFIG_OVERSUBSCRIBED;
		if (c->slots[i].smt_shared)
			c->flags |= CONFIG_SMT_SHARED;
	}
	if (len >= sizeof(c->cpus))
		snprintf(c->cpus + sizeof(c->cpus) - 4, 4, "...");
	return 0;
}

/* Where topo_open() took the topology from, as hwloc's precedence has it (topo.h). */
static void topo_source(char *buf, size_t len)
{
	static const char *const vars[] = { "HWLOC_FSROOT", "HWLOC_SYNTHETIC", "HWLOC_XMLFILE" };
	const char *allowed = getenv("TOPO_ALLOWED");
	char q[FLAG_QUOTE_LEN];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v) {
			n = snprintf(buf, len, " from %s='%s'", vars[i], flag_quote(v, q, sizeof(q)));
			break;
		}
	}
	if (!n)
		n = snprintf(buf, len, " of this machine (hwloc)");
	if (allowed && n < len)
		snprintf(buf + n, len - n, " with TOPO_ALLOWED='%s'", flag_quote(allowed, q, sizeof(q)));
}

/* --events names libpfm4 knows: checked here so --dry-run refuses them too. */
static int check_events(const struct options *o, char *err, size_t errlen)
{
	struct pmu_events ev;
	char why[256], q[FLAG_QUOTE_LEN];
	int rc;

	rc = pmu_init();
	if (!rc)
		rc = pmu_events_parse(o->events, &ev, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "libpfm4: %s", strerror(-rc));
	if (rc) {
		snprintf(err, errlen, "dmabench: --events: invalid value '%s': %s",
			 flag_quote(o->events, q, sizeof(q)), why);
		return -EINVAL;
	}
	pmu_events_free(&ev);
	return 0;
}

int plan_build(struct plan *p, const struct options *o, char *err, size_t errlen)
{
	static struct topo_placement pls[OPT_MAX_LIST];	/* 4.6 KB each: not on the stack */
	const char *plnames[OPT_MAX_LIST];
	int nr_pl = 0, nnodes, npus, rc;
	unsigned int cap = 0;
	uint64_t rng;

	memset(p, 0, sizeof(*p));
	rc = check_events(o, err, errlen);
	if (rc)
		return rc;
	rc = topo_open(&p->topo);
	if (rc) {
		char src[600];

		topo_source(src, sizeof(src));
		snprintf(err, errlen, "dmabench: cannot load the topology%s: %s", src,
			 rc == -EFBIG ? "a file larger than 32 MiB is not a topology" :
			 rc == -EINVAL && getenv("TOPO_ALLOWED") ?
				"hwloc cannot read it, or TOPO_ALLOWED does not parse" :
			 rc == -EINVAL ? "hwloc cannot read it" :
			 rc == -ENODEV ? "no allowed PU is left" :
			 rc == -ENOTUNIQ ? "two PUs have the same OS index" : strerror(-rc));
		return rc;
	}
	p->this_system = topo_is_this_system(p->topo);
	npus = topo_nr_allowed_pus(p->topo);
	nnodes = topo_nr_numa_nodes(p->topo);
	if (npus < 1) {
		snprintf(err, errlen, "dmabench: no allowed PU in this process's cpuset");
		return -EINVAL;
	}

	if (o->home_node >= 0) {
		if (!topo_numa_node_exists(p->topo, o->home_node)) {
			snprintf(err, errlen,
				 "dmabench: --home-node: invalid value '%d': no such NUMA node (this machine has %d)",
				 o->home_node, topo_nr_numa_nodes_total(p->topo));
			return -EINVAL;
		}
		p->home_node = o->home_node;
	} else {
		p->home_node = topo_numa_node_exists(p->topo, 0) ? 0 : topo_first_numa_node(p->topo);
	}

	if (o->placements_given) {
		for (int i = 0; i < o->nr_placements; i++)
			plnames[nr_pl++] = o->placements[i];
	} else {
		plnames[nr_pl++] = "compact";
		if (nnodes > 1)
			plnames[nr_pl++] = "scatter";
		else
			note(p, "one NUMA node with allowed PUs: compact and scatter place threads alike; running compact only");
	}
	for (int i = 0; i < nr_pl; i++) {
		rc = topo_parse_placement(p->topo, plnames[i], &pls[i]);
		if (rc) {
			snprintf(err, errlen, "dmabench: --placement: invalid value '%s': %s", plnames[i],
				 rc == -EINVAL ? "expected compact, scatter, smt or cpus:LIST of allowed PUs"
					       : strerror(-rc));
			return -EINVAL;
		}
	}

	for (int si = 0; si < o->nr_scenarios; si++) {
		const struct scenario *sc = o->scenarios[si];

		for (int inv = 0; inv < 2; inv++) {
			bool strict = inv == 0;

			if (sc->maps && ((strict && !o->inv_strict) || (!strict && !o->inv_lazy)))
				continue;
			if (!sc->maps && inv == 1)
				continue;
			for (int sh = 0; sh < 3; sh++) {
				static const enum model_sharing shv[] = {
					MODEL_SHARE_DEVICE, MODEL_SHARE_GROUP, MODEL_SHARE_PRIVATE };
				bool want = sh == 0 ? o->share_device : sh == 1 ? o->share_group : o->share_private;

				if (!want)
					continue;
				for (int pi = 0; pi < nr_pl; pi++) {
					int *counts = NULL;
					int max = topo_placement_max_threads(p->topo, &pls[pi]);
					int nc = thread_counts(o, max, &counts, err, errlen);

					if (nc < 0) {
						free(counts);
						return nc;
					}
					for (int m = 0; m < 2; m++) {
						bool kdump = m == 1;

						if ((kdump && !o->mode_kdump) || (!kdump && !o->mode_normal))
							continue;
						for (int st = 0; st < o->nr_strategies; st++) {
							const struct strategy *s = o->strategies[st];

							if (kdump && !(s->flags & STRATEGY_GATED))
								continue;
							for (int ti = 0; ti < nc; ti++) {
								struct config c = {
									.scenario = sc, .strategy = s, .kdump = kdump,
									.strict = sc->maps && strict, .sharing = shv[sh],
									.home_node = p->home_node, .threads = counts[ti],
								};

								snprintf(c.placement, sizeof(c.placement), "%s",
									 topo_placement_name(&pls[pi]));
								rc = plan_slots(p, o, &c, &pls[pi], err, errlen);
								if (!rc)
									rc = add_config(p, &cap, &c);
								if (rc) {
									free(c.slots);
									free(counts);
									return rc;
								}
							}
						}
					}
					free(counts);
				}
			}
		}
	}
	if (p->nr_configs == 0) {
		snprintf(err, errlen, "dmabench: --mode: invalid value 'kdump': no selected strategy is gated (see --list)");
		return -EINVAL;
	}

	p->reps = o->reps;
	p->c2c = !o->no_c2c;
	p->duration_ns = o->duration_ms * 1000000ULL;
	p->warmup_ns = o->warmup_ms * 1000000ULL;
	p->order = calloc((size_t)p->nr_configs * p->reps, sizeof(*p->order));
	if (!p->order)
		return -ENOMEM;
	rng = o->seed;
	for (unsigned int r = 0; r < p->reps; r++) {
		struct plan_item *round = p->order + (size_t)r * p->nr_configs;

		for (unsigned int i = 0; i < p->nr_configs; i++)
			round[i] = (struct plan_item){ .config = i, .rep = r + 1 };
		for (unsigned int i = p->nr_configs - 1; i > 0; i--) {
			unsigned int j = splitmix64(&rng) % (i + 1);
			struct plan_item t = round[i];

			round[i] = round[j];
			round[j] = t;
		}
	}
	return 0;
}

double plan_estimate_s(const struct plan *p)
{
	double per = (double)(p->duration_ns + p->warmup_ns + ITEM_OVERHEAD_NS) / 1e9;

	return per * p->nr_configs * p->reps;
}

/* Configurations i and k are drawn on one plot (plot.sh's group and mode). */
static bool same_plot(const struct config *a, const struct config *b)
{
	return a->scenario == b->scenario && a->strict == b->strict && a->sharing == b->sharing &&
	       !strcmp(a->placement, b->placement) && a->home_node == b->home_node && a->kdump == b->kdump;
}

void plan_estimate(const struct plan *p, struct plan_estimate *e)
{
	unsigned int npus = (unsigned int)topo_nr_allowed_pus(p->topo);

	memset(e, 0, sizeof(*e));
	e->windows_s = plan_estimate_s(p);
	if (p->c2c && npus > 1) {
		e->c2c_pairs = npus * (npus - 1) / 2;
		if (e->c2c_pairs > C2C_DEFAULT_MAX_PAIRS)
			e->c2c_pairs = C2C_DEFAULT_MAX_PAIRS;
		e->c2c_s = e->c2c_pairs * PLAN_C2C_PAIR_S;
	}
	/* plot.sh: per group and mode throughput, latency, overhead, usl; per
	 * group with kdump rows one kdump plot; a fit per strategy curve with
	 * four thread counts or more; the c2c heatmap */
	for (unsigned int i = 0; i < p->nr_configs; i++) {
		const struct config *c = &p->configs[i];
		bool first_plot = true, first_curve = true, first_group = true;
		unsigned int points = 0;

		for (unsigned int k = 0; k < i; k++) {
			const struct config *o = &p->configs[k];

			if (same_plot(o, c)) {
				first_plot = false;
				if (o->strategy == c->strategy)
					first_curve = false;
			}
			if (o->scenario == c->scenario && o->strict == c->strict && o->sharing == c->sharing &&
			    !strcmp(o->placement, c->placement) && o->home_node == c->home_node && o->kdump)
				first_group = false;
		}
		if (first_plot)
			e->plots += 4;
		if (first_group && c->kdump)
			e->plots += 1;
		if (!first_curve)
			continue;
		for (unsigned int k = 0; k < p->nr_configs; k++)
			points += same_plot(&p->configs[k], c) && p->configs[k].strategy == c->strategy;
		if (points >= 4)
			e->fits++;
	}
	if (e->c2c_pairs)
		e->plots++;
	e->plots_s = e->plots * PLAN_PLOT_S + e->fits * PLAN_USL_FIT_S;
	e->total_s = e->windows_s + e->c2c_s + e->plots_s;
}

static void print_estimate(const struct plan *p, FILE *f)
{
	struct plan_estimate e;

	plan_estimate(p, &e);
	fprintf(f, "estimated run time: %.0f s: windows %.0f s (plus about %.0f ms per window to set up), "
		"c2c %.0f s (%u pairs%s), plots %.0f s (%u plots, %u USL fits)\n",
		e.total_s, e.windows_s, ITEM_OVERHEAD_NS / 1e6, e.c2c_s, e.c2c_pairs,
		p->c2c ? "" : ": --no-c2c", e.plots_s, e.plots, e.fits);
}

void plan_print_summary(const struct plan *p, FILE *f)
{
	int threads[256], nt = 0;
	unsigned int nstrat = 0, nscen = 0;
	char pl[512] = "";
	size_t pn = 0;

	for (unsigned int i = 0; i < p->nr_configs; i++) {
		const struct config *c = &p->configs[i];
		bool seen_t = false, seen_s = false, seen_sc = false, seen_p = false;

		for (int t = 0; t < nt; t++)
			seen_t |= threads[t] == c->threads;
		if (!seen_t && nt < 256)
			threads[nt++] = c->threads;
		for (unsigned int k = 0; k < i; k++) {
			seen_s |= p->configs[k].strategy == c->strategy && p->configs[k].kdump == c->kdump;
			seen_sc |= p->configs[k].scenario == c->scenario;
			seen_p |= !strcmp(p->configs[k].placement, c->placement);
		}
		nstrat += !seen_s;
		nscen += !seen_sc;
		if (!seen_p && pn < sizeof(pl))
			pn += snprintf(pl + pn, sizeof(pl) - pn, "%s%s", pn ? "," : "", c->placement);
	}
	qsort(threads, nt, sizeof(int), cmp_int);
	fprintf(f, "topology: %d allowed PUs, %d NUMA node(s) with allowed PUs%s\n",
		topo_nr_allowed_pus(p->topo), topo_nr_numa_nodes(p->topo),
		p->this_system ? "" : " (not this machine)");
	fprintf(f, "plan: %u configurations (%u scenarios x %u strategy/mode pairs x %d thread counts (",
		p->nr_configs, nscen, nstrat, nt);
	for (int t = 0; t < nt; t++)
		fprintf(f, "%s%d", t ? "," : "", threads[t]);
	fprintf(f, ") x placements %s) x %u repetitions = %u windows of %.0f ms (+%.0f ms warm-up)\n",
		pl, p->reps, p->nr_configs * p->reps, p->duration_ns / 1e6, p->warmup_ns / 1e6);
	print_estimate(p, f);
}

void plan_print(const struct plan *p, FILE *f)
{
	fprintf(f, "topology: %d allowed PUs, %d NUMA node(s) with allowed PUs%s\n",
		topo_nr_allowed_pus(p->topo), topo_nr_numa_nodes(p->topo),
		p->this_system ? "" : " (not this machine: synthetic or XML topology; plan only)");
	fprintf(f, "home node: %d (shared group, domain, page table and IOVA tree memory)\n", p->home_node);
	for (int i = 0; i < p->nr_notes; i++)
		fprintf(f, "note: %s\n", p->notes[i]);
	fprintf(f, "plan: %u configurations x %u repetitions = %u windows of %.0f ms (+%.0f ms warm-up), interleaved\n",
		p->nr_configs, p->reps, p->nr_configs * p->reps,
		p->duration_ns / 1e6, p->warmup_ns / 1e6);
	print_estimate(p, f);
	fprintf(f, "\nconfigurations:\n");
	for (unsigned int i = 0; i < p->nr_configs; i++) {
		const struct config *c = &p->configs[i];

		fprintf(f, "  %4u  scenario=%s strategy=%s mode=%s invalidation=%s sharing=%s placement=%s home_node=%d threads=%d cpus=%s nodes=%d%s%s\n",
			i + 1, c->scenario->name, c->strategy->name, config_mode_name(c),
			config_invalidation_name(c), config_sharing_name(c), c->placement,
			c->home_node, c->threads, c->cpus, c->nodes_used,
			(c->flags & CONFIG_OVERSUBSCRIBED) ? " oversubscribed" : "",
			(c->flags & CONFIG_SMT_SHARED) ? " smt-shared" : "");
	}
	fprintf(f, "\nthread placement (each distinct placement and thread count):\n");
	for (unsigned int i = 0; i < p->nr_configs; i++) {
		const struct config *c = &p->configs[i];
		bool seen = false;

		for (unsigned int k = 0; k < i && !seen; k++)
			seen = p->configs[k].threads == c->threads &&
			       !strcmp(p->configs[k].placement, c->placement);
		if (seen)
			continue;
		fprintf(f, "  placement=%s threads=%d\n", c->placement, c->threads);
		topo_plan_print(p->topo, c->slots, c->threads, f);
	}
}

void plan_free(struct plan *p)
{
	for (unsigned int i = 0; i < p->nr_configs; i++)
		free(p->configs[i].slots);
	free(p->configs);
	free(p->order);
	if (p->topo)
		topo_close(p->topo);
	memset(p, 0, sizeof(*p));
}
