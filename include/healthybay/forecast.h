/*
 * healthybay/forecast.h — probabilistic forecasts of case counts at the forecast hubs' 23
 * quantile levels, and rolling-origin backtests scored with WIS (healthybay/score.h).
 *
 * Conventions. A series is y[0..n-1] at one frequency (365 daily, 52 weekly, 12 monthly). A
 * forecast made at origin o uses y[0..o-1] only; horizon h (1-based) targets period o + h - 1,
 * the h-th period after the data. Output is row-major: q[(h-1) * HB_FORECAST_NQUANTILES + j] is
 * the quantile at level j of horizon h, non-decreasing in j and never below 0 (counts).
 *
 * Models:
 *   baseline     the forecast hubs' baseline, exactly FluSight-baseline (Ray, Wattanachit &
 *                Tibshirani; reichlab covidModels::fit_quantile_baseline): median = the last
 *                value; the first differences of the history and their negatives give the spread:
 *                nsamples quantiles of them (type 7, evenly spaced levels) are added to the last
 *                value, and for horizon h > 1 the same set is shuffled and added again with the
 *                median re-centred on the last value; truncated at 0.
 *   renewal      the renewal equation E[I_t] = R * sum_k w_k I_{t-k} with R drawn from its Cori
 *                posterior over the last rt_window periods (healthybay/rt.h) and negative-binomial
 *                noise whose size is fitted to the one-step errors of the same model in the past;
 *                daily R holds over the horizon, weekly and monthly for the first period only
 *                (then R = 1).
 *   seasonal_nb  a negative-binomial regression per horizon h (direct, not iterated):
 *                log mu_t = b0 + b1 t + sum_{j<=harmonics} (c_j cos + s_j sin)(2 pi j t/freq)
 *                + d log(1 + y_{t-h}), fitted by maximum likelihood with theta (MASS::glm.nb's
 *                estimates) on the last training_periods periods, without harmonics when they
 *                hold less than a year; quantiles from qnbinom.
 *   log_ar       a regression per horizon h (direct) of the change in z = log(y + 10):
 *                z_{t+h} - z_t on the last two changes, z_t minus its mean over the training
 *                window and one yearly harmonic pair (when the window holds a year), by least
 *                squares on the last training_periods periods; quantiles from its residuals.
 *   ensemble     the median of the members' quantiles, level by level (the hubs' ensemble).
 *   ensemble_weighted  the members' quantiles averaged with weights 1/mean WIS of each member on
 *                forecasts whose targets were observed before the origin (equal weights when none).
 *
 * Every function is pure and thread-safe: randomness comes from the caller's hb_rng.
 */
#ifndef HEALTHYBAY_FORECAST_H
#define HEALTHYBAY_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "healthybay/rng.h"
#include "healthybay/score.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The FluSight / COVID-19 hub levels: 0.01, 0.025, 0.05, 0.10, 0.15, …, 0.90, 0.95, 0.975, 0.99. */
#define HB_FORECAST_NQUANTILES 23
#define HB_FORECAST_QUANTILE_LEVELS                                                                \
    {                                                                                              \
        0.01, 0.025, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, \
            0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.975, 0.99                                        \
    }

typedef enum hb_forecast_model {
    HB_MODEL_BASELINE,
    HB_MODEL_RENEWAL,
    HB_MODEL_SEASONAL_NB,
    HB_MODEL_LOG_AR,
    HB_MODEL_ENSEMBLE,
    HB_MODEL_ENSEMBLE_WEIGHTED,
    HB_MODEL_COUNT
} hb_forecast_model;

/* "baseline", "renewal", "seasonal-nb", "log-ar", "ensemble", "ensemble-weighted". */
const char *hb_forecast_model_name(hb_forecast_model model);
/* The model named name; HB_EINVAL (message lists the names) otherwise. */
int hb_forecast_model_parse(hb_forecast_model *out, const char *name);

