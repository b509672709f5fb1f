/* tests/test_machine_id.c — src/harness/machine_id.c: the short name's rule
 * on given facts, and on this machine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "test.h"
#include "harness/machine.h"

TEST(machine_short_id_abbreviates_the_cpu)
{
	char b[64];

	CHECK_EQ_INT(machine_short_id_from("vm", "Intel(R) Xeon(R) Processor", 2, b, sizeof(b)), 0);
	CHECK_STR(b, "vm-xeon-2c");
	machine_short_id_from("box.lab.example.org", "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", 80,
			      b, sizeof(b));
	CHECK_STR(b, "box-xeon-gold-6248-80c");
	machine_short_id_from("Big_Host", "AMD EPYC 7763 64-Core Processor", 256, b, sizeof(b));
	CHECK_STR(b, "big-host-epyc-7763-256c");
	machine_short_id_from("h", "Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz", 12, b, sizeof(b));
	CHECK_STR(b, "h-i7-8700k-12c");
	machine_short_id_from("", "", 4, b, sizeof(b));
	CHECK_STR(b, "host-cpu-4c");
	machine_short_id_from("arm", "aarch64", 0, b, sizeof(b));
	CHECK_STR(b, "arm-aarch64");
	machine_short_id_from("../../etc", "a/b c", 1, b, sizeof(b));
	CHECK_STR(b, "host-a-b-c-1c");	/* nothing that walks out of results/ */
	CHECK_EQ_INT(machine_short_id_from("verylonghostname", "Xeon", 2, b, 9), -ENOSPC);
	CHECK_STR(b, "verylong");
	CHECK_EQ_INT(machine_short_id_from("abcdefg", "Xeon", 2, b, 9), -ENOSPC);
	CHECK_STR(b, "abcdefg");	/* no dangling '-' */
}

TEST(machine_short_id_is_filesystem_safe)
{
	char b[128];

	CHECK_EQ_INT(machine_short_id(b, sizeof(b)), 0);
	printf("# machine short id: %s\n", b);
	CHECK(b[0] && b[0] != '-' && b[strlen(b) - 1] != '-');
	CHECK(strspn(b, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(b));
	CHECK_EQ_INT(machine_short_id(b, 0), -EINVAL);
}
