/*
 * bench/sweep.h — running a plan: for each (configuration, repetition) in the
 * plan's interleaved order, build the model world, run one window, append
 * one whole row to results.csv; then summary.csv, machine.txt, the table.
 * Returns the process exit status: 0, 1 (run-time failure), 2 (bad input
 * found late, e.g. --out exists), 130/143 (interrupted: finished rows kept).
 */
#ifndef DMABENCH_SWEEP_H
#define DMABENCH_SWEEP_H

#include "options.h"
#include "plan.h"

int sweep_run(struct plan *p, const struct options *o);

/*
 * --soak: each configuration of p (map-unmap, several threads) runs once for
 * p->duration_ns, then the model's invariants are checked (refcounts back,
 * no IOVA leaked, page tables empty, each deferred device attached once).
 * Prints a line per configuration; 0 if every invariant held, else 1.
 */
int sweep_soak(struct plan *p, const struct options *o);

#endif
