/*
 * src/model/dma-iommu.h — the DMA API on top of the IOMMU: dma_map_page,
 * dma_unmap_page, dma_map_sg, dma_unmap_sg, and the per-domain state behind
 * them (the IOVA allocator and, in lazy mode, the per-CPU flush queues).
 * Follows drivers/iommu/dma-iommu.c of v6.1.
 *
 * The model really maps: dma_map_page() allocates an IOVA range
 * (alloc_iova_fast), writes the page table (iommu_map), and returns an
 * address that iommu_iova_to_phys() translates to phys + offset;
 * dma_unmap_page() clears the table, invalidates (strict: now, under the
 * IOMMU's command-queue lock; lazy: later, batched, by the flush queue) and
 * frees the IOVA. Physical addresses are fake page frames: nothing is
 * read or written through them, no data moves. Page frame 0 is not a valid
 * page (the unmap path, like the kernel's, takes a translation of 0 to mean
 * "not mapped").
 *
 * The lookup under test: dma_map_page() & co. check their input as
 * dma_map_page_attrs() does, then make one indirect call into the device's
 * struct dma_lookup_ops (dma-lookup.h), where the kernel calls
 * dev->dma_ops->map_page(): a path instantiated per lookup design with its
 * lookups inlined, two per map and two per unmap as in v6.1. `handed` is the
 * domain the caller holds; only the `none` floor uses it.
 *
 * Thread rules: the four DMA calls may run on any thread concurrently, for
 * the same or different devices (each thread should say which CPU slot it
 * is, model_set_this_cpu(), so the per-CPU caches and queues are per CPU).
 * Cookie and domain set-up/teardown and iommu_dma_flush_queues() are for
 * the owner, with no DMA call in flight.
 *
 * Errors: bad input is refused with an error (never a crash): a NULL device,
 * a device without an IOMMU group, dma_lookup or dma_mask, size 0, an
 * invalid direction, a NULL or empty scatterlist, a segment of length 0 or
 * with offset >= PAGE_SIZE, a lookup that finds no domain, an address that
 * is not mapped.
 */
#ifndef DMABENCH_MODEL_DMA_IOMMU_H
#define DMABENCH_MODEL_DMA_IOMMU_H

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include "model/iommu.h"
#include "model/iova.h"