typedef struct hb_forecast_options {
    int freq;        /* 365, 52 or 12 */
    size_t horizon;  /* periods ahead, 1 .. HB_FORECAST_HORIZON_MAX */
    size_t nsamples; /* sample size of the sampled models (baseline, renewal); default 500 */
    /* renewal: serial interval in periods (si[0] = 0), e.g. from hb_forecast_si_periods(). */
    const double *si;
    size_t si_len;
    size_t rt_window; /* periods in the Rt window; 0 = default for freq: 7 days, 3 weeks (chosen on
                         the 2014-2016 Hong Kong influenza seasons), 1 month */
    /* seasonal-nb and log-ar */
    size_t training_periods; /* 0 = default: 5 years (weekly, monthly), 3 years (daily) */
    int harmonics;           /* seasonal-nb's sine/cosine pairs, default 2 */
    /* ensembles: the members (bit (1 << model) for each of baseline, renewal, seasonal-nb,
     * log-ar) */
    unsigned members;
    size_t weight_origins; /* ensemble_weighted: past origins scored for weights; default 52 */
} hb_forecast_options;

/* Defaults for a frequency (365, 52 or 12): horizon 14 daily, 4 weekly, 3 monthly; the ensembles'
 * members of hb_forecast_default_members(freq, false). A caller with a serial interval sets si
 * and the members of hb_forecast_default_members(freq, true). */
void hb_forecast_options_init(hb_forecast_options *opt, int freq);

/*
 * The ensembles' default members (bits 1 << model) for data of frequency freq, with a serial
 * interval (with_si: renewal can run) or without. Chosen on early years (docs/forecasting.md):
 *   daily    baseline, renewal; without a serial interval the baseline alone (no ensemble of
 *            other models beat it on the first months of COVID-19 in Hong Kong)
 *   weekly   seasonal-nb, log-ar, and renewal
 *   monthly  baseline, seasonal-nb, log-ar (renewal is no monthly model: a month holds several
 *            generations of the infections we watch)
 */
unsigned hb_forecast_default_members(int freq, bool with_si);

/*
 * A serial interval given in days (mean > 1, sd > 0), as probabilities per period of period_days
 * days: EpiEstim's discretisation by day, then the days 1..period_days summed into period 1,
 * the next period_days into period 2, and so on (an interval shorter than a period becomes one
 * period: weekly counts are driven by last week's). out[0] = 0; len >= 2.
 */
int hb_forecast_si_periods(double *out, size_t len, double mean_days, double sd_days,
                           int period_days);

/*
 * One model's forecast from y[0..n-1] (finite, >= 0), imported[n] or NULL (renewal only):
 * q[horizon * HB_FORECAST_NQUANTILES]. HB_ENODATA when the series is too short or carries no
 * information for the model (e.g. all zero for renewal), HB_EINVAL on bad input or options.
 * The ensembles run their members and need the same data.
 */
int hb_forecast(double *q, hb_forecast_model model, const double *y, const double *imported,
                size_t n, const hb_forecast_options *opt, hb_rng *rng);

/* One scored forecast of a backtest. */
typedef struct hb_forecast_score {
    hb_forecast_model model;
    size_t origin;   /* index of the first period not used */
    size_t horizon;  /* 1-based; the target is origin + horizon - 1 */
    double observed; /* y[target] */
    double median;   /* the forecast's median */
    hb_score score;
} hb_forecast_score;

/*
 * Backtest one series: for every origin o in [first_origin, n - 1], forecast with each model of
 * the bit set `models` from y[0..o-1] only and score every horizon whose target is inside the
 * series. A model that cannot forecast at an origin (HB_ENODATA) is skipped there, and so is that
 * origin for every model, so all models are scored on the same targets.
 *
 * *out (caller frees with hb_forecast_scores_free) gets *nout scores, ordered by origin, model,
 * horizon. HB_EINVAL / HB_ENOMEM otherwise.
 */
int hb_forecast_backtest(hb_forecast_score **out, size_t *nout, const double *y,
                         const double *imported, size_t n, size_t first_origin, unsigned models,
                         const hb_forecast_options *opt, hb_rng *rng);

void hb_forecast_scores_free(hb_forecast_score *scores);

#ifdef __cplusplus
}
#endif
#endif
