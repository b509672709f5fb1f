/*
 * Running a plan (bench/sweep.h): the sweep's loop over the plan's windows,
 * between the passes and files that frame it, and the soak's loop; progress
 * on stderr and the closing table. The parts live beside it
 * (bench/sweep_state.h): the run directory and signals, one window, the
 * calibration passes.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness/costmodel.h"
#include "harness/topo.h"
#include "scenario.h"
#include "strategy/strategy.h"
#include "sweep.h"
#include "sweep_state.h"

#define ARENA_BYTES	(256UL << 20)	/* reserved, touched only as used */

/* ---- progress on stderr ---- */

static void progress(const struct sweep *sw, unsigned int k, unsigned int n, double elapsed)
{
	bool tty = isatty(STDERR_FILENO);
	double left = k ? elapsed / k * (n - k) : plan_estimate_s(sw->plan);

	fprintf(stderr, "%s[%u/%u] elapsed %.0f s, about %.0f s left%s",
		tty ? "\r" : "", k, n, elapsed, left, tty ? "\033[K" : "\n");
}

/*
 * Test hook: DMABENCH_FAIL_ALLOC_AFTER=N makes the model's allocation N calls
 * after the first window's setup begins (0: the first), and every later one,
 * fail (model_fail_alloc_after), so the driver's path for a world that cannot
 * be built, and the soak's for failed maps, are exercised end to end. Not
 * for measuring.
 */
static void fail_alloc_hook(void)
{
	const char *v = getenv("DMABENCH_FAIL_ALLOC_AFTER");
	char *end;
	long n;

	if (!v || !*v)
		return;
	errno = 0;
	n = strtol(v, &end, 10);
	if (!errno && !*end && n >= 0)
		model_fail_alloc_after(n);
}

/* How many windows the scheduler took from, and how many the host disturbed (results/README.md: flags). */
static void print_flagged(const struct report *r)
{
	unsigned int rows, d, o, c, h, s, any;

	report_count_flagged(r, ROWFLAG_DESCHEDULED, &rows, &d);
	report_count_flagged(r, ROWFLAG_OVERRAN, &rows, &o);
	report_count_flagged(r, ROWFLAG_DESCHEDULED | ROWFLAG_OVERRAN, &rows, &any);
	printf("\nflagged windows: %u of %u (desched %u: task clock under %.0f%% of wall time;\n"
	       "  overran %u: over the asked window by more than %.0f%% + %llu ms)\n",
	       any, rows, d, RUNNER_DESCHED_CPU_FRACTION * 100, o, RUNNER_OVERRUN_FRACTION * 100,
	       RUNNER_OVERRUN_SLACK_NS / 1000000ULL);
	if (any)
		printf("  their ns_per_op counts time off CPU; see flags in results.csv\n");
	report_count_flagged(r, ROWFLAG_HOST_C2C, &rows, &c);
	report_count_flagged(r, ROWFLAG_HOST_SLOW, &rows, &h);
	report_count_flagged(r, ROWFLAG_HOST_STEAL, &rows, &s);
	report_count_flagged(r, ROWFLAG_HOST_C2C | ROWFLAG_HOST_SLOW | ROWFLAG_HOST_STEAL, &rows, &any);
	printf("host windows: %u of %u (host-c2c %u: the vCPUs' round trip off %.1fx its typical;\n"
	       "  host-slow %u: the cache canary over %.2fx its lowest, or inside the window %.2fx\n"
	       "  at its median; host-steal %u)\n",
	       any, rows, c, PAIRPROBE_RATIO, h, CANARY_SLOW_RATIO, CANARY_MID_MEDIAN_RATIO, s);
}

/*
 * A test hook's environment variable (see its parse function): *factor from
 * parse; a bad value is one line and 2; an active hook says so on stderr.
 */
static int read_hook(const char *name, int (*parse)(const char *, unsigned int *),
		     unsigned int *factor, const char *what, const char *flag, const char *expect)
{
	const char *v = getenv(name);

	if (parse(v, factor)) {
		char q[FLAG_QUOTE_LEN];

		fprintf(stderr, "dmabench: %s: invalid value '%s': expected %s\n", name,
			flag_quote(v, q, sizeof(q)), expect);
		return 2;
	}
	if (*factor > 1)
		fprintf(stderr, "dmabench: %s: %s on purpose (a test of the %s flag)\n", name, what, flag);
	return 0;
}

