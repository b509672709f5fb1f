/*
 * src/model/iommu.h — the IOMMU core objects: device, dev_iommu, iommu_group,
 * iommu_domain, iommu_ops. Follows include/linux/iommu.h and
 * drivers/iommu/iommu.c of v6.1 (the lookups) and v5.3 (is_attach_deferred).
 *
 * Layout matters: these objects sit on the measured fast path. As in the
 * kernel, the group refcount lives in a separately allocated kobject
 * (group->devices_kobj), so get/put writes a line every CPU mapping for the
 * group shares, and it is not the line holding group->domain.
 *
 * Thread rules: iommu_group_get/put, iommu_get_domain_for_dev,
 * iommu_get_dma_domain, iommu_map/unmap, iova_to_phys and the ops' fast
 * callbacks may be called from any thread concurrently. Creating, attaching
 * and destroying take group->mutex (a pthread mutex: may sleep).
 */
#ifndef DMABENCH_MODEL_IOMMU_H
#define DMABENCH_MODEL_IOMMU_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>	/* ssize_t */
#include "model/compiler.h"

typedef uint64_t dma_addr_t;
typedef uint64_t phys_addr_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)

struct dma_lookup_ops;
struct iommu_domain;
struct iommu_group;
struct device;

/* include/linux/kref.h + lib/kobject.c: the group's refcount. */
struct kref {
	int refcount;			/* refcount_t */
};

struct kobject {			/* include/linux/kobject.h, same field order */
	const char *name;
	void *entry[2];
	struct kobject *parent;
	void *kset;
	const void *ktype;
	void *sd;
	struct kref kref;
	unsigned int state_initialized:1;
};

/* lib/kobject.c: ktype->release runs when the last reference goes */
struct kobj_type {
	void (*release)(struct kobject *kobj);
};

/* kref_init(): refcount 1, state_initialized set; ktype may be NULL (no release) */
void kobject_init(struct kobject *kobj, const struct kobj_type *ktype);
/*
 * lib/kobject.c: out of line (another translation unit than their callers,
 * as in the kernel). Each reads kobj->state_initialized, on the refcount's
 * line, before the atomic; an uninitialised kobject is counted (the kernel
 * WARNs) and used anyway.
 */
struct kobject *kobject_get(struct kobject *kobj);
void kobject_put(struct kobject *kobj);
long kobject_uninitialized_uses(void);	/* model only: the WARNs so far */
void kobject_warn_uninitialized(void);	/* the WARN itself: counts one */
static inline int kref_read(const struct kref *kref)
{
	return __atomic_load_n(&kref->refcount, __ATOMIC_RELAXED);
}

struct iommu_iotlb_gather {
	unsigned long start, end;
	size_t pgsize;
	bool queued;
};

/* include/linux/iommu.h, v6.1 */
static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *gather)
{
	*gather = (struct iommu_iotlb_gather){ .start = ~0UL };
}

static inline void iommu_iotlb_gather_add_range(struct iommu_iotlb_gather *gather,
						unsigned long iova, size_t size)
{
	unsigned long end = iova + size - 1;

	if (gather->start > iova)
		gather->start = iova;
	if (gather->end < end)
		gather->end = end;
}

struct iommu_ops {			/* iommu_ops + iommu_domain_ops, merged */
	int (*attach_dev)(struct iommu_domain *domain, struct device *dev);
	int (*map_pages)(struct iommu_domain *domain, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, size_t *mapped);
	size_t (*unmap_pages)(struct iommu_domain *domain, unsigned long iova,
			      size_t pgsize, size_t pgcount,
			      struct iommu_iotlb_gather *gather);
	void (*flush_iotlb_all)(struct iommu_domain *domain);
	void (*iotlb_sync)(struct iommu_domain *domain,
			   struct iommu_iotlb_gather *gather);
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain, dma_addr_t iova);
	bool (*is_attach_deferred)(struct iommu_domain *domain, struct device *dev);
	unsigned long pgsize_bitmap;
};

struct iommu_domain {
	unsigned int type;
	const struct iommu_ops *ops;
	unsigned long pgsize_bitmap;
	void *iova_cookie;		/* struct iommu_dma_cookie (dma-iommu.c) */
	void *pgtbl;			/* struct io_pgtable (io-pgtable.c) */
	void *iommu;			/* struct model_iommu: the "hardware" */
	unsigned long magic;		/* DOMAIN_MAGIC; DOMAIN_POISON once freed */
	/*
	 * include/linux/iommu.h, v6.1: the aperture dma-iommu clamps its IOVA
	 * limit to. Appended (in the kernel it sits before iova_cookie) so the
	 * fields above keep their line.
	 */
	struct iommu_domain_geometry {
		dma_addr_t aperture_start;
		dma_addr_t aperture_end;
		bool force_aperture;
	} geometry;
};

