/*
 * dmabench predict: the target machine (bench/predict.h). A shipped profile
 * (profiles/NAME: topology.xml or topology.synthetic, c2c.csv, SOURCE),
 * --topology with --c2c, or the run's own topology.xml and c2c.csv; the
 * topology opened through hwloc, the matrix read with every cell checked,
 * so that bad input is named in one line.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "predict.h"

/* The first line of SOURCE (the citation), or "(no SOURCE file)". */
static void profile_source_line(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(buf, len, "(no SOURCE file)");
	(void)pfmt(path, sizeof(path), "%s/SOURCE", dir);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int list_profiles(const char *dir)
{
	char *names[256];
	unsigned int n = 0;
	struct dirent *e;
	DIR *d;

	if (!predict_is_dir(dir) || !(d = opendir(dir)))
		return predict_bad("--profiles-dir", dir, "not a readable directory");
	while (n < 256 && (e = readdir(d))) {
		char sub[PATH_MAX];

		if (e->d_name[0] == '.')
			continue;
		if (pfmt(sub, sizeof(sub), "%s/%s/c2c.csv", dir, e->d_name) && predict_is_file(sub))
			names[n++] = strdup(e->d_name);
		if (n && !names[n - 1])
			n--;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (unsigned int i = 0; i < n; i++) {
		char sub[PATH_MAX], src[512];

		(void)pfmt(sub, sizeof(sub), "%s/%s", dir, names[i]);
		profile_source_line(sub, src, sizeof(src));
		printf("%-28s %s\n", names[i], src);
		free(names[i]);
	}
	return fflush(stdout) ? 1 : 0;
}

/* Read a whole small file (a synthetic string). */
static int read_line_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return *buf ? 0 : -EINVAL;
}

int resolve_target(const struct popts *o, struct ptarget *tg)
{
	char dir[PATH_MAX];

	memset(tg, 0, sizeof(*tg));
	if (o->profile) {
		if (strchr(o->profile, '/') || !strcmp(o->profile, ".") || !strcmp(o->profile, ".."))
			return predict_bad("--profile", o->profile, "a profile name, not a path");
		(void)pfmt(dir, sizeof(dir), "%s/%s", o->profiles_dir, o->profile);
		if (!predict_is_dir(dir))
			return predict_bad("--profile", o->profile, "unknown profile (see --list-profiles)");
		(void)pfmt(tg->name, sizeof(tg->name), "profile:%s", o->profile);
		(void)pfmt(tg->c2c_path, sizeof(tg->c2c_path), "%s/c2c.csv", dir);
		(void)pfmt(tg->topo_src, sizeof(tg->topo_src), "%s/topology.xml", dir);
		strcpy(tg->topo_kind, "xml");
		if (!predict_is_file(tg->topo_src)) {
			char syn[PATH_MAX];

			(void)pfmt(syn, sizeof(syn), "%s/topology.synthetic", dir);
			if (!predict_is_file(syn))
				return predict_bad("--profile", o->profile,
					   "the profile has no topology.xml or topology.synthetic");
			if (read_line_file(syn, tg->topo_src, sizeof(tg->topo_src)))
				return predict_bad("--profile", o->profile, "topology.synthetic is empty or unreadable");
			strcpy(tg->topo_kind, "synthetic");
		}
		if (!predict_is_file(tg->c2c_path))
			return predict_bad("--profile", o->profile, "the profile has no c2c.csv");
		tg->strict_matrix = true;
		return 0;
	}
	if (o->topology) {
		if (!predict_is_file(o->topology))
			return predict_bad("--topology", o->topology, "no such file");
		if (!predict_is_file(o->c2c))
			return predict_bad("--c2c", o->c2c, "no such file");
		(void)pfmt(tg->name, sizeof(tg->name), "topology:%s", o->topology);
		snprintf(tg->topo_src, sizeof(tg->topo_src), "%s", o->topology);
		strcpy(tg->topo_kind, "xml");
		snprintf(tg->c2c_path, sizeof(tg->c2c_path), "%s", o->c2c);
		tg->strict_matrix = true;
		return 0;
	}
	/* the run's own machine */
	snprintf(tg->name, sizeof(tg->name), "run");
	(void)pfmt(tg->topo_src, sizeof(tg->topo_src), "%s/topology.xml", o->run);
	strcpy(tg->topo_kind, "xml");
	(void)pfmt(tg->c2c_path, sizeof(tg->c2c_path), "%s/c2c.csv", o->run);
	if (!predict_is_file(tg->topo_src))
		return predict_bad("--run", o->run, "no topology.xml (a run from before topology replay: give --profile or --topology)");
	if (!predict_is_file(tg->c2c_path))
		return predict_bad("--run", o->run, "no c2c.csv (the run skipped the c2c pass)");
	return 0;
}

/* Load the target topology through hwloc's own variables (topo.h). */
int open_target_topo(const struct ptarget *tg, struct topo **t)
{
	int rc;

	unsetenv("HWLOC_FSROOT");
	unsetenv("TOPO_ALLOWED");
	if (!strcmp(tg->topo_kind, "synthetic")) {
		unsetenv("HWLOC_XMLFILE");
		setenv("HWLOC_SYNTHETIC", tg->topo_src, 1);
	} else {
		unsetenv("HWLOC_SYNTHETIC");
		setenv("HWLOC_XMLFILE", tg->topo_src, 1);
	}
	rc = topo_open(t);
	if (rc)
		return predict_bad(!strcmp(tg->topo_kind, "synthetic") ? "topology.synthetic" : "topology",
			   tg->topo_src, rc == -EFBIG ? "larger than hwloc should hold" :
			   "not an hwloc topology (hwloc refused it)");
	return 0;
}

/* Every cell checked before c2c_read_csv, so the message can say which. */
static int check_matrix_file(const char *path)
{
	struct csv_table t;
	char err[256];
	int rc = csv_read_file(path, &t, err, sizeof(err)), cr = -1, cf = -1, ct = -1;

	if (rc)
		return predict_bad("c2c", path, err[0] ? err : "not a CSV file");
	cr = csv_col(&t, "round_trip_ns");
	cf = csv_col(&t, "from");
	ct = csv_col(&t, "to");
	if (cr < 0 || cf < 0 || ct < 0) {
		csv_free(&t);
		return predict_bad("c2c", path, "not a c2c.csv (needs from,to,from_node,to_node,round_trip_ns[,op])");
	}
	for (size_t r = 0; r < csv_rows(&t); r++) {
		const char *v = csv_cell(&t, r, (size_t)cr);
		bool diag = !strcmp(csv_cell(&t, r, (size_t)cf), csv_cell(&t, r, (size_t)ct));
		char why[128];
		double d;
		char *end;

		if (diag)
			continue;
		if (!*v)
			snprintf(why, sizeof(why), "line %zu: a missing cell (empty round_trip_ns)", r + 2);
		else if ((d = strtod(v, &end)), *end)
			snprintf(why, sizeof(why), "line %zu: round_trip_ns '%.40s' is not a number", r + 2, v);
		else if (isnan(d))
			snprintf(why, sizeof(why), "line %zu: round_trip_ns is NaN", r + 2);
		else if (!isfinite(d) || d <= 0)
			snprintf(why, sizeof(why), "line %zu: round_trip_ns %.40s is not a positive number",
				 r + 2, v);
		else
			continue;
		csv_free(&t);
		return predict_bad("c2c", path, why);
	}
	csv_free(&t);
	return 0;
}

int load_matrix(const struct ptarget *tg, struct topo *t, struct c2c_matrix *m,
		enum c2c_op *op, bool op_given)
{
	int n = topo_nr_allowed_pus(t), rc;

	if ((rc = check_matrix_file(tg->c2c_path)))
		return rc;
	if (c2c_read_csv(m, tg->c2c_path))
		return predict_bad("c2c", tg->c2c_path, "not a c2c.csv (header, PU numbers, nodes or a repeated pair)");
	if ((int)m->npus != n) {
		char why[160];

		snprintf(why, sizeof(why), "the matrix has %u PUs, the topology %d", m->npus, n);
		return predict_bad("c2c", tg->c2c_path, why);
	}
	for (unsigned int i = 0; i < m->npus; i++)
		if (!topo_pu_allowed(t, m->pus[i].os)) {
			char why[160];

			snprintf(why, sizeof(why), "PU %d of the matrix is not in the topology",
				 m->pus[i].os);
			return predict_bad("c2c", tg->c2c_path, why);
		}
	if (tg->strict_matrix && m->npairs < m->total_pairs)
		return predict_bad("c2c", tg->c2c_path, "missing cells: not every pair of PUs has a row");
	if (!op_given)
		*op = m->measured[C2C_OP_RMW] ? C2C_OP_RMW : C2C_OP_STORE;
	if (!m->measured[*op])
		return predict_bad("--op", c2c_op_name(*op), "the matrix has no figures for it");
	if (tg->strict_matrix)
		for (unsigned int i = 0; i < m->npairs; i++)
			if (isnan(c2c_pair_ns(&m->pairs[i], *op)))
				return predict_bad("c2c", tg->c2c_path, "a missing cell: a pair has no figure for the op");
	return 0;
}
