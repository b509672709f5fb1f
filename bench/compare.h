/*
 * bench/compare.h — `dmabench compare A B [RUN...] [--out=FILE|-] [--seed=N]
 * [--alpha=P] [--metric=mean|p50] [--interval=hl|bootstrap] [--min-effect=PCT]
 * [--drift=floor|scale|none] [--fail-on=KIND]
 * [--no-plot]`, and `dmabench compare --blocks A1 B1 A2 B2 ...`:
 * run directories, from one machine or several, into one table of ratios
 * with their confidence, compare.csv, and overlay plots. A is the baseline;
 * every other run is compared with it (b_run says which).
 *
 * Join. Each run's results.csv (columns found by name; schema 1) is grouped
 * by the configuration key — scenario, strategy, mode, invalidation,
 * sharing, placement, home_node, threads — into the ns_per_op of its
 * repetitions with their rep numbers (an empty cell, an unavailable figure,
 * is left out and the repetition count says so). For every configuration
 * both runs have:
 *   - A's and B's median ns per call, and raw_ratio = median(B)/median(A);
 *   - the basis of the verdict. floor (the default, and always between
 *     machines): each repetition divided by the repetition of the same
 *     number of its run's floor — strategy none, 1 thread, the same
 *     scenario, invalidation, sharing, placement and home node (kdump rows
 *     use the normal-mode floor) — so drift that moves a whole run cancels.
 *     The floor rows themselves: raw, with the interval required beyond
 *     1 +/- ANCHOR_BAND (one machine), or "reference" (no verdict, between
 *     machines). scale (--drift=scale): B's repetitions divided by the
 *     median over thread counts of the floor rows' median(B)/median(A).
 *     raw (--drift=none, or a run without none rows): ns as measured;
 *   - ratio and its (1 - alpha) interval (99% with the default
 *     --alpha=0.01), by --interval: hl (the default), the Hodges-Lehmann
 *     estimate — the median of every quotient b_j / a_i of the basis — with
 *     the interval that inverts the rank test below; bootstrap,
 *     median(B)/median(A) of the basis with its percentile-bootstrap
 *     interval (STATS_BOOT_DEFAULT_ITERS resamples of each side; the seed
 *     is --seed mixed with the configuration key);
 *   - the two-sided Mann-Whitney U p-value on the basis (exact when the
 *     sides are small and untied, src/harness/stats.h);
 *   - the verdict: "slower" (B takes longer per call) or "faster" only when
 *     p < alpha (--alpha, default 0.01) AND the interval lies beyond 1
 *     (+/- --min-effect); otherwise "no-significant-difference". The exact
 *     test's smallest p with n a side is 2 / C(2n, n): 0.1 with 3, 0.029
 *     with 4, 0.0079 with 5, so at the default alpha a configuration needs
 *     5 repetitions a side to be callable at all (and all 5 of one run
 *     beyond all 5 of the other); the table says how many rows could not
 *     be. Why 0.01 and not 0.05: with 60 configurations a comparison,
 *     0.05 called 4% of them different between two runs of one build
 *     (METHODOLOGY §4);
 *   - "too-disturbed" instead of a verdict when a side kept its disturbed
 *     repetitions (fewer than min_clean clean ones) and they are half or
 *     more of it: what would be compared is mostly the host (on the 2-vCPU
 *     guest, two runs whose 2-thread windows the host placed differently
 *     differ by 2x in map-unmap), not the configuration;
 *   - between machines, a_norm/b_norm: each median over its own run's floor.
 * A configuration only one run has is listed ("only in A", "only in B").
 *
 * --blocks (compare_blocks.c; scripts/ab.sh takes such runs): the runs are
 * blocks, each an A run and a B run taken one right after the other, all
 * of one machine. Each side is pooled into one run whose every value
 * keeps its block; a row's ratio, interval and p are those of
 * stats_hl_ratio_blocked on the basis (floor, or raw with --drift=none):
 * each block's own ratio (only a B value and an A value of one block are
 * ever compared), the blocks' ratios judged by the signed-rank test. A
 * level of the host that holds over a block (seconds) and moves between
 * blocks cancels, where between two runs taken minutes apart it does not;
 * a run at a level of its own moves one block's ratio and counts as one
 * block (a test over the pooled quotients counted it as many, and called
 * 11 of 60 configurations of an A/A series different: METHODOLOGY §4 "A
 * seventh time"). A run of a block with no clean repetition is left out
 * (too-disturbed when the blocks left cannot reach p < alpha); the
 * interval column says "hl-blocks".
 *
 * Output: the table on stdout; compare.csv (--out, default ./compare.csv,
 * written under a temporary name and renamed; never inside a run; its
 * `metric` and `interval` columns say what each row was judged on); overlay
 * plots beside it, in <out without .csv>-plots/, drawn by
 * scripts/compare-plot.sh (a panel per strategy, a line per run), unless
 * --no-plot. --out=-: the CSV on stdout, the table on stderr, no plots.
 * Exit: 0 done; 1 a verdict of the --fail-on kind was found (slower,
 * faster, any; too-disturbed is not a verdict and never trips it), or a failure at run time (memory, writing, drawing); 2 bad
 * input (one line on stderr: a missing directory or file, a malformed CSV,
 * a missing column, differing schema versions, a run with no configuration
 * in common with A, a bad flag).
 *
 * The files: compare.c (the command line, the command), compare_load.c
 * (reading a run into configurations and their floors), compare_stats.c
 * (the join and the statistics of one row, on src/harness/stats),
 * compare_out.c (compare.csv and the table), compare_plot.c (where --out
 * may go, the overlay plots).
 */
