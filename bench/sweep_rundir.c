/*
 * A sweep's run directory (bench/sweep_state.h): made once and never reused,
 * checked after each window, the first write failure into it remembered;
 * the signals that interrupt a run; machine.txt, rewritten whole at each
 * stage and patched in place on the way out, and topology.xml.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "harness/atomic_file.h"
#include "harness/machine.h"
#include "harness/topo.h"
#include "runfile.h"
#include "sweep_state.h"
#include "version.h"

/* make MITIGATIONS=1: retpolines and return thunks, as an x86 distribution kernel */
#ifdef DMABENCH_MITIGATIONS
#define DMABENCH_BUILD_FLAVOUR	"mitigations (-mindirect-branch=thunk -mfunction-return=thunk)"
#else
#define DMABENCH_BUILD_FLAVOUR	"plain"
#endif

/*
 * Interruption. The first SIGINT/SIGTERM (or SIGHUP, unless it was ignored
 * when we started, as under nohup) stops the window in progress (it is
 * dropped: not a finished measurement); the sweep then writes summary.csv
 * for the configurations with rows and machine.txt with "status: interrupted",
 * and exits 128 + signal. A second signal exits at once: results.csv holds
 * whole rows only (one write() each), and machine.txt, if it still says
 * "running", is patched in place to say "interrupted" (open/pwrite/close are
 * async-signal-safe; the status line is the last one and the new one longer).
 * The handler may run on any thread: got_signal is accessed atomically.
 */
static int got_signal;
static char machine_path[1200];
static long machine_status_off = -1;	/* offset of "status: running" in machine_path, or -1 */

int sweep_signalled(void)
{
	return __atomic_load_n(&got_signal, __ATOMIC_ACQUIRE);
}

static void on_signal(int sig)
{
	static const char patch[] =
		"status: interrupted\nexit: at once, on a second signal (summary.csv may be missing)\n";
	static const char first[] =
		"\ndmabench: interrupted: finishing up (signal again to exit at once)\n";
	int saved_errno;

	if (__atomic_exchange_n(&got_signal, sig, __ATOMIC_ACQ_REL)) {
		long off = __atomic_load_n(&machine_status_off, __ATOMIC_ACQUIRE);

		if (off >= 0) {
			int fd = open(machine_path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

			if (fd >= 0) {
				if (pwrite(fd, patch, sizeof(patch) - 1, off) < 0)
					(void)0;	/* nothing more to do on the way out */
				close(fd);
			}
		}
		_exit(128 + sig);
	}
	runner_stop();
	saved_errno = errno;	/* the interrupted code may be about to read it */
	if (write(STDERR_FILENO, first, sizeof(first) - 1) < 0)
		(void)0;	/* a closed stderr: nothing to tell */
	errno = saved_errno;
}

void sweep_install_signals(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a dropped terminal or ssh session ends the sweep with its summary;
	 * nohup's SIG_IGN is kept: that user asked for the run to go on */
	if (!sigaction(SIGHUP, NULL, &old) && old.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	/* a closed stdout/stderr pipe must not kill a sweep before its summary */
	signal(SIGPIPE, SIG_IGN);
}

/* mkdir -p for the parents; the last component must be new. */
static int make_run_dir(const char *dir)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(buf, 0777))
		return -errno;
	return 0;
}

void rundir_write_failed(struct sweep *sw, const char *path, int err)
{
	if (sw->werr)
		return;
	sw->werr = err;
	snprintf(sw->werr_path, sizeof(sw->werr_path), "%s", path);
}

void rundir_file_failed(struct sweep *sw, const char *name, int err)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", sw->dir, name);
	rundir_write_failed(sw, path, err);
}

/*
 * The run directory still there, the same one: removed, or removed and
 * made again, a directory is a failure (results.csv would go on into an
 * unlinked file and the summary into a stranger's directory). One stat per
 * window.
 */
int rundir_check(struct sweep *sw)
{
	struct stat st;

	if (stat(sw->dir, &st)) {
		rundir_write_failed(sw, sw->dir, -errno);
		return sw->werr;
	}
	if (st.st_dev != sw->dir_dev || st.st_ino != sw->dir_ino) {
		rundir_write_failed(sw, sw->dir, -ESTALE);
		return sw->werr;
	}
	return 0;
}

