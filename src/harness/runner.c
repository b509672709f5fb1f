/* Fixed-time windows on pinned threads: see runner.h. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness/clock.h"
#include "harness/runner.h"

#define CALIBRATE_MAX_CALLS	(1UL << 24)

static volatile int stop_requested;

void runner_stop(void)
{
	__atomic_store_n(&stop_requested, 1, __ATOMIC_RELAXED);
}

bool runner_stopped(void)
{
	return __atomic_load_n(&stop_requested, __ATOMIC_RELAXED);
}

/* A sense-counting spin barrier; the last thread in runs on_last first. */
struct spin_barrier {
	unsigned int arrived __attribute__((aligned(64)));
	unsigned int generation __attribute__((aligned(64)));
	unsigned int n;
};

static void barrier_wait(struct spin_barrier *b, void (*on_last)(void *), void *arg)
{
	unsigned int gen = __atomic_load_n(&b->generation, __ATOMIC_ACQUIRE);
	unsigned long spins = 0;

	if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) == b->n) {
		__atomic_store_n(&b->arrived, 0, __ATOMIC_RELAXED);
		if (on_last)
			on_last(arg);
		__atomic_store_n(&b->generation, gen + 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&b->generation, __ATOMIC_ACQUIRE) == gen) {
		clock_spin(1);
		/* oversubscribed threads must let the others reach the barrier */
		if (++spins > 4096)
			sched_yield();
	}
}

struct window {
	const struct runner_config *cfg;
	const struct runner_work *work;
	struct runner_result *res;
	struct spin_barrier start, go;
	/* read by every worker once per batch, written before the barrier releases */
	uint64_t warm_deadline __attribute__((aligned(64)));
	uint64_t deadline;
	int launch;			/* 0 wait, 1 go, -1 abort: all threads exist or none works */
};

static void set_warm_deadline(void *arg)
{
	struct window *w = arg;

	w->warm_deadline = clock_now_ns() + w->cfg->warmup_ns;
}

static void set_deadline(void *arg)
{
	struct window *w = arg;

	w->deadline = clock_now_ns() + w->cfg->duration_ns;
}

struct worker_arg {
	struct window *w;
	unsigned int idx;
};

/*
 * Warm-up: run batches until the warm-up deadline. While sizing, each batch
 * size is tried three times and judged by the fastest (a preempted or
 * cold first batch must not stop the doubling early); the size doubles until
 * that fastest batch lasts target_ns.
 */
static unsigned long warm_up(const struct runner_work *work, void *tctx, uint64_t deadline,
			     unsigned long n, uint64_t target_ns)
{
	bool sized = false;

	do {
		uint64_t best = UINT64_MAX;

		for (int k = 0; k < (sized ? 1 : 3); k++) {
			uint64_t t0 = clock_now_ns(), t;

			work->batch(tctx, n);
			t = clock_now_ns() - t0;
			if (t < best)
				best = t;
		}
		if (!sized) {
			if (best >= target_ns || n >= CALIBRATE_MAX_CALLS)
				sized = true;
			else
				n *= 2;
		}
	} while ((!sized || clock_now_ns() < deadline) && !runner_stopped());
	return n;
}

