/*
 * src/harness/pairprobe.h — the host's vCPU placement, probed around each
 * window: the round trip of one cache line between two of the window's PUs,
 * taken just before and just after it (outside it), so that a window run
 * while the host had moved the vCPUs apart can be told from a slow
 * configuration.
 *
 * Why. On a VM the hypervisor places the vCPU threads on host cores and
 * moves them. On the 2-vCPU EPYC guest this repo is measured on, the rmw
 * round trip between vCPU 0 and 1 sits at 49-65 ns (store 55-103 ns) for
 * tens of seconds, then at 197-221 ns (store 307-350 ns: another host die
 * or socket) for stretches of seconds to a minute, and back. While it is
 * far, 2-thread map-unmap windows cost ~2x (`none` mean 66.6 near, 121.6
 * ns far), because a map+unmap moves shared lines between the CPUs
 * (page-table lines that both CPUs' IOVAs share, the flush counters, the
 * depot); 1-thread rows do not move (docs/METHODOLOGY.md §6). The windows
 * are not descheduled and the steal time does not grow; only the transfer
 * between cores shows it.
 *
 * The probe. c2c_measure_pair() with the rmw handoff (c2c.h),
 * PAIRPROBE_SAMPLES samples of PAIRPROBE_ROUND_TRIPS round trips after one
 * warm-up sample; its figure is the median round trip. About 0.1 ms near,
 * 0.4 ms far, plus two thread starts.
 *
 * The decision. Each pair (unordered) keeps every figure it was probed at
 * (start-up probes from pairprobe_baseline() and window probes); its
 * typical figure is their median. While the run goes, a window is judged
 * against the median so far (pairprobe_judge()): host-c2c when its probe
 * before or after lies more than PAIRPROBE_RATIO times away from it, above
 * or below (the host had placed the two vCPUs farther apart, or closer
 * together, than for most of the run). After the last window every window
 * is judged again against the whole run's median (pairprobe_rejudge()),
 * and that verdict is the one results.csv keeps: a run that began in a
 * rare placement (its first minute far, say) would otherwise flag the
 * ordinary windows after it. Why the median and not the lowest: the near
 * placement itself moves (rmw 49-65 ns here, and about 20 ns in brief
 * spells of an unknown placement), and one brief best would flag every
 * ordinary window. A placement change that begins and ends inside one
 * window is not seen.
 *
 * Test hooks: slow_factor > 1 multiplies every window probe's figure (never
 * a baseline's) by it: it tests the flag's path, not the host.
 * start_factor > 1 multiplies the start-up (baseline) figures instead, and
 * they are recorded: a run that starts in a far placement, for the
 * rejudgement at the end.
 *
 * Threads. One controlling thread owns a struct pairprobe; the probe starts
 * two short-lived bound threads of its own (the caller's affinity is
 * untouched) and needs the two PUs otherwise idle. Nothing here prints;
 * functions return 0 or -errno.
 */
#ifndef DMABENCH_HARNESS_PAIRPROBE_H
#define DMABENCH_HARNESS_PAIRPROBE_H

#include <stdbool.h>

struct topo;

#define PAIRPROBE_SAMPLES	9
#define PAIRPROBE_ROUND_TRIPS	200
#define PAIRPROBE_RATIO		1.5	/* probe over 1.5 x or under 1/1.5 x the typical: host-c2c */
#define PAIRPROBE_BASELINE_RUNS	5
#define PAIRPROBE_HOOK_FACTOR	3	/* DMABENCH_PAIR_SLOW=1: window figures x3 */
#define PAIRPROBE_HOOK_START	2	/* DMABENCH_PAIR_SLOW=start: start-up figures x3 */

struct pairprobe_pair {
	int a, b;			/* PU OS indexes, a < b */
	double *seen;			/* every figure recorded, ns round trip */
	unsigned int nseen, capseen;
	double lowest, highest;		/* of seen; NAN: none yet */
	unsigned long windows, flagged;	/* windows judged; of them host-c2c */
	double final;			/* pairprobe_rejudge_begin(): the typical of the whole run */
};

struct pairprobe {
	struct pairprobe_pair *pairs;
	unsigned int n, cap;
	unsigned int slow_factor;	/* test hook: 0 or 1 off */
	unsigned int start_factor;	/* test hook: 0 or 1 off */
	int home_node;			/* NUMA node the probed line is bound to */
};

/* An empty record; the probed line lives on home_node (c2c_params.home_node). */
void pairprobe_init(struct pairprobe *pp, int home_node);
void pairprobe_destroy(struct pairprobe *pp);

/* The pair's record (either order), NULL if it has none. */
const struct pairprobe_pair *pairprobe_find(const struct pairprobe *pp, int a, int b);

/* The median of the pair's recorded figures (NAN: none). */
double pairprobe_typical(const struct pairprobe_pair *p);

/* before or after more than ratio x away from typical, either way; false if typical is not > 0 or both are NAN. */
bool pairprobe_off(double typical, double before, double after, double ratio);

/*
 * One window probe of the pair: *ns = the rmw round trip (times the hook's
 * factor). 0, or -errno (-EINVAL: a == b or a negative index; the binding
 * or thread error of c2c_measure_pair()).
 */
int pairprobe_measure(const struct pairprobe *pp, struct topo *t, int a, int b, double *ns);

/* runs probes of the pair, not hooked, and records every figure. 0 or -errno. */
int pairprobe_baseline(struct pairprobe *pp, struct topo *t, int a, int b, unsigned int runs);

/*
 * A window's verdict on the pair from its probes before and after (NAN:
 * not taken): pairprobe_off() against the typical figure so far, then
 * records them (the hook's figures are never recorded). False where the
 * pair has no record; -ENOMEM while recording leaves the verdict as is.
 */
bool pairprobe_judge(struct pairprobe *pp, int a, int b, double before, double after);

/*
 * After the last window, every window again against the whole run's typical
 * figure: pairprobe_rejudge_begin() fixes each pair's final typical and
 * zeroes its counts; pairprobe_rejudge() is pairprobe_judge() against it,
 * counting, recording nothing. False where the pair has no record.
 */
void pairprobe_rejudge_begin(struct pairprobe *pp);
bool pairprobe_rejudge(struct pairprobe *pp, int a, int b, double before, double after);

/*
 * DMABENCH_PAIR_SLOW: NULL, "" or "0" -> 1 (off); "1" -> PAIRPROBE_HOOK_FACTOR
 * (slow_factor); "start" -> PAIRPROBE_HOOK_START (start_factor =
 * PAIRPROBE_HOOK_FACTOR); else -EINVAL.
 */
int pairprobe_parse_hook(const char *value, unsigned int *factor);

#endif
