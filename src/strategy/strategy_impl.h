/*
 * src/strategy/strategy_impl.h — what the strategy files share; not for use
 * outside src/strategy/ (the public contract is strategy.h).
 *
 * A strategy file writes its get/put as static __always_inline functions,
 * wraps them into the hooks, and instantiates its lookup_batch with
 * DEFINE_LOOKUP_BATCH so the lookup scenario runs the same code inlined in a
 * loop. Hooks a strategy does not need point at the shared no-ops below.
 */
#ifndef DMABENCH_STRATEGY_IMPL_H
#define DMABENCH_STRATEGY_IMPL_H

#include "model/compiler.h"
#include "model/iommu.h"
#include "strategy/strategy.h"

/*
 * n map-side get + put with `get` and `put` inlined. The asm consumes the
 * domain in a register (so the lookup cannot be dropped) and clobbers memory
 * (so nothing the lookup loads is hoisted out of the loop: every iteration
 * reloads dev->iommu_group etc. as a separate call would). Functions the
 * kernel calls out of line (iommu_get_dma_domain(), ...) stay real calls.
 */
#define DEFINE_LOOKUP_BATCH(fn, get, put)					\
static unsigned long fn(struct device *dev, struct iommu_domain *handed,	\
			unsigned long n)					\
{										\
	unsigned long failed = 0;						\
										\
	for (unsigned long i = 0; i < n; i++) {				\
		struct iommu_domain *d = get(dev, handed);			\
										\
		__asm__ __volatile__("" : : "r"(d) : "memory");		\
		if (unlikely(!d)) {						\
			failed++;						\
			continue;						\
		}								\
		put(dev, d);							\
	}									\
	return failed;								\
}

/*
 * The setup every strategy does: is_kdump_kernel() follows cfg->kdump;
 * teardown puts back what was there before.
 */
int strategy_common_setup(const struct strategy_config *cfg);
void strategy_common_teardown(void);

/* Shared no-op hooks. */
int strategy_nop_thread_init(void);
void strategy_nop_void(void);
int strategy_nop_group_init(struct iommu_group *group);
void strategy_nop_group_release(struct iommu_group *group);
int strategy_nop_group_check(struct iommu_group *group);
void strategy_nop_put(struct device *dev, struct iommu_domain *domain);
const char *strategy_nop_note(void);

/* Hooks every strategy without per-thread or per-group state uses. */
#define STRATEGY_DEFAULT_HOOKS					\
	.setup = strategy_common_setup,				\
	.teardown = strategy_common_teardown,			\
	.thread_init = strategy_nop_thread_init,		\
	.thread_exit = strategy_nop_void,			\
	.quiescent = strategy_nop_void,				\
	.group_init = strategy_nop_group_init,			\
	.group_release = strategy_nop_group_release,		\
	.group_check = strategy_nop_group_check,		\
	.note = strategy_nop_note

extern const struct strategy strategy_none, strategy_refcount, strategy_cached,
	strategy_deferred_v2, strategy_kdump_gate, strategy_static_key,
	strategy_dev_flag, strategy_rcu, strategy_percpu_ref;

#endif
