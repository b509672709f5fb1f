/*
 * tests/test_model.c — the world builder and invariant checker
 * (src/model/model.c): layouts per sharing mode, config validation, kdump
 * worlds whose racing first maps attach each deferred device once, the
 * checker catching each kind of violation, and allocation-failure injection.
 * The lookups are local struct dma_lookup_ops on the model's generic paths,
 * so this does not depend on src/strategy.
 */
#include <pthread.h>
#include "model/alloc.h"
#include "model/crash_dump.h"
#include "model/dma-iommu.h"
#include "model/model.h"
#include "model/dma-lookup.h"
#include "test.h"

static int nr_group_init, nr_group_release, group_init_ret;

static int t_group_check(struct iommu_group *g) { (void)g; return 0; }
static void t_put(struct device *dev, struct iommu_domain *d) { (void)dev; (void)d; }

static int t_group_init(struct iommu_group *g)
{
	(void)g;
	if (group_init_ret)
		return group_init_ret;
	__atomic_fetch_add(&nr_group_init, 1, __ATOMIC_RELAXED);
	return 0;
}

static void t_group_release(struct iommu_group *g)
{
	(void)g;
	__atomic_fetch_add(&nr_group_release, 1, __ATOMIC_RELAXED);
}

/* the cached lookup; the kdump-gated deferred attach when `gated` */
static struct iommu_domain *gated_get(struct device *dev, struct iommu_domain *handed)
{
	struct iommu_domain *d = iommu_get_dma_domain(dev);

	(void)handed;
	if (is_kdump_kernel() && iommu_deferred_attach(dev, d))
		return NULL;
	return d;
}

static struct iommu_domain *cached_get(struct device *dev, struct iommu_domain *handed)
{
	(void)handed;
	return iommu_get_dma_domain(dev);
}

static struct iommu_domain *refcount_get(struct device *dev, struct iommu_domain *handed)
{
	(void)handed;
	return iommu_get_domain_for_dev(dev);
}

/* a broken lookup: takes a group reference and never drops it */
static struct iommu_domain *leaky_get(struct device *dev, struct iommu_domain *handed)
{
	struct iommu_group *group = iommu_group_get(dev);

	(void)handed;
	return group->default_domain;
}

#define TEST_STRATEGY(sym, getter)						\
static const struct dma_lookup_ops sym = {					\
	.lookup = cached_get, .map_get = getter, .unmap_get = cached_get,	\
	.put = t_put, .group_init = t_group_init,				\
	.group_release = t_group_release, .group_check = t_group_check,	\
	DMA_LOOKUP_PATHS(dma_lookup_generic),					\
}

TEST_STRATEGY(gated, gated_get);
TEST_STRATEGY(ungated, cached_get);
TEST_STRATEGY(refcounted, refcount_get);
TEST_STRATEGY(leaky, leaky_get);

static struct model_world *make(int threads, enum model_sharing sharing, bool strict,
				bool kdump, const struct dma_lookup_ops *s)
{
	struct model_world_config cfg = {
		.nr_threads = threads, .sharing = sharing, .strict = strict,
		.kdump = kdump, .inv_ticks = 1, .lookup = s,
	};
	struct model_world *w = NULL;

	model_set_nr_cpu_ids(4);
	model_set_this_cpu(0);
	return model_world_create(&cfg, &w) ? NULL : w;
}

