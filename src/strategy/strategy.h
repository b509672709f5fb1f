/*
 * src/strategy/strategy.h — one way for the DMA fast path to find its domain
 * and deal with a deferred attach. The subject of the comparison.
 *
 * A strategy is one file that fills in a const struct strategy; strategies.c
 * holds the one table. The model's dma_map_*() call dev->dma_lookup->map_get()
 * where the kernel gets its domain (and checks the deferred attach), and
 * map_put() when the map is done with it; unmap likewise. map_get returns the
 * domain, or NULL when a deferred attach failed (the map then fails as the
 * kernel's does, with DMA_MAPPING_ERROR). `handed` is the domain the caller
 * already holds: only `none` uses it.
 *
 * Thread rules: setup/teardown run with no worker thread alive. thread_init
 * and thread_exit run on each worker (e.g. liburcu registration); quiescent
 * between batches (QSBR). The get/put hooks run on any worker, concurrently.
 * Every hook is non-NULL in every strategy, so the hot path never tests.
 */
#ifndef DMABENCH_STRATEGY_H
#define DMABENCH_STRATEGY_H

#include <stdbool.h>
#include "model/iommu.h"

enum rcu_flavor { RCU_FLAVOR_MEMB, RCU_FLAVOR_QSBR };

struct strategy_config {
	bool kdump;			/* is_kdump_kernel() true; devices defer attach */
	enum rcu_flavor rcu_flavor;
};

#define STRATEGY_GATED		(1u << 0)	/* has a deferred-attach check: runs in kdump mode too */

struct strategy {
	const char *name;
	const char *description;	/* one line, for --list */
	unsigned int flags;

	int (*setup)(const struct strategy_config *cfg);	/* 0 or -errno */
	void (*teardown)(void);
	int (*thread_init)(void);
	void (*thread_exit)(void);
	void (*quiescent)(void);
	/* the per-group state a strategy keeps (percpu-ref), made and freed with the group */
	int (*group_init)(struct iommu_group *group);
	void (*group_release)(struct iommu_group *group);

	struct iommu_domain *(*map_get)(struct device *dev, struct iommu_domain *handed);
	void (*map_put)(struct device *dev, struct iommu_domain *domain);
	struct iommu_domain *(*unmap_get)(struct device *dev, struct iommu_domain *handed);
	void (*unmap_put)(struct device *dev, struct iommu_domain *domain);

	/*
	 * The lookup scenario: n map-side lookups (get + put) in a loop with the
	 * strategy's code inlined, each result consumed so none is optimised
	 * away. Returns the number of calls whose get returned NULL.
	 */
	unsigned long (*lookup_batch)(struct device *dev, struct iommu_domain *handed,
				      unsigned long n);

	/* What setup actually did, for the CSV flags column (e.g. "static-key-fallback"); "" if nothing to say. */
	const char *(*note)(void);
};

extern const struct strategy *const strategy_table[];
extern const unsigned int strategy_count;

const struct strategy *strategy_find(const char *name);	/* NULL if unknown */

#endif
