/*
 * drivers/iommu/dma-iommu.c, v6.1 (map/unmap, flush queue); the lookups are
 * dev->dma_lookup's (dma-lookup.h).
 *
 * One file past the ~600-line mark on purpose: it is one kernel file, in
 * the kernel's order (flush queue, cookie and domain set-up, the map/unmap
 * core, then what only the model has), to be held against dma-iommu.c. The
 * flush queue is not separable without cost: the lazy unmap path (measured)
 * reaches queue_iova() and the ring helpers as static functions the compiler
 * may inline, which a split would make out-of-line calls.
 */
#include <time.h>
#include "model/alloc.h"
#include "model/dma-iommu.h"
#include "model/dma-lookup.h"

/* arch/x86/include/asm/barrier.h: smp_mb() (ThreadSanitizer refuses C11 fences) */
#if defined(__x86_64__)
#define smp_mb()	__asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc")
#else
#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/*
 * ---- The flush queue (lazy invalidation) ----
 */

#define fq_ring_for_each(i, fq) \
	for ((i) = (fq)->head; (i) != (fq)->tail; (i) = ((i) + 1) % IOVA_FQ_SIZE)

static inline bool fq_full(struct iova_fq *fq)
{
	return (((fq->tail + 1) % IOVA_FQ_SIZE) == fq->head);
}

static inline unsigned int fq_ring_add(struct iova_fq *fq)
{
	unsigned int idx = fq->tail;

	fq->tail = (idx + 1) % IOVA_FQ_SIZE;
	return idx;
}

/* fq->lock held: release every entry whose invalidation has finished */
static void fq_ring_free(struct iommu_dma_cookie *cookie, struct iova_fq *fq)
{
	uint64_t counter = __atomic_load_n(&cookie->fq_flush_finish_cnt, __ATOMIC_RELAXED);
	unsigned int idx;

	fq_ring_for_each(idx, fq) {
		if (fq->entries[idx].counter >= counter)
			break;

		free_iova_fast(&cookie->iovad, fq->entries[idx].iova_pfn,
			       fq->entries[idx].pages);

		fq->head = (fq->head + 1) % IOVA_FQ_SIZE;
	}
}

/* set only in the thread standing for the timer: the test that it never flushes reads it */
static __thread bool in_fq_timer_thread;

static void fq_flush_iotlb(struct iommu_dma_cookie *cookie)
{
	if (unlikely(in_fq_timer_thread))
		__atomic_fetch_add(&cookie->model_timer_thread_flushes, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&cookie->fq_flush_start_cnt, 1, __ATOMIC_SEQ_CST);
	cookie->fq_domain->ops->flush_iotlb_all(cookie->fq_domain);
	__atomic_fetch_add(&cookie->fq_flush_finish_cnt, 1, __ATOMIC_SEQ_CST);
}

static void fq_flush_timeout(struct iommu_dma_cookie *cookie)
{
	__atomic_store_n(&cookie->fq_timer_on, 0, __ATOMIC_RELAXED);
	fq_flush_iotlb(cookie);

	for (unsigned int cpu = 0; cpu < cookie->model_nr_cpus; cpu++) {
		struct iova_fq *fq = &cookie->fq[cpu];

		spin_lock(&fq->lock);
		fq_ring_free(cookie, fq);
		spin_unlock(&fq->lock);
	}
}

