/*
 * The passes of a sweep outside its timed windows (bench/sweep_state.h):
 * core-to-core latency (c2c.csv), then the bare run-length calibration
 * before the windows and the call-shaped one after them (runlength.csv,
 * and the run_length lines of machine.txt).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness/costmodel.h"
#include "harness/stats.h"
#include "runfile.h"
#include "scenario.h"
#include "sweep_state.h"

void pass_runlen_lines(const struct sweep *sw, FILE *f)
{
	if (!sw->nr_runlen)
		fprintf(f, "run_length: not measured (no configuration with 2 or more threads)\n");
	for (unsigned int i = 0; i < sw->nr_runlen; i++) {
		const struct sweep_runlen *q = &sw->runlen[i];

		if (q->rc)
			fprintf(f, "run_length: placement=%s threads=%d cpus=%s unavailable (%s)\n",
				q->like->placement, q->like->threads, q->like->cpus, strerror(-q->rc));
		else
			fprintf(f, "run_length: placement=%s threads=%d cpus=%s R=%.3f fetch-adds "
				"per run (%llu fetch-adds, %llu runs, overlap %.2f%s)\n", q->like->placement,
				q->like->threads, q->like->cpus, q->r.run_length, q->r.ops, q->r.runs,
				q->r.overlap, q->r.overlap < RUNLEN_MIN_OVERLAP ? ": the threads hardly ran together, not used" : "");
	}
	if (sw->runlen_calls)
		fprintf(f, "run_length_calls_pass_s: %.3f (%u call-shaped calibrations)\n",
			sw->runlen_calls_s, sw->nr_runlen_calls);
	for (unsigned int i = 0; i < sw->nr_runlen_calls; i++) {
		const struct sweep_runlen_call *q = &sw->runlen_calls[i];
		const struct config *c = q->like;

		fprintf(f, "run_length_calls: %s %s mode=%s sharing=%s placement=%s threads=%d cpus=%s ",
			c->scenario->name, c->strategy->name, config_mode_name(c), config_sharing_name(c),
			c->placement, c->threads, c->cpus);
		if (q->why)
			fprintf(f, "unavailable (%s)\n", q->why);
		else
			fprintf(f, "c1=%.3f ns K=%lu (a call costs %.3f ns at 1 thread) R=%.3f calls per run "
				"(%.3f fetch-adds; %llu calls, %llu runs; %.1f ns per call in the loop; overlap %.2f%s)\n",
				q->c1_ns, q->call.spin, q->achieved_ns, q->r.run_length_calls,
				q->r.run_length, q->r.calls, q->r.runs, q->r.ns_per_call, q->r.overlap,
				q->r.overlap < RUNLEN_MIN_OVERLAP ? ": the threads hardly ran together, not used" : "");
	}
}

/* The rmw pass's round trips per sample: a fifth of the store pass's, so
 * it adds a fifth of that pass's time (6 ms per pair -> about 1.3 ms). */
#define SWEEP_RMW_ROUND_TRIPS 200u

void pass_c2c(struct sweep *sw)
{
	char path[1200];
	int rc;

	if (sw->opt->no_c2c || !sw->plan->this_system || sweep_signalled())
		return;
	fprintf(stderr, "dmabench: core-to-core latency (store, then rmw) between allowed PUs...\n");
	rc = c2c_measure_both(sw->plan->topo, sw->plan->home_node, SWEEP_RMW_ROUND_TRIPS,
			      &sw->c2c);
	if (rc) {
		if (rc != -ECANCELED)
			fprintf(stderr, "dmabench: c2c not measured: %s\n", strerror(-rc));
		c2c_free(&sw->c2c);
		return;
	}
	sw->have_c2c = true;
	snprintf(path, sizeof(path), "%s/c2c.csv", sw->dir);
	rc = c2c_write_csv(&sw->c2c, path);
	if (rc)
		rundir_write_failed(sw, path, rc);
}

/* A number and its comma, or an empty cell for NAN. */
static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.4f,", v);
	else
		fputc(',', f);
}

/* The four stream columns and their commas (the two bare columns follow). */
static void stream_cols(FILE *f, const struct stream_handoff *s)
{
	csv_num(f, s->pair_rt_ns);
	csv_num(f, s->h_ns);
	csv_num(f, s->handoff_ns);
	csv_num(f, s->eta);
}

/*
 * runlength.csv (results/README.md): the bare rows, then the call-shaped
 * ones; the first six columns are the old file's, so an old reader still
 * finds R in fetch-adds where it was.
 */
