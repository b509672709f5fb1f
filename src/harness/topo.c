/*
 * Loading the topology (hwloc 2.x), the allowed PUs and their ranks, the
 * queries on them, binding threads and allocating NUMA memory: see topo.h.
 * Placements are planned in placement.c, descriptions written in
 * topo_describe.c, both over the struct topo built here (topo_internal.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "harness/topo_internal.h"

/* TOPO_ALLOWED: a cpus: list as a bitmap */
static int parse_list_bitmap(const char *s, hwloc_bitmap_t set)
{
	int lo, hi, rc, n = 0;

	hwloc_bitmap_zero(set);
	while ((rc = topo_next_range(&s, &lo, &hi)) > 0) {
		if (hwloc_bitmap_set_range(set, (unsigned)lo, hi) < 0)
			return -ENOMEM;
		n++;
	}
	return rc < 0 || n == 0 ? -EINVAL : 0;
}

/* ---- open ---- */

static int cmp_node(const void *a, const void *b)
{
	const struct topo_node *x = a, *y = b;

	return (x->os > y->os) - (x->os < y->os);
}

static int nbobjs(hwloc_topology_t hw, hwloc_obj_type_t type)
{
	int n = hwloc_get_nbobjs_by_type(hw, type);

	return n > 0 ? n : 0;
}

/* The allowed cpuset: see topo.h. */
static int allowed_cpuset(struct topo *t, hwloc_bitmap_t allowed)
{
	const char *env = getenv("TOPO_ALLOWED");
	hwloc_bitmap_t tmp = hwloc_bitmap_alloc();
	int rc = 0;

	if (!tmp)
		return -ENOMEM;
	if (hwloc_bitmap_copy(allowed, hwloc_topology_get_allowed_cpuset(t->hw)) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	/* the calling thread's affinity: hwloc's per-process view may be the
	 * union over threads, which is not what taskset/sched_setaffinity set */
	if (t->this_system && hwloc_get_cpubind(t->hw, tmp, HWLOC_CPUBIND_THREAD) == 0)
		hwloc_bitmap_and(allowed, allowed, tmp);
	if (env && *env) {
		rc = parse_list_bitmap(env, tmp);
		if (rc)
			goto out;
		hwloc_bitmap_and(allowed, allowed, tmp);
	}
out:
	hwloc_bitmap_free(tmp);
	return rc;
}

static int build_nodes(struct topo *t)
{
	hwloc_obj_t o = NULL;
	int i = 0;

	t->nr_nodes = nbobjs(t->hw, HWLOC_OBJ_NUMANODE);
	t->nodes = calloc(t->nr_nodes ? t->nr_nodes : 1, sizeof(*t->nodes));
	if (!t->nodes)
		return -ENOMEM;
	while ((o = hwloc_get_next_obj_by_type(t->hw, HWLOC_OBJ_NUMANODE, o)) && i < t->nr_nodes)
		t->nodes[i++] = (struct topo_node){ .os = (int)o->os_index, .obj = o, .rank = -1 };
	t->nr_nodes = i;
	qsort(t->nodes, t->nr_nodes, sizeof(*t->nodes), cmp_node);
	return 0;
}

static int node_of(const struct topo *t, unsigned pu_os)
{
	for (int i = 0; i < t->nr_nodes; i++)
		if (t->nodes[i].obj->cpuset && hwloc_bitmap_isset(t->nodes[i].obj->cpuset, pu_os))
			return i;
	return -1;
}

static void slot_of(const struct topo *t, hwloc_obj_t pu, struct topo_slot *s)
{
	hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t->hw, HWLOC_OBJ_CORE, pu);
	hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(t->hw, HWLOC_OBJ_PACKAGE, pu);
	int n = node_of(t, pu->os_index);

	*s = (struct topo_slot){
		.pu_os = (int)pu->os_index,
		.pu_logical = (int)pu->logical_index,
		.core = core ? (int)core->logical_index : -1,
		.package = pkg ? (int)pkg->logical_index : -1,
		.numa_node = n >= 0 ? t->nodes[n].os : -1,
	};
}

