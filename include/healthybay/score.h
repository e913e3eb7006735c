/*
 * healthybay/score.h — scoring quantile forecasts the way the CDC forecast hubs do.
 *
 * The weighted interval score (Bracher et al. 2021, PLoS Comput Biol 17:e1008618) of a forecast
 * given as K central prediction intervals plus the median is
 *
 *     WIS = 1/(K + 1/2) * ( 1/2 |y - median| + sum_k alpha_k/2 * IS_alpha_k(y) ),
 *     IS_alpha = (u - l) + 2/alpha (l - y) 1(y < l) + 2/alpha (y - u) 1(y > u).
 *
 * It equals the mean pinball loss sum_tau rho_tau(y - q_tau) / (K + 1/2) over the 2K+1 quantile
 * levels, which is how it is computed here (one pass, no pairing of levels). Lower is better; it
 * is in the unit of the data, so compare models only on the same targets. Coverage of the 50%
 * and 95% central intervals is reported beside it: a well-calibrated forecast covers 50% and 95%
 * of the observations.
 */
#ifndef HEALTHYBAY_SCORE_H
#define HEALTHYBAY_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "healthybay/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hb_score {
    double wis;       /* weighted interval score */
    double abs_error; /* |observed - median| */
    bool cover50;     /* q(0.25) <= observed <= q(0.75) */
    bool cover95;     /* q(0.025) <= observed <= q(0.975) */
} hb_score;

/*
 * Score one forecast: q[nq] are the quantiles at levels[nq] (strictly increasing in (0, 1),
 * symmetric around and including 0.5, so nq = 2K + 1; the 0.025/0.25/0.75/0.975 levels must be
 * present for the coverage flags). HB_EINVAL when the levels are not such a set or a value is
 * not finite.
 */
int hb_score_quantiles(hb_score *out, const double *q, const double *levels, size_t nq,
                       double observed);

#ifdef __cplusplus
}
#endif
#endif
