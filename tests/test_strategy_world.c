/*
 * Tests for src/strategy/ through the model: every strategy's own
 * dma_map/unmap_page and _sg paths on a model world (strict and lazy, every
 * sharing, kdump mode), and the lookups per DMA call as v6.1 makes them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "strategy_test.h"
#include "model/crash_dump.h"
#include "model/dma-lookup.h"
#include "model/dma-iommu.h"
#include "model/model-iommu.h"
#include "model/model.h"
#include "strategy/jump_label.h"
#include "strategy/strategy.h"

/* ---- through the model: dma_map/unmap_page and _sg on a model world ---- */

#define WORLD_THREADS	4
#define WORLD_ROUNDS	300

struct world_worker {
	pthread_t thread;
	struct model_world *world;
	const struct strategy *s;
	int id;
	long map_failed, unmap_failed, wrong_phys, sg_failed;
	int init_ret;
} ____cacheline_aligned;

static void *world_worker_main(void *arg)
{
	struct world_worker *w = arg;
	struct device *dev = model_world_device(w->world, w->id);
	struct iommu_domain *handed = model_world_domain(w->world, w->id);
	const struct strategy *s = w->s;

	model_set_this_cpu(w->id);
	w->init_ret = s->thread_init();
	if (w->init_ret)
		return NULL;
	for (int r = 0; r < WORLD_ROUNDS; r++) {
		phys_addr_t phys = ((phys_addr_t)(w->id * WORLD_ROUNDS + r + 1)) << PAGE_SHIFT;
		dma_addr_t addr = dma_map_page(dev, phys, 0x10, 64, DMA_BIDIRECTIONAL, 0, handed);

		if (addr == DMA_MAPPING_ERROR) {
			w->map_failed++;
		} else {
			if (iommu_iova_to_phys(handed, addr) != phys + 0x10)
				w->wrong_phys++;
			if (dma_unmap_page(dev, addr, 64, DMA_BIDIRECTIONAL, 0, handed))
				w->unmap_failed++;
		}
		if (r % 8 == 0) {
			struct scatterlist sg[3];

			for (int i = 0; i < 3; i++)
				sg[i] = (struct scatterlist){ .page_phys = phys + ((phys_addr_t)i << 30),
							      .offset = 0, .length = PAGE_SIZE };
			int n = dma_map_sg(dev, sg, 3, DMA_TO_DEVICE, 0, handed);

			if (n != 3)
				w->sg_failed++;
			else if (dma_unmap_sg(dev, sg, 3, DMA_TO_DEVICE, 0, handed))
				w->sg_failed++;
		}
		if (r % 16 == 15)
			s->quiescent();
	}
	s->quiescent();
	s->thread_exit();
	return NULL;
}

static const char *const sharing_names[] = { "device", "group", "private" };

static void run_world(const struct strategy *table_entry, bool kdump, enum model_sharing sharing,
		      bool strict, enum rcu_flavor flavor)
{
	const char *name = table_entry->name;
	const char *mode = kdump ? "kdump" : "normal";
	const char *shr = sharing_names[sharing];
	struct world_worker w[WORLD_THREADS];
	struct model_world *world = NULL;
	struct model_check chk;
	const struct strategy *s;
	int ret;

	REQUIRE(model_set_nr_cpu_ids(WORLD_THREADS) == 0);
	s = setup_or_null(table_entry, kdump, flavor);
	if (!s)
		return;
	struct model_world_config cfg = {
		.nr_threads = WORLD_THREADS, .sharing = sharing, .kdump = kdump,
		.strict = strict, .inv_ticks = 0, .lookup = &s->ops,
	};
	ret = model_world_create(&cfg, &world);
	if (ret) {
		CHECK_MSG(0, "%s/%s/%s: model_world_create = %d", name, mode, shr, ret);
		s->teardown();
		return;
	}
	for (int i = 0; i < WORLD_THREADS; i++) {
		w[i] = (struct world_worker){ .world = world, .s = s, .id = i };
		REQUIRE(pthread_create(&w[i].thread, NULL, world_worker_main, &w[i]) == 0);
	}
	for (int i = 0; i < WORLD_THREADS; i++)
		pthread_join(w[i].thread, NULL);
	for (int i = 0; i < WORLD_THREADS; i++)
		CHECK_MSG(w[i].init_ret == 0 && w[i].map_failed == 0 && w[i].unmap_failed == 0 &&
			  w[i].wrong_phys == 0 && w[i].sg_failed == 0,
			  "%s/%s/%s/%s: thread %d: init %d, map failed %ld, unmap failed %ld, wrong phys %ld, sg failed %ld",
			  name, mode, shr, strict ? "strict" : "lazy", i, w[i].init_ret, w[i].map_failed,
			  w[i].unmap_failed, w[i].wrong_phys, w[i].sg_failed);
	ret = model_world_check(world, &chk);
	CHECK_MSG(ret == 0, "%s/%s/%s: model_world_check: %s", name, mode, shr, chk.what);
	/* kdump: every device went through a first map, so none may still defer */
	CHECK_MSG(chk.nr_deferred == 0, "%s/%s/%s: %d devices still deferred", name, mode, shr,
		  chk.nr_deferred);
	for (int g = 0; g < WORLD_THREADS; g++) {
		struct iommu_group *group = model_world_group(world, g);

		if (group)
			CHECK_MSG(s->ops.group_check(group) == 0, "%s/%s/%s: group_check", name, mode, shr);
	}
	for (int i = 0; i < model_world_nr_devices(world); i++) {
		struct device *dev = model_world_device(world, i);

		if (dev)
			CHECK_MSG(dev->model_attach_count == 1, "%s/%s/%s: dev %d attached %d times",
				  name, mode, shr, i, dev->model_attach_count);
	}
	model_world_destroy(world);
	s->teardown();
	CHECK(!is_kdump_kernel());
}

