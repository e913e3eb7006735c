/*
 * Tests for the forecasting models, the ensembles and the backtest (src/forecast/forecast*.c):
 * the FluSight baseline's definition, the seasonal NB regression against MASS::glm.nb, recovery
 * of known dynamics from simulated data, no use of data after the origin, and invalid input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parity/fixture.h"
#include "healthybay/forecast.h"
#include "forecast/forecast_int.h"
#include "healthybay/rt.h"

#define Q HB_FORECAST_NQUANTILES

static const double levels[Q] = HB_FORECAST_QUANTILE_LEVELS;

/* R type-7 quantile of sorted x. */
static double quantile7(const double *x, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    return lo + 1 < n ? x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]) : x[n - 1];
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

TEST(forecast__baseline_is_the_hub_definition)
{
    const double y[] = { 10, 12, 11, 15, 14, 20, 18 };
    /* Changes 2, -1, 4, -1, 6, -2 and their negatives. */
    double sym[12] = { 2, -1, 4, -1, 6, -2, -2, 1, -4, 1, -6, 2 };
    qsort(sym, 12, sizeof *sym, cmp);
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    opt.nsamples = 100001; /* a fine grid: horizon 1 is then the exact quantile to 1e-4 */
    hb_rng rng;
    hb_rng_seed(&rng, 3);
    double q[4 * Q];
    CHECK_OK(hb_forecast(q, HB_MODEL_BASELINE, y, NULL, 7, &opt, &rng));
    for (size_t j = 0; j < Q; j++)
        CHECK_MSG(fabs(q[j] - (18 + quantile7(sym, 12, levels[j]))) < 1e-3, "level %g: %g",
                  levels[j], q[j]);
    for (size_t h = 0; h < 4; h++) {
        CHECK_NEAR_REL(q[h * Q + 11], 18, 1e-9); /* median = last value at every horizon */
        if (h > 0)                               /* wider with the horizon */
            CHECK(q[h * Q + 22] - q[h * Q] > q[(h - 1) * Q + 22] - q[(h - 1) * Q]);
        for (size_t j = 1; j < Q; j++)
            CHECK(q[h * Q + j] >= q[h * Q + j - 1]);
    }
    /* Near zero the lower quantiles are truncated at 0. */
    const double low[] = { 3, 0, 4, 1, 0, 2, 1 };
    CHECK_OK(hb_forecast(q, HB_MODEL_BASELINE, low, NULL, 7, &opt, &rng));
    CHECK(q[0] == 0 && q[3 * Q] == 0 && q[11] == 1);
}

/* Daily cases growing 5% a day with a serial interval of mean 4 days: the renewal model's median
 * continues the growth (within sampling noise and the NB spread). */
TEST(forecast__renewal_continues_an_epidemic)
{
    double y[60];
    for (int t = 0; t < 60; t++)
        y[t] = round(20 * exp(0.05 * t));
    double si[60];
    CHECK_OK(hb_rt_discr_si(si, 60, 4, 2));
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 365);
    opt.si = si;
    opt.si_len = 60;
    opt.nsamples = 4000;
    hb_rng rng;
    hb_rng_seed(&rng, 11);
    double q[14 * Q];
    CHECK_OK(hb_forecast(q, HB_MODEL_RENEWAL, y, NULL, 60, &opt, &rng));
    for (size_t h = 1; h <= 14; h++) {
        double truth = 20 * exp(0.05 * (double)(59 + h));
        CHECK_MSG(fabs(q[(h - 1) * Q + 11] / truth - 1) < 0.1, "h %zu: median %g vs %g", h,
                  q[(h - 1) * Q + 11], truth);
        CHECK(q[(h - 1) * Q + 1] < truth && truth < q[(h - 1) * Q + 21]);
    }
    /* No case within a serial interval of the end: nothing to project from. */
    double zeros[60] = { 0 };
    zeros[0] = 5;
    CHECK_FAILS(hb_forecast(q, HB_MODEL_RENEWAL, zeros, NULL, 60, &opt, &rng), HB_ENODATA,
                "no cases");
    opt.si = NULL;
    CHECK_FAILS(hb_forecast(q, HB_MODEL_RENEWAL, y, NULL, 60, &opt, &rng), HB_EINVAL,
                "serial interval");
}

/* A weekly series from a known seasonal NB model: the forecast's median is near the true mean
 * and the 90% interval holds it. */
