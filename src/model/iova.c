/*
 * drivers/iommu/iova.c, v6.1: the IOVA tree and the per-CPU range caches.
 *
 * One file past the ~600-line mark on purpose: it is one kernel file, in
 * the kernel's order, to be held against iova.c line by line. Its parts
 * are not separable without cost: alloc_iova_fast()/free_iova_fast() (the
 * measured map/unmap path) inline the static rcache helpers, which a split
 * would turn into out-of-line calls; and the model-only invariant checks at
 * the end walk struct iova_rcache and its magazines, which iova.c keeps
 * private (as the kernel does) and a split would have to publish.
 */
#include <stdlib.h>
#include "model/iova.h"
#include "model/alloc.h"

/* The anchor node sits above the top of the usable address space */
#define IOVA_ANCHOR	~0UL

struct iova_magazine {
	unsigned long size;
	unsigned long pfns[IOVA_MAG_SIZE];
};

/* Written by its own CPU only (and by a flush): alone in its cache line. */
struct iova_cpu_rcache {
	spinlock_t lock;
	struct iova_magazine *loaded;
	struct iova_magazine *prev;
} ____cacheline_aligned;

/*
 * v6.1: the depot is an array under rcache->lock (a list from v6.4). The six
 * rcaches are one kcalloc()ed array there, so neighbouring size classes share
 * cache lines; kept so here on purpose.
 */
struct iova_rcache {
	spinlock_t lock;
	unsigned long depot_size;
	struct iova_magazine *depot[MAX_GLOBAL_MAGS];
	struct iova_cpu_rcache *cpu_rcaches;	/* __percpu */
};

static inline unsigned int fls_long(unsigned long x)
{
	return x ? 8 * sizeof(long) - __builtin_clzl(x) : 0;
}

static inline unsigned int order_base_2(unsigned long n)
{
	return n > 1 ? fls_long(n - 1) : 0;
}

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return 1UL << fls_long(n - 1);
}

static inline struct iova *to_iova(struct rb_node *node)
{
	return rb_entry(node, struct iova, node);
}

/* raw_cpu_ptr(rcache->cpu_rcaches); a slot beyond those made maps to 0 (still locked). */
static inline struct iova_cpu_rcache *this_cpu_rcache(struct iova_domain *iovad,
						      struct iova_rcache *rcache)
{
	unsigned int cpu = smp_processor_id();

	if (unlikely(cpu >= iovad->model_nr_cpus))
		cpu = 0;
	return &rcache->cpu_rcaches[cpu];
}

void init_iova_domain(struct iova_domain *iovad, unsigned long granule,
		      unsigned long start_pfn)
{
	spin_lock_init(&iovad->iova_rbtree_lock);
	iovad->rbroot = RB_ROOT;
	iovad->cached_node = &iovad->anchor.node;
	iovad->cached32_node = &iovad->anchor.node;
	iovad->granule = granule;
	iovad->start_pfn = start_pfn;
	iovad->dma_32bit_pfn = 1UL << (32 - iova_shift(iovad));
	iovad->max32_alloc_size = iovad->dma_32bit_pfn;
	iovad->anchor.pfn_lo = iovad->anchor.pfn_hi = IOVA_ANCHOR;
	rb_link_node(&iovad->anchor.node, NULL, &iovad->rbroot.rb_node);
	rb_insert_color(&iovad->anchor.node, &iovad->rbroot);
	/* The kernel's cookie is kzalloc()ed; here the caller's memory may not be. */
	iovad->rcaches = NULL;
	iovad->model_nr_cpus = 0;
}

static struct rb_node *
__get_cached_rbnode(struct iova_domain *iovad, unsigned long limit_pfn)
{
	if (limit_pfn <= iovad->dma_32bit_pfn)
		return iovad->cached32_node;

	return iovad->cached_node;
}

static void
__cached_rbnode_insert_update(struct iova_domain *iovad, struct iova *new)
{
	if (new->pfn_hi < iovad->dma_32bit_pfn)
		iovad->cached32_node = &new->node;
	else
		iovad->cached_node = &new->node;
}

