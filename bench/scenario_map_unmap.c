/* map-unmap: the whole modelled dma_map_page() + dma_unmap_page() of one page. */
#include "scenario.h"

static unsigned long map_unmap_batch(struct scenario_thread *t, unsigned long n)
{
	unsigned long failed = 0;

	for (unsigned long i = 0; i < n; i++) {
		dma_addr_t addr = dma_map_page(t->dev, t->phys, 0, PAGE_SIZE,
					       DMA_BIDIRECTIONAL, 0, t->handed);

		if (unlikely(addr == DMA_MAPPING_ERROR)) {
			failed++;
			continue;
		}
		if (unlikely(dma_unmap_page(t->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL, 0, t->handed)))
			failed++;
	}
	t->strategy->quiescent();
	return failed;
}

const struct scenario scenario_map_unmap = {
	.name = "map-unmap",
	.description = "dma_map_page + dma_unmap_page of one 4 KiB page",
	.maps = true,
	.batch = map_unmap_batch,
};
