/*
 * src/model/alloc.h — where model memory comes from.
 *
 * model_zalloc(): objects a CPU makes and uses itself at run time (struct
 * iova, magazines), like kzalloc()/kmem_cache on the local node: malloc.
 * model_zalloc_shared(): objects every CPU mapping for a device shares
 * (group, kobject, domain, page-table pages, the IOVA domain), which the
 * kernel allocates on the device's node: the harness may install an
 * allocator that puts them on the home node; otherwise aligned_alloc.
 * Both return zeroed memory aligned to SMP_CACHE_BYTES (shared: page-aligned
 * when size >= PAGE_SIZE), or NULL.
 *
 * model_fail_alloc_after(n): test hook — the allocation n calls from now
 * (0: the next one) and every later one fail, until model_fail_alloc_after(-1).
 * Thread-safe; the count is global.
 */
#ifndef DMABENCH_MODEL_ALLOC_H
#define DMABENCH_MODEL_ALLOC_H

#include <stddef.h>

struct model_allocator {
	void *(*zalloc_shared)(size_t size, void *arg);
	void (*free_shared)(void *p, size_t size, void *arg);
	void *arg;
};

void *model_zalloc(size_t size);
void model_free(void *p);
void *model_zalloc_shared(size_t size);
void model_free_shared(void *p, size_t size);

void model_set_allocator(const struct model_allocator *a);	/* NULL: default */
void model_fail_alloc_after(long n);
long model_alloc_failures(void);	/* allocations refused by the hook so far */
long model_alloc_calls(void);		/* allocations asked for so far (both kinds) */

#endif
