/*
 * Tests for src/strategy/: the table, the hooks, and each strategy's
 * behaviour on hand-built model objects (a group of two devices on one
 * domain of the mock IOMMU driver), driven by several threads. The RCU
 * swaps are in test_strategy_rcu.c, the runs through a model world in
 * test_strategy_world.c.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "strategy_test.h"
#include "model/crash_dump.h"
#include "model/dma-lookup.h"
#include "model/dma-iommu.h"
#include "model/model-iommu.h"
#include "model/model.h"
#include "strategy/jump_label.h"
#include "strategy/strategy.h"

#define NR_THREADS	4
#define NR_DEVICES	2
#define ROUNDS		2000
#define BATCH		64

/* ---- the table: properties of every entry, no names or counts pinned ---- */

TEST(table_names_are_unique_lowercase_words)
{
	REQUIRE(strategy_count >= 2);
	for (unsigned int i = 0; i < strategy_count; i++) {
		const char *n = strategy_table[i]->name;

		REQUIRE(n);
		CHECK_MSG(strlen(n) >= 2 && strlen(n) <= 16, "%s: name length", n);
		CHECK_MSG(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(n),
			  "%s: a name is lowercase letters, digits and '-'", n);
		for (unsigned int j = 0; j < i; j++)
			CHECK(strcmp(n, strategy_table[j]->name) != 0);
	}
}

TEST(table_descriptions_are_one_line_each)
{
	for (unsigned int i = 0; i < strategy_count; i++) {
		const char *d = strategy_table[i]->description;

		REQUIRE(d);
		CHECK_MSG(strlen(d) > 10 && strlen(d) < 120, "%s: description length %zu",
			  strategy_table[i]->name, strlen(d));
		CHECK(!strchr(d, '\n'));
	}
}

TEST(table_every_entry_has_a_class_and_the_floors_come_first)
{
	bool seen_other = false;

	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategy_table[i];

		CHECK_MSG(strategy_class_name(s->class) != NULL, "%s: class %d", s->name, s->class);
		if (s->class != STRATEGY_CLASS_FLOOR)
			seen_other = true;
		else
			CHECK_MSG(!seen_other, "%s: a floor after a design", s->name);
		CHECK_MSG(!(s->flags & ~(STRATEGY_GATED | STRATEGY_CMPXCHG_LOOP)), "%s: unknown flags %#x",
			  s->name, s->flags);
		/* a cmpxchg loop is a shared-line RMW: only on the shared-write class */
		CHECK_MSG(!(s->flags & STRATEGY_CMPXCHG_LOOP) || (s->class == STRATEGY_CLASS_SHARED_WRITE &&
							      s->shared_rmws > 0),
			  "%s: cmpxchg loops outside the shared-write class", s->name);
	}
	CHECK(strategy_class_name((enum strategy_class)99) == NULL);
	CHECK_STR(strategy_class_name(STRATEGY_CLASS_SHARED_WRITE), "shared-write");
}

TEST(strategy_find_finds_each_name_and_nothing_else)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		CHECK(strategy_find(strategy_table[i]->name) == strategy_table[i]);
	CHECK(strategy_find("rcu-qsbr") == NULL);
	CHECK(strategy_find("") == NULL);
	CHECK(strategy_find("None") == NULL);
	CHECK(strategy_find(NULL) == NULL);
}

static void check_hooks(const struct strategy *s, const char *what)
{
	const struct dma_lookup_ops *o = &s->ops;

	CHECK_MSG(s->setup && s->teardown && s->thread_init && s->thread_exit &&
		  s->quiescent && o->group_init && o->group_release && o->group_check &&
		  o->lookup && o->map_get && o->unmap_get && o->put && o->map_page &&
		  o->unmap_page && o->map_sg && o->unmap_sg &&
		  s->lookup_batch && s->note, "%s (%s): a NULL hook", s->name, what);
	/* the paths are the strategy's own instantiation, not the generic ones */
	CHECK_MSG(o->map_page != dma_lookup_generic_map_page &&
		  o->unmap_page != dma_lookup_generic_unmap_page &&
		  o->map_sg != dma_lookup_generic_map_sg &&
		  o->unmap_sg != dma_lookup_generic_unmap_sg,
		  "%s (%s): generic DMA paths (indirect lookups)", s->name, what);
}



