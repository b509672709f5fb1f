/* Tests for src/harness/csv.c: writer (quoting, numbers, O_EXCL, whole rows,
 * atomic replace) and reader (round trip, CRLF, every rejected input). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/csv.h"
#include "test.h"

/* a fresh directory per test: no state shared between tests */
static void tmpdir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/dmabench-test-csv-XXXXXX");
	if (!mkdtemp(dir))
		dir[0] = 0;
}

static void rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static int put_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* whole file as a NUL-terminated string (static buffer) */
static const char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

static const char *const COLS[] = { "name", "count", "ns_per_op", "cycles_per_op", "flags" };

TEST(round_trip_every_cell_type)
{
	char dir[64], path[128], err[256];
	struct csv_writer *w;
	struct csv_row r = CSV_ROW_INIT;
	struct csv_table t;
	double d;
	long long ll;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	REQUIRE(csv_writer_open(&w, path, COLS, 5, 0) == 0);
	csv_row_add_str(&r, "refcount");
	csv_row_add_int(&r, -42);
	csv_row_add_double(&r, 0.1);
	csv_row_add_empty(&r);
	csv_row_add_fmt(&r, "%s+%s", "oversubscribed", "smt-shared");
	CHECK_EQ_INT(csv_writer_write_row(w, &r), 0);
	CHECK_EQ_INT(r.nfields, 0);	/* reset for the next row */
	csv_row_add_str(&r, "μ, \"quoted\"\nline");
	csv_row_add_uint(&r, 18446744073709551615ull);
	csv_row_add_double(&r, 1.0 / 3);
	csv_row_add_double(&r, NAN);
	csv_row_add_str(&r, NULL);
	CHECK_EQ_INT(csv_writer_write_row(w, &r), 0);
	CHECK(csv_writer_rows(w) == 2);
	CHECK_EQ_INT(csv_writer_close(w), 0);
	csv_row_free(&r);

	REQUIRE(csv_read_file(path, &t, err, sizeof(err)) == 0);
	CHECK_EQ_INT(t.ncols, 5);
	CHECK_EQ_INT(csv_rows(&t), 2);
	CHECK_EQ_INT(csv_col(&t, "ns_per_op"), 2);
	CHECK_EQ_INT(csv_col(&t, "nope"), -1);
	CHECK_STR(csv_cell(&t, 0, 0), "refcount");
	CHECK(csv_cell_ll(&t, 0, 1, &ll) == 0 && ll == -42);
	CHECK(csv_cell_double(&t, 0, 2, &d) == 0 && d == 0.1);
	CHECK_EQ_INT(csv_cell_double(&t, 0, 3, &d), -ENODATA);	/* unavailable, not 0 */
	CHECK_STR(csv_cell(&t, 0, 4), "oversubscribed+smt-shared");
	CHECK_STR(csv_cell(&t, 1, 0), "μ, \"quoted\"\nline");
	CHECK_STR(csv_cell(&t, 1, 1), "18446744073709551615");
	CHECK_EQ_INT(csv_cell_ll(&t, 1, 1, &ll), -ERANGE);
	CHECK(csv_cell_double(&t, 1, 2, &d) == 0 && d == 1.0 / 3);	/* exact */
	CHECK_EQ_INT(csv_cell_double(&t, 1, 3, &d), -ENODATA);
	CHECK_STR(csv_cell(&t, 1, 4), "");
	CHECK(t.row_line[0] == 2 && t.row_line[1] == 3);	/* row 2 spans lines 3-4 */
	CHECK(csv_cell(&t, 2, 0) == NULL && csv_cell(&t, 0, 5) == NULL);
	CHECK_EQ_INT(csv_cell_double(&t, 2, 0, &d), -EINVAL);
	csv_free(&t);
	rmtree(dir);
}

