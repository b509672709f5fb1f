/* cached: iommu_get_dma_domain() in map and unmap (v4.20+): plain loads, no write. */
#include "strategy/strategy_impl.h"

static __always_inline struct iommu_domain *cached_lookup(struct device *dev,
							  struct iommu_domain *handed)
{
	(void)handed;
	return iommu_get_dma_domain(dev);
}

STRATEGY_GETS_ARE_LOOKUP(cached)
STRATEGY_NO_PUT(cached)

DEFINE_STRATEGY(cached,
	.name = "cached",
	.description = "iommu_get_dma_domain(): the group's cached default domain, plain loads (v4.20+)",
	.class = STRATEGY_CLASS_READ_MOSTLY);
