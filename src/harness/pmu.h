/*
 * src/harness/pmu.h — hardware and software counters per thread: libpfm4
 * names, perf_event_open, scaling when multiplexed, and a status per event
 * that says why a figure is missing (never a 0 for a counter that was not
 * read).
 *
 * Lifecycle.
 *   pmu_init()                       once per process (any thread; idempotent)
 *   pmu_events_parse(list, &ev, ...) the --events list -> encoded events;
 *                                    read-only afterwards, shared by all threads
 *   per measuring thread, in that thread:
 *     pmu_thread_open(&t, &ev)       opens every event for the calling thread
 *     pmu_thread_start(&t)           window start: baseline read + enable
 *     ... the window ...
 *     pmu_thread_stop(&t)            window end: disable (or a pause: stop,
 *                                    then pmu_thread_resume(&t))
 *     pmu_thread_read(&t, &totals)   this thread's counts since start
 *     (start/stop/read again for the next window)
 *     pmu_thread_close(&t)
 *   then any one thread: pmu_totals_add() the per-thread totals together,
 *   pmu_totals_value() per event, pmu_totals_status() for counter_status.
 *
 * Events. Any name libpfm4 knows on this machine (pfm_get_os_event_encoding,
 * PFM_OS_PERF_EVENT_EXT, modifiers allowed: "INST_RETIRED:ANY_P",
 * "perf::TASK-CLOCK", "cycles:u"), and perf(1)'s friendly names, which are
 * mapped to libpfm4's perf pseudo-PMU so they never resolve to a same-named
 * event of some other PMU: cycles -> perf::CYCLES, instructions,
 * cache-references, cache-misses, branches, branch-misses, bus-cycles,
 * ref-cycles, stalled-cycles-frontend/-backend, cpu-clock, task-clock,
 * page-faults (faults), minor-faults, major-faults, context-switches (cs),
 * cpu-migrations (migrations), alignment-faults, emulation-faults.
 * "none" is the empty set. PMU_DEFAULT_EVENTS is the default list. Each
 * event's CSV column is <base>_per_op, base = the name as listed, lower-cased,
 * every character not in [a-z0-9] turned into '_' (task-clock ->
 * task_clock_per_op, perf::TASK-CLOCK -> perf__task_clock_per_op); two
 * events with the same base are refused. An unknown name is -EINVAL with a
 * message naming it.
 *
 * Opening (pmu_thread_open). Every event is opened alone (no group, so one
 * that fails does not take the others with it) for the calling thread on
 * any CPU (pid 0, cpu -1), disabled, not inherited, read_format
 * TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING, counting user and kernel unless
 * the name says otherwise. When perf_event_paranoid refuses kernel counting
 * (EACCES/EPERM) the event is opened again with exclude_kernel and
 * exclude_hv and reported as user-only — except context-switches,
 * cpu-migrations and cgroup-switches, which occur in kernel context and
 * would count nothing user-only (perf stat shows 0 there): they stay
 * unavailable(EACCES). An event that cannot be opened (ENOENT or EOPNOTSUPP
 * where there is no hardware PMU, as on most VMs; EACCES under paranoid; any
 * other errno) is unavailable with that errno; the others go on.
 *
 * Reading. value, time_enabled and time_running since pmu_thread_start().
 * running < enabled (multiplexed): value * enabled / running, status
 * scaled(P%) with P = running / enabled over all threads. running == 0: not
 * counted, unavailable. Summing over threads keeps the worst status: if any
 * thread could not count an event, the event is unavailable (a partial sum is
 * not a measurement).
 *
 * counter_status (pmu_totals_status): per event, ';'-separated, in list order,
 *   base:ok | base:scaled(P%) | base:unavailable(REASON)
 * with "(user-only)" after ok / "+user-only" inside scaled() when the kernel
 * part was excluded; REASON is an errno name (ENOENT, EOPNOTSUPP, EACCES, ...),
 * "not-counted" (running == 0) or "no-data" (no thread read it).
 *
 * Test hook: the environment variable DMABENCH_PMU_DENY (read at every open)
 * or pmu_set_deny(), which takes precedence when not PMU_DENY_NONE:
 *   DMABENCH_PMU_DENY=1 (or any value but "0" and "kernel"), PMU_DENY_ALL:
 *     every open fails with EACCES, as perf_event_paranoid = 4 would;
 *   DMABENCH_PMU_DENY=kernel, PMU_DENY_KERNEL: opens that count kernel
 *     mode fail with EACCES, as perf_event_paranoid = 2 does for non-root.
 *
 * Contract. Library code: returns 0 or a negative errno, never prints.
 * A struct pmu_thread belongs to the thread that opened it: call its
 * functions from that thread only (perf counts "the calling thread").
 * struct pmu_events is read-only after parsing; totals belong to whoever
 * holds them. Costs: parse and open are setup (microseconds per event);
 * start is two system calls per event (read, ioctl), stop one (ioctl), read
 * one (read): none belongs in a measured loop, all at window edges.
 */
#ifndef DMABENCH_HARNESS_PMU_H
#define DMABENCH_HARNESS_PMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PMU_MAX_EVENTS	16
#define PMU_NAME_MAX	64	/* an event name as listed, with its NUL */
#define PMU_COLUMN_MAX	(PMU_NAME_MAX + 7)	/* base + "_per_op" */
#define PMU_DEFAULT_EVENTS \
	"cycles,instructions,cache-misses,task-clock,context-switches,cpu-migrations"

struct pmu_event_spec;	/* the encoded perf_event_attr: private to pmu.c */

