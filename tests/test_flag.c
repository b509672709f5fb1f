/* tests/test_flag.c — bench/flag.{h,c}: the flag table's parser, its number parsers, its usage. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "flag.h"

enum colour { RED, GREEN, BLUE };

struct t_opts {
	uint64_t ms, dur;
	unsigned int reps;
	int node;
	const char *name;
	char buf[8];
	bool quick, help;
	enum colour colour;
	double x;
};

static int set_x(void *opts, const char *val, struct flag_error *e)
{
	if (flag_parse_double(val, &((struct t_opts *)opts)->x))
		return -EINVAL;
	if (((struct t_opts *)opts)->x < 0)
		return flag_why(e, NULL, "negative");
	return 0;
}

#define T(field) FLAG_VAR(struct t_opts, field)

static const struct flag t_flags[] = {
	{ .name = "ms", .arg = "N", .type = FLAG_U64, T(ms), .min = 1, .max = 1000, .def = "300",
	  .quick = "60", .help = "a window", .why = "expected 1 to 1000" },
	{ .name = "dur", .arg = "D", .type = FLAG_DURATION_MS, T(dur), .min = 1, .max = 7200000,
	  .help = "a duration", .why = "expected a duration" },
	{ .name = "reps", .arg = "N", .type = FLAG_UINT, T(reps), .min = 1, .max = 9, .def = "5",
	  .help = "reps", .why = "expected 1 to 9" },
	{ .help = "a heading:" },
	{ .name = "node", .arg = "N", .type = FLAG_INT, T(node), .max = 7, .help = "a node",
	  .why = "expected a node" },
	{ .name = "name", .arg = "S", .type = FLAG_STR, T(name), .help = "a name", .why = "empty" },
	{ .name = "buf", .arg = "S", .type = FLAG_BUF, FLAG_BUF_VAR(struct t_opts, buf), .help = "short",
	  .why = "at most 7 bytes" },
	{ .name = "colour", .arg = "C", .type = FLAG_ENUM, T(colour),
	  FLAG_WORDS([RED] = "red", [GREEN] = "green", [BLUE] = "blue"), .def = "green",
	  .help = "a colour", .why = "expected red, green or blue" },
	{ .name = "x", .arg = "X", .type = FLAG_CALL, .set = set_x, .help = "a number",
	  .why = "expected a number" },
	{ .name = "quick", .type = FLAG_SET, T(quick), .help = "short" },
};

static struct t_opts o;
static struct flag_cmd cmd;
static char err[512];

static int parse(int argc, char **argv)
{
	memset(&o, 0, sizeof(o));
	memset(&cmd, 0, sizeof(cmd));
	cmd = (struct flag_cmd){ .prog = "t", .opts = &o, .flags = t_flags,
				 .nflags = FLAG_COUNT(t_flags), .help = &o.help };
	err[0] = 0;
	return flag_parse(&cmd, argc, argv, err, sizeof(err));
}

#define PARSE(...) parse(sizeof((char *[]){ "t", __VA_ARGS__ }) / sizeof(char *), (char *[]){ "t", __VA_ARGS__ })

TEST(flag_defaults_then_values)
{
	REQUIRE(PARSE("--reps=7", "--name", "abc", "--node=0") == 0);
	CHECK(o.ms == 300);		/* the default, through the row's parser */
	CHECK(o.reps == 7);
	CHECK(o.colour == GREEN);
	CHECK_STR(o.name, "abc");	/* --name VALUE */
	CHECK(o.node == 0);
	CHECK(flag_given(&cmd, "reps") && flag_given(&cmd, "name") && !flag_given(&cmd, "ms"));
}

TEST(flag_quick_only_where_not_given)
{
	REQUIRE(PARSE("--quick") == 0);
	flag_apply_quick(&cmd);
	CHECK(o.ms == 60);
	REQUIRE(PARSE("--quick", "--ms=7") == 0);
	flag_apply_quick(&cmd);
	CHECK(o.ms == 7);
}

