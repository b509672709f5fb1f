/*
 * src/harness/canary.h — a host canary: a short, fixed probe of the CPU's
 * own caches, run just before and just after each timed window (outside
 * it) and, shorter, every 20 ms inside it (its time taken out of the
 * window), so a window the host slowed can be told from a slow
 * configuration. Each worker probes its own PU (a co-tenant slows one host
 * core), from the runner (runner.h: runner_config.canary and
 * canary_every_ns): after warm-up, before the barrier that starts the
 * window; between two batches once canary_every_ns has passed since its
 * last probe; and after its last batch.
 *
 * Why. On a VM the host can slow a vCPU without taking it away: a co-tenant
 * on the SMT sibling of the host core shares its L1d and L2, and the guest
 * sees neither steal time nor a context switch. On the 2-vCPU EPYC guest
 * this repo is measured on, such phases last 0.1-1 s, come and go within one
 * model world, and add ~30-40 ns to every map+unmap (~41 -> ~75 ns) while the
 * L1-resident lookup barely moves; in the same phases a dependent chase over
 * an L1d-sized buffer goes from ~1.4 to 2-4 ns per load, while outside
 * them it stays within 7% of its lowest figure (docs/METHODOLOGY.md,
 * "Bimodal map-unmap repetitions"): hence 32 KiB and the 1.25 ratio.
 * Those figures were taken with other work on the machine. On the idle
 * machine the 2-thread swings turned out to be the host moving the vCPUs
 * apart, which a probe of one core's caches cannot see: pairprobe.h probes
 * the transfer between the window's PUs for that.
 *
 * The probe. A random cyclic chain of CANARY_DEFAULT_BYTES (one index per
 * 64-byte line, Sattolo's algorithm with a fixed seed: the same chain every
 * run), walked as dependent loads. One probe: a pass to warm it, then
 * CANARY_SAMPLES samples of CANARY_STEPS loads each, each timed with
 * clock_now_ns(); its figure is the median ns per load (robust to an
 * interrupt or a preemption in a few samples). About 0.3 ms when the core
 * is the guest's alone, under 1 ms in a slow phase.
 *
 * The decision. Each CPU has a baseline: the lowest probe figure seen on it,
 * from canary_baseline() at start-up and lowered by every later probe (so a
 * start-up taken in a slow phase does not hide the next one). A window is
 * host-slow when its probe before or after exceeds CANARY_SLOW_RATIO times
 * the baseline (canary_slow(): plain arithmetic), when CANARY_MID_MIN_OVER of
 * the probes inside it do, or when their median exceeds
 * CANARY_MID_MEDIAN_RATIO times it (canary_judge_window()). The edge probes alone
 * missed phases that began and ended inside a window, or fell between two
 * windows' probes (docs/METHODOLOGY.md §6, "The canary inside the window");
 * a phase shorter than the spacing of the probes inside can still pass
 * unseen, and one probe over the ratio is not enough (15 samples: a
 * preempted or interrupted probe can be over by itself).
 *
 * Test hook: slow_factor > 1 makes every window probe (canary_probe) take
 * that many times as long (each sample spins for (factor-1) times its own
 * duration, at most 20 us of it, and counts it); baseline probes are never
 * slowed.
 * canary_parse_hook() reads the DMABENCH_CANARY_SLOW value for the driver.
 *
 * Threads. One controlling thread owns a struct canary (init, baseline,
 * judge, destroy). canary_probe() only reads it: any number of threads may
 * probe at once (each worker, its own PU, with cpu -1); a probe on a given
 * CPU runs on a short-lived helper thread bound there (the caller's own
 * affinity is untouched). Nothing here prints; functions return 0 or -errno.
 */
#ifndef DMABENCH_HARNESS_CANARY_H
#define DMABENCH_HARNESS_CANARY_H

#include <stdbool.h>
#include <stddef.h>

