/*
 * tests/test_dma_iommu.c — the DMA API (src/model/dma-iommu.c): page and
 * scatterlist round trips, strict and lazy invalidation, the flush queue,
 * bad input, exhaustion and allocation failure. Worlds come from model.c;
 * the lookup is a local struct dma_lookup_ops (the cached lookup, gated
 * deferred attach) on the model's generic paths, counting its gets and puts.
 */
#include <pthread.h>
#include <time.h>
#include "model/alloc.h"
#include "model/crash_dump.h"
#include "model/dma-iommu.h"
#include "model/io-pgtable.h"
#include "model/model.h"
#include "model/dma-lookup.h"
#include "test.h"

static long nr_gets, nr_puts;

static struct iommu_domain *t_map_get(struct device *dev, struct iommu_domain *handed)
{
	struct iommu_domain *domain = iommu_get_dma_domain(dev);

	(void)handed;
	__atomic_fetch_add(&nr_gets, 1, __ATOMIC_RELAXED);
	if (domain && is_kdump_kernel() && iommu_deferred_attach(dev, domain))
		return NULL;
	return domain;
}

static void t_put(struct device *dev, struct iommu_domain *domain)
{
	(void)dev;
	(void)domain;
	__atomic_fetch_add(&nr_puts, 1, __ATOMIC_RELAXED);
}

static struct iommu_domain *t_unmap_get(struct device *dev, struct iommu_domain *handed)
{
	(void)handed;
	__atomic_fetch_add(&nr_gets, 1, __ATOMIC_RELAXED);
	return iommu_get_dma_domain(dev);
}

static int t_group_init(struct iommu_group *g) { (void)g; return 0; }
static void t_group_release(struct iommu_group *g) { (void)g; }
static int t_group_check(struct iommu_group *g) { (void)g; return 0; }

static const struct dma_lookup_ops test_lookup = {
	.lookup = t_unmap_get, .map_get = t_map_get, .unmap_get = t_unmap_get, .put = t_put,
	.group_init = t_group_init, .group_release = t_group_release,
	.group_check = t_group_check,
	DMA_LOOKUP_PATHS(dma_lookup_generic),
};

static struct model_world *world(int threads, enum model_sharing sharing, bool strict)
{
	struct model_world_config cfg = {
		.nr_threads = threads, .sharing = sharing, .strict = strict,
		.inv_ticks = 2, .lookup = &test_lookup,
	};
	struct model_world *w = NULL;

	model_set_nr_cpu_ids(4);
	model_set_this_cpu(0);
	if (model_world_create(&cfg, &w))
		return NULL;
	return w;
}

static int check(struct model_world *w)
{
	struct model_check c;
	int ret = model_world_check(w, &c);

	if (ret)
		printf("     check: %s\n", c.what);
	return ret;
}

#define PHYS(n)	(0x100000000ULL + ((phys_addr_t)(n) << PAGE_SHIFT))