TEST(sharing_modes_lay_out_devices_groups_domains)
{
	struct model_world *w;

	w = make(3, MODEL_SHARE_DEVICE, true, false, &gated);
	REQUIRE(w);
	CHECK_EQ_INT(model_world_nr_devices(w), 1);
	CHECK_EQ_INT(model_world_nr_groups(w), 1);
	CHECK(model_world_device(w, 0) == model_world_device(w, 2));
	CHECK(model_world_domain(w, 0) == model_world_domain(w, 2));
	CHECK_EQ_INT(kref_read(&model_world_group(w, 0)->devices_kobj->kref), 2);
	CHECK(model_world_device(w, 3) == NULL);
	CHECK(model_world_device(w, -1) == NULL);
	CHECK(model_world_domain(w, 0)->type == IOMMU_DOMAIN_DMA);
	model_world_destroy(w);

	w = make(3, MODEL_SHARE_GROUP, false, false, &gated);
	REQUIRE(w);
	CHECK_EQ_INT(model_world_nr_devices(w), 3);
	CHECK_EQ_INT(model_world_nr_groups(w), 1);
	CHECK(model_world_device(w, 0) != model_world_device(w, 2));
	CHECK(model_world_group(w, 0) == model_world_group(w, 2));
	CHECK(model_world_domain(w, 0) == model_world_domain(w, 2));
	CHECK_EQ_INT(kref_read(&model_world_group(w, 0)->devices_kobj->kref), 4);
	CHECK(model_world_domain(w, 1)->type == IOMMU_DOMAIN_DMA_FQ);
	model_world_destroy(w);

	w = make(3, MODEL_SHARE_PRIVATE, true, false, &gated);
	REQUIRE(w);
	CHECK_EQ_INT(model_world_nr_devices(w), 3);
	CHECK_EQ_INT(model_world_nr_groups(w), 3);
	CHECK(model_world_group(w, 0) != model_world_group(w, 2));
	CHECK(model_world_domain(w, 0) != model_world_domain(w, 2));
	for (int t = 0; t < 3; t++) {
		struct device *dev = model_world_device(w, t);

		CHECK(dev->dma_lookup == &gated);
		CHECK(dev->iommu_group->default_domain == model_world_domain(w, t));
		CHECK(dev->iommu_group->domain == model_world_domain(w, t));
		CHECK_EQ_INT(dev->model_attach_count, 1);	/* normal mode: attached at creation */
		CHECK(!dev->iommu->attach_deferred);
	}
	CHECK_EQ_INT(model_world_check(w, NULL), 0);
	model_world_destroy(w);
}

TEST(bad_config_refused)
{
	struct model_world_config cfg = {
		.nr_threads = 1, .sharing = MODEL_SHARE_DEVICE, .strict = true, .lookup = &gated,
	};
	struct dma_lookup_ops broken = gated;
	struct model_world *w = (struct model_world *)&cfg;

	CHECK_EQ_INT(model_world_create(&cfg, NULL), -EINVAL);
	CHECK_EQ_INT(model_world_create(NULL, &w), -EINVAL);
	CHECK(w == NULL);
	cfg.nr_threads = 0;
	CHECK_EQ_INT(model_world_create(&cfg, &w), -EINVAL);
	cfg.nr_threads = MODEL_MAX_THREADS + 1;
	CHECK_EQ_INT(model_world_create(&cfg, &w), -EINVAL);
	cfg.nr_threads = 1;
	cfg.sharing = (enum model_sharing)9;
	CHECK_EQ_INT(model_world_create(&cfg, &w), -EINVAL);
	cfg.sharing = MODEL_SHARE_GROUP;
	cfg.lookup = NULL;
	CHECK_EQ_INT(model_world_create(&cfg, &w), -EINVAL);
	broken.put = NULL;
	cfg.lookup = &broken;
	CHECK_EQ_INT(model_world_create(&cfg, &w), -EINVAL);
	CHECK(w == NULL);
	model_world_destroy(NULL);
	CHECK_EQ_INT(model_world_check(NULL, NULL), -EINVAL);
}

TEST(group_hooks_run_once_per_group_and_a_failing_init_unwinds)
{
	struct model_world *w;
	bool was = is_kdump_kernel();

	nr_group_init = nr_group_release = 0;
	w = make(3, MODEL_SHARE_PRIVATE, true, false, &gated);
	REQUIRE(w);
	CHECK_EQ_INT(nr_group_init, 3);
	model_world_destroy(w);
	CHECK_EQ_INT(nr_group_release, 3);

	group_init_ret = -ENOSPC;
	{
		struct model_world_config cfg = {
			.nr_threads = 2, .sharing = MODEL_SHARE_PRIVATE, .kdump = !was,
			.lookup = &gated,
		};
		struct model_world *bad = NULL;

		CHECK_EQ_INT(model_world_create(&cfg, &bad), -ENOSPC);
		CHECK(bad == NULL);
		CHECK(is_kdump_kernel() == was);	/* restored on failure too */
	}
	group_init_ret = 0;
}

