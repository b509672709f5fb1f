/* Running a plan: see sweep.h. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "harness/arena.h"
#include "harness/atomic_file.h"
#include "harness/c2c.h"
#include "harness/canary.h"
#include "harness/pairprobe.h"
#include "harness/clock.h"
#include "harness/costmodel.h"
#include "harness/runlen.h"
#include "runfile.h"
#include "harness/machine.h"
#include "harness/pmu.h"
#include "harness/runner.h"
#include "harness/stats.h"
#include "model/alloc.h"
#include "model/model.h"
#include "report.h"
#include "scenario.h"
#include "sweep.h"
#include "version.h"

#define ARENA_BYTES	(256UL << 20)	/* reserved, touched only as used */

/* make MITIGATIONS=1: retpolines and return thunks, as an x86 distribution kernel */
#ifdef DMABENCH_MITIGATIONS
#define DMABENCH_BUILD_FLAVOUR	"mitigations (-mindirect-branch=thunk -mfunction-return=thunk)"
#else
#define DMABENCH_BUILD_FLAVOUR	"plain"
#endif

/*
 * Interruption. The first SIGINT/SIGTERM (or SIGHUP, unless it was ignored
 * when we started, as under nohup) stops the window in progress (it is
 * dropped: not a finished measurement); the sweep then writes summary.csv
 * for the configurations with rows and machine.txt with "status: interrupted",
 * and exits 128 + signal. A second signal exits at once: results.csv holds
 * whole rows only (one write() each), and machine.txt, if it still says
 * "running", is patched in place to say "interrupted" (open/pwrite/close are
 * async-signal-safe; the status line is the last one and the new one longer).
 * The handler may run on any thread: got_signal is accessed atomically.
 */
static int got_signal;
static char machine_path[1200];
static long machine_status_off = -1;	/* offset of "status: running" in machine_path, or -1 */

static int signalled(void)
{
	return __atomic_load_n(&got_signal, __ATOMIC_ACQUIRE);
}

static void on_signal(int sig)
{
	static const char patch[] =
		"status: interrupted\nexit: at once, on a second signal (summary.csv may be missing)\n";
	static const char first[] =
		"\ndmabench: interrupted: finishing up (signal again to exit at once)\n";
	int saved_errno;

	if (__atomic_exchange_n(&got_signal, sig, __ATOMIC_ACQ_REL)) {
		long off = __atomic_load_n(&machine_status_off, __ATOMIC_ACQUIRE);

		if (off >= 0) {
			int fd = open(machine_path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

			if (fd >= 0) {
				if (pwrite(fd, patch, sizeof(patch) - 1, off) < 0)
					(void)0;	/* nothing more to do on the way out */
				close(fd);
			}
		}
		_exit(128 + sig);
	}
	runner_stop();
	saved_errno = errno;	/* the interrupted code may be about to read it */
	if (write(STDERR_FILENO, first, sizeof(first) - 1) < 0)
		(void)0;	/* a closed stderr: nothing to tell */
	errno = saved_errno;
}

static void install_signals(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a dropped terminal or ssh session ends the sweep with its summary;
	 * nohup's SIG_IGN is kept: that user asked for the run to go on */
	if (!sigaction(SIGHUP, NULL, &old) && old.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	/* a closed stdout/stderr pipe must not kill a sweep before its summary */
	signal(SIGPIPE, SIG_IGN);
}

/* mkdir -p for the parents; the last component must be new. */
static int make_run_dir(const char *dir)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(buf, 0777))
		return -errno;
	return 0;
}