static void write_runlength(struct sweep *sw)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	fprintf(f, "placement,threads,cpus,fetch_adds,runs,run_length,calibration,scenario,strategy,"
		"mode,sharing,c1_ns,rmw_per_call,spin_k,c1_achieved_ns,calls,r_calls,loop_ns_per_call,overlap,note,"
		"pair_rt_ns,h_ns,handoff_ns,eta,bare_r_calls,bare_eta\n");
	for (unsigned int i = 0; i < sw->nr_runlen; i++) {
		const struct sweep_runlen *q = &sw->runlen[i];

		if (q->rc) {
			fprintf(f, "%s,%d,%s,,,,bare,,,,,,1,,,,,,,%s,,,,,,\n", q->like->placement,
				q->like->threads, q->like->cpus, strerror(-q->rc));
			continue;
		}
		fprintf(f, "%s,%d,%s,%llu,%llu,%.4f,bare,,,,,,1,,", q->like->placement,
			q->like->threads, q->like->cpus, q->r.ops, q->r.runs, q->r.run_length);
		csv_num(f, q->s.one_ns);
		fprintf(f, "%llu,,", q->r.ops);
		csv_num(f, q->r.ns_per_call);
		fprintf(f, "%.3f,,", q->r.overlap);
		stream_cols(f, &q->s);
		fprintf(f, ",\n");
	}
	for (unsigned int i = 0; i < sw->nr_runlen_calls; i++) {
		const struct sweep_runlen_call *q = &sw->runlen_calls[i];
		const struct config *c = q->like;

		fprintf(f, "%s,%d,%s,", c->placement, c->threads, c->cpus);
		if (q->why)
			fprintf(f, ",,,");
		else
			fprintf(f, "%llu,%llu,%.4f,", q->r.ops, q->r.runs, q->r.run_length);
		fprintf(f, "call-shaped,%s,%s,%s,%s,", c->scenario->name, c->strategy->name,
			config_mode_name(c), config_sharing_name(c));
		if (q->c1_ns > 0)
			fprintf(f, "%.4f,", q->c1_ns);
		else
			fputc(',', f);
		fprintf(f, "%u,", c->strategy->shared_rmws);
		if (q->why)
			fprintf(f, ",,,,,,");
		else
			fprintf(f, "%lu,%.4f,%llu,%.4f,%.4f,%.3f,", q->call.spin, q->achieved_ns, q->r.calls,
				q->r.run_length_calls, q->r.ns_per_call, q->r.overlap);
		for (const char *w = q->why ? q->why : ""; *w; w++)
			fputc(*w == ',' || *w == '\n' || *w == '"' ? ' ' : *w, f);
		fputc(',', f);
		stream_cols(f, &q->s);
		if (!q->why && !q->bare_rc) {
			csv_num(f, q->bare.run_length / c->strategy->shared_rmws);
			if (isfinite(q->bare_s.eta))
				fprintf(f, "%.4f\n", q->bare_s.eta);
			else
				fputc('\n', f);
		} else {
			fprintf(f, ",\n");
		}
	}
	if (!fclose(f)) {
		int rc = runfile_write(sw->dir, "runlength.csv", buf, len);

		if (rc)
			rundir_file_failed(sw, "runlength.csv", rc);
	}
	free(buf);
}

/*
 * The host's placement just before a calibration: the rmw round trip of its
 * first two PUs (the window probe, pairprobe.h), and from it the one-way
 * time over all its placed pairs: for two threads rt / 2, for more the
 * c2c pass's mean scaled by the pair's round trip now against the pass's.
 * A test hook's scaled figure is not a measurement: NAN.
 */
static void stream_before(struct sweep *sw, const int *pus, int n, struct stream_handoff *s)
{
	double rt = NAN, mean, min, base;

	*s = (struct stream_handoff){ NAN, NAN, NAN, NAN, NAN };
	if (!sw->pairs_ok || sw->pairs.slow_factor > 1 ||
	    pairprobe_measure(&sw->pairs, sw->plan->topo, pus[0], pus[1], &rt) || !(rt > 0))
		return;
	s->pair_rt_ns = rt;
	if (n == 2) {
		s->h_ns = rt / 2;
		return;
	}
	base = sw->have_c2c ? c2c_round_trip_op_ns(&sw->c2c, C2C_OP_RMW, pus[0], pus[1]) : NAN;
	if (base > 0 && !costmodel_handoffs(&sw->c2c, C2C_OP_RMW, pus, (unsigned int)n, &mean, &min))
		s->h_ns = mean * rt / base;
}

/* The stream handoff of a calibration that ran: s->one_ns set by the caller. */
static void stream_after(struct stream_handoff *s, const struct runlen_result *r, int n,
			 double run_length)
{
	s->handoff_ns = costmodel_stream_handoff(r->ns_per_call, (unsigned int)n, s->one_ns,
						 run_length);
	s->eta = s->h_ns > 0 ? s->handoff_ns / s->h_ns : NAN;
}

