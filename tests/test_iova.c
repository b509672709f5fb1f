/*
 * tests for src/model/iova.c: the tree allocator (range, alignment, limit, no
 * overlap), the per-CPU range caches and depot (with v6.1's sizes), the
 * flush-and-retry path, exhaustion, teardown and allocation failure, and
 * concurrent alloc/free from several CPUs. One file past 600 lines because
 * it is the tests of one model file (iova.c, itself one kernel file) that
 * share its fixtures and books.
 *
 * Leaks: under ASan each leak test asks LeakSanitizer (a leak fails that
 * test). Every build checks the books instead: after a workload, the ranges
 * in the tree are exactly those the test holds plus those cached, and put
 * leaves an empty domain. (glibc's heap statistics are too noisy to count
 * leaks with: tcache and memalign fragments.)
 */
#include <pthread.h>
#include <stdlib.h>
#include "test.h"
#include "model/alloc.h"
#include "model/iova.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#define GRANULE		4096UL

static unsigned long rnd(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static unsigned long pow2_ceil(unsigned long n)
{
	unsigned long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* What alloc_iova_fast() really allocates for @size (v6.1 rounding). */
static unsigned long fast_size(unsigned long size)
{
	return size < (1UL << (IOVA_RANGE_CACHE_MAX_SIZE - 1)) ? pow2_ceil(size) : size;
}

/* A domain with range caches for @nr_cpus CPUs; the calling thread is CPU 0. */
static bool setup(struct iova_domain *iovad, int nr_cpus, unsigned long start_pfn)
{
	if (model_set_nr_cpu_ids(nr_cpus))
		return false;
	model_set_this_cpu(0);
	init_iova_domain(iovad, GRANULE, start_pfn);
	return iova_domain_init_rcaches(iovad) == 0;
}

static bool lsan_clean(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return __lsan_do_recoverable_leak_check() == 0;
#else
	return true;
#endif
}

/* ---- the inline helpers ---- */

TEST(iova_helpers_follow_the_granule)
{
	struct iova_domain d;

	init_iova_domain(&d, 4096, 1);
	CHECK_EQ_INT(iova_shift(&d), 12);
	CHECK_EQ_INT(iova_mask(&d), 0xfff);
	CHECK_EQ_INT(iova_offset(&d, 0x12345), 0x345);
	CHECK_EQ_INT(iova_align(&d, 1), 4096);
	CHECK_EQ_INT(iova_align(&d, 4096), 4096);
	CHECK_EQ_INT(iova_align(&d, 4097), 8192);
	CHECK_EQ_INT(iova_pfn(&d, 0x12345), 0x12);
	CHECK_EQ_INT(d.dma_32bit_pfn, 1UL << 20);
	put_iova_domain(&d);

	init_iova_domain(&d, 512, 1);
	CHECK_EQ_INT(iova_shift(&d), 9);
	CHECK_EQ_INT(iova_pfn(&d, 0x1000), 8);
	CHECK_EQ_INT(d.dma_32bit_pfn, 1UL << 23);
	put_iova_domain(&d);
}

/* ---- the tree ---- */

TEST(alloc_iova_is_top_down_below_the_limit)
{
	struct iova_domain d;
	struct iova *a, *b, *c;

	init_iova_domain(&d, GRANULE, 1);
	a = alloc_iova(&d, 1, 1000, false);
	b = alloc_iova(&d, 1, 1000, false);
	c = alloc_iova(&d, 3, 1000, false);
	REQUIRE(a && b && c);
	CHECK_EQ_INT(a->pfn_lo, 1000);
	CHECK_EQ_INT(a->pfn_hi, 1000);
	CHECK_EQ_INT(b->pfn_lo, 999);
	CHECK_EQ_INT(c->pfn_lo, 996);
	CHECK_EQ_INT(c->pfn_hi, 998);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 3);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

TEST(alloc_iova_size_aligned_aligns_to_the_rounded_size)
{
	struct iova_domain d;

	init_iova_domain(&d, GRANULE, 1);
	for (unsigned long size = 1; size <= 70; size++) {
		struct iova *iova = alloc_iova(&d, size, 100000 - size, true);
		unsigned long align = pow2_ceil(size);

		REQUIRE(iova);
		CHECK_MSG(iova->pfn_lo % align == 0, "size %lu at pfn %lu", size, iova->pfn_lo);
		CHECK_EQ_INT(iova_size(iova), size);
		CHECK(iova->pfn_hi <= 100000 - size);
	}
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

TEST(alloc_iova_refuses_zero_size_and_an_impossible_limit)
{
	struct iova_domain d;

	init_iova_domain(&d, GRANULE, 100);
	CHECK(alloc_iova(&d, 0, 1000, false) == NULL);
	CHECK(alloc_iova(&d, 10, 105, false) == NULL);	/* 6 pfns of room */
	CHECK(alloc_iova(&d, 6, 105, false) != NULL);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 1);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);

	init_iova_domain(&d, GRANULE, 100);
	CHECK(alloc_iova(&d, 1, 99, false) == NULL);	/* limit below start_pfn */
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 0);
	put_iova_domain(&d);
}

