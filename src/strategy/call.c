/*
 * call: an out-of-line call that returns the handed domain and does nothing
 * else — the call and return every other strategy's lookup pays (each is one
 * out-of-line function, as the kernel's lookups in iommu.c are), so the
 * overhead over `call` is the design's, not the call's.
 */
#include "strategy/strategy_impl.h"

/* noipa: as opaque as a function in another file (the compiler may not see it returns handed) */
static noipa struct iommu_domain *call_get_domain(struct device *dev, struct iommu_domain *handed)
{
	(void)dev;
	return handed;
}

static __always_inline struct iommu_domain *call_lookup(struct device *dev,
							struct iommu_domain *handed)
{
	return call_get_domain(dev, handed);
}

STRATEGY_PLAIN(call)

DEFINE_STRATEGY(call,
	.name = "call",
	.description = "an out-of-line call that returns the domain, nothing else (the floor of a lookup)",
	.class = STRATEGY_CLASS_FLOOR);
