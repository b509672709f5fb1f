/*
 * src/harness/c2c.h — core-to-core latency: the round trip of one cache line
 * between two PUs, for every pair of allowed PUs (or a stated sample of them).
 * c2c.c plans and measures the matrix; c2c_io.c writes it (c2c.csv, the
 * machine.txt lines) and reads c2c.csv back.
 *
 * What one figure means. Two threads, pinned to PUs `from` and `to`, ping-pong
 * on one 64-bit flag that sits alone in its 64-byte line, in memory bound to
 * the home node: `from` stores an odd value and spins until it loads `to`'s
 * reply (value + 1); `to` spins for the odd value and stores the reply. One
 * round trip is two one-way transfers of the line between the two caches.
 * A sample is C2C_DEFAULT_ROUND_TRIPS round trips with the clock read once
 * before and once after; the cost of one clock read (clock_overhead_ns()) is
 * subtracted from every sample, then divided by the round trips. The figure is
 * the median of `samples` samples taken after `warmup` discarded ones. The
 * spin loops have no pause instruction (it would add its own latency).
 * Where the line lives matters (its home directory / snoop filter sits there),
 * so the home node is an input and is reported with the figures.
 *
 * Two operations (c2c_params.op). C2C_OP_STORE is the ping-pong above: each
 * leg is a store the other side sees by loading (an invalidation, then a
 * miss). C2C_OP_RMW hands the line over with an atomic read-modify-write:
 * each side spins on a compare-and-swap from the value it waits for to the
 * next one (lock cmpxchg on x86, an LSE cas or an ll/sc loop on arm64), so
 * every leg is one read-for-ownership, which is what a refcount handoff is.
 * It is the operation of the published matrices (nviennot/core-to-core-latency,
 * src/bench/cas.rs), so a profile built from them compares like with like.
 *
 * Pairs. Unordered: from < to by PU OS index (the round trip is symmetric by
 * construction — both directions are in it). The diagonal has no figure: a
 * PU does not transfer a line to itself; lookups return NAN and the CSV
 * writes the diagonal rows explicitly with an empty round_trip_ns cell.
 * Sampling: when all n(n-1)/2 pairs exceed max_pairs (default
 * C2C_DEFAULT_MAX_PAIRS = 2016 = 64*63/2, so machines with more than 64 PUs),
 * the plan is (1) one representative pair per pair of NUMA nodes — the two
 * lowest PUs of a node for same-node, the lowest PU of each node for
 * cross-node — then (2) from the remaining pairs in (from, to) order every
 * stride-th one, stride = ceil(remaining / (max_pairs - representatives)),
 * starting with the first. Deterministic; c2c_plan_rule() states it in words.
 *
 * c2c.csv (c2c_write_csv): header `from,to,from_node,to_node,round_trip_ns,op`,
 * for each measured op (store first, then rmw) one row per planned pair plus
 * one diagonal row per PU (to == from, empty round_trip_ns), rows in
 * (from, to) order; pairs left out by sampling have no row. op is `store` or
 * `rmw`. A file of the old five columns (no op) reads back as store.
 * Written to a temporary name in the same directory, then renamed: a
 * reader sees the whole file or none.
 *
 * Contract: library code — returns 0 or a negative errno, never prints or
 * exits. A struct c2c_matrix belongs to one thread at a time. c2c_run() and
 * c2c_measure_pair() start two threads of their own per pair and bind them
 * (the caller's affinity is untouched); they take about
 * (warmup + samples) * round_trips * round trip per pair (51+5 samples x 1000
 * x 100 ns = 6 ms per pair on one package), and need the two PUs otherwise
 * idle to mean anything.
 */
#ifndef DMABENCH_HARNESS_C2C_H
#define DMABENCH_HARNESS_C2C_H

#include <stdbool.h>
#include <stdio.h>

struct topo;

#define C2C_DEFAULT_SAMPLES	51u
#define C2C_DEFAULT_WARMUP	5u
#define C2C_DEFAULT_ROUND_TRIPS	1000u
#define C2C_DEFAULT_MAX_PAIRS	2016u	/* all pairs of 64 PUs */

enum c2c_op {
	C2C_OP_STORE = 0,		/* store + load ping-pong (the default) */
	C2C_OP_RMW = 1,			/* compare-and-swap handoff */
	C2C_NR_OPS = 2,
};

/* "store" / "rmw"; c2c_op_parse: 0 or -EINVAL. */
const char *c2c_op_name(enum c2c_op op);
int c2c_op_parse(const char *s, enum c2c_op *op);

struct c2c_params {
	enum c2c_op op;			/* what each leg of the round trip is */
	unsigned int samples;		/* >= 1; the median of these */
	unsigned int warmup;		/* discarded samples before them */
	unsigned int round_trips;	/* >= 1 per sample */
	int home_node;			/* NUMA node (OS index) the flag line is bound to */
};

void c2c_params_default(struct c2c_params *p);	/* store, home_node 0 */

struct c2c_pu {
	int os;				/* PU OS index */
	int node;			/* its NUMA node, OS index */
};

struct c2c_pair {
	int from, to;			/* PU OS indexes, from < to */
	int from_node, to_node;
	double round_trip_ns;		/* store round trip; NAN until measured */
	double rmw_round_trip_ns;	/* rmw round trip; NAN until measured */
};

