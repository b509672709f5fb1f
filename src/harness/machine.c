/*
 * machine.txt: the topology keys (asked of the caller's struct topo), the
 * kernel's view from /proc and /sys, the build, and the warnings; see
 * machine.h. The library versions are machine_libs.c, the short name
 * machine_id.c.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include "harness/machine.h"
#include "harness/machine_internal.h"
#include "harness/pmu.h"
#include "harness/topo.h"

/* ---- small readers ---- */

void machine_scopy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

int machine_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int rc = 0;

	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		rc = -EIO;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return rc;
}

int machine_cpuinfo_field(const char *key, char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];
	size_t kl = strlen(key);
	int rc = -ENOENT;

	buf[0] = '\0';
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *colon;

		if (strncmp(line, key, kl) || (line[kl] != ' ' && line[kl] != '\t' && line[kl] != ':'))
			continue;
		colon = strchr(line, ':');
		if (!colon)
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, len, "%s", colon);
		rc = *buf ? 0 : -ENOENT;
		break;
	}
	fclose(f);
	return rc;
}

static const char *errname(int err)
{
	const char *s = strerrorname_np(err);

	return s ? s : "error";
}

/* ---- output ---- */

void machine_kv(struct machine_writer *w, const char *key, const char *fmt, ...)
{
	char v[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	for (char *p = v; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(w->out, "%s: %s\n", key, *v ? v : MACHINE_UNAVAILABLE);
}

void machine_warn(struct machine_writer *w, const char *fmt, ...)
{
	va_list ap;

	if (w->nr_warnings == MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(w->warnings[w->nr_warnings++], sizeof(w->warnings[0]), fmt, ap);
	va_end(ap);
}

/* ---- topology (topo.h: the caller's, never a second hwloc load) ---- */

static void numa_distances(struct machine_writer *w, const struct topo *t, int nodes)
{
	int max = nodes > 0 ? nodes : 1, n = 0;
	int *os = malloc((size_t)max * sizeof(*os));
	uint64_t *v = malloc((size_t)max * (size_t)max * sizeof(*v));
	char buf[2048] = "", ids[512] = "";
	size_t len = 0, m = 0;

	if (os && v && topo_numa_distances(t, max, &n, os, v) == 0 && n >= 1) {
		for (int i = 0; i < n; i++) {
			len += (size_t)snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0, "%s", i ? "; " : "");
			for (int j = 0; j < n; j++)
				len += (size_t)snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0, "%s%llu",
							j ? " " : "", (unsigned long long)v[i * n + j]);
			m += (size_t)snprintf(ids + m, m < sizeof(ids) ? sizeof(ids) - m : 0, "%s%d",
					      i ? "," : "", os[i]);
		}
		machine_kv(w, "numa_distances", "%s (nodes %s)", buf, ids);
		goto out;
	}
	/* hwloc leaves a one-node machine without a matrix; the kernel still has one */
	len = 0;
	if (os && topo_is_this_system(t)) {
		n = topo_numa_node_ids(t, os, max);
		for (int i = 0; i < n && i < max; i++) {
			char path[128], row[512];

			snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/distance", os[i]);
			if (machine_read_line(path, row, sizeof(row)) || !*row) {
				len = 0;
				break;
			}
			len += (size_t)snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0, "%s%s",
						len ? "; " : "", row);
			m += (size_t)snprintf(ids + m, m < sizeof(ids) ? sizeof(ids) - m : 0, "%s%d",
					      m ? "," : "", os[i]);
		}
		if (len && len < sizeof(buf)) {
			machine_kv(w, "numa_distances", "%s (nodes %s)", buf, ids);
			goto out;
		}
	}
	machine_kv(w, "numa_distances", nodes == 1 ? "unavailable (one node)" : MACHINE_UNAVAILABLE);
out:
	free(os);
	free(v);
}

