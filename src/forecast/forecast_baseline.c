/*
 * forecast/forecast_baseline.c — the forecast hubs' baseline (FluSight-baseline,
 * COVIDhub-baseline), a port of reichlab covidModels' fit_quantile_baseline() +
 * predict.quantile_baseline():
 *
 *   1. d = the first differences of the history; with their negatives they form a symmetric
 *      distribution of one-period changes.
 *   2. Its quantiles at nsamples evenly spaced levels 0 .. 1 (R type 7) are the sample of changes.
 *   3. Horizon 1 = last value + changes. Horizon h > 1 = horizon h-1 (before re-centring) + the
 *      changes shuffled without replacement, re-centred so that the median is the last value.
 *   4. The hub quantiles of each horizon's sample, truncated at 0.
 *
 * The only randomness is the shuffle, from the caller's generator.
 */
#include <math.h>

#include "forecast/forecast_int.h"
#include "rt/stats.h"
#include "util/alloc.h"
#include "util/error.h"

#define Q HB_FORECAST_NQUANTILES

static void shuffle(double *x, size_t n, hb_rng *rng)
{
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)hb_rng_below(rng, (uint64_t)i + 1);
        double t = x[i];
        x[i] = x[j];
        x[j] = t;
    }
}

/* The symmetrised differences, sorted, into sym[2 (n-1)]. */
static void symmetric_changes(double *sym, const double *y, size_t n)
{
    size_t m = n - 1;
    for (size_t t = 1; t < n; t++) {
        sym[t - 1] = y[t] - y[t - 1];
        sym[m + t - 1] = -(y[t] - y[t - 1]);
    }
    hb_rt__sort(sym, 2 * m);
}

int hb_forecast__baseline(double *q, const double *y, size_t n, const hb_forecast_options *opt,
                          hb_rng *rng)
{
    if (n < 2)
        return hb_error_set(HB_ENODATA, "baseline: needs at least 2 periods, got %zu", n);
    size_t ns = opt->nsamples, m2 = 2 * (n - 1);
    double *sym = hb_mallocarray(m2, sizeof *sym);
    double *changes = hb_mallocarray(ns, sizeof *changes);
    double *raw = hb_mallocarray(ns, sizeof *raw);
    double *work = hb_mallocarray(ns, sizeof *work);
    if (!sym || !changes || !raw || !work) {
        hb_free(sym), hb_free(changes), hb_free(raw), hb_free(work);
        return HB_ENOMEM;
    }
    symmetric_changes(sym, y, n);
    double last = y[n - 1];
    for (size_t i = 0; i < ns; i++) {
        changes[i] = hb_rt__quantile7(sym, m2, (double)i / (double)(ns - 1));
        raw[i] = last + changes[i];
        work[i] = raw[i];
    }
    hb_forecast__from_samples(q, work, ns);
    for (size_t h = 2; h <= opt->horizon; h++) {
        shuffle(changes, ns, rng);
        for (size_t i = 0; i < ns; i++) {
            raw[i] += changes[i];
            work[i] = raw[i];
        }
        double shift = hb_rt__median(work, ns) - last;
        for (size_t i = 0; i < ns; i++)
            work[i] -= shift; /* work is sorted; a shift keeps it sorted */
        hb_forecast__from_samples(q + (h - 1) * Q, work, ns);
    }
    hb_free(sym), hb_free(changes), hb_free(raw), hb_free(work);
    return 0;
}
