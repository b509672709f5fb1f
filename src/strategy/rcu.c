/*
 * rcu: not in the kernel — the lookup as an RCU reader of group->domain,
 * with liburcu (flavour from strategy_config.rcu_flavor, resolved in setup to
 * the flavour's own hooks: rcu_flavour.h, built as rcu_memb.c and
 * rcu_qsbr.c). What it would take for the group's domain to change under
 * running maps without a refcount: the updater publishes with
 * rcu_xchg_pointer() and frees after a grace period.
 */
#define _LGPL_SOURCE
#include <urcu/pointer.h>
#include "strategy/rcu.h"

#ifdef STRATEGY_RCU_TSAN
char rcu_tsan_gp;
#endif

static enum rcu_flavor flavor = RCU_FLAVOR_MEMB;

int rcu_strategy_setup(const struct strategy_config *cfg)
{
	if (cfg->rcu_flavor != RCU_FLAVOR_MEMB && cfg->rcu_flavor != RCU_FLAVOR_QSBR)
		return -EINVAL;
	flavor = cfg->rcu_flavor;
	return strategy_common_setup(cfg);
}

void rcu_strategy_teardown(void)
{
	strategy_common_teardown();
}

const struct strategy *rcu_strategy_resolve(const struct strategy_config *cfg)
{
	return cfg->rcu_flavor == RCU_FLAVOR_QSBR ? &strategy_rcu_qsbr : &strategy_rcu;
}

const char *rcu_strategy_note(void)
{
	return flavor == RCU_FLAVOR_QSBR ? "rcu-qsbr" : "rcu-memb";
}

struct iommu_domain *strategy_rcu_swap_domain(struct iommu_group *group,
					      struct iommu_domain *domain)
{
	struct iommu_domain *old;

#ifdef STRATEGY_RCU_TSAN
	/* rcu_xchg_pointer() is inline asm TSan cannot see; the same xchg it can */
	old = __atomic_exchange_n(&group->domain, domain, __ATOMIC_SEQ_CST);
#else
	old = rcu_xchg_pointer(&group->domain, domain);
#endif
	if (flavor == RCU_FLAVOR_QSBR)
		rcu_qsbr_synchronize();
	else
		rcu_memb_synchronize();
	rcu_tsan_gp_done();
	if (old)
		WRITE_ONCE(old->magic, DOMAIN_POISON);
	return old;
}
