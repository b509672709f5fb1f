/*
 * src/strategy/strategy_impl.h — how a strategy file is written; not for use
 * outside src/strategy/ (the public contract is strategy.h).
 *
 * A strategy's essence is a few static __always_inline functions, named by
 * its prefix P (Concurrency Kit's LOCK/UNLOCK, will-it-scale's testcase()):
 *
 *   P_lookup(dev, handed)     the plain lookup: one out-of-line call, as
 *                             every lookup of group->domain is in the kernel
 *                             (iommu.c), plus what the design inlines around it
 *   P_map_get(dev, handed)    the lookup where __iommu_dma_map() has the
 *                             deferred-attach check
 *   P_unmap_get(dev, handed)  the lookup at the top of the unmap paths
 *   P_put(dev, domain)        the end of the domain's use (empty for most)
 *
 * STRATEGY_LOOKUP(P, fn) writes a P_lookup that is a call of the kernel's
 * fn(dev); STRATEGY_GETS_ARE_LOOKUP(P), STRATEGY_UNMAP_GET_IS_LOOKUP(P),
 * STRATEGY_NO_PUT(P) and STRATEGY_PLAIN(P) (the gets are the lookup, no put)
 * write the other common ones, STRATEGY_CHECKED_MAP_GET(P, check) a map_get
 * that is the lookup plus a deferred-attach check, STRATEGY_GATED_GETS(P,
 * check) all four as the gated designs have them. Then
 *
 *   DEFINE_STRATEGY(P, .name = "...", .description = "...",
 *                   .class = STRATEGY_CLASS_..., [.flags, hooks that differ]);
 *
 * generates the out-of-line hooks, the lookup scenario's loop, the model's
 * four DMA paths with the lookups inlined (DEFINE_DMA_LOOKUP_PATHS,
 * src/model/dma-lookup.h) and `const struct strategy strategy_P`; the
 * hooks not given default to STRATEGY_DEFAULT_HOOKS (no per-thread or
 * per-group state, is_kdump_kernel() set from cfg). Then add X(P) to
 * STRATEGY_LIST in strategies.c: that is all.
 * DEFINE_STRATEGY_STATIC(P, ...) makes a static one (a variant that
 * `resolve` picks). P may itself be a macro (rcu_flavour.h): every macro
 * here expands it before pasting.
 */
#ifndef DMABENCH_STRATEGY_IMPL_H
#define DMABENCH_STRATEGY_IMPL_H

#include "model/compiler.h"
#include "model/dma-lookup.h"
#include "model/iommu.h"
#include "strategy/strategy.h"

/*
 * n map-side get + put with `get` and `put` inlined. The asm consumes the
 * domain in a register (so the lookup cannot be dropped) and clobbers memory
 * (so nothing the lookup loads is hoisted out of the loop: every iteration
 * reloads dev->iommu_group etc. as a separate call would).
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

#define STRATEGY_NO_PUT(P)	__STRATEGY_NO_PUT(P)
#define __STRATEGY_NO_PUT(P)						\
static __always_inline void P##_put(struct device *dev, struct iommu_domain *domain) \
{										\
	(void)dev;								\
	(void)domain;								\
}

/* P_get (get: map_get or unmap_get) that is the lookup; P already expanded */
#define __STRATEGY_GET_IS_LOOKUP(P, get)					\
static __always_inline struct iommu_domain *P##_##get(struct device *dev,	\
						      struct iommu_domain *handed) \
{										\
	return P##_lookup(dev, handed);						\
}

#define STRATEGY_UNMAP_GET_IS_LOOKUP(P)	__STRATEGY_UNMAP_GET_IS_LOOKUP(P)
#define __STRATEGY_UNMAP_GET_IS_LOOKUP(P)	__STRATEGY_GET_IS_LOOKUP(P, unmap_get)

#define STRATEGY_GETS_ARE_LOOKUP(P)	__STRATEGY_GETS_ARE_LOOKUP(P)
#define __STRATEGY_GETS_ARE_LOOKUP(P)					\
	__STRATEGY_GET_IS_LOOKUP(P, map_get)					\
	__STRATEGY_GET_IS_LOOKUP(P, unmap_get)

#define STRATEGY_LOOKUP(P, fn)	__STRATEGY_LOOKUP(P, fn)
#define __STRATEGY_LOOKUP(P, fn)						\
static __always_inline struct iommu_domain *P##_lookup(struct device *dev,	\
						       struct iommu_domain *handed) \
{										\
	(void)handed;								\
	return fn(dev);								\
}

