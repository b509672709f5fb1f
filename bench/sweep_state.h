/*
 * bench/sweep_state.h — what the four files of a sweep share (bench/sweep.h
 * is the entry): struct sweep, the state of one run, and each file's part:
 *   sweep.c         the two loops (sweep_run, sweep_soak), progress, the table
 *   sweep_rundir.c  the run directory: made once, checked each window, the
 *                   first write failure; signals; machine.txt, topology.xml
 *   sweep_window.c  one measurement window: model world, runner, row flags,
 *                   the test hook DMABENCH_INJECT_NS
 *   sweep_passes.c  the passes outside the windows: c2c, run-length
 *                   (bare and call-shaped), runlength.csv
 * The main thread calls all of it. Two things run elsewhere: the signal
 * handler (sweep_rundir.c: the signal taken, the in-place machine.txt
 * patch) and the runner's workers (sweep_window.c: the batch functions and
 * the injected slow-down they read).
 */
#ifndef DMABENCH_SWEEP_STATE_H
#define DMABENCH_SWEEP_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "harness/arena.h"
#include "harness/c2c.h"
#include "harness/canary.h"
#include "harness/pairprobe.h"
#include "harness/clock.h"
#include "harness/pmu.h"
#include "harness/runlen.h"
#include "harness/runner.h"
#include "model/alloc.h"
#include "model/model.h"
#include "options.h"
#include "plan.h"
#include "report.h"

/*
 * What a handoff cost in a calibration's stream (docs/METHODOLOGY.md 5.1):
 * the rmw round trip between the calibration's first two PUs just before
 * it (pair_rt_ns: the host's placement at that moment), the one-way time
 * over the placed pairs then (h_ns), the loop's 1-thread cost (one_ns: the
 * bare loop's per fetch-add, the call-shaped loop's per call), the
 * handoff it cost in the stream (handoff_ns, costmodel_stream_handoff) and
 * eta = handoff_ns / h_ns. NAN where not measured.
 */
struct stream_handoff {
	double pair_rt_ns, h_ns, one_ns, handoff_ns, eta;
};

/* One run-length calibration: placed as the configs of that placement and
 * thread count are (runlen.h). */
struct sweep_runlen {
	const struct config *like;	/* the first config with this placement, threads */
	struct runlen_result r;
	int rc;				/* 0, or why it was not measured */
	struct stream_handoff s;	/* the bare loop's stream handoff (below) */
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
	struct stream_handoff s;	/* one_ns is achieved_ns */
	/* the bare loop on the same PUs right after it (the same host
	 * placement): the longest runs and the cheapest stream, for lo */
	struct runlen_result bare;
	struct stream_handoff bare_s;	/* pair_rt_ns and h_ns are s's */
	int bare_rc;
};

/* one worker's canary probes around and inside one window, for host_canary.csv */
struct sweep_canary_rec {
	size_t rep_index;		/* the report's reps[] index of the window */
	unsigned int thread;
	int pu;
	double before, after, baseline;	/* ns per load; baseline when judged */
	double mid_median, mid_max;	/* of the probes inside the window; NAN: none */
	unsigned int mid_n, mid_over;	/* how many inside, how many over the ratio */
	bool slow;			/* the verdict: host-slow on this PU */
};

