/*
 * tests/test_pmu.c — src/harness/pmu.c: event parsing, software counters
 * against the loop they count (and against perf stat where it runs),
 * unavailable events never read as 0, the paranoid test hook, scaling.
 *
 * The binary doubles as the helper perf stat runs: with
 * DMABENCH_TEST_PMU_LOOP=N in its environment it runs busy_loop(N) in a
 * constructor and exits before the test runner starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test.h"
#include "harness/clock.h"
#include "harness/pmu.h"

extern char **environ;

/* register-only work: nothing for a sanitizer to instrument, same speed in every build */
static noinline uint64_t busy_loop(uint64_t n)
{
	uint64_t x = 0;

	for (uint64_t i = 0; i < n; i++) {
		x += i ^ (x >> 3);
		__asm__ __volatile__("" : "+r"(x));
	}
	return x;
}

__attribute__((constructor)) static void helper_mode(void)
{
	const char *s = getenv("DMABENCH_TEST_PMU_LOOP");

	if (!s)
		return;
	busy_loop(strtoull(s, NULL, 10));
	_exit(0);
}

/* iterations of busy_loop that take about ms of CPU on this thread */
static uint64_t loop_iters_for_ms(double ms)
{
	uint64_t n = 1u << 20, t0, t1;

	for (;;) {
		t0 = clock_thread_cpu_ns();
		busy_loop(n);
		t1 = clock_thread_cpu_ns();
		if (t1 - t0 >= 5000000 || n >= (1ull << 40))
			break;
		n *= 2;
	}
	return (uint64_t)((double)n * ms * 1e6 / (double)(t1 - t0)) + 1;
}

static int find(const struct pmu_events *ev, const char *base)
{
	for (unsigned int i = 0; i < ev->n; i++)
		if (!strcmp(ev->base[i], base))
			return (int)i;
	return -1;
}

static void status_of(const struct pmu_totals *t, int i, char *buf, size_t len)
{
	buf[0] = '\0';
	pmu_totals_event_status(t, (unsigned int)i, buf, len);
}

/* ---- parsing ---- */

TEST(pmu_default_list_gives_the_schema_columns)
{
	static const char *const want[] = {
		"cycles_per_op", "instructions_per_op", "cache_misses_per_op",
		"task_clock_per_op", "context_switches_per_op", "cpu_migrations_per_op",
	};
	struct pmu_events ev;
	char err[256];

	REQUIRE(pmu_events_parse(NULL, &ev, err, sizeof(err)) == 0);
	CHECK_EQ_INT(ev.n, 6);
	for (unsigned int i = 0; i < ev.n && i < 6; i++)
		CHECK_STR(ev.column[i], want[i]);
	CHECK_STR(ev.name[3], "task-clock");
	pmu_events_free(&ev);
	REQUIRE(pmu_events_parse(PMU_DEFAULT_EVENTS, &ev, err, sizeof(err)) == 0);
	CHECK_EQ_INT(ev.n, 6);
	pmu_events_free(&ev);
}

TEST(pmu_libpfm_names_and_modifiers_parse)
{
	struct pmu_events ev;
	char err[256];

	REQUIRE(pmu_events_parse(" perf::TASK-CLOCK , cycles:u,perf::CONTEXT-SWITCHES", &ev,
				 err, sizeof(err)) == 0);
	CHECK_EQ_INT(ev.n, 3);
	CHECK_STR(ev.column[0], "perf__task_clock_per_op");
	CHECK_STR(ev.column[1], "cycles_u_per_op");
	CHECK_STR(ev.base[2], "perf__context_switches");
	CHECK_STR(ev.name[0], "perf::TASK-CLOCK");
	/* the friendly name is the perf pseudo-PMU's event, whatever else the CPU has */
	CHECK(strstr(pmu_events_encoding(&ev, 1), "perf::") == pmu_events_encoding(&ev, 1));
	CHECK(strstr(pmu_events_encoding(&ev, 1), "CYCLES") != NULL);
	pmu_events_free(&ev);
}

TEST(pmu_unknown_event_is_rejected_by_name)
{
	struct pmu_events ev;
	char err[256];

	CHECK_EQ_INT(pmu_events_parse("cycles,no-such-event-xyz", &ev, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "no-such-event-xyz") != NULL);
	CHECK_EQ_INT(ev.n, 0);
	CHECK(ev.spec == NULL);
	CHECK_EQ_INT(pmu_probe("no-such-event-xyz"), -EINVAL);
}

