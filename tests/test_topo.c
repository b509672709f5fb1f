/*
 * tests/test_topo.c — topology, placement and binding (src/harness/topo.c).
 *
 * Placement is checked on hwloc synthetic topologies (HWLOC_SYNTHETIC, read
 * by hwloc itself) and on an XML file exported from one (HWLOC_XMLFILE),
 * against hand-written PU lists. Binding, the allowed set and node-bound
 * memory are checked on this machine. The environment is process-global:
 * every test that opens a topology sets exactly the variables it wants
 * (clear_env) and clears them again before it checks anything.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <hwloc.h>
#include "harness/topo.h"
#include "test.h"

/* 2 packages x 2 NUMA nodes x 4 cores x 2 PUs = 32 PUs; node n holds PUs
 * 8n..8n+7 and cores 4n..4n+3; core c holds PUs 2c and 2c+1 */
#define SYN "pack:2 numa:2 core:4 pu:2"
/* the same shape numbered like Linux: core c holds PUs c and c+16 */
#define SYN_LINUX "pack:2 numa:2 core:4 pu:2(indexes=2*16)"

static void clear_env(void)
{
	unsetenv("HWLOC_SYNTHETIC");
	unsetenv("HWLOC_XMLFILE");
	unsetenv("HWLOC_FSROOT");
	unsetenv("HWLOC_THISSYSTEM");
	unsetenv("TOPO_ALLOWED");
}

/* var=val (var NULL: this machine), TOPO_ALLOWED=allowed (NULL: unset) */
static int open_env(const char *var, const char *val, const char *allowed, struct topo **t)
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

static struct topo *open_syn(const char *desc)
{
	struct topo *t = NULL;
	int rc = open_env("HWLOC_SYNTHETIC", desc, NULL, &t);

	CHECK_EQ_INT(rc, 0);
	return rc ? NULL : t;
}

/* Plan n threads with placement name, compare PU OS indexes with want. */
static void check_plan(struct topo *t, const char *name, int n, const int *want)
{
	struct topo_placement p;
	struct topo_slot s[64];

	CHECK_EQ_INT(topo_parse_placement(t, name, &p), 0);
	CHECK_EQ_INT(topo_plan(t, &p, n, false, s), 0);
	for (int i = 0; i < n; i++)
		CHECK_MSG(s[i].pu_os == want[i], "%s, %d threads: thread %d on PU %d, want %d",
			  name, n, i, s[i].pu_os, want[i]);
}

static const int syn_compact[32] = {
	0, 2, 4, 6, 1, 3, 5, 7,  8, 10, 12, 14, 9, 11, 13, 15,
	16, 18, 20, 22, 17, 19, 21, 23,  24, 26, 28, 30, 25, 27, 29, 31,
};
/* nodes 0, 1 on package 0, nodes 2, 3 on package 1: dealt 0, 2, 1, 3 so
 * that threads 0 and 1 are on different packages */
static const int syn_scatter[32] = {
	0, 16, 8, 24,  2, 18, 10, 26,  4, 20, 12, 28,  6, 22, 14, 30,
	1, 17, 9, 25,  3, 19, 11, 27,  5, 21, 13, 29,  7, 23, 15, 31,
};
static const int syn_smt[32] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};

/* ---- what the synthetic topology says ---- */

TEST(synthetic_env_is_read_and_counted)
{
	struct topo *t = open_syn(SYN);
	struct topo_counts a, all;

	REQUIRE(t);
	CHECK(!topo_is_this_system(t));
	topo_get_counts(t, &a, &all);
	CHECK_EQ_INT(all.pus, 32);
	CHECK_EQ_INT(all.cores, 16);
	CHECK_EQ_INT(all.packages, 2);
	CHECK_EQ_INT(all.numa_nodes, 4);
	CHECK_EQ_INT(a.pus, 32);
	CHECK_EQ_INT(a.cores, 16);
	CHECK_EQ_INT(a.packages, 2);
	CHECK_EQ_INT(a.numa_nodes, 4);
	CHECK_EQ_INT(topo_nr_allowed_pus(t), 32);
	CHECK_EQ_INT(topo_nr_numa_nodes(t), 4);
	CHECK_EQ_INT(topo_nr_numa_nodes_total(t), 4);
	CHECK_EQ_INT(topo_max_pu_os(t), 31);
	CHECK_EQ_INT(topo_pus_per_core(t), 2);
	topo_close(t);
}

