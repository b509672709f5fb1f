/* The per-CPU slot of the calling thread: see compiler.h. */
#include "model/compiler.h"

__thread int model_this_cpu;
int model_nr_cpu_ids = 1;

void model_set_this_cpu(int cpu)
{
	model_this_cpu = (cpu >= 0 && cpu < model_nr_cpu_ids) ? cpu : 0;
}

int model_set_nr_cpu_ids(int n)
{
	if (n < 1 || n > MODEL_MAX_CPUS)
		return -EINVAL;
	model_nr_cpu_ids = n;
	return 0;
}
