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
 * A window of less than a year gets no harmonics: a yearly cycle cannot be estimated from part of
 * one, and extrapolating one fitted to a single epidemic wave made daily COVID-19 forecasts
 * explode (docs/forecasting.md).
 * The forecast for target o+h-1 uses y_{o-1} as its lag; its quantiles are those of
 * NB(mu, theta), as R's qnbinom gives them.
 *
 * The fitter finds MASS::glm.nb's estimates (tests/parity/forecast_nb.R checks the quantiles
 * against glm.nb and qnbinom on real weekly, monthly and daily series) by a faster road: glm.nb's
 * start (a Poisson IRLS fit, theta by the method of moments), then Newton steps on beta and theta
 * together. The daily early-warning run fits this model four times per weekly series for every
 * series of the GBA, so its cost matters (bench/forecast/): it is not the detection engine's
 * general GLM fitter (src/surveil/glm.c, R's glm.fit step for step) but a small one built for many
 * small fits, about 300 us for a 5-year weekly series where glm.nb takes 30 ms.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "forecast/forecast_int.h"
#include "util/alloc.h"
#include "util/error.h"

#define Q           HB_FORECAST_NQUANTILES
#define MAXP        12 /* intercept, trend, 4 harmonic pairs, lag: 11 */
#define MAXPP       (MAXP * (MAXP + 1) / 2)
#define ITER        25   /* IRLS and Newton iterations, as glm.control(maxit = 25) and theta.ml */
#define TOL         1e-5 /* converged: eta and theta (relative) move less than this in a step */
#define THETA_MAX   1e8  /* beyond this NB is Poisson for any count we meet */
#define ETA_MAX     34.5 /* exp(34.5) ~ 1e15 cases: keeps mu finite while IRLS wanders */
/* Quantiles by walking the probability function while the distribution's sd is below this:
 * the walk from the 1% to the 99% quantile then takes at most some 300,000 cheap steps. */
#define WALK_SD_MAX 5e4

typedef struct nb_fit {
    size_t m, p; /* rows, columns */
    double *x;   /* m * p, row-major */
    double *xx;  /* m * p (p + 1) / 2: the lower triangle of x_i x_i' per row, computed once per
                  * fit: the sums of the normal equations are then one vector loop per row */
    double *y;   /* m */
    double *eta, *mu;
    double beta[MAXP];
    double theta; /* INFINITY = Poisson */
} nb_fit;

/* Covariates of period t into row (the count): intercept, trend, harmonics, lagged level. */
static size_t covariates(double *row, size_t t, size_t origin, double lag, int harmonics, double P)
{
    size_t c = 0;
    row[c++] = 1;
    row[c++] = ((double)t - (double)origin) / P;
    for (int j = 1; j <= harmonics; j++) {
        double a = 2 * M_PI * j * (double)t / P;
        row[c++] = cos(a);
        row[c++] = sin(a);
    }
    row[c++] = log1p(lag);
    return c;
}

/*
 * digamma and trigamma for x > 0: the recurrence up to x >= 10, then the asymptotic series to the
 * x^-12 (digamma) and x^-13 (trigamma) terms, relative error below 1e-13. R's own functions
 * (libRmath's psigamma) are general and several times slower, and the profile score of theta
 * needs two of each per observation and Newton step: they were 90% of the model's time.
 */
static double digamma_x(double x)
{
    double r = 0;
    for (; x < 10; x += 1)
        r -= 1 / x;
    double f = 1 / (x * x);
    return r + log(x) - 0.5 / x -
           f * (1.0 / 12 -
                f * (1.0 / 120 -
                     f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * 691.0 / 32760)))));
}

static double trigamma_x(double x)
{
    double r = 0;
    for (; x < 10; x += 1)
        r += 1 / (x * x);
    double f = 1 / (x * x);
    return r + 1 / x + 0.5 * f +
           f / x *
               (1.0 / 6 -
                f * (1.0 / 30 -
                     f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66 - f * 691.0 / 2730)))));
}

/* One IRLS step at fixed theta: new beta, eta, mu. Returns the largest change of eta, the
 * convergence measure (the fit is wanted on the scale of the forecast, log mu). */
