/*
 * forecast/forecast_nb.c — the seasonal negative-binomial regression forecaster, with its own
 * small NB GLM fitter.
 *
 * For horizon h the model is fitted directly (one fit per horizon, no iterated forecasts) on the
 * periods t of the training window:
 *
 *     y_t ~ NB(mu_t, theta),  log mu_t = b0 + b1 (t - o)/P + sum_{j=1..J} c_j cos(2 pi j t/P)
 *                                       + s_j sin(2 pi j t/P) + d log(1 + y_{t-h})
 *
 * with P the length of a year in periods (365.25, 365.25/7 or 12) and o the origin: harmonics
 * carry the season, the trend slow change, the lagged level the current state of the epidemic.
 * The forecast for target o+h-1 uses y_{o-1} as its lag; its quantiles are qnbinom(tau, theta, mu)
 * from R's own libRmath.
 *
 * The fitter follows MASS::glm.nb: IRLS for the coefficients at fixed theta (log link, working
 * weights mu / (1 + mu/theta)), alternating with theta.ml's Newton steps on the profile score,
 * until both settle. It is self-contained because src/surveil/glm.{h,c} (the detection branch's
 * IRLS, which will gain an NB family) had not landed on main when this was written; fold it into
 * glm.c once that exists.
 */
#include <math.h>
#include <string.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "forecast/forecast_int.h"
#include "util/alloc.h"
#include "util/error.h"

#define Q         HB_FORECAST_NQUANTILES
#define MAXP      12   /* intercept, trend, 4 harmonic pairs, lag: 11 */
#define ITER      25   /* IRLS and theta iterations, as glm.control(maxit = 25) and theta.ml */
#define THETA_MAX 1e8  /* beyond this NB is Poisson for any count we meet */
#define ETA_MAX   34.5 /* exp(34.5) ~ 1e15 cases: keeps mu finite while IRLS wanders */

typedef struct nb_fit {
    size_t m, p; /* rows, columns */
    double *x;   /* m * p, row-major */
    double *y;   /* m */
    double *eta, *mu;
    double beta[MAXP];
    double theta;
} nb_fit;

static double year_periods(int freq)
{
    return freq == 365 ? 365.25 : freq == 52 ? 365.25 / 7 : 12;
}

/* Covariates of period t into row; full = with trend and lag (else the seasonal mean only, the
 * fallback when the full design is singular, e.g. a constant series). Returns the count. */
static size_t covariates(double *row, size_t t, size_t origin, double lag, int harmonics, double P,
                         int full)
{
    size_t c = 0;
    row[c++] = 1;
    if (full)
        row[c++] = ((double)t - (double)origin) / P;
    for (int j = 1; j <= harmonics; j++) {
        double a = 2 * M_PI * j * (double)t / P;
        row[c++] = cos(a);
        row[c++] = sin(a);
    }
    if (full)
        row[c++] = log1p(lag);
    return c;
}

/* Solve the p x p symmetric positive-definite system a x = b in place (Cholesky); -1 if singular.
 */
static int cholesky_solve(double *a, double *b, size_t p)
{
    for (size_t j = 0; j < p; j++) {
        double d = a[j * p + j];
        for (size_t k = 0; k < j; k++)
            d -= a[j * p + k] * a[j * p + k];
        if (!(d > 1e-12 * (fabs(a[j * p + j]) + 1e-300)))
            return -1;
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
        b[i] /= a[i * p + i];
    }
    for (size_t i = p; i-- > 0;) {
        for (size_t k = i + 1; k < p; k++)
            b[i] -= a[k * p + i] * b[k];
        b[i] /= a[i * p + i];
    }
    return 0;
}