/*
 * machine.txt through a temp file (atomic_file.h: mkstemp beside it, then a
 * rename; nothing left behind on failure). 0 or -errno; a failure is also
 * recorded as the run's write failure.
 */
int rundir_write_machine(struct sweep *sw, const char *status)
{
	struct atomic_file af;
	char path[1200];
	long status_off, old_off;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/machine.txt", sw->dir);
	rc = atomic_file_open(&af, path);
	if (rc) {
		rundir_write_failed(sw, path, rc);
		return rc;
	}
	f = af.f;
	machine_describe(f, sw->plan->topo, DMABENCH_CC " " DMABENCH_CFLAGS, DMABENCH_GIT_REVISION);
	fprintf(f, "run_id: %s\n", sw->run_id);
	fprintf(f, "timer_overhead_ns: %.2f\n", sw->timer_overhead_ns);
	fprintf(f, "inv_ns: %llu\n", (unsigned long long)sw->opt->inv_ns);
	fprintf(f, "inv_ticks: %llu\n", (unsigned long long)sw->inv_ticks);
	fprintf(f, "build_flavour: %s\n", DMABENCH_BUILD_FLAVOUR);
	if (sw->canary_ok) {
		fprintf(f, "host_canary: a %u KiB dependent chase by each worker on its PU just before "
			"and after the window", CANARY_DEFAULT_BYTES >> 10);
		if (sw->canary_every_ns)
			fprintf(f, ", and a short one every %.0f ms inside it (its time out of the window%s)",
				sw->canary_every_ns / 1e6,
				sw->canary_odd_only ? "; odd repetitions only: DMABENCH_CANARY_INSIDE=odd" : "");
		else
			fprintf(f, " (none inside it: DMABENCH_CANARY_INSIDE=0)");
		fprintf(f, "; host-slow when one at an edge, or %d inside, is above %.2f x the lowest, "
			"or the median of those inside (%d or more) above %.2f x; lowest ns per load:",
			CANARY_MID_MIN_OVER, CANARY_SLOW_RATIO, CANARY_MID_MEDIAN_MIN, CANARY_MID_MEDIAN_RATIO);
		for (unsigned int cpu = 0; cpu < sw->canary.max_cpus; cpu++)
			if (!isnan(canary_baseline_of(&sw->canary, (int)cpu)))
				fprintf(f, " pu%u %.3f", cpu, canary_baseline_of(&sw->canary, (int)cpu));
		fputc('\n', f);
	} else {
		fprintf(f, "host_canary: unavailable (no row is judged host-slow)\n");
	}
	if (sw->pairs_ok) {
		fprintf(f, "host_c2c: the rmw round trip between a window's first two PUs (and first and last) "
			"just before and after it; host-c2c beyond %.2f x the pair's typical (median) figure, either way; "
			"per pair typical [lowest-highest] ns, windows flagged/judged:", PAIRPROBE_RATIO);
		for (unsigned int i = 0; i < sw->pairs.n; i++) {
			const struct pairprobe_pair *q = &sw->pairs.pairs[i];

			fprintf(f, " %d-%d %.1f [%.1f-%.1f] %lu/%lu", q->a, q->b, pairprobe_typical(q),
				q->lowest, q->highest, q->flagged, q->windows);
		}
		fputc('\n', f);
	} else {
		fprintf(f, "host_c2c: not probed (no window has two PUs; no row is judged host-c2c)\n");
	}
	fprintf(f, "home_node: %d\n", sw->plan->home_node);
	fprintf(f, "home_memory: %s\n", sw->arena_ok && sw->arena.bound ? "bound" : "not bound");
	fprintf(f, "rcu_flavor: %s\n", sw->opt->rcu_flavor == RCU_FLAVOR_QSBR ? "qsbr" : "memb");
	fprintf(f, "seed: %llu\n", (unsigned long long)sw->opt->seed);
	if (window_inject.strategy)
		fprintf(f, "injected: %s slowed by %g%s per call on purpose (DMABENCH_INJECT_NS%s; the hook's own "
			"%.1f ns a batch counted in): not a measurement\n",
			window_inject.strategy->name, window_inject.frac > 0 ? window_inject.frac * 100 : window_inject.ns,
			window_inject.frac > 0 ? "%" : " ns", window_inject.odd_only ? ", odd repetitions" : "",
			window_inject.hook_ticks / window_inject.ticks_per_ns);
	for (int i = 0; i < sw->plan->nr_notes; i++)
		fprintf(f, "note: %s\n", sw->plan->notes[i]);
	if (sw->have_c2c)
		c2c_write_summary(&sw->c2c, f);
	else
		fprintf(f, "c2c: not measured\n");
	if (sw->runlen_done)
		pass_runlen_lines(sw, f);
	status_off = ftell(f);
	fprintf(f, "status: %s\n", status);
	/* the signal handler must not patch the new file at the old file's
	 * offset; if the rename fails, the old file (and offset) stays */
	old_off = __atomic_exchange_n(&machine_status_off, -1L, __ATOMIC_ACQ_REL);
	rc = atomic_file_commit(&af, 0);
	if (rc) {
		__atomic_store_n(&machine_status_off, old_off, __ATOMIC_RELEASE);
		rundir_write_failed(sw, path, rc);
		return rc;
	}
	if (!strcmp(status, "running")) {
		snprintf(machine_path, sizeof(machine_path), "%s", path);
		__atomic_store_n(&machine_status_off, status_off, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * machine.txt could not be replaced (a read-only directory, a full disk):
 * patch its "status: running" line in place, as the second-signal handler
 * does, to "status: failed" and an error line, and cut the file there.
 */
void rundir_patch_machine_failed(struct sweep *sw)
{
	long off = __atomic_load_n(&machine_status_off, __ATOMIC_ACQUIRE);
	char line[1600];
	int fd, n;

	if (off < 0)
		return;
	n = snprintf(line, sizeof(line), "status: failed\nerror: cannot write %s: %s\n",
		     sw->werr_path, strerror(-sw->werr));
	if (n < 0 || (size_t)n >= sizeof(line))
		n = snprintf(line, sizeof(line), "status: failed\n");
	fd = open(machine_path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	if (pwrite(fd, line, (size_t)n, off) == n && !ftruncate(fd, off + n))
		__atomic_store_n(&machine_status_off, -1L, __ATOMIC_RELEASE);
	close(fd);
}

/* results/<machine>/<stamp> unless --out */
static void default_dir(struct sweep *sw)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(sw->run_id, sizeof(sw->run_id), "%Y%m%dT%H%M%SZ", &tm);
	machine_short_id(sw->machine, sizeof(sw->machine));
	if (sw->opt->out[0])
		snprintf(sw->dir, sizeof(sw->dir), "%s", sw->opt->out);
	else
		snprintf(sw->dir, sizeof(sw->dir), "results/%s/%s", sw->machine, sw->run_id);
}

int rundir_create(struct sweep *sw)
{
	const struct options *o = sw->opt;
	struct stat st;
	int rc;

	default_dir(sw);
	if (sweep_signalled())	/* nothing measured, nothing written */
		return 128 + sweep_signalled();
	rc = make_run_dir(sw->dir);
	/* two runs started in the same second: the later one takes <stamp>-2, ... */
	for (int k = 2; rc == -EEXIST && !o->out[0] && k < 100; k++) {
		size_t len = strcspn(sw->run_id, "-");

		snprintf(sw->run_id + len, sizeof(sw->run_id) - len, "-%d", k);
		snprintf(sw->dir, sizeof(sw->dir), "results/%s/%s", sw->machine, sw->run_id);
		rc = make_run_dir(sw->dir);
	}
	if (rc) {
		fprintf(stderr, "dmabench: --out: invalid value '%s': %s\n", sw->dir,
			rc == -EEXIST ? "exists (a run directory is never reused)" : strerror(-rc));
		return 2;
	}
	if (stat(sw->dir, &st)) {	/* made a moment ago */
		fprintf(stderr, "dmabench: cannot write %s: %s\n", sw->dir, strerror(errno));
		return 1;
	}
	sw->dir_dev = st.st_dev;
	sw->dir_ino = st.st_ino;
	return 0;
}

/* topology.xml: the machine this run ran on, for replay (HWLOC_XMLFILE). */
void rundir_write_topology(struct sweep *sw)
{
	char *xml = NULL;
	size_t len = 0;
	int rc = topo_export_xml(sw->plan->topo, &xml, &len);

	if (!rc)
		rc = runfile_write(sw->dir, "topology.xml", xml, len);
	if (rc)
		rundir_file_failed(sw, "topology.xml", rc);
	free(xml);
}
