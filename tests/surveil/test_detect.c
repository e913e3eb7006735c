/*
 * Tests for the detection API (include/healthybay/surveil.h) beyond R parity: the published C3 by
 * hand, parameters by name, default ranges, and input that must give an error or NA — never a
 * crash: too short, all zeros, huge counts, bad series, a work too small.
 */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "healthybay/date.h"
#include "healthybay/surveil.h"

#define N 400

typedef struct run {
    hb_date dates[N];
    double counts[N], ex[N], up[N], pv[N];
    signed char al[N];
    hb_surveil_series s;
    hb_surveil_result r;
} run;

static void weekly(run *x, size_t n, const double *counts)
{
    for (size_t i = 0; i < n; i++) {
        x->dates[i] = hb_date_from_ymd(2010, 1, 4) + (hb_date)(7 * i);
        x->counts[i] = counts ? counts[i] : (double)((i * 7) % 5);
    }
    x->s = (hb_surveil_series){ n, x->dates, x->counts, NULL, 52 };
    x->r = (hb_surveil_result){ x->ex, x->up, x->al, x->pv };
}

static int detect(run *x, const hb_surveil_params *p, size_t from, size_t to)
{
    hb_surveil_work *w;
    CHECK_OK(hb_surveil_work_new(&w, N));
    int rc = hb_surveil_detect(&x->r, w, &x->s, p, from, to);
    hb_surveil_work_free(w);
    return rc;
}

TEST(detect__published_c3_alarms_in_the_spike_week)
{
    /* The anchors' example (c3check.R): a count of 50 in week 25. */
    double y[30] = { 0, 0, 2, 2, 1, 0, 1, 1, 2, 5,  1, 1, 0, 0, 1,
                     0, 3, 3, 3, 1, 3, 1, 1, 0, 50, 3, 0, 1, 1, 1 };
    static run x;
    weekly(&x, 30, y);
    hb_surveil_params p;
    hb_surveil_params_init(&p, HB_SURVEIL_EARS_C3);
    CHECK_INT_EQ(hb_surveil_default_from(&p, &x.s), 11);
    CHECK_OK(detect(&x, &p, 11, 30));
    /* Week 25 (index 24): C2 = (50 - mean)/sd over weeks 15..21 (indices 14..20). */
    double m = (1 + 0 + 3 + 3 + 3 + 1 + 3) / 7.0, ss = 0;
    for (int i = 14; i <= 20; i++)
        ss += (y[i] - m) * (y[i] - m);
    double sd = sqrt(ss / 6);
    CHECK_NEAR_REL(x.ex[24 - 11], m, 1e-12);
    CHECK(x.al[24 - 11] == 1);
    CHECK((50 - m) / sd - 1 > 2);
    /* R's C3 misses it that week and alarms the next. */
    p.c3 = HB_SURVEIL_C3_R;
    CHECK_OK(detect(&x, &p, 11, 30));
    CHECK(x.al[24 - 11] == 0);
    CHECK(x.al[25 - 11] == 1);
}