/* mod_timer(&cookie->fq_timer, jiffies + msecs_to_jiffies(IOVA_FQ_TIMEOUT)) */
static void model_mod_timer(struct model_fq_timer *t)
{
	pthread_mutex_lock(&t->lock);
	t->pending = true;
	t->cpu = smp_processor_id();
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

/*
 * The thread standing for the kernel timer (see struct model_fq_timer): it
 * only raises the "softirq" on the CPU that armed it; that CPU's worker runs
 * fq_flush_timeout() at its next call (fq_run_timer_softirq), so no third
 * thread takes a worker's CPU for the flush or holds a queue lock while
 * descheduled.
 */
static void *fq_timer_thread(void *arg)
{
	struct iommu_dma_cookie *cookie = arg;
	struct model_fq_timer *t = &cookie->fq_timer;

	in_fq_timer_thread = true;
	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		struct timespec expires;
		unsigned int cpu;

		if (!t->pending) {
			pthread_cond_wait(&t->cond, &t->lock);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &expires);
		expires.tv_nsec += IOVA_FQ_TIMEOUT * 1000000L;
		if (expires.tv_nsec >= 1000000000L) {
			expires.tv_sec++;
			expires.tv_nsec -= 1000000000L;
		}
		while (!t->stop &&
		       pthread_cond_timedwait(&t->cond, &t->lock, &expires) != ETIMEDOUT)
			;
		if (t->stop)
			break;
		t->pending = false;
		cpu = (unsigned int)t->cpu < cookie->model_nr_cpus ? (unsigned int)t->cpu : 0;
		__atomic_store_n(&cookie->fq[cpu].timer_due, 1, __ATOMIC_RELEASE);
		__atomic_fetch_add(&cookie->model_timer_fired, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/* The timer's "softirq" on this CPU: run fq_flush_timeout() if its timer fired. */
static __always_inline void fq_run_timer_softirq(struct iommu_dma_cookie *cookie,
						  struct iova_fq *fq)
{
	if (likely(!__atomic_load_n(&fq->timer_due, __ATOMIC_ACQUIRE)))
		return;
	__atomic_store_n(&fq->timer_due, 0, __ATOMIC_RELAXED);
	fq_flush_timeout(cookie);
	__atomic_fetch_add(&cookie->model_timer_softirq_runs, 1, __ATOMIC_RELAXED);
}

static void queue_iova(struct iommu_dma_cookie *cookie,
		       unsigned long pfn, unsigned long pages)
{
	unsigned int cpu = smp_processor_id();
	struct iova_fq *fq;
	unsigned int idx;

	/*
	 * Order against the IOMMU driver's pagetable update from unmapping
	 * @pte, to guarantee that fq_flush_iotlb() observes that if called
	 * from a different CPU before we release the lock below.
	 */
	smp_mb();

	/* raw_cpu_ptr(); a slot beyond the CPUs the queues were made for uses 0 */
	if (unlikely(cpu >= cookie->model_nr_cpus))
		cpu = 0;
	fq = &cookie->fq[cpu];
	fq_run_timer_softirq(cookie, fq);
	spin_lock(&fq->lock);

	/*
	 * First remove all entries from the flush queue that have already been
	 * flushed out on another CPU. This makes the fq_full() check below less
	 * likely to be true.
	 */
	fq_ring_free(cookie, fq);

	if (fq_full(fq)) {
		fq_flush_iotlb(cookie);
		fq_ring_free(cookie, fq);
	}

	/*
	 * Model only. The kernel adds here unconditionally: it relies on the
	 * flush it just finished to have released entries. But entries queued
	 * after another flusher's start_cnt increment carry that count, and are
	 * released only when that flusher finishes too. A kernel flusher is not
	 * preempted between the two increments (a vCPU can be, rarely); a
	 * worker thread here can be, for milliseconds, and then this ring stays
	 * full and fq_ring_add() would overwrite 255 live entries, leaking
	 * their IOVAs. So wait for the flush in flight to finish.
	 */
	while (unlikely(fq_full(fq))) {
		cpu_relax();
		fq_ring_free(cookie, fq);
	}

	idx = fq_ring_add(fq);

	fq->entries[idx].iova_pfn = pfn;
	fq->entries[idx].pages    = pages;
	fq->entries[idx].counter  = __atomic_load_n(&cookie->fq_flush_start_cnt,
						    __ATOMIC_RELAXED);

	spin_unlock(&fq->lock);

	/* Avoid false sharing as much as possible. */
	if (!__atomic_load_n(&cookie->fq_timer_on, __ATOMIC_RELAXED) &&
	    !__atomic_exchange_n(&cookie->fq_timer_on, 1, __ATOMIC_SEQ_CST))
		model_mod_timer(&cookie->fq_timer);
}

/* del_timer_sync() */
static void model_del_timer_sync(struct iommu_dma_cookie *cookie)
{
	struct model_fq_timer *t = &cookie->fq_timer;

	if (!cookie->model_fq_timer_started)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	cookie->model_fq_timer_started = false;
}

static void iommu_dma_free_fq(struct iommu_dma_cookie *cookie)
{
	if (!cookie->fq)
		return;
	model_del_timer_sync(cookie);
	/* The IOVAs will be torn down separately (put_iova_domain) */
	model_free(cookie->fq);
	cookie->fq = NULL;
	cookie->fq_domain = NULL;
}

static int model_timer_setup(struct iommu_dma_cookie *cookie)
{
	struct model_fq_timer *t = &cookie->fq_timer;
	pthread_condattr_t attr;
	int ret;

	*t = (struct model_fq_timer){ .pending = false, .stop = false };
	ret = pthread_condattr_init(&attr);
	if (ret)
		return -ret;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	ret = pthread_cond_init(&t->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (ret)
		return -ret;
	pthread_mutex_init(&t->lock, NULL);
	ret = pthread_create(&t->thread, NULL, fq_timer_thread, cookie);
	if (ret) {
		pthread_cond_destroy(&t->cond);
		pthread_mutex_destroy(&t->lock);
		return -ret;
	}
	cookie->model_fq_timer_started = true;
	return 0;
}

/* iommu_dma_init_fq(), v6.1 */
static int iommu_dma_init_fq(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	unsigned int nr_cpus = (unsigned int)model_nr_cpu_ids;
	int ret;

	if (cookie->fq_domain)
		return 0;

	__atomic_store_n(&cookie->fq_flush_start_cnt, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&cookie->fq_flush_finish_cnt, 0, __ATOMIC_RELAXED);

	/* alloc_percpu(): zeroed, so head == tail == 0 and every lock is free */
	cookie->fq = model_zalloc(nr_cpus * sizeof(struct iova_fq));
	if (!cookie->fq)
		return -ENOMEM;
	cookie->model_nr_cpus = nr_cpus;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		spin_lock_init(&cookie->fq[cpu].lock);

	__atomic_store_n(&cookie->fq_timer_on, 0, __ATOMIC_RELAXED);
	ret = model_timer_setup(cookie);
	if (ret) {
		model_free(cookie->fq);
		cookie->fq = NULL;
		return ret;
	}
	/* Prevent incomplete fq state being observable (smp_wmb + WRITE_ONCE) */
	smp_store_release(&cookie->fq_domain, domain);
	return 0;
}

/*
 * ---- Cookie and domain set-up ----
 */

int iommu_get_dma_cookie(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie;

	if (domain->iova_cookie)
		return -EEXIST;

	cookie = model_zalloc_shared(sizeof(*cookie));
	if (!cookie)
		return -ENOMEM;
	pthread_mutex_init(&cookie->mutex, NULL);
	domain->iova_cookie = cookie;
	return 0;
}

void iommu_put_dma_cookie(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;

	if (!cookie)
		return;

	if (cookie->iovad.granule) {
		iommu_dma_free_fq(cookie);
		put_iova_domain(&cookie->iovad);
	}
	pthread_mutex_destroy(&cookie->mutex);
	model_free_shared(cookie, sizeof(*cookie));
	domain->iova_cookie = NULL;
}

int iommu_dma_init_domain(struct iommu_domain *domain, dma_addr_t base,
			  dma_addr_t limit, struct device *dev)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	unsigned long order, base_pfn;
	struct iova_domain *iovad;
	int ret;

	(void)limit;
	(void)dev;
	if (!cookie || !domain->pgsize_bitmap)
		return -EINVAL;

	iovad = &cookie->iovad;

	/* Use the smallest supported page size for IOVA granularity */
	order = __builtin_ctzl(domain->pgsize_bitmap);
	base_pfn = base >> order;
	if (base_pfn < 1)
		base_pfn = 1;

	/* Check the domain allows at least some access to the device... */
	if (domain->geometry.force_aperture) {
		if (base > domain->geometry.aperture_end)
			return -EFAULT;
		/* ...then finally give it a kicking to make sure it fits */
		if (base_pfn < (domain->geometry.aperture_start >> order))
			base_pfn = domain->geometry.aperture_start >> order;
	}

	/* start_pfn is always nonzero for an already-initialised domain */
	pthread_mutex_lock(&cookie->mutex);
	if (iovad->start_pfn) {
		if (1UL << order != iovad->granule || base_pfn != iovad->start_pfn)
			ret = -EFAULT;	/* Incompatible range for DMA domain */
		else
			ret = 0;
		goto done_unlock;
	}

	init_iova_domain(iovad, 1UL << order, base_pfn);
	ret = iova_domain_init_rcaches(iovad);
	if (ret)
		goto done_unlock;

	/* model: no fallback to strict, see dma-iommu.h */
	if (domain->type == IOMMU_DOMAIN_DMA_FQ)
		ret = iommu_dma_init_fq(domain);

	/* iova_reserve_iommu_regions(): the model has no reserved regions */
done_unlock:
	pthread_mutex_unlock(&cookie->mutex);
	return ret;
}

/*
 * ---- The map/unmap core ----
 */

static inline bool valid_dma_direction(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

/* dma_map_page_attrs()'s checks (WARN_ON(!dev->dma_mask), BUG_ON(dir)) plus the model's */
static inline bool dma_dev_ok(struct device *dev, enum dma_data_direction dir)
{
	return dev && dev->iommu_group && dev->dma_lookup && dev->dma_mask &&
	       valid_dma_direction(dir);
}

/* iommu_dma_alloc_iova(), v6.1; every model device is a PCI device */
static dma_addr_t iommu_dma_alloc_iova(struct iommu_domain *domain,
				       size_t size, uint64_t dma_limit)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	unsigned long shift, iova_len, iova = 0;

	shift = iova_shift(iovad);
	iova_len = size >> shift;

	if (domain->geometry.force_aperture && dma_limit > domain->geometry.aperture_end)
		dma_limit = domain->geometry.aperture_end;

	/* Try to get PCI devices a SAC address */
	if (dma_limit > DMA_BIT_MASK(32))
		iova = alloc_iova_fast(iovad, iova_len, DMA_BIT_MASK(32) >> shift, false);

	if (!iova)
		iova = alloc_iova_fast(iovad, iova_len, dma_limit >> shift, true);

	return (dma_addr_t)iova << shift;
}

static void iommu_dma_free_iova(struct iommu_dma_cookie *cookie, dma_addr_t iova,
				size_t size, struct iommu_iotlb_gather *gather)
{
	struct iova_domain *iovad = &cookie->iovad;

	if (gather && gather->queued)		/* non-strict mode */
		queue_iova(cookie, iova_pfn(iovad, iova), size >> iova_shift(iovad));
	else
		free_iova_fast(iovad, iova_pfn(iovad, iova), size >> iova_shift(iovad));
}

/* __iommu_dma_unmap(), v6.1, after its lookup; 0 or -EINVAL */
int __iommu_dma_unmap_domain(struct iommu_domain *domain, dma_addr_t dma_addr, size_t size)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	size_t iova_off = iova_offset(iovad, dma_addr);
	struct iommu_iotlb_gather iotlb_gather;
	size_t unmapped;

	dma_addr -= iova_off;
	size = iova_align(iovad, size + iova_off);
	if (unlikely(!size))
		return -EINVAL;
	iommu_iotlb_gather_init(&iotlb_gather);
	iotlb_gather.queued = READ_ONCE(cookie->fq_domain) != NULL;

	unmapped = iommu_unmap_fast(domain, dma_addr, size, &iotlb_gather);

	if (!iotlb_gather.queued)
		iommu_iotlb_sync(domain, &iotlb_gather);
	/*
	 * The kernel WARNs and frees anyway; freeing a range of the wrong size
	 * would corrupt the allocator, so the model refuses (the IOVA stays
	 * allocated: the invariant check reports it).
	 */
	if (unlikely(unmapped != size)) {
		if (unmapped && iotlb_gather.queued)
			iommu_flush_iotlb_all(domain);
		return -EINVAL;
	}
	iommu_dma_free_iova(cookie, dma_addr, size, &iotlb_gather);
	return 0;
}

/* __iommu_dma_map(), v6.1, after its lookup and deferred-attach check */
dma_addr_t __iommu_dma_map_domain(struct iommu_domain *domain, phys_addr_t phys, size_t size,
				  int prot, uint64_t dma_mask)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	size_t iova_off = iova_offset(iovad, phys);
	dma_addr_t iova;

	size = iova_align(iovad, size + iova_off);
	if (unlikely(!size))		/* size + offset wrapped around */
		return DMA_MAPPING_ERROR;

	iova = iommu_dma_alloc_iova(domain, size, dma_mask);
	if (!iova)
		return DMA_MAPPING_ERROR;

	if (iommu_map(domain, iova, phys - iova_off, size, prot)) {
		iommu_dma_free_iova(cookie, iova, size, NULL);
		return DMA_MAPPING_ERROR;
	}
	return iova + iova_off;
}

/*
 * dma_map_page_attrs() -> dev->dma_ops->map_page(): the checks, then the one
 * indirect call into the lookup design's instantiated path (dma-lookup.h).
 * No swiotlb bounce and no cache maintenance: model devices are trusted and
 * coherent.
 */
dma_addr_t dma_map_page(struct device *dev, phys_addr_t phys, size_t offset,
			size_t size, enum dma_data_direction dir,
			unsigned long attrs, struct iommu_domain *handed)
{
	if (unlikely(!dma_dev_ok(dev, dir) || !size))
		return DMA_MAPPING_ERROR;
	return dev->dma_lookup->map_page(dev, phys, offset, size, dir, attrs, handed);
}

/* dma_unmap_page_attrs() -> dev->dma_ops->unmap_page() */
int dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		   enum dma_data_direction dir, unsigned long attrs,
		   struct iommu_domain *handed)
{
	if (unlikely(!dma_dev_ok(dev, dir) || !size || addr == DMA_MAPPING_ERROR))
		return -EINVAL;
	return dev->dma_lookup->unmap_page(dev, addr, size, dir, attrs, handed);
}