#define STRATEGY_PLAIN(P)	STRATEGY_GETS_ARE_LOOKUP(P) STRATEGY_NO_PUT(P)

/*
 * P_map_get as the gated designs have it: the lookup, then check(dev, domain)
 * (nonzero: the deferred attach failed, and so does the map).
 */
#define STRATEGY_CHECKED_MAP_GET(P, check)	__STRATEGY_CHECKED_MAP_GET(P, check)
#define __STRATEGY_CHECKED_MAP_GET(P, check)					\
static __always_inline struct iommu_domain *P##_map_get(struct device *dev,	\
							struct iommu_domain *handed) \
{										\
	struct iommu_domain *domain = P##_lookup(dev, handed);			\
										\
	if (unlikely(check(dev, domain)))					\
		return NULL;							\
	return domain;								\
}

/*
 * The gated designs' gets (kdump-gate, static-key, dev-flag): the cached
 * lookup, iommu_get_dma_domain(), everywhere; on the map side the lookup
 * plus check(dev, domain) (STRATEGY_CHECKED_MAP_GET); on the unmap side the
 * lookup alone (the map already attached); no put.
 */
#define STRATEGY_GATED_GETS(P, check)	__STRATEGY_GATED_GETS(P, check)
#define __STRATEGY_GATED_GETS(P, check)					\
	STRATEGY_LOOKUP(P, iommu_get_dma_domain)				\
	STRATEGY_CHECKED_MAP_GET(P, check)					\
	STRATEGY_UNMAP_GET_IS_LOOKUP(P)						\
	STRATEGY_NO_PUT(P)

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
const char *strategy_nop_note(void);

/* Hooks every strategy without per-thread or per-group state uses. */
#define STRATEGY_DEFAULT_HOOKS					\
	.setup = strategy_common_setup,				\
	.teardown = strategy_common_teardown,			\
	.thread_init = strategy_nop_thread_init,		\
	.thread_exit = strategy_nop_void,			\
	.quiescent = strategy_nop_void,				\
	.ops.group_init = strategy_nop_group_init,		\
	.ops.group_release = strategy_nop_group_release,	\
	.ops.group_check = strategy_nop_group_check,		\
	.note = strategy_nop_note

#define __DEFINE_STRATEGY(STORAGE, P, ...)					\
static struct iommu_domain *P##_lookup_hook(struct device *dev,		\
					    struct iommu_domain *handed)	\
{										\
	return P##_lookup(dev, handed);						\
}										\
static struct iommu_domain *P##_map_get_hook(struct device *dev,		\
					     struct iommu_domain *handed)	\
{										\
	return P##_map_get(dev, handed);					\
}										\
static struct iommu_domain *P##_unmap_get_hook(struct device *dev,		\
					       struct iommu_domain *handed)	\
{										\
	return P##_unmap_get(dev, handed);					\
}										\
static void P##_put_hook(struct device *dev, struct iommu_domain *domain)	\
{										\
	P##_put(dev, domain);							\
}										\
DEFINE_LOOKUP_BATCH(P##_lookup_batch, P##_map_get, P##_put)			\
DEFINE_DMA_LOOKUP_PATHS(static, P, P##_lookup, P##_map_get, P##_unmap_get, P##_put) \
_Pragma("GCC diagnostic push")							\
_Pragma("GCC diagnostic ignored \"-Woverride-init\"")				\
STORAGE const struct strategy strategy_##P = {					\
	STRATEGY_DEFAULT_HOOKS,							\
	.ops.lookup = P##_lookup_hook,						\
	.ops.map_get = P##_map_get_hook,					\
	.ops.unmap_get = P##_unmap_get_hook,					\
	.ops.put = P##_put_hook,						\
	.ops.map_page = P##_map_page,						\
	.ops.unmap_page = P##_unmap_page,					\
	.ops.map_sg = P##_map_sg,						\
	.ops.unmap_sg = P##_unmap_sg,						\
	.lookup_batch = P##_lookup_batch,					\
	__VA_ARGS__								\
};										\
_Pragma("GCC diagnostic pop")

#define DEFINE_STRATEGY(P, ...)		__DEFINE_STRATEGY(, P, __VA_ARGS__)
#define DEFINE_STRATEGY_STATIC(P, ...)	__DEFINE_STRATEGY(static, P, __VA_ARGS__)

#endif
