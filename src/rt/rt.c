/*
 * rt/rt.c — Cori et al.'s Rt estimator, a port of EpiEstim 2.2-4 (see healthybay/rt.h).
 *
 * How: the overall infectivity Lambda_t is computed once (O(length * si_len)), then its prefix
 * sums and those of the local cases give every window's posterior in O(1). The quantiles come
 * from R's own qgamma (libRmath), so results match EpiEstim to rounding.
 *
 * uncertain_si draws n1 serial intervals up front, keeps one infectivity prefix-sum row per
 * draw (n1 * (length + 1) doubles), then walks the windows, pooling n1 * n2 posterior draws of
 * each window in one reusable buffer.
 */
#include "healthybay/rt.h"

#include <assert.h>
#include <math.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "rt/rt_int.h"
#include "rt/stats.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

static const double quantile_levels[HB_RT_NQUANTILES] = HB_RT_QUANTILE_LEVELS;

void hb_rt_options_init(hb_rt_options *opt)
{
    opt->mean_prior = 5;
    opt->std_prior = 5;
}

void hb_rt_uncertain_si_init(hb_rt_uncertain_si *u)
{
    u->mean_si = u->std_mean_si = u->min_mean_si = u->max_mean_si = NAN;
    u->std_si = u->std_std_si = u->min_std_si = u->max_std_si = NAN;
    u->n1 = 500;
    u->n2 = 50;
}

static double gamma_cdf(double k, double shape, double scale)
{
    return pgamma(k, shape, scale, 1, 0);
}

int hb_rt_discr_si(double *out, size_t n, double mean_si, double std_si)
{
    if (!(isfinite(mean_si) && mean_si > 1))
        return hb_error_set(HB_EINVAL, "serial interval mean must be > 1 period, got %g", mean_si);
    if (!(isfinite(std_si) && std_si > 0))
        return hb_error_set(HB_EINVAL, "serial interval sd must be > 0, got %g", std_si);
    double a = ((mean_si - 1) / std_si) * ((mean_si - 1) / std_si);
    double b = std_si * std_si / (mean_si - 1);
    for (size_t i = 0; i < n; i++) {
        double k = (double)i;
        double res = k * gamma_cdf(k, a, b) + (k - 2) * gamma_cdf(k - 2, a, b) -
                     2 * (k - 1) * gamma_cdf(k - 1, a, b);
        res +=
            a * b *
            (2 * gamma_cdf(k - 1, a + 1, b) - gamma_cdf(k - 2, a + 1, b) - gamma_cdf(k, a + 1, b));
        out[i] = res > 0 ? res : 0;
    }
    return 0;
}

size_t hb_rt_window_count(size_t length, size_t width)
{
    return width >= 1 && length > width ? length - width : 0;
}

void hb_rt_sliding_windows(hb_rt_window *out, size_t length, size_t width)
{
    size_t n = hb_rt_window_count(length, width);
    for (size_t i = 0; i < n; i++) {
        out[i].t_start = i + 1;
        out[i].t_end = i + width;
    }
}

static int check_counts(const double *x, size_t length, const char *what)
{
    for (size_t t = 0; t < length; t++)
        if (!(isfinite(x[t]) && x[t] >= 0))
            return hb_error_set(HB_EINVAL,
                                "%s cases at period %zu: must be a finite count >= 0, "
                                "got %g",
                                what, t + 1, x[t]);
    return 0;
}

static int check_input(const double *local, const double *imported, size_t length,
                       const hb_rt_options *opt)
{
    if (!local)
        return hb_error_set(HB_EINVAL, "no case counts given");
    if (length < 2)
        return hb_error_set(HB_ENODATA, "Rt needs at least 2 periods of data, got %zu", length);
    if (!(isfinite(opt->mean_prior) && opt->mean_prior > 0 && isfinite(opt->std_prior) &&
          opt->std_prior > 0))
        return hb_error_set(HB_EINVAL, "prior mean and sd of R must be > 0, got %g and %g",
                            opt->mean_prior, opt->std_prior);
    int rc = check_counts(local, length, "local");
    if (rc == 0 && imported)
        rc = check_counts(imported, length, "imported");
    return rc;
}

static int check_windows(const hb_rt_window *w, size_t nwindows, size_t length)
{
    for (size_t i = 0; i < nwindows; i++)
        if (w[i].t_start < 1 || w[i].t_start > w[i].t_end || w[i].t_end >= length)
            return hb_error_set(HB_EINVAL,
                                "window %zu: periods %zu..%zu (0-based) must satisfy 1 <= start "
                                "<= end < %zu",
                                i + 1, w[i].t_start, w[i].t_end, length);
    return 0;
}

