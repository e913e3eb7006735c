/*
 * rt/stats.h — small statistics helpers shared by the Rt, forecasting and scoring code
 * (internal to src/rt and src/forecast; the hb_rt__ prefix marks cross-file internals,
 * STYLE.md 9).
 */
#ifndef HB_RT_STATS_H
#define HB_RT_STATS_H

#include <stddef.h>

/* Sort x[0..n-1] ascending (NAN-free input). */
void hb_rt__sort(double *x, size_t n);

/* R's quantile(type = 7) of sorted x[0..n-1] at probability p in [0, 1]; n >= 1. */
double hb_rt__quantile7(const double *sorted, size_t n, double p);

/* The most levels hb_rt__quantiles7() takes at once. */
#define HB_RT_QUANTILES_MAX 32

/* R's quantile(type = 7) of x[0..n-1] at levels[0..nlevels-1] (ascending, in [0, 1]) into out,
 * the same values as hb_rt__sort() then hb_rt__quantile7(), but only the order statistics the
 * levels need are put in place (x is reordered): several times faster on the forecasts' samples.
 * n >= 1, nlevels <= HB_RT_QUANTILES_MAX. */
void hb_rt__quantiles7(double *out, double *x, size_t n, const double *levels, size_t nlevels);

/* The median of x[0..n-1] (R's median); reorders x. n >= 1. */
double hb_rt__median(double *x, size_t n);

#endif