static void cpu_fact(struct machine_writer *w, const struct topo *t, const char *key,
		     const char *hwloc_name, const char *cpuinfo_key)
{
	const char *s = topo_cpu_info(t, hwloc_name);
	char buf[512];

	if (s)
		machine_kv(w, key, "%s", s);
	else if (topo_is_this_system(t) && !machine_cpuinfo_field(cpuinfo_key, buf, sizeof(buf)))
		machine_kv(w, key, "%s", buf);
	else
		machine_kv(w, key, MACHINE_UNAVAILABLE);
}

static void topology(struct machine_writer *w, const struct topo *t)
{
	static const char *const keys[] = {
		"cpu_model", "vendor", "packages", "numa_nodes", "numa_distances",
		"cores", "pus", "allowed_pus", "smt", "caches",
	};
	struct topo_counts total;
	char list[1024];
	int tpc, nallowed, rc;

	if (!t) {
		machine_kv(w, "topology", "unavailable (no topology was loaded)");
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			machine_kv(w, keys[i], MACHINE_UNAVAILABLE);
		return;
	}
	if (topo_is_this_system(t)) {
		machine_kv(w, "topology", "this system");
	} else {
		machine_kv(w, "topology", "synthetic or XML (HWLOC_SYNTHETIC/HWLOC_XMLFILE): not this machine");
		machine_warn(w, "the topology is hwloc's synthetic or XML description, not this machine: "
			"topology keys describe it, the rest describes the machine");
	}
	cpu_fact(w, t, "cpu_model", "CPUModel", "model name");
	cpu_fact(w, t, "vendor", "CPUVendor", "vendor_id");

	topo_get_counts(t, NULL, &total);
	machine_kv(w, "packages", "%d", total.packages);
	machine_kv(w, "numa_nodes", "%d", total.numa_nodes);
	numa_distances(w, t, total.numa_nodes);
	machine_kv(w, "cores", "%d", total.cores);
	machine_kv(w, "pus", "%d", total.pus);

	/* hwloc's allowed set AND the opening thread's affinity (topo.h) */
	nallowed = topo_nr_allowed_pus(t);
	rc = topo_describe_allowed(t, list, sizeof(list));
	if (rc == 0 || rc == -ENOSPC) {
		machine_kv(w, "allowed_pus", "%d (%s)", nallowed, list);
		if (nallowed < total.pus)
			machine_warn(w, "only %d of %d PUs are allowed (taskset or cgroup): thread counts stop at %d",
			     nallowed, total.pus, nallowed);
	} else {
		machine_kv(w, "allowed_pus", MACHINE_UNAVAILABLE);
	}

	tpc = topo_pus_per_core(t);
	machine_kv(w, "smt", "%s (%d thread%s per core)", tpc > 1 ? "on" : "off", tpc, tpc > 1 ? "s" : "");
	if (tpc > 1)
		machine_warn(w, "SMT is on (%d threads per core): siblings share a core's caches and pipelines",
		     tpc);
	if (topo_describe_caches(t, list, sizeof(list)) == 0)
		machine_kv(w, "caches", "%s", list);
	else
		machine_kv(w, "caches", MACHINE_UNAVAILABLE);
	if (total.numa_nodes == 1)
		machine_warn(w, "a single NUMA node: no cross-node figures can come from this machine");
}

/* ---- the kernel's view ---- */

static void kernel(struct machine_writer *w)
{
	struct utsname u;

	if (uname(&u))
		machine_kv(w, "kernel", MACHINE_UNAVAILABLE);
	else
		machine_kv(w, "kernel", "%s %s %s %s", u.sysname, u.release, u.version, u.machine);
}

