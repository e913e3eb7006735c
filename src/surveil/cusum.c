/*
 * surveil/cusum.c — the CUSUM of surveillance::algo.cusum (Rossi et al. 1999).
 *
 * The in-control mean m is the mean of every count before the range (R's m = NULL), a given value,
 * or a Poisson GLM with one harmonic fitted before the range (m = "glm"). Each count is
 * standardised (trans), and
 *     C_0 = 0,  C_t = max(0, C_{t-1} + z_t - k),  alarm when C_t >= h.
 * The upper bound is the count that would have brought C_t to h (for "standard":
 * ceiling(sqrt(m) (h + k - C_{t-1}) + m)); NA and negative bounds are reported as 0, as R does.
 * Like R, the statistic is not reset after an alarm: a long outbreak keeps alarming.
 */
#include <math.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "healthybay/date.h"
#include "surveil/surveil_int.h"
#include "util/error.h"

static double standardise(const hb_surveil_params *p, double x, double m)
{
    switch (p->trans) {
    case HB_SURVEIL_TRANS_ROSSI:
        return (x - 3 * m + 2 * sqrt(x * m)) / (2 * sqrt(m));
    case HB_SURVEIL_TRANS_ANSCOMBE:
        return 3.0 / 2.0 * (pow(x, 2.0 / 3.0) - pow(m, 2.0 / 3.0)) / pow(m, 1.0 / 6.0);
    case HB_SURVEIL_TRANS_ANSCOMBE2ND:
        return (pow(x, 2.0 / 3.0) - (pow(m, 2.0 / 3.0) - pow(m, -1.0 / 3.0) / 9)) /
               (2.0 / 3.0 * pow(m, 1.0 / 6.0));
    case HB_SURVEIL_TRANS_PEARSON_NEGBIN:
        return (x - m) / sqrt(m + p->alpha * m * m);
    case HB_SURVEIL_TRANS_NONE:
        return x;
    default:
        return (x - m) / sqrt(m);
    }
}

/* The bound from C_{t-1} (ctm1); "none" uses the current C_t. */
static double bound(const hb_surveil_params *p, double m, double ctm1, double ct)
{
    double h = p->h, k = p->k, r = h + k - ctm1, u;
    switch (p->trans) {
    case HB_SURVEIL_TRANS_ROSSI: {
        double m15 = pow(m, 3.0 / 2.0);
        u = 2 * h * sqrt(m) + 2 * k * sqrt(m) - 2 * ctm1 * sqrt(m) + 5 * m -
            2 * sqrt(4 * m * m + 2 * m15 * h + 2 * m15 * k - 2 * m15 * ctm1);
        break;
    }
    case HB_SURVEIL_TRANS_ANSCOMBE:
        u = 2.0 / 3.0 * pow(m, 1.0 / 6.0) * r + pow(m, 2.0 / 3.0);
        u = u < 0 ? 0 : pow(u, 3.0 / 2.0);
        break;
    case HB_SURVEIL_TRANS_ANSCOMBE2ND:
        u = 2.0 / 3.0 * pow(m, 1.0 / 6.0) * r + (pow(m, 2.0 / 3.0) - pow(m, 1.0 / 3.0) / 9);
        u = u < 0 ? 0 : pow(u, 3.0 / 2.0);
        break;
    case HB_SURVEIL_TRANS_PEARSON_NEGBIN:
        u = sqrt(m + p->alpha * m * m) * r + m;
        break;
    case HB_SURVEIL_TRANS_NONE:
        u = h - ct;
        break;
    default:
        u = ceil(sqrt(m) * r + m);
        break;
    }
    return isnan(u) || u < 0 ? 0 : u;
}

/* start[2] of an sts: the period's position in its year (ISO week, day of year, month). */
static double epoch_in_year(const hb_surveil_series *s)
{
    int y, m, d;
    hb_date_to_ymd(s->dates[0], &y, &m, &d);
    if (s->freq == 12)
        return m;
    if (s->freq == 365)
        return (double)(s->dates[0] - hb_date_from_ymd(y, 1, 1)) + 1;
    int iy, week;
    hb_date_iso_week(s->dates[0], &iy, &week);
    return week;
}

int hb_surveil__cusum(const hb_surveil_result *out, hb_surveil_work *work,
                      const hb_surveil_series *s, const hb_surveil_params *p, size_t from,
                      size_t to)
{
    if (from == 0)
        return hb_error_set(HB_ENODATA, "cusum learns its mean from the periods before the "
                                        "range; the range starts at the first period");
    double mean = 0;
    if (p->m_kind == HB_SURVEIL_M_MEAN) {
        for (size_t t = 0; t < from; t++)
            mean += s->counts[t];
        mean /= (double)from;
    } else if (p->m_kind == HB_SURVEIL_M_GLM) {
        double unused;
        int rc =
            hb_surveil__seasonal_glm(work, s, from, to, 1, false, epoch_in_year(s) - 1, 0, &unused);
        if (rc < 0)
            return rc;
    }
    double c = 0;
    for (size_t t = from; t < to; t++) {
        size_t i = t - from;
        double m = p->m_kind == HB_SURVEIL_M_GLM     ? work->mu0[i]
                   : p->m_kind == HB_SURVEIL_M_VALUE ? p->m
                                                     : mean;
        double ctm1 = c;
        c = fmax2(0, c + (standardise(p, s->counts[t], m) - p->k)); /* R's max keeps NaN */
        out->alarm[i] = isnan(c) ? -1 : c >= p->h;
        out->upperbound[i] = bound(p, m, ctm1, c);
        out->expected[i] = m;
        if (out->pvalue)
            out->pvalue[i] = NAN;
    }
    return 0;
}
