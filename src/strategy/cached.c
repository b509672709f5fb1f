/* cached: iommu_get_dma_domain() in map and unmap (v4.20+): plain loads, no write. */
#include "strategy/strategy_impl.h"

STRATEGY_LOOKUP(cached, iommu_get_dma_domain)

STRATEGY_PLAIN(cached)

DEFINE_STRATEGY(cached,
	.name = "cached",
	.description = "iommu_get_dma_domain(): the group's cached default domain, plain loads (v4.20+)",
	.class = STRATEGY_CLASS_READ_MOSTLY);