static int check_si(const double *si, size_t si_len)
{
    if (!si || si_len < 2)
        return hb_error_set(HB_EINVAL, "the serial interval needs at least 2 values (day 0 and 1)");
    if (si[0] != 0)
        return hb_error_set(HB_EINVAL,
                            "serial interval: the probability of interval 0 must be "
                            "0, got %g",
                            si[0]);
    double sum = 0;
    for (size_t k = 0; k < si_len; k++) {
        if (!(isfinite(si[k]) && si[k] >= 0))
            return hb_error_set(HB_EINVAL, "serial interval: value %zu must be >= 0, got %g", k,
                                si[k]);
        sum += si[k];
    }
    if (fabs(sum - 1) > 0.01)
        return hb_error_set(HB_EINVAL, "serial interval: probabilities must sum to 1, got %g", sum);
    return 0;
}

/* Mean of the serial interval as EpiEstim computes it: over the given values, not renormalised. */
static double si_mean(const double *si, size_t si_len)
{
    double m = 0;
    for (size_t k = 0; k < si_len; k++)
        m += (double)k * si[k];
    return m;
}

/* prefix[t + 1] = sum_{s <= t} Lambda_s, with Lambda_0 = 0 (EpiEstim's NA, never used). */
void hb_rt__infectivity_prefix(double *prefix, const double *local, const double *imported,
                               size_t length, const double *si, size_t si_len)
{
    while (si_len > 1 && si[si_len - 1] == 0)
        si_len--; /* exact zeros add nothing: discr_si's tail is exactly 0 */
    prefix[0] = 0;
    prefix[1] = 0;
    for (size_t t = 1; t < length; t++) {
        double lambda = 0;
        size_t kmax = t < si_len - 1 ? t : si_len - 1;
        for (size_t k = 1; k <= kmax; k++)
            lambda += si[k] * (local[t - k] + (imported ? imported[t - k] : 0));
        prefix[t + 1] = prefix[t] + lambda;
    }
}

/* Sum of the local cases of periods start..end (start >= 1: period 0 is always imported). */
static double local_sum(const double *local, size_t start, size_t end)
{
    double s = 0;
    for (size_t t = start; t <= end; t++)
        s += local[t];
    return s;
}

static void set_missing(hb_rt_window *w)
{
    w->mean = w->sd = NAN;
    for (int j = 0; j < HB_RT_NQUANTILES; j++)
        w->q[j] = NAN;
}

static void set_gamma(hb_rt_window *w, double shape, double scale)
{
    w->mean = shape * scale;
    w->sd = sqrt(shape) * scale;
    for (int j = 0; j < HB_RT_NQUANTILES; j++)
        w->q[j] = qgamma(quantile_levels[j], shape, scale, 1, 0);
}

int hb_rt_estimate(hb_rt_window *out, size_t nwindows, const double *local, const double *imported,
                   size_t length, const double *si, size_t si_len, const hb_rt_options *opt)
{
    hb_rt_options defaults;
    if (!opt) {
        hb_rt_options_init(&defaults);
        opt = &defaults;
    }
    int rc = check_input(local, imported, length, opt);
    if (rc == 0)
        rc = check_si(si, si_len);
    if (rc == 0)
        rc = check_windows(out, nwindows, length);
    if (rc < 0)
        return rc;
    double *prefix = hb_mallocarray(length + 1, sizeof *prefix);
    if (!prefix)
        return HB_ENOMEM;
    hb_rt__infectivity_prefix(prefix, local, imported, length, si, si_len);
    double a_prior = (opt->mean_prior / opt->std_prior) * (opt->mean_prior / opt->std_prior);
    double b_prior = opt->std_prior * opt->std_prior / opt->mean_prior;
    double mean_si = si_mean(si, si_len);
    for (size_t i = 0; i < nwindows; i++) {
        hb_rt_window *w = &out[i];
        if ((double)(w->t_end + 1) <= mean_si) {
            set_missing(w);
            continue;
        }
        double shape = a_prior + local_sum(local, w->t_start, w->t_end);
        double scale = 1 / (1 / b_prior + (prefix[w->t_end + 1] - prefix[w->t_start]));
        set_gamma(w, shape, scale);
    }
    hb_free(prefix);
    return 0;
}

/* A draw from Normal(mean, sd) truncated to [lo, hi] by rejection, as EpiEstim does. */
static double truncated_normal(hb_rng *rng, double mean, double sd, double lo, double hi)
{
    double x;
    do
        x = mean + sd * hb_rng_normal(rng);
    while (x < lo || x > hi);
    return x;
}

