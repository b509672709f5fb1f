/* Topology, placement and binding with hwloc 2.x: see topo.h. */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <hwloc.h>
#include "harness/topo.h"

/* An allowed PU and its ranks, the keys every placement orders by. */
struct topo_pu {
	struct topo_slot where;		/* flags false */
	int node_rank;			/* among nodes with an allowed PU, by OS index */
	int core_rank;			/* among allowed cores of its node, core order */
	int sib;			/* among allowed PUs of its core */
};

struct topo_node {
	int os;
	hwloc_obj_t obj;
	int rank;			/* -1: no allowed PU */
};

struct topo {
	hwloc_topology_t hw;
	bool this_system;
	struct topo_pu *pus;		/* allowed, hwloc logical order */
	int nr_pus;
	struct topo_node *nodes;	/* every NUMA node, ascending OS index */
	int nr_nodes;
	int nr_node_ranks;		/* nodes with an allowed PU */
	struct topo_counts allowed, total;
	int max_pu_os;
	int pus_per_core;
};

static int neg_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

/* ---- "0-3,8" / "0+2+4" lists ---- */

/*
 * The next item of a list at *sp: "N" or "A-B" (A <= B), followed by ',',
 * '+' or the end. Returns 1 and the range, 0 at the end, -EINVAL on junk.
 */
static int next_range(const char **sp, int *lo, int *hi)
{
	const char *s = *sp;
	long a, b;
	char *end;

	if (!*s)
		return 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	a = strtol(s, &end, 10);
	if (errno || a > INT_MAX)
		return -EINVAL;
	b = a;
	if (*end == '-') {
		s = end + 1;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		b = strtol(s, &end, 10);
		if (errno || b > INT_MAX || b < a)
			return -EINVAL;
	}
	if (*end == ',' || *end == '+') {
		if (!end[1])
			return -EINVAL;	/* "1," */
		end++;
	} else if (*end) {
		return -EINVAL;
	}
	*sp = end;
	*lo = (int)a;
	*hi = (int)b;
	return 1;
}

