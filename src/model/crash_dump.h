/*
 * src/model/crash_dump.h — is_kdump_kernel(), as include/linux/crash_dump.h
 * (v6.1) has it: a load of a global and a compare, nothing else.
 *
 * elfcorehdr_addr is set once before any worker runs (model_set_kdump, from
 * the world builder or a test) and only read afterwards, so the fast path's
 * load is of a line nobody writes while measuring. Any thread may call
 * is_kdump_kernel(); model_set_kdump() only with no worker thread alive.
 */
#ifndef DMABENCH_MODEL_CRASH_DUMP_H
#define DMABENCH_MODEL_CRASH_DUMP_H

#include <stdbool.h>

#define ELFCORE_ADDR_MAX	(-1ULL)
#define ELFCORE_ADDR_ERR	(-2ULL)

/* kernel/crash_dump.c: the ELF core header address the crashed kernel passed */
extern unsigned long long elfcorehdr_addr;

static inline bool is_kdump_kernel(void)
{
	return elfcorehdr_addr != ELFCORE_ADDR_MAX;
}

/*
 * Model only: true makes is_kdump_kernel() true (elfcorehdr_addr gets a
 * plausible address), false restores ELFCORE_ADDR_MAX. Returns the previous
 * state so a caller can restore it.
 */
bool model_set_kdump(bool on);

#endif
