/*
 * Tests for surveil/glm.c: the fitter against R's glm.fit and MASS::glm.nb on the problems of
 * tests/parity/glm.R, and its behaviour on degenerate input.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "parity/fixture.h"
#include "surveil/glm.h"

#define TOL 1e-9

typedef struct problem {
    size_t n;
    double y[600], weight[600], trend[600], x[3 * 600];
    uint32_t group[600];
} problem;

static void load_problem(problem *p, const char *name)
{
    fixture *t = fixture_load("glm/input.csv");
    const double *y = fixture_col(t, "y"), *w = fixture_col(t, "weight"),
                 *g = fixture_col(t, "group"), *tr = fixture_col(t, "trend"),
                 *c1 = fixture_col(t, "c1"), *c2 = fixture_col(t, "c2");
    memset(p, 0, sizeof *p);
    size_t n = 0, rows[600];
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(fixture_text(t, "problem", r), name) == 0) {
            CHECK(n < 600);
            rows[n++] = r;
        }
    CHECK(n > 0);
    p->n = n;
    /* Dense layout: intercept, c1, c2, each n long. */
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        p->y[i] = y[r];
        p->weight[i] = w[r];
        p->group[i] = (uint32_t)g[r] - 1;
        p->trend[i] = tr[r];
        p->x[i] = 1;
        p->x[n + i] = c1[r];
        p->x[2 * n + i] = c2[r];
    }
    fixture_free(t);
}

/* R's results, loaded once per test (each test is its own process). */
static fixture *results;

/* R's value of quantity[index] (1-based) for problem. */
static double expected(const char *name, const char *quantity, size_t index)
{
    if (!results)
        results = fixture_load("glm/expected.csv");
    const double *idx = fixture_col(results, "index"), *val = fixture_col(results, "value");
    for (size_t r = 0; r < results->nrows; r++)
        if ((size_t)idx[r] == index && strcmp(fixture_text(results, "problem", r), name) == 0 &&
            strcmp(fixture_text(results, "quantity", r), quantity) == 0)
            return val[r];
    hb_test_fail(__FILE__, __LINE__, "no %s[%zu] for %s in the fixture", quantity, index, name);
}

/* Fitted values, working weights, hat values and dispersion against R. */
static void check_common(const char *name, hb_glm *g, const problem *p)
{
    const hb_glm_result *r = hb_glm_last(g);
    CHECK(r->converged);
    CHECK_INT_EQ(r->iter, (int)expected(name, "iter", 1));
    double hat[600];
    hb_glm_hat(g, hat);
    for (size_t i = 0; i < p->n; i++) {
        CHECK_NEAR_REL(r->mu[i], expected(name, "mu", i + 1), TOL);
        CHECK_NEAR_REL(r->weights[i], expected(name, "weights", i + 1), TOL);
        CHECK_NEAR_REL(hat[i], expected(name, "hat", i + 1), 1e-8);
    }
    /* summary.glm fixes a Poisson family's dispersion at 1; our estimate is for the others. */
    if (strcmp(name, "harm") != 0)
        CHECK_NEAR_REL(hb_glm_dispersion(g, NULL), expected(name, "dispersion", 1), TOL);
}

TEST(glm__grouped_trend_weights_like_r)
{
    problem p;
    load_problem(&p, "flex10");
    hb_glm *g;
    CHECK_OK(hb_glm_new(&g, 600, 16));
    hb_glm_spec s = { .family = HB_GLM_QUASIPOISSON,
                      .n = p.n,
                      .y = p.y,
                      .weights = p.weight,
                      .group = p.group,
                      .ngroups = 10,
                      .trend = p.trend };
    CHECK_OK(hb_glm_fit(g, &s, NULL));
    check_common("flex10", g, &p);
    const double *c = hb_glm_last(g)->coef;
    /* R: (Intercept), wtime, seasgroups2..10 = a_k - a_1. */
    CHECK_NEAR_REL(c[0], expected("flex10", "coef", 1), TOL);
    CHECK_NEAR_REL(c[10], expected("flex10", "coef", 2), TOL);
    for (size_t k = 1; k < 10; k++)
        CHECK_NEAR_REL(c[k] - c[0], expected("flex10", "coef", k + 2), 1e-8);
    CHECK_NEAR_REL(hb_glm_coef_var(g, 0), expected("flex10", "coefvar", 1), TOL);
    CHECK_NEAR_REL(hb_glm_coef_var(g, 10), expected("flex10", "coefvar", 2), TOL);
    double eta0;
    hb_glm_row row = { .group = 9, .trend = 260 };
    double var = hb_glm_predict(g, &row, &eta0);
    CHECK_NEAR_REL(eta0, expected("flex10", "eta0", 1), TOL);
    CHECK_NEAR_REL(var, expected("flex10", "var0", 1), TOL);
    hb_glm_free(g);
    fixture_free(results);
    results = NULL;
}

TEST(glm__intercept_and_trend_like_r)
{
    problem p;
    load_problem(&p, "trend1");
    hb_glm *g;
    CHECK_OK(hb_glm_new(&g, 600, 4));
    hb_glm_spec s = { .family = HB_GLM_QUASIPOISSON, .n = p.n, .y = p.y, .trend = p.trend };
    CHECK_OK(hb_glm_fit(g, &s, NULL));
    check_common("trend1", g, &p);
    const double *c = hb_glm_last(g)->coef;
    CHECK_NEAR_REL(c[0], expected("trend1", "coef", 1), TOL);
    CHECK_NEAR_REL(c[1], expected("trend1", "coef", 2), TOL);
    CHECK_NEAR_REL(hb_glm_coef_var(g, 1), expected("trend1", "coefvar", 2), TOL);
    double eta0;
    hb_glm_row row = { .trend = 500 };
    CHECK_NEAR_REL(hb_glm_predict(g, &row, &eta0), expected("trend1", "var0", 1), TOL);
    CHECK_NEAR_REL(eta0, expected("trend1", "eta0", 1), TOL);
    hb_glm_free(g);
    fixture_free(results);
    results = NULL;
}