/* The pair's figure for op (NAN when not measured). */
double c2c_pair_ns(const struct c2c_pair *p, enum c2c_op op);

struct c2c_matrix {
	unsigned int npus;
	struct c2c_pu *pus;		/* ascending OS index, distinct */
	unsigned int npairs;
	struct c2c_pair *pairs;		/* planned pairs, (from, to) order */
	unsigned long total_pairs;	/* npus (npus - 1) / 2 */
	unsigned int max_pairs;		/* the budget the plan was made with */
	bool sampled;			/* npairs < total_pairs by the rule above */
	unsigned int representatives;	/* sampled: node-pair representatives */
	unsigned long stride;		/* sampled: stride over the rest, else 0 */
	/* set by c2c_run(); home_node -1 and the rest 0 when not measured here */
	int home_node;
	unsigned int samples, warmup, round_trips;
	double clock_overhead_ns;	/* subtracted once per sample */
	bool home_bound;		/* the line was bound to home_node every time */
	bool measured[C2C_NR_OPS];	/* c2c_run() (or the file read) had this op */
};

/*
 * Plan the pairs of n PUs (any order, distinct OS indexes, node >= 0).
 * max_pairs 0 means C2C_DEFAULT_MAX_PAIRS. Pure: no topology, no clock.
 * -EINVAL on n == 0, duplicates or a negative index; -ENOMEM.
 * Release with c2c_free() (also after an error: it leaves *m empty).
 */
int c2c_plan(struct c2c_matrix *m, const struct c2c_pu *pus, unsigned int n,
	     unsigned int max_pairs);
/* The same for every allowed PU of the topology (or the subset `cpus`, n
 * OS indexes, when cpus != NULL: -ENOENT if one is not allowed). */
int c2c_plan_topo(struct c2c_matrix *m, struct topo *t, const int *cpus,
		  unsigned int ncpus, unsigned int max_pairs);
void c2c_free(struct c2c_matrix *m);

/* One line, no newline: "all 496 unordered pairs (from < to)" or the
 * sampling rule with its numbers. Truncates to len like snprintf. */
void c2c_plan_rule(const struct c2c_matrix *m, char *buf, size_t len);

/*
 * Measure one pair (a != b, both allowed) with the flag on p->home_node.
 * *home_bound (may be NULL) says whether the memory binding was had (see
 * topo_alloc_on_node). -EINVAL bad arguments or no such home node,
 * -EOPNOTSUPP not this system (a synthetic topology), -ENOMEM, or the
 * binding error of topo.
 */
int c2c_measure_pair(struct topo *t, int a, int b, const struct c2c_params *p,
		     double *round_trip_ns, bool *home_bound);
/* Measure every planned pair of m, in order; records p in m. On an error the
 * pairs measured so far keep their figures and the rest stay NAN; after
 * runner_stop() (a signal in a sweep) it stops between pairs: -ECANCELED. */
int c2c_run(struct c2c_matrix *m, struct topo *t, const struct c2c_params *p);


/* Round trip of op between PUs a and b (either order): NAN on the diagonal,
 * for a pair not planned or not measured. */
double c2c_round_trip_op_ns(const struct c2c_matrix *m, enum c2c_op op, int a, int b);
/* Mean round trip of the measured pairs between nodes x and y (either
 * order; x == y: same-node pairs); NAN if there is none. Stands in for a
 * pair that sampling left out. */
double c2c_node_mean_op_ns(const struct c2c_matrix *m, enum c2c_op op, int x, int y);

/* The sweep's pass: plan every allowed PU (C2C_DEFAULT_MAX_PAIRS), c2c_run()
 * with c2c_params_default() and this home node (store), then the same pairs
 * again with C2C_OP_RMW and rmw_round_trips round trips per sample (short:
 * the pass must stay cheap). *m holds what was measured on an error
 * (c2c_free() it). */
int c2c_measure_both(struct topo *t, int home_node, unsigned int rmw_round_trips,
		     struct c2c_matrix *m);

/* c2c.csv as described above, written whole (temporary name + rename). */
int c2c_write_csv(const struct c2c_matrix *m, const char *path);
/* The same rows to a stream (e.g. stdout); -EIO if the stream errs. */
int c2c_print_csv(const struct c2c_matrix *m, FILE *f);
/* Read a c2c.csv back (the PUs and nodes come from its rows; sampling facts
 * are inferred: sampled iff pairs are missing). -EINVAL on a malformed file
 * (wrong header, field count, a number that does not parse, an empty cell
 * off the diagonal, from > to), -errno from fopen. */
int c2c_read_csv(struct c2c_matrix *m, const char *path);

/*
 * machine.txt lines, `key: value`, for the measured pairs:
 *   c2c_pairs: measured pairs, of how many, and the rule
 *   c2c_home_node: N
 *   c2c_same_node_{min,median,max}_ns, c2c_cross_node_{min,median,max}_ns:
 *   (store), and c2c_rmw_same_node_..., c2c_rmw_cross_node_... when rmw was
 *   measured (or "c2c_rmw: not measured"):
 *   a number (two decimals) or "unavailable (why)" — one allowed PU, one
 *   NUMA node, no two PUs on one node, or nothing measured.
 * -EIO if writing fails, -ENOMEM.
 */
int c2c_write_summary(const struct c2c_matrix *m, FILE *f);

#endif
