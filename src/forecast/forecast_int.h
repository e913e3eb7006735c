/*
 * forecast/forecast_int.h — what the forecasting files share inside src/forecast (STYLE.md 4, 9).
 */
#ifndef HB_FORECAST_FORECAST_INT_H
#define HB_FORECAST_FORECAST_INT_H

#include "healthybay/forecast.h"

/* The largest system hb_forecast__solve_spd() solves (the seasonal NB's Newton step: 11 columns
 * and theta). */
#define HB_FORECAST_SOLVE_MAX 12

extern const double hb_forecast__levels[HB_FORECAST_NQUANTILES];

/* Sort samples[0..n-1] and write the 23 hub quantiles (R type 7), truncated at 0, to q. */
void hb_forecast__from_samples(double *q, double *samples, size_t n);

/* The single models (forecast_baseline.c, forecast_renewal.c, forecast_nb.c, forecast_ar.c);
 * arguments and
 * results as hb_forecast(). Input has been checked by hb_forecast(). */
int hb_forecast__baseline(double *q, const double *y, size_t n, const hb_forecast_options *opt,
                          hb_rng *rng);
int hb_forecast__renewal(double *q, const double *y, const double *imported, size_t n,
                         const hb_forecast_options *opt, hb_rng *rng);
int hb_forecast__seasonal_nb(double *q, const double *y, size_t n, const hb_forecast_options *opt);
int hb_forecast__log_ar(double *q, const double *y, size_t n, const hb_forecast_options *opt);

/* A year in periods of freq: 365.25, 365.25 / 7 or 12. */
double hb_forecast__year_periods(int freq);

/* The training window of the regression models (seasonal-nb, log-ar): opt->training_periods, or
 * by default 5 years (weekly, monthly) or 3 years (daily). */
size_t hb_forecast__training_periods(const hb_forecast_options *opt);

/*
 * Solve a x = b for the p x p symmetric positive semi-definite a (its lower triangle, row-major:
 * a[i * p + j], j <= i, is read and overwritten) by Cholesky; x replaces b. A column that is a
 * linear combination of earlier ones (a constant covariate, a flat series) gets coefficient 0, as
 * R's lm and glm drop aliased columns, so the solve never fails. Returns the aliased columns as
 * bits (1 << j); a column whose pivot is not positive (an indefinite matrix) counts as aliased.
 */
unsigned hb_forecast__solve_spd(double *a, double *b, size_t p);

/* The Rt window used by the renewal model for opt (its default depends on the frequency). */
size_t hb_forecast__rt_window(const hb_forecast_options *opt);

#endif