/*
 * Of the passes of one calibration, keep the one whose threads ran together
 * most (the first, or r when it overlaps more); true once the kept one
 * overlaps enough to be used (RUNLEN_MIN_OVERLAP): no further pass.
 */
static bool keep_better(struct runlen_result *kept, const struct runlen_result *r, int attempt)
{
	if (!attempt || r->overlap > kept->overlap)
		*kept = *r;
	return kept->overlap >= RUNLEN_MIN_OVERLAP;
}

/*
 * The run-length calibration (runlen.h), once per (placement, threads >= 2)
 * of the plan, outside every timed window; runlength.csv and the
 * machine.txt lines. About 2 * RUNLEN_DEFAULT_OPS * (c2c rmw one-way) per
 * calibration at 2 threads: ~20 ms here.
 */
void pass_runlen(struct sweep *sw)
{
	const struct plan *p = sw->plan;

	if (sw->opt->no_c2c || sweep_signalled())
		return;
	sw->runlen = calloc(p->nr_configs, sizeof(*sw->runlen));
	if (!sw->runlen)
		return;
	for (unsigned int ci = 0; ci < p->nr_configs && !sweep_signalled(); ci++) {
		const struct config *c = &p->configs[ci];
		struct sweep_runlen *q;
		int pus[c->threads > 0 ? c->threads : 1];
		bool seen = false;

		if (c->threads < 2)
			continue;
		for (unsigned int k = 0; k < sw->nr_runlen; k++)
			seen |= sw->runlen[k].like->threads == c->threads &&
				!strcmp(sw->runlen[k].like->placement, c->placement);
		if (seen)
			continue;
		q = &sw->runlen[sw->nr_runlen++];
		q->like = c;
		for (int i = 0; i < c->threads; i++)
			pus[i] = c->slots[i].pu_os;
		stream_before(sw, pus, c->threads, &q->s);
		/* again, twice at most, while the threads did not run together */
		for (int attempt = 0; attempt < 3; attempt++) {
			struct runlen_result r;

			q->rc = runlen_measure(p->topo, pus, (unsigned int)c->threads, RUNLEN_DEFAULT_OPS,
					       p->home_node, &r);
			if (q->rc || keep_better(&q->r, &r, attempt))
				break;
		}
		/* the same loop alone on the first PU: what a fetch-add costs uncontended */
		if (!q->rc && runlen_time_bare(p->topo, pus[0], RUNLEN_DEFAULT_OPS / 4, 3, p->home_node,
					       &q->s.one_ns))
			q->s.one_ns = NAN;
		if (!q->rc)
			stream_after(&q->s, &q->r, c->threads, q->r.run_length);
	}
	sw->runlen_done = true;
	write_runlength(sw);
}

/*
 * The call-shaped pass, RUNLEN_CALL_PASSES times: the one of median R among
 * those whose threads ran together (a pass of 50 000 calls per thread
 * moves by a factor 2 from one to the next here); none ran together: the
 * one that overlapped most, which predict then does not use. At most
 * twice as many tries as passes.
 */
#define RUNLEN_CALL_PASSES 3

static int measure_calls_median(const struct plan *p, const int *pus, int n,
				const struct runlen_call *call, struct runlen_result *out)
{
	struct runlen_result got[RUNLEN_CALL_PASSES], best = { 0 };
	unsigned int ok = 0;
	int rc = 0;

	for (int tries = 0; ok < RUNLEN_CALL_PASSES && tries < 2 * RUNLEN_CALL_PASSES; tries++) {
		struct runlen_result r;

		rc = runlen_measure_calls(p->topo, pus, (unsigned int)n, call,
					  RUNLEN_CALL_DEFAULT_CALLS, p->home_node, &r);
		if (rc)
			return rc;
		if (r.overlap >= RUNLEN_MIN_OVERLAP)
			got[ok++] = r;
		else if (!tries || r.overlap > best.overlap)
			best = r;
	}
	if (!ok) {
		*out = best;
		return 0;
	}
	/* the median by R (insertion sort of at most three) */
	for (unsigned int i = 1; i < ok; i++)
		for (unsigned int j = i; j > 0 && got[j - 1].run_length_calls > got[j].run_length_calls; j--) {
			struct runlen_result t = got[j];

			got[j] = got[j - 1];
			got[j - 1] = t;
		}
	*out = got[ok / 2];
	return 0;
}