enum dma_data_direction {		/* include/linux/dma-direction.h */
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

#define DMA_ATTR_SKIP_CPU_SYNC	(1UL << 5)	/* accepted, nothing to skip: model devices are coherent */
#define DMA_BIT_MASK(n)		(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

#define IOVA_FQ_SIZE	256	/* entries per CPU's flush queue, v6.1 */
#define IOVA_FQ_TIMEOUT	10	/* ms after which the queues are flushed, v6.1 */

/* Flush queue entry for deferred flushing */
struct iova_fq_entry {
	unsigned long iova_pfn;
	unsigned long pages;
	uint64_t counter;		/* fq_flush_start_cnt when this entry was added */
};

/*
 * Per-CPU flush queue, each CPU's in its own cache lines. The kernel puts
 * head/tail/lock after the entries; here they lead, which keeps them in one
 * line as there.
 */
struct iova_fq {
	spinlock_t lock;
	unsigned int head, tail;
	int timer_due;			/* model: fq_timer fired for this CPU; its next call runs it */
	struct iova_fq_entry entries[IOVA_FQ_SIZE];
} ____cacheline_aligned;

/*
 * The kernel's fq_timer (a timer_list armed with mod_timer, run in softirq
 * on the CPU that armed it) is two halves here. A thread sleeps until armed,
 * waits IOVA_FQ_TIMEOUT ms and only marks the arming CPU's queue
 * (iova_fq.timer_due), as raising the timer softirq would; the worker on that
 * CPU runs fq_flush_timeout() at its next call into the flush queue, as the
 * softirq would run on its way out of an interrupt, so the IOVAs it frees go
 * to that CPU's range cache and no extra runnable thread competes with the
 * workers for their CPUs (nor holds a queue lock while descheduled). The
 * thread is started with the flush queue and stopped (joined) at teardown,
 * as del_timer_sync() does. Only this thread reads a clock. Model difference:
 * a CPU that makes no further call does not run its due timeout; the other
 * CPUs' queues still flush when full, and the final flush runs it.
 */
struct model_fq_timer {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool pending;			/* mod_timer() called, not yet fired */
	bool stop;
	int cpu;			/* the CPU slot that armed it: the callback runs as that CPU */
};

struct iommu_dma_cookie {		/* v6.1 field order (no MSI cookie type) */
	struct iova_domain	iovad;
	/* Flush queue: model_nr_cpus of them, each its own lines */
	struct iova_fq		*fq;
	/* Number of TLB flushes that have been started */
	uint64_t		fq_flush_start_cnt;	/* atomic64_t */
	/* Number of TLB flushes that have been finished */
	uint64_t		fq_flush_finish_cnt;	/* atomic64_t */
	/* 1 when timer is active, 0 when not */
	int			fq_timer_on;		/* atomic_t */
	/* Domain for flush queue callback; NULL if flush queue not in use */
	struct iommu_domain	*fq_domain;
	pthread_mutex_t		mutex;
	/* model only, touched at set-up or when the timer is armed/fires */
	unsigned int		model_nr_cpus;
	bool			model_fq_timer_started;
	struct model_fq_timer	fq_timer;
	unsigned long		model_timer_fired;		/* atomic: timeouts marked due */
	unsigned long		model_timer_softirq_runs;	/* atomic: run by a worker */
	unsigned long		model_timer_thread_flushes;	/* atomic: flushes on the timer thread (0) */
};

/* iommu_get_dma_cookie(): 0, -EEXIST (already has one), -ENOMEM */
int iommu_get_dma_cookie(struct iommu_domain *domain);
/* iommu_put_dma_cookie(): stops the flush timer, frees queues, IOVAs and the cookie */
void iommu_put_dma_cookie(struct iommu_domain *domain);

/*
 * iommu_dma_init_domain(): the IOVA domain (granule = smallest page size,
 * start pfn max(1, base >> shift)) and its per-CPU range caches for
 * model_nr_cpu_ids CPUs (set that first); for IOMMU_DOMAIN_DMA_FQ also the
 * per-CPU flush queues and the timer thread. @limit is accepted for the
 * kernel's signature (the aperture bounds allocations). Model difference: the
 * kernel falls back to strict when the flush queue cannot be set up; here
 * that is an error (a lazy run must not silently measure strict). No
 * reserved regions. 0, -EINVAL (no cookie), -EFAULT (re-init with another
 * geometry), -ENOMEM, or a pthread error.
 */
int iommu_dma_init_domain(struct iommu_domain *domain, dma_addr_t base,
			  dma_addr_t limit, struct device *dev);

/*
 * The DMA API. dma_map_page: the IOVA of phys + offset, or DMA_MAPPING_ERROR.
 * dma_unmap_page: 0, or -EINVAL (bad input, @addr not mapped, or @size not
 * what was mapped: then nothing is freed), -ENODEV (no domain).
 * dma_map_sg: the number of DMA segments (= nents: no merging), or -EINVAL
 * (bad input, no domain) / -ENOMEM (no IOVA space or memory); on error the
 * list is left as it was given. dma_unmap_sg: 0 or -errno as dma_unmap_page.
 */
dma_addr_t dma_map_page(struct device *dev, phys_addr_t phys, size_t offset,
			size_t size, enum dma_data_direction dir,
			unsigned long attrs, struct iommu_domain *handed);
int dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		   enum dma_data_direction dir, unsigned long attrs,
		   struct iommu_domain *handed);
int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
	       enum dma_data_direction dir, unsigned long attrs,
	       struct iommu_domain *handed);
int dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		 enum dma_data_direction dir, unsigned long attrs,
		 struct iommu_domain *handed);

/*
 * Model only: the final flush. One global invalidation, then every CPU's
 * queue released: afterwards no IOVA waits in a flush queue (when no DMA
 * call is in flight). Strict domains: nothing to do.
 */
void iommu_dma_flush_queues(struct iommu_domain *domain);
/* Model only: entries waiting in all flush queues (a snapshot). */
unsigned long iommu_dma_fq_nr_queued(struct iommu_domain *domain);
/*
 * Model only: what the flush timer did (lazy domains): timeouts that fired
 * (marked due), timeouts a worker then ran, and IOTLB flushes run on the timer
 * thread itself (always 0: it never flushes). 0, or -EINVAL (no flush queue).
 */
struct iommu_dma_fq_timer_stats {
	unsigned long fired, softirq_runs, timer_thread_flushes;
};
int iommu_dma_fq_timer_stats(struct iommu_domain *domain, struct iommu_dma_fq_timer_stats *st);
/* Model only: the domain's IOVA allocator, for invariant checks (NULL: no cookie). */
struct iova_domain *iommu_dma_iovad(struct iommu_domain *domain);

#endif
