/*
 * forecast/forecast_ar.c — the log-scale autoregression ("log-ar"): for each horizon, a direct
 * regression of the change in log counts on the current growth, the level and the season, with
 * quantiles from the regression's own residuals.
 *
 * With z_t = log(y_t + 10) and t the last observed period, horizon h is fitted on the periods of
 * the training window by least squares:
 *
 *     z_{t+h} - z_t = b0 + b1 (z_t - z_{t-1}) + b2 (z_{t-1} - z_{t-2}) + b3 (z_t - zbar)
 *                     + c cos(2 pi t/P) + s sin(2 pi t/P) + e_t
 *
 * (zbar = mean of z over the window, P = a year in periods). The forecast of horizon h is
 * z_{n-1} + fitted + the residuals' quantiles (R type 7), back-transformed and truncated at 0.
 *
 * Why this shape. Each piece was checked on the 2015-2016 Hong Kong influenza seasons (origins
 * before 2017 on the data cut at 2016-12-31) and on German influenza 2001-2008 (R surveillance's
 * fluBYBW and influMen) before any later season was looked at (docs/forecasting.md has the
 * development runs):
 *   - log scale: epidemics grow and decline multiplicatively, and the errors grow with the level;
 *   - the growth terms carry an epidemic's momentum, the level term its return towards the usual
 *     level (peaks come down, troughs come up), the harmonics the time of year: relative WIS
 *     0.97 with the growth terms alone, 0.75 with the level, 0.71 with the harmonics (offset 1);
 *   - the offset 10 (tried 0.5, 1, 3, 10, 30; 0.68 at 10) keeps weeks of a handful of cases from
 *     dominating the fit: at small counts the log of Poisson noise is large;
 *   - direct fits (one per horizon, not iterated) let each horizon learn its own spread;
 *   - residuals are widened by sqrt(m / (m - p)), the usual allowance for fitted parameters;
 *   - the harmonics are left out when the window holds less than a year: they cannot be
 *     estimated from less (on the first months of COVID-19 in Hong Kong they made the model 4.4
 *     times worse than the baseline, 1.2 without them).
 * Tried and dropped: a second harmonic pair, squared level, level x growth, a 4-week growth term,
 * weighting recent or high weeks, a scale model for the residuals, and quantile regression (R's
 * quantreg::rq) in place of least squares plus residual quantiles: none did better.
 */
#include <math.h>
#include <string.h>

#include "forecast/forecast_int.h"
#include "rt/stats.h"
#include "util/alloc.h"
#include "util/error.h"

#define Q        HB_FORECAST_NQUANTILES
#define OFFSET   10.0 /* z = log(y + OFFSET) */
#define MAXP     6    /* intercept, two growth terms, level, one harmonic pair */
#define LAGS     2    /* the growth terms reach back to z_{t-2} */
#define MIN_ROWS 30   /* training rows per horizon: below this the residual quantiles are noise */

/* Regressors of period t (the last observed one) into row; the count. */
static size_t regressors(double *row, const double *z, size_t t, double zbar, double year,
                         int season)
{
    size_t k = 0;
    row[k++] = 1;
    row[k++] = z[t] - z[t - 1];
    row[k++] = z[t - 1] - z[t - 2];
    row[k++] = z[t] - zbar;
    if (season) {
        double a = 2 * M_PI * (double)t / year;
        row[k++] = cos(a);
        row[k++] = sin(a);
    }
    return k;
}

/* Fit horizon h and write its Q quantiles. x holds the regressors of the periods from .. n-1
 * (row i: period from + i, p columns), the last row being the forecast's; r is work space. */
static void fit_horizon(double *q, const double *z, size_t n, size_t from, size_t h,
                        const double *x, size_t p, double *r)
{
    size_t m = n - h - from;
    double a[MAXP * MAXP] = { 0 }, beta[MAXP] = { 0 };
    for (size_t i = 0; i < m; i++) {
        const double *xi = x + i * p;
        r[i] = z[from + i + h] - z[from + i];
        for (size_t u = 0; u < p; u++) {
            beta[u] += xi[u] * r[i];
            for (size_t v = 0; v <= u; v++)
                a[u * p + v] += xi[u] * xi[v];
        }
    }
    hb_forecast__solve_spd(a, beta, p);
    for (size_t i = 0; i < m; i++)
        for (size_t u = 0; u < p; u++)
            r[i] -= x[i * p + u] * beta[u];
    const double *last = x + (n - 1 - from) * p;
    double centre = z[n - 1], e[Q];
    for (size_t u = 0; u < p; u++)
        centre += last[u] * beta[u];
    hb_rt__quantiles7(e, r, m, hb_forecast__levels, Q);
    double widen = sqrt((double)m / (double)(m - p)), med = e[Q / 2];
    for (size_t j = 0; j < Q; j++) {
        double v = exp(centre + med + (e[j] - med) * widen) - OFFSET;
        q[j] = v > 0 ? v : 0;
    }
}

int hb_forecast__log_ar(double *q, const double *y, size_t n, const hb_forecast_options *opt)
{
    size_t H = opt->horizon, window = hb_forecast__training_periods(opt);
    size_t from = n > window ? n - window : 0, rows = n - from;
    /* Training rows are the periods t from `first` on whose target t + h is observed; the
     * growth terms of t need LAGS earlier periods. */
    size_t first = from > LAGS ? from : LAGS;
    if (n < first + H + MIN_ROWS)
        return hb_error_set(HB_ENODATA,
                            "log-ar: needs at least %d training periods for horizon %zu, has %zu",
                            MIN_ROWS, H, n > first + H ? n - first - H : 0);
    double *z = hb_mallocarray(n, sizeof *z);
    double *x = hb_mallocarray(rows * MAXP, sizeof *x);
    double *r = hb_mallocarray(rows, sizeof *r);
    if (!z || !x || !r) {
        hb_free(z), hb_free(x), hb_free(r);
        return HB_ENOMEM;
    }
    double zbar = 0, year = hb_forecast__year_periods(opt->freq);
    for (size_t t = 0; t < n; t++)
        z[t] = log(y[t] + OFFSET);
    for (size_t t = from; t < n; t++)
        zbar += z[t];
    zbar /= (double)rows;
    int season = (double)rows >= year;
    size_t p = 0;
    for (size_t t = first; t < n; t++)
        p = regressors(x + (t - first) * MAXP, z, t, zbar, year, season);
    /* Rows were written MAXP apart; pack them p apart. */
    for (size_t i = 1; i < n - first; i++)
        memmove(x + i * p, x + i * MAXP, p * sizeof *x);
    for (size_t h = 1; h <= H; h++)
        fit_horizon(q + (h - 1) * Q, z, n, first, h, x, p, r);
    hb_free(z), hb_free(x), hb_free(r);
    return 0;
}
