/*
 * kdump-gate: the reviewed form as merged, drivers/iommu/dma-iommu.c after
 * commit 795bbbb9b6f8 (2019, after v5.3): the cached lookup, then
 * handle_deferred_device() behind is_kdump_kernel() (a load of a global and a
 * compare), in the map paths only.
 */
#include "model/crash_dump.h"
#include "strategy/strategy_impl.h"

/* drivers/iommu/dma-iommu.c, commit 795bbbb9b6f8: iommu_dma_deferred_attach() */
static __always_inline int handle_deferred_device(struct device *dev, struct iommu_domain *domain)
{
	const struct iommu_ops *ops = domain->ops;

	if (!is_kdump_kernel())
		return 0;

	if (unlikely(ops->is_attach_deferred && ops->is_attach_deferred(domain, dev)))
		return iommu_attach_device(domain, dev);

	return 0;
}

/*
 * The cached lookup; __iommu_dma_map() / iommu_dma_map_sg(), same commit: a
 * failed attach fails the map; unmap: the map already attached ("we can
 * assume it's already been dealt with").
 */
STRATEGY_GATED_GETS(kdump_gate, handle_deferred_device)

DEFINE_STRATEGY(kdump_gate,
	.name = "kdump-gate",
	.description = "merged form (2019): cached lookup, deferred-attach check behind is_kdump_kernel(), map only",
	.class = STRATEGY_CLASS_READ_MOSTLY,
	.flags = STRATEGY_GATED);
