/* drivers/iommu/iommu.c + lib/kobject.c + lib/refcount.c, v6.1 (iommu_deferred_attach: v5.12; attach_deferred flag: v6.3) */
#include "model/iommu.h"

/*
 * kobject_get/put and the lookups are kept out of line on purpose: in the
 * kernel they live in kobject.c and iommu.c, other translation units than
 * dma-iommu.c, so the fast path pays a real call. Never make them static
 * inline in a header.
 */

void kobject_init(struct kobject *kobj, const struct kobj_type *ktype)
{
	__atomic_store_n(&kobj->kref.refcount, 1, __ATOMIC_RELAXED);	/* kref_init() */
	kobj->ktype = ktype;
	kobj->state_initialized = 1;
}

static long nr_uninitialized_uses;

/* the kernel's WARN(1, "kobject: '%s' (%p): is not initialized, yet kobject_get() is being called.") */
noinline void kobject_warn_uninitialized(void)
{
	__atomic_fetch_add(&nr_uninitialized_uses, 1, __ATOMIC_RELAXED);
}

long kobject_uninitialized_uses(void)
{
	return __atomic_load_n(&nr_uninitialized_uses, __ATOMIC_RELAXED);
}

/*
 * lib/kobject.c: kobject_get() -> kref_get() -> refcount_inc() (v5.5+: one
 * relaxed RMW with a saturation check the model leaves out), after the load
 * of state_initialized (written once at init, on the refcount's line).
 */
noinline struct kobject *kobject_get(struct kobject *kobj)
{
	if (kobj) {
		if (unlikely(!kobj->state_initialized))
			kobject_warn_uninitialized();
		__atomic_fetch_add(&kobj->kref.refcount, 1, __ATOMIC_RELAXED);
	}
	return kobj;
}

/*
 * lib/kobject.c: kobject_put() -> kref_put() -> refcount_dec_and_test():
 * fetch_sub with release order; the one that drops the last reference
 * needs acquire order before the release callback (the kernel's
 * smp_acquire__after_ctrl_dep). Here that is an acquire load of the zero it
 * just wrote: it reads from the release sequence of every earlier put, so it
 * synchronises with them as a fence would, costs a plain load on x86, and
 * ThreadSanitizer (which has no fences) understands it.
 */
noinline void kobject_put(struct kobject *kobj)
{
	const struct kobj_type *t;

	if (!kobj)
		return;
	if (unlikely(!kobj->state_initialized))
		kobject_warn_uninitialized();
	if (__atomic_fetch_sub(&kobj->kref.refcount, 1, __ATOMIC_RELEASE) != 1)
		return;
	(void)__atomic_load_n(&kobj->kref.refcount, __ATOMIC_ACQUIRE);
	t = kobj->ktype;
	if (t && t->release)
		t->release(kobj);
}

/* drivers/iommu/iommu.c: iommu_group_get(); inlined into its callers in this file */
static __always_inline struct iommu_group *__iommu_group_get(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (group)
		kobject_get(group->devices_kobj);

	return group;
}

/* drivers/iommu/iommu.c: iommu_group_put() */
static __always_inline void __iommu_group_put(struct iommu_group *group)
{
	if (group)
		kobject_put(group->devices_kobj);
}

struct iommu_group *iommu_group_get(struct device *dev)
{
	return __iommu_group_get(dev);
}

void iommu_group_put(struct iommu_group *group)
{
	__iommu_group_put(group);
}

/* drivers/iommu/iommu.c: iommu_get_domain_for_dev() — the reviewed-out lookup */
noinline struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	struct iommu_domain *domain;
	struct iommu_group *group;

	group = __iommu_group_get(dev);
	if (!group)
		return NULL;

	domain = READ_ONCE(group->domain);	/* plain load in the kernel; same code */

	__iommu_group_put(group);

	return domain;
}

/* drivers/iommu/iommu.c: iommu_get_dma_domain() (v4.20+): no write at all */
noinline struct iommu_domain *iommu_get_dma_domain(struct device *dev)
{
	return dev->iommu_group->default_domain;
}

/* drivers/iommu/iommu.c: __iommu_attach_device(); clearing the per-device flag is v6.3+ */
int __iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	int ret;

	if (unlikely(domain->ops->attach_dev == NULL))
		return -ENODEV;

	ret = domain->ops->attach_dev(domain, dev);
	if (ret)
		return ret;
	if (dev->iommu)
		WRITE_ONCE(dev->iommu->attach_deferred, 0);
	return 0;
}

/*
 * drivers/iommu/iommu.c: iommu_attach_device() (v5.3, what the seed patch
 * calls). Model difference: the kernel refuses a group of more than one device
 * (-EINVAL) and attaches the whole group; here the one device is attached, so
 * the `group` sharing mode (a device per thread in one group) can take the
 * kdump path too. group->domain is written only if it changes (it is read
 * locklessly by iommu_get_domain_for_dev()).
 */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group;
	int ret;

	if (!domain || !dev)
		return -EINVAL;
	group = __iommu_group_get(dev);
	if (!group)
		return -ENODEV;

	pthread_mutex_lock(&group->mutex);
	ret = -EBUSY;
	/* __iommu_attach_group(), v5.3: only while the group is on its default domain */
	if (group->default_domain && group->domain != group->default_domain)
		goto out_unlock;

	ret = __iommu_attach_device(domain, dev);
	if (!ret && group->domain != domain)
		WRITE_ONCE(group->domain, domain);