static double irls_step(nb_fit *f)
{
    double a[MAXP * MAXP], packed[MAXPP] = { 0 }, b[MAXP] = { 0 }, change = 0;
    size_t p = f->p, pp = p * (p + 1) / 2;
    for (size_t i = 0; i < f->m; i++) {
        double mu = f->mu[i];
        double w = isinf(f->theta) ? mu : mu / (1 + mu / f->theta);
        double wz = w * (f->eta[i] + (f->y[i] - mu) / mu);
        const double *xi = f->x + i * p, *xxi = f->xx + i * pp;
        for (size_t r = 0; r < p; r++)
            b[r] += wz * xi[r];
        for (size_t k = 0; k < pp; k++)
            packed[k] += w * xxi[k];
    }
    for (size_t r = 0, k = 0; r < p; r++)
        for (size_t c = 0; c <= r; c++)
            a[r * p + c] = packed[k++];
    hb_forecast__solve_spd(a, b, p);
    memcpy(f->beta, b, p * sizeof *b);
    for (size_t i = 0; i < f->m; i++) {
        double eta = 0;
        for (size_t r = 0; r < p; r++)
            eta += f->x[i * p + r] * b[r];
        eta = eta < ETA_MAX ? eta : ETA_MAX;
        change = fmax(change, fabs(eta - f->eta[i]));
        f->eta[i] = eta;
        f->mu[i] = exp(eta);
    }
    return change;
}

/* IRLS to convergence at the current theta. */
static void irls(nb_fit *f)
{
    for (int it = 0; it < ITER && irls_step(f) > TOL; it++)
        ;
}

/* theta by the method of moments at the current mu (theta.ml's start), INFINITY when the data
 * are no more dispersed than Poisson. */
static double theta_moments(const nb_fit *f)
{
    double s = 0;
    for (size_t i = 0; i < f->m; i++)
        s += (f->y[i] / f->mu[i] - 1) * (f->y[i] / f->mu[i] - 1);
    return s > 0 && (double)f->m / s < THETA_MAX ? (double)f->m / s : INFINITY;
}

/*
 * One Newton step on (beta, theta) together, with the observed information; returns the largest
 * change of eta and of log theta. With eta = x'beta and s = theta + mu, each observation adds
 *
 *     to the score of eta    theta (y - mu) / s
 *     to the score of theta  digamma(y + theta) - digamma(theta) + log(theta) + 1 - log(s)
 *                            - (y + theta) / s
 *     to minus the second derivatives: eta-eta theta mu (y + theta) / s^2, eta-theta
 *     -(y - mu) mu / s^2, theta-theta trigamma(theta) - trigamma(y + theta) - 1/theta + 2/s
 *     - (y + theta) / s^2,
 *
 * the last one theta.ml's information. Near the maximum this converges quadratically, where
 * glm.nb's alternation of IRLS and theta.ml converges linearly: on the benchmark's series, five
 * Newton steps per horizon against seven rounds of the alternation (each several IRLS and
 * theta.ml steps).
 */