static void hypervisor(struct machine_writer *w)
{
	char evidence[512] = "", name[64] = "", buf[256];
	size_t n = 0;

#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;

	if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 31))) {
		static const struct { const char *sig, *name; } sigs[] = {
			{ "KVMKVMKVM", "kvm" }, { "Microsoft Hv", "hyper-v" },
			{ "VMwareVMware", "vmware" }, { "XenVMMXenVMM", "xen" },
			{ "TCGTCGTCGTCG", "qemu-tcg" }, { "ACRNACRNACRN", "acrn" },
			{ " lrpepyh  vr", "parallels" }, { "bhyve bhyve ", "bhyve" },
			{ "QNXQVMBSQG", "qnx" }, { "VBoxVBoxVBox", "virtualbox" },
		};
		char sig[13];

		__cpuid(0x40000000, a, b, c, d);
		memcpy(sig, &b, 4);
		memcpy(sig + 4, &c, 4);
		memcpy(sig + 8, &d, 4);
		sig[12] = '\0';
		for (int i = 0; i < 12; i++)
			if (sig[i] && !isprint((unsigned char)sig[i]))
				sig[i] = '?';
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			if (!strcmp(sig, sigs[i].sig))
				snprintf(name, sizeof(name), "%s", sigs[i].name);
		if (!*name)
			snprintf(name, sizeof(name), "unknown");
		n += (size_t)snprintf(evidence + n, sizeof(evidence) - n,
				      "cpuid hypervisor bit, signature '%s'", sig);
	}
#endif
	if (!machine_read_line("/sys/hypervisor/type", buf, sizeof(buf)) && *buf) {
		if (!*name)
			machine_scopy(name, sizeof(name), buf);
		n += (size_t)snprintf(evidence + n, n < sizeof(evidence) ? sizeof(evidence) - n : 0,
				      "%s/sys/hypervisor/type %s", n ? "; " : "", buf);
	}
	if (!machine_read_line("/sys/class/dmi/id/product_name", buf, sizeof(buf)) && *buf &&
	    (strstr(buf, "KVM") || strstr(buf, "QEMU") || strstr(buf, "VMware") ||
	     strstr(buf, "VirtualBox") || strstr(buf, "Virtual Machine") || strstr(buf, "HVM"))) {
		if (!*name)
			snprintf(name, sizeof(name), "vm");
		n += (size_t)snprintf(evidence + n, n < sizeof(evidence) ? sizeof(evidence) - n : 0,
				      "%sDMI product '%s'", n ? "; " : "", buf);
	}
	if (!*name) {
		machine_kv(w, "hypervisor", "none");
		return;
	}
	machine_kv(w, "hypervisor", "%s (%s)", name, evidence);
	machine_warn(w, "running in a virtual machine (%s): vCPU scheduling and steal time add noise, "
		"and core-to-core figures are the host's placement of vCPUs", name);
}

static void clocksource(struct machine_writer *w)
{
	static const char *const cheap[] = {
		"tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page", "xen",
		"timebase", "riscv_clocksource",
	};
	char buf[128];
	bool ok = false;

	if (machine_read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      buf, sizeof(buf)) || !*buf) {
		machine_kv(w, "clocksource", MACHINE_UNAVAILABLE);
		return;
	}
	machine_kv(w, "clocksource", "%s", buf);
	for (size_t i = 0; i < sizeof(cheap) / sizeof(cheap[0]); i++)
		ok |= !strcmp(buf, cheap[i]);
	if (!ok)
		machine_warn(w, "clock source %s: clock reads may be system calls (see timer_overhead_ns)", buf);
}

static void governor(struct machine_writer *w)
{
	struct { char name[32]; int count; } seen[8];
	int nseen = 0, ncpus = (int)sysconf(_SC_NPROCESSORS_CONF), total = 0;
	char buf[512] = "", gov[64], path[128];
	size_t n = 0;
	bool all_perf = true;

	for (int cpu = 0; cpu < ncpus; cpu++) {
		int k;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
		if (machine_read_line(path, gov, sizeof(gov)) || !*gov)
			continue;
		total++;
		all_perf &= !strcmp(gov, "performance");
		for (k = 0; k < nseen; k++)
			if (!strcmp(seen[k].name, gov))
				break;
		if (k == nseen && nseen < 8) {
			machine_scopy(seen[nseen].name, sizeof(seen[0].name), gov);
			seen[nseen++].count = 0;
		}
		if (k < nseen)
			seen[k].count++;
	}
	if (!total) {
		machine_kv(w, "governor", "unavailable (no cpufreq: the firmware or the host sets the clock)");
		return;
	}
	for (int k = 0; k < nseen; k++)
		n += (size_t)snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, "%s%s x%d",
				      k ? ", " : "", seen[k].name, seen[k].count);
	machine_kv(w, "governor", "%s (of %d CPUs readable)", buf, total);
	if (!all_perf)
		machine_warn(w, "cpufreq governor is not performance on every CPU (%s): frequency changes add noise", buf);
}

