/* Tests for src/harness/csv_write.c: quoting, numbers, O_EXCL, whole rows,
 * atomic replace; the round trip reads back with csv_read.c. */
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
#include "tmpfiles.h"

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
	csv_row_add_double_prec(&r, 0.1, 17);
	csv_row_add_empty(&r);
	csv_row_add_str(&r, "oversubscribed+smt-shared");
	CHECK_EQ_INT(csv_writer_write_row(w, &r), 0);
	CHECK_EQ_INT(r.nfields, 0);	/* reset for the next row */
	csv_row_add_str(&r, "μ, \"quoted\"\nline");
	csv_row_add_uint(&r, 18446744073709551615ull);
	csv_row_add_double_prec(&r, 1.0 / 3, 17);
	csv_row_add_double_prec(&r, NAN, 17);
	csv_row_add_str(&r, NULL);
	CHECK_EQ_INT(csv_writer_write_row(w, &r), 0);
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

/* 17 digits read back exactly; unavailable (NaN, inf) is an empty cell */
TEST(doubles_at_precision_and_unavailable_empty)
{
	struct csv_row r = CSV_ROW_INIT;
	char b[256];

	csv_row_add_double_prec(&r, 0.1, 17);
	csv_row_add_double_prec(&r, 1.0 / 3, 17);
	csv_row_add_double_prec(&r, 41.5, 6);
	csv_row_add_double_prec(&r, NAN, 6);
	csv_row_add_double_prec(&r, INFINITY, 17);
	csv_row_add_double_prec(&r, 1234567.891, 6);
	csv_row_add_double_prec(&r, -0.0, 6);
	csv_row_add_double_prec(&r, 1e300, 17);
	REQUIRE(r.err == 0 && r.len < sizeof(b));
	memcpy(b, r.buf, r.len);
	b[r.len] = 0;
	CHECK_STR(b, "0.10000000000000001,0.33333333333333331,41.5,,,1.23457e+06,-0,"
		     "1.0000000000000001e+300");
	CHECK(strtod("0.33333333333333331", NULL) == 1.0 / 3);
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
	REQUIRE(csv_writer_open(&w, path, cols, 2, 0) == 0);
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
	REQUIRE(csv_writer_open(&w, path, cols, 2, CSV_ATOMIC) == 0);
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