static double newton_step(nb_fit *f)
{
    size_t p = f->p, pp = p * (p + 1) / 2, k = p + 1;
    double packed[MAXPP] = { 0 }, cross[MAXP] = { 0 }, b[MAXP + 1] = { 0 };
    double th = f->theta, score = 0, info = 0, m = (double)f->m;
    for (size_t i = 0; i < f->m; i++) {
        double y = f->y[i], mu = f->mu[i], s = th + mu, s2 = s * s;
        double w = th * mu * (y + th) / s2, u = th * (y - mu) / s, c = -(y - mu) * mu / s2;
        const double *xi = f->x + i * p, *xxi = f->xx + i * pp;
        for (size_t r = 0; r < p; r++) {
            b[r] += u * xi[r];
            cross[r] += c * xi[r];
        }
        for (size_t j = 0; j < pp; j++)
            packed[j] += w * xxi[j];
        score += digamma_x(y + th) - log(s) - (y + th) / s;
        info += 2 / s - trigamma_x(y + th) - (y + th) / s2;
    }
    b[p] = score + m * (log(th) + 1 - digamma_x(th));
    double a[(MAXP + 1) * (MAXP + 1)];
    for (size_t r = 0, j = 0; r < p; r++)
        for (size_t c = 0; c <= r; c++)
            a[r * k + c] = packed[j++];
    for (size_t c = 0; c < p; c++)
        a[p * k + c] = cross[c];
    a[p * k + p] = info + m * (trigamma_x(th) - 1 / th);
    int stuck = (hb_forecast__solve_spd(a, b, k) >> p) & 1;
    /* A trust region: far from the maximum the Newton step can overshoot (observed information
     * is not the expected one), so it is shortened until no mu and not theta move by more than a
     * factor e. Near the maximum the full step is taken. */
    double longest = fabs(log1p(b[p] / th));
    if (!(th + b[p] > 0))
        longest = INFINITY;
    for (size_t i = 0; i < f->m; i++) {
        double d = 0;
        for (size_t r = 0; r < p; r++)
            d += f->x[i * p + r] * b[r];
        longest = fmax(longest, fabs(d));
    }
    double step = longest > 1 ? 1 / longest : 1;
    if (isinf(longest)) /* theta would go negative: halve it, keep beta (theta.ml's fallback) */
        step = 0;
    f->theta = step > 0 ? th + step * b[p] : th / 2;
    if (f->theta >= THETA_MAX)
        f->theta = INFINITY;
    double change = fabs(log(f->theta / th));
    for (size_t r = 0; r < p; r++)
        f->beta[r] += step * b[r];
    for (size_t i = 0; i < f->m; i++) {
        double eta = 0;
        for (size_t r = 0; r < p; r++)
            eta += f->x[i * p + r] * f->beta[r];
        eta = eta < ETA_MAX ? eta : ETA_MAX;
        change = fmax(change, fabs(eta - f->eta[i]));
        f->eta[i] = eta;
        f->mu[i] = exp(eta);
    }
    if (stuck) {
        /* The likelihood is not concave in theta here (theta far above its maximum, where it
         * flattens out): Newton cannot tell which way to go. theta.ml's start, the method of
         * moments at the new mu, is a consistent estimate to go on from. */
        f->theta = theta_moments(f);
        return INFINITY;
    }
    return change;
}

/*
 * Fit beta and theta by maximum likelihood: the estimates of MASS::glm.nb. Cold, as glm.nb: the
 * Poisson fit by IRLS from mu = y + 0.1, theta by the method of moments; then Newton steps on
 * both (newton_step). warm: start from the beta in f instead (the previous horizon's fit, on
 * nearly the same rows). A theta beyond THETA_MAX means Poisson, and ends with the Poisson fit.
 */
static void fit_nb(nb_fit *f, int warm)
{
    for (size_t i = 0; i < f->m; i++) {
        double eta = 0;
        for (size_t r = 0; warm && r < f->p; r++)
            eta += f->x[i * f->p + r] * f->beta[r];
        f->eta[i] = warm ? (eta < ETA_MAX ? eta : ETA_MAX) : log(f->y[i] + 0.1);
        f->mu[i] = exp(f->eta[i]);
    }
    if (!warm) {
        f->theta = INFINITY;
        irls(f);
    }
    /* theta.ml's start. The previous horizon's theta can lie far from this one's, beyond the
     * region where Newton on theta works. */
    f->theta = theta_moments(f);
    for (int it = 0; it < ITER && !isinf(f->theta); it++)
        if (newton_step(f) <= TOL)
            break;
    if (isinf(f->theta))
        irls(f);
}

/*
 * The Q hub quantiles of NB(mean mu, size theta) into q. Walking the probability function up
 * from the lowest quantile gives all 23 for the price of one qnbinom (R's searches each level
 * anew from a Cornish-Fisher start, which was half the model's time once the fit was fast); the
 * walk is used while it is short. R 4.2's qnbinom can take seconds per call when mu is in the
 * hundreds of millions (a fuzzer found one: mu 3.5e8, theta 0.12); above 1e6 expected cases the
 * NB is a gamma distribution for every practical purpose — the Poisson part adds mu to a
 * variance of mu + mu^2 / theta — and the rounded gamma quantile differed from qnbinom by less
 * than 1e-5 of the quantile wherever both could be computed (mu 1e6, theta 0.1-90, levels
 * 0.01-0.99).
 */
