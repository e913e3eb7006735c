/*
 * surveil/glrnb.c — the GLR detector of surveillance::algo.glrnb (Höhle & Paul 2008) for a change
 * in the intercept of a Poisson or negative binomial count series.
 *
 * The in-control means mu0 come from a seasonal GLM fitted to the periods before the range
 * (seasonal.c). With alpha the negative binomial dispersion (0: Poisson; unknown: estimated by
 * glm.nb), the statistic at time n is
 *     GLR_n = max_k  sup_kappa  sum_{i=k..n} log f(x_i; mu0_i e^kappa) / f(x_i; mu0_i),
 * kappa >= 0 (dir "inc") or <= 0 ("dec"), k over the whole past (M = -1) or a window. The first
 * n with GLR_n >= c.ARL alarms, and the chart restarts after it, as R's loop does.
 *
 *   Poisson: kappa_ml = log(sum x / sum mu0) in closed form, k running backwards so the sums are
 *            updated in O(1) (R's C code glr / glr_window).
 *   NB:      kappa_ml by Newton-Raphson from the previous k's estimate, stopping at |step| <=
 *            1e-6, kappa <= -18 or 1000 steps (R's glr_nb_window); O(n) per step.
 *
 * ret = "value" returns GLR_n; ret = "cases" the smallest count at n that would have alarmed.
 * R finds it by counting up one case at a time; the statistic is monotone in x_n, so a doubling
 * then bisection search finds the same count. Like R's C code, the estimates use C99 fmax, which
 * turns a NaN (a Newton step that overflowed on a degenerate baseline) into 0 — Rmath's fmax2
 * would keep the NaN and lose the alarm R gives (parity glrnb_full, district 8115). For the
 * negative binomial, R's brute-force search in R code reports 1e99 when x_n is 0 or the count
 * needed exceeds xMax = 10000; we report the count (documented deviation).
 */
#include <math.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "surveil/surveil_int.h"
#include "util/error.h"

typedef struct chart {
    const double *x, *mu0;
    double *val;
    long len;
    int dir, m_tilde, big_m;
    double alpha, c_arl;
} chart;

/* ---- Poisson ------------------------------------------------------------------------------- */

static double pois_term(int dir, double sumx, double summu)
{
    double kappa = dir * fmax(0, dir * log(sumx / summu)); /* C99 fmax, as R's C code */
    return kappa * sumx + (1 - exp(kappa)) * summu;
}

/* R's glr (M = -1) or glr_window at n. */
static double pois_glr(const chart *c, long n)
{
    double sumx = 0, summu = 0, best = -1e99;
    long top = n, low = 0;
    if (c->big_m > 0) {
        for (long l = n - c->m_tilde + 1; l <= n; l++) {
            sumx += c->x[l];
            summu += c->mu0[l];
        }
        top = n - c->m_tilde;
        low = n - c->big_m > 0 ? n - c->big_m : 0;
    }
    for (long k = top; k >= low; k--) {
        sumx += c->x[k];
        summu += c->mu0[k];
        double v = pois_term(c->dir, sumx, summu);
        best = v > best ? v : best;
    }
    return best;
}

/* ---- negative binomial --------------------------------------------------------------------- */

static double nb_lnk(const chart *c, double kappa, long k, long n)
{
    double a = c->alpha, sum = 0;
    for (long i = k; i <= n; i++)
        sum += kappa * c->x[i] +
               (c->x[i] + 1 / a) * log((1 + a * c->mu0[i]) / (1 + a * c->mu0[i] * exp(kappa)));
    return sum;
}

/* One Newton-Raphson step for kappa on x[k..n]. */
static double nb_newton(const chart *c, double kappa, long k, long n)
{
    double a = c->alpha, ek = exp(kappa), score = 0, fisher = 0;
    for (long i = k; i <= n; i++) {
        double d = 1 + a * ek * c->mu0[i];
        score += (c->x[i] - ek * c->mu0[i]) / d;
        fisher += c->mu0[i] * (a * c->x[i] + 1) / (d * d);
    }
    return kappa + score / (ek * fisher);
}