TEST(fields_quoted_only_when_needed)
{
	struct csv_row r = CSV_ROW_INIT;
	const char *want = "plain,\"a,b\",\"say \"\"hi\"\"\",\"cr\rx\",\"lf\nx\","
			   "\"\xef\xbb\xbf" "bom\",sp ace,";

	csv_row_add_str(&r, "plain");
	csv_row_add_str(&r, "a,b");
	csv_row_add_str(&r, "say \"hi\"");
	csv_row_add_str(&r, "cr\rx");
	csv_row_add_str(&r, "lf\nx");
	csv_row_add_str(&r, "\xef\xbb\xbf" "bom");
	csv_row_add_str(&r, "sp ace");
	csv_row_add_empty(&r);
	REQUIRE(r.err == 0);
	CHECK_EQ_INT(r.nfields, 8);
	CHECK(r.len == strlen(want) && !memcmp(r.buf, want, r.len));
	csv_row_free(&r);
}

TEST(doubles_shortest_exact_and_unavailable_empty)
{
	struct csv_row r = CSV_ROW_INIT;
	char b[256];

	csv_row_add_double(&r, 0.1);
	csv_row_add_double(&r, 1.0 / 3);
	csv_row_add_double(&r, 41.5);
	csv_row_add_double(&r, NAN);
	csv_row_add_double(&r, INFINITY);
	csv_row_add_double_prec(&r, 1234567.891, 6);
	csv_row_add_double(&r, -0.0);
	csv_row_add_double(&r, 1e300);
	REQUIRE(r.err == 0 && r.len < sizeof(b));
	memcpy(b, r.buf, r.len);
	b[r.len] = 0;
	CHECK_STR(b, "0.1,0.3333333333333333,41.5,,,1.23457e+06,-0,1e+300");
	CHECK_EQ_INT(csv_row_add_double_prec(&r, 1, 0), -EINVAL);
	CHECK_EQ_INT(r.err, -EINVAL);
	csv_row_free(&r);
}

TEST(writer_refuses_existing_path)
{
	char dir[64], path[128];
	struct csv_writer *w = (struct csv_writer *)1;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	REQUIRE(put_file(path, "precious\n", 9) == 0);
	CHECK_EQ_INT(csv_writer_open(&w, path, COLS, 5, 0), -EEXIST);
	CHECK(w == NULL);
	CHECK_STR(slurp(path), "precious\n");
	snprintf(path, sizeof(path), "%s/no/such/dir.csv", dir);
	CHECK_EQ_INT(csv_writer_open(&w, path, COLS, 5, 0), -ENOENT);
	rmtree(dir);
}

TEST(writer_refuses_bad_header_and_creates_nothing)
{
	char dir[64], path[128];
	const char *dup[] = { "a", "b", "a" }, *empty[] = { "a", "" };
	const char *bad_utf8[] = { "a\xff" }, *nul[] = { "a", NULL };
	struct csv_writer *w;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/x.csv", dir);
	CHECK_EQ_INT(csv_writer_open(&w, path, dup, 3, 0), -EINVAL);
	CHECK_EQ_INT(csv_writer_open(&w, path, empty, 2, 0), -EINVAL);
	CHECK_EQ_INT(csv_writer_open(&w, path, bad_utf8, 1, 0), -EINVAL);
	CHECK_EQ_INT(csv_writer_open(&w, path, nul, 2, 0), -EINVAL);
	CHECK_EQ_INT(csv_writer_open(&w, path, COLS, 0, 0), -EINVAL);
	CHECK_EQ_INT(csv_writer_open(&w, path, COLS, 5, 1 << 7), -EINVAL);
	CHECK_EQ_INT(count_entries(dir), 0);
	rmtree(dir);
}

