/*
 * surveil/ears.c — EARS C1, C2 and C3 (CDC's Early Aberration Reporting System), as
 * surveillance::earsC computes them, plus the published C3.
 *
 * With B = baseline, z = qnorm(1 - alpha), and the reference values of time t
 *     C1: y[t-B] .. y[t-1]          C2, C3: y[t-B-2] .. y[t-3]   (a two-period guard band)
 * mean m_t and sample standard deviation s_t = max(sd, minSigma):
 *     C1, C2:  U_t = m_t + z s_t,  alarm when y_t > U_t.
 *     C2_t = (y_t - m_t) / s_t is the standardised count the C3 variants build on.
 *     R's C3:  U_t = max(0, y_t + s_t (z - max(0, C2_{t-2} - 1) - max(0, C2_{t-1} - 1))),
 *              alarm when y_t > U_t — which holds exactly when the two *lagged* terms exceed z,
 *              so a spike never alarms in its own period (anchors §1.2).
 *     Published C3 (Fricker et al. 2008): C3_t = sum_{i=0..2} max(0, C2_{t-i} - 1), alarm when
 *              C3_t > h (2). We report U_t = m_t + s_t (1 + h - L_t), L_t the two lagged terms,
 *              clamped at 0: the count above which the alarm sounds (when L_t > h, any count).
 *
 * NA follows IEEE arithmetic as R's does: a zero standard deviation (minSigma 0) makes C2 infinite
 * or NaN, and R's C3 bound NA. The published C3 instead counts y = m as no excess (0/0 -> 0).
 */
#include <math.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "surveil/surveil_int.h"

/* Mean and max(sd, minSigma) of y[t-hi] .. y[t-lo] (lags), as R's mean() and sd(). */
static void ref_stats(const double *y, size_t t, int lo, int hi, double min_sigma, double *mean,
                      double *sd)
{
    size_t n = (size_t)(hi - lo + 1);
    double sum = 0;
    for (int lag = hi; lag >= lo; lag--)
        sum += y[t - (size_t)lag];
    double m = sum / (double)n, ss = 0;
    for (int lag = hi; lag >= lo; lag--) {
        double d = y[t - (size_t)lag] - m;
        ss += d * d;
    }
    double s = sqrt(ss / (double)(n - 1));
    *mean = m;
    *sd = s > min_sigma ? s : (isnan(s) ? s : min_sigma);
}

/* C2_t as R computes it; the published C3 counts a count equal to the mean as no excess. */
static double c2_stat(const hb_surveil_series *s, const hb_surveil_params *p, size_t t, double *m,
                      double *sd)
{
    ref_stats(s->counts, t, 3, p->baseline + 2, p->min_sigma, m, sd);
    if (p->c3 == HB_SURVEIL_C3_PUBLISHED && s->counts[t] == *m)
        return 0;
    return (s->counts[t] - *m) / *sd;
}

static double excess(double c2)
{
    return fmax2(0, c2 - 1); /* R's pmax keeps NaN */
}

static void c3_point(const hb_surveil_result *out, size_t i, const hb_surveil_series *s,
                     const hb_surveil_params *p, size_t t, double z)
{
    double m, sd, m1, sd1, m2, sd2;
    double c2 = c2_stat(s, p, t, &m, &sd);
    double lag1 = excess(c2_stat(s, p, t - 1, &m1, &sd1));
    double lag2 = excess(c2_stat(s, p, t - 2, &m2, &sd2));
    double y = s->counts[t];
    out->expected[i] = m;
    if (p->c3 == HB_SURVEIL_C3_R) {
        double u = y + sd * (z - (lag2 + lag1));
        u = fmax2(0, u);
        out->upperbound[i] = u;
        out->alarm[i] = isnan(u) ? -1 : y > u;
        return;
    }
    double lagged = lag1 + lag2, c3 = excess(c2) + lagged;
    if (isnan(c3)) {
        out->upperbound[i] = NAN;
        out->alarm[i] = -1;
        return;
    }
    double u = sd > 0 ? m + sd * (1 + p->c3_threshold - lagged) : m;
    out->upperbound[i] = isnan(u) ? NAN : fmax2(0, u);
    out->alarm[i] = c3 > p->c3_threshold;
}

int hb_surveil__ears(const hb_surveil_result *out, const hb_surveil_series *s,
                     const hb_surveil_params *p, size_t from, size_t to)
{
    double z = qnorm(1 - p->alpha, 0, 1, 1, 0);
    int max_lag = p->method == HB_SURVEIL_EARS_C1   ? p->baseline
                  : p->method == HB_SURVEIL_EARS_C2 ? p->baseline + 2
                                                    : p->baseline + 4;
    for (size_t t = from; t < to; t++) {
        size_t i = t - from;
        if (t < (size_t)max_lag) {
            hb_surveil__set_na(out, i);
            continue;
        }
        if (out->pvalue)
            out->pvalue[i] = NAN;
        if (p->method == HB_SURVEIL_EARS_C3) {
            c3_point(out, i, s, p, t, z);
            continue;
        }
        double m, sd;
        if (p->method == HB_SURVEIL_EARS_C1)
            ref_stats(s->counts, t, 1, p->baseline, p->min_sigma, &m, &sd);
        else
            ref_stats(s->counts, t, 3, p->baseline + 2, p->min_sigma, &m, &sd);
        double u = m + z * sd;
        out->expected[i] = m;
        out->upperbound[i] = u;
        out->alarm[i] = isnan(u) ? -1 : s->counts[t] > u;
    }
    return 0;
}
