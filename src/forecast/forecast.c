/*
 * forecast/forecast.c — the forecasting front door: options, input checks, model dispatch, the two
 * ensembles, the rolling-origin backtest (see healthybay/forecast.h) and the helpers the models
 * share. The single models live in forecast_baseline.c, forecast_renewal.c, forecast_nb.c and
 * forecast_ar.c.
 *
 * The weighted ensemble needs its members' past performance. The backtest keeps every member
 * score it computes and weighs an origin's members by the scores whose targets were observed
 * before that origin; a lone forecast runs a short backtest of the members over the last
 * weight_origins origins first. Either way no weight ever uses data after the origin.
 */
#include "healthybay/forecast.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "healthybay/rt.h"
#include "forecast/forecast_int.h"
#include "rt/stats.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

const double hb_forecast__levels[HB_FORECAST_NQUANTILES] = HB_FORECAST_QUANTILE_LEVELS;

#define Q HB_FORECAST_NQUANTILES
#define SINGLE_MODELS                                                                      \
    ((1u << HB_MODEL_BASELINE) | (1u << HB_MODEL_RENEWAL) | (1u << HB_MODEL_SEASONAL_NB) | \
     (1u << HB_MODEL_LOG_AR))

static const char *const model_names[HB_MODEL_COUNT] = {
    "baseline", "renewal", "seasonal-nb", "log-ar", "ensemble", "ensemble-weighted",
};

const char *hb_forecast_model_name(hb_forecast_model model)
{
    assert(model < HB_MODEL_COUNT);
    return model_names[model];
}

int hb_forecast_model_parse(hb_forecast_model *out, const char *name)
{
    for (int m = 0; m < HB_MODEL_COUNT; m++)
        if (strcmp(name, model_names[m]) == 0) {
            *out = (hb_forecast_model)m;
            return 0;
        }
    return hb_error_set(HB_EINVAL,
                        "unknown model '%s' (baseline, renewal, seasonal-nb, log-ar, ensemble, "
                        "ensemble-weighted)",
                        name);
}

void hb_forecast_options_init(hb_forecast_options *opt, int freq)
{
    memset(opt, 0, sizeof *opt);
    opt->freq = freq;
    opt->horizon = freq == 365 ? 14 : freq == 52 ? 4 : 3;
    /* 500 draws: on Hong Kong influenza 2015-2016 the ensemble's relative WIS was 0.636 with
     * 250 and 500, 0.635 with 1000 and 4000, and drawing is most of the renewal model's cost. */
    opt->nsamples = 500;
    opt->harmonics = 2;
    opt->members = hb_forecast_default_members(freq, false);
    opt->weight_origins = 52;
}

unsigned hb_forecast_default_members(int freq, bool with_si)
{
    /* The members whose median scored best on early data (scripts/forecasting-report.sh,
     * "Selection"). Weekly, Hong Kong influenza 2015-2016: relative WIS 0.64 with renewal,
     * seasonal-nb and log-ar, 0.68 adding the baseline; 0.67 for seasonal-nb and log-ar, 0.69
     * adding the baseline. Monthly, Guangdong 2009-2012: 0.69 with all three, 1.13 without
     * log-ar, 1.28 without the baseline. Daily, Hong Kong COVID-19 March-June 2020: 0.83 for
     * baseline and renewal, 0.89 adding seasonal-nb; without renewal every ensemble tried was
     * worse than the baseline alone (1.04-1.18). */
    unsigned base = 1u << HB_MODEL_BASELINE, renewal = 1u << HB_MODEL_RENEWAL;
    unsigned nb = 1u << HB_MODEL_SEASONAL_NB, ar = 1u << HB_MODEL_LOG_AR;
    if (freq == 365)
        return with_si ? base | renewal : base;
    if (freq == 52)
        return nb | ar | (with_si ? renewal : 0);
    return base | nb | ar;
}

