/*
 * forecast/score.c — the weighted interval score and interval coverage (see healthybay/score.h).
 *
 * WIS is computed in its quantile (pinball-loss) form; tests/parity/wis.R computes the interval
 * form in R on the same forecasts, and the tests check that both agree.
 */
#include "healthybay/score.h"

#include <math.h>

#include "util/error.h"

/* Index of level p in levels[nq] (exact match up to rounding of decimal literals), or nq. */
static size_t find_level(const double *levels, size_t nq, double p)
{
    for (size_t i = 0; i < nq; i++)
        if (fabs(levels[i] - p) < 1e-9)
            return i;
    return nq;
}

static int check_levels(const double *levels, size_t nq)
{
    if (nq < 5 || nq % 2 == 0)
        return hb_error_set(HB_EINVAL, "scoring needs an odd number (>= 5) of quantiles, got %zu",
                            nq);
    for (size_t i = 0; i < nq; i++)
        if (!(levels[i] > 0 && levels[i] < 1) || (i > 0 && levels[i] <= levels[i - 1]))
            return hb_error_set(HB_EINVAL, "quantile levels must increase inside (0, 1)");
    for (size_t i = 0; i < nq; i++) {
        if (fabs(levels[i] + levels[nq - 1 - i] - 1) > 1e-9)
            return hb_error_set(HB_EINVAL, "quantile levels must be symmetric around 0.5");
    }
    return 0;
}

int hb_score_quantiles(hb_score *out, const double *q, const double *levels, size_t nq,
                       double observed)
{
    int rc = check_levels(levels, nq);
    if (rc < 0)
        return rc;
    size_t i025 = find_level(levels, nq, 0.025), i25 = find_level(levels, nq, 0.25);
    size_t i75 = find_level(levels, nq, 0.75), i975 = find_level(levels, nq, 0.975);
    if (i025 == nq || i25 == nq || i75 == nq || i975 == nq)
        return hb_error_set(HB_EINVAL, "quantile levels must include 0.025, 0.25, 0.75, 0.975");
    if (!isfinite(observed))
        return hb_error_set(HB_EINVAL, "the observed value must be finite, got %g", observed);
    double loss = 0;
    for (size_t i = 0; i < nq; i++) {
        if (!isfinite(q[i]))
            return hb_error_set(HB_EINVAL, "quantile %g of the forecast is not finite", levels[i]);
        double diff = observed - q[i];
        loss += diff * (levels[i] - (diff < 0 ? 1.0 : 0.0));
    }
    out->wis = loss / ((double)(nq - 1) / 2 + 0.5);
    out->abs_error = fabs(observed - q[nq / 2]);
    out->cover50 = q[i25] <= observed && observed <= q[i75];
    out->cover95 = q[i025] <= observed && observed <= q[i975];
    return 0;
}
