/* none: the domain is handed in — the floor: no lookup, no call, nothing. */
#include "strategy/strategy_impl.h"

static __always_inline struct iommu_domain *none_lookup(struct device *dev,
							struct iommu_domain *handed)
{
	(void)dev;
	return handed;
}

STRATEGY_PLAIN(none)

DEFINE_STRATEGY(none,
	.name = "none",
	.description = "the domain is handed in: no lookup, no call at all (the floor)",
	.class = STRATEGY_CLASS_FLOOR);