out_unlock:
	pthread_mutex_unlock(&group->mutex);
	__iommu_group_put(group);

	return ret;
}

/* drivers/iommu/iommu.c: iommu_deferred_attach(), v5.12: the indirect ops check */
int iommu_deferred_attach(struct device *dev, struct iommu_domain *domain)
{
	const struct iommu_ops *ops = domain->ops;

	if (ops->is_attach_deferred && ops->is_attach_deferred(domain, dev))
		return __iommu_attach_device(domain, dev);

	return 0;
}

/*
 * drivers/iommu/iommu.c: __iommu_map(), v6.1, with one page size (4 KiB):
 * map_pages maps up to the end of one last-level table per call, so loop.
 */
int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot)
{
	const struct iommu_ops *ops = domain->ops;
	unsigned long orig_iova = iova;
	size_t orig_size = size;
	int ret = 0;

	if (unlikely(!ops->map_pages || domain->pgsize_bitmap == 0UL))
		return -ENODEV;
	/* iommu_pgsize() would pick larger pages; the model maps 4 KiB leaves only */
	if ((iova | paddr | size) & (PAGE_SIZE - 1) || size == 0)
		return -EINVAL;

	while (size) {
		size_t mapped = 0;

		ret = ops->map_pages(domain, iova, paddr, PAGE_SIZE,
				     size >> PAGE_SHIFT, prot, &mapped);
		size -= mapped;
		if (ret)
			break;
		if (unlikely(!mapped)) {	/* a driver that maps nothing and says 0 */
			ret = -EFAULT;
			break;
		}
		iova += mapped;
		paddr += mapped;
	}

	/* unroll mapping in case something went wrong */
	if (ret && orig_size != size)
		iommu_unmap(domain, orig_iova, orig_size - size);
	return ret;
}

/* drivers/iommu/iommu.c: __iommu_unmap(), v6.1 */
static size_t __iommu_unmap(struct iommu_domain *domain, unsigned long iova,
			    size_t size, struct iommu_iotlb_gather *gather)
{
	const struct iommu_ops *ops = domain->ops;
	size_t unmapped = 0, done;

	if ((iova | size) & (PAGE_SIZE - 1) || size == 0)
		return 0;

	while (unmapped < size) {
		done = ops->unmap_pages(domain, iova, PAGE_SIZE,
					(size - unmapped) >> PAGE_SHIFT, gather);
		if (!done)
			break;
		iova += done;
		unmapped += done;
	}
	return unmapped;
}

size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	struct iommu_iotlb_gather gather;
	size_t ret;

	iommu_iotlb_gather_init(&gather);
	ret = __iommu_unmap(domain, iova, size, &gather);
	iommu_iotlb_sync(domain, &gather);
	return ret;
}

size_t iommu_unmap_fast(struct iommu_domain *domain, unsigned long iova,
			size_t size, struct iommu_iotlb_gather *gather)
{
	return __iommu_unmap(domain, iova, size, gather);
}

/* include/linux/iommu.h: iommu_iotlb_sync(), v6.1 */
void iommu_iotlb_sync(struct iommu_domain *domain, struct iommu_iotlb_gather *gather)
{
	if (domain->ops->iotlb_sync)
		domain->ops->iotlb_sync(domain, gather);
	iommu_iotlb_gather_init(gather);
}

void iommu_flush_iotlb_all(struct iommu_domain *domain)
{
	if (domain->ops->flush_iotlb_all)
		domain->ops->flush_iotlb_all(domain);
}

phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	if (!domain->ops->iova_to_phys)
		return 0;
	return domain->ops->iova_to_phys(domain, iova);
}

/*
 * drivers/iommu/iommu.c: __iommu_map_sg(), v6.1: physically contiguous runs
 * of segments are mapped with one __iommu_map() each; on failure everything
 * mapped so far is unmapped.
 */
ssize_t iommu_map_sg(struct iommu_domain *domain, unsigned long iova,
		     struct scatterlist *sg, unsigned int nents, int prot)
{
	size_t len = 0, mapped = 0;
	phys_addr_t start = 0;
	unsigned int i = 0;
	int ret;

	while (i <= nents) {
		phys_addr_t s_phys = i < nents ? sg_phys(&sg[i]) : 0;

		if (len && (i == nents || s_phys != start + len)) {
			ret = iommu_map(domain, iova + mapped, start, len, prot);
			if (ret)
				goto out_err;
			mapped += len;
			len = 0;
		}
		if (i == nents)
			break;
		if (len) {
			len += sg[i].length;
		} else {
			len = sg[i].length;
			start = s_phys;
		}
		i++;
	}
	return mapped;

out_err:
	/* undo mappings already done */
	if (mapped)
		iommu_unmap(domain, iova, mapped);
	return ret;
}
