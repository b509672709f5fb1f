/* machine.txt and the machine's short name: see machine.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <link.h>
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
#include <hwloc.h>
#include <perfmon/pfmlib.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include "harness/machine.h"
#include "harness/pmu.h"
#include "harness/topo.h"

#define UNAVAILABLE	"unavailable"
#define MAX_WARNINGS	24

/* ---- small readers ---- */

/* bounded copy that cuts long strings quietly (values are informational) */
static void scopy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* first line of a file, without its newline: 0 or -errno */
static int read_line(const char *path, char *buf, size_t len)
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

/* value of the first "key<spaces>: value" line of /proc/cpuinfo with this key */
static int cpuinfo_field(const char *key, char *buf, size_t len)
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

struct writer {
	FILE *out;
	char warnings[MAX_WARNINGS][256];
	int nr_warnings;
};

/* one `key: value` line; the value on one line, never empty */
static void kv(struct writer *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void kv(struct writer *w, const char *key, const char *fmt, ...)
{
	char v[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	for (char *p = v; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(w->out, "%s: %s\n", key, *v ? v : UNAVAILABLE);
}

static void warn(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct writer *w, const char *fmt, ...)
{
	va_list ap;

	if (w->nr_warnings == MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(w->warnings[w->nr_warnings++], sizeof(w->warnings[0]), fmt, ap);
	va_end(ap);
}

/* ---- topology (topo.h: the caller's, never a second hwloc load) ---- */

static void numa_distances(struct writer *w, const struct topo *t, int nodes)
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
		kv(w, "numa_distances", "%s (nodes %s)", buf, ids);
		goto out;
	}
	/* hwloc leaves a one-node machine without a matrix; the kernel still has one */
	len = 0;
	if (os && topo_is_this_system(t)) {
		n = topo_numa_node_ids(t, os, max);
		for (int i = 0; i < n && i < max; i++) {
			char path[128], row[512];

			snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/distance", os[i]);
			if (read_line(path, row, sizeof(row)) || !*row) {
				len = 0;
				break;
			}
			len += (size_t)snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0, "%s%s",
						len ? "; " : "", row);
			m += (size_t)snprintf(ids + m, m < sizeof(ids) ? sizeof(ids) - m : 0, "%s%d",
					      m ? "," : "", os[i]);
		}
		if (len && len < sizeof(buf)) {
			kv(w, "numa_distances", "%s (nodes %s)", buf, ids);
			goto out;
		}
	}
	kv(w, "numa_distances", nodes == 1 ? "unavailable (one node)" : UNAVAILABLE);
out:
	free(os);
	free(v);
}

static void cpu_fact(struct writer *w, const struct topo *t, const char *key,
		     const char *hwloc_name, const char *cpuinfo_key)
{
	const char *s = topo_cpu_info(t, hwloc_name);
	char buf[512];

	if (s)
		kv(w, key, "%s", s);
	else if (topo_is_this_system(t) && !cpuinfo_field(cpuinfo_key, buf, sizeof(buf)))
		kv(w, key, "%s", buf);
	else
		kv(w, key, UNAVAILABLE);
}

static void topology(struct writer *w, const struct topo *t)
{
	static const char *const keys[] = {
		"cpu_model", "vendor", "packages", "numa_nodes", "numa_distances",
		"cores", "pus", "allowed_pus", "smt", "caches",
	};
	struct topo_counts total;
	char list[1024];
	int tpc, nallowed, rc;

	if (!t) {
		kv(w, "topology", "unavailable (no topology was loaded)");
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			kv(w, keys[i], UNAVAILABLE);
		return;
	}
	if (topo_is_this_system(t)) {
		kv(w, "topology", "this system");
	} else {
		kv(w, "topology", "synthetic or XML (HWLOC_SYNTHETIC/HWLOC_XMLFILE): not this machine");
		warn(w, "the topology is hwloc's synthetic or XML description, not this machine: "
			"topology keys describe it, the rest describes the machine");
	}
	cpu_fact(w, t, "cpu_model", "CPUModel", "model name");
	cpu_fact(w, t, "vendor", "CPUVendor", "vendor_id");

	topo_get_counts(t, NULL, &total);
	kv(w, "packages", "%d", total.packages);
	kv(w, "numa_nodes", "%d", total.numa_nodes);
	numa_distances(w, t, total.numa_nodes);
	kv(w, "cores", "%d", total.cores);
	kv(w, "pus", "%d", total.pus);

	/* hwloc's allowed set AND the opening thread's affinity (topo.h) */
	nallowed = topo_nr_allowed_pus(t);
	rc = topo_describe_allowed(t, list, sizeof(list));
	if (rc == 0 || rc == -ENOSPC) {
		kv(w, "allowed_pus", "%d (%s)", nallowed, list);
		if (nallowed < total.pus)
			warn(w, "only %d of %d PUs are allowed (taskset or cgroup): thread counts stop at %d",
			     nallowed, total.pus, nallowed);
	} else {
		kv(w, "allowed_pus", UNAVAILABLE);
	}

	tpc = topo_pus_per_core(t);
	kv(w, "smt", "%s (%d thread%s per core)", tpc > 1 ? "on" : "off", tpc, tpc > 1 ? "s" : "");
	if (tpc > 1)
		warn(w, "SMT is on (%d threads per core): siblings share a core's caches and pipelines",
		     tpc);
	if (topo_describe_caches(t, list, sizeof(list)) == 0)
		kv(w, "caches", "%s", list);
	else
		kv(w, "caches", UNAVAILABLE);
	if (total.numa_nodes == 1)
		warn(w, "a single NUMA node: no cross-node figures can come from this machine");
}

/* ---- the kernel's view ---- */

static void kernel(struct writer *w)
{
	struct utsname u;

	if (uname(&u))
		kv(w, "kernel", UNAVAILABLE);
	else
		kv(w, "kernel", "%s %s %s %s", u.sysname, u.release, u.version, u.machine);
}

static void hypervisor(struct writer *w)
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
	if (!read_line("/sys/hypervisor/type", buf, sizeof(buf)) && *buf) {
		if (!*name)
			scopy(name, sizeof(name), buf);
		n += (size_t)snprintf(evidence + n, n < sizeof(evidence) ? sizeof(evidence) - n : 0,
				      "%s/sys/hypervisor/type %s", n ? "; " : "", buf);
	}
	if (!read_line("/sys/class/dmi/id/product_name", buf, sizeof(buf)) && *buf &&
	    (strstr(buf, "KVM") || strstr(buf, "QEMU") || strstr(buf, "VMware") ||
	     strstr(buf, "VirtualBox") || strstr(buf, "Virtual Machine") || strstr(buf, "HVM"))) {
		if (!*name)
			snprintf(name, sizeof(name), "vm");
		n += (size_t)snprintf(evidence + n, n < sizeof(evidence) ? sizeof(evidence) - n : 0,
				      "%sDMI product '%s'", n ? "; " : "", buf);
	}
	if (!*name) {
		kv(w, "hypervisor", "none");
		return;
	}
	kv(w, "hypervisor", "%s (%s)", name, evidence);
	warn(w, "running in a virtual machine (%s): vCPU scheduling and steal time add noise, "
		"and core-to-core figures are the host's placement of vCPUs", name);
}

