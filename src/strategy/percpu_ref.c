/*
 * percpu-ref: not in the kernel — the group refcount of iommu_get_domain_for_dev()
 * as a percpu_ref (percpu-refcount.h) instead of one shared kref: each CPU
 * counts on its own line. The reference is held for the whole use of the
 * domain (get in map_get, put in map_put), which is what a reference is for;
 * the lookup scenario pays one get and one put either way.
 */
#include "model/alloc.h"
#include "strategy/percpu-refcount.h"
#include "strategy/strategy_impl.h"

static __always_inline struct percpu_ref *group_ref(struct iommu_group *group)
{
	return group->strategy_data;
}

static __always_inline struct iommu_domain *percpu_ref_strategy_get(struct device *dev,
								    struct iommu_domain *handed)
{
	struct iommu_group *group = dev->iommu_group;
	struct iommu_domain *domain;

	(void)handed;
	percpu_ref_get(group_ref(group));
	domain = READ_ONCE(group->domain);
	if (unlikely(!domain))
		percpu_ref_put(group_ref(group));
	return domain;
}

static __always_inline void percpu_ref_strategy_put(struct device *dev, struct iommu_domain *domain)
{
	(void)domain;
	percpu_ref_put(group_ref(dev->iommu_group));
}

static struct iommu_domain *percpu_ref_map_get(struct device *dev, struct iommu_domain *handed)
{
	return percpu_ref_strategy_get(dev, handed);
}

static void percpu_ref_map_put(struct device *dev, struct iommu_domain *domain)
{
	percpu_ref_strategy_put(dev, domain);
}

DEFINE_LOOKUP_BATCH(percpu_ref_lookup_batch, percpu_ref_strategy_get, percpu_ref_strategy_put)

/* the group is freed by the model; the last reference only has to be gone */
static void group_ref_release(struct percpu_ref *ref)
{
	(void)ref;
}

static int percpu_ref_group_init(struct iommu_group *group)
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

static void percpu_ref_group_release(struct iommu_group *group)
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
static int percpu_ref_group_check(struct iommu_group *group)
{
	struct percpu_ref *ref = group_ref(group);

	if (!ref)
		return -EINVAL;
	return percpu_ref_model_count(ref) == 1 ? 0 : -EBUSY;
}

const struct strategy strategy_percpu_ref = {
	.name = "percpu-ref",
	.description = "not in the kernel: the group refcount as a per-CPU percpu_ref (one line per CPU)",
	.setup = strategy_common_setup,
	.teardown = strategy_common_teardown,
	.thread_init = strategy_nop_thread_init,
	.thread_exit = strategy_nop_void,
	.quiescent = strategy_nop_void,
	.group_init = percpu_ref_group_init,
	.group_release = percpu_ref_group_release,
	.group_check = percpu_ref_group_check,
	.map_get = percpu_ref_map_get,
	.map_put = percpu_ref_map_put,
	.unmap_get = percpu_ref_map_get,
	.unmap_put = percpu_ref_map_put,
	.lookup_batch = percpu_ref_lookup_batch,
	.note = strategy_nop_note,
};