TEST(pmu_bad_lists_are_rejected)
{
	struct pmu_events ev;
	char err[256], many[1024] = "";

	CHECK_EQ_INT(pmu_events_parse("cycles,,task-clock", &ev, err, sizeof(err)), -EINVAL);
	CHECK_EQ_INT(pmu_events_parse("", &ev, err, sizeof(err)), -EINVAL);
	CHECK_EQ_INT(pmu_events_parse("task-clock,TASK-CLOCK", &ev, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "task_clock_per_op") != NULL);
	for (int i = 0; i <= PMU_MAX_EVENTS; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%sperf::TASK-CLOCK:u=%d",
			 i ? "," : "", i % 2);
	CHECK_EQ_INT(pmu_events_parse(many, &ev, err, sizeof(err)), -EINVAL);
	CHECK_EQ_INT(pmu_events_parse("none", &ev, err, sizeof(err)), 0);
	CHECK_EQ_INT(ev.n, 0);
	pmu_events_free(&ev);
}

/* ---- software events count what happened ---- */

struct window {
	double value;
	int rc;
	char status[64];
	uint64_t cpu_ns, wall_ns;
};

/* one window of `fn(arg)` counted by event `name`, in the calling thread */
static void count_window(const char *name, void (*fn)(uint64_t), uint64_t arg, struct window *w)
{
	struct pmu_events ev;
	struct pmu_thread t;
	struct pmu_totals tot;
	uint64_t c0, w0;

	memset(w, 0, sizeof(*w));
	w->rc = pmu_events_parse(name, &ev, NULL, 0);
	if (w->rc)
		return;
	pmu_thread_open(&t, &ev);
	c0 = clock_thread_cpu_ns();
	w0 = clock_now_ns();
	pmu_thread_start(&t);
	fn(arg);
	pmu_thread_stop(&t);
	w->wall_ns = clock_now_ns() - w0;
	w->cpu_ns = clock_thread_cpu_ns() - c0;
	pmu_thread_read(&t, &tot);
	w->rc = pmu_totals_value(&tot, 0, &w->value);
	status_of(&tot, 0, w->status, sizeof(w->status));
	pmu_thread_close(&t);
	pmu_events_free(&ev);
}

static void run_busy(uint64_t n) { busy_loop(n); }

static void run_sleeps(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		struct timespec ts = { 0, 200000 };	/* 0.2 ms */

		nanosleep(&ts, NULL);
	}
}

TEST(pmu_task_clock_counts_a_busy_loop)
{
	struct window w;

	count_window("task-clock", run_busy, loop_iters_for_ms(40), &w);
	REQUIRE(w.rc == 0);
	/* user-only where perf_event_paranoid keeps a non-root user out of the kernel */
	CHECK_MSG(!strcmp(w.status, "ok") || !strcmp(w.status, "ok(user-only)"), "%s", w.status);
	CHECK(w.value > 0);
	/* task-clock is this thread's CPU time in ns: close to the kernel's own figure */
	CHECK_MSG(w.value > 0.5 * (double)w.cpu_ns && w.value < 2.0 * (double)w.cpu_ns,
		  "task-clock %.0f ns vs thread CPU time %llu ns", w.value,
		  (unsigned long long)w.cpu_ns);
	/* and no more than the wall time it ran in (plus slack for the edges) */
	CHECK_MSG(w.value < 1.5 * (double)w.wall_ns + 1e6, "task-clock %.0f ns vs wall %llu ns",
		  w.value, (unsigned long long)w.wall_ns);
	CHECK_MSG(w.value > 0.2 * (double)w.wall_ns, "task-clock %.0f ns vs wall %llu ns",
		  w.value, (unsigned long long)w.wall_ns);
}