/* The allowed PUs with their ranks, and the counts. */
static int build_pus(struct topo *t, hwloc_const_bitmap_t allowed)
{
	int ncores = nbobjs(t->hw, HWLOC_OBJ_CORE), npkgs = nbobjs(t->hw, HWLOC_OBJ_PACKAGE);
	int npus = nbobjs(t->hw, HWLOC_OBJ_PU);
	int nkeys = ncores + npus;
	int *sibs = calloc(nkeys, sizeof(int)), *core_rank = malloc(nkeys * sizeof(int));
	int *next_core = calloc(t->nr_nodes + 1, sizeof(int));
	bool *pkg_seen = calloc(npkgs + 1, sizeof(bool));
	hwloc_obj_t o = NULL;
	int rc = -ENOMEM;

	t->pus = calloc(npus ? npus : 1, sizeof(*t->pus));
	if (!sibs || !core_rank || !next_core || !pkg_seen || !t->pus)
		goto out;
	for (int k = 0; k < nkeys; k++)
		core_rank[k] = -1;

	/* two PUs with one OS index (a hand-edited XML): binding could not tell
	 * them apart, and every plan would be oversubscribed without a word */
	{
		hwloc_bitmap_t seen = hwloc_bitmap_alloc();

		if (!seen)
			goto out;
		while ((o = hwloc_get_next_obj_by_type(t->hw, HWLOC_OBJ_PU, o))) {
			if (hwloc_bitmap_isset(seen, o->os_index)) {
				hwloc_bitmap_free(seen);
				rc = -ENOTUNIQ;
				goto out;
			}
			hwloc_bitmap_set(seen, o->os_index);
		}
		hwloc_bitmap_free(seen);
	}
	t->total = (struct topo_counts){ .pus = npus, .cores = ncores, .packages = npkgs,
					 .numa_nodes = t->nr_nodes };
	t->max_pu_os = -1;
	t->pus_per_core = 1;
	while ((o = hwloc_get_next_obj_by_type(t->hw, HWLOC_OBJ_CORE, o))) {
		int w = hwloc_get_nbobjs_inside_cpuset_by_type(t->hw, o->cpuset, HWLOC_OBJ_PU);

		if (w > t->pus_per_core)
			t->pus_per_core = w;
	}

	/* node ranks first: a rank counts only nodes with an allowed PU */
	while ((o = hwloc_get_next_obj_by_type(t->hw, HWLOC_OBJ_PU, o))) {
		int n;

		if ((int)o->os_index > t->max_pu_os)
			t->max_pu_os = (int)o->os_index;
		if (!hwloc_bitmap_isset(allowed, o->os_index))
			continue;
		n = node_of(t, o->os_index);
		if (n >= 0)
			t->nodes[n].rank = 0;
	}
	for (int i = 0; i < t->nr_nodes; i++)
		if (t->nodes[i].rank == 0)
			t->nodes[i].rank = t->nr_node_ranks++;

	o = NULL;
	while ((o = hwloc_get_next_obj_by_type(t->hw, HWLOC_OBJ_PU, o)) && t->nr_pus < npus) {
		struct topo_pu *p = &t->pus[t->nr_pus];
		int n, key, nrank;

		if (!hwloc_bitmap_isset(allowed, o->os_index))
			continue;
		slot_of(t, o, &p->where);
		n = node_of(t, o->os_index);
		/* a PU in no node (hwloc 2 always gives one) ranks after all nodes */
		nrank = n >= 0 ? t->nodes[n].rank : t->nr_node_ranks;
		p->node_rank = nrank;
		/* no core level: every PU is its own core */
		key = p->where.core >= 0 ? p->where.core : ncores + p->where.pu_logical;
		p->sib = sibs[key]++;
		if (core_rank[key] < 0) {
			core_rank[key] = next_core[nrank]++;
			if (p->where.core >= 0)
				t->allowed.cores++;
		}
		p->core_rank = core_rank[key];
		if (p->where.package >= 0 && p->where.package < npkgs && !pkg_seen[p->where.package]) {
			pkg_seen[p->where.package] = true;
			t->allowed.packages++;
		}
		t->nr_pus++;
	}
	t->allowed.pus = t->nr_pus;
	t->allowed.numa_nodes = t->nr_node_ranks;
	rc = t->nr_pus ? 0 : -ENODEV;
out:
	free(sibs);
	free(core_rank);
	free(next_core);
	free(pkg_seen);
	return rc;
}

