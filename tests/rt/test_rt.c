/*
 * Tests for rt/rt.c: parity with R's EpiEstim 2.2-4 on its own datasets (fixtures written by
 * tests/parity/epiestim.R), hand-checked small cases, and invalid input.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parity/fixture.h"
#include "harness.h"
#include "healthybay/rt.h"

/* Relative agreement with an absolute floor for values that are zero up to rounding. */
static int close_to(double a, double b, double rel, double abs_floor)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + abs_floor;
}

TEST(rt__discr_si_matches_epiestim)
{
    fixture *f = fixture_load("epiestim/discr_si.csv");
    const double *k = fixture_col(f, "k"), *m = fixture_col(f, "mean");
    const double *s = fixture_col(f, "sd"), *v = fixture_col(f, "value");
    CHECK(f->nrows > 500);
    for (size_t i = 0; i < f->nrows; i++) {
        double out[64];
        size_t n = (size_t)k[i] + 1;
        CHECK_OK(hb_rt_discr_si(out, n, m[i], s[i]));
        CHECK_MSG(close_to(out[n - 1], v[i], 1e-9, 1e-15), "discr_si(%g, %g, %g): %.17g vs R %.17g",
                  k[i], m[i], s[i], out[n - 1], v[i]);
    }
    fixture_free(f);
}

TEST(rt__discr_si_rejects_bad_parameters)
{
    double out[4];
    CHECK_FAILS(hb_rt_discr_si(out, 4, 1.0, 1.0), HB_EINVAL, "mean must be > 1");
    CHECK_FAILS(hb_rt_discr_si(out, 4, 3.0, 0.0), HB_EINVAL, "sd must be > 0");
    CHECK_FAILS(hb_rt_discr_si(out, 4, NAN, 1.0), HB_EINVAL, NULL);
    CHECK_FAILS(hb_rt_discr_si(out, 4, 3.0, INFINITY), HB_EINVAL, NULL);
}

typedef struct series {
    size_t n;
    double *local, *imported;
} series;

static series load_series(const char *dataset)
{
    char path[256];
    snprintf(path, sizeof path, "epiestim/%s.csv", dataset);
    fixture *f = fixture_load(path);
    series s = { f->nrows, malloc(f->nrows * sizeof(double)), malloc(f->nrows * sizeof(double)) };
    memcpy(s.local, fixture_col(f, "local"), s.n * sizeof(double));
    memcpy(s.imported, fixture_col(f, "imported"), s.n * sizeof(double));
    fixture_free(f);
    return s;
}

static const char *const result_cols[] = { "mean",   "sd",  "q025", "q05", "q25",
                                           "median", "q75", "q95",  "q975" };

static void compare_windows(const hb_rt_window *w, size_t nw, const fixture *want, double rel,
                            const char *name)
{
    CHECK_INT_EQ(nw, want->nrows);
    for (size_t c = 0; c < 9; c++) {
        const double *col = fixture_col(want, result_cols[c]);
        for (size_t i = 0; i < nw; i++) {
            double got = c == 0 ? w[i].mean : c == 1 ? w[i].sd : w[i].q[c - 2];
            CHECK_INT_EQ(w[i].t_start + 1, fixture_col(want, "t_start")[i]);
            CHECK_INT_EQ(w[i].t_end + 1, fixture_col(want, "t_end")[i]);
            CHECK_MSG(close_to(got, col[i], rel, 0), "%s window %zu %s: %.15g vs EpiEstim %.15g",
                      name, i + 1, result_cols[c], got, col[i]);
        }
    }
}

