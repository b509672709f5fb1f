/*
 * src/harness/arena.h — a bump allocator over one block of memory bound to a
 * NUMA node, for the objects the model says every CPU shares
 * (model_zalloc_shared: group, kobject, domain, page-table pages, IOVA
 * domain). The kernel puts those on the device's node; here they go to the
 * home node. Freeing is a no-op; the whole arena goes at arena_destroy.
 * When the block is used up, allocations fall back to the heap (unbound) and
 * arena_overflowed() says so, so the row can be marked.
 *
 * Thread-safe: allocation is one atomic add. arena_allocator() gives the
 * struct model_allocator to install with model_set_allocator().
 */
#ifndef DMABENCH_HARNESS_ARENA_H
#define DMABENCH_HARNESS_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include "harness/topo.h"
#include "model/alloc.h"

struct arena {
	struct topo *topo;
	char *base;
	size_t size;
	size_t used __attribute__((aligned(64)));
	int overflowed;
	bool bound;			/* the block is bound to the node */
	struct model_allocator allocator;
};

int arena_create(struct arena *a, struct topo *topo, int node, size_t size);
void arena_reset(struct arena *a);	/* no model object may still live in it */
void arena_destroy(struct arena *a);
bool arena_overflowed(const struct arena *a);

#endif