/* This thread's CPU time: the task clock, read twice per window (a system call each). */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void *worker(void *p)
{
	struct worker_arg *wa = p;
	struct window *w = wa->w;
	const struct runner_config *cfg = w->cfg;
	const struct runner_work *work = w->work;
	struct runner_thread *rec = &w->res->threads[wa->idx];
	unsigned long n = cfg->batch_calls ? cfg->batch_calls : 1;
	uint64_t ops = 0, failed = 0, batches = 0, t0, t1, start, deadline, cpu0, next_probe = UINT64_MAX;
	void *tctx = NULL;

	while (!__atomic_load_n(&w->launch, __ATOMIC_ACQUIRE))
		sched_yield();
	if (w->launch < 0)
		return NULL;
	rec->pu_planned = cfg->slots ? cfg->slots[wa->idx].pu_os : -1;
	if (cfg->topo && rec->pu_planned >= 0)
		rec->bind_rc = topo_bind_thread(cfg->topo, rec->pu_planned);
	rec->pu_start = sched_getcpu();
	rec->init_rc = work->thread_init(work->arg, wa->idx, rec->pu_planned, &tctx);
	if (cfg->events)
		pmu_thread_open(&rec->pmu, cfg->events);

	barrier_wait(&w->start, set_warm_deadline, w);
	if (!rec->init_rc)
		n = warm_up(work, tctx, w->warm_deadline, n, RUNNER_BATCH_TARGET_NS);
	rec->canary_before = rec->canary_after = NAN;
	if (cfg->canary && !rec->init_rc)
		canary_probe(cfg->canary, -1, &rec->canary_before);	/* this PU, now */
	barrier_wait(&w->go, set_deadline, w);

	deadline = w->deadline;
	if (cfg->events)
		pmu_thread_start(&rec->pmu);
	cpu0 = thread_cpu_ns();
	start = t0 = clock_now_ns();
	if (cfg->canary && cfg->canary_every_ns)
		next_probe = start + cfg->canary_every_ns;
	if (!rec->init_rc) {
		do {
			failed += work->batch(tctx, n);
			t1 = clock_now_ns();
			stats_hist_add(&rec->hist, (double)(t1 - t0) / (double)n);
			ops += n;
			batches++;
			if (t1 >= next_probe && t1 < deadline) {
				/* a probe between batches, its time and counts out of the window */
				uint64_t p1;

				if (cfg->events)
					pmu_thread_stop(&rec->pmu);
				if (!canary_probe_short(cfg->canary, &rec->canary_mid[rec->canary_mid_n]))
					rec->canary_mid_n++;	/* a failed probe is not a figure */
				if (cfg->events)
					pmu_thread_resume(&rec->pmu);
				p1 = clock_now_ns();
				rec->paused_ns += p1 - t1;
				t1 = p1;
				next_probe = rec->canary_mid_n < CANARY_MID_MAX ? t1 + cfg->canary_every_ns : UINT64_MAX;
			}
			t0 = t1;
		} while (t1 < deadline && !runner_stopped());
	}
	rec->cpu_ns = thread_cpu_ns() - cpu0;
	rec->cpu_ns = rec->cpu_ns > rec->paused_ns ? rec->cpu_ns - rec->paused_ns : 0;
	if (cfg->events)
		pmu_thread_stop(&rec->pmu);
	if (cfg->canary && !rec->init_rc)
		canary_probe(cfg->canary, -1, &rec->canary_after);

	rec->ops = ops;
	rec->failed = failed;
	rec->batches = batches;
	rec->batch_calls = n;
	rec->start_ns = start;
	rec->end_ns = t0;
	rec->pu_end = sched_getcpu();
	if (!rec->init_rc)
		work->thread_exit(tctx);
	if (cfg->events) {
		pmu_thread_read(&rec->pmu, &rec->counts);
		pmu_thread_close(&rec->pmu);
	}
	return NULL;
}

unsigned int runner_window_marks(const struct runner_result *res, uint64_t duration_ns)
{
	unsigned int m = 0;

	if (res->busy_ns && (double)res->cpu_ns < RUNNER_DESCHED_CPU_FRACTION * (double)res->busy_ns)
		m |= RUNNER_DESCHEDULED;
	if (duration_ns &&
	    (double)res->span_ns > (1 + RUNNER_OVERRUN_FRACTION) * (double)duration_ns + RUNNER_OVERRUN_SLACK_NS)
		m |= RUNNER_OVERRAN;
	return m;
}

