/*
 * rcu, qsbr flavour (liburcu urcu-qsbr): rcu_read_lock()/unlock() are empty;
 * a reader is online from thread_init to thread_exit and announces in
 * quiescent() (between batches) that it holds no domain. The updater's
 * grace period waits for every online reader to do so.
 */
#include "strategy/rcu_impl.h"
#ifndef STRATEGY_RCU_TSAN	/* see rcu_impl.h */
#define _LGPL_SOURCE	/* the read side inlined, as the kernel's is */
#endif
#include <urcu/urcu-qsbr.h>

static __always_inline struct iommu_domain *rcu_qsbr_get(struct device *dev,
							 struct iommu_domain *handed)
{
	struct iommu_domain *domain;

	(void)handed;
	urcu_qsbr_read_lock();
	domain = strategy_rcu_dereference(dev->iommu_group->domain);
	if (unlikely(!domain))
		urcu_qsbr_read_unlock();
	return domain;
}

static __always_inline void rcu_qsbr_put(struct device *dev, struct iommu_domain *domain)
{
	(void)dev;
	(void)domain;
	urcu_qsbr_read_unlock();
}

static struct iommu_domain *rcu_qsbr_map_get(struct device *dev, struct iommu_domain *handed)
{
	return rcu_qsbr_get(dev, handed);
}

static void rcu_qsbr_map_put(struct device *dev, struct iommu_domain *domain)
{
	rcu_qsbr_put(dev, domain);
}

DEFINE_LOOKUP_BATCH(rcu_qsbr_lookup_batch, rcu_qsbr_get, rcu_qsbr_put)

static int rcu_qsbr_thread_init(void)
{
	urcu_qsbr_register_thread();	/* registers online */
	return 0;
}

static void rcu_qsbr_thread_exit(void)
{
	rcu_tsan_reader_done();
	urcu_qsbr_thread_offline();
	urcu_qsbr_unregister_thread();
}

static void rcu_qsbr_quiescent(void)
{
	rcu_tsan_reader_done();
	urcu_qsbr_quiescent_state();
}

void rcu_qsbr_synchronize(void)
{
	urcu_qsbr_synchronize_rcu();
}

const struct strategy strategy_rcu_qsbr = {
	RCU_STRATEGY_COMMON,
	.thread_init = rcu_qsbr_thread_init,
	.thread_exit = rcu_qsbr_thread_exit,
	.quiescent = rcu_qsbr_quiescent,
	.map_get = rcu_qsbr_map_get,
	.map_put = rcu_qsbr_map_put,
	.unmap_get = rcu_qsbr_map_get,
	.unmap_put = rcu_qsbr_map_put,
	.lookup_batch = rcu_qsbr_lookup_batch,
};