/* a bad row writes nothing; every written row is on disk at once, whole */
TEST(writer_rows_whole_and_visible_at_once)
{
	char dir[64], path[128];
	const char *cols[] = { "a", "b" };
	struct csv_writer *w;
	struct csv_row r = CSV_ROW_INIT;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/r.csv", dir);
	REQUIRE(csv_writer_open(&w, path, cols, 2, CSV_FSYNC) == 0);
	CHECK_STR(slurp(path), "a,b\n");
	csv_row_add_int(&r, 1);
	CHECK_EQ_INT(csv_writer_write_row(w, &r), -EINVAL);	/* 1 of 2 fields */
	csv_row_add_int(&r, 1);
	csv_row_add_str(&r, "\xc3\x28");	/* invalid UTF-8 */
	CHECK_EQ_INT(r.err, -EINVAL);
	csv_row_add_int(&r, 3);			/* the error sticks */
	CHECK_EQ_INT(csv_writer_write_row(w, &r), -EINVAL);
	CHECK_STR(slurp(path), "a,b\n");
	csv_row_add_int(&r, 1);
	csv_row_add_str(&r, "x");
	CHECK_EQ_INT(csv_writer_write_row(w, &r), 0);
	CHECK_STR(slurp(path), "a,b\n1,x\n");	/* before close: not buffered */
	CHECK(csv_writer_rows(w) == 1);
	csv_writer_abort(w);			/* non-atomic abort keeps whole rows */
	CHECK_STR(slurp(path), "a,b\n1,x\n");
	csv_row_free(&r);
	rmtree(dir);
}

/* O_EXCL also refuses a symlink, even to /dev/full: nothing is written through it */
TEST(writer_refuses_symlink)
{
	char dir[64], path[128];
	const char *cols[] = { "a" };
	struct csv_writer *w;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/link.csv", dir);
	REQUIRE(symlink("/dev/full", path) == 0);
	CHECK_EQ_INT(csv_writer_open(&w, path, cols, 1, 0), -EEXIST);
	CHECK_EQ_INT(csv_write_file_atomic("/dev/full/x", "a", 1, 0), -ENOTDIR);
	rmtree(dir);
}

/*
 * A row that reaches the disk only in part is taken back out: with
 * RLIMIT_FSIZE (SIGXFSZ ignored) write() stops short with EFBIG mid-row.
 * Process-wide settings, restored before the test returns.
 */
TEST(writer_takes_back_a_partial_row)
{
	char dir[64], path[128];
	const char *cols[] = { "a" };
	struct csv_writer *w;
	struct csv_row r = CSV_ROW_INIT;
	struct rlimit old, lim;
	void (*old_sig)(int);
	int rc;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/r.csv", dir);
	REQUIRE(csv_writer_open(&w, path, cols, 1, 0) == 0);	/* "a\n": 2 bytes */
	REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
	old_sig = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 8;
	REQUIRE(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	csv_row_add_str(&r, "0123456789");		/* 11 bytes: 6 fit */
	rc = csv_writer_write_row(w, &r);
	csv_row_add_str(&r, "xyz");			/* 4 bytes: fit */
	CHECK_EQ_INT(csv_writer_write_row(w, &r), 0);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, old_sig);
	CHECK_EQ_INT(rc, -EFBIG);
	CHECK_EQ_INT(csv_writer_close(w), 0);
	CHECK_STR(slurp(path), "a\nxyz\n");
	csv_row_free(&r);
	rmtree(dir);
}

TEST(atomic_writer_replaces_only_at_close)
{
	char dir[64], path[128];
	const char *cols[] = { "k", "v" };
	struct csv_writer *w;
	struct csv_row r = CSV_ROW_INIT;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	REQUIRE(put_file(path, "old\n", 4) == 0);
	REQUIRE(csv_writer_open(&w, path, cols, 2, CSV_ATOMIC) == 0);
	csv_row_add_str(&r, "x");
	csv_row_add_int(&r, 1);
	CHECK_EQ_INT(csv_writer_write_row(w, &r), 0);
	CHECK_STR(slurp(path), "old\n");	/* readers still see the old file */
	CHECK_EQ_INT(count_entries(dir), 2);	/* old + temporary */
	CHECK_EQ_INT(csv_writer_close(w), 0);
	CHECK_STR(slurp(path), "k,v\nx,1\n");
	CHECK_EQ_INT(count_entries(dir), 1);	/* no temporary left */

	/* abort: the old file stays, the temporary goes */
	REQUIRE(csv_writer_open(&w, path, cols, 2, CSV_ATOMIC | CSV_FSYNC) == 0);
	csv_row_add_str(&r, "y");
	csv_row_add_int(&r, 2);
	CHECK_EQ_INT(csv_writer_write_row(w, &r), 0);
	csv_writer_abort(w);
	CHECK_STR(slurp(path), "k,v\nx,1\n");
	CHECK_EQ_INT(count_entries(dir), 1);

	/* a failed row makes close discard the file */
	REQUIRE(csv_writer_open(&w, path, cols, 2, CSV_ATOMIC) == 0);
	csv_row_add_str(&r, "only one field");
	CHECK_EQ_INT(csv_writer_write_row(w, &r), -EINVAL);
	CHECK_EQ_INT(csv_writer_close(w), -EINVAL);
	CHECK_STR(slurp(path), "k,v\nx,1\n");
	CHECK_EQ_INT(count_entries(dir), 1);
	csv_row_free(&r);
	rmtree(dir);
}

