/*
 * refcount: iommu_get_domain_for_dev() in map and unmap, as dma-iommu.c did
 * before v4.20 — a get + put of the group refcount every CPU shares, each a
 * single atomic RMW (refcount_t since v5.5; see refcount_full.c for before).
 */
#include "strategy/strategy_impl.h"

/* the reference is dropped inside the lookup, as the kernel's is: no put */
static __always_inline struct iommu_domain *refcount_lookup(struct device *dev,
							    struct iommu_domain *handed)
{
	(void)handed;
	return iommu_get_domain_for_dev(dev);
}

STRATEGY_GETS_ARE_LOOKUP(refcount)
STRATEGY_NO_PUT(refcount)

DEFINE_STRATEGY(refcount,
	.name = "refcount",
	.description = "iommu_get_domain_for_dev(): get + put of the shared group refcount per call (pre-4.20)",
	.class = STRATEGY_CLASS_SHARED_WRITE);