/* perf stat's task-clock (ms) for this binary running busy_loop(iters); < 0 if perf cannot run */
static double perf_stat_task_clock_ms(const char *self, uint64_t iters)
{
	char out[] = "/tmp/dmabench-test-pmu-XXXXXX", env[64], line[512];
	char *argv[] = { "perf", "stat", "-x,", "-e", "task-clock", "-o", out, "--",
			 (char *)self, NULL };
	posix_spawn_file_actions_t fa;
	double ms = -1;
	int fd, status;
	pid_t pid;
	FILE *f;

	fd = mkstemp(out);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(env, sizeof(env), "%llu", (unsigned long long)iters);
	setenv("DMABENCH_TEST_PMU_LOOP", env, 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "perf", &fa, NULL, argv, environ) == 0 &&
	    waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		f = fopen(out, "r");
		while (f && fgets(line, sizeof(line), f))
			/* "12.34,msec,task-clock,..." (task-clock:u when perf counts user only) */
			if (strstr(line, ",task-clock") && line[0] >= '0' && line[0] <= '9')
				ms = strtod(line, NULL);
		if (f)
			fclose(f);
	}
	posix_spawn_file_actions_destroy(&fa);
	unsetenv("DMABENCH_TEST_PMU_LOOP");
	unlink(out);
	return ms;
}

TEST(pmu_task_clock_agrees_with_perf_stat)
{
	uint64_t iters = loop_iters_for_ms(100);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	double base_ms, loop_ms, pmu_ms, cpu_ms;
	struct window w;

	count_window("task-clock", run_busy, iters, &w);
	REQUIRE(w.rc == 0);
	pmu_ms = w.value / 1e6;
	cpu_ms = (double)w.cpu_ns / 1e6;
	REQUIRE(n > 0);
	self[n] = '\0';
	/* perf counts the whole process: subtract a run that only starts and exits */
	base_ms = perf_stat_task_clock_ms(self, 0);
	loop_ms = perf_stat_task_clock_ms(self, iters);
	if (base_ms < 0 || loop_ms < 0) {
		printf("# perf stat cannot run here: comparing task-clock with CLOCK_THREAD_CPUTIME_ID instead\n");
		printf("# task-clock: pmu %.2f ms, thread CPU time %.2f ms (ratio %.3f)\n",
		       pmu_ms, cpu_ms, pmu_ms / cpu_ms);
		CHECK_MSG(pmu_ms > 0.5 * cpu_ms && pmu_ms < 2.0 * cpu_ms,
			  "pmu %.2f ms vs CPU time %.2f ms", pmu_ms, cpu_ms);
		return;
	}
	printf("# task-clock for the same loop: pmu %.2f ms, perf stat %.2f ms "
	       "(%.2f ms run minus %.2f ms start-up run; ratio %.3f), thread CPU time %.2f ms\n",
	       pmu_ms, loop_ms - base_ms, loop_ms, base_ms, pmu_ms / (loop_ms - base_ms), cpu_ms);
	CHECK_MSG(pmu_ms > 0.5 * (loop_ms - base_ms) && pmu_ms < 2.0 * (loop_ms - base_ms),
		  "pmu %.2f ms vs perf stat %.2f ms", pmu_ms, loop_ms - base_ms);
}

TEST(pmu_context_switches_count_sleeps)
{
	struct window w;

	count_window("context-switches", run_sleeps, 20, &w);
	if (w.rc && geteuid() != 0 && strstr(w.status, "EACCES")) {
		/* paranoid >= 2 and not root: kernel-context events are refused, and say so */
		printf("# context-switches unavailable here (%s)\n", w.status);
		return;
	}
	REQUIRE(w.rc == 0);
	CHECK_MSG(w.value >= 10, "20 sleeps, %.0f context switches", w.value);
	CHECK_MSG(w.value < 1000, "20 sleeps, %.0f context switches", w.value);
}

TEST(pmu_windows_count_only_their_own_span)
{
	struct pmu_events ev;
	struct pmu_thread t;
	struct pmu_totals first, second;
	double v1 = 0, v2 = 0;

	REQUIRE(pmu_events_parse("task-clock", &ev, NULL, 0) == 0);
	pmu_thread_open(&t, &ev);
	pmu_thread_start(&t);
	busy_loop(loop_iters_for_ms(30));
	pmu_thread_stop(&t);
	pmu_thread_read(&t, &first);
	busy_loop(loop_iters_for_ms(30));	/* between windows: not counted */
	pmu_thread_start(&t);
	pmu_thread_stop(&t);
	pmu_thread_read(&t, &second);
	CHECK(pmu_totals_value(&first, 0, &v1) == 0);
	CHECK(pmu_totals_value(&second, 0, &v2) == 0);
	CHECK_MSG(v1 > 10e6, "first window %.0f ns", v1);
	CHECK_MSG(v2 < 5e6, "an empty second window counted %.0f ns", v2);
	pmu_thread_close(&t);
	pmu_events_free(&ev);
}