int hb_forecast_si_periods(double *out, size_t len, double mean_days, double sd_days,
                           int period_days)
{
    if (len < 2 || period_days < 1)
        return hb_error_set(HB_EINVAL, "serial interval: need >= 2 periods of >= 1 day");
    size_t days;
    if (!hb_size_mul(&days, len - 1, (size_t)period_days) || days > HB_SERIES_LENGTH_MAX)
        return hb_error_set(HB_ELIMIT, "serial interval longer than %d days", HB_SERIES_LENGTH_MAX);
    double *w = hb_mallocarray(days + 1, sizeof *w);
    if (!w)
        return HB_ENOMEM;
    int rc = hb_rt_discr_si(w, days + 1, mean_days, sd_days);
    if (rc == 0) {
        memset(out, 0, len * sizeof *out);
        for (size_t d = 1; d <= days; d++)
            out[(d + (size_t)period_days - 1) / (size_t)period_days] += w[d];
    }
    hb_free(w);
    return rc;
}

double hb_forecast__year_periods(int freq)
{
    return freq == 365 ? 365.25 : freq == 52 ? 365.25 / 7 : 12;
}

size_t hb_forecast__training_periods(const hb_forecast_options *opt)
{
    if (opt->training_periods > 0)
        return opt->training_periods;
    return (size_t)(opt->freq == 365 ? 3 * 365 : 5 * opt->freq);
}

unsigned hb_forecast__solve_spd(double *a, double *b, size_t p)
{
    bool aliased[HB_FORECAST_SOLVE_MAX] = { false };
    unsigned mask = 0;
    assert(p <= HB_FORECAST_SOLVE_MAX);
    for (size_t j = 0; j < p; j++) {
        double d = a[j * p + j];
        for (size_t k = 0; k < j; k++)
            d -= a[j * p + k] * a[j * p + k];
        /* R's lm uses a relative tolerance of 1e-7 on the pivots of its QR; this is its square
         * for the squared pivots of Cholesky. */
        aliased[j] = !(d > 1e-14 * a[j * p + j]) || !(d > 0);
        if (aliased[j]) {
            mask |= 1u << j;
            a[j * p + j] = 1;
            for (size_t i = j + 1; i < p; i++)
                a[i * p + j] = 0;
            continue;
        }
        a[j * p + j] = sqrt(d);
        for (size_t i = j + 1; i < p; i++) {
            double s = a[i * p + j];
            for (size_t k = 0; k < j; k++)
                s -= a[i * p + k] * a[j * p + k];
            a[i * p + j] = s / a[j * p + j];
        }
    }
    for (size_t i = 0; i < p; i++) {
        for (size_t k = 0; k < i; k++)
            b[i] -= a[i * p + k] * b[k];
        b[i] = aliased[i] ? 0 : b[i] / a[i * p + i];
    }
    for (size_t i = p; i-- > 0;) {
        for (size_t k = i + 1; k < p; k++)
            b[i] -= a[k * p + i] * b[k];
        b[i] = aliased[i] ? 0 : b[i] / a[i * p + i];
    }
    return mask;
}

size_t hb_forecast__rt_window(const hb_forecast_options *opt)
{
    if (opt->rt_window > 0)
        return opt->rt_window;
    return opt->freq == 365 ? 7 : opt->freq == 52 ? 3 : 1;
}

void hb_forecast__from_samples(double *q, double *samples, size_t n)
{
    hb_rt__quantiles7(q, samples, n, hb_forecast__levels, Q);
    for (size_t j = 0; j < Q; j++)
        q[j] = q[j] > 0 ? q[j] : 0;
}

static int check_options(const hb_forecast_options *opt)
{
    if (opt->freq != 365 && opt->freq != 52 && opt->freq != 12)
        return hb_error_set(HB_EINVAL, "frequency must be 365, 52 or 12, got %d", opt->freq);
    if (opt->horizon < 1 || opt->horizon > HB_FORECAST_HORIZON_MAX)
        return hb_error_set(HB_EINVAL, "horizon must be 1..%d periods, got %zu",
                            HB_FORECAST_HORIZON_MAX, opt->horizon);
    if (opt->nsamples < 2 || opt->nsamples > HB_FORECAST_SAMPLES_MAX)
        return hb_error_set(HB_EINVAL, "samples must be 2..%d, got %zu", HB_FORECAST_SAMPLES_MAX,
                            opt->nsamples);
    if (opt->harmonics < 0 || opt->harmonics > 4)
        return hb_error_set(HB_EINVAL, "harmonics must be 0..4, got %d", opt->harmonics);
    if ((opt->members & SINGLE_MODELS) == 0 || (opt->members & ~SINGLE_MODELS) != 0)
        return hb_error_set(HB_EINVAL, "ensemble members must be among baseline, renewal, "
                                       "seasonal-nb and log-ar");
    return 0;
}

