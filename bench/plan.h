/*
 * bench/plan.h — the sweep as a list of configurations, resolved against the
 * machine: thread counts, placements (each thread's PU and node), home node,
 * and the interleaved, seed-shuffled order of (configuration, repetition).
 * plan_build() fails with one line naming the flag (exit 2) on input the
 * machine cannot satisfy; nothing is measured before it succeeds.
 */
#ifndef DMABENCH_PLAN_H
#define DMABENCH_PLAN_H

#include <stdbool.h>
#include <stdio.h>
#include "harness/topo.h"
#include "model/model.h"
#include "options.h"

#define CONFIG_OVERSUBSCRIBED	(1u << 0)
#define CONFIG_SMT_SHARED	(1u << 1)

struct config {
	unsigned int index;
	const struct scenario *scenario;
	const struct strategy *strategy;
	bool kdump;
	bool strict;
	enum model_sharing sharing;
	char placement[TOPO_PLACEMENT_NAME_MAX];		/* canonical, CSV-safe: cpus:0+2+4 */
	int home_node;
	int threads;
	struct topo_slot *slots;	/* threads entries */
	int nodes_used;
	char cpus[1024];		/* "0+1+..." */
	unsigned int flags;
};

struct plan_item {
	unsigned int config;
	unsigned int rep;		/* 1-based */
};

struct plan {
	struct topo *topo;
	bool this_system;		/* the topology is this machine (not synthetic/XML) */
	struct config *configs;
	unsigned int nr_configs;
	unsigned int reps;
	struct plan_item *order;	/* nr_configs * reps, interleaved and shuffled */
	uint64_t duration_ns, warmup_ns;
	int home_node;
	bool c2c;			/* the sweep runs the core-to-core pass (no --no-c2c) */
	char notes[8][256];		/* said once at start: "one NUMA node: ..." */
	int nr_notes;
};

int plan_build(struct plan *p, const struct options *o, char *err, size_t errlen);
void plan_print(const struct plan *p, FILE *f);
/* --dry-run=summary: the counts and the estimate in a few lines */
void plan_print_summary(const struct plan *p, FILE *f);
/* The measured windows alone (the progress line's basis). */
double plan_estimate_s(const struct plan *p);

/*
 * The whole run, as make bench spends it: the windows (plan_estimate_s),
 * the c2c pass (PLAN_C2C_PAIR_S a pair of allowed PUs, at most
 * C2C_DEFAULT_MAX_PAIRS pairs; none with --no-c2c or one PU) and the plots
 * (PLAN_PLOT_S a plot, PLAN_USL_FIT_S a strategy curve with four thread
 * counts or more: plot.sh's fits). Constants measured on the 2-vCPU VM.
 */
#define PLAN_C2C_PAIR_S		0.010
#define PLAN_PLOT_S		0.2
#define PLAN_USL_FIT_S		0.3
struct plan_estimate {
	double windows_s, c2c_s, plots_s, total_s;
	unsigned int c2c_pairs, plots, fits;
};
void plan_estimate(const struct plan *p, struct plan_estimate *e);
void plan_free(struct plan *p);

const char *config_mode_name(const struct config *c);
const char *config_invalidation_name(const struct config *c);
const char *config_sharing_name(const struct config *c);

#endif
