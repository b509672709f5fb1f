/* src/harness/canary.c: the host canary's arithmetic, its decision, its chain and its hook. */
#include <errno.h>
#include <sched.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include "harness/canary.h"
#include "test.h"

TEST(median_of_odd_and_even_counts)
{
	double a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 }, c[] = { 7 };

	CHECK_NEAR(canary_median(a, 3), 3, 0);
	CHECK_NEAR(canary_median(b, 4), 2.5, 0);
	CHECK_NEAR(canary_median(c, 1), 7, 0);
	CHECK(isnan(canary_median(c, 0)));
}

TEST(median_ignores_a_few_preempted_samples)
{
	double v[101];

	for (int i = 0; i < 101; i++)
		v[i] = 1.40 + 0.001 * (i % 7);
	v[3] = 500;		/* an interrupt */
	v[50] = 90;		/* a preemption */
	CHECK(canary_median(v, 101) < 1.41);
}

TEST(slow_only_above_ratio_times_baseline)
{
	CHECK(!canary_slow(1.4, 1.4, 1.4, 1.25));
	CHECK(!canary_slow(1.4, 1.74, 1.75, 1.25));	/* 1.75 = 1.25 x 1.4: not above */
	CHECK(canary_slow(1.4, 1.76, 1.4, 1.25));	/* before */
	CHECK(canary_slow(1.4, 1.4, 3.6, 1.25));	/* after */
	CHECK(canary_slow(1.4, NAN, 3.6, 1.25));	/* one probe missing */
	CHECK(!canary_slow(1.4, NAN, NAN, 1.25));	/* none taken */
	CHECK(!canary_slow(NAN, 9, 9, 1.25));		/* no baseline */
	CHECK(!canary_slow(0, 9, 9, 1.25));
}

TEST(judge_lowers_the_baseline_then_decides)
{
	struct canary c;

	REQUIRE(canary_init(&c, 4096, 4) == 0);
	CHECK(isnan(canary_baseline_of(&c, 1)));
	CHECK(!canary_judge(&c, 1, 9.0, 9.0));		/* no baseline yet: not judged... */
	CHECK_NEAR(canary_baseline_of(&c, 1), 9.0, 0);	/* ...but it is one now */
	c.baseline[1] = 2.0;				/* a start-up taken in a slow phase */
	/* 2.4 is under 1.25 x 2.0, over 1.25 x 1.4: judged after lowering */
	CHECK(canary_judge(&c, 1, 1.4, 2.4));
	CHECK_NEAR(canary_baseline_of(&c, 1), 1.4, 1e-12);
	CHECK(canary_judge(&c, 1, 1.45, 1.8));		/* 1.8 > 1.25 x 1.4 */
	CHECK(!canary_judge(&c, 1, 1.45, 1.7));		/* 1.7 < 1.75 */
	CHECK_NEAR(canary_baseline_of(&c, 1), 1.4, 1e-12);
	CHECK(canary_judge(&c, 2, 1.0, 5.0));		/* no start-up baseline: the probe before is it */
	CHECK_NEAR(canary_baseline_of(&c, 2), 1.0, 0);
	CHECK(isnan(canary_baseline_of(&c, 4)));	/* out of range */
	CHECK(isnan(canary_baseline_of(&c, -1)));
	canary_destroy(&c);
}

TEST(hooked_probes_never_lower_the_baseline)
{
	struct canary c;

	REQUIRE(canary_init(&c, 4096, 2) == 0);
	c.baseline[0] = 1.4;
	c.slow_factor = CANARY_HOOK_FACTOR;
	CHECK(canary_judge(&c, 0, 1.0, 4.2));
	CHECK_NEAR(canary_baseline_of(&c, 0), 1.4, 0);
	canary_destroy(&c);
}