/* Run every case of cases.csv on dataset; returns how many ran. */
static size_t parity(const char *dataset)
{
    fixture *cases = fixture_load("epiestim/cases.csv");
    size_t ran = 0;
    for (size_t i = 0; i < cases->nrows; i++) {
        if (strcmp(fixture_text(cases, "dataset", i), dataset) != 0)
            continue;
        const char *name = fixture_text(cases, "case", i);
        series s = load_series(dataset);
        size_t width = (size_t)fixture_col(cases, "window")[i];
        double *si;
        size_t si_len;
        if (strcmp(fixture_text(cases, "method", i), "parametric_si") == 0) {
            si_len = s.n;
            si = malloc(si_len * sizeof *si);
            CHECK_OK(hb_rt_discr_si(si, si_len, fixture_col(cases, "mean_si")[i],
                                    fixture_col(cases, "std_si")[i]));
        } else {
            char path[256];
            snprintf(path, sizeof path, "epiestim/%s_si.csv", dataset);
            fixture *sf = fixture_load(path);
            si_len = sf->nrows;
            si = malloc(si_len * sizeof *si);
            memcpy(si, fixture_col(sf, "probability"), si_len * sizeof *si);
            fixture_free(sf);
        }
        hb_rt_options opt = { fixture_col(cases, "mean_prior")[i],
                              fixture_col(cases, "std_prior")[i] };
        size_t nw = hb_rt_window_count(s.n, width);
        hb_rt_window *w = calloc(nw, sizeof *w);
        hb_rt_sliding_windows(w, s.n, width);
        CHECK_OK(hb_rt_estimate(w, nw, s.local, s.imported, s.n, si, si_len, &opt));
        char path[256];
        snprintf(path, sizeof path, "epiestim/%s.csv", name);
        fixture *want = fixture_load(path);
        compare_windows(w, nw, want, 1e-6, name);
        fixture_free(want);
        free(w);
        free(si);
        free(s.local);
        free(s.imported);
        ran++;
    }
    fixture_free(cases);
    return ran;
}

TEST(rt__parity_sars2003_hong_kong)
{
    CHECK_INT_EQ(parity("SARS2003"), 5);
}

TEST(rt__parity_flu2009)
{
    CHECK_INT_EQ(parity("Flu2009"), 2);
}

TEST(rt__parity_flu1918)
{
    CHECK_INT_EQ(parity("Flu1918"), 2);
}

TEST(rt__parity_measles1861)
{
    CHECK_INT_EQ(parity("Measles1861"), 2);
}

TEST(rt__parity_smallpox1972)
{
    CHECK_INT_EQ(parity("Smallpox1972"), 2);
}

TEST(rt__parity_mers_local_and_imported)
{
    CHECK_INT_EQ(parity("mers_2014_15"), 2);
}

/* Hand computation: si = (0, 1) makes Lambda_t = all cases of t-1; imported cases feed Lambda
 * only. Window {1, 2}: shape = 1 + (2 + 4) = 7, scale = 1 / (1/5 + (1 + 2)) = 1/3.2. */
TEST(rt__imported_cases_feed_infectivity_only)
{
    const double local[] = { 0, 2, 4 }, imported[] = { 1, 0, 3 }, si[] = { 0, 1 };
    hb_rt_window w = { .t_start = 1, .t_end = 2 };
    CHECK_OK(hb_rt_estimate(&w, 1, local, imported, 3, si, 2, NULL));
    CHECK_NEAR_REL(w.mean, 7 / 3.2, 1e-12);
    CHECK_NEAR_REL(w.sd, sqrt(7) / 3.2, 1e-12);
    CHECK(w.q[0] < w.q[3] && w.q[3] < w.q[6]);
    /* Imported cases in the window's own periods change nothing (imported[2] feeds period 3). */
    const double imported2[] = { 1, 0, 0 };
    hb_rt_window w2 = w;
    CHECK_OK(hb_rt_estimate(&w2, 1, local, imported2, 3, si, 2, NULL));
    CHECK_NEAR_REL(w2.mean, w.mean, 1e-15);
}

