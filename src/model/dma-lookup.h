/*
 * src/model/dma-lookup.h — the hooks the model's DMA layer calls to find a
 * device's domain, declared here, below their implementations, as the kernel
 * keeps struct dma_map_ops below the IOMMU code that fills it in. A lookup
 * design (src/strategy/) fills in a struct dma_lookup_ops; the model calls
 * it through dev->dma_lookup and knows nothing else about it.
 *
 * The lookups. Where drivers/iommu/dma-iommu.c (v6.1) calls
 * iommu_get_dma_domain(), the model calls one of these:
 *   lookup     the plain lookup: iommu_dma_map_page() and __iommu_dma_unmap()
 *   map_get    the lookup plus the deferred-attach check: __iommu_dma_map(),
 *              iommu_dma_map_sg()
 *   unmap_get  iommu_dma_unmap_page(), iommu_dma_unmap_sg() (the posted 2019
 *              patch checked the deferred attach there too; everyone else's is
 *              the plain lookup)
 * Each returns the domain, or NULL when a deferred attach failed (the map then
 * fails as the kernel's does). `handed` is the domain the caller already
 * holds (only the `none` floor uses it). put(dev, d) is called exactly once
 * for each get that returned d != NULL, after the last use of d, never after
 * a NULL; between the two the domain stays valid (rcu: a read-side critical
 * section; percpu-ref: a reference held).
 *
 * The lookups per call are v6.1's: dma_map_page() looks up twice
 * (iommu_dma_map_page(), then __iommu_dma_map() with the check), and
 * dma_unmap_page() twice (iommu_dma_unmap_page() for iova_to_phys, then
 * __iommu_dma_unmap()); dma_map_sg() and dma_unmap_sg() once each.
 *
 * The paths. map_page/unmap_page/map_sg/unmap_sg are the dma-iommu entry
 * points with the lookups above inlined, instantiated per lookup design by
 * DEFINE_DMA_LOOKUP_PATHS() (below), so no indirect call and no empty put
 * sits between the DMA API and the domain: dma_map_page() makes one indirect
 * call, dev->dma_lookup->map_page(), where the kernel's dma_map_page_attrs()
 * calls dev->dma_ops->map_page(). The hooks above are for the lookup
 * scenario and the tests; dma_lookup_generic_*() are paths that call them
 * (for tests' hand-made lookups).
 *
 * The per-group state a design keeps (percpu-ref's counter): group_init after
 * the group is built, group_release before it is torn down, group_check (0,
 * or -EBUSY for a reference never dropped) with no get/put in flight.
 *
 * Every hook is non-NULL (the model refuses a world otherwise), so the hot
 * path never tests. The get/put hooks and paths run on any thread
 * concurrently; the group hooks with no DMA call in flight on the group.
 */
#ifndef DMABENCH_MODEL_DMA_LOOKUP_H
#define DMABENCH_MODEL_DMA_LOOKUP_H

#include "model/dma-iommu.h"

struct dma_lookup_ops {
	struct iommu_domain *(*lookup)(struct device *dev, struct iommu_domain *handed);
	struct iommu_domain *(*map_get)(struct device *dev, struct iommu_domain *handed);
	struct iommu_domain *(*unmap_get)(struct device *dev, struct iommu_domain *handed);
	void (*put)(struct device *dev, struct iommu_domain *domain);

	int (*group_init)(struct iommu_group *group);		/* 0 or -errno */
	void (*group_release)(struct iommu_group *group);
	int (*group_check)(struct iommu_group *group);		/* 0 or -EBUSY */

	dma_addr_t (*map_page)(struct device *dev, phys_addr_t phys, size_t offset, size_t size,
			       enum dma_data_direction dir, unsigned long attrs,
			       struct iommu_domain *handed);
	int (*unmap_page)(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs,
			  struct iommu_domain *handed);
	int (*map_sg)(struct device *dev, struct scatterlist *sg, int nents,
		      enum dma_data_direction dir, unsigned long attrs,
		      struct iommu_domain *handed);
	int (*unmap_sg)(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs,
			struct iommu_domain *handed);
};

/*
 * The dma-iommu work after the lookup, out of line in dma-iommu.c as the
 * kernel's static helpers are out of line to their several callers. The
 * checks dma_map_page_attrs() does (device, mask, direction) are done by the
 * dma_map_page() & co. that dispatch to the paths; these take them as done.
 */
/* __iommu_dma_map() after its lookup: the IOVA (+ offset of phys) or DMA_MAPPING_ERROR */
dma_addr_t __iommu_dma_map_domain(struct iommu_domain *domain, phys_addr_t phys, size_t size,
				  int prot, uint64_t dma_mask);
/* __iommu_dma_unmap() after its lookup: 0 or -EINVAL (nothing freed) */
int __iommu_dma_unmap_domain(struct iommu_domain *domain, dma_addr_t dma_addr, size_t size);
/* iommu_dma_map_sg() after its lookup: nents or -EINVAL / -ENOMEM (list restored) */
int __iommu_dma_map_sg_domain(struct device *dev, struct iommu_domain *domain,
			      struct scatterlist *sg, int nents, int prot);
/* iommu_dma_unmap_sg() up to its lookup: the IOVA range, or 0 if the list maps none */
dma_addr_t __iommu_dma_sg_range(struct scatterlist *sg, int nents, size_t *size);

/* dma_info_to_prot(), v6.1: model devices are coherent; no privileged mappings */
static inline int dma_info_to_prot(enum dma_data_direction dir, unsigned long attrs)
{
	(void)attrs;
	switch (dir) {
	case DMA_BIDIRECTIONAL:
		return IOMMU_READ | IOMMU_WRITE;
	case DMA_TO_DEVICE:
		return IOMMU_READ;
	case DMA_FROM_DEVICE:
		return IOMMU_WRITE;
	default:
		return 0;
	}
}

