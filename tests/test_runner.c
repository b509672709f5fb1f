/* src/harness/runner.c: descheduled and overrun windows are marked (runner_window_marks); the canary probes at the edges sit outside the window, those inside it are taken out of its time. */
#include <math.h>
#include <time.h>
#include "harness/runner.h"
#include "test.h"

static int init_none(void *arg, unsigned int thread, int pu_os, void **tctx)
{
	(void)arg; (void)thread; (void)pu_os;
	*tctx = NULL;
	return 0;
}

static void exit_none(void *tctx) { (void)tctx; }

static unsigned long sleep_ns;	/* set by the test before runner_run, read by the worker */

/* n calls of "sleep": wall time passes, the thread's CPU time does not */
static unsigned long batch_sleep(void *tctx, unsigned long n)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)sleep_ns };

	(void)tctx;
	(void)n;
	nanosleep(&ts, NULL);
	return 0;
}

static struct runner_result run_sleeping(unsigned long each_ns, uint64_t duration_ns)
{
	struct runner_config cfg = { .nr_threads = 1, .warmup_ns = 1000000, .duration_ns = duration_ns };
	struct runner_work work = { .thread_init = init_none, .batch = batch_sleep, .thread_exit = exit_none };
	struct runner_result res;

	sleep_ns = each_ns;
	if (runner_run(&cfg, &work, &res))
		memset(&res, 0, sizeof(res));
	return res;
}

TEST(marks_thresholds)
{
	struct runner_result r = { .busy_ns = 1000000000, .span_ns = 300000000 };

	r.cpu_ns = 950000000;
	CHECK_EQ_INT(runner_window_marks(&r, 300000000), 0);
	r.cpu_ns = 899000000;	/* under 90% of the wall time */
	CHECK_EQ_INT(runner_window_marks(&r, 300000000), RUNNER_DESCHEDULED);
	r.cpu_ns = 1000000000;
	r.span_ns = 300000000 + 75000000 + 10000000;	/* exactly at the margin: not over it */
	CHECK_EQ_INT(runner_window_marks(&r, 300000000), 0);
	r.span_ns = 1120000000;	/* the SIGSTOP case of issue 13: 1.12 s for 0.3 asked */
	CHECK_EQ_INT(runner_window_marks(&r, 300000000), RUNNER_OVERRAN);
	r.cpu_ns = 100000000;
	CHECK_EQ_INT(runner_window_marks(&r, 300000000), RUNNER_DESCHEDULED | RUNNER_OVERRAN);
	r = (struct runner_result){ 0 };	/* nothing ran: nothing to say */
	CHECK_EQ_INT(runner_window_marks(&r, 300000000), 0);
}

TEST(sleeping_window_is_descheduled)
{
	struct runner_result r = run_sleeping(1000000, 30000000);	/* 1 ms sleeps, 30 ms window */

	REQUIRE(r.nr_threads == 1);
	CHECK(r.busy_ns >= 30000000);
	CHECK_MSG(r.cpu_ns < r.busy_ns / 2, "cpu %llu ns of %llu ns wall",
		  (unsigned long long)r.cpu_ns, (unsigned long long)r.busy_ns);
	CHECK(runner_window_marks(&r, 30000000) & RUNNER_DESCHEDULED);
	runner_result_free(&r);
}

TEST(window_past_its_deadline_overran)
{
	/* one 80 ms batch in a 20 ms window: it ends 60 ms late, over 25% + 10 ms */
	struct runner_result r = run_sleeping(80000000, 20000000);

	REQUIRE(r.nr_threads == 1);
	CHECK(r.span_ns >= 80000000);
	CHECK(runner_window_marks(&r, 20000000) & RUNNER_OVERRAN);
	runner_result_free(&r);
}

static unsigned long batch_spin(void *tctx, unsigned long n)
{
	volatile unsigned long x = 0;

	(void)tctx;
	for (unsigned long i = 0; i < n * 10; i++)
		x += i;
	return 0;
}

