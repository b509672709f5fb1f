/* Jump label patching: kernel/jump_label.c + arch/x86/kernel/jump_label.c, v6.1. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "strategy/jump_label.h"

/* The linker makes these for a section whose name is a C identifier. */
extern struct jump_entry __start___dmabench_jump_table[] __attribute__((weak));
extern struct jump_entry __stop___dmabench_jump_table[] __attribute__((weak));

static int init_result = 1;		/* 1: not tried yet */
static bool forced_off;
static char reason[96];

static const unsigned char nop5[JUMP_LABEL_NOP_SIZE] = JUMP_LABEL_NOP5;

static struct jump_entry *first_entry(void) { return __start___dmabench_jump_table; }
static struct jump_entry *last_entry(void) { return __stop___dmabench_jump_table; }

static void set_reason(const char *what, int err)
{
	if (err)
		snprintf(reason, sizeof(reason), "%s: %s", what, strerror(err));
	else
		snprintf(reason, sizeof(reason), "%s", what);
}

/*
 * text_poke() for a process: make the page(s) under the site writable,
 * write, put the protection back. PROT_EXEC stays on throughout: the page
 * may hold the code doing the patching.
 */
static int text_poke(uintptr_t addr, const unsigned char *bytes, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t start = addr & ~(uintptr_t)(page - 1);
	size_t span = (addr + len) - start;

	if (mprotect((void *)start, span, PROT_READ | PROT_WRITE | PROT_EXEC))
		return -errno;
	memcpy((void *)addr, bytes, len);
	__builtin___clear_cache((char *)addr, (char *)addr + len);
	if (mprotect((void *)start, span, PROT_READ | PROT_EXEC))
		return -errno;
	return 0;
}

/* arch/x86/kernel/jump_label.c: __jump_label_set_jump_code() — jmp rel32 or NOP5. */
static void jump_code(const struct jump_entry *e, bool jump, unsigned char out[JUMP_LABEL_NOP_SIZE])
{
	if (jump) {
		int32_t rel = (int32_t)((intptr_t)e->target - (intptr_t)(e->code + JUMP_LABEL_NOP_SIZE));

		out[0] = JUMP_LABEL_JMP32_OPCODE;
		memcpy(out + 1, &rel, sizeof(rel));
	} else {
		memcpy(out, nop5, JUMP_LABEL_NOP_SIZE);
	}
}

int jump_label_init(void)
{
	struct jump_entry *e;
	int ret;

	if (forced_off) {
		set_reason("forced off by test", 0);
		return -EPERM;
	}
	if (init_result != 1)
		return init_result;
	if (!HAVE_JUMP_LABEL) {
		set_reason("no jump label on this architecture", 0);
		return init_result = -ENOSYS;
	}
	if (!first_entry() || first_entry() == last_entry()) {
		set_reason("no jump label sites linked in", 0);
		return init_result = -ENOENT;
	}
	for (e = first_entry(); e < last_entry(); e++) {
		/* every site starts as the NOP the asm wrote; anything else is not ours */
		if (memcmp((const void *)e->code, nop5, JUMP_LABEL_NOP_SIZE)) {
			set_reason("a jump label site does not hold the expected NOP", 0);
			return init_result = -EILSEQ;
		}
		/* the jump must reach: same binary, so it always does; check anyway */
		intptr_t rel = (intptr_t)e->target - (intptr_t)(e->code + JUMP_LABEL_NOP_SIZE);
		if (rel != (int32_t)rel) {
			set_reason("a jump label target is out of rel32 range", 0);
			return init_result = -ERANGE;
		}
		ret = text_poke(e->code, nop5, JUMP_LABEL_NOP_SIZE);
		if (ret) {
			set_reason("mprotect", -ret);
			return init_result = ret;
		}
	}
	reason[0] = '\0';
	return init_result = 0;
}

const char *jump_label_unavailable_reason(void)
{
	return reason;
}

void jump_label_force_unavailable(bool off)
{
	forced_off = off;
	if (!off)
		reason[0] = '\0';
}

/* kernel/jump_label.c: __jump_label_update() — every site of the key. */
static int jump_label_update(struct static_key *key, bool jump)
{
	unsigned char code[JUMP_LABEL_NOP_SIZE];
	struct jump_entry *e;
	int ret;

	for (e = first_entry(); e < last_entry(); e++) {
		if (e->key != (uintptr_t)key)
			continue;
		jump_code(e, jump, code);
		ret = text_poke(e->code, code, JUMP_LABEL_NOP_SIZE);
		if (ret)
			return ret;
	}
	return 0;
}

static int static_key_set(struct static_key *key, bool on)
{
	int ret = 0;

	if (jump_label_init() == 0) {
		ret = jump_label_update(key, on);
		if (ret) {
			/* every site back to the NOP; no more patching from now on */
			jump_label_update(key, false);
			set_reason("mprotect", -ret);
			init_result = ret;
		}
	}
	WRITE_ONCE(key->enabled, on);	/* the fallback reads this either way */
	return ret;
}

int static_key_enable(struct static_key *key)
{
	return static_key_set(key, true);
}

int static_key_disable(struct static_key *key)
{
	return static_key_set(key, false);
}

int jump_label_site_count(const struct static_key *key)
{
	int n = 0;

	if (!first_entry())
		return 0;
	for (struct jump_entry *e = first_entry(); e < last_entry(); e++)
		n += e->key == (uintptr_t)key;
	return n;
}

const struct jump_entry *jump_label_site(const struct static_key *key, int i)
{
	if (!first_entry() || i < 0)
		return NULL;
	for (struct jump_entry *e = first_entry(); e < last_entry(); e++)
		if (e->key == (uintptr_t)key && i-- == 0)
			return e;
	return NULL;
}