#define CANARY_DEFAULT_BYTES	(32u << 10)	/* an L1d: a sibling's share of it shows */
#define CANARY_SAMPLES		101
#define CANARY_STEPS		2048
#define CANARY_SLOW_RATIO	1.25		/* probe > 1.25 x baseline: host-slow */
#define CANARY_BASELINE_RUNS	5
#define CANARY_HOOK_FACTOR	6		/* DMABENCH_CANARY_SLOW=1: probes 6x slower (a wide margin over a baseline taken in a slow phase) */
/* probes inside the window (runner.h: canary_every_ns): shorter, at most CANARY_MID_MAX a window */
#define CANARY_MID_SAMPLES	15		/* 44 us (median of 50) on the 2-vCPU Turin guest */
#define CANARY_MID_EVERY_NS	20000000ull	/* at most one per 20 ms per worker */
#define CANARY_MID_MAX		32
#define CANARY_MID_MIN_OVER	2		/* inside probes over the ratio that make a window host-slow */
#define CANARY_MID_MEDIAN_RATIO	1.10		/* or their median over this x the baseline... */
#define CANARY_MID_MEDIAN_MIN	5		/* ...judged from this many on (a 300 ms window has 14) */

struct canary {
	size_t *chain;			/* bytes / 8 entries; a line's first is its next */
	size_t bytes;
	unsigned int max_cpus;
	double *baseline;		/* per CPU (OS index): ns per load, NAN: none yet */
	unsigned int slow_factor;	/* test hook: 0 or 1 off */
};

/* The chain (bytes: a multiple of 64, at least 128) and max_cpus baselines. 0, -EINVAL, -ENOMEM. */
int canary_init(struct canary *c, size_t bytes, unsigned int max_cpus);
void canary_destroy(struct canary *c);

/*
 * One probe on CPU cpu (OS index; -1: the calling thread, wherever it
 * runs): *ns = the median ns per dependent load. 0, or -errno (-EINVAL: cpu
 * out of range or not allowed; the helper thread could not start).
 */
int canary_probe(const struct canary *c, int cpu, double *ns);

/*
 * A short probe (CANARY_MID_SAMPLES samples, the hook applied) on the
 * calling thread's CPU, for a worker inside its window. 0 or -errno.
 */
int canary_probe_short(const struct canary *c, double *ns);

/* how many of v[0..n) are above ratio x baseline (0 if baseline is not > 0) */
unsigned int canary_over(double baseline, const double *v, unsigned int n, double ratio);

/* runs probes on cpu, not slowed by the hook; the baseline is their lowest. 0 or -errno. */
int canary_baseline(struct canary *c, int cpu, unsigned int runs);
double canary_baseline_of(const struct canary *c, int cpu);	/* NAN: none */

/*
 * A window's verdict on cpu from its probes before and after (NAN: not
 * taken): lowers the CPU's baseline to the lower probe, then canary_slow()
 * against it. False where the CPU has no baseline.
 */
bool canary_judge(struct canary *c, int cpu, double before, double after);

/*
 * The same with the n probes taken inside the window (mid): *over = how
 * many are above CANARY_SLOW_RATIO x the baseline (after the edges lowered
 * it; they never lower it themselves: fewer samples, a lower figure by
 * chance); slow when an edge is, when *over >= CANARY_MID_MIN_OVER (a short
 * deep phase), or when their median is above CANARY_MID_MEDIAN_RATIO x the
 * baseline (a shallower phase over most of the window; only with
 * CANARY_MID_MEDIAN_MIN or more: one or two short probes are too noisy to
 * judge at 1.10, as in --quick's 60 ms windows). May sort mid.
 */
bool canary_judge_window(struct canary *c, int cpu, double before, double after,
			 double *mid, unsigned int n, unsigned int *over);

/* before or after above ratio x baseline; false if baseline is not > 0 or both are NAN. */
bool canary_slow(double baseline, double before, double after, double ratio);

/* median of n values (sorts v in place); NAN for n == 0 */
double canary_median(double *v, size_t n);

/* DMABENCH_CANARY_SLOW: NULL, "" or "0" -> 1 (off); "1" -> CANARY_HOOK_FACTOR; else -EINVAL. */
int canary_parse_hook(const char *value, unsigned int *factor);

#endif
