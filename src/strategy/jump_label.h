/*
 * src/strategy/jump_label.h — a real jump label in user space, after the
 * kernel's include/linux/jump_label.h and arch/x86/include/asm/jump_label.h
 * (v6.1): static_branch_unlikely() is an `asm goto` site that is a 5-byte NOP
 * while the key is off, so the general case costs no load and no compare.
 * Each site records { site, target, key } in the __dmabench_jump_table
 * section; static_key_enable()/disable() rewrite every site of the key to
 * `jmp rel32` / the NOP (mprotect the text page writable, write, restore).
 *
 * Thread rules: static_key_enable/disable and jump_label_init patch code, so
 * they run with no other thread executing a site (setup/teardown, with no
 * worker alive; the kernel uses stop_machine/text_poke_bp for the same
 * reason). static_branch_unlikely() may run on any thread.
 *
 * Where patching is impossible (not x86-64, or mprotect refused, e.g. a W^X
 * policy), jump_label_init() fails and says why; the sites stay NOPs (never
 * taken) and the user must test the key with static_key_enabled() instead —
 * a plain flag load. The static-key strategy picks that fallback in setup,
 * never per call.
 */
#ifndef DMABENCH_STRATEGY_JUMP_LABEL_H
#define DMABENCH_STRATEGY_JUMP_LABEL_H

#include <stdbool.h>
#include <stdint.h>
#include "model/compiler.h"

struct static_key {
	int enabled;		/* what static_key_enabled() reads */
} ____cacheline_aligned;	/* read-mostly: keep it off written lines */

#define STATIC_KEY_INIT_FALSE	{ .enabled = 0 }
#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key name = STATIC_KEY_INIT_FALSE

struct jump_entry {		/* one per asm goto site, in __dmabench_jump_table */
	uintptr_t code;		/* address of the 5-byte NOP / jmp */
	uintptr_t target;	/* the l_yes label */
	uintptr_t key;		/* struct static_key * */
};

#define JUMP_LABEL_NOP_SIZE	5
/* arch/x86/include/asm/nops.h: BYTES_NOP5, "nopl 0x0(%rax,%rax,1)" */
#define JUMP_LABEL_NOP5		{ 0x0f, 0x1f, 0x44, 0x00, 0x00 }
#define JUMP_LABEL_JMP32_OPCODE	0xe9

#if defined(__x86_64__)
#define HAVE_JUMP_LABEL 1
static __always_inline bool arch_static_branch(struct static_key *key)
{
	__asm__ goto("1: .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"
		     ".pushsection __dmabench_jump_table, \"aw\"\n\t"
		     ".balign 8\n\t"
		     ".quad 1b, %l[l_yes], %c0\n\t"
		     ".popsection\n\t"
		     : : "i"(key) : : l_yes);
	return false;
l_yes:
	return true;
}
#else
#define HAVE_JUMP_LABEL 0
static __always_inline bool arch_static_branch(struct static_key *key)
{
	(void)key;
	return false;		/* no sites to patch: jump_label_init() fails */
}
#endif

/* The site: a NOP until the key is enabled AND patching works. */
#define static_branch_unlikely(key)	unlikely(arch_static_branch(key))

/* The fallback: a plain load of the key's flag and a compare. */
static __always_inline bool static_key_enabled(struct static_key *key)
{
	return READ_ONCE(key->enabled);
}

/*
 * Checks that sites exist and that their text pages can be made writable
 * (it rewrites each site with the bytes already there). 0, or -ENOSYS (no
 * jump label on this architecture), -ENOENT (no sites linked in), or the
 * -errno mprotect gave. Remembers the answer; cheap after the first call.
 */
int jump_label_init(void);
/* Why jump_label_init() failed, one phrase ("mprotect: Permission denied"); "" if it did not. */
const char *jump_label_unavailable_reason(void);

/*
 * Set the key's flag and, when jump_label_init() succeeded, patch every site
 * of the key. 0, or -errno when patching failed: then every site is left a
 * NOP, jump labels count as unavailable from then on, and the flag is set
 * anyway (so a fallback testing static_key_enabled() is right). Setup and
 * teardown only (see the thread rules above).
 */
int static_key_enable(struct static_key *key);
int static_key_disable(struct static_key *key);

/* Sites of a key, for tests: the count, and entry i (NULL past the end). */
int jump_label_site_count(const struct static_key *key);
const struct jump_entry *jump_label_site(const struct static_key *key, int i);

/*
 * Test hook: make jump_label_init() (and so the static-key strategy) behave
 * as if patching were impossible (-EPERM, "forced off by test"), or undo
 * that. Only with every key disabled.
 */
void jump_label_force_unavailable(bool off);

#endif