/* stop, then resume: what ran between is left out, the rest kept (the runner's canary probes) */
TEST(pmu_resume_leaves_out_what_ran_while_stopped)
{
	struct pmu_events ev;
	struct pmu_thread t;
	struct pmu_totals tot;
	uint64_t c0, c1, c2, c3;
	double v = 0, counted, paused;

	REQUIRE(pmu_events_parse("task-clock", &ev, NULL, 0) == 0);
	pmu_thread_open(&t, &ev);
	c0 = clock_thread_cpu_ns();
	pmu_thread_start(&t);
	busy_loop(loop_iters_for_ms(30));
	pmu_thread_stop(&t);
	c1 = clock_thread_cpu_ns();
	busy_loop(loop_iters_for_ms(60));	/* stopped: not counted */
	c2 = clock_thread_cpu_ns();
	pmu_thread_resume(&t);
	busy_loop(loop_iters_for_ms(30));
	pmu_thread_stop(&t);
	c3 = clock_thread_cpu_ns();
	pmu_thread_read(&t, &tot);
	REQUIRE(pmu_totals_value(&tot, 0, &v) == 0);
	counted = (double)(c1 - c0) + (double)(c3 - c2);
	paused = (double)(c2 - c1);
	/* task-clock is CPU time: the two counted spans, within a wide margin, and not the paused one */
	CHECK_MSG(v > 0.7 * counted && v < 1.3 * counted + 2e6, "task-clock %.0f ns, counted spans %.0f ns, paused %.0f ns",
		  v, counted, paused);
	CHECK_MSG(v < counted + 0.5 * paused, "task-clock %.0f ns: the paused %.0f ns counted", v, paused);
	pmu_thread_close(&t);
	pmu_events_free(&ev);
}

/* ---- what cannot be counted is marked, never 0 ---- */

TEST(pmu_hardware_event_is_counted_or_marked_unavailable)
{
	struct pmu_events ev;
	struct pmu_thread t;
	struct pmu_totals tot;
	char st[64], all[512];
	double v = -1;
	int cyc, tc;

	REQUIRE(pmu_events_parse(PMU_DEFAULT_EVENTS, &ev, NULL, 0) == 0);
	cyc = find(&ev, "cycles");
	tc = find(&ev, "task_clock");
	REQUIRE(cyc >= 0 && tc >= 0);
	CHECK_EQ_INT(pmu_thread_open(&t, &ev), 0);
	CHECK_EQ_INT(pmu_thread_start(&t), 0);
	busy_loop(loop_iters_for_ms(5));
	CHECK_EQ_INT(pmu_thread_stop(&t), 0);
	CHECK_EQ_INT(pmu_thread_read(&t, &tot), 0);
	status_of(&tot, cyc, st, sizeof(st));
	if (t.fd[cyc] >= 0) {
		printf("# this machine has a hardware PMU: cycles %s\n", st);
		CHECK(pmu_totals_value(&tot, (unsigned int)cyc, &v) == 0);
		CHECK(v > 0);
	} else {
		printf("# cycles: %s\n", st);
		CHECK(pmu_totals_value(&tot, (unsigned int)cyc, &v) < 0);
		CHECK(v == -1);		/* untouched: no number, not 0 */
		CHECK(strncmp(st, "unavailable(", 12) == 0);
		CHECK(strlen(st) > strlen("unavailable()"));
		CHECK(pmu_probe("cycles") < 0);
	}
	/* the rest of the set goes on */
	CHECK(pmu_totals_value(&tot, (unsigned int)tc, &v) == 0);
	CHECK(v > 0);
	CHECK(pmu_probe("task-clock") == 0);
	/* one status entry per event, in list order */
	CHECK_EQ_INT(pmu_totals_status(&tot, all, sizeof(all)), 0);
	CHECK(strncmp(all, "cycles:", 7) == 0);
	CHECK(strstr(all, ";instructions:") && strstr(all, ";cache_misses:") &&
	      strstr(all, ";task_clock:ok") && strstr(all, ";context_switches:") &&
	      strstr(all, ";cpu_migrations:"));
	pmu_thread_close(&t);
	pmu_events_free(&ev);
}

