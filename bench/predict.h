/*
 * bench/predict.h — what the files of `dmabench predict` share (the command
 * is described in bench/predict.c):
 *   predict.c         flags, thread list, the command's steps; the path helpers
 *   predict_target.c  the target: a shipped profile, --topology + --c2c, or
 *                     the run's own; its topology and c2c matrix, checked
 *   predict_run.c     the run's costs: summary.csv's 1-thread rows,
 *                     machine.txt's inv_ns, runlength.csv's R
 *   predict_model.c   the walk: a row per key, placement and thread count,
 *                     each through the contention model (costmodel.h)
 *   predict_out.c     predicted.csv, and the plots (scripts/plot-predict.sh)
 * Single-threaded. Functions that meet bad input say it (one line on stderr,
 * through predict_bad) and return 2; 1 is a failure at run time.
 */
#ifndef DMABENCH_PREDICT_H
#define DMABENCH_PREDICT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include "harness/c2c.h"
#include "harness/costmodel.h"
#include "harness/csv.h"
#include "harness/topo.h"

#define PREDICT_MAX_THREADS 4096
#define PREDICT_MAX_PLACEMENTS 8

/*
 * A strategy's class for the model comes from the strategy table (its
 * `class` and `shared_rmws` fields): no second list of names here. The
 * floors are flat like the read-mostly class. "shared-counter" is not a
 * strategy: it is the bare shared counter that --c1-ns describes.
 * rmw_per_call turns a run length in fetch-adds into one in calls.
 */
struct predict_class {
	enum costmodel_class cls;
	double rmw_per_call;
};

struct popts {
	const char *run, *profile, *topology, *c2c, *out, *threads, *placement;
	const char *profiles_dir;
	double c1_ns, rmw_per_call, run_length;
	bool have_c1, have_rmw, have_r, list, help, no_plot, op_given;
	enum c2c_op op;
};

/* One input configuration: the 1-thread cost of a summary.csv key. */
struct pkey {
	char scenario[32], strategy[32], mode[16], invalidation[16], sharing[16];
	double c1_ns;
};

struct ptarget {
	char name[PATH_MAX];		/* what predicted.csv's target column says */
	char topo_kind[16];		/* "xml" or "synthetic" */
	char topo_src[PATH_MAX];	/* the file, or the synthetic string */
	char c2c_path[PATH_MAX];
	bool strict_matrix;		/* a profile/--c2c: every pair must have a figure */
};

struct prun {
	struct csv_table sum;
	bool have_sum;
	int c_scen, c_strat, c_mode, c_inv, c_share, c_place, c_threads, c_ns;
	struct csv_table rl;
	bool have_rl;
	double inv_ns;			/* machine.txt's inv_ns (strict lock hold), NAN */
};

struct prow {
	const struct pkey *key;
	const struct predict_class *pc;
	char placement[128];
	int threads, nodes;
	bool smt;
	double hold_ns, visits, h_mean, h_min, r_fetch_adds, r_calls, lock_hold;
	double eta, eta_lo, r_lo_calls, state_rt;	/* the stream efficiency (mid, lo),
							 * the lo edge's R, the pair
							 * round trip the band is for */
	char r_src[40];
	struct costmodel_band band;
	double alpha, beta, measured;
	const char *warning;
	int rc;
};

/* ---- predict.c ---- */

/* snprintf for paths: false (and an empty string) when it would not fit. */
bool __attribute__((format(printf, 3, 4))) pfmt(char *buf, size_t len, const char *fmt, ...);
/* "dmabench predict: WHAT: invalid value 'VAL': WHY" (or without VAL) on stderr; 2. */
int predict_bad(const char *what, const char *val, const char *why);
bool predict_is_file(const char *p);
bool predict_is_dir(const char *p);

/* ---- predict_target.c ---- */

/* --list-profiles: each profile of dir and the first line of its SOURCE. */
int list_profiles(const char *dir);
/* Which target the flags name, its files checked present. 0 or 2. */
int resolve_target(const struct popts *o, struct ptarget *tg);
/* The target's topology through hwloc's own variables (topo.h). 0 or 2. */
int open_target_topo(const struct ptarget *tg, struct topo **t);
/* The target's c2c.csv, every cell checked against t; *op chosen unless op_given. 0 or 2. */
int load_matrix(const struct ptarget *tg, struct topo *t, struct c2c_matrix *m,
		enum c2c_op *op, bool op_given);

/* ---- predict_run.c ---- */

/* dir's summary.csv into r and its 1-thread keys (*keys, *nkeys; freed by the caller). 0, 1 or 2. */
int load_run(const char *dir, struct prun *r, struct pkey **keys, unsigned int *nkeys);
void free_run(struct prun *r);
/* The measured figure of a key at (placement, threads), NAN if none. */
double measured_ns(const struct prun *r, const struct pkey *k, const char *placement,
		   int threads);
/* What the run's calibrations give a row (see predict_run.c). */
struct prl {
	double r_fa, r_calls;		/* R in fetch-adds and in calls */
	char src[40];			/* where R came from */
	double eta;			/* the stream efficiency of that calibration, NAN */
	double state_rt;		/* own machine, exact row: its pair round trip, NAN */
	double r_lo_calls;		/* the bare loop's R in calls: the lo edge's, NAN */
	double eta_lo;			/* the bare loop's stream efficiency: lo's, NAN */
};
void run_length_for(const struct popts *o, const struct prun *r, bool own,
		    const struct pkey *k, const char *placement, int threads, double rpc,
		    struct prl *x);

/* ---- predict_model.c ---- */

/*
 * The rows: every key, at every placement and thread count, in that order
 * (*rows_out, *nrows_out; freed by the caller). 0 or -errno.
 */
int predict_rows(const struct popts *o, struct topo *t, const struct c2c_matrix *m,
		 enum c2c_op op, const struct prun *run, bool own,
		 const struct pkey *keys, unsigned int nkeys,
		 char (*placements)[128], int nplace, const int *threads, int nthreads,
		 struct prow **rows_out, size_t *nrows_out);

/* ---- predict_out.c ---- */

/* dir/predicted.csv, whole or not at all: 0 or -errno. */
int write_predicted(const char *dir, const struct ptarget *tg, enum c2c_op op,
		    const struct prow *rows, size_t nr);
/* The plots of dir, by scripts/plot-predict.sh: 0, or 1 when the script failed. */
int predict_plot(const char *dir);

#endif
