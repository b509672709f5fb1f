/*
 * Replays the CSV fuzzing corpus (tests/fuzz/corpus/csv) and every input the
 * fuzzer saved (tests/fuzz/regress, by make fuzz) through the same check the
 * fuzzer applies (tests/fuzz/csv_check.h): no crash, a clean error or a table
 * that survives a write/read round trip. Run from the repository root.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz/csv_check.h"
#include "test.h"

#define REPLAY_MAX_BYTES (1 << 20)

/* checks every regular file in dir; returns how many were checked */
static int replay_dir(const char *dir)
{
	static char buf[REPLAY_MAX_BYTES];
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[512];
		const char *bad;
		size_t len;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;	/* a directory or unreadable: not an input */
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		bad = csv_check_input(buf, len);
		CHECK_MSG(!bad, "%s: %s", path, bad);
		n++;
	}
	closedir(d);
	return n;
}

TEST(fuzz_corpus_replays_clean)
{
	int n = replay_dir("tests/fuzz/corpus/csv");

	CHECK_MSG(n >= 10, "tests/fuzz/corpus/csv: %d inputs (run from the repository root)", n);
}

TEST(fuzz_regressions_replay_clean)
{
	/* holds README at least; every crash make fuzz finds lands here */
	CHECK(replay_dir("tests/fuzz/regress") >= 1);
}