/*
 * __finalise_sg(), simplified: no segment merging, every segment is its own
 * DMA segment at its granule-aligned slot of the one IOVA range, its offset
 * within the granule kept.
 */
static int __finalise_sg(struct scatterlist *sg, int nents, dma_addr_t dma_addr)
{
	for (int i = 0; i < nents; i++) {
		struct scatterlist *s = &sg[i];
		/* Restore this segment's original unaligned fields first */
		unsigned int s_iova_off = sg_dma_address(s);
		unsigned int s_length = sg_dma_len(s);
		unsigned int s_iova_len = s->length;

		s->offset += s_iova_off;
		s->length = s_length;
		sg_dma_address(s) = dma_addr + s_iova_off;
		sg_dma_len(s) = s_length;
		dma_addr += s_iova_len;
	}
	return nents;
}

/* __invalidate_sg(): undo the in-place adjustment after a failure */
static void __invalidate_sg(struct scatterlist *sg, int nents)
{
	for (int i = 0; i < nents; i++) {
		struct scatterlist *s = &sg[i];

		if (sg_dma_address(s) != DMA_MAPPING_ERROR)
			s->offset += sg_dma_address(s);
		if (sg_dma_len(s))
			s->length = sg_dma_len(s);
		sg_dma_address(s) = DMA_MAPPING_ERROR;
		sg_dma_len(s) = 0;
	}
}