static int parse_list_bitmap(const char *s, hwloc_bitmap_t set)
{
	int lo, hi, rc, n = 0;

	hwloc_bitmap_zero(set);
	while ((rc = next_range(&s, &lo, &hi)) > 0) {
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

static const struct topo_pu *find_pu(const struct topo *t, int pu_os)
{
	for (int i = 0; i < t->nr_pus; i++)
		if (t->pus[i].where.pu_os == pu_os)
			return &t->pus[i];
	return NULL;
}

bool topo_pu_allowed(const struct topo *t, int pu_os)
{
	return find_pu(t, pu_os) != NULL;
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

/* ---- distances and caches ---- */

int topo_numa_distances(const struct topo *t, int max_nodes, int *nr_nodes,
			int *node_os, uint64_t *values)
{
	struct hwloc_distances_s *d;
	unsigned nr = 1;
	int n, *perm, rc = 0;

	*nr_nodes = 0;
	if (hwloc_distances_get_by_type(t->hw, HWLOC_OBJ_NUMANODE, &nr, &d,
					HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) < 0)
		return neg_errno();
	if (nr == 0)
		return -ENOENT;
	n = (int)d->nbobjs;
	*nr_nodes = n;
	if (n > max_nodes) {
		rc = -ENOSPC;
		goto out;
	}
	/* hwloc's object order need not be OS order */
	perm = malloc(n * sizeof(int));
	if (!perm) {
		rc = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++)
		perm[i] = i;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && d->objs[perm[j - 1]]->os_index > d->objs[perm[j]]->os_index; j--) {
			int tmp = perm[j];

			perm[j] = perm[j - 1];
			perm[j - 1] = tmp;
		}
	for (int i = 0; i < n; i++) {
		node_os[i] = (int)d->objs[perm[i]]->os_index;
		for (int j = 0; j < n; j++)
			values[i * n + j] = d->values[perm[i] * n + perm[j]];
	}
	free(perm);
out:
	hwloc_distances_release(t->hw, d);
	return rc;
}

__attribute__((format(printf, 4, 5)))
static int appendf(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*pos >= len)
		return -ENOSPC;
	va_start(ap, fmt);
	w = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (w < 0)
		return -EIO;
	if ((size_t)w >= len - *pos)
		return -ENOSPC;
	*pos += w;
	return 0;
}

int topo_describe_distances(const struct topo *t, char *buf, size_t len)
{
	int n, rc, max = t->nr_nodes;
	int *os = malloc((max ? max : 1) * sizeof(int));
	uint64_t *v = malloc((size_t)(max ? max * max : 1) * sizeof(uint64_t));
	size_t pos = 0;

	if (len)
		buf[0] = '\0';
	rc = os && v ? topo_numa_distances(t, max, &n, os, v) : -ENOMEM;
	for (int i = 0; !rc && i < n; i++) {
		rc = appendf(buf, len, &pos, "%s%d:", i ? "; " : "", os[i]);
		for (int j = 0; !rc && j < n; j++)
			rc = appendf(buf, len, &pos, " %llu", (unsigned long long)v[i * n + j]);
	}
	free(os);
	free(v);
	return rc;
}

static int format_size(char *buf, size_t len, size_t *pos, uint64_t b)
{
	if (b && b % (1ULL << 30) == 0)
		return appendf(buf, len, pos, "%lluGiB", (unsigned long long)(b >> 30));
	if (b && b % (1ULL << 20) == 0)
		return appendf(buf, len, pos, "%lluMiB", (unsigned long long)(b >> 20));
	if (b && b % (1ULL << 10) == 0)
		return appendf(buf, len, pos, "%lluKiB", (unsigned long long)(b >> 10));
	return appendf(buf, len, pos, "%lluB", (unsigned long long)b);
}

int topo_describe_caches(const struct topo *t, char *buf, size_t len)
{
	static const hwloc_obj_type_t types[] = {
		HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L2ICACHE,
		HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE, HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE,
	};
	size_t pos = 0;
	int rc = 0, levels = 0;

	if (len)
		buf[0] = '\0';
	for (size_t k = 0; !rc && k < sizeof(types) / sizeof(types[0]); k++) {
		struct { uint64_t size; int count; } sz[8];
		int nsz = 0, other = 0;
		hwloc_obj_t o = NULL, first = NULL;

		while ((o = hwloc_get_next_obj_by_type(t->hw, types[k], o))) {
			int i;

			if (!first)
				first = o;
			for (i = 0; i < nsz && sz[i].size != o->attr->cache.size; i++)
				;
			if (i == nsz && nsz == (int)(sizeof(sz) / sizeof(sz[0]))) {
				other++;
				continue;
			}
			if (i == nsz)
				sz[nsz++] = (typeof(sz[0])){ o->attr->cache.size, 0 };
			sz[i].count++;
		}
		if (!first)
			continue;
		rc = appendf(buf, len, &pos, "%sL%u%s", levels++ ? ", " : "",
			     first->attr->cache.depth,
			     first->attr->cache.type == HWLOC_OBJ_CACHE_DATA ? "d" :
			     first->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION ? "i" : "");
		for (int i = 0; !rc && i < nsz; i++) {
			rc = appendf(buf, len, &pos, "%s", i ? " + " : " ");
			if (!rc)
				rc = format_size(buf, len, &pos, sz[i].size);
			if (!rc)
				rc = appendf(buf, len, &pos, " x%d", sz[i].count);
		}
		if (!rc && other)
			rc = appendf(buf, len, &pos, " + %d of other sizes", other);
	}
	if (!rc && !levels)
		rc = -ENOENT;
	return rc;
}

/* ---- placement ---- */

static int canonical_name(struct topo_placement *p)
{
	size_t pos = 0, len = sizeof(p->name);
	int rc = appendf(p->name, len, &pos, "cpus:");

	for (int i = 0; !rc && i < p->nr_cpus; ) {
		int j = i;

		while (j + 1 < p->nr_cpus && p->cpus[j + 1] == p->cpus[j] + 1)
			j++;
		if (j - i >= 2) {
			rc = appendf(p->name, len, &pos, "%s%d-%d", i ? "+" : "", p->cpus[i], p->cpus[j]);
			i = j + 1;
		} else {
			rc = appendf(p->name, len, &pos, "%s%d", i ? "+" : "", p->cpus[i]);
			i++;
		}
	}
	return rc ? -EINVAL : 0;
}

static int parse_cpus(const struct topo *t, const char *s, struct topo_placement *p)
{
	int lo, hi, rc;

	p->nr_cpus = 0;
	while ((rc = next_range(&s, &lo, &hi)) > 0) {
		for (long c = lo; c <= hi; c++) {
			if (p->nr_cpus == TOPO_PLACEMENT_MAX_CPUS)
				return -EINVAL;
			for (int k = 0; k < p->nr_cpus; k++)
				if (p->cpus[k] == c)
					return -EINVAL;
			if (t && !topo_pu_allowed(t, (int)c))
				return -EINVAL;
			p->cpus[p->nr_cpus++] = (int)c;
		}
	}
	if (rc < 0 || p->nr_cpus == 0)
		return -EINVAL;
	return canonical_name(p);
}

int topo_parse_placement(const struct topo *t, const char *s, struct topo_placement *out)
{
	static const struct { const char *name; enum topo_placement_kind kind; } words[] = {
		{ "compact", TOPO_PLACE_COMPACT },
		{ "scatter", TOPO_PLACE_SCATTER },
		{ "smt", TOPO_PLACE_SMT },
	};
	int rc;

	if (!s || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!strcmp(s, words[i].name)) {
			out->kind = words[i].kind;
			snprintf(out->name, sizeof(out->name), "%s", words[i].name);
			return 0;
		}
	}
	if (strncmp(s, "cpus:", 5))
		return -EINVAL;
	out->kind = TOPO_PLACE_CPUS;
	rc = parse_cpus(t, s + 5, out);
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}