static void check_all_denied(const char *how)
{
	struct pmu_events ev;
	struct pmu_thread t;
	struct pmu_totals tot;
	char all[512];

	REQUIRE(pmu_events_parse(NULL, &ev, NULL, 0) == 0);
	pmu_thread_open(&t, &ev);
	CHECK_EQ_INT(pmu_thread_nr_open(&t), 0);
	pmu_thread_start(&t);
	pmu_thread_stop(&t);
	pmu_thread_read(&t, &tot);
	for (unsigned int i = 0; i < ev.n; i++) {
		double v = -1;

		CHECK_EQ_INT(pmu_totals_value(&tot, i, &v), -EACCES);
		CHECK(v == -1);
	}
	pmu_totals_status(&tot, all, sizeof(all));
	CHECK_MSG(!strcmp(all, "cycles:unavailable(EACCES);instructions:unavailable(EACCES);"
			  "cache_misses:unavailable(EACCES);task_clock:unavailable(EACCES);"
			  "context_switches:unavailable(EACCES);cpu_migrations:unavailable(EACCES)"),
		  "%s: %s", how, all);
	CHECK_EQ_INT(pmu_probe("task-clock"), -EACCES);
	pmu_thread_close(&t);
	pmu_events_free(&ev);
}

TEST(pmu_deny_hook_makes_everything_unavailable)
{
	pmu_set_deny(PMU_DENY_ALL);
	check_all_denied("pmu_set_deny");
	pmu_set_deny(PMU_DENY_NONE);
	CHECK(pmu_probe("task-clock") == 0);
}

TEST(pmu_deny_environment_makes_everything_unavailable)
{
	setenv("DMABENCH_PMU_DENY", "1", 1);
	check_all_denied("DMABENCH_PMU_DENY=1");
	unsetenv("DMABENCH_PMU_DENY");
	CHECK(pmu_probe("task-clock") == 0);
}

TEST(pmu_kernel_refused_falls_back_to_user_only)
{
	struct window tc, cs;

	pmu_set_deny(PMU_DENY_KERNEL);
	count_window("task-clock", run_busy, loop_iters_for_ms(5), &tc);
	count_window("context-switches", run_sleeps, 5, &cs);
	pmu_set_deny(PMU_DENY_NONE);
	CHECK_EQ_INT(tc.rc, 0);
	CHECK_STR(tc.status, "ok(user-only)");
	CHECK(tc.value > 0);
	/* user-only would read 0 for an event that happens in the kernel: refused instead */
	CHECK_EQ_INT(cs.rc, -EACCES);
	CHECK_STR(cs.status, "unavailable(EACCES)");
}

/* ---- totals ---- */

