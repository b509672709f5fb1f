/* The contended-refcount model of costmodel.h: T(N) = N c1 + (1/N) sum_{j<k} rt(j,k). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
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
static double pair_rt_op(const struct c2c_matrix *m, enum c2c_op op, int a, int b)
{
	double rt = c2c_round_trip_op_ns(m, op, a, b);
	int na, nb;

	if (!isnan(rt))
		return rt;
	na = pu_node(m, a);
	nb = pu_node(m, b);
	if (na < 0 || nb < 0)
		return NAN;
	return c2c_node_mean_op_ns(m, op, na, nb);
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
			double rt = pair_rt_op(m, C2C_OP_STORE, pus[j], pus[k]);

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

/* ---- the contention model per class ---- */

const char *costmodel_class_name(enum costmodel_class c)
{
	switch (c) {
	case COSTMODEL_SHARED_WRITE:	return "shared-write";
	case COSTMODEL_READ_MOSTLY:	return "read-mostly";
	case COSTMODEL_PER_CPU:		return "per-cpu";
	default:			return "unknown";
	}
}

static bool finite_nonneg(double v)
{
	return isfinite(v) && v >= 0;
}

int costmodel_mva_multi(const double *d_ns, unsigned int k, double z_ns,
			unsigned int n, double *t_ns)
{
	double q[k ? k : 1], total = z_ns, x = 0, r = 0;

	if (!d_ns || !t_ns || !k || !n || !finite_nonneg(z_ns))
		return -EINVAL;
	for (unsigned int i = 0; i < k; i++) {
		if (!finite_nonneg(d_ns[i]))
			return -EINVAL;
		total += d_ns[i];
		q[i] = 0;
	}
	if (!(total > 0))
		return -EINVAL;
	/* Reiser-Lavenberg: R_i(m) = D_i (1 + Q_i(m-1)), X = m / (Z + sum R_i), Q_i = X R_i */
	for (unsigned int m = 1; m <= n; m++) {
		double rs[k];

		r = 0;
		for (unsigned int i = 0; i < k; i++) {
			rs[i] = d_ns[i] * (1 + q[i]);
			r += rs[i];
		}
		x = m / (z_ns + r);
		for (unsigned int i = 0; i < k; i++)
			q[i] = x * rs[i];
	}
	*t_ns = n / x;
	return 0;
}

int costmodel_mva(double d_ns, double z_ns, unsigned int n, double *t_ns)
{
	return costmodel_mva_multi(&d_ns, 1, z_ns, n, t_ns);
}

double costmodel_stream_handoff(double t_n_ns, unsigned int n, double one_ns, double r)
{
	if (n < 2 || !isfinite(t_n_ns) || !isfinite(one_ns) || !isfinite(r) ||
	    t_n_ns <= 0 || one_ns <= 0 || r <= 0)
		return NAN;
	return fmax(0, t_n_ns / n - one_ns) * r;
}

double costmodel_knee(const double *d_ns, unsigned int k, double z_ns)
{
	double sum = z_ns, max = 0;

	for (unsigned int i = 0; i < k; i++) {
		sum += d_ns[i];
		if (d_ns[i] > max)
			max = d_ns[i];
	}
	return max > 0 ? sum / max : NAN;
}

