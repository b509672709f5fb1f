/*
 * bench/runfile.h — the one place where this run-directory files
 * (topology.xml, runlength.csv, predicted.csv) reach the disk: whole, by a
 * temporary file renamed over the name (harness/atomic_file.h).
 */
#ifndef DMABENCH_BENCH_RUNFILE_H
#define DMABENCH_BENCH_RUNFILE_H

#include <stddef.h>

/* dir/name := len bytes of buf. 0 or -errno (-ENAMETOOLONG). */
int runfile_write(const char *dir, const char *name, const void *buf, size_t len);

#endif