/*
 * hwloc_topology_load() reads HWLOC_SYNTHETIC and HWLOC_XMLFILE itself, but
 * when the description is bad or the file missing it quietly discovers this
 * machine instead: a typo would plan (and bind!) on the wrong topology. So
 * set them here, in hwloc's precedence, and let an error be one. HWLOC_FSROOT
 * (first in that precedence) stays hwloc's: the Linux backend reads it.
 */
static int set_source(hwloc_topology_t hw)
{
	const char *fsroot = getenv("HWLOC_FSROOT");
	const char *syn = getenv("HWLOC_SYNTHETIC");
	const char *xml = getenv("HWLOC_XMLFILE");

	if (fsroot && *fsroot)
		return 0;
	if (syn && *syn)
		return hwloc_topology_set_synthetic(hw, syn) < 0 ? -EINVAL : 0;
	if (xml && *xml) {
		struct stat st;

		if (access(xml, R_OK) < 0 || stat(xml, &st) < 0)
			return neg_errno();
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		/* hwloc holds the parsed XML in memory: 100 MB of it takes ~2 GB */
		if (S_ISREG(st.st_mode) && st.st_size > TOPO_XML_MAX_BYTES)
			return -EFBIG;
		return hwloc_topology_set_xml(hw, xml) < 0 ? neg_errno() : 0;
	}
	return 0;
}

int topo_open(struct topo **out)
{
	struct topo *t = calloc(1, sizeof(*t));
	hwloc_bitmap_t allowed = hwloc_bitmap_alloc();
	int rc;

	*out = NULL;
	if (!t || !allowed) {
		rc = -ENOMEM;
		goto fail;
	}
	if (hwloc_topology_init(&t->hw) < 0) {
		rc = neg_errno();
		goto fail;
	}
	rc = set_source(t->hw);
	if (rc) {
		hwloc_topology_destroy(t->hw);
		t->hw = NULL;
		goto fail;
	}
	if (hwloc_topology_set_flags(t->hw, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED) < 0 ||
	    hwloc_topology_set_icache_types_filter(t->hw, HWLOC_TYPE_FILTER_KEEP_ALL) < 0 ||
	    hwloc_topology_load(t->hw) < 0) {
		rc = neg_errno();
		hwloc_topology_destroy(t->hw);
		t->hw = NULL;
		goto fail;
	}
	t->this_system = hwloc_topology_is_thissystem(t->hw);
	rc = allowed_cpuset(t, allowed);
	if (!rc)
		rc = build_nodes(t);
	if (!rc)
		rc = build_pus(t, allowed);
	if (rc)
		goto fail;
	hwloc_bitmap_free(allowed);
	*out = t;
	return 0;
fail:
	hwloc_bitmap_free(allowed);
	topo_close(t);
	return rc;
}

void topo_close(struct topo *t)
{
	if (!t)
		return;
	if (t->hw)
		hwloc_topology_destroy(t->hw);
	free(t->pus);
	free(t->nodes);
	free(t);
}

bool topo_is_this_system(const struct topo *t)
{
	return t->this_system;
}

/* ---- counts and queries ---- */

void topo_get_counts(const struct topo *t, struct topo_counts *allowed, struct topo_counts *total)
{
	if (allowed)
		*allowed = t->allowed;
	if (total)
		*total = t->total;
}

int topo_nr_allowed_pus(const struct topo *t)
{
	return t->nr_pus;
}

int topo_nr_numa_nodes(const struct topo *t)
{
	return t->nr_node_ranks;
}

int topo_nr_numa_nodes_total(const struct topo *t)
{
	return t->nr_nodes;
}

int topo_max_pu_os(const struct topo *t)
{
	return t->max_pu_os;
}

int topo_pus_per_core(const struct topo *t)
{
	return t->pus_per_core;
}

const struct topo_pu *topo_find_pu(const struct topo *t, int pu_os)
{
	for (int i = 0; i < t->nr_pus; i++)
		if (t->pus[i].where.pu_os == pu_os)
			return &t->pus[i];
	return NULL;
}

