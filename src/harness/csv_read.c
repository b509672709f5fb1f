/*
 * The strict CSV reader (struct csv_table) and its number parsers: see
 * csv.h for the contract. The whole file is loaded, checked for UTF-8 and
 * NUL bytes, then unquoted in place; cells point into that one buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/csv.h"
#include "harness/utf8.h"

struct parser {
	char *s;		/* owned, len + 1 bytes, unquoted in place */
	size_t len, pos, w;	/* read and write offsets, w <= pos */
	size_t line;		/* 1-based physical line at pos */
	const char *name;
	char *err;
	size_t errlen;
	/* every cell, header first, pointing into s (which never moves) */
	char **cell;
	size_t ncells, cap;
	size_t *row_line;
	size_t nrecs, rcap;
};

__attribute__((format(printf, 3, 4)))
static int perr(struct parser *p, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->err || !p->errlen)
		return code;
	n = snprintf(p->err, p->errlen, "%s: ", p->name);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* a cell's text made safe for a one-line message: printable ASCII, short */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t i = 0;

	for (; *s && i + 4 < size; s++)
		buf[i++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	if (*s)
		memcpy(buf + i, "...", 3), i += 3;
	buf[i] = 0;
	return buf;
}

/* room for one more element in *arr (n used of *cap, elem bytes each),
 * doubling from 64: 0 or -ENOMEM (then *arr is untouched) */
static int reserve_one(void **arr, size_t n, size_t *cap, size_t elem)
{
	size_t c = *cap ? 2 * *cap : 64;
	void *grown;

	if (n < *cap)
		return 0;
	grown = realloc(*arr, c * elem);
	if (!grown)
		return -ENOMEM;
	*arr = grown;
	*cap = c;
	return 0;
}

static int push_cell(struct parser *p, char *cell)
{
	void *arr = p->cell;
	int rc = reserve_one(&arr, p->ncells, &p->cap, sizeof(*p->cell));

	p->cell = arr;
	if (!rc)
		p->cell[p->ncells++] = cell;
	return rc;
}

static int push_rec(struct parser *p, size_t line)
{
	void *arr = p->row_line;
	int rc = reserve_one(&arr, p->nrecs, &p->rcap, sizeof(*p->row_line));

	p->row_line = arr;
	if (!rc)
		p->row_line[p->nrecs++] = line;
	return rc;
}

static int check_encoding(struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->s;
	size_t line = 1, line_start = 0;

	for (size_t i = 0, n; i < p->len; i += n) {
		if (s[i] == 0)
			return perr(p, -EINVAL, "line %zu: NUL byte at column %zu",
				    line, i - line_start + 1);
		n = utf8_seq(s + i, p->len - i);
		if (n == 0)
			return perr(p, -EINVAL,
				    "line %zu: invalid UTF-8 (byte 0x%02x at column %zu)",
				    line, s[i], i - line_start + 1);
		if (s[i] == '\n') {
			line++;
			line_start = i + 1;
		}
	}
	return 0;
}

/*
 * One record starting at p->pos. Sets *nl to whether it ended in a line end
 * (LF or CRLF) rather than at the end of the buffer.
 */
