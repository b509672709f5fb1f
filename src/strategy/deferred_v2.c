/*
 * deferred-v2: "[PATCH v2 2/4] iommu/dma-iommu: Handle deferred devices"
 * (LKML, 2019-04-30) as posted: map AND unmap run handle_deferred_device(),
 * a refcounted iommu_get_domain_for_dev() plus the indirect
 * ops->is_attach_deferred() call, before the cached lookup. The review asked
 * for this to leave the fast path; this is what it cost. In v6.1's shape
 * (dma-lookup.h) it runs once per map (where the check sits,
 * __iommu_dma_map()) and once per unmap (iommu_dma_unmap_page()); the other
 * lookup of each is the cached one.
 */
#include "strategy/strategy_impl.h"

/* the posted patch's handle_deferred_device(), verbatim in structure */
static __always_inline int handle_deferred_device(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	const struct iommu_ops *ops = domain->ops;

	if (ops->is_attach_deferred && ops->is_attach_deferred(domain, dev))
		return iommu_attach_device(domain, dev);

	return 0;
}

STRATEGY_LOOKUP(deferred_v2, iommu_get_dma_domain)

static __always_inline struct iommu_domain *deferred_v2_map_get(struct device *dev,
								struct iommu_domain *handed)
{
	/* the patch ignored the result: iommu_dma_map_page() maps regardless */
	handle_deferred_device(dev);
	return deferred_v2_lookup(dev, handed);
}

/* iommu_dma_unmap_page()/unmap_sg() in the patch: the same call ("not necessary", said the review) */
static __always_inline struct iommu_domain *deferred_v2_unmap_get(struct device *dev,
								  struct iommu_domain *handed)
{
	return deferred_v2_map_get(dev, handed);
}

STRATEGY_NO_PUT(deferred_v2)

DEFINE_STRATEGY(deferred_v2,
	.name = "deferred-v2",
	.description = "the patch as posted: refcounted lookup + indirect is_attach_deferred() in map and unmap",
	.class = STRATEGY_CLASS_SHARED_WRITE,
	.shared_rmws = 2,
	.flags = STRATEGY_GATED);