static void summarize(struct runner_result *res, const struct runner_config *cfg)
{
	uint64_t first_start = UINT64_MAX, last_start = 0, first_end = UINT64_MAX, last_end = 0, paused = 0;

	res->ops = res->failed = res->busy_ns = res->cpu_ns = 0;
	res->min_thread_ops = UINT64_MAX;
	res->max_thread_ops = 0;
	stats_hist_init(&res->hist);
	if (cfg->events)
		pmu_totals_init(&res->pmu, cfg->events);
	for (unsigned int i = 0; i < res->nr_threads; i++) {
		struct runner_thread *t = &res->threads[i];

		res->ops += t->ops;
		res->failed += t->failed;
		res->busy_ns += t->end_ns - t->start_ns - t->paused_ns;
		paused += t->paused_ns;
		res->cpu_ns += t->cpu_ns;
		if (t->ops < res->min_thread_ops)
			res->min_thread_ops = t->ops;
		if (t->ops > res->max_thread_ops)
			res->max_thread_ops = t->ops;
		if (t->start_ns < first_start)
			first_start = t->start_ns;
		if (t->start_ns > last_start)
			last_start = t->start_ns;
		if (t->end_ns < first_end)
			first_end = t->end_ns;
		if (t->end_ns > last_end)
			last_end = t->end_ns;
		if (t->pu_planned >= 0 && (t->pu_start != t->pu_planned || t->pu_end != t->pu_planned))
			res->migrations++;
		if (t->bind_rc)
			res->bind_failures++;
		stats_hist_merge(&res->hist, &t->hist);
		if (cfg->events)
			pmu_totals_add(&res->pmu, &t->counts);
	}
	res->span_ns = last_end > first_start ? last_end - first_start : 0;
	/* the threads' mean time in canary probes, out of the span (throughput) */
	paused /= res->nr_threads;
	res->span_ns = res->span_ns > paused ? res->span_ns - paused : 0;
	res->overlap_ns = first_end > last_start ? first_end - last_start : 0;
	res->overlap_ns = res->overlap_ns > paused ? res->overlap_ns - paused : 0;
	res->concurrency_fraction = res->span_ns ? (double)res->overlap_ns / (double)res->span_ns : 0;
	res->ns_per_op = res->ops ? (double)res->busy_ns / (double)res->ops : 0;
	res->mops_per_s = res->span_ns ? (double)res->ops * 1e3 / (double)res->span_ns : 0;
}

int runner_run(const struct runner_config *cfg, const struct runner_work *work,
	       struct runner_result *res)
{
	struct window w = { .cfg = cfg, .work = work, .res = res };
	struct worker_arg *args;
	pthread_t *tids;
	unsigned int started = 0;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (cfg->nr_threads == 0)
		return -EINVAL;
	res->nr_threads = cfg->nr_threads;
	res->threads = aligned_alloc(64, sizeof(*res->threads) * cfg->nr_threads);
	args = calloc(cfg->nr_threads, sizeof(*args));
	tids = calloc(cfg->nr_threads, sizeof(*tids));
	if (!res->threads || !args || !tids) {
		rc = -ENOMEM;
		goto out;
	}
	memset(res->threads, 0, sizeof(*res->threads) * cfg->nr_threads);
	for (unsigned int i = 0; i < cfg->nr_threads; i++)
		stats_hist_init(&res->threads[i].hist);
	w.start.n = w.go.n = cfg->nr_threads;

	for (; started < cfg->nr_threads; started++) {
		args[started].w = &w;
		args[started].idx = started;
		if (pthread_create(&tids[started], NULL, worker, &args[started])) {
			rc = -EAGAIN;
			break;
		}
	}
	__atomic_store_n(&w.launch, rc ? -1 : 1, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	if (!rc) {
		for (unsigned int i = 0; i < cfg->nr_threads; i++)
			if (res->threads[i].init_rc && !rc)
				rc = res->threads[i].init_rc;
		summarize(res, cfg);
		if (!rc && runner_stopped())
			rc = -ECANCELED;
	}
out:
	free(args);
	free(tids);
	if (rc && rc != -ECANCELED) {
		free(res->threads);
		res->threads = NULL;
	}
	return rc;
}

void runner_result_free(struct runner_result *res)
{
	free(res->threads);
	res->threads = NULL;
}