static void
__cached_rbnode_delete_update(struct iova_domain *iovad, struct iova *free)
{
	struct iova *cached_iova;

	cached_iova = to_iova(iovad->cached32_node);
	if (free == cached_iova ||
	    (free->pfn_hi < iovad->dma_32bit_pfn &&
	     free->pfn_lo >= cached_iova->pfn_lo))
		iovad->cached32_node = rb_next(&free->node);

	if (free->pfn_lo < iovad->dma_32bit_pfn)
		iovad->max32_alloc_size = iovad->dma_32bit_pfn;

	cached_iova = to_iova(iovad->cached_node);
	if (free->pfn_lo >= cached_iova->pfn_lo)
		iovad->cached_node = rb_next(&free->node);
}

/* The lowest node whose range ends at or above @limit_pfn (a retry's start). */
static struct rb_node *iova_find_limit(struct iova_domain *iovad, unsigned long limit_pfn)
{
	struct rb_node *node, *next;

	/* v6.1's crude shortcut: above 4 GiB, start from the anchor. */
	if (limit_pfn > iovad->dma_32bit_pfn)
		return &iovad->anchor.node;

	node = iovad->rbroot.rb_node;
	while (to_iova(node)->pfn_hi < limit_pfn)
		node = node->rb_right;

search_left:
	while (node->rb_left && to_iova(node->rb_left)->pfn_lo >= limit_pfn)
		node = node->rb_left;

	if (!node->rb_left)
		return node;

	next = node->rb_left;
	while (next->rb_right) {
		next = next->rb_right;
		if (to_iova(next)->pfn_lo >= limit_pfn) {
			node = next;
			goto search_left;
		}
	}

	return node;
}

/* Insert the iova into domain rbtree by holding writer lock */
static void
iova_insert_rbtree(struct rb_root *root, struct iova *iova,
		   struct rb_node *start)
{
	struct rb_node **new, *parent = NULL;

	new = (start) ? &start : &(root->rb_node);
	/* Figure out where to put new node */
	while (*new) {
		struct iova *this = to_iova(*new);

		parent = *new;

		if (iova->pfn_lo < this->pfn_lo)
			new = &((*new)->rb_left);
		else if (iova->pfn_lo > this->pfn_lo)
			new = &((*new)->rb_right);
		else
			return;		/* WARN_ON(1): cannot happen */
	}
	/* Add new node and rebalance tree. */
	rb_link_node(&iova->node, parent, new);
	rb_insert_color(&iova->node, root);
}

static int __alloc_and_insert_iova_range(struct iova_domain *iovad,
		unsigned long size, unsigned long limit_pfn,
		struct iova *new, bool size_aligned)
{
	struct rb_node *curr, *prev;
	struct iova *curr_iova;
	unsigned long new_pfn, retry_pfn;
	unsigned long align_mask = ~0UL;
	unsigned long high_pfn = limit_pfn, low_pfn = iovad->start_pfn;

	if (size_aligned)
		align_mask <<= fls_long(size - 1);

	/* Walk the tree backwards */
	spin_lock(&iovad->iova_rbtree_lock);
	if (limit_pfn <= iovad->dma_32bit_pfn &&
			size >= iovad->max32_alloc_size)
		goto iova32_full;

	curr = __get_cached_rbnode(iovad, limit_pfn);
	curr_iova = to_iova(curr);
	/* 6.1.y stable form ("Fix alloc iova overflows issue"): no +1 that wraps at the anchor */
	retry_pfn = curr_iova->pfn_hi;

retry:
	do {
		high_pfn = high_pfn < curr_iova->pfn_lo ? high_pfn : curr_iova->pfn_lo;
		new_pfn = (high_pfn - size) & align_mask;
		prev = curr;
		curr = rb_prev(curr);
		curr_iova = to_iova(curr);
	} while (curr && new_pfn <= curr_iova->pfn_hi && new_pfn >= low_pfn);

	if (high_pfn < size || new_pfn < low_pfn) {
		if (low_pfn == iovad->start_pfn && retry_pfn < limit_pfn) {
			high_pfn = limit_pfn;
			low_pfn = retry_pfn + 1;
			curr = iova_find_limit(iovad, limit_pfn);
			curr_iova = to_iova(curr);
			goto retry;
		}
		iovad->max32_alloc_size = size;
		goto iova32_full;
	}

	/* pfn_lo will point to size aligned address if size_aligned is set */
	new->pfn_lo = new_pfn;
	new->pfn_hi = new->pfn_lo + size - 1;

