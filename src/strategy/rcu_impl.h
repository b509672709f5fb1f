/*
 * src/strategy/rcu_impl.h — what rcu.c and the per-flavour files
 * (rcu_memb.c, rcu_qsbr.c) share. Each flavour file includes its own liburcu
 * header (the flavour headers map rcu_read_lock() etc. to different names,
 * so two cannot share a translation unit) and defines a full hook set.
 *
 * ThreadSanitizer: liburcu 0.13's grace period (membarrier, futex, reads of
 * the readers' counters inside liburcu-memb.so / liburcu-qsbr.so) is
 * invisible to TSan, so it would report the poisoning of a domain after
 * synchronize_rcu() as a race with the readers that finished with it before.
 * Under TSan only, readers release rcu_tsan_gp when they leave a read-side
 * critical section (memb) or announce a quiescent state (qsbr), and the
 * updater acquires it after synchronize_rcu(): exactly the happens-before
 * edge a grace period guarantees. Other builds compile these to nothing.
 *
 * Also under TSan only, the flavour files are built without _LGPL_SOURCE:
 * liburcu 0.13's inlined reader code (urcu_common_wake_up_gp() and
 * urcu_qsbr_wake_up_gp(), urcu/static/urcu-common.h and urcu-qsbr.h) reads
 * and writes urcu_{memb,qsbr}_gp.futex with volatile accesses, by design,
 * which TSan reports as races between readers. Built as library calls, the
 * reader side is as opaque to TSan as the updater side already is.
 */
#ifndef DMABENCH_STRATEGY_RCU_IMPL_H
#define DMABENCH_STRATEGY_RCU_IMPL_H

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
 * consume load (urcu/static/pointer.h); without it (TSan, above) it is a
 * call that gets the pointer's value already loaded by a plain read, which
 * TSan would report against the updater's xchg. Under TSan, the consume load
 * itself, written out.
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

/* the flavour files: a grace period of that flavour, and its hook set */
void rcu_memb_synchronize(void);
void rcu_qsbr_synchronize(void);
extern const struct strategy strategy_rcu_qsbr;	/* strategy_rcu (the table's) is memb */

#define RCU_STRATEGY_COMMON						\
	.name = "rcu",							\
	.description = "not in the kernel: rcu_read_lock(); rcu_dereference(group->domain) (liburcu, memb or qsbr)", \
	.setup = rcu_strategy_setup,					\
	.teardown = rcu_strategy_teardown,				\
	.resolve = rcu_strategy_resolve,				\
	.group_init = strategy_nop_group_init,				\
	.group_release = strategy_nop_group_release,			\
	.group_check = strategy_nop_group_check,			\
	.note = rcu_strategy_note

#endif
