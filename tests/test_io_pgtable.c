/* tests/test_io_pgtable.c — the 4-level I/O page table (src/model/io-pgtable.c) */
#include <pthread.h>
#include "model/alloc.h"
#include "model/io-pgtable.h"
#include "test.h"

#define RW	(IOMMU_READ | IOMMU_WRITE)
#define PG(n)	((unsigned long)(n) << PAGE_SHIFT)

static int map(struct io_pgtable_ops *ops, unsigned long iova, phys_addr_t pa,
	       size_t pages, size_t *mapped)
{
	*mapped = 0;
	return ops->map_pages(ops, iova, pa, PAGE_SIZE, pages, RW, mapped);
}

TEST(map_translates_and_unmap_clears)
{
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops();
	size_t mapped;

	REQUIRE(ops);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(5)), 0);
	CHECK_EQ_INT(map(ops, PG(5), 0xabc000, 3, &mapped), 0);
	CHECK_EQ_INT(mapped, 3 * PAGE_SIZE);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(5)), 0xabc000);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(6) + 0x123), 0xabd123);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(7) + 0xfff), 0xabefff);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(8)), 0);
	CHECK_EQ_INT(io_pgtable_nr_leaves(ops), 3);

	CHECK_EQ_INT(ops->unmap_pages(ops, PG(5), PAGE_SIZE, 3), 3 * PAGE_SIZE);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(5)), 0);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(7)), 0);
	CHECK_EQ_INT(io_pgtable_nr_leaves(ops), 0);
	free_io_pgtable_ops(ops);
}

TEST(high_iova_uses_all_four_levels)
{
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops();
	unsigned long iova = (1UL << 47) | (1UL << 38) | (1UL << 29) | PG(7);
	size_t mapped;

	REQUIRE(ops);
	CHECK_EQ_INT(io_pgtable_nr_tables(ops), 1);
	CHECK_EQ_INT(map(ops, iova, 0x5000, 1, &mapped), 0);
	CHECK_EQ_INT(io_pgtable_nr_tables(ops), 4);
	CHECK_EQ_INT(ops->iova_to_phys(ops, iova), 0x5000);
	/* the same low bits under another top-level index are not mapped */
	CHECK_EQ_INT(ops->iova_to_phys(ops, iova & ~(1UL << 47)), 0);
	CHECK_EQ_INT(ops->unmap_pages(ops, iova, PAGE_SIZE, 1), PAGE_SIZE);
	free_io_pgtable_ops(ops);
}

TEST(overlapping_map_refused_and_writes_nothing)
{
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops();
	size_t mapped;

	REQUIRE(ops);
	CHECK_EQ_INT(map(ops, PG(10), 0x10000, 1, &mapped), 0);
	/* pages 8..11: page 10 is taken, so nothing of 8, 9, 11 may be written */
	CHECK_EQ_INT(map(ops, PG(8), 0x80000, 4, &mapped), -EEXIST);
	CHECK_EQ_INT(mapped, 0);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(8)), 0);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(9)), 0);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(11)), 0);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(10)), 0x10000);
	CHECK_EQ_INT(map(ops, PG(10), 0x20000, 1, &mapped), -EEXIST);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(10)), 0x10000);
	CHECK_EQ_INT(io_pgtable_nr_leaves(ops), 1);
	CHECK_EQ_INT(ops->unmap_pages(ops, PG(10), PAGE_SIZE, 1), PAGE_SIZE);
	free_io_pgtable_ops(ops);
}

TEST(map_stops_at_the_end_of_a_last_level_table)
{
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops();
	size_t mapped;

	REQUIRE(ops);
	/* pages 510..513 straddle two last-level tables: one call maps 2 */
	CHECK_EQ_INT(map(ops, PG(510), 0x100000, 4, &mapped), 0);
	CHECK_EQ_INT(mapped, 2 * PAGE_SIZE);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(512)), 0);
	CHECK_EQ_INT(ops->unmap_pages(ops, PG(510), PAGE_SIZE, 4), 2 * PAGE_SIZE);
	free_io_pgtable_ops(ops);
}

TEST(unmap_stops_at_the_first_hole)
{
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops();
	size_t mapped;

	REQUIRE(ops);
	CHECK_EQ_INT(map(ops, PG(20), 0x1000, 2, &mapped), 0);
	CHECK_EQ_INT(map(ops, PG(23), 0x9000, 1, &mapped), 0);
	CHECK_EQ_INT(ops->unmap_pages(ops, PG(20), PAGE_SIZE, 4), 2 * PAGE_SIZE);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(23)), 0x9000);
	CHECK_EQ_INT(ops->unmap_pages(ops, PG(20), PAGE_SIZE, 1), 0);
	CHECK_EQ_INT(ops->unmap_pages(ops, PG(1UL << 30), PAGE_SIZE, 1), 0);	/* no table there */
	CHECK_EQ_INT(ops->unmap_pages(ops, PG(23), PAGE_SIZE, 1), PAGE_SIZE);
	CHECK_EQ_INT(io_pgtable_nr_leaves(ops), 0);
	free_io_pgtable_ops(ops);
}

