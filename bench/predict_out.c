/*
 * dmabench predict: the output (bench/predict.h). predicted.csv through
 * runfile.h (whole, or nothing), and the plots, drawn by
 * scripts/plot-predict.sh in a child process.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness/csv.h"
#include "predict.h"
#include "runfile.h"

int write_predicted(const char *dir, const struct ptarget *tg, enum c2c_op op,
		    const struct prow *rows, size_t nr)
{
	static const char *const cols[] = {
		"scenario", "strategy", "mode", "invalidation", "sharing", "placement",
		"threads", "numa_nodes_used", "target", "class", "c1_ns", "hold_ns",
		"lock_hold_ns", "handoff_mean_ns", "handoff_min_ns", "c2c_op", "run_length",
		"run_length_calls", "run_length_source", "run_length_lo_calls", "eta", "eta_lo", "state_rt_ns",
		"lo_ns", "mid_ns", "hi_ns", "knee_threads", "usl_alpha", "usl_beta",
		"measured_ns", "warning",
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = 0;

	if (!f)
		return -errno;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		fprintf(f, "%s%s", i ? "," : "", cols[i]);
	fputc('\n', f);
	for (size_t i = 0; i < nr && !rc; i++) {
		const struct prow *w = &rows[i];
		struct csv_row r = CSV_ROW_INIT;

		csv_row_add_str(&r, w->key->scenario);
		csv_row_add_str(&r, w->key->strategy);
		csv_row_add_str(&r, w->key->mode);
		csv_row_add_str(&r, w->key->invalidation);
		csv_row_add_str(&r, w->key->sharing);
		csv_row_add_str(&r, w->placement);
		csv_row_add_int(&r, w->threads);
		csv_row_add_int(&r, w->nodes);
		csv_row_add_str(&r, tg->name);
		csv_row_add_str(&r, w->pc ? costmodel_class_name(w->pc->cls) : "unknown");
		csv_row_add_double_prec(&r, w->key->c1_ns, 6);
		csv_row_add_double_prec(&r, w->visits > 0 ? w->hold_ns : NAN, 6);
		csv_row_add_double_prec(&r, w->lock_hold > 0 ? w->lock_hold : NAN, 6);
		csv_row_add_double_prec(&r, w->h_mean, 6);
		csv_row_add_double_prec(&r, w->h_min, 6);
		csv_row_add_str(&r, w->visits > 0 || w->lock_hold > 0 ? c2c_op_name(op) : "");
		csv_row_add_double_prec(&r, w->r_fetch_adds, 6);
		csv_row_add_double_prec(&r, w->r_calls, 6);
		csv_row_add_str(&r, w->r_src);
		csv_row_add_double_prec(&r, w->r_lo_calls, 6);
		csv_row_add_double_prec(&r, w->eta, 4);
		csv_row_add_double_prec(&r, w->eta_lo, 4);
		csv_row_add_double_prec(&r, w->state_rt, 5);
		csv_row_add_double_prec(&r, w->band.lo_ns, 6);
		csv_row_add_double_prec(&r, w->band.mid_ns, 6);
		csv_row_add_double_prec(&r, w->band.hi_ns, 6);
		csv_row_add_double_prec(&r, w->band.knee, 4);
		csv_row_add_double_prec(&r, w->alpha, 4);
		csv_row_add_double_prec(&r, w->beta, 4);
		csv_row_add_double_prec(&r, w->measured, 6);
		csv_row_add_str(&r, w->warning);
		if (r.err)
			rc = r.err;
		else
			fprintf(f, "%.*s\n", (int)r.len, r.buf);
		csv_row_free(&r);
	}
	if (fclose(f) && !rc)
		rc = -ENOMEM;
	if (!rc)
		rc = runfile_write(dir, "predicted.csv", buf, len);
	free(buf);
	return rc;
}

/* scripts/plot-predict.sh: ./scripts, else next to the binary (build/../scripts). */
int predict_plot(const char *dir)
{
	char script[PATH_MAX], exe[PATH_MAX], cmd[PATH_MAX * 3];

	snprintf(script, sizeof(script), "scripts/plot-predict.sh");
	if (!predict_is_file(script) && runfile_exe_dir(exe, sizeof(exe)))
		snprintf(script, sizeof(script), "%.*s/../scripts/plot-predict.sh", PATH_MAX - 64, exe);
	if (!predict_is_file(script)) {
		fprintf(stderr, "dmabench predict: scripts/plot-predict.sh not found: no plots\n");
		return 0;
	}
	if (strchr(dir, '\'') || strchr(script, '\''))
		return 0;
	snprintf(cmd, sizeof(cmd), "'%s' '%s'", script, dir);
	fflush(stdout);
	return system(cmd) ? 1 : 0;
}