TEST(rt__short_windows_before_the_mean_si_are_missing)
{
    const double local[] = { 1, 1, 1, 1, 1, 1 }, si[] = { 0, 0, 0, 0, 1 }; /* mean SI 4 */
    hb_rt_window w[5];
    hb_rt_sliding_windows(w, 6, 1);
    CHECK_INT_EQ(hb_rt_window_count(6, 1), 5);
    CHECK_OK(hb_rt_estimate(w, 5, local, NULL, 6, si, 5, NULL));
    CHECK(isnan(w[0].mean) && isnan(w[2].q[3])); /* t_end (1-based) 2, 4 <= 4 */
    CHECK(!isnan(w[3].mean));                    /* t_end 5 > 4 */
    CHECK_INT_EQ(hb_rt_window_count(6, 6), 0);
    CHECK_INT_EQ(hb_rt_window_count(6, 0), 0);
}

TEST(rt__rejects_bad_input)
{
    double local[] = { 1, 2, 3, 4 }, si[] = { 0, 0.5, 0.5 };
    hb_rt_window w = { .t_start = 1, .t_end = 3 };
    CHECK_FAILS(hb_rt_estimate(&w, 1, local, NULL, 1, si, 3, NULL), HB_ENODATA, "at least 2");
    local[2] = -1;
    CHECK_FAILS(hb_rt_estimate(&w, 1, local, NULL, 4, si, 3, NULL), HB_EINVAL, "period 3");
    local[2] = NAN;
    CHECK_FAILS(hb_rt_estimate(&w, 1, local, NULL, 4, si, 3, NULL), HB_EINVAL, "local cases");
    local[2] = 3;
    double imported[] = { 0, INFINITY, 0, 0 };
    CHECK_FAILS(hb_rt_estimate(&w, 1, local, imported, 4, si, 3, NULL), HB_EINVAL, "imported");
    double si_bad[] = { 0.1, 0.9 };
    CHECK_FAILS(hb_rt_estimate(&w, 1, local, NULL, 4, si_bad, 2, NULL), HB_EINVAL, "interval 0");
    double si_sum[] = { 0, 0.5, 0.3 };
    CHECK_FAILS(hb_rt_estimate(&w, 1, local, NULL, 4, si_sum, 3, NULL), HB_EINVAL, "sum to 1");
    hb_rt_window bad[] = { { .t_start = 0, .t_end = 2 }, { .t_start = 2, .t_end = 4 } };
    CHECK_FAILS(hb_rt_estimate(&bad[0], 1, local, NULL, 4, si, 3, NULL), HB_EINVAL, "window 1");
    CHECK_FAILS(hb_rt_estimate(&bad[1], 1, local, NULL, 4, si, 3, NULL), HB_EINVAL, "window 1");
    hb_rt_options opt = { 5, 0 };
    CHECK_FAILS(hb_rt_estimate(&w, 1, local, NULL, 4, si, 3, &opt), HB_EINVAL, "prior");
}

/* uncertain_si against EpiEstim: both are Monte Carlo (2,000 x 200 draws in R, different RNGs),
 * so they agree statistically. With n1 = 2,000 serial intervals the Monte Carlo sd of a window's
 * mean is below 1% of it; 4% leaves room for both sides without hiding a wrong formula (a
 * mean SI off by 0.5 days moves SARS estimates by 10-20%). */
