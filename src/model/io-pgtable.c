/* drivers/iommu/io-pgtable-arm.c, v6.1: ARM_64_LPAE_S1, 4K granule, 48-bit IAS, 4K leaves only */
#include "model/alloc.h"
#include "model/io-pgtable.h"

typedef uint64_t arm_lpae_iopte;

#define PTES_PER_TABLE		(1UL << IO_PGTABLE_BITS_PER_LEVEL)
#define ARM_LPAE_PTE_VALID	(1ULL << 0)
#define ARM_LPAE_PTE_TYPE_TABLE	(3ULL << 0)	/* upper levels: next table */
#define ARM_LPAE_PTE_TYPE_PAGE	(3ULL << 0)	/* last level: a 4 KiB page */
#define ARM_LPAE_PTE_AP_RDONLY	(1ULL << 7)
#define ARM_LPAE_PTE_XN		(1ULL << 54)
#define ARM_LPAE_PTE_ADDR_MASK	(((1ULL << IO_PGTABLE_OAS) - 1) & ~(PAGE_SIZE - 1))

struct arm_lpae_io_pgtable {
	struct io_pgtable_ops	ops;		/* iop.ops: first, for container_of */
	arm_lpae_iopte		*pgd;
};

#define io_pgtable_ops_to_data(x) container_of(x, struct arm_lpae_io_pgtable, ops)

/* ARM_LPAE_LVL_IDX(): level 0 takes IOVA bits 47..39, level 3 bits 20..12 */
static inline unsigned long lvl_idx(unsigned long iova, int lvl)
{
	int shift = PAGE_SHIFT + (IO_PGTABLE_LEVELS - 1 - lvl) * IO_PGTABLE_BITS_PER_LEVEL;

	return (iova >> shift) & (PTES_PER_TABLE - 1);
}

static inline arm_lpae_iopte *iopte_deref(arm_lpae_iopte pte)
{
	return (arm_lpae_iopte *)(uintptr_t)(pte & ~ARM_LPAE_PTE_TYPE_TABLE);
}

/*
 * A walker reads a table pointer with acquire so that it sees the zeroed
 * page its installer published (the kernel's dma_wmb() + cmpxchg pairing
 * with the walker's address dependency).
 */
static inline arm_lpae_iopte pte_read_table(arm_lpae_iopte *ptep)
{
	return __atomic_load_n(ptep, __ATOMIC_ACQUIRE);
}

/* arm_lpae_prot_to_pte(): stage-1 permissions, simplified */
static arm_lpae_iopte arm_lpae_prot_to_pte(int prot)
{
	arm_lpae_iopte pte = ARM_LPAE_PTE_TYPE_PAGE | ARM_LPAE_PTE_XN;

	if (!(prot & IOMMU_WRITE))
		pte |= ARM_LPAE_PTE_AP_RDONLY;
	return pte;
}

/*
 * arm_lpae_install_table(): publish a freshly zeroed table with a
 * compare-and-swap; returns the PTE that was there (0 if we won).
 */