TEST(write_file_atomic_replaces_whole)
{
	char dir[64], path[128];
	struct stat st;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/machine.txt", dir);
	CHECK_EQ_INT(csv_write_file_atomic(path, "cpu_model: x\n", 13, CSV_FSYNC), 0);
	CHECK_STR(slurp(path), "cpu_model: x\n");
	CHECK_EQ_INT(csv_write_file_atomic(path, "kernel: y\n", 10, 0), 0);
	CHECK_STR(slurp(path), "kernel: y\n");
	CHECK_EQ_INT(count_entries(dir), 1);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
	snprintf(path, sizeof(path), "%s/missing/m.txt", dir);
	CHECK_EQ_INT(csv_write_file_atomic(path, "x", 1, 0), -ENOENT);
	rmtree(dir);
}

/* parse a literal; returns the code, err holds the message */
static int parse_lit(const char *s, size_t len, struct csv_table *t, char *err,
		     size_t errlen)
{
	return csv_parse_buffer(s, len, "t.csv", t, err, errlen);
}
#define PARSE(lit, t, err) parse_lit(lit, sizeof(lit) - 1, t, err, sizeof(err))

/* the message names the file and the line and is one line */
#define CHECK_ERR(lit, code, needle)                                           \
	do {                                                                   \
		struct csv_table _t;                                           \
		char _e[256];                                                  \
		int _rc = PARSE(lit, &_t, _e);                                 \
		CHECK_EQ_INT(_rc, code);                                       \
		CHECK_MSG(strstr(_e, needle) && !strncmp(_e, "t.csv: ", 7) &&  \
			  !strchr(_e, '\n'), "message \"%s\" lacks \"%s\"",      \
			  _e, needle);                                         \
		CHECK(_t.cells == NULL && _t.nrows == 0);                      \
		csv_free(&_t);                                                 \
	} while (0)

TEST(reader_crlf_and_lf)
{
	struct csv_table t;
	char err[256];

	REQUIRE(PARSE("a,b\r\n1,\"x\r\ny\"\r\n3,4\r\n", &t, err) == 0);
	CHECK_EQ_INT(t.nrows, 2);
	CHECK_STR(csv_cell(&t, 0, 1), "x\r\ny");	/* inside quotes: kept */
	CHECK_STR(csv_cell(&t, 1, 1), "4");		/* no stray CR */
	CHECK(t.row_line[1] == 4);
	csv_free(&t);
}

TEST(reader_accepts_edge_forms)
{
	struct csv_table t;
	char err[256];

	REQUIRE(PARSE("a,b\n1,2", &t, err) == 0);	/* complete last row, no LF */
	CHECK_EQ_INT(t.nrows, 1);
	CHECK_STR(csv_cell(&t, 0, 1), "2");
	csv_free(&t);
	REQUIRE(PARSE("\xef\xbb\xbfname\n", &t, err) == 0);	/* BOM skipped */
	CHECK_EQ_INT(csv_col(&t, "name"), 0);
	CHECK_EQ_INT(t.nrows, 0);				/* header only */
	csv_free(&t);
	REQUIRE(PARSE("a,b,c\n,,\n", &t, err) == 0);		/* all empty */
	CHECK_STR(csv_cell(&t, 0, 2), "");
	csv_free(&t);
	REQUIRE(PARSE("only\n\nx\n", &t, err) == 0);	/* one column: empty line is a cell */
	CHECK_EQ_INT(t.nrows, 2);
	csv_free(&t);
}

