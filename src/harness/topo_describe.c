/*
 * Describing the loaded topology for a run's records: the NUMA distance
 * matrix, the caches, the CPU model, the allowed PU list (machine.txt, via
 * machine.c) and the whole topology as XML (topology.xml). The contract is
 * in topo.h; these are read-only on a loaded topology, any thread.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "harness/topo_internal.h"

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

static int format_size(char *buf, size_t len, size_t *pos, uint64_t b)
{
	if (b && b % (1ULL << 30) == 0)
		return topo_appendf(buf, len, pos, "%lluGiB", (unsigned long long)(b >> 30));
	if (b && b % (1ULL << 20) == 0)
		return topo_appendf(buf, len, pos, "%lluMiB", (unsigned long long)(b >> 20));
	if (b && b % (1ULL << 10) == 0)
		return topo_appendf(buf, len, pos, "%lluKiB", (unsigned long long)(b >> 10));
	return topo_appendf(buf, len, pos, "%lluB", (unsigned long long)b);
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
		rc = topo_appendf(buf, len, &pos, "%sL%u%s", levels++ ? ", " : "",
			     first->attr->cache.depth,
			     first->attr->cache.type == HWLOC_OBJ_CACHE_DATA ? "d" :
			     first->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION ? "i" : "");
		for (int i = 0; !rc && i < nsz; i++) {
			rc = topo_appendf(buf, len, &pos, "%s", i ? " + " : " ");
			if (!rc)
				rc = format_size(buf, len, &pos, sz[i].size);
			if (!rc)
				rc = topo_appendf(buf, len, &pos, " x%d", sz[i].count);
		}
		if (!rc && other)
			rc = topo_appendf(buf, len, &pos, " + %d of other sizes", other);
	}
	if (!rc && !levels)
		rc = -ENOENT;
	return rc;
}

int topo_numa_node_ids(const struct topo *t, int *node_os, int max)
{
	for (int i = 0; i < t->nr_nodes && i < max; i++)
		node_os[i] = t->nodes[i].os;
	return t->nr_nodes;
}

const char *topo_cpu_info(const struct topo *t, const char *name)
{
	hwloc_obj_t o = NULL;
	const char *v;

	/* the package carries CPUModel on x86; some platforms put it on the root */
	while ((o = hwloc_get_next_obj_by_type(t->hw, HWLOC_OBJ_PACKAGE, o)))
		if ((v = hwloc_obj_get_info_by_name(o, name)) && *v)
			return v;
	v = hwloc_obj_get_info_by_name(hwloc_get_root_obj(t->hw), name);
	return v && *v ? v : NULL;
}

int topo_describe_allowed(const struct topo *t, char *buf, size_t len)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int n;

	if (len)
		buf[0] = '\0';
	if (!set)
		return -ENOMEM;
	for (int i = 0; i < t->nr_pus; i++)
		hwloc_bitmap_set(set, (unsigned)t->pus[i].where.pu_os);
	n = hwloc_bitmap_list_snprintf(buf, len, set);
	hwloc_bitmap_free(set);
	if (n < 0)
		return -EIO;
	return (size_t)n < len ? 0 : -ENOSPC;
}

/* ---- topology.xml ---- */

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
