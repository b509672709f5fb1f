/*
 * src/harness/topo.h — the machine's topology (hwloc 2.x), where threads go,
 * and binding threads and memory there. One header for three files:
 * topo.c loads the topology, answers the queries, binds threads and
 * allocates NUMA memory; placement.c parses placements and plans them;
 * topo_describe.c describes the topology (distances, caches, CPU, allowed
 * PUs, XML) for machine.txt and topology.xml. The only hwloc load in
 * dmabench is topo_open(): machine.c asks the struct topo it is given.
 *
 * Source. topo_open() loads the topology the way hwloc does by default, so
 * hwloc's own environment variables work: HWLOC_SYNTHETIC="pack:2 numa:2
 * core:4 pu:2", HWLOC_XMLFILE=file.xml, HWLOC_FSROOT=dir (precedence is
 * hwloc's: FSROOT, then SYNTHETIC, then XMLFILE). Disallowed (cgroup) PUs are
 * loaded too, so "total" counts describe the machine.
 *
 * This system or not. A synthetic or XML topology does not describe this
 * machine (hwloc_topology_is_thissystem(), which HWLOC_THISSYSTEM=1
 * overrides): it can be queried and planned on (--dry-run), but
 * topo_bind_thread() refuses with -EOPNOTSUPP and topo_alloc_on_node()
 * never binds. Check topo_is_this_system() before a real run.
 *
 * Allowed PUs. Only these are counted as "allowed" and used by placements:
 *   this system: hwloc's allowed cpuset (cgroups) AND the calling thread's
 *     CPU affinity at topo_open() (taskset, sched_setaffinity): open the
 *     topology before binding the opening thread anywhere;
 *   synthetic / XML: every PU of the topology;
 *   either: AND the list in the environment variable TOPO_ALLOWED, if set
 *     ("1", "0-3,8": the cpus: syntax below), which is how a test or a
 *     --dry-run restricts a synthetic topology as taskset restricts a real one.
 *
 * Indexes. pu_os is the OS index (Linux CPU number: sched_getcpu(), taskset);
 * NUMA nodes are named by OS index (numactl, mbind); cores and packages by
 * hwloc logical index (unique and dense; a core's OS index is only unique
 * within its package).
 *
 * Placements (topo_plan), over allowed PUs only; "node order" is ascending
 * NUMA node OS index, counting nodes with an allowed PU; a PU belongs to the
 * first node (in that order) whose cpuset holds it; "core order" is hwloc
 * logical order; a core's first allowed PU is rank 0, its SMT siblings 1, 2..
 *   compact  fills one NUMA node before the next; within a node, one PU per
 *            core (rank 0 of every core in core order) before any SMT
 *            sibling (then rank 1 of every core, ...). So the number of
 *            nodes used is the fewest possible for the thread count, and SMT
 *            siblings are used only when the current node has no free core.
 *            (Not: one PU per core on every node before any sibling — that
 *            would spread over nodes while a node still has free PUs.)
 *   scatter  deals threads round-robin over the (NUMA node, package)
 *            pairs, skipping those that are full, in the order (rank among
 *            the pairs of its package, package): with two packages or more
 *            threads 0 and 1 are on different packages (nodes 0, 1 on
 *            package 0 and 2, 3 on package 1 deal 0, 2, 1, 3); within a
 *            pair, the same order as compact (one PU per core, then
 *            siblings). Uses as many nodes as possible.
 *   smt      fills SMT siblings first: every allowed PU of a core, then the
 *            next core, in node order then core order.
 *   cpus:L   exactly the listed OS indexes, in the listed order.
 * More threads than PUs (allowed PUs, or the cpus: list): -E2BIG, unless
 * oversubscribe, then thread i takes the PU of thread i mod n and every
 * thread sharing a PU is marked oversubscribed.
 *
 * Contract. Library code: returns 0 or a negative errno, never prints
 * (topo_plan_print writes only to the FILE * it is given) or exits.
 * topo_open()/topo_close() belong to one thread; between them the topology
 * is read-only and every other function may be called from any thread
 * concurrently. topo_open() costs a hwloc load (milliseconds on a real
 * machine); queries are O(PUs) or less; nothing here is for a hot loop.
 */
#ifndef DMABENCH_HARNESS_TOPO_H
#define DMABENCH_HARNESS_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct topo;

