/* cached: iommu_get_dma_domain() in map and unmap (v4.20+): plain loads, no write. */
#include "strategy/strategy_impl.h"

static __always_inline struct iommu_domain *cached_get(struct device *dev, struct iommu_domain *handed)
{
	(void)handed;
	return iommu_get_dma_domain(dev);
}

static __always_inline void cached_put(struct device *dev, struct iommu_domain *domain)
{
	(void)dev;
	(void)domain;
}

static struct iommu_domain *cached_map_get(struct device *dev, struct iommu_domain *handed)
{
	return cached_get(dev, handed);
}

DEFINE_LOOKUP_BATCH(cached_lookup_batch, cached_get, cached_put)

const struct strategy strategy_cached = {
	.name = "cached",
	.description = "iommu_get_dma_domain(): the group's cached default domain, plain loads (v4.20+)",
	STRATEGY_DEFAULT_HOOKS,
	.map_get = cached_map_get,
	.map_put = strategy_nop_put,
	.unmap_get = cached_map_get,
	.unmap_put = strategy_nop_put,
	.lookup_batch = cached_lookup_batch,
};