TEST(forecast__seasonal_nb_recovers_a_seasonal_mean)
{
    enum { N = 312 };
    double y[N + 4], mu[N + 4];
    hb_rng rng;
    hb_rng_seed(&rng, 5);
    for (int t = 0; t < N + 4; t++) {
        mu[t] = exp(4 + 0.8 * cos(2 * M_PI * t / (365.25 / 7)) + 0.3 * sin(2 * M_PI * t / 52.18));
        y[t] = hb_rng_nbinom(&rng, mu[t], 20);
    }
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    double q[4 * Q];
    int inside = 0;
    for (int origin = N - 40; origin < N; origin++) {
        CHECK_OK(hb_forecast(q, HB_MODEL_SEASONAL_NB, y, NULL, (size_t)origin, &opt, &rng));
        for (size_t h = 1; h <= 4; h++) {
            double m = mu[origin + (int)h - 1];
            CHECK_MSG(fabs(q[(h - 1) * Q + 11] / m - 1) < 0.3, "origin %d h %zu: %g vs %g", origin,
                      h, q[(h - 1) * Q + 11], m);
            inside += q[(h - 1) * Q + 2] <= y[origin + (int)h - 1] &&
                      y[origin + (int)h - 1] <= q[(h - 1) * Q + 20];
        }
    }
    CHECK_MSG(inside >= 130 && inside <= 160, "90%% intervals held %d of 160", inside);
    double zeros[200] = { 0 };
    CHECK_OK(hb_forecast(q, HB_MODEL_SEASONAL_NB, zeros, NULL, 200, &opt, &rng));
    CHECK(q[0] == 0 && q[4 * Q - 1] == 0);
}

TEST(forecast__ensemble_is_the_levelwise_median)
{
    double y[150];
    for (int t = 0; t < 150; t++)
        y[t] = 50 + 30 * sin(t / 8.0) + (t % 7);
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    double si[10];
    CHECK_OK(hb_forecast_si_periods(si, 10, 2.6, 1.5, 7));
    opt.si = si, opt.si_len = 10;
    opt.members =
        (1u << HB_MODEL_BASELINE) | (1u << HB_MODEL_RENEWAL) | (1u << HB_MODEL_SEASONAL_NB);
    double e[4 * Q], m[3][4 * Q];
    hb_rng rng;
    hb_rng_seed(&rng, 9);
    CHECK_OK(hb_forecast(e, HB_MODEL_ENSEMBLE, y, NULL, 150, &opt, &rng));
    hb_rng_seed(&rng, 9); /* the ensemble draws for its members in this order */
    CHECK_OK(hb_forecast(m[0], HB_MODEL_BASELINE, y, NULL, 150, &opt, &rng));
    CHECK_OK(hb_forecast(m[1], HB_MODEL_RENEWAL, y, NULL, 150, &opt, &rng));
    CHECK_OK(hb_forecast(m[2], HB_MODEL_SEASONAL_NB, y, NULL, 150, &opt, &rng));
    for (size_t i = 0; i < 4 * Q; i++) {
        double a = m[0][i], b = m[1][i], c = m[2][i];
        double med = fmax(fmin(a, b), fmin(fmax(a, b), c));
        CHECK_NEAR_REL(e[i], med, 1e-12);
    }
    /* Horizon 1 of baseline and seasonal-nb draws nothing: the weighted mean must lie between
     * them, and strictly inside where they differ (both weights are positive). */
    opt.members = (1u << HB_MODEL_BASELINE) | (1u << HB_MODEL_SEASONAL_NB);
    CHECK_OK(hb_forecast(e, HB_MODEL_ENSEMBLE_WEIGHTED, y, NULL, 150, &opt, &rng));
    for (size_t j = 0; j < Q; j++) {
        double lo = fmin(m[0][j], m[2][j]), hi = fmax(m[0][j], m[2][j]);
        CHECK(e[j] >= lo - 1e-9 && e[j] <= hi + 1e-9);
        if (hi - lo > 1e-6)
            CHECK(e[j] > lo && e[j] < hi);
    }
    CHECK(si[0] == 0 && si[1] > 0.95 && fabs(si[1] + si[2] + si[3] - 1) < 1e-6);
}

/* The backtest may use nothing at or after an origin: changing the future leaves earlier
 * forecasts exactly as they were, and each equals a forecast made from the truncated series. */