static int check_series(const double *y, const double *imported, size_t n)
{
    if (!y || n == 0)
        return hb_error_set(HB_ENODATA, "the series is empty");
    if (n > HB_SERIES_LENGTH_MAX)
        return hb_error_set(HB_ELIMIT, "series of %zu periods is above the limit %d", n,
                            HB_SERIES_LENGTH_MAX);
    for (size_t t = 0; t < n; t++) {
        if (!(isfinite(y[t]) && y[t] >= 0))
            return hb_error_set(HB_EINVAL, "value at period %zu must be finite and >= 0, got %g",
                                t + 1, y[t]);
        if (imported && !(isfinite(imported[t]) && imported[t] >= 0))
            return hb_error_set(HB_EINVAL,
                                "imported at period %zu must be finite and >= 0, "
                                "got %g",
                                t + 1, imported[t]);
    }
    return 0;
}

static int single(double *q, hb_forecast_model model, const double *y, const double *imported,
                  size_t n, const hb_forecast_options *opt, hb_rng *rng)
{
    switch (model) {
    case HB_MODEL_BASELINE:
        return hb_forecast__baseline(q, y, n, opt, rng);
    case HB_MODEL_RENEWAL:
        return hb_forecast__renewal(q, y, imported, n, opt, rng);
    case HB_MODEL_SEASONAL_NB:
        return hb_forecast__seasonal_nb(q, y, n, opt);
    case HB_MODEL_LOG_AR:
        return hb_forecast__log_ar(q, y, n, opt);
    default:
        assert(model < HB_MODEL_ENSEMBLE); /* the ensembles are not single models */
        return HB_ERROR;
    }
}

/* Combine the members present (have[m]) level by level: weighted mean when weights is given,
 * else the median. Monotone members give a monotone result either way. */
static void combine(double *q, const double *member_q, const bool *have, const double *weights,
                    size_t horizon)
{
    double vals[HB_MODEL_COUNT];
    for (size_t i = 0; i < horizon * Q; i++) {
        size_t k = 0;
        double sum = 0, wsum = 0;
        for (int m = 0; m < HB_MODEL_COUNT; m++) {
            if (!have[m])
                continue;
            double v = member_q[(size_t)m * horizon * Q + i];
            vals[k++] = v;
            if (weights) {
                sum += weights[m] * v;
                wsum += weights[m];
            }
        }
        assert(k > 0);
        q[i] = weights ? sum / wsum : hb_rt__median(vals, k);
    }
}

/* Run the members into member_q (HB_MODEL_COUNT blocks of horizon * Q); have[m] tells which
 * succeeded. HB_ENODATA (with the last member's reason) when none did. */
static int run_members(double *member_q, bool *have, const double *y, const double *imported,
                       size_t n, const hb_forecast_options *opt, hb_rng *rng)
{
    int rc = HB_ENODATA, any = 0;
    for (int m = 0; m < HB_MODEL_COUNT; m++) {
        have[m] = false;
        if (!(opt->members & (1u << m)))
            continue;
        rc = single(member_q + (size_t)m * opt->horizon * Q, (hb_forecast_model)m, y, imported, n,
                    opt, rng);
        if (rc == 0) {
            have[m] = true;
            any = 1;
        } else if (rc != HB_ENODATA)
            return rc;
    }
    return any ? 0 : rc;
}

/* A growable array of scores. */
typedef struct score_vec {
    hb_forecast_score *v;
    size_t len, cap;
} score_vec;

static int push_score(score_vec *sv, const hb_forecast_score *s)
{
    if (sv->len == sv->cap) {
        size_t cap = sv->cap ? 2 * sv->cap : 256;
        hb_forecast_score *v = hb_reallocarray(sv->v, cap, sizeof *v);
        if (!v)
            return HB_ENOMEM;
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->len++] = *s;
    return 0;
}

/* Weights 1 / mean WIS of each present member over the history scores whose targets precede
 * origin and whose origins lie in the trailing weight_origins; equal weights when a member has
 * no such score yet. */
