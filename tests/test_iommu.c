/*
 * tests/test_iommu.c — the IOMMU core (src/model/iommu.c: kobject refcount,
 * group get/put, the two lookups, attach, iommu_map/unmap/map_sg), the mock
 * driver (model-iommu.c) and is_kdump_kernel() (crash_dump.c).
 */
#include <pthread.h>
#include "model/alloc.h"
#include "model/crash_dump.h"
#include "model/io-pgtable.h"
#include "model/model-iommu.h"
#include "test.h"

#define RW	(IOMMU_READ | IOMMU_WRITE)

/* A hand-built group with one domain and @n devices (model.c does this for real runs). */
struct fixture {
	struct model_iommu *iommu;
	struct iommu_domain *domain;
	struct iommu_group group;
	struct kobject devices_kobj;
	struct device dev[4];
	struct device *devs[4];
};

static void fixture_init(struct fixture *f, int n, bool defer)
{
	memset(f, 0, sizeof(*f));
	f->iommu = model_iommu_create(3);
	f->domain = model_iommu_domain_alloc(f->iommu, IOMMU_DOMAIN_DMA);
	kobject_init(&f->group.kobj, NULL);
	kobject_init(&f->devices_kobj, NULL);
	f->group.devices_kobj = &f->devices_kobj;
	pthread_mutex_init(&f->group.mutex, NULL);
	f->group.default_domain = f->group.domain = f->domain;
	f->group.model_devices = f->devs;
	for (int i = 0; i < n; i++) {
		f->dev[i].model_id = i;
		f->dev[i].iommu_group = &f->group;
		model_iommu_probe_device(&f->dev[i], defer);
		f->devs[f->group.model_nr_devices++] = &f->dev[i];
		kobject_get(&f->devices_kobj);
	}
}

static void fixture_fini(struct fixture *f)
{
	for (int i = 0; i < f->group.model_nr_devices; i++)
		model_iommu_release_device(f->devs[i]);
	pthread_mutex_destroy(&f->group.mutex);
	model_iommu_domain_free(f->domain);
	model_iommu_destroy(f->iommu);
}

static int released;
static void count_release(struct kobject *kobj) { (void)kobj; released++; }

TEST(kobject_refcount_and_release_at_zero)
{
	static const struct kobj_type ktype = { .release = count_release };
	struct kobject k = { 0 };

	released = 0;
	kobject_init(&k, &ktype);
	CHECK_EQ_INT(kref_read(&k.kref), 1);
	CHECK(kobject_get(&k) == &k);
	CHECK_EQ_INT(kref_read(&k.kref), 2);
	kobject_put(&k);
	CHECK_EQ_INT(released, 0);
	kobject_put(&k);
	CHECK_EQ_INT(released, 1);
	CHECK(kobject_get(NULL) == NULL);
	kobject_put(NULL);
}

TEST(get_domain_for_dev_takes_and_drops_the_group_refcount)
{
	struct fixture f;
	struct device lone = { 0 };
	int start;

	fixture_init(&f, 1, false);
	start = kref_read(&f.devices_kobj.kref);
	CHECK_EQ_INT(start, 2);		/* the group's own + one per device */
	CHECK(iommu_group_get(&f.dev[0]) == &f.group);
	CHECK_EQ_INT(kref_read(&f.devices_kobj.kref), start + 1);
	iommu_group_put(&f.group);
	CHECK_EQ_INT(kref_read(&f.devices_kobj.kref), start);

	CHECK(iommu_get_domain_for_dev(&f.dev[0]) == f.domain);
	CHECK_EQ_INT(kref_read(&f.devices_kobj.kref), start);
	CHECK(iommu_get_dma_domain(&f.dev[0]) == f.domain);

	/* group->domain, not the default, is what the refcounted lookup reads */
	f.group.domain = NULL;
	CHECK(iommu_get_domain_for_dev(&f.dev[0]) == NULL);
	CHECK(iommu_get_dma_domain(&f.dev[0]) == f.domain);
	f.group.domain = f.domain;

	CHECK(iommu_group_get(&lone) == NULL);
	CHECK(iommu_get_domain_for_dev(&lone) == NULL);
	iommu_group_put(NULL);
	fixture_fini(&f);
}

struct getter {
	struct device *dev;
	struct iommu_domain *want;
	int wrong;
};

static void *getter_fn(void *arg)
{
	struct getter *g = arg;

	for (int i = 0; i < 20000; i++)
		g->wrong += iommu_get_domain_for_dev(g->dev) != g->want;
	return NULL;
}