/*
 * The model's per-CPU data (src/model/compiler.h) is sized for
 * MODEL_MAX_CPUS: a machine with a PU above it would put several threads in
 * one per-CPU slot, which the model assumes is never shared. Refused.
 */
static int check_nr_cpu_ids(const struct plan *p)
{
	int max = topo_max_pu_os(p->topo);

	if (!model_set_nr_cpu_ids(max + 1))
		return 0;
	fprintf(stderr, "dmabench: this machine has a PU with OS index %d; the model's per-CPU data "
		"holds %d CPUs (MODEL_MAX_CPUS, src/model/compiler.h)\n", max, MODEL_MAX_CPUS);
	return -EINVAL;
}

int sweep_run(struct plan *p, const struct options *o)
{
	struct sweep sw = { .plan = p, .opt = o };
	unsigned int n = p->nr_configs * p->reps, done = 0;
	char err[512];
	double t0;
	unsigned int canary_factor, pair_factor;
	int rc, sig, exit_rc = 0;
	bool in_dir;
	int canary_inside = 1;
	const char *inside = getenv("DMABENCH_CANARY_INSIDE");

	if (!p->this_system) {
		fprintf(stderr, "dmabench: the topology is not this machine's (HWLOC_SYNTHETIC or HWLOC_XMLFILE set): only --dry-run can use it\n");
		return 2;
	}
	if (window_inject_parse(err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (window_inject.strategy)
		fprintf(stderr, "dmabench: DMABENCH_INJECT_NS: %s is slowed on purpose (a test of the comparison, not a measurement)\n",
			window_inject.strategy->name);
	if (read_hook("DMABENCH_CANARY_SLOW", canary_parse_hook, &canary_factor,
		      "the host canary is slowed", "host-slow", "0 or 1") ||
	    read_hook("DMABENCH_PAIR_SLOW", pairprobe_parse_hook, &pair_factor,
		      "the pair probe's figures are scaled (1: the windows', start: the start-up ones)",
		      "host-c2c", "0, 1 or start"))
		return 2;
	/*
	 * DMABENCH_CANARY_INSIDE=0: the canary at the windows' edges only; odd:
	 * inside odd repetitions only (what the probes inside cost, in one run)
	 */
	if (inside && *inside) {
		if (!strcmp(inside, "0") || !strcmp(inside, "1") || !strcmp(inside, "odd")) {
			canary_inside = !strcmp(inside, "0") ? 0 : !strcmp(inside, "1") ? 1 : 2;
		} else {
			fprintf(stderr, "dmabench: DMABENCH_CANARY_INSIDE: invalid value '%s' (0, 1 or odd)\n", inside);
			return 2;
		}
		if (canary_inside != 1)
			fprintf(stderr, "dmabench: DMABENCH_CANARY_INSIDE=%s: no canary probes inside %s windows\n",
				inside, canary_inside ? "even repetitions'" : "the");
	}
	sweep_install_signals();
	if (check_nr_cpu_ids(p))
		return 1;
	rc = pmu_init();
	if (!rc)
		rc = pmu_events_parse(o->events, &sw.events, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "dmabench: --events: invalid value '%s': %s\n", o->events, err);
		return 2;
	}
	rc = rundir_create(&sw);
	if (rc) {
		pmu_events_free(&sw.events);
		return rc;
	}
	for (int i = 0; i < p->nr_notes; i++)
		fprintf(stderr, "dmabench: %s\n", p->notes[i]);
	if (strategy_startup_note())
		fprintf(stderr, "dmabench: %s\n", strategy_startup_note());

	sw.timer_overhead_ns = clock_overhead_ns();
	sw.inv_ticks = clock_ns_to_ticks(o->inv_ns, clock_ticks_per_ns());
	sw.arena_ok = !arena_create(&sw.arena, p->topo, p->home_node, ARENA_BYTES);
	sw.arena_allocator = (struct model_allocator){
		.zalloc_shared = arena_zalloc, .free_shared = arena_free, .arg = &sw.arena,
	};
	if (!sw.arena_ok)
		fprintf(stderr, "dmabench: no home-node arena; model memory comes from the heap\n");
	window_canary_setup(&sw, canary_factor, canary_inside);
	window_pairs_setup(&sw, pair_factor);

	/* from here every write failure ends the run: exit 1, status failed */
	if (!rundir_write_machine(&sw, "running")) {
		rundir_write_topology(&sw);
		if (!sw.werr)
			pass_c2c(&sw);
		if (!sw.werr)
			pass_runlen(&sw);
		if (!sw.werr)
			rundir_write_machine(&sw, "running");
	}
	if (!sw.werr) {
		rc = report_open(&sw.report, p, &sw.events, sw.dir, sw.run_id, sw.machine, o->seed,
				 sw.timer_overhead_ns);
		if (rc)
			rundir_file_failed(&sw, "results.csv", rc);
	}

	fail_alloc_hook();
	t0 = sweep_now_s();
	for (unsigned int i = 0; i < n && !sweep_signalled() && !sw.werr; i++) {
		rc = window_run_item(&sw, &p->order[i]);
		if (sw.werr || rundir_check(&sw))
			break;	/* said once, below */
		if (rc == -ECANCELED || (rc && sweep_signalled()))
			break;	/* the window in progress was interrupted: no row */
		if (rc) {
			const struct config *c = &p->configs[p->order[i].config];

			fprintf(stderr, "%sdmabench: %s/%s/%s threads=%d: %s\n",
				isatty(STDERR_FILENO) ? "\n" : "", c->scenario->name, c->strategy->name,
				config_mode_name(c), c->threads,
				rc == -EPERM ? "binding failed (--strict-binding)" : strerror(-rc));
			exit_rc = 1;
			break;
		}
		done++;
		progress(&sw, done, n, sweep_now_s() - t0);
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	model_fail_alloc_after(-1);
	/* one reading decides both the status written and the exit status */
	sig = sweep_signalled();
	if (sig) {
		exit_rc = 128 + sig;
		fprintf(stderr, "dmabench: interrupted by %s: %u of %u windows measured; their rows are kept\n",
			sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" :
			"a signal", done, n);
	}

	/* after the windows: the placement verdicts against the whole run */
	if (!sw.werr) {
		rc = window_pairs_rejudge(&sw);
		if (rc)
			rundir_file_failed(&sw, "results.csv or host_c2c.csv", rc);
	}
	if (!sw.werr) {
		rc = window_write_canary_csv(&sw);
		if (rc)
			rundir_file_failed(&sw, "host_canary.csv", rc);
	}
	/* after the windows (c1 is known now), before the summary */
	if (!sw.werr && !sig)
		pass_runlen_calls(&sw);
	if (!sw.werr && sw.have_c2c)
		sw.c2c_refcount_model = costmodel_for_plan(p, &sw.c2c, &sw.report);
	if (!sw.werr) {
		rc = report_summary(&sw.report, sw.c2c_refcount_model);
		if (rc)
			rundir_file_failed(&sw, "summary.csv", rc);
	}
	/* results.json only for a run that finished or was interrupted cleanly */
	if (!sw.werr && (sig || !exit_rc)) {
		rc = report_json(&sw.report, sig ? "interrupted" : "complete", topo_nr_allowed_pus(p->topo));
		if (rc)
			rundir_file_failed(&sw, "results.json", rc);
	}
	/* not into a directory that is gone or is another one now */
	if (!sw.werr)
		rundir_check(&sw);
	in_dir = !sw.werr || strcmp(sw.werr_path, sw.dir);	/* the directory itself is not lost */
	if (in_dir) {
		if (rundir_write_machine(&sw, sig ? "interrupted" : exit_rc || sw.werr ? "failed" : "complete"))
			rundir_patch_machine_failed(&sw);
	}
	if (sw.werr) {
		fprintf(stderr, "dmabench: cannot write %s: %s%s\n", sw.werr_path,
			sw.werr == -ESTALE ? "the run directory was removed and made again during the run"
					   : strerror(-sw.werr),
			in_dir ? "" : " (nothing more is written)");
		if (!sig)
			exit_rc = 1;
	} else {
		report_table(&sw.report, stdout);
		print_flagged(&sw.report);
		printf("run directory: %s\n", sw.dir);
	}
	report_close(&sw.report);
	free(sw.c2c_refcount_model);
	free(sw.runlen);
	free(sw.runlen_calls);
	if (sw.have_c2c)
		c2c_free(&sw.c2c);
	if (sw.arena_ok)
		arena_destroy(&sw.arena);
	if (sw.canary_ok)
		canary_destroy(&sw.canary);
	free(sw.canary_recs);
	pairprobe_destroy(&sw.pairs);
	free(sw.pair_probes);
	pmu_events_free(&sw.events);
	return exit_rc;
}

/* ---- soak: long map-unmap runs, then the model's invariants ---- */

static int soak_item(struct sweep *sw, const struct config *c, struct model_check *check,
		     bool *checked, struct runner_result *res)
{
	const char *note;
	int check_rc;
	int rc = window_run(sw, c, 0, 0, NULL, false, res, check, &check_rc, &note);

	/* an interrupted window is checked too: a broken invariant outranks it */
	*checked = check_rc != -ENODATA;
	if (*checked && check_rc)
		rc = check_rc;
	return rc;
}

int sweep_soak(struct plan *p, const struct options *o)
{
	struct sweep sw = { .plan = p, .opt = o };
	unsigned int failures = 0, done = 0;
	uint64_t total_ops = 0;
	double t0;
	int sig;

	if (!p->this_system) {
		fprintf(stderr, "dmabench: the topology is not this machine's: --soak cannot run on it\n");
		return 2;
	}
	sweep_install_signals();
	if (check_nr_cpu_ids(p))
		return 1;
	sw.inv_ticks = clock_ns_to_ticks(o->inv_ns, clock_ticks_per_ns());
	printf("soak: %u configurations (map-unmap, every strategy and mode, strict and lazy, every sharing), %.1f s each\n",
	       p->nr_configs, p->duration_ns / 1e9);
	printf("%-12s %-6s %-6s %-7s %7s %14s %10s  %s\n", "strategy", "mode", "inv", "sharing",
	       "threads", "calls", "ns/call", "invariants");
	fail_alloc_hook();
	t0 = sweep_now_s();
	for (unsigned int i = 0; i < p->nr_configs && !sweep_signalled(); i++) {
		const struct config *c = &p->configs[i];
		struct model_check check;
		struct runner_result res;
		int rc;

		bool checked = false;

		memset(&check, 0, sizeof(check));
		memset(&res, 0, sizeof(res));
		rc = soak_item(&sw, c, &check, &checked, &res);
		printf("%-12s %-6s %-6s %-7s %7d %14llu %10.1f  ", c->strategy->name,
		       config_mode_name(c), config_invalidation_name(c), config_sharing_name(c),
		       c->threads, (unsigned long long)res.ops, res.ns_per_op);
		if (res.failed)
			printf("%llu failed calls; ", (unsigned long long)res.failed);
		printf("%s", rc == 0 || rc == -ECANCELED ? "ok" : check.what[0] ? check.what : strerror(-rc));
		/* the figures behind the verdict: what was left over after the final flush */
		if (checked)
			printf(" [refs %+ld, iova leaked %lu, fq %lu, ptes %lu, attached twice %d, still deferred %d]",
			       check.refcount_delta, check.iova_leaked, check.fq_queued, check.pages_mapped,
			       check.attached_twice, check.nr_deferred);
		printf("%s\n", rc == -ECANCELED ? " (interrupted)" : "");
		fflush(stdout);
		if ((rc && rc != -ECANCELED) || res.failed)
			failures++;
		total_ops += res.ops;
		runner_result_free(&res);
		done++;
	}
	sig = sweep_signalled();
	printf("soak: %u configurations, %llu calls in %.0f s, %u with a broken invariant or failed calls%s\n",
	       done, (unsigned long long)total_ops, sweep_now_s() - t0, failures,
	       sig ? " (interrupted)" : "");
	if (sig)
		return 128 + sig;
	return failures ? 1 : 0;
}
