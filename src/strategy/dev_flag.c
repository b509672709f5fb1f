/*
 * dev-flag: the latest form — the deferred attach is a per-device flag,
 * dev->iommu->attach_deferred, set at probe and tested on the map paths;
 * no global gate. The slow path is drivers/iommu/iommu.c:
 * iommu_deferred_attach() as of late 2025 (Nicolin Chen's "grab the mutex
 * to guard __iommu_attach_device()"): the attach under group->mutex, which
 * clears the flag. Two first maps racing past the unlocked test both attach;
 * the driver's attach_dev makes the second a no-op (the mock's does too).
 */
#include "strategy/strategy_impl.h"

static noinline int dev_flag_deferred_attach(struct device *dev, struct iommu_domain *domain)
{
	struct iommu_group *group = dev->iommu_group;
	int ret;

	pthread_mutex_lock(&group->mutex);
	ret = __iommu_attach_device(domain, dev);
	pthread_mutex_unlock(&group->mutex);
	return ret;
}

/* READ_ONCE: racing first maps in kdump mode read what the attach clears */
static __always_inline int dev_flag_check(struct device *dev, struct iommu_domain *domain)
{
	return unlikely(READ_ONCE(dev->iommu->attach_deferred)) &&
	       dev_flag_deferred_attach(dev, domain);
}

STRATEGY_GATED_GETS(dev_flag, dev_flag_check)

DEFINE_STRATEGY(dev_flag,
	.name = "dev-flag",
	.description = "latest form: cached lookup, then if (unlikely(dev->iommu->attach_deferred)) attach, map only",
	.class = STRATEGY_CLASS_READ_MOSTLY,
	.flags = STRATEGY_GATED);