	/* If we have 'prev', it's a valid place to start the insertion. */
	iova_insert_rbtree(&iovad->rbroot, new, prev);
	__cached_rbnode_insert_update(iovad, new);

	spin_unlock(&iovad->iova_rbtree_lock);
	return 0;

iova32_full:
	spin_unlock(&iovad->iova_rbtree_lock);
	return -ENOMEM;
}

/* kmem_cache_zalloc(iova_cache) with SLAB_HWCACHE_ALIGN: a line per iova. */
static struct iova *alloc_iova_mem(void)
{
	return model_zalloc(sizeof(struct iova));
}

static void free_iova_mem(struct iova *iova)
{
	if (iova->pfn_lo != IOVA_ANCHOR)
		model_free(iova);
}

struct iova *alloc_iova(struct iova_domain *iovad, unsigned long size,
			unsigned long limit_pfn, bool size_aligned)
{
	struct iova *new_iova;

	/* Model guards: the kernel's callers never pass these. */
	if (unlikely(!size))
		return NULL;
	if (unlikely(limit_pfn >= IOVA_ANCHOR))
		limit_pfn = IOVA_ANCHOR - 1;

	new_iova = alloc_iova_mem();
	if (!new_iova)
		return NULL;

	if (__alloc_and_insert_iova_range(iovad, size, limit_pfn + 1,
					  new_iova, size_aligned)) {
		free_iova_mem(new_iova);
		return NULL;
	}

	return new_iova;
}

static struct iova *
private_find_iova(struct iova_domain *iovad, unsigned long pfn)
{
	struct rb_node *node = iovad->rbroot.rb_node;

	while (node) {
		struct iova *iova = to_iova(node);

		if (pfn < iova->pfn_lo)
			node = node->rb_left;
		else if (pfn > iova->pfn_hi)
			node = node->rb_right;
		else
			return iova;	/* pfn falls within iova's range */
	}

	return NULL;
}

static void remove_iova(struct iova_domain *iovad, struct iova *iova)
{
	__cached_rbnode_delete_update(iovad, iova);
	rb_erase(&iova->node, &iovad->rbroot);
}

struct iova *find_iova(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *iova;

	/* Take the lock so that no other thread is manipulating the rbtree */
	spin_lock(&iovad->iova_rbtree_lock);
	iova = private_find_iova(iovad, pfn);
	spin_unlock(&iovad->iova_rbtree_lock);
	return iova;
}

void __free_iova(struct iova_domain *iovad, struct iova *iova)
{
	spin_lock(&iovad->iova_rbtree_lock);
	remove_iova(iovad, iova);
	spin_unlock(&iovad->iova_rbtree_lock);
	free_iova_mem(iova);
}

void free_iova(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *iova;

	spin_lock(&iovad->iova_rbtree_lock);
	iova = private_find_iova(iovad, pfn);
	if (!iova || iova == &iovad->anchor) {	/* anchor: model guard */
		spin_unlock(&iovad->iova_rbtree_lock);
		return;
	}
	remove_iova(iovad, iova);
	spin_unlock(&iovad->iova_rbtree_lock);
	free_iova_mem(iova);
}

/* ---- the range caches ---- */

static struct iova_magazine *iova_magazine_alloc(void)
{
	return model_zalloc(sizeof(struct iova_magazine));
}

static void iova_magazine_free(struct iova_magazine *mag)
{
	model_free(mag);
}

static void
iova_magazine_free_pfns(struct iova_magazine *mag, struct iova_domain *iovad)
{
	unsigned long i;

	if (!mag)
		return;

	spin_lock(&iovad->iova_rbtree_lock);

	for (i = 0; i < mag->size; ++i) {
		struct iova *iova = private_find_iova(iovad, mag->pfns[i]);

		if (!iova || iova == &iovad->anchor)	/* WARN_ON(!iova) */
			continue;

		remove_iova(iovad, iova);
		free_iova_mem(iova);
	}

	spin_unlock(&iovad->iova_rbtree_lock);

	mag->size = 0;
}

static bool iova_magazine_full(struct iova_magazine *mag)
{
	return (mag && mag->size == IOVA_MAG_SIZE);
}

static bool iova_magazine_empty(struct iova_magazine *mag)
{
	return (!mag || mag->size == 0);
}