TEST(synthetic_numa_nodes_exist_by_os_index)
{
	struct topo *t = open_syn(SYN);

	REQUIRE(t);
	for (int n = 0; n < 4; n++)
		CHECK(topo_numa_node_exists(t, n));
	CHECK(!topo_numa_node_exists(t, 4));
	CHECK(!topo_numa_node_exists(t, -1));
	CHECK_EQ_INT(topo_first_numa_node(t), 0);
	topo_close(t);
}

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

TEST(pu_info_uses_os_pu_and_node_logical_core_and_package)
{
	struct topo *t = open_syn(SYN_LINUX);
	struct topo_slot s;

	REQUIRE(t);
	CHECK_EQ_INT(topo_pu_info(t, 16, &s), 0);	/* core 0's sibling */
	CHECK_EQ_INT(s.pu_os, 16);
	CHECK_EQ_INT(s.pu_logical, 1);
	CHECK_EQ_INT(s.core, 0);
	CHECK_EQ_INT(s.package, 0);
	CHECK_EQ_INT(s.numa_node, 0);
	CHECK_EQ_INT(topo_pu_info(t, 13, &s), 0);	/* core 13: package 1, node 3 */
	CHECK_EQ_INT(s.pu_logical, 26);
	CHECK_EQ_INT(s.core, 13);
	CHECK_EQ_INT(s.package, 1);
	CHECK_EQ_INT(s.numa_node, 3);
	CHECK(!s.smt_shared && !s.oversubscribed);
	CHECK_EQ_INT(topo_pu_info(t, 32, &s), -ENOENT);
	CHECK_EQ_INT(topo_pu_info(t, -1, &s), -ENOENT);
	topo_close(t);
}

TEST(allowed_pus_are_listed_ascending)
{
	struct topo *t = NULL;
	int pus[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };

	REQUIRE(open_env("HWLOC_SYNTHETIC", SYN_LINUX, "17,3,16-17,2", &t) == 0);
	CHECK_EQ_INT(topo_allowed_pus(t, pus, 8), 4);
	CHECK_EQ_INT(pus[0], 2);
	CHECK_EQ_INT(pus[1], 3);
	CHECK_EQ_INT(pus[2], 16);
	CHECK_EQ_INT(pus[3], 17);
	CHECK_EQ_INT(pus[4], -1);
	CHECK_EQ_INT(topo_allowed_pus(t, pus, 1), 4);	/* count, even when short */
	CHECK(topo_pu_allowed(t, 16));
	CHECK(!topo_pu_allowed(t, 0));
	topo_close(t);
}

/* ---- placements on the synthetic topology ---- */

TEST(compact_fills_a_node_one_pu_per_core_first)
{
	struct topo *t = open_syn(SYN);

	REQUIRE(t);
	check_plan(t, "compact", 32, syn_compact);
	check_plan(t, "compact", 3, syn_compact);
	topo_close(t);
}

TEST(scatter_deals_round_robin_over_nodes)
{
	struct topo *t = open_syn(SYN);

	REQUIRE(t);
	check_plan(t, "scatter", 32, syn_scatter);
	check_plan(t, "scatter", 5, syn_scatter);
	topo_close(t);
}

/* One NUMA node over two packages: scatter still puts threads 0 and 1 on
 * different packages (a queue per node and package). */
