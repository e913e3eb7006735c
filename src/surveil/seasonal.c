/*
 * surveil/seasonal.c — the seasonal baseline GLM that GLRNB (mu0) and CUSUM (m = "glm") learn from
 * the periods before the range, as surveillance's estimateGLRNbHook and algo.cusum write it:
 *
 *     y ~ 1 [+ t] + sum_{s=1..S} cos(2 s pi / freq t) + sin(2 s pi / freq t),  t = phase + 1..from
 *
 * Poisson (alpha = 0), negative binomial with theta = 1/alpha, or MASS::glm.nb (alpha unknown);
 * predictions at t = phase + from + 1 .. phase + to on the response scale.
 */
#include <float.h>
#include <math.h>

#include "surveil/surveil_int.h"
#include "util/error.h"
#include "util/limits.h"

/* Row of the design at time t into x (stride: n for the stored design, 1 for a new row). */
static size_t design_row(double *x, size_t stride, double t, int harmonics, bool trend, int freq)
{
    size_t j = 0;
    x[j++ * stride] = 1;
    if (trend)
        x[j++ * stride] = t;
    for (int s = 1; s <= harmonics; s++) {
        x[j++ * stride] = cos(2 * s * M_PI / freq * t);
        x[j++ * stride] = sin(2 * s * M_PI / freq * t);
    }
    return j;
}

int hb_surveil__seasonal_glm(hb_surveil_work *wk, const hb_surveil_series *s, size_t from,
                             size_t to, int harmonics, bool trend, double phase, double nb_alpha,
                             double *nb_alpha_out)
{
    size_t p = 0;
    for (size_t i = 0; i < from; i++)
        p = design_row(wk->design + i, from, phase + (double)i + 1, harmonics, trend, s->freq);
    hb_glm_spec spec = {
        .family = nb_alpha > 0 ? HB_GLM_NEGBIN : HB_GLM_POISSON,
        .theta = nb_alpha > 0 ? 1 / nb_alpha : 0,
        .n = from,
        .y = s->counts,
        .x = wk->design,
        .p = p,
    };
    int rc;
    if (isnan(nb_alpha)) {
        double theta;
        rc = hb_glm_fit_nb(wk->glm, &spec, &theta, NULL);
        *nb_alpha_out = 1 / theta;
    } else {
        rc = hb_glm_fit(wk->glm, &spec, NULL);
        *nb_alpha_out = nb_alpha;
    }
    if (rc < 0)
        return hb_error_prefix("baseline model on the %zu periods before the range: ", from);
    double x0[2 + 2 * HB_SURVEIL_HARMONICS_MAX];
    for (size_t t = from; t < to; t++) {
        design_row(x0, 1, phase + (double)t + 1, harmonics, trend, s->freq);
        hb_glm_row row = { .x = x0 };
        double eta0;
        hb_glm_predict(wk->glm, &row, &eta0);
        double mu = exp(eta0);
        wk->mu0[t - from] = mu > DBL_EPSILON ? mu : DBL_EPSILON;
    }
    return 0;
}