static double nb_glr(const chart *c, long n)
{
    double best = -1e99, kappa_ml = 0.5;
    long low = c->big_m == -1 ? 0 : (n - c->big_m > 0 ? n - c->big_m : 0);
    long up = n - (c->m_tilde - 1);
    for (long k = low; k <= up; k++) {
        double old = 0.4, kappa = kappa_ml;
        for (int iter = 0; kappa > -18 && fabs(kappa - old) > 1e-6 && iter < 1000; iter++) {
            old = kappa;
            kappa = nb_newton(c, old, k, n);
        }
        kappa_ml = c->dir * fmax(0, c->dir * kappa); /* NaN -> 0, as C99 fmax */
        double v = nb_lnk(c, kappa_ml, k, n);
        best = v > best ? v : best;
    }
    return best;
}

/* ---- the chart ----------------------------------------------------------------------------- */

static double glr_at(const chart *c, long n)
{
    return c->alpha == 0 ? pois_glr(c, n) : nb_glr(c, n);
}

/* First position the chart evaluates (R's n0). */
static long first_n(const chart *c)
{
    if (c->alpha == 0 && c->big_m > 0)
        return c->m_tilde;
    return c->m_tilde - 1 > 0 ? c->m_tilde - 1 : 0;
}

/* Run the chart: val[0..N) filled; returns N (position of the first alarm + 1, or len + 1). */
static long run_chart(const chart *c)
{
    for (long n = 0; n < c->len; n++)
        c->val[n] = 0;
    for (long n = first_n(c); n < c->len; n++) {
        c->val[n] = glr_at(c, n);
        if (c->val[n] >= c->c_arl)
            return n + 1;
    }
    return c->len + 1;
}

/* Whether count v at n alarms (R's loop condition dir * glr >= dir * c.ARL). */
static bool alarms_with(chart *c, double *x, long n, double v)
{
    double keep = x[n];
    x[n] = v;
    bool a = c->dir * glr_at(c, n) >= c->dir * c->c_arl;
    x[n] = keep;
    return a;
}

/* The smallest count at n that alarms: R's count-up search, done by doubling and bisection. */
static double cases_at(chart *c, double *x, long n)
{
    if (n < first_n(c))
        return 0;
    if (alarms_with(c, x, n, 0))
        return 0;
    double lo = 0, hi = 1;
    while (!alarms_with(c, x, n, hi)) {
        lo = hi;
        hi *= 2;
        if (hi > 2147483647.0)
            return NAN;
    }
    while (hi - lo > 1) {
        double mid = floor((lo + hi) / 2);
        if (alarms_with(c, x, n, mid))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

int hb_surveil__glrnb(const hb_surveil_result *out, hb_surveil_work *work,
                      const hb_surveil_series *s, const hb_surveil_params *p, size_t from,
                      size_t to)
{
    if (from == 0)
        return hb_error_set(HB_ENODATA, "glrnb fits its baseline to the periods before the "
                                        "range; the range starts at the first period");
    double alpha;
    int rc =
        hb_surveil__seasonal_glm(work, s, from, to, p->mu0_s, p->mu0_trend, 0, p->alpha, &alpha);
    if (rc < 0)
        return rc;
    /* work->stat holds a copy of the counts the cases search may change. */
    long len = (long)(to - from);
    for (long i = 0; i < len; i++)
        work->stat[i] = s->counts[from + (size_t)i];
    size_t done = 0;
    while ((long)done < len) {
        chart c = { .x = work->stat + done,
                    .mu0 = work->mu0 + done,
                    .val = out->upperbound + done,
                    .len = len - (long)done,
                    .dir = p->dir_inc ? 1 : -1,
                    .m_tilde = p->m_tilde,
                    .big_m = p->big_m,
                    .alpha = alpha,
                    .c_arl = p->c_arl };
        long N = run_chart(&c), stop = N <= c.len ? N : c.len;
        for (long n = 0; n < stop; n++) {
            out->alarm[done + (size_t)n] = n == N - 1;
            out->expected[done + (size_t)n] = c.mu0[n];
            if (p->ret_cases)
                c.val[n] = cases_at(&c, work->stat + done, n);
            if (isnan(c.val[n]) || c.val[n] < 0)
                c.val[n] = 0; /* R: upperbound[is.na(.) | . < 0] <- 0 */
            if (out->pvalue)
                out->pvalue[done + (size_t)n] = NAN;
        }
        done += (size_t)stop;
    }
    return 0;
}
