/*
 * One measurement window of a sweep (bench/sweep_state.h): the strategy set
 * up, a fresh model world, the runner's threads on the planned PUs, the
 * model's invariants after, and the row with its flags (host steal, the
 * host canary, the vCPU placement probe, desched, overran, binding). Also the test hook that slows
 * one strategy on purpose (DMABENCH_INJECT_NS).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness/atomic_file.h"
#include "harness/canary.h"
#include "harness/clock.h"
#include "harness/stats.h"
#include "harness/topo.h"
#include "scenario.h"
#include "sweep_state.h"

struct window_ctx {
	const struct scenario *scenario;
	const struct strategy *strategy;
	struct scenario_thread *threads;
};

static int w_thread_init(void *arg, unsigned int thread, int pu_os, void **tctx)
{
	struct window_ctx *w = arg;
	int rc;

	model_set_this_cpu(pu_os >= 0 ? pu_os : (int)thread);
	rc = w->strategy->thread_init();
	*tctx = &w->threads[thread];
	return rc;
}

static unsigned long w_batch(void *tctx, unsigned long n)
{
	struct scenario_thread *t = tctx;

	return t->scenario->batch(t, n);
}

/*
 * Test hook: DMABENCH_INJECT_NS=STRATEGY:NS[:odd] or STRATEGY:P%[:odd] makes
 * every call of STRATEGY (both modes, every scenario) NS ns slower, or P per
 * cent slower. Each worker keeps a debt in TSC ticks (get_cycles(), calibrated
 * by clock_ticks_per_ns()): after each batch of n calls it adds n * NS ns, or
 * P% of the ticks the batch took, less what the hook itself cost that batch
 * (its TSC reads: hook_ticks, measured once at start-up), and spins the debt
 * off; what the spin overshoots is carried to the next batch. So over a
 * window P% slows the calls by P%, not by P% plus the hook's reads. (The
 * first form, until 2026-11-29, read CLOCK_MONOTONIC three or more times a
 * batch, ~60-70 ns on the 2-vCPU guest, and slowed a 16-call map-unmap batch
 * by 8-16% at "5%", as measured.) The hook cannot slow a batch by less than its own two
 * reads (a few ns): a smaller debt stays negative and the batch pays the
 * reads alone. With :odd only odd-numbered repetitions are slowed (two
 * clusters: the noise marks' test). The choice is made once per window,
 * before the runner starts: other strategies run the plain batch function
 * and pay nothing. For measuring the comparison itself (false positives and
 * power, METHODOLOGY), never the strategies.
 */
struct window_inject window_inject;
static double inject_ticks_per_call, inject_frac;	/* the current window's, read by workers */
static unsigned int inject_window;			/* bumped per injected window */
static __thread double inject_debt;			/* ticks still owed, this worker */
static __thread unsigned int inject_seen;

/* Ticks a worker spins after a batch: the debt with `add` added and the hook's cost off. */
static void inject_pay(uint64_t after, double add)
{
	uint64_t now;

	if (inject_seen != inject_window) {	/* a new window: no debt from the last */
		inject_seen = inject_window;
		inject_debt = 0;
	}
	inject_debt += add - window_inject.hook_ticks;
	if (inject_debt <= 0)
		return;
	while ((now = get_cycles()) < after + (uint64_t)inject_debt)
		cpu_relax();
	inject_debt -= (double)(now - after);
}

static unsigned long w_batch_inject_ns(void *tctx, unsigned long n)
{
	struct scenario_thread *t = tctx;
	unsigned long failed = t->scenario->batch(t, n);

	inject_pay(get_cycles(), (double)n * inject_ticks_per_call);
	return failed;
}

static unsigned long w_batch_inject_frac(void *tctx, unsigned long n)
{
	struct scenario_thread *t = tctx;
	uint64_t t0 = get_cycles(), t1;
	unsigned long failed = t->scenario->batch(t, n);

	t1 = get_cycles();
	inject_pay(t1, (double)(t1 - t0) * inject_frac);
	return failed;
}

/*
 * The hook's own cost a batch in ticks: its TSC reads, the median over 101
 * trials of 64 back-to-back reads (per read), times the reads a batch makes
 * (two in the P% form, one in the NS form).
 */