#define IOMMU_DOMAIN_DMA	1
#define IOMMU_DOMAIN_DMA_FQ	2	/* DMA with lazy invalidation (flush queue), v5.15+ */
#define DOMAIN_MAGIC	0x646f6d61696e21UL	/* "domain!" */
#define DOMAIN_POISON	0x6b6b6b6b6b6b6b6bUL	/* the kernel's POISON_FREE */

struct dev_iommu {			/* include/linux/iommu.h */
	pthread_mutex_t lock;
	void *priv;			/* driver data; DEFER_DEVICE_DOMAIN_INFO */
	/*
	 * The kernel's u32 attach_deferred:1 (v6.3+), a whole word here so the fast
	 * path's READ_ONCE and the attach's WRITE_ONCE (racing first maps in
	 * kdump mode) are atomic accesses, not a race; the load costs the same.
	 */
	unsigned int attach_deferred;
};

/* drivers/iommu/intel/iommu.c, v5.3: a device whose attach waits for kdump. */
#define DEFER_DEVICE_DOMAIN_INFO	((void *)-2)

struct iommu_group {			/* drivers/iommu/iommu.c, v6.1 order */
	struct kobject kobj;
	struct kobject *devices_kobj;	/* the refcount iommu_group_get() takes */
	void *devices[2];		/* list_head */
	void *pasid_array;
	pthread_mutex_t mutex;
	void *iommu_data;
	void (*iommu_data_release)(void *iommu_data);
	char *name;
	int id;
	struct iommu_domain *default_domain;
	struct iommu_domain *blocking_domain;
	struct iommu_domain *domain;
	void *entry[2];
	unsigned int owner_cnt;
	void *owner;
	/* model only, not on the fast path: the devices, for teardown */
	struct device **model_devices;
	int model_nr_devices;
	/* model only: per-group state a strategy keeps (e.g. its percpu_ref) */
	void *strategy_data;
};

struct device {				/* include/linux/device.h, the fields used */
	const char *init_name;
	struct device *parent;
	void *driver_data;
	struct dev_iommu *iommu;
	struct iommu_group *iommu_group;
	const struct dma_lookup_ops *dma_lookup;	/* stands for dev->dma_ops (dma-lookup.h) */
	uint64_t dma_mask;
	uint64_t coherent_dma_mask;
	int numa_node;
	/* model only, for the tests' invariants */
	int model_attach_count;		/* successful attach_dev calls */
	int model_id;
};

/*
 * Refcounted group: kobject_get/put on group->devices_kobj. Exported for
 * other files; iommu.c's own callers (iommu_get_domain_for_dev) inline them,
 * as the compiler may in the kernel, where they share that file.
 */
struct iommu_group *iommu_group_get(struct device *dev);
void iommu_group_put(struct iommu_group *group);

/*
 * drivers/iommu/iommu.c: the two lookups the review is about. Out of line,
 * as every lookup of group->domain is in the kernel (struct iommu_group is
 * private to iommu.c): the fast path pays a call and a return for each.
 */
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev);
struct iommu_domain *iommu_get_dma_domain(struct device *dev);

/* Attach: __iommu_attach_device() clears attach_deferred on success. */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev);
int __iommu_attach_device(struct iommu_domain *domain, struct device *dev);
/* v5.12+ iommu.c: attach now if the device still defers it (ops check). */
int iommu_deferred_attach(struct device *dev, struct iommu_domain *domain);

int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot);
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size);
size_t iommu_unmap_fast(struct iommu_domain *domain, unsigned long iova,
			size_t size, struct iommu_iotlb_gather *gather);
void iommu_iotlb_sync(struct iommu_domain *domain,
		      struct iommu_iotlb_gather *gather);
void iommu_flush_iotlb_all(struct iommu_domain *domain);
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);

/*
 * include/linux/scatterlist.h, the fields the model uses; a list is an array
 * (no chaining). page_phys stands for page_link: the (fake) physical address
 * of the segment's page.
 */
struct scatterlist {
	phys_addr_t	page_phys;
	unsigned int	offset;
	unsigned int	length;
	dma_addr_t	dma_address;
	unsigned int	dma_length;
};

#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)
static inline phys_addr_t sg_phys(const struct scatterlist *sg)
{
	return sg->page_phys + sg->offset;
}

/* drivers/iommu/iommu.c: __iommu_map_sg(), v6.1: bytes mapped or -errno (nothing left mapped) */
ssize_t iommu_map_sg(struct iommu_domain *domain, unsigned long iova,
		     struct scatterlist *sg, unsigned int nents, int prot);

#endif