TEST(detect__params_by_name)
{
    hb_surveil_params p;
    hb_surveil_params_init(&p, HB_SURVEIL_FARRINGTON_FLEXIBLE);
    CHECK(p.alpha == 0.05 && p.b == 5 && p.w == 3 && p.weights_threshold == 2.58);
    CHECK_OK(hb_surveil_params_set(&p, "no-periods", "10"));
    CHECK_OK(hb_surveil_params_set(&p, "threshold-method", "nbPlugin"));
    CHECK_OK(hb_surveil_params_set(&p, "limit54", "3,2"));
    CHECK_OK(hb_surveil_params_set(&p, "reweight", "false"));
    CHECK_OK(hb_surveil_params_set(&p, "power-trans", "1/2"));
    CHECK(p.no_periods == 10 && p.threshold_method == HB_SURVEIL_THRESHOLD_NBPLUGIN);
    CHECK(p.limit54_cases == 3 && p.limit54_periods == 2 && !p.reweight);
    CHECK(p.powertrans == HB_SURVEIL_POWER_HALF);
    CHECK_FAILS(hb_surveil_params_set(&p, "no-periods", "ten"), HB_EINVAL, "not an integer");
    CHECK_FAILS(hb_surveil_params_set(&p, "threshold-method", "nb"), HB_EINVAL, "nbPlugin");
    CHECK_FAILS(hb_surveil_params_set(&p, "limit54", "5"), HB_EINVAL, "CASES,PERIODS");
    CHECK_FAILS(hb_surveil_params_set(&p, "baseline", "7"), HB_EINVAL, "no parameter");
    CHECK_FAILS(hb_surveil_params_set(&p, "nonsense", "1"), HB_EINVAL, "no detection parameter");
    CHECK_OK(hb_surveil_params_set(&p, "no-periods", "99"));
    CHECK_FAILS(hb_surveil_params_check(&p), HB_EINVAL, "noPeriods");
    hb_surveil_params_init(&p, HB_SURVEIL_GLRNB);
    CHECK(isnan(p.alpha) && !p.ret_cases && p.c_arl == 5);
    CHECK_OK(hb_surveil_params_set(&p, "alpha", "0"));
    CHECK_OK(hb_surveil_params_set(&p, "ret", "cases"));
    CHECK_OK(hb_surveil_params_set(&p, "M", "30"));
    CHECK(p.alpha == 0 && p.ret_cases && p.big_m == 30);
    CHECK_OK(hb_surveil_params_set(&p, "alpha", "estimate"));
    CHECK(isnan(p.alpha));
    hb_surveil_method m;
    CHECK_FAILS(hb_surveil_method_parse(&m, "farrington-flex"), HB_EINVAL, "farrington-flexible");
    bool flag;
    size_t flags = 0;
    for (size_t i = 0; hb_surveil_params_name(i, &flag); i++)
        flags += flag;
    CHECK_INT_EQ(flags, 5); /* reweight, trend, population-offset, act-y, mu0-trend */
}

TEST(detect__default_ranges_follow_r)
{
    static run x;
    weekly(&x, N, NULL);
    hb_surveil_params p;
    hb_surveil_params_init(&p, HB_SURVEIL_EARS_C1);
    CHECK_INT_EQ(hb_surveil_default_from(&p, &x.s), 7);
    hb_surveil_params_init(&p, HB_SURVEIL_EARS_C2);
    CHECK_INT_EQ(hb_surveil_default_from(&p, &x.s), 9);
    hb_surveil_params_init(&p, HB_SURVEIL_FARRINGTON_FLEXIBLE);
    CHECK_INT_EQ(hb_surveil_default_from(&p, &x.s), 52 * 5 + 3);
    hb_surveil_params_init(&p, HB_SURVEIL_FARRINGTON);
    CHECK_INT_EQ(hb_surveil_default_from(&p, &x.s), 52 * 5 - 3 - 1);
    hb_surveil_params_init(&p, HB_SURVEIL_BAYES);
    CHECK_INT_EQ(hb_surveil_default_from(&p, &x.s), 6);
    hb_surveil_params_init(&p, HB_SURVEIL_CUSUM);
    CHECK_INT_EQ(hb_surveil_default_from(&p, &x.s), 52);
}

TEST(detect__too_little_history_is_na)
{
    /* Farrington flexible needs 5 years: earlier points are NA, not an error. */
    static run x;
    weekly(&x, N, NULL);
    hb_surveil_params p;
    hb_surveil_params_init(&p, HB_SURVEIL_FARRINGTON_FLEXIBLE);
    CHECK_OK(detect(&x, &p, 100, 110));
    for (size_t i = 0; i < 10; i++)
        CHECK(isnan(x.up[i]) && isnan(x.ex[i]) && x.al[i] == -1);
    hb_surveil_params_init(&p, HB_SURVEIL_EARS_C1);
    CHECK_OK(detect(&x, &p, 0, 10));
    CHECK(x.al[0] == -1 && isnan(x.up[6]) && !isnan(x.up[7]));
    /* CUSUM and GLRNB learn from the periods before the range: none is an error. */
    hb_surveil_params_init(&p, HB_SURVEIL_CUSUM);
    CHECK_FAILS(detect(&x, &p, 0, 10), HB_ENODATA, "before the range");
    hb_surveil_params_init(&p, HB_SURVEIL_GLRNB);
    CHECK_FAILS(detect(&x, &p, 0, 10), HB_ENODATA, "before the range");
}

