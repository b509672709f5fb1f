/*
 * Core-to-core round trips, measured: the pair plan, the ping-pong, the
 * matrix lookups; see c2c.h. Its files (c2c.csv, the machine.txt lines) are
 * c2c_io.c.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness/c2c_internal.h"
#include "harness/runner.h"
#include "harness/clock.h"
#include "harness/stats.h"
#include "harness/topo.h"

const char *c2c_op_name(enum c2c_op op)
{
	return op == C2C_OP_RMW ? "rmw" : "store";
}

int c2c_op_parse(const char *s, enum c2c_op *op)
{
	if (s && !strcmp(s, "store"))
		*op = C2C_OP_STORE;
	else if (s && !strcmp(s, "rmw"))
		*op = C2C_OP_RMW;
	else
		return -EINVAL;
	return 0;
}

double c2c_pair_ns(const struct c2c_pair *p, enum c2c_op op)
{
	return op == C2C_OP_RMW ? p->rmw_round_trip_ns : p->round_trip_ns;
}

void c2c_params_default(struct c2c_params *p)
{
	p->op = C2C_OP_STORE;
	p->samples = C2C_DEFAULT_SAMPLES;
	p->warmup = C2C_DEFAULT_WARMUP;
	p->round_trips = C2C_DEFAULT_ROUND_TRIPS;
	p->home_node = 0;
}

void c2c_free(struct c2c_matrix *m)
{
	free(m->pus);
	free(m->pairs);
	memset(m, 0, sizeof(*m));
	m->home_node = -1;
}

int c2c_cmp_pu(const void *a, const void *b)
{
	const struct c2c_pu *x = a, *y = b;

	return (x->os > y->os) - (x->os < y->os);
}

int c2c_cmp_pair(const void *a, const void *b)
{
	const struct c2c_pair *x = a, *y = b;

	if (x->from != y->from)
		return (x->from > y->from) - (x->from < y->from);
	return (x->to > y->to) - (x->to < y->to);
}

static struct c2c_pair make_pair(const struct c2c_pu *a, const struct c2c_pu *b)
{
	struct c2c_pair p;

	if (a->os > b->os) {
		const struct c2c_pu *t = a;

		a = b;
		b = t;
	}
	p.from = a->os;
	p.to = b->os;
	p.from_node = a->node;
	p.to_node = b->node;
	p.round_trip_ns = NAN;
	p.rmw_round_trip_ns = NAN;
	return p;
}

static const struct c2c_pair *find_pair(const struct c2c_pair *pairs,
					unsigned int n, int a, int b)
{
	struct c2c_pair key = { .from = a < b ? a : b, .to = a < b ? b : a };

	if (!pairs || !n)
		return NULL;
	return bsearch(&key, pairs, n, sizeof(key), c2c_cmp_pair);
}

/* Representatives of a sampled plan: the two lowest PUs of every node, the
 * lowest PU of every pair of nodes. pus is sorted, so "first seen" is lowest. */
static unsigned int plan_representatives(const struct c2c_pu *pus, unsigned int n,
					 struct c2c_pair *out)
{
	unsigned int nfirst = 0, k = 0;
	unsigned int *first = calloc(n, sizeof(*first));	/* index of each node's lowest PU */
	unsigned int *second = calloc(n, sizeof(*second));	/* its second lowest, or UINT_MAX */

	if (!first || !second) {
		free(first);
		free(second);
		return UINT_MAX;
	}
	for (unsigned int i = 0; i < n; i++) {
		unsigned int f;

		for (f = 0; f < nfirst; f++)
			if (pus[first[f]].node == pus[i].node)
				break;
		if (f == nfirst) {
			first[nfirst] = i;
			second[nfirst++] = UINT_MAX;
		} else if (second[f] == UINT_MAX) {
			second[f] = i;
		}
	}
	for (unsigned int x = 0; x < nfirst; x++) {
		if (second[x] != UINT_MAX)
			out[k++] = make_pair(&pus[first[x]], &pus[second[x]]);
		for (unsigned int y = x + 1; y < nfirst; y++)
			out[k++] = make_pair(&pus[first[x]], &pus[first[y]]);
	}
	free(first);
	free(second);
	qsort(out, k, sizeof(*out), c2c_cmp_pair);
	return k;
}

