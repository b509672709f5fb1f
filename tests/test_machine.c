/* tests/test_machine.c — src/harness/machine.c: machine.txt keys and warnings,
 * the topology keys from the caller's struct topo. The short id:
 * test_machine_id.c; the library versions: test_machine_libs.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "harness/machine.h"
#include "harness/pmu.h"
#include "harness/topo.h"
#include "topo_env.h"

static const char *const keys[] = {
	"hostname", "date_utc", "topology", "cpu_model", "vendor", "packages", "numa_nodes",
	"numa_distances", "cores", "pus", "allowed_pus", "smt", "caches", "kernel",
	"hypervisor", "clocksource", "governor", "frequency", "turbo", "perf_event_paranoid",
	"perf_counters", "transparent_hugepages", "loadavg", "compiler", "cflags",
	"git_revision", "liburcu", "hwloc", "libpfm4",
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

struct desc {
	char *text;
	char *value[NKEYS];
	int count[NKEYS];
	int other_keys;
	int bad_lines;
	int warnings;
	char warning_text[4096];
};

static void desc_free(struct desc *d)
{
	free(d->text);
	for (size_t i = 0; i < NKEYS; i++)
		free(d->value[i]);
}

/* describe t into memory and split into keys */
static int describe_topo(struct desc *d, const struct topo *t, const char *cflags, const char *rev)
{
	size_t size = 0;
	FILE *f = open_memstream(&d->text, &size);
	char *line, *save = NULL, *copy;
	int rc;

	memset(d, 0, sizeof(*d));
	if (!f)
		return -errno;
	rc = machine_describe(f, t, cflags, rev);
	fclose(f);
	copy = strdup(d->text);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sep = strstr(line, ": ");
		size_t k;

		if (!sep || sep == line || !sep[2] || sep[2] == ' ') {
			d->bad_lines++;
			continue;
		}
		*sep = '\0';
		for (char *p = line; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
				d->bad_lines++;
		if (!strcmp(line, "warning")) {
			d->warnings++;
			strncat(d->warning_text, "# warning: ", sizeof(d->warning_text) - strlen(d->warning_text) - 1);
			strncat(d->warning_text, sep + 2, sizeof(d->warning_text) - strlen(d->warning_text) - 2);
			strcat(d->warning_text, "\n");
			continue;
		}
		for (k = 0; k < NKEYS; k++)
			if (!strcmp(line, keys[k]))
				break;
		if (k == NKEYS) {
			d->other_keys++;
			continue;
		}
		d->count[k]++;
		free(d->value[k]);
		d->value[k] = strdup(sep + 2);
	}
	free(copy);
	return rc;
}

/* the topology the environment gives (hwloc's variables), as a run opens it */
static int describe(struct desc *d, const char *cflags, const char *rev)
{
	struct topo *t = NULL;
	int rc = topo_open(&t);

	if (rc)
		return rc;
	rc = describe_topo(d, t, cflags, rev);
	topo_close(t);
	return rc;
}

static const char *val(const struct desc *d, const char *key)
{
	for (size_t k = 0; k < NKEYS; k++)
		if (!strcmp(keys[k], key))
			return d->value[k] ? d->value[k] : "";
	return "";
}

TEST(machine_describe_writes_every_key_once)
{
	struct desc d;

	REQUIRE(describe(&d, "-O2 -g -Wall", "0123abcd-dirty") == 0);
	for (size_t k = 0; k < NKEYS; k++) {
		CHECK_MSG(d.count[k] == 1, "key %s appears %d times", keys[k], d.count[k]);
		CHECK_MSG(d.value[k] && *d.value[k], "key %s has no value", keys[k]);
	}
	CHECK_EQ_INT(d.bad_lines, 0);
	CHECK_EQ_INT(d.other_keys, 0);
	CHECK_STR(val(&d, "cflags"), "-O2 -g -Wall");
	CHECK_STR(val(&d, "git_revision"), "0123abcd-dirty");
	CHECK(strncmp(val(&d, "compiler"), "gcc ", 4) == 0 || strncmp(val(&d, "compiler"), "clang ", 6) == 0);
	CHECK(atoi(val(&d, "pus")) >= 1);
	CHECK(atoi(val(&d, "numa_nodes")) >= 1);
	CHECK(atoi(val(&d, "allowed_pus")) >= 1 && atoi(val(&d, "allowed_pus")) <= atoi(val(&d, "pus")));
	CHECK(strlen(val(&d, "date_utc")) == 20 && val(&d, "date_utc")[19] == 'Z');
	if (d.bad_lines)
		printf("%s", d.text);
	desc_free(&d);
}

TEST(machine_missing_build_facts_read_unavailable)
{
	struct desc d;

	REQUIRE(describe(&d, NULL, "") == 0);
	CHECK_STR(val(&d, "cflags"), "unavailable");
	CHECK_STR(val(&d, "git_revision"), "unavailable");
	desc_free(&d);
}

TEST(machine_warnings_follow_the_facts)
{
	struct desc d;
	bool vm, smt, one_node, no_hw;

	REQUIRE(describe(&d, "", "") == 0);
	printf("%s", d.warning_text);
	vm = strcmp(val(&d, "hypervisor"), "none") != 0;
	smt = strncmp(val(&d, "smt"), "on", 2) == 0;
	one_node = atoi(val(&d, "numa_nodes")) == 1;
	no_hw = strstr(val(&d, "perf_counters"), "hardware unavailable") != NULL;
	CHECK_EQ_INT(vm, strstr(d.warning_text, "virtual machine") != NULL);
	CHECK_EQ_INT(smt, strstr(d.warning_text, "SMT is on") != NULL);
	CHECK_EQ_INT(one_node, strstr(d.warning_text, "single NUMA node") != NULL);
	CHECK_EQ_INT(no_hw, strstr(d.warning_text, "hardware performance counters") != NULL);
	CHECK(strncmp(val(&d, "topology"), "this system", 11) == 0);
	desc_free(&d);
}

