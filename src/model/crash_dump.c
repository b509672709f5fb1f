/* kernel/crash_dump.c + include/linux/crash_dump.h, v6.1: elfcorehdr_addr */
#include "model/compiler.h"
#include "model/crash_dump.h"

/*
 * Read on the fast path by the gated strategies, written only at set-up: its
 * own line, so no set-up-time neighbour's write can make the load miss.
 */
unsigned long long elfcorehdr_addr ____cacheline_aligned = ELFCORE_ADDR_MAX;

bool model_set_kdump(bool on)
{
	bool was = is_kdump_kernel();

	/* any address but ELFCORE_ADDR_MAX means "we are the capture kernel" */
	elfcorehdr_addr = on ? 0x7f000000ULL : ELFCORE_ADDR_MAX;
	return was;
}
