/*
 * tests/test_placement.c — src/harness/placement.c: parsing placements and
 * planning them, on hwloc synthetic topologies and an XML file exported from
 * one (tests/topo_env.h), against hand-written PU lists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "topo_env.h"

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

/* ---- the same through an XML file ---- */

TEST(xml_topology_plans_like_synthetic)
{
	struct topo *t = NULL;

	REQUIRE(open_xml(SYN, &t) == 0);
	CHECK(!topo_is_this_system(t));
	CHECK_EQ_INT(topo_nr_allowed_pus(t), 32);
	check_plan(t, "compact", 32, syn_compact);
	check_plan(t, "scatter", 32, syn_scatter);
	check_plan(t, "smt", 32, syn_smt);
	topo_close(t);
}
