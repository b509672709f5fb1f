/*
 * Tests for src/strategy/: the table, the hooks, and each strategy's
 * behaviour on hand-built model objects (a group of two devices on one
 * domain of the mock IOMMU driver), driven by several threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
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
		CHECK_MSG(!(s->flags & ~STRATEGY_GATED), "%s: unknown flags %#x", s->name, s->flags);
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

static const struct strategy *setup_or_null(const struct strategy *s, bool kdump, enum rcu_flavor f)
{
	struct strategy_config cfg = { .kdump = kdump, .rcu_flavor = f };
	const struct strategy *active = NULL;
	int ret = strategy_setup(s, &cfg, &active);

	CHECK_MSG(ret == 0, "%s: setup = %d", s->name, ret);
	return ret ? NULL : active;
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

/* ---- rcu: a domain swap under concurrent readers ---- */

#define SWAPS		200
#define RCU_READERS	3

struct rcu_reader {
	pthread_t thread;
	const struct strategy *s;
	struct device *dev;
	int *stop;
	long reads, poisoned;
} ____cacheline_aligned;

static void *rcu_reader_main(void *arg)
{
	struct rcu_reader *r = arg;
	const struct strategy *s = r->s;

	s->thread_init();
	while (!__atomic_load_n(r->stop, __ATOMIC_ACQUIRE)) {
		for (int i = 0; i < 32; i++) {
			struct iommu_domain *d = s->ops.map_get(r->dev, NULL);

			if (!d)
				continue;
			/* hold it a while, as a map does, looking at it throughout */
			for (int k = 0; k < 20; k++) {
				if (READ_ONCE(d->magic) != DOMAIN_MAGIC)
					r->poisoned++;
				cpu_relax();
			}
			s->ops.put(r->dev, d);
			__atomic_store_n(&r->reads, r->reads + 1, __ATOMIC_RELAXED);
		}
		s->quiescent();
	}
	s->thread_exit();
	return NULL;
}

#define MIN_READS	20000

static long reads_now(struct rcu_reader *r)
{
	long n = 0;

	for (int i = 0; i < RCU_READERS; i++)
		n += __atomic_load_n(&r[i].reads, __ATOMIC_RELAXED);
	return n;
}

static struct iommu_domain *new_test_domain(void)
{
	struct iommu_domain *d = calloc(1, sizeof(*d));

	if (d)
		d->magic = DOMAIN_MAGIC;
	return d;
}