static double hook_ticks(unsigned int reads)
{
	double per[101], m = 0;

	for (int i = 0; i < 101; i++) {
		uint64_t a = get_cycles(), b;

		for (int k = 0; k < 63; k++)
			(void)get_cycles();
		b = get_cycles();
		per[i] = (double)(b - a) / 64;
	}
	stats_median(per, 101, &m);
	return m * reads;
}

int window_inject_parse(char *err, size_t len)
{
	const char *v = getenv("DMABENCH_INJECT_NS");
	char name[64], *colon, *end, q[FLAG_QUOTE_LEN];
	const char *num;
	double x;

	memset(&window_inject, 0, sizeof(window_inject));
	if (!v || !*v)
		return 0;
	colon = strchr(v, ':');
	if (!colon || (size_t)(colon - v) >= sizeof(name))
		goto bad;
	snprintf(name, sizeof(name), "%.*s", (int)(colon - v), v);
	window_inject.strategy = strategy_find(name);
	if (!window_inject.strategy)
		goto bad;
	num = colon + 1;
	errno = 0;
	x = strtod(num, &end);
	if (errno || end == num || !(x >= 0) || x > 1e6 || *num == '+' || *num == '-')
		goto bad;
	if (*end == '%') {
		window_inject.frac = x / 100;
		end++;
	} else {
		window_inject.ns = x;
	}
	if (!strcmp(end, ":odd"))
		window_inject.odd_only = true;
	else if (*end)
		goto bad;
	window_inject.ticks_per_ns = clock_ticks_per_ns();
	window_inject.hook_ticks = hook_ticks(window_inject.frac > 0 ? 2 : 1);
	return 0;
bad:
	memset(&window_inject, 0, sizeof(window_inject));
	snprintf(err, len, "dmabench: DMABENCH_INJECT_NS: invalid value '%s': expected STRATEGY:NS or STRATEGY:P%% "
		 "(a name from --list), optionally :odd", flag_quote(v, q, sizeof(q)));
	return -EINVAL;
}

static void w_thread_exit(void *tctx)
{
	struct scenario_thread *t = tctx;

	t->strategy->thread_exit();
}

static void fill_threads(struct scenario_thread *th, int n, struct model_world *world,
			 const struct scenario *sc, const struct strategy *s)
{
	for (int i = 0; i < n; i++) {
		struct scenario_thread *t = &th[i];

		memset(t, 0, sizeof(*t));
		t->scenario = sc;
		t->strategy = s;
		t->dev = model_world_device(world, i);
		t->handed = model_world_domain(world, i);
		/* fake physical pages, distinct per thread (no data moves) */
		t->phys = ((phys_addr_t)(i + 1) << 32);
		for (int k = 0; k < SCENARIO_SG_NENTS; k++) {
			t->sg[k].page_phys = t->phys + (phys_addr_t)(k + 1) * PAGE_SIZE;
			t->sg[k].offset = 0;
			t->sg[k].length = PAGE_SIZE;
		}
	}
}

/*
 * One window of configuration c: strategy setup, a fresh model world (its
 * shared objects in the home-node arena when use_arena), the runner, then
 * the model's invariants (also after an interrupted window: *check_rc), and
 * teardown. Returns the runner's result (0, -ECANCELED, -errno); *note is
 * the active strategy's note.
 */
