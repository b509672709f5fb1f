/* tests/test_c2c_io.c — src/harness/c2c_io.c: c2c.csv written and read back
 * (columns, explicit diagonal, op column, left-out pairs, malformed files)
 * and the machine.txt summary lines. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "harness/c2c.h"

static char *tmp_path(const char *name)
{
	char *p = NULL;

	if (asprintf(&p, "%s/test_c2c.%d.%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		     (int)getpid(), name) < 0)
		return NULL;
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);

	if (f && buf)
		buf[fread(buf, 1, (1 << 16) - 1, f)] = 0;
	if (f)
		fclose(f);
	return buf;
}

TEST(csv_has_the_columns_and_an_explicit_diagonal)
{
	struct c2c_pu pus[] = { { 0, 0 }, { 1, 0 }, { 2, 1 } };
	struct c2c_matrix m, back;
	char *path = tmp_path("c2c.csv"), *text;

	REQUIRE(path && c2c_plan(&m, pus, 3, 0) == 0);
	m.pairs[0].round_trip_ns = 101.25;	/* 0-1 */
	m.pairs[1].round_trip_ns = 300.5;	/* 0-2 */
	m.pairs[2].round_trip_ns = 250;		/* 1-2 */
	REQUIRE(c2c_write_csv(&m, path) == 0);
	text = slurp(path);
	REQUIRE(text);
	CHECK_STR(text,
		  "from,to,from_node,to_node,round_trip_ns,op\n"
		  "0,0,0,0,,store\n"
		  "0,1,0,0,101.25,store\n"
		  "0,2,0,1,300.50,store\n"
		  "1,1,0,0,,store\n"
		  "1,2,0,1,250.00,store\n"
		  "2,2,1,1,,store\n");
	REQUIRE(c2c_read_csv(&back, path) == 0);
	CHECK_EQ_INT(back.npus, 3);
	CHECK_EQ_INT(back.npairs, 3);
	CHECK(!back.sampled);
	CHECK_NEAR(c2c_round_trip_op_ns(&back, C2C_OP_STORE, 2, 0), 300.5, 1e-9);
	CHECK_EQ_INT(back.pus[2].node, 1);
	c2c_free(&back);
	free(text);
	unlink(path);
	free(path);
	c2c_free(&m);
}

TEST(csv_op_column_store_and_rmw_round_trip)
{
	struct c2c_pu pus[] = { { 0, 0 }, { 1, 0 } };
	struct c2c_matrix m, back;
	char *path = tmp_path("ops.csv"), *text;

	REQUIRE(path && c2c_plan(&m, pus, 2, 0) == 0);
	m.pairs[0].round_trip_ns = 120;
	m.pairs[0].rmw_round_trip_ns = 80.5;
	REQUIRE(c2c_write_csv(&m, path) == 0);
	text = slurp(path);
	REQUIRE(text);
	CHECK_STR(text,
		  "from,to,from_node,to_node,round_trip_ns,op\n"
		  "0,0,0,0,,store\n0,1,0,0,120.00,store\n1,1,0,0,,store\n"
		  "0,0,0,0,,rmw\n0,1,0,0,80.50,rmw\n1,1,0,0,,rmw\n");
	REQUIRE(c2c_read_csv(&back, path) == 0);
	CHECK_EQ_INT(back.npairs, 1);
	CHECK(back.measured[C2C_OP_STORE] && back.measured[C2C_OP_RMW]);
	CHECK_NEAR(c2c_round_trip_op_ns(&back, C2C_OP_STORE, 1, 0), 120, 1e-9);
	CHECK_NEAR(c2c_round_trip_op_ns(&back, C2C_OP_RMW, 1, 0), 80.5, 1e-9);
	CHECK_NEAR(c2c_node_mean_op_ns(&back, C2C_OP_RMW, 0, 0), 80.5, 1e-9);
	c2c_free(&back);
	free(text);
	/* rmw only (a profile): no store block, and it reads back as rmw only */
	m.pairs[0].round_trip_ns = NAN;
	REQUIRE(c2c_write_csv(&m, path) == 0);
	text = slurp(path);
	REQUIRE(text);
	CHECK_STR(text, "from,to,from_node,to_node,round_trip_ns,op\n"
		  "0,0,0,0,,rmw\n0,1,0,0,80.50,rmw\n1,1,0,0,,rmw\n");
	REQUIRE(c2c_read_csv(&back, path) == 0);
	CHECK(!back.measured[C2C_OP_STORE] && back.measured[C2C_OP_RMW]);
	CHECK(isnan(c2c_round_trip_op_ns(&back, C2C_OP_STORE, 0, 1)));
	c2c_free(&back);
	free(text);
	unlink(path);
	free(path);
	c2c_free(&m);
}

