/*
 * static-key: drivers/iommu/dma-iommu.c v5.12+: the cached lookup, then
 * static_branch_unlikely(&iommu_deferred_attach_enabled) &&
 * iommu_deferred_attach(dev, domain) in the map paths only. The key is a real
 * jump label (jump_label.h): a 5-byte NOP in the general case, patched to a
 * jmp in setup when kdump mode is on (the kernel enables it in
 * iommu_dma_init() when is_kdump_kernel()).
 *
 * Where patching is impossible, setup picks a second hook set that tests
 * the key's flag with a plain load instead (note(): "static-key-fallback"),
 * so the choice is made once, never per call.
 */
#include "model/crash_dump.h"
#include "strategy/jump_label.h"
#include "strategy/strategy_impl.h"

DEFINE_STATIC_KEY_FALSE(iommu_deferred_attach_enabled);

static bool fallback;		/* setup found no jump label patching */

static __always_inline int static_key_check(struct device *dev, struct iommu_domain *domain)
{
	return static_branch_unlikely(&iommu_deferred_attach_enabled) &&
	       iommu_deferred_attach(dev, domain);
}

STRATEGY_GATED_GETS(static_key, static_key_check)

/* the fallback: the same, with the key's flag loaded */
#define static_key_fallback_lookup	static_key_lookup
#define static_key_fallback_unmap_get	static_key_unmap_get
#define static_key_fallback_put		static_key_put

static __always_inline int static_key_fallback_check(struct device *dev,
						      struct iommu_domain *domain)
{
	return unlikely(static_key_enabled(&iommu_deferred_attach_enabled)) &&
	       iommu_deferred_attach(dev, domain);
}

STRATEGY_CHECKED_MAP_GET(static_key_fallback, static_key_fallback_check)

static int static_key_setup(const struct strategy_config *cfg)
{
	int ret;

	fallback = jump_label_init() != 0;
	if (cfg->kdump)
		ret = static_key_enable(&iommu_deferred_attach_enabled);
	else
		ret = static_key_disable(&iommu_deferred_attach_enabled);
	if (ret)
		fallback = true;	/* the flag is set either way; only patching failed */
	return strategy_common_setup(cfg);
}

static void static_key_teardown(void)
{
	static_key_disable(&iommu_deferred_attach_enabled);
	strategy_common_teardown();
}

static const char *static_key_note(void)
{
	return fallback ? "static-key-fallback" : "";
}

static const struct strategy *static_key_resolve(const struct strategy_config *cfg);

#define STATIC_KEY_COMMON						\
	.name = "static-key",						\
	.description = "later form: cached lookup, deferred-attach check behind a jump label (NOP), map only", \
	.class = STRATEGY_CLASS_READ_MOSTLY,				\
	.flags = STRATEGY_GATED,					\
	.setup = static_key_setup,					\
	.teardown = static_key_teardown,				\
	.resolve = static_key_resolve,					\
	.note = static_key_note

DEFINE_STRATEGY(static_key, STATIC_KEY_COMMON);
DEFINE_STRATEGY_STATIC(static_key_fallback, STATIC_KEY_COMMON);

static const struct strategy *static_key_resolve(const struct strategy_config *cfg)
{
	(void)cfg;
	return fallback ? &strategy_static_key_fallback : &strategy_static_key;
}

struct static_key *strategy_deferred_attach_key(void)
{
	return &iommu_deferred_attach_enabled;
}