TEST(reader_rejects_empty)
{
	CHECK_ERR("", -EINVAL, "empty file");
	CHECK_ERR("\xef\xbb\xbf", -EINVAL, "empty file");
	CHECK_ERR("\n", -EINVAL, "line 1: empty header row");
}

TEST(reader_rejects_wrong_field_count_naming_line)
{
	CHECK_ERR("a,b,c\n1,2,3\n1,2\n", -EINVAL, "line 3: 2 fields, the header has 3");
	CHECK_ERR("a,b,c\n1,2,3,4\n", -EINVAL, "line 2: 4 fields");
	CHECK_ERR("a,b\n1,2\n\n", -EINVAL, "line 3: 1 field, the header has 2 (empty line)");
	/* a quoted newline moves the physical line of the next record */
	CHECK_ERR("a,b\n\"x\ny\",2\n1\n", -EINVAL, "line 4:");
}

TEST(reader_rejects_truncated_last_row)
{
	CHECK_ERR("a,b,c\n1,2,3\n4,5", -EINVAL,
		  "line 3: last row is cut short: 2 of 3 fields and no newline");
	/* too many fields is not a truncation, newline or not */
	CHECK_ERR("a,b\n1,2,3", -EINVAL, "line 2: 3 fields, the header has 2");
}

TEST(reader_rejects_unterminated_quote)
{
	CHECK_ERR("a,b\n1,\"open\n2,3\n", -EINVAL,
		  "unterminated quoted field (opened on line 2)");
}

TEST(reader_rejects_bad_bytes)
{
	CHECK_ERR("a,b\n1,\xff\n", -EINVAL, "line 2: invalid UTF-8 (byte 0xff at column 3)");
	CHECK_ERR("a,b\n1,\xc0\xaf\n", -EINVAL, "line 2: invalid UTF-8");	/* overlong '/' */
	CHECK_ERR("a,b\n1,\xed\xa0\x80\n", -EINVAL, "invalid UTF-8");	/* surrogate */
	CHECK_ERR("a,b\n1,\xe2\x82", -EINVAL, "invalid UTF-8");		/* cut at EOF */
	CHECK_ERR("a,b\n1,2\x00x\n", -EINVAL, "line 2: NUL byte at column 4");
}

TEST(reader_rejects_malformed_quoting_and_cr)
{
	CHECK_ERR("a,b\nx\"y,2\n", -EINVAL, "line 2: quote inside an unquoted field");
	CHECK_ERR("a,b\n\"x\"y,2\n", -EINVAL, "line 2: text after the closing quote");
	CHECK_ERR("a,b\n1\r2,3\n", -EINVAL, "line 2: carriage return not followed");
	CHECK_ERR("a,b\r", -EINVAL, "line 1: carriage return");
}

TEST(reader_rejects_bad_header)
{
	CHECK_ERR("a,b,a\n1,2,3\n", -EINVAL, "line 1: column name \"a\" appears twice");
	CHECK_ERR("a,,c\n1,2,3\n", -EINVAL, "line 1: column 2 has an empty name");
}