static void check_dense(const char *name, hb_glm_family family, double theta)
{
    problem p;
    load_problem(&p, name);
    hb_glm *g;
    CHECK_OK(hb_glm_new(&g, 600, 3));
    hb_glm_spec s = { .family = family, .theta = theta, .n = p.n, .y = p.y, .x = p.x, .p = 3 };
    double th = theta;
    if (family == HB_GLM_NEGBIN && theta == 0) {
        CHECK_OK(hb_glm_fit_nb(g, &s, &th, NULL));
        CHECK_NEAR_REL(th, expected(name, "theta", 1), 1e-8);
    } else {
        CHECK_OK(hb_glm_fit(g, &s, NULL));
    }
    check_common(name, g, &p);
    for (size_t j = 0; j < 3; j++) {
        CHECK_NEAR_REL(hb_glm_last(g)->coef[j], expected(name, "coef", j + 1), TOL);
        CHECK_NEAR_REL(hb_glm_coef_var(g, j), expected(name, "coefvar", j + 1), 1e-8);
    }
    double x0[3] = { expected("harm", "x0", 1), expected("harm", "x0", 2),
                     expected("harm", "x0", 3) };
    double eta0;
    hb_glm_row row = { .x = x0 };
    CHECK_NEAR_REL(hb_glm_predict(g, &row, &eta0), expected(name, "var0", 1), 1e-8);
    CHECK_NEAR_REL(eta0, expected(name, "eta0", 1), TOL);
    hb_glm_free(g);
    fixture_free(results);
    results = NULL;
}

TEST(glm__dense_poisson_like_r)
{
    check_dense("harm", HB_GLM_POISSON, 0);
}

TEST(glm__negbin_known_theta_like_r)
{
    check_dense("nbfix", HB_GLM_NEGBIN, 4);
}

TEST(glm__negbin_estimated_theta_like_glm_nb)
{
    check_dense("nbest", HB_GLM_NEGBIN, 0);
}

TEST(glm__aliased_column_gets_nan)
{
    /* The third column duplicates the second: dqrdc2 moves it to the end and declares it aliased,
     * and the fit equals the fit without it. */
    double y[6] = { 1, 3, 2, 5, 4, 7 }, x[18];
    for (size_t i = 0; i < 6; i++) {
        x[i] = 1;
        x[6 + i] = (double)i;
        x[12 + i] = 2.0 * (double)i;
    }
    hb_glm *g;
    CHECK_OK(hb_glm_new(&g, 6, 3));
    hb_glm_spec s = { .family = HB_GLM_POISSON, .n = 6, .y = y, .x = x, .p = 3 };
    CHECK_OK(hb_glm_fit(g, &s, NULL));
    const hb_glm_result *r = hb_glm_last(g);
    CHECK_INT_EQ(r->rank, 2);
    CHECK_INT_EQ(r->df_residual, 4);
    CHECK(isnan(r->coef[2]));
    double b1 = r->coef[1], mu0 = r->mu[0];
    s.p = 2;
    CHECK_OK(hb_glm_fit(g, &s, NULL));
    CHECK_NEAR_REL(hb_glm_last(g)->coef[1], b1, 1e-12);
    CHECK_NEAR_REL(hb_glm_last(g)->mu[0], mu0, 1e-12);
    hb_glm_free(g);
}

TEST(glm__all_zero_counts_converge_towards_zero)
{
    /* R: glm(rep(0, 10) ~ 1, quasipoisson) converges with fitted values near 0. */
    double y[10] = { 0 };
    hb_glm *g;
    CHECK_OK(hb_glm_new(&g, 10, 1));
    hb_glm_spec s = { .family = HB_GLM_QUASIPOISSON, .n = 10, .y = y };
    CHECK_OK(hb_glm_fit(g, &s, NULL));
    CHECK(hb_glm_last(g)->converged);
    CHECK(hb_glm_last(g)->mu[0] < 1e-8);
    hb_glm_free(g);
}

TEST(glm__rejects_bad_input)
{
    double y[3] = { 1, -1, 2 }, big[3] = { 1, 2, 3 };
    uint32_t grp[3] = { 0, 2, 0 };
    hb_glm *g;
    CHECK_OK(hb_glm_new(&g, 3, 2));
    hb_glm_spec s = { .family = HB_GLM_POISSON, .n = 3, .y = y };
    CHECK_FAILS(hb_glm_fit(g, &s, NULL), HB_EINVAL, "not a count");
    s.y = big;
    s.n = 4;
    CHECK_FAILS(hb_glm_fit(g, &s, NULL), HB_EINVAL, "exceed");
    s.n = 3;
    s.group = grp;
    s.ngroups = 2;
    CHECK_FAILS(hb_glm_fit(g, &s, NULL), HB_EINVAL, "out of range");
    grp[1] = 0;
    CHECK_FAILS(hb_glm_fit(g, &s, NULL), HB_EINVAL, "no observation");
    s.family = HB_GLM_NEGBIN;
    s.ngroups = 1;
    CHECK_FAILS(hb_glm_fit(g, &s, NULL), HB_EINVAL, "theta");
    hb_glm_free(g);
    hb_glm_free(NULL);
}