static void clocksource(struct writer *w)
{
	static const char *const cheap[] = {
		"tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page", "xen",
		"timebase", "riscv_clocksource",
	};
	char buf[128];
	bool ok = false;

	if (read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      buf, sizeof(buf)) || !*buf) {
		kv(w, "clocksource", UNAVAILABLE);
		return;
	}
	kv(w, "clocksource", "%s", buf);
	for (size_t i = 0; i < sizeof(cheap) / sizeof(cheap[0]); i++)
		ok |= !strcmp(buf, cheap[i]);
	if (!ok)
		warn(w, "clock source %s: clock reads may be system calls (see timer_overhead_ns)", buf);
}

static void governor(struct writer *w)
{
	struct { char name[32]; int count; } seen[8];
	int nseen = 0, ncpus = (int)sysconf(_SC_NPROCESSORS_CONF), total = 0;
	char buf[512] = "", gov[64], path[128];
	size_t n = 0;
	bool all_perf = true;

	for (int cpu = 0; cpu < ncpus; cpu++) {
		int k;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
		if (read_line(path, gov, sizeof(gov)) || !*gov)
			continue;
		total++;
		all_perf &= !strcmp(gov, "performance");
		for (k = 0; k < nseen; k++)
			if (!strcmp(seen[k].name, gov))
				break;
		if (k == nseen && nseen < 8) {
			scopy(seen[nseen].name, sizeof(seen[0].name), gov);
			seen[nseen++].count = 0;
		}
		if (k < nseen)
			seen[k].count++;
	}
	if (!total) {
		kv(w, "governor", "unavailable (no cpufreq: the firmware or the host sets the clock)");
		return;
	}
	for (int k = 0; k < nseen; k++)
		n += (size_t)snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, "%s%s x%d",
				      k ? ", " : "", seen[k].name, seen[k].count);
	kv(w, "governor", "%s (of %d CPUs readable)", buf, total);
	if (!all_perf)
		warn(w, "cpufreq governor is not performance on every CPU (%s): frequency changes add noise", buf);
}

