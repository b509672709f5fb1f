/* Model memory: see alloc.h. The failure hook is for error-path tests. */
#include <stdlib.h>
#include <string.h>
#include "model/alloc.h"
#include "model/compiler.h"

static const struct model_allocator *allocator;
static long fail_countdown = -1;	/* -1: off */
static long failures;
static long calls;		/* every allocation asked for, for the no-allocation-when-warm test */

static bool should_fail(void)
{
	long c = __atomic_load_n(&fail_countdown, __ATOMIC_RELAXED);

	if (likely(c < 0))
		return false;
	if (c == 0 || __atomic_sub_fetch(&fail_countdown, 1, __ATOMIC_RELAXED) < 0) {
		__atomic_store_n(&fail_countdown, 0, __ATOMIC_RELAXED);
		__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		return true;
	}
	return false;
}

static void *aligned_zalloc(size_t size, size_t align)
{
	void *p;

	size = (size + align - 1) & ~(align - 1);
	p = aligned_alloc(align, size);
	if (p)
		memset(p, 0, size);
	return p;
}

void *model_zalloc(size_t size)
{
	__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	if (size == 0 || should_fail())
		return NULL;
	return aligned_zalloc(size, SMP_CACHE_BYTES);
}

void model_free(void *p)
{
	free(p);
}

void *model_zalloc_shared(size_t size)
{
	const struct model_allocator *a = __atomic_load_n(&allocator, __ATOMIC_ACQUIRE);

	__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	if (size == 0 || should_fail())
		return NULL;
	if (a)
		return a->zalloc_shared(size, a->arg);
	return aligned_zalloc(size, size >= 4096 ? 4096 : SMP_CACHE_BYTES);
}

void model_free_shared(void *p, size_t size)
{
	const struct model_allocator *a = __atomic_load_n(&allocator, __ATOMIC_ACQUIRE);

	if (!p)
		return;
	if (a)
		a->free_shared(p, size, a->arg);
	else
		free(p);
}

void model_set_allocator(const struct model_allocator *a)
{
	__atomic_store_n(&allocator, a, __ATOMIC_RELEASE);
}

void model_fail_alloc_after(long n)
{
	__atomic_store_n(&fail_countdown, n < 0 ? -1 : n, __ATOMIC_RELAXED);
}

long model_alloc_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED);
}

long model_alloc_calls(void)
{
	return __atomic_load_n(&calls, __ATOMIC_RELAXED);
}
