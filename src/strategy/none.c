/* none: the domain is handed in — the floor, no lookup at all. */
#include "strategy/strategy_impl.h"

static __always_inline struct iommu_domain *none_get(struct device *dev, struct iommu_domain *handed)
{
	(void)dev;
	return handed;
}

static __always_inline void none_put(struct device *dev, struct iommu_domain *domain)
{
	(void)dev;
	(void)domain;
}

static struct iommu_domain *none_map_get(struct device *dev, struct iommu_domain *handed)
{
	return none_get(dev, handed);
}

DEFINE_LOOKUP_BATCH(none_lookup_batch, none_get, none_put)

const struct strategy strategy_none = {
	.name = "none",
	.description = "the domain is handed in: no lookup at all (the floor)",
	STRATEGY_DEFAULT_HOOKS,
	.map_get = none_map_get,
	.map_put = strategy_nop_put,
	.unmap_get = none_map_get,
	.unmap_put = strategy_nop_put,
	.lookup_batch = none_lookup_batch,
};