TEST(pmu_totals_scale_multiplexed_readings)
{
	struct pmu_events ev;
	struct pmu_totals a, b;
	char st[64];
	double v = 0;

	REQUIRE(pmu_events_parse("task-clock,cycles,instructions", &ev, NULL, 0) == 0);
	pmu_totals_init(&a, &ev);
	pmu_totals_record(&a, 0, 1000, 2000, 2000, false);	/* ran all the time */
	pmu_totals_record(&a, 1, 100, 400, 100, false);		/* ran a quarter of it */
	pmu_totals_record(&a, 2, 100, 400, 0, false);		/* never ran */
	CHECK(pmu_totals_value(&a, 0, &v) == 0);
	CHECK_NEAR(v, 1000, 1e-9);
	CHECK(pmu_totals_value(&a, 1, &v) == 0);
	CHECK_NEAR(v, 400, 1e-9);
	status_of(&a, 1, st, sizeof(st));
	CHECK_STR(st, "scaled(25%)");
	CHECK_EQ_INT(pmu_totals_value(&a, 2, &v), -ENODATA);
	status_of(&a, 2, st, sizeof(st));
	CHECK_STR(st, "unavailable(not-counted)");

	/* a second thread: sums, and one thread's failure makes the sum unavailable */
	pmu_totals_init(&b, &ev);
	pmu_totals_record(&b, 0, 500, 1000, 1000, false);
	pmu_totals_record(&b, 1, 300, 400, 200, true);
	pmu_totals_record_error(&b, 2, ENOENT);
	CHECK_EQ_INT(pmu_totals_add(&a, &b), 0);
	CHECK(pmu_totals_value(&a, 0, &v) == 0);
	CHECK_NEAR(v, 1500, 1e-9);
	CHECK(pmu_totals_value(&a, 1, &v) == 0);
	CHECK_NEAR(v, 1000, 1e-9);		/* 400 + 300 * 400/200 */
	status_of(&a, 1, st, sizeof(st));
	CHECK_STR(st, "scaled(38%+user-only)");	/* 300 running of 800 enabled */
	CHECK_EQ_INT(pmu_totals_value(&a, 2, &v), -ENOENT);
	status_of(&a, 2, st, sizeof(st));
	CHECK_STR(st, "unavailable(ENOENT)");
	CHECK_EQ_INT(pmu_totals_value(&a, 3, &v), -EINVAL);

	/* nothing read at all is not a zero either */
	pmu_totals_init(&b, &ev);
	CHECK_EQ_INT(pmu_totals_value(&b, 0, &v), -ENODATA);
	status_of(&b, 0, st, sizeof(st));
	CHECK_STR(st, "unavailable(no-data)");
	pmu_events_free(&ev);
}

TEST(pmu_status_never_truncates_an_entry)
{
	struct pmu_events ev;
	struct pmu_totals a;
	char buf[40];

	REQUIRE(pmu_events_parse(NULL, &ev, NULL, 0) == 0);
	pmu_totals_init(&a, &ev);
	for (unsigned int i = 0; i < ev.n; i++)
		pmu_totals_record(&a, i, 1, 1, 1, false);
	CHECK_EQ_INT(pmu_totals_status(&a, buf, sizeof(buf)), -ENOSPC);
	CHECK_STR(buf, "cycles:ok;instructions:ok");
	pmu_events_free(&ev);
}

struct worker {
	const struct pmu_events *ev;
	uint64_t iters;
	struct pmu_totals tot;
	uint64_t cpu_ns;
	int rc;
} __attribute__((aligned(64)));

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct pmu_thread t;
	uint64_t c0;

	w->rc = pmu_thread_open(&t, w->ev);
	c0 = clock_thread_cpu_ns();
	pmu_thread_start(&t);
	busy_loop(w->iters);
	pmu_thread_stop(&t);
	w->cpu_ns = clock_thread_cpu_ns() - c0;
	pmu_thread_read(&t, &w->tot);
	pmu_thread_close(&t);
	return NULL;
}

TEST(pmu_threads_count_themselves_and_sum)
{
	struct pmu_events ev;
	struct worker w[2];
	pthread_t th[2];
	struct pmu_totals sum;
	double v = 0, v0 = 0, cpu = 0;
	uint64_t iters = loop_iters_for_ms(20);

	REQUIRE(pmu_events_parse("task-clock", &ev, NULL, 0) == 0);
	for (int i = 0; i < 2; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].ev = &ev;
		w[i].iters = iters * (uint64_t)(i + 1);	/* the second does twice the work */
		REQUIRE(pthread_create(&th[i], NULL, worker_fn, &w[i]) == 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pmu_totals_init(&sum, &ev);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ_INT(w[i].rc, 0);
		CHECK_EQ_INT(pmu_totals_add(&sum, &w[i].tot), 0);
		cpu += (double)w[i].cpu_ns;
	}
	/* each thread counted its own work, not the process's */
	CHECK(pmu_totals_value(&w[0].tot, 0, &v0) == 0);
	CHECK(pmu_totals_value(&w[1].tot, 0, &v) == 0);
	CHECK_MSG(v > 1.3 * v0, "thread doing twice the work: %.0f vs %.0f ns", v, v0);
	CHECK(pmu_totals_value(&sum, 0, &v) == 0);
	CHECK_MSG(v > 0.5 * cpu && v < 2.0 * cpu, "sum %.0f ns vs CPU time %.0f ns", v, cpu);
	CHECK_EQ_INT(sum.c[0].threads, 2);
	pmu_events_free(&ev);
}
