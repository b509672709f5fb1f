/*
 * refcount: iommu_get_domain_for_dev() in map and unmap, as dma-iommu.c did
 * before v4.20 — a get + put of the group refcount every CPU shares.
 */
#include "strategy/strategy_impl.h"

static __always_inline struct iommu_domain *refcount_get(struct device *dev, struct iommu_domain *handed)
{
	(void)handed;
	return iommu_get_domain_for_dev(dev);
}

static __always_inline void refcount_put(struct device *dev, struct iommu_domain *domain)
{
	/* the reference was dropped inside the lookup, as the kernel's is */
	(void)dev;
	(void)domain;
}

static struct iommu_domain *refcount_map_get(struct device *dev, struct iommu_domain *handed)
{
	return refcount_get(dev, handed);
}

DEFINE_LOOKUP_BATCH(refcount_lookup_batch, refcount_get, refcount_put)

const struct strategy strategy_refcount = {
	.name = "refcount",
	.description = "iommu_get_domain_for_dev(): get + put of the shared group refcount per call (pre-4.20)",
	STRATEGY_DEFAULT_HOOKS,
	.map_get = refcount_map_get,
	.map_put = strategy_nop_put,
	.unmap_get = refcount_map_get,
	.unmap_put = strategy_nop_put,
	.lookup_batch = refcount_lookup_batch,
};