int window_run(struct sweep *sw, const struct config *c, unsigned int rep, uint64_t warmup_ns,
	       const struct pmu_events *events, bool use_arena,
	       struct runner_result *res, struct model_check *check, int *check_rc,
	       const char **note)
{
	struct strategy_config scfg = { .kdump = c->kdump, .rcu_flavor = sw->opt->rcu_flavor };
	const struct strategy *s = c->strategy;
	struct model_world_config wcfg = {
		.nr_threads = c->threads, .sharing = c->sharing, .kdump = c->kdump,
		.strict = c->strict, .inv_ticks = sw->inv_ticks,
	};
	struct runner_config rcfg = {
		.topo = sw->plan->this_system ? sw->plan->topo : NULL,
		.slots = c->slots, .nr_threads = c->threads,
		.warmup_ns = warmup_ns, .duration_ns = sw->plan->duration_ns,
		.events = events,
		/* a sweep's windows (never the soak's, which has no events) */
		.canary = events && sw->canary_ok ? &sw->canary : NULL,
		.canary_every_ns = sw->canary_odd_only && rep % 2 == 0 ? 0 : sw->canary_every_ns,
	};
	struct window_ctx wctx = { .scenario = c->scenario };
	struct runner_work work = {
		.arg = &wctx, .thread_init = w_thread_init, .batch = w_batch,
		.thread_exit = w_thread_exit,
	};
	struct model_world *world = NULL;
	int rc;

	*check_rc = -ENODATA;	/* not checked */
	memset(res, 0, sizeof(*res));
	rc = strategy_setup(c->strategy, &scfg, &s);
	if (rc)
		return rc;
	wcfg.lookup = &s->ops;
	wctx.strategy = s;
	*note = s->note();
	if (use_arena) {
		arena_reset(&sw->arena);
		model_set_allocator(&sw->arena_allocator);
	}
	rc = model_world_create(&wcfg, &world);
	if (rc)
		goto out_teardown;
	wctx.threads = aligned_alloc(64, sizeof(*wctx.threads) * c->threads);
	if (!wctx.threads) {
		rc = -ENOMEM;
		goto out_world;
	}
	fill_threads(wctx.threads, c->threads, world, c->scenario, s);
	if (window_inject.strategy == c->strategy && (!window_inject.odd_only || rep % 2 == 1)) {
		inject_ticks_per_call = window_inject.ns * window_inject.ticks_per_ns;
		inject_frac = window_inject.frac;
		inject_window++;
		work.batch = window_inject.frac > 0 ? w_batch_inject_frac : w_batch_inject_ns;
	}
	rc = runner_run(&rcfg, &work, res);
	if (!rc || rc == -ECANCELED)
		*check_rc = model_world_check(world, check);
	free(wctx.threads);
out_world:
	model_world_destroy(world);
out_teardown:
	model_set_allocator(NULL);
	s->teardown();
	return rc;
}

/*
 * The host's steal time so far, in USER_HZ ticks summed over CPUs (the
 * "cpu" line of /proc/stat, 8th field), or -1 where there is none to read.
 * A window during which it grows ran on a vCPU the hypervisor descheduled:
 * noise from the host, not the model (row flag host-steal).
 */
static long long host_steal_ticks(void)
{
	unsigned long long v[8];
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	return n == 8 ? (long long)v[7] : -1;
}

/*
 * The host canary (canary.h): its chain, and a baseline on every PU a
 * worker will probe, before the first window. Without a canary (no memory)
 * or a baseline (a PU that cannot be bound), rows go unjudged.
 */
/* inside: 0 edges only, 1 inside every window, 2 inside odd repetitions only */
void window_canary_setup(struct sweep *sw, unsigned int slow_factor, int inside)
{
	const struct plan *p = sw->plan;

	if (canary_init(&sw->canary, CANARY_DEFAULT_BYTES, (unsigned int)topo_max_pu_os(p->topo) + 1))
		return;
	sw->canary_ok = true;
	for (unsigned int i = 0; i < p->nr_configs; i++) {
		const struct config *c = &p->configs[i];

		for (int t = 0; c->slots && t < c->threads; t++)
			if (c->slots[t].pu_os >= 0 &&
			    isnan(canary_baseline_of(&sw->canary, c->slots[t].pu_os)))
				canary_baseline(&sw->canary, c->slots[t].pu_os, CANARY_BASELINE_RUNS);
	}
	sw->canary.slow_factor = slow_factor;	/* the hook slows window probes only */
	sw->canary_every_ns = inside ? window_canary_every(p->duration_ns) : 0;
	sw->canary_odd_only = inside == 2;
}

/*
 * The pairs a window of c is judged by (pairprobe.h): its first two
 * workers' PUs, and its first and last where there are more than two.
 * Returns how many (0-2) it wrote to a[] and b[].
 */
static int window_pairs(const struct config *c, int a[2], int b[2])
{
	int first, n = 0;

	if (!c->slots || c->threads < 2 || (first = c->slots[0].pu_os) < 0)
		return 0;
	const int next[2] = { c->slots[1].pu_os, c->slots[c->threads - 1].pu_os };

	for (int k = 0; k < 2; k++) {
		if (next[k] < 0 || next[k] == first || (n && next[k] == b[0]))
			continue;
		a[n] = first;
		b[n++] = next[k];
	}
	return n;
}

/*
 * The pair probe (pairprobe.h): a baseline for every pair a window will be
 * judged by, before the first window. A pair that cannot be probed (a
 * binding refused) goes unjudged; without any, no row is.
 */