TEST(map_page_round_trip_strict)
{
	struct model_world *w = world(1, MODEL_SHARE_DEVICE, true);
	struct device *dev;
	struct iommu_domain *d;
	dma_addr_t a;

	REQUIRE(w);
	dev = model_world_device(w, 0);
	d = model_world_domain(w, 0);
	a = dma_map_page(dev, PHYS(7), 0x10, 100, DMA_TO_DEVICE, 0, d);
	REQUIRE(a != DMA_MAPPING_ERROR);
	CHECK_EQ_INT(a & (PAGE_SIZE - 1), 0x10);
	CHECK(a < (1ULL << 32));		/* a PCI device gets a SAC address first */
	CHECK_EQ_INT(iommu_iova_to_phys(d, a), PHYS(7) + 0x10);
	CHECK_EQ_INT(iommu_iova_to_phys(d, a + 99), PHYS(7) + 0x10 + 99);
	CHECK_EQ_INT(model_iommu_nr_invalidations(model_world_iommu(w)), 0);

	CHECK_EQ_INT(dma_unmap_page(dev, a, 100, DMA_TO_DEVICE, 0, d), 0);
	CHECK_EQ_INT(iommu_iova_to_phys(d, a), 0);
	CHECK_EQ_INT(model_iommu_nr_invalidations(model_world_iommu(w)), 1);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

TEST(map_page_spanning_pages_maps_every_page)
{
	struct model_world *w = world(1, MODEL_SHARE_DEVICE, true);
	struct device *dev;
	struct iommu_domain *d;
	dma_addr_t a;

	REQUIRE(w);
	dev = model_world_device(w, 0);
	d = model_world_domain(w, 0);
	/* offset 0xf00, 3 pages long: touches 4 pages */
	a = dma_map_page(dev, PHYS(20), 0xf00, 3 * PAGE_SIZE, DMA_BIDIRECTIONAL, 0, d);
	REQUIRE(a != DMA_MAPPING_ERROR);
	CHECK_EQ_INT(io_pgtable_nr_leaves(d->pgtbl), 4);
	CHECK_EQ_INT(iommu_iova_to_phys(d, a + 3 * PAGE_SIZE - 1), PHYS(20) + 0xf00 + 3 * PAGE_SIZE - 1);
	/*
	 * A size larger than what was mapped runs into the hole after it: the
	 * unmap is refused and the IOVA not freed (the check reports it). (A
	 * smaller size is the caller's bug the kernel does not catch either.)
	 */
	CHECK_EQ_INT(dma_unmap_page(dev, a, 8 * PAGE_SIZE, DMA_BIDIRECTIONAL, 0, d), -EINVAL);
	CHECK(check(w) != 0);
	/* the refused unmap cleared the 4 pages; map them back to unmap properly */
	CHECK_EQ_INT(iommu_map(d, (a & ~(PAGE_SIZE - 1)), PHYS(20), 4 * PAGE_SIZE,
			       IOMMU_READ | IOMMU_WRITE), 0);
	CHECK_EQ_INT(dma_unmap_page(dev, a, 3 * PAGE_SIZE, DMA_BIDIRECTIONAL, 0, d), 0);
	CHECK_EQ_INT(dma_unmap_page(dev, a, 3 * PAGE_SIZE, DMA_BIDIRECTIONAL, 0, d), -EINVAL);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

TEST(lazy_unmap_queues_and_final_flush_releases)
{
	struct model_world *w = world(1, MODEL_SHARE_DEVICE, false);
	struct model_iommu *iommu;
	struct device *dev;
	struct iommu_domain *d;
	dma_addr_t a[50];

	REQUIRE(w);
	dev = model_world_device(w, 0);
	d = model_world_domain(w, 0);
	iommu = model_world_iommu(w);
	for (int i = 0; i < 50; i++) {
		a[i] = dma_map_page(dev, PHYS(i + 1), 0, PAGE_SIZE, DMA_FROM_DEVICE, 0, d);
		REQUIRE(a[i] != DMA_MAPPING_ERROR);
	}
	for (int i = 0; i < 50; i++) {
		CHECK_EQ_INT(dma_unmap_page(dev, a[i], PAGE_SIZE, DMA_FROM_DEVICE, 0, d), 0);
		CHECK_EQ_INT(iommu_iova_to_phys(d, a[i]), 0);	/* the table is cleared at once */
	}
	/* batched: far fewer invalidations than unmaps (only the 10 ms timer may run) */
	CHECK(model_iommu_nr_invalidations(iommu) < 50);
	iommu_dma_flush_queues(d);
	CHECK_EQ_INT(iommu_dma_fq_nr_queued(d), 0);
	CHECK(model_iommu_nr_invalidations(iommu) >= 1);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

TEST(lazy_full_queue_flushes_by_itself)
{
	struct model_world *w = world(1, MODEL_SHARE_DEVICE, false);
	struct device *dev;
	struct iommu_domain *d;

	REQUIRE(w);
	dev = model_world_device(w, 0);
	d = model_world_domain(w, 0);
	for (int i = 0; i < 3 * IOVA_FQ_SIZE; i++) {
		dma_addr_t a = dma_map_page(dev, PHYS(i + 1), 0, PAGE_SIZE, DMA_TO_DEVICE, 0, d);

		REQUIRE(a != DMA_MAPPING_ERROR);
		CHECK_EQ_INT(dma_unmap_page(dev, a, PAGE_SIZE, DMA_TO_DEVICE, 0, d), 0);
	}
	CHECK(iommu_dma_fq_nr_queued(d) < IOVA_FQ_SIZE);
	CHECK(model_iommu_nr_invalidations(model_world_iommu(w)) >= 2);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

/*
 * The timer fires after 10 ms and marks this CPU; its next call into the
 * flush queue runs the timeout (a softirq on its way out), which empties
 * every queue but the entry that call adds. The timer thread flushes nothing.
 */
TEST(lazy_timer_drains_the_queues_at_the_next_call_on_the_arming_cpu)
{
	struct model_world *w = world(1, MODEL_SHARE_DEVICE, false);
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	struct iommu_dma_fq_timer_stats st;
	struct device *dev;
	struct iommu_domain *d;
	dma_addr_t a;
	int waited = 0;

	REQUIRE(w);
	dev = model_world_device(w, 0);
	d = model_world_domain(w, 0);
	for (int i = 0; i < 5; i++) {
		a = dma_map_page(dev, PHYS(i + 1), 0, PAGE_SIZE, DMA_TO_DEVICE, 0, d);
		REQUIRE(a != DMA_MAPPING_ERROR);
		CHECK_EQ_INT(dma_unmap_page(dev, a, PAGE_SIZE, DMA_TO_DEVICE, 0, d), 0);
	}
	/* wait for the timer to fire (10 ms; allow 5 s): it only marks the CPU */
	do {
		nanosleep(&ts, NULL);
		REQUIRE(iommu_dma_fq_timer_stats(d, &st) == 0);
	} while (!st.fired && waited++ < 1000);
	CHECK(st.fired >= 1);
	CHECK_EQ_INT(st.softirq_runs, 0);
	CHECK_EQ_INT(iommu_dma_fq_timer_stats(NULL, &st), -EINVAL);
	CHECK_EQ_INT(iommu_dma_fq_nr_queued(d), 5);	/* nothing flushed by the timer thread */
	/* the next call on this CPU runs the timeout, then queues its own entry */
	a = dma_map_page(dev, PHYS(9), 0, PAGE_SIZE, DMA_TO_DEVICE, 0, d);
	REQUIRE(a != DMA_MAPPING_ERROR);
	CHECK_EQ_INT(dma_unmap_page(dev, a, PAGE_SIZE, DMA_TO_DEVICE, 0, d), 0);
	REQUIRE(iommu_dma_fq_timer_stats(d, &st) == 0);
	CHECK_EQ_INT(st.softirq_runs, 1);
	CHECK_EQ_INT(st.timer_thread_flushes, 0);
	CHECK_EQ_INT(iommu_dma_fq_nr_queued(d), 1);
	CHECK(model_iommu_nr_invalidations(model_world_iommu(w)) >= 1);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

/* Workers map and unmap lazily while the timer fires: only they ever flush. */
struct timer_worker {
	pthread_t thread;
	struct model_world *w;
	int id, stop, errors;
	long calls;
};

static void *timer_worker_fn(void *arg)
{
	struct timer_worker *k = arg;
	struct device *dev = model_world_device(k->w, k->id);
	struct iommu_domain *d = model_world_domain(k->w, k->id);
	struct timespec ts = { 0, 200 * 1000 };

	model_set_this_cpu(k->id);
	while (!__atomic_load_n(&k->stop, __ATOMIC_ACQUIRE)) {
		dma_addr_t a = dma_map_page(dev, PHYS(k->id + 1), 0, PAGE_SIZE, DMA_TO_DEVICE, 0, d);

		if (a == DMA_MAPPING_ERROR || dma_unmap_page(dev, a, PAGE_SIZE, DMA_TO_DEVICE, 0, d))
			k->errors++;
		k->calls++;
		nanosleep(&ts, NULL);	/* few entries: the timer, not a full queue, flushes */
	}
	return NULL;
}

TEST(lazy_timer_thread_never_flushes_while_workers_run)
{
	struct model_world *w = world(2, MODEL_SHARE_DEVICE, false);
	struct iommu_dma_fq_timer_stats st = { 0 };
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct timer_worker k[2];
	struct iommu_domain *d;
	int waited = 0;

	REQUIRE(w);
	d = model_world_domain(w, 0);
	for (int i = 0; i < 2; i++) {
		k[i] = (struct timer_worker){ .w = w, .id = i };
		REQUIRE(pthread_create(&k[i].thread, NULL, timer_worker_fn, &k[i]) == 0);
	}
	/* until a fired timeout has been run by a worker twice (allow 5 s) */
	do {
		nanosleep(&ts, NULL);
		REQUIRE(iommu_dma_fq_timer_stats(d, &st) == 0);
	} while (st.softirq_runs < 2 && waited++ < 500);
	for (int i = 0; i < 2; i++) {
		__atomic_store_n(&k[i].stop, 1, __ATOMIC_RELEASE);
		pthread_join(k[i].thread, NULL);
		CHECK_EQ_INT(k[i].errors, 0);
	}
	REQUIRE(iommu_dma_fq_timer_stats(d, &st) == 0);
	printf("# timer fired %lu times, run by workers %lu times, %ld + %ld calls\n",
	       st.fired, st.softirq_runs, k[0].calls, k[1].calls);
	CHECK(st.fired >= 2);
	CHECK(st.softirq_runs >= 2);
	CHECK(st.softirq_runs <= st.fired);
	CHECK_EQ_INT(st.timer_thread_flushes, 0);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

TEST(map_sg_round_trip_keeps_offsets_and_restores_the_list)
{
	for (int strict = 0; strict < 2; strict++) {
		struct model_world *w = world(1, MODEL_SHARE_DEVICE, strict);
		struct scatterlist sg[4] = {
			{ .page_phys = PHYS(1), .offset = 0x100, .length = 0x200 },
			{ .page_phys = PHYS(9), .offset = 0, .length = 3 * PAGE_SIZE },
			{ .page_phys = PHYS(3), .offset = 0xff0, .length = 0x20 },
			{ .page_phys = PHYS(30), .offset = 0x800, .length = PAGE_SIZE },
		};
		struct device *dev;
		struct iommu_domain *d;
		dma_addr_t next = 0;

		REQUIRE(w);
		dev = model_world_device(w, 0);
		d = model_world_domain(w, 0);
		CHECK_EQ_INT(dma_map_sg(dev, sg, 4, DMA_BIDIRECTIONAL, 0, d), 4);
		for (int i = 0; i < 4; i++) {
			dma_addr_t a = sg_dma_address(&sg[i]);

			CHECK_EQ_INT(sg_dma_len(&sg[i]), sg[i].length);
			CHECK_EQ_INT(a & (PAGE_SIZE - 1), sg[i].offset & (PAGE_SIZE - 1));
			CHECK_EQ_INT(iommu_iova_to_phys(d, a), sg_phys(&sg[i]));
			CHECK_EQ_INT(iommu_iova_to_phys(d, a + sg[i].length - 1),
				     sg_phys(&sg[i]) + sg[i].length - 1);
			/* one IOVA range, each segment in the next granule-aligned slot */
			if (i)
				CHECK_EQ_INT(a & ~(PAGE_SIZE - 1), next);
			next = (a + sg[i].length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		}
		/* the list itself is as given */
		CHECK_EQ_INT(sg[0].offset, 0x100);
		CHECK_EQ_INT(sg[0].length, 0x200);
		CHECK_EQ_INT(sg[2].offset, 0xff0);
		CHECK_EQ_INT(sg[3].length, PAGE_SIZE);
		/* 1 + 3 + 2 + 2 pages: segments 2 and 3 cross a page boundary */
		CHECK_EQ_INT(io_pgtable_nr_leaves(d->pgtbl), 8);

		CHECK_EQ_INT(dma_unmap_sg(dev, sg, 4, DMA_BIDIRECTIONAL, 0, d), 0);
		for (int i = 0; i < 4; i++)
			CHECK_EQ_INT(iommu_iova_to_phys(d, sg_dma_address(&sg[i])), 0);
		CHECK_EQ_INT(check(w), 0);
		model_world_destroy(w);
	}
}

TEST(bad_input_gets_an_error)
{
	struct model_world *w = world(1, MODEL_SHARE_DEVICE, true);
	struct scatterlist sg[2] = {
		{ .page_phys = PHYS(1), .offset = 0, .length = 0x100 },
		{ .page_phys = PHYS(2), .offset = 0, .length = 0x100 },
	};
	struct device lone = { .dma_mask = ~0ULL, .dma_lookup = &test_lookup };
	struct iommu_group empty = { 0 };
	struct device *dev;
	struct iommu_domain *d;
	dma_addr_t a;

	REQUIRE(w);
	dev = model_world_device(w, 0);
	d = model_world_domain(w, 0);

	CHECK(dma_map_page(NULL, PHYS(1), 0, 8, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	CHECK(dma_map_page(dev, PHYS(1), 0, 0, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	CHECK(dma_map_page(dev, PHYS(1), 0, 8, DMA_NONE, 0, d) == DMA_MAPPING_ERROR);
	CHECK(dma_map_page(dev, PHYS(1), 0, 8, (enum dma_data_direction)7, 0, d) == DMA_MAPPING_ERROR);
	CHECK(dma_map_page(dev, PHYS(1), 0, ~(size_t)0, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	CHECK(dma_map_page(dev, PHYS(1), 0, 1ULL << 48, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	CHECK(dma_map_page(dev, 1ULL << 50, 0, 8, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	/* a device without a group, and a group without a domain */
	CHECK(dma_map_page(&lone, PHYS(1), 0, 8, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	lone.iommu_group = &empty;
	CHECK(dma_map_page(&lone, PHYS(1), 0, 8, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	CHECK_EQ_INT(dma_map_sg(&lone, sg, 2, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_unmap_page(&lone, 0x1000, 8, DMA_TO_DEVICE, 0, d), -ENODEV);

	CHECK_EQ_INT(dma_unmap_page(NULL, 0x1000, 8, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_unmap_page(dev, 0x1000, 0, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_unmap_page(dev, DMA_MAPPING_ERROR, 8, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_unmap_page(dev, 0x1000, 8, DMA_TO_DEVICE, 0, d), -EINVAL);	/* never mapped */

	CHECK_EQ_INT(dma_map_sg(NULL, sg, 2, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_map_sg(dev, NULL, 2, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_map_sg(dev, sg, 0, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_map_sg(dev, sg, -1, DMA_TO_DEVICE, 0, d), -EINVAL);
	sg[1].length = 0;
	CHECK_EQ_INT(dma_map_sg(dev, sg, 2, DMA_TO_DEVICE, 0, d), -EINVAL);
	sg[1].length = 0x100;
	sg[1].offset = PAGE_SIZE;			/* unaligned scatterlist */
	CHECK_EQ_INT(dma_map_sg(dev, sg, 2, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(sg[1].offset, PAGE_SIZE);		/* left as given */
	sg[1].offset = 0;
	CHECK_EQ_INT(dma_unmap_sg(dev, NULL, 2, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_unmap_sg(dev, sg, 0, DMA_TO_DEVICE, 0, d), -EINVAL);

	/* after all that, the model still works and nothing leaked */
	a = dma_map_page(dev, PHYS(1), 0, 8, DMA_TO_DEVICE, 0, d);
	CHECK(a != DMA_MAPPING_ERROR);
	CHECK_EQ_INT(dma_unmap_page(dev, a, 8, DMA_TO_DEVICE, 0, d), 0);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

TEST(every_get_has_a_put_even_on_failure)
{
	struct model_world *w = world(1, MODEL_SHARE_DEVICE, true);
	struct scatterlist sg = { .page_phys = PHYS(1), .offset = 0, .length = 0x100 };
	struct device *dev;
	struct iommu_domain *d;
	dma_addr_t a;

	REQUIRE(w);
	dev = model_world_device(w, 0);
	d = model_world_domain(w, 0);
	nr_gets = nr_puts = 0;
	a = dma_map_page(dev, PHYS(1), 0, 8, DMA_TO_DEVICE, 0, d);
	CHECK(dma_map_page(dev, PHYS(1), 0, 1ULL << 48, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	CHECK_EQ_INT(dma_unmap_page(dev, a, 8, DMA_TO_DEVICE, 0, d), 0);
	CHECK_EQ_INT(dma_unmap_page(dev, a, 8, DMA_TO_DEVICE, 0, d), -EINVAL);
	CHECK_EQ_INT(dma_map_sg(dev, &sg, 1, DMA_TO_DEVICE, 0, d), 1);
	CHECK_EQ_INT(dma_unmap_sg(dev, &sg, 1, DMA_TO_DEVICE, 0, d), 0);
	/*
	 * v6.1's lookups: a map looks up twice (the failing one too: the size is
	 * refused after both), an unmap twice (once if iova_to_phys finds the
	 * address unmapped), map_sg and unmap_sg once each: 2+2+2+1+1+1.
	 */
	CHECK_EQ_INT(nr_gets, 9);
	CHECK_EQ_INT(nr_puts, 9);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

TEST(exhausted_iova_space_fails_cleanly)
{
	struct model_world *w = world(1, MODEL_SHARE_DEVICE, true);
	struct device *dev;
	struct iommu_domain *d;
	dma_addr_t a[3];

	REQUIRE(w);
	dev = model_world_device(w, 0);
	d = model_world_domain(w, 0);
	dev->dma_mask = DMA_BIT_MASK(14);		/* pfns 1..3 */
	for (int i = 0; i < 3; i++) {
		a[i] = dma_map_page(dev, PHYS(i + 1), 0, PAGE_SIZE, DMA_TO_DEVICE, 0, d);
		CHECK(a[i] != DMA_MAPPING_ERROR && a[i] < (1 << 14));
	}
	CHECK(dma_map_page(dev, PHYS(9), 0, PAGE_SIZE, DMA_TO_DEVICE, 0, d) == DMA_MAPPING_ERROR);
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(dma_unmap_page(dev, a[i], PAGE_SIZE, DMA_TO_DEVICE, 0, d), 0);
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

TEST(allocation_failure_in_the_map_path_leaks_nothing)
{
	for (int strict = 0; strict < 2; strict++) {
		for (long n = 0; n < 8; n++) {
			struct model_world *w = world(1, MODEL_SHARE_DEVICE, strict);
			struct scatterlist sg[2] = {
				{ .page_phys = PHYS(5), .offset = 0, .length = 0x100 },
				{ .page_phys = PHYS(6), .offset = 0, .length = 0x100 },
			};
			struct device *dev;
			struct iommu_domain *d;
			dma_addr_t a;
			int nents;

			REQUIRE(w);
			dev = model_world_device(w, 0);
			d = model_world_domain(w, 0);
			model_fail_alloc_after(n);
			a = dma_map_page(dev, PHYS(1) + (n << 30), 0, 8, DMA_TO_DEVICE, 0, d);
			nents = dma_map_sg(dev, sg, 2, DMA_TO_DEVICE, 0, d);
			model_fail_alloc_after(-1);
			if (a != DMA_MAPPING_ERROR)
				CHECK_EQ_INT(dma_unmap_page(dev, a, 8, DMA_TO_DEVICE, 0, d), 0);
			if (nents > 0)
				CHECK_EQ_INT(dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE, 0, d), 0);
			else
				CHECK_EQ_INT(sg[1].length, 0x100);	/* restored */
			CHECK_EQ_INT(check(w), 0);
			model_world_destroy(w);
		}
	}
}

/* Several threads map and unmap pages and lists; everything must translate and balance. */
struct worker {
	struct model_world *w;
	int id, iters;
	int errors;
	pthread_barrier_t *start;
};

static void *worker_fn(void *arg)
{
	struct worker *k = arg;
	struct device *dev = model_world_device(k->w, k->id);
	struct iommu_domain *d = model_world_domain(k->w, k->id);

	model_set_this_cpu(k->id);
	pthread_barrier_wait(k->start);
	for (int i = 0; i < k->iters; i++) {
		phys_addr_t p = PHYS(((phys_addr_t)k->id << 20) + i + 1);
		dma_addr_t a = dma_map_page(dev, p, i & 0xff, 64 + (i & 3) * PAGE_SIZE,
					    DMA_BIDIRECTIONAL, 0, d);

		if (a == DMA_MAPPING_ERROR || iommu_iova_to_phys(d, a) != p + (i & 0xff)) {
			k->errors++;
			continue;
		}
		if ((i & 7) == 0) {
			struct scatterlist sg[3] = {
				{ .page_phys = p + PAGE_SIZE, .offset = 0x40, .length = 0x1000 },
				{ .page_phys = p + 5 * PAGE_SIZE, .offset = 0, .length = 0x80 },
				{ .page_phys = p + 9 * PAGE_SIZE, .offset = 0x10, .length = 0x2000 },
			};

			if (dma_map_sg(dev, sg, 3, DMA_TO_DEVICE, 0, d) != 3)
				k->errors++;
			else {
				for (int s = 0; s < 3; s++)
					k->errors += iommu_iova_to_phys(d, sg_dma_address(&sg[s])) != sg_phys(&sg[s]);
				k->errors += dma_unmap_sg(dev, sg, 3, DMA_TO_DEVICE, 0, d) != 0;
			}
		}
		k->errors += dma_unmap_page(dev, a, 64 + (i & 3) * PAGE_SIZE,
					    DMA_BIDIRECTIONAL, 0, d) != 0;
	}
	return NULL;
}

static void run_workers(enum model_sharing sharing, bool strict, int iters)
{
	struct model_world *w = world(4, sharing, strict);
	struct worker k[4];
	pthread_t tid[4];
	pthread_barrier_t start;
	unsigned long invalidations;
	unsigned long unmaps;

	REQUIRE(w);
	pthread_barrier_init(&start, NULL, 4);
	for (int i = 0; i < 4; i++) {
		k[i] = (struct worker){ .w = w, .id = i, .iters = iters, .start = &start };
		pthread_create(&tid[i], NULL, worker_fn, &k[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(tid[i], NULL);
		CHECK_EQ_INT(k[i].errors, 0);
	}
	pthread_barrier_destroy(&start);
	unmaps = 4UL * (unsigned long)(iters + (iters + 7) / 8);
	invalidations = model_iommu_nr_invalidations(model_world_iommu(w));
	if (strict)
		CHECK_EQ_INT(invalidations, unmaps);	/* one per unmap, none more */
	else
		CHECK(invalidations < unmaps / 8);	/* batched: one per queue flush */
	CHECK_EQ_INT(check(w), 0);
	model_world_destroy(w);
}

TEST(threads_round_trip_strict_shared_device) { run_workers(MODEL_SHARE_DEVICE, true, 1500); }
TEST(threads_round_trip_lazy_shared_device) { run_workers(MODEL_SHARE_DEVICE, false, 1500); }
TEST(threads_round_trip_strict_group) { run_workers(MODEL_SHARE_GROUP, true, 1000); }
TEST(threads_round_trip_lazy_private) { run_workers(MODEL_SHARE_PRIVATE, false, 1000); }

TEST(cookie_rules)
{
	struct model_iommu *iommu = model_iommu_create(0);
	struct iommu_domain *d = model_iommu_domain_alloc(iommu, IOMMU_DOMAIN_DMA);

	REQUIRE(d);
	CHECK_EQ_INT(iommu_dma_init_domain(d, 0, ~0ULL, NULL), -EINVAL);	/* no cookie */
	CHECK_EQ_INT(iommu_get_dma_cookie(d), 0);
	CHECK_EQ_INT(iommu_get_dma_cookie(d), -EEXIST);
	CHECK_EQ_INT(iommu_dma_init_domain(d, 0, ~0ULL, NULL), 0);
	CHECK_EQ_INT(iommu_dma_iovad(d)->start_pfn, 1);		/* pfn 0 is never handed out */
	CHECK_EQ_INT(iommu_dma_init_domain(d, 0, ~0ULL, NULL), 0);	/* same geometry: fine */
	CHECK_EQ_INT(iommu_dma_init_domain(d, 1 << 20, ~0ULL, NULL), -EFAULT);
	iommu_put_dma_cookie(d);
	CHECK(d->iova_cookie == NULL);
	model_iommu_domain_free(d);
	model_iommu_destroy(iommu);
}
