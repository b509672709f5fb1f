/* src/harness/pairprobe.c: the placement probe's arithmetic, its record, its decision and its hook. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include "harness/pairprobe.h"
#include "harness/topo.h"
#include "test.h"

/* a pair with these figures recorded, as pairprobe_baseline() would leave it */
static struct pairprobe_pair *seed(struct pairprobe *pp, int a, int b, const double *v, unsigned int n)
{
	struct pairprobe_pair *p;

	pp->pairs = calloc(1, sizeof(*pp->pairs));
	p = pp->pairs;
	pp->n = pp->cap = 1;
	p->a = a < b ? a : b;
	p->b = a < b ? b : a;
	p->seen = malloc(n * sizeof(double));
	p->capseen = p->nseen = n;
	p->lowest = p->highest = NAN;
	for (unsigned int i = 0; i < n; i++) {
		p->seen[i] = v[i];
		if (isnan(p->lowest) || v[i] < p->lowest)
			p->lowest = v[i];
		if (isnan(p->highest) || v[i] > p->highest)
			p->highest = v[i];
	}
	return p;
}

TEST(off_either_way_beyond_the_ratio)
{
	CHECK(!pairprobe_off(55, 55, 60, 1.5));
	CHECK(!pairprobe_off(60, 90, 40, 1.5));		/* 90 = 1.5 x 60, 40 = 60 / 1.5: not beyond */
	CHECK(pairprobe_off(60, 91, 60, 1.5));		/* before, far */
	CHECK(pairprobe_off(60, 60, 210, 1.5));		/* after, far */
	CHECK(pairprobe_off(60, 39, 60, 1.5));		/* closer than usual counts too */
	CHECK(pairprobe_off(60, NAN, 210, 1.5));	/* one probe missing */
	CHECK(!pairprobe_off(60, NAN, NAN, 1.5));	/* none taken */
	CHECK(!pairprobe_off(NAN, 210, 210, 1.5));	/* no typical figure */
	CHECK(!pairprobe_off(0, 210, 210, 1.5));
}

TEST(typical_is_the_median_of_what_was_seen)
{
	struct pairprobe pp;
	const double v[] = { 20, 55, 54, 58, 210 };	/* one brief best, one far */

	pairprobe_init(&pp, 0);
	seed(&pp, 1, 0, v, 5);
	CHECK_NEAR(pairprobe_typical(pairprobe_find(&pp, 0, 1)), 55, 0);
	CHECK(pairprobe_find(&pp, 1, 0) == pairprobe_find(&pp, 0, 1));	/* unordered */
	CHECK(pairprobe_find(&pp, 0, 2) == NULL);
	CHECK(isnan(pairprobe_typical(NULL)));
	pairprobe_destroy(&pp);
}

TEST(judge_decides_then_records_and_counts)
{
	struct pairprobe pp;
	const double v[] = { 53, 55, 57, 54, 56 };
	const struct pairprobe_pair *p;

	pairprobe_init(&pp, 0);
	CHECK(!pairprobe_judge(&pp, 0, 1, 210, 210));	/* no record: not judged */
	seed(&pp, 0, 1, v, 5);
	p = pairprobe_find(&pp, 0, 1);
	CHECK(!pairprobe_judge(&pp, 0, 1, 54, 60));
	CHECK(pairprobe_judge(&pp, 0, 1, 56, 212));	/* moved apart during the window */
	CHECK(pairprobe_judge(&pp, 1, 0, 205, NAN));	/* either order, one probe */
	CHECK_EQ_INT(p->windows, 3);
	CHECK_EQ_INT(p->flagged, 2);
	CHECK_EQ_INT(p->nseen, 5 + 2 + 2 + 1);
	CHECK_NEAR(p->highest, 212, 0);
	CHECK_NEAR(p->lowest, 53, 0);
	pairprobe_destroy(&pp);
}

/* a run that starts while far is outvoted by its near windows */
TEST(a_far_start_is_outvoted)
{
	struct pairprobe pp;
	const double v[] = { 205, 210, 208, 212, 209 };
	int judged_far = 0, i;

	pairprobe_init(&pp, 0);
	seed(&pp, 0, 1, v, 5);
	for (i = 0; i < 10; i++)
		judged_far += pairprobe_judge(&pp, 0, 1, 55, 56);
	CHECK(judged_far >= 1 && judged_far <= 4);		/* the first few, then the near is typical */
	CHECK(!pairprobe_judge(&pp, 0, 1, 55, 56));
	CHECK(pairprobe_judge(&pp, 0, 1, 55, 207));
	pairprobe_destroy(&pp);
}