/*
 * v6.1: a failed allocation under 4 GiB records its size in max32_alloc_size;
 * later ones as large fail at once, without a walk, until a range below
 * 4 GiB is freed.
 */
TEST(alloc_iova_failure_below_4g_fails_fast_until_a_free)
{
	struct iova_domain d;
	struct iova *a;

	init_iova_domain(&d, GRANULE, 100);
	a = alloc_iova(&d, 4, 109, false);		/* [106, 109] */
	REQUIRE(a);
	CHECK(alloc_iova(&d, 8, 109, false) == NULL);	/* 6 left: fails, records 8 */
	CHECK_EQ_INT(d.max32_alloc_size, 8);
	CHECK(alloc_iova(&d, 8, 5000, false) == NULL);	/* room, but fails fast */
	CHECK(alloc_iova(&d, 7, 5000, false) != NULL);	/* smaller: searched */
	__free_iova(&d, a);
	CHECK_EQ_INT(d.max32_alloc_size, d.dma_32bit_pfn);
	CHECK(alloc_iova(&d, 8, 5000, false) != NULL);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

TEST(alloc_iova_limits_above_and_below_4g_use_their_own_cached_node)
{
	struct iova_domain d;
	unsigned long lim32 = (1UL << 20) - 1, lim64 = (1UL << 36) - 1;
	struct iova *lo, *hi, *lo2;

	init_iova_domain(&d, GRANULE, 1);
	lo = alloc_iova(&d, 8, lim32, true);
	hi = alloc_iova(&d, 8, lim64, true);
	lo2 = alloc_iova(&d, 8, lim32, true);
	REQUIRE(lo && hi && lo2);
	CHECK_EQ_INT(lo->pfn_hi, lim32);
	CHECK_EQ_INT(hi->pfn_hi, lim64);
	CHECK_EQ_INT(lo2->pfn_hi, lim32 - 8);
	CHECK(d.cached32_node == &lo2->node);
	CHECK(d.cached_node == &hi->node);
	__free_iova(&d, lo2);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	lo2 = alloc_iova(&d, 8, lim32, true);	/* the freed gap is found again */
	REQUIRE(lo2);
	CHECK_EQ_INT(lo2->pfn_hi, lim32 - 8);
	put_iova_domain(&d);
}

TEST(find_iova_and_free_iova_work_on_any_pfn_of_a_range)
{
	struct iova_domain d;
	struct iova *a, *b;

	init_iova_domain(&d, GRANULE, 1);
	a = alloc_iova(&d, 16, 4095, true);
	b = alloc_iova(&d, 4, 4095, true);
	REQUIRE(a && b);
	for (unsigned long pfn = a->pfn_lo; pfn <= a->pfn_hi; pfn++)
		CHECK(find_iova(&d, pfn) == a);
	CHECK(find_iova(&d, b->pfn_lo + 3) == b);
	CHECK(find_iova(&d, 5) == NULL);
	free_iova(&d, 5);				/* nothing there: no-op */
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 2);
	free_iova(&d, a->pfn_lo + 7);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 1);
	CHECK(find_iova(&d, 4090) == NULL);
	__free_iova(&d, b);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 0);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

