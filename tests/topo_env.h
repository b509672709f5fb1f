/*
 * tests/topo_env.h — topologies for the tests of topo.c, placement.c,
 * topo_describe.c and machine.c: hwloc synthetic descriptions
 * (HWLOC_SYNTHETIC, read by hwloc itself) and an XML file exported from one
 * with a distance matrix (HWLOC_XMLFILE). The environment is process-global:
 * open_env() sets exactly the variables it is given and clears them again
 * before it returns. Test threads only.
 */
#ifndef DMABENCH_TESTS_TOPO_ENV_H
#define DMABENCH_TESTS_TOPO_ENV_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <hwloc.h>
#include "harness/topo.h"
#include "test.h"

/* 2 packages x 2 NUMA nodes x 4 cores x 2 PUs = 32 PUs; node n holds PUs
 * 8n..8n+7 and cores 4n..4n+3; core c holds PUs 2c and 2c+1 */
#define SYN "pack:2 numa:2 core:4 pu:2"
/* the same shape numbered like Linux: core c holds PUs c and c+16 */
#define SYN_LINUX "pack:2 numa:2 core:4 pu:2(indexes=2*16)"

static inline void clear_env(void)
{
	unsetenv("HWLOC_SYNTHETIC");
	unsetenv("HWLOC_XMLFILE");
	unsetenv("HWLOC_FSROOT");
	unsetenv("HWLOC_THISSYSTEM");
	unsetenv("TOPO_ALLOWED");
}

/* var=val (var NULL: this machine), TOPO_ALLOWED=allowed (NULL: unset) */
static inline int open_env(const char *var, const char *val, const char *allowed, struct topo **t)
{
	int rc;

	clear_env();
	if (var)
		setenv(var, val, 1);
	if (allowed)
		setenv("TOPO_ALLOWED", allowed, 1);
	rc = topo_open(t);
	clear_env();
	return rc;
}

static inline struct topo *open_syn(const char *desc)
{
	struct topo *t = NULL;
	int rc = open_env("HWLOC_SYNTHETIC", desc, NULL, &t);

	CHECK_EQ_INT(rc, 0);
	return rc ? NULL : t;
}

/* SYN-like desc as an XML file at path, with a NUMA distance matrix added
 * in reverse node order (so a reader must sort by OS index): distance a-b
 * is 10 on the diagonal, 20+a+b within a package, 30+a+b across */
static inline int write_xml(const char *path, const char *desc)
{
	hwloc_topology_t hw;
	hwloc_obj_t objs[4];
	uint64_t v[16];
	hwloc_distances_add_handle_t h;
	int rc = -1;

	if (hwloc_topology_init(&hw) < 0)
		return -1;
	if (hwloc_topology_set_synthetic(hw, desc) < 0 || hwloc_topology_load(hw) < 0)
		goto out;
	/* reverse order, so the reader must sort by OS index */
	for (int i = 0; i < 4; i++)
		objs[i] = hwloc_get_numanode_obj_by_os_index(hw, 3 - i);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++) {
			int a = 3 - i, b = 3 - j;	/* OS indexes */

			v[i * 4 + j] = a == b ? 10 : a / 2 == b / 2 ? 20 + a + b : 30 + a + b;
		}
	h = hwloc_distances_add_create(hw, "test", HWLOC_DISTANCES_KIND_FROM_USER |
				       HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0);
	if (!h || hwloc_distances_add_values(hw, h, 4, objs, v, 0) < 0 ||
	    hwloc_distances_add_commit(hw, h, 0) < 0)
		goto out;
	rc = hwloc_topology_export_xml(hw, path, 0);
out:
	hwloc_topology_destroy(hw);
	return rc;
}

/* desc through write_xml() and HWLOC_XMLFILE: 0 and *t, or the failure */
static inline int open_xml(const char *desc, struct topo **t)
{
	char path[] = "/tmp/dmabench-test-topo-XXXXXX.xml";
	int fd = mkstemps(path, 4), rc;

	*t = NULL;
	if (fd < 0)
		return -errno;
	close(fd);
	rc = write_xml(path, desc) < 0 ? -EIO : open_env("HWLOC_XMLFILE", path, NULL, t);
	unlink(path);
	return rc;
}

#endif
