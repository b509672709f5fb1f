/* lookup: the strategy alone (map-side get + put), the purest overhead. */
#include "scenario.h"

static unsigned long lookup_batch(struct scenario_thread *t, unsigned long n)
{
	unsigned long failed = t->strategy->lookup_batch(t->dev, t->handed, n);

	t->strategy->quiescent();
	return failed;
}

const struct scenario scenario_lookup = {
	.name = "lookup",
	.description = "the strategy's map-side domain lookup and deferred-attach check alone",
	.maps = false,
	.batch = lookup_batch,
};