/* Random allocs and frees against an independent list of live ranges. */
TEST(alloc_iova_random_ranges_never_overlap)
{
	enum { MAXLIVE = 400, STEPS = 8000 };
	static struct iova *live[MAXLIVE];
	struct iova_domain d;
	unsigned long seed = 0x1234567;
	const unsigned long start = 16, lim32 = (1UL << 20) - 1;
	int nlive = 0, bad = 0, fails = 0;

	init_iova_domain(&d, GRANULE, start);
	for (int step = 0; step < STEPS && !bad; step++) {
		bool do_alloc = nlive == 0 || (nlive < MAXLIVE && rnd(&seed) % 3 != 0);

		if (do_alloc) {
			unsigned long size = 1 + rnd(&seed) % 40;
			bool aligned = rnd(&seed) & 1;
			unsigned long r = rnd(&seed) % 4;
			/* tight limits too, so the allocator must search and sometimes fail */
			unsigned long limit = r == 0 ? start + 2000 : r == 1 ? lim32 :
					      r == 2 ? (1UL << 20) + 3000 : (1UL << 40);
			struct iova *iova = alloc_iova(&d, size, limit, aligned);

			if (!iova) {
				fails++;
				continue;
			}
			if (iova->pfn_lo < start || iova->pfn_hi > limit ||
			    iova_size(iova) != size ||
			    (aligned && iova->pfn_lo % pow2_ceil(size))) {
				CHECK_MSG(0, "bad range [%lu, %lu] size %lu limit %lu",
					  iova->pfn_lo, iova->pfn_hi, size, limit);
				bad++;
			}
			for (int i = 0; i < nlive; i++)
				if (iova->pfn_lo <= live[i]->pfn_hi &&
				    live[i]->pfn_lo <= iova->pfn_hi) {
					CHECK_MSG(0, "[%lu, %lu] overlaps [%lu, %lu]",
						  iova->pfn_lo, iova->pfn_hi,
						  live[i]->pfn_lo, live[i]->pfn_hi);
					bad++;
				}
			live[nlive++] = iova;
		} else {
			int i = rnd(&seed) % nlive;

			if (rnd(&seed) & 1)
				__free_iova(&d, live[i]);
			else
				free_iova(&d, live[i]->pfn_lo + rnd(&seed) % iova_size(live[i]));
			live[i] = live[--nlive];
		}
		if (step % 500 == 0)
			CHECK_EQ_INT(iova_domain_check(&d), 0);
	}
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), nlive);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	CHECK(fails > 0);	/* the tight limit was hit: the failure path ran */
	put_iova_domain(&d);
}