TEST(scatter_first_two_on_different_packages)
{
	static const int one_node[4] = { 0, 8, 2, 10 };
	struct topo *t = open_syn("numa:1 pack:2 core:4 pu:2");
	struct topo_placement p;
	struct topo_slot s[2];

	REQUIRE(t);
	check_plan(t, "scatter", 4, one_node);
	REQUIRE(topo_parse_placement(t, "scatter", &p) == 0);
	REQUIRE(topo_plan(t, &p, 2, false, s) == 0);
	CHECK(s[0].package != s[1].package);
	topo_close(t);
	t = open_syn(SYN);
	REQUIRE(t);
	REQUIRE(topo_plan(t, &p, 2, false, s) == 0);
	CHECK(s[0].package != s[1].package);
	CHECK(s[0].numa_node != s[1].numa_node);
	topo_close(t);
}

TEST(smt_fills_siblings_first)
{
	struct topo *t = open_syn(SYN);

	REQUIRE(t);
	check_plan(t, "smt", 32, syn_smt);
	topo_close(t);
}

/* Orders follow the topology, not the OS numbering. */
TEST(placements_follow_topology_not_os_numbering)
{
	static const int compact[10] = { 0, 1, 2, 3, 16, 17, 18, 19, 4, 5 };
	static const int scatter[10] = { 0, 8, 4, 12, 1, 9, 5, 13, 2, 10 };
	static const int smt[10] = { 0, 16, 1, 17, 2, 18, 3, 19, 4, 20 };
	struct topo *t = open_syn(SYN_LINUX);

	REQUIRE(t);
	check_plan(t, "compact", 10, compact);
	check_plan(t, "scatter", 10, scatter);
	check_plan(t, "smt", 10, smt);
	topo_close(t);
}

TEST(cpus_list_is_taken_in_order)
{
	static const int want[4] = { 3, 1, 30, 8 };
	struct topo *t = open_syn(SYN);
	struct topo_placement p;
	struct topo_slot s[4];

	REQUIRE(t);
	check_plan(t, "cpus:3,1,30,8", 4, want);
	CHECK_EQ_INT(topo_parse_placement(t, "cpus:3,1,30,8", &p), 0);
	CHECK_EQ_INT(topo_placement_max_threads(t, &p), 4);
	CHECK_EQ_INT(topo_plan(t, &p, 4, false, s), 0);
	CHECK_EQ_INT(s[0].core, 1);
	CHECK_EQ_INT(s[1].core, 0);
	CHECK_EQ_INT(s[2].core, 15);
	CHECK_EQ_INT(s[2].package, 1);
	CHECK_EQ_INT(s[2].numa_node, 3);
	CHECK_EQ_INT(s[3].numa_node, 1);
	CHECK_EQ_INT(topo_plan_nodes_used(s, 4), 3);
	topo_close(t);
}

TEST(slots_carry_core_package_node_and_flags)
{
	struct topo *t = open_syn(SYN);
	struct topo_placement p;
	struct topo_slot s[5];

	REQUIRE(t);
	REQUIRE(topo_parse_placement(t, "compact", &p) == 0);
	REQUIRE(topo_plan(t, &p, 5, false, s) == 0);	/* PUs 0 2 4 6 1 */
	for (int i = 0; i < 5; i++) {
		CHECK_EQ_INT(s[i].package, 0);
		CHECK_EQ_INT(s[i].numa_node, 0);
		CHECK_EQ_INT(s[i].pu_logical, s[i].pu_os);
		CHECK(!s[i].oversubscribed);
	}
	CHECK_EQ_INT(s[3].core, 3);
	CHECK_EQ_INT(s[4].core, 0);
	/* PU 1 shares core 0 with PU 0: both are marked, the others are not */
	CHECK(s[0].smt_shared && s[4].smt_shared);
	CHECK(!s[1].smt_shared && !s[2].smt_shared && !s[3].smt_shared);
	CHECK_EQ_INT(topo_plan_nodes_used(s, 5), 1);
	topo_close(t);
}

TEST(nodes_used_counts_distinct_nodes)
{
	struct topo *t = open_syn(SYN);
	struct topo_placement p;
	struct topo_slot s[32];

	REQUIRE(t);
	REQUIRE(topo_parse_placement(t, "compact", &p) == 0);
	REQUIRE(topo_plan(t, &p, 9, false, s) == 0);
	CHECK_EQ_INT(topo_plan_nodes_used(s, 8), 1);
	CHECK_EQ_INT(topo_plan_nodes_used(s, 9), 2);
	REQUIRE(topo_parse_placement(t, "scatter", &p) == 0);
	REQUIRE(topo_plan(t, &p, 3, false, s) == 0);
	CHECK_EQ_INT(topo_plan_nodes_used(s, 3), 3);
	topo_close(t);
}

