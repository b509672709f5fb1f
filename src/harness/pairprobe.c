/* The host's vCPU placement, probed around each window: see pairprobe.h. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "harness/c2c.h"
#include "harness/canary.h"
#include "harness/pairprobe.h"

void pairprobe_init(struct pairprobe *pp, int home_node)
{
	memset(pp, 0, sizeof(*pp));
	pp->home_node = home_node;
}

void pairprobe_destroy(struct pairprobe *pp)
{
	for (unsigned int i = 0; i < pp->n; i++)
		free(pp->pairs[i].seen);
	free(pp->pairs);
	memset(pp, 0, sizeof(*pp));
}

static void order(int *a, int *b)
{
	if (*a > *b) {
		int t = *a;

		*a = *b;
		*b = t;
	}
}

static struct pairprobe_pair *find(const struct pairprobe *pp, int a, int b)
{
	order(&a, &b);
	for (unsigned int i = 0; i < pp->n; i++)
		if (pp->pairs[i].a == a && pp->pairs[i].b == b)
			return &pp->pairs[i];
	return NULL;
}

const struct pairprobe_pair *pairprobe_find(const struct pairprobe *pp, int a, int b)
{
	return find(pp, a, b);
}

static struct pairprobe_pair *find_or_add(struct pairprobe *pp, int a, int b)
{
	struct pairprobe_pair *p = find(pp, a, b);

	if (p)
		return p;
	if (pp->n == pp->cap) {
		unsigned int cap = pp->cap ? 2 * pp->cap : 8;
		struct pairprobe_pair *q = realloc(pp->pairs, cap * sizeof(*q));

		if (!q)
			return NULL;
		pp->pairs = q;
		pp->cap = cap;
	}
	order(&a, &b);
	p = &pp->pairs[pp->n++];
	*p = (struct pairprobe_pair){ .a = a, .b = b, .lowest = NAN, .highest = NAN, .final = NAN };
	return p;
}

static int probe(const struct pairprobe *pp, struct topo *t, int a, int b, double *ns)
{
	struct c2c_params prm;
	bool bound;

	if (a == b || a < 0 || b < 0)
		return -EINVAL;
	c2c_params_default(&prm);
	prm.op = C2C_OP_RMW;
	prm.samples = PAIRPROBE_SAMPLES;
	prm.warmup = 1;
	prm.round_trips = PAIRPROBE_ROUND_TRIPS;
	prm.home_node = pp->home_node;
	return c2c_measure_pair(t, a, b, &prm, ns, &bound);
}

int pairprobe_measure(const struct pairprobe *pp, struct topo *t, int a, int b, double *ns)
{
	int rc = probe(pp, t, a, b, ns);

	if (!rc && pp->slow_factor > 1)
		*ns *= pp->slow_factor;
	return rc;
}

static int record(struct pairprobe_pair *p, double ns)
{
	if (isnan(ns))
		return 0;
	if (p->nseen == p->capseen) {
		unsigned int cap = p->capseen ? 2 * p->capseen : 16;
		double *q = realloc(p->seen, cap * sizeof(*q));

		if (!q)
			return -ENOMEM;
		p->seen = q;
		p->capseen = cap;
	}
	p->seen[p->nseen++] = ns;
	if (isnan(p->lowest) || ns < p->lowest)
		p->lowest = ns;
	if (isnan(p->highest) || ns > p->highest)
		p->highest = ns;
	return 0;
}

double pairprobe_typical(const struct pairprobe_pair *p)
{
	double *v, m;

	if (!p || !p->nseen)
		return NAN;
	v = malloc(p->nseen * sizeof(*v));
	if (!v)
		return NAN;
	memcpy(v, p->seen, p->nseen * sizeof(*v));
	m = canary_median(v, p->nseen);
	free(v);
	return m;
}

static bool off(double typical, double ns, double ratio)
{
	return !isnan(ns) && (ns > ratio * typical || ns * ratio < typical);
}

bool pairprobe_off(double typical, double before, double after, double ratio)
{
	if (!(typical > 0))
		return false;
	return off(typical, before, ratio) || off(typical, after, ratio);
}

int pairprobe_baseline(struct pairprobe *pp, struct topo *t, int a, int b, unsigned int runs)
{
	struct pairprobe_pair *p;
	double v[runs ? runs : 1];

	for (unsigned int i = 0; i < runs; i++) {
		int rc = probe(pp, t, a, b, &v[i]);

		if (rc)
			return rc;
		if (pp->start_factor > 1)
			v[i] *= pp->start_factor;
	}
	if (!runs)
		return -EINVAL;
	p = find_or_add(pp, a, b);
	if (!p)
		return -ENOMEM;
	for (unsigned int i = 0; i < runs; i++)
		if (record(p, v[i]))
			return -ENOMEM;
	return 0;
}

bool pairprobe_judge(struct pairprobe *pp, int a, int b, double before, double after)
{
	struct pairprobe_pair *p = find(pp, a, b);
	bool over;

	if (!p || !p->nseen)
		return false;
	over = pairprobe_off(pairprobe_typical(p), before, after, PAIRPROBE_RATIO);
	p->windows++;
	p->flagged += over;
	if (pp->slow_factor <= 1) {	/* the hook's figures are not the host's */
		record(p, before);
		record(p, after);
	}
	return over;
}

void pairprobe_rejudge_begin(struct pairprobe *pp)
{
	for (unsigned int i = 0; i < pp->n; i++) {
		pp->pairs[i].final = pairprobe_typical(&pp->pairs[i]);
		pp->pairs[i].windows = pp->pairs[i].flagged = 0;
	}
}

bool pairprobe_rejudge(struct pairprobe *pp, int a, int b, double before, double after)
{
	struct pairprobe_pair *p = find(pp, a, b);
	bool over;

	if (!p || !p->nseen)
		return false;
	over = pairprobe_off(p->final, before, after, PAIRPROBE_RATIO);
	p->windows++;
	p->flagged += over;
	return over;
}

int pairprobe_parse_hook(const char *value, unsigned int *factor)
{
	*factor = 1;
	if (!value || !*value || !strcmp(value, "0"))
		return 0;
	if (!strcmp(value, "1")) {
		*factor = PAIRPROBE_HOOK_FACTOR;
		return 0;
	}
	if (!strcmp(value, "start")) {
		*factor = PAIRPROBE_HOOK_START;
		return 0;
	}
	return -EINVAL;
}