int c2c_plan(struct c2c_matrix *m, const struct c2c_pu *pus, unsigned int n,
	     unsigned int max_pairs)
{
	unsigned long total, remaining, slots, r = 0;
	unsigned int budget = max_pairs ? max_pairs : C2C_DEFAULT_MAX_PAIRS;
	unsigned int nreps, k = 0;
	struct c2c_pair *reps = NULL;

	memset(m, 0, sizeof(*m));
	m->home_node = -1;
	if (!pus || n == 0)
		return -EINVAL;
	m->pus = malloc(n * sizeof(*m->pus));
	if (!m->pus)
		return -ENOMEM;
	memcpy(m->pus, pus, n * sizeof(*pus));
	qsort(m->pus, n, sizeof(*m->pus), c2c_cmp_pu);
	for (unsigned int i = 0; i < n; i++)
		if (m->pus[i].os < 0 || m->pus[i].node < 0 ||
		    (i && m->pus[i].os == m->pus[i - 1].os)) {
			c2c_free(m);
			return -EINVAL;
		}
	m->npus = n;
	total = (unsigned long)n * (n - 1) / 2;
	m->total_pairs = total;
	m->max_pairs = budget;
	if (total == 0)
		return 0;

	if (total <= budget) {
		m->pairs = malloc(total * sizeof(*m->pairs));
		if (!m->pairs) {
			c2c_free(m);
			return -ENOMEM;
		}
		for (unsigned int i = 0; i < n; i++)
			for (unsigned int j = i + 1; j < n; j++)
				m->pairs[k++] = make_pair(&m->pus[i], &m->pus[j]);
		m->npairs = k;
		return 0;
	}

	/* sampled: at most (nodes)(nodes+1)/2 representatives, <= n(n+1)/2 */
	reps = malloc(((unsigned long)n * (n + 1) / 2) * sizeof(*reps));
	if (!reps) {
		c2c_free(m);
		return -ENOMEM;
	}
	nreps = plan_representatives(m->pus, n, reps);
	if (nreps == UINT_MAX) {
		free(reps);
		c2c_free(m);
		return -ENOMEM;
	}
	remaining = total - nreps;
	slots = budget > nreps ? budget - nreps : 0;
	m->stride = slots ? (remaining + slots - 1) / slots : 0;
	m->pairs = malloc((nreps + slots) * sizeof(*m->pairs));
	if (!m->pairs) {
		free(reps);
		c2c_free(m);
		return -ENOMEM;
	}
	memcpy(m->pairs, reps, nreps * sizeof(*reps));
	k = nreps;
	for (unsigned int i = 0; i < n && m->stride; i++)
		for (unsigned int j = i + 1; j < n; j++) {
			if (find_pair(reps, nreps, m->pus[i].os, m->pus[j].os))
				continue;
			if (r++ % m->stride == 0)
				m->pairs[k++] = make_pair(&m->pus[i], &m->pus[j]);
		}
	free(reps);
	qsort(m->pairs, k, sizeof(*m->pairs), c2c_cmp_pair);
	m->npairs = k;
	m->representatives = nreps;
	m->sampled = true;
	return 0;
}

void c2c_plan_rule(const struct c2c_matrix *m, char *buf, size_t len)
{
	if (!m->sampled)
		snprintf(buf, len, "all %lu unordered pairs (from < to)",
			 m->total_pairs);
	else if (!m->representatives && !m->stride)
		snprintf(buf, len, "%u of %lu unordered pairs (from < to), as read back",
			 m->npairs, m->total_pairs);
	else
		snprintf(buf, len,
			 "sampled %u of %lu unordered pairs (from < to; more than the "
			 "budget of %u): %u node-pair representatives (the two lowest PUs "
			 "of each node, the lowest PUs of each two nodes), then every "
			 "%lu-th of the remaining pairs in (from, to) order from the first",
			 m->npairs, m->total_pairs, m->max_pairs, m->representatives,
			 m->stride);
}

double c2c_round_trip_op_ns(const struct c2c_matrix *m, enum c2c_op op, int a, int b)
{
	const struct c2c_pair *p;

	if (!m || a == b)
		return NAN;
	p = find_pair(m->pairs, m->npairs, a, b);
	return p ? c2c_pair_ns(p, op) : NAN;
}

double c2c_node_mean_op_ns(const struct c2c_matrix *m, enum c2c_op op, int x, int y)
{
	double sum = 0;
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->npairs; i++) {
		const struct c2c_pair *p = &m->pairs[i];
		double v = c2c_pair_ns(p, op);

		if (isnan(v))
			continue;
		if ((p->from_node == x && p->to_node == y) ||
		    (p->from_node == y && p->to_node == x)) {
			sum += v;
			n++;
		}
	}
	return n ? sum / n : NAN;
}

/* ---- the ping-pong ---- */

/*
 * The flag's values: 0 before the start; 1 "pong is bound and waiting";
 * then ping stores odd+1 = even, pong answers even+1 ... (ping owns the even
 * stores, pong the odd ones). Negative values end it: PP_STOP from ping (done
 * or failed), PP_PONG_FAILED from pong (could not bind). Pong announces
 * itself by CAS from 0, so a pong that gets going after ping gave up cannot
 * overwrite the stop and wait for ever.
 */
