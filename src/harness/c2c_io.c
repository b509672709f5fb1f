/*
 * Core-to-core matrices on file: c2c.csv written and read back, and the
 * machine.txt summary lines; see c2c.h. The measuring is c2c.c.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "harness/atomic_file.h"
#include "harness/c2c_internal.h"
#include "harness/csv.h"
#include "harness/stats.h"

/* ---- c2c.csv ---- */

static const char c2c_header[] = "from,to,from_node,to_node,round_trip_ns,op";

static bool op_has_figures(const struct c2c_matrix *m, enum c2c_op op)
{
	for (unsigned int i = 0; i < m->npairs; i++)
		if (!isnan(c2c_pair_ns(&m->pairs[i], op)))
			return true;
	return false;
}

/* The store block always (as before the op column), the rmw block when
 * there is an rmw figure; a matrix with rmw figures only (a profile) has
 * no store block. */
static int write_rows(const struct c2c_matrix *m, FILE *f)
{
	fprintf(f, "%s\n", c2c_header);
	for (int op = 0; op < C2C_NR_OPS; op++) {
		const char *name = c2c_op_name(op);
		unsigned int k = 0;

		if (op == C2C_OP_RMW ? !op_has_figures(m, op) :
		    !op_has_figures(m, op) && op_has_figures(m, C2C_OP_RMW))
			continue;
		for (unsigned int i = 0; i < m->npus; i++) {
			const struct c2c_pu *a = &m->pus[i];

			fprintf(f, "%d,%d,%d,%d,,%s\n", a->os, a->os, a->node, a->node, name);
			for (; k < m->npairs && m->pairs[k].from == a->os; k++) {
				const struct c2c_pair *p = &m->pairs[k];
				double v = c2c_pair_ns(p, op);

				if (!isnan(v))
					fprintf(f, "%d,%d,%d,%d,%.2f,%s\n", p->from, p->to,
						p->from_node, p->to_node, v, name);
			}
		}
	}
	return ferror(f) ? -EIO : 0;
}

int c2c_print_csv(const struct c2c_matrix *m, FILE *f)
{
	if (!m || !f)
		return -EINVAL;
	return write_rows(m, f);
}

int c2c_write_csv(const struct c2c_matrix *m, const char *path)
{
	struct atomic_file af;
	int rc;

	if (!m)
		return -EINVAL;
	rc = atomic_file_open(&af, path);
	if (rc)
		return rc;
	rc = write_rows(m, af.f);
	if (rc) {
		atomic_file_abort(&af);
		return rc;
	}
	return atomic_file_commit(&af, 0);
}

static int add_pu(struct c2c_matrix *m, int os, int node)
{
	for (unsigned int i = 0; i < m->npus; i++)
		if (m->pus[i].os == os)
			return m->pus[i].node == node ? 0 : -EINVAL;
	m->pus[m->npus].os = os;
	m->pus[m->npus++].node = node;
	return 0;
}

