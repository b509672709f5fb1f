/*
 * bench/options.h — the dmabench command line: every user choice is a flag.
 *
 * options_parse() reads argv (the flag table in options.c, bench/flag.h)
 * into struct options, defaults and --quick defaults included, without
 * touching the machine; lists that depend on it (threads "all"/"pow2",
 * placements, the home node) are resolved later by plan.c against the
 * topology. On bad input it writes one line naming the flag and the value
 * into err and returns -EINVAL (the caller prints it and exits 2).
 * options_usage() prints --help from the same table.
 */
#ifndef DMABENCH_OPTIONS_H
#define DMABENCH_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include "flag.h"
#include "strategy/strategy.h"

#define OPT_MAX_LIST	64
#define OPT_MAX_THREADS	4096

struct scenario;

enum opt_action { OPT_RUN, OPT_HELP, OPT_VERSION, OPT_LIST };
enum { DRY_RUN_FULL = 1, DRY_RUN_SUMMARY = 2 };

struct options {
	enum opt_action action;
	const struct scenario *scenarios[OPT_MAX_LIST];
	int nr_scenarios;
	const struct strategy *strategies[OPT_MAX_LIST];
	int nr_strategies;
	bool mode_normal, mode_kdump;
	bool inv_strict, inv_lazy;
	bool share_device, share_group, share_private;
	/* threads: explicit numbers, plus the symbolic words resolved against the machine */
	int threads[OPT_MAX_LIST];
	int nr_threads;
	bool threads_all, threads_pow2, threads_given;
	char placements[OPT_MAX_LIST][128];
	int nr_placements;
	bool placements_given;
	int home_node;			/* -1: the device's node (node 0, or the first node) */
	uint64_t duration_ms, warmup_ms;
	unsigned int reps;
	char events[1024];
	bool events_given;
	uint64_t seed;
	char out[1024];			/* "" : results/<machine>/<stamp> */
	bool quick, oversubscribe, strict_binding;
	int dry_run;			/* 0, DRY_RUN_FULL, DRY_RUN_SUMMARY */
	enum rcu_flavor rcu_flavor;
	uint64_t inv_ns;		/* modelled cost of one IOTLB invalidation */
	uint64_t soak_ms;		/* 0: no soak */
	bool no_c2c;
};

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen);
void options_usage(FILE *f);
/* --soak: map-unmap, every strategy and mode, strict and lazy, every sharing, 4 threads. */
void options_for_soak(struct options *o);

#endif