/* the chain is one cycle through every line: a walk of `lines` steps visits each once */
TEST(chain_is_one_cycle_over_every_line)
{
	struct canary c;
	size_t lines = (64u << 10) / 64, p = 0;
	char *seen;

	REQUIRE(canary_init(&c, 64u << 10, 1) == 0);
	seen = calloc(lines, 1);
	REQUIRE(seen);
	for (size_t i = 0; i < lines; i++) {
		CHECK(p % 8 == 0 && p / 8 < lines);
		if (p % 8 || p / 8 >= lines)
			break;
		CHECK(!seen[p / 8]);
		seen[p / 8] = 1;
		p = c.chain[p];
	}
	CHECK_EQ_INT(p, 0);
	free(seen);
	canary_destroy(&c);
}

TEST(init_refuses_bad_sizes)
{
	struct canary c;

	CHECK_EQ_INT(canary_init(&c, 100, 1), -EINVAL);
	CHECK_EQ_INT(canary_init(&c, 64, 1), -EINVAL);
	CHECK_EQ_INT(canary_init(&c, 4096, 0), -EINVAL);
}

TEST(probe_measures_and_the_hook_slows_it)
{
	struct canary c;
	double plain = NAN, slowed = NAN, after = NAN, base;
	int cpu = sched_getcpu();	/* a PU this test may run on */

	REQUIRE(cpu >= 0);
	REQUIRE(canary_init(&c, CANARY_DEFAULT_BYTES, (unsigned int)cpu + 1) == 0);
	CHECK_EQ_INT(canary_probe(&c, -1, &plain), 0);
	CHECK(plain > 0 && plain < 1e6);
	CHECK_EQ_INT(canary_probe(&c, cpu + 1, &plain), -EINVAL);	/* beyond max_cpus */
	CHECK(isnan(plain));
	/* the hook: every sample spins (factor - 1) x its own time, so the
	 * median is about factor (6) x; compared with plain probes just
	 * before and after, by a wide margin (1.5 x) for a loaded machine */
	CHECK_EQ_INT(canary_baseline(&c, cpu, 1), 0);
	c.slow_factor = CANARY_HOOK_FACTOR;
	CHECK_EQ_INT(canary_probe(&c, cpu, &slowed), 0);
	c.slow_factor = 1;
	CHECK_EQ_INT(canary_probe(&c, cpu, &after), 0);
	base = fmin(canary_baseline_of(&c, cpu), after);
	CHECK(base > 0);
	CHECK_MSG(slowed > 1.5 * base, "hooked probe %.3f ns, plain %.3f ns", slowed, base);
	c.slow_factor = CANARY_HOOK_FACTOR;
	CHECK(canary_judge(&c, cpu, slowed, slowed));
	canary_destroy(&c);
}

/* bind this thread to cpu (>= 0), its old mask into *old: 0, or -1 */
static int pin_here(int cpu, cpu_set_t *old)
{
	cpu_set_t set;

	if (cpu < 0 || pthread_getaffinity_np(pthread_self(), sizeof(*old), old))
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) ? -1 : 0;
}

/*
 * A canary that flagged windows by itself (a window's probe, taken by the
 * worker on its own PU, systematically dearer than the baseline's, taken
 * by a helper thread bound there) would flag every window of a plain run,
 * which the e2e run cannot tell from a busy host's hour. Here the two paths
 * alternate, nine pairs back to back on one PU: the median of their ratios
 * must lie within 0.8-1.25 (a wide margin; both see the same host moment).
 */
TEST(window_probe_and_baseline_probe_measure_alike)
{
	struct canary c;
	int cpu = sched_getcpu();
	double r[9], m = NAN;
	cpu_set_t old;

	REQUIRE(pin_here(cpu, &old) == 0);
	REQUIRE(canary_init(&c, CANARY_DEFAULT_BYTES, (unsigned int)cpu + 1) == 0);
	for (int i = 0; i < 9; i++) {
		double helper = NAN, own = NAN;

		CHECK_EQ_INT(canary_probe(&c, cpu, &helper), 0);	/* the baseline's path */
		CHECK_EQ_INT(canary_probe(&c, -1, &own), 0);		/* a window's path */
		r[i] = own / helper;
	}
	m = canary_median(r, 9);
	CHECK_MSG(m > 0.8 && m < 1.25, "window probe / baseline probe: median %.3f", m);
	canary_destroy(&c);
	pthread_setaffinity_np(pthread_self(), sizeof(old), &old);
}