TEST(iova_domain_check_catches_an_overlap)
{
	struct iova_domain d;
	struct iova *a, *b;
	unsigned long saved;

	init_iova_domain(&d, GRANULE, 1);
	a = alloc_iova(&d, 4, 1000, false);
	b = alloc_iova(&d, 4, 1000, false);
	REQUIRE(a && b);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	saved = b->pfn_hi;
	b->pfn_hi = a->pfn_lo;		/* b now runs into a */
	CHECK_EQ_INT(iova_domain_check(&d), -EUCLEAN);
	b->pfn_hi = saved;
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

TEST(init_iova_domain_needs_no_zeroed_memory)
{
	struct iova_domain d;
	unsigned long pfn;

	memset(&d, 0xa5, sizeof(d));
	init_iova_domain(&d, GRANULE, 1);
	CHECK(d.rcaches == NULL);
	/* without range caches the fast path is the tree */
	pfn = alloc_iova_fast(&d, 2, 1000, true);
	CHECK_EQ_INT(pfn, 998);			/* rounded to 2, size-aligned */
	free_iova_fast(&d, pfn, 2);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 0);
	CHECK_EQ_INT(iova_domain_nr_cached(&d), 0);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

/* ---- the range caches ---- */

TEST(rcache_free_then_alloc_on_the_same_cpu_returns_the_same_pfn)
{
	struct iova_domain d;

	REQUIRE(setup(&d, 2, 1));
	for (unsigned long size = 1; size <= 32; size++) {
		unsigned long a = alloc_iova_fast(&d, size, (1UL << 32) - 1, true);
		unsigned long b, c;

		REQUIRE(a);
		b = alloc_iova_fast(&d, size, (1UL << 32) - 1, true);
		REQUIRE(b && b != a);
		free_iova_fast(&d, a, size);
		free_iova_fast(&d, b, size);
		CHECK_EQ_INT(iova_domain_nr_cached(&d), 2);
		c = alloc_iova_fast(&d, size, (1UL << 32) - 1, true);
		CHECK_MSG(c == b, "size %lu: got %lu, freed %lu last", size, c, b);
		c = alloc_iova_fast(&d, size, (1UL << 32) - 1, true);
		CHECK_MSG(c == a, "size %lu: got %lu, freed %lu first", size, c, a);
		CHECK_EQ_INT(iova_domain_nr_cached(&d), 0);
		CHECK_EQ_INT(iova_domain_nr_allocated(&d), 2 * size);	/* 2 per size so far */
		CHECK_EQ_INT(iova_domain_check(&d), 0);
		/* keep them: later sizes must not collide with these */
		(void)c;
	}
	put_iova_domain(&d);
}

TEST(rcache_is_per_cpu)
{
	struct iova_domain d;
	unsigned long a, b, c;

	REQUIRE(setup(&d, 2, 1));
	model_set_this_cpu(1);
	a = alloc_iova_fast(&d, 1, 100000, true);
	REQUIRE(a);
	free_iova_fast(&d, a, 1);		/* into CPU 1's cache */
	model_set_this_cpu(0);
	b = alloc_iova_fast(&d, 1, 100000, true);
	CHECK(b && b != a);			/* CPU 0 misses, the tree gives another */
	model_set_this_cpu(1);
	c = alloc_iova_fast(&d, 1, 100000, true);
	CHECK_EQ_INT(c, a);
	model_set_this_cpu(0);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

TEST(alloc_iova_fast_rounds_cacheable_sizes_up_to_a_power_of_two)
{
	struct iova_domain d;
	unsigned long p3, p33, p32;

	REQUIRE(setup(&d, 1, 1));
	p3 = alloc_iova_fast(&d, 3, 100000, true);
	p32 = alloc_iova_fast(&d, 32, 100000, true);
	p33 = alloc_iova_fast(&d, 33, 100000, true);
	REQUIRE(p3 && p32 && p33);
	CHECK_EQ_INT(iova_size(find_iova(&d, p3)), 4);
	CHECK_EQ_INT(p3 % 4, 0);
	CHECK_EQ_INT(iova_size(find_iova(&d, p32)), 32);
	CHECK_EQ_INT(p32 % 32, 0);
	CHECK_EQ_INT(iova_size(find_iova(&d, p33)), 33);	/* not cacheable: not rounded */
	CHECK_EQ_INT(p33 % 64, 0);				/* but size-aligned */
	/* size 3 frees into the size-4 class and is handed to a size-4 caller */
	free_iova_fast(&d, p3, 3);
	CHECK_EQ_INT(alloc_iova_fast(&d, 4, 100000, true), p3);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

TEST(uncacheable_sizes_go_back_to_the_tree)
{
	struct iova_domain d;
	unsigned long p;

	REQUIRE(setup(&d, 1, 1));
	p = alloc_iova_fast(&d, 33, 100000, true);	/* order_base_2(33) == 6 */
	REQUIRE(p);
	free_iova_fast(&d, p, 33);
	CHECK_EQ_INT(iova_domain_nr_cached(&d), 0);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 0);
	p = alloc_iova_fast(&d, 200, 100000, true);
	REQUIRE(p);
	free_iova_fast(&d, p, 200);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 0);
	put_iova_domain(&d);
}

TEST(rcache_respects_the_limit)
{
	struct iova_domain d;
	unsigned long hi, lo;

	REQUIRE(setup(&d, 1, 1));
	hi = alloc_iova_fast(&d, 1, 100000, true);
	REQUIRE(hi == 100000);
	free_iova_fast(&d, hi, 1);
	lo = alloc_iova_fast(&d, 1, 50000, true);	/* the cached pfn is too high */
	CHECK(lo != 0 && lo <= 50000);
	CHECK_EQ_INT(iova_domain_nr_cached(&d), 1);
	CHECK_EQ_INT(alloc_iova_fast(&d, 1, 100000, true), hi);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

/* When the loaded magazine runs dry, the previous one (full) is swapped in. */
TEST(rcache_prev_magazine_serves_when_loaded_is_empty)
{
	enum { N = IOVA_MAG_SIZE + 1 };
	static unsigned long pfns[N];
	struct iova_domain d;
	unsigned long allocated;
	int from_cache = 0;

	REQUIRE(setup(&d, 1, 1));
	for (int i = 0; i < N; i++) {
		pfns[i] = alloc_iova_fast(&d, 1, 1UL << 30, true);
		REQUIRE(pfns[i]);
	}
	for (int i = 0; i < N; i++)	/* loaded fills, swaps with prev, takes one more */
		free_iova_fast(&d, pfns[i], 1);
	allocated = iova_domain_nr_allocated(&d);
	for (int i = 0; i < N; i++) {
		unsigned long p = alloc_iova_fast(&d, 1, 1UL << 30, true);

		for (int k = 0; k < N; k++)
			if (p == pfns[k]) {
				from_cache++;
				break;
			}
	}
	CHECK_EQ_INT(from_cache, N);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), allocated);	/* none from the tree */
	CHECK_EQ_INT(iova_domain_nr_cached(&d), 0);
	put_iova_domain(&d);
}

