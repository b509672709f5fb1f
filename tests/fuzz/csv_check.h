/*
 * tests/fuzz/csv_check.h — the property every input to the CSV reader must
 * have, shared by the libFuzzer target (fuzz_csv.c) and the regression test
 * that replays the corpus and every saved crash (tests/test_csv_regress.c).
 *
 * csv_check_input() returns NULL when the input behaved, else what went
 * wrong: the parser either rejects the bytes with -EINVAL/-ENOMEM and a
 * one-line message, or accepts them, and then every accessor answers
 * in range and writing the table back out with struct csv_row gives bytes
 * that parse to the same table and re-encode to the same bytes.
 */
#ifndef DMABENCH_TESTS_FUZZ_CSV_CHECK_H
#define DMABENCH_TESTS_FUZZ_CSV_CHECK_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness/csv.h"

struct csv_check_buf {
	char *s;
	size_t len, cap;
};

static int csv_check_append(struct csv_check_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *ns = realloc(b->s, cap);

		if (!ns)
			return -1;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	return 0;
}

static int csv_check_encode_row(struct csv_check_buf *b, char *const *cells,
				size_t n)
{
	struct csv_row r = CSV_ROW_INIT;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		csv_row_add_str(&r, cells[i]);
	if (r.err || r.nfields != n ||
	    csv_check_append(b, r.buf ? r.buf : "", r.len) ||
	    csv_check_append(b, "\n", 1))
		rc = -1;
	csv_row_free(&r);
	return rc;
}

static int csv_check_encode(const struct csv_table *t, struct csv_check_buf *b)
{
	if (csv_check_encode_row(b, t->header, t->ncols))
		return -1;
	for (size_t i = 0; i < t->nrows; i++)
		if (csv_check_encode_row(b, t->cells + i * t->ncols, t->ncols))
			return -1;
	return 0;
}

static const char *csv_check_table(const struct csv_table *t)
{
	if (t->ncols < 1)
		return "accepted a table without columns";
	if (csv_rows(t) != t->nrows)
		return "csv_rows() disagrees with nrows";
	for (size_t c = 0; c < t->ncols; c++)
		if (csv_col(t, t->header[c]) != (int)c)
			return "csv_col() does not find a header name at its index";
	for (size_t r = 0; r < t->nrows; r++) {
		if (r > 0 && t->row_line[r] <= t->row_line[r - 1])
			return "row lines not increasing";
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = csv_cell(t, r, c);
			double d;
			long long ll;
			int rc;

			if (!s)
				return "csv_cell() NULL inside the table";
			rc = csv_cell_double(t, r, c, &d);
			if (rc != 0 && rc != -ENODATA && rc != -EINVAL && rc != -ERANGE)
				return "csv_cell_double() returned an unexpected code";
			if ((rc == -ENODATA) != !*s)
				return "csv_cell_double(): -ENODATA must mean exactly an empty cell";
			rc = csv_cell_ll(t, r, c, &ll);
			if (rc != 0 && rc != -ENODATA && rc != -EINVAL && rc != -ERANGE)
				return "csv_cell_ll() returned an unexpected code";
		}
	}
	if (csv_cell(t, t->nrows, 0) || csv_cell(t, 0, t->ncols))
		return "csv_cell() out of range not NULL";
	return NULL;
}

static const char *csv_check_same(const struct csv_table *a, const struct csv_table *b)
{
	if (a->ncols != b->ncols || a->nrows != b->nrows)
		return "round trip changed the shape";
	for (size_t c = 0; c < a->ncols; c++)
		if (strcmp(a->header[c], b->header[c]))
			return "round trip changed a column name";
	for (size_t i = 0; i < a->nrows * a->ncols; i++)
		if (strcmp(a->cells[i], b->cells[i]))
			return "round trip changed a cell";
	return NULL;
}

static const char *csv_check_input(const char *data, size_t size)
{
	struct csv_table t, t2;
	struct csv_check_buf b1 = { 0 }, b2 = { 0 };
	char err[256];
	const char *bad = NULL;
	int rc;

	memset(err, 'x', sizeof(err));
	rc = csv_parse_buffer(data, size, "fuzz", &t, err, sizeof(err));
	if (rc) {
		if (rc != -EINVAL && rc != -ENOMEM)
			bad = "rejected with an unexpected error code";
		else if (!memchr(err, 0, sizeof(err)) || !err[0])
			bad = "rejected without a message";
		else if (strchr(err, '\n') || strchr(err, '\r'))
			bad = "error message is not one line";
		else if (t.header || t.cells || t.storage || t.nrows || t.ncols)
			bad = "rejected but the table is not empty";
		csv_free(&t);
		return bad;
	}
	bad = csv_check_table(&t);
	if (!bad && csv_check_encode(&t, &b1))
		bad = "the writer refused an accepted table";
	if (!bad) {
		rc = csv_parse_buffer(b1.s, b1.len, "re-encoded", &t2, err, sizeof(err));
		if (rc)
			bad = "the reader rejects what the writer wrote";
		else {
			bad = csv_check_same(&t, &t2);
			if (!bad && csv_check_encode(&t2, &b2))
				bad = "the writer refused the re-read table";
			if (!bad && (b1.len != b2.len || memcmp(b1.s, b2.s, b1.len)))
				bad = "encoding is not stable";
		}
		csv_free(&t2);
	}
	free(b1.s);
	free(b2.s);
	csv_free(&t);
	return bad;
}

#endif