TEST(concurrent_refcounted_lookups_balance)
{
	struct fixture f;
	struct getter g[4];
	pthread_t tid[4];
	int start;

	fixture_init(&f, 1, false);
	start = kref_read(&f.devices_kobj.kref);
	for (int i = 0; i < 4; i++) {
		g[i] = (struct getter){ .dev = &f.dev[0], .want = f.domain };
		pthread_create(&tid[i], NULL, getter_fn, &g[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(tid[i], NULL);
		CHECK_EQ_INT(g[i].wrong, 0);
	}
	CHECK_EQ_INT(kref_read(&f.devices_kobj.kref), start);
	fixture_fini(&f);
}

TEST(deferred_device_attaches_once_and_clears_its_flag)
{
	struct fixture f;
	const struct iommu_ops *ops;

	fixture_init(&f, 1, true);
	ops = f.domain->ops;
	CHECK(f.dev[0].iommu->attach_deferred);
	CHECK(ops->is_attach_deferred(f.domain, &f.dev[0]));
	CHECK_EQ_INT(iommu_deferred_attach(&f.dev[0], f.domain), 0);
	CHECK_EQ_INT(f.dev[0].model_attach_count, 1);
	CHECK(!f.dev[0].iommu->attach_deferred);
	CHECK(!ops->is_attach_deferred(f.domain, &f.dev[0]));
	/* a second call finds nothing to do */
	CHECK_EQ_INT(iommu_deferred_attach(&f.dev[0], f.domain), 0);
	CHECK_EQ_INT(f.dev[0].model_attach_count, 1);
	/* an explicit re-attach to the same domain is the same attach */
	CHECK_EQ_INT(iommu_attach_device(f.domain, &f.dev[0]), 0);
	CHECK_EQ_INT(f.dev[0].model_attach_count, 1);
	fixture_fini(&f);
}

TEST(attach_device_in_a_multi_device_group)
{
	struct fixture f;
	int start;

	fixture_init(&f, 3, true);
	start = kref_read(&f.devices_kobj.kref);
	CHECK_EQ_INT(iommu_attach_device(f.domain, &f.dev[1]), 0);
	CHECK_EQ_INT(f.dev[1].model_attach_count, 1);
	CHECK_EQ_INT(f.dev[0].model_attach_count, 0);
	CHECK(f.dev[0].iommu->attach_deferred);
	CHECK_EQ_INT(kref_read(&f.devices_kobj.kref), start);
	CHECK_EQ_INT(iommu_attach_device(NULL, &f.dev[0]), -EINVAL);
	fixture_fini(&f);
}

TEST(attach_without_memory_fails_and_stays_deferred)
{
	struct fixture f;

	fixture_init(&f, 1, true);
	model_fail_alloc_after(0);
	CHECK_EQ_INT(iommu_deferred_attach(&f.dev[0], f.domain), -ENOMEM);
	model_fail_alloc_after(-1);
	CHECK(f.dev[0].iommu->attach_deferred);
	CHECK_EQ_INT(f.dev[0].model_attach_count, 0);
	CHECK_EQ_INT(iommu_deferred_attach(&f.dev[0], f.domain), 0);
	CHECK_EQ_INT(f.dev[0].model_attach_count, 1);
	fixture_fini(&f);
}

struct racer {
	struct fixture *f;
	pthread_barrier_t *start;
	int ret;
};

static void *racer_fn(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->start);
	r->ret = iommu_deferred_attach(&r->f->dev[0], r->f->domain);
	return NULL;
}

TEST(racing_deferred_attaches_attach_once)
{
	for (int round = 0; round < 20; round++) {
		struct fixture f;
		struct racer r[4];
		pthread_t tid[4];
		pthread_barrier_t start;

		fixture_init(&f, 1, true);
		pthread_barrier_init(&start, NULL, 4);
		for (int i = 0; i < 4; i++) {
			r[i] = (struct racer){ .f = &f, .start = &start };
			pthread_create(&tid[i], NULL, racer_fn, &r[i]);
		}
		for (int i = 0; i < 4; i++) {
			pthread_join(tid[i], NULL);
			CHECK_EQ_INT(r[i].ret, 0);
		}
		pthread_barrier_destroy(&start);
		CHECK_EQ_INT(f.dev[0].model_attach_count, 1);
		fixture_fini(&f);
	}
}

TEST(iommu_map_unmap_and_invalidate)
{
	struct fixture f;
	struct iommu_iotlb_gather gather;

	fixture_init(&f, 1, false);
	CHECK_EQ_INT(iommu_map(f.domain, 0x10000, 0x500000, 3 * PAGE_SIZE, RW), 0);
	CHECK_EQ_INT(iommu_iova_to_phys(f.domain, 0x11010), 0x501010);
	CHECK_EQ_INT(iommu_map(f.domain, 0x12000, 0x900000, PAGE_SIZE, RW), -EEXIST);
	CHECK_EQ_INT(iommu_map(f.domain, 0x10001, 0x500000, PAGE_SIZE, RW), -EINVAL);
	CHECK_EQ_INT(iommu_map(f.domain, 0x20000, 0x500000, 0, RW), -EINVAL);

	iommu_iotlb_gather_init(&gather);
	CHECK_EQ_INT(iommu_unmap_fast(f.domain, 0x10000, 3 * PAGE_SIZE, &gather), 3 * PAGE_SIZE);
	CHECK_EQ_INT(gather.start, 0x10000);
	CHECK_EQ_INT(gather.end, 0x12fff);
	CHECK_EQ_INT(model_iommu_nr_invalidations(f.iommu), 0);
	iommu_iotlb_sync(f.domain, &gather);
	CHECK_EQ_INT(model_iommu_nr_invalidations(f.iommu), 1);
	CHECK_EQ_INT(iommu_iova_to_phys(f.domain, 0x10000), 0);

	/* nothing unmapped, nothing to invalidate */
	CHECK_EQ_INT(iommu_unmap_fast(f.domain, 0x10000, PAGE_SIZE, &gather), 0);
	iommu_iotlb_sync(f.domain, &gather);
	CHECK_EQ_INT(model_iommu_nr_invalidations(f.iommu), 1);
	iommu_flush_iotlb_all(f.domain);
	CHECK_EQ_INT(model_iommu_nr_invalidations(f.iommu), 2);
	fixture_fini(&f);
}

TEST(iommu_map_across_tables_and_unroll_on_overlap)
{
	struct fixture f;

	fixture_init(&f, 1, false);
	/* 600 pages cross a last-level table: iommu_map loops over map_pages */
	CHECK_EQ_INT(iommu_map(f.domain, 0x1000000, 0x40000000, 600 * PAGE_SIZE, RW), 0);
	CHECK_EQ_INT(io_pgtable_nr_leaves(f.domain->pgtbl), 600);
	CHECK_EQ_INT(iommu_iova_to_phys(f.domain, 0x1000000 + 599 * PAGE_SIZE),
		     0x40000000 + 599 * PAGE_SIZE);
	/* a map whose tail overlaps: the part it mapped is unrolled */
	CHECK_EQ_INT(iommu_map(f.domain, 0x1000000 - 600 * PAGE_SIZE, 0x80000000,
			       601 * PAGE_SIZE, RW), -EEXIST);
	CHECK_EQ_INT(io_pgtable_nr_leaves(f.domain->pgtbl), 600);
	CHECK_EQ_INT(iommu_unmap(f.domain, 0x1000000, 600 * PAGE_SIZE), 600 * PAGE_SIZE);
	CHECK_EQ_INT(io_pgtable_nr_leaves(f.domain->pgtbl), 0);
	fixture_fini(&f);
}

TEST(iommu_map_sg_merges_contiguous_segments)
{
	struct fixture f;
	struct scatterlist sg[3] = {
		{ .page_phys = 0x200000, .offset = 0, .length = PAGE_SIZE },
		{ .page_phys = 0x201000, .offset = 0, .length = 2 * PAGE_SIZE },
		{ .page_phys = 0x700000, .offset = 0, .length = PAGE_SIZE },
	};

	fixture_init(&f, 1, false);
	CHECK_EQ_INT(iommu_map_sg(f.domain, 0x40000, sg, 3, RW), 4 * PAGE_SIZE);
	CHECK_EQ_INT(iommu_iova_to_phys(f.domain, 0x40000), 0x200000);
	CHECK_EQ_INT(iommu_iova_to_phys(f.domain, 0x42000), 0x202000);
	CHECK_EQ_INT(iommu_iova_to_phys(f.domain, 0x43000), 0x700000);
	/* overlapping the first run: nothing stays mapped from the second call */
	CHECK_EQ_INT(iommu_map_sg(f.domain, 0x3e000, sg, 3, RW), -EEXIST);
	CHECK_EQ_INT(io_pgtable_nr_leaves(f.domain->pgtbl), 4);
	CHECK_EQ_INT(iommu_unmap(f.domain, 0x40000, 4 * PAGE_SIZE), 4 * PAGE_SIZE);
	fixture_fini(&f);
}

TEST(domain_alloc_refuses_bad_type_and_frees_on_failure)
{
	struct model_iommu *iommu = model_iommu_create(0);

	REQUIRE(iommu);
	CHECK(model_iommu_domain_alloc(iommu, 99) == NULL);
	CHECK(model_iommu_domain_alloc(NULL, IOMMU_DOMAIN_DMA) == NULL);
	for (int n = 0; n < 3; n++) {
		model_fail_alloc_after(n);
		CHECK(model_iommu_domain_alloc(iommu, IOMMU_DOMAIN_DMA) == NULL);
		model_fail_alloc_after(-1);
	}
	model_iommu_destroy(iommu);
}

TEST(kdump_switch)
{
	bool was = model_set_kdump(true);

	CHECK(is_kdump_kernel());
	CHECK(model_set_kdump(false));
	CHECK(!is_kdump_kernel());
	CHECK_EQ_INT(elfcorehdr_addr == ELFCORE_ADDR_MAX, 1);
	model_set_kdump(was);
}
