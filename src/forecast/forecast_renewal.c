/*
 * forecast/forecast_renewal.c — projecting cases with the renewal equation from the Rt posterior.
 *
 * At origin n the Cori posterior of R over the last W periods is Gamma(shape, scale) (rt.h).
 * Each of nsamples trajectories draws one R and continues the epidemic period by period:
 *
 *     I_{n+h-1} ~ NB(mean = R * Lambda_{n+h-1}, size),
 *     Lambda_{n+h-1} = sum_k w_k I_{n+h-1-k}   (observed cases, then the trajectory's own),
 *
 * with no imported cases in the future. Poisson noise alone (EpiEstim's `projections`) is far
 * too narrow for surveillance counts, so the size is fitted by the method of moments to this same
 * model's one-period-ahead errors over the last RECENT periods: sum mu^2 / sum((y - mu)^2 - mu).
 *
 * How long R holds. Daily, R is kept over the whole horizon (on the first months of COVID-19 in
 * Hong Kong, origins before 2020-07, any damping of log R made the forecasts worse). Weekly and
 * monthly, R holds for the first period only and the projection then renews itself with R = 1:
 * with a serial interval of a few days, the Cori estimate from weekly counts is last week's growth
 * ratio, and carrying it on for a month overshot every turn of the 2015-2016 Hong Kong influenza
 * seasons (relative WIS 1.65 carried on, 0.87 with log R halved each week, 0.77 held one week;
 * German influenza 2001-2008 ranked them the same way).
 */
#include <math.h>
#include <string.h>

#include "healthybay/rt.h"
#include "forecast/forecast_int.h"
#include "rt/rt_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

#define Q               HB_FORECAST_NQUANTILES
/* One-step errors used for the dispersion: two years of weeks, about 3 months of days. */
#define RECENT          104
/* Below a thousandth of a case of infectivity over the window (the far tail of the serial
 * interval) the window carries no information about R. */
#define MIN_INFECTIVITY 1e-3

typedef struct posterior {
    double a_prior, b_prior;
} posterior;

/* Cori posterior of the window [start, end] from the infectivity prefix sums. */
static void window_posterior(double *shape, double *scale, const double *y, const double *prefix,
                             size_t start, size_t end, const posterior *p)
{
    double cases = 0;
    for (size_t t = start; t <= end; t++)
        cases += y[t];
    *shape = p->a_prior + cases;
    *scale = 1 / (1 / p->b_prior + (prefix[end + 1] - prefix[start]));
}

/* NB size from the one-step errors of R-hat(window ending t-1) * Lambda_t; INFINITY when the
 * errors are no wider than Poisson. */
static double dispersion(const double *y, const double *prefix, size_t n, size_t w,
                         const posterior *p)
{
    double mu2 = 0, excess = 0;
    size_t from = n > RECENT ? n - RECENT : 0;
    if (from < w + 1)
        from = w + 1;
    for (size_t t = from; t < n; t++) {
        double shape, scale;
        window_posterior(&shape, &scale, y, prefix, t - w, t - 1, p);
        double mu = shape * scale * (prefix[t + 1] - prefix[t]);
        mu2 += mu * mu;
        excess += (y[t] - mu) * (y[t] - mu) - mu;
    }
    if (excess <= 0 || mu2 <= 0)
        return INFINITY;
    double size = mu2 / excess;
    return size > 1e-3 ? size : 1e-3;
}

/* Infectivity at the future periods n .. n+H-1 from the observed cases only (k >= h). */
static void observed_infectivity(double *lam, const double *y, const double *imported, size_t n,
                                 const double *si, size_t si_len, size_t horizon)
{
    for (size_t h = 1; h <= horizon; h++) {
        double s = 0;
        for (size_t k = h; k < si_len && k <= n + h - 1; k++) {
            size_t t = n + h - 1 - k;
            s += si[k] * (y[t] + (imported ? imported[t] : 0));
        }
        lam[h - 1] = s;
    }
}

static void simulate(double *samples, const double *lam_obs, double shape, double scale,
                     double size, const hb_forecast_options *opt, hb_rng *rng)
{
    size_t H = opt->horizon, ns = opt->nsamples, hold = opt->freq == 365 ? H : 1;
    double traj[HB_FORECAST_HORIZON_MAX];
    for (size_t j = 0; j < ns; j++) {
        double r = hb_rng_gamma(rng, shape, scale);
        for (size_t h = 1; h <= H; h++) {
            double lam = lam_obs[h - 1];
            for (size_t k = 1; k < h && k < opt->si_len; k++)
                lam += opt->si[k] * traj[h - 1 - k];
            traj[h - 1] = hb_rng_nbinom(rng, (h <= hold ? r : 1) * lam, size);
            samples[(h - 1) * ns + j] = traj[h - 1];
        }
    }
}

int hb_forecast__renewal(double *q, const double *y, const double *imported, size_t n,
                         const hb_forecast_options *opt, hb_rng *rng)
{
    if (!opt->si || opt->si_len < 2 || opt->si[0] != 0)
        return hb_error_set(HB_EINVAL, "renewal: needs a serial interval with si[0] = 0");
    size_t w = hb_forecast__rt_window(opt);
    if (n < w + 2)
        return hb_error_set(HB_ENODATA, "renewal: needs more than %zu periods, got %zu", w + 1, n);
    double *prefix = hb_mallocarray(n + 1, sizeof *prefix);
    double *samples = hb_mallocarray(opt->horizon * opt->nsamples, sizeof *samples);
    double lam_obs[HB_FORECAST_HORIZON_MAX];
    int rc = prefix && samples ? 0 : HB_ENOMEM;
    if (rc == 0) {
        hb_rt__infectivity_prefix(prefix, y, imported, n, opt->si, opt->si_len);
        const posterior p = { 1, 5 }; /* EpiEstim's prior: mean 5, sd 5 = shape 1, scale 5 */
        double shape, scale;
        window_posterior(&shape, &scale, y, prefix, n - w, n - 1, &p);
        if (prefix[n] - prefix[n - w] < MIN_INFECTIVITY) {
            rc = hb_error_set(HB_ENODATA,
                              "renewal: no cases within a serial interval of the "
                              "last %zu periods",
                              w);
        } else {
            double size = dispersion(y, prefix, n, w, &p);
            observed_infectivity(lam_obs, y, imported, n, opt->si, opt->si_len, opt->horizon);
            simulate(samples, lam_obs, shape, scale, size, opt, rng);
            for (size_t h = 0; h < opt->horizon; h++)
                hb_forecast__from_samples(q + h * Q, samples + h * opt->nsamples, opt->nsamples);
        }
    }
    hb_free(samples);
    hb_free(prefix);
    return rc;
}
