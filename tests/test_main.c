/*
 * The runner behind tests/test.h: runs the registered tests (or those named
 * on the command line) and prints TAP version 12 on stdout: the plan "1..N"
 * first, then "ok N - name" or "not ok N - name" per test, each failed check
 * as a "# file:line: what" line after its "not ok". Exit 1 if any failed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include "test.h"

#define MAX_TESTS 512

static struct { const char *name; test_fn fn; } tests[MAX_TESTS];
static int nr_tests;

/* the failed checks of the running test, printed after its "not ok" line */
static int current_failed;
static char diag[16384];
static size_t diag_len;

void test_register(const char *name, test_fn fn)
{
	if (nr_tests == MAX_TESTS) {
		fprintf(stderr, "test.h: more than %d tests\n", MAX_TESTS);
		exit(2);
	}
	tests[nr_tests].name = name;
	tests[nr_tests].fn = fn;
	nr_tests++;
}

static void diag_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (diag_len >= sizeof(diag) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(diag + diag_len, sizeof(diag) - diag_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		diag_len += (size_t)n;
	if (diag_len > sizeof(diag) - 1)
		diag_len = sizeof(diag) - 1;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	char what[2048];
	va_list ap;

	current_failed++;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* one "# " line per line of the message: a newline in it stays a comment */
	diag_add("# %s:%d: ", file, line);
	for (const char *p = what; *p; p++)
		diag_add(*p == '\n' ? "\n#   " : "%c", *p);
	diag_add("\n");
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int planned = 0, n = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < nr_tests; i++)
		planned += selected(tests[i].name, argc, argv);
	printf("1..%d\n", planned);
	for (int i = 0; i < nr_tests; i++) {
		if (!selected(tests[i].name, argc, argv))
			continue;
		current_failed = 0;
		diag_len = 0;
		diag[0] = '\0';
		tests[i].fn();
		n++;
		if (current_failed) {
			printf("not ok %d - %s\n%s", n, tests[i].name, diag);
			if (diag_len == sizeof(diag) - 1)
				printf("# (more failed checks left out)\n");
			failed++;
		} else {
			printf("ok %d - %s\n", n, tests[i].name);
		}
	}
	printf("# %d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
