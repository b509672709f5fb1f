/* The run-length calibration of runlen.h: fetch-add logs -> owners in service order -> R. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness/runlen.h"
#include "harness/topo.h"

int runlen_from_owners(const uint16_t *owner, unsigned long long total,
		       struct runlen_result *out)
{
	unsigned long long runs = 1;

	if (!owner || !out || !total)
		return -EINVAL;
	for (unsigned long long i = 1; i < total; i++)
		runs += owner[i] != owner[i - 1];
	out->ops = total;
	out->runs = runs;
	out->run_length = (double)total / runs;
	return 0;
}

struct rl_thread {
	const struct topo *t;
	int pu;
	unsigned int n;
	unsigned long ops;
	uint64_t *counter;		/* the shared line: sharing it is the point */
	unsigned int *arrived;		/* the start barrier */
	uint64_t *log;			/* ops values this thread's fetch-adds returned */
	int err;
};

static void *rl_worker(void *arg)
{
	struct rl_thread *a = arg;

	a->err = topo_bind_thread(a->t, a->pu);
	__atomic_add_fetch(a->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(a->arrived, __ATOMIC_ACQUIRE) < a->n)
		;
	for (unsigned long i = 0; i < a->ops; i++)
		a->log[i] = __atomic_fetch_add(a->counter, 1, __ATOMIC_RELAXED);
	return NULL;
}

int runlen_measure(struct topo *t, const int *pus, unsigned int n, unsigned long ops,
		   int home_node, struct runlen_result *out)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned long long total = (unsigned long long)n * ops;
	struct rl_thread *th = NULL;
	pthread_t *tid = NULL;
	uint16_t *owner = NULL;
	unsigned int started = 0;
	void *mem = NULL;
	bool bound;
	int rc = 0;

	if (!t || !pus || !out || n < 2 || n > 65535 || !ops)
		return -EINVAL;
	if (!topo_is_this_system(t))
		return -EOPNOTSUPP;
	for (unsigned int i = 0; i < n; i++)
		if (!topo_pu_allowed(t, pus[i]))
			return -EINVAL;
	th = calloc(n, sizeof(*th));
	tid = calloc(n, sizeof(*tid));
	owner = malloc(total * sizeof(*owner));
	if (!th || !tid || !owner) {
		rc = -ENOMEM;
		goto out;
	}
	/* the counter and the barrier on lines of their own, in one page */
	rc = topo_alloc_on_node(t, page, home_node, &mem, &bound);
	if (rc)
		goto out;
	for (unsigned int i = 0; i < n; i++) {
		th[i] = (struct rl_thread){ .t = t, .pu = pus[i], .n = n, .ops = ops,
					    .counter = mem, .arrived = (unsigned int *)((char *)mem + 128) };
		th[i].log = malloc(ops * sizeof(uint64_t));
		if (!th[i].log) {
			rc = -ENOMEM;
			goto out;
		}
	}
	for (; started < n; started++) {
		rc = -pthread_create(&tid[started], NULL, rl_worker, &th[started]);
		if (rc) {
			/* let the started ones through the barrier, then join them */
			__atomic_add_fetch(th[0].arrived, n - started, __ATOMIC_ACQ_REL);
			break;
		}
	}
	for (unsigned int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	for (unsigned int i = 0; i < n && !rc; i++)
		rc = th[i].err;
	if (rc)
		goto out;
	memset(owner, 0xff, total * sizeof(*owner));
	for (unsigned int i = 0; i < n && !rc; i++)
		for (unsigned long k = 0; k < ops; k++) {
			uint64_t v = th[i].log[k];

			if (v >= total || owner[v] != UINT16_MAX) {
				rc = -EPROTO;
				break;
			}
			owner[v] = (uint16_t)i;
		}
	if (!rc)
		rc = runlen_from_owners(owner, total, out);
	if (!rc)
		out->threads = n;
out:
	if (th)
		for (unsigned int i = 0; i < n; i++)
			free(th[i].log);
	free(th);
	free(tid);
	free(owner);
	topo_free(t, mem, page);
	return rc;
}