TEST(reader_file_errors)
{
	char dir[64], path[128], err[256];
	struct csv_table t;
	int fd;

	tmpdir(dir, sizeof(dir));
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/missing.csv", dir);
	CHECK_EQ_INT(csv_read_file(path, &t, err, sizeof(err)), -ENOENT);
	CHECK_MSG(strstr(err, path) && strstr(err, "No such file"), "%s", err);
	CHECK_EQ_INT(csv_read_file(dir, &t, err, sizeof(err)), -EISDIR);

	snprintf(path, sizeof(path), "%s/small.csv", dir);
	REQUIRE(put_file(path, "a,b\n1,2\n", 8) == 0);
	CHECK_EQ_INT(csv_read_file_max(path, 7, &t, err, sizeof(err)), -EFBIG);
	CHECK_MSG(strstr(err, path) && strstr(err, "limit"), "%s", err);
	CHECK_EQ_INT(csv_read_file_max(path, 8, &t, err, sizeof(err)), 0);
	csv_free(&t);

	snprintf(path, sizeof(path), "%s/empty.csv", dir);
	REQUIRE(put_file(path, "", 0) == 0);
	CHECK_EQ_INT(csv_read_file(path, &t, err, sizeof(err)), -EINVAL);
	CHECK_MSG(strstr(err, path) && strstr(err, "empty file"), "%s", err);

	/* just over the 64 MiB default (a sparse file: nothing is read) */
	snprintf(path, sizeof(path), "%s/huge.csv", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	REQUIRE(fd >= 0);
	CHECK(ftruncate(fd, (off_t)CSV_MAX_BYTES_DEFAULT + 1) == 0);
	close(fd);
	CHECK_EQ_INT(csv_read_file(path, &t, err, sizeof(err)), -EFBIG);
	CHECK(t.cells == NULL);
	/* a non-regular file is read up to the limit */
	CHECK_EQ_INT(csv_read_file_max("/dev/zero", 1000, &t, err, sizeof(err)), -EFBIG);
	/* err may be NULL */
	CHECK_EQ_INT(csv_read_file(path, &t, NULL, 0), -EFBIG);
	rmtree(dir);
}

TEST(reader_error_message_truncates_safely)
{
	struct csv_table t;
	char err[12];

	CHECK_EQ_INT(PARSE("a,b\n1\n", &t, err), -EINVAL);
	CHECK(strlen(err) == sizeof(err) - 1);
}

TEST(strict_number_parsing)
{
	static const struct { const char *s; int rc; double v; } d[] = {
		{ "1.5", 0, 1.5 }, { "-2", 0, -2 }, { "+.5", 0, 0.5 }, { "3.", 0, 3 },
		{ "1e3", 0, 1000 }, { "1.5E-3", 0, 0.0015 }, { "-0", 0, 0 },
		{ "1e-400", 0, 0 },		/* underflow is a value */
		{ "", -ENODATA, 0 }, { " 1.5", -EINVAL, 0 }, { "1.5 ", -EINVAL, 0 },
		{ "1.5x", -EINVAL, 0 }, { "0x10", -EINVAL, 0 }, { "inf", -EINVAL, 0 },
		{ "nan", -EINVAL, 0 }, { ".", -EINVAL, 0 }, { "1e", -EINVAL, 0 },
		{ "e5", -EINVAL, 0 }, { "--1", -EINVAL, 0 }, { "1,5", -EINVAL, 0 },
		{ "1e999", -ERANGE, 0 },
	};
	static const struct { const char *s; int rc; long long v; } l[] = {
		{ "12", 0, 12 }, { "-9223372036854775808", 0, -9223372036854775807LL - 1 },
		{ "+7", 0, 7 }, { "", -ENODATA, 0 }, { "1.0", -EINVAL, 0 },
		{ "1e3", -EINVAL, 0 }, { "x", -EINVAL, 0 }, { "-", -EINVAL, 0 },
		{ "9223372036854775808", -ERANGE, 0 },
	};

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		double v = -12345;
		int rc = csv_parse_double(d[i].s, &v);

		CHECK_MSG(rc == d[i].rc && (rc || v == d[i].v),
			  "\"%s\": rc %d v %g", d[i].s, rc, v);
	}
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++) {
		long long v = -12345;
		int rc = csv_parse_ll(l[i].s, &v);

		CHECK_MSG(rc == l[i].rc && (rc || v == l[i].v),
			  "\"%s\": rc %d v %lld", l[i].s, rc, v);
	}
}
