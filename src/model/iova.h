/*
 * src/model/iova.h — the IOVA allocator. Follows include/linux/iova.h and
 * drivers/iommu/iova.c of v6.1.
 *
 * An iova_domain hands out ranges of pfns (units of the domain's granule)
 * between start_pfn and a caller's limit_pfn. Two layers, as in the kernel:
 *
 * - The tree: a red-black tree of allocated ranges (struct iova) under
 *   iova_rbtree_lock, searched top-down from a cached node
 *   (alloc_iova/free_iova). Every allocation or free takes the lock, which
 *   every CPU allocating in the domain shares: the slow path.
 * - The range caches (iova_domain_init_rcaches): for each size class 2^0 ..
 *   2^(IOVA_RANGE_CACHE_MAX_SIZE-1) pages, every CPU keeps a loaded and a
 *   previous magazine of IOVA_MAG_SIZE freed pfns under its own lock, and a
 *   depot of up to MAX_GLOBAL_MAGS full magazines sits behind one lock per
 *   size class. alloc_iova_fast/free_iova_fast take only the CPU's own lock in
 *   the common case: the fast path dma-iommu uses. A cached range stays in
 *   the tree (it is still allocated as far as the tree knows); handing it out
 *   again never touches the tree.
 *
 * The CPU is smp_processor_id() (model_set_this_cpu); the per-CPU caches are
 * made for model_nr_cpu_ids CPUs when iova_domain_init_rcaches() runs, so set
 * that first.
 *
 * Thread rules: after init_iova_domain() and iova_domain_init_rcaches(), every
 * function but put_iova_domain may be called by any thread concurrently.
 * init/put are the owner's (no concurrent use of the domain). struct iova and
 * magazines come from model_zalloc(); a failed allocation makes the call fail
 * (NULL / 0 / false / -ENOMEM) and leaks nothing.
 *
 * Failure is pfn 0 (alloc_iova_fast) as in the kernel, so start_pfn must be
 * >= 1 when the fast path is used (dma-iommu starts at max(1, base)).
 */
#ifndef DMABENCH_MODEL_IOVA_H
#define DMABENCH_MODEL_IOVA_H

#include <stdbool.h>
#include <stddef.h>
#include "model/compiler.h"
#include "model/iommu.h"	/* dma_addr_t, PAGE_SIZE */
#include "model/rbtree.h"

/* iova structure */
struct iova {
	struct rb_node	node;
	unsigned long	pfn_hi;		/* Highest allocated pfn */
	unsigned long	pfn_lo;		/* Lowest allocated pfn */
};

struct iova_rcache;

#define IOVA_RANGE_CACHE_MAX_SIZE 6	/* log of max cached IOVA range size (in pages) */
#define IOVA_MAG_SIZE		128	/* pfns per magazine (v6.1; 127 from v6.4) */
#define MAX_GLOBAL_MAGS		32	/* magazines per bin (depot) */

/* holds all the iova translations for a domain (v6.1 field order) */
struct iova_domain {
	spinlock_t	iova_rbtree_lock; /* Lock to protect update of rbtree */
	struct rb_root	rbroot;		/* iova domain rbtree root */
	struct rb_node	*cached_node;	/* Save last alloced node */
	struct rb_node	*cached32_node;	/* Save last 32-bit alloced node */
	unsigned long	granule;	/* pfn granularity for this domain */
	unsigned long	start_pfn;	/* Lower limit for this domain */
	unsigned long	dma_32bit_pfn;
	unsigned long	max32_alloc_size; /* Size of last failed allocation */
	struct iova	anchor;		/* rbtree lookup anchor */

	struct iova_rcache *rcaches;	/* NULL until iova_domain_init_rcaches() */
	/* model only: CPUs the per-CPU caches were made for (no CPU hotplug) */
	unsigned int	model_nr_cpus;
};

static inline unsigned long iova_size(struct iova *iova)
{
	return iova->pfn_hi - iova->pfn_lo + 1;
}

static inline unsigned long iova_shift(struct iova_domain *iovad)
{
	return __builtin_ctzl(iovad->granule);	/* __ffs() */
}

static inline unsigned long iova_mask(struct iova_domain *iovad)
{
	return iovad->granule - 1;
}

static inline size_t iova_offset(struct iova_domain *iovad, dma_addr_t iova)
{
	return iova & iova_mask(iovad);
}

static inline size_t iova_align(struct iova_domain *iovad, size_t size)
{
	return (size + iovad->granule - 1) & ~(size_t)(iovad->granule - 1);	/* ALIGN() */
}

static inline dma_addr_t iova_dma_addr(struct iova_domain *iovad, struct iova *iova)
{
	return (dma_addr_t)iova->pfn_lo << iova_shift(iovad);
}

