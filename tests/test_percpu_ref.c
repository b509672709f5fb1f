/* Tests for src/strategy/percpu-refcount.{h,c}: per-CPU counting, the switch to atomic, kill. */
#include <pthread.h>
#include "test.h"
#include "strategy/percpu-refcount.h"

#define NR_CPUS		4
#define NR_THREADS	4
#define OPS		300000

static int released;

static void count_release(struct percpu_ref *ref)
{
	(void)ref;
	__atomic_fetch_add(&released, 1, __ATOMIC_RELAXED);
}

static int init_ref(struct percpu_ref *ref, unsigned int flags)
{
	released = 0;
	if (model_set_nr_cpu_ids(NR_CPUS))
		return -1;
	return percpu_ref_init(ref, count_release, flags);
}

static unsigned long slot(const struct percpu_ref *ref, int cpu)
{
	const struct percpu_ref_cpu *c =
		(const struct percpu_ref_cpu *)(ref->percpu_count_ptr & ~__PERCPU_REF_ATOMIC_DEAD);

	return c[cpu].count;
}

TEST(percpu_ref_starts_at_one_in_percpu_mode)
{
	struct percpu_ref ref;

	REQUIRE(init_ref(&ref, 0) == 0);
	CHECK(!(ref.percpu_count_ptr & __PERCPU_REF_ATOMIC_DEAD));
	CHECK_EQ_INT(percpu_ref_model_count(&ref), 1);
	CHECK(!percpu_ref_is_zero(&ref));
	percpu_ref_exit(&ref);
}

TEST(percpu_ref_each_cpu_counts_in_its_own_cache_line)
{
	struct percpu_ref ref;
	const struct percpu_ref_cpu *c;

	REQUIRE(init_ref(&ref, 0) == 0);
	c = (const struct percpu_ref_cpu *)ref.percpu_count_ptr;
	CHECK((uintptr_t)c % SMP_CACHE_BYTES == 0);
	CHECK((uintptr_t)&c[1] - (uintptr_t)&c[0] == SMP_CACHE_BYTES);
	/* a get on CPU 2 writes CPU 2's line and nothing shared */
	long shared_before = ref.data->count;

	model_set_this_cpu(2);
	percpu_ref_get(&ref);
	CHECK_EQ_INT(slot(&ref, 2), 1);
	CHECK_EQ_INT(slot(&ref, 0) + slot(&ref, 1) + slot(&ref, 3), 0);
	CHECK(ref.data->count == shared_before);
	percpu_ref_put(&ref);
	model_set_this_cpu(0);
	percpu_ref_exit(&ref);
}

TEST(percpu_ref_sums_right_after_switching_to_atomic)
{
	struct percpu_ref ref;

	REQUIRE(init_ref(&ref, 0) == 0);
	/* gets on some CPUs, puts on others: single slots go "negative" */
	for (int i = 0; i < 10; i++) {
		model_set_this_cpu(i % NR_CPUS);
		percpu_ref_get(&ref);
	}
	for (int i = 0; i < 7; i++) {
		model_set_this_cpu(3);
		percpu_ref_put(&ref);
	}
	model_set_this_cpu(0);
	CHECK((long)slot(&ref, 3) < 0);
	CHECK_EQ_INT(percpu_ref_model_count(&ref), 1 + 10 - 7);
	percpu_ref_switch_to_atomic_sync(&ref);
	CHECK(ref.percpu_count_ptr & __PERCPU_REF_ATOMIC);
	CHECK_EQ_INT(ref.data->count, 1 + 10 - 7);
	CHECK_EQ_INT(percpu_ref_model_count(&ref), 1 + 10 - 7);
	/* in atomic mode get/put go to the shared count, per-CPU ones stay put */
	unsigned long s0 = slot(&ref, 0);

	percpu_ref_get(&ref);
	CHECK_EQ_INT(ref.data->count, 5);
	CHECK(slot(&ref, 0) == s0);
	percpu_ref_put(&ref);
	CHECK_EQ_INT(ref.data->count, 4);
	/* and back to per-CPU mode with the count kept */
	percpu_ref_switch_to_percpu(&ref);
	CHECK(!(ref.percpu_count_ptr & __PERCPU_REF_ATOMIC));
	CHECK_EQ_INT(percpu_ref_model_count(&ref), 4);
	CHECK((unsigned long)ref.data->count == PERCPU_COUNT_BIAS + 4);
	CHECK_EQ_INT(released, 0);
	percpu_ref_exit(&ref);
}