void window_pairs_setup(struct sweep *sw, unsigned int slow_factor)
{
	const struct plan *p = sw->plan;

	pairprobe_init(&sw->pairs, p->home_node);
	if (slow_factor == PAIRPROBE_HOOK_START) {
		sw->pairs.start_factor = PAIRPROBE_HOOK_FACTOR;	/* a run that starts far */
		slow_factor = 1;
	}
	for (unsigned int i = 0; i < p->nr_configs; i++) {
		int a[2], b[2], n = window_pairs(&p->configs[i], a, b);

		for (int k = 0; k < n; k++)
			if (!pairprobe_find(&sw->pairs, a[k], b[k]) &&
			    !pairprobe_baseline(&sw->pairs, p->topo, a[k], b[k], PAIRPROBE_BASELINE_RUNS))
				sw->pairs_ok = true;
	}
	sw->pairs.slow_factor = slow_factor;	/* the hook scales window probes only */
	sw->pair_probes = malloc((size_t)p->nr_configs * p->reps * sizeof(*sw->pair_probes));
	if (!sw->pair_probes)
		sw->pairs_ok = false;	/* no row is judged */
	for (size_t i = 0; sw->pair_probes && i < (size_t)p->nr_configs * p->reps; i++)
		for (int k = 0; k < 4; k++)
			sw->pair_probes[i][k] = NAN;
}

/* sw->dir/name opened as an atomic file (atomic_file.h): 0 or -errno */
static int open_run_file(struct sweep *sw, const char *name, struct atomic_file *af)
{
	char path[1200];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", sw->dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	return atomic_file_open(af, path);
}

/* a figure as the CSVs write it: empty for NAN */
static void put_ns(FILE *f, double v);

/* the same with three decimals (ns per load) */
static void put_ns3(FILE *f, double v)
{
	if (isnan(v))
		fputs(",", f);
	else
		fprintf(f, ",%.3f", v);
}

/*
 * The probes inside a window: one per CANARY_MID_EVERY_NS, or more widely
 * spaced where the window would hold more than CANARY_MID_MAX of them.
 */
uint64_t window_canary_every(uint64_t duration_ns)
{
	uint64_t every = duration_ns / (CANARY_MID_MAX + 1);

	return every > CANARY_MID_EVERY_NS ? every : CANARY_MID_EVERY_NS;
}

/*
 * One window's canary verdict over its workers (canary_judge_window: a
 * probe at an edge or CANARY_MID_MIN_OVER of those inside over
 * CANARY_SLOW_RATIO, or the median of those inside over
 * CANARY_MID_MEDIAN_RATIO), each worker's figures kept for host_canary.csv.
 */
static bool canary_window(struct sweep *sw, const struct plan_item *it, const struct runner_result *res)
{
	bool any = false;

	for (unsigned int i = 0; sw->canary_ok && i < res->nr_threads; i++) {
		const struct runner_thread *t = &res->threads[i];
		struct sweep_canary_rec r = {
			.rep_index = (size_t)it->config * sw->plan->reps + it->rep - 1,
			.thread = i, .pu = t->pu_planned, .before = t->canary_before, .after = t->canary_after,
			.mid_median = NAN, .mid_max = NAN, .mid_n = t->canary_mid_n,
		};
		double v[CANARY_MID_MAX];

		memcpy(v, t->canary_mid, t->canary_mid_n * sizeof(*v));
		r.slow = canary_judge_window(&sw->canary, t->pu_planned, t->canary_before, t->canary_after,
					     v, t->canary_mid_n, &r.mid_over);
		r.baseline = canary_baseline_of(&sw->canary, t->pu_planned);
		if (r.mid_n) {
			r.mid_median = canary_median(v, r.mid_n);
			r.mid_max = v[r.mid_n - 1];	/* sorted by canary_median */
		}
		any |= r.slow;
		if (sw->nr_canary_recs == sw->canary_recs_cap) {
			size_t cap = sw->canary_recs_cap ? 2 * sw->canary_recs_cap : 256;
			struct sweep_canary_rec *n = realloc(sw->canary_recs, cap * sizeof(*n));

			if (!n)
				continue;	/* judged, not kept: host_canary.csv says fewer */
			sw->canary_recs = n;
			sw->canary_recs_cap = cap;
		}
		sw->canary_recs[sw->nr_canary_recs++] = r;
	}
	return any;
}

