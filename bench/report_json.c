/*
 * results.json in Google Benchmark's JSON output format (report_json(),
 * report.h): written under a temporary name and renamed, whole or absent.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "harness/atomic_file.h"
#include "report.h"
#include "scenario.h"

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* ,"key": number — left out when the figure does not exist (JSON has no NaN) */
static void json_num(FILE *f, const char *key, double v)
{
	if (isfinite(v))
		fprintf(f, ", \"%s\": %.9g", key, v);
}

/* "lookup/refcount/mode:normal/inv:none/sharing:device/placement:compact/home:0" */
static void json_family(const struct config *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/mode:%s/inv:%s/sharing:%s/placement:%s/home:%d",
		 c->scenario->name, c->strategy->name, config_mode_name(c),
		 config_invalidation_name(c), config_sharing_name(c), c->placement, c->home_node);
}

static void json_entry_head(FILE *f, bool *first, const char *name, const char *run_name,
			    unsigned int family, unsigned int instance, const char *run_type,
			    unsigned int reps, const struct config *c)
{
	fprintf(f, "%s    {\"name\": ", *first ? "" : ",\n");
	*first = false;
	json_str(f, name);
	fprintf(f, ", \"family_index\": %u, \"per_family_instance_index\": %u, \"run_name\": ",
		family, instance);
	json_str(f, run_name);
	fprintf(f, ", \"run_type\": \"%s\", \"repetitions\": %u, \"threads\": %d",
		run_type, reps, c->threads);
}

/*
 * One entry per finished repetition (run_type "iteration"), then the
 * aggregates mean, median, stddev and cv over them (run_type "aggregate",
 * as Google Benchmark writes with --benchmark_repetitions). real_time and
 * cpu_time are both ns_per_op: the threads' time per call (dmabench does not
 * read CPU time apart from it; the context says so). iterations: the calls
 * of all threads. items_per_second: mops_per_s * 1e6.
 */
int report_json(const struct report *r, const char *status, int num_cpus)
{
	const struct plan *p = r->plan;
	char path[1200], date[64];
	struct atomic_file af;
	bool first = true;
	time_t now = time(NULL);
	struct tm tm;
	unsigned int family = 0, instance = 0;
	FILE *f;
	int rc;

	if (!r->cfgs)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/results.json", r->dir);
	rc = atomic_file_open(&af, path);	/* whole, through a temp file (atomic_file.h) */
	if (rc)
		return rc;
	f = af.f;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
	fprintf(f, "{\n  \"context\": {\n    \"date\": \"%s\",\n    \"host_name\": ", date);
	json_str(f, r->machine);
	fprintf(f, ",\n    \"executable\": \"dmabench\",\n    \"num_cpus\": %d,\n", num_cpus);
	fprintf(f, "    \"library_build_type\": \"release\",\n    \"dmabench_run_id\": ");
	json_str(f, r->run_id);
	fprintf(f, ",\n    \"dmabench_schema\": %d,\n    \"dmabench_status\": \"%s\",\n", SCHEMA_VERSION, status);
	fprintf(f, "    \"dmabench_time\": \"real_time = cpu_time = ns_per_op: the threads' busy time per call (results.csv); "
		   "iterations = calls of all threads\"\n  },\n  \"benchmarks\": [\n");
	for (unsigned int ci = 0; ci < p->nr_configs; ci++) {
		const struct config *c = &p->configs[ci];
		const struct report_cfg *o = &r->cfgs[ci];
		char fam[1024], run_name[1100], name[1200];
		static const char *const aggs[] = { "mean", "median", "stddev", "cv" };

		if (!o->n)
			continue;
		json_family(c, fam, sizeof(fam));
		snprintf(run_name, sizeof(run_name), "%s/threads:%d", fam, c->threads);
		/* a family: the configurations that differ in threads only; its
		 * index is its first configuration's, instances count from 0 */
		family = ci;
		instance = 0;
		for (unsigned int k = 0; k < ci; k++) {
			const struct config *o = &p->configs[k];

			if (o->scenario == c->scenario && o->strategy == c->strategy && o->kdump == c->kdump &&
			    o->strict == c->strict && o->sharing == c->sharing &&
			    !strcmp(o->placement, c->placement) && o->home_node == c->home_node) {
				if (family == ci)
					family = k;
				instance++;
			}
		}
		for (unsigned int k = 0; k < p->reps; k++) {
			const struct rep_result *rr = &r->reps[(size_t)ci * p->reps + k];

			if (!rr->done)
				continue;
			json_entry_head(f, &first, run_name, run_name, family, instance, "iteration", (unsigned int)o->n, c);
			fprintf(f, ", \"repetition_index\": %u, \"iterations\": %llu", k,
				(unsigned long long)rr->ops);
			json_num(f, "real_time", rr->ns_per_op);
			json_num(f, "cpu_time", rr->ns_per_op);
			fprintf(f, ", \"time_unit\": \"ns\"");
			json_num(f, "items_per_second", rr->mops_per_s * 1e6);
			fputc('}', f);
		}
		for (size_t a = 0; a < ARRAY_SIZE(aggs) && o->n > 1; a++) {
			double v = a == 0 ? o->mean : a == 1 ? o->median : a == 2 ? o->sd : o->cv;

			if (!isfinite(v))
				continue;
			snprintf(name, sizeof(name), "%s_%s", run_name, aggs[a]);
			json_entry_head(f, &first, name, run_name, family, instance, "aggregate", (unsigned int)o->n, c);
			fprintf(f, ", \"aggregate_name\": \"%s\", \"aggregate_unit\": \"%s\", \"iterations\": %zu",
				aggs[a], a == 3 ? "percentage" : "time", o->n);
			json_num(f, "real_time", v);
			json_num(f, "cpu_time", v);
			fprintf(f, ", \"time_unit\": \"ns\"");
			if (a == 1) {
				json_num(f, "items_per_second", o->mops_median * 1e6);
				json_num(f, "overhead_ns", o->over);
				json_num(f, "overhead_ci_lo", o->over_lo);
				json_num(f, "overhead_ci_hi", o->over_hi);
			}
			fputc('}', f);
		}
	}
	fprintf(f, "\n  ]\n}\n");
	rc = atomic_file_commit(&af, 0);
	return rc;
}