static int cell_int(const struct csv_table *t, size_t row, int col, int *out)
{
	long long v;
	int rc = csv_cell_ll(t, row, (size_t)col, &v);

	if (rc)
		return -EINVAL;
	if (v < 0 || v > INT_MAX)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int read_rows(struct c2c_matrix *m, const struct csv_table *t)
{
	size_t rows = csv_rows(t);
	unsigned int k = 0;

	if ((t->ncols != 5 && t->ncols != 6) || strcmp(t->header[0], "from") ||
	    strcmp(t->header[1], "to") ||
	    strcmp(t->header[2], "from_node") || strcmp(t->header[3], "to_node") ||
	    strcmp(t->header[4], "round_trip_ns") ||
	    (t->ncols == 6 && strcmp(t->header[5], "op")) || !rows)
		return -EINVAL;
	/* each row names at most two new PUs and at most one pair */
	m->pus = calloc(2 * rows, sizeof(*m->pus));
	m->pairs = calloc(rows, sizeof(*m->pairs));
	if (!m->pus || !m->pairs)
		return -ENOMEM;
	for (size_t r = 0; r < rows; r++) {
		struct c2c_pair p;
		enum c2c_op op = C2C_OP_STORE;
		double v;
		int rc;

		if (t->ncols == 6 && c2c_op_parse(csv_cell(t, r, 5), &op))
			return -EINVAL;
		if (cell_int(t, r, 0, &p.from) || cell_int(t, r, 1, &p.to) ||
		    cell_int(t, r, 2, &p.from_node) || cell_int(t, r, 3, &p.to_node) ||
		    p.to < p.from)
			return -EINVAL;
		rc = add_pu(m, p.from, p.from_node);
		if (!rc)
			rc = add_pu(m, p.to, p.to_node);
		if (rc)
			return rc;
		rc = csv_cell_double(t, r, 4, &v);
		if (p.from == p.to) {
			if (rc != -ENODATA)
				return -EINVAL;		/* the diagonal has no figure */
			continue;
		}
		if (rc || !isfinite(v) || v <= 0)
			return -EINVAL;
		p.round_trip_ns = p.rmw_round_trip_ns = NAN;
		*c2c_pair_slot(&p, op) = v;
		m->measured[op] = true;
		m->pairs[m->npairs++] = p;
	}
	qsort(m->pus, m->npus, sizeof(*m->pus), c2c_cmp_pu);
	/* a pair has a row per op: merge them, refusing a figure given twice */
	qsort(m->pairs, m->npairs, sizeof(*m->pairs), c2c_cmp_pair);
	for (unsigned int i = 0; i < m->npairs; i++) {
		if (k && !c2c_cmp_pair(&m->pairs[k - 1], &m->pairs[i])) {
			struct c2c_pair *d = &m->pairs[k - 1], *s = &m->pairs[i];

			if (d->from_node != s->from_node || d->to_node != s->to_node)
				return -EINVAL;
			for (int op = 0; op < C2C_NR_OPS; op++) {
				if (isnan(c2c_pair_ns(s, op)))
					continue;
				if (!isnan(c2c_pair_ns(d, op)))
					return -EINVAL;
				*c2c_pair_slot(d, op) = c2c_pair_ns(s, op);
			}
			continue;
		}
		m->pairs[k++] = m->pairs[i];
	}
	m->npairs = k;
	m->total_pairs = (unsigned long)m->npus * (m->npus - 1) / 2;
	m->sampled = m->npairs < m->total_pairs;
	return 0;
}

int c2c_read_csv(struct c2c_matrix *m, const char *path)
{
	struct csv_table t;
	int rc;

	memset(m, 0, sizeof(*m));
	m->home_node = -1;
	if (!path)
		return -EINVAL;
	rc = csv_read_file(path, &t, NULL, 0);
	if (!rc)
		rc = read_rows(m, &t);
	csv_free(&t);
	if (rc)
		c2c_free(m);
	return rc;
}

/* ---- machine.txt ---- */

static void summary_lines(FILE *f, const char *which, const double *v,
			  unsigned int n, const char *why)
{
	static const char *const stat[] = { "min", "median", "max" };
	double q[3];

	if (n && !stats_median(v, n, &q[1])) {
		q[0] = q[2] = v[0];
		for (unsigned int i = 1; i < n; i++) {
			q[0] = fmin(q[0], v[i]);
			q[2] = fmax(q[2], v[i]);
		}
		for (int i = 0; i < 3; i++)
			fprintf(f, "c2c_%s_%s_ns: %.2f\n", which, stat[i], q[i]);
	} else {
		for (int i = 0; i < 3; i++)
			fprintf(f, "c2c_%s_%s_ns: unavailable (%s)\n", which, stat[i], why);
	}
}

/* The same/cross-node lines for one op's figures (prefix "" or "rmw_"). */
static int summary_op(const struct c2c_matrix *m, FILE *f, enum c2c_op op,
		      const char *prefix, unsigned int *measured_out)
{
	double *same, *cross;
	unsigned int ns = 0, nc = 0, nodes = 0, measured = 0;
	bool shared_node = false;
	char which[64];

	same = malloc((m->npairs + 1) * sizeof(*same));
	cross = malloc((m->npairs + 1) * sizeof(*cross));
	if (!same || !cross) {
		free(same);
		free(cross);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < m->npus; i++) {
		bool seen = false;

		for (unsigned int j = 0; j < i; j++)
			if (m->pus[j].node == m->pus[i].node)
				seen = true;
		if (seen)
			shared_node = true;
		else
			nodes++;
	}
	for (unsigned int i = 0; i < m->npairs; i++) {
		const struct c2c_pair *p = &m->pairs[i];
		double v = c2c_pair_ns(p, op);

		if (isnan(v))
			continue;
		measured++;
		if (p->from_node == p->to_node)
			same[ns++] = v;
		else
			cross[nc++] = v;
	}
	if (measured_out) {
		*measured_out = measured;
		free(same);
		free(cross);
		return 0;
	}
	snprintf(which, sizeof(which), "%ssame_node", prefix);
	summary_lines(f, which, same, ns,
		      m->npus < 2 ? "one allowed PU" :
		      !shared_node ? "no two PUs share a NUMA node" :
				     "no same-node pair measured");
	snprintf(which, sizeof(which), "%scross_node", prefix);
	summary_lines(f, which, cross, nc,
		      m->npus < 2 ? "one allowed PU" :
		      nodes <= 1 ? "one NUMA node" : "no cross-node pair measured");
	free(same);
	free(cross);
	return 0;
}

int c2c_write_summary(const struct c2c_matrix *m, FILE *f)
{
	unsigned int measured = 0, rmw = 0;
	char rule[512];
	int rc;

	if (summary_op(m, f, C2C_OP_STORE, "", &measured) ||
	    summary_op(m, f, C2C_OP_RMW, "rmw_", &rmw))
		return -ENOMEM;
	c2c_plan_rule(m, rule, sizeof(rule));
	fprintf(f, "c2c_pairs: %u measured; %s\n", measured, rule);
	if (m->home_node >= 0)
		fprintf(f, "c2c_home_node: %d%s\n", m->home_node,
			m->samples && !m->home_bound ?
			" (memory binding unavailable: the line was not bound)" : "");
	else
		fprintf(f, "c2c_home_node: unknown\n");
	if (m->samples)
		fprintf(f, "c2c_method: ping-pong of one 64-byte line, median of %u "
			"samples of %u round trips after %u warm-up samples; clock "
			"overhead %.1f ns subtracted per sample\n", m->samples,
			m->round_trips, m->warmup, m->clock_overhead_ns);
	rc = summary_op(m, f, C2C_OP_STORE, "", NULL);
	if (!rc && rmw) {
		fprintf(f, "c2c_rmw_pairs: %u measured\n", rmw);
		fprintf(f, "c2c_rmw_method: compare-and-swap handoff of the same line "
			"(each leg one read-for-ownership), round trip as for store\n");
		rc = summary_op(m, f, C2C_OP_RMW, "rmw_", NULL);
	} else if (!rc) {
		fprintf(f, "c2c_rmw: not measured\n");
	}
	if (rc)
		return rc;
	return ferror(f) ? -EIO : 0;
}
