/*
 * src/harness/atomic_file.h — write a file inside a run directory so that a
 * reader sees the old file or the whole new one, never a torn one, and never
 * writes through a name someone else planted there.
 *
 * atomic_file_open() gives a stdio stream on memory (af->f): write the file
 * there. atomic_file_commit() then creates "<path>.tmp.XXXXXX" beside path
 * with mkostemp() (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0644: it never opens an
 * existing file or follows a symlink, and two writers never share a temp
 * name), writes the bytes, fsyncs, closes and renames the temp file over
 * path (rename(2) replaces a symlink at path, it does not follow it). On any
 * error the temp file is unlinked and the first -errno returned: -ENOSPC,
 * -EACCES, -ENOENT (the directory is gone), ... ATOMIC_FILE_FSYNC_DIR also
 * fsyncs the directory after the rename. atomic_file_abort() drops the
 * stream; nothing was created. atomic_file_write() does all three for a
 * buffer.
 *
 * For files that fit in memory (machine.txt, topology.xml, c2c matrices).
 * Any thread; one struct atomic_file per writer. Returns 0 or -errno;
 * never prints. Cost: the file's bytes in memory, one write(), one fsync().
 *
 * The same steps for a writer that streams to a file descriptor itself
 * (the CSV writer's CSV_ATOMIC mode, csv_write.c): atomic_file_temp()
 * creates the temp file as above and returns its fd (or -errno) and its
 * malloc'd name in *tmp; atomic_file_install() fsyncs and closes fd and
 * renames tmp over path, or, if err is non-zero or a step fails, closes and
 * unlinks tmp; it frees tmp and returns the first error (err itself when
 * given). atomic_file_write_all() writes all of buf or returns -errno.
 */
#ifndef DMABENCH_HARNESS_ATOMIC_FILE_H
#define DMABENCH_HARNESS_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

#define ATOMIC_FILE_FSYNC_DIR	(1u << 0)

struct atomic_file {
	FILE *f;	/* write here between open and commit/abort */
	char *path;	/* the final name */
	char *buf;	/* the stream's memory */
	size_t len;
};

int atomic_file_open(struct atomic_file *af, const char *path);
int atomic_file_commit(struct atomic_file *af, unsigned int flags);
void atomic_file_abort(struct atomic_file *af);
int atomic_file_write(const char *path, const void *buf, size_t len, unsigned int flags);

int atomic_file_temp(const char *path, char **tmp);
int atomic_file_install(int fd, char *tmp, const char *path, int err, unsigned int flags);
int atomic_file_write_all(int fd, const void *buf, size_t len);

#endif