static int read_khz(int cpu, const char *file, double *ghz)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/%s", cpu, file);
	if (read_line(path, buf, sizeof(buf)) || !*buf)
		return -ENOENT;
	*ghz = strtod(buf, NULL) / 1e6;
	return 0;
}

static void frequency(struct writer *w)
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
		kv(w, "frequency", "%s (cpu0, cpufreq)", buf);
	} else if (!cpuinfo_field("cpu MHz", buf, sizeof(buf))) {
		kv(w, "frequency", "cur %.0f MHz (cpu0, /proc/cpuinfo; no cpufreq)", strtod(buf, NULL));
	} else {
		kv(w, "frequency", UNAVAILABLE);
	}
}

static void turbo(struct writer *w)
{
	char buf[32];

	if (!read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", buf, sizeof(buf)) && *buf) {
		bool on = buf[0] == '0';

		kv(w, "turbo", "%s (intel_pstate no_turbo=%s)", on ? "on" : "off", buf);
		if (on)
			warn(w, "turbo is on: the clock rate follows load and temperature");
	} else if (!read_line("/sys/devices/system/cpu/cpufreq/boost", buf, sizeof(buf)) && *buf) {
		bool on = buf[0] == '1';

		kv(w, "turbo", "%s (cpufreq boost=%s)", on ? "on" : "off", buf);
		if (on)
			warn(w, "boost is on: the clock rate follows load and temperature");
	} else {
		kv(w, "turbo", "unavailable (no intel_pstate/no_turbo or cpufreq/boost)");
	}
}

static void perf(struct writer *w)
{
	char buf[32];
	int hw, sw;

	if (!read_line("/proc/sys/kernel/perf_event_paranoid", buf, sizeof(buf)) && *buf)
		kv(w, "perf_event_paranoid", "%s", buf);
	else
		kv(w, "perf_event_paranoid", UNAVAILABLE);

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
	kv(w, "perf_counters", "hardware %s%s%s; software %s",
	   hw ? "unavailable(" : "ok", hw ? errname(-hw) : "", hw ? ")" : "", swtxt);
	if (hw)
		warn(w, "hardware performance counters unavailable (%s): cycles, instructions and "
			"cache-misses columns stay empty", errname(-hw));
	for (int i = 0; nbad && i < 3; i++)
		if (swrc[i]) {
			warn(w, "software performance counters unavailable (%s): %s columns stay empty",
			     errname(-swrc[i]), bad);
			break;
		}
}

static void thp(struct writer *w)
{
	char buf[128], *l, *r;

	if (read_line("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) ||
	    !(l = strchr(buf, '[')) || !(r = strchr(l, ']'))) {
		kv(w, "transparent_hugepages", UNAVAILABLE);
		return;
	}
	*r = '\0';
	kv(w, "transparent_hugepages", "%s", l + 1);
	if (!strcmp(l + 1, "always"))
		warn(w, "transparent hugepages are 'always': khugepaged may collapse pages during a run");
}

/* the load before this process measured anything: the first description's reading */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_first[128];
static double load1_first = -1;

static void sample_load(void)
{
	if (read_line("/proc/loadavg", load_first, sizeof(load_first)) || !*load_first)
		return;
	load1_first = strtod(load_first, NULL);
}

static void loadavg(struct writer *w)
{
	char three[64];
	double a, b, c;

	pthread_once(&load_once, sample_load);
	if (load1_first < 0 || sscanf(load_first, "%lf %lf %lf", &a, &b, &c) != 3) {
		kv(w, "loadavg", UNAVAILABLE);
		return;
	}
	snprintf(three, sizeof(three), "%.2f %.2f %.2f", a, b, c);
	kv(w, "loadavg", "%s (1, 5, 15 min, at the first description in this process)", three);
	if (a > 0.5)
		warn(w, "the machine was loaded (1-min load average %.2f): other work competes for the CPUs", a);
}

/* ---- build and libraries ---- */

struct lib_find {
	const char *prefix;
	char file[256];
	char dir[PATH_MAX];
};

static int find_lib_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct lib_find *lf = arg;
	const char *base;
	char real[PATH_MAX];

	(void)size;
	if (!info->dlpi_name || !*info->dlpi_name)
		return 0;
	base = strrchr(info->dlpi_name, '/');
	base = base ? base + 1 : info->dlpi_name;
	if (strncmp(base, lf->prefix, strlen(lf->prefix)))
		return 0;
	/* the soname link names the ABI; its target names the release */
	if (realpath(info->dlpi_name, real)) {
		char *slash = strrchr(real, '/');

		scopy(lf->file, sizeof(lf->file), slash ? slash + 1 : real);
		if (slash) {
			*slash = '\0';
			snprintf(lf->dir, sizeof(lf->dir), "%s", real);
		}
	} else {
		snprintf(lf->file, sizeof(lf->file), "%s", base);
	}
	return 1;
}

