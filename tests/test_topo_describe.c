/*
 * tests/test_topo_describe.c — src/harness/topo_describe.c: distances,
 * caches, the CPU facts, the allowed list and the node list, on hwloc
 * synthetic topologies and an XML file with a distance matrix
 * (tests/topo_env.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topo_env.h"

TEST(synthetic_has_no_distances_and_no_caches)
{
	struct topo *t = open_syn(SYN);
	char buf[256];
	int n = -1;

	REQUIRE(t);
	CHECK_EQ_INT(topo_numa_distances(t, 0, &n, NULL, NULL), -ENOENT);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(topo_describe_caches(t, buf, sizeof(buf)), -ENOENT);
	topo_close(t);
}

TEST(caches_are_described_per_level)
{
	struct topo *t = open_syn("pack:2 l3:1(size=33554432) numa:1 core:2 l2:1(size=1048576) "
				  "l1d:1(size=49152) l1i:1(size=32768) pu:2");
	char buf[256], small[8];

	REQUIRE(t);
	CHECK_EQ_INT(topo_describe_caches(t, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "L1d 48KiB x4, L1i 32KiB x4, L2 1MiB x4, L3 32MiB x2");
	CHECK_EQ_INT(topo_describe_caches(t, small, sizeof(small)), -ENOSPC);
	topo_close(t);
}

TEST(xml_topology_has_distances_in_os_order)
{
	struct topo *t = NULL;
	int os[4], n = 0;
	uint64_t v[16];

	REQUIRE(open_xml(SYN, &t) == 0);
	CHECK_EQ_INT(topo_numa_distances(t, 4, &n, os, v), 0);
	CHECK_EQ_INT(n, 4);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ_INT(os[i], i);
		for (int j = 0; j < 4; j++)
			CHECK_EQ_INT(v[i * 4 + j], i == j ? 10 : i / 2 == j / 2 ? 20 + i + j : 30 + i + j);
	}
	CHECK_EQ_INT(topo_numa_distances(t, 3, &n, os, v), -ENOSPC);
	CHECK_EQ_INT(n, 4);
	topo_close(t);
}

TEST(allowed_list_is_hwlocs_list_format)
{
	struct topo *t = NULL;
	char buf[64], small[4];

	REQUIRE(open_env("HWLOC_SYNTHETIC", SYN, "1,9-10,17", &t) == 0);
	CHECK_EQ_INT(topo_describe_allowed(t, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "1,9-10,17");
	CHECK_EQ_INT(topo_describe_allowed(t, small, sizeof(small)), -ENOSPC);
	CHECK_EQ_INT(strlen(small), sizeof(small) - 1);
	topo_close(t);
}

TEST(node_ids_every_node_ascending)
{
	struct topo *t = NULL;
	int os[4] = { -1, -1, -1, -1 };

	/* node 3 has no allowed PU: still listed */
	REQUIRE(open_env("HWLOC_SYNTHETIC", SYN, "0-23", &t) == 0);
	CHECK_EQ_INT(topo_numa_node_ids(t, os, 4), 4);
	for (int i = 0; i < 4; i++)
		CHECK_EQ_INT(os[i], i);
	os[2] = -1;
	CHECK_EQ_INT(topo_numa_node_ids(t, os, 2), 4);	/* only 2 written */
	CHECK_EQ_INT(os[2], -1);
	topo_close(t);
}

TEST(cpu_info_absent_from_synthetic)
{
	struct topo *t = open_syn(SYN);

	REQUIRE(t);
	CHECK(topo_cpu_info(t, "CPUModel") == NULL);
	CHECK(topo_cpu_info(t, "no such info") == NULL);
	topo_close(t);
}
