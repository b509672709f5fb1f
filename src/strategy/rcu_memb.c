/*
 * rcu, memb flavour (liburcu urcu-memb): the read-side critical section is a
 * per-thread nesting counter store with compiler barriers only; the updater
 * pays with membarrier(). The section covers the whole use of the domain:
 * rcu_read_lock() in map_get, rcu_read_unlock() in map_put.
 */
#include "strategy/rcu_impl.h"
#ifndef STRATEGY_RCU_TSAN	/* see rcu_impl.h */
#define _LGPL_SOURCE	/* the read side inlined, as the kernel's is */
#endif
#include <urcu/urcu-memb.h>

static __always_inline struct iommu_domain *rcu_memb_get(struct device *dev,
							 struct iommu_domain *handed)
{
	struct iommu_domain *domain;

	(void)handed;
	urcu_memb_read_lock();
	domain = strategy_rcu_dereference(dev->iommu_group->domain);
	if (unlikely(!domain)) {
		rcu_tsan_reader_done();
		urcu_memb_read_unlock();
	}
	return domain;
}

static __always_inline void rcu_memb_put(struct device *dev, struct iommu_domain *domain)
{
	(void)dev;
	(void)domain;
	rcu_tsan_reader_done();
	urcu_memb_read_unlock();
}

static struct iommu_domain *rcu_memb_map_get(struct device *dev, struct iommu_domain *handed)
{
	return rcu_memb_get(dev, handed);
}

static void rcu_memb_map_put(struct device *dev, struct iommu_domain *domain)
{
	rcu_memb_put(dev, domain);
}

DEFINE_LOOKUP_BATCH(rcu_memb_lookup_batch, rcu_memb_get, rcu_memb_put)

static int rcu_memb_thread_init(void)
{
	urcu_memb_register_thread();
	return 0;
}

static void rcu_memb_thread_exit(void)
{
	urcu_memb_unregister_thread();
}

void rcu_memb_synchronize(void)
{
	urcu_memb_synchronize_rcu();
}

/* the table's `rcu` entry: memb hooks, resolve() picks the flavour cfg asks for */
const struct strategy strategy_rcu = {
	RCU_STRATEGY_COMMON,
	.thread_init = rcu_memb_thread_init,
	.thread_exit = rcu_memb_thread_exit,
	.quiescent = strategy_nop_void,
	.map_get = rcu_memb_map_get,
	.map_put = rcu_memb_map_put,
	.unmap_get = rcu_memb_map_get,
	.unmap_put = rcu_memb_map_put,
	.lookup_batch = rcu_memb_lookup_batch,
};
