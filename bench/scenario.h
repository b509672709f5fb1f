/*
 * bench/scenario.h — what a measured call is. One file per scenario, one line
 * in the table (scenarios.c). A scenario's batch() makes n calls on the
 * calling worker's device through the model and returns how many failed
 * (a working model fails none; the sweep flags a row that saw failures).
 *
 * batch() runs on a worker thread, on that thread's struct scenario_thread
 * only; nothing in it reads a clock (the runner times batches).
 */
#ifndef DMABENCH_SCENARIO_H
#define DMABENCH_SCENARIO_H

#include "model/iommu.h"
#include "model/dma-iommu.h"
#include "strategy/strategy.h"

#define SCENARIO_SG_NENTS	4

struct scenario;

struct scenario_thread {
	const struct scenario *scenario;
	struct device *dev;
	struct iommu_domain *handed;	/* the domain `none` is handed */
	const struct strategy *strategy;
	phys_addr_t phys;		/* this thread's (fake) page */
	struct scatterlist sg[SCENARIO_SG_NENTS];
} ____cacheline_aligned;

struct scenario {
	const char *name;
	const char *description;
	bool maps;			/* goes through the DMA API (invalidation matters) */
	unsigned long (*batch)(struct scenario_thread *t, unsigned long n);
};

extern const struct scenario *const scenario_table[];
extern const unsigned int scenario_count;
const struct scenario *scenario_find(const char *name);

#endif