TEST(forecast__backtest_uses_only_data_before_each_origin)
{
    enum { N = 180 };
    double y[N], y2[N];
    for (int t = 0; t < N; t++)
        y[t] = y2[t] = 100 + 60 * cos(2 * M_PI * t / 52.18) + (t * 7 % 11);
    for (int t = 170; t < N; t++)
        y2[t] = 5000; /* an outbreak after origin 170 */
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    unsigned models =
        (1u << HB_MODEL_BASELINE) | (1u << HB_MODEL_SEASONAL_NB) | (1u << HB_MODEL_ENSEMBLE);
    hb_forecast_score *a, *b;
    size_t na, nb;
    hb_rng r1, r2;
    hb_rng_seed(&r1, 1);
    hb_rng_seed(&r2, 1);
    CHECK_OK(hb_forecast_backtest(&a, &na, y, NULL, N, 160, models, &opt, &r1));
    CHECK_OK(hb_forecast_backtest(&b, &nb, y2, NULL, N, 160, models, &opt, &r2));
    CHECK_INT_EQ(na, nb);
    CHECK_INT_EQ(na, 3 * (4 * 20 - 6)); /* 20 origins, the last 3 lose 3, 2, 1 targets */
    size_t checked = 0;
    for (size_t i = 0; i < na; i++) {
        CHECK(a[i].origin >= 160 && a[i].origin + a[i].horizon - 1 < N);
        if (a[i].origin > 170 - 1)
            continue;
        CHECK(a[i].median == b[i].median);
        if (a[i].origin + a[i].horizon - 1 < 170)
            CHECK(a[i].score.wis == b[i].score.wis);
        if (a[i].model == HB_MODEL_SEASONAL_NB) {
            double q[4 * Q];
            CHECK_OK(hb_forecast(q, HB_MODEL_SEASONAL_NB, y2, NULL, a[i].origin, &opt, &r1));
            CHECK(q[(a[i].horizon - 1) * Q + 11] == a[i].median);
            checked++;
        }
    }
    CHECK_INT_EQ(checked, 4 * 10); /* origins 160..169 */
    hb_forecast_scores_free(a);
    hb_forecast_scores_free(b);
}

/* Weekly, the renewal model's R holds for the first week only: from an epidemic growing 30% a
 * week, the first week continues the growth and the later ones stay at its level. */
TEST(forecast__renewal_holds_r_one_week_in_weekly_data)
{
    double y[40];
    for (int t = 0; t < 40; t++)
        y[t] = round(50 * exp(0.26 * t / 4.0) * (1 + 0.02 * (t % 3)));
    double si[10];
    CHECK_OK(hb_forecast_si_periods(si, 10, 3.6, 1.6, 7));
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    opt.si = si, opt.si_len = 10, opt.nsamples = 4000;
    hb_rng rng;
    hb_rng_seed(&rng, 2);
    double q[4 * Q];
    CHECK_OK(hb_forecast(q, HB_MODEL_RENEWAL, y, NULL, 40, &opt, &rng));
    double first = q[11];
    CHECK_MSG(first > 1.03 * y[39], "week 1 median %g after %g", first, y[39]);
    for (size_t h = 2; h <= 4; h++)
        CHECK_MSG(fabs(q[(h - 1) * Q + 11] / first - 1) < 0.05, "week %zu median %g vs %g", h,
                  q[(h - 1) * Q + 11], first);
}

/* log-ar: a series growing exactly 3% a period on the log(y + 10) scale is continued exactly
 * (the growth terms are constant, so aliased with the intercept, and every residual is 0). */
TEST(forecast__log_ar_continues_exact_growth)
{
    double y[120];
    for (int t = 0; t < 120; t++)
        y[t] = exp(log(20) + 0.03 * t) - 10;
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    double q[4 * Q];
    CHECK_OK(hb_forecast(q, HB_MODEL_LOG_AR, y, NULL, 120, &opt, NULL));
    for (size_t h = 1; h <= 4; h++) {
        double want = exp(log(20) + 0.03 * (double)(119 + h)) - 10;
        for (size_t j = 0; j < Q; j++)
            CHECK_NEAR_REL(q[(h - 1) * Q + j], want, 1e-8);
    }
    /* A flat series: every regressor but the intercept is constant, the forecast is flat. */
    for (int t = 0; t < 120; t++)
        y[t] = 7;
    CHECK_OK(hb_forecast(q, HB_MODEL_LOG_AR, y, NULL, 120, &opt, NULL));
    for (size_t i = 0; i < 4 * Q; i++)
        CHECK_NEAR_REL(q[i], 7, 1e-9);
}