/*
 * Load the topology (see above). -ENOMEM, -EINVAL (hwloc refused the
 * description in HWLOC_SYNTHETIC/HWLOC_XMLFILE, or TOPO_ALLOWED does not
 * parse), -ENODEV (no allowed PU is left), -ENOTUNIQ (two PUs with one OS index), -EFBIG (HWLOC_XMLFILE is a file
 * larger than TOPO_XML_MAX_BYTES: hwloc would hold ~20 times that in
 * memory), -EISDIR, access()'s errno for an unreadable XML file, or hwloc's.
 */
#define TOPO_XML_MAX_BYTES	(32L << 20)
int topo_open(struct topo **out);
void topo_close(struct topo *t);		/* NULL is fine */

bool topo_is_this_system(const struct topo *t);

/* ---- counts and queries ---- */

struct topo_counts {
	int pus;
	int cores;		/* 0 when the topology has no core level */
	int packages;		/* 0 when it has no package level */
	int numa_nodes;
};

/* allowed: objects holding at least one allowed PU; total: the whole
 * topology (disallowed included). Either pointer may be NULL. */
void topo_get_counts(const struct topo *t, struct topo_counts *allowed,
		     struct topo_counts *total);
int topo_nr_allowed_pus(const struct topo *t);
int topo_nr_numa_nodes(const struct topo *t);		/* with an allowed PU */
int topo_nr_numa_nodes_total(const struct topo *t);
/* The highest PU OS index in the topology (for per-CPU arrays: +1 entries). */
int topo_max_pu_os(const struct topo *t);
/* The most PUs any core has (1: no SMT), over the whole topology. */
int topo_pus_per_core(const struct topo *t);

/* The allowed PUs' OS indexes, ascending, into pu_os[0..max). Returns how
 * many there are (which may exceed max: then only max were written). */
int topo_allowed_pus(const struct topo *t, int *pu_os, int max);
bool topo_pu_allowed(const struct topo *t, int pu_os);

/* A NUMA node with this OS index exists and its memory is allowed (a home
 * node may be a memory-only node). */
bool topo_numa_node_exists(const struct topo *t, int node_os);
/* The lowest OS index of a node with an allowed PU (or, if none has one, of
 * any allowed node); -ENOENT if there is no node at all. */
int topo_first_numa_node(const struct topo *t);

/*
 * The NUMA latency matrix as hwloc has it (from the OS: ACPI SLIT; or an XML
 * file): node_os[0..n) ascending, values[i * n + j] from node_os[i] to
 * node_os[j] (relative units, 10 = local). *nr_nodes = n. -ENOENT when hwloc
 * has none (one node, most VMs, synthetic topologies), -ENOSPC when n >
 * max_nodes (*nr_nodes still says n). node_os or values may be NULL only
 * when max_nodes is 0.
 */
int topo_numa_distances(const struct topo *t, int max_nodes, int *nr_nodes,
			int *node_os, uint64_t *values);
/* Every NUMA node's OS index, ascending, into node_os[0..max) (allowed or
 * not, memory-only too). Returns how many there are (which may exceed max). */
int topo_numa_node_ids(const struct topo *t, int *node_os, int max);
/* Caches per level, whole machine, one line for machine.txt:
 * "L1d 48KiB x2, L1i 64KiB x2, L2 2MiB x2, L3 480MiB x1" (sizes that differ
 * within a level: "L2 1MiB x8 + 2MiB x4"). -ENOENT when the topology has no
 * cache objects (synthetic without cache levels), -ENOSPC buffer too small. */
int topo_describe_caches(const struct topo *t, char *buf, size_t len);
/* The allowed PUs as one hwloc list, "0-3,8" (machine.txt's allowed_pus).
 * 0, -ENOSPC (buf too small, still terminated), -ENOMEM. */
int topo_describe_allowed(const struct topo *t, char *buf, size_t len);
/* An info string hwloc has for the CPU, from the first package that has it,
 * else the root: name "CPUModel" or "CPUVendor" (x86, from CPUID). NULL when
 * the topology has none (synthetic topologies, some platforms); valid until
 * topo_close(). */
const char *topo_cpu_info(const struct topo *t, const char *name);

/* ---- placement ---- */

enum topo_placement_kind {
	TOPO_PLACE_COMPACT,
	TOPO_PLACE_SCATTER,
	TOPO_PLACE_SMT,
	TOPO_PLACE_CPUS,
};

#define TOPO_PLACEMENT_MAX_CPUS	1024
#define TOPO_PLACEMENT_NAME_MAX	512

struct topo_placement {
	enum topo_placement_kind kind;
	int nr_cpus;				/* TOPO_PLACE_CPUS only */
	int cpus[TOPO_PLACEMENT_MAX_CPUS];	/* OS indexes, distinct, in order */
	char name[TOPO_PLACEMENT_NAME_MAX];	/* canonical, CSV-safe */
};