int window_write_canary_csv(struct sweep *sw)
{
	const struct plan *p = sw->plan;
	struct atomic_file af;
	int rc;

	if (!sw->canary_ok || !sw->nr_canary_recs)
		return 0;
	rc = open_run_file(sw, "host_canary.csv", &af);
	if (rc)
		return rc;
	fputs("scenario,strategy,mode,invalidation,sharing,placement,home_node,threads,rep,thread,pu,"
	      "baseline_ns,before_ns,after_ns,mid_n,mid_median_ns,mid_max_ns,mid_over,host_slow\n", af.f);
	for (size_t i = 0; i < sw->nr_canary_recs; i++) {
		const struct sweep_canary_rec *r = &sw->canary_recs[i];
		const struct config *c = &p->configs[r->rep_index / p->reps];

		fprintf(af.f, "%s,%s,%s,%s,%s,%s,%d,%d,%zu,%u,%d", c->scenario->name, c->strategy->name,
			config_mode_name(c), config_invalidation_name(c), config_sharing_name(c),
			c->placement, c->home_node, c->threads, r->rep_index % p->reps + 1, r->thread, r->pu);
		put_ns3(af.f, r->baseline);
		put_ns3(af.f, r->before);
		put_ns3(af.f, r->after);
		fprintf(af.f, ",%u", r->mid_n);
		put_ns3(af.f, r->mid_median);
		put_ns3(af.f, r->mid_max);
		fprintf(af.f, ",%u,%d\n", r->mid_over, r->slow);
	}
	return atomic_file_commit(&af, 0);
}

static void put_ns(FILE *f, double v)
{
	if (isnan(v))
		fputs(",", f);
	else
		fprintf(f, ",%.2f", v);
}

/*
 * host_c2c.csv: every judged window's probes (results/README.md), in plan
 * order, after the rejudgement: the figures behind each host-c2c verdict.
 */
static int write_pairs_csv(struct sweep *sw)
{
	const struct plan *p = sw->plan;
	struct atomic_file af;
	int rc;

	rc = open_run_file(sw, "host_c2c.csv", &af);
	if (rc)
		return rc;
	fputs("scenario,strategy,mode,invalidation,sharing,placement,home_node,threads,rep,"
	      "pu_a,pu_b,before_ns,after_ns,typical_ns,host_c2c\n", af.f);
	for (size_t i = 0; i < (size_t)p->nr_configs * p->reps; i++) {
		const struct config *c = &p->configs[i / p->reps];
		const double *v = sw->pair_probes[i];
		int a[2], b[2], n = window_pairs(c, a, b);

		if (!sw->report.reps[i].done)
			continue;
		for (int k = 0; k < n; k++) {
			const struct pairprobe_pair *q = pairprobe_find(&sw->pairs, a[k], b[k]);
			double typ = q ? q->final : NAN;

			fprintf(af.f, "%s,%s,%s,%s,%s,%s,%d,%d,%zu,%d,%d", c->scenario->name, c->strategy->name,
				config_mode_name(c), config_invalidation_name(c), config_sharing_name(c),
				c->placement, c->home_node, c->threads, i % p->reps + 1, a[k], b[k]);
			put_ns(af.f, v[2 * k]);
			put_ns(af.f, v[2 * k + 1]);
			put_ns(af.f, typ);
			fprintf(af.f, ",%d\n", pairprobe_off(typ, v[2 * k], v[2 * k + 1], PAIRPROBE_RATIO));
		}
	}
	return atomic_file_commit(&af, 0);
}

int window_pairs_rejudge(struct sweep *sw)
{
	const struct plan *p = sw->plan;
	unsigned int changed = 0;
	int rc;

	if (!sw->pairs_ok)
		return 0;
	pairprobe_rejudge_begin(&sw->pairs);
	for (size_t i = 0; i < (size_t)p->nr_configs * p->reps; i++) {
		struct rep_result *rr = &sw->report.reps[i];
		const double *v = sw->pair_probes[i];
		int a[2], b[2], n = window_pairs(&p->configs[i / p->reps], a, b);
		unsigned int mask;
		bool over = false;

		if (!rr->done)
			continue;
		for (int k = 0; k < n; k++)
			over |= pairprobe_rejudge(&sw->pairs, a[k], b[k], v[2 * k], v[2 * k + 1]);
		mask = over ? rr->flags_mask | ROWFLAG_HOST_C2C : rr->flags_mask & ~ROWFLAG_HOST_C2C;
		changed += mask != rr->flags_mask;
		rr->flags_mask = mask;
	}
	rc = write_pairs_csv(sw);
	if (rc || !changed)
		return rc;
	/* stdout, with the end-of-run text: stderr is for what went wrong */
	printf("host-c2c judged again against the whole run's typical round trip: %u window(s) changed\n",
	       changed);
	return report_rewrite_flags(&sw->report);
}