TEST(over_counts_probes_above_ratio_times_baseline)
{
	double v[] = { 1.2, 1.3, NAN, 2.0, 1.25 };

	CHECK_EQ_INT(canary_over(1.0, v, 5, 1.25), 2);	/* 1.3 and 2.0; 1.25 is not above */
	CHECK_EQ_INT(canary_over(1.0, v, 2, 1.25), 1);
	CHECK_EQ_INT(canary_over(1.0, v, 0, 1.25), 0);
	CHECK_EQ_INT(canary_over(NAN, v, 5, 1.25), 0);	/* no baseline */
	CHECK_EQ_INT(canary_over(0, v, 5, 1.25), 0);
}

/*
 * The probes inside a window: CANARY_MID_MIN_OVER of them over the ratio
 * (a short deep phase), the median of CANARY_MID_MEDIAN_MIN or more over
 * CANARY_MID_MEDIAN_RATIO (a shallow one over most of the window), or an edge.
 */
TEST(window_verdict_from_edges_and_probes_inside)
{
	struct canary c;
	double quiet[] = { 1.40, 1.42, 1.41, 1.43 }, one[] = { 1.40, 2.50, 1.41, 1.43 },
	       two[] = { 1.40, 2.50, 1.43, 1.80, 1.41 }, shallow[] = { 1.58, 1.58, 1.60, 1.40, 1.59 },
	       few[] = { 1.60, 1.60, 1.60, 1.60 }, under[] = { 1.50, 1.52, 1.53, 1.40, 1.41 },
	       low[] = { 0.50, 0.50 }, later[] = { 1.55, 1.60, 1.45, 1.40 };
	unsigned int over = 99;

	REQUIRE(canary_init(&c, 4096, 2) == 0);
	c.baseline[1] = 1.4;	/* over 1.25 x: above 1.75; median over 1.10 x: above 1.54 */
	CHECK(!canary_judge_window(&c, 1, 1.4, 1.4, quiet, 4, &over));
	CHECK_EQ_INT(over, 0);
	CHECK_EQ_INT(canary_judge_window(&c, 1, 1.4, 1.4, one, 4, &over), CANARY_MID_MIN_OVER <= 1);
	CHECK_EQ_INT(over, 1);
	CHECK(canary_judge_window(&c, 1, 1.4, 1.4, two, 5, &over));	/* 2.5 and 1.8; median 1.43 */
	CHECK_EQ_INT(over, 2);
	CHECK(canary_judge_window(&c, 1, 1.4, 1.4, shallow, 5, &over));	/* median 1.58, none over */
	CHECK_EQ_INT(over, 0);
	/* the median of fewer than CANARY_MID_MEDIAN_MIN is not judged: one short probe is noisy */
	CHECK(!canary_judge_window(&c, 1, 1.4, 1.4, few, CANARY_MID_MEDIAN_MIN - 1, &over));
	CHECK(!canary_judge_window(&c, 1, 1.4, 1.4, under, 5, &over));	/* median 1.50 */
	CHECK(canary_judge_window(&c, 1, 1.4, 3.0, quiet, 4, &over));	/* an edge alone */
	CHECK_EQ_INT(over, 0);
	CHECK(!canary_judge_window(&c, 1, 1.4, 1.4, NULL, 0, &over));	/* none inside */
	/* probes inside never lower the baseline... */
	CHECK(!canary_judge_window(&c, 1, 1.4, 1.4, low, 2, &over));
	CHECK_NEAR(canary_baseline_of(&c, 1), 1.4, 1e-12);
	CHECK(!canary_judge_window(&c, 1, 1.4, 1.4, later, 4, &over));	/* median 1.50, none over 1.75 */
	/* ...the edges do, first: against 1.2, over 1.5 are 1.55 and 1.60 */
	CHECK(canary_judge_window(&c, 1, 1.2, 1.2, later, 4, &over));
	CHECK_EQ_INT(over, 2);
	CHECK_NEAR(canary_baseline_of(&c, 1), 1.2, 1e-12);
	canary_destroy(&c);
}