TEST(hooked_figures_are_never_recorded)
{
	struct pairprobe pp;
	const double v[] = { 55, 55, 55 };
	const struct pairprobe_pair *p;

	pairprobe_init(&pp, 0);
	seed(&pp, 0, 1, v, 3);
	pp.slow_factor = PAIRPROBE_HOOK_FACTOR;
	p = pairprobe_find(&pp, 0, 1);
	for (int i = 0; i < 5; i++)
		CHECK(pairprobe_judge(&pp, 0, 1, 165, 165));
	CHECK_EQ_INT(p->nseen, 3);
	CHECK_NEAR(pairprobe_typical(p), 55, 0);
	pairprobe_destroy(&pp);
}

TEST(hook_value_parsing)
{
	unsigned int f = 7;

	CHECK(pairprobe_parse_hook(NULL, &f) == 0 && f == 1);
	CHECK(pairprobe_parse_hook("", &f) == 0 && f == 1);
	CHECK(pairprobe_parse_hook("0", &f) == 0 && f == 1);
	CHECK(pairprobe_parse_hook("1", &f) == 0 && f == PAIRPROBE_HOOK_FACTOR);
	CHECK(pairprobe_parse_hook("2", &f) == -EINVAL);
	CHECK(pairprobe_parse_hook("yes", &f) == -EINVAL);
}

/* the real probe on this machine's first two allowed PUs; the hook scales its figure */
TEST(probe_measures_here_and_refuses_one_pu)
{
	struct topo *t = NULL;
	struct pairprobe pp;
	int cpus[2];
	double ns = 0;

	REQUIRE(topo_open(&t) == 0);
	pairprobe_init(&pp, topo_first_numa_node(t));
	CHECK_EQ_INT(pairprobe_measure(&pp, t, 0, 0, &ns), -EINVAL);
	CHECK_EQ_INT(pairprobe_measure(&pp, t, -1, 0, &ns), -EINVAL);
	if (topo_allowed_pus(t, cpus, 2) == 2) {
		const struct pairprobe_pair *p;

		CHECK_EQ_INT(pairprobe_baseline(&pp, t, cpus[1], cpus[0], 3), 0);
		p = pairprobe_find(&pp, cpus[0], cpus[1]);
		REQUIRE(p != NULL);
		CHECK_EQ_INT(p->nseen, 3);
		CHECK_MSG(p->lowest > 0 && p->highest < 1e6, "lowest %g highest %g", p->lowest, p->highest);
		CHECK_EQ_INT(pairprobe_measure(&pp, t, cpus[0], cpus[1], &ns), 0);
		CHECK(ns > 0 && isfinite(ns));
	}
	pairprobe_destroy(&pp);
	topo_close(t);
}

/* the end of the run judges every window again against the whole run's median */
TEST(rejudge_against_the_whole_run)
{
	struct pairprobe pp;
	const double v[] = { 205, 210, 208, 212, 209 };	/* a far start */
	const struct pairprobe_pair *p;
	int during = 0, after = 0;

	pairprobe_init(&pp, 0);
	seed(&pp, 0, 1, v, 5);
	for (int i = 0; i < 6; i++)
		during += pairprobe_judge(&pp, 0, 1, 55, 56);
	CHECK_EQ_INT(during, 3);			/* outvoted after three windows */
	pairprobe_rejudge_begin(&pp);
	p = pairprobe_find(&pp, 0, 1);
	CHECK_NEAR(p->final, 56, 0);			/* 17 figures: 12 near, 5 far */
	CHECK_EQ_INT(p->windows, 0);
	for (int i = 0; i < 6; i++)
		after += pairprobe_rejudge(&pp, 0, 1, 55, 56);
	CHECK_EQ_INT(after, 0);
	CHECK(pairprobe_rejudge(&pp, 1, 0, 56, 209));	/* a far window is still far */
	CHECK_EQ_INT(p->windows, 7);
	CHECK_EQ_INT(p->flagged, 1);
	CHECK_EQ_INT(p->nseen, 17);			/* nothing recorded */
	CHECK(!pairprobe_rejudge(&pp, 0, 2, 500, 500));	/* no record */
	pairprobe_destroy(&pp);
}

TEST(start_hook_parses)
{
	unsigned int f = 0;

	CHECK(pairprobe_parse_hook("start", &f) == 0 && f == PAIRPROBE_HOOK_START);
	CHECK(pairprobe_parse_hook("Start", &f) == -EINVAL);
}