/* log-ar on the seasonal NB series of the test above: medians follow the season and the 90%
 * intervals hold about 90% of the observations. */
TEST(forecast__log_ar_forecasts_a_seasonal_series)
{
    enum { N = 312 };
    double y[N + 4], mu[N + 4];
    hb_rng rng;
    hb_rng_seed(&rng, 5);
    for (int t = 0; t < N + 4; t++) {
        mu[t] = exp(4 + 0.8 * cos(2 * M_PI * t / (365.25 / 7)) + 0.3 * sin(2 * M_PI * t / 52.18));
        y[t] = hb_rng_nbinom(&rng, mu[t], 20);
    }
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    double q[4 * Q];
    int inside = 0;
    for (int origin = N - 40; origin < N; origin++) {
        CHECK_OK(hb_forecast(q, HB_MODEL_LOG_AR, y, NULL, (size_t)origin, &opt, NULL));
        for (size_t h = 1; h <= 4; h++) {
            double m = mu[origin + (int)h - 1], v = y[origin + (int)h - 1];
            CHECK_MSG(fabs(q[(h - 1) * Q + 11] / m - 1) < 0.35, "origin %d h %zu: %g vs %g", origin,
                      h, q[(h - 1) * Q + 11], m);
            inside += q[(h - 1) * Q + 2] <= v && v <= q[(h - 1) * Q + 20];
        }
    }
    CHECK_MSG(inside >= 128 && inside <= 156, "90%% intervals held %d of 160", inside);
    /* Too short, or a training window too short for 30 rows per horizon. */
    CHECK_FAILS(hb_forecast(q, HB_MODEL_LOG_AR, y, NULL, 35, &opt, NULL), HB_ENODATA,
                "at least 30");
    opt.training_periods = 20;
    CHECK_FAILS(hb_forecast(q, HB_MODEL_LOG_AR, y, NULL, N, &opt, NULL), HB_ENODATA, "at least 30");
}

/* The ensembles' default members depend on the frequency and on a serial interval (chosen on
 * early years). */
TEST(forecast__default_members_by_frequency)
{
    unsigned base = 1u << HB_MODEL_BASELINE, renewal = 1u << HB_MODEL_RENEWAL;
    unsigned nb = 1u << HB_MODEL_SEASONAL_NB, ar = 1u << HB_MODEL_LOG_AR;
    CHECK_INT_EQ(hb_forecast_default_members(52, false), nb | ar);
    CHECK_INT_EQ(hb_forecast_default_members(52, true), nb | ar | renewal);
    CHECK_INT_EQ(hb_forecast_default_members(12, true), base | nb | ar);
    CHECK_INT_EQ(hb_forecast_default_members(365, false), base);
    CHECK_INT_EQ(hb_forecast_default_members(365, true), base | renewal);
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    CHECK_INT_EQ(opt.members, nb | ar);
    CHECK_INT_EQ(opt.nsamples, 500);
}

/* The least-squares solver drops aliased columns (coefficient 0) as R's lm does and solves for
 * the rest. Columns: 1, t, 0, 2t (x3 aliased with x1, x2 all zero); y = 3 + 2t. */
TEST(forecast__solver_drops_aliased_columns)
{
    double a[16] = { 0 }, b[4] = { 0 };
    for (int t = 0; t < 10; t++) {
        double x[4] = { 1, t, 0, 2 * t }, y = 3 + 2 * t;
        for (int r = 0; r < 4; r++) {
            b[r] += x[r] * y;
            for (int c = 0; c <= r; c++)
                a[r * 4 + c] += x[r] * x[c];
        }
    }
    hb_forecast__solve_spd(a, b, 4);
    CHECK_NEAR_REL(b[0], 3, 1e-12);
    CHECK_NEAR_REL(b[1], 2, 1e-12);
    CHECK(b[2] == 0 && b[3] == 0);
}

