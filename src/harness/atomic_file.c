/* A temp file beside the target, then rename: see atomic_file.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "harness/atomic_file.h"

int atomic_file_open(struct atomic_file *af, const char *path)
{
	if (!af)
		return -EINVAL;
	memset(af, 0, sizeof(*af));
	if (!path || !*path)
		return -EINVAL;
	af->path = strdup(path);
	if (!af->path)
		return -ENOMEM;
	af->f = open_memstream(&af->buf, &af->len);
	if (!af->f) {
		free(af->path);
		af->path = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd, err = 0;

	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd))
		err = -errno;
	if (fd >= 0)
		close(fd);
	free(dir);
	return err;
}

int atomic_file_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	/* a regular file writes short only on ENOSPC/EFBIG: loop to the error */
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int atomic_file_temp(const char *path, char **tmp_out)
{
	static const char suffix[] = ".tmp.XXXXXX";
	size_t plen;
	char *tmp;
	int fd;

	if (!path || !*path || !tmp_out)
		return -EINVAL;
	plen = strlen(path);
	tmp = malloc(plen + sizeof(suffix));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, suffix, sizeof(suffix));
	fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int err = -errno;

		free(tmp);
		return err;
	}
	if (fchmod(fd, 0644)) {
		int err = -errno;

		close(fd);
		unlink(tmp);
		free(tmp);
		return err;
	}
	*tmp_out = tmp;
	return fd;
}

int atomic_file_install(int fd, char *tmp, const char *path, int err, unsigned int flags)
{
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	else if (flags & ATOMIC_FILE_FSYNC_DIR)
		err = fsync_dir_of(path);
	free(tmp);
	return err;
}

static int put_file(const char *path, const char *buf, size_t len, unsigned int flags)
{
	char *tmp;
	int fd = atomic_file_temp(path, &tmp);

	if (fd < 0)
		return fd;
	return atomic_file_install(fd, tmp, path, atomic_file_write_all(fd, buf, len), flags);
}

int atomic_file_commit(struct atomic_file *af, unsigned int flags)
{
	int err;

	if (!af || !af->f)
		return -EINVAL;
	/* a memory stream fails only for memory */
	err = fclose(af->f) ? -ENOMEM : 0;
	af->f = NULL;
	if (!err)
		err = put_file(af->path, af->buf ? af->buf : "", af->buf ? af->len : 0, flags);
	free(af->buf);
	free(af->path);
	memset(af, 0, sizeof(*af));
	return err;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (!af || !af->f)
		return;
	fclose(af->f);
	free(af->buf);
	free(af->path);
	memset(af, 0, sizeof(*af));
}

int atomic_file_write(const char *path, const void *buf, size_t len, unsigned int flags)
{
	if (!path || !*path || (!buf && len))
		return -EINVAL;
	return put_file(path, buf ? buf : "", len, flags);
}