TEST(world_every_strategy_normal_mode_every_sharing_strict)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		for (int sh = MODEL_SHARE_DEVICE; sh <= MODEL_SHARE_PRIVATE; sh++)
			run_world(strategy_table[i], false, sh, true, RCU_FLAVOR_MEMB);
	for (int sh = MODEL_SHARE_DEVICE; sh <= MODEL_SHARE_PRIVATE; sh++)
		run_world(strategy_find("rcu"), false, sh, true, RCU_FLAVOR_QSBR);
}

TEST(world_gated_strategies_kdump_mode_every_sharing_strict)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		if (strategy_table[i]->flags & STRATEGY_GATED)
			for (int sh = MODEL_SHARE_DEVICE; sh <= MODEL_SHARE_PRIVATE; sh++)
				run_world(strategy_table[i], true, sh, true, RCU_FLAVOR_MEMB);
}

TEST(world_every_strategy_every_sharing_lazy_normal_and_kdump)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		for (int sh = MODEL_SHARE_DEVICE; sh <= MODEL_SHARE_PRIVATE; sh++) {
			run_world(strategy_table[i], false, sh, false, RCU_FLAVOR_QSBR);
			if (strategy_table[i]->flags & STRATEGY_GATED)
				run_world(strategy_table[i], true, sh, false, RCU_FLAVOR_MEMB);
		}
}

/*
 * v6.1's lookups per DMA call, through each strategy's own paths: a refcounted
 * lookup touches the group refcount twice per dma_map_page() and twice per
 * dma_unmap_page() (iommu_dma_map_page + __iommu_dma_map; iommu_dma_unmap_page
 * + __iommu_dma_unmap), once per map_sg and unmap_sg; the posted patch's
 * check (deferred-v2) once per map and once per unmap, once per sg call.
 */
static void count_dma_touches(const struct strategy *table_entry, long touches[4])
{
	const struct strategy *s = setup_or_null(table_entry, false, RCU_FLAVOR_MEMB);
	struct model_world_config cfg = {
		.nr_threads = 1, .sharing = MODEL_SHARE_DEVICE, .strict = true,
	};
	struct scatterlist sg[2];
	struct model_world *w = NULL;
	struct iommu_domain *handed;
	struct device *dev;
	struct kobject *kobj;
	dma_addr_t a;
	long uses;

	if (!s)
		return;
	cfg.lookup = &s->ops;
	REQUIRE(model_set_nr_cpu_ids(1) == 0);
	model_set_this_cpu(0);
	REQUIRE(model_world_create(&cfg, &w) == 0);
	REQUIRE(s->thread_init() == 0);
	dev = model_world_device(w, 0);
	handed = model_world_domain(w, 0);
	kobj = model_world_group(w, 0)->devices_kobj;
	kobj->state_initialized = 0;	/* each get and each put now counts a WARN */

	uses = kobject_uninitialized_uses();
	a = dma_map_page(dev, 1ULL << 32, 0, PAGE_SIZE, DMA_TO_DEVICE, 0, handed);
	touches[0] = kobject_uninitialized_uses() - uses;
	CHECK(a != DMA_MAPPING_ERROR);
	uses = kobject_uninitialized_uses();
	CHECK_EQ_INT(dma_unmap_page(dev, a, PAGE_SIZE, DMA_TO_DEVICE, 0, handed), 0);
	touches[1] = kobject_uninitialized_uses() - uses;
	for (int i = 0; i < 2; i++)
		sg[i] = (struct scatterlist){ .page_phys = (2ULL + i) << 32, .length = PAGE_SIZE };
	uses = kobject_uninitialized_uses();
	CHECK_EQ_INT(dma_map_sg(dev, sg, 2, DMA_TO_DEVICE, 0, handed), 2);
	touches[2] = kobject_uninitialized_uses() - uses;
	uses = kobject_uninitialized_uses();
	CHECK_EQ_INT(dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE, 0, handed), 0);
	touches[3] = kobject_uninitialized_uses() - uses;

	kobj->state_initialized = 1;
	s->quiescent();
	s->thread_exit();
	CHECK_EQ_INT(model_world_check(w, NULL), 0);
	model_world_destroy(w);
	s->teardown();
}

TEST(dma_paths_look_up_twice_per_map_and_unmap_as_v6_1)
{
	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategy_table[i];
		long t[4] = { -1, -1, -1, -1 };
		/* get + put = 2 WARNs per refcounted lookup */
		long per_page = s->class == STRATEGY_CLASS_SHARED_WRITE ? 4 : 0;
		long per_sg = s->class == STRATEGY_CLASS_SHARED_WRITE ? 2 : 0;

		if (!strcmp(s->name, "deferred-v2"))
			per_page = 2;	/* its check once per call, the other lookup cached */
		count_dma_touches(s, t);
		CHECK_MSG(t[0] == per_page && t[1] == per_page && t[2] == per_sg && t[3] == per_sg,
			  "%s: refcount WARNs per map %ld, unmap %ld, map_sg %ld, unmap_sg %ld; expected %ld, %ld, %ld, %ld",
			  s->name, t[0], t[1], t[2], t[3], per_page, per_page, per_sg, per_sg);
	}
}
