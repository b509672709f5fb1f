/*
 * dmabench compare: where --out may go (not inside a run, its directory
 * must exist) and the overlay plots, drawn by scripts/compare-plot.sh in a
 * child process (bench/compare.h).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "compare.h"
#include "runcsv.h"

extern char **environ;

/* realpath of the directory that will hold path */
static int dir_of(const char *path, char *out)
{
	char tmp[PATH_MAX], *slash;

	if (strlen(path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	strcpy(tmp, path);
	slash = strrchr(tmp, '/');
	if (!slash)
		strcpy(tmp, ".");
	else if (slash == tmp)
		tmp[1] = '\0';
	else
		*slash = '\0';
	return realpath(tmp, out) ? 0 : -errno;
}

static bool inside(const char *dir, const char *top)
{
	size_t l = strlen(top);

	if (l == 1 && top[0] == '/')
		return true;
	return !strncmp(dir, top, l) && (dir[l] == '\0' || dir[l] == '/');
}

int check_out(const struct args *a, struct failure *f)
{
	char d[PATH_MAX], r[PATH_MAX];
	struct stat st;

	if (!strcmp(a->out, "-"))
		return 0;	/* stdout */
	if (dir_of(a->out, d))
		return failf(f, 2, PROG ": --out=%s: its directory does not exist", a->out);
	if (!stat(a->out, &st) && S_ISDIR(st.st_mode))
		return failf(f, 2, PROG ": --out=%s: is a directory (want a file name)", a->out);
	if (!strcmp(a->out, "-"))
		return 0;	/* stdout */
	for (int i = 0; i < a->nruns; i++)
		if (realpath(a->dir[i], r) && inside(d, r))
			return failf(f, 2, PROG ": --out=%s: inside run directory %s (%s); write it elsewhere",
				     a->out, i ? "B" : "A", a->dir[i]);
	return 0;
}

/* ---- overlay plots: scripts/compare-plot.sh ---- */

static bool find_script(const char *exe, char *out, size_t len)
{
	const char *env = getenv("DMABENCH_SCRIPTS");
	char dir[PATH_MAX];
	const char *rel[] = { "/../scripts", "/../../scripts", "/../../../scripts" };

	if (env && *env) {
		snprintf(out, len, "%s/compare-plot.sh", env);
		return !access(out, R_OK);
	}
	if (exe) {
		snprintf(dir, sizeof(dir), "%s", exe);
		if (strrchr(dir, '/'))
			*strrchr(dir, '/') = '\0';
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(out, len, "%s%s/compare-plot.sh", dir, rel[i]);
			if (!access(out, R_OK))
				return true;
		}
	}
	snprintf(out, len, "scripts/compare-plot.sh");
	return !access(out, R_OK);
}

int draw_plots(const struct args *a, const struct run *runs, struct failure *f)
{
	static char labels[MAX_RUNS][PATH_MAX + 256];
	char exe[PATH_MAX], script[PATH_MAX + 32], plots[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t l = strlen(a->out);
	char *argv[MAX_RUNS + 5];
	pid_t pid;
	int st, rc, ac = 0;

	if (n > 0)
		exe[n] = '\0';
	if (!find_script(n > 0 ? exe : NULL, script, sizeof(script)))
		return failf(f, 1, PROG ": overlay plots: scripts/compare-plot.sh not found "
			     "(set DMABENCH_SCRIPTS, or use --no-plot)");
	if (l > 4 && !strcmp(a->out + l - 4, ".csv"))
		snprintf(plots, sizeof(plots), "%.*s-plots", (int)(l - 4), a->out);
	else
		snprintf(plots, sizeof(plots), "%s-plots", a->out);
	/* the script colours strategies by `dmabench --list`: this binary's table */
	if (n > 0)
		setenv("DMABENCH", exe, 1);
	argv[ac++] = "bash";
	argv[ac++] = script;
	argv[ac++] = (char *)a->out;
	argv[ac++] = plots;
	for (int k = 0; k < a->nruns; k++) {
		snprintf(labels[k], sizeof(labels[k]), "%s: %s (%s, run %s)", runs[k].label, runs[k].dir,
			 runs[k].machine, runs[k].run_id);
		argv[ac++] = labels[k];
	}
	argv[ac] = NULL;
	fflush(stdout);
	rc = posix_spawnp(&pid, "bash", NULL, NULL, argv, environ);
	if (rc)
		return failf(f, 1, PROG ": overlay plots: cannot run bash: %s", strerror(rc));
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return failf(f, 1, PROG ": overlay plots: waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return 1;	/* the script printed its own one-line reason */
	return 0;
}