static inline unsigned long iova_pfn(struct iova_domain *iovad, dma_addr_t iova)
{
	return iova >> iova_shift(iovad);
}

/* iova_cache_get/put: the kernel's kmem_cache for struct iova; model_zalloc() needs none. */
static inline int iova_cache_get(void) { return 0; }
static inline void iova_cache_put(void) { }

/*
 * init_iova_domain: an empty domain (just the anchor above the top of the
 * address space), no range caches. @granule: a power of two <= PAGE_SIZE
 * (the kernel BUG()s otherwise; here the caller must check). Initialises
 * every field, so @iovad may be uninitialised memory; rcaches is NULL after.
 */
void init_iova_domain(struct iova_domain *iovad, unsigned long granule,
		      unsigned long start_pfn);

/*
 * iova_domain_init_rcaches: make the range caches, for model_nr_cpu_ids
 * CPUs: IOVA_RANGE_CACHE_MAX_SIZE size classes x nr CPUs, each CPU's cache in
 * its own cache line, two empty magazines each. 0 or -ENOMEM (then rcaches
 * stays NULL, nothing leaks, and the domain works without caches).
 */
int iova_domain_init_rcaches(struct iova_domain *iovad);

/*
 * put_iova_domain: free every range in the tree and every cache and
 * magazine. The domain must not be used afterwards (init it again first).
 */
void put_iova_domain(struct iova_domain *iovad);

/*
 * alloc_iova: a range of @size pfns with pfn_hi <= @limit_pfn and pfn_lo >=
 * start_pfn, the highest free one below the cached node (top-down, as
 * __alloc_and_insert_iova_range). @size_aligned: pfn_lo is a multiple of
 * roundup_pow_of_two(@size). Takes iova_rbtree_lock. NULL when there is no
 * room or no memory; @size 0 is refused (NULL) where the kernel never asks.
 */
struct iova *alloc_iova(struct iova_domain *iovad, unsigned long size,
			unsigned long limit_pfn, bool size_aligned);

/* find_iova: the range holding @pfn, or NULL. Takes iova_rbtree_lock. */
struct iova *find_iova(struct iova_domain *iovad, unsigned long pfn);

/* __free_iova: remove @iova (from find_iova/alloc_iova) and free it. */
void __free_iova(struct iova_domain *iovad, struct iova *iova);

/* free_iova: find the range holding @pfn and free it; no range: nothing. */
void free_iova(struct iova_domain *iovad, unsigned long pfn);

/*
 * alloc_iova_fast: a size-aligned range of @size pfns ending at or below
 * @limit_pfn; returns its pfn_lo, or 0 on failure. Sizes below
 * 2^(IOVA_RANGE_CACHE_MAX_SIZE-1) are rounded up to a power of two first.
 * Tries this CPU's range cache (then the depot), then the tree; if the tree
 * is full and @flush_rcache, returns every CPU's cached ranges and the
 * depot's to the tree and tries the tree once more (exactly v6.1).
 * Free the result with free_iova_fast() with the same @size.
 */
unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn, bool flush_rcache);

/*
 * free_iova_fast: give back a range from alloc_iova_fast(): into this CPU's
 * cache for its size class if it is cacheable and there is room (a full
 * magazine pair moves a magazine to the depot, or back to the tree when the
 * depot is full), else back to the tree.
 */
void free_iova_fast(struct iova_domain *iovad, unsigned long pfn,
		    unsigned long size);

/* free_cpu_cached_iovas: return @cpu's cached ranges to the tree (CPU hotplug). */
void free_cpu_cached_iovas(unsigned int cpu, struct iova_domain *iovad);

/* free_global_cached_iovas: return the depots' ranges to the tree, free the magazines. */
void free_global_cached_iovas(struct iova_domain *iovad);

/*
 * Model only, for invariant checks (tests, the world checker); not in the
 * kernel, not for the measured path. Each takes the domain's locks, so it
 * is safe while other threads run, but the answer is a snapshot.
 */
/* Ranges in the tree (cached ones included), the anchor excluded. */
unsigned long iova_domain_nr_allocated(struct iova_domain *iovad);
/* Ranges held in the per-CPU magazines and the depots. */
unsigned long iova_domain_nr_cached(struct iova_domain *iovad);
/*
 * iova_domain_check: 0 if the domain is consistent, else -EUCLEAN: the tree
 * is a valid red-black tree in pfn order, ranges do not overlap, lie in
 * [start_pfn, anchor), the anchor is last, cached nodes are in the tree, and
 * every cached pfn is the pfn_lo of a tree range, cached once. Quiescent
 * domain only (no concurrent calls): it looks at all the caches at once.
 */
int iova_domain_check(struct iova_domain *iovad);

#endif