TEST(every_hook_is_set_in_every_strategy_and_every_resolved_variant)
{
	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategy_table[i], *a;

		check_hooks(s, "table");
		a = setup_or_null(s, false, RCU_FLAVOR_QSBR);
		if (!a)
			continue;
		check_hooks(a, "resolved");
		CHECK_STR(a->name, s->name);
		CHECK(a->flags == s->flags);
		CHECK(a->class == s->class);
		CHECK(a->setup == s->setup && a->teardown == s->teardown);
		a->teardown();
	}
	jump_label_force_unavailable(true);
	const struct strategy *a = setup_or_null(strategy_find("static-key"), false, RCU_FLAVOR_MEMB);
	if (a) {
		check_hooks(a, "fallback");
		a->teardown();
	}
	jump_label_force_unavailable(false);
}

TEST(setup_sets_kdump_and_teardown_restores_it)
{
	CHECK(!is_kdump_kernel());
	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *a = setup_or_null(strategy_table[i], true, RCU_FLAVOR_MEMB);

		if (!a)
			continue;
		CHECK_MSG(is_kdump_kernel(), "%s", strategy_table[i]->name);
		a->teardown();
		CHECK_MSG(!is_kdump_kernel(), "%s", strategy_table[i]->name);
	}
}

TEST(rcu_resolves_the_flavour_to_its_own_hooks)
{
	const struct strategy *rcu = strategy_find("rcu"), *memb, *qsbr;
	struct strategy_config bad = { .rcu_flavor = (enum rcu_flavor)7 };
	const struct strategy *active = NULL;

	REQUIRE(rcu && rcu->resolve);
	memb = setup_or_null(rcu, false, RCU_FLAVOR_MEMB);
	REQUIRE(memb);
	CHECK_STR(memb->note(), "rcu-memb");
	memb->teardown();
	qsbr = setup_or_null(rcu, false, RCU_FLAVOR_QSBR);
	REQUIRE(qsbr);
	CHECK_STR(qsbr->note(), "rcu-qsbr");
	qsbr->teardown();
	CHECK(memb != qsbr);
	CHECK(memb->ops.map_get != qsbr->ops.map_get);
	CHECK(memb->ops.map_page != qsbr->ops.map_page);
	CHECK(memb->quiescent != qsbr->quiescent);
	CHECK(memb->lookup_batch != qsbr->lookup_batch);
	CHECK_EQ_INT(strategy_setup(rcu, &bad, &active), -EINVAL);
	CHECK(active == NULL);
}

/* ---- hand-built model objects ---- */

static int nr_is_attach_deferred;	/* atomic: calls of the indirect check */

static bool counting_is_attach_deferred(struct iommu_domain *domain, struct device *dev)
{
	__atomic_fetch_add(&nr_is_attach_deferred, 1, __ATOMIC_RELAXED);
	return model_iommu_ops.is_attach_deferred(domain, dev);
}

static struct iommu_ops counting_ops;

struct fixture {
	struct model_iommu *iommu;
	struct iommu_domain *domain;
	struct kobject devices_kobj;
	struct iommu_group group;
	struct device dev[NR_DEVICES];
	struct device *devp[NR_DEVICES];
	const struct strategy *s;	/* active */
	bool kdump;
};

static int fixture_init(struct fixture *f, const struct strategy *table_entry, bool kdump,
			enum rcu_flavor flavor)
{
	memset(f, 0, sizeof(*f));
	counting_ops = model_iommu_ops;
	counting_ops.is_attach_deferred = counting_is_attach_deferred;
	f->kdump = kdump;
	f->s = setup_or_null(table_entry, kdump, flavor);
	if (!f->s)
		return -1;
	f->iommu = model_iommu_create(0);
	if (!f->iommu)
		return -1;
	f->domain = model_iommu_domain_alloc(f->iommu, IOMMU_DOMAIN_DMA);
	if (!f->domain)
		return -1;
	f->domain->ops = &counting_ops;
	kobject_init(&f->devices_kobj, NULL);
	f->group.devices_kobj = &f->devices_kobj;
	pthread_mutex_init(&f->group.mutex, NULL);
	f->group.default_domain = f->domain;
	f->group.domain = f->domain;
	f->group.model_devices = f->devp;
	f->group.model_nr_devices = NR_DEVICES;
	if (f->s->ops.group_init(&f->group))
		return -1;
	for (int i = 0; i < NR_DEVICES; i++) {
		struct device *dev = &f->dev[i];

		f->devp[i] = dev;
		dev->iommu_group = &f->group;
		dev->dma_lookup = &f->s->ops;
		dev->model_id = i;
		if (model_iommu_probe_device(dev, kdump))
			return -1;
		/* normal mode: attached at probe, as the kernel's default domain attach does */
		if (!kdump && __iommu_attach_device(f->domain, dev))
			return -1;
	}
	__atomic_store_n(&nr_is_attach_deferred, 0, __ATOMIC_RELAXED);
	return 0;
}