TEST(more_threads_than_pus_refused_without_oversubscribe)
{
	struct topo *t = open_syn(SYN);
	struct topo_placement p;
	struct topo_slot s[40];

	REQUIRE(t);
	REQUIRE(topo_parse_placement(t, "compact", &p) == 0);
	CHECK_EQ_INT(topo_placement_max_threads(t, &p), 32);
	CHECK_EQ_INT(topo_plan(t, &p, 33, false, s), -E2BIG);
	REQUIRE(topo_parse_placement(t, "cpus:5,6", &p) == 0);
	CHECK_EQ_INT(topo_plan(t, &p, 3, false, s), -E2BIG);
	CHECK_EQ_INT(topo_plan(t, &p, 0, false, s), -EINVAL);
	topo_close(t);
}

TEST(oversubscribe_wraps_and_marks)
{
	struct topo *t = open_syn(SYN);
	struct topo_placement p;
	struct topo_slot s[40];

	REQUIRE(t);
	REQUIRE(topo_parse_placement(t, "compact", &p) == 0);
	REQUIRE(topo_plan(t, &p, 34, true, s) == 0);
	CHECK_EQ_INT(s[32].pu_os, 0);
	CHECK_EQ_INT(s[33].pu_os, 2);
	for (int i = 0; i < 34; i++)
		CHECK_MSG(s[i].oversubscribed == (i == 0 || i == 1 || i >= 32),
			  "thread %d on PU %d: oversubscribed %d", i, s[i].pu_os, s[i].oversubscribed);

	REQUIRE(topo_parse_placement(t, "cpus:5,6", &p) == 0);
	REQUIRE(topo_plan(t, &p, 3, true, s) == 0);
	CHECK_EQ_INT(s[2].pu_os, 5);
	CHECK(s[0].oversubscribed && !s[1].oversubscribed && s[2].oversubscribed);
	/* 5 and 6 are different cores; two threads on PU 5 are not "SMT" */
	CHECK(!s[0].smt_shared && !s[1].smt_shared && !s[2].smt_shared);
	topo_close(t);
}

TEST(cpus_outside_allowed_set_refused)
{
	struct topo *t = NULL;
	struct topo_placement p, syntax_only;
	struct topo_slot s[2];

	REQUIRE(open_env("HWLOC_SYNTHETIC", SYN, "0-7", &t) == 0);
	CHECK_EQ_INT(topo_nr_allowed_pus(t), 8);
	CHECK_EQ_INT(topo_parse_placement(t, "cpus:8", &p), -EINVAL);
	CHECK_EQ_INT(topo_parse_placement(t, "cpus:7,8", &p), -EINVAL);
	CHECK_EQ_INT(topo_parse_placement(t, "cpus:7", &p), 0);
	/* parsed without a topology, refused when planned */
	REQUIRE(topo_parse_placement(NULL, "cpus:1,8", &syntax_only) == 0);
	CHECK_EQ_INT(topo_plan(t, &syntax_only, 2, false, s), -EINVAL);
	CHECK_EQ_INT(topo_plan(t, &syntax_only, 2, true, s), -EINVAL);
	topo_close(t);

	t = open_syn(SYN);
	REQUIRE(t);
	CHECK_EQ_INT(topo_parse_placement(t, "cpus:32", &p), -EINVAL);	/* no such PU */
	topo_close(t);
}

