/*
 * tests/test.h — the small test runner every tests/test_*.c uses.
 *
 * A test is   TEST(name) { ... CHECK(cond); ... }   at file scope; it registers
 * itself, and the Makefile links every tests/test_*.c with tests/test_main.c.
 * The runner runs every registered test (or those named on the command line)
 * and prints TAP: the plan "1..N", then "ok N - name" or "not ok N - name" per
 * test, each failed check after it as "# file:line: what"; exit 1 if any
 * failed. `make test` runs every test program under prove (tests/run.sh).
 * A CHECK that fails marks the test failed and carries on; REQUIRE returns
 * from the test. Anything else a test prints on stdout should start with "# "
 * (a TAP comment). Single-threaded bookkeeping: call CHECK from the test's
 * own thread only (collect results from worker threads, then check them).
 */
#ifndef DMABENCH_TEST_H
#define DMABENCH_TEST_H

#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(name)                                                      \
	static void name(void);                                         \
	__attribute__((constructor)) static void test_reg_##name(void)  \
	{ test_register(#name, name); }                                 \
	static void name(void)

#define CHECK(cond)                                                     \
	do { if (!(cond)) test_fail(__FILE__, __LINE__, "%s", #cond); } while (0)

#define CHECK_MSG(cond, ...)                                            \
	do { if (!(cond)) test_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)

#define REQUIRE(cond)                                                   \
	do { if (!(cond)) { test_fail(__FILE__, __LINE__, "%s", #cond); return; } } while (0)

#define CHECK_EQ_INT(a, b)                                              \
	do { long long _a = (long long)(a), _b = (long long)(b);        \
	     if (_a != _b) test_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				     #a, #b, _a, _b); } while (0)

#define CHECK_NEAR(a, b, tol)                                           \
	do { double _a = (a), _b = (b), _t = (tol);                     \
	     if (!(_a - _b <= _t && _b - _a <= _t))                     \
		test_fail(__FILE__, __LINE__, "%s ~= %s (%.9g vs %.9g, tol %.3g)", \
			  #a, #b, _a, _b, _t); } while (0)

#define CHECK_STR(a, b)                                                 \
	do { const char *_a = (a), *_b = (b);                           \
	     if (!_a || !_b || strcmp(_a, _b))                          \
		test_fail(__FILE__, __LINE__, "%s == %s (\"%s\" vs \"%s\")", \
			  #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); } while (0)

#endif