const char *topo_placement_name(const struct topo_placement *p)
{
	return p->name;
}

int topo_placement_max_threads(const struct topo *t, const struct topo_placement *p)
{
	return p->kind == TOPO_PLACE_CPUS ? p->nr_cpus : t->nr_pus;
}

/* compact: node, then sibling rank, then core (one PU per core first) */
static int cmp_compact(const void *a, const void *b)
{
	const struct topo_pu *x = *(const struct topo_pu *const *)a;
	const struct topo_pu *y = *(const struct topo_pu *const *)b;

	if (x->node_rank != y->node_rank)
		return x->node_rank - y->node_rank;
	if (x->sib != y->sib)
		return x->sib - y->sib;
	if (x->core_rank != y->core_rank)
		return x->core_rank - y->core_rank;
	return x->where.pu_logical - y->where.pu_logical;
}

/* smt: node, then core, then sibling (a whole core before the next) */
static int cmp_smt(const void *a, const void *b)
{
	const struct topo_pu *x = *(const struct topo_pu *const *)a;
	const struct topo_pu *y = *(const struct topo_pu *const *)b;

	if (x->node_rank != y->node_rank)
		return x->node_rank - y->node_rank;
	if (x->core_rank != y->core_rank)
		return x->core_rank - y->core_rank;
	if (x->sib != y->sib)
		return x->sib - y->sib;
	return x->where.pu_logical - y->where.pu_logical;
}

/*
 * scatter: compact order cut into one queue per (node, package), dealt
 * round-robin. The queues are dealt in the order (their rank among the
 * queues of their package, package), so that with two packages or more the
 * first two threads are on different packages (a 2-thread cross-socket
 * point), then on different nodes of those, and so on.
 */
static int deal_scatter(const struct topo *t, const struct topo_pu **order)
{
	int n = t->nr_pus, nq = 0, done = 0, rc = -ENOMEM;
	int *qof = malloc(n * sizeof(int)), *qnode = malloc(n * sizeof(int)), *qpkg = malloc(n * sizeof(int));
	int *qrank = malloc(n * sizeof(int)), *qorder = malloc(n * sizeof(int)), *taken = calloc(n, sizeof(int));
	const struct topo_pu **sorted = malloc(n * sizeof(*sorted));

	if (!qof || !qnode || !qpkg || !qrank || !qorder || !taken || !sorted)
		goto out;
	memcpy(sorted, order, n * sizeof(*sorted));
	for (int i = 0; i < n; i++) {
		int q;

		for (q = 0; q < nq; q++)
			if (qnode[q] == sorted[i]->node_rank && qpkg[q] == sorted[i]->where.package)
				break;
		if (q == nq) {
			qnode[nq] = sorted[i]->node_rank;
			qpkg[nq] = sorted[i]->where.package;
			qrank[nq] = 0;
			for (int k = 0; k < nq; k++)
				qrank[nq] += qpkg[k] == qpkg[nq];
			nq++;
		}
		qof[i] = q;
	}
	/* queue order: (rank within the package, package, first appearance) */
	for (int q = 0; q < nq; q++)
		qorder[q] = q;
	for (int a = 1; a < nq; a++)
		for (int b = a; b > 0; b--) {
			int x = qorder[b - 1], y = qorder[b];

			if (qrank[x] < qrank[y] || (qrank[x] == qrank[y] &&
			    (qpkg[x] < qpkg[y] || (qpkg[x] == qpkg[y] && x < y))))
				break;
			qorder[b - 1] = y;
			qorder[b] = x;
		}
	while (done < n) {
		bool any = false;

		for (int k = 0; k < nq && done < n; k++) {
			int q = qorder[k];

			/* the next PU of queue q in compact order */
			for (int i = 0, seen = 0; i < n; i++) {
				if (qof[i] != q)
					continue;
				if (seen++ == taken[q]) {
					order[done++] = sorted[i];
					taken[q]++;
					any = true;
					break;
				}
			}
		}
		if (!any)
			break;
	}
	rc = 0;
out:
	free(qof);
	free(qnode);
	free(qpkg);
	free(qrank);
	free(qorder);
	free(taken);
	free(sorted);
	return rc;
}

/* qsort_r orders of slot indexes: by PU; by core, then PU */
static int cmp_slot_pu(const void *a, const void *b, void *arg)
{
	const struct topo_slot *s = arg;
	int x = s[*(const int *)a].pu_os, y = s[*(const int *)b].pu_os;

	return (x > y) - (x < y);
}