TEST(csv_leaves_out_pairs_without_a_figure)
{
	struct c2c_pu pus[] = { { 0, 0 }, { 1, 0 }, { 2, 0 } };
	struct c2c_matrix m, back;
	char *path = tmp_path("partial.csv");

	REQUIRE(path && c2c_plan(&m, pus, 3, 0) == 0);
	m.pairs[0].round_trip_ns = 100;		/* only 0-1 measured */
	REQUIRE(c2c_write_csv(&m, path) == 0);
	REQUIRE(c2c_read_csv(&back, path) == 0);
	CHECK_EQ_INT(back.npairs, 1);
	CHECK(back.sampled);
	CHECK(isnan(c2c_round_trip_op_ns(&back, C2C_OP_STORE, 1, 2)));
	c2c_free(&back);
	unlink(path);
	free(path);
	c2c_free(&m);
}

TEST(read_csv_rejects_malformed_files)
{
	static const char *const bad[] = {
		"from,to,node,round_trip_ns\n0,1,0,5\n",		/* header */
		"from,to,from_node,to_node,round_trip_ns\n0,1,0,0,\n",	/* empty off the diagonal */
		"from,to,from_node,to_node,round_trip_ns\n0,0,0,0,5\n",	/* a diagonal figure */
		"from,to,from_node,to_node,round_trip_ns\n1,0,0,0,5\n",	/* from > to */
		"from,to,from_node,to_node,round_trip_ns\n0,1,0,0,abc\n",
		"from,to,from_node,to_node,round_trip_ns\n0,1,0,0,5,6\n",
		"from,to,from_node,to_node,round_trip_ns\n0,1,0,0,5\n1,2,1,0,5\n", /* PU 1 on two nodes */
		"from,to,from_node,to_node,round_trip_ns,op\n0,1,0,0,5,cas\n",	/* unknown op */
		"from,to,from_node,to_node,round_trip_ns,op\n0,1,0,0,5,rmw\n0,1,0,0,6,rmw\n", /* twice */
		"from,to,from_node,to_node,round_trip_ns,kind\n0,1,0,0,5,rmw\n",	/* not op */
		"",
	};
	char *path = tmp_path("bad.csv");

	REQUIRE(path);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct c2c_matrix m;
		FILE *f = fopen(path, "w");

		REQUIRE(f);
		fputs(bad[i], f);
		fclose(f);
		CHECK_MSG(c2c_read_csv(&m, path) == -EINVAL, "bad file %u accepted", i);
		c2c_free(&m);
	}
	unlink(path);
	free(path);
}

static char *summary_of(const struct c2c_matrix *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (c2c_write_summary(m, f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

TEST(summary_same_and_cross_node)
{
	struct c2c_pu pus[] = { { 0, 0 }, { 1, 0 }, { 2, 0 }, { 3, 1 } };
	static const double rt[] = { 100, 120, 400, 110, 300, 500 };	/* 01 02 03 12 13 23 */
	struct c2c_matrix m;
	char *s;

	REQUIRE(c2c_plan(&m, pus, 4, 0) == 0);
	for (unsigned int i = 0; i < 6; i++)
		m.pairs[i].round_trip_ns = rt[i];
	s = summary_of(&m);
	REQUIRE(s);
	CHECK(strstr(s, "c2c_pairs: 6 measured; all 6 unordered pairs (from < to)\n"));
	CHECK(strstr(s, "c2c_same_node_min_ns: 100.00\n"));
	CHECK(strstr(s, "c2c_same_node_median_ns: 110.00\n"));
	CHECK(strstr(s, "c2c_same_node_max_ns: 120.00\n"));
	CHECK(strstr(s, "c2c_cross_node_min_ns: 300.00\n"));
	CHECK(strstr(s, "c2c_cross_node_median_ns: 400.00\n"));
	CHECK(strstr(s, "c2c_cross_node_max_ns: 500.00\n"));
	free(s);
	c2c_free(&m);
}

TEST(summary_one_node_says_cross_node_unavailable)
{
	struct c2c_pu pus[] = { { 0, 0 }, { 1, 0 } };
	struct c2c_matrix m;
	char *s;

	REQUIRE(c2c_plan(&m, pus, 2, 0) == 0);
	m.pairs[0].round_trip_ns = 90;
	s = summary_of(&m);
	REQUIRE(s);
	CHECK(strstr(s, "c2c_same_node_median_ns: 90.00\n"));
	CHECK(strstr(s, "c2c_cross_node_min_ns: unavailable (one NUMA node)\n"));
	CHECK(strstr(s, "c2c_cross_node_max_ns: unavailable (one NUMA node)\n"));
	free(s);
	c2c_free(&m);
}