TEST(bad_arguments_refused)
{
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops();
	size_t mapped = 0;

	REQUIRE(ops);
	CHECK_EQ_INT(ops->map_pages(ops, 1UL << 48, 0x1000, PAGE_SIZE, 1, RW, &mapped), -ERANGE);
	CHECK_EQ_INT(ops->map_pages(ops, PG(1), 1ULL << 48, PAGE_SIZE, 1, RW, &mapped), -ERANGE);
	CHECK_EQ_INT(ops->map_pages(ops, PG(1) + 1, 0x1000, PAGE_SIZE, 1, RW, &mapped), -EINVAL);
	CHECK_EQ_INT(ops->map_pages(ops, PG(1), 0x1000, 2 * PAGE_SIZE, 1, RW, &mapped), -EINVAL);
	CHECK_EQ_INT(ops->map_pages(ops, PG(1), 0x1000, PAGE_SIZE, 0, RW, &mapped), -EINVAL);
	CHECK_EQ_INT(ops->map_pages(ops, PG(1), 0x1000, PAGE_SIZE, 1, 0, &mapped), -EINVAL);
	CHECK_EQ_INT(mapped, 0);
	CHECK_EQ_INT(ops->iova_to_phys(ops, 1UL << 48), 0);
	CHECK_EQ_INT(io_pgtable_nr_leaves(ops), 0);
	free_io_pgtable_ops(ops);
}

TEST(table_allocation_failure_maps_nothing_and_leaks_nothing)
{
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops();
	size_t mapped = 0;
	long before = model_alloc_failures();

	REQUIRE(ops);
	model_fail_alloc_after(1);	/* level-1 table made, level-2 refused */
	CHECK_EQ_INT(ops->map_pages(ops, PG(3), 0x3000, PAGE_SIZE, 1, RW, &mapped), -ENOMEM);
	model_fail_alloc_after(-1);
	CHECK(model_alloc_failures() > before);
	CHECK_EQ_INT(mapped, 0);
	CHECK_EQ_INT(io_pgtable_nr_leaves(ops), 0);
	/* the half-built path is reused, not leaked (ASan would see a leak) */
	CHECK_EQ_INT(ops->map_pages(ops, PG(3), 0x3000, PAGE_SIZE, 1, RW, &mapped), 0);
	CHECK_EQ_INT(ops->iova_to_phys(ops, PG(3)), 0x3000);
	free_io_pgtable_ops(ops);

	model_fail_alloc_after(0);
	CHECK(alloc_io_pgtable_ops() == NULL);
	model_fail_alloc_after(1);
	CHECK(alloc_io_pgtable_ops() == NULL);
	model_fail_alloc_after(-1);
}

/*
 * Several threads map interleaved pages of one fresh region, so they race to
 * install the same tables: every map must succeed and every page translate.
 */
#define NR_MAPPERS	4
#define PAGES_EACH	768		/* spans two last-level tables per thread */

struct mapper {
	struct io_pgtable_ops *ops;
	int id;
	int failures;
	pthread_barrier_t *start;
};

static void *mapper_fn(void *arg)
{
	struct mapper *m = arg;

	pthread_barrier_wait(m->start);
	for (unsigned long i = 0; i < PAGES_EACH; i++) {
		unsigned long pfn = (1UL << 27) + i * NR_MAPPERS + m->id;
		size_t mapped = 0;

		if (m->ops->map_pages(m->ops, PG(pfn), PG(pfn + 1), PAGE_SIZE, 1, RW, &mapped) ||
		    mapped != PAGE_SIZE)
			m->failures++;
	}
	return NULL;
}

TEST(concurrent_maps_of_disjoint_ranges_all_succeed)
{
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops();
	struct mapper m[NR_MAPPERS];
	pthread_t tid[NR_MAPPERS];
	pthread_barrier_t start;
	int bad = 0;

	REQUIRE(ops);
	pthread_barrier_init(&start, NULL, NR_MAPPERS);
	for (int i = 0; i < NR_MAPPERS; i++) {
		m[i] = (struct mapper){ .ops = ops, .id = i, .start = &start };
		pthread_create(&tid[i], NULL, mapper_fn, &m[i]);
	}
	for (int i = 0; i < NR_MAPPERS; i++) {
		pthread_join(tid[i], NULL);
		CHECK_EQ_INT(m[i].failures, 0);
	}
	pthread_barrier_destroy(&start);

	CHECK_EQ_INT(io_pgtable_nr_leaves(ops), NR_MAPPERS * PAGES_EACH);
	/* one path down: pgd + 1 + 1 + 6 last-level tables, no duplicate installed */
	CHECK_EQ_INT(io_pgtable_nr_tables(ops), 3 + NR_MAPPERS * PAGES_EACH / 512);
	for (unsigned long pfn = 1UL << 27; pfn < (1UL << 27) + NR_MAPPERS * PAGES_EACH; pfn++)
		bad += ops->iova_to_phys(ops, PG(pfn)) != PG(pfn + 1);
	CHECK_EQ_INT(bad, 0);
	free_io_pgtable_ops(ops);
}
