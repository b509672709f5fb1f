/*
 * tests/fuzz/fuzz_csv.c — libFuzzer target for the CSV reader (issue 6).
 * Every input must satisfy csv_check_input() (csv_check.h); a violation
 * aborts, and libFuzzer saves the input (make fuzz: into tests/fuzz/regress/,
 * which tests/test_csv_regress.c replays in make test). Built by make fuzz
 * with clang -fsanitize=fuzzer,address,undefined; not part of the library.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "csv_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bad = csv_check_input((const char *)data, size);

	if (bad) {
		fprintf(stderr, "fuzz_csv: %s\n", bad);
		abort();
	}
	return 0;
}
