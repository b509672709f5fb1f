/*
 * src/harness/runner.h — one measured window: N pinned threads, a spin
 * barrier, a warm-up window, a measured window to a shared deadline.
 *
 * The runner knows nothing about what it measures: a struct runner_work
 * gives it a per-thread init, a batch function (n calls) and an exit. Each
 * worker binds itself to its planned PU before the barrier, runs batches
 * until the warm-up deadline, meets the others at a second barrier, then runs
 * batches until the measured deadline, reading the clock once per batch.
 * Counts stay in the thread's own padded record, written once at the end.
 *
 * runner_run() is called from one controlling thread; it creates and joins
 * the workers. Returns 0 or -errno (-ECANCELED when runner_stop was called).
 * Cost: thread creation and two barriers per call, outside the windows.
 */
#ifndef DMABENCH_HARNESS_RUNNER_H
#define DMABENCH_HARNESS_RUNNER_H

#include <stdbool.h>
#include <stdint.h>
#include "harness/canary.h"
#include "harness/stats.h"
#include "harness/pmu.h"
#include "harness/topo.h"

/*
 * Batch size: each worker starts at cfg->batch_calls (or 1) and doubles it in
 * the warm-up window until one batch lasts RUNNER_BATCH_TARGET_NS, so the
 * clock read (tens of ns) is a few per cent of a batch at most.
 */
#define RUNNER_BATCH_TARGET_NS	2000

struct runner_work {
	void *arg;
	/* on the worker, after binding, before the barrier; *tctx is its state */
	int (*thread_init)(void *arg, unsigned int thread, int pu_os, void **tctx);
	/* n calls; returns the number that failed */
	unsigned long (*batch)(void *tctx, unsigned long n);
	void (*thread_exit)(void *tctx);
};

struct runner_config {
	const struct topo *topo;		/* NULL: no binding */
	const struct topo_slot *slots;		/* nr_threads planned PUs */
	unsigned int nr_threads;
	uint64_t warmup_ns, duration_ns;
	unsigned long batch_calls;		/* calls per timed batch */
	const struct pmu_events *events;	/* NULL: no counters */
	/*
	 * NULL: none. Else each worker runs canary_probe() on its own PU just
	 * before the measured window (after warm-up, before the barrier that
	 * starts it) and just after it (after its end time is taken): outside
	 * the window, the batch loop unchanged (canary.h).
	 */
	const struct canary *canary;
	/*
	 * With canary: 0, probes at the edges only; else each worker also runs
	 * canary_probe_short() between two batches once this much time has
	 * passed since its last probe (at most CANARY_MID_MAX a window). The
	 * probe's time is taken out of the window: the batch after it starts
	 * its clock after the probe, the thread's busy and CPU time leave it
	 * out (paused_ns) and its counters are stopped across it; what stays
	 * in is the batch after it refilling the caches the probe emptied.
	 */
	uint64_t canary_every_ns;
};

struct runner_thread {
	uint64_t ops, failed, batches;
	unsigned long batch_calls;
	uint64_t start_ns, end_ns;
	uint64_t cpu_ns;			/* CLOCK_THREAD_CPUTIME_ID over start..end */
	int pu_planned, pu_start, pu_end;	/* pu_* from sched_getcpu() */
	int bind_rc;				/* 0 or -errno from topo_bind_thread */
	int init_rc;
	struct stats_hist hist;			/* ns per call, one sample per batch */
	struct pmu_thread pmu;
	struct pmu_totals counts;		/* this thread's, after the window */
	double canary_before, canary_after;	/* ns per load; NAN: not probed */
	double canary_mid[CANARY_MID_MAX];	/* the probes inside the window, in order */
	unsigned int canary_mid_n;
	uint64_t paused_ns;			/* spent in those probes, inside start..end */
} __attribute__((aligned(64)));

struct runner_result {
	unsigned int nr_threads;
	struct runner_thread *threads;		/* nr_threads records, owned */
	uint64_t ops, failed;
	uint64_t span_ns;			/* first start .. last end */
	uint64_t overlap_ns;			/* last start .. first end (0 if none) */
	uint64_t busy_ns;			/* sum of each thread's end - start */
	uint64_t cpu_ns;			/* sum of each thread's CPU time in it */
	double concurrency_fraction;		/* overlap / span */
	double ns_per_op;			/* busy_ns / ops: the latency a CPU sees */
	double mops_per_s;			/* ops / span */
	struct stats_hist hist;			/* all threads' batches */
	uint64_t min_thread_ops, max_thread_ops;
	unsigned int migrations;		/* threads not on their PU at the end */
	unsigned int bind_failures;
	struct pmu_totals pmu;
};

int runner_run(const struct runner_config *cfg, const struct runner_work *work,
	       struct runner_result *res);

/*
 * A window the scheduler took from us. Each thread's CPU time (the task
 * clock, CLOCK_THREAD_CPUTIME_ID: always available, unlike perf's
 * task-clock) is read at its start and end of the measured window:
 *   RUNNER_DESCHEDULED  the threads ran less than RUNNER_DESCHED_CPU_FRACTION
 *                       of their wall time (a CPU quota, a stopped process,
 *                       another task on the PU): ns_per_op counts time off CPU;
 *   RUNNER_OVERRAN      the window (first start .. last end) lasted more than
 *                       RUNNER_OVERRUN_FRACTION over the asked duration plus
 *                       RUNNER_OVERRUN_SLACK_NS (a SIGSTOP, a long preemption).
 * runner_window_marks() returns the bits for a result and the duration
 * asked; plain arithmetic, any thread.
 */
#define RUNNER_DESCHED_CPU_FRACTION	0.90
#define RUNNER_OVERRUN_FRACTION		0.25
#define RUNNER_OVERRUN_SLACK_NS		(10 * 1000 * 1000ULL)
#define RUNNER_DESCHEDULED		(1u << 0)
#define RUNNER_OVERRAN			(1u << 1)
unsigned int runner_window_marks(const struct runner_result *res, uint64_t duration_ns);
void runner_result_free(struct runner_result *res);


/* Async-signal-safe: the window in progress ends at its next batch. */
void runner_stop(void);
bool runner_stopped(void);

#endif
