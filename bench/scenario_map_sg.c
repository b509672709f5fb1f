/* map-sg: dma_map_sg + dma_unmap_sg of a SCENARIO_SG_NENTS-page scatterlist. */
#include "scenario.h"

static unsigned long map_sg_batch(struct scenario_thread *t, unsigned long n)
{
	unsigned long failed = 0;

	for (unsigned long i = 0; i < n; i++) {
		int mapped = dma_map_sg(t->dev, t->sg, SCENARIO_SG_NENTS,
					DMA_BIDIRECTIONAL, 0, t->handed);

		if (unlikely(mapped <= 0)) {
			failed++;
			continue;
		}
		if (unlikely(dma_unmap_sg(t->dev, t->sg, SCENARIO_SG_NENTS, DMA_BIDIRECTIONAL, 0,
					  t->handed)))
			failed++;
	}
	t->strategy->quiescent();
	return failed;
}

const struct scenario scenario_map_sg = {
	.name = "map-sg",
	.description = "dma_map_sg + dma_unmap_sg of a 4-segment scatterlist, one page each",
	.maps = true,
	.batch = map_sg_batch,
};
