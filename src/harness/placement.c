/*
 * Placements: parsing "compact", "scatter", "smt", "cpus:LIST" and planning
 * where each thread goes, over the allowed PUs topo_open() ranked. The rules
 * and the contract are in topo.h; the PU table in topo_internal.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "harness/topo_internal.h"

/* ---- "0-3,8" / "0+2+4" lists ---- */

int topo_next_range(const char **sp, int *lo, int *hi)
{
	const char *s = *sp;
	long a, b;
	char *end;

	if (!*s)
		return 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	a = strtol(s, &end, 10);
	if (errno || a > INT_MAX)
		return -EINVAL;
	b = a;
	if (*end == '-') {
		s = end + 1;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		b = strtol(s, &end, 10);
		if (errno || b > INT_MAX || b < a)
			return -EINVAL;
	}
	if (*end == ',' || *end == '+') {
		if (!end[1])
			return -EINVAL;	/* "1," */
		end++;
	} else if (*end) {
		return -EINVAL;
	}
	*sp = end;
	*lo = (int)a;
	*hi = (int)b;
	return 1;
}

/* ---- placement ---- */

static int canonical_name(struct topo_placement *p)
{
	size_t pos = 0, len = sizeof(p->name);
	int rc = topo_appendf(p->name, len, &pos, "cpus:");

	for (int i = 0; !rc && i < p->nr_cpus; ) {
		int j = i;

		while (j + 1 < p->nr_cpus && p->cpus[j + 1] == p->cpus[j] + 1)
			j++;
		if (j - i >= 2) {
			rc = topo_appendf(p->name, len, &pos, "%s%d-%d", i ? "+" : "", p->cpus[i], p->cpus[j]);
			i = j + 1;
		} else {
			rc = topo_appendf(p->name, len, &pos, "%s%d", i ? "+" : "", p->cpus[i]);
			i++;
		}
	}
	return rc ? -EINVAL : 0;
}

static int parse_cpus(const struct topo *t, const char *s, struct topo_placement *p)
{
	int lo, hi, rc;

	p->nr_cpus = 0;
	while ((rc = topo_next_range(&s, &lo, &hi)) > 0) {
		for (long c = lo; c <= hi; c++) {
			if (p->nr_cpus == TOPO_PLACEMENT_MAX_CPUS)
				return -EINVAL;
			for (int k = 0; k < p->nr_cpus; k++)
				if (p->cpus[k] == c)
					return -EINVAL;
			if (t && !topo_pu_allowed(t, (int)c))
				return -EINVAL;
			p->cpus[p->nr_cpus++] = (int)c;
		}
	}
	if (rc < 0 || p->nr_cpus == 0)
		return -EINVAL;
	return canonical_name(p);
}

int topo_parse_placement(const struct topo *t, const char *s, struct topo_placement *out)
{
	static const struct { const char *name; enum topo_placement_kind kind; } words[] = {
		{ "compact", TOPO_PLACE_COMPACT },
		{ "scatter", TOPO_PLACE_SCATTER },
		{ "smt", TOPO_PLACE_SMT },
	};
	int rc;

	if (!s || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!strcmp(s, words[i].name)) {
			out->kind = words[i].kind;
			snprintf(out->name, sizeof(out->name), "%s", words[i].name);
			return 0;
		}
	}
	if (strncmp(s, "cpus:", 5))
		return -EINVAL;
	out->kind = TOPO_PLACE_CPUS;
	rc = parse_cpus(t, s + 5, out);
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}

const char *topo_placement_name(const struct topo_placement *p)
{
	return p->name;
}

int topo_placement_max_threads(const struct topo *t, const struct topo_placement *p)
{
	return p->kind == TOPO_PLACE_CPUS ? p->nr_cpus : t->nr_pus;
}

