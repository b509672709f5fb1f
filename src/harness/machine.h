/*
 * src/harness/machine.h — what machine a run was measured on: machine.txt,
 * and the short name of the results/<machine>/ folder.
 *
 * machine_describe() writes `key: value` lines, one per key, each key once,
 * in this order, then one `warning: ...` line per condition known to add
 * noise. A value that cannot be read is "unavailable", never empty.
 *   hostname, date_utc (ISO 8601, Z),
 *   topology        "this system" or "synthetic/XML (HWLOC_...): not this machine"
 *   cpu_model, vendor, packages, numa_nodes,
 *   numa_distances  row per node, rows ';'-separated, then "(nodes 0,1)"
 *   cores, pus, allowed_pus ("N (list)": hwloc's allowed set AND this
 *                   thread's affinity, so taskset and cgroups count),
 *   smt             "on (2 threads per core)" / "off (1 thread per core)"
 *   caches          "L1d 48KiB x2, L1i 32KiB x2, L2 2MiB x2, L3 32MiB x1"
 *   kernel (uname), hypervisor ("none" or name and evidence: cpuid
 *                   hypervisor bit and signature, /sys/hypervisor, DMI),
 *   clocksource, governor (scaling_governor per CPU, summarised),
 *   frequency (cur/min/max), turbo, perf_event_paranoid,
 *   perf_counters   "hardware ok|unavailable(ERR); software ok|unavailable(ERR)"
 *   transparent_hugepages, loadavg (1/5/15 min, sampled at the first
 *                   machine_describe() in the process: call it before measuring),
 *   compiler (__VERSION__), cflags and git_revision (the caller's),
 *   liburcu, hwloc, libpfm4 (versions, with where each figure comes from).
 * Warnings: a virtual machine; a cpufreq governor other than performance;
 * turbo on; SMT on; a single NUMA node (no cross-node figures); fewer allowed
 * PUs than PUs; hardware or software counters unavailable; load average
 * above 0.5 at the first description; a clock source other than the cheap
 * ones (tsc, kvm-clock, arch_sys_counter, ...); THP "always"; a topology
 * that is not this machine.
 *
 * The topology keys describe the struct topo the caller opened (topo.h:
 * hwloc's environment, HWLOC_SYNTHETIC, HWLOC_XMLFILE, HWLOC_FSROOT, and
 * TOPO_ALLOWED apply as they do to the run; allowed_pus is the run's allowed
 * set); machine.c loads no topology of its own. With t NULL the topology
 * keys read "unavailable". The /proc and /sys facts are always this machine's.
 *
 * Contract. Library code: writes only to the FILE * given, never prints or
 * exits; returns 0, or -EIO when writing failed, -EINVAL for a NULL stream.
 * Any thread may call (t is only read); it costs some file reads
 * (milliseconds): call it at the edges of a run, never during a window.
 */
#ifndef DMABENCH_HARNESS_MACHINE_H
#define DMABENCH_HARNESS_MACHINE_H

#include <stddef.h>
#include <stdio.h>

struct topo;

/* cflags, git_revision: the build's (NULL or "" -> "unavailable"). */
int machine_describe(FILE *out, const struct topo *t, const char *cflags,
		     const char *git_revision);

/*
 * A short, filesystem-safe name for this machine ([a-z0-9-], no leading or
 * trailing '-'): the host name's first label, the CPU model abbreviated,
 * and the number of configured CPUs, e.g. "myhost-xeon-gold-6248-80c".
 * 0, or -ENOSPC when buf was too small (still terminated), -EINVAL.
 */
int machine_short_id(char *buf, size_t len);

/*
 * The rule machine_short_id() applies, on given facts (for tests): model
 * lower-cased, "(r)"/"(tm)" and everything from " @ " dropped, split on
 * anything but [a-z0-9-], the words intel, amd, cpu, processor, core,
 * genuine, with, radeon, graphics and "N-core" dropped, the first three
 * words kept ("cpu" if none); ncpus <= 0 leaves the count out.
 */
int machine_short_id_from(const char *hostname, const char *cpu_model, int ncpus,
			  char *buf, size_t len);

#endif