/* TOPO_ALLOWED restricts a synthetic topology as taskset restricts a real one */
TEST(topo_allowed_restricts_placements)
{
	static const int compact[4] = { 1, 9, 10, 17 };
	static const int scatter[4] = { 1, 17, 9, 10 };
	struct topo *t = NULL;
	struct topo_counts a;

	REQUIRE(open_env("HWLOC_SYNTHETIC", SYN, "1,9-10,17", &t) == 0);
	topo_get_counts(t, &a, NULL);
	CHECK_EQ_INT(a.pus, 4);
	CHECK_EQ_INT(a.cores, 4);
	CHECK_EQ_INT(a.packages, 2);
	CHECK_EQ_INT(a.numa_nodes, 3);
	CHECK_EQ_INT(topo_nr_numa_nodes_total(t), 4);
	CHECK_EQ_INT(topo_pus_per_core(t), 2);
	check_plan(t, "compact", 4, compact);
	check_plan(t, "scatter", 4, scatter);	/* packages alternate; node 2 is full after one */
	topo_close(t);

	REQUIRE(open_env("HWLOC_SYNTHETIC", SYN, "1", &t) == 0);
	{
		struct topo_placement p;
		struct topo_slot s[2];

		CHECK_EQ_INT(topo_nr_allowed_pus(t), 1);
		CHECK_EQ_INT(topo_first_numa_node(t), 0);
		for (int k = 0; k < 3; k++) {
			static const char *const names[] = { "compact", "scatter", "smt" };

			REQUIRE(topo_parse_placement(t, names[k], &p) == 0);
			CHECK_EQ_INT(topo_plan(t, &p, 1, false, s), 0);
			CHECK_EQ_INT(s[0].pu_os, 1);
			CHECK_EQ_INT(topo_plan(t, &p, 2, false, s), -E2BIG);
		}
	}
	topo_close(t);
}

TEST(topo_allowed_errors)
{
	struct topo *t = (struct topo *)1;

	CHECK_EQ_INT(open_env("HWLOC_SYNTHETIC", SYN, "1,x", &t), -EINVAL);
	CHECK(t == NULL);
	CHECK_EQ_INT(open_env("HWLOC_SYNTHETIC", SYN, "40-50", &t), -ENODEV);
	CHECK(t == NULL);
}

/* hwloc alone would quietly load this machine instead */
TEST(bad_synthetic_description_fails_to_open)
{
	struct topo *t = (struct topo *)1;

	CHECK_EQ_INT(open_env("HWLOC_SYNTHETIC", "pack:2 bogus:3", NULL, &t), -EINVAL);
	CHECK(t == NULL);
}

TEST(missing_or_bad_xml_file_fails_to_open)
{
	char path[] = "/tmp/dmabench-test-topo-XXXXXX.xml";
	int fd = mkstemps(path, 4);
	struct topo *t = (struct topo *)1;

	REQUIRE(fd >= 0);
	CHECK(write(fd, "<topology>not hwloc</nonsense>", 30) == 30);
	close(fd);
	CHECK(open_env("HWLOC_XMLFILE", path, NULL, &t) < 0);
	CHECK(t == NULL);
	unlink(path);
	t = (struct topo *)1;
	CHECK_EQ_INT(open_env("HWLOC_XMLFILE", path, NULL, &t), -ENOENT);
	CHECK(t == NULL);
}

/* ---- parsing ---- */

TEST(parse_rejects_anything_else)
{
	static const char *const bad[] = {
		"", "Compact", "compactx", " compact", "scatter ", "cpus", "cpus:", "cpus:1,",
		"cpus:,1", "cpus:a", "cpus:1-", "cpus:3-1", "cpus:1,1", "cpus:0-2,1", "cpus:-1",
		"cpus:1 ", "cpus:1;2", "cpus:99999999999", "cpus:0-1024", "cpus:1++2",
	};
	struct topo_placement p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_MSG(topo_parse_placement(NULL, bad[i], &p) == -EINVAL, "\"%s\" accepted", bad[i]);
	CHECK_EQ_INT(topo_parse_placement(NULL, NULL, &p), -EINVAL);
}