/* One IRLS step at fixed theta (INFINITY = Poisson): new beta, eta, mu. -1 when singular. */
static int irls_step(nb_fit *f)
{
    double a[MAXP * MAXP] = { 0 }, b[MAXP] = { 0 };
    size_t p = f->p;
    for (size_t i = 0; i < f->m; i++) {
        double mu = f->mu[i];
        double w = isinf(f->theta) ? mu : mu / (1 + mu / f->theta);
        double z = f->eta[i] + (f->y[i] - mu) / mu;
        const double *xi = f->x + i * p;
        for (size_t r = 0; r < p; r++) {
            b[r] += w * xi[r] * z;
            for (size_t c = 0; c <= r; c++)
                a[r * p + c] += w * xi[r] * xi[c];
        }
    }
    for (size_t r = 0; r < p; r++)
        for (size_t c = 0; c < r; c++)
            a[c * p + r] = a[r * p + c];
    if (cholesky_solve(a, b, p) < 0)
        return -1;
    memcpy(f->beta, b, p * sizeof *b);
    for (size_t i = 0; i < f->m; i++) {
        double eta = 0;
        for (size_t r = 0; r < p; r++)
            eta += f->x[i * p + r] * b[r];
        f->eta[i] = eta < ETA_MAX ? eta : ETA_MAX;
        f->mu[i] = exp(f->eta[i]);
    }
    return 0;
}

static double nb_deviance(const nb_fit *f)
{
    double d = 0;
    for (size_t i = 0; i < f->m; i++) {
        double y = f->y[i], mu = f->mu[i], th = f->theta;
        double t1 = y > 0 ? y * log(y / mu) : 0;
        double t2 = isinf(th) ? (y - mu) : (y + th) * log((y + th) / (mu + th));
        d += 2 * (t1 - t2);
    }
    return d;
}

/* IRLS to convergence at the current theta (glm.fit's rule: |dev - dev_old| / (|dev| + 0.1)). */
static int irls(nb_fit *f)
{
    double dev = nb_deviance(f);
    for (int it = 0; it < ITER; it++) {
        if (irls_step(f) < 0)
            return -1;
        double dev_new = nb_deviance(f);
        if (fabs(dev_new - dev) / (fabs(dev_new) + 0.1) < 1e-8)
            return 0;
        dev = dev_new;
    }
    return 0; /* glm.nb warns and carries on; so do we (the theta loop bounds the damage) */
}

/* MASS::theta.ml: Newton on the profile score of theta, from the moment estimate. */
static double theta_ml(const nb_fit *f)
{
    double th = 0;
    for (size_t i = 0; i < f->m; i++)
        th += (f->y[i] / f->mu[i] - 1) * (f->y[i] / f->mu[i] - 1);
    th = th > 0 ? (double)f->m / th : THETA_MAX;
    for (int it = 0; it < ITER && th < THETA_MAX; it++) {
        double score = 0, info = 0;
        for (size_t i = 0; i < f->m; i++) {
            double y = f->y[i], mu = f->mu[i];
            score +=
                digamma(y + th) - digamma(th) + log(th) + 1 - log(th + mu) - (y + th) / (th + mu);
            info += -trigamma(y + th) + trigamma(th) - 1 / th + 2 / (th + mu) -
                    (y + th) / ((th + mu) * (th + mu));
        }
        if (!(info > 0))
            break;
        double step = score / info;
        th = th + step > 0 ? th + step : th / 2;
        if (fabs(step) < 1e-5 * (th + 1e-5))
            break;
    }
    return th < THETA_MAX ? th : INFINITY;
}

/* Fit beta and theta (glm.nb's alternation). -1 when the design is singular. */
static int fit_nb(nb_fit *f)
{
    for (size_t i = 0; i < f->m; i++) {
        f->mu[i] = f->y[i] + 0.1; /* glm's poisson mustart */
        f->eta[i] = log(f->mu[i]);
    }
    f->theta = INFINITY;
    if (irls(f) < 0)
        return -1;
    for (int outer = 0; outer < ITER; outer++) {
        double th = theta_ml(f), old = f->theta;
        f->theta = th;
        if (irls(f) < 0)
            return -1;
        if ((isinf(th) && isinf(old)) || fabs(th - old) <= 1e-6 * (isinf(old) ? th : old))
            break;
    }
    return 0;
}

