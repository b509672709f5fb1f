/*
 * dmabench predict: the prediction walk (bench/predict.h). For every key,
 * placement and thread count: the threads placed as the sweep places them,
 * the hold and handoffs of the shared line, R, then the band from the
 * contention model (src/harness/costmodel.h), the USL its mid curve
 * implies, the measured figure beside it, and the row's warning.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strategy/strategy.h"
#include "predict.h"

/* The model class of a strategy (struct predict_class). */
static const struct predict_class *class_of(const char *strategy)
{
	static const struct predict_class shared_counter = { COSTMODEL_SHARED_WRITE, 1 };
	static struct predict_class *by_strategy;	/* one per table entry, made once */
	const struct strategy *s;
	unsigned int i;

	if (!strcmp(strategy, "shared-counter"))
		return &shared_counter;
	s = strategy_find(strategy);
	if (!s)
		return NULL;
	for (i = 0; i < strategy_count && strategy_table[i] != s; i++)
		;
	if (!by_strategy)
		by_strategy = calloc(strategy_count, sizeof(*by_strategy));
	if (!by_strategy)
		return NULL;
	switch (s->class) {
	case STRATEGY_CLASS_SHARED_WRITE:
		by_strategy[i] = (struct predict_class){ COSTMODEL_SHARED_WRITE, s->shared_rmws };
		break;
	case STRATEGY_CLASS_PERCPU:
		by_strategy[i] = (struct predict_class){ COSTMODEL_PER_CPU, 0 };
		break;
	case STRATEGY_CLASS_FLOOR:
	case STRATEGY_CLASS_READ_MOSTLY:
		by_strategy[i] = (struct predict_class){ COSTMODEL_READ_MOSTLY, 0 };
		break;
	default:
		return NULL;
	}
	return &by_strategy[i];
}

/* A strategy whose shared RMWs are cmpxchg retry loops (strategy table flag). */
static bool cmpxchg_loop(const char *strategy)
{
	const struct strategy *s = strategy_find(strategy);

	return s && (s->flags & STRATEGY_CMPXCHG_LOOP);
}

static const struct pkey *find_key(const struct pkey *keys, unsigned int nkeys,
				   const char *scenario, const char *strategy, const struct pkey *like)
{
	for (unsigned int i = 0; i < nkeys; i++)
		if (!strcmp(keys[i].scenario, scenario) && !strcmp(keys[i].strategy, strategy) &&
		    !strcmp(keys[i].mode, "normal") && !strcmp(keys[i].sharing, like->sharing) &&
		    (strcmp(scenario, like->scenario) || !strcmp(keys[i].invalidation, like->invalidation)))
			return &keys[i];
	return NULL;
}

/*
 * The hold per visit: the shared-line part of a call. In lookup it is the
 * call less the floor (`none`: the loop, no lookup), the floor being the
 * pure delay; elsewhere the strategy's own lookup less the floor's lookup.
 * Without those rows: the whole call (band too high, said in warning).
 */
static double hold_for(const struct pkey *k, const struct pkey *keys, unsigned int nkeys,
		       const char **warning)
{
	const struct pkey *own, *floor;

	if (!strcmp(k->scenario, "counter"))
		return k->c1_ns;
	own = !strcmp(k->scenario, "lookup") ? k : find_key(keys, nkeys, "lookup", k->strategy, k);
	floor = find_key(keys, nkeys, "lookup", "none", k);
	if (own && floor && floor->c1_ns < own->c1_ns && own->c1_ns - floor->c1_ns <= k->c1_ns)
		return own->c1_ns - floor->c1_ns;
	if (own && own->c1_ns <= k->c1_ns) {
		*warning = "hold = the strategy's whole lookup (no `none` lookup row for the floor): band a little high";
		return own->c1_ns;
	}
	*warning = "hold = the whole call (no lookup rows for this strategy): band too high";
	return k->c1_ns;
}

/* The placement's mean and cheapest handoff into in and the row; 0, or the row's error. */
static int row_handoffs(struct prow *w, struct costmodel_input *in, const struct c2c_matrix *m,
			enum c2c_op op, const int *pus, int n)
{
	w->rc = costmodel_handoffs(m, op, pus, (unsigned int)n, &in->h_mean_ns, &in->h_min_ns);
	if (w->rc) {
		w->warning = "a pair of the placement has no c2c figure";
		return w->rc;
	}
	w->h_mean = in->h_mean_ns;
	w->h_min = in->h_min_ns;
	return 0;
}