/* compact: node, then sibling rank, then core (one PU per core first) */
static int cmp_compact(const void *a, const void *b)
{
	const struct topo_pu *x = *(const struct topo_pu *const *)a;
	const struct topo_pu *y = *(const struct topo_pu *const *)b;

	if (x->node_rank != y->node_rank)
		return x->node_rank - y->node_rank;
	if (x->sib != y->sib)
		return x->sib - y->sib;
	if (x->core_rank != y->core_rank)
		return x->core_rank - y->core_rank;
	return x->where.pu_logical - y->where.pu_logical;
}

/* smt: node, then core, then sibling (a whole core before the next) */
static int cmp_smt(const void *a, const void *b)
{
	const struct topo_pu *x = *(const struct topo_pu *const *)a;
	const struct topo_pu *y = *(const struct topo_pu *const *)b;

	if (x->node_rank != y->node_rank)
		return x->node_rank - y->node_rank;
	if (x->core_rank != y->core_rank)
		return x->core_rank - y->core_rank;
	if (x->sib != y->sib)
		return x->sib - y->sib;
	return x->where.pu_logical - y->where.pu_logical;
}

/*
 * scatter: compact order cut into one queue per (node, package), dealt
 * round-robin. The queues are dealt in the order (their rank among the
 * queues of their package, package), so that with two packages or more the
 * first two threads are on different packages (a 2-thread cross-socket
 * point), then on different nodes of those, and so on.
 */
static int deal_scatter(const struct topo *t, const struct topo_pu **order)
{
	int n = t->nr_pus, nq = 0, done = 0, rc = -ENOMEM;
	int *qof = malloc(n * sizeof(int)), *qnode = malloc(n * sizeof(int)), *qpkg = malloc(n * sizeof(int));
	int *qrank = malloc(n * sizeof(int)), *qorder = malloc(n * sizeof(int)), *taken = calloc(n, sizeof(int));
	const struct topo_pu **sorted = malloc(n * sizeof(*sorted));

	if (!qof || !qnode || !qpkg || !qrank || !qorder || !taken || !sorted)
		goto out;
	memcpy(sorted, order, n * sizeof(*sorted));
	for (int i = 0; i < n; i++) {
		int q;

		for (q = 0; q < nq; q++)
			if (qnode[q] == sorted[i]->node_rank && qpkg[q] == sorted[i]->where.package)
				break;
		if (q == nq) {
			qnode[nq] = sorted[i]->node_rank;
			qpkg[nq] = sorted[i]->where.package;
			qrank[nq] = 0;
			for (int k = 0; k < nq; k++)
				qrank[nq] += qpkg[k] == qpkg[nq];
			nq++;
		}
		qof[i] = q;
	}
	/* queue order: (rank within the package, package, first appearance) */
	for (int q = 0; q < nq; q++)
		qorder[q] = q;
	for (int a = 1; a < nq; a++)
		for (int b = a; b > 0; b--) {
			int x = qorder[b - 1], y = qorder[b];

			if (qrank[x] < qrank[y] || (qrank[x] == qrank[y] &&
			    (qpkg[x] < qpkg[y] || (qpkg[x] == qpkg[y] && x < y))))
				break;
			qorder[b - 1] = y;
			qorder[b] = x;
		}
	while (done < n) {
		bool any = false;

		for (int k = 0; k < nq && done < n; k++) {
			int q = qorder[k];

			/* the next PU of queue q in compact order */
			for (int i = 0, seen = 0; i < n; i++) {
				if (qof[i] != q)
					continue;
				if (seen++ == taken[q]) {
					order[done++] = sorted[i];
					taken[q]++;
					any = true;
					break;
				}
			}
		}
		if (!any)
			break;
	}
	rc = 0;
out:
	free(qof);
	free(qnode);
	free(qpkg);
	free(qrank);
	free(qorder);
	free(taken);
	free(sorted);
	return rc;
}

/* qsort_r orders of slot indexes: by PU; by core, then PU */
static int cmp_slot_pu(const void *a, const void *b, void *arg)
{
	const struct topo_slot *s = arg;
	int x = s[*(const int *)a].pu_os, y = s[*(const int *)b].pu_os;

	return (x > y) - (x < y);
}

