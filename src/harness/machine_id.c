/*
 * The machine's short name (machine_short_id): host name, CPU model
 * abbreviated, CPU count, as the results/<machine>/ folder is named; see
 * machine.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "harness/machine.h"
#include "harness/machine_internal.h"

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
	if (machine_cpuinfo_field("model name", model, sizeof(model)) &&
	    machine_cpuinfo_field("Processor", model, sizeof(model)) &&
	    machine_cpuinfo_field("cpu model", model, sizeof(model)) && !uname(&u))
		snprintf(model, sizeof(model), "%s", u.machine);	/* e.g. aarch64 */
	return machine_short_id_from(host, model, (int)sysconf(_SC_NPROCESSORS_CONF), buf, len);
}