/*
 * iommu_dma_map_sg(), v6.1, after its lookup: one IOVA range for the whole
 * list, each segment granule-aligned within it, mapped with iommu_map_sg().
 * No segment-boundary padding (the model's boundary mask is the default ~0,
 * where the kernel pads nothing either).
 */
int __iommu_dma_map_sg_domain(struct device *dev, struct iommu_domain *domain,
			      struct scatterlist *sg, int nents, int prot)
{
	struct iommu_dma_cookie *cookie = domain->iova_cookie;
	struct iova_domain *iovad = &cookie->iovad;
	size_t iova_len = 0;
	dma_addr_t iova;
	ssize_t ret;
	int i;

	/*
	 * Work out how much IOVA space we need, and align the segments to
	 * IOVA granules for the IOMMU driver to handle. The list is modified
	 * in place, but reversibly, by stashing the unaligned parts in the
	 * as-yet-unused DMA fields.
	 */
	for (i = 0; i < nents; i++) {
		struct scatterlist *s = &sg[i];
		size_t s_iova_off = iova_offset(iovad, s->offset);
		size_t s_length = s->length;

		sg_dma_address(s) = s_iova_off;
		sg_dma_len(s) = s_length;
		s->offset -= s_iova_off;
		s_length = iova_align(iovad, s_length + s_iova_off);
		s->length = s_length;

		iova_len += s_length;
	}

