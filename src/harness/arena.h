/*
 * src/harness/arena.h — a bump allocator over one block of memory bound to a
 * NUMA node, for the objects the model says every CPU shares
 * (model_zalloc_shared: group, kobject, domain, page-table pages, IOVA
 * domain). The kernel puts those on the device's node; here they go to the
 * home node. Freeing is a no-op; the whole arena goes at arena_destroy.
 * When the block is used up, allocations fall back to the heap (unbound) and
 * arena_overflowed() says so, so the row can be marked.
 *
 * Thread-safe: allocation is one atomic add. The harness knows nothing of
 * the model: arena_zalloc()/arena_free() have the shape of the model's
 * allocator hooks (src/model/alloc.h, struct model_allocator), and the
 * driver builds that struct from them with the arena as `arg`.
 */
#ifndef DMABENCH_HARNESS_ARENA_H
#define DMABENCH_HARNESS_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include "harness/topo.h"

struct arena {
	struct topo *topo;
	char *base;
	size_t size;
	size_t used __attribute__((aligned(64)));
	int overflowed;
	bool bound;			/* the block is bound to the node */
};

int arena_create(struct arena *a, struct topo *topo, int node, size_t size);
void arena_reset(struct arena *a);	/* no model object may still live in it */
void arena_destroy(struct arena *a);
bool arena_overflowed(const struct arena *a);

/*
 * Zeroed memory from the arena (`arena` is the struct arena *), aligned to
 * 64 bytes (a page from 4 KiB up); from the heap once the block is used up.
 * NULL only if the heap fails. arena_free(): heap blocks are freed, arena
 * memory goes back at arena_reset().
 */
void *arena_zalloc(size_t size, void *arena);
void arena_free(void *p, size_t size, void *arena);

#endif