/* ---- one window ---- */

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
 * cent slower: after each batch of n calls the thread spins for n * NS ns, or
 * for P% of the time the batch took (two more clock reads per batch). With
 * :odd only odd-numbered repetitions are slowed (two clusters: the noise
 * marks' test). The choice is made once per window, before the runner
 * starts: other strategies run the plain batch function and pay nothing.
 * For measuring the comparison itself (false positives and power,
 * METHODOLOGY), never the strategies.
 */
struct inject {
	const struct strategy *strategy;	/* NULL: no injection */
	double ns;				/* per call; or */
	double frac;				/* of the batch's time */
	bool odd_only;
};
static struct inject inject;
static double inject_ns, inject_frac;		/* the current window's, read by workers */

static unsigned long w_batch_inject_ns(void *tctx, unsigned long n)
{
	struct scenario_thread *t = tctx;
	unsigned long failed = t->scenario->batch(t, n);

	clock_spin_until(clock_now_ns() + (uint64_t)((double)n * inject_ns + 0.5));
	return failed;
}

static unsigned long w_batch_inject_frac(void *tctx, unsigned long n)
{
	struct scenario_thread *t = tctx;
	uint64_t t0 = clock_now_ns(), t1;
	unsigned long failed = t->scenario->batch(t, n);

	t1 = clock_now_ns();
	clock_spin_until(t1 + (uint64_t)((double)(t1 - t0) * inject_frac + 0.5));
	return failed;
}

/* 0, or -EINVAL with the one-line reason in err */
static int inject_parse(char *err, size_t len)
{
	const char *v = getenv("DMABENCH_INJECT_NS");
	char name[64], *colon, *end, q[256];
	const char *num;
	double x;

	memset(&inject, 0, sizeof(inject));
	if (!v || !*v)
		return 0;
	colon = strchr(v, ':');
	if (!colon || (size_t)(colon - v) >= sizeof(name))
		goto bad;
	snprintf(name, sizeof(name), "%.*s", (int)(colon - v), v);
	inject.strategy = strategy_find(name);
	if (!inject.strategy)
		goto bad;
	num = colon + 1;
	errno = 0;
	x = strtod(num, &end);
	if (errno || end == num || !(x >= 0) || x > 1e6 || *num == '+' || *num == '-')
		goto bad;
	if (*end == '%') {
		inject.frac = x / 100;
		end++;
	} else {
		inject.ns = x;
	}
	if (!strcmp(end, ":odd"))
		inject.odd_only = true;
	else if (*end)
		goto bad;
	return 0;
bad:
	memset(&inject, 0, sizeof(inject));
	snprintf(err, len, "dmabench: DMABENCH_INJECT_NS: invalid value '%s': expected STRATEGY:NS or STRATEGY:P%% "
		 "(a name from --list), optionally :odd", options_quote(v, q, sizeof(q)));
	return -EINVAL;
}

static void w_thread_exit(void *tctx)
{
	struct scenario_thread *t = tctx;

	t->strategy->thread_exit();
}

/* One run-length calibration: placed as the configs of that placement and
 * thread count are (runlen.h). */
struct sweep_runlen {
	const struct config *like;	/* the first config with this placement, threads */
	struct runlen_result r;
	int rc;				/* 0, or why it was not measured */
};

/* One call-shaped calibration (runlen.h): a shared-write lookup config at
 * N >= 2 threads, its 1-thread median c1, the K solved for it. */
struct sweep_runlen_call {
	const struct config *like;	/* the first config with these keys */
	double c1_ns;			/* the 1-thread median, NAN: none */
	struct runlen_call call;
	double achieved_ns;		/* the 1-thread cost at call.spin */
	struct runlen_result r;
	int rc;				/* 0, or why it was not measured */
	const char *why;		/* the note of a row without R */
};

struct sweep {
	struct plan *plan;
	const struct options *opt;
	struct pmu_events events;
	struct arena arena;
	struct model_allocator arena_allocator;	/* the arena, as the model's allocator */
	bool arena_ok;
	struct canary canary;		/* the host canary around each window (canary.h) */
	bool canary_ok;
	struct pairprobe pairs;		/* the vCPU placement probe around each window (pairprobe.h) */
	bool pairs_ok;
	uint64_t inv_ticks;
	double timer_overhead_ns;
	struct report report;
	char machine[128];
	char run_id[64];
	char dir[1024];
	double *c2c_refcount_model;	/* per config, NAN where none */
	struct c2c_matrix c2c;
	bool have_c2c;
	struct sweep_runlen *runlen;	/* per (placement, threads >= 2) */
	unsigned int nr_runlen;
	bool runlen_done;
	struct sweep_runlen_call *runlen_calls;	/* per shared-write lookup config, N >= 2 */
	unsigned int nr_runlen_calls;
	double runlen_calls_s;			/* how long the call-shaped pass took */
	/* the run directory as made: a write failure after start-up ends the run */
	dev_t dir_dev;
	ino_t dir_ino;
	int werr;			/* the first write failure: -errno, 0 */
	char werr_path[1200];		/* and the file (or directory) it was on */
};

/* Remember the first write failure after start-up; later ones follow from it. */
static void write_failed(struct sweep *sw, const char *path, int err)
{
	if (sw->werr)
		return;
	sw->werr = err;
	snprintf(sw->werr_path, sizeof(sw->werr_path), "%s", path);
}

/*
 * The run directory still there, the same one: removed, or removed and
 * made again, a directory is a failure (results.csv would go on into an
 * unlinked file and the summary into a stranger's directory). One stat per
 * window.
 */
static int check_run_dir(struct sweep *sw)
{
	struct stat st;

	if (stat(sw->dir, &st)) {
		write_failed(sw, sw->dir, -errno);
		return sw->werr;
	}
	if (st.st_dev != sw->dir_dev || st.st_ino != sw->dir_ino) {
		write_failed(sw, sw->dir, -ESTALE);
		return sw->werr;
	}
	return 0;
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
static int run_window(struct sweep *sw, const struct config *c, unsigned int rep, uint64_t warmup_ns,
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
	if (inject.strategy == c->strategy && (!inject.odd_only || rep % 2 == 1)) {
		inject_ns = inject.ns;
		inject_frac = inject.frac;
		work.batch = inject.frac > 0 ? w_batch_inject_frac : w_batch_inject_ns;
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
static void canary_setup(struct sweep *sw, unsigned int slow_factor)
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
static void pairs_setup(struct sweep *sw, unsigned int slow_factor)
{
	const struct plan *p = sw->plan;

	pairprobe_init(&sw->pairs, p->home_node);
	for (unsigned int i = 0; i < p->nr_configs; i++) {
		int a[2], b[2], n = window_pairs(&p->configs[i], a, b);

		for (int k = 0; k < n; k++)
			if (!pairprobe_find(&sw->pairs, a[k], b[k]) &&
			    !pairprobe_baseline(&sw->pairs, p->topo, a[k], b[k], PAIRPROBE_BASELINE_RUNS))
				sw->pairs_ok = true;
	}
	sw->pairs.slow_factor = slow_factor;	/* the hook scales window probes only */
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

static int run_item(struct sweep *sw, const struct plan_item *it)
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
	rc = run_window(sw, c, it->rep, sw->plan->warmup_ns, &sw->events, sw->arena_ok, &res, &check,
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
	for (unsigned int i = 0; sw->canary_ok && i < res.nr_threads; i++)
		if (canary_judge(&sw->canary, res.threads[i].pu_planned, res.threads[i].canary_before,
				 res.threads[i].canary_after))
			flags |= ROWFLAG_HOST_SLOW;
	if (pairs_probe(sw, c, pair_before, pair_after))
		flags |= ROWFLAG_HOST_C2C;
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
	if (rc) {
		char path[1200];

		snprintf(path, sizeof(path), "%s/results.csv", sw->dir);
		write_failed(sw, path, rc);
	}
	return rc;
}

/* ---- progress on stderr ---- */

static void progress(const struct sweep *sw, unsigned int k, unsigned int n, double elapsed)
{
	bool tty = isatty(STDERR_FILENO);
	double left = k ? elapsed / k * (n - k) : plan_estimate_s(sw->plan);

	fprintf(stderr, "%s[%u/%u] elapsed %.0f s, about %.0f s left%s",
		tty ? "\r" : "", k, n, elapsed, left, tty ? "\033[K" : "\n");
}

static double now_s(void)
{
	return clock_now_ns() / 1e9;
}

/* ---- machine.txt ---- */

static void write_runlen_lines(const struct sweep *sw, FILE *f)
{
	if (!sw->nr_runlen)
		fprintf(f, "run_length: not measured (no configuration with 2 or more threads)\n");
	for (unsigned int i = 0; i < sw->nr_runlen; i++) {
		const struct sweep_runlen *q = &sw->runlen[i];

		if (q->rc)
			fprintf(f, "run_length: placement=%s threads=%d cpus=%s unavailable (%s)\n",
				q->like->placement, q->like->threads, q->like->cpus, strerror(-q->rc));
		else
			fprintf(f, "run_length: placement=%s threads=%d cpus=%s R=%.3f fetch-adds "
				"per run (%llu fetch-adds, %llu runs, overlap %.2f%s)\n", q->like->placement,
				q->like->threads, q->like->cpus, q->r.run_length, q->r.ops, q->r.runs,
				q->r.overlap, q->r.overlap < RUNLEN_MIN_OVERLAP ? ": the threads hardly ran together, not used" : "");
	}
	if (sw->runlen_calls)
		fprintf(f, "run_length_calls_pass_s: %.3f (%u call-shaped calibrations)\n",
			sw->runlen_calls_s, sw->nr_runlen_calls);
	for (unsigned int i = 0; i < sw->nr_runlen_calls; i++) {
		const struct sweep_runlen_call *q = &sw->runlen_calls[i];
		const struct config *c = q->like;

		fprintf(f, "run_length_calls: %s %s mode=%s sharing=%s placement=%s threads=%d cpus=%s ",
			c->scenario->name, c->strategy->name, config_mode_name(c), config_sharing_name(c),
			c->placement, c->threads, c->cpus);
		if (q->why)
			fprintf(f, "unavailable (%s)\n", q->why);
		else
			fprintf(f, "c1=%.3f ns K=%lu (a call costs %.3f ns at 1 thread) R=%.3f calls per run "
				"(%.3f fetch-adds; %llu calls, %llu runs; %.1f ns per call in the loop; overlap %.2f%s)\n",
				q->c1_ns, q->call.spin, q->achieved_ns, q->r.run_length_calls,
				q->r.run_length, q->r.calls, q->r.runs, q->r.ns_per_call, q->r.overlap,
				q->r.overlap < RUNLEN_MIN_OVERLAP ? ": the threads hardly ran together, not used" : "");
	}
}

/*
 * machine.txt through a temp file (atomic_file.h: mkstemp beside it, then a
 * rename; nothing left behind on failure). 0 or -errno; a failure is also
 * recorded as the run's write failure.
 */
static int write_machine(struct sweep *sw, const char *status)
{
	struct atomic_file af;
	char path[1200];
	long status_off, old_off;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/machine.txt", sw->dir);
	rc = atomic_file_open(&af, path);
	if (rc) {
		write_failed(sw, path, rc);
		return rc;
	}
	f = af.f;
	machine_describe(f, sw->plan->topo, DMABENCH_CC " " DMABENCH_CFLAGS, DMABENCH_GIT_REVISION);
	fprintf(f, "run_id: %s\n", sw->run_id);
	fprintf(f, "timer_overhead_ns: %.2f\n", sw->timer_overhead_ns);
	fprintf(f, "inv_ns: %llu\n", (unsigned long long)sw->opt->inv_ns);
	fprintf(f, "inv_ticks: %llu\n", (unsigned long long)sw->inv_ticks);
	fprintf(f, "build_flavour: %s\n", DMABENCH_BUILD_FLAVOUR);
	if (sw->canary_ok) {
		fprintf(f, "host_canary: a %u KiB dependent chase by each worker on its PU just before "
			"and after the window; host-slow above %.2f x the lowest; lowest ns per load:",
			CANARY_DEFAULT_BYTES >> 10, CANARY_SLOW_RATIO);
		for (unsigned int cpu = 0; cpu < sw->canary.max_cpus; cpu++)
			if (!isnan(canary_baseline_of(&sw->canary, (int)cpu)))
				fprintf(f, " pu%u %.3f", cpu, canary_baseline_of(&sw->canary, (int)cpu));
		fputc('\n', f);
	} else {
		fprintf(f, "host_canary: unavailable (no row is judged host-slow)\n");
	}
	if (sw->pairs_ok) {
		fprintf(f, "host_c2c: the rmw round trip between a window's first two PUs (and first and last) "
			"just before and after it; host-c2c beyond %.2f x the pair's typical (median) figure, either way; "
			"per pair typical [lowest-highest] ns, windows flagged/judged:", PAIRPROBE_RATIO);
		for (unsigned int i = 0; i < sw->pairs.n; i++) {
			const struct pairprobe_pair *q = &sw->pairs.pairs[i];

			fprintf(f, " %d-%d %.1f [%.1f-%.1f] %lu/%lu", q->a, q->b, pairprobe_typical(q),
				q->lowest, q->highest, q->flagged, q->windows);
		}
		fputc('\n', f);
	} else {
		fprintf(f, "host_c2c: not probed (no window has two PUs; no row is judged host-c2c)\n");
	}
	fprintf(f, "home_node: %d\n", sw->plan->home_node);
	fprintf(f, "home_memory: %s\n", sw->arena_ok && sw->arena.bound ? "bound" : "not bound");
	fprintf(f, "rcu_flavor: %s\n", sw->opt->rcu_flavor == RCU_FLAVOR_QSBR ? "qsbr" : "memb");
	fprintf(f, "seed: %llu\n", (unsigned long long)sw->opt->seed);
	if (inject.strategy)
		fprintf(f, "injected: %s slowed by %g%s per call on purpose (DMABENCH_INJECT_NS%s): not a measurement\n",
			inject.strategy->name, inject.frac > 0 ? inject.frac * 100 : inject.ns,
			inject.frac > 0 ? "%" : " ns", inject.odd_only ? ", odd repetitions" : "");
	for (int i = 0; i < sw->plan->nr_notes; i++)
		fprintf(f, "note: %s\n", sw->plan->notes[i]);
	if (sw->have_c2c)
		c2c_write_summary(&sw->c2c, f);
	else
		fprintf(f, "c2c: not measured\n");
	if (sw->runlen_done)
		write_runlen_lines(sw, f);
	status_off = ftell(f);
	fprintf(f, "status: %s\n", status);
	/* the signal handler must not patch the new file at the old file's
	 * offset; if the rename fails, the old file (and offset) stays */
	old_off = __atomic_exchange_n(&machine_status_off, -1L, __ATOMIC_ACQ_REL);
	rc = atomic_file_commit(&af, 0);
	if (rc) {
		__atomic_store_n(&machine_status_off, old_off, __ATOMIC_RELEASE);
		write_failed(sw, path, rc);
		return rc;
	}
	if (!strcmp(status, "running")) {
		snprintf(machine_path, sizeof(machine_path), "%s", path);
		__atomic_store_n(&machine_status_off, status_off, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * machine.txt could not be replaced (a read-only directory, a full disk):
 * patch its "status: running" line in place, as the second-signal handler
 * does, to "status: failed" and an error line, and cut the file there.
 */
static void patch_machine_failed(struct sweep *sw)
{
	long off = __atomic_load_n(&machine_status_off, __ATOMIC_ACQUIRE);
	char line[1600];
	int fd, n;

	if (off < 0)
		return;
	n = snprintf(line, sizeof(line), "status: failed\nerror: cannot write %s: %s\n",
		     sw->werr_path, strerror(-sw->werr));
	if (n < 0 || (size_t)n >= sizeof(line))
		n = snprintf(line, sizeof(line), "status: failed\n");
	fd = open(machine_path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	if (pwrite(fd, line, (size_t)n, off) == n && !ftruncate(fd, off + n))
		__atomic_store_n(&machine_status_off, -1L, __ATOMIC_RELEASE);
	close(fd);
}

static void default_dir(struct sweep *sw)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(sw->run_id, sizeof(sw->run_id), "%Y%m%dT%H%M%SZ", &tm);
	machine_short_id(sw->machine, sizeof(sw->machine));
	if (sw->opt->out[0])
		snprintf(sw->dir, sizeof(sw->dir), "%s", sw->opt->out);
	else
		snprintf(sw->dir, sizeof(sw->dir), "results/%s/%s", sw->machine, sw->run_id);
}

/*
 * Test hook: DMABENCH_FAIL_ALLOC_AFTER=N makes the model's allocation N calls
 * after the first window's setup begins (0: the first), and every later one,
 * fail (model_fail_alloc_after), so the driver's path for a world that cannot
 * be built, and the soak's for failed maps, are exercised end to end. Not
 * for measuring.
 */
static void fail_alloc_hook(void)
{
	const char *v = getenv("DMABENCH_FAIL_ALLOC_AFTER");
	char *end;
	long n;

	if (!v || !*v)
		return;
	errno = 0;
	n = strtol(v, &end, 10);
	if (!errno && !*end && n >= 0)
		model_fail_alloc_after(n);
}

/* The rmw pass's round trips per sample: a fifth of the store pass's, so
 * it adds a fifth of that pass's time (6 ms per pair -> about 1.3 ms). */
#define SWEEP_RMW_ROUND_TRIPS 200u

static void c2c_pass(struct sweep *sw)
{
	char path[1200];
	int rc;

	if (sw->opt->no_c2c || !sw->plan->this_system || signalled())
		return;
	fprintf(stderr, "dmabench: core-to-core latency (store, then rmw) between allowed PUs...\n");
	rc = c2c_measure_both(sw->plan->topo, sw->plan->home_node, SWEEP_RMW_ROUND_TRIPS,
			      &sw->c2c);
	if (rc) {
		if (rc != -ECANCELED)
			fprintf(stderr, "dmabench: c2c not measured: %s\n", strerror(-rc));
		c2c_free(&sw->c2c);
		return;
	}
	sw->have_c2c = true;
	snprintf(path, sizeof(path), "%s/c2c.csv", sw->dir);
	rc = c2c_write_csv(&sw->c2c, path);
	if (rc)
		write_failed(sw, path, rc);
}

/* How many windows the scheduler took from, and how many the host disturbed (results/README.md: flags). */
static void print_flagged(const struct report *r)
{
	unsigned int rows, d, o, c, h, s, any;

	report_count_flagged(r, ROWFLAG_DESCHEDULED, &rows, &d);
	report_count_flagged(r, ROWFLAG_OVERRAN, &rows, &o);
	report_count_flagged(r, ROWFLAG_DESCHEDULED | ROWFLAG_OVERRAN, &rows, &any);
	printf("\nflagged windows: %u of %u (desched %u: task clock under %.0f%% of wall time;\n"
	       "  overran %u: over the asked window by more than %.0f%% + %llu ms)\n",
	       any, rows, d, RUNNER_DESCHED_CPU_FRACTION * 100, o, RUNNER_OVERRUN_FRACTION * 100,
	       RUNNER_OVERRUN_SLACK_NS / 1000000ULL);
	if (any)
		printf("  their ns_per_op counts time off CPU; see flags in results.csv\n");
	report_count_flagged(r, ROWFLAG_HOST_C2C, &rows, &c);
	report_count_flagged(r, ROWFLAG_HOST_SLOW, &rows, &h);
	report_count_flagged(r, ROWFLAG_HOST_STEAL, &rows, &s);
	report_count_flagged(r, ROWFLAG_HOST_C2C | ROWFLAG_HOST_SLOW | ROWFLAG_HOST_STEAL, &rows, &any);
	printf("host windows: %u of %u (host-c2c %u: the vCPUs' round trip off %.1fx its typical;\n"
	       "  host-slow %u: the cache canary over %.2fx its lowest; host-steal %u)\n",
	       any, rows, c, PAIRPROBE_RATIO, h, CANARY_SLOW_RATIO, s);
}

/*
 * The model's per-CPU data (src/model/compiler.h) is sized for
 * MODEL_MAX_CPUS: a machine with a PU above it would put several threads in
 * one per-CPU slot, which the model assumes is never shared. Refused.
 */
static int check_nr_cpu_ids(const struct plan *p)
{
	int max = topo_max_pu_os(p->topo);

	if (!model_set_nr_cpu_ids(max + 1))
		return 0;
	fprintf(stderr, "dmabench: this machine has a PU with OS index %d; the model's per-CPU data "
		"holds %d CPUs (MODEL_MAX_CPUS, src/model/compiler.h)\n", max, MODEL_MAX_CPUS);
	return -EINVAL;
}

/*
 * runlength.csv (results/README.md): the bare rows, then the call-shaped
 * ones; the first six columns are the old file's, so an old reader still
 * finds R in fetch-adds where it was.
 */
static void write_runlength(struct sweep *sw)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	fprintf(f, "placement,threads,cpus,fetch_adds,runs,run_length,calibration,scenario,strategy,"
		"mode,sharing,c1_ns,rmw_per_call,spin_k,c1_achieved_ns,calls,r_calls,loop_ns_per_call,overlap,note\n");
	for (unsigned int i = 0; i < sw->nr_runlen; i++) {
		const struct sweep_runlen *q = &sw->runlen[i];

		if (q->rc)
			fprintf(f, "%s,%d,%s,,,,bare,,,,,,1,,,,,,,%s\n", q->like->placement,
				q->like->threads, q->like->cpus, strerror(-q->rc));
		else
			fprintf(f, "%s,%d,%s,%llu,%llu,%.4f,bare,,,,,,1,,,%llu,,,%.3f,\n", q->like->placement,
				q->like->threads, q->like->cpus, q->r.ops, q->r.runs, q->r.run_length,
				q->r.ops, q->r.overlap);
	}
	for (unsigned int i = 0; i < sw->nr_runlen_calls; i++) {
		const struct sweep_runlen_call *q = &sw->runlen_calls[i];
		const struct config *c = q->like;

		fprintf(f, "%s,%d,%s,", c->placement, c->threads, c->cpus);
		if (q->why)
			fprintf(f, ",,,");
		else
			fprintf(f, "%llu,%llu,%.4f,", q->r.ops, q->r.runs, q->r.run_length);
		fprintf(f, "call-shaped,%s,%s,%s,%s,", c->scenario->name, c->strategy->name,
			config_mode_name(c), config_sharing_name(c));
		if (q->c1_ns > 0)
			fprintf(f, "%.4f,", q->c1_ns);
		else
			fputc(',', f);
		fprintf(f, "%u,", c->strategy->shared_rmws);
		if (q->why)
			fprintf(f, ",,,,,,");
		else
			fprintf(f, "%lu,%.4f,%llu,%.4f,%.4f,%.3f,", q->call.spin, q->achieved_ns, q->r.calls,
				q->r.run_length_calls, q->r.ns_per_call, q->r.overlap);
		for (const char *w = q->why ? q->why : ""; *w; w++)
			fputc(*w == ',' || *w == '\n' || *w == '"' ? ' ' : *w, f);
		fputc('\n', f);
	}
	if (!fclose(f)) {
		int rc = runfile_write(sw->dir, "runlength.csv", buf, len);

		if (rc) {
			char path[1200];

			snprintf(path, sizeof(path), "%s/runlength.csv", sw->dir);
			write_failed(sw, path, rc);
		}
	}
	free(buf);
}

/*
 * The run-length calibration (runlen.h), once per (placement, threads >= 2)
 * of the plan, outside every timed window; runlength.csv and the
 * machine.txt lines. About 2 * RUNLEN_DEFAULT_OPS * (c2c rmw one-way) per
 * calibration at 2 threads: ~20 ms here.
 */
static void runlen_pass(struct sweep *sw)
{
	const struct plan *p = sw->plan;

	if (sw->opt->no_c2c || signalled())
		return;
	sw->runlen = calloc(p->nr_configs, sizeof(*sw->runlen));
	if (!sw->runlen)
		return;
	for (unsigned int ci = 0; ci < p->nr_configs && !signalled(); ci++) {
		const struct config *c = &p->configs[ci];
		struct sweep_runlen *q;
		int pus[c->threads > 0 ? c->threads : 1];
		bool seen = false;

		if (c->threads < 2)
			continue;
		for (unsigned int k = 0; k < sw->nr_runlen; k++)
			seen |= sw->runlen[k].like->threads == c->threads &&
				!strcmp(sw->runlen[k].like->placement, c->placement);
		if (seen)
			continue;
		q = &sw->runlen[sw->nr_runlen++];
		q->like = c;
		for (int i = 0; i < c->threads; i++)
			pus[i] = c->slots[i].pu_os;
		/* again, twice at most, while the threads did not run together */
		for (int attempt = 0; attempt < 3; attempt++) {
			struct runlen_result r;

			q->rc = runlen_measure(p->topo, pus, (unsigned int)c->threads, RUNLEN_DEFAULT_OPS,
					       p->home_node, &r);
			if (q->rc)
				break;
			if (!attempt || r.overlap > q->r.overlap)
				q->r = r;
			if (q->r.overlap >= RUNLEN_MIN_OVERLAP)
				break;
		}
	}
	sw->runlen_done = true;
	write_runlength(sw);
}

/*
 * The call-shaped run-length calibration (runlen.h), after the timed
 * windows (still outside every one): for each lookup configuration of a
 * shared-write strategy (s->class, s->shared_rmws fetch-adds per call) at
 * N >= 2 threads, not private, K is solved at one thread on the
 * configuration's first PU so that a call costs the configuration's
 * 1-thread median c1, then N threads placed as the configuration make
 * RUNLEN_CALL_DEFAULT_CALLS calls each (again, twice at most, while the
 * threads' overlap is below RUNLEN_MIN_OVERLAP). map-unmap and map-sg rows are not
 * calibrated: predict gives them the bare R and says so in the warning.
 * A few ms per calibration. runlength.csv is written again with these rows.
 */
static void runlen_call_pass(struct sweep *sw)
{
	const struct plan *p = sw->plan;
	const struct report *rep = &sw->report;

	double t0 = now_s();

	if (!sw->runlen_done || signalled())
		return;
	sw->runlen_calls = calloc(p->nr_configs, sizeof(*sw->runlen_calls));
	if (!sw->runlen_calls)
		return;
	for (unsigned int ci = 0; ci < p->nr_configs && !signalled(); ci++) {
		const struct config *c = &p->configs[ci];
		struct sweep_runlen_call *q;
		int pus[c->threads > 0 ? c->threads : 1];
		int one = -1;
		bool seen = false;

		if (c->threads < 2 || strcmp(c->scenario->name, "lookup") ||
		    c->strategy->class != STRATEGY_CLASS_SHARED_WRITE || !c->strategy->shared_rmws ||
		    c->sharing == MODEL_SHARE_PRIVATE)
			continue;
		for (unsigned int k = 0; k < sw->nr_runlen_calls; k++) {
			const struct config *o = sw->runlen_calls[k].like;

			seen |= o->strategy == c->strategy && o->kdump == c->kdump &&
				o->sharing == c->sharing && o->strict == c->strict &&
				o->threads == c->threads && !strcmp(o->placement, c->placement);
		}
		if (seen)
			continue;
		/* c1: the same configuration at one thread, this placement first */
		for (unsigned int k = 0; k < p->nr_configs; k++) {
			const struct config *o = &p->configs[k];

			if (o->strategy == c->strategy && o->kdump == c->kdump && o->scenario == c->scenario &&
			    o->sharing == c->sharing && o->strict == c->strict && o->threads == 1 &&
			    (one < 0 || !strcmp(o->placement, c->placement)))
				one = (int)k;
		}
		q = &sw->runlen_calls[sw->nr_runlen_calls++];
		q->like = c;
		q->c1_ns = NAN;
		q->r.run_length_calls = q->r.ns_per_call = NAN;
		if (one >= 0) {
			double ns[p->reps];
			size_t n = 0;

			for (unsigned int k = 0; k < p->reps; k++) {
				const struct rep_result *rr = &rep->reps[(size_t)one * p->reps + k];

				if (rr->done && isfinite(rr->ns_per_op) && rr->ns_per_op > 0)
					ns[n++] = rr->ns_per_op;
			}
			if (n)
				stats_median(ns, n, &q->c1_ns);
		}
		if (!(q->c1_ns > 0)) {
			q->rc = -ENODATA;
			q->why = "no 1-thread figure of this configuration";
			continue;
		}
		for (int i = 0; i < c->threads; i++)
			pus[i] = c->slots[i].pu_os;
		q->rc = runlen_calibrate_spin(p->topo, pus[0], c->strategy->shared_rmws, q->c1_ns,
					      p->home_node, &q->call, &q->achieved_ns);
		/* a pass the threads did not run together through (another
		 * process took a CPU) is tried again, twice at most */
		for (int attempt = 0; !q->rc && attempt < 3; attempt++) {
			struct runlen_result r;

			q->rc = runlen_measure_calls(p->topo, pus, (unsigned int)c->threads, &q->call,
						     RUNLEN_CALL_DEFAULT_CALLS, p->home_node, &r);
			if (!q->rc && (!attempt || r.overlap > q->r.overlap))
				q->r = r;
			if (q->r.overlap >= RUNLEN_MIN_OVERLAP)
				break;
		}
		if (q->rc)
			q->why = strerror(-q->rc);
	}
	sw->runlen_calls_s = now_s() - t0;
	write_runlength(sw);
}

/* topology.xml: the machine this run ran on, for replay (HWLOC_XMLFILE). */
static void write_topology(struct sweep *sw)
{
	char *xml = NULL;
	size_t len = 0;
	int rc = topo_export_xml(sw->plan->topo, &xml, &len);

	if (!rc)
		rc = runfile_write(sw->dir, "topology.xml", xml, len);
	if (rc) {
		char path[1200];

		snprintf(path, sizeof(path), "%s/topology.xml", sw->dir);
		write_failed(sw, path, rc);
	}
	free(xml);
}

int sweep_run(struct plan *p, const struct options *o)
{
	struct sweep sw = { .plan = p, .opt = o };
	unsigned int n = p->nr_configs * p->reps, done = 0;
	char err[512];
	double t0;
	unsigned int canary_factor, pair_factor;
	int rc, sig, exit_rc = 0;
	bool in_dir;

	if (!p->this_system) {
		fprintf(stderr, "dmabench: the topology is not this machine's (HWLOC_SYNTHETIC or HWLOC_XMLFILE set): only --dry-run can use it\n");
		return 2;
	}
	if (inject_parse(err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (inject.strategy)
		fprintf(stderr, "dmabench: DMABENCH_INJECT_NS: %s is slowed on purpose (a test of the comparison, not a measurement)\n",
			inject.strategy->name);
	if (canary_parse_hook(getenv("DMABENCH_CANARY_SLOW"), &canary_factor)) {
		fprintf(stderr, "dmabench: DMABENCH_CANARY_SLOW: invalid value '%s': expected 0 or 1\n",
			options_quote(getenv("DMABENCH_CANARY_SLOW"), err, sizeof(err)));
		return 2;
	}
	if (canary_factor > 1)
		fprintf(stderr, "dmabench: DMABENCH_CANARY_SLOW: the host canary is slowed on purpose (a test of the host-slow flag)\n");
	if (pairprobe_parse_hook(getenv("DMABENCH_PAIR_SLOW"), &pair_factor)) {
		fprintf(stderr, "dmabench: DMABENCH_PAIR_SLOW: invalid value '%s': expected 0 or 1\n",
			options_quote(getenv("DMABENCH_PAIR_SLOW"), err, sizeof(err)));
		return 2;
	}
	if (pair_factor > 1)
		fprintf(stderr, "dmabench: DMABENCH_PAIR_SLOW: the pair probe's figures are scaled on purpose (a test of the host-c2c flag)\n");
	install_signals();
	if (check_nr_cpu_ids(p))
		return 1;
	rc = pmu_init();
	if (!rc)
		rc = pmu_events_parse(o->events, &sw.events, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "dmabench: --events: invalid value '%s': %s\n", o->events, err);
		return 2;
	}
	default_dir(&sw);
	if (signalled()) {	/* nothing measured, nothing written */
		pmu_events_free(&sw.events);
		return 128 + signalled();
	}
	rc = make_run_dir(sw.dir);
	/* two runs started in the same second: the later one takes <stamp>-2, ... */
	for (int k = 2; rc == -EEXIST && !o->out[0] && k < 100; k++) {
		size_t len = strcspn(sw.run_id, "-");

		snprintf(sw.run_id + len, sizeof(sw.run_id) - len, "-%d", k);
		snprintf(sw.dir, sizeof(sw.dir), "results/%s/%s", sw.machine, sw.run_id);
		rc = make_run_dir(sw.dir);
	}
	if (rc) {
		fprintf(stderr, "dmabench: --out: invalid value '%s': %s\n", sw.dir,
			rc == -EEXIST ? "exists (a run directory is never reused)" : strerror(-rc));
		pmu_events_free(&sw.events);
		return 2;
	}
	{
		struct stat st;

		if (stat(sw.dir, &st)) {	/* made a moment ago */
			fprintf(stderr, "dmabench: cannot write %s: %s\n", sw.dir, strerror(errno));
			pmu_events_free(&sw.events);
			return 1;
		}
		sw.dir_dev = st.st_dev;
		sw.dir_ino = st.st_ino;
	}
	for (int i = 0; i < p->nr_notes; i++)
		fprintf(stderr, "dmabench: %s\n", p->notes[i]);
	if (strategy_startup_note())
		fprintf(stderr, "dmabench: %s\n", strategy_startup_note());

	sw.timer_overhead_ns = clock_overhead_ns();
	sw.inv_ticks = clock_ns_to_ticks(o->inv_ns, clock_ticks_per_ns());
	sw.arena_ok = !arena_create(&sw.arena, p->topo, p->home_node, ARENA_BYTES);
	sw.arena_allocator = (struct model_allocator){
		.zalloc_shared = arena_zalloc, .free_shared = arena_free, .arg = &sw.arena,
	};
	if (!sw.arena_ok)
		fprintf(stderr, "dmabench: no home-node arena; model memory comes from the heap\n");
	canary_setup(&sw, canary_factor);
	pairs_setup(&sw, pair_factor);

	/* from here every write failure ends the run: exit 1, status failed */
	if (!write_machine(&sw, "running")) {
		write_topology(&sw);
		if (!sw.werr)
			c2c_pass(&sw);
		if (!sw.werr)
			runlen_pass(&sw);
		if (!sw.werr)
			write_machine(&sw, "running");
	}
	if (!sw.werr) {
		rc = report_open(&sw.report, p, &sw.events, sw.dir, sw.run_id, sw.machine, o->seed,
				 sw.timer_overhead_ns);
		if (rc) {
			char path[1200];

			snprintf(path, sizeof(path), "%s/results.csv", sw.dir);
			write_failed(&sw, path, rc);
		}
	}

	fail_alloc_hook();
	t0 = now_s();
	for (unsigned int i = 0; i < n && !signalled() && !sw.werr; i++) {
		rc = run_item(&sw, &p->order[i]);
		if (sw.werr || check_run_dir(&sw))
			break;	/* said once, below */
		if (rc == -ECANCELED || (rc && signalled()))
			break;	/* the window in progress was interrupted: no row */
		if (rc) {
			const struct config *c = &p->configs[p->order[i].config];

			fprintf(stderr, "%sdmabench: %s/%s/%s threads=%d: %s\n",
				isatty(STDERR_FILENO) ? "\n" : "", c->scenario->name, c->strategy->name,
				config_mode_name(c), c->threads,
				rc == -EPERM ? "binding failed (--strict-binding)" : strerror(-rc));
			exit_rc = 1;
			break;
		}
		done++;
		progress(&sw, done, n, now_s() - t0);
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	model_fail_alloc_after(-1);
	/* one reading decides both the status written and the exit status */
	sig = signalled();
	if (sig) {
		exit_rc = 128 + sig;
		fprintf(stderr, "dmabench: interrupted by %s: %u of %u windows measured; their rows are kept\n",
			sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" :
			"a signal", done, n);
	}

	/* after the windows (c1 is known now), before the summary */
	if (!sw.werr && !sig)
		runlen_call_pass(&sw);
	if (!sw.werr && sw.have_c2c)
		sw.c2c_refcount_model = costmodel_for_plan(p, &sw.c2c, &sw.report);
	if (!sw.werr) {
		rc = report_summary(&sw.report, sw.c2c_refcount_model);
		if (rc) {
			char path[1200];

			snprintf(path, sizeof(path), "%s/summary.csv", sw.dir);
			write_failed(&sw, path, rc);
		}
	}
	/* results.json only for a run that finished or was interrupted cleanly */
	if (!sw.werr && (sig || !exit_rc)) {
		rc = report_json(&sw.report, sig ? "interrupted" : "complete", topo_nr_allowed_pus(p->topo));
		if (rc) {
			char path[1200];

			snprintf(path, sizeof(path), "%s/results.json", sw.dir);
			write_failed(&sw, path, rc);
		}
	}
	/* not into a directory that is gone or is another one now */
	if (!sw.werr)
		check_run_dir(&sw);
	in_dir = !sw.werr || strcmp(sw.werr_path, sw.dir);	/* the directory itself is not lost */
	if (in_dir) {
		if (write_machine(&sw, sig ? "interrupted" : exit_rc || sw.werr ? "failed" : "complete"))
			patch_machine_failed(&sw);
	}
	if (sw.werr) {
		fprintf(stderr, "dmabench: cannot write %s: %s%s\n", sw.werr_path,
			sw.werr == -ESTALE ? "the run directory was removed and made again during the run"
					   : strerror(-sw.werr),
			in_dir ? "" : " (nothing more is written)");
		if (!sig)
			exit_rc = 1;
	} else {
		report_table(&sw.report, stdout);
		print_flagged(&sw.report);
		printf("run directory: %s\n", sw.dir);
	}
	report_close(&sw.report);
	free(sw.c2c_refcount_model);
	free(sw.runlen);
	free(sw.runlen_calls);
	if (sw.have_c2c)
		c2c_free(&sw.c2c);
	if (sw.arena_ok)
		arena_destroy(&sw.arena);
	if (sw.canary_ok)
		canary_destroy(&sw.canary);
	pairprobe_destroy(&sw.pairs);
	pmu_events_free(&sw.events);
	return exit_rc;
}

/* ---- soak: long map-unmap runs, then the model's invariants ---- */

static int soak_item(struct sweep *sw, const struct config *c, struct model_check *check,
		     bool *checked, struct runner_result *res)
{
	const char *note;
	int check_rc;
	int rc = run_window(sw, c, 0, 0, NULL, false, res, check, &check_rc, &note);

	/* an interrupted window is checked too: a broken invariant outranks it */
	*checked = check_rc != -ENODATA;
	if (*checked && check_rc)
		rc = check_rc;
	return rc;
}

int sweep_soak(struct plan *p, const struct options *o)
{
	struct sweep sw = { .plan = p, .opt = o };
	unsigned int failures = 0, done = 0;
	uint64_t total_ops = 0;
	double t0;
	int sig;

	if (!p->this_system) {
		fprintf(stderr, "dmabench: the topology is not this machine's: --soak cannot run on it\n");
		return 2;
	}
	install_signals();
	if (check_nr_cpu_ids(p))
		return 1;
	sw.inv_ticks = clock_ns_to_ticks(o->inv_ns, clock_ticks_per_ns());
	printf("soak: %u configurations (map-unmap, every strategy and mode, strict and lazy, every sharing), %.1f s each\n",
	       p->nr_configs, p->duration_ns / 1e9);
	printf("%-12s %-6s %-6s %-7s %7s %14s %10s  %s\n", "strategy", "mode", "inv", "sharing",
	       "threads", "calls", "ns/call", "invariants");
	fail_alloc_hook();
	t0 = now_s();
	for (unsigned int i = 0; i < p->nr_configs && !signalled(); i++) {
		const struct config *c = &p->configs[i];
		struct model_check check;
		struct runner_result res;
		int rc;

		bool checked = false;

		memset(&check, 0, sizeof(check));
		memset(&res, 0, sizeof(res));
		rc = soak_item(&sw, c, &check, &checked, &res);
		printf("%-12s %-6s %-6s %-7s %7d %14llu %10.1f  ", c->strategy->name,
		       config_mode_name(c), config_invalidation_name(c), config_sharing_name(c),
		       c->threads, (unsigned long long)res.ops, res.ns_per_op);
		if (res.failed)
			printf("%llu failed calls; ", (unsigned long long)res.failed);
		printf("%s", rc == 0 || rc == -ECANCELED ? "ok" : check.what[0] ? check.what : strerror(-rc));
		/* the figures behind the verdict: what was left over after the final flush */
		if (checked)
			printf(" [refs %+ld, iova leaked %lu, fq %lu, ptes %lu, attached twice %d, still deferred %d]",
			       check.refcount_delta, check.iova_leaked, check.fq_queued, check.pages_mapped,
			       check.attached_twice, check.nr_deferred);
		printf("%s\n", rc == -ECANCELED ? " (interrupted)" : "");
		fflush(stdout);
		if ((rc && rc != -ECANCELED) || res.failed)
			failures++;
		total_ops += res.ops;
		runner_result_free(&res);
		done++;
	}
	sig = signalled();
	printf("soak: %u configurations, %llu calls in %.0f s, %u with a broken invariant or failed calls%s\n",
	       done, (unsigned long long)total_ops, now_s() - t0, failures,
	       sig ? " (interrupted)" : "");
	if (sig)
		return 128 + sig;
	return failures ? 1 : 0;
}