static void fixture_fini(struct fixture *f)
{
	for (int i = 0; i < NR_DEVICES; i++)
		if (f->dev[i].iommu)
			model_iommu_release_device(&f->dev[i]);
	if (f->s) {
		f->s->ops.group_release(&f->group);
		f->s->teardown();
	}
	if (f->domain) {
		f->domain->ops = &model_iommu_ops;
		model_iommu_domain_free(f->domain);
	}
	if (f->iommu)
		model_iommu_destroy(f->iommu);
	pthread_mutex_destroy(&f->group.mutex);
}

/* ---- several threads map and unmap through the hooks ---- */

struct worker {
	pthread_t thread;
	struct fixture *f;
	int cpu;
	long bad_domain;	/* a get returned something other than the domain */
	long failed;		/* a get returned NULL */
	long batch_failed;
	int init_ret;
} ____cacheline_aligned;

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct fixture *f = w->f;
	const struct strategy *s = f->s;
	struct device *dev = &f->dev[w->cpu % NR_DEVICES];
	struct iommu_domain *d;

	model_set_this_cpu(w->cpu);
	w->init_ret = s->thread_init();
	if (w->init_ret)
		return NULL;
	for (int r = 0; r < ROUNDS; r++) {
		d = s->ops.map_get(dev, f->domain);
		if (!d) {
			w->failed++;
		} else {
			if (d != f->domain || READ_ONCE(d->magic) != DOMAIN_MAGIC)
				w->bad_domain++;
			s->ops.put(dev, d);
		}
		d = s->ops.unmap_get(dev, f->domain);
		if (!d) {
			w->failed++;
		} else {
			if (d != f->domain || READ_ONCE(d->magic) != DOMAIN_MAGIC)
				w->bad_domain++;
			s->ops.put(dev, d);
		}
		if (r % 16 == 15)
			s->quiescent();
	}
	w->batch_failed = (long)s->lookup_batch(dev, f->domain, BATCH);
	s->quiescent();
	s->thread_exit();
	return NULL;
}

static void run_workers(struct fixture *f, struct worker *w)
{
	for (int i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .f = f, .cpu = i };
		REQUIRE(pthread_create(&w[i].thread, NULL, worker_main, &w[i]) == 0);
	}
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(w[i].thread, NULL);
}

static void run_strategy_mode(const struct strategy *table_entry, bool kdump, enum rcu_flavor flavor)
{
	const char *name = table_entry->name;
	const char *mode = kdump ? "kdump" : "normal";
	struct worker w[NR_THREADS];
	struct fixture f;
	int start_ref;

	if (fixture_init(&f, table_entry, kdump, flavor)) {
		CHECK_MSG(0, "%s/%s: fixture", name, mode);
		fixture_fini(&f);
		return;
	}
	start_ref = kref_read(&f.devices_kobj.kref);
	run_workers(&f, w);

	for (int i = 0; i < NR_THREADS; i++) {
		CHECK_MSG(w[i].init_ret == 0, "%s/%s: thread_init = %d", name, mode, w[i].init_ret);
		CHECK_MSG(w[i].bad_domain == 0, "%s/%s: %ld gets returned the wrong domain",
			  name, mode, w[i].bad_domain);
		CHECK_MSG(w[i].failed == 0, "%s/%s: %ld gets failed", name, mode, w[i].failed);
		CHECK_MSG(w[i].batch_failed == 0, "%s/%s: lookup_batch failed %ld", name, mode,
			  w[i].batch_failed);
	}
	CHECK_MSG(kref_read(&f.devices_kobj.kref) == start_ref,
		  "%s/%s: group refcount %d, started at %d", name, mode,
		  kref_read(&f.devices_kobj.kref), start_ref);
	CHECK_MSG(f.s->ops.group_check(&f.group) == 0, "%s/%s: group_check reports a leak", name, mode);
	for (int i = 0; i < NR_DEVICES; i++) {
		/* normal: the probe-time attach only; kdump: the first map's, exactly once */
		CHECK_MSG(f.dev[i].model_attach_count == 1, "%s/%s: dev%d attached %d times",
			  name, mode, i, f.dev[i].model_attach_count);
		CHECK_MSG(!f.dev[i].iommu->attach_deferred, "%s/%s: dev%d still deferred", name, mode, i);
	}
	if (!kdump) {
		/* the general case never takes the deferred path; only the posted patch asks */
		int calls = __atomic_load_n(&nr_is_attach_deferred, __ATOMIC_RELAXED);

		if (!strcmp(name, "deferred-v2"))
			CHECK_MSG(calls == NR_THREADS * (2 * ROUNDS + BATCH),
				  "deferred-v2/normal: %d is_attach_deferred() calls", calls);
		else
			CHECK_MSG(calls == 0, "%s/normal: %d is_attach_deferred() calls", name, calls);
	}
	fixture_fini(&f);
}