/* A full loaded+prev pair moves a magazine to the depot; another CPU takes it. */
TEST(rcache_depot_passes_a_full_magazine_to_another_cpu)
{
	enum { N = 2 * IOVA_MAG_SIZE + 1 };
	static unsigned long pfns[N];
	struct iova_domain d;
	unsigned long got, allocated;
	bool from_depot = false;

	REQUIRE(setup(&d, 2, 1));
	for (int i = 0; i < N; i++) {
		pfns[i] = alloc_iova_fast(&d, 1, 1UL << 30, true);
		REQUIRE(pfns[i]);
	}
	for (int i = 0; i < N; i++)
		free_iova_fast(&d, pfns[i], 1);
	CHECK_EQ_INT(iova_domain_nr_cached(&d), N);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	allocated = iova_domain_nr_allocated(&d);

	model_set_this_cpu(1);			/* empty loaded/prev: the depot serves */
	got = alloc_iova_fast(&d, 1, 1UL << 30, true);
	model_set_this_cpu(0);
	for (int i = 0; i < N; i++)
		from_depot |= got == pfns[i];
	CHECK(from_depot);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), allocated);	/* not from the tree */
	CHECK_EQ_INT(iova_domain_nr_cached(&d), N - 1);
	put_iova_domain(&d);
}

/* v6.1 numbers: 2 magazines per CPU + MAX_GLOBAL_MAGS in the depot; then back to the tree. */
TEST(rcache_full_depot_returns_a_magazine_to_the_tree)
{
	enum { CAP = (2 + MAX_GLOBAL_MAGS) * IOVA_MAG_SIZE, N = CAP + 1 };
	static unsigned long pfns[N];
	struct iova_domain d;

	REQUIRE(setup(&d, 1, 1));
	for (int i = 0; i < N; i++) {
		pfns[i] = alloc_iova_fast(&d, 1, 1UL << 30, true);
		REQUIRE(pfns[i]);
	}
	for (int i = 0; i < CAP; i++)
		free_iova_fast(&d, pfns[i], 1);
	CHECK_EQ_INT(iova_domain_nr_cached(&d), CAP);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), N);
	free_iova_fast(&d, pfns[CAP], 1);	/* depot full: one magazine's pfns are freed */
	CHECK_EQ_INT(iova_domain_nr_cached(&d), CAP - IOVA_MAG_SIZE + 1);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), CAP - IOVA_MAG_SIZE + 1);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	free_global_cached_iovas(&d);
	free_cpu_cached_iovas(0, &d);
	CHECK_EQ_INT(iova_domain_nr_cached(&d), 0);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 0);
	put_iova_domain(&d);
}

/* ---- exhaustion ---- */