TEST(parse_gives_kind_and_canonical_name)
{
	static const struct { const char *in, *name; } cases[] = {
		{ "compact", "compact" }, { "scatter", "scatter" }, { "smt", "smt" },
		{ "cpus:0,2,4", "cpus:0+2+4" }, { "cpus:0-3,8", "cpus:0-3+8" },
		{ "cpus:0,1,2,3,8", "cpus:0-3+8" }, { "cpus:0,1", "cpus:0+1" },
		{ "cpus:5,4,3", "cpus:5+4+3" }, { "cpus:7", "cpus:7" }, { "cpus:0+2+4", "cpus:0+2+4" },
		{ "cpus:4-4,9-11,2", "cpus:4+9-11+2" }, { "cpus:0-1023", "cpus:0-1023" },
	};
	struct topo_placement p, q;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ_INT(topo_parse_placement(NULL, cases[i].in, &p), 0);
		CHECK_STR(topo_placement_name(&p), cases[i].name);
		CHECK(!strchr(topo_placement_name(&p), ','));
		/* the canonical name parses back to the same placement */
		CHECK_EQ_INT(topo_parse_placement(NULL, topo_placement_name(&p), &q), 0);
		CHECK_EQ_INT(q.kind, p.kind);
		CHECK_EQ_INT(q.nr_cpus, p.nr_cpus);
		CHECK(!memcmp(q.cpus, p.cpus, sizeof(p.cpus[0]) * p.nr_cpus));
	}
	CHECK_EQ_INT(topo_parse_placement(NULL, "compact", &p), 0);
	CHECK_EQ_INT(p.kind, TOPO_PLACE_COMPACT);
	CHECK_EQ_INT(topo_parse_placement(NULL, "scatter", &p), 0);
	CHECK_EQ_INT(p.kind, TOPO_PLACE_SCATTER);
	CHECK_EQ_INT(topo_parse_placement(NULL, "smt", &p), 0);
	CHECK_EQ_INT(p.kind, TOPO_PLACE_SMT);
	CHECK_EQ_INT(topo_parse_placement(NULL, "cpus:4-6,1", &p), 0);
	CHECK_EQ_INT(p.kind, TOPO_PLACE_CPUS);
	CHECK_EQ_INT(p.nr_cpus, 4);
	CHECK(p.cpus[0] == 4 && p.cpus[1] == 5 && p.cpus[2] == 6 && p.cpus[3] == 1);
}

TEST(plan_print_one_line_per_thread)
{
	struct topo *t = open_syn(SYN);
	struct topo_placement p;
	struct topo_slot s[3];
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	REQUIRE(t);
	REQUIRE(topo_parse_placement(t, "cpus:9,8,30", &p) == 0);
	REQUIRE(topo_plan(t, &p, 3, false, s) == 0);
	f = open_memstream(&text, &len);
	REQUIRE(f);
	CHECK_EQ_INT(topo_plan_print(t, s, 3, f), 0);
	fclose(f);
	CHECK_STR(text,
		  "    thread 0: pu 9 (L#9) core 4 package 0 numa 1 smt-shared\n"
		  "    thread 1: pu 8 (L#8) core 4 package 0 numa 1 smt-shared\n"
		  "    thread 2: pu 30 (L#30) core 15 package 1 numa 3\n");
	free(text);
	topo_close(t);
}

/* ---- the same through an XML file, with a distance matrix ---- */

static int write_xml(const char *path, const char *desc)
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