bool topo_pu_allowed(const struct topo *t, int pu_os)
{
	return topo_find_pu(t, pu_os) != NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int topo_allowed_pus(const struct topo *t, int *pu_os, int max)
{
	int *all = malloc(t->nr_pus * sizeof(int));

	if (!all)
		return -ENOMEM;
	for (int i = 0; i < t->nr_pus; i++)
		all[i] = t->pus[i].where.pu_os;
	qsort(all, t->nr_pus, sizeof(int), cmp_int);
	for (int i = 0; i < t->nr_pus && i < max; i++)
		pu_os[i] = all[i];
	free(all);
	return t->nr_pus;
}

bool topo_numa_node_exists(const struct topo *t, int node_os)
{
	hwloc_const_nodeset_t mem = hwloc_topology_get_allowed_nodeset(t->hw);

	if (node_os < 0)
		return false;
	for (int i = 0; i < t->nr_nodes; i++)
		if (t->nodes[i].os == node_os)
			return hwloc_bitmap_isset(mem, (unsigned)node_os);
	return false;
}

int topo_first_numa_node(const struct topo *t)
{
	for (int i = 0; i < t->nr_nodes; i++)
		if (t->nodes[i].rank >= 0 && topo_numa_node_exists(t, t->nodes[i].os))
			return t->nodes[i].os;
	for (int i = 0; i < t->nr_nodes; i++)
		if (topo_numa_node_exists(t, t->nodes[i].os))
			return t->nodes[i].os;
	return -ENOENT;
}

int topo_pu_info(const struct topo *t, int pu_os, struct topo_slot *out)
{
	hwloc_obj_t pu;

	if (pu_os < 0)
		return -ENOENT;
	pu = hwloc_get_pu_obj_by_os_index(t->hw, (unsigned)pu_os);
	if (!pu)
		return -ENOENT;
	slot_of(t, pu, out);
	return 0;
}

/* ---- binding ---- */

/* Test hook (topo.h): DMABENCH_FAIL_BIND set and not "0". */
static bool fail_bind(void)
{
	const char *v = getenv("DMABENCH_FAIL_BIND");

	return v && *v && strcmp(v, "0");
}

int topo_bind_thread(const struct topo *t, int pu_os)
{
	hwloc_bitmap_t set;
	int rc;

	if (!t->this_system)
		return -EOPNOTSUPP;
	if (!topo_pu_allowed(t, pu_os))
		return -EINVAL;
	if (fail_bind())
		return -EPERM;
	set = hwloc_bitmap_alloc();
	if (!set)
		return -ENOMEM;
	hwloc_bitmap_only(set, (unsigned)pu_os);
	rc = hwloc_set_cpubind(t->hw, set, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT);
	if (rc < 0 && (errno == ENOSYS || errno == EXDEV))
		rc = hwloc_set_cpubind(t->hw, set, HWLOC_CPUBIND_THREAD);
	if (rc < 0)
		rc = neg_errno();
	hwloc_bitmap_free(set);
	return rc;
}

int topo_alloc_on_node(const struct topo *t, size_t size, int node_os, void **out, bool *bound)
{
	void *p = NULL;

	if (!out || !bound)
		return -EINVAL;
	*out = NULL;
	*bound = false;
	if (!size || !topo_numa_node_exists(t, node_os))
		return -EINVAL;
	if (t->this_system) {
		hwloc_bitmap_t set = hwloc_bitmap_alloc();

		if (!set)
			return -ENOMEM;
		hwloc_bitmap_only(set, (unsigned)node_os);
		p = hwloc_alloc_membind(t->hw, size, set, HWLOC_MEMBIND_BIND,
					HWLOC_MEMBIND_BYNODESET | HWLOC_MEMBIND_STRICT);
		hwloc_bitmap_free(set);
		if (!p && errno == ENOMEM)
			return -ENOMEM;
		*bound = p != NULL;
	}
	/* binding unsupported or refused (ENOSYS, EXDEV, a kernel without
	 * NUMA): the memory still works, the caller reports it unbound */
	if (!p)
		p = hwloc_alloc(t->hw, size);
	if (!p)
		return -ENOMEM;
	memset(p, 0, size);
	*out = p;
	return 0;
}

void topo_free(const struct topo *t, void *p, size_t size)
{
	if (p)
		hwloc_free(t->hw, p, size);
}
