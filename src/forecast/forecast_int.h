/*
 * forecast/forecast_int.h — what the forecasting files share inside src/forecast (STYLE.md 4, 9).
 */
#ifndef HB_FORECAST_FORECAST_INT_H
#define HB_FORECAST_FORECAST_INT_H

#include "healthybay/forecast.h"

extern const double hb_forecast__levels[HB_FORECAST_NQUANTILES];

/* Sort samples[0..n-1] and write the 23 hub quantiles (R type 7), truncated at 0, to q. */
void hb_forecast__from_samples(double *q, double *samples, size_t n);

/* The single models (forecast_baseline.c, forecast_renewal.c, forecast_nb.c); arguments and
 * results as hb_forecast(). Input has been checked by hb_forecast(). */
int hb_forecast__baseline(double *q, const double *y, size_t n, const hb_forecast_options *opt,
                          hb_rng *rng);
int hb_forecast__renewal(double *q, const double *y, const double *imported, size_t n,
                         const hb_forecast_options *opt, hb_rng *rng);
int hb_forecast__seasonal_nb(double *q, const double *y, size_t n, const hb_forecast_options *opt);

/* The Rt window used by the renewal model for opt (its default depends on the frequency). */
size_t hb_forecast__rt_window(const hb_forecast_options *opt);

#endif