TEST(xml_topology_plans_like_synthetic_and_has_distances)
{
	char path[] = "/tmp/dmabench-test-topo-XXXXXX.xml";
	int fd = mkstemps(path, 4);
	struct topo *t = NULL;
	int os[4], n = 0;
	uint64_t v[16];

	REQUIRE(fd >= 0);
	close(fd);
	if (write_xml(path, SYN) < 0) {
		unlink(path);
		CHECK_MSG(0, "cannot write %s", path);
		return;
	}
	CHECK_EQ_INT(open_env("HWLOC_XMLFILE", path, NULL, &t), 0);
	unlink(path);
	REQUIRE(t);
	CHECK(!topo_is_this_system(t));
	CHECK_EQ_INT(topo_nr_allowed_pus(t), 32);
	check_plan(t, "compact", 32, syn_compact);
	check_plan(t, "scatter", 32, syn_scatter);
	check_plan(t, "smt", 32, syn_smt);

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

/* ---- not this system: plan, never bind ---- */

TEST(synthetic_refuses_binding_and_allocates_unbound)
{
	struct topo *t = open_syn(SYN);
	bool bound = true;
	void *p = NULL;

	REQUIRE(t);
	CHECK_EQ_INT(topo_bind_thread(t, 0), -EOPNOTSUPP);
	CHECK_EQ_INT(topo_alloc_on_node(t, 10000, 2, &p, &bound), 0);
	REQUIRE(p);
	CHECK(!bound);
	CHECK(((uintptr_t)p & (sysconf(_SC_PAGESIZE) - 1)) == 0);
	for (size_t i = 0; i < 10000; i++)
		if (((unsigned char *)p)[i]) {
			CHECK_MSG(0, "byte %zu not zero", i);
			break;
		}
	topo_free(t, p, 10000);
	CHECK_EQ_INT(topo_alloc_on_node(t, 4096, 4, &p, &bound), -EINVAL);
	CHECK(p == NULL);
	CHECK_EQ_INT(topo_alloc_on_node(t, 0, 0, &p, &bound), -EINVAL);
	topo_close(t);
}

/* ---- this machine ---- */

static int affinity_count(cpu_set_t *set)
{
	CPU_ZERO(set);
	if (sched_getaffinity(0, sizeof(*set), set))
		return -1;
	return CPU_COUNT(set);
}

TEST(this_machine_allowed_set_is_the_affinity)
{
	struct topo *t = NULL;
	cpu_set_t set;
	int n = affinity_count(&set), pus[CPU_SETSIZE];

	REQUIRE(n > 0);
	REQUIRE(open_env(NULL, NULL, NULL, &t) == 0);
	CHECK(topo_is_this_system(t));
	CHECK_EQ_INT(topo_nr_allowed_pus(t), n);
	CHECK_EQ_INT(topo_allowed_pus(t, pus, CPU_SETSIZE), n);
	for (int i = 0; i < n && i < CPU_SETSIZE; i++)
		CHECK_MSG(CPU_ISSET(pus[i], &set), "PU %d allowed but not in affinity", pus[i]);
	CHECK(topo_nr_numa_nodes(t) >= 1);
	CHECK(topo_numa_node_exists(t, topo_first_numa_node(t)));
	topo_close(t);
}

TEST(binding_puts_the_thread_on_the_pu)
{
	struct topo *t = NULL;
	cpu_set_t saved;
	int pus[CPU_SETSIZE], n;

	REQUIRE(affinity_count(&saved) > 0);
	REQUIRE(open_env(NULL, NULL, NULL, &t) == 0);
	n = topo_allowed_pus(t, pus, CPU_SETSIZE);
	for (int i = 0; i < n; i++) {
		CHECK_EQ_INT(topo_bind_thread(t, pus[i]), 0);
		CHECK_EQ_INT(sched_getcpu(), pus[i]);
	}
	CHECK_EQ_INT(topo_bind_thread(t, topo_max_pu_os(t) + 1), -EINVAL);
	sched_setaffinity(0, sizeof(saved), &saved);
	topo_close(t);
}

struct binder {
	const struct topo *t;
	int pu, rc, now;
};

static void *bind_and_look(void *arg)
{
	struct binder *b = arg;

	b->rc = topo_bind_thread(b->t, b->pu);
	b->now = sched_getcpu();
	return NULL;
}

/* Worker threads bind themselves, at the same time, on one topology. */
TEST(threads_bind_concurrently)
{
	struct topo *t = NULL;
	struct binder b[4];
	pthread_t th[4];
	int pus[CPU_SETSIZE], n;

	REQUIRE(open_env(NULL, NULL, NULL, &t) == 0);
	n = topo_allowed_pus(t, pus, CPU_SETSIZE);
	for (int i = 0; i < 4; i++) {
		b[i] = (struct binder){ .t = t, .pu = pus[i % n], .rc = 1, .now = -1 };
		REQUIRE(pthread_create(&th[i], NULL, bind_and_look, &b[i]) == 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ_INT(b[i].rc, 0);
		CHECK_EQ_INT(b[i].now, b[i].pu);
	}
	topo_close(t);
}

/* As under `taskset -c 1`: the thread's affinity when the topology is opened. */
TEST(affinity_restricts_allowed_pus)
{
	struct topo *t = NULL;
	struct topo_placement p;
	struct topo_slot s[2];
	cpu_set_t saved, one;
	int n = affinity_count(&saved), pu = -1, rc;

	REQUIRE(n > 0);
	if (n < 2) {
		printf("# note: one allowed CPU; the affinity restriction cannot be shown here\n");
		return;
	}
	/* PU 1 if we may use it, else the second allowed CPU */
	for (int c = 0, seen = 0; c < CPU_SETSIZE && pu < 0; c++)
		if (CPU_ISSET(c, &saved) && (c == 1 || ++seen == 2))
			pu = c;
	CPU_ZERO(&one);
	CPU_SET(pu, &one);
	REQUIRE(sched_setaffinity(0, sizeof(one), &one) == 0);
	rc = open_env(NULL, NULL, NULL, &t);
	sched_setaffinity(0, sizeof(saved), &saved);
	REQUIRE(rc == 0);
	CHECK_EQ_INT(topo_nr_allowed_pus(t), 1);
	CHECK(topo_pu_allowed(t, pu));
	for (int k = 0; k < 3; k++) {
		static const char *const names[] = { "compact", "scatter", "smt" };

		REQUIRE(topo_parse_placement(t, names[k], &p) == 0);
		CHECK_EQ_INT(topo_plan(t, &p, 1, false, s), 0);
		CHECK_EQ_INT(s[0].pu_os, pu);
		CHECK_EQ_INT(topo_plan(t, &p, 2, false, s), -E2BIG);
	}
	CHECK_EQ_INT(topo_parse_placement(t, pu == 0 ? "cpus:1" : "cpus:0", &p), -EINVAL);
	/* binding elsewhere than the allowed PU is refused */
	CHECK_EQ_INT(topo_bind_thread(t, pu == 0 ? 1 : 0), -EINVAL);
	topo_close(t);
}

/* get_mempolicy(2) without libnuma: MPOL_BIND is 2, MPOL_F_ADDR 1<<1 */
static int area_policy(void *addr, unsigned long *mask)
{
	int mode = -1;

	if (syscall(SYS_get_mempolicy, &mode, mask, 8 * sizeof(*mask), addr, 1UL << 1))
		return -errno;
	return mode;
}

TEST(alloc_on_node_binds_and_zeroes)
{
	struct topo *t = NULL;
	size_t size = 3 * 4096 + 100;
	unsigned long mask = 0;
	bool bound = false;
	void *p = NULL;
	int node;

	REQUIRE(open_env(NULL, NULL, NULL, &t) == 0);
	node = topo_first_numa_node(t);
	REQUIRE(node >= 0);
	CHECK_EQ_INT(topo_alloc_on_node(t, size, node, &p, &bound), 0);
	REQUIRE(p);
	CHECK(((uintptr_t)p & (sysconf(_SC_PAGESIZE) - 1)) == 0);
	for (size_t i = 0; i < size; i++)
		if (((unsigned char *)p)[i]) {
			CHECK_MSG(0, "byte %zu not zero", i);
			break;
		}
	memset(p, 0xa5, size);			/* all of it is ours */
	/* where the kernel has NUMA policies, the binding must have taken */
	if (syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, 0) == 0) {
		CHECK(bound);
		CHECK_EQ_INT(area_policy(p, &mask), 2);
		CHECK(node < 64 && mask == 1UL << node);
	} else {
		printf("# note: no NUMA policy support in this kernel; allocation unbound\n");
		CHECK(!bound);
	}
	topo_free(t, p, size);
	CHECK_EQ_INT(topo_alloc_on_node(t, 4096, topo_nr_numa_nodes_total(t) + 100, &p, &bound), -EINVAL);
	topo_close(t);
}
