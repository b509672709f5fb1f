/*
 * The CSV encoder (struct csv_row) and the durable writer (struct
 * csv_writer): see csv.h for the contract. A row goes to the kernel in one
 * write(); a failed write is truncated back out. CSV_ATOMIC mode writes to a
 * temp file from atomic_file.c and installs it at close.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/atomic_file.h"
#include "harness/csv.h"
#include "harness/utf8.h"

/* ---- rows ---- */

static void row_reset(struct csv_row *r)
{
	r->len = 0;
	r->nfields = 0;
	r->err = 0;
}

void csv_row_free(struct csv_row *r)
{
	free(r->buf);
	*r = (struct csv_row)CSV_ROW_INIT;
}

static int row_fail(struct csv_row *r, int err)
{
	if (!r->err)
		r->err = err;
	return err;
}

static int row_reserve(struct csv_row *r, size_t more)
{
	size_t cap = r->cap ? r->cap : 128;
	char *nb;

	if (more > SIZE_MAX / 4 - r->len)
		return -ENOMEM;
	if (r->len + more <= r->cap)
		return 0;
	while (cap < r->len + more)
		cap *= 2;
	nb = realloc(r->buf, cap);
	if (!nb)
		return -ENOMEM;
	r->buf = nb;
	r->cap = cap;
	return 0;
}

static int needs_quotes(const char *s, size_t len)
{
	return memchr(s, ',', len) || memchr(s, '"', len) ||
	       memchr(s, '\r', len) || memchr(s, '\n', len) || utf8_has_bom(s, len);
}

/* append one field: separator, then s quoted if it must be */
static int row_add(struct csv_row *r, const char *s, size_t len)
{
	int quote = needs_quotes(s, len), err;

	if (!utf8_valid(s, len))
		return row_fail(r, -EINVAL);
	/* worst case: every byte a quote, doubled, plus 2 quotes and a comma */
	if (len > SIZE_MAX / 2 - 3)
		return row_fail(r, -ENOMEM);
	err = row_reserve(r, 2 * len + 3);
	if (err)
		return row_fail(r, err);
	if (r->nfields++)
		r->buf[r->len++] = ',';
	if (!quote) {
		memcpy(r->buf + r->len, s, len);
		r->len += len;
		return 0;
	}
	r->buf[r->len++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			r->buf[r->len++] = '"';
		r->buf[r->len++] = s[i];
	}
	r->buf[r->len++] = '"';
	return 0;
}

int csv_row_add_str(struct csv_row *r, const char *s)
{
	return row_add(r, s ? s : "", s ? strlen(s) : 0);
}

int csv_row_add_empty(struct csv_row *r)
{
	return row_add(r, "", 0);
}

int csv_row_add_int(struct csv_row *r, long long v)
{
	char b[32];

	return row_add(r, b, (size_t)snprintf(b, sizeof(b), "%lld", v));
}

int csv_row_add_uint(struct csv_row *r, unsigned long long v)
{
	char b[32];

	return row_add(r, b, (size_t)snprintf(b, sizeof(b), "%llu", v));
}

int csv_row_add_double_prec(struct csv_row *r, double v, int digits)
{
	char b[40];

	if (digits < 1 || digits > 17)
		return row_fail(r, -EINVAL);
	if (!isfinite(v))
		return csv_row_add_empty(r);
	return row_add(r, b, (size_t)snprintf(b, sizeof(b), "%.*g", digits, v));
}

/* ---- writer ---- */

struct csv_writer {
	int fd;
	unsigned flags;
	int err;		/* sticky: CSV_ATOMIC discards the file at close */
	size_t ncols;
	off_t size;		/* bytes of whole rows on disk */
	char *path;		/* the final name */
	char *tmp;		/* CSV_ATOMIC: the temporary name */
};

static int check_header(const char *const *columns, size_t ncols)
{
	if (!columns || ncols == 0)
		return -EINVAL;
	for (size_t i = 0; i < ncols; i++) {
		if (!columns[i] || !columns[i][0] ||
		    !utf8_valid(columns[i], strlen(columns[i])))
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(columns[i], columns[j]))
				return -EINVAL;
	}
	return 0;
}

static int writer_put(struct csv_writer *w, struct csv_row *r)
{
	int err;

	/* the line end goes in the same write() as the row */
	err = row_reserve(r, 1);
	if (err)
		return err;
	r->buf[r->len] = '\n';
	err = atomic_file_write_all(w->fd, r->buf, r->len + 1);
	if (err) {
		/* take a partial row back out; if that fails too, the file
		 * may end in a torn row: refuse every later row */
		if (ftruncate(w->fd, w->size) ||
		    lseek(w->fd, w->size, SEEK_SET) != w->size)
			w->err = err;
		return err;
	}
	w->size += (off_t)r->len + 1;
	return 0;
}

static void writer_free(struct csv_writer *w)
{
	free(w->path);
	free(w);
}

int csv_writer_open(struct csv_writer **wp, const char *path,
		    const char *const *columns, size_t ncols, unsigned flags)
{
	struct csv_row r = CSV_ROW_INIT;
	struct csv_writer *w;
	int err;

	if (!wp || !path || !*path || (flags & ~CSV_ATOMIC))
		return -EINVAL;
	*wp = NULL;
	err = check_header(columns, ncols);
	if (err)
		return err;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->flags = flags;
	w->ncols = ncols;
	w->path = strdup(path);
	if (!w->path) {
		free(w);
		return -ENOMEM;
	}
	if (flags & CSV_ATOMIC) {
		w->fd = atomic_file_temp(path, &w->tmp);
	} else {
		w->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (w->fd < 0)
			w->fd = -errno;
	}
	if (w->fd < 0) {
		err = w->fd;
		writer_free(w);
		return err;
	}
	for (size_t i = 0; i < ncols; i++)
		csv_row_add_str(&r, columns[i]);
	err = r.err ? r.err : writer_put(w, &r);
	csv_row_free(&r);
	if (err) {
		/* we created it, and it holds at most a header: remove it */
		if (!w->tmp)
			unlink(w->path);
		csv_writer_abort(w);
		return err;
	}
	*wp = w;
	return 0;
}

int csv_writer_write_row(struct csv_writer *w, struct csv_row *r)
{
	int err;

	if (!w || !r)
		return -EINVAL;
	if (w->err)
		err = w->err;
	else if (r->err)
		err = r->err;
	else if (r->nfields != w->ncols)
		err = -EINVAL;
	else
		err = writer_put(w, r);
	if (err && (w->flags & CSV_ATOMIC))
		w->err = w->err ? w->err : err;
	row_reset(r);
	return err;
}

int csv_writer_close(struct csv_writer *w)
{
	int err;

	if (!w)
		return -EINVAL;
	err = w->err;
	if (w->tmp)
		err = atomic_file_install(w->fd, w->tmp, w->path, err, 0);
	else if (close(w->fd) && !err)
		err = -errno;
	writer_free(w);
	return err;
}

void csv_writer_abort(struct csv_writer *w)
{
	if (!w)
		return;
	if (w->tmp)
		atomic_file_install(w->fd, w->tmp, w->path, -ECANCELED, 0);
	else
		close(w->fd);
	writer_free(w);
}