/*
 * The call-shaped run-length calibration (runlen.h), after the timed
 * windows (still outside every one): for each lookup configuration of a
 * shared-write strategy (s->class, s->shared_rmws fetch-adds per call) at
 * N >= 2 threads, not private, K is solved at one thread on the
 * configuration's first PU so that a call costs the configuration's
 * 1-thread median c1, then N threads placed as the configuration make
 * RUNLEN_CALL_DEFAULT_CALLS calls each, three passes, the median kept
 * (measure_calls_median). map-unmap and map-sg rows are not
 * calibrated: predict gives them the bare R and says so in the warning.
 * A few ms per calibration. runlength.csv is written again with these rows.
 */
void pass_runlen_calls(struct sweep *sw)
{
	const struct plan *p = sw->plan;
	const struct report *rep = &sw->report;
	double t0 = sweep_now_s();

	if (!sw->runlen_done || sweep_signalled())
		return;
	sw->runlen_calls = calloc(p->nr_configs, sizeof(*sw->runlen_calls));
	if (!sw->runlen_calls)
		return;
	for (unsigned int ci = 0; ci < p->nr_configs && !sweep_signalled(); ci++) {
		const struct config *c = &p->configs[ci];
		struct sweep_runlen_call *q;
		int pus[c->threads > 0 ? c->threads : 1];
		int one = -1;
		bool seen = false;

		if (c->threads < 2 || strcmp(c->scenario->name, "lookup") ||
		    c->strategy->class != STRATEGY_CLASS_SHARED_WRITE || !c->strategy->shared_rmws ||
		    c->sharing == MODEL_SHARE_PRIVATE)
			continue;
		for (unsigned int k = 0; k < sw->nr_runlen_calls; k++) {
			const struct config *o = sw->runlen_calls[k].like;

			seen |= o->strategy == c->strategy && o->kdump == c->kdump &&
				o->sharing == c->sharing && o->strict == c->strict &&
				o->threads == c->threads && !strcmp(o->placement, c->placement);
		}
		if (seen)
			continue;
		/* c1: the same configuration at one thread, this placement first */
		for (unsigned int k = 0; k < p->nr_configs; k++) {
			const struct config *o = &p->configs[k];

			if (o->strategy == c->strategy && o->kdump == c->kdump && o->scenario == c->scenario &&
			    o->sharing == c->sharing && o->strict == c->strict && o->threads == 1 &&
			    (one < 0 || !strcmp(o->placement, c->placement)))
				one = (int)k;
		}
		q = &sw->runlen_calls[sw->nr_runlen_calls++];
		q->like = c;
		q->c1_ns = NAN;
		q->r.run_length_calls = q->r.ns_per_call = NAN;
		if (one >= 0) {
			double ns[p->reps];
			size_t n = 0;

			for (unsigned int k = 0; k < p->reps; k++) {
				const struct rep_result *rr = &rep->reps[(size_t)one * p->reps + k];

				if (rr->done && isfinite(rr->ns_per_op) && rr->ns_per_op > 0)
					ns[n++] = rr->ns_per_op;
			}
			if (n)
				stats_median(ns, n, &q->c1_ns);
		}
		if (!(q->c1_ns > 0)) {
			q->rc = -ENODATA;
			q->why = "no 1-thread figure of this configuration";
			continue;
		}
		for (int i = 0; i < c->threads; i++)
			pus[i] = c->slots[i].pu_os;
		q->rc = runlen_calibrate_spin(p->topo, pus[0], c->strategy->shared_rmws, q->c1_ns,
					      p->home_node, &q->call, &q->achieved_ns);
		if (!q->rc)
			stream_before(sw, pus, c->threads, &q->s);
		/* a pass the threads did not run together through (another
		 * process took a CPU) is tried again, twice at most */
		q->rc = measure_calls_median(p, pus, c->threads, &q->call, &q->r);
		if (q->rc) {
			q->why = strerror(-q->rc);
			continue;
		}
		q->s.one_ns = q->achieved_ns;
		stream_after(&q->s, &q->r, c->threads, q->r.run_length_calls);
		/* the bare loop at the same moment: lo's runs and stream */
		q->bare_s = (struct stream_handoff){ q->s.pair_rt_ns, q->s.h_ns, NAN, NAN, NAN };
		q->bare_rc = runlen_measure(p->topo, pus, (unsigned int)c->threads, RUNLEN_DEFAULT_OPS / 2,
					    p->home_node, &q->bare);
		if (!q->bare_rc)
			q->bare_rc = runlen_time_bare(p->topo, pus[0], RUNLEN_DEFAULT_OPS / 4, 3,
						      p->home_node, &q->bare_s.one_ns);
		if (!q->bare_rc && q->bare.overlap >= RUNLEN_MIN_OVERLAP)
			stream_after(&q->bare_s, &q->bare, c->threads, q->bare.run_length);
		else if (!q->bare_rc)
			q->bare_rc = -EAGAIN;
	}
	sw->runlen_calls_s = sweep_now_s() - t0;
	write_runlength(sw);
}
