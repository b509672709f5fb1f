/* The contended-refcount model of costmodel.h: T(N) = N c1 + (1/N) sum_{j<k} rt(j,k). */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include "harness/costmodel.h"

static int pu_node(const struct c2c_matrix *m, int os)
{
	for (unsigned int i = 0; i < m->npus; i++)
		if (m->pus[i].os == os)
			return m->pus[i].node;
	return -1;
}

/* A measured pair, or the node-pair mean standing in for a sampled-out one. */
static double pair_rt(const struct c2c_matrix *m, int a, int b)
{
	double rt = c2c_round_trip_ns(m, a, b);
	int na, nb;

	if (!isnan(rt))
		return rt;
	na = pu_node(m, a);
	nb = pu_node(m, b);
	if (na < 0 || nb < 0)
		return NAN;
	return c2c_node_mean_ns(m, na, nb);
}

int costmodel_refcount(const struct c2c_matrix *m, const int *pus,
		       unsigned int n, double uncontended_ns, double *out_ns)
{
	double sum = 0;

	if (!pus || !out_ns || n == 0 || !isfinite(uncontended_ns) ||
	    uncontended_ns <= 0)
		return -EINVAL;
	for (unsigned int j = 0; j < n; j++)
		for (unsigned int k = j + 1; k < n; k++)
			if (pus[j] == pus[k])
				return -EINVAL;
	if (n > 1 && !m)
		return -EINVAL;
	for (unsigned int j = 0; j < n; j++)
		for (unsigned int k = j + 1; k < n; k++) {
			double rt = pair_rt(m, pus[j], pus[k]);

			if (!isfinite(rt))
				return -ENODATA;
			sum += rt;
		}
	*out_ns = n * uncontended_ns + sum / n;
	return 0;
}

double costmodel_refcount_ns(const struct c2c_matrix *m, const int *pus,
			     unsigned int n, double uncontended_ns)
{
	double t;

	return costmodel_refcount(m, pus, n, uncontended_ns, &t) ? NAN : t;
}