static int read_khz(int cpu, const char *file, double *ghz)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/%s", cpu, file);
	if (machine_read_line(path, buf, sizeof(buf)) || !*buf)
		return -ENOENT;
	*ghz = strtod(buf, NULL) / 1e6;
	return 0;
}

static void frequency(struct machine_writer *w)
{
	double cur, min, max;
	char buf[128];

	if (!read_khz(0, "scaling_cur_freq", &cur)) {
		bool hmin = !read_khz(0, "cpuinfo_min_freq", &min);
		bool hmax = !read_khz(0, "cpuinfo_max_freq", &max);

		snprintf(buf, sizeof(buf), "cur %.2f GHz", cur);
		if (hmin)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", min %.2f GHz", min);
		if (hmax)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", max %.2f GHz", max);
		machine_kv(w, "frequency", "%s (cpu0, cpufreq)", buf);
	} else if (!machine_cpuinfo_field("cpu MHz", buf, sizeof(buf))) {
		machine_kv(w, "frequency", "cur %.0f MHz (cpu0, /proc/cpuinfo; no cpufreq)", strtod(buf, NULL));
	} else {
		machine_kv(w, "frequency", MACHINE_UNAVAILABLE);
	}
}

static void turbo(struct machine_writer *w)
{
	char buf[32];

	if (!machine_read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", buf, sizeof(buf)) && *buf) {
		bool on = buf[0] == '0';

		machine_kv(w, "turbo", "%s (intel_pstate no_turbo=%s)", on ? "on" : "off", buf);
		if (on)
			machine_warn(w, "turbo is on: the clock rate follows load and temperature");
	} else if (!machine_read_line("/sys/devices/system/cpu/cpufreq/boost", buf, sizeof(buf)) && *buf) {
		bool on = buf[0] == '1';

		machine_kv(w, "turbo", "%s (cpufreq boost=%s)", on ? "on" : "off", buf);
		if (on)
			machine_warn(w, "boost is on: the clock rate follows load and temperature");
	} else {
		machine_kv(w, "turbo", "unavailable (no intel_pstate/no_turbo or cpufreq/boost)");
	}
}

static void perf(struct machine_writer *w)
{
	char buf[32];
	int hw, sw;

	if (!machine_read_line("/proc/sys/kernel/perf_event_paranoid", buf, sizeof(buf)) && *buf)
		machine_kv(w, "perf_event_paranoid", "%s", buf);
	else
		machine_kv(w, "perf_event_paranoid", MACHINE_UNAVAILABLE);

	hw = pmu_probe("cycles");
	/* each software event of the default list: task-clock may open
	 * user-only where context-switches and cpu-migrations (kernel-side
	 * counts) are refused, as under perf_event_paranoid 2 */
	static const char *const swn[] = { "task-clock", "context-switches", "cpu-migrations" };
	int swrc[3], nbad = 0;
	char swtxt[256] = "", bad[128] = "";
	size_t o = 0, b = 0;

	for (int i = 0; i < 3; i++) {
		swrc[i] = pmu_probe(swn[i]);
		nbad += swrc[i] != 0;
	}
	sw = swrc[0];
	if (!nbad) {
		snprintf(swtxt, sizeof(swtxt), "ok");
	} else if (nbad == 3 && swrc[1] == sw && swrc[2] == sw) {
		snprintf(swtxt, sizeof(swtxt), "unavailable(%s)", errname(-sw));
	} else {
		for (int i = 0; i < 3; i++) {
			o += snprintf(swtxt + o, o < sizeof(swtxt) ? sizeof(swtxt) - o : 0, "%s%s %s%s%s",
				      i ? ", " : "", swn[i], swrc[i] ? "unavailable(" : "ok",
				      swrc[i] ? errname(-swrc[i]) : "", swrc[i] ? ")" : "");
		}
	}
	for (int i = 0; i < 3; i++)
		if (swrc[i])
			b += snprintf(bad + b, b < sizeof(bad) ? sizeof(bad) - b : 0, "%s%s",
				      b ? ", " : "", swn[i]);
	machine_kv(w, "perf_counters", "hardware %s%s%s; software %s",
	   hw ? "unavailable(" : "ok", hw ? errname(-hw) : "", hw ? ")" : "", swtxt);
	if (hw)
		machine_warn(w, "hardware performance counters unavailable (%s): cycles, instructions and "
			"cache-misses columns stay empty", errname(-hw));
	for (int i = 0; nbad && i < 3; i++)
		if (swrc[i]) {
			machine_warn(w, "software performance counters unavailable (%s): %s columns stay empty",
			     errname(-swrc[i]), bad);
			break;
		}
}

