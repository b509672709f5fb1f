/* Tests for src/harness/csv_read.c: CRLF, edge forms, every rejected input
 * with a one-line message naming file and line, file errors, strict numbers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/csv.h"
#include "test.h"
#include "tmpfiles.h"

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

	snprintf(path, sizeof(path), "%s/empty.csv", dir);
	REQUIRE(put_file(path, "", 0) == 0);
	CHECK_EQ_INT(csv_read_file(path, &t, err, sizeof(err)), -EINVAL);
	CHECK_MSG(strstr(err, path) && strstr(err, "empty file"), "%s", err);

	/* exactly the 64 MiB limit is read (and refused for its NUL bytes);
	 * one byte more is not read at all (sparse files: cheap to make) */
	snprintf(path, sizeof(path), "%s/limit.csv", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	REQUIRE(fd >= 0);
	CHECK(ftruncate(fd, (off_t)CSV_MAX_BYTES_DEFAULT) == 0);
	close(fd);
	CHECK_EQ_INT(csv_read_file(path, &t, err, sizeof(err)), -EINVAL);
	CHECK_MSG(strstr(err, "NUL byte"), "%s", err);
	snprintf(path, sizeof(path), "%s/huge.csv", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	REQUIRE(fd >= 0);
	CHECK(ftruncate(fd, (off_t)CSV_MAX_BYTES_DEFAULT + 1) == 0);
	close(fd);
	CHECK_EQ_INT(csv_read_file(path, &t, err, sizeof(err)), -EFBIG);
	CHECK_MSG(strstr(err, path) && strstr(err, "limit"), "%s", err);
	CHECK(t.cells == NULL);
	/* a non-regular file is read up to the limit, then refused */
	CHECK_EQ_INT(csv_read_file("/dev/zero", &t, err, sizeof(err)), -EFBIG);
	CHECK_MSG(strstr(err, "/dev/zero") && strstr(err, "limit"), "%s", err);
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