static void sort3(double *v)
{
	for (int i = 1; i < 3; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
}

int costmodel_predict(const struct costmodel_input *in, struct costmodel_band *out)
{
	double z, r, r_lo, eta, eta_lo, p_move, t[3], d[3][2], line_hold = 0;
	bool line, lock;
	unsigned int k = 0;
	int rc = 0;

	if (!in || !out || !in->n || !isfinite(in->c1_ns) || in->c1_ns <= 0 ||
	    in->cls >= COSTMODEL_NR_CLASSES || !finite_nonneg(in->lock_hold_ns))
		return -EINVAL;
	line = in->cls == COSTMODEL_SHARED_WRITE;
	if (line && (!finite_nonneg(in->visits) || !finite_nonneg(in->hold_ns)))
		return -EINVAL;
	line = line && in->visits > 0;
	lock = in->lock_hold_ns > 0;
	if (line)
		line_hold = in->visits * in->hold_ns;
	if (line_hold + in->lock_hold_ns > in->c1_ns * (1 + 1e-12))
		return -EINVAL;
	if (!line && !lock) {
		out->lo_ns = out->mid_ns = out->hi_ns = in->c1_ns;
		out->knee = NAN;
		return 0;
	}
	if (in->n > 1 && (!finite_nonneg(in->h_mean_ns) || !finite_nonneg(in->h_min_ns) ||
			  in->h_min_ns > in->h_mean_ns * (1 + 1e-12)))
		return -EINVAL;
	if (!isnan(in->run_length) && !(isfinite(in->run_length) && in->run_length > 0))
		return -EINVAL;
	/* eta and run_length_lo: 0 or NAN is "not given" */
	if (isinf(in->eta) || in->eta < 0 || isinf(in->run_length_lo) || in->run_length_lo < 0 ||
	    isinf(in->eta_lo) || in->eta_lo < 0)
		return -EINVAL;
	z = fmax(0, in->c1_ns - line_hold - in->lock_hold_ns);
	p_move = in->n > 1 ? (double)(in->n - 1) / in->n : 0;
	r = isnan(in->run_length) ? (p_move > 0 ? 1 / p_move : INFINITY) : in->run_length;
	r_lo = in->run_length_lo > 0 ? fmax(r, in->run_length_lo) : r;
	eta = in->eta > 0 ? in->eta : 1;
	eta_lo = in->eta_lo > 0 ? fmin(eta, in->eta_lo) : eta;
	/*
	 * the line: lo = the longest runs, the cheapest stream and the cheapest
	 * class; mid = R and the mean at the stream's cost per handoff; hi =
	 * random and a full one-way at the mean
	 */
	if (line) {
		double h = in->n > 1;

		d[0][k] = in->visits * (in->hold_ns + h * eta_lo * in->h_min_ns / r_lo);
		d[1][k] = in->visits * (in->hold_ns + h * eta * in->h_mean_ns / r);
		d[2][k] = in->visits * (in->hold_ns + h * in->h_mean_ns * p_move);
		k++;
	}
	if (lock) {
		d[0][k] = in->lock_hold_ns + (in->n > 1 ? in->h_min_ns * p_move : 0);
		d[1][k] = d[2][k] = in->lock_hold_ns + (in->n > 1 ? in->h_mean_ns * p_move : 0);
		k++;
	}
	for (int i = 0; i < 3 && !rc; i++)
		rc = costmodel_mva_multi(d[i], k, z, in->n, &t[i]);
	if (rc)
		return rc;
	/* a run length below random (strict alternation) puts R's edges above "hi" */
	sort3(t);
	out->lo_ns = t[0];
	out->mid_ns = t[1];
	out->hi_ns = t[2];
	out->knee = costmodel_knee(d[1], k, z);
	return 0;
}

int costmodel_handoffs(const struct c2c_matrix *m, enum c2c_op op, const int *pus,
		       unsigned int n, double *mean_ns, double *min_ns)
{
	double sum = 0, min = INFINITY;
	unsigned long pairs = 0;

	if (!pus || !mean_ns || !min_ns || !n || (n > 1 && !m))
		return -EINVAL;
	for (unsigned int j = 0; j < n; j++)
		for (unsigned int k = j + 1; k < n; k++) {
			double rt;

			if (pus[j] == pus[k])
				return -EINVAL;
			rt = pair_rt_op(m, op, pus[j], pus[k]);
			if (!isfinite(rt))
				return -ENODATA;
			sum += rt / 2;
			min = fmin(min, rt / 2);
			pairs++;
		}
	*mean_ns = pairs ? sum / pairs : 0;
	*min_ns = pairs ? min : 0;
	return 0;
}

int costmodel_usl_implied(const unsigned int *n, const double *t_ns, unsigned int k,
			  double t1_ns, double *alpha, double *beta)
{
	/* y = a x1 + b x2, x1 = N-1, x2 = N(N-1): normal equations */
	double s11 = 0, s12 = 0, s22 = 0, s1y = 0, s2y = 0, det;
	unsigned int pts = 0, first = 0;
	bool one_n = true;

	if (!n || !t_ns || !alpha || !beta || !isfinite(t1_ns) || t1_ns <= 0)
		return -EINVAL;
	for (unsigned int i = 0; i < k; i++) {
		double x1, x2, y;

		if (n[i] < 2 || !isfinite(t_ns[i]))
			continue;
		x1 = n[i] - 1.0;
		x2 = (double)n[i] * (n[i] - 1.0);
		y = t_ns[i] / t1_ns - 1;
		if (!pts)
			first = n[i];
		else if (n[i] != first)
			one_n = false;
		s11 += x1 * x1;
		s12 += x1 * x2;
		s22 += x2 * x2;
		s1y += x1 * y;
		s2y += x2 * y;
		pts++;
	}
	if (!pts)
		return -EINVAL;
	det = s11 * s22 - s12 * s12;
	if (one_n || !(fabs(det) > 1e-12 * s11 * s22)) {
		*alpha = s1y / s11;
		*beta = 0;
		return 0;
	}
	*alpha = (s1y * s22 - s2y * s12) / det;
	*beta = (s11 * s2y - s12 * s1y) / det;
	return 0;
}