/*
 * The level-quantile of NB(mean mu, size theta). R 4.2's qnbinom searches upwards from a
 * Cornish-Fisher start in steps that can take seconds per call when mu is in the hundreds of
 * millions (a fuzzer found one: mu 3.5e8, theta 0.12). Above 1e6 expected cases the NB is a
 * gamma distribution for every practical purpose — the Poisson part adds mu to a variance of
 * mu + mu^2 / theta — and the rounded gamma quantile differed from qnbinom by less than 1e-5 of
 * the quantile wherever both could be computed (mu 1e6, theta 0.1-90, levels 0.01-0.99).
 */
static double nb_quantile(double level, double theta, double mu)
{
    if (isinf(theta))
        return qpois(level, mu, 1, 0);
    if (mu > 1e6)
        return floor(qgamma(level, theta, mu / theta, 1, 0) + 0.5);
    return qnbinom_mu(level, theta, mu, 1, 0);
}

/* Fit horizon h on rows from .. n-1 and write its quantiles; full as in covariates(). */
static int fit_horizon(double *q, nb_fit *f, const double *y, size_t n, size_t from, size_t h,
                       const hb_forecast_options *opt, int full)
{
    double P = year_periods(opt->freq), row[MAXP];
    f->m = n - from;
    for (size_t t = from; t < n; t++) {
        f->p = covariates(row, t, n, y[t - h], opt->harmonics, P, full);
        memcpy(f->x + (t - from) * f->p, row, f->p * sizeof *row);
        f->y[t - from] = y[t];
    }
    if (fit_nb(f) < 0)
        return -1;
    size_t p = covariates(row, n + h - 1, n, y[n - 1], opt->harmonics, P, full);
    double eta = 0;
    for (size_t r = 0; r < p; r++)
        eta += row[r] * f->beta[r];
    double mu = exp(eta < ETA_MAX ? eta : ETA_MAX);
    for (size_t j = 0; j < Q; j++)
        q[j] = nb_quantile(hb_forecast__levels[j], f->theta, mu);
    return 0;
}

int hb_forecast__seasonal_nb(double *q, const double *y, size_t n, const hb_forecast_options *opt)
{
    size_t L = opt->training_periods ? opt->training_periods
                                     : (size_t)(opt->freq == 365 ? 3 * 365 : 5 * opt->freq);
    size_t p_full = 3 + 2 * (size_t)opt->harmonics;
    size_t from_all = n > L ? n - L : 0;
    if (n < opt->horizon + 3 * p_full)
        return hb_error_set(HB_ENODATA, "seasonal-nb: needs at least %zu periods, got %zu",
                            opt->horizon + 3 * p_full, n);
    double total = 0;
    for (size_t t = from_all; t < n; t++)
        total += y[t];
    if (total == 0) { /* no case in the training window: the fitted mean is 0, and so is q */
        memset(q, 0, opt->horizon * Q * sizeof *q);
        return 0;
    }
    size_t m = n - from_all;
    nb_fit f = { 0,
                 0,
                 hb_mallocarray(m * MAXP, sizeof(double)),
                 hb_mallocarray(m, sizeof(double)),
                 hb_mallocarray(m, sizeof(double)),
                 hb_mallocarray(m, sizeof(double)),
                 { 0 },
                 0 };
    int rc = f.x && f.y && f.eta && f.mu ? 0 : HB_ENOMEM;
    for (size_t h = 1; rc == 0 && h <= opt->horizon; h++) {
        size_t from = from_all > h ? from_all : h;
        if (fit_horizon(q + (h - 1) * Q, &f, y, n, from, h, opt, 1) < 0 &&
            fit_horizon(q + (h - 1) * Q, &f, y, n, from, h, opt, 0) < 0)
            rc = hb_error_set(HB_ENODATA, "seasonal-nb: the regression is singular");
    }
    hb_free(f.x), hb_free(f.y), hb_free(f.eta), hb_free(f.mu);
    return rc;
}