/*
 * The four paths of one lookup design, with LOOKUP, MAP_GET, UNMAP_GET and
 * PUT (functions or macros of the hooks' signatures, normally static
 * __always_inline) inlined. STORAGE: `static`, or empty for global symbols.
 * Defines PFX##_map_page, PFX##_unmap_page, PFX##_map_sg, PFX##_unmap_sg;
 * DMA_LOOKUP_PATHS(PFX) is their designated initialiser.
 */
#define DEFINE_DMA_LOOKUP_PATHS(STORAGE, PFX, LOOKUP, MAP_GET, UNMAP_GET, PUT)		\
/* iommu_dma_map_page() -> __iommu_dma_map(), v6.1: two lookups */			\
STORAGE dma_addr_t PFX##_map_page(struct device *dev, phys_addr_t phys, size_t offset,	\
				  size_t size, enum dma_data_direction dir,		\
				  unsigned long attrs, struct iommu_domain *handed)	\
{											\
	struct iommu_domain *outer = LOOKUP(dev, handed), *domain;			\
	dma_addr_t iova = DMA_MAPPING_ERROR;						\
											\
	if (unlikely(!outer))								\
		return DMA_MAPPING_ERROR;						\
	domain = MAP_GET(dev, handed);							\
	if (likely(domain)) {								\
		iova = __iommu_dma_map_domain(domain, phys + offset, size,		\
					      dma_info_to_prot(dir, attrs),		\
					      dev->dma_mask);				\
		PUT(dev, domain);							\
	}										\
	PUT(dev, outer);								\
	return iova;									\
}											\
											\
/* iommu_dma_unmap_page() -> __iommu_dma_unmap(), v6.1: two lookups */			\
STORAGE int PFX##_unmap_page(struct device *dev, dma_addr_t addr, size_t size,		\
			     enum dma_data_direction dir, unsigned long attrs,		\
			     struct iommu_domain *handed)				\
{											\
	struct iommu_domain *outer = UNMAP_GET(dev, handed), *domain;			\
	int ret = -ENODEV;								\
											\
	(void)dir;									\
	(void)attrs;									\
	if (unlikely(!outer))								\
		return -ENODEV;								\
	/* the kernel: if (WARN_ON(!phys)) return; */					\
	if (unlikely(!iommu_iova_to_phys(outer, addr))) {				\
		ret = -EINVAL;								\
	} else {									\
		domain = LOOKUP(dev, handed);						\
		if (likely(domain)) {							\
			ret = __iommu_dma_unmap_domain(domain, addr, size);		\
			PUT(dev, domain);						\
		}									\
	}										\
	PUT(dev, outer);								\
	return ret;									\
}											\
											\
/* iommu_dma_map_sg(), v6.1: one lookup, with the deferred-attach check */		\
STORAGE int PFX##_map_sg(struct device *dev, struct scatterlist *sg, int nents,	\
			 enum dma_data_direction dir, unsigned long attrs,		\
			 struct iommu_domain *handed)					\
{											\
	struct iommu_domain *domain = MAP_GET(dev, handed);				\
	int ret;									\
											\
	if (unlikely(!domain))								\
		return -EINVAL;	/* the kernel: a failed deferred attach -> -EINVAL */	\
	ret = __iommu_dma_map_sg_domain(dev, domain, sg, nents,			\
					dma_info_to_prot(dir, attrs));			\
	PUT(dev, domain);								\
	return ret;									\
}											\
											\
/* iommu_dma_unmap_sg() -> __iommu_dma_unmap(), v6.1: one lookup */			\
STORAGE int PFX##_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,	\
			   enum dma_data_direction dir, unsigned long attrs,		\
			   struct iommu_domain *handed)					\
{											\
	struct iommu_domain *domain;							\
	size_t size = 0;								\
	dma_addr_t start = __iommu_dma_sg_range(sg, nents, &size);			\
	int ret;									\
											\
	(void)dir;									\
	(void)attrs;									\
	domain = UNMAP_GET(dev, handed);						\
	if (unlikely(!domain))								\
		return -ENODEV;								\
	ret = start ? __iommu_dma_unmap_domain(domain, start, size) : -EINVAL;		\
	PUT(dev, domain);								\
	return ret;									\
}

#define DMA_LOOKUP_PATHS(PFX)						\
	.map_page = PFX##_map_page, .unmap_page = PFX##_unmap_page,	\
	.map_sg = PFX##_map_sg, .unmap_sg = PFX##_unmap_sg

/* The declarations of the four paths DEFINE_DMA_LOOKUP_PATHS(, PFX, ...) defines. */
#define DECLARE_DMA_LOOKUP_PATHS(PFX)							\
dma_addr_t PFX##_map_page(struct device *dev, phys_addr_t phys, size_t offset,		\
			  size_t size, enum dma_data_direction dir,			\
			  unsigned long attrs, struct iommu_domain *handed);		\
int PFX##_unmap_page(struct device *dev, dma_addr_t addr, size_t size,			\
		     enum dma_data_direction dir, unsigned long attrs,			\
		     struct iommu_domain *handed);					\
int PFX##_map_sg(struct device *dev, struct scatterlist *sg, int nents,		\
		 enum dma_data_direction dir, unsigned long attrs,			\
		 struct iommu_domain *handed);						\
int PFX##_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,		\
		   enum dma_data_direction dir, unsigned long attrs,			\
		   struct iommu_domain *handed)

/*
 * dma_lookup_generic_map_page() & co.: paths that call the hooks through
 * dev->dma_lookup (tests' hand-made lookups).
 */
DECLARE_DMA_LOOKUP_PATHS(dma_lookup_generic);

#endif
