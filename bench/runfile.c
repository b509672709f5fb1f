/* The atomic writer of runfile.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
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