TEST(exhaustion_returns_zero_never_a_bad_iova)
{
	struct iova_domain d;
	static unsigned char used[65];
	unsigned long p;
	int n = 0, bad = 0;

	REQUIRE(setup(&d, 1, 1));
	memset(used, 0, sizeof(used));
	while ((p = alloc_iova_fast(&d, 1, 64, true)) != 0) {
		if (p > 64 || used[p])
			bad++;
		else
			used[p] = 1;
		if (++n > 100)
			break;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(n, 64);			/* pfns 1..64, every one */
	CHECK_EQ_INT(alloc_iova_fast(&d, 1, 64, false), 0);
	CHECK_EQ_INT(alloc_iova_fast(&d, 2, 64, true), 0);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);

	/* size-aligned blocks of 4 in [1, 63]: 4..63, fifteen of them */
	REQUIRE(setup(&d, 1, 1));
	n = bad = 0;
	while ((p = alloc_iova_fast(&d, 4, 63, true)) != 0) {
		if (p < 4 || p + 3 > 63 || p % 4)
			bad++;
		if (++n > 100)
			break;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(n, 15);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

TEST(flush_and_retry_recovers_pfns_held_in_caches)
{
	struct iova_domain d;
	unsigned long pfns[64], p;

	REQUIRE(setup(&d, 2, 1));
	for (int i = 0; i < 64; i++) {
		model_set_this_cpu(i & 1);
		pfns[i] = alloc_iova_fast(&d, 1, 64, true);
		REQUIRE(pfns[i]);
	}
	for (int i = 0; i < 64; i++) {
		model_set_this_cpu(i & 1);	/* each CPU caches half */
		free_iova_fast(&d, pfns[i], 1);
	}
	model_set_this_cpu(0);
	CHECK_EQ_INT(iova_domain_nr_cached(&d), 64);
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 64);	/* the tree is full */
	CHECK_EQ_INT(alloc_iova_fast(&d, 2, 64, false), 0);	/* no flush: no room */
	p = alloc_iova_fast(&d, 2, 64, true);
	CHECK(p != 0 && p % 2 == 0 && p + 1 <= 64);
	CHECK_EQ_INT(iova_domain_nr_cached(&d), 0);	/* every CPU's cache was flushed */
	CHECK_EQ_INT(iova_domain_nr_allocated(&d), 1);
	CHECK_EQ_INT(iova_domain_check(&d), 0);
	put_iova_domain(&d);
}

/* ---- teardown and failures ---- */

/* A domain with ranges in the tree, in every CPU's caches and in the depot. */
static void fill_domain(struct iova_domain *d, int nr_cpus, unsigned long *seed)
{
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		enum { N1 = 2 * IOVA_MAG_SIZE + 64, N = N1 + 100 };
		unsigned long pfns[N], sizes[N];

		model_set_this_cpu(cpu);
		for (int i = 0; i < N; i++) {
			/* N1 of size 1: more than loaded + prev hold, so the depot fills */
			sizes[i] = i < N1 ? 1 : 1 + rnd(seed) % 40;
			pfns[i] = alloc_iova_fast(d, sizes[i], 1UL << 32, true);
		}
		for (int i = 0; i < N; i++)
			if (pfns[i] && (i < N1 || i % 5))
				free_iova_fast(d, pfns[i], sizes[i]);
	}
	model_set_this_cpu(0);
}

TEST(put_iova_domain_leaves_nothing)
{
	struct iova_domain d;
	unsigned long seed = 7;

	for (int round = 0; round < 20; round++) {
		REQUIRE(setup(&d, 3, 1));
		fill_domain(&d, 3, &seed);
		CHECK(iova_domain_nr_cached(&d) >= 2 * IOVA_MAG_SIZE + 64);
		CHECK(iova_domain_nr_allocated(&d) > iova_domain_nr_cached(&d));
		CHECK_EQ_INT(iova_domain_check(&d), 0);
		put_iova_domain(&d);
		CHECK(RB_EMPTY_ROOT(&d.rbroot));
		CHECK(d.rcaches == NULL);
	}
	CHECK(lsan_clean());
}

TEST(init_rcaches_failure_leaks_nothing)
{
	struct iova_domain d;
	long n, failures_before = model_alloc_failures();
	int failed = 0;

	REQUIRE(model_set_nr_cpu_ids(4) == 0);
	for (int round = 0; round < 10; round++) {
		/* 1 + 6 * (1 + 2 * 4) allocations: fail each one in turn */
		for (n = 0; n < 1 + IOVA_RANGE_CACHE_MAX_SIZE * (1 + 2 * 4); n++) {
			init_iova_domain(&d, GRANULE, 1);
			model_fail_alloc_after(n);
			if (iova_domain_init_rcaches(&d) == -ENOMEM) {
				failed++;
				CHECK(d.rcaches == NULL);
			}
			model_fail_alloc_after(-1);
			/* the domain still works, with or without caches */
			CHECK(alloc_iova_fast(&d, 1, 1000, true) == 1000);
			free_iova_fast(&d, 1000, 1);
			put_iova_domain(&d);
		}
	}
	CHECK_EQ_INT(failed, 10 * (1 + IOVA_RANGE_CACHE_MAX_SIZE * (1 + 2 * 4)));
	CHECK(model_alloc_failures() > failures_before);
	CHECK(lsan_clean());
}