static int parse_record(struct parser *p, int *nl)
{
	char *s = p->s;

	for (;;) {
		size_t start = p->w;
		char c;

		if (p->pos < p->len && s[p->pos] == '"') {
			size_t open_line = p->line;

			p->pos++;
			for (;;) {
				if (p->pos >= p->len)
					return perr(p, -EINVAL,
						    "line %zu: unterminated quoted field (opened on line %zu)",
						    p->line, open_line);
				c = s[p->pos];
				if (c == '"') {
					if (p->pos + 1 < p->len && s[p->pos + 1] == '"') {
						s[p->w++] = '"';
						p->pos += 2;
						continue;
					}
					p->pos++;
					break;
				}
				if (c == '\n')
					p->line++;
				s[p->w++] = c;
				p->pos++;
			}
			if (p->pos < p->len && s[p->pos] != ',' && s[p->pos] != '\n' &&
			    !(s[p->pos] == '\r' && p->pos + 1 < p->len && s[p->pos + 1] == '\n'))
				return perr(p, -EINVAL,
					    "line %zu: text after the closing quote of a field",
					    p->line);
		} else {
			while (p->pos < p->len) {
				c = s[p->pos];
				if (c == ',' || c == '\n' || c == '\r' || c == '"')
					break;
				s[p->w++] = c;
				p->pos++;
			}
			if (p->pos < p->len && s[p->pos] == '"')
				return perr(p, -EINVAL,
					    "line %zu: quote inside an unquoted field", p->line);
			if (p->pos < p->len && s[p->pos] == '\r' &&
			    !(p->pos + 1 < p->len && s[p->pos + 1] == '\n'))
				return perr(p, -EINVAL,
					    "line %zu: carriage return not followed by a line feed",
					    p->line);
		}
		/* read the delimiter before the NUL may overwrite it (w <= pos) */
		c = p->pos < p->len ? s[p->pos] : 0;
		s[p->w++] = 0;
		if (push_cell(p, s + start))
			return -ENOMEM;
		if (c == ',') {
			p->pos++;
			continue;
		}
		*nl = c != 0;
		if (c == '\r')
			p->pos++;
		if (c) {
			p->pos++;	/* the LF */
			p->line++;
		}
		return 0;
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int check_names(struct parser *p, char **names, size_t n)
{
	char **sorted, b[64];

	if (n == 1 && !names[0][0])
		return perr(p, -EINVAL, "line 1: empty header row");
	for (size_t i = 0; i < n; i++)
		if (!names[i][0])
			return perr(p, -EINVAL, "line 1: column %zu has an empty name", i + 1);
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_name);
	for (size_t i = 1; i < n; i++) {
		if (!strcmp(sorted[i - 1], sorted[i])) {
			int err = perr(p, -EINVAL, "line 1: column name \"%s\" appears twice",
				       shown(sorted[i], b, sizeof(b)));

			free(sorted);
			return err;
		}
	}
	free(sorted);
	return 0;
}

static void table_init(struct csv_table *t)
{
	memset(t, 0, sizeof(*t));
}

void csv_free(struct csv_table *t)
{
	if (!t)
		return;
	free(t->header);	/* cells live in the same array */
	free(t->row_line);
	free(t->storage);
	table_init(t);
}

static int parse(struct parser *p, struct csv_table *t)
{
	size_t ncols = 0;
	int err, nl = 0;

	err = check_encoding(p);
	if (err)
		return err;
	if (utf8_has_bom(p->s, p->len))
		p->pos = p->w = 3;
	if (p->pos >= p->len)
		return perr(p, -EINVAL, "empty file (no header row)");
	while (p->pos < p->len) {
		size_t first = p->ncells, line = p->line, n;

		err = parse_record(p, &nl);
		if (err)
			return err;
		n = p->ncells - first;
		if (first == 0) {
			ncols = n;
			continue;
		}
		if (n < ncols && !nl)
			return perr(p, -EINVAL,
				    "line %zu: last row is cut short: %zu of %zu fields and no newline at the end of the file",
				    line, n, ncols);
		if (n != ncols)
			return perr(p, -EINVAL, "line %zu: %zu field%s, the header has %zu%s",
				    line, n, n == 1 ? "" : "s", ncols,
				    n == 1 && !p->cell[first][0] ? " (empty line)" : "");
		if (push_rec(p, line))
			return -ENOMEM;
	}

	/* the table takes over the buffer and the cell array */
	if (p->ncells < p->cap) {
		char **shrunk = realloc(p->cell, p->ncells * sizeof(*shrunk));

		if (shrunk)
			p->cell = shrunk;
	}
	t->ncols = ncols;
	t->nrows = p->nrecs;
	t->storage = p->s;
	t->header = p->cell;
	t->cells = p->cell + ncols;
	t->row_line = p->row_line;
	p->s = NULL;
	p->cell = NULL;
	p->row_line = NULL;
	return check_names(p, t->header, ncols);
}

/* parse s (len bytes, allocated with room for len + 1), which t takes over */
static int parse_owned(char *s, size_t len, const char *name,
		       struct csv_table *t, char *err, size_t errlen)
{
	struct parser p = {
		.s = s, .len = len, .line = 1,
		.name = name ? name : "<buffer>", .err = err, .errlen = errlen,
	};
	int rc;

	s[len] = 0;
	rc = parse(&p, t);
	free(p.s);
	free(p.cell);
	free(p.row_line);
	if (rc) {
		if (rc == -ENOMEM)
			perr(&p, rc, "out of memory");
		csv_free(t);
	}
	return rc;
}

int csv_parse_buffer(const char *buf, size_t len, const char *name,
		     struct csv_table *t, char *err, size_t errlen)
{
	char *s;

	if (err && errlen)
		err[0] = 0;
	if (!t)
		return -EINVAL;
	table_init(t);
	if (!buf && len)
		return -EINVAL;
	s = len < SIZE_MAX ? malloc(len + 1) : NULL;
	if (!s) {
		struct parser p = { .name = name ? name : "<buffer>",
				    .err = err, .errlen = errlen };

		return perr(&p, -ENOMEM, "out of memory");
	}
	if (len)
		memcpy(s, buf, len);
	return parse_owned(s, len, name, t, err, errlen);
}

/* csv_read_file(), its size limit a parameter */
static int read_file_max(const char *path, size_t max_bytes, struct csv_table *t,
			 char *err, size_t errlen)
{
	struct parser p = { .name = path, .err = err, .errlen = errlen };
	struct stat st;
	size_t len = 0, cap;
	char *buf = NULL;
	int fd, rc = 0;

	if (err && errlen)
		err[0] = 0;
	if (!t)
		return -EINVAL;
	table_init(t);
	if (!path)
		return -EINVAL;
	if (max_bytes > SIZE_MAX / 4)
		max_bytes = SIZE_MAX / 4;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max_bytes) {
		rc = perr(&p, -EFBIG, "file is %jd bytes, larger than the %zu-byte limit",
			  (intmax_t)st.st_size, max_bytes);
		goto out;
	}
	/* the file may change while it is read: read to EOF, keep to the limit */
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	if (cap > max_bytes + 1)
		cap = max_bytes + 1;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (len > max_bytes) {
				rc = perr(&p, -EFBIG, "file is larger than the %zu-byte limit",
					  max_bytes);
				goto out;
			}
			cap = cap > max_bytes / 2 ? max_bytes + 1 : 2 * cap;
			nb = realloc(buf, cap);
			if (!nb) {
				rc = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		if (!buf) {
			buf = malloc(cap ? cap : 1);
			if (!buf) {
				rc = -ENOMEM;
				goto out;
			}
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max_bytes) {
		rc = perr(&p, -EFBIG, "file is larger than the %zu-byte limit", max_bytes);
		goto out;
	}
	close(fd);
	fd = -1;
	/* len < cap: the buffer has room for the terminating NUL */
	rc = parse_owned(buf, len, path, t, err, errlen);
	buf = NULL;
out:
	if (rc && rc != -EFBIG && rc != -EINVAL && err && errlen && !err[0]) {
		char eb[128];

		perr(&p, rc, "%s", strerror_r(-rc, eb, sizeof(eb)));
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int csv_read_file(const char *path, struct csv_table *t, char *err, size_t errlen)
{
	return read_file_max(path, CSV_MAX_BYTES_DEFAULT, t, err, errlen);
}

int csv_col(const struct csv_table *t, const char *name)
{
	if (!t || !name)
		return -1;
	for (size_t i = 0; i < t->ncols && i < INT_MAX; i++)
		if (!strcmp(t->header[i], name))
			return (int)i;
	return -1;
}

size_t csv_rows(const struct csv_table *t)
{
	return t ? t->nrows : 0;
}

const char *csv_cell(const struct csv_table *t, size_t row, size_t col)
{
	if (!t || row >= t->nrows || col >= t->ncols)
		return NULL;
	return t->cells[row * t->ncols + col];
}

/* [+-]digits[.digits][e[+-]digits] or [+-].digits[...] */
static int is_decimal(const char *s, int allow_frac)
{
	int digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (!allow_frac)
		return digits && !*s;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (!digits)
		return 0;
	if (*s == 'e' || *s == 'E') {
		int exp_digits = 0;

		s++;
		if (*s == '+' || *s == '-')
			s++;
		for (; *s >= '0' && *s <= '9'; s++)
			exp_digits++;
		if (!exp_digits)
			return 0;
	}
	return !*s;
}

int csv_parse_double(const char *s, double *out)
{
	double v;

	if (!s || !out)
		return -EINVAL;
	if (!*s)
		return -ENODATA;
	if (!is_decimal(s, 1))
		return -EINVAL;
	errno = 0;
	v = strtod(s, NULL);
	/* underflow to a denormal or 0 is a value; overflow is not */
	if (errno == ERANGE && isinf(v))
		return -ERANGE;
	*out = v;
	return 0;
}

int csv_parse_ll(const char *s, long long *out)
{
	long long v;

	if (!s || !out)
		return -EINVAL;
	if (!*s)
		return -ENODATA;
	if (!is_decimal(s, 0))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

int csv_cell_double(const struct csv_table *t, size_t row, size_t col, double *out)
{
	return csv_parse_double(csv_cell(t, row, col), out);
}

int csv_cell_ll(const struct csv_table *t, size_t row, size_t col, long long *out)
{
	return csv_parse_ll(csv_cell(t, row, col), out);
}
