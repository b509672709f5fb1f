/* Model memory: the failure hook, and no allocation on a warm map/unmap path. */
#include "model/alloc.h"
#include "model/dma-iommu.h"
#include "model/model.h"
#include "strategy/strategy.h"
#include "test.h"

TEST(fail_hook_fails_then_recovers)
{
	void *p;

	model_fail_alloc_after(1);
	p = model_zalloc(64);
	CHECK(p != NULL);
	model_free(p);
	CHECK(model_zalloc(64) == NULL);
	CHECK(model_zalloc_shared(64) == NULL);
	model_fail_alloc_after(-1);
	p = model_zalloc_shared(4096);
	CHECK(p != NULL);
	CHECK(((unsigned long)p & 4095) == 0);
	model_free_shared(p, 4096);
}

/*
 * Once warm (IOVA caches and page-table levels in place), dma_map_page +
 * dma_unmap_page allocate nothing: the measured fast path does not include
 * malloc. One thread, strict and lazy, through the cached strategy.
 */
static void warm_path_allocates_nothing(bool strict)
{
	const struct strategy *s = strategy_find("cached"), *active;
	struct strategy_config scfg = { 0 };
	struct model_world_config cfg = {
		.nr_threads = 1, .sharing = MODEL_SHARE_DEVICE, .strict = strict,
		.inv_ticks = 0,
	};
	struct model_world *w;
	struct device *dev;
	long before;

	REQUIRE(model_set_nr_cpu_ids(2) == 0);
	REQUIRE(strategy_setup(s, &scfg, &active) == 0);
	cfg.lookup = &active->ops;
	REQUIRE(model_world_create(&cfg, &w) == 0);
	dev = model_world_device(w, 0);
	for (int i = 0; i < 20000; i++) {	/* warm: fill the caches and queues */
		dma_addr_t a = dma_map_page(dev, 1UL << 32, 0, PAGE_SIZE, DMA_BIDIRECTIONAL, 0, NULL);

		REQUIRE(a != DMA_MAPPING_ERROR);
		CHECK(dma_unmap_page(dev, a, PAGE_SIZE, DMA_BIDIRECTIONAL, 0, NULL) == 0);
	}
	before = model_alloc_calls();
	for (int i = 0; i < 100000; i++) {
		dma_addr_t a = dma_map_page(dev, 1UL << 32, 0, PAGE_SIZE, DMA_BIDIRECTIONAL, 0, NULL);

		REQUIRE(a != DMA_MAPPING_ERROR);
		CHECK(dma_unmap_page(dev, a, PAGE_SIZE, DMA_BIDIRECTIONAL, 0, NULL) == 0);
	}
	CHECK_EQ_INT(model_alloc_calls() - before, 0);
	CHECK(model_world_check(w, NULL) == 0);
	model_world_destroy(w);
	active->teardown();
}

TEST(warm_map_unmap_allocates_nothing_strict)
{
	warm_path_allocates_nothing(true);
}

TEST(warm_map_unmap_allocates_nothing_lazy)
{
	warm_path_allocates_nothing(false);
}
