/*
 * The one table of strategies (the order --list, the CSV and the plots use),
 * and what the strategy files share. Adding a strategy: its file (see
 * strategy_impl.h) and one X() line below.
 */
#include <stdio.h>
#include <string.h>
#include "model/crash_dump.h"
#include "strategy/jump_label.h"
#include "strategy/strategy_impl.h"

#define STRATEGY_LIST(X)	\
	X(none)			\
	X(call)			\
	X(refcount)		\
	X(refcount_full)	\
	X(cached)		\
	X(deferred_v2)		\
	X(kdump_gate)		\
	X(static_key)		\
	X(dev_flag)		\
	X(rcu)			\
	X(pcpu_ref)

#define STRATEGY_EXTERN(P)	extern const struct strategy strategy_##P;
#define STRATEGY_ENTRY(P)	&strategy_##P,

STRATEGY_LIST(STRATEGY_EXTERN)

const struct strategy *const strategy_table[] = {
	STRATEGY_LIST(STRATEGY_ENTRY)
};
const unsigned int strategy_count = ARRAY_SIZE(strategy_table);

const struct strategy *strategy_find(const char *name)
{
	if (!name)
		return NULL;
	for (unsigned int i = 0; i < strategy_count; i++)
		if (!strcmp(strategy_table[i]->name, name))
			return strategy_table[i];
	return NULL;
}

const char *strategy_class_name(enum strategy_class c)
{
	switch (c) {
	case STRATEGY_CLASS_FLOOR:		return "floor";
	case STRATEGY_CLASS_READ_MOSTLY:	return "read-mostly";
	case STRATEGY_CLASS_SHARED_WRITE:	return "shared-write";
	case STRATEGY_CLASS_PERCPU:		return "percpu";
	}
	return NULL;
}

int strategy_setup(const struct strategy *s, const struct strategy_config *cfg,
		   const struct strategy **active)
{
	int ret;

	if (!s || !cfg || !active)
		return -EINVAL;
	ret = s->setup(cfg);
	if (ret)
		return ret;
	*active = s->resolve ? s->resolve(cfg) : s;
	return 0;
}

const char *strategy_startup_note(void)
{
	static char line[192];
	int ret = jump_label_init();

	if (!ret)
		return NULL;
	snprintf(line, sizeof(line),
		 "static-key: no jump label patching here (%s); it measures a flag load instead (flag static-key-fallback)",
		 jump_label_unavailable_reason());
	return line;
}

/* setup/teardown run with no worker alive: plain statics are enough */
static bool kdump_before;
static int common_depth;

int strategy_common_setup(const struct strategy_config *cfg)
{
	bool was = model_set_kdump(cfg->kdump);

	if (common_depth++ == 0)
		kdump_before = was;
	return 0;
}

void strategy_common_teardown(void)
{
	if (common_depth == 0)
		return;
	if (--common_depth == 0)
		model_set_kdump(kdump_before);
}

int strategy_nop_thread_init(void) { return 0; }
void strategy_nop_void(void) { }
int strategy_nop_group_init(struct iommu_group *group) { (void)group; return 0; }
void strategy_nop_group_release(struct iommu_group *group) { (void)group; }
int strategy_nop_group_check(struct iommu_group *group) { (void)group; return 0; }
const char *strategy_nop_note(void) { return ""; }
