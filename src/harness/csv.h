/*
 * src/harness/csv.h — the CSV files dmabench writes (results.csv, summary.csv,
 * compare.csv, predict's tables) and reads back (compare, predict, c2c).
 * One format, so one header: the writer is csv_write.c, the reader and its
 * number parsers csv_read.c.
 *
 * Format: RFC 4180 with UTF-8 text. Fields are separated by ',', records end
 * in LF or CRLF; a field is quoted ("...", a quote inside doubled) only when
 * it holds ',', '"', CR or LF, or starts with a UTF-8 byte-order mark. The
 * first record is the header: one or more non-empty, distinct column names.
 * An empty cell is an unavailable value (never 0).
 *
 * Writing. Build a row in a struct csv_row (in memory, any thread, one owner),
 * then csv_writer_write_row() hands it to the kernel with one write() — the
 * row reaches the file whole or, on a write error, not at all (the file is
 * truncated back), so a reader never sees a torn row even if the process
 * dies between rows. Cost: one write() per row, no fsync (CSV_ATOMIC: one
 * fsync at close). A writer belongs to one thread at a time. Numbers are
 * formatted with snprintf() and parsed with strtod(): both assume LC_NUMERIC
 * is "C" (dmabench never calls setlocale()).
 *
 * Reading. csv_read_file() loads a whole file (at most CSV_MAX_BYTES_DEFAULT,
 * 64 MiB) and checks it before returning anything: it never crashes on any
 * input (it is fuzzed: tests/fuzz/fuzz_csv.c) and on a bad file returns a
 * negative errno with a one-line message in err naming the file and line.
 * Memory: the file size plus 8 bytes per cell (16 while loading). Time:
 * about 10 ns per byte. A struct csv_table is read-only after loading and
 * may be shared between threads.
 */
#ifndef DMABENCH_HARNESS_CSV_H
#define DMABENCH_HARNESS_CSV_H

#include <stddef.h>

/* ---- rows ---- */

/*
 * A row being built. Initialise with = CSV_ROW_INIT.
 * Every add returns 0 or a negative errno, and the first error sticks in
 * err: csv_writer_write_row() refuses a row whose err is set, so a caller
 * may add a whole row and check once. buf holds the encoded fields
 * (without the line end), len bytes, not NUL-terminated.
 */
struct csv_row {
	char *buf;
	size_t len, cap;
	size_t nfields;
	int err;
};

#define CSV_ROW_INIT { NULL, 0, 0, 0, 0 }

void csv_row_free(struct csv_row *r);	/* and re-initialise it */

/* s must be valid UTF-8 (-EINVAL otherwise); NULL or "" is an empty cell. */
int csv_row_add_str(struct csv_row *r, const char *s);
int csv_row_add_int(struct csv_row *r, long long v);
int csv_row_add_uint(struct csv_row *r, unsigned long long v);
/* %.<digits>g, digits in 1..17 (17 reads back as exactly v); NaN and
 * +-inf (an unavailable or undefined value) become an empty cell. */
int csv_row_add_double_prec(struct csv_row *r, double v, int digits);
int csv_row_add_empty(struct csv_row *r);

/* ---- writer ---- */

enum {
	CSV_ATOMIC = 1 << 0,	/* write to "<path>.tmp.XXXXXX" (mode 0644,
				 * atomic_file_temp()), rename it over path in
				 * csv_writer_close() (replacing any old file),
				 * after an fsync */
};

struct csv_writer;

/*
 * Create path (it must not exist: -EEXIST; O_EXCL, mode 0666 & ~umask) and
 * write the header row. In CSV_ATOMIC mode path may exist and nothing
 * appears there before csv_writer_close(). -EINVAL for ncols == 0 or a
 * column name that is empty, repeated or not UTF-8; nothing is created then.
 */
int csv_writer_open(struct csv_writer **w, const char *path,
		    const char *const *columns, size_t ncols, unsigned flags);
/*
 * Append r as one row: -EINVAL if r->err is set or r has not exactly ncols
 * fields (nothing written). A failed write leaves the file as it was before
 * the row (truncated back) and returns its -errno; in CSV_ATOMIC mode any
 * error also makes csv_writer_close() discard the file. r is reset on
 * return, whatever the result.
 */
int csv_writer_write_row(struct csv_writer *w, struct csv_row *r);
/* Close and free w. CSV_ATOMIC: fsync and rename into place, or, after any
 * earlier error, remove the temporary file and return that error. */
int csv_writer_close(struct csv_writer *w);
/* Close and free w without committing: CSV_ATOMIC removes the temporary
 * file; otherwise the rows already written stay (they are whole). */
void csv_writer_abort(struct csv_writer *w);

/* ---- reader ---- */

#define CSV_MAX_BYTES_DEFAULT ((size_t)64 << 20)

struct csv_table {
	size_t ncols;
	size_t nrows;		/* data rows, the header not counted */
	char **header;		/* ncols names */
	char **cells;		/* nrows * ncols, row-major, unquoted, NUL-terminated
				 * (the same array as header, after it) */
	size_t *row_line;	/* 1-based line where data row i starts */
	char *storage;
};

/*
 * Load path. Always initialises t (csv_free() is safe after any result).
 * Errors (err gets "<path>: <what>" or "<path>: line N: <what>", one line):
 *   -ENOENT (and other open/read errors): the file cannot be read;
 *   -EFBIG: larger than CSV_MAX_BYTES_DEFAULT (a pipe or device is read
 *     up to the limit);
 *   -EINVAL: empty file; a row with the wrong number of fields; a last row
 *     cut short (no newline at the end and too few fields; a complete last
 *     row without a newline is fine); an unterminated quoted field; a quote
 *     inside an unquoted field or text after a closing quote; a CR not
 *     followed by LF outside quotes; bytes that are not UTF-8; a NUL byte;
 *     an empty or repeated column name.
 *   -ENOMEM.
 * A UTF-8 byte-order mark at the start is skipped. err may be NULL.
 */
int csv_read_file(const char *path, struct csv_table *t, char *err, size_t errlen);
/* The same checks on a buffer (any bytes, not NUL-terminated); name (NULL:
 * "<buffer>") starts the error message. csv_read_file() uses this. */
int csv_parse_buffer(const char *buf, size_t len, const char *name,
		     struct csv_table *t, char *err, size_t errlen);
void csv_free(struct csv_table *t);

/* Column index of name, -1 if absent. */
int csv_col(const struct csv_table *t, const char *name);
size_t csv_rows(const struct csv_table *t);
/* The cell's text ("" when empty), NULL if row or col is out of range. */
const char *csv_cell(const struct csv_table *t, size_t row, size_t col);
/*
 * Strict numbers: the whole cell must be a decimal number — [+-]digits[.digits]
 * [e[+-]digits] for doubles (no spaces, hex, inf or nan), [+-]digits for
 * integers. Returns 0; -ENODATA for an empty cell (unavailable, not 0);
 * -EINVAL for anything else or an index out of range; -ERANGE on overflow.
 */
int csv_cell_double(const struct csv_table *t, size_t row, size_t col, double *out);
int csv_cell_ll(const struct csv_table *t, size_t row, size_t col, long long *out);
/* The same parsers on any string (e.g. a command-line value). */
int csv_parse_double(const char *s, double *out);
int csv_parse_ll(const char *s, long long *out);

#endif