static unsigned long iova_magazine_pop(struct iova_magazine *mag,
				       unsigned long limit_pfn)
{
	long i;
	unsigned long pfn;

	/* Only fall back to the rbtree if we have no suitable pfns at all */
	for (i = mag->size - 1; mag->pfns[i] > limit_pfn; i--)
		if (i == 0)
			return 0;

	/* Swap it to pop it */
	pfn = mag->pfns[i];
	mag->pfns[i] = mag->pfns[--mag->size];

	return pfn;
}

static void iova_magazine_push(struct iova_magazine *mag, unsigned long pfn)
{
	mag->pfns[mag->size++] = pfn;
}

static void free_iova_rcaches(struct iova_domain *iovad)
{
	struct iova_rcache *rcache;
	struct iova_cpu_rcache *cpu_rcache;
	unsigned int cpu;
	unsigned long j;
	int i;

	if (!iovad->rcaches)
		return;

	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; ++i) {
		rcache = &iovad->rcaches[i];
		if (!rcache->cpu_rcaches)
			break;
		for (cpu = 0; cpu < iovad->model_nr_cpus; cpu++) {
			cpu_rcache = &rcache->cpu_rcaches[cpu];
			iova_magazine_free(cpu_rcache->loaded);
			iova_magazine_free(cpu_rcache->prev);
		}
		model_free(rcache->cpu_rcaches);
		for (j = 0; j < rcache->depot_size; ++j)
			iova_magazine_free(rcache->depot[j]);
	}

	model_free(iovad->rcaches);
	iovad->rcaches = NULL;
}

int iova_domain_init_rcaches(struct iova_domain *iovad)
{
	unsigned int cpu, nr_cpus = (unsigned int)model_nr_cpu_ids;
	int i;

	iovad->rcaches = model_zalloc(IOVA_RANGE_CACHE_MAX_SIZE *
				      sizeof(struct iova_rcache));
	if (!iovad->rcaches)
		return -ENOMEM;
	iovad->model_nr_cpus = nr_cpus;

	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; ++i) {
		struct iova_cpu_rcache *cpu_rcache;
		struct iova_rcache *rcache;

		rcache = &iovad->rcaches[i];
		spin_lock_init(&rcache->lock);
		rcache->depot_size = 0;
		/* __alloc_percpu(): each CPU's copy in its own line */
		rcache->cpu_rcaches = model_zalloc(nr_cpus * sizeof(*cpu_rcache));
		if (!rcache->cpu_rcaches)
			goto out_err;
		for (cpu = 0; cpu < nr_cpus; cpu++) {
			cpu_rcache = &rcache->cpu_rcaches[cpu];

			spin_lock_init(&cpu_rcache->lock);
			cpu_rcache->loaded = iova_magazine_alloc();
			cpu_rcache->prev = iova_magazine_alloc();
			if (!cpu_rcache->loaded || !cpu_rcache->prev)
				goto out_err;
		}
	}

	return 0;

out_err:
	free_iova_rcaches(iovad);
	iovad->model_nr_cpus = 0;
	return -ENOMEM;
}

/*
 * Try inserting IOVA range starting with 'iova_pfn' into 'rcache', and
 * return true on success. Fails if the rcache is full and no magazine can
 * be allocated; free_iova_fast() then returns the range to the rbtree.
 */
static bool __iova_rcache_insert(struct iova_domain *iovad,
				 struct iova_rcache *rcache,
				 unsigned long iova_pfn)
{
	struct iova_magazine *mag_to_free = NULL;
	struct iova_cpu_rcache *cpu_rcache;
	bool can_insert = false;

	cpu_rcache = this_cpu_rcache(iovad, rcache);
	spin_lock(&cpu_rcache->lock);

	if (!iova_magazine_full(cpu_rcache->loaded)) {
		can_insert = true;
	} else if (!iova_magazine_full(cpu_rcache->prev)) {
		struct iova_magazine *tmp = cpu_rcache->prev;

		cpu_rcache->prev = cpu_rcache->loaded;
		cpu_rcache->loaded = tmp;
		can_insert = true;
	} else {
		struct iova_magazine *new_mag = iova_magazine_alloc();

		if (new_mag) {
			spin_lock(&rcache->lock);
			if (rcache->depot_size < MAX_GLOBAL_MAGS) {
				rcache->depot[rcache->depot_size++] =
						cpu_rcache->loaded;
			} else {
				mag_to_free = cpu_rcache->loaded;
			}
			spin_unlock(&rcache->lock);

			cpu_rcache->loaded = new_mag;
			can_insert = true;
		}
	}

	if (can_insert)
		iova_magazine_push(cpu_rcache->loaded, iova_pfn);

	spin_unlock(&cpu_rcache->lock);

	if (mag_to_free) {
		iova_magazine_free_pfns(mag_to_free, iovad);
		iova_magazine_free(mag_to_free);
	}

	return can_insert;
}