#ifndef DMABENCH_COMPARE_H
#define DMABENCH_COMPARE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "harness/csv.h"
#include "harness/stats.h"

#define PROG		"dmabench compare"
#define SCHEMA		1
#define ALPHA_DEFAULT	0.01	/* --alpha: the A/A rate measured with it, METHODOLOGY §4 */
#define ALPHA_DEFAULT_S	"0.01"

enum { K_SCENARIO, K_STRATEGY, K_MODE, K_INVALIDATION, K_SHARING, K_PLACEMENT,
       K_HOME_NODE, K_THREADS, NKEY };
extern const char *const key_names[NKEY];

/* One configuration of one run: its key and the ns_per_op of its repetitions. */
struct cfg {
	const char *key[NKEY];		/* cell text, owned by the run's table */
	long long home, threads;
	unsigned int strat;		/* position in strategy_table; strategy_count if unknown */
	size_t row;			/* first row, for messages */
	const double *ns;		/* usable repetitions */
	const long long *rep;		/* their repetition numbers */
	size_t n;
	long long rep_one;		/* while loading: this row's rep */
	bool disturbed_one;		/* while loading: this row has a disturbed flag */
	bool place_off_one;		/* while loading: off the runs' common placement */
	const struct cfg *floor_cfg;	/* the none/1-thread configuration of its run, or NULL */
	double *x;			/* ns / the floor's ns in the same repetition */
	size_t nx;
	/* --blocks, the pooled runs only (compare_blocks.c): each value's block, else NULL */
	const unsigned int *blk, *xblk;	/* of ns[], of x[] */
	unsigned int blocks_out;	/* runs left out: half or more of their repetitions disturbed */
	size_t nrows;			/* repetitions including empty cells */
	size_t dropped;			/* host-disturbed repetitions left out (run.drop_disturbed) */
	bool kept_disturbed;		/* too few clean ones: every repetition kept */
	size_t disturbed_kept;		/* of which disturbed; half or more: too-disturbed, no verdict */
	double median;			/* NAN when n == 0 */
	double floor;			/* the none/1-thread median of its run, or NAN */
};