TEST(every_strategy_normal_mode_threads_keep_refcount_and_never_defer)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		run_strategy_mode(strategy_table[i], false, RCU_FLAVOR_MEMB);
	run_strategy_mode(strategy_find("rcu"), false, RCU_FLAVOR_QSBR);
}

TEST(gated_strategies_kdump_mode_attach_each_deferred_device_once)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		if (strategy_table[i]->flags & STRATEGY_GATED)
			run_strategy_mode(strategy_table[i], true, RCU_FLAVOR_MEMB);
}

TEST(static_key_fallback_kdump_mode_attaches_once_too)
{
	jump_label_force_unavailable(true);
	run_strategy_mode(strategy_find("static-key"), true, RCU_FLAVOR_MEMB);
	run_strategy_mode(strategy_find("static-key"), false, RCU_FLAVOR_MEMB);
	jump_label_force_unavailable(false);
}

/* ---- where the check sits: map and unmap ---- */

#define REQUIRE_VAL(cond, val)							\
	do { if (!(cond)) { test_fail(__FILE__, __LINE__, "%s", #cond); return (val); } } while (0)

/*
 * Counting refcount touches: the group's devices_kobj is marked
 * uninitialised, so each kobject_get and each kobject_put on it reads
 * state_initialized == 0 and counts one WARN (kobject_uninitialized_uses()),
 * as the kernel's would: a get + put pair is two. This also proves the
 * state_initialized loads are there. Single-threaded.
 */
struct touch_counts {
	int map_touches, unmap_touches;
	int map_checks, unmap_checks;	/* is_attach_deferred() calls */
};

static struct touch_counts count_touches(const char *name, bool kdump)
{
	struct touch_counts c = { 0 };
	struct fixture f;
	const int n = 100;

	if (fixture_init(&f, strategy_find(name), kdump, RCU_FLAVOR_MEMB)) {
		CHECK_MSG(0, "%s: fixture", name);
		fixture_fini(&f);
		return c;
	}
	REQUIRE_VAL(f.s->thread_init() == 0, c);
	/* the device has been through its first map: the attach is done */
	struct iommu_domain *d = f.s->ops.map_get(&f.dev[0], f.domain);
	if (d)
		f.s->ops.put(&f.dev[0], d);
	CHECK_MSG(f.dev[0].model_attach_count == 1, "%s: attach count %d", name,
		  f.dev[0].model_attach_count);

	int start_ref = kref_read(&f.devices_kobj.kref);
	long uses;

	f.devices_kobj.state_initialized = 0;
	uses = kobject_uninitialized_uses();
	__atomic_store_n(&nr_is_attach_deferred, 0, __ATOMIC_RELAXED);
	for (int i = 0; i < n; i++) {
		d = f.s->ops.map_get(&f.dev[0], f.domain);
		if (d)
			f.s->ops.put(&f.dev[0], d);
	}
	c.map_touches = (int)(kobject_uninitialized_uses() - uses) / 2;
	c.map_checks = __atomic_load_n(&nr_is_attach_deferred, __ATOMIC_RELAXED);
	uses = kobject_uninitialized_uses();
	__atomic_store_n(&nr_is_attach_deferred, 0, __ATOMIC_RELAXED);
	for (int i = 0; i < n; i++) {
		d = f.s->ops.unmap_get(&f.dev[0], f.domain);
		if (d)
			f.s->ops.put(&f.dev[0], d);
	}
	c.unmap_touches = (int)(kobject_uninitialized_uses() - uses) / 2;
	c.unmap_checks = __atomic_load_n(&nr_is_attach_deferred, __ATOMIC_RELAXED);
	f.devices_kobj.state_initialized = 1;
	CHECK_MSG(kref_read(&f.devices_kobj.kref) == start_ref, "%s: refcount %d, started at %d",
		  name, kref_read(&f.devices_kobj.kref), start_ref);
	f.s->thread_exit();
	fixture_fini(&f);
	return c;
}

TEST(deferred_v2_touches_the_group_refcount_in_map_and_unmap)
{
	for (int kdump = 0; kdump <= 1; kdump++) {
		struct touch_counts c = count_touches("deferred-v2", kdump);

		CHECK_EQ_INT(c.map_touches, 100);
		CHECK_EQ_INT(c.unmap_touches, 100);
		CHECK_EQ_INT(c.map_checks, 100);
		CHECK_EQ_INT(c.unmap_checks, 100);
	}
}

TEST(kdump_gate_checks_in_map_only_and_never_touches_the_refcount)
{
	struct touch_counts c = count_touches("kdump-gate", true);

	CHECK_EQ_INT(c.map_touches, 0);
	CHECK_EQ_INT(c.unmap_touches, 0);
	CHECK_EQ_INT(c.map_checks, 100);	/* the gate is open in kdump mode */
	CHECK_EQ_INT(c.unmap_checks, 0);	/* where the review put it: not in unmap */
	c = count_touches("kdump-gate", false);
	CHECK_EQ_INT(c.map_touches + c.unmap_touches + c.map_checks + c.unmap_checks, 0);
}

/* the class says who writes the shared group refcount: exactly the shared-write ones */
TEST(shared_write_strategies_touch_the_refcount_every_call_and_no_other_does)
{
	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategy_table[i];
		struct touch_counts c = count_touches(s->name, false);

		CHECK_MSG((s->class == STRATEGY_CLASS_SHARED_WRITE) == (s->shared_rmws > 0),
			  "%s: shared_rmws %u in class %s", s->name, s->shared_rmws,
			  strategy_class_name(s->class));
		if (s->class == STRATEGY_CLASS_SHARED_WRITE) {
			CHECK_MSG(c.map_touches == 100 && c.unmap_touches == 100,
				  "%s: %d map, %d unmap touches of the group refcount in 100 each",
				  s->name, c.map_touches, c.unmap_touches);
		} else {
			CHECK_MSG(c.map_touches + c.unmap_touches == 0,
				  "%s touches the group refcount", s->name);
		}
	}
}

/*
 * A gated strategy attaches a device whose attach is deferred in kdump mode
 * at its first map; no other strategy has a kdump mode, and its map leaves
 * the device deferred.
 */
TEST(gated_flag_is_exactly_the_strategies_that_attach_a_deferred_device)
{
	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategy_table[i];
		struct fixture f;
		struct iommu_domain *d;

		if (fixture_init(&f, s, true, RCU_FLAVOR_MEMB)) {
			CHECK_MSG(0, "%s: fixture", s->name);
			fixture_fini(&f);
			continue;
		}
		REQUIRE(f.s->thread_init() == 0);
		d = f.s->ops.map_get(&f.dev[0], f.domain);
		if (d)
			f.s->ops.put(&f.dev[0], d);
		CHECK_MSG((f.dev[0].model_attach_count == 1) == !!(s->flags & STRATEGY_GATED),
			  "%s: gated %d, attached %d times", s->name, !!(s->flags & STRATEGY_GATED),
			  f.dev[0].model_attach_count);
		f.s->thread_exit();
		fixture_fini(&f);
	}
}

TEST(static_key_and_dev_flag_check_in_map_only_in_kdump_mode)
{
	struct touch_counts c = count_touches("static-key", true);

	CHECK_EQ_INT(c.map_checks, 100);	/* iommu_deferred_attach(): the ops check */
	CHECK_EQ_INT(c.unmap_checks, 0);
	CHECK_EQ_INT(c.map_touches + c.unmap_touches, 0);
	c = count_touches("dev-flag", true);
	CHECK_EQ_INT(c.map_checks + c.unmap_checks, 0);	/* the flag, no indirect call */
	CHECK_EQ_INT(c.map_touches + c.unmap_touches, 0);
}

/* ---- static-key: a real jump label ---- */

static bool key_sites_are(const struct static_key *key, bool jump)
{
	static const unsigned char nop5[] = JUMP_LABEL_NOP5;
	int n = jump_label_site_count(key);

	if (n == 0)
		return false;
	for (int i = 0; i < n; i++) {
		const struct jump_entry *e = jump_label_site(key, i);
		const unsigned char *p = (const unsigned char *)e->code;
		int32_t rel;

		memcpy(&rel, p + 1, sizeof(rel));
		if (jump ? !(p[0] == JUMP_LABEL_JMP32_OPCODE &&
			     e->code + JUMP_LABEL_NOP_SIZE + (intptr_t)rel == e->target)
			 : memcmp(p, nop5, sizeof(nop5)) != 0)
			return false;
	}
	return true;
}

TEST(static_key_setup_patches_the_sites_and_teardown_restores_the_nops)
{
	const struct strategy *sk = strategy_find("static-key"), *a;
	struct static_key *key = strategy_deferred_attach_key();

	if (!HAVE_JUMP_LABEL)
		return;
	REQUIRE(jump_label_init() == 0);
	/* map_get and lookup_batch each inline one site */
	CHECK(jump_label_site_count(key) >= 2);
	CHECK(key_sites_are(key, false));
	a = setup_or_null(sk, true, RCU_FLAVOR_MEMB);
	REQUIRE(a);
	CHECK(a == sk);
	CHECK_STR(a->note(), "");
	CHECK(key_sites_are(key, true));
	a->teardown();
	CHECK(key_sites_are(key, false));
	a = setup_or_null(sk, false, RCU_FLAVOR_MEMB);
	REQUIRE(a);
	CHECK(key_sites_are(key, false));
	a->teardown();
	CHECK(strategy_startup_note() == NULL);
}

TEST(static_key_forced_fallback_is_a_flag_load_and_says_so)
{
	const struct strategy *sk = strategy_find("static-key"), *a;
	struct static_key *key = strategy_deferred_attach_key();
	const char *line;

	jump_label_force_unavailable(true);
	line = strategy_startup_note();
	CHECK(line != NULL);
	if (line)
		CHECK(strstr(line, "static-key") != NULL);
	a = setup_or_null(sk, true, RCU_FLAVOR_MEMB);
	if (a) {
		CHECK(a != sk);
		CHECK_STR(a->note(), "static-key-fallback");
		CHECK(static_key_enabled(key));
		if (HAVE_JUMP_LABEL)
			CHECK(key_sites_are(key, false));	/* nothing patched */
		a->teardown();
		CHECK(!static_key_enabled(key));
	}
	jump_label_force_unavailable(false);
}

/* ---- percpu-ref: the per-group state ---- */

TEST(percpu_ref_group_check_sees_a_leaked_reference)
{
	struct fixture f;

	REQUIRE(fixture_init(&f, strategy_find("percpu-ref"), false, RCU_FLAVOR_MEMB) == 0);
	REQUIRE(f.group.strategy_data != NULL);
	CHECK_EQ_INT(f.s->ops.group_check(&f.group), 0);
	struct iommu_domain *d = f.s->ops.map_get(&f.dev[0], NULL);

	CHECK(d == f.domain);
	CHECK_EQ_INT(f.s->ops.group_check(&f.group), -EBUSY);	/* held: not back yet */
	f.s->ops.put(&f.dev[0], d);
	CHECK_EQ_INT(f.s->ops.group_check(&f.group), 0);
	f.s->ops.group_release(&f.group);
	CHECK(f.group.strategy_data == NULL);
	fixture_fini(&f);
}

/* ---- the floor ---- */

TEST(floors_return_the_handed_domain_and_touch_nothing)
{
	int floors = 0;

	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategy_table[i];
		struct iommu_domain sentinel = { .magic = DOMAIN_MAGIC };
		struct device dev = { 0 };	/* no group: a lookup would crash */

		if (s->class != STRATEGY_CLASS_FLOOR)
			continue;
		floors++;
		CHECK(s->ops.lookup(&dev, &sentinel) == &sentinel);
		CHECK(s->ops.map_get(&dev, &sentinel) == &sentinel);
		CHECK(s->ops.unmap_get(&dev, &sentinel) == &sentinel);
		CHECK_EQ_INT(s->lookup_batch(&dev, &sentinel, 1000), 0);
		CHECK_EQ_INT(s->lookup_batch(&dev, NULL, 10), 10);	/* NULL counts as a failure */
		CHECK(!(s->flags & STRATEGY_GATED));
	}
	CHECK(floors >= 1);
}
