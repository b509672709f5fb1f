/*
 * src/strategy/percpu-refcount.h — a per-CPU reference count, after
 * include/linux/percpu-refcount.h and lib/percpu-refcount.c (v6.1).
 *
 * In percpu mode a get/put adds to the calling CPU's own counter, each in its
 * own cache line (indexed by smp_processor_id(), see model/compiler.h), so
 * CPUs never share a written line; the shared atomic count holds
 * PERCPU_COUNT_BIAS + the initial reference and is not touched. In atomic
 * mode (the __PERCPU_REF_ATOMIC bit in percpu_count_ptr) get/put fall back to
 * the shared atomic count. Switching to atomic sums the per-CPU counters into
 * the atomic count; percpu_ref_kill() switches and drops the initial
 * reference, and release() runs when the count reaches zero.
 *
 * Cost versus the kernel: this_cpu_inc() is one unlocked `incq %gs:off`
 * (the kernel runs it with preemption and interrupts safe by construction).
 * User-space threads can be preempted and two can share a slot (more threads
 * than slots, or a thread that never set its slot), so the per-CPU add here
 * is a relaxed atomic add: a `lock add` on x86-64 — about 20 cycles and a
 * full barrier instead of ~1 cycle — on a line that stays in the CPU's own
 * cache. The lookup therefore overstates the kernel's per-CPU get/put by
 * that lock prefix, never the cache-line traffic.
 *
 * Thread rules: percpu_ref_get/put/tryget from any thread, concurrently.
 * Mode switches (switch_to_atomic_sync, switch_to_percpu, kill), init, exit
 * and percpu_ref_model_count() only with no get/put in flight on that ref
 * (the kernel covers in-flight ones with an RCU-sched grace period; the
 * model's callers switch in setup/teardown, with no worker running).
 */
#ifndef DMABENCH_STRATEGY_PERCPU_REFCOUNT_H
#define DMABENCH_STRATEGY_PERCPU_REFCOUNT_H

#include <limits.h>
#include <stdbool.h>
#include "model/compiler.h"

struct percpu_ref;
typedef void (percpu_ref_func_t)(struct percpu_ref *);

/* the low bits of percpu_count_ptr */
#define __PERCPU_REF_ATOMIC	(1UL << 0)
#define __PERCPU_REF_DEAD	(1UL << 1)
#define __PERCPU_REF_ATOMIC_DEAD	(__PERCPU_REF_ATOMIC | __PERCPU_REF_DEAD)
#define __PERCPU_REF_FLAG_BITS	2

/* keeps the atomic count away from zero while the per-CPU counters hold the references */
#define PERCPU_COUNT_BIAS	(1UL << (sizeof(long) * CHAR_BIT - 1))

#define PERCPU_REF_INIT_ATOMIC	(1u << 0)	/* start in atomic mode */

struct percpu_ref_cpu {			/* one CPU's counter, alone in its line */
	unsigned long count;
} ____cacheline_aligned;

struct percpu_ref_data {		/* the shared, rarely written part */
	long count;			/* atomic_long_t */
	percpu_ref_func_t *release;
	int nr_cpus;			/* slots in the per-CPU array */
	bool force_atomic;
	struct percpu_ref *ref;
};

struct percpu_ref {
	/* struct percpu_ref_cpu * | __PERCPU_REF_ATOMIC | __PERCPU_REF_DEAD; read on every get/put */
	unsigned long percpu_count_ptr;
	struct percpu_ref_data *data;
};

/* 0 or -ENOMEM. The count starts at 1 (the initial reference). */
int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release, unsigned int flags);
/* frees the per-CPU counters and the data; the ref must be unused */
void percpu_ref_exit(struct percpu_ref *ref);

void percpu_ref_switch_to_atomic_sync(struct percpu_ref *ref);
void percpu_ref_switch_to_percpu(struct percpu_ref *ref);
/* mark dead, switch to atomic, drop the initial reference */
void percpu_ref_kill(struct percpu_ref *ref);
bool percpu_ref_is_zero(struct percpu_ref *ref);

/*
 * Model only, for invariant checks: the number of references held, in either
 * mode (per-CPU counters summed plus the atomic count less the bias).
 */
long percpu_ref_model_count(const struct percpu_ref *ref);

/* lib/percpu-refcount.h: __ref_is_percpu() */
static __always_inline bool __ref_is_percpu(struct percpu_ref *ref,
					    struct percpu_ref_cpu **percpu_countp)
{
	unsigned long percpu_ptr = READ_ONCE(ref->percpu_count_ptr);

	if (unlikely(percpu_ptr & __PERCPU_REF_ATOMIC_DEAD))
		return false;
	*percpu_countp = (struct percpu_ref_cpu *)percpu_ptr;
	return true;
}

/* this_cpu_add(), made safe for two threads sharing a slot (see the cost note above) */
static __always_inline void percpu_ref_this_cpu_add(struct percpu_ref_cpu *percpu_count, long nr)
{
	__atomic_fetch_add(&percpu_count[smp_processor_id()].count, (unsigned long)nr,
			   __ATOMIC_RELAXED);
}

static __always_inline void percpu_ref_get_many(struct percpu_ref *ref, unsigned long nr)
{
	struct percpu_ref_cpu *percpu_count;

	if (__ref_is_percpu(ref, &percpu_count))
		percpu_ref_this_cpu_add(percpu_count, (long)nr);
	else
		__atomic_fetch_add(&ref->data->count, (long)nr, __ATOMIC_RELAXED);
}

static __always_inline void percpu_ref_get(struct percpu_ref *ref)
{
	percpu_ref_get_many(ref, 1);
}

static __always_inline void percpu_ref_put_many(struct percpu_ref *ref, unsigned long nr)
{
	struct percpu_ref_cpu *percpu_count;

	if (__ref_is_percpu(ref, &percpu_count))
		percpu_ref_this_cpu_add(percpu_count, -(long)nr);
	else if (unlikely(__atomic_sub_fetch(&ref->data->count, (long)nr, __ATOMIC_ACQ_REL) == 0))
		ref->data->release(ref);
}

static __always_inline void percpu_ref_put(struct percpu_ref *ref)
{
	percpu_ref_put_many(ref, 1);
}

#endif