/* each worker probes its PU before and after the window, outside it */
TEST(canary_probes_sit_outside_the_window)
{
	struct canary c;
	struct runner_config cfg = { .nr_threads = 1, .warmup_ns = 1000000, .duration_ns = 20000000 };
	struct runner_work work = { .thread_init = init_none, .batch = batch_spin, .thread_exit = exit_none };
	struct runner_result r;
	uint64_t plain_ops;

	REQUIRE(runner_run(&cfg, &work, &r) == 0);
	CHECK(isnan(r.threads[0].canary_before) && isnan(r.threads[0].canary_after));	/* none asked */
	plain_ops = r.ops;
	runner_result_free(&r);

	REQUIRE(canary_init(&c, CANARY_DEFAULT_BYTES, 1) == 0);
	/*
	 * The hook at 300 x: each probe's 101 samples of 2048 dependent loads
	 * (1 ns or more each: an L1 hit's latency) last 300 x as long, over
	 * 60 ms a probe. Inside the 20 ms window a probe would stretch it past
	 * 60 ms, or (between the deadline being set and the loop) leave it a
	 * batch or two; outside, the window keeps its length and its work.
	 */
	c.slow_factor = 300;
	cfg.canary = &c;
	REQUIRE(runner_run(&cfg, &work, &r) == 0);
	CHECK(r.threads[0].canary_before > 0);
	CHECK(r.threads[0].canary_after > 0);
	CHECK_MSG(r.span_ns < 50000000, "window %llu ns", (unsigned long long)r.span_ns);
	CHECK_MSG(r.ops * 3 > plain_ops, "%llu calls in the window, %llu without the canary",
		  (unsigned long long)r.ops, (unsigned long long)plain_ops);
	runner_result_free(&r);
	canary_destroy(&c);
}

/*
 * Probes inside the window (canary_every_ns): taken between batches, their
 * time out of the thread's busy time (so out of ns_per_op), at most
 * CANARY_MID_MAX a window. What they do to a measured figure is measured,
 * not tested (DMABENCH_CANARY_INSIDE=odd: docs/METHODOLOGY.md §6): a
 * loaded test machine would move it more.
 */
TEST(canary_probes_inside_the_window_are_taken_out_of_it)
{
	struct canary c;
	struct runner_config cfg = { .nr_threads = 1, .warmup_ns = 1000000, .duration_ns = 100000000 };
	struct runner_work work = { .thread_init = init_none, .batch = batch_spin, .thread_exit = exit_none };
	struct runner_result r;
	const struct runner_thread *t;

	REQUIRE(canary_init(&c, CANARY_DEFAULT_BYTES, 1) == 0);
	cfg.canary = &c;
	REQUIRE(runner_run(&cfg, &work, &r) == 0);	/* every_ns 0: at the edges only */
	CHECK_EQ_INT(r.threads[0].canary_mid_n, 0);
	CHECK(r.threads[0].paused_ns == 0);
	CHECK(r.busy_ns == r.threads[0].end_ns - r.threads[0].start_ns);
	runner_result_free(&r);

	/*
	 * The hook at 300 x: each short probe's 15 samples spin 299 x their
	 * own time (at least 2048 loads of 0.25 ns or more each), so over 2 ms
	 * a probe. One every 20 ms of a 100 ms window: one to four of them (a
	 * loaded machine stretches them), all out of the busy time.
	 */
	c.slow_factor = 300;
	cfg.canary_every_ns = 20000000;
	REQUIRE(runner_run(&cfg, &work, &r) == 0);
	t = &r.threads[0];
	CHECK_MSG(t->canary_mid_n >= 1 && t->canary_mid_n <= 5, "%u probes inside", t->canary_mid_n);
	for (unsigned int i = 0; i < t->canary_mid_n; i++)
		CHECK(t->canary_mid[i] > 0);
	CHECK_MSG(t->paused_ns > 2000000ull * t->canary_mid_n, "paused %llu ns for %u probes",
		  (unsigned long long)t->paused_ns, t->canary_mid_n);
	CHECK(r.busy_ns == t->end_ns - t->start_ns - t->paused_ns);
	CHECK(r.ops > 0 && r.ns_per_op == (double)r.busy_ns / (double)r.ops);
	CHECK(t->cpu_ns <= t->end_ns - t->start_ns - t->paused_ns + 20000000ull);	/* CPU time less the probes */
	runner_result_free(&r);

	/* a probe after every batch: CANARY_MID_MAX of them, no more */
	c.slow_factor = 1;
	cfg.canary_every_ns = 1;
	cfg.duration_ns = 50000000;
	REQUIRE(runner_run(&cfg, &work, &r) == 0);
	CHECK_EQ_INT(r.threads[0].canary_mid_n, CANARY_MID_MAX);
	runner_result_free(&r);
	canary_destroy(&c);
}
