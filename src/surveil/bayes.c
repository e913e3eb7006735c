/*
 * surveil/bayes.c — surveillance::algo.bayes (Riebler 2004).
 *
 * The reference values of time t are the w counts before t (actY) and, for each of the b previous
 * years, the 2w + 1 counts around t - i * freq (by index, as R does even for dated series). With
 * their sum S and number n, the posterior predictive of a Poisson count under Gamma(1/2, 0) is
 * negative binomial (size S + 1/2, prob n / (n + 1)); the bound is its 1 - alpha quantile and the
 * alarm is y_t > bound. expected is that distribution's mean, (S + 1/2) / n.
 */
#include <math.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "surveil/surveil_int.h"

/* Add y[lo..hi] (0-based, either direction as R's lo:hi) to *sum and *n. */
static void add_span(const double *y, long lo, long hi, double *sum, double *n)
{
    long a = lo < hi ? lo : hi, b = lo < hi ? hi : lo;
    for (long i = a; i <= b; i++) {
        *sum += y[i];
        *n += 1;
    }
}

int hb_surveil__bayes(const hb_surveil_result *out, const hb_surveil_series *s,
                      const hb_surveil_params *p, size_t from, size_t to)
{
    long w = p->w;
    for (size_t t = from; t < to; t++) {
        size_t i = t - from;
        long k = (long)t, back = (long)p->b * s->freq;
        if (k - back - w < 0) { /* R: "The vector of observed is too short!" */
            hb_surveil__set_na(out, i);
            continue;
        }
        double sum = 0, n = 0;
        if (p->act_y)
            add_span(s->counts, k - w, k - 1, &sum, &n);
        for (int yr = 1; yr <= p->b; yr++)
            add_span(s->counts, k - yr * (long)s->freq - w, k - yr * (long)s->freq + w, &sum, &n);
        double up = qnbinom(1 - p->alpha, sum + 0.5, n / (n + 1), 1, 0);
        out->upperbound[i] = up;
        out->alarm[i] = isnan(up) ? -1 : s->counts[t] > up;
        out->expected[i] = (sum + 0.5) / n;
        if (out->pvalue)
            out->pvalue[i] = NAN;
    }
    return 0;
}