static void thp(struct machine_writer *w)
{
	char buf[128], *l, *r;

	if (machine_read_line("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) ||
	    !(l = strchr(buf, '[')) || !(r = strchr(l, ']'))) {
		machine_kv(w, "transparent_hugepages", MACHINE_UNAVAILABLE);
		return;
	}
	*r = '\0';
	machine_kv(w, "transparent_hugepages", "%s", l + 1);
	if (!strcmp(l + 1, "always"))
		machine_warn(w, "transparent hugepages are 'always': khugepaged may collapse pages during a run");
}

/* the load before this process measured anything: the first description's reading */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_first[128];
static double load1_first = -1;

static void sample_load(void)
{
	if (machine_read_line("/proc/loadavg", load_first, sizeof(load_first)) || !*load_first)
		return;
	load1_first = strtod(load_first, NULL);
}

static void loadavg(struct machine_writer *w)
{
	char three[64];
	double a, b, c;

	pthread_once(&load_once, sample_load);
	if (load1_first < 0 || sscanf(load_first, "%lf %lf %lf", &a, &b, &c) != 3) {
		machine_kv(w, "loadavg", MACHINE_UNAVAILABLE);
		return;
	}
	snprintf(three, sizeof(three), "%.2f %.2f %.2f", a, b, c);
	machine_kv(w, "loadavg", "%s (1, 5, 15 min, at the first description in this process)", three);
	if (a > 0.5)
		machine_warn(w, "the machine was loaded (1-min load average %.2f): other work competes for the CPUs", a);
}

static const char *compiler(void)
{
#if defined(__clang__)
	return "clang " __VERSION__;
#elif defined(__GNUC__)
	return "gcc " __VERSION__;
#else
	return __VERSION__;
#endif
}

int machine_describe(FILE *out, const struct topo *t, const char *cflags,
		     const char *git_revision)
{
	struct machine_writer *w;
	char host[256] = "", date[64] = "";
	time_t now = time(NULL);
	struct tm tm;

	if (!out)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->out = out;
	pthread_once(&load_once, sample_load);	/* before our own file reads add to it */

	if (gethostname(host, sizeof(host) - 1))
		host[0] = '\0';
	machine_kv(w, "hostname", "%s", host);
	if (gmtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	machine_kv(w, "date_utc", "%s", date);

	topology(w, t);

	kernel(w);
	hypervisor(w);
	clocksource(w);
	governor(w);
	frequency(w);
	turbo(w);
	perf(w);
	thp(w);
	loadavg(w);

	machine_kv(w, "compiler", "%s", compiler());
	machine_kv(w, "cflags", "%s", cflags ? cflags : "");
	machine_kv(w, "git_revision", "%s", git_revision ? git_revision : "");
	machine_lib_versions(w);

	for (int i = 0; i < w->nr_warnings; i++)
		fprintf(out, "warning: %s\n", w->warnings[i]);
	free(w);
	return fflush(out) || ferror(out) ? -EIO : 0;
}
