/*
 * src/model/compiler.h — the kernel idioms the model is written in.
 *
 * likely/unlikely, noinline/noipa, READ_ONCE/WRITE_ONCE, barriers, cpu_relax,
 * get_cycles, container_of, ERR_PTR, cache-line alignment, a spinlock and
 * the per-CPU index.
 * Header-only, no state but the thread-local CPU index (percpu below).
 * Any thread may call anything here.
 */
#ifndef DMABENCH_MODEL_COMPILER_H
#define DMABENCH_MODEL_COMPILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <time.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#include <sys/cdefs.h>	/* glibc defines __always_inline */
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define noinline	__attribute__((noinline))
/*
 * Out of line and opaque to the caller's optimiser (no constant propagation,
 * no "pure"/"const" inference that would let a loop hoist the call): how a
 * lookup in another translation unit looks, for one defined in the same file.
 */
#if defined(__has_attribute)
#if __has_attribute(noipa)
#define noipa		__attribute__((noipa))
#endif
#endif
#ifndef noipa
#define noipa		__attribute__((noinline, used))
#endif

#define SMP_CACHE_BYTES		64
#define ____cacheline_aligned	__attribute__((aligned(SMP_CACHE_BYTES)))

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define barrier()		__asm__ __volatile__("" ::: "memory")

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }

static __always_inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	barrier();
#endif
}

/*
 * get_cycles(), as arch/x86 has it: rdtsc (constant and invariant on any x86
 * this runs on: a modern CPU's TSC, or a VM's), not serialising (a wait that
 * reads it in a loop needs none). Elsewhere CLOCK_MONOTONIC in ns. What the
 * model's modelled hardware waits count in (model-iommu.h); the harness
 * calibrates it against its clock (clock_ticks_per_ns()).
 */
static __always_inline uint64_t get_cycles(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
#endif
}

/*
 * A test-and-test-and-set spinlock: the kernel's spinlock_t stands here. The
 * model never sleeps holding one (as in the kernel, where the holders run with
 * interrupts off).
 */
typedef struct {
	int locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline void spin_lock_init(spinlock_t *l) { l->locked = 0; }

static __always_inline void spin_lock(spinlock_t *l)
{
	for (;;) {
		if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
			return;
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
	}
}

static __always_inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static __always_inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/*
 * Per-CPU data. The harness pins each thread and tells the model which CPU
 * slot it runs on (model_set_this_cpu); per-CPU arrays are indexed by it, so
 * per-CPU data is per-CPU here too. Slots are 0 .. model_nr_cpu_ids - 1.
 * A thread that never set its slot uses slot 0 (safe: every per-CPU structure
 * the kernel locks is locked here too).
 */
#define MODEL_MAX_CPUS	1024
extern __thread int model_this_cpu;
extern int model_nr_cpu_ids;

static inline int smp_processor_id(void) { return model_this_cpu; }
void model_set_this_cpu(int cpu);	/* out-of-range cpu: slot 0 */
int model_set_nr_cpu_ids(int n);	/* before any per-CPU structure is made */

#endif
