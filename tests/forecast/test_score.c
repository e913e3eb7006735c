/* Tests for forecast/score.c: WIS against the interval form computed in R (tests/parity/wis.R). */
#include <math.h>
#include <stdio.h>

#include "harness.h"
#include "healthybay/forecast.h"
#include "healthybay/score.h"
#include "parity/fixture.h"

TEST(forecast__wis_matches_the_interval_form_in_r)
{
    static const double levels[HB_FORECAST_NQUANTILES] = HB_FORECAST_QUANTILE_LEVELS;
    fixture *f = fixture_load("wis/wis_cases.csv");
    CHECK_INT_EQ(f->nrows, 200);
    const double *y = fixture_col(f, "observed"), *want = fixture_col(f, "wis");
    const double *c50 = fixture_col(f, "cover50"), *c95 = fixture_col(f, "cover95");
    int outside = 0;
    for (size_t i = 0; i < f->nrows; i++) {
        double q[HB_FORECAST_NQUANTILES];
        for (size_t j = 0; j < HB_FORECAST_NQUANTILES; j++) {
            char name[16];
            snprintf(name, sizeof name, "q%g", levels[j]);
            q[j] = fixture_col(f, name)[i];
        }
        hb_score s;
        CHECK_OK(hb_score_quantiles(&s, q, levels, HB_FORECAST_NQUANTILES, y[i]));
        CHECK_NEAR_REL(s.wis, want[i], 1e-12);
        CHECK_INT_EQ(s.cover50, c50[i]);
        CHECK_INT_EQ(s.cover95, c95[i]);
        CHECK_NEAR_REL(s.abs_error, fabs(y[i] - q[11]), 1e-15);
        outside += !s.cover95;
    }
    CHECK(outside > 10); /* the fixture exercises the penalty terms, not just the widths */
    fixture_free(f);
}

/* Levels 0.025, 0.25, 0.5, 0.75, 0.975 (K = 2), quantiles 1..5, y = 7 above everything:
 * 1/2|7-3| = 2; alpha 0.5: 0.25 * ((4-2) + 4 (7-4)) = 3.5; alpha 0.05: 0.025 * (4 + 40 * 2) = 2.1;
 * WIS = (2 + 3.5 + 2.1) / 2.5 = 3.04. */
TEST(forecast__wis_by_hand)
{
    const double levels[] = { 0.025, 0.25, 0.5, 0.75, 0.975 }, q[] = { 1, 2, 3, 4, 5 };
    hb_score s;
    CHECK_OK(hb_score_quantiles(&s, q, levels, 5, 7));
    CHECK_NEAR_REL(s.wis, 3.04, 1e-12);
    CHECK(!s.cover50 && !s.cover95);
    CHECK_OK(hb_score_quantiles(&s, q, levels, 5, 3));
    CHECK(s.cover50 && s.cover95);
    CHECK_NEAR_REL(s.wis, (0.25 * 2 + 0.025 * 4) / 2.5, 1e-12);
}

TEST(forecast__score_rejects_bad_levels_and_values)
{
    const double q[] = { 1, 2, 3, 4, 5 };
    const double asym[] = { 0.025, 0.25, 0.5, 0.7, 0.975 };
    const double unsorted[] = { 0.25, 0.025, 0.5, 0.75, 0.975 };
    const double no95[] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
    const double levels[] = { 0.025, 0.25, 0.5, 0.75, 0.975 };
    hb_score s;
    CHECK_FAILS(hb_score_quantiles(&s, q, asym, 5, 1), HB_EINVAL, "symmetric");
    CHECK_FAILS(hb_score_quantiles(&s, q, unsorted, 5, 1), HB_EINVAL, "increase");
    CHECK_FAILS(hb_score_quantiles(&s, q, no95, 5, 1), HB_EINVAL, "0.025");
    CHECK_FAILS(hb_score_quantiles(&s, q, levels, 4, 1), HB_EINVAL, "odd");
    CHECK_FAILS(hb_score_quantiles(&s, q, levels, 5, NAN), HB_EINVAL, "observed");
    const double qnan[] = { 1, 2, NAN, 4, 5 };
    CHECK_FAILS(hb_score_quantiles(&s, qnan, levels, 5, 1), HB_EINVAL, "not finite");
}