/* the loaded shared object whose name starts with prefix: 0 or -ENOENT */
static int loaded_lib(const char *prefix, struct lib_find *lf)
{
	memset(lf, 0, sizeof(*lf));
	lf->prefix = prefix;
	dl_iterate_phdr(find_lib_cb, lf);
	return *lf->file ? 0 : -ENOENT;
}

/* "Version:" of a pkg-config file: 0 or -errno */
static int pc_version(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char line[256];
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Version:", 8)) {
			char *v = line + 8;

			while (*v == ' ' || *v == '\t')
				v++;
			v[strcspn(v, " \t\r\n")] = '\0';
			scopy(buf, len, v);
			rc = *buf ? 0 : -ENOENT;
			break;
		}
	fclose(f);
	return rc;
}

/* try dir/liburcu.pc: 1 when it gave a version */
static int try_pc(const char *dir, const char *sub, char *ver, size_t len, char *from, size_t flen)
{
	char path[PATH_MAX + 64];

	if (!dir || !*dir)
		return 0;
	snprintf(path, sizeof(path), "%s%s/liburcu.pc", dir, sub);
	if (pc_version(path, ver, len))
		return 0;
	scopy(from, flen, path);
	return 1;
}

/*
 * liburcu has no version macro or call: take the pkg-config file next to
 * the loaded library (the release its headers came with), else next to the
 * other libraries (the same multiarch directory), else pkg-config's path.
 */
static void urcu_version(struct writer *w)
{
	static const char *const dirs[] = {
		"/usr/local/lib/pkgconfig", "/usr/lib/pkgconfig", "/usr/share/pkgconfig",
		"/usr/lib64/pkgconfig",
	};
	static const char *const near[] = { "libhwloc", "libpfm" };
	struct lib_find urcu, other;
	char ver[64] = "", from[PATH_MAX + 64] = "", pcp[4096];
	bool loaded = !loaded_lib("liburcu", &urcu);
	int found = 0;

#ifdef URCU_VERSION
	kv(w, "liburcu", "%s (URCU_VERSION)", URCU_VERSION);
	return;
#endif
	if (loaded)
		found = try_pc(urcu.dir, "/pkgconfig", ver, sizeof(ver), from, sizeof(from));
	for (size_t i = 0; !found && i < sizeof(near) / sizeof(near[0]); i++)
		if (!loaded_lib(near[i], &other))
			found = try_pc(other.dir, "/pkgconfig", ver, sizeof(ver), from, sizeof(from));
	if (!found && getenv("PKG_CONFIG_PATH")) {
		char *save = NULL, *d;

		scopy(pcp, sizeof(pcp), getenv("PKG_CONFIG_PATH"));
		for (d = strtok_r(pcp, ":", &save); d && !found; d = strtok_r(NULL, ":", &save))
			found = try_pc(d, "", ver, sizeof(ver), from, sizeof(from));
	}
	for (size_t i = 0; !found && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		found = try_pc(dirs[i], "", ver, sizeof(ver), from, sizeof(from));

	if (found)
		kv(w, "liburcu", "%s (%s; %s%s)", ver, from,
		   loaded ? "loaded " : "not loaded by this program", loaded ? urcu.file : "");
	else if (loaded)
		kv(w, "liburcu", "unknown release (loaded %s)", urcu.file);
	else
		kv(w, "liburcu", UNAVAILABLE);
}

static void lib_versions(struct writer *w)
{
	unsigned int hv = hwloc_get_api_version();
	int pv = pfm_get_version();
	struct lib_find lf;

	urcu_version(w);
	if (!loaded_lib("libhwloc", &lf))
		kv(w, "hwloc", "%s (headers; loaded %s, API %u.%u)", HWLOC_VERSION, lf.file,
		   hv >> 16, (hv >> 8) & 0xff);
	else
		kv(w, "hwloc", "%s (headers; API %u.%u at run time)", HWLOC_VERSION, hv >> 16,
		   (hv >> 8) & 0xff);
	/* pfm_get_version() is the API level (4.0 for every 4.x): the file names the release */
	if (!loaded_lib("libpfm", &lf))
		kv(w, "libpfm4", "%s (API %d.%d)", lf.file, PFM_MAJ_VERSION(pv), PFM_MIN_VERSION(pv));
	else
		kv(w, "libpfm4", "API %d.%d (statically linked)", PFM_MAJ_VERSION(pv), PFM_MIN_VERSION(pv));
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
	struct writer *w;
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
	kv(w, "hostname", "%s", host);
	if (gmtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	kv(w, "date_utc", "%s", date);

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

	kv(w, "compiler", "%s", compiler());
	kv(w, "cflags", "%s", cflags ? cflags : "");
	kv(w, "git_revision", "%s", git_revision ? git_revision : "");
	lib_versions(w);

	for (int i = 0; i < w->nr_warnings; i++)
		fprintf(out, "warning: %s\n", w->warnings[i]);
	free(w);
	return fflush(out) || ferror(out) ? -EIO : 0;
}

/* ---- the short name ---- */

/* append s to buf as [a-z0-9-] with single '-' between words */
static size_t append_slug(char *buf, size_t used, size_t len, const char *s)
{
	bool dash = used > 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)tolower((unsigned char)*s);

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && used && buf[used - 1] != '-' && used + 1 < len)
				buf[used++] = '-';
			dash = false;
			if (used + 1 < len)
				buf[used++] = (char)c;
		} else {
			dash = true;
		}
	}
	buf[used] = '\0';
	return used;
}

