/*
 * src/strategy/strategy.h — one way for the DMA fast path to find its domain
 * and deal with a deferred attach. The subject of the comparison.
 *
 * A strategy is one file (DEFINE_STRATEGY, strategy_impl.h) and one line of
 * the table in strategies.c. It embeds the hooks the model calls, struct
 * dma_lookup_ops (declared by the model, src/model/dma-lookup.h: the
 * lookups, their put, the per-group hooks and the DMA paths instantiated with
 * the lookups inlined); put &s->ops in dev->dma_lookup. Around them it adds
 * what the harness needs: a life cycle, per-thread hooks, the lookup
 * scenario's loop, and a note for the CSV.
 *
 * Life cycle: strategy_setup(s, cfg, &active) runs s->setup(cfg) and gives
 * the strategy to use from then on — s itself, or for `rcu` / `static-key`
 * the hook set setup chose (the liburcu flavour; the jump label or its
 * flag-load fallback), so the hot path never branches on configuration. Use
 * `active` (its ops in dev->dma_lookup) for every later hook, ending with
 * active->teardown(). The table entries' own hooks work too (rcu: memb;
 * static-key: the jump label), but only `active` honours cfg.
 *
 * Thread rules: setup/teardown run with no worker thread alive (setup patches
 * code and flips is_kdump_kernel()). thread_init/thread_exit run on each
 * worker that will call a lookup (liburcu registration); quiescent between
 * batches (QSBR: announces that the thread holds no domain). The ops' rules
 * are dma-lookup.h's; lookup_batch runs on any registered worker,
 * concurrently. Every hook is non-NULL in every strategy, so the hot path
 * never tests.
 */
#ifndef DMABENCH_STRATEGY_H
#define DMABENCH_STRATEGY_H

#include <stdbool.h>
#include "model/dma-lookup.h"
#include "model/iommu.h"

enum rcu_flavor { RCU_FLAVOR_MEMB, RCU_FLAVOR_QSBR };

struct strategy_config {
	bool kdump;			/* is_kdump_kernel() true; devices defer attach */
	enum rcu_flavor rcu_flavor;
};

#define STRATEGY_GATED		(1u << 0)	/* has a deferred-attach check: runs in kdump mode too */
#define STRATEGY_CMPXCHG_LOOP	(1u << 1)	/* its shared RMWs are cmpxchg retry loops, not one
						 * fetch-add: the run-length calibration's fetch-adds
						 * do not see its retries (predict warns) */

/*
 * What a lookup writes that other CPUs read, in the general (non-kdump)
 * case: the class a contention model (predict, issue 9) needs.
 *   FLOOR         nothing beyond the call shape: `none`, `call`;
 *   READ_MOSTLY   plain loads of lines nobody writes while mapping
 *                 (cached, the gates, rcu: its read side writes only its
 *                 own thread's counter);
 *   SHARED_WRITE  an atomic RMW on a line every CPU mapping for the group
 *                 writes (the group refcount);
 *   PERCPU        an RMW on a line of the calling CPU's own.
 */
enum strategy_class {
	STRATEGY_CLASS_FLOOR,
	STRATEGY_CLASS_READ_MOSTLY,
	STRATEGY_CLASS_SHARED_WRITE,
	STRATEGY_CLASS_PERCPU,
};

/* "floor", "read-mostly", "shared-write", "percpu"; NULL for a value out of range */
const char *strategy_class_name(enum strategy_class c);

struct strategy {
	const char *name;
	const char *description;	/* one line, for --list */
	unsigned int flags;
	enum strategy_class class;
	/*
	 * shared-write only: the atomic RMWs one lookup makes on the shared
	 * group refcount line (a get and a put: 2). dmabench predict divides a
	 * run length measured in fetch-adds by it to get one in lookups.
	 */
	unsigned int shared_rmws;

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
	 * result has the same name, description, flags, class, setup and teardown.
	 */
	const struct strategy *(*resolve)(const struct strategy_config *cfg);

	int (*thread_init)(void);	/* 0 or -errno */
	void (*thread_exit)(void);
	void (*quiescent)(void);

	/* what the model calls: src/model/dma-lookup.h */
	struct dma_lookup_ops ops;

	/*
	 * The lookup scenario: n map-side lookups (map_get + put) in a loop with
	 * the strategy's code inlined (its out-of-line lookup stays a call), each
	 * result consumed so none is optimised away. Returns the number of calls
	 * whose get returned NULL.
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