static void rcu_swap_under_readers(enum rcu_flavor flavor)
{
	const struct strategy *s = setup_or_null(strategy_find("rcu"), false, flavor);
	struct rcu_reader r[RCU_READERS];
	struct iommu_group group = { 0 };
	struct device dev = { 0 };
	int stop = 0, bad_old = 0;

	REQUIRE(s);
	group.domain = new_test_domain();
	REQUIRE(group.domain);
	dev.iommu_group = &group;
	for (int i = 0; i < RCU_READERS; i++) {
		r[i] = (struct rcu_reader){ .s = s, .dev = &dev, .stop = &stop };
		REQUIRE(pthread_create(&r[i].thread, NULL, rcu_reader_main, &r[i]) == 0);
	}
	/* swap only while every reader is reading, and until they read a good while */
	for (int i = 0; i < RCU_READERS; i++)
		while (!__atomic_load_n(&r[i].reads, __ATOMIC_RELAXED))
			cpu_relax();
	for (int i = 0; i < SWAPS || (reads_now(r) < MIN_READS && i < 50 * SWAPS); i++) {
		struct iommu_domain *next = new_test_domain(), *old;

		REQUIRE(next);
		old = strategy_rcu_swap_domain(&group, next);
		if (!old || old->magic != DOMAIN_POISON)
			bad_old++;
		free(old);	/* a reader still using it would be a use-after-free (ASan) */
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	long reads = 0, poisoned = 0;

	for (int i = 0; i < RCU_READERS; i++) {
		pthread_join(r[i].thread, NULL);
		reads += r[i].reads;
		poisoned += r[i].poisoned;
	}
	free(group.domain);
	s->teardown();
	CHECK_EQ_INT(bad_old, 0);
	CHECK_MSG(poisoned == 0, "%s: readers saw a poisoned domain %ld times", s->note(), poisoned);
	CHECK(reads >= MIN_READS);
}

TEST(rcu_memb_swap_never_lets_a_reader_use_a_freed_domain)
{
	rcu_swap_under_readers(RCU_FLAVOR_MEMB);
}

TEST(rcu_qsbr_swap_never_lets_a_reader_use_a_freed_domain)
{
	rcu_swap_under_readers(RCU_FLAVOR_QSBR);
}

/*
 * The grace period waits for a reader that holds the domain: the reader
 * takes it, the updater swaps in another thread, and the old domain must
 * still be intact when the reader lets go (memb: map_put; qsbr: quiescent).
 */
struct holder {
	const struct strategy *s;
	struct device *dev;
	int state;		/* 1: holding; 2: let go */
	int swapped;		/* the updater's swap returned */
	long magic_at_release;
	int swapped_before_release;
};

static void *holder_main(void *arg)
{
	struct holder *h = arg;
	struct iommu_domain *d;

	h->s->thread_init();
	d = h->s->ops.map_get(h->dev, NULL);
	__atomic_store_n(&h->state, 1, __ATOMIC_RELEASE);
	usleep(50 * 1000);	/* long enough for a broken grace period to poison it */
	h->magic_at_release = (long)READ_ONCE(d->magic);
	h->swapped_before_release = __atomic_load_n(&h->swapped, __ATOMIC_ACQUIRE);
	h->s->ops.put(h->dev, d);
	h->s->quiescent();
	__atomic_store_n(&h->state, 2, __ATOMIC_RELEASE);
	h->s->thread_exit();
	return NULL;
}

static void rcu_grace_period_waits_for_holder(enum rcu_flavor flavor)
{
	const struct strategy *s = setup_or_null(strategy_find("rcu"), false, flavor);
	struct iommu_group group = { 0 };
	struct device dev = { 0 };
	struct holder h = { 0 };
	struct iommu_domain *first, *old;
	pthread_t t;

	REQUIRE(s);
	first = new_test_domain();
	REQUIRE(first);
	group.domain = first;
	dev.iommu_group = &group;
	h = (struct holder){ .s = s, .dev = &dev };
	REQUIRE(pthread_create(&t, NULL, holder_main, &h) == 0);
	while (__atomic_load_n(&h.state, __ATOMIC_ACQUIRE) != 1)
		cpu_relax();
	old = strategy_rcu_swap_domain(&group, new_test_domain());
	__atomic_store_n(&h.swapped, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	CHECK(old == first);
	CHECK_EQ_INT(h.swapped_before_release, 0);
	CHECK(h.magic_at_release == (long)DOMAIN_MAGIC);
	free(old);
	free(group.domain);
	s->teardown();
}

TEST(rcu_memb_grace_period_waits_for_a_reader_holding_the_domain)
{
	rcu_grace_period_waits_for_holder(RCU_FLAVOR_MEMB);
}

TEST(rcu_qsbr_grace_period_waits_for_a_reader_until_quiescent)
{
	rcu_grace_period_waits_for_holder(RCU_FLAVOR_QSBR);
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

/* ---- through the model: dma_map/unmap_page and _sg on a model world ---- */

#define WORLD_THREADS	4
#define WORLD_ROUNDS	300

struct world_worker {
	pthread_t thread;
	struct model_world *world;
	const struct strategy *s;
	int id;
	long map_failed, unmap_failed, wrong_phys, sg_failed;
	int init_ret;
} ____cacheline_aligned;

static void *world_worker_main(void *arg)
{
	struct world_worker *w = arg;
	struct device *dev = model_world_device(w->world, w->id);
	struct iommu_domain *handed = model_world_domain(w->world, w->id);
	const struct strategy *s = w->s;

	model_set_this_cpu(w->id);
	w->init_ret = s->thread_init();
	if (w->init_ret)
		return NULL;
	for (int r = 0; r < WORLD_ROUNDS; r++) {
		phys_addr_t phys = ((phys_addr_t)(w->id * WORLD_ROUNDS + r + 1)) << PAGE_SHIFT;
		dma_addr_t addr = dma_map_page(dev, phys, 0x10, 64, DMA_BIDIRECTIONAL, 0, handed);

		if (addr == DMA_MAPPING_ERROR) {
			w->map_failed++;
		} else {
			if (iommu_iova_to_phys(handed, addr) != phys + 0x10)
				w->wrong_phys++;
			if (dma_unmap_page(dev, addr, 64, DMA_BIDIRECTIONAL, 0, handed))
				w->unmap_failed++;
		}
		if (r % 8 == 0) {
			struct scatterlist sg[3];

			for (int i = 0; i < 3; i++)
				sg[i] = (struct scatterlist){ .page_phys = phys + ((phys_addr_t)i << 30),
							      .offset = 0, .length = PAGE_SIZE };
			int n = dma_map_sg(dev, sg, 3, DMA_TO_DEVICE, 0, handed);

			if (n != 3)
				w->sg_failed++;
			else if (dma_unmap_sg(dev, sg, 3, DMA_TO_DEVICE, 0, handed))
				w->sg_failed++;
		}
		if (r % 16 == 15)
			s->quiescent();
	}
	s->quiescent();
	s->thread_exit();
	return NULL;
}

static const char *const sharing_names[] = { "device", "group", "private" };

static void run_world(const struct strategy *table_entry, bool kdump, enum model_sharing sharing,
		      bool strict, enum rcu_flavor flavor)
{
	const char *name = table_entry->name;
	const char *mode = kdump ? "kdump" : "normal";
	const char *shr = sharing_names[sharing];
	struct world_worker w[WORLD_THREADS];
	struct model_world *world = NULL;
	struct model_check chk;
	const struct strategy *s;
	int ret;

	REQUIRE(model_set_nr_cpu_ids(WORLD_THREADS) == 0);
	s = setup_or_null(table_entry, kdump, flavor);
	if (!s)
		return;
	struct model_world_config cfg = {
		.nr_threads = WORLD_THREADS, .sharing = sharing, .kdump = kdump,
		.strict = strict, .inv_ticks = 0, .lookup = &s->ops,
	};
	ret = model_world_create(&cfg, &world);
	if (ret) {
		CHECK_MSG(0, "%s/%s/%s: model_world_create = %d", name, mode, shr, ret);
		s->teardown();
		return;
	}
	for (int i = 0; i < WORLD_THREADS; i++) {
		w[i] = (struct world_worker){ .world = world, .s = s, .id = i };
		REQUIRE(pthread_create(&w[i].thread, NULL, world_worker_main, &w[i]) == 0);
	}
	for (int i = 0; i < WORLD_THREADS; i++)
		pthread_join(w[i].thread, NULL);
	for (int i = 0; i < WORLD_THREADS; i++)
		CHECK_MSG(w[i].init_ret == 0 && w[i].map_failed == 0 && w[i].unmap_failed == 0 &&
			  w[i].wrong_phys == 0 && w[i].sg_failed == 0,
			  "%s/%s/%s/%s: thread %d: init %d, map failed %ld, unmap failed %ld, wrong phys %ld, sg failed %ld",
			  name, mode, shr, strict ? "strict" : "lazy", i, w[i].init_ret, w[i].map_failed,
			  w[i].unmap_failed, w[i].wrong_phys, w[i].sg_failed);
	ret = model_world_check(world, &chk);
	CHECK_MSG(ret == 0, "%s/%s/%s: model_world_check: %s", name, mode, shr, chk.what);
	/* kdump: every device went through a first map, so none may still defer */
	CHECK_MSG(chk.nr_deferred == 0, "%s/%s/%s: %d devices still deferred", name, mode, shr,
		  chk.nr_deferred);
	for (int g = 0; g < WORLD_THREADS; g++) {
		struct iommu_group *group = model_world_group(world, g);

		if (group)
			CHECK_MSG(s->ops.group_check(group) == 0, "%s/%s/%s: group_check", name, mode, shr);
	}
	for (int i = 0; i < model_world_nr_devices(world); i++) {
		struct device *dev = model_world_device(world, i);

		if (dev)
			CHECK_MSG(dev->model_attach_count == 1, "%s/%s/%s: dev %d attached %d times",
				  name, mode, shr, i, dev->model_attach_count);
	}
	model_world_destroy(world);
	s->teardown();
	CHECK(!is_kdump_kernel());
}

TEST(world_every_strategy_normal_mode_every_sharing_strict)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		for (int sh = MODEL_SHARE_DEVICE; sh <= MODEL_SHARE_PRIVATE; sh++)
			run_world(strategy_table[i], false, sh, true, RCU_FLAVOR_MEMB);
	for (int sh = MODEL_SHARE_DEVICE; sh <= MODEL_SHARE_PRIVATE; sh++)
		run_world(strategy_find("rcu"), false, sh, true, RCU_FLAVOR_QSBR);
}

TEST(world_gated_strategies_kdump_mode_every_sharing_strict)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		if (strategy_table[i]->flags & STRATEGY_GATED)
			for (int sh = MODEL_SHARE_DEVICE; sh <= MODEL_SHARE_PRIVATE; sh++)
				run_world(strategy_table[i], true, sh, true, RCU_FLAVOR_MEMB);
}

TEST(world_every_strategy_every_sharing_lazy_normal_and_kdump)
{
	for (unsigned int i = 0; i < strategy_count; i++)
		for (int sh = MODEL_SHARE_DEVICE; sh <= MODEL_SHARE_PRIVATE; sh++) {
			run_world(strategy_table[i], false, sh, false, RCU_FLAVOR_QSBR);
			if (strategy_table[i]->flags & STRATEGY_GATED)
				run_world(strategy_table[i], true, sh, false, RCU_FLAVOR_MEMB);
		}
}

/*
 * v6.1's lookups per DMA call, through each strategy's own paths: a refcounted
 * lookup touches the group refcount twice per dma_map_page() and twice per
 * dma_unmap_page() (iommu_dma_map_page + __iommu_dma_map; iommu_dma_unmap_page
 * + __iommu_dma_unmap), once per map_sg and unmap_sg; the posted patch's
 * check (deferred-v2) once per map and once per unmap, once per sg call.
 */
static void count_dma_touches(const struct strategy *table_entry, long touches[4])
{
	const struct strategy *s = setup_or_null(table_entry, false, RCU_FLAVOR_MEMB);
	struct model_world_config cfg = {
		.nr_threads = 1, .sharing = MODEL_SHARE_DEVICE, .strict = true,
	};
	struct scatterlist sg[2];
	struct model_world *w = NULL;
	struct iommu_domain *handed;
	struct device *dev;
	struct kobject *kobj;
	dma_addr_t a;
	long uses;

	if (!s)
		return;
	cfg.lookup = &s->ops;
	REQUIRE(model_set_nr_cpu_ids(1) == 0);
	model_set_this_cpu(0);
	REQUIRE(model_world_create(&cfg, &w) == 0);
	REQUIRE(s->thread_init() == 0);
	dev = model_world_device(w, 0);
	handed = model_world_domain(w, 0);
	kobj = model_world_group(w, 0)->devices_kobj;
	kobj->state_initialized = 0;	/* each get and each put now counts a WARN */

	uses = kobject_uninitialized_uses();
	a = dma_map_page(dev, 1ULL << 32, 0, PAGE_SIZE, DMA_TO_DEVICE, 0, handed);
	touches[0] = kobject_uninitialized_uses() - uses;
	CHECK(a != DMA_MAPPING_ERROR);
	uses = kobject_uninitialized_uses();
	CHECK_EQ_INT(dma_unmap_page(dev, a, PAGE_SIZE, DMA_TO_DEVICE, 0, handed), 0);
	touches[1] = kobject_uninitialized_uses() - uses;
	for (int i = 0; i < 2; i++)
		sg[i] = (struct scatterlist){ .page_phys = (2ULL + i) << 32, .length = PAGE_SIZE };
	uses = kobject_uninitialized_uses();
	CHECK_EQ_INT(dma_map_sg(dev, sg, 2, DMA_TO_DEVICE, 0, handed), 2);
	touches[2] = kobject_uninitialized_uses() - uses;
	uses = kobject_uninitialized_uses();
	CHECK_EQ_INT(dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE, 0, handed), 0);
	touches[3] = kobject_uninitialized_uses() - uses;

	kobj->state_initialized = 1;
	s->quiescent();
	s->thread_exit();
	CHECK_EQ_INT(model_world_check(w, NULL), 0);
	model_world_destroy(w);
	s->teardown();
}

TEST(dma_paths_look_up_twice_per_map_and_unmap_as_v6_1)
{
	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategy_table[i];
		long t[4] = { -1, -1, -1, -1 };
		/* get + put = 2 WARNs per refcounted lookup */
		long per_page = s->class == STRATEGY_CLASS_SHARED_WRITE ? 4 : 0;
		long per_sg = s->class == STRATEGY_CLASS_SHARED_WRITE ? 2 : 0;

		if (!strcmp(s->name, "deferred-v2"))
			per_page = 2;	/* its check once per call, the other lookup cached */
		count_dma_touches(s, t);
		CHECK_MSG(t[0] == per_page && t[1] == per_page && t[2] == per_sg && t[3] == per_sg,
			  "%s: refcount WARNs per map %ld, unmap %ld, map_sg %ld, unmap_sg %ld; expected %ld, %ld, %ld, %ld",
			  s->name, t[0], t[1], t[2], t[3], per_page, per_page, per_sg, per_sg);
	}
}