TEST(checker_catches_each_violation)
{
	struct model_world *w = make(2, MODEL_SHARE_GROUP, false, false, &gated);
	struct model_check c;
	struct iommu_group *group;
	struct iommu_domain *d;
	struct device *dev;
	dma_addr_t a;

	REQUIRE(w);
	group = model_world_group(w, 0);
	d = model_world_domain(w, 0);
	dev = model_world_device(w, 1);
	CHECK_EQ_INT(model_world_check(w, &c), 0);
	CHECK_STR(c.what, "");

	kobject_get(group->devices_kobj);
	CHECK_EQ_INT(model_world_check(w, &c), -EINVAL);
	CHECK_EQ_INT(c.refcount_bad_groups, 1);
	CHECK_EQ_INT(c.refcount_delta, 1);
	CHECK(c.what[0] != 0);
	kobject_put(group->devices_kobj);
	CHECK_EQ_INT(model_world_check(w, &c), 0);

	a = dma_map_page(dev, 0x5000, 0, 100, DMA_TO_DEVICE, 0, d);
	REQUIRE(a != DMA_MAPPING_ERROR);
	CHECK_EQ_INT(model_world_check(w, &c), -EINVAL);
	CHECK_EQ_INT(c.pages_mapped, 1);
	CHECK_EQ_INT(c.iova_leaked, 1);
	CHECK_EQ_INT(dma_unmap_page(dev, a, 100, DMA_TO_DEVICE, 0, d), 0);
	CHECK_EQ_INT(model_world_check(w, &c), 0);	/* the final flush emptied the queue */
	CHECK_EQ_INT(c.fq_queued, 0);

	dev->model_attach_count = 2;
	CHECK_EQ_INT(model_world_check(w, &c), -EINVAL);
	CHECK_EQ_INT(c.attached_twice, 1);
	dev->model_attach_count = 1;

	dev->iommu->attach_deferred = 1;		/* flag and priv disagree */
	CHECK_EQ_INT(model_world_check(w, &c), -EINVAL);
	CHECK_EQ_INT(c.attach_inconsistent, 1);
	dev->iommu->attach_deferred = 0;

	d->magic = DOMAIN_POISON;
	CHECK_EQ_INT(model_world_check(w, &c), -EINVAL);
	CHECK_EQ_INT(c.domains_poisoned, 1);
	d->magic = DOMAIN_MAGIC;
	CHECK_EQ_INT(model_world_check(w, &c), 0);
	model_world_destroy(w);
}

/* kdump: threads race through their first maps; each deferred device attaches once */
struct mapper {
	struct model_world *w;
	int id, iters, errors;
	pthread_barrier_t *start;
};

static void *mapper_fn(void *arg)
{
	struct mapper *m = arg;
	struct device *dev = model_world_device(m->w, m->id);
	struct iommu_domain *d = model_world_domain(m->w, m->id);

	model_set_this_cpu(m->id);
	pthread_barrier_wait(m->start);
	for (int i = 0; i < m->iters; i++) {
		phys_addr_t p = 0x100000000ULL + ((phys_addr_t)(m->id * m->iters + i) << PAGE_SHIFT);
		dma_addr_t a = dma_map_page(dev, p, 0, 512, DMA_FROM_DEVICE, 0, d);

		if (a == DMA_MAPPING_ERROR || iommu_iova_to_phys(d, a) != p) {
			m->errors++;
			continue;
		}
		m->errors += dma_unmap_page(dev, a, 512, DMA_FROM_DEVICE, 0, d) != 0;
	}
	return NULL;
}

static void run(struct model_world *w, int threads, int iters)
{
	struct mapper m[4];
	pthread_t tid[4];
	pthread_barrier_t start;

	pthread_barrier_init(&start, NULL, threads);
	for (int i = 0; i < threads; i++) {
		m[i] = (struct mapper){ .w = w, .id = i, .iters = iters, .start = &start };
		pthread_create(&tid[i], NULL, mapper_fn, &m[i]);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		CHECK_EQ_INT(m[i].errors, 0);
	}
	pthread_barrier_destroy(&start);
}

TEST(kdump_world_starts_deferred_and_restores_the_switch)
{
	bool was = model_set_kdump(false);
	struct model_world *w = make(2, MODEL_SHARE_GROUP, true, true, &gated);
	struct model_check c;

	REQUIRE(w);
	CHECK(is_kdump_kernel());
	for (int t = 0; t < 2; t++) {
		struct device *dev = model_world_device(w, t);

		CHECK(dev->iommu->attach_deferred);
		CHECK(dev->iommu->priv == DEFER_DEVICE_DOMAIN_INFO);
		CHECK_EQ_INT(dev->model_attach_count, 0);
	}
	CHECK_EQ_INT(model_world_check(w, &c), 0);	/* nothing mapped yet: fine */
	CHECK_EQ_INT(c.nr_deferred, 2);
	model_world_destroy(w);
	CHECK(!is_kdump_kernel());
	model_set_kdump(was);
}

