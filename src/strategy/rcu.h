/*
 * src/strategy/rcu.h — what rcu.c (the flavour choice, the updater) and the
 * per-flavour builds of rcu_flavour.h share; not for use outside
 * src/strategy/. See rcu_flavour.h for the reader and the TSan notes.
 */
#ifndef DMABENCH_STRATEGY_RCU_H
#define DMABENCH_STRATEGY_RCU_H

#include "strategy/strategy_impl.h"

#if defined(__SANITIZE_THREAD__)
#define STRATEGY_RCU_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define STRATEGY_RCU_TSAN 1
#endif
#endif

#ifdef STRATEGY_RCU_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
extern char rcu_tsan_gp;
#define rcu_tsan_reader_done()	__tsan_release(&rcu_tsan_gp)
#define rcu_tsan_gp_done()	__tsan_acquire(&rcu_tsan_gp)
#else
#define rcu_tsan_reader_done()	do { } while (0)
#define rcu_tsan_gp_done()	do { } while (0)
#endif

/*
 * rcu_dereference(). Built with _LGPL_SOURCE, liburcu 0.13's is a C11
 * consume load (urcu/static/pointer.h); without it (TSan) it is a call that
 * gets the pointer's value already loaded by a plain read, which TSan would
 * report against the updater's xchg. Under TSan, the consume load itself.
 */
#ifdef STRATEGY_RCU_TSAN
#define strategy_rcu_dereference(p)	__atomic_load_n(&(p), __ATOMIC_CONSUME)
#else
#define strategy_rcu_dereference(p)	rcu_dereference(p)
#endif

/* rcu.c */
int rcu_strategy_setup(const struct strategy_config *cfg);
void rcu_strategy_teardown(void);
const struct strategy *rcu_strategy_resolve(const struct strategy_config *cfg);
const char *rcu_strategy_note(void);

/* the flavour builds: a grace period of that flavour, and qsbr's hook set */
void rcu_memb_synchronize(void);
void rcu_qsbr_synchronize(void);
extern const struct strategy strategy_rcu, strategy_rcu_qsbr;

#define RCU_STRATEGY_COMMON						\
	.name = "rcu",							\
	.description = "not in the kernel: rcu_read_lock(); rcu_dereference(group->domain) (liburcu, memb or qsbr)", \
	.class = STRATEGY_CLASS_READ_MOSTLY,				\
	.setup = rcu_strategy_setup,					\
	.teardown = rcu_strategy_teardown,				\
	.resolve = rcu_strategy_resolve,				\
	.note = rcu_strategy_note

#endif