static bool iova_rcache_insert(struct iova_domain *iovad, unsigned long pfn,
			       unsigned long size)
{
	unsigned int log_size = order_base_2(size);

	/* !rcaches: model guard (v6.1's callers always have them) */
	if (log_size >= IOVA_RANGE_CACHE_MAX_SIZE || !iovad->rcaches)
		return false;

	return __iova_rcache_insert(iovad, &iovad->rcaches[log_size], pfn);
}

/*
 * Caller wants to allocate a new IOVA range from 'rcache'. If we can
 * satisfy the request, return a matching non-zero pfn and remove it from
 * the 'rcache'.
 */
static unsigned long __iova_rcache_get(struct iova_domain *iovad,
				       struct iova_rcache *rcache,
				       unsigned long limit_pfn)
{
	struct iova_cpu_rcache *cpu_rcache;
	unsigned long iova_pfn = 0;
	bool has_pfn = false;

	cpu_rcache = this_cpu_rcache(iovad, rcache);
	spin_lock(&cpu_rcache->lock);

	if (!iova_magazine_empty(cpu_rcache->loaded)) {
		has_pfn = true;
	} else if (!iova_magazine_empty(cpu_rcache->prev)) {
		struct iova_magazine *tmp = cpu_rcache->prev;

		cpu_rcache->prev = cpu_rcache->loaded;
		cpu_rcache->loaded = tmp;
		has_pfn = true;
	} else {
		spin_lock(&rcache->lock);
		if (rcache->depot_size > 0) {
			iova_magazine_free(cpu_rcache->loaded);
			cpu_rcache->loaded = rcache->depot[--rcache->depot_size];
			has_pfn = true;
		}
		spin_unlock(&rcache->lock);
	}

	if (has_pfn)
		iova_pfn = iova_magazine_pop(cpu_rcache->loaded, limit_pfn);

	spin_unlock(&cpu_rcache->lock);

	return iova_pfn;
}

/*
 * Try to satisfy IOVA allocation range from rcache. Fail if requested
 * size is too big or the DMA limit we are given isn't satisfied by the
 * top element in the magazine.
 */
static unsigned long iova_rcache_get(struct iova_domain *iovad,
				     unsigned long size,
				     unsigned long limit_pfn)
{
	unsigned int log_size = order_base_2(size);

	if (log_size >= IOVA_RANGE_CACHE_MAX_SIZE || !iovad->rcaches)
		return 0;

	return __iova_rcache_get(iovad, &iovad->rcaches[log_size], limit_pfn - size);
}

unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn, bool flush_rcache)
{
	unsigned long iova_pfn;
	struct iova *new_iova;

	if (unlikely(!size))			/* model guard */
		return 0;
	if (unlikely(limit_pfn >= IOVA_ANCHOR))	/* model guard: limit_pfn + 1 */
		limit_pfn = IOVA_ANCHOR - 1;

	/*
	 * Freeing non-power-of-two-sized allocations back into the IOVA caches
	 * would hand a too-small range to a later caller of the rounded size;
	 * round anything cacheable up (the order of the unrounded size still
	 * matches on free).
	 */
	if (size < (1 << (IOVA_RANGE_CACHE_MAX_SIZE - 1)))
		size = roundup_pow_of_two(size);

	iova_pfn = iova_rcache_get(iovad, size, limit_pfn + 1);
	if (iova_pfn)
		return iova_pfn;

retry:
	new_iova = alloc_iova(iovad, size, limit_pfn, true);
	if (!new_iova) {
		unsigned int cpu;

		if (!flush_rcache)
			return 0;

		/* Try replenishing IOVAs by flushing rcache. */
		flush_rcache = false;
		for (cpu = 0; cpu < iovad->model_nr_cpus; cpu++)	/* for_each_online_cpu */
			free_cpu_cached_iovas(cpu, iovad);
		free_global_cached_iovas(iovad);
		goto retry;
	}

	return new_iova->pfn_lo;
}