TEST(percpu_ref_kill_releases_when_the_last_reference_goes)
{
	struct percpu_ref ref;

	REQUIRE(init_ref(&ref, 0) == 0);
	model_set_this_cpu(1);
	percpu_ref_get(&ref);
	percpu_ref_get(&ref);
	model_set_this_cpu(0);
	percpu_ref_kill(&ref);		/* drops the initial reference: 2 left */
	CHECK(ref.percpu_count_ptr & __PERCPU_REF_DEAD);
	CHECK_EQ_INT(ref.data->count, 2);
	CHECK_EQ_INT(released, 0);
	percpu_ref_put(&ref);
	CHECK_EQ_INT(released, 0);
	CHECK(!percpu_ref_is_zero(&ref));
	percpu_ref_put(&ref);
	CHECK_EQ_INT(released, 1);
	CHECK(percpu_ref_is_zero(&ref));
	/* a dead ref stays atomic */
	percpu_ref_switch_to_percpu(&ref);
	CHECK(ref.percpu_count_ptr & __PERCPU_REF_ATOMIC);
	percpu_ref_exit(&ref);
}

TEST(percpu_ref_init_atomic_starts_in_atomic_mode)
{
	struct percpu_ref ref;

	REQUIRE(init_ref(&ref, PERCPU_REF_INIT_ATOMIC) == 0);
	CHECK(ref.percpu_count_ptr & __PERCPU_REF_ATOMIC);
	CHECK_EQ_INT(ref.data->count, 1);
	percpu_ref_get(&ref);
	CHECK_EQ_INT(ref.data->count, 2);
	percpu_ref_put(&ref);
	percpu_ref_switch_to_percpu(&ref);
	CHECK(!(ref.percpu_count_ptr & __PERCPU_REF_ATOMIC));
	CHECK_EQ_INT(percpu_ref_model_count(&ref), 1);
	percpu_ref_exit(&ref);
}

/* ---- concurrent gets and puts, including two threads on one slot ---- */

static int started;

struct worker {
	pthread_t thread;
	struct percpu_ref *ref;
	int cpu;
	int extra;		/* gets left held at the end */
	int nr_threads;
} ____cacheline_aligned;

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	model_set_this_cpu(w->cpu);
	/* all start together, so threads sharing a slot really overlap */
	__atomic_fetch_add(&started, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) < w->nr_threads)
		cpu_relax();
	for (int i = 0; i < OPS; i++) {
		percpu_ref_get(w->ref);
		percpu_ref_get(w->ref);
		percpu_ref_put(w->ref);
		percpu_ref_put(w->ref);
	}
	for (int i = 0; i < w->extra; i++)
		percpu_ref_get(w->ref);
	return NULL;
}

static void run(struct percpu_ref *ref, const int *cpus, int n)
{
	struct worker w[NR_THREADS];

	__atomic_store_n(&started, 0, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++) {
		w[i] = (struct worker){ .ref = ref, .cpu = cpus[i], .extra = i + 1, .nr_threads = n };
		REQUIRE(pthread_create(&w[i].thread, NULL, worker_main, &w[i]) == 0);
	}
	for (int i = 0; i < n; i++)
		pthread_join(w[i].thread, NULL);
}

TEST(percpu_ref_concurrent_threads_on_one_slot_lose_no_count)
{
	/* two threads on slot 0, as many as this machine surely runs at once: a plain += would lose updates */
	static const int cpus[2] = { 0, 0 };
	struct percpu_ref ref;

	REQUIRE(init_ref(&ref, 0) == 0);
	run(&ref, cpus, 2);
	CHECK_EQ_INT(percpu_ref_model_count(&ref), 1 + 1 + 2);
	CHECK_EQ_INT(slot(&ref, 0), 1 + 2);
	percpu_ref_switch_to_atomic_sync(&ref);
	CHECK_EQ_INT(ref.data->count, 4);
	percpu_ref_exit(&ref);
}

TEST(percpu_ref_concurrent_threads_on_their_own_slots_count_right)
{
	static const int cpus[NR_THREADS] = { 0, 1, 2, 3 };
	struct percpu_ref ref;

	REQUIRE(init_ref(&ref, 0) == 0);
	run(&ref, cpus, NR_THREADS);
	for (int i = 0; i < NR_CPUS; i++)
		CHECK_EQ_INT(slot(&ref, i), i + 1);
	percpu_ref_switch_to_atomic_sync(&ref);
	CHECK_EQ_INT(ref.data->count, 11);
	percpu_ref_exit(&ref);
}

TEST(percpu_ref_concurrent_threads_in_atomic_mode_count_right)
{
	static const int cpus[NR_THREADS] = { 0, 1, 2, 3 };
	struct percpu_ref ref;

	REQUIRE(init_ref(&ref, PERCPU_REF_INIT_ATOMIC) == 0);
	run(&ref, cpus, NR_THREADS);
	CHECK_EQ_INT(ref.data->count, 11);
	for (int i = 0; i < NR_CPUS; i++)
		CHECK_EQ_INT(slot(&ref, i), 0);
	percpu_ref_exit(&ref);
}