TEST(flag_bad_values_one_line_naming_flag_and_value)
{
	static const char *const bad[][2] = {
		{ "--ms=0", "t: --ms: invalid value '0': expected 1 to 1000" },
		{ "--ms=1001", "t: --ms: invalid value '1001': expected 1 to 1000" },
		{ "--ms=-1", "t: --ms: invalid value '-1': expected 1 to 1000" },
		{ "--ms=+1", "t: --ms: invalid value '+1': expected 1 to 1000" },
		{ "--ms= 1", "t: --ms: invalid value ' 1': expected 1 to 1000" },
		{ "--ms=0x10", "t: --ms: invalid value '0x10': expected 1 to 1000" },
		{ "--ms=", "t: --ms: invalid value '': expected 1 to 1000" },
		{ "--ms=99999999999999999999999", "t: --ms: invalid value '99999999999999999999999': expected 1 to 1000" },
		{ "--node=8", "t: --node: invalid value '8': expected a node" },
		{ "--buf=12345678", "t: --buf: invalid value '12345678': at most 7 bytes" },
		{ "--colour=Red", "t: --colour: invalid value 'Red': expected red, green or blue" },
		{ "--x=-1", "t: --x: invalid value '-1': negative" },
		{ "--x=nan", "t: --x: invalid value 'nan': expected a number" },
		{ "--name=a\nb", "t: --name: invalid value 'a\\x0ab': control characters are not allowed" },
		{ "--bogus", "t: --bogus: unknown flag (see --help)" },
		{ "--m=1", "t: --m=1: unknown flag (see --help)" },	/* no prefixes */
		{ "-x", "t: -x: unknown flag (see --help)" },
		{ "--quick=yes", "t: --quick: takes no value (see --help)" },
		{ "--help=1", "t: --help: takes no value (see --help)" },
		{ "--ms", "t: --ms: missing value (--ms=VALUE)" },
		{ "stray", "t: stray: unexpected argument (see --help)" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_MSG(PARSE((char *)bad[i][0]) == -EINVAL, "%s accepted", bad[i][0]);
		CHECK_STR(err, bad[i][1]);
		CHECK(!strchr(err, '\n'));
	}
	/* a next word that is a flag is not a value */
	CHECK(PARSE("--ms", "--quick") == -EINVAL);
	CHECK_STR(err, "t: --ms: missing value (--ms=VALUE)");
}

TEST(flag_positionals_when_asked)
{
	const char *pos[2];

	memset(&o, 0, sizeof(o));
	cmd = (struct flag_cmd){ .prog = "t", .opts = &o, .flags = t_flags, .nflags = FLAG_COUNT(t_flags),
				 .help = &o.help, .pos = pos, .max_pos = 2 };
	REQUIRE(flag_parse(&cmd, 4, (char *[]){ "t", "a", "--quick", "-" }, err, sizeof(err)) == 0);
	CHECK(cmd.npos == 2 && !strcmp(pos[0], "a") && !strcmp(pos[1], "-") && o.quick);
	CHECK(flag_parse(&cmd, 4, (char *[]){ "t", "a", "b", "c" }, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "t: c: one argument too many (see --help)");
}

TEST(flag_help_and_dash_h)
{
	REQUIRE(PARSE("-h") == 0);
	CHECK(o.help);
	REQUIRE(PARSE("--help") == 0);
	CHECK(o.help);
}

TEST(flag_number_parsers)
{
	uint64_t v;
	double d;

	CHECK(flag_parse_u64("18446744073709551615", 0, UINT64_MAX, &v) == 0 && v == UINT64_MAX);
	CHECK(flag_parse_u64("18446744073709551616", 0, UINT64_MAX, &v) == -EINVAL);
	CHECK(flag_parse_duration_ms("5", 1, UINT64_MAX, &v) == 0 && v == 5000);
	CHECK(flag_parse_duration_ms("5s", 1, UINT64_MAX, &v) == 0 && v == 5000);
	CHECK(flag_parse_duration_ms("5ms", 1, UINT64_MAX, &v) == 0 && v == 5);
	CHECK(flag_parse_duration_ms("2m", 1, UINT64_MAX, &v) == 0 && v == 120000);
	CHECK(flag_parse_duration_ms("2h", 1, UINT64_MAX, &v) == 0 && v == 7200000);
	CHECK(flag_parse_duration_ms("2h", 1, 7199999, &v) == -EINVAL);
	CHECK(flag_parse_duration_ms("0s", 1, UINT64_MAX, &v) == -EINVAL);
	CHECK(flag_parse_duration_ms("5x", 1, UINT64_MAX, &v) == -EINVAL);
	CHECK(flag_parse_duration_ms("-5s", 1, UINT64_MAX, &v) == -EINVAL);
	CHECK(flag_parse_duration_ms("s", 1, UINT64_MAX, &v) == -EINVAL);
	CHECK(flag_parse_double("2.5", &d) == 0 && d == 2.5);
	CHECK(flag_parse_double("-1e3", &d) == 0 && d == -1000);
	CHECK(flag_parse_double("inf", &d) == -EINVAL);
	CHECK(flag_parse_double("1x", &d) == -EINVAL);
	CHECK(flag_parse_double("", &d) == -EINVAL);
	CHECK(flag_parse_double("+1", &d) == -EINVAL);
}

/* The one quoting helper: control bytes as \xNN, NULL as "", a cut marked "..." */
TEST(flag_quote_escapes_and_cuts)
{
	char buf[FLAG_QUOTE_LEN], big[4 * 300 + 8], s[301];

	CHECK(!strcmp(flag_quote("a\tb\x1b[2J\x7f", buf, sizeof(buf)), "a\\x09b\\x1b[2J\\x7f"));
	CHECK(!strcmp(flag_quote(NULL, buf, sizeof(buf)), ""));
	memset(s, 'x', 300);
	s[300] = '\0';
	/* a flag's value in an error line: 200 bytes, then "..." */
	flag_quote(s, buf, sizeof(buf));
	CHECK(strlen(buf) == 203 && !strcmp(buf + 200, "..."));
	/* a buffer of 4 x the size + 8 holds it whole, even all control bytes */
	CHECK(!strcmp(flag_quote(s, big, sizeof(big)), s));
	memset(s, '\n', 300);
	flag_quote(s, big, sizeof(big));
	CHECK(strlen(big) == 1200 && !strncmp(big + 1196, "\\x0a", 4));
}

/* --help is printed from the rows: every flag, its default, its --quick default, the headings. */
TEST(flag_usage_lists_every_row)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	REQUIRE(f);
	REQUIRE(PARSE("--reps=2") == 0);	/* numeric rows without def show the variable's value */
	flag_usage(&cmd, f);
	fclose(f);
	for (size_t i = 0; i < FLAG_COUNT(t_flags); i++) {
		char want[64];

		if (!t_flags[i].name)
			continue;
		snprintf(want, sizeof(want), "  --%s%s", t_flags[i].name, t_flags[i].arg ? "=" : "");
		CHECK_MSG(strstr(text, want) != NULL, "no %s in usage", want);
	}
	CHECK(strstr(text, "--ms=N                 a window (default 300; --quick 60)\n") != NULL);
	CHECK(strstr(text, "(default green)") != NULL);
	CHECK(strstr(text, "\na heading:\n") != NULL);
	CHECK(strstr(text, "--node=N               a node (default 0)\n") != NULL);
	CHECK(strstr(text, "  -h, --help") != NULL);
	free(text);
}