static void member_weights(double *weights, const bool *have, const score_vec *hist, size_t origin,
                           const hb_forecast_options *opt)
{
    double sum[HB_MODEL_COUNT] = { 0 };
    size_t count[HB_MODEL_COUNT] = { 0 };
    size_t since = origin > opt->weight_origins ? origin - opt->weight_origins : 0;
    for (size_t i = 0; i < hist->len; i++) {
        const hb_forecast_score *s = &hist->v[i];
        if (s->origin >= since && s->origin + s->horizon - 1 < origin) {
            sum[s->model] += s->score.wis;
            count[s->model]++;
        }
    }
    bool equal = false;
    for (int m = 0; m < HB_MODEL_COUNT; m++)
        if (have[m] && count[m] == 0)
            equal = true;
    for (int m = 0; m < HB_MODEL_COUNT; m++) {
        double mean = count[m] ? sum[m] / (double)count[m] : 0;
        /* A member that was never wrong would take all the weight; 1e-9 keeps it finite. */
        weights[m] = equal ? 1.0 : 1.0 / (mean > 1e-9 ? mean : 1e-9);
    }
}

/* Score q (horizon rows) of model at origin against y, appending to sv. */
static int score_forecast(score_vec *sv, hb_forecast_model model, const double *q, size_t origin,
                          const double *y, size_t n, size_t horizon)
{
    for (size_t h = 1; h <= horizon && origin + h - 1 < n; h++) {
        hb_forecast_score s = {
            model, origin, h, y[origin + h - 1], q[(h - 1) * Q + Q / 2], { 0, 0, false, false }
        };
        int rc = hb_score_quantiles(&s.score, q + (h - 1) * Q, hb_forecast__levels, Q, s.observed);
        if (rc == 0)
            rc = push_score(sv, &s);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* State of one backtest: member forecasts of the current origin and the member history. */
typedef struct backtest {
    const double *y, *imported;
    size_t n;
    unsigned models;
    const hb_forecast_options *opt;
    hb_rng *rng;
    double *member_q; /* HB_MODEL_COUNT blocks of horizon * Q */
    double *ens_q;    /* horizon * Q */
    score_vec hist;   /* member scores, for the weighted ensemble */
} backtest;

/* Forecast and score every requested model at origin o; nothing is recorded when a requested
 * single model has no forecast there (so all models share the same targets). */
static int backtest_origin(backtest *bt, score_vec *out, size_t o)
{
    const hb_forecast_options *opt = bt->opt;
    unsigned singles = (bt->models & SINGLE_MODELS);
    if (bt->models & ~SINGLE_MODELS)
        singles |= opt->members;
    bool have[HB_MODEL_COUNT] = { false };
    size_t block = opt->horizon * Q;
    for (int m = 0; m < HB_MODEL_COUNT; m++) {
        if (!(singles & (1u << m)))
            continue;
        int rc = single(bt->member_q + (size_t)m * block, (hb_forecast_model)m, bt->y, bt->imported,
                        o, opt, bt->rng);
        if (rc == HB_ENODATA && (bt->models & (1u << m)))
            return 0;
        if (rc < 0 && rc != HB_ENODATA)
            return rc;
        have[m] = rc == 0;
        if (rc == 0 && (opt->members & (1u << m))) {
            int rc2 =
                score_forecast(&bt->hist, (hb_forecast_model)m, bt->member_q + (size_t)m * block, o,
                               bt->y, bt->n, opt->horizon);
            if (rc2 < 0)
                return rc2;
        }
    }
    bool member_have[HB_MODEL_COUNT];
    bool any = false;
    for (int m = 0; m < HB_MODEL_COUNT; m++) {
        member_have[m] = have[m] && (opt->members & (1u << m));
        any |= member_have[m];
    }
    if ((bt->models & ~SINGLE_MODELS) && !any)
        return 0;
    for (int m = 0; m < HB_MODEL_COUNT; m++) {
        if (!(bt->models & (1u << m)))
            continue;
        const double *q = bt->member_q + (size_t)m * block;
        if (m == HB_MODEL_ENSEMBLE || m == HB_MODEL_ENSEMBLE_WEIGHTED) {
            double weights[HB_MODEL_COUNT];
            if (m == HB_MODEL_ENSEMBLE_WEIGHTED)
                member_weights(weights, member_have, &bt->hist, o, opt);
            combine(bt->ens_q, bt->member_q, member_have,
                    m == HB_MODEL_ENSEMBLE_WEIGHTED ? weights : NULL, opt->horizon);
            q = bt->ens_q;
        }
        int rc = score_forecast(out, (hb_forecast_model)m, q, o, bt->y, bt->n, opt->horizon);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int backtest_run(backtest *bt, score_vec *out, size_t first_origin)
{
    size_t block = bt->opt->horizon * Q;
    size_t cells;
    if (!hb_size_mul(&cells, block, HB_MODEL_COUNT))
        return hb_error_set(HB_ELIMIT, "horizon too large");
    bt->member_q = hb_mallocarray(cells, sizeof *bt->member_q);
    bt->ens_q = hb_mallocarray(block, sizeof *bt->ens_q);
    int rc = bt->member_q && bt->ens_q ? 0 : HB_ENOMEM;
    for (size_t o = first_origin > 1 ? first_origin : 1; rc == 0 && o < bt->n; o++)
        rc = backtest_origin(bt, out, o);
    hb_free(bt->ens_q);
    hb_free(bt->member_q);
    return rc;
}

int hb_forecast_backtest(hb_forecast_score **out, size_t *nout, const double *y,
                         const double *imported, size_t n, size_t first_origin, unsigned models,
                         const hb_forecast_options *opt, hb_rng *rng)
{
    *out = NULL;
    *nout = 0;
    int rc = check_options(opt);
    if (rc == 0)
        rc = check_series(y, imported, n);
    if (rc < 0)
        return rc;
    if (models == 0 || models >= (1u << HB_MODEL_COUNT))
        return hb_error_set(HB_EINVAL, "no valid model to backtest");
    backtest bt = { y, imported, n, models, opt, rng, NULL, NULL, { NULL, 0, 0 } };
    score_vec sv = { NULL, 0, 0 };
    rc = backtest_run(&bt, &sv, first_origin);
    hb_free(bt.hist.v);
    if (rc < 0) {
        hb_free(sv.v);
        return rc;
    }
    *out = sv.v;
    *nout = sv.len;
    return 0;
}

void hb_forecast_scores_free(hb_forecast_score *scores)
{
    hb_free(scores);
}

/* The weighted ensemble of a lone forecast: backtest the members over the last weight_origins
 * origins to weigh them, then combine their forecasts at n. */
static int weighted_ensemble(double *q, const double *y, const double *imported, size_t n,
                             const hb_forecast_options *opt, hb_rng *rng)
{
    size_t span = opt->weight_origins + opt->horizon;
    backtest bt = { y, imported, n, opt->members, opt, rng, NULL, NULL, { NULL, 0, 0 } };
    score_vec ignored = { NULL, 0, 0 };
    int rc = backtest_run(&bt, &ignored, n > span ? n - span : 1);
    hb_free(ignored.v);
    double *member_q = NULL;
    bool have[HB_MODEL_COUNT];
    if (rc == 0) {
        member_q = hb_mallocarray(HB_MODEL_COUNT * opt->horizon * Q, sizeof *member_q);
        rc = member_q ? run_members(member_q, have, y, imported, n, opt, rng) : HB_ENOMEM;
    }
    if (rc == 0) {
        double weights[HB_MODEL_COUNT];
        member_weights(weights, have, &bt.hist, n, opt);
        combine(q, member_q, have, weights, opt->horizon);
    }
    hb_free(member_q);
    hb_free(bt.hist.v);
    return rc;
}

int hb_forecast(double *q, hb_forecast_model model, const double *y, const double *imported,
                size_t n, const hb_forecast_options *opt, hb_rng *rng)
{
    int rc = check_options(opt);
    if (rc == 0)
        rc = check_series(y, imported, n);
    if (rc < 0)
        return rc;
    if (model == HB_MODEL_ENSEMBLE_WEIGHTED)
        return weighted_ensemble(q, y, imported, n, opt, rng);
    if (model != HB_MODEL_ENSEMBLE)
        return single(q, model, y, imported, n, opt, rng);
    double *member_q = hb_mallocarray(HB_MODEL_COUNT * opt->horizon * Q, sizeof *member_q);
    if (!member_q)
        return HB_ENOMEM;
    bool have[HB_MODEL_COUNT];
    rc = run_members(member_q, have, y, imported, n, opt, rng);
    if (rc == 0)
        combine(q, member_q, have, NULL, opt->horizon);
    hb_free(member_q);
    return rc;
}