/*
 * Every allocation point of a mixed workload fails in turn: each call either
 * works or fails cleanly (0 / NULL), the books balance (tree = held + cached),
 * and after put nothing is left.
 */
TEST(allocation_failure_injection_leaks_nothing)
{
	enum { HOLD = 300 };
	struct iova_domain d;
	unsigned long seed = 99, held[HOLD], sizes[HOLD];
	int zero_returns = 0, bad = 0;

	for (int round = 0; round < 120; round++) {
		int nheld = 0;

		REQUIRE(setup(&d, 2, 1));
		model_fail_alloc_after(round * 7);
		for (int i = 0; i < 1500; i++) {
			model_set_this_cpu(rnd(&seed) & 1);
			if (nheld < HOLD && (nheld == 0 || rnd(&seed) % 3)) {
				unsigned long size = 1 + rnd(&seed) % 40;
				unsigned long p = alloc_iova_fast(&d, size, 1UL << 24, true);

				if (!p) {
					zero_returns++;
					continue;
				}
				if (p % pow2_ceil(size) || p + size - 1 > 1UL << 24)
					bad++;
				held[nheld] = p;
				sizes[nheld++] = size;
			} else {
				int k = rnd(&seed) % nheld;

				free_iova_fast(&d, held[k], sizes[k]);
				held[k] = held[--nheld];
				sizes[k] = sizes[nheld];
			}
		}
		model_fail_alloc_after(-1);
		model_set_this_cpu(0);
		CHECK_EQ_INT(iova_domain_check(&d), 0);
		CHECK_EQ_INT(iova_domain_nr_allocated(&d),
			     nheld + iova_domain_nr_cached(&d));
		put_iova_domain(&d);
	}
	CHECK_EQ_INT(bad, 0);
	CHECK(zero_returns > 0);	/* the injected failures were seen */
	CHECK(lsan_clean());
}

/* ---- concurrency ---- */

enum { NR_THREADS = 4, CONC_OPS = 20000, CONC_HOLD = 48 };
#define CONC_SPAN	1024UL		/* small: the domain runs dry, flushes run */
#define CONC_START	((1UL << 20) - CONC_SPAN / 2)	/* both sides of dma_32bit_pfn */
#define CONC_LIM_LO	((1UL << 20) - 1)	/* a 32-bit limit: cached32_node */
#define CONC_LIM_HI	(CONC_START + CONC_SPAN - 1)	/* above: cached_node */

static struct iova_domain conc_domain;
static unsigned char conc_owner[CONC_SPAN];	/* pfn - CONC_START -> thread + 1 */

struct conc_thread {
	int cpu;
	unsigned long bad, zero_returns;
	char msg[160];
} ____cacheline_aligned;

struct held_range {
	unsigned long pfn, size, len;	/* len: what was really allocated */
	struct iova *iova;		/* tree allocation, or NULL: fast path */
};

static bool claim(struct conc_thread *t, unsigned long pfn, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++) {
		unsigned char expect = 0;

		if (!__atomic_compare_exchange_n(&conc_owner[pfn - CONC_START + i], &expect,
						 (unsigned char)(t->cpu + 1), false,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			snprintf(t->msg, sizeof(t->msg), "pfn %lu held by thread %d",
				 pfn + i, expect - 1);
			return false;
		}
	}
	return true;
}

static void release(struct conc_thread *t, unsigned long pfn, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++)
		__atomic_store_n(&conc_owner[pfn - CONC_START + i], 0, __ATOMIC_RELEASE);
	(void)t;
}

