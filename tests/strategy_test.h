/* tests/strategy_test.h: what the strategy test files share. */
#ifndef DMABENCH_TESTS_STRATEGY_TEST_H
#define DMABENCH_TESTS_STRATEGY_TEST_H

#include "test.h"
#include "strategy/strategy.h"

/* the strategy set up for kdump and flavour f (a CHECK failure and NULL if refused) */
static inline const struct strategy *setup_or_null(const struct strategy *s, bool kdump, enum rcu_flavor f)
{
	struct strategy_config cfg = { .kdump = kdump, .rcu_flavor = f };
	const struct strategy *active = NULL;
	int ret = strategy_setup(s, &cfg, &active);

	CHECK_MSG(ret == 0, "%s: setup = %d", s->name, ret);
	return ret ? NULL : active;
}

#endif
