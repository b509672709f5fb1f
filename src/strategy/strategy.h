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
 * Pairing: map_put(dev, d) is called exactly once for each map_get() that
 * returned d != NULL, after the last use of d, and never after a NULL (a get
 * that fails drops whatever it took itself); unmap_get/unmap_put likewise.
 * Between a get and its put the domain stays valid (rcu: a read-side
 * critical section; percpu-ref: a group reference held).
 *
 * Life cycle: strategy_setup(s, cfg, &active) runs s->setup(cfg) and gives
 * the strategy to use from then on — s itself, or for `rcu` / `static-key`
 * the hook set setup chose (the liburcu flavour; the jump label or its
 * flag-load fallback), so the hot path never branches on configuration. Put
 * `active` in dev->dma_lookup and call every later hook through it, ending
 * with active->teardown(). The table entries' own hooks work too (rcu: memb;
 * static-key: the jump label), but only `active` honours cfg.
 *
 * Thread rules: setup/teardown run with no worker thread alive (setup patches
 * code and flips is_kdump_kernel()). thread_init/thread_exit run on each
 * worker that will call a get/put (liburcu registration); quiescent between
 * batches (QSBR: announces that the thread holds no domain). group_init/
 * group_release/group_check run with no get/put in flight on that group.
 * The get/put hooks and lookup_batch run on any registered worker,
 * concurrently. Every hook is non-NULL in every strategy, so the hot path
 * never tests.
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

	/*
	 * 0 or -errno. Sets is_kdump_kernel() to cfg->kdump (model_set_kdump);
	 * static-key patches its jump label sites; rcu remembers the flavour.
	 * teardown puts back what setup changed (kdump flag, NOP sites).
	 */
	int (*setup)(const struct strategy_config *cfg);
	void (*teardown)(void);
	/*
	 * Only `rcu` and `static-key` have one (NULL elsewhere; strategy_setup()
	 * calls it after setup succeeded): the hook set that implements cfg. The
	 * result has the same name, description, flags, setup and teardown.
	 */
	const struct strategy *(*resolve)(const struct strategy_config *cfg);

	int (*thread_init)(void);	/* 0 or -errno */
	void (*thread_exit)(void);
	void (*quiescent)(void);
	/* the per-group state a strategy keeps (percpu-ref), made and freed with the group */
	int (*group_init)(struct iommu_group *group);		/* 0 or -errno */
	void (*group_release)(struct iommu_group *group);
	/*
	 * 0 if the strategy's own per-group state shows every reference taken
	 * has been dropped, -EBUSY if not (a leak), for the model's invariant
	 * check. Only with no get/put in flight.
	 */
	int (*group_check)(struct iommu_group *group);

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

	/*
	 * What setup actually did, for the CSV flags column: "static-key-fallback"
	 * (static-key without jump label patching), "rcu-memb" / "rcu-qsbr" (the
	 * flavour); "" if nothing to say. Valid after setup.
	 */
	const char *(*note)(void);
};

extern const struct strategy *const strategy_table[];
extern const unsigned int strategy_count;

const struct strategy *strategy_find(const char *name);	/* NULL if unknown */

/*
 * s->setup(cfg), then *active = the strategy to use (see Life cycle above).
 * 0 or the -errno setup returned (then nothing is left set up).
 */
int strategy_setup(const struct strategy *s, const struct strategy_config *cfg,
		   const struct strategy **active);

/*
 * For the driver to print once at start-up: NULL when every strategy can run
 * as designed here, else one line saying what falls back and why (static-key:
 * no jump label patching on this machine, so it measures a flag load and its
 * rows carry the flag "static-key-fallback"). Call it with no worker running:
 * it probes patching by rewriting each jump label NOP in place.
 */
const char *strategy_startup_note(void);

/* ---- test hooks ---- */

/*
 * rcu: replace group->domain by `domain` with rcu_xchg_pointer(), wait for a
 * grace period of the flavour the last rcu setup chose, poison the old
 * domain's magic with DOMAIN_POISON and return it (the caller frees or
 * reuses it; no reader can still hold it). The caller must not be a
 * registered online reader of that flavour (QSBR would wait for itself).
 */
struct iommu_domain *strategy_rcu_swap_domain(struct iommu_group *group,
					      struct iommu_domain *domain);

/* static-key: the key its sites test (the kernel's iommu_deferred_attach_enabled). */
struct static_key;
struct static_key *strategy_deferred_attach_key(void);

#endif