/*
 * Parse "compact", "scatter", "smt" or "cpus:LIST". LIST: OS indexes and
 * ranges a-b (a <= b), separated by ',' or '+', e.g. "cpus:0-3,8" or
 * "cpus:0+2+4"; no duplicates; at most TOPO_PLACEMENT_MAX_CPUS.
 * The canonical name has no comma: "cpus:" then the list in the given
 * order, '+'-separated, with runs of 3 or more consecutive ascending
 * indexes written a-b: "cpus:0-3,8" and "cpus:0,1,2,3,8" are both
 * "cpus:0-3+8"; "cpus:0,2,4" is "cpus:0+2+4". Parsing a canonical name
 * gives the same placement.
 * t may be NULL (syntax only); otherwise every listed PU must be allowed.
 * -EINVAL for anything else (unknown word, bad list, duplicate, a PU that
 * is not allowed, a canonical name longer than TOPO_PLACEMENT_NAME_MAX - 1).
 */
int topo_parse_placement(const struct topo *t, const char *s, struct topo_placement *out);
const char *topo_placement_name(const struct topo_placement *p);
/* Threads it can place without oversubscribing: allowed PUs, or the length
 * of a cpus: list. */
int topo_placement_max_threads(const struct topo *t, const struct topo_placement *p);

struct topo_slot {
	int pu_os;		/* OS index: bind here */
	int pu_logical;		/* hwloc logical index */
	int core;		/* hwloc logical index; -1: no core level */
	int package;		/* hwloc logical index; -1: no package level */
	int numa_node;		/* OS index */
	bool smt_shared;	/* another planned thread is on another PU of this core */
	bool oversubscribed;	/* another planned thread is on this PU */
};

/*
 * Fill out[0..nthreads) for thread 0, 1, ... by the rules at the top.
 * -EINVAL: nthreads < 1, unknown kind, or a cpus: PU not allowed here;
 * -E2BIG: more threads than placeable PUs and !oversubscribe.
 */
int topo_plan(const struct topo *t, const struct topo_placement *p, int nthreads,
	      bool oversubscribe, struct topo_slot *out);
/* Distinct NUMA nodes among the slots. */
int topo_plan_nodes_used(const struct topo_slot *slots, int n);
/*
 * For --dry-run: one line per thread, indented four spaces,
 *   "    thread 0: pu 4 (L#4) core 2 package 0 numa 0 smt-shared oversubscribed"
 * (the flags only when set). -EIO if the stream reports an error.
 */
int topo_plan_print(const struct topo *t, const struct topo_slot *slots, int n, FILE *f);

/* Where a PU sits (flags false). -ENOENT: no such PU in the topology
 * (allowed or not). */
int topo_pu_info(const struct topo *t, int pu_os, struct topo_slot *out);

/* ---- binding ---- */

/*
 * Bind the calling thread to PU pu_os (hwloc_set_cpubind, THREAD, STRICT
 * where the OS has it). 0, -EOPNOTSUPP (not this system), -EINVAL (not an
 * allowed PU), or hwloc's errno. Call from the thread itself.
 * Test hook: with the environment variable DMABENCH_FAIL_BIND set (and not
 * "0"), every bind of an allowed PU on this system fails with -EPERM, as
 * it would under a cpuset that forbids it (read at every call).
 */
int topo_bind_thread(const struct topo *t, int pu_os);

/*
 * size bytes of zeroed, page-aligned memory bound to NUMA node node_os
 * (hwloc_alloc_membind, BIND + STRICT). Every page is touched here, so it is
 * placed before anyone measures. Where the binding cannot be had (not this
 * system, no NUMA support in the kernel) the memory is allocated unbound and
 * *bound is false; otherwise true. -EINVAL (size 0, no such node), -ENOMEM.
 * Release with topo_free() and the same size, on the same topology.
 */
int topo_alloc_on_node(const struct topo *t, size_t size, int node_os, void **out,
		       bool *bound);
void topo_free(const struct topo *t, void *p, size_t size);	/* NULL is fine */

/*
 * The whole topology as hwloc XML (hwloc_topology_export_xmlbuffer, v2
 * format), for a run directory's topology.xml: HWLOC_XMLFILE=that file
 * replays it (--dry-run, predict). *buf is malloc'ed, *len bytes without
 * the terminating NUL; free() it. -ENOMEM or hwloc's errno.
 */
int topo_export_xml(const struct topo *t, char **buf, size_t *len);

#endif