/*
 * On the run's own machine, a row with its own calibration is predicted for
 * the host's placement that calibration saw: the handoffs scaled by its
 * pair round trip over the c2c pass's figure of the same pair (on a VM the
 * host moves vCPUs between the two; METHODOLOGY 5.4). w->state_rt says which.
 */
static void state_scale(struct prow *w, struct costmodel_input *in, const struct c2c_matrix *m,
			enum c2c_op op, const int *pus, double state_rt)
{
	double base = c2c_round_trip_op_ns(m, op, pus[0], pus[1]);

	if (!(state_rt > 0) || !(base > 0))
		return;
	in->h_mean_ns *= state_rt / base;
	in->h_min_ns *= state_rt / base;
	w->h_mean = in->h_mean_ns;
	w->h_min = in->h_min_ns;
	w->state_rt = state_rt;
}

int predict_rows(const struct popts *o, struct topo *t, const struct c2c_matrix *m,
		 enum c2c_op op, const struct prun *run, bool own,
		 const struct pkey *keys, unsigned int nkeys,
		 char (*placements)[128], int nplace, const int *threads, int nthreads,
		 struct prow **rows_out, size_t *nrows_out)
{
	size_t cap = (size_t)nkeys * nplace * nthreads, nr = 0;
	struct prow *rows = calloc(cap ? cap : 1, sizeof(*rows));
	int maxt = threads[nthreads - 1];
	struct topo_slot *slots = calloc((size_t)maxt, sizeof(*slots));
	int *pus = calloc((size_t)maxt, sizeof(*pus));

