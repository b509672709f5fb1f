/*
 * refcount-full: `refcount` as kernels before v5.5 built it with
 * CONFIG_REFCOUNT_FULL (the 2019 review's era): refcount_inc() and
 * refcount_dec_and_test() are out-of-line lib/refcount.c functions whose
 * increment and decrement are atomic_try_cmpxchg() retry loops, where v5.5+
 * has one `lock xadd`. Under contention a failed cmpxchg reloads and retries,
 * so the cost grows differently. lib/refcount.c and lib/kobject.c of v5.4;
 * iommu_get_domain_for_dev() as in iommu.c (v5.4 has the same body).
 */
#include <limits.h>
#include "strategy/strategy_impl.h"

/* lib/refcount.c, v5.4: refcount_inc_not_zero_checked() */
static noipa bool refcount_inc_not_zero_checked(int *refs)
{
	unsigned int new, val = (unsigned int)__atomic_load_n(refs, __ATOMIC_RELAXED);

	do {
		new = val + 1;
		if (!val)
			return false;
		if (unlikely(!new))
			return true;	/* saturated */
	} while (!__atomic_compare_exchange_n(refs, (int *)&val, (int)new, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

/* lib/refcount.c, v5.4: refcount_sub_and_test_checked(1, r) */
static noipa bool refcount_dec_and_test_checked(int *refs)
{
	unsigned int new, val = (unsigned int)__atomic_load_n(refs, __ATOMIC_RELAXED);

	do {
		if (unlikely(val == UINT_MAX))
			return false;	/* saturated */
		new = val - 1;
		if (new > val)
			return false;	/* underflow: WARN_ONCE in the kernel */
	} while (!__atomic_compare_exchange_n(refs, (int *)&val, (int)new, false,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (!new) {
		/* smp_acquire__after_ctrl_dep(); see kobject_put() in model/iommu.c */
		(void)__atomic_load_n(refs, __ATOMIC_ACQUIRE);
		return true;
	}
	return false;
}

/* lib/kobject.c, v5.4: kobject_get() -> kref_get() -> refcount_inc() (out of line) */
static noipa struct kobject *kobject_get_full(struct kobject *kobj)
{
	if (kobj) {
		if (unlikely(!kobj->state_initialized))
			kobject_warn_uninitialized();
		refcount_inc_not_zero_checked(&kobj->kref.refcount);	/* WARNs on 0 */
	}
	return kobj;
}

/* lib/kobject.c, v5.4: kobject_put() -> kref_put() -> refcount_dec_and_test() */
static noipa void kobject_put_full(struct kobject *kobj)
{
	const struct kobj_type *t;

	if (!kobj)
		return;
	if (unlikely(!kobj->state_initialized))
		kobject_warn_uninitialized();
	if (!refcount_dec_and_test_checked(&kobj->kref.refcount))
		return;
	t = kobj->ktype;
	if (t && t->release)
		t->release(kobj);
}

/* drivers/iommu/iommu.c, v5.4: iommu_get_domain_for_dev() with iommu_group_get/put inlined */
static noipa struct iommu_domain *iommu_get_domain_for_dev_full(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	struct iommu_domain *domain;

	if (!group)
		return NULL;
	kobject_get_full(group->devices_kobj);
	domain = READ_ONCE(group->domain);
	kobject_put_full(group->devices_kobj);
	return domain;
}

STRATEGY_LOOKUP(refcount_full, iommu_get_domain_for_dev_full)

STRATEGY_PLAIN(refcount_full)

DEFINE_STRATEGY(refcount_full,
	.name = "refcount-full",
	.description = "refcount before v5.5 with CONFIG_REFCOUNT_FULL: get + put as cmpxchg retry loops",
	.class = STRATEGY_CLASS_SHARED_WRITE,
	.shared_rmws = 2,
	.flags = STRATEGY_CMPXCHG_LOOP);
