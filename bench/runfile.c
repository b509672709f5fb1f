/* The atomic writer of runfile.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "harness/atomic_file.h"
#include "runfile.h"

int runfile_write(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[PATH_MAX];

	if (!dir || !name || !buf)
		return -EINVAL;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	return atomic_file_write(path, buf, len, 0);
}

bool runfile_exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= len - 1)
		return false;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return true;
}
