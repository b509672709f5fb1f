/*
 * src/strategy/rcu_flavour.h — the rcu strategy's body, compiled once per
 * liburcu flavour (as liburcu compiles src/urcu.c once per flavour):
 * rcu_memb.c and rcu_qsbr.c define RCU_FLAVOUR_QSBR (0 or 1) and include
 * it. Not a header for anyone else. The flavour headers map rcu_read_lock()
 * etc. to different names, so two cannot share a translation unit.
 *
 * The lookup: rcu_read_lock() inline (liburcu's read side, as a
 * non-preemptible kernel's), then one out-of-line call that returns
 * rcu_dereference(group->domain) (where iommu.c would have it: the group is
 * private there), and rcu_read_unlock() in put, after the domain's last use.
 *   memb: the read-side section is a per-thread nesting counter store with
 *         compiler barriers only; the updater pays with membarrier().
 *   qsbr: rcu_read_lock()/unlock() are empty; a reader is online from
 *         thread_init to thread_exit and announces in quiescent() (between
 *         batches) that it holds no domain.
 *
 * ThreadSanitizer: liburcu 0.13's grace period (membarrier, futex, reads of
 * the readers' counters inside liburcu-memb.so / liburcu-qsbr.so) is
 * invisible to TSan, so it would report the poisoning of a domain after
 * synchronize_rcu() as a race with the readers that finished with it before.
 * Under TSan only, readers release rcu_tsan_gp when they leave a read-side
 * critical section (memb) or announce a quiescent state (qsbr), and the
 * updater acquires it after synchronize_rcu(): exactly the happens-before
 * edge a grace period guarantees. Also under TSan only, the flavours are
 * built without _LGPL_SOURCE: liburcu 0.13's inlined reader code
 * (urcu_common_wake_up_gp(), urcu_qsbr_wake_up_gp()) reads and writes
 * urcu_{memb,qsbr}_gp.futex with volatile accesses, by design, which TSan
 * reports as races between readers; built as library calls, the reader side
 * is as opaque to TSan as the updater side already is. Other builds compile
 * these to nothing.
 */
#include "strategy/rcu.h"

#ifndef STRATEGY_RCU_TSAN
#define _LGPL_SOURCE	/* the read side inlined */
#endif

#if RCU_FLAVOUR_QSBR
#include <urcu/urcu-qsbr.h>
#define RCU_P			rcu_qsbr	/* strategy_rcu_qsbr: resolve() picks it */
#define rcu_fl_read_lock	urcu_qsbr_read_lock
#define rcu_fl_read_unlock	urcu_qsbr_read_unlock
#define rcu_fl_register		urcu_qsbr_register_thread	/* registers online */
#define rcu_fl_unregister	urcu_qsbr_unregister_thread
#define rcu_fl_synchronize	urcu_qsbr_synchronize_rcu
#define rcu_unlock_done()	do { } while (0)	/* the qsbr reader is done at quiescent() */
#else
#include <urcu/urcu-memb.h>
#define RCU_P			rcu		/* strategy_rcu: the table's entry */
#define rcu_fl_read_lock	urcu_memb_read_lock
#define rcu_fl_read_unlock	urcu_memb_read_unlock
#define rcu_fl_register		urcu_memb_register_thread
#define rcu_fl_unregister	urcu_memb_unregister_thread
#define rcu_fl_synchronize	urcu_memb_synchronize_rcu
#define rcu_unlock_done()	rcu_tsan_reader_done()
#endif

#define RCU_CAT_(a, b)	a##b
#define RCU_CAT(a, b)	RCU_CAT_(a, b)
#define RCU_FN(x)	RCU_CAT(RCU_P, x)

/* what iommu.c would have: rcu_dereference(group->domain), out of line */
static noipa struct iommu_domain *RCU_FN(_dereference_domain)(struct device *dev)
{
	return strategy_rcu_dereference(dev->iommu_group->domain);
}

static __always_inline struct iommu_domain *RCU_FN(_lookup)(struct device *dev,
							    struct iommu_domain *handed)
{
	struct iommu_domain *domain;

	(void)handed;
	rcu_fl_read_lock();
	domain = RCU_FN(_dereference_domain)(dev);
	if (unlikely(!domain)) {
		rcu_unlock_done();
		rcu_fl_read_unlock();
	}
	return domain;
}

static __always_inline void RCU_FN(_put)(struct device *dev, struct iommu_domain *domain)
{
	(void)dev;
	(void)domain;
	rcu_unlock_done();
	rcu_fl_read_unlock();
}

STRATEGY_GETS_ARE_LOOKUP(RCU_P)

static int RCU_FN(_thread_init)(void)
{
	rcu_fl_register();
	return 0;
}

static void RCU_FN(_thread_exit)(void)
{
#if RCU_FLAVOUR_QSBR
	rcu_tsan_reader_done();
	urcu_qsbr_thread_offline();
#endif
	rcu_fl_unregister();
}

static void RCU_FN(_quiescent)(void)
{
#if RCU_FLAVOUR_QSBR
	rcu_tsan_reader_done();
	urcu_qsbr_quiescent_state();
#endif
}

#if RCU_FLAVOUR_QSBR
void rcu_qsbr_synchronize(void)
#else
void rcu_memb_synchronize(void)
#endif
{
	rcu_fl_synchronize();
}

DEFINE_STRATEGY(RCU_P,
	RCU_STRATEGY_COMMON,
	.thread_init = RCU_FN(_thread_init),
	.thread_exit = RCU_FN(_thread_exit),
	.quiescent = RCU_FN(_quiescent));