static void uncertain(const char *name, const char *dataset, size_t n1, size_t n2, double tol)
{
    char path[256];
    snprintf(path, sizeof path, "epiestim/%s_config.csv", name);
    fixture *c = fixture_load(path);
    hb_rt_uncertain_si u;
    hb_rt_uncertain_si_init(&u);
    u.mean_si = fixture_col(c, "mean_si")[0];
    u.std_mean_si = fixture_col(c, "std_mean_si")[0];
    u.min_mean_si = fixture_col(c, "min_mean_si")[0];
    u.max_mean_si = fixture_col(c, "max_mean_si")[0];
    u.std_si = fixture_col(c, "std_si")[0];
    u.std_std_si = fixture_col(c, "std_std_si")[0];
    u.min_std_si = fixture_col(c, "min_std_si")[0];
    u.max_std_si = fixture_col(c, "max_std_si")[0];
    u.n1 = n1;
    u.n2 = n2;
    fixture_free(c);
    series s = load_series(dataset);
    size_t nw = hb_rt_window_count(s.n, 7);
    hb_rt_window *w = calloc(nw, sizeof *w);
    hb_rt_sliding_windows(w, s.n, 7);
    hb_rng rng;
    hb_rng_seed(&rng, 42);
    CHECK_OK(hb_rt_estimate_uncertain(w, nw, s.local, s.imported, s.n, &u, NULL, &rng));
    snprintf(path, sizeof path, "epiestim/%s.csv", name);
    fixture *want = fixture_load(path);
    const double *mean = fixture_col(want, "mean"), *q025 = fixture_col(want, "q025");
    const double *q975 = fixture_col(want, "q975"), *med = fixture_col(want, "median");
    CHECK_INT_EQ(nw, want->nrows);
    for (size_t i = 0; i < nw; i++) {
        CHECK_MSG(close_to(w[i].mean, mean[i], tol, 0), "%s window %zu mean %g vs %g", name, i + 1,
                  w[i].mean, mean[i]);
        CHECK_MSG(close_to(w[i].q[3], med[i], tol, 0), "%s %zu median", name, i + 1);
        CHECK_MSG(close_to(w[i].q[0], q025[i], 2 * tol, 0), "%s %zu q025 %g vs %g", name, i + 1,
                  w[i].q[0], q025[i]);
        CHECK_MSG(close_to(w[i].q[6], q975[i], 2 * tol, 0), "%s %zu q975 %g vs %g", name, i + 1,
                  w[i].q[6], q975[i]);
    }
    fixture_free(want);
    free(w);
    free(s.local);
    free(s.imported);
}

TEST(rt__uncertain_si_agrees_with_epiestim_flu2009)
{
    uncertain("uncertain_flu2009", "Flu2009", 2000, 200, 0.04);
}

TEST(rt__uncertain_si_agrees_with_epiestim_sars2003)
{
    uncertain("uncertain_sars", "SARS2003", 2000, 20, 0.04);
}

TEST(rt__uncertain_si_is_reproducible_from_its_seed)
{
    double local[40];
    for (int t = 0; t < 40; t++)
        local[t] = floor(3 * exp(0.08 * t));
    hb_rt_uncertain_si u;
    hb_rt_uncertain_si_init(&u);
    u.mean_si = 4, u.std_mean_si = 1, u.min_mean_si = 2, u.max_mean_si = 6;
    u.std_si = 2, u.std_std_si = 0.5, u.min_std_si = 1, u.max_std_si = 3;
    u.n1 = 50, u.n2 = 20;
    hb_rt_window a[33], b[33], c[33];
    hb_rt_sliding_windows(a, 40, 7);
    memcpy(b, a, sizeof a);
    memcpy(c, a, sizeof a);
    hb_rng r1, r2, r3;
    hb_rng_seed(&r1, 7);
    hb_rng_seed(&r2, 7);
    hb_rng_seed(&r3, 8);
    CHECK_OK(hb_rt_estimate_uncertain(a, 33, local, NULL, 40, &u, NULL, &r1));
    CHECK_OK(hb_rt_estimate_uncertain(b, 33, local, NULL, 40, &u, NULL, &r2));
    CHECK_OK(hb_rt_estimate_uncertain(c, 33, local, NULL, 40, &u, NULL, &r3));
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(a[20].mean != c[20].mean);
    /* Growth of 8% per period with a mean SI near 4 means R a little above 1. */
    CHECK(a[30].mean > 1.1 && a[30].mean < 1.6);
    u.min_mean_si = 4.5; /* excludes the mean */
    CHECK_FAILS(hb_rt_estimate_uncertain(a, 33, local, NULL, 40, &u, NULL, &r1), HB_EINVAL,
                "min_mean_si");
    u.min_mean_si = 2;
    u.n1 = 100000, u.n2 = 1000;
    CHECK_FAILS(hb_rt_estimate_uncertain(a, 33, local, NULL, 40, &u, NULL, &r1), HB_ELIMIT, NULL);
}
