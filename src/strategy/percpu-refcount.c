/* lib/percpu-refcount.c, v6.1: init, mode switches, kill (no RCU: see the header's thread rules). */
#include "model/alloc.h"
#include "strategy/percpu-refcount.h"

static struct percpu_ref_cpu *percpu_count_ptr(const struct percpu_ref *ref)
{
	return (struct percpu_ref_cpu *)(ref->percpu_count_ptr & ~__PERCPU_REF_ATOMIC_DEAD);
}

int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release, unsigned int flags)
{
	struct percpu_ref_data *data;
	struct percpu_ref_cpu *counts;
	unsigned long start_count = 0;
	int nr = model_nr_cpu_ids;

	counts = model_zalloc((size_t)nr * sizeof(*counts));
	if (!counts)
		return -ENOMEM;
	data = model_zalloc_shared(sizeof(*data));
	if (!data) {
		model_free(counts);
		return -ENOMEM;
	}
	ref->percpu_count_ptr = (unsigned long)counts;
	data->force_atomic = flags & PERCPU_REF_INIT_ATOMIC;
	if (data->force_atomic)
		ref->percpu_count_ptr |= __PERCPU_REF_ATOMIC;
	else
		start_count += PERCPU_COUNT_BIAS;
	start_count++;		/* the initial reference */
	__atomic_store_n(&data->count, (long)start_count, __ATOMIC_RELAXED);
	data->release = release;
	data->nr_cpus = nr;
	data->ref = ref;
	ref->data = data;
	return 0;
}

void percpu_ref_exit(struct percpu_ref *ref)
{
	model_free(percpu_count_ptr(ref));
	if (ref->data)
		model_free_shared(ref->data, sizeof(*ref->data));
	ref->data = NULL;
	ref->percpu_count_ptr = __PERCPU_REF_ATOMIC_DEAD;
}

/* percpu_ref_switch_to_atomic_rcu(): the grace period is the caller's quiescence */
void percpu_ref_switch_to_atomic_sync(struct percpu_ref *ref)
{
	struct percpu_ref_cpu *counts = percpu_count_ptr(ref);
	unsigned long count = 0;

	if (ref->percpu_count_ptr & __PERCPU_REF_ATOMIC)
		return;
	__atomic_store_n(&ref->percpu_count_ptr, ref->percpu_count_ptr | __PERCPU_REF_ATOMIC,
			 __ATOMIC_RELEASE);
	for (int cpu = 0; cpu < ref->data->nr_cpus; cpu++)
		count += __atomic_load_n(&counts[cpu].count, __ATOMIC_RELAXED);
	/*
	 * The per-CPU counts may individually be "negative" (a get on one CPU,
	 * the put on another); their sum modulo 2^BITS is what was taken.
	 */
	__atomic_fetch_add(&ref->data->count, (long)(count - PERCPU_COUNT_BIAS), __ATOMIC_ACQ_REL);
}

/* __percpu_ref_switch_to_percpu() */
void percpu_ref_switch_to_percpu(struct percpu_ref *ref)
{
	struct percpu_ref_cpu *counts = percpu_count_ptr(ref);

	if (!(ref->percpu_count_ptr & __PERCPU_REF_ATOMIC) ||
	    (ref->percpu_count_ptr & __PERCPU_REF_DEAD))
		return;
	ref->data->force_atomic = false;
	__atomic_fetch_add(&ref->data->count, (long)PERCPU_COUNT_BIAS, __ATOMIC_RELAXED);
	for (int cpu = 0; cpu < ref->data->nr_cpus; cpu++)
		__atomic_store_n(&counts[cpu].count, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&ref->percpu_count_ptr, ref->percpu_count_ptr & ~__PERCPU_REF_ATOMIC,
			 __ATOMIC_RELEASE);
}

/* percpu_ref_kill_and_confirm() without the confirm callback */
void percpu_ref_kill(struct percpu_ref *ref)
{
	if (ref->percpu_count_ptr & __PERCPU_REF_DEAD)
		return;		/* the kernel WARNs: killed twice */
	percpu_ref_switch_to_atomic_sync(ref);
	__atomic_store_n(&ref->percpu_count_ptr, ref->percpu_count_ptr | __PERCPU_REF_DEAD,
			 __ATOMIC_RELEASE);
	percpu_ref_put(ref);
}

bool percpu_ref_is_zero(struct percpu_ref *ref)
{
	struct percpu_ref_cpu *percpu_count;

	if (__ref_is_percpu(ref, &percpu_count))
		return false;
	return __atomic_load_n(&ref->data->count, __ATOMIC_RELAXED) == 0;
}

long percpu_ref_model_count(const struct percpu_ref *ref)
{
	const struct percpu_ref_cpu *counts = percpu_count_ptr(ref);
	unsigned long count = (unsigned long)__atomic_load_n(&ref->data->count, __ATOMIC_RELAXED);

	if (ref->percpu_count_ptr & __PERCPU_REF_ATOMIC)
		return (long)count;
	for (int cpu = 0; cpu < ref->data->nr_cpus; cpu++)
		count += __atomic_load_n(&counts[cpu].count, __ATOMIC_RELAXED);
	return (long)(count - PERCPU_COUNT_BIAS);
}