TEST(detect__all_zero_and_huge_counts)
{
    static run x;
    double zeros[N] = { 0 };
    weekly(&x, N, zeros);
    for (int m = HB_SURVEIL_EARS_C1; m <= HB_SURVEIL_BAYES; m++) {
        hb_surveil_params p;
        hb_surveil_params_init(&p, (hb_surveil_method)m);
        size_t from = hb_surveil_default_from(&p, &x.s);
        int rc = detect(&x, &p, from, N);
        /* glm.nb cannot estimate a dispersion from zeros (R stops too); the rest compute. */
        if (m == HB_SURVEIL_GLRNB) {
            CHECK_FAILS(rc, HB_ERROR, "dispersion");
            continue;
        }
        CHECK_OK(rc);
        for (size_t i = 0; i < N - from; i++)
            CHECK_MSG(x.al[i] != 1, "method %d alarms on zeros at %zu", m, i);
    }
    double huge[N];
    for (size_t i = 0; i < N; i++)
        huge[i] = 1e12 + (double)(i % 7) * 1e9;
    weekly(&x, N, huge);
    /* Counts of 10^12 (beyond any register, and past the count table): finite baselines and a
     * decided alarm at the last week for every method. */
    for (int m = HB_SURVEIL_EARS_C1; m <= HB_SURVEIL_BAYES; m++) {
        hb_surveil_params p;
        hb_surveil_params_init(&p, (hb_surveil_method)m);
        size_t from = hb_surveil_default_from(&p, &x.s), last = N - 1 - from;
        CHECK_OK(detect(&x, &p, from, N));
        CHECK_MSG(isfinite(x.ex[last]) && x.ex[last] > 1e11, "method %d: expected %g", m,
                  x.ex[last]);
        CHECK_MSG(x.al[last] == 0 || x.al[last] == 1, "method %d: alarm %d", m, x.al[last]);
    }
}

TEST(detect__bad_series_and_arguments)
{
    static run x;
    weekly(&x, 50, NULL);
    hb_surveil_params p;
    hb_surveil_params_init(&p, HB_SURVEIL_EARS_C1);
    x.counts[10] = -1;
    CHECK_FAILS(detect(&x, &p, 10, 50), HB_EINVAL, "count 11");
    x.counts[10] = NAN;
    CHECK_FAILS(detect(&x, &p, 10, 50), HB_EINVAL, "count 11");
    x.counts[10] = 1;
    x.dates[20] = x.dates[19];
    CHECK_FAILS(detect(&x, &p, 10, 50), HB_EINVAL, "dates must increase");
    weekly(&x, 50, NULL);
    CHECK_FAILS(detect(&x, &p, 30, 20), HB_EINVAL, "range");
    CHECK_FAILS(detect(&x, &p, 10, 51), HB_EINVAL, "range");
    x.s.freq = 7;
    CHECK_FAILS(detect(&x, &p, 10, 50), HB_EINVAL, "frequency");
    x.s.freq = 52;
    hb_surveil_params_init(&p, HB_SURVEIL_FARRINGTON_FLEXIBLE);
    p.population_offset = true;
    CHECK_FAILS(detect(&x, &p, 10, 50), HB_EINVAL, "population");
    /* A work made for shorter series. */
    hb_surveil_work *w;
    CHECK_OK(hb_surveil_work_new(&w, 10));
    hb_surveil_params_init(&p, HB_SURVEIL_EARS_C1);
    CHECK_FAILS(hb_surveil_detect(&x.r, w, &x.s, &p, 10, 50), HB_ELIMIT, "made for 10");
    hb_surveil_work_free(w);
    hb_surveil_work_free(NULL);
    CHECK_FAILS(hb_surveil_work_new(&w, 0), HB_ELIMIT, "out of range");
}