struct run {
	const char *label;		/* "A" or "B" */
	const char *dir;
	char path[PATH_MAX];
	struct csv_table t;
	long long schema;
	const char *machine, *run_id;	/* of the first row */
	/* machine.txt's cpu_model, caches and hypervisor, "; "-joined ("": none read) */
	char hw[768];
	struct cfg *cfg;
	size_t ncfg;
	double *vals;
	long long *repv;
	bool drop_disturbed;		/* set before run_load: --disturbed=drop */
	unsigned int min_clean;		/* set before run_load: compare_min_clean(alpha) */
	const char *metric_col;		/* set before run_load: ns_per_op or batch_p50_ns */
	size_t dropped, kept_cfgs;	/* after it: repetitions left out; configurations that kept all */
	/* compare_placement(): the windows judged across the runs (sorted keys) */
	bool place_on;
	char **place_judged, **place_off;
	size_t nplace_judged, nplace_off;
	double place_typical;		/* run[0] only: the first pair's common figure */
	long long place_a, place_b;
	size_t place_dropped;		/* after run_load: left out for that */
};

/*
 * A repetition whose row carries one of these flags ran while the host or
 * the scheduler disturbed it (results/README.md: flags). With
 * --disturbed=drop (the default) compare leaves such repetitions out of a
 * configuration that has at least min_clean others — compare_min_clean():
 * the fewest a side with which p < alpha is possible, 5 at the default
 * alpha, 4 at 0.05 — since leaving them out would otherwise make the
 * configuration one that can never be called; a configuration with fewer
 * keeps all of them (and says so).
 */
#define COMPARE_DISTURBED_FLAGS	{ "host-c2c", "host-slow", "host-steal", "desched", "overran", "migrated" }

#define MAX_RUNS	512	/* --blocks: 256 blocks */
/*
 * --blocks --disturbed=drop (keep is --blocks' default): a run of a block
 * leaves its disturbed repetitions out when it keeps at least this many
 * clean ones (the test is over the blocks, so
 * the exact two-sample test's 5 a side does not apply to one run); a run
 * with none is left out of its block.
 */
#define BLOCK_MIN_CLEAN	1

/* ---- compare_place.c ---- */
/*
 * With --disturbed=drop, before run_load: when every run is of run[0]'s
 * machine and has host_c2c.csv, judge every window's placement probes
 * against one typical figure per pair over all the runs (the file's
 * header says why). 0, or 1 (out of memory, said in f).
 */
struct failure;
int compare_placement(struct run *run, int nruns, struct failure *f);
/* 1 and *off when the window (key, rep) was judged so; 0 when not; -ENOMEM */
int compare_place_verdict(const struct run *r, const char *const *key, long long rep, bool *off);
void compare_place_free(struct run *r);

enum fail_on { FAIL_ON_NONE, FAIL_ON_SLOWER, FAIL_ON_FASTER, FAIL_ON_ANY };
enum drift { DRIFT_FLOOR, DRIFT_SCALE, DRIFT_NONE };
/*
 * --metric: what one repetition contributes. mean: its ns_per_op, the
 * window's mean cost per call (every batch, interrupts and host phases
 * inside the window included). p50: its batch_p50_ns, the median batch's
 * cost per call: blind to what hits a minority of the window's batches (a
 * host phase over part of it, an interrupt; also a regression that only
 * adds rare slow calls), so it sees a change of the typical call through
 * noise that moves the mean (METHODOLOGY §4).
 */
enum metric { METRIC_MEAN, METRIC_P50 };
extern const char *const metric_cols[];
/*
 * --interval: the ratio and its interval. hl (the default): the
 * Hodges-Lehmann estimate, the median of the quotients b_j / a_i of the
 * basis, with the interval that inverts the rank test (stats_hl_ratio_ci):
 * not widened when a configuration's repetitions sit at two levels in like
 * proportion in both runs (the cheap lookups on the Turin guest, METHODOLOGY
 * §4 "A sixth time"). bootstrap: median(B) / median(A) of the basis with
 * its percentile-bootstrap interval (until 2026-12-06 the only one).
 */
enum interval { INTERVAL_HL, INTERVAL_BOOTSTRAP };
extern const char *const interval_words[];

/* The floor configuration (none, 1 thread) of a run between runs of one
 * machine: compared on raw ns, its verdict needs the interval beyond 1 +/-
 * this band (the drift between runs measured on an idle VM: 1-10%). */
