/*
 * src/harness/machine_internal.h — what machine.c (machine.txt),
 * machine_libs.c (the library versions in it) and machine_id.c (the short
 * name) share behind machine.h: the key/warning writer and the small
 * /proc and /sys readers. Not for other callers. One writer per
 * machine_describe() call, its thread only.
 */
#ifndef DMABENCH_HARNESS_MACHINE_INTERNAL_H
#define DMABENCH_HARNESS_MACHINE_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#define MACHINE_UNAVAILABLE	"unavailable"
#define MAX_WARNINGS		24

struct machine_writer {
	FILE *out;
	char warnings[MAX_WARNINGS][256];	/* printed after every key */
	int nr_warnings;
};

/* one `key: value` line; the value on one line, never empty ("unavailable") */
void machine_kv(struct machine_writer *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* a `warning: ...` line for the end; past MAX_WARNINGS they are dropped */
void machine_warn(struct machine_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* bounded copy that cuts long strings quietly (values are informational) */
void machine_scopy(char *dst, size_t len, const char *src);
/* first line of a file, without its newline: 0 or -errno */
int machine_read_line(const char *path, char *buf, size_t len);
/* value of the first "key<spaces>: value" line of /proc/cpuinfo: 0 or -errno */
int machine_cpuinfo_field(const char *key, char *buf, size_t len);

/* machine_libs.c: the liburcu, hwloc and libpfm4 keys */
void machine_lib_versions(struct machine_writer *w);

#endif