/* the short probe a worker takes inside its window measures, and the hook slows it too */
TEST(short_probe_measures_and_the_hook_slows_it)
{
	struct canary c;
	double plain = NAN, slowed = NAN, after = NAN;
	int cpu = sched_getcpu();
	cpu_set_t old;

	REQUIRE(pin_here(cpu, &old) == 0);
	REQUIRE(canary_init(&c, CANARY_DEFAULT_BYTES, (unsigned int)cpu + 1) == 0);
	CHECK_EQ_INT(canary_probe_short(&c, &plain), 0);
	CHECK(plain > 0 && plain < 1e6);
	c.slow_factor = CANARY_HOOK_FACTOR;
	CHECK_EQ_INT(canary_probe_short(&c, &slowed), 0);
	c.slow_factor = 1;
	CHECK_EQ_INT(canary_probe_short(&c, &after), 0);
	/* about 6 x; against the lower plain one, by a wide margin */
	CHECK_MSG(slowed > 1.5 * fmin(plain, after), "hooked short probe %.3f ns, plain %.3f and %.3f ns",
		  slowed, plain, after);
	canary_destroy(&c);
	pthread_setaffinity_np(pthread_self(), sizeof(old), &old);
}

/*
 * The short probe must not read high by itself against the baseline's full
 * one: over CANARY_MID_MEDIAN_RATIO it would flag every window of a plain
 * run by the median rule. Alternated nine times on one PU (the same host
 * moment for both); the median ratio must lie within 0.8-1.10 (measured
 * 1.00-1.01 in windows of quiet runs here, host_canary.csv).
 */
TEST(short_probe_and_full_probe_measure_alike)
{
	struct canary c;
	int cpu = sched_getcpu();
	double r[9], m;
	cpu_set_t old;

	REQUIRE(pin_here(cpu, &old) == 0);
	REQUIRE(canary_init(&c, CANARY_DEFAULT_BYTES, (unsigned int)cpu + 1) == 0);
	for (int i = 0; i < 9; i++) {
		double full = NAN, shrt = NAN;

		CHECK_EQ_INT(canary_probe(&c, -1, &full), 0);
		CHECK_EQ_INT(canary_probe_short(&c, &shrt), 0);
		r[i] = shrt / full;
	}
	m = canary_median(r, 9);
	CHECK_MSG(m > 0.8 && m < CANARY_MID_MEDIAN_RATIO, "short probe / full probe: median %.3f", m);
	canary_destroy(&c);
	pthread_setaffinity_np(pthread_self(), sizeof(old), &old);
}

TEST(hook_value_parsing)
{
	unsigned int f = 99;

	CHECK_EQ_INT(canary_parse_hook(NULL, &f), 0);
	CHECK_EQ_INT(f, 1);
	CHECK_EQ_INT(canary_parse_hook("", &f), 0);
	CHECK_EQ_INT(canary_parse_hook("0", &f), 0);
	CHECK_EQ_INT(f, 1);
	CHECK_EQ_INT(canary_parse_hook("1", &f), 0);
	CHECK_EQ_INT(f, CANARY_HOOK_FACTOR);
	CHECK_EQ_INT(canary_parse_hook("yes", &f), -EINVAL);
	CHECK_EQ_INT(canary_parse_hook("2", &f), -EINVAL);
}