static void nb_quantiles(double *q, double theta, double mu)
{
    const double *lv = hb_forecast__levels;
    int pois = isinf(theta);
    if (mu > 1e6) {
        for (size_t j = 0; j < Q; j++)
            q[j] =
                pois ? qpois(lv[j], mu, 1, 0) : floor(qgamma(lv[j], theta, mu / theta, 1, 0) + 0.5);
        return;
    }
    double k = pois ? qpois(lv[0], mu, 1, 0) : qnbinom_mu(lv[0], theta, mu, 1, 0);
    double sd = sqrt(mu + (pois ? 0 : mu * mu / theta));
    if (sd > WALK_SD_MAX) {
        for (size_t j = 0; j < Q; j++)
            q[j] = pois ? qpois(lv[j], mu, 1, 0) : qnbinom_mu(lv[j], theta, mu, 1, 0);
        return;
    }
    double cdf = pois ? ppois(k, mu, 1, 0) : pnbinom_mu(k, theta, mu, 1, 0);
    double pmf = pois ? dpois(k, mu, 0) : dnbinom_mu(k, theta, mu, 0);
    double ratio = pois ? 1 : mu / (mu + theta);
    for (size_t j = 0; j < Q; j++) {
        /* R's qnbinom takes the smallest k with P(X <= k) >= level (1 - 64 DBL_EPSILON). */
        while (cdf < lv[j] * (1 - 64 * DBL_EPSILON) && pmf > 0) {
            pmf *= pois ? mu / (k + 1) : (k + theta) / (k + 1) * ratio;
            k += 1;
            cdf += pmf;
        }
        q[j] = k;
    }
}

/* Fit horizon h on rows from .. n-1 and write its quantiles; warm as in fit_nb(). */
static void fit_horizon(double *q, nb_fit *f, const double *y, size_t n, size_t from, size_t h,
                        const hb_forecast_options *opt, int harmonics, int warm)
{
    double P = hb_forecast__year_periods(opt->freq), row[MAXP];
    f->m = n - from;
    for (size_t t = from; t < n; t++) {
        f->p = covariates(f->x + (t - from) * MAXP, t, n, y[t - h], harmonics, P);
        f->y[t - from] = y[t];
    }
    /* Rows were written MAXP apart; the fitter wants them packed, with their outer products. */
    size_t p = f->p, pp = p * (p + 1) / 2;
    for (size_t i = 0; i < f->m; i++) {
        memmove(f->x + i * p, f->x + i * MAXP, p * sizeof *f->x);
        const double *xi = f->x + i * p;
        for (size_t r = 0, k = 0; r < p; r++)
            for (size_t c = 0; c <= r; c++)
                f->xx[i * pp + k++] = xi[r] * xi[c];
    }
    fit_nb(f, warm);
    covariates(row, n + h - 1, n, y[n - 1], harmonics, P);
    double eta = 0;
    for (size_t r = 0; r < p; r++)
        eta += row[r] * f->beta[r];
    nb_quantiles(q, f->theta, exp(eta < ETA_MAX ? eta : ETA_MAX));
}

int hb_forecast__seasonal_nb(double *q, const double *y, size_t n, const hb_forecast_options *opt)
{
    size_t L = hb_forecast__training_periods(opt);
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
                 hb_mallocarray(m * MAXPP, sizeof(double)),
                 hb_mallocarray(m, sizeof(double)),
                 hb_mallocarray(m, sizeof(double)),
                 hb_mallocarray(m, sizeof(double)),
                 { 0 },
                 0 };
    int rc = f.x && f.xx && f.y && f.eta && f.mu ? 0 : HB_ENOMEM;
    int harmonics = (double)m >= hb_forecast__year_periods(opt->freq) ? opt->harmonics : 0;
    for (size_t h = 1; rc == 0 && h <= opt->horizon; h++) {
        size_t from = from_all > h ? from_all : h;
        fit_horizon(q + (h - 1) * Q, &f, y, n, from, h, opt, harmonics, h > 1);
    }
    hb_free(f.x), hb_free(f.xx), hb_free(f.y), hb_free(f.eta), hb_free(f.mu);
    return rc;
}
