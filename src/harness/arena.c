/* Home-node memory for the model's shared objects: see arena.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "harness/arena.h"

#define ARENA_PAGE	4096

void *arena_zalloc(size_t size, void *arg)
{
	struct arena *a = arg;
	size_t align = size >= ARENA_PAGE ? ARENA_PAGE : 64;
	size_t rounded = (size + align - 1) & ~(align - 1);
	size_t off;
	void *p;

	/* reserve align-1 extra bytes so the aligned start always fits */
	off = __atomic_fetch_add(&a->used, rounded + align - 1, __ATOMIC_RELAXED);
	if (off + rounded + align - 1 <= a->size) {
		uintptr_t start = ((uintptr_t)a->base + off + align - 1) & ~(uintptr_t)(align - 1);

		return (void *)start;	/* mapped fresh, or zeroed by arena_reset */
	}
	__atomic_store_n(&a->overflowed, 1, __ATOMIC_RELAXED);
	p = aligned_alloc(align, rounded);
	if (p)
		memset(p, 0, rounded);
	return p;
}

void arena_free(void *p, size_t size, void *arg)
{
	struct arena *a = arg;

	(void)size;
	if ((char *)p >= a->base && (char *)p < a->base + a->size)
		return;		/* arena memory goes back at reset */
	free(p);
}

int arena_create(struct arena *a, struct topo *topo, int node, size_t size)
{
	memset(a, 0, sizeof(*a));
	a->topo = topo;
	a->size = size;
	void *base = NULL;
	int rc = topo_alloc_on_node(topo, size, node, &base, &a->bound);

	if (rc)
		return rc;
	a->base = base;
	return 0;
}

void arena_reset(struct arena *a)
{
	size_t used = __atomic_load_n(&a->used, __ATOMIC_RELAXED);

	memset(a->base, 0, used < a->size ? used : a->size);
	__atomic_store_n(&a->used, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&a->overflowed, 0, __ATOMIC_RELAXED);
}

void arena_destroy(struct arena *a)
{
	if (a->base)
		topo_free(a->topo, a->base, a->size);
	memset(a, 0, sizeof(*a));
}

bool arena_overflowed(const struct arena *a)
{
	return __atomic_load_n(&a->overflowed, __ATOMIC_RELAXED);
}