TEST(machine_reports_counters_denied)
{
	struct desc d;

	pmu_set_deny(PMU_DENY_ALL);
	REQUIRE(describe(&d, "", "") == 0);
	pmu_set_deny(PMU_DENY_NONE);
	CHECK_STR(val(&d, "perf_counters"), "hardware unavailable(EACCES); software unavailable(EACCES)");
	CHECK(strstr(d.warning_text, "software performance counters unavailable (EACCES)") != NULL);
	desc_free(&d);
}

/* kernel-side counting refused (perf_event_paranoid 2): task-clock may still
 * open user-only, context-switches and cpu-migrations cannot: not "software ok" */
TEST(machine_reports_kernel_software_counters_denied)
{
	struct desc d;
	const char *v;

	pmu_set_deny(PMU_DENY_KERNEL);
	REQUIRE(describe(&d, "", "") == 0);
	pmu_set_deny(PMU_DENY_NONE);
	v = val(&d, "perf_counters");
	CHECK_MSG(!strstr(v, "software ok"), "perf_counters: %s", v);
	CHECK_MSG(strstr(v, "context-switches unavailable(EACCES)") || strstr(v, "software unavailable(EACCES)"),
		  "perf_counters: %s", v);
	CHECK(strstr(d.warning_text, "context-switches") != NULL);
	desc_free(&d);
}

TEST(machine_topology_keys_follow_hwloc_environment)
{
	struct desc d;
	int rc;

	setenv("HWLOC_SYNTHETIC", "pack:2 numa:2 core:2 pu:2", 1);
	rc = describe(&d, "", "");
	unsetenv("HWLOC_SYNTHETIC");
	REQUIRE(rc == 0);
	CHECK_STR(val(&d, "packages"), "2");
	CHECK_STR(val(&d, "numa_nodes"), "4");
	CHECK_STR(val(&d, "cores"), "8");
	CHECK_STR(val(&d, "pus"), "16");
	CHECK_STR(val(&d, "allowed_pus"), "16 (0-15)");
	CHECK_STR(val(&d, "smt"), "on (2 threads per core)");
	CHECK(strstr(val(&d, "topology"), "not this machine") != NULL);
	CHECK(strstr(d.warning_text, "SMT is on") != NULL);
	CHECK(strstr(d.warning_text, "not this machine") != NULL);
	CHECK(strstr(d.warning_text, "single NUMA node") == NULL);
	for (size_t k = 0; k < NKEYS; k++)
		CHECK_MSG(d.count[k] == 1, "key %s appears %d times", keys[k], d.count[k]);
	desc_free(&d);
}

/* the matrix from the caller's topology, rows in node OS order */
TEST(machine_numa_distances_from_the_topology)
{
	struct topo *t = NULL;
	struct desc d;

	REQUIRE(open_xml(SYN, &t) == 0);
	REQUIRE(describe_topo(&d, t, "", "") == 0);
	topo_close(t);
	CHECK_STR(val(&d, "numa_distances"),
		  "10 21 32 33; 21 10 33 34; 32 33 10 25; 33 34 25 10 (nodes 0,1,2,3)");
	CHECK_STR(val(&d, "cpu_model"), "unavailable");	/* not this machine: no /proc */
	desc_free(&d);
}

/* allowed_pus is the run's allowed set: TOPO_ALLOWED narrows it */
TEST(machine_allowed_pus_are_the_topologys)
{
	struct topo *t = NULL;
	struct desc d;

	REQUIRE(open_env("HWLOC_SYNTHETIC", SYN, "1,9-10,17", &t) == 0);
	REQUIRE(describe_topo(&d, t, "", "") == 0);
	topo_close(t);
	CHECK_STR(val(&d, "allowed_pus"), "4 (1,9-10,17)");
	CHECK_STR(val(&d, "pus"), "32");
	CHECK(strstr(d.warning_text, "only 4 of 32 PUs are allowed") != NULL);
	desc_free(&d);
}

/* no topology: its keys are there, each "unavailable"; the rest as ever */
TEST(machine_without_a_topology_reads_unavailable)
{
	static const char *const topo_keys[] = {
		"cpu_model", "vendor", "packages", "numa_nodes", "numa_distances",
		"cores", "pus", "allowed_pus", "smt", "caches",
	};
	struct desc d;

	REQUIRE(describe_topo(&d, NULL, "", "") == 0);
	CHECK(strncmp(val(&d, "topology"), "unavailable", 11) == 0);
	for (size_t i = 0; i < sizeof(topo_keys) / sizeof(topo_keys[0]); i++)
		CHECK_STR(val(&d, topo_keys[i]), "unavailable");
	for (size_t k = 0; k < NKEYS; k++)
		CHECK_MSG(d.count[k] == 1, "key %s appears %d times", keys[k], d.count[k]);
	desc_free(&d);
}

TEST(machine_describe_reports_a_failed_write)
{
	FILE *f = fopen("/dev/full", "w");

	REQUIRE(f != NULL);
	CHECK_EQ_INT(machine_describe(f, NULL, "", ""), -EIO);
	fclose(f);
	CHECK_EQ_INT(machine_describe(NULL, NULL, "", ""), -EINVAL);
}
