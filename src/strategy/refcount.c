/*
 * refcount: iommu_get_domain_for_dev() in map and unmap, as dma-iommu.c did
 * before v4.20 — a get + put of the group refcount every CPU shares, each a
 * single atomic RMW (refcount_t since v5.5; see refcount_full.c for before).
 */
#include "strategy/strategy_impl.h"

/* the reference is dropped inside the lookup, as the kernel's is: no put */
STRATEGY_LOOKUP(refcount, iommu_get_domain_for_dev)

STRATEGY_PLAIN(refcount)

DEFINE_STRATEGY(refcount,
	.name = "refcount",
	.description = "iommu_get_domain_for_dev(): get + put of the shared group refcount per call (pre-4.20)",
	.class = STRATEGY_CLASS_SHARED_WRITE,
	.shared_rmws = 2);
