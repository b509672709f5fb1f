/* Tests for src/strategy/jump_label.{h,c}: the site is a NOP, patched to a jmp and back. */
#include <string.h>
#include "test.h"
#include "strategy/jump_label.h"

static DEFINE_STATIC_KEY_FALSE(test_key);
static DEFINE_STATIC_KEY_FALSE(other_key);

static noinline int test_site(void)
{
	if (static_branch_unlikely(&test_key))
		return 1;
	return 0;
}

static noinline int other_site(void)
{
	if (static_branch_unlikely(&other_key))
		return 1;
	return 0;
}

static bool site_is_nop(const struct jump_entry *e)
{
	static const unsigned char nop5[] = JUMP_LABEL_NOP5;

	return !memcmp((const void *)e->code, nop5, sizeof(nop5));
}

static bool site_is_jmp_to_target(const struct jump_entry *e)
{
	const unsigned char *p = (const unsigned char *)e->code;
	int32_t rel;

	memcpy(&rel, p + 1, sizeof(rel));
	return p[0] == JUMP_LABEL_JMP32_OPCODE &&
	       e->code + JUMP_LABEL_NOP_SIZE + (intptr_t)rel == e->target;
}

TEST(jump_label_init_works_here)
{
	int ret = jump_label_init();

	if (!HAVE_JUMP_LABEL) {
		CHECK_EQ_INT(ret, -ENOSYS);
		return;
	}
	CHECK_MSG(ret == 0, "jump_label_init() = %d (%s)", ret, jump_label_unavailable_reason());
	CHECK_STR(jump_label_unavailable_reason(), "");
}

TEST(jump_label_sites_are_recorded_per_key)
{
	if (!HAVE_JUMP_LABEL)
		return;
	CHECK(jump_label_site_count(&test_key) >= 1);
	CHECK(jump_label_site_count(&other_key) >= 1);
	for (int i = 0; i < jump_label_site_count(&test_key); i++) {
		const struct jump_entry *e = jump_label_site(&test_key, i);

		REQUIRE(e);
		CHECK(e->key == (uintptr_t)&test_key);
		CHECK(e->target != e->code);
	}
	CHECK(jump_label_site(&test_key, jump_label_site_count(&test_key)) == NULL);
}

TEST(jump_label_off_is_a_nop_and_not_taken)
{
	REQUIRE(jump_label_init() == 0 || !HAVE_JUMP_LABEL);
	CHECK_EQ_INT(test_site(), 0);
	CHECK(!static_key_enabled(&test_key));
	for (int i = 0; i < jump_label_site_count(&test_key); i++)
		CHECK(site_is_nop(jump_label_site(&test_key, i)));
}

TEST(jump_label_enable_patches_a_jmp_and_the_branch_flips)
{
	if (!HAVE_JUMP_LABEL || jump_label_init())
		return;
	REQUIRE(static_key_enable(&test_key) == 0);
	CHECK_EQ_INT(test_site(), 1);
	CHECK(static_key_enabled(&test_key));
	for (int i = 0; i < jump_label_site_count(&test_key); i++)
		CHECK(site_is_jmp_to_target(jump_label_site(&test_key, i)));
	/* only this key's sites moved */
	CHECK_EQ_INT(other_site(), 0);
	for (int i = 0; i < jump_label_site_count(&other_key); i++)
		CHECK(site_is_nop(jump_label_site(&other_key, i)));

	REQUIRE(static_key_disable(&test_key) == 0);
	CHECK_EQ_INT(test_site(), 0);
	CHECK(!static_key_enabled(&test_key));
	for (int i = 0; i < jump_label_site_count(&test_key); i++)
		CHECK(site_is_nop(jump_label_site(&test_key, i)));
}

TEST(jump_label_flips_repeatedly)
{
	if (!HAVE_JUMP_LABEL || jump_label_init())
		return;
	for (int i = 0; i < 50; i++) {
		REQUIRE(static_key_enable(&test_key) == 0);
		CHECK_EQ_INT(test_site(), 1);
		REQUIRE(static_key_disable(&test_key) == 0);
		CHECK_EQ_INT(test_site(), 0);
	}
}

TEST(jump_label_forced_unavailable_leaves_nops_and_sets_the_flag)
{
	jump_label_force_unavailable(true);
	CHECK_EQ_INT(jump_label_init(), -EPERM);
	CHECK(strlen(jump_label_unavailable_reason()) > 0);
	REQUIRE(static_key_enable(&test_key) == 0);
	CHECK(static_key_enabled(&test_key));		/* the fallback reads this */
	CHECK_EQ_INT(test_site(), 0);			/* the site was not patched */
	for (int i = 0; i < jump_label_site_count(&test_key); i++)
		CHECK(site_is_nop(jump_label_site(&test_key, i)));
	REQUIRE(static_key_disable(&test_key) == 0);
	CHECK(!static_key_enabled(&test_key));
	jump_label_force_unavailable(false);
	if (HAVE_JUMP_LABEL)
		CHECK_EQ_INT(jump_label_init(), 0);
}
