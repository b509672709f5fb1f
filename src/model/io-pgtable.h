/*
 * src/model/io-pgtable.h — the I/O page table the mock IOMMU walks. Follows
 * drivers/iommu/io-pgtable-arm.c (v6.1): 4 levels, 4 KiB granule, 9 bits per
 * level, 48-bit IOVA (ARM_LPAE_S1, 4K granule), 4 KiB leaves only (no
 * blocks). Table pages come from model_zalloc_shared(PAGE_SIZE): every CPU
 * mapping in the domain walks them.
 *
 * A PTE is a 64-bit word: 0 = invalid; a valid last-level entry holds the
 * page's physical address | prot | valid; a valid upper-level entry points
 * to the next table. Model difference: the pointer is the table's user-space
 * address (there is no __pa()); the physical addresses mapped are whatever
 * the caller passes (the model's pages are fake frames, no data moves).
 *
 * Concurrency, as in the kernel: map/unmap/iova_to_phys of *disjoint* IOVA
 * ranges may run on any threads concurrently. A missing table is installed
 * lock-free with compare-and-swap (arm_lpae_install_table); the loser frees
 * its page and uses the winner's. Tables are never freed before
 * free_io_pgtable_ops(). Mapping or unmapping the same range from two
 * threads at once is the caller's bug, as in the kernel (the IOVA allocator
 * guarantees it never happens).
 *
 * Costs: map/unmap/iova_to_phys walk 4 dependent loads; map of a new region
 * may allocate up to 3 table pages.
 */
#ifndef DMABENCH_MODEL_IO_PGTABLE_H
#define DMABENCH_MODEL_IO_PGTABLE_H

#include <stddef.h>
#include "model/iommu.h"

#define IO_PGTABLE_LEVELS		4
#define IO_PGTABLE_BITS_PER_LEVEL	9
#define IO_PGTABLE_IAS			48	/* input (IOVA) address bits */
#define IO_PGTABLE_OAS			48	/* output (physical) address bits */

struct io_pgtable_ops;

/* include/linux/io-pgtable.h: the ops a driver calls through (an indirect call, as there) */
struct io_pgtable_ops {
	/*
	 * Map @pgcount pages of @pgsize (PAGE_SIZE only) from @iova to @paddr,
	 * up to the end of one last-level table; *@mapped += bytes mapped.
	 * 0, -EINVAL (bad size/alignment), -ERANGE (beyond 48 bits), -ENOMEM
	 * (table page), -EEXIST (a leaf in the range is already valid: nothing
	 * in the range is written then).
	 */
	int (*map_pages)(struct io_pgtable_ops *ops, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, size_t *mapped);
	/*
	 * Clear up to @pgcount leaves from @iova, up to the end of one
	 * last-level table, stopping at the first invalid one: returns the
	 * bytes unmapped (0 if the first is not mapped).
	 */
	size_t (*unmap_pages)(struct io_pgtable_ops *ops, unsigned long iova,
			      size_t pgsize, size_t pgcount);
	/* The physical address @iova translates to, or 0 if not mapped. */
	phys_addr_t (*iova_to_phys)(struct io_pgtable_ops *ops, unsigned long iova);
};

/* alloc_io_pgtable_ops(ARM_64_LPAE_S1, ...): NULL on allocation failure */
struct io_pgtable_ops *alloc_io_pgtable_ops(void);
/* free_io_pgtable_ops(): frees every table; no concurrent user */
void free_io_pgtable_ops(struct io_pgtable_ops *ops);

/*
 * Model only, for invariant checks: valid leaves and table pages (the pgd
 * included). A snapshot; exact when nobody maps or unmaps concurrently.
 */
unsigned long io_pgtable_nr_leaves(struct io_pgtable_ops *ops);
unsigned long io_pgtable_nr_tables(struct io_pgtable_ops *ops);

#endif
