/* tests/test_machine_libs.c — src/harness/machine_libs.c: the liburcu, hwloc
 * and libpfm4 lines, each once, naming where the figure comes from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hwloc.h>
#include "test.h"
#include "harness/machine_internal.h"

TEST(library_lines_name_each_library_once)
{
	struct machine_writer *w = calloc(1, sizeof(*w));
	char *text = NULL, *p;
	size_t size = 0;
	int lines = 0;

	REQUIRE(w);
	w->out = open_memstream(&text, &size);
	REQUIRE(w->out);
	machine_lib_versions(w);
	fclose(w->out);
	REQUIRE(text);
	for (p = text; (p = strchr(p, '\n')); p++)
		lines++;
	CHECK_EQ_INT(lines, 3);
	CHECK(!strncmp(text, "liburcu: ", 9));
	/* the hwloc headers this was built with, and the loaded library */
	p = strstr(text, "\nhwloc: " HWLOC_VERSION " (headers; ");
	CHECK_MSG(p != NULL, "%s", text);
	p = strstr(text, "\nlibpfm4: ");
	CHECK_MSG(p && strstr(p, "API 4."), "%s", text);
	CHECK_EQ_INT(w->nr_warnings, 0);
	free(text);
	free(w);
}
