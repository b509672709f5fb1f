/*
 * bench/runcsv.h — the one validator of a run directory's CSV files, for
 * every reader: `dmabench compare` (results.csv) and `make plot`
 * (scripts/plot.sh runs `dmabench check-csv RUN/summary.csv` before drawing).
 * One table of column rules (runcsv.c) holds the ranges both obey:
 *   - key cells (scenario, strategy, mode, invalidation, sharing, placement):
 *     letters, digits, _ . : + -, not starting with . : + ;
 *   - home_node: an integer, -1 .. RUNCSV_MAX_NODE; threads: 1 .. RUNCSV_MAX_THREADS;
 *     rep (results.csv): 1 .. RUNCSV_MAX_REP;
 *   - every number: the strict decimal syntax of csv_parse_double(), finite
 *     and |x| < RUNCSV_MAX_ABS; ns_per_op (results) and ns_per_op_median,
 *     mops_per_s_median (summary) > 0 (ns_per_op may be empty: unavailable);
 *   - schema 1 on every row;
 *   - no configuration twice: results.csv keys (the eight above plus rep)
 *     are unique, summary.csv keys (without rep) are unique.
 * A file that breaks one gets one line, "<path>: line N: <what>", and -EINVAL.
 * runcsv_read() also refuses what is not a regular file (a FIFO would block
 * the reader forever) before reading it. Plain functions, any thread.
 */
#ifndef DMABENCH_RUNCSV_H
#define DMABENCH_RUNCSV_H

#include <stddef.h>
#include "harness/csv.h"

#define RUNCSV_MAX_NODE		65535
#define RUNCSV_MAX_THREADS	1048576
#define RUNCSV_MAX_REP		1000000
#define RUNCSV_MAX_ABS		1e308	/* as scripts/csv.awk csv_num() */

enum runcsv_kind { RUNCSV_RESULTS, RUNCSV_SUMMARY };

/* Read path (a regular file, csv.h's limits) into t: 0, or -errno with a line in err. */
int runcsv_read(const char *path, struct csv_table *t, char *err, size_t errlen);
/* Check t (read from path) against the rules of kind: 0 or -EINVAL with a line in err. */
int runcsv_check(const struct csv_table *t, enum runcsv_kind kind, const char *path,
		 char *err, size_t errlen);
/*
 * What dmabench writes in a key cell (names from its tables, numbers,
 * cpus:0+2+4): letters, digits, _ . : + - and not starting with . : or +.
 * The plot scripts name files after them.
 */
bool runcsv_key_ok(const char *s);
/* `dmabench check-csv FILE...`: the kind by file name; exit 0, 2 (bad file: one line), 1. */
int runcsv_main(int argc, char **argv);

#endif
