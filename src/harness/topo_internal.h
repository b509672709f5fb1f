/*
 * src/harness/topo_internal.h — what topo.c, topo_describe.c and placement.c
 * share behind topo.h: the loaded topology (struct topo) and the allowed PUs
 * with the ranks every placement orders by. Not for other callers: they use
 * topo.h. The same contract as topo.h: filled by topo_open(), read-only
 * until topo_close().
 */
#ifndef DMABENCH_HARNESS_TOPO_INTERNAL_H
#define DMABENCH_HARNESS_TOPO_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <hwloc.h>
#include "harness/topo.h"

/* An allowed PU and its ranks, the keys every placement orders by. */
struct topo_pu {
	struct topo_slot where;		/* flags false */
	int node_rank;			/* among nodes with an allowed PU, by OS index */
	int core_rank;			/* among allowed cores of its node, core order */
	int sib;			/* among allowed PUs of its core */
};

struct topo_node {
	int os;
	hwloc_obj_t obj;
	int rank;			/* -1: no allowed PU */
};

struct topo {
	hwloc_topology_t hw;
	bool this_system;
	struct topo_pu *pus;		/* allowed, hwloc logical order */
	int nr_pus;
	struct topo_node *nodes;	/* every NUMA node, ascending OS index */
	int nr_nodes;
	int nr_node_ranks;		/* nodes with an allowed PU */
	struct topo_counts allowed, total;
	int max_pu_os;
	int pus_per_core;
};

static inline int neg_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

/* The allowed PU with this OS index, NULL if there is none (topo.c). */
const struct topo_pu *topo_find_pu(const struct topo *t, int pu_os);

/*
 * The next item of a cpus: list at *sp (placement.c): "N" or "A-B"
 * (A <= B), followed by ',', '+' or the end. Returns 1 and the range, 0 at
 * the end, -EINVAL on junk. TOPO_ALLOWED is parsed with it too.
 */
int topo_next_range(const char **sp, int *lo, int *hi);

/* printf at buf + *pos, advancing *pos: 0, -ENOSPC (cut short), -EIO */
__attribute__((format(printf, 4, 5)))
static inline int topo_appendf(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*pos >= len)
		return -ENOSPC;
	va_start(ap, fmt);
	w = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (w < 0)
		return -EIO;
	if ((size_t)w >= len - *pos)
		return -ENOSPC;
	*pos += w;
	return 0;
}

#endif
