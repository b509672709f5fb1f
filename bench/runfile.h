/*
 * bench/runfile.h — the one place where this run-directory files
 * (topology.xml, runlength.csv, predicted.csv) reach the disk: whole, by a
 * temporary file renamed over the name (harness/atomic_file.h).
 */
#ifndef DMABENCH_BENCH_RUNFILE_H
#define DMABENCH_BENCH_RUNFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The directory this binary is in (/proc/self/exe without its last
 * component), for the scripts and profiles shipped beside build/. False
 * where it cannot be read or does not fit.
 */
bool runfile_exe_dir(char *buf, size_t len);

/* dir/name := len bytes of buf. 0 or -errno (-ENAMETOOLONG). */
int runfile_write(const char *dir, const char *name, const void *buf, size_t len);

#endif
