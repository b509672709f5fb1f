/*
 * The liburcu, hwloc and libpfm4 lines of machine.txt: which release each
 * library is, from its headers, the loaded shared object
 * (dl_iterate_phdr) and, for liburcu (no version call), the pkg-config file
 * beside it. See machine.h; called by machine_describe() only.
 */
#include <limits.h>
#include <link.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <hwloc.h>
#include <perfmon/pfmlib.h>
#include "harness/machine_internal.h"

struct lib_find {
	const char *prefix;
	char file[256];
	char dir[PATH_MAX];
};

static int find_lib_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct lib_find *lf = arg;
	const char *base;
	char real[PATH_MAX];

	(void)size;
	if (!info->dlpi_name || !*info->dlpi_name)
		return 0;
	base = strrchr(info->dlpi_name, '/');
	base = base ? base + 1 : info->dlpi_name;
	if (strncmp(base, lf->prefix, strlen(lf->prefix)))
		return 0;
	/* the soname link names the ABI; its target names the release */
	if (realpath(info->dlpi_name, real)) {
		char *slash = strrchr(real, '/');

		machine_scopy(lf->file, sizeof(lf->file), slash ? slash + 1 : real);
		if (slash) {
			*slash = '\0';
			snprintf(lf->dir, sizeof(lf->dir), "%s", real);
		}
	} else {
		snprintf(lf->file, sizeof(lf->file), "%s", base);
	}
	return 1;
}

/* the loaded shared object whose name starts with prefix: 0 or -ENOENT */
static int loaded_lib(const char *prefix, struct lib_find *lf)
{
	memset(lf, 0, sizeof(*lf));
	lf->prefix = prefix;
	dl_iterate_phdr(find_lib_cb, lf);
	return *lf->file ? 0 : -ENOENT;
}

/* "Version:" of a pkg-config file: 0 or -errno */
static int pc_version(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char line[256];
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Version:", 8)) {
			char *v = line + 8;

			while (*v == ' ' || *v == '\t')
				v++;
			v[strcspn(v, " \t\r\n")] = '\0';
			machine_scopy(buf, len, v);
			rc = *buf ? 0 : -ENOENT;
			break;
		}
	fclose(f);
	return rc;
}

/* try dir/liburcu.pc: 1 when it gave a version */
static int try_pc(const char *dir, const char *sub, char *ver, size_t len, char *from, size_t flen)
{
	char path[PATH_MAX + 64];

	if (!dir || !*dir)
		return 0;
	snprintf(path, sizeof(path), "%s%s/liburcu.pc", dir, sub);
	if (pc_version(path, ver, len))
		return 0;
	machine_scopy(from, flen, path);
	return 1;
}

/*
 * liburcu has no version macro or call: take the pkg-config file next to
 * the loaded library (the release its headers came with), else next to the
 * other libraries (the same multiarch directory), else pkg-config's path.
 */
static void urcu_version(struct machine_writer *w)
{
	static const char *const dirs[] = {
		"/usr/local/lib/pkgconfig", "/usr/lib/pkgconfig", "/usr/share/pkgconfig",
		"/usr/lib64/pkgconfig",
	};
	static const char *const near[] = { "libhwloc", "libpfm" };
	struct lib_find urcu, other;
	char ver[64] = "", from[PATH_MAX + 64] = "", pcp[4096];
	bool loaded = !loaded_lib("liburcu", &urcu);
	int found = 0;

#ifdef URCU_VERSION
	machine_kv(w, "liburcu", "%s (URCU_VERSION)", URCU_VERSION);
	return;
#endif
	if (loaded)
		found = try_pc(urcu.dir, "/pkgconfig", ver, sizeof(ver), from, sizeof(from));
	for (size_t i = 0; !found && i < sizeof(near) / sizeof(near[0]); i++)
		if (!loaded_lib(near[i], &other))
			found = try_pc(other.dir, "/pkgconfig", ver, sizeof(ver), from, sizeof(from));
	if (!found && getenv("PKG_CONFIG_PATH")) {
		char *save = NULL, *d;

		machine_scopy(pcp, sizeof(pcp), getenv("PKG_CONFIG_PATH"));
		for (d = strtok_r(pcp, ":", &save); d && !found; d = strtok_r(NULL, ":", &save))
			found = try_pc(d, "", ver, sizeof(ver), from, sizeof(from));
	}
	for (size_t i = 0; !found && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		found = try_pc(dirs[i], "", ver, sizeof(ver), from, sizeof(from));

	if (found)
		machine_kv(w, "liburcu", "%s (%s; %s%s)", ver, from,
		   loaded ? "loaded " : "not loaded by this program", loaded ? urcu.file : "");
	else if (loaded)
		machine_kv(w, "liburcu", "unknown release (loaded %s)", urcu.file);
	else
		machine_kv(w, "liburcu", MACHINE_UNAVAILABLE);
}

void machine_lib_versions(struct machine_writer *w)
{
	unsigned int hv = hwloc_get_api_version();
	int pv = pfm_get_version();
	struct lib_find lf;

	urcu_version(w);
	if (!loaded_lib("libhwloc", &lf))
		machine_kv(w, "hwloc", "%s (headers; loaded %s, API %u.%u)", HWLOC_VERSION, lf.file,
		   hv >> 16, (hv >> 8) & 0xff);
	else
		machine_kv(w, "hwloc", "%s (headers; API %u.%u at run time)", HWLOC_VERSION, hv >> 16,
		   (hv >> 8) & 0xff);
	/* pfm_get_version() is the API level (4.0 for every 4.x): the file names the release */
	if (!loaded_lib("libpfm", &lf))
		machine_kv(w, "libpfm4", "%s (API %d.%d)", lf.file, PFM_MAJ_VERSION(pv), PFM_MIN_VERSION(pv));
	else
		machine_kv(w, "libpfm4", "API %d.%d (statically linked)", PFM_MAJ_VERSION(pv), PFM_MIN_VERSION(pv));
}