	iova = iommu_dma_alloc_iova(domain, iova_len, dev->dma_mask);
	if (!iova) {
		ret = -ENOMEM;
		goto out_restore_sg;
	}

	/*
	 * We'll leave any physical concatenation to the IOMMU driver's
	 * implementation - it knows better than we do.
	 */
	ret = iommu_map_sg(domain, iova, sg, nents, prot);
	if (ret < 0 || (size_t)ret < iova_len)
		goto out_free_iova;

	return __finalise_sg(sg, nents, iova);

out_free_iova:
	iommu_dma_free_iova(cookie, iova, iova_len, NULL);
out_restore_sg:
	__invalidate_sg(sg, nents);
	if (ret != -ENOMEM)
		return -EINVAL;
	return ret;
}

/* dma_map_sg_attrs() -> dev->dma_ops->map_sg() */
int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
	       enum dma_data_direction dir, unsigned long attrs,
	       struct iommu_domain *handed)
{
	if (unlikely(!dma_dev_ok(dev, dir) || !sg || nents <= 0))
		return -EINVAL;
	/* model: refuse what the kernel would BUG or WARN on, before touching the list */
	for (int i = 0; i < nents; i++)
		if (unlikely(!sg[i].length || sg[i].offset >= PAGE_SIZE))
			return -EINVAL;	/* unaligned scatterlist */
	return dev->dma_lookup->map_sg(dev, sg, nents, dir, attrs, handed);
}