static int cmp_slot_core(const void *a, const void *b, void *arg)
{
	const struct topo_slot *s = arg;
	const struct topo_slot *x = &s[*(const int *)a], *y = &s[*(const int *)b];

	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	return cmp_slot_pu(a, b, arg);
}

/*
 * oversubscribed: another slot has the same PU; smt_shared: another slot is
 * on another PU of the same core. Sorted, not pairwise: --threads=all on
 * 4096 PUs plans 4096 configurations, and n^2 pairs each took minutes.
 */
static int mark_shared(struct topo_slot *out, int n)
{
	int *idx = malloc((size_t)n * sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_slot_pu, out);
	for (int k = 0; k < n; k++)
		out[idx[k]].oversubscribed = (k > 0 && out[idx[k - 1]].pu_os == out[idx[k]].pu_os) ||
					     (k + 1 < n && out[idx[k + 1]].pu_os == out[idx[k]].pu_os);
	qsort_r(idx, n, sizeof(*idx), cmp_slot_core, out);
	for (int b = 0, e; b < n; b = e) {	/* runs of one core */
		bool two_pus = false;

		for (e = b + 1; e < n && out[idx[e]].core == out[idx[b]].core; e++)
			two_pus |= out[idx[e]].pu_os != out[idx[b]].pu_os;
		for (int k = b; k < e; k++)
			out[idx[k]].smt_shared = two_pus && out[idx[k]].core >= 0;
	}
	free(idx);
	return 0;
}

int topo_plan(const struct topo *t, const struct topo_placement *p, int nthreads,
	      bool oversubscribe, struct topo_slot *out)
{
	const struct topo_pu **order;
	int m, rc = 0;

	if (!t || !p || !out || nthreads < 1)
		return -EINVAL;
	m = p->kind == TOPO_PLACE_CPUS ? p->nr_cpus : t->nr_pus;
	if (m < 1)
		return -EINVAL;
	order = malloc(m * sizeof(*order));
	if (!order)
		return -ENOMEM;

	switch (p->kind) {
	case TOPO_PLACE_CPUS:
		for (int i = 0; i < m; i++) {
			order[i] = find_pu(t, p->cpus[i]);
			if (!order[i]) {
				rc = -EINVAL;
				goto out;
			}
		}
		break;
	case TOPO_PLACE_COMPACT:
	case TOPO_PLACE_SCATTER:
	case TOPO_PLACE_SMT:
		for (int i = 0; i < m; i++)
			order[i] = &t->pus[i];
		qsort(order, m, sizeof(*order), p->kind == TOPO_PLACE_SMT ? cmp_smt : cmp_compact);
		if (p->kind == TOPO_PLACE_SCATTER && (rc = deal_scatter(t, order)))
			goto out;
		break;
	default:
		rc = -EINVAL;
		goto out;
	}
	if (nthreads > m && !oversubscribe) {
		rc = -E2BIG;
		goto out;
	}

	for (int i = 0; i < nthreads; i++)
		out[i] = order[i % m]->where;
	rc = mark_shared(out, nthreads);
out:
	free(order);
	return rc;
}

int topo_plan_nodes_used(const struct topo_slot *slots, int n)
{
	int used = 0;

	for (int i = 0; i < n; i++) {
		int j;

		for (j = 0; j < i && slots[j].numa_node != slots[i].numa_node; j++)
			;
		if (j == i)
			used++;
	}
	return used;
}

int topo_plan_print(const struct topo *t, const struct topo_slot *slots, int n, FILE *f)
{
	(void)t;
	for (int i = 0; i < n; i++) {
		const struct topo_slot *s = &slots[i];

		fprintf(f, "    thread %d: pu %d (L#%d) core %d package %d numa %d%s%s\n",
			i, s->pu_os, s->pu_logical, s->core, s->package, s->numa_node,
			s->smt_shared ? " smt-shared" : "",
			s->oversubscribed ? " oversubscribed" : "");
	}
	return ferror(f) ? -EIO : 0;
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

int topo_current_pu(void)
{
	int cpu = sched_getcpu();

	return cpu >= 0 ? cpu : neg_errno();
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

int topo_export_xml(const struct topo *t, char **buf, size_t *len)
{
	char *xml = NULL;
	int n = 0;

	if (!t || !buf || !len)
		return -EINVAL;
	if (hwloc_topology_export_xmlbuffer(t->hw, &xml, &n, 0) < 0 || !xml || n < 1)
		return errno ? -errno : -EIO;
	*len = (size_t)n - 1;			/* n counts the NUL */
	*buf = malloc((size_t)n);
	if (*buf)
		memcpy(*buf, xml, (size_t)n);
	hwloc_free_xmlbuffer(t->hw, xml);
	return *buf ? 0 : -ENOMEM;
}
