/*
 * src/harness/c2c_internal.h — what c2c.c (measuring) and c2c_io.c (files)
 * share behind c2c.h: the order of PUs and pairs in a matrix, and the slot
 * of a pair that holds one op's figure. Not for other callers.
 */
#ifndef DMABENCH_HARNESS_C2C_INTERNAL_H
#define DMABENCH_HARNESS_C2C_INTERNAL_H

#include "harness/c2c.h"

/* qsort/bsearch orders: PUs by OS index; pairs by (from, to) */
int c2c_cmp_pu(const void *a, const void *b);
int c2c_cmp_pair(const void *a, const void *b);

static inline double *c2c_pair_slot(struct c2c_pair *p, enum c2c_op op)
{
	return op == C2C_OP_RMW ? &p->rmw_round_trip_ns : &p->round_trip_ns;
}

#endif