	if (!rows || !slots || !pus) {
		free(rows);
		free(slots);
		free(pus);
		return -ENOMEM;
	}
	for (unsigned int ki = 0; ki < nkeys; ki++) {
		const struct pkey *k = &keys[ki];
		const struct predict_class *pc = class_of(k->strategy);

		for (int pi = 0; pi < nplace; pi++) {
			struct topo_placement pl;
			size_t first = nr;
			unsigned int un[PREDICT_MAX_THREADS];
			double ut[PREDICT_MAX_THREADS];
			unsigned int uk = 0;

			if (topo_parse_placement(t, placements[pi], &pl)) {
				free(rows); free(slots); free(pus);
				return -EINVAL;
			}
			for (int ti = 0; ti < nthreads; ti++) {
				struct prow *w = &rows[nr++];
				struct costmodel_input in = { 0 };
				int n = threads[ti];

				w->key = k;
				w->pc = pc;
				snprintf(w->placement, sizeof(w->placement), "%s", topo_placement_name(&pl));
				w->threads = n;
				w->band.lo_ns = w->band.mid_ns = w->band.hi_ns = w->band.knee = NAN;
				w->alpha = w->beta = w->h_mean = w->h_min = w->r_fetch_adds = w->r_calls = NAN;
				w->eta = w->eta_lo = w->r_lo_calls = w->state_rt = NAN;
				w->rc = topo_plan(t, &pl, n, false, slots);
				if (w->rc) {
					free(rows); free(slots); free(pus);
					return w->rc;
				}
				w->nodes = topo_plan_nodes_used(slots, n);
				for (int i = 0; i < n; i++) {
					pus[i] = slots[i].pu_os;
					w->smt |= slots[i].smt_shared;
				}
				w->measured = own ? measured_ns(run, k, w->placement, n) : NAN;
				if (!pc) {
					w->warning = "strategy class unknown: no band";
					continue;
				}
				in.cls = pc->cls;
				in.c1_ns = k->c1_ns;
				in.n = (unsigned int)n;
				in.run_length = NAN;
				/* strict unmap: the command-queue lock, held for the modelled invalidation */
				if (!strcmp(k->invalidation, "strict") && strcmp(k->scenario, "lookup") &&
				    run && isfinite(run->inv_ns) && run->inv_ns > 0)
					w->lock_hold = in.lock_hold_ns = fmin(run->inv_ns, k->c1_ns);
				if (pc->cls == COSTMODEL_SHARED_WRITE) {
					double rpc = o->have_c1 ? o->rmw_per_call : pc->rmw_per_call;

					in.visits = 1;
					in.hold_ns = hold_for(k, keys, nkeys, &w->warning);
					/* the line's hold and the lock's fit in one call */
					if (in.hold_ns + in.lock_hold_ns > k->c1_ns)
						in.hold_ns = fmax(0, k->c1_ns - in.lock_hold_ns);
					w->hold_ns = in.hold_ns;
					w->visits = 1;
					struct prl x;

					run_length_for(o, run, own, k, w->placement, n, rpc, &x);
					w->r_fetch_adds = x.r_fa;
					w->r_calls = x.r_calls;
					snprintf(w->r_src, sizeof(w->r_src), "%s", x.src);
					w->eta = x.eta;
					w->eta_lo = x.eta_lo;
					w->r_lo_calls = x.r_lo_calls;
					if (!isnan(w->r_calls))
						in.run_length = w->r_calls;
					in.eta = isfinite(x.eta) ? x.eta : 0;
					in.run_length_lo = isfinite(x.r_lo_calls) ? x.r_lo_calls : 0;
					in.eta_lo = isfinite(x.eta_lo) ? x.eta_lo : 0;
					if (row_handoffs(w, &in, m, op, pus, n))
						continue;
					state_scale(w, &in, m, op, pus, x.state_rt);
					if (!strcmp(k->invalidation, "strict") && !w->warning && !(w->lock_hold > 0))
						w->warning = "strict: the invalidation queue lock is not modelled (no inv_ns in machine.txt: band too low)";
					else if (!strcmp(k->invalidation, "strict") && !w->warning)
						w->warning = "strict: the queue lock is a centre held inv_ns; the IOVA depot lock is not modelled";
					else if (strcmp(k->mode, "normal") && !w->warning)
						w->warning = "kdump mode: classed as in normal mode";
					else if (cmpxchg_loop(k->strategy) && !w->warning)
						w->warning = "cmpxchg retry loops: the calibration's fetch-adds do not see their failed tries: band low under contention";
					else if (isnan(w->eta) && !strcmp(w->r_src, "call-shaped") && !w->warning)
						w->warning = "no stream handoff measured (a run from before it): mid a full one-way per handoff, likely high";
					else if (!strncmp(w->r_src, "bare", 4) && !o->have_c1 && !w->warning)
						w->warning = strcmp(k->scenario, "lookup")
							? "R from the bare fetch-add loop (the call-shaped R is calibrated for lookup only): lo and mid likely low"
							: "R from the bare fetch-add loop (no call-shaped row): a tight loop keeps the line longer than a call: lo and mid likely low";
				} else {
					snprintf(w->r_src, sizeof(w->r_src), "none");
					if (w->lock_hold > 0) {
						if (row_handoffs(w, &in, m, op, pus, n))
							continue;
					}
					if (w->smt)
						w->warning = "threads share a core: SMT siblings compete for the core (flat is optimistic)";
					else if (!strcmp(k->invalidation, "strict") && !(w->lock_hold > 0))
						w->warning = "strict: the invalidation queue lock is not modelled (no inv_ns in machine.txt: flat too low)";
					else if (!strcmp(k->invalidation, "strict"))
						w->warning = "strict: the queue lock is a centre held inv_ns; the IOVA depot lock is not modelled";
					else if (pc->cls == COSTMODEL_PER_CPU)
						w->warning = "per-CPU: flat; an occasional global step (depot or flush) is not in the band";
				}
				w->rc = costmodel_predict(&in, &w->band);
				if (!w->rc && n >= 1 && uk < PREDICT_MAX_THREADS) {
					un[uk] = (unsigned int)n;
					ut[uk++] = w->band.mid_ns;
				}
			}
			/* the USL that the mid curve implies, on every row of the curve */
			if (pc) {
				double a = NAN, b = NAN;

				if (costmodel_usl_implied(un, ut, uk, k->c1_ns, &a, &b)) {
					a = NAN;
					b = NAN;
				}
				for (size_t i = first; i < nr; i++) {
					rows[i].alpha = a;
					rows[i].beta = b;
				}
			}
		}
	}
	free(slots);
	free(pus);
	*rows_out = rows;
	*nrows_out = nr;
	return 0;
}