static int check_uncertain(const hb_rt_uncertain_si *u)
{
    if (u->n1 < 1 || u->n2 < 1)
        return hb_error_set(HB_EINVAL, "uncertain_si needs n1 >= 1 and n2 >= 1");
    size_t total;
    if (!hb_size_mul(&total, u->n1, u->n2) || total > HB_RT_SAMPLES_MAX)
        return hb_error_set(HB_ELIMIT, "uncertain_si: n1 * n2 = %zu * %zu is above the limit %d",
                            u->n1, u->n2, HB_RT_SAMPLES_MAX);
    const double m[4] = { u->mean_si, u->std_mean_si, u->min_mean_si, u->max_mean_si };
    const double s[4] = { u->std_si, u->std_std_si, u->min_std_si, u->max_std_si };
    for (int i = 0; i < 4; i++)
        if (!isfinite(m[i]) || !isfinite(s[i]))
            return hb_error_set(HB_EINVAL, "uncertain_si: every SI parameter must be given");
    if (!(u->min_mean_si >= 1 && u->min_mean_si <= u->mean_si && u->mean_si <= u->max_mean_si))
        return hb_error_set(HB_EINVAL,
                            "uncertain_si: need 1 <= min_mean_si <= mean_si <= "
                            "max_mean_si, got %g, %g, %g",
                            u->min_mean_si, u->mean_si, u->max_mean_si);
    if (!(u->min_std_si > 0 && u->min_std_si <= u->std_si && u->std_si <= u->max_std_si))
        return hb_error_set(HB_EINVAL,
                            "uncertain_si: need 0 < min_std_si <= std_si <= "
                            "max_std_si, got %g, %g, %g",
                            u->min_std_si, u->std_si, u->max_std_si);
    if (!(u->std_mean_si >= 0 && u->std_std_si >= 0))
        return hb_error_set(HB_EINVAL, "uncertain_si: std_mean_si and std_std_si must be >= 0");
    return 0;
}

/* Draw the n1 serial intervals: their means and one infectivity prefix row each. */
static int draw_serial_intervals(double *means, double *prefix, double *si, const double *local,
                                 const double *imported, size_t length, const hb_rt_uncertain_si *u,
                                 hb_rng *rng)
{
    for (size_t k = 0; k < u->n1; k++) {
        means[k] =
            truncated_normal(rng, u->mean_si, u->std_mean_si, u->min_mean_si, u->max_mean_si);
        double sd = truncated_normal(rng, u->std_si, u->std_std_si, u->min_std_si, u->max_std_si);
        int rc = hb_rt_discr_si(si, length, means[k], sd);
        if (rc < 0)
            return rc;
        hb_rt__infectivity_prefix(prefix + k * (length + 1), local, imported, length, si, length);
    }
    return 0;
}

static void pool_window(hb_rt_window *w, double *draws, const double *means, const double *prefix,
                        const double *local, size_t length, const hb_rt_uncertain_si *u,
                        double a_prior, double b_prior, hb_rng *rng)
{
    size_t n = 0;
    double shape = a_prior + local_sum(local, w->t_start, w->t_end);
    for (size_t k = 0; k < u->n1; k++) {
        if ((double)(w->t_end + 1) <= means[k])
            continue;
        const double *p = prefix + k * (length + 1);
        double scale = 1 / (1 / b_prior + (p[w->t_end + 1] - p[w->t_start]));
        for (size_t j = 0; j < u->n2; j++)
            draws[n++] = hb_rng_gamma(rng, shape, scale);
    }
    if (n == 0) {
        set_missing(w);
        return;
    }
    double sum = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        sum += draws[i];
    w->mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (draws[i] - w->mean) * (draws[i] - w->mean);
    w->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
    hb_rt__sort(draws, n);
    for (int j = 0; j < HB_RT_NQUANTILES; j++)
        w->q[j] = hb_rt__quantile7(draws, n, quantile_levels[j]);
}

int hb_rt_estimate_uncertain(hb_rt_window *out, size_t nwindows, const double *local,
                             const double *imported, size_t length, const hb_rt_uncertain_si *u,
                             const hb_rt_options *opt, hb_rng *rng)
{
    hb_rt_options defaults;
    if (!opt) {
        hb_rt_options_init(&defaults);
        opt = &defaults;
    }
    assert(u && rng);
    int rc = check_input(local, imported, length, opt);
    if (rc == 0)
        rc = check_uncertain(u);
    if (rc == 0)
        rc = check_windows(out, nwindows, length);
    if (rc < 0)
        return rc;
    size_t rows, cells;
    if (!hb_size_mul(&rows, u->n1, length + 1) || !hb_size_mul(&cells, u->n1, u->n2))
        return hb_error_set(HB_ELIMIT, "uncertain_si: too many draws for this series");
    double *prefix = hb_mallocarray(rows, sizeof *prefix);
    double *draws = hb_mallocarray(cells, sizeof *draws);
    double *means = hb_mallocarray(u->n1, sizeof *means);
    double *si = hb_mallocarray(length, sizeof *si);
    rc = prefix && draws && means && si ? 0 : HB_ENOMEM;
    if (rc == 0)
        rc = draw_serial_intervals(means, prefix, si, local, imported, length, u, rng);
    if (rc == 0) {
        double a_prior = (opt->mean_prior / opt->std_prior) * (opt->mean_prior / opt->std_prior);
        double b_prior = opt->std_prior * opt->std_prior / opt->mean_prior;
        for (size_t i = 0; i < nwindows; i++)
            pool_window(&out[i], draws, means, prefix, local, length, u, a_prior, b_prior, rng);
    }
    hb_free(si);
    hb_free(means);
    hb_free(draws);
    hb_free(prefix);
    return rc;
}