static int cmp_slot_core(const void *a, const void *b, void *arg)
{
	const struct topo_slot *s = arg;
	const struct topo_slot *x = &s[*(const int *)a], *y = &s[*(const int *)b];

	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	return cmp_slot_pu(a, b, arg);
}

/*
 * oversubscribed: another slot has the same PU; smt_shared: another slot is
 * on another PU of the same core. Sorted, not pairwise: --threads=all on
 * 4096 PUs plans 4096 configurations, and n^2 pairs each took minutes.
 */
static int mark_shared(struct topo_slot *out, int n)
{
	int *idx = malloc((size_t)n * sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_slot_pu, out);
	for (int k = 0; k < n; k++)
		out[idx[k]].oversubscribed = (k > 0 && out[idx[k - 1]].pu_os == out[idx[k]].pu_os) ||
					     (k + 1 < n && out[idx[k + 1]].pu_os == out[idx[k]].pu_os);
	qsort_r(idx, n, sizeof(*idx), cmp_slot_core, out);
	for (int b = 0, e; b < n; b = e) {	/* runs of one core */
		bool two_pus = false;

		for (e = b + 1; e < n && out[idx[e]].core == out[idx[b]].core; e++)
			two_pus |= out[idx[e]].pu_os != out[idx[b]].pu_os;
		for (int k = b; k < e; k++)
			out[idx[k]].smt_shared = two_pus && out[idx[k]].core >= 0;
	}
	free(idx);
	return 0;
}

int topo_plan(const struct topo *t, const struct topo_placement *p, int nthreads,
	      bool oversubscribe, struct topo_slot *out)
{
	const struct topo_pu **order;
	int m, rc = 0;

	if (!t || !p || !out || nthreads < 1)
		return -EINVAL;
	m = p->kind == TOPO_PLACE_CPUS ? p->nr_cpus : t->nr_pus;
	if (m < 1)
		return -EINVAL;
	order = malloc(m * sizeof(*order));
	if (!order)
		return -ENOMEM;

	switch (p->kind) {
	case TOPO_PLACE_CPUS:
		for (int i = 0; i < m; i++) {
			order[i] = topo_find_pu(t, p->cpus[i]);
			if (!order[i]) {
				rc = -EINVAL;
				goto out;
			}
		}
		break;
	case TOPO_PLACE_COMPACT:
	case TOPO_PLACE_SCATTER:
	case TOPO_PLACE_SMT:
		for (int i = 0; i < m; i++)
			order[i] = &t->pus[i];
		qsort(order, m, sizeof(*order), p->kind == TOPO_PLACE_SMT ? cmp_smt : cmp_compact);
		if (p->kind == TOPO_PLACE_SCATTER && (rc = deal_scatter(t, order)))
			goto out;
		break;
	default:
		rc = -EINVAL;
		goto out;
	}
	if (nthreads > m && !oversubscribe) {
		rc = -E2BIG;
		goto out;
	}

	for (int i = 0; i < nthreads; i++)
		out[i] = order[i % m]->where;
	rc = mark_shared(out, nthreads);
out:
	free(order);
	return rc;
}

int topo_plan_nodes_used(const struct topo_slot *slots, int n)
{
	int used = 0;

	for (int i = 0; i < n; i++) {
		int j;

		for (j = 0; j < i && slots[j].numa_node != slots[i].numa_node; j++)
			;
		if (j == i)
			used++;
	}
	return used;
}

int topo_plan_print(const struct topo *t, const struct topo_slot *slots, int n, FILE *f)
{
	(void)t;
	for (int i = 0; i < n; i++) {
		const struct topo_slot *s = &slots[i];

		fprintf(f, "    thread %d: pu %d (L#%d) core %d package %d numa %d%s%s\n",
			i, s->pu_os, s->pu_logical, s->core, s->package, s->numa_node,
			s->smt_shared ? " smt-shared" : "",
			s->oversubscribed ? " oversubscribed" : "");
	}
	return ferror(f) ? -EIO : 0;
}