static bool stop_word(const char *wd)
{
	static const char *const words[] = {
		"intel", "amd", "cpu", "processor", "core", "genuine", "with", "radeon", "graphics",
	};
	size_t n = strlen(wd);

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(wd, words[i]))
			return true;
	return n > 5 && !strcmp(wd + n - 5, "-core");	/* "64-core" */
}

int machine_short_id_from(const char *hostname, const char *cpu_model, int ncpus,
			  char *buf, size_t len)
{
	char host[256], model[256], full[600], *p, *save = NULL, *wd;
	size_t used;
	int words = 0;

	if (!buf || !len)
		return -EINVAL;
	snprintf(host, sizeof(host), "%s", hostname ? hostname : "");
	host[strcspn(host, ".")] = '\0';
	used = append_slug(full, 0, sizeof(full), host);
	if (!used)
		used = append_slug(full, 0, sizeof(full), "host");

	snprintf(model, sizeof(model), "%s", cpu_model ? cpu_model : "");
	for (p = model; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if ((p = strstr(model, " @")))
		*p = '\0';
	while ((p = strstr(model, "(r)")) || (p = strstr(model, "(tm)")))
		memset(p, ' ', p[1] == 'r' ? 3 : 4);
	for (wd = strtok_r(model, " \t,()/_", &save); wd && words < 3;
	     wd = strtok_r(NULL, " \t,()/_", &save)) {
		if (stop_word(wd))
			continue;
		used = append_slug(full, used, sizeof(full), wd);
		words++;
	}
	if (!words)
		used = append_slug(full, used, sizeof(full), "cpu");
	if (ncpus > 0) {
		char count[24];

		snprintf(count, sizeof(count), "%dc", ncpus);
		used = append_slug(full, used, sizeof(full), count);
	}
	snprintf(buf, len, "%s", full);
	if (used < len)
		return 0;
	/* cut short: still a clean name, and the caller hears about it */
	for (used = strlen(buf); used && buf[used - 1] == '-'; )
		buf[--used] = '\0';
	return -ENOSPC;
}

int machine_short_id(char *buf, size_t len)
{
	char host[256] = "", model[256] = "";
	struct utsname u;

	if (gethostname(host, sizeof(host) - 1))
		host[0] = '\0';
	if (cpuinfo_field("model name", model, sizeof(model)) &&
	    cpuinfo_field("Processor", model, sizeof(model)) &&
	    cpuinfo_field("cpu model", model, sizeof(model)) && !uname(&u))
		snprintf(model, sizeof(model), "%s", u.machine);	/* e.g. aarch64 */
	return machine_short_id_from(host, model, (int)sysconf(_SC_NPROCESSORS_CONF), buf, len);
}