TEST(kdump_racing_first_maps_attach_each_device_once)
{
	static const enum model_sharing modes[] = {
		MODEL_SHARE_DEVICE, MODEL_SHARE_GROUP, MODEL_SHARE_PRIVATE,
	};

	for (int round = 0; round < 8; round++) {
		enum model_sharing mode = modes[round % 3];
		struct model_world *w = make(4, mode, round & 1, true, &gated);
		struct model_check c;

		REQUIRE(w);
		run(w, 4, 50);
		CHECK_EQ_INT(model_world_check(w, &c), 0);
		CHECK_EQ_INT(c.nr_deferred, 0);
		CHECK_EQ_INT(c.attached_twice, 0);
		for (int i = 0; i < model_world_nr_devices(w); i++)
			CHECK_EQ_INT(model_world_device(w, i)->model_attach_count, 1);
		model_world_destroy(w);
	}
}

TEST(kdump_without_the_attach_is_caught)
{
	struct model_world *w = make(2, MODEL_SHARE_PRIVATE, true, true, &ungated);
	struct model_check c;

	REQUIRE(w);
	run(w, 2, 10);
	CHECK_EQ_INT(model_world_check(w, &c), -EINVAL);
	CHECK_EQ_INT(c.mapped_unattached, 2);
	CHECK_EQ_INT(c.nr_deferred, 2);
	model_world_destroy(w);
}

TEST(refcounted_lookup_balances_under_threads)
{
	for (int strict = 0; strict < 2; strict++) {
		struct model_world *w = make(4, MODEL_SHARE_DEVICE, strict, false, &refcounted);

		REQUIRE(w);
		run(w, 4, 300);
		CHECK_EQ_INT(model_world_check(w, NULL), 0);
		model_world_destroy(w);
	}
}

TEST(leaky_lookup_is_caught)
{
	struct model_world *w = make(2, MODEL_SHARE_DEVICE, true, false, &leaky);
	struct model_check c;
	struct iommu_group *group;

	REQUIRE(w);
	group = model_world_group(w, 0);
	run(w, 2, 10);
	CHECK_EQ_INT(model_world_check(w, &c), -EINVAL);
	CHECK_EQ_INT(c.refcount_bad_groups, 1);
	CHECK_EQ_INT(c.refcount_delta, 20);
	for (int i = 0; i < 20; i++)
		iommu_group_put(group);		/* balance it so teardown is clean */
	model_world_destroy(w);
}

TEST(allocation_failure_anywhere_in_create_leaks_nothing)
{
	static const struct { int threads; enum model_sharing mode; bool strict, kdump; } cases[] = {
		{ 3, MODEL_SHARE_PRIVATE, false, false },
		{ 3, MODEL_SHARE_GROUP, true, true },
		{ 1, MODEL_SHARE_DEVICE, false, true },
	};
	bool was = is_kdump_kernel();

	for (unsigned int k = 0; k < ARRAY_SIZE(cases); k++) {
		struct model_world_config cfg = {
			.nr_threads = cases[k].threads, .sharing = cases[k].mode,
			.strict = cases[k].strict, .kdump = cases[k].kdump, .lookup = &gated,
		};
		int failures = 0, ret = -ENOMEM;
		long n;

		model_set_nr_cpu_ids(4);
		for (n = 0; n < 1000 && ret; n++) {
			struct model_world *w = (struct model_world *)&cfg;

			model_fail_alloc_after(n);
			ret = model_world_create(&cfg, &w);
			model_fail_alloc_after(-1);
			if (ret) {
				failures++;
				CHECK_EQ_INT(ret, -ENOMEM);
				CHECK(w == NULL);
				CHECK(is_kdump_kernel() == was);
			} else {
				CHECK_EQ_INT(model_world_check(w, NULL), 0);
				model_world_destroy(w);
			}
		}
		CHECK_EQ_INT(ret, 0);
		CHECK(failures >= 10);		/* every allocation on the way was refused once */
	}
}
