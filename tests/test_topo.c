/*
 * tests/test_topo.c — src/harness/topo.c: loading (hwloc's environment,
 * TOPO_ALLOWED, bad sources), the counts and queries on synthetic
 * topologies (tests/topo_env.h), and binding, the allowed set and
 * node-bound memory on this machine. Placements: test_placement.c;
 * descriptions: test_topo_describe.c.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "topo_env.h"

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
