/*
 * Tests for src/strategy/rcu*: a domain swap under concurrent readers, and
 * a grace period that waits for a reader holding the domain, in both
 * liburcu flavours.
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
