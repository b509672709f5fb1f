/*
 * bench/report.h — what a sweep writes: the results.csv row of one window,
 * summary.csv over repetitions (report.c), the table on stdout
 * (report_table.c) and results.json (report_json.c).
 */
#ifndef DMABENCH_REPORT_H
#define DMABENCH_REPORT_H

#include <stdio.h>
#include "harness/csv.h"
#include "harness/pmu.h"
#include "harness/runner.h"
#include "plan.h"

#define SCHEMA_VERSION	1

/* One measured window, kept for the summary. */
struct rep_result {
	bool done;
	double ns_per_op, mops_per_s, p50, p90, p99;
	uint64_t ops;
	unsigned int flags_mask;
	const char *note;		/* the strategy's note() for this window */
};

#define ROWFLAG_FAILED_CALLS	(1u << 0)
#define ROWFLAG_INVARIANT	(1u << 1)
#define ROWFLAG_ARENA		(1u << 2)
#define ROWFLAG_INTERRUPTED	(1u << 3)
#define ROWFLAG_BIND_FAILED	(1u << 5)
#define ROWFLAG_MIGRATED	(1u << 6)
#define ROWFLAG_DESCHEDULED	(1u << 7)	/* runner_window_marks(): RUNNER_DESCHEDULED */
#define ROWFLAG_OVERRAN		(1u << 8)	/* runner_window_marks(): RUNNER_OVERRAN */
#define ROWFLAG_HOST_STEAL	(1u << 9)	/* the hypervisor stole CPU time during the window */
#define ROWFLAG_HOST_SLOW	(1u << 10)	/* the host canary ran slow around the window (canary.h) */
#define ROWFLAG_HOST_C2C	(1u << 11)	/* the host moved the window's vCPUs apart (pairprobe.h) */

/*
 * Noise marks of a configuration, over its repetitions (summary.csv flags,
 * the table's cell marks): "noisy" when the CV of ns per call is above
 * REPORT_NOISY_CV, "bimodal" when the repetitions form two clusters
 * (stats_bimodal() with STATS_BIMODAL_REL_GAP: each side two or more, the
 * gap at least 10% of the median and twice the wider cluster's range).
 */
#define REPORT_NOISY_CV		0.10

/* One configuration over its repetitions: what summary.csv, the table and
 * results.json show. Filled by report_summary(). */
struct report_cfg {
	size_t n;			/* finished repetitions; 0: no row */
	double median, min, max, mean, sd, cv, ci_lo, ci_hi;
	double mops_median, mops_min, mops_max;
	double p50, p90, p99;
	double over, over_lo, over_hi;	/* over strategy none; NAN where none is missing */
	unsigned int mask;		/* ROWFLAG_* of any repetition */
	bool noisy, bimodal;
	char flags[512];		/* summary.csv's flags cell */
};
struct report {
	const struct plan *plan;
	const struct pmu_events *events;
	char run_id[64];
	char machine[128];
	char dir[1024];
	struct csv_writer *results;
	struct rep_result *reps;	/* nr_configs * reps */
	uint64_t seed;
	double timer_overhead_ns;
	struct report_cfg *cfgs;	/* nr_configs, after report_summary() */
	unsigned int *written;		/* reps[] indexes in the order results.csv has them */
	size_t nwritten;
};

int report_open(struct report *r, const struct plan *p, const struct pmu_events *ev,
		const char *dir, const char *run_id, const char *machine, uint64_t seed,
		double timer_overhead_ns);
int report_row(struct report *r, const struct plan_item *it, const struct runner_result *res,
	       const char *binding, unsigned int flags_mask, const char *strategy_note);
/*
 * After the last window: results.csv again with every row's flags cell
 * written from reps[].flags_mask (the rest of each line as it was: flags is
 * the last column), whole or not at all (atomic_file). For flags judged
 * against the whole run (host-c2c). Closes the streaming writer. 0 or -errno.
 */
int report_rewrite_flags(struct report *r);
/* summary.csv, and r->cfgs for report_table() and report_json(). */
int report_summary(struct report *r, const double *model_refcount_ns);
/* The end-of-run table (after report_summary()). */
void report_table(const struct report *r, FILE *f);
/*
 * results.json in Google Benchmark's JSON output format (after
 * report_summary()): written under a temporary name and renamed, so it is
 * whole or absent. status: "complete" or "interrupted".
 */
int report_json(const struct report *r, const char *status, int num_cpus);
void report_close(struct report *r);
/* Windows (results.csv rows) written, and how many carry any of the bits in mask. */
void report_count_flagged(const struct report *r, unsigned int mask, unsigned int *rows,
			  unsigned int *flagged);
int report_floor_config(const struct plan *p, unsigned int ci);

struct c2c_matrix;
/* Per configuration: the contention model's refcount cost, NAN where it does not apply. Caller frees. */
double *costmodel_for_plan(const struct plan *p, const struct c2c_matrix *m, const struct report *r);

#endif