void free_iova_fast(struct iova_domain *iovad, unsigned long pfn,
		    unsigned long size)
{
	if (iova_rcache_insert(iovad, pfn, size))
		return;

	free_iova(iovad, pfn);
}

void free_cpu_cached_iovas(unsigned int cpu, struct iova_domain *iovad)
{
	struct iova_cpu_rcache *cpu_rcache;
	struct iova_rcache *rcache;
	int i;

	if (!iovad->rcaches || cpu >= iovad->model_nr_cpus)	/* model guard */
		return;

	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; ++i) {
		rcache = &iovad->rcaches[i];
		cpu_rcache = &rcache->cpu_rcaches[cpu];
		spin_lock(&cpu_rcache->lock);
		iova_magazine_free_pfns(cpu_rcache->loaded, iovad);
		iova_magazine_free_pfns(cpu_rcache->prev, iovad);
		spin_unlock(&cpu_rcache->lock);
	}
}

void free_global_cached_iovas(struct iova_domain *iovad)
{
	struct iova_rcache *rcache;
	unsigned long j;
	int i;

	if (!iovad->rcaches)	/* model guard */
		return;

	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; ++i) {
		rcache = &iovad->rcaches[i];
		spin_lock(&rcache->lock);
		for (j = 0; j < rcache->depot_size; ++j) {
			iova_magazine_free_pfns(rcache->depot[j], iovad);
			iova_magazine_free(rcache->depot[j]);
		}
		rcache->depot_size = 0;
		spin_unlock(&rcache->lock);
	}
}

void put_iova_domain(struct iova_domain *iovad)
{
	struct iova *iova, *tmp;

	/* Magazines go first; the ranges they hold are tree nodes, freed below. */
	free_iova_rcaches(iovad);
	iovad->model_nr_cpus = 0;

	rbtree_postorder_for_each_entry_safe(iova, tmp, &iovad->rbroot, node)
		free_iova_mem(iova);
	/* Model: leave an empty tree rather than dangling pointers. */
	iovad->rbroot = RB_ROOT;
	iovad->cached_node = iovad->cached32_node = NULL;
}

/* ---- model only: invariant checks ---- */

unsigned long iova_domain_nr_allocated(struct iova_domain *iovad)
{
	struct rb_node *node;
	unsigned long n = 0;

	spin_lock(&iovad->iova_rbtree_lock);
	for (node = rb_first(&iovad->rbroot); node; node = rb_next(node))
		if (node != &iovad->anchor.node)
			n++;
	spin_unlock(&iovad->iova_rbtree_lock);
	return n;
}

static unsigned long mag_size(const struct iova_magazine *mag)
{
	return mag ? mag->size : 0;
}

unsigned long iova_domain_nr_cached(struct iova_domain *iovad)
{
	unsigned long n = 0, j;
	unsigned int cpu;
	int i;

	if (!iovad->rcaches)
		return 0;
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; ++i) {
		struct iova_rcache *rcache = &iovad->rcaches[i];

		for (cpu = 0; cpu < iovad->model_nr_cpus; cpu++) {
			struct iova_cpu_rcache *c = &rcache->cpu_rcaches[cpu];

			spin_lock(&c->lock);
			n += mag_size(c->loaded) + mag_size(c->prev);
			spin_unlock(&c->lock);
		}
		spin_lock(&rcache->lock);
		for (j = 0; j < rcache->depot_size; ++j)
			n += mag_size(rcache->depot[j]);
		spin_unlock(&rcache->lock);
	}
	return n;
}

struct cached_pfn {
	unsigned long pfn;
	unsigned int log_size;
};

static int cmp_cached_pfn(const void *a, const void *b)
{
	unsigned long x = ((const struct cached_pfn *)a)->pfn;
	unsigned long y = ((const struct cached_pfn *)b)->pfn;

	return x < y ? -1 : x > y;
}

static bool mag_ok(const struct iova_magazine *mag)
{
	return !mag || mag->size <= IOVA_MAG_SIZE;
}

static void collect_mag(struct cached_pfn *out, unsigned long *n,
			const struct iova_magazine *mag, unsigned int log_size)
{
	for (unsigned long k = 0; mag && k < mag->size; k++) {
		out[*n].pfn = mag->pfns[k];
		out[*n].log_size = log_size;
		(*n)++;
	}
}