struct sweep {
	struct plan *plan;
	const struct options *opt;
	struct pmu_events events;
	struct arena arena;
	struct model_allocator arena_allocator;	/* the arena, as the model's allocator */
	bool arena_ok;
	struct canary canary;		/* the host canary around and inside each window (canary.h) */
	bool canary_ok;
	uint64_t canary_every_ns;	/* probes inside each window; 0: at its edges only */
	bool canary_odd_only;		/* DMABENCH_CANARY_INSIDE=odd: inside odd repetitions only */
	struct sweep_canary_rec *canary_recs;	/* in the order measured */
	size_t nr_canary_recs, canary_recs_cap;
	struct pairprobe pairs;		/* the vCPU placement probe around each window (pairprobe.h) */
	bool pairs_ok;
	double (*pair_probes)[4];	/* per report reps[] index: pair 0 before, after, pair 1 before, after */
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

static inline double sweep_now_s(void)
{
	return clock_now_ns() / 1e9;
}

/* ---- sweep_rundir.c ---- */

/* The first SIGINT/SIGTERM/SIGHUP taken (0: none); any thread may ask. */
int sweep_signalled(void);
void sweep_install_signals(void);

/*
 * sw->run_id, sw->machine, sw->dir (--out, else results/<machine>/<stamp>,
 * <stamp>-2, ... when taken) made, and its identity kept for rundir_check.
 * 0, or the exit status with its line said: 2 (--out bad or exists), 1,
 * 128 + signal (a signal before anything was made).
 */
int rundir_create(struct sweep *sw);
/* Remember the first write failure after start-up; later ones follow from it. */
void rundir_write_failed(struct sweep *sw, const char *path, int err);
/* The same, for the file sw->dir/name. */
void rundir_file_failed(struct sweep *sw, const char *name, int err);
/* The run directory still the one made: 0, else the write failure. */
int rundir_check(struct sweep *sw);
/* machine.txt whole, its last line "status: STATUS": 0 or -errno (recorded). */
int rundir_write_machine(struct sweep *sw, const char *status);
/* machine.txt could not be replaced: its status line patched in place. */
void rundir_patch_machine_failed(struct sweep *sw);
/* topology.xml, for replay; a failure is recorded. */
void rundir_write_topology(struct sweep *sw);

/* ---- sweep_window.c ---- */

/* DMABENCH_INJECT_NS as parsed (window_inject_parse); strategy NULL: none. */
struct window_inject {
	const struct strategy *strategy;	/* NULL: no injection */
	double ns;				/* per call; or */
	double frac;				/* of the batch's time */
	bool odd_only;
	double ticks_per_ns;			/* get_cycles() ticks per ns (clock_ticks_per_ns) */
	double hook_ticks;			/* the hook's own reads a batch, taken off its debt */
};
extern struct window_inject window_inject;

/* 0, or -EINVAL with the one-line reason in err */
int window_inject_parse(char *err, size_t len);
/* The host canary's chain and baselines on the plan's PUs (sw->canary_ok). */
void window_canary_setup(struct sweep *sw, unsigned int slow_factor, int inside);
/* The pair probe's baselines on every pair a window is judged by (sw->pairs_ok). */
void window_pairs_setup(struct sweep *sw, unsigned int slow_factor);
/*
 * After the last window: every window's host-c2c verdict again against the
 * whole run's typical figures, host_c2c.csv (each judged window's probes),
 * and results.csv rewritten if a verdict changed. 0 or the first -errno.
 */
int window_pairs_rejudge(struct sweep *sw);
/* the spacing of the canary probes inside a window of duration_ns */
uint64_t window_canary_every(uint64_t duration_ns);
/* host_canary.csv: every worker's canary probes per window, in the order measured. 0 or -errno. */
int window_write_canary_csv(struct sweep *sw);
/*
 * One window of configuration c (see sweep_window.c): 0, -ECANCELED
 * (interrupted) or -errno; *check_rc the model's invariants, *note the
 * strategy's note.
 */
int window_run(struct sweep *sw, const struct config *c, unsigned int rep, uint64_t warmup_ns,
	       const struct pmu_events *events, bool use_arena,
	       struct runner_result *res, struct model_check *check, int *check_rc,
	       const char **note);
/* One window of the plan's order and its row in results.csv, flags and all. */
int window_run_item(struct sweep *sw, const struct plan_item *it);

/* ---- sweep_passes.c ---- */

/* core-to-core latency into sw->c2c and c2c.csv (not with --no-c2c). */
void pass_c2c(struct sweep *sw);
/* The bare run-length calibration, before the windows; runlength.csv. */
void pass_runlen(struct sweep *sw);
/* The call-shaped one, after the windows; runlength.csv again. */
void pass_runlen_calls(struct sweep *sw);
/* machine.txt's run_length lines. */
void pass_runlen_lines(const struct sweep *sw, FILE *f);

#endif