TEST(forecast__rejects_bad_input)
{
    double y[30], q[4 * Q];
    for (int t = 0; t < 30; t++)
        y[t] = t;
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, 52);
    hb_rng rng;
    hb_rng_seed(&rng, 1);
    y[7] = -1;
    CHECK_FAILS(hb_forecast(q, HB_MODEL_BASELINE, y, NULL, 30, &opt, &rng), HB_EINVAL, "period 8");
    y[7] = NAN;
    CHECK_FAILS(hb_forecast(q, HB_MODEL_BASELINE, y, NULL, 30, &opt, &rng), HB_EINVAL, "finite");
    y[7] = 7;
    CHECK_FAILS(hb_forecast(q, HB_MODEL_BASELINE, y, NULL, 1, &opt, &rng), HB_ENODATA, "2 periods");
    CHECK_FAILS(hb_forecast(q, HB_MODEL_SEASONAL_NB, y, NULL, 10, &opt, &rng), HB_ENODATA,
                "at least");
    opt.horizon = 0;
    CHECK_FAILS(hb_forecast(q, HB_MODEL_BASELINE, y, NULL, 30, &opt, &rng), HB_EINVAL, "horizon");
    opt.horizon = 4;
    opt.freq = 7;
    CHECK_FAILS(hb_forecast(q, HB_MODEL_BASELINE, y, NULL, 30, &opt, &rng), HB_EINVAL, "frequency");
    hb_forecast_model m;
    CHECK_FAILS(hb_forecast_model_parse(&m, "arima"), HB_EINVAL, "seasonal-nb");
    CHECK_OK(hb_forecast_model_parse(&m, "ensemble-weighted"));
    CHECK_INT_EQ(m, HB_MODEL_ENSEMBLE_WEIGHTED);
    /* Huge counts stay finite. */
    hb_forecast_options_init(&opt, 52);
    for (int t = 0; t < 30; t++)
        y[t] = 1e12 + 1e9 * (t % 5);
    CHECK_OK(hb_forecast(q, HB_MODEL_ENSEMBLE, y, NULL, 30, &opt, &rng));
    for (size_t i = 0; i < 4 * Q; i++)
        CHECK(isfinite(q[i]) && q[i] > 0);
}

/* The seasonal NB regression against MASS::glm.nb and qnbinom on real weekly, monthly and daily
 * series (fixtures from tests/parity/forecast_nb.R): the same maximum-likelihood fit, so the same
 * quantiles. glm.nb
 * stops its theta iterations at a step of 1.2e-4 (theta.ml's eps), our Newton steps go on to
 * 1e-5: a quantile may sit on the other side of an integer boundary, by 1, in a few places. */
TEST(forecast__seasonal_nb_matches_mass_glm_nb)
{
    fixture *in = fixture_load("forecast_nb/input.csv");
    fixture *c = fixture_load("forecast_nb/cases.csv");
    const double *sid = fixture_col(in, "series"), *count = fixture_col(in, "count");
    size_t compared = 0, off_by_one = 0;
    for (size_t k = 0; k < c->nrows; k++) {
        double y[800];
        size_t len = 0;
        for (size_t i = 0; i < in->nrows && len < 800; i++)
            if (sid[i] == fixture_col(c, "series")[k])
                y[len++] = count[i];
        hb_forecast_options opt;
        hb_forecast_options_init(&opt, (int)fixture_col(c, "freq")[k]);
        size_t n = (size_t)fixture_col(c, "n")[k], h = (size_t)fixture_col(c, "h")[k];
        CHECK_MSG(n <= len, "case %zu: n %zu, series of %zu", k, n, len);
        opt.horizon = h;
        double q[14 * Q];
        CHECK_OK(hb_forecast(q, HB_MODEL_SEASONAL_NB, y, NULL, n, &opt, NULL));
        for (size_t j = 0; j < Q; j++) {
            char col[8];
            snprintf(col, sizeof col, "q%zu", j + 1);
            double want = fixture_col(c, col)[k], got = q[(h - 1) * Q + j];
            CHECK_MSG(fabs(got - want) <= 1, "case %zu (n %zu h %zu) level %g: %g vs R %g", k, n, h,
                      levels[j], got, want);
            off_by_one += got != want;
            compared++;
        }
    }
    CHECK_MSG(off_by_one * 100 <= compared, "%zu of %zu quantiles differ from R by 1", off_by_one,
              compared);
    fixture_free(in);
    fixture_free(c);
}
