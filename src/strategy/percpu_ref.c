/*
 * percpu-ref: not in the kernel — the group refcount of iommu_get_domain_for_dev()
 * as a percpu_ref (percpu-refcount.h) instead of one shared kref: each CPU
 * counts on its own line. The reference is held for the whole use of the
 * domain (taken in the lookup, dropped in put), which is what a reference is
 * for. The lookup is out of line as iommu.c's would be; percpu_ref_put() is
 * inline, as the kernel's is.
 */
#include "model/alloc.h"
#include "strategy/percpu-refcount.h"
#include "strategy/strategy_impl.h"

static __always_inline struct percpu_ref *group_ref(struct iommu_group *group)
{
	return group->strategy_data;
}

/* what iommu.c would have: iommu_get_domain_for_dev() on a percpu_ref, the reference kept */
static noipa struct iommu_domain *percpu_ref_get_domain(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	struct iommu_domain *domain;

	percpu_ref_get(group_ref(group));
	domain = READ_ONCE(group->domain);
	if (unlikely(!domain))
		percpu_ref_put(group_ref(group));
	return domain;
}

/* prefix pcpu_ref: percpu_ref_put() is the library's */
STRATEGY_LOOKUP(pcpu_ref, percpu_ref_get_domain)

static __always_inline void pcpu_ref_put(struct device *dev, struct iommu_domain *domain)
{
	(void)domain;
	percpu_ref_put(group_ref(dev->iommu_group));
}

STRATEGY_GETS_ARE_LOOKUP(pcpu_ref)

/* the group is freed by the model; the last reference only has to be gone */
static void group_ref_release(struct percpu_ref *ref)
{
	(void)ref;
}

static int pcpu_ref_group_init(struct iommu_group *group)
{
	struct percpu_ref *ref = model_zalloc_shared(sizeof(*ref));
	int ret;

	if (!ref)
		return -ENOMEM;
	ret = percpu_ref_init(ref, group_ref_release, 0);
	if (ret) {
		model_free_shared(ref, sizeof(*ref));
		return ret;
	}
	group->strategy_data = ref;
	return 0;
}

static void pcpu_ref_group_release(struct iommu_group *group)
{
	struct percpu_ref *ref = group_ref(group);

	if (!ref)
		return;
	percpu_ref_kill(ref);
	percpu_ref_exit(ref);
	model_free_shared(ref, sizeof(*ref));
	group->strategy_data = NULL;
}

/* every get has had its put: only the initial reference is left */
static int pcpu_ref_group_check(struct iommu_group *group)
{
	struct percpu_ref *ref = group_ref(group);

	if (!ref)
		return -EINVAL;
	return percpu_ref_model_count(ref) == 1 ? 0 : -EBUSY;
}

DEFINE_STRATEGY(pcpu_ref,
	.name = "percpu-ref",
	.description = "not in the kernel: the group refcount as a per-CPU percpu_ref (one line per CPU)",
	.class = STRATEGY_CLASS_PERCPU,
	.ops.group_init = pcpu_ref_group_init,
	.ops.group_release = pcpu_ref_group_release,
	.ops.group_check = pcpu_ref_group_check);