static arm_lpae_iopte arm_lpae_install_table(arm_lpae_iopte *table, arm_lpae_iopte *ptep)
{
	arm_lpae_iopte curr = 0;
	arm_lpae_iopte new = (arm_lpae_iopte)(uintptr_t)table | ARM_LPAE_PTE_TYPE_TABLE;

	if (__atomic_compare_exchange_n(ptep, &curr, new, false,
					__ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
		return 0;
	return curr;
}

/* The last-level table holding @iova; installs missing levels if @alloc. */
static arm_lpae_iopte *arm_lpae_walk(struct arm_lpae_io_pgtable *data,
				     unsigned long iova, bool alloc, int *err)
{
	arm_lpae_iopte *table = data->pgd;

	for (int lvl = 0; lvl < IO_PGTABLE_LEVELS - 1; lvl++) {
		arm_lpae_iopte *ptep = &table[lvl_idx(iova, lvl)];
		arm_lpae_iopte pte = pte_read_table(ptep);

		if (!pte) {
			arm_lpae_iopte *cptep;

			if (!alloc)
				return NULL;
			cptep = model_zalloc_shared(PAGE_SIZE);
			if (!cptep) {
				*err = -ENOMEM;
				return NULL;
			}
			pte = arm_lpae_install_table(cptep, ptep);
			if (pte)	/* another CPU installed one first: use it */
				model_free_shared(cptep, PAGE_SIZE);
			else
				pte = (arm_lpae_iopte)(uintptr_t)cptep | ARM_LPAE_PTE_TYPE_TABLE;
		}
		table = iopte_deref(pte);
	}
	return table;
}

/* arm_lpae_map_pages() -> __arm_lpae_map() -> arm_lpae_init_pte() */
static int arm_lpae_map_pages(struct io_pgtable_ops *ops, unsigned long iova,
			      phys_addr_t paddr, size_t pgsize, size_t pgcount,
			      int prot, size_t *mapped)
{
	struct arm_lpae_io_pgtable *data = io_pgtable_ops_to_data(ops);
	arm_lpae_iopte *table, pte;
	unsigned long idx;
	size_t i, num_entries;
	int err = 0;

	if (pgsize != PAGE_SIZE || !pgcount || ((iova | paddr) & (PAGE_SIZE - 1)))
		return -EINVAL;
	/* the kernel returns 0 for "no access"; callers never ask, refuse it */
	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if ((iova >> IO_PGTABLE_IAS) || (paddr >> IO_PGTABLE_OAS))
		return -ERANGE;

	table = arm_lpae_walk(data, iova, true, &err);
	if (!table)
		return err;

	idx = lvl_idx(iova, IO_PGTABLE_LEVELS - 1);
	num_entries = PTES_PER_TABLE - idx;
	if (num_entries > pgcount)
		num_entries = pgcount;

	/* arm_lpae_init_pte(): check the whole run first, so a refusal writes nothing */
	for (i = 0; i < num_entries; i++)
		if (__atomic_load_n(&table[idx + i], __ATOMIC_RELAXED))
			return -EEXIST;	/* we require an unmap first */

	pte = arm_lpae_prot_to_pte(prot);
	for (i = 0; i < num_entries; i++)
		__atomic_store_n(&table[idx + i], pte | ((paddr + i * PAGE_SIZE) & ARM_LPAE_PTE_ADDR_MASK),
				 __ATOMIC_RELAXED);

	*mapped += num_entries * PAGE_SIZE;
	return 0;
}

/* arm_lpae_unmap_pages() -> __arm_lpae_unmap(), last level */
static size_t arm_lpae_unmap_pages(struct io_pgtable_ops *ops, unsigned long iova,
				   size_t pgsize, size_t pgcount)
{
	struct arm_lpae_io_pgtable *data = io_pgtable_ops_to_data(ops);
	arm_lpae_iopte *table;
	unsigned long idx;
	size_t i = 0, num_entries;
	int err = 0;

	if (pgsize != PAGE_SIZE || !pgcount || (iova & (PAGE_SIZE - 1)) ||
	    (iova >> IO_PGTABLE_IAS))
		return 0;

	table = arm_lpae_walk(data, iova, false, &err);
	if (!table)
		return 0;

	idx = lvl_idx(iova, IO_PGTABLE_LEVELS - 1);
	num_entries = PTES_PER_TABLE - idx;
	if (num_entries > pgcount)
		num_entries = pgcount;

	while (i < num_entries) {
		arm_lpae_iopte *ptep = &table[idx + i];

		if (!__atomic_load_n(ptep, __ATOMIC_RELAXED))
			break;
		__atomic_store_n(ptep, 0, __ATOMIC_RELAXED);
		i++;
	}
	return i * PAGE_SIZE;
}

/* arm_lpae_iova_to_phys() */
static phys_addr_t arm_lpae_iova_to_phys(struct io_pgtable_ops *ops, unsigned long iova)
{
	struct arm_lpae_io_pgtable *data = io_pgtable_ops_to_data(ops);
	arm_lpae_iopte *table, pte;
	int err = 0;

	if (iova >> IO_PGTABLE_IAS)
		return 0;
	table = arm_lpae_walk(data, iova, false, &err);
	if (!table)
		return 0;
	pte = __atomic_load_n(&table[lvl_idx(iova, IO_PGTABLE_LEVELS - 1)], __ATOMIC_RELAXED);
	if (!(pte & ARM_LPAE_PTE_VALID))
		return 0;
	return (pte & ARM_LPAE_PTE_ADDR_MASK) | (iova & (PAGE_SIZE - 1));
}

static const struct io_pgtable_ops arm_lpae_ops = {
	.map_pages	= arm_lpae_map_pages,
	.unmap_pages	= arm_lpae_unmap_pages,
	.iova_to_phys	= arm_lpae_iova_to_phys,
};

struct io_pgtable_ops *alloc_io_pgtable_ops(void)
{
	struct arm_lpae_io_pgtable *data;

	data = model_zalloc_shared(sizeof(*data));
	if (!data)
		return NULL;
	data->pgd = model_zalloc_shared(PAGE_SIZE);
	if (!data->pgd) {
		model_free_shared(data, sizeof(*data));
		return NULL;
	}
	data->ops = arm_lpae_ops;
	return &data->ops;
}

/* __arm_lpae_free_pgtable() */
static void free_table(arm_lpae_iopte *table, int lvl)
{
	if (lvl < IO_PGTABLE_LEVELS - 1) {
		for (unsigned long i = 0; i < PTES_PER_TABLE; i++)
			if (table[i])
				free_table(iopte_deref(table[i]), lvl + 1);
	}
	model_free_shared(table, PAGE_SIZE);
}

void free_io_pgtable_ops(struct io_pgtable_ops *ops)
{
	struct arm_lpae_io_pgtable *data;

	if (!ops)
		return;
	data = io_pgtable_ops_to_data(ops);
	free_table(data->pgd, 0);
	model_free_shared(data, sizeof(*data));
}

static void count_table(arm_lpae_iopte *table, int lvl,
			unsigned long *leaves, unsigned long *tables)
{
	++*tables;
	for (unsigned long i = 0; i < PTES_PER_TABLE; i++) {
		arm_lpae_iopte pte = __atomic_load_n(&table[i], __ATOMIC_ACQUIRE);

		if (!pte)
			continue;
		if (lvl == IO_PGTABLE_LEVELS - 1)
			++*leaves;
		else
			count_table(iopte_deref(pte), lvl + 1, leaves, tables);
	}
}

unsigned long io_pgtable_nr_leaves(struct io_pgtable_ops *ops)
{
	unsigned long leaves = 0, tables = 0;

	count_table(io_pgtable_ops_to_data(ops)->pgd, 0, &leaves, &tables);
	return leaves;
}

unsigned long io_pgtable_nr_tables(struct io_pgtable_ops *ops)
{
	unsigned long leaves = 0, tables = 0;

	count_table(io_pgtable_ops_to_data(ops)->pgd, 0, &leaves, &tables);
	return tables;
}
