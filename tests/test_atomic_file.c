/* src/harness/atomic_file.c: temp beside the target, renamed; links replaced, never followed. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "harness/atomic_file.h"
#include "test.h"
#include "tmpfiles.h"

static char dir[64];

static void mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/dmabench-af.XXXXXX");
	if (!mkdtemp(dir))
		dir[0] = '\0';
}

static int entries(void)	/* names in dir, . and .. aside */
{
	return count_entries(dir);
}

static void read_into(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

static void rm_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		(void)0;
}

TEST(commit_writes_the_whole_file_and_no_temp)
{
	struct atomic_file af;
	char path[128], buf[64];

	mkdir_tmp();
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/machine.txt", dir);
	REQUIRE(atomic_file_open(&af, path) == 0);
	fprintf(af.f, "status: %s\n", "running");
	CHECK_EQ_INT(entries(), 0);	/* nothing on disk before commit */
	CHECK_EQ_INT(atomic_file_commit(&af, ATOMIC_FILE_FSYNC_DIR), 0);
	read_into(path, buf, sizeof(buf));
	CHECK_STR(buf, "status: running\n");
	CHECK_EQ_INT(entries(), 1);
	rm_dir();
}

TEST(symlink_at_target_is_replaced_not_followed)
{
	char path[128], victim[128], buf[64];
	struct stat st;
	FILE *f;

	mkdir_tmp();
	REQUIRE(dir[0]);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(path, sizeof(path), "%s/machine.txt", dir);
	f = fopen(victim, "w");
	REQUIRE(f);
	fputs("victim\n", f);
	fclose(f);
	REQUIRE(symlink(victim, path) == 0);
	CHECK_EQ_INT(atomic_file_write(path, "new\n", 4, 0), 0);
	read_into(victim, buf, sizeof(buf));
	CHECK_STR(buf, "victim\n");
	CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
	read_into(path, buf, sizeof(buf));
	CHECK_STR(buf, "new\n");
	CHECK_EQ_INT(entries(), 2);
	rm_dir();
}

TEST(failure_returns_errno_and_leaves_nothing)
{
	struct atomic_file af;
	char path[128];

	mkdir_tmp();
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/gone/machine.txt", dir);	/* no such directory */
	REQUIRE(atomic_file_open(&af, path) == 0);
	fputs("x\n", af.f);
	CHECK_EQ_INT(atomic_file_commit(&af, 0), -ENOENT);
	CHECK(af.f == NULL);
	/* a directory at the target: rename fails, the temp file is removed */
	snprintf(path, sizeof(path), "%s/sub", dir);
	REQUIRE(mkdir(path, 0700) == 0);
	CHECK(atomic_file_write(path, "x", 1, 0) < 0);
	CHECK_EQ_INT(entries(), 1);
	CHECK_EQ_INT(atomic_file_write("", "x", 1, 0), -EINVAL);
	rm_dir();
}

TEST(abort_creates_nothing)
{
	struct atomic_file af;
	char path[128];

	mkdir_tmp();
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/f", dir);
	REQUIRE(atomic_file_open(&af, path) == 0);
	fputs("x\n", af.f);
	atomic_file_abort(&af);
	CHECK_EQ_INT(entries(), 0);
	rm_dir();
}

/* moved from test_csv.c with csv_write_file_atomic(), its old wrapper */
TEST(write_replaces_whole_mode_0644)
{
	char path[128], buf[64];
	struct stat st;

	mkdir_tmp();
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/machine.txt", dir);
	CHECK_EQ_INT(atomic_file_write(path, "cpu_model: x\n", 13, ATOMIC_FILE_FSYNC_DIR), 0);
	read_into(path, buf, sizeof(buf));
	CHECK_STR(buf, "cpu_model: x\n");
	CHECK_EQ_INT(atomic_file_write(path, "kernel: y\n", 10, 0), 0);
	read_into(path, buf, sizeof(buf));
	CHECK_STR(buf, "kernel: y\n");
	CHECK_EQ_INT(entries(), 1);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
	snprintf(path, sizeof(path), "%s/missing/m.txt", dir);
	CHECK_EQ_INT(atomic_file_write(path, "x", 1, 0), -ENOENT);
	CHECK_EQ_INT(atomic_file_write("/dev/full/x", "a", 1, 0), -ENOTDIR);
	rm_dir();
}

/* the fd-level steps the CSV writer streams through */
TEST(temp_then_install_or_discard)
{
	char path[128], buf[64], *tmp;
	int fd;

	mkdir_tmp();
	REQUIRE(dir[0]);
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	fd = atomic_file_temp(path, &tmp);
	REQUIRE(fd >= 0);
	CHECK(!strncmp(tmp, path, strlen(path)) && strstr(tmp, ".tmp."));
	CHECK_EQ_INT(atomic_file_write_all(fd, "a\n", 2), 0);
	CHECK_EQ_INT(entries(), 1);		/* the temp only */
	CHECK_EQ_INT(atomic_file_install(fd, tmp, path, 0, 0), 0);
	read_into(path, buf, sizeof(buf));
	CHECK_STR(buf, "a\n");
	CHECK_EQ_INT(entries(), 1);
	/* an error given: the temp goes, the old file stays, the error returns */
	fd = atomic_file_temp(path, &tmp);
	REQUIRE(fd >= 0);
	CHECK_EQ_INT(atomic_file_write_all(fd, "b\n", 2), 0);
	CHECK_EQ_INT(atomic_file_install(fd, tmp, path, -EIO, 0), -EIO);
	read_into(path, buf, sizeof(buf));
	CHECK_STR(buf, "a\n");
	CHECK_EQ_INT(entries(), 1);
	CHECK_EQ_INT(atomic_file_temp("", &tmp), -EINVAL);
	rm_dir();
}
