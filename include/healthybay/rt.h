/*
 * healthybay/rt.h — the time-varying reproduction number Rt (Cori et al. 2013, Am J Epidemiol
 * 178:1505), computed exactly as R's EpiEstim 2.2-4 estimate_R() does.
 *
 * Model. Cases I_t arise from earlier cases through the serial-interval distribution w
 * (w_0 = 0, w_k = probability that the interval is k periods):
 *
 *     E[local_t] = R_t * Lambda_t,   Lambda_t = sum_{k>=1} w_k (local_{t-k} + imported_{t-k})
 *
 * Imported cases infect others but were not infected locally, so they enter Lambda and never the
 * numerator. With R constant over a window [t_start, t_end] and a Gamma(shape a, scale b) prior
 * (a = (mean_prior/std_prior)^2, b = std_prior^2/mean_prior), the posterior is Gamma with
 *
 *     shape = a + sum_{window} local_t,   scale = 1 / (1/b + sum_{window} Lambda_t).
 *
 * Indices here are 0-based: period 0 is the first row of the series. EpiEstim's rule that all
 * cases of the first period are imported is kept (it does not change any estimate because a
 * window may not start at period 0, which has no infectivity). A window whose end (1-based) is
 * not beyond the mean of the serial interval gets no estimate (NAN), as in EpiEstim 2.2-4.
 *
 * All functions are pure and thread-safe; the caller owns every array.
 */
#ifndef HEALTHYBAY_RT_H
#define HEALTHYBAY_RT_H

#include <stddef.h>

#include "healthybay/common.h"
#include "healthybay/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The posterior quantiles reported, EpiEstim's: 0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975. */
#define HB_RT_NQUANTILES 7
#define HB_RT_QUANTILE_LEVELS                     \
    {                                             \
        0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975 \
    }

typedef struct hb_rt_options {
    double mean_prior; /* prior mean of R, > 0; default 5 (EpiEstim) */
    double std_prior;  /* prior standard deviation of R, > 0; default 5 */
} hb_rt_options;

/* The defaults above. */
void hb_rt_options_init(hb_rt_options *opt);

/* One estimate: the window is set by the caller (or hb_rt_sliding_windows), the rest by the
 * estimators. mean, sd and q are NAN when the window cannot be estimated. */
typedef struct hb_rt_window {
    size_t t_start; /* first period of the window, >= 1 */
    size_t t_end;   /* last period, t_start <= t_end < series length */
    double mean;
    double sd;
    double q[HB_RT_NQUANTILES];
} hb_rt_window;

/*
 * EpiEstim's discr_si(k, mean, sd) for k = 0 .. n-1: the serial interval is 1 + Gamma with the
 * given mean and sd, discretised by integrating against a triangular kernel (Cori 2013, web
 * appendix 11). out[0] is always 0. HB_EINVAL unless mean_si > 1 and std_si > 0 (finite).
 */
int hb_rt_discr_si(double *out, size_t n, double mean_si, double std_si);

/* Number of sliding windows of `width` periods in a series of `length`: windows start at periods
 * 1 .. length-width (EpiEstim's default t_start = 2:(T-width+1), 1-based), so length - width, or
 * 0 when the series is too short. */
size_t hb_rt_window_count(size_t length, size_t width);

/* Fill t_start/t_end of out[0 .. hb_rt_window_count(length, width)-1]; width >= 1. */
void hb_rt_sliding_windows(hb_rt_window *out, size_t length, size_t width);

/*
 * Estimate R over nwindows caller-set windows with a known serial interval (EpiEstim's
 * parametric_si when si comes from hb_rt_discr_si(si, length, …), non_parametric_si otherwise).
 *
 * local[length]: local cases per period; imported[length] or NULL (no imported cases). Counts
 * must be finite and >= 0. si[si_len]: si[0] must be 0, entries >= 0 and summing to 1 within
 * 0.01 (EpiEstim's check). opt may be NULL for the defaults.
 *
 * HB_EINVAL (message names the argument, index and value) on bad input or windows.
 */
int hb_rt_estimate(hb_rt_window *out, size_t nwindows, const double *local, const double *imported,
                   size_t length, const double *si, size_t si_len, const hb_rt_options *opt);

/*
 * EpiEstim's uncertain_si: n1 serial intervals are drawn, each with a mean from Normal(mean_si,
 * std_mean_si) truncated to [min_mean_si, max_mean_si] and an sd from Normal(std_si, std_std_si)
 * truncated to [min_std_si, max_std_si] (by rejection, as EpiEstim does), discretised with
 * hb_rt_discr_si; for each, n2 values of R are drawn from its posterior. The n1*n2 draws of a
 * window are pooled: mean, sd (n-1 denominator) and quantiles (R's type 7). As in EpiEstim, a
 * draw k contributes to a window only when t_end (1-based) exceeds its mean.
 */
typedef struct hb_rt_uncertain_si {
    double mean_si, std_mean_si, min_mean_si, max_mean_si;
    double std_si, std_std_si, min_std_si, max_std_si;
    size_t n1; /* serial intervals drawn; EpiEstim's default 500 */
    size_t n2; /* posterior draws per serial interval; default 50 */
} hb_rt_uncertain_si;

/* EpiEstim's defaults for n1 and n2; the SI parameters are set to NAN and must be given. */
void hb_rt_uncertain_si_init(hb_rt_uncertain_si *u);

/*
 * Estimate R with serial-interval uncertainty; rng is the caller's seeded generator (the only
 * state that changes). Allocates O(n1 * (length + n2)) doubles of scratch memory (HB_ENOMEM),
 * and refuses n1 * n2 above HB_RT_SAMPLES_MAX (HB_ELIMIT). HB_EINVAL on bad input, including a
 * truncation range that excludes the mean (rejection would never end).
 */
int hb_rt_estimate_uncertain(hb_rt_window *out, size_t nwindows, const double *local,
                             const double *imported, size_t length, const hb_rt_uncertain_si *u,
                             const hb_rt_options *opt, hb_rng *rng);

#ifdef __cplusplus
}
#endif
#endif
