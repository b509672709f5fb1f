/*
 * tests/tmpfiles.h — scratch files for the tests of the CSV writer and
 * reader and of atomic_file: a fresh directory per test (no state shared between tests), and
 * small whole-file reads and writes. Test threads only.
 */
#ifndef DMABENCH_TESTS_TMPFILES_H
#define DMABENCH_TESTS_TMPFILES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* a fresh directory per test: no state shared between tests */
static inline void tmpdir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/dmabench-test-csv-XXXXXX");
	if (!mkdtemp(dir))
		dir[0] = 0;
}

static inline void rmtree(const char *dir)
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

static inline int count_entries(const char *dir)
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

static inline int put_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* whole file as a NUL-terminated string (static buffer) */
static inline const char *slurp(const char *path)
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

#endif