static void *conc_worker(void *arg)
{
	struct conc_thread *t = arg;
	struct held_range held[CONC_HOLD];
	unsigned long seed = 0x9e3779b9UL * (t->cpu + 1);
	int nheld = 0;

	model_set_this_cpu(t->cpu);
	for (int op = 0; op < CONC_OPS; op++) {
		if (nheld < CONC_HOLD && (nheld == 0 || rnd(&seed) % 2)) {
			unsigned long r = rnd(&seed) % 16;
			unsigned long size = r < 12 ? 1 + rnd(&seed) % 8 :
					     r < 15 ? 1 + rnd(&seed) % 40 : 33 + rnd(&seed) % 64;
			unsigned long limit = rnd(&seed) & 1 ? CONC_LIM_HI : CONC_LIM_LO;
			struct held_range h = { .size = size };

			if (rnd(&seed) % 8 == 0) {	/* the tree directly */
				h.iova = alloc_iova(&conc_domain, size, limit, rnd(&seed) & 1);
				if (h.iova) {
					h.pfn = h.iova->pfn_lo;
					h.len = iova_size(h.iova);
				}
			} else {
				h.pfn = alloc_iova_fast(&conc_domain, size, limit, true);
				h.len = fast_size(size);
				if (h.pfn && h.pfn % pow2_ceil(size)) {
					snprintf(t->msg, sizeof(t->msg), "pfn %lu not aligned to %lu",
						 h.pfn, pow2_ceil(size));
					t->bad++;
				}
			}
			if (!h.pfn) {
				t->zero_returns++;
				continue;
			}
			if (h.pfn < CONC_START || h.pfn + h.len - 1 > limit) {
				snprintf(t->msg, sizeof(t->msg), "[%lu, +%lu) outside limit %lu",
					 h.pfn, h.len, limit);
				t->bad++;
				continue;	/* leak it: the test has failed anyway */
			}
			if (!claim(t, h.pfn, h.len)) {
				t->bad++;
				continue;
			}
			held[nheld++] = h;
		} else {
			int k = rnd(&seed) % nheld;
			struct held_range h = held[k];

			held[k] = held[--nheld];
			release(t, h.pfn, h.len);
			if (h.iova)
				__free_iova(&conc_domain, h.iova);
			else
				free_iova_fast(&conc_domain, h.pfn, h.size);
		}
	}
	while (nheld) {
		struct held_range h = held[--nheld];

		release(t, h.pfn, h.len);
		if (h.iova)
			__free_iova(&conc_domain, h.iova);
		else
			free_iova_fast(&conc_domain, h.pfn, h.size);
	}
	return NULL;
}

TEST(concurrent_alloc_free_never_overlaps_and_respects_limits)
{
	static struct conc_thread threads[NR_THREADS];
	pthread_t tid[NR_THREADS];
	unsigned long bad = 0, zero_returns = 0;

	REQUIRE(setup(&conc_domain, NR_THREADS, CONC_START));
	memset(conc_owner, 0, sizeof(conc_owner));
	for (int i = 0; i < NR_THREADS; i++) {
		memset(&threads[i], 0, sizeof(threads[i]));
		threads[i].cpu = i;
		REQUIRE(pthread_create(&tid[i], NULL, conc_worker, &threads[i]) == 0);
	}
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(tid[i], NULL);
	for (int i = 0; i < NR_THREADS; i++) {
		CHECK_MSG(threads[i].bad == 0, "thread %d: %lu bad, last: %s", i,
			  threads[i].bad, threads[i].msg);
		bad += threads[i].bad;
		zero_returns += threads[i].zero_returns;
	}
	/* everything was given back: what the tree holds is exactly what is cached */
	CHECK_EQ_INT(iova_domain_check(&conc_domain), 0);
	if (!bad)
		CHECK_EQ_INT(iova_domain_nr_allocated(&conc_domain),
			     iova_domain_nr_cached(&conc_domain));
	for (int cpu = 0; cpu < NR_THREADS; cpu++)
		free_cpu_cached_iovas(cpu, &conc_domain);
	free_global_cached_iovas(&conc_domain);
	if (!bad)
		CHECK_EQ_INT(iova_domain_nr_allocated(&conc_domain), 0);
	put_iova_domain(&conc_domain);
	CHECK(zero_returns > 0);	/* it ran dry: flush-and-retry ran concurrently */
}