/* before (after = NULL) or after a window of c: probe its pairs; after: judge them */
static bool pairs_probe(struct sweep *sw, const struct config *c, double before[2], double *after)
{
	int a[2], b[2], n = sw->pairs_ok ? window_pairs(c, a, b) : 0;
	bool over = false;

	for (int k = 0; k < n; k++) {
		double *v = after ? &after[k] : &before[k];

		if (pairprobe_measure(&sw->pairs, sw->plan->topo, a[k], b[k], v))
			*v = NAN;
		if (after && pairprobe_judge(&sw->pairs, a[k], b[k], before[k], after[k]))
			over = true;
	}
	return over;
}

int window_run_item(struct sweep *sw, const struct plan_item *it)
{
	const struct config *c = &sw->plan->configs[it->config];
	struct runner_result res;
	struct model_check check;
	unsigned int flags = 0, marks;
	const char *note = "";
	char binding[64];
	long long steal = host_steal_ticks();
	double pair_before[2] = { NAN, NAN }, pair_after[2] = { NAN, NAN };
	int rc, check_rc;

	pairs_probe(sw, c, pair_before, NULL);
	rc = window_run(sw, c, it->rep, sw->plan->warmup_ns, &sw->events, sw->arena_ok, &res, &check,
			&check_rc, &note);
	if (rc == -ECANCELED) {
		/* an interrupted window is not a finished measurement: drop it */
		runner_result_free(&res);
		return rc;
	}
	if (rc)
		return rc;

	if (res.failed)
		flags |= ROWFLAG_FAILED_CALLS;
	if (check_rc)
		flags |= ROWFLAG_INVARIANT;
	if (sw->arena_ok && arena_overflowed(&sw->arena))
		flags |= ROWFLAG_ARENA;
	if (res.bind_failures)
		flags |= ROWFLAG_BIND_FAILED;
	if (res.migrations)
		flags |= ROWFLAG_MIGRATED;
	if (steal >= 0 && host_steal_ticks() > steal)
		flags |= ROWFLAG_HOST_STEAL;
	if (canary_window(sw, it, &res))
		flags |= ROWFLAG_HOST_SLOW;
	if (pairs_probe(sw, c, pair_before, pair_after))
		flags |= ROWFLAG_HOST_C2C;
	if (sw->pair_probes) {
		double *v = sw->pair_probes[(size_t)it->config * sw->plan->reps + it->rep - 1];

		v[0] = pair_before[0];
		v[1] = pair_after[0];
		v[2] = pair_before[1];
		v[3] = pair_after[1];
	}
	marks = runner_window_marks(&res, sw->plan->duration_ns);
	if (marks & RUNNER_DESCHEDULED)
		flags |= ROWFLAG_DESCHEDULED;
	if (marks & RUNNER_OVERRAN)
		flags |= ROWFLAG_OVERRAN;
	if (!sw->plan->this_system)
		snprintf(binding, sizeof(binding), "unbound");
	else if (res.bind_failures)
		snprintf(binding, sizeof(binding), "failed:%u", res.bind_failures);
	else
		snprintf(binding, sizeof(binding), "bound");
	strncat(binding, sw->arena_ok && sw->arena.bound ? "+mem-bound" : "+mem-unbound",
		sizeof(binding) - strlen(binding) - 1);
	if (sw->opt->strict_binding && (res.bind_failures || !(sw->arena_ok && sw->arena.bound))) {
		runner_result_free(&res);
		return -EPERM;
	}
	rc = report_row(&sw->report, it, &res, binding, flags, note);
	runner_result_free(&res);
	if (rc)
		rundir_file_failed(sw, "results.csv", rc);
	return rc;
}