/*
 * iommu_dma_unmap_sg(), v6.1, before its lookup: the segments sit in one IOVA
 * range, from the first segment's address to the end of the last mapped one.
 */
dma_addr_t __iommu_dma_sg_range(struct scatterlist *sg, int nents, size_t *size)
{
	dma_addr_t start = sg_dma_address(&sg[0]), end = 0;

	for (int i = 0; i < nents; i++) {
		if (sg_dma_len(&sg[i]) == 0)
			break;
		end = sg_dma_address(&sg[i]) + sg_dma_len(&sg[i]);
	}
	if (!end || start == DMA_MAPPING_ERROR || end <= start)
		return 0;
	*size = end - start;
	return start;
}

/* dma_unmap_sg_attrs() -> dev->dma_ops->unmap_sg() */
int dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		 enum dma_data_direction dir, unsigned long attrs,
		 struct iommu_domain *handed)
{
	if (unlikely(!dma_dev_ok(dev, dir) || !sg || nents <= 0))
		return -EINVAL;
	return dev->dma_lookup->unmap_sg(dev, sg, nents, dir, attrs, handed);
}

/* The generic paths: the hooks called through dev->dma_lookup (dma-lookup.h). */
static inline struct iommu_domain *generic_lookup(struct device *dev, struct iommu_domain *h)
{
	return dev->dma_lookup->lookup(dev, h);
}

static inline struct iommu_domain *generic_map_get(struct device *dev, struct iommu_domain *h)
{
	return dev->dma_lookup->map_get(dev, h);
}

static inline struct iommu_domain *generic_unmap_get(struct device *dev, struct iommu_domain *h)
{
	return dev->dma_lookup->unmap_get(dev, h);
}

static inline void generic_put(struct device *dev, struct iommu_domain *d)
{
	dev->dma_lookup->put(dev, d);
}

DEFINE_DMA_LOOKUP_PATHS(, dma_lookup_generic, generic_lookup, generic_map_get,
			generic_unmap_get, generic_put)

/*
 * ---- Model only ----
 */

void iommu_dma_flush_queues(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain ? domain->iova_cookie : NULL;

	if (!cookie || !cookie->fq_domain)
		return;
	/*
	 * What the timer would do, now. Entries queued while the timer thread's
	 * own flush was in flight carry its start count and are released only
	 * once it finishes: flush again until every queue is empty (no one
	 * queues during a final flush, so this ends when that flush does).
	 */
	do {
		fq_flush_timeout(cookie);
	} while (iommu_dma_fq_nr_queued(domain));
	/* a timer that fired has nothing left to do */
	for (unsigned int cpu = 0; cpu < cookie->model_nr_cpus; cpu++)
		__atomic_store_n(&cookie->fq[cpu].timer_due, 0, __ATOMIC_RELAXED);
}

int iommu_dma_fq_timer_stats(struct iommu_domain *domain, struct iommu_dma_fq_timer_stats *st)
{
	struct iommu_dma_cookie *cookie = domain ? domain->iova_cookie : NULL;

	if (!cookie || !cookie->fq_domain || !st)
		return -EINVAL;
	st->fired = __atomic_load_n(&cookie->model_timer_fired, __ATOMIC_RELAXED);
	st->softirq_runs = __atomic_load_n(&cookie->model_timer_softirq_runs, __ATOMIC_RELAXED);
	st->timer_thread_flushes = __atomic_load_n(&cookie->model_timer_thread_flushes,
						   __ATOMIC_RELAXED);
	return 0;
}

unsigned long iommu_dma_fq_nr_queued(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain ? domain->iova_cookie : NULL;
	unsigned long n = 0;

	if (!cookie || !cookie->fq)
		return 0;
	for (unsigned int cpu = 0; cpu < cookie->model_nr_cpus; cpu++) {
		struct iova_fq *fq = &cookie->fq[cpu];

		spin_lock(&fq->lock);
		n += (fq->tail + IOVA_FQ_SIZE - fq->head) % IOVA_FQ_SIZE;
		spin_unlock(&fq->lock);
	}
	return n;
}

struct iova_domain *iommu_dma_iovad(struct iommu_domain *domain)
{
	struct iommu_dma_cookie *cookie = domain ? domain->iova_cookie : NULL;

	return cookie ? &cookie->iovad : NULL;
}
