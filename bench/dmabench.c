/*
 * dmabench — the driver. `main` reads flags, builds a plan, runs it, writes
 * it; subcommands `compare` and `c2c` have their own entry points.
 * Exit status: 0 done, 2 bad input (one line on stderr naming the flag),
 * 1 a failure at run time, 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP
 * (finished rows kept, machine.txt says `status: interrupted`).
 * Test hooks (environment): DMABENCH_FAIL_BIND=1 (thread binding fails),
 * DMABENCH_FAIL_ALLOC_AFTER=N (the model's N-th allocation fails),
 * DMABENCH_PMU_DENY=1|kernel (perf_event_open refused),
 * DMABENCH_INJECT_NS=STRATEGY:NS|P%[:odd] (one strategy slowed on purpose:
 * the comparison's own test, bench/sweep_window.c).
 */
#include <stdio.h>
#include <string.h>
#include "options.h"
#include "plan.h"
#include "scenario.h"
#include "sweep.h"
#include "version.h"

int compare_main(int argc, char **argv);
int c2c_main(int argc, char **argv);
int predict_main(int argc, char **argv);
int runcsv_main(int argc, char **argv);

static void list(void)
{
	printf("strategies:\n");
	for (unsigned int i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategy_table[i];

		printf("  %-14s %s [%s%s]\n", s->name, s->description, strategy_class_name(s->class),
		       (s->flags & STRATEGY_GATED) ? "; gated: also runs in kdump mode" : "");
	}
	printf("scenarios:\n");
	for (unsigned int i = 0; i < scenario_count; i++)
		printf("  %-14s %s\n", scenario_table[i]->name, scenario_table[i]->description);
}

int main(int argc, char **argv)
{
	struct options opt;
	struct plan plan;
	char err[512];
	int rc;

	if (argc > 1 && !strcmp(argv[1], "compare"))
		return compare_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "c2c"))
		return c2c_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "predict"))
		return predict_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "check-csv"))
		return runcsv_main(argc - 1, argv + 1);

	if (options_parse(&opt, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	switch (opt.action) {
	case OPT_HELP:
		options_usage(stdout);
		return 0;
	case OPT_VERSION:
		printf("dmabench %s (git %s)\n", DMABENCH_VERSION, DMABENCH_GIT_REVISION);
		return 0;
	case OPT_LIST:
		list();
		return 0;
	case OPT_RUN:
		break;
	}
	if (opt.soak_ms)
		options_for_soak(&opt);
	if (plan_build(&plan, &opt, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		plan_free(&plan);
		return 2;
	}
	if (opt.soak_ms)
		plan.duration_ns = opt.soak_ms * 1000000ULL / plan.nr_configs;
	if (opt.dry_run) {
		if (opt.dry_run == DRY_RUN_SUMMARY)
			plan_print_summary(&plan, stdout);
		else
			plan_print(&plan, stdout);
		plan_free(&plan);
		return 0;
	}
	if (opt.soak_ms) {
		rc = sweep_soak(&plan, &opt);
	} else {
		rc = sweep_run(&plan, &opt);
	}
	plan_free(&plan);
	return rc;
}
