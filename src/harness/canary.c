/* The host canary: see canary.h. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "harness/canary.h"
#include "harness/clock.h"

#define LINE_WORDS	(64 / sizeof(size_t))
/* the hook multiplies at most this much of a sample: not a preemption in it */
#define HOOK_SAMPLE_CAP_NS	20000ull

int canary_init(struct canary *c, size_t bytes, unsigned int max_cpus)
{
	size_t lines = bytes / 64;
	uint64_t x = 0x9e3779b97f4a7c15ull;	/* fixed seed: the same chain every run */

	memset(c, 0, sizeof(*c));
	if (bytes % 64 || lines < 2 || max_cpus == 0)
		return -EINVAL;
	c->chain = aligned_alloc(4096, (bytes + 4095) & ~(size_t)4095);
	c->baseline = malloc(max_cpus * sizeof(*c->baseline));
	if (!c->chain || !c->baseline) {
		canary_destroy(c);
		return -ENOMEM;
	}
	memset(c->chain, 0, bytes);
	c->bytes = bytes;
	c->max_cpus = max_cpus;
	for (unsigned int i = 0; i < max_cpus; i++)
		c->baseline[i] = NAN;
	/* Sattolo: one cycle through every line, in a random order */
	for (size_t i = 0; i < lines; i++)
		c->chain[i * LINE_WORDS] = i * LINE_WORDS;
	for (size_t i = lines - 1; i > 0; i--) {
		size_t j, t;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (size_t)(x % i);
		t = c->chain[i * LINE_WORDS];
		c->chain[i * LINE_WORDS] = c->chain[j * LINE_WORDS];
		c->chain[j * LINE_WORDS] = t;
	}
	return 0;
}

void canary_destroy(struct canary *c)
{
	free(c->chain);
	free(c->baseline);
	memset(c, 0, sizeof(*c));
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double canary_median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), dbl_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool canary_slow(double baseline, double before, double after, double ratio)
{
	if (!(baseline > 0))
		return false;
	return before > ratio * baseline || after > ratio * baseline;	/* NAN compares false */
}

int canary_parse_hook(const char *value, unsigned int *factor)
{
	*factor = 1;
	if (!value || !*value || !strcmp(value, "0"))
		return 0;
	if (strcmp(value, "1"))
		return -EINVAL;
	*factor = CANARY_HOOK_FACTOR;
	return 0;
}

struct probe_job {
	const size_t *chain;
	size_t lines;
	unsigned int factor;
	unsigned int samples;	/* 1..CANARY_SAMPLES */
	double ns;
};

/* The probe itself, on whatever CPU runs it. */
static void probe_run(struct probe_job *j)
{
	double s[CANARY_SAMPLES];
	size_t p = 0;

	for (size_t i = 0; i < j->lines; i++)	/* warm: every line once */
		p = j->chain[p];
	for (unsigned int k = 0; k < j->samples; k++) {
		uint64_t t0 = clock_now_ns(), t1;

		for (int i = 0; i < CANARY_STEPS; i++)
			p = j->chain[p];
		__asm__ volatile("" : "+r"(p));	/* each load depends on the last: keep them */
		t1 = clock_now_ns();
		if (j->factor > 1)	/* test hook: this sample took factor times as long */
			t1 = clock_spin_until(t1 + (t1 - t0 < HOOK_SAMPLE_CAP_NS ? t1 - t0 : HOOK_SAMPLE_CAP_NS) *
						       (j->factor - 1));
		s[k] = (double)(t1 - t0) / CANARY_STEPS;
	}
	j->ns = canary_median(s, j->samples);
}

static void *probe_thread(void *arg)
{
	probe_run(arg);
	return NULL;
}

static int probe_on(const struct canary *c, int cpu, unsigned int factor, unsigned int samples, double *ns)
{
	struct probe_job j = {
		.chain = c->chain, .lines = c->bytes / 64, .factor = factor, .samples = samples, .ns = NAN,
	};
	pthread_attr_t attr;
	pthread_t tid;
	cpu_set_t *set;
	size_t setsize;
	int rc;

	*ns = NAN;
	if (!c->chain || cpu >= (int)c->max_cpus || samples == 0 || samples > CANARY_SAMPLES)
		return -EINVAL;
	if (cpu < 0) {
		probe_run(&j);
		*ns = j.ns;
		return 0;
	}
	set = CPU_ALLOC(cpu + 1);
	if (!set)
		return -ENOMEM;
	setsize = CPU_ALLOC_SIZE(cpu + 1);
	CPU_ZERO_S(setsize, set);
	CPU_SET_S(cpu, setsize, set);
	rc = pthread_attr_init(&attr);
	if (!rc)
		rc = pthread_attr_setaffinity_np(&attr, setsize, set);
	if (!rc)
		rc = pthread_create(&tid, &attr, probe_thread, &j);
	if (!rc)
		rc = pthread_join(tid, NULL);
	pthread_attr_destroy(&attr);
	CPU_FREE(set);
	if (rc)
		return -rc;
	*ns = j.ns;
	return 0;
}

int canary_probe(const struct canary *c, int cpu, double *ns)
{
	return probe_on(c, cpu, c->slow_factor, CANARY_SAMPLES, ns);
}

int canary_probe_short(const struct canary *c, double *ns)
{
	return probe_on(c, -1, c->slow_factor, CANARY_MID_SAMPLES, ns);
}

unsigned int canary_over(double baseline, const double *v, unsigned int n, double ratio)
{
	unsigned int over = 0;

	if (!(baseline > 0))
		return 0;
	for (unsigned int i = 0; i < n; i++)
		over += v[i] > ratio * baseline;	/* NAN compares false */
	return over;
}

double canary_baseline_of(const struct canary *c, int cpu)
{
	if (!c->baseline || cpu < 0 || cpu >= (int)c->max_cpus)
		return NAN;
	return c->baseline[cpu];
}

static void lower_baseline(struct canary *c, int cpu, double ns)
{
	if (cpu < 0 || cpu >= (int)c->max_cpus || !(ns > 0))
		return;
	if (isnan(c->baseline[cpu]) || ns < c->baseline[cpu])
		c->baseline[cpu] = ns;
}

int canary_baseline(struct canary *c, int cpu, unsigned int runs)
{
	if (cpu < 0 || cpu >= (int)c->max_cpus || runs == 0)
		return -EINVAL;
	for (unsigned int i = 0; i < runs; i++) {
		double ns;
		int rc = probe_on(c, cpu, 1, CANARY_SAMPLES, &ns);

		if (rc)
			return rc;
		lower_baseline(c, cpu, ns);
	}
	return 0;
}

bool canary_judge(struct canary *c, int cpu, double before, double after)
{
	/* a slowed (hook) probe never lowers the baseline: it is not the host's figure */
	if (c->slow_factor <= 1) {
		lower_baseline(c, cpu, before);
		lower_baseline(c, cpu, after);
	}
	return canary_slow(canary_baseline_of(c, cpu), before, after, CANARY_SLOW_RATIO);
}

bool canary_judge_window(struct canary *c, int cpu, double before, double after,
			 double *mid, unsigned int n, unsigned int *over)
{
	bool slow = canary_judge(c, cpu, before, after);	/* lowers the baseline first */
	double base = canary_baseline_of(c, cpu);

	*over = canary_over(base, mid, n, CANARY_SLOW_RATIO);
	if (*over >= CANARY_MID_MIN_OVER)
		slow = true;
	if (n >= CANARY_MID_MEDIAN_MIN && base > 0 && canary_median(mid, n) > CANARY_MID_MEDIAN_RATIO * base)
		slow = true;
	return slow;
}