/* Every cached pfn, with its size class; NULL and *err on failure. */
static struct cached_pfn *collect_cached(struct iova_domain *iovad,
					 unsigned long *nr, int *err)
{
	struct cached_pfn *all;
	unsigned long n = 0, cap = 0, j;
	unsigned int cpu;
	int i;

	*nr = 0;
	*err = 0;
	if (!iovad->rcaches)
		return NULL;
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; ++i) {
		struct iova_rcache *rcache = &iovad->rcaches[i];

		if (rcache->depot_size > MAX_GLOBAL_MAGS) {
			*err = -EUCLEAN;
			return NULL;
		}
		for (cpu = 0; cpu < iovad->model_nr_cpus; cpu++) {
			struct iova_cpu_rcache *c = &rcache->cpu_rcaches[cpu];

			if (!mag_ok(c->loaded) || !mag_ok(c->prev)) {
				*err = -EUCLEAN;
				return NULL;
			}
			cap += mag_size(c->loaded) + mag_size(c->prev);
		}
		for (j = 0; j < rcache->depot_size; ++j) {
			if (!rcache->depot[j] || !mag_ok(rcache->depot[j])) {
				*err = -EUCLEAN;
				return NULL;
			}
			cap += mag_size(rcache->depot[j]);
		}
	}
	if (!cap)
		return NULL;
	/* Plain calloc: a checker must not consume model_fail_alloc_after() budget. */
	all = calloc(cap, sizeof(*all));
	if (!all) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; ++i) {
		struct iova_rcache *rcache = &iovad->rcaches[i];

		for (cpu = 0; cpu < iovad->model_nr_cpus; cpu++) {
			collect_mag(all, &n, rcache->cpu_rcaches[cpu].loaded, i);
			collect_mag(all, &n, rcache->cpu_rcaches[cpu].prev, i);
		}
		for (j = 0; j < rcache->depot_size; ++j)
			collect_mag(all, &n, rcache->depot[j], i);
	}
	*nr = n;
	return all;
}

int iova_domain_check(struct iova_domain *iovad)
{
	struct rb_node *node;
	struct cached_pfn *cached;
	unsigned long nr_cached, k, prev_hi = 0;
	bool first = true, seen_cached = false, seen_cached32 = false;
	int err;

	cached = collect_cached(iovad, &nr_cached, &err);
	if (err)
		return err;

	spin_lock(&iovad->iova_rbtree_lock);
	err = -EUCLEAN;
	if (rb_check_invariants(&iovad->rbroot) < 0)
		goto out;
	if (rb_last(&iovad->rbroot) != &iovad->anchor.node ||
	    iovad->anchor.pfn_lo != IOVA_ANCHOR || iovad->anchor.pfn_hi != IOVA_ANCHOR)
		goto out;
	for (node = rb_first(&iovad->rbroot); node; node = rb_next(node)) {
		struct iova *iova = to_iova(node);

		if (node == iovad->cached_node)
			seen_cached = true;
		if (node == iovad->cached32_node)
			seen_cached32 = true;
		if (node == &iovad->anchor.node)
			continue;
		if (iova->pfn_lo > iova->pfn_hi || iova->pfn_lo < iovad->start_pfn ||
		    iova->pfn_hi >= IOVA_ANCHOR)
			goto out;
		if (!first && iova->pfn_lo <= prev_hi)
			goto out;	/* overlap, or out of order */
		first = false;
		prev_hi = iova->pfn_hi;
	}
	if (!seen_cached || !seen_cached32)
		goto out;

	/* Cached ranges are allocated ranges of their class's size, each cached once. */
	if (nr_cached)
		qsort(cached, nr_cached, sizeof(*cached), cmp_cached_pfn);
	for (k = 0; k < nr_cached; k++) {
		struct iova *iova = private_find_iova(iovad, cached[k].pfn);

		if (!iova || iova == &iovad->anchor || iova->pfn_lo != cached[k].pfn ||
		    iova_size(iova) != 1UL << cached[k].log_size)
			goto out;
		if (k && cached[k].pfn == cached[k - 1].pfn)
			goto out;
	}
	err = 0;
out:
	spin_unlock(&iovad->iova_rbtree_lock);
	free(cached);
	return err;
}