#define PP_STOP		(-1)
#define PP_PONG_FAILED	(-2)

struct pp_thread {
	const struct topo *t;
	int pu;
	enum c2c_op op;
	int64_t *flag;			/* the shared line: sharing it is the point */
	unsigned int nsamples, round_trips;
	double *sample_ns;		/* ping: one duration per sample */
	int err;
};

static void *pong(void *arg)
{
	struct pp_thread *a = arg;
	int64_t expect = 0, v;

	a->err = topo_bind_thread(a->t, a->pu);
	if (a->err) {
		__atomic_compare_exchange_n(a->flag, &expect, PP_PONG_FAILED, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
		return NULL;
	}
	if (!__atomic_compare_exchange_n(a->flag, &expect, 1, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return NULL;			/* ping gave up before we started */
	for (expect = 2;; expect += 2) {
		if (a->op == C2C_OP_RMW) {
			/* take the line by CAS only: every leg is one RFO */
			for (v = expect; !__atomic_compare_exchange_n(a->flag, &v, expect + 1, false,
								       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
			     v = expect)
				if (v < 0)
					return NULL;
			continue;
		}
		while ((v = __atomic_load_n(a->flag, __ATOMIC_ACQUIRE)) != expect)
			if (v < 0)
				return NULL;
		__atomic_store_n(a->flag, expect + 1, __ATOMIC_RELEASE);
	}
}

static void *ping(void *arg)
{
	struct pp_thread *a = arg;
	int64_t v = 1, seen;
	uint64_t t0, t1;

	a->err = topo_bind_thread(a->t, a->pu);
	if (a->err) {
		__atomic_store_n(a->flag, PP_STOP, __ATOMIC_RELEASE);
		return NULL;
	}
	while ((seen = __atomic_load_n(a->flag, __ATOMIC_ACQUIRE)) == 0)
		;
	if (seen != 1) {
		a->err = -ECHILD;		/* pong failed; its err says why */
		return NULL;
	}
	t0 = clock_now_ns();
	for (unsigned int s = 0; s < a->nsamples; s++) {
		if (a->op == C2C_OP_RMW) {
			/* CAS v -> v+1 once pong's CAS made it v; a round trip per pass */
			for (unsigned int r = 0; r < a->round_trips; r++, v += 2)
				for (int64_t e = v; !__atomic_compare_exchange_n(a->flag, &e, v + 1, false,
										 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
				     e = v)
					;
		} else {
			for (unsigned int r = 0; r < a->round_trips; r++, v += 2) {
				__atomic_store_n(a->flag, v + 1, __ATOMIC_RELEASE);
				while (__atomic_load_n(a->flag, __ATOMIC_ACQUIRE) != v + 2)
					;
			}
		}
		t1 = clock_now_ns();			/* the one clock read per sample */
		a->sample_ns[s] = (double)(t1 - t0);
		t0 = t1;
	}
	__atomic_store_n(a->flag, PP_STOP, __ATOMIC_RELEASE);
	return NULL;
}

static int measure_pair(struct topo *t, int a, int b, const struct c2c_params *p,
			double clock_ns, double *rt_ns, bool *home_bound)
{
	size_t size = (size_t)sysconf(_SC_PAGESIZE);	/* a page: the line is alone */
	unsigned int n = p->warmup + p->samples;
	struct pp_thread pi = { 0 }, po = { 0 };
	pthread_t tpi, tpo;
	bool bound = false;
	void *mem = NULL;
	double *ns;
	int rc;

	if (!t || !rt_ns || a == b || a < 0 || b < 0 || !p->samples ||
	    (p->op != C2C_OP_STORE && p->op != C2C_OP_RMW) ||
	    !p->round_trips || n < p->samples)
		return -EINVAL;
	if (!topo_is_this_system(t))
		return -EOPNOTSUPP;
	if (!topo_pu_allowed(t, a) || !topo_pu_allowed(t, b))
		return -EINVAL;
	ns = calloc(n, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	rc = topo_alloc_on_node(t, size, p->home_node, &mem, &bound);
	if (rc) {
		free(ns);
		return rc;
	}
	pi = (struct pp_thread){ .t = t, .pu = a, .op = p->op, .flag = mem, .nsamples = n,
				 .round_trips = p->round_trips, .sample_ns = ns };
	po = (struct pp_thread){ .t = t, .pu = b, .op = p->op, .flag = mem };
	rc = -pthread_create(&tpo, NULL, pong, &po);
	if (!rc) {
		rc = -pthread_create(&tpi, NULL, ping, &pi);
		if (rc)		/* release pong: it waits for a start that never comes */
			__atomic_store_n((int64_t *)mem, PP_STOP, __ATOMIC_RELEASE);
		else
			pthread_join(tpi, NULL);
		pthread_join(tpo, NULL);
	}
	if (!rc)
		rc = po.err ? po.err : pi.err;
	if (!rc) {
		for (unsigned int s = 0; s < p->samples; s++)
			ns[s] = (ns[p->warmup + s] - clock_ns) / p->round_trips;
		rc = stats_median(ns, p->samples, rt_ns);
	}
	if (!rc && !(*rt_ns > 0))
		rc = -ERANGE;		/* a clock that did not advance */
	if (home_bound)
		*home_bound = bound;
	topo_free(t, mem, size);
	free(ns);
	return rc;
}

int c2c_measure_pair(struct topo *t, int a, int b, const struct c2c_params *p,
		     double *round_trip_ns, bool *home_bound)
{
	if (!p)
		return -EINVAL;
	return measure_pair(t, a, b, p, clock_overhead_ns(), round_trip_ns, home_bound);
}

int c2c_run(struct c2c_matrix *m, struct topo *t, const struct c2c_params *p)
{
	bool all_bound = true;

	if (!m || !t || !p || (p->op != C2C_OP_STORE && p->op != C2C_OP_RMW))
		return -EINVAL;
	m->home_node = p->home_node;
	m->samples = p->samples;
	m->warmup = p->warmup;
	m->round_trips = p->round_trips;
	m->clock_overhead_ns = clock_overhead_ns();
	for (unsigned int i = 0; i < m->npairs; i++) {
		struct c2c_pair *q = &m->pairs[i];
		bool bound;
		int rc;

		/* a sweep's stop request (a signal) ends the pass between pairs */
		if (runner_stopped())
			return -ECANCELED;
		rc = measure_pair(t, q->from, q->to, p, m->clock_overhead_ns,
				  c2c_pair_slot(q, p->op), &bound);

		if (rc) {
			*c2c_pair_slot(q, p->op) = NAN;
			m->home_bound = false;
			return rc;
		}
		all_bound &= bound;
	}
	m->home_bound = all_bound;
	m->measured[p->op] = true;
	return 0;
}

/* store with the defaults over every allowed PU */
static int measure_store(struct topo *t, int home_node, struct c2c_matrix *m)
{
	struct c2c_params p;
	int rc = c2c_plan_topo(m, t, NULL, 0, 0);

	if (rc)
		return rc;
	c2c_params_default(&p);
	p.home_node = home_node;
	return c2c_run(m, t, &p);
}

int c2c_measure_both(struct topo *t, int home_node, unsigned int rmw_round_trips,
		     struct c2c_matrix *m)
{
	struct c2c_params p;
	bool store_bound;
	int rc = measure_store(t, home_node, m);

	if (rc)
		return rc;
	store_bound = m->home_bound;
	c2c_params_default(&p);
	p.home_node = home_node;
	p.op = C2C_OP_RMW;
	if (rmw_round_trips)
		p.round_trips = rmw_round_trips;
	rc = c2c_run(m, t, &p);
	/* the method lines describe the store pass; the rmw pass's are its own */
	m->round_trips = C2C_DEFAULT_ROUND_TRIPS;
	m->home_bound = m->home_bound && store_bound;
	return rc;
}

int c2c_plan_topo(struct c2c_matrix *m, struct topo *t, const int *cpus,
		  unsigned int ncpus, unsigned int max_pairs)
{
	int n = topo_nr_allowed_pus(t), rc = 0;
	int *os = NULL;
	struct c2c_pu *pus;

	memset(m, 0, sizeof(*m));
	m->home_node = -1;
	if (cpus) {
		if (!ncpus)
			return -EINVAL;
		n = (int)ncpus;
	}
	if (n <= 0)
		return -ENODEV;
	pus = calloc(n, sizeof(*pus));
	os = calloc(n, sizeof(*os));
	if (!pus || !os) {
		rc = -ENOMEM;
		goto out;
	}
	if (cpus)
		memcpy(os, cpus, n * sizeof(*os));
	else
		n = topo_allowed_pus(t, os, n);
	for (int i = 0; i < n && !rc; i++) {
		struct topo_slot s;

		if (!topo_pu_allowed(t, os[i])) {
			rc = -ENOENT;
			break;
		}
		rc = topo_pu_info(t, os[i], &s);
		pus[i].os = os[i];
		pus[i].node = s.numa_node;
	}
	if (!rc)
		rc = c2c_plan(m, pus, n, max_pairs);
out:
	free(pus);
	free(os);
	return rc;
}