#define ANCHOR_BAND_PCT	5
#define ANCHOR_BAND	(ANCHOR_BAND_PCT / 100.0)
#define STRINGIFY_(x)	#x
#define STRINGIFY(x)	STRINGIFY_(x)

struct args {
	const char *dir[MAX_RUNS];
	int nruns;
	bool help, no_plot;
	bool blocks;			/* --blocks: dir[] is A1 B1 A2 B2 ... */
	enum fail_on fail_on;
	enum drift drift;
	enum metric metric;
	enum interval interval;
	int disturbed;			/* 0 drop, 1 keep */
	const char *out;
	uint64_t seed;
	bool plot;
	double min_effect;		/* --min-effect, as a fraction: 0 = any difference */
	double alpha;			/* --alpha: the verdict's p bound; the interval is 1 - alpha */
};

/* The one-line message and the exit status the caller returns. */
struct failure {
	char msg[1024];
};

/* f->msg = the formatted line; returns rc. */
int failf(struct failure *f, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));


struct row {
	const struct cfg *a, *b;	/* either may be NULL: only in the other */
	int brun;			/* which run is B: 1 .. nruns-1 */
	const char *basis;		/* "floor": per-repetition floor-normalised; "raw": ns */
	double raw_ratio;		/* median(B) / median(A) of ns, whatever the basis */
	struct stats_ci ratio;		/* of the basis; NAN when not computed */
	const char *interval;		/* how: interval_words[] */
	double p;
	bool could_be_significant;	/* the rank test can reach p < alpha */
	const char *verdict;
};


/* compare_load.c */
int run_open(struct run *r, struct failure *f);
/*
 * Runs a and b (opened) are of one machine: the same `machine` name in
 * results.csv and, where both machine.txt files say, the same hardware
 * (run_open's hw). A name is a host name and an abbreviated CPU model: two
 * guests of one cloud image can share it on different hosts, so a name
 * alone does not make one machine.
 */
bool run_same_machine(const struct run *a, const struct run *b);
/* the `machine` of results.csv's first row ("" without the column) */
const char *run_machine_name(const struct run *r);
/* the same name but other hardware (say so once: compared as two machines) */
bool run_same_name_other_hw(const struct run *a, const struct run *b);
int run_load(struct run *r, struct failure *f);
void run_free(struct run *r);
void warn_status(const struct run *r);
int set_floors(struct run *r);
/* c's floor in r (none, 1 thread, c's scenario, mode, placement, ...; kdump rows: the normal-mode one), or NULL */
const struct cfg *cfg_floor(const struct run *r, const struct cfg *c);
int cfg_cmp(const struct cfg *x, const struct cfg *y);

/* compare_stats.c */
int compare_cfg(struct row *w, const struct args *a, bool use_floor, bool machines, double scale,
		struct failure *f);
/* The fewest repetitions a side with which the exact test can reach p < alpha. */
unsigned int compare_min_clean(double alpha);
/* --blocks: the fewest blocks with which the signed-rank test can reach p < alpha (8 at 0.01) */
unsigned int compare_min_blocks(double alpha);
int join_pair(struct run *A, struct run *B, int k, struct row *rows, size_t *n, struct failure *f);
double drift_scale(const struct row *rows, size_t from, size_t n, const struct row *w);
bool fails_on(enum fail_on fo, const struct row *rows, size_t n);

/* compare_out.c */
int write_csv(const char *out, const struct row *rows, size_t n, bool norm, const struct run *runs,
	      struct failure *f);
int write_csv_stdout(const struct row *rows, size_t n, bool norm, const struct run *runs,
		     struct failure *f);
void print_table(FILE *to, const struct run *runs, int nruns, const struct row *rows, size_t n,
		 bool norm, const struct args *a, bool drift);

/* compare_blocks.c: --blocks; run[] loaded, floors set, all of one machine */
int blocks_pool(const struct run *run, int nruns, struct run pool[2], struct failure *f);
void blocks_free(struct run pool[2]);

/* compare_plot.c */
int check_out(const struct args *a, struct failure *f);
int draw_plots(const struct args *a, const struct run *runs, struct failure *f);

#endif