struct pmu_events {
	unsigned int n;
	char name[PMU_MAX_EVENTS][PMU_NAME_MAX];	/* as listed */
	char base[PMU_MAX_EVENTS][PMU_NAME_MAX];	/* status name, column stem */
	char column[PMU_MAX_EVENTS][PMU_COLUMN_MAX];	/* "<base>_per_op" */
	struct pmu_event_spec *spec;			/* n entries */
};

/* One thread's counters; pad: each thread writes its own. */
struct pmu_thread {
	const struct pmu_events *ev;
	int fd[PMU_MAX_EVENTS];		/* -1: not open (err says why) */
	int err[PMU_MAX_EVENTS];	/* positive errno when fd is -1 */
	bool user_only[PMU_MAX_EVENTS];
	uint64_t base[PMU_MAX_EVENTS][3];	/* value, enabled, running at start */
} __attribute__((aligned(64)));

/* One event summed over the threads that read it. */
struct pmu_count {
	double value;			/* sum of per-thread scaled values */
	uint64_t enabled, running;	/* sums, ns */
	unsigned int threads;		/* readings added */
	int err;			/* first positive errno of a thread that could not open/read */
	bool not_counted;		/* some thread had running == 0 */
	bool user_only;			/* some thread counted user space only */
};

struct pmu_totals {
	const struct pmu_events *ev;
	unsigned int n;
	struct pmu_count c[PMU_MAX_EVENTS];
};

/* pfm_initialize(), once: 0, or -EOPNOTSUPP/-ENOMEM/-ENODEV from libpfm4. */
int pmu_init(void);

/*
 * Parse a comma-separated event list (NULL: PMU_DEFAULT_EVENTS; "none": no
 * event; spaces around names are ignored) into *ev, which the caller frees
 * with pmu_events_free(). -EINVAL with a one-line reason in err (naming the
 * event) for an unknown name, an empty or too long name, more than
 * PMU_MAX_EVENTS events, or two with the same column; -ENOMEM; -ENODEV if
 * pmu_init() failed. err may be NULL. On error *ev holds nothing to free.
 */
int pmu_events_parse(const char *list, struct pmu_events *ev, char *err, size_t errlen);
void pmu_events_free(struct pmu_events *ev);

/* libpfm4's fully qualified name of event i (e.g. "perf::PERF_COUNT_SW_TASK_CLOCK:u=1:k=1..."). */
const char *pmu_events_encoding(const struct pmu_events *ev, unsigned int i);

/*
 * Open every event for the calling thread. Events that cannot be opened are
 * recorded as unavailable, not an error: returns 0, or -EINVAL for a NULL
 * argument. Then the thread may call the functions below.
 */
int pmu_thread_open(struct pmu_thread *t, const struct pmu_events *ev);
/* Baseline read and enable every open event: 0, or the first -errno (that event becomes unavailable). */
int pmu_thread_start(struct pmu_thread *t);
/* Disable every open event: 0, or the first -errno (that event becomes unavailable). */
int pmu_thread_stop(struct pmu_thread *t);
/*
 * Enable every open event again after pmu_thread_stop(), keeping the
 * start: the counts from start on, less what ran while stopped (the
 * runner's canary probes inside a window). 0, or the first -errno.
 */
int pmu_thread_resume(struct pmu_thread *t);
/* This thread's counts since pmu_thread_start() into *out (initialised here). 0. */
int pmu_thread_read(struct pmu_thread *t, struct pmu_totals *out);
void pmu_thread_close(struct pmu_thread *t);
/* Number of events that opened (counting or user-only). */
unsigned int pmu_thread_nr_open(const struct pmu_thread *t);

/* ---- totals: plain data, no system calls ---- */

void pmu_totals_init(struct pmu_totals *t, const struct pmu_events *ev);
/* Add one thread's raw reading of event i (scaled here when multiplexed). */
void pmu_totals_record(struct pmu_totals *t, unsigned int i, uint64_t value,
		       uint64_t enabled, uint64_t running, bool user_only);
/* Record that one thread could not count event i (positive errno). */
void pmu_totals_record_error(struct pmu_totals *t, unsigned int i, int err);
/* dst += src, event by event (same event list): 0, or -EINVAL if the lists differ. */
int pmu_totals_add(struct pmu_totals *dst, const struct pmu_totals *src);
/*
 * The summed (scaled) value of event i: 0 and *v, or a negative errno when
 * it is unavailable (the errno a thread hit, -ENODATA when not counted or
 * not read at all, -EINVAL for i out of range). *v is untouched then.
 */
int pmu_totals_value(const struct pmu_totals *t, unsigned int i, double *v);
/* One event's status word ("ok", "scaled(87%)", "unavailable(ENOENT)", ...) into buf. */
int pmu_totals_event_status(const struct pmu_totals *t, unsigned int i, char *buf, size_t len);
/* The counter_status cell (see above) into buf: 0, or -ENOSPC if cut short (still terminated). */
int pmu_totals_status(const struct pmu_totals *t, char *buf, size_t len);

/*
 * Can the calling thread count event `name` (a name as in the list)?
 * 0 (possibly user-only), -EINVAL for a name libpfm4 does not know, or the
 * errno perf_event_open gave. Honours the deny hook. For machine.txt.
 */
int pmu_probe(const char *name);

/* Test hook (see above); PMU_DENY_NONE leaves the environment in charge. */
enum pmu_deny { PMU_DENY_NONE, PMU_DENY_ALL, PMU_DENY_KERNEL };
void pmu_set_deny(enum pmu_deny mode);

#endif
