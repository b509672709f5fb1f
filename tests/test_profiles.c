/* The shipped machine profiles (profiles/NAME/): each one's topology loads,
 * its c2c.csv reads back complete with positive figures for its op, the PU
 * sets agree, and the band on it is ordered. Run from the repository root
 * (tests/run.sh does). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "harness/c2c.h"
#include "harness/costmodel.h"
#include "harness/topo.h"

static const char *const profiles[] = {
	"vm-epyc-2c", "xeon-gold-6242-2s", "epyc-7r13-2s", "graviton2",
};

static int open_profile_topo(const char *name, struct topo **t)
{
	char path[512], syn[8192];
	struct stat st;
	FILE *f;

	unsetenv("HWLOC_FSROOT");
	unsetenv("TOPO_ALLOWED");
	snprintf(path, sizeof(path), "profiles/%s/topology.xml", name);
	if (!stat(path, &st)) {
		unsetenv("HWLOC_SYNTHETIC");
		setenv("HWLOC_XMLFILE", path, 1);
		return topo_open(t);
	}
	snprintf(path, sizeof(path), "profiles/%s/topology.synthetic", name);
	f = fopen(path, "r");
	if (!f)
		return -ENOENT;
	if (!fgets(syn, sizeof(syn), f)) {
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	syn[strcspn(syn, "\n")] = 0;
	unsetenv("HWLOC_XMLFILE");
	setenv("HWLOC_SYNTHETIC", syn, 1);
	return topo_open(t);
}

TEST(every_profile_loads_whole)
{
	for (unsigned int i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct topo *t = NULL;
		struct c2c_matrix m;
		char path[512];
		enum c2c_op op;
		unsigned int bad = 0;

		snprintf(path, sizeof(path), "profiles/%s/SOURCE", profiles[i]);
		CHECK_MSG(access(path, R_OK) == 0, "%s: no SOURCE", profiles[i]);
		CHECK_MSG(open_profile_topo(profiles[i], &t) == 0, "%s: topology", profiles[i]);
		if (!t)
			continue;
		snprintf(path, sizeof(path), "profiles/%s/c2c.csv", profiles[i]);
		if (c2c_read_csv(&m, path)) {
			CHECK_MSG(0, "%s: c2c.csv does not read", profiles[i]);
			topo_close(t);
			continue;
		}
		CHECK_MSG((int)m.npus == topo_nr_allowed_pus(t), "%s: %u PUs in c2c, %d in topology",
			  profiles[i], m.npus, topo_nr_allowed_pus(t));
		CHECK_MSG(m.npairs == m.total_pairs, "%s: %u of %lu pairs", profiles[i], m.npairs,
			  m.total_pairs);
		CHECK_MSG(m.measured[C2C_OP_RMW], "%s: no rmw figures", profiles[i]);
		op = C2C_OP_RMW;
		for (unsigned int k = 0; k < m.npairs; k++) {
			double v = c2c_pair_ns(&m.pairs[k], op);

			bad += !(isfinite(v) && v > 0);
		}
		CHECK_MSG(bad == 0, "%s: %u pairs without a positive figure", profiles[i], bad);
		for (unsigned int k = 0; k < m.npus; k++) {
			struct topo_slot s;

			CHECK_MSG(topo_pu_allowed(t, m.pus[k].os), "%s: PU %d not in the topology",
				  profiles[i], m.pus[k].os);
			if (!topo_pu_info(t, m.pus[k].os, &s))
				CHECK_MSG(s.numa_node == m.pus[k].node, "%s: PU %d node %d vs %d",
					  profiles[i], m.pus[k].os, m.pus[k].node, s.numa_node);
		}
		c2c_free(&m);
		topo_close(t);
	}
	unsetenv("HWLOC_XMLFILE");
	unsetenv("HWLOC_SYNTHETIC");
}

TEST(two_socket_profiles_have_two_latency_classes)
{
	/* a cross-socket pair costs more than a same-socket one: PU 0 with its
	 * socket neighbour and with the first PU of the other socket */
	static const struct { const char *name; int same, other; } p[] = {
		{ "xeon-gold-6242-2s", 1, 16 }, { "epyc-7r13-2s", 1, 48 },
	};

	for (unsigned int i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		struct c2c_matrix m;
		char path[512];

		snprintf(path, sizeof(path), "profiles/%s/c2c.csv", p[i].name);
		REQUIRE(c2c_read_csv(&m, path) == 0);
		CHECK_MSG(c2c_round_trip_op_ns(&m, C2C_OP_RMW, 0, p[i].other) >
			  1.5 * c2c_round_trip_op_ns(&m, C2C_OP_RMW, 0, p[i].same),
			  "%s: cross-socket not above same-socket", p[i].name);
		CHECK(m.pus[0].node != m.pus[p[i].other].node || p[i].other >= (int)m.npus);
		c2c_free(&m);
	}
}
