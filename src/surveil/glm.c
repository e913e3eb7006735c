/*
 * surveil/glm.c — IRLS for log-link GLMs, step for step as R's glm.fit (see glm.h): the
 * iteration, the families, MASS::glm.nb, and what is computed from a fit. Each step solves one
 * weighted least-squares problem: glm_qr.c for a dense design, glm_grouped.c for the grouped one
 * (with its fast path for the Poisson variance).
 */
#include "surveil/glm_int.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "util/alloc.h"
#include "util/error.h"

int hb_glm_new(hb_glm **out, size_t n_max, size_t p_max)
{
    *out = NULL;
    size_t np;
    if (n_max == 0 || p_max == 0 || n_max > UINT32_MAX || !hb_size_mul(&np, n_max, p_max))
        return hb_error_set(HB_ELIMIT, "GLM size %zu x %zu is out of range", n_max, p_max);
    hb_glm *g = hb_calloc(1, sizeof *g);
    if (!g)
        return HB_ENOMEM;
    g->n_max = n_max;
    g->p_max = p_max;
    double **per_n[] = { &g->eta,  &g->mu,        &g->wt,     &g->resid, &g->z,
                         &g->w,    &g->mu_prev,   &g->etabuf, &g->rhs,   &g->ones,
                         &g->eoff, &g->ylogy_buf, &g->etab,   &g->etab2 };
    double **per_p[] = { &g->coef,     &g->coefold, &g->start, &g->coef_out, &g->scratch,
                         &g->prevcoef, &g->qraux,   &g->sw,    &g->swt,      &g->swtt,
                         &g->swz,      &g->swtz,    &g->tbar,  &g->aexp,     &g->aexp2,
                         &g->y0,       &g->y1,      &g->w0,    &g->w1,       &g->w2,
                         &g->tlo,      &g->thi,     &g->s0,    &g->s1,       &g->s2 };
    bool ok = true;
    /* n_max + 4: the power tables span n_max + 1 integer trend values, written 4 at a time. */
    for (size_t i = 0; i < sizeof per_n / sizeof per_n[0]; i++)
        ok = ok && (*per_n[i] = hb_mallocarray(n_max + 4, sizeof(double))) != NULL;
    for (size_t i = 0; i < sizeof per_p / sizeof per_p[0]; i++)
        ok = ok && (*per_p[i] = hb_mallocarray(p_max, sizeof(double))) != NULL;
    ok = ok && (g->zeros = hb_calloc(n_max, sizeof(double))) != NULL;
    ok = ok && (g->zeros_u = hb_calloc(n_max, sizeof(uint32_t))) != NULL;
    uint32_t **per_n_u[] = { &g->tix, &g->run_end, &g->run_grp };
    for (size_t i = 0; i < sizeof per_n_u / sizeof per_n_u[0]; i++)
        ok = ok && (*per_n_u[i] = hb_mallocarray(n_max, sizeof(uint32_t))) != NULL;
    ok = ok && (g->norms = hb_mallocarray(p_max, 2 * sizeof(double))) != NULL;
    ok = ok && (g->pivot = hb_mallocarray(p_max, sizeof(size_t))) != NULL;
    ok = ok && (g->qr = hb_mallocarray(np, sizeof(double))) != NULL;
    for (size_t i = 0; ok && i < n_max; i++)
        g->ones[i] = 1;
    if (!ok) {
        hb_glm_free(g);
        return HB_ENOMEM;
    }
    *out = g;
    return 0;
}

void hb_glm_free(hb_glm *g)
{
    if (!g)
        return;
    double *bufs[] = { g->eta,     g->mu,       g->wt,    g->resid,   g->z,     g->w,
                       g->mu_prev, g->etabuf,   g->rhs,   g->ones,    g->eoff,  g->ylogy_buf,
                       g->etab,    g->etab2,    g->coef,  g->coefold, g->start, g->coef_out,
                       g->scratch, g->prevcoef, g->qraux, g->sw,      g->swt,   g->swtt,
                       g->swz,     g->swtz,     g->tbar,  g->aexp,    g->aexp2, g->y0,
                       g->y1,      g->w0,       g->w1,    g->w2,      g->tlo,   g->thi,
                       g->s0,      g->s1,       g->s2,    g->zeros,   g->norms, g->qr };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        hb_free(bufs[i]);
    hb_free(g->zeros_u);
    hb_free(g->tix);
    hb_free(g->run_end);
    hb_free(g->run_grp);
    hb_free(g->pivot);
    hb_free(g);
}

/* ---- the family ---------------------------------------------------------------------------- */

double hb_glm__linkinv(double eta)
{
    double mu = exp(eta);
    return mu > DBL_EPSILON ? mu : DBL_EPSILON;
}

static double variance(const hb_glm_spec *s, double mu)
{
    return s->family == HB_GLM_NEGBIN ? mu + mu * mu / s->theta : mu;
}

static double mustart(const hb_glm_spec *s, double y)
{
    if (s->family == HB_GLM_NEGBIN)
        return y + (y == 0 ? 1.0 / 6.0 : 0.0);
    return y + 0.1;
}

/* R's dev.resids for one observation. */
static double dev_resid(const hb_glm_spec *s, double y, double mu, double wt)
{
    if (s->family == HB_GLM_NEGBIN) {
        double th = s->theta;
        return 2 * wt * (y * log((y > 1 ? y : 1) / mu) - (y + th) * log((y + th) / (mu + th)));
    }
    if (y > 0)
        return 2 * wt * (y * log(y / mu) - (y - mu));
    return 2 * mu * wt;
}

static bool validmu(const hb_glm_spec *s, double mu)
{
    return s->family == HB_GLM_NEGBIN ? mu > 0 : isfinite(mu) && mu > 0;
}

static double prior(const hb_glm_spec *s, size_t i)
{
    return s->weights ? s->weights[i] : 1.0;
}

static double offset(const hb_glm_spec *s, size_t i)
{
    return s->offset ? s->offset[i] : 0.0;
}

static double deviance(const hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    double dev = 0;
    for (size_t i = 0; i < s->n; i++)
        dev += dev_resid(s, s->y[i], g->mu[i], prior(s, i));
    return dev;
}

static bool all_validmu(const hb_glm *g)
{
    for (size_t i = 0; i < g->spec.n; i++)
        if (!validmu(&g->spec, g->mu[i]))
            return false;
    return true;
}

static uint32_t group_of(const hb_glm_spec *s, size_t i)
{
    return s->group ? s->group[i] : 0;
}

/* ---- the iteration ------------------------------------------------------------------------- */

static size_t ncoef(const hb_glm_spec *s)
{
    return s->x ? s->p : s->ngroups + (s->trend != NULL);
}

/* eta and mu from the coefficients in start[]. */
static void linear_predictor(hb_glm *g, const double *beta)
{
    const hb_glm_spec *s = &g->spec;
    for (size_t i = 0; i < s->n; i++) {
        double e = offset(s, i);
        if (s->x) {
            for (size_t j = 0; j < s->p; j++)
                e += s->x[j * s->n + i] * beta[j];
        } else {
            e += beta[group_of(s, i)];
            if (s->trend)
                e += beta[s->ngroups] * s->trend[i];
        }
        g->eta[i] = e;
        g->mu[i] = hb_glm__linkinv(e);
    }
}

/* One IRLS step; HB_ERROR where R's Cdqrls stops on non-finite data ("NA/NaN/Inf in 'x'"). */
static int solve_step(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    for (size_t i = 0; i < s->n; i++) {
        double mu = g->mu[i], mu_eta = mu; /* log link: dmu/deta = hb_glm__linkinv(eta) */
        g->z[i] = (g->eta[i] - offset(s, i)) + (s->y[i] - mu) / mu_eta;
        g->wt[i] = prior(s, i) > 0 ? prior(s, i) * mu_eta * mu_eta / variance(s, mu) : 0.0;
        g->w[i] = sqrt(g->wt[i]);
        if (prior(s, i) > 0 && !(isfinite(g->w[i]) && isfinite(g->z[i] * g->w[i])))
            return hb_error_set(HB_ERROR,
                                "GLM: weighted least squares data not finite "
                                "(observation %zu)",
                                i + 1);
    }
    if (s->x)
        hb_glm__qr_step(g);
    else
        hb_glm__grouped_step(g);
    return 0;
}

/* Halve the step towards the previous coefficients (glm.fit's inner loops 1 and 2). */
static void halve(hb_glm *g, size_t nc)
{
    for (size_t j = 0; j < nc; j++)
        g->coef[j] = (g->coef[j] + g->coefold[j]) / 2;
    linear_predictor(g, g->coef);
}

/* After a step: halve while the deviance is not finite, then while a fitted value is invalid. */
static int correct_step(hb_glm *g, size_t nc, bool have_old, double *dev, bool mu_checked)
{
    if (!isfinite(*dev)) {
        if (!have_old)
            return hb_error_set(HB_ERROR, "GLM: no valid set of coefficients has been found");
        for (int ii = 1; !isfinite(*dev); ii++) {
            if (ii > g->spec.maxit)
                return hb_error_set(HB_ERROR, "GLM: cannot correct step size (deviance)");
            halve(g, nc);
            *dev = deviance(g);
        }
    }
    if (!mu_checked && !all_validmu(g)) {
        if (!have_old)
            return hb_error_set(HB_ERROR, "GLM: no valid set of coefficients has been found");
        for (int ii = 1; !all_validmu(g); ii++) {
            if (ii > g->spec.maxit)
                return hb_error_set(HB_ERROR, "GLM: cannot correct step size (fitted values)");
            halve(g, nc);
        }
        *dev = deviance(g);
    }
    return 0;
}

static int check_size(const hb_glm *g, const hb_glm_spec *s)
{
    if (s->n == 0 || s->n > g->n_max || ncoef(s) == 0 || ncoef(s) > g->p_max)
        return hb_error_set(HB_EINVAL,
                            "GLM: %zu observations and %zu coefficients exceed %zu x %zu", s->n,
                            ncoef(s), g->n_max, g->p_max);
    if (s->family == HB_GLM_NEGBIN && !(s->theta > 0 && isfinite(s->theta)))
        return hb_error_set(HB_EINVAL, "GLM: theta must be positive, got %g", s->theta);
    return 0;
}

/* The general path's checks (the fast path makes them in hb_glm__fast_setup). */
static int validate(hb_glm *g, const hb_glm_spec *s)
{
    g->n_good = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!(s->y[i] >= 0) || !isfinite(s->y[i]))
            return hb_error_set(HB_EINVAL, "GLM: response %zu is %g, not a count", i, s->y[i]);
        if (!(prior(s, i) >= 0) || !isfinite(prior(s, i)))
            return hb_error_set(HB_EINVAL, "GLM: weight %zu is %g", i, prior(s, i));
        if (!s->x && group_of(s, i) >= s->ngroups)
            return hb_error_set(HB_EINVAL, "GLM: group %u of observation %zu out of range",
                                (unsigned)group_of(s, i), i);
        g->n_good += prior(s, i) > 0;
    }
    return 0;
}

/* glm.fit's start: eta = log(mustart) (or etastart) and mu = linkinv(eta). */
static void start_values(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    if (s->etastart && s->start_mu) {
        if (g->fast)
            return; /* the fast path reads them where they are */
        memcpy(g->eta, s->etastart, s->n * sizeof(double));
        memcpy(g->mu, s->start_mu, s->n * sizeof(double));
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        g->eta[i] = s->etastart ? s->etastart[i] : log(mustart(s, s->y[i]));
        g->mu[i] = hb_glm__linkinv(g->eta[i]);
    }
}

static int check_groups(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    if (s->x)
        return 0;
    for (size_t k = 0; k < s->ngroups; k++)
        g->sw[k] = 0;
    for (size_t i = 0; i < s->n; i++)
        if (prior(s, i) > 0)
            g->sw[group_of(s, i)] = 1;
    for (size_t k = 0; k < s->ngroups; k++)
        if (g->sw[k] == 0)
            return hb_error_set(HB_EINVAL, "GLM: group %zu has no observation", k);
    return 0;
}

/* One IRLS step from the current state: the moment sums when they hold (moments), else the
 * per-observation arrays. */
static int take_step(hb_glm *g, bool moments)
{
    if (moments)
        return hb_glm__moment_step(g, g->coef);
    if (g->fast && g->first_sums) {
        g->first_sums = false;
        return hb_glm__fast_first_step(g);
    }
    return g->fast ? hb_glm__fast_step(g) : solve_step(g);
}

/* eta, mu and the deviance after a step; *moments says whether they are held as sums only. */
static double evaluate(hb_glm *g, bool *moments, bool *valid)
{
    *valid = false;
    if (g->fast && hb_glm__moment_sums(g, g->coef)) {
        *moments = *valid = true;
        return hb_glm__moment_dev(g, g->coef);
    }
    *moments = false;
    if (g->fast) {
        double dev = hb_glm__fast_predict(g, g->coef, valid);
        return *valid ? dev : NAN; /* correct_step halves the step on the general path */
    }
    linear_predictor(g, g->coef);
    return deviance(g);
}

static int irls(hb_glm *g, double *devp, bool *conv, int *iterp)
{
    const hb_glm_spec *s = &g->spec;
    size_t nc = ncoef(s);
    double devold = g->fast ? g->dev0 : deviance(g), dev = devold;
    bool have_old = false, moments = false, stepped_on_moments = false;
    *conv = false;
    int iter;
    for (iter = 1; iter <= s->maxit; iter++) {
        if (moments)
            memcpy(g->prevcoef, g->coef, nc * sizeof(double));
        stepped_on_moments = moments;
        int rc = take_step(g, moments);
        if (rc < 0)
            return rc;
        bool finite = true, valid;
        for (size_t j = 0; j < nc; j++)
            finite = finite && isfinite(g->start[j]);
        if (!finite && iter == 1) /* glm.fit has no coefficients to fall back on */
            return hb_error_set(HB_ERROR, "GLM: non-finite coefficients at the first step");
        if (!finite) {
            if (moments) /* glm.fit keeps the last good coefficients and their weights */
                hb_glm__moment_finish(g, g->coef, g->coef);
            moments = false;
            break;
        }
        memcpy(g->coef, g->start, nc * sizeof(double));
        dev = evaluate(g, &moments, &valid);
        rc = correct_step(g, nc, have_old, &dev, valid);
        if (rc < 0)
            return rc;
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < s->epsilon) {
            *conv = true;
            break;
        }
        devold = dev;
        memcpy(g->coefold, g->coef, nc * sizeof(double));
        have_old = true;
    }
    if (g->fast && iter == 1) /* the one step was made from the start values in setup */
        hb_glm__fast_first_weights(g);
    if (moments) /* the fitted values are still held as moments only */
        hb_glm__moment_finish(g, g->coef, stepped_on_moments ? g->prevcoef : NULL);
    else
        for (size_t i = 0; i < s->n; i++)
            g->resid[i] = (s->y[i] - g->mu[i]) / g->mu[i];
    *devp = dev;
    *iterp = iter > s->maxit ? s->maxit : iter;
    return 0;
}

/* The coefficients as the caller sees them: aliased ones NAN. */
static void report_coefficients(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    size_t nc = ncoef(s);
    memcpy(g->coef_out, g->coef, nc * sizeof(double));
    if (s->x) {
        for (size_t j = g->rank; j < s->p; j++)
            g->coef_out[g->pivot[j]] = NAN;
    } else if (s->trend && g->slope_aliased) {
        g->coef_out[s->ngroups] = NAN;
    }
}

int hb_glm_fit(hb_glm *g, const hb_glm_spec *spec, hb_glm_result *result)
{
    g->spec = *spec;
    hb_glm_spec *s = &g->spec;
    s->maxit = s->maxit > 0 ? s->maxit : HB_GLM_MAXIT;
    s->epsilon = s->epsilon > 0 ? s->epsilon : HB_GLM_EPSILON;
    s->ngroups = s->x ? 0 : (s->ngroups ? s->ngroups : 1);
    g->fast = !s->x && s->family != HB_GLM_NEGBIN;
    int rc = check_size(g, s);
    if (rc == 0 && !g->fast)
        rc = validate(g, s);
    if (rc == 0 && !g->fast)
        rc = check_groups(g);
    if (rc < 0)
        return rc;
    start_values(g);
    if (g->fast && (rc = hb_glm__fast_setup(g)) < 0)
        return rc;
    if (!g->fast && !all_validmu(g))
        return hb_error_set(HB_ERROR, "GLM: cannot find valid starting values");
    if (g->n_good == 0)
        return hb_error_set(HB_EINVAL, "GLM: no observation has a positive weight");
    double dev = NAN;
    bool conv = false;
    int iter = 0;
    if ((rc = irls(g, &dev, &conv, &iter)) < 0)
        return rc;
    size_t nc = ncoef(s);
    report_coefficients(g);
    g->res = (hb_glm_result){ conv,   iter,  nc,    g->rank, g->n_good - g->rank, dev, g->coef_out,
                              g->eta, g->mu, g->wt, g->resid };
    if (result)
        *result = g->res;
    return 0;
}

const hb_glm_result *hb_glm_last(const hb_glm *g)
{
    return &g->res;
}

/* ---- negative binomial with theta estimated (MASS::glm.nb) -------------------------------- */

static double nb_loglik(const hb_glm_spec *s, double th, const double *mu)
{
    double sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        double y = s->y[i];
        sum += prior(s, i) * (lgammafn(th + y) - lgammafn(th) - lgammafn(y + 1) + th * log(th) +
                              y * log(mu[i] + (y == 0)) - (th + y) * log(th + mu[i]));
    }
    return sum;
}

/* MASS::theta.ml: Newton on the profile score, limit steps, tolerance DBL_EPSILON^(1/4). */
static double theta_ml(const hb_glm_spec *s, const double *mu, int limit)
{
    double n = 0, d = 0;
    for (size_t i = 0; i < s->n; i++) {
        double r = s->y[i] / mu[i] - 1;
        n += prior(s, i);
        d += prior(s, i) * r * r;
    }
    double t0 = n / d, del = 1, eps = pow(DBL_EPSILON, 0.25);
    for (int it = 1; it < limit && fabs(del) > eps; it++) {
        t0 = fabs(t0);
        double sc = 0, info = 0;
        for (size_t i = 0; i < s->n; i++) {
            double y = s->y[i], m = mu[i], w = prior(s, i);
            sc += w *
                  (digamma(t0 + y) - digamma(t0) + log(t0) + 1 - log(t0 + m) - (y + t0) / (m + t0));
            info += w * (-trigamma(t0 + y) + trigamma(t0) - 1 / t0 + 2 / (m + t0) -
                         (y + t0) / ((m + t0) * (m + t0)));
        }
        del = sc / info;
        t0 += del;
    }
    return t0 < 0 ? 0 : t0;
}

int hb_glm_fit_nb(hb_glm *g, const hb_glm_spec *spec, double *theta, hb_glm_result *result)
{
    hb_glm_spec s = *spec;
    s.family = HB_GLM_POISSON;
    s.etastart = NULL;
    int maxit = s.maxit > 0 ? s.maxit : HB_GLM_MAXIT;
    double eps = s.epsilon > 0 ? s.epsilon : HB_GLM_EPSILON;
    int rc = hb_glm_fit(g, &s, NULL);
    if (rc < 0)
        return rc;
    memcpy(g->mu_prev, g->mu, s.n * sizeof(double));
    double th = theta_ml(&s, g->mu_prev, maxit);
    double d1 = sqrt(2.0 * (double)(g->res.df_residual > 1 ? g->res.df_residual : 1)), del = 1;
    double lm = nb_loglik(&s, th, g->mu_prev), lm0 = lm + 2 * d1;
    for (int iter = 1; iter <= maxit && fabs(lm0 - lm) / d1 + fabs(del) > eps; iter++) {
        if (!(th > 0) || !isfinite(th))
            return hb_error_set(HB_ERROR,
                                "GLM: the negative binomial dispersion cannot be "
                                "estimated (theta %g; all counts alike?)",
                                th);
        for (size_t i = 0; i < s.n; i++)
            g->etabuf[i] = log(g->mu_prev[i]);
        s.family = HB_GLM_NEGBIN;
        s.theta = th;
        s.etastart = g->etabuf;
        if ((rc = hb_glm_fit(g, &s, NULL)) < 0)
            return rc;
        double t0 = th;
        th = theta_ml(&s, g->mu_prev, maxit); /* glm.nb uses the previous fitted values here */
        memcpy(g->mu_prev, g->mu, s.n * sizeof(double));
        del = t0 - th;
        lm0 = lm;
        lm = nb_loglik(&s, th, g->mu_prev);
    }
    if (!(th > 0) || !isfinite(th))
        return hb_error_set(HB_ERROR,
                            "GLM: the negative binomial dispersion cannot be "
                            "estimated (theta %g; all counts alike?)",
                            th);
    *theta = th;
    if (result)
        *result = g->res;
    return 0;
}

/* ---- after the fit ------------------------------------------------------------------------- */

double hb_glm_dispersion(const hb_glm *g, const double *weights)
{
    const hb_glm_spec *s = &g->spec;
    if (g->res.df_residual == 0)
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        double w = weights ? weights[i] : g->wt[i];
        if (w > 0)
            sum += w * g->resid[i] * g->resid[i];
    }
    return sum / (double)g->res.df_residual;
}

/* Grouped design: h_i = w_i (1 / sw_k + (t_i - tbar_k)^2 / stt). */
static void grouped_hat(const hb_glm *g, double *hat)
{
    const hb_glm_spec *s = &g->spec;
    double *inv = g->scratch, slope = s->trend && !g->slope_aliased ? 1 / g->stt : 0.0;
    for (size_t k = 0; k < s->ngroups; k++)
        inv[k] = 1 / g->sw[k];
    for (size_t i = 0; i < s->n; i++) {
        uint32_t k = group_of(s, i);
        double d = s->trend ? s->trend[i] - g->tbar[k] : 0.0;
        double h = prior(s, i) > 0 ? g->wt[i] * (inv[k] + d * d * slope) : 0.0;
        hat[i] = h >= 1 - 10 * DBL_EPSILON ? 1.0 : h;
    }
}

void hb_glm_hat(const hb_glm *g, double *hat)
{
    const hb_glm_spec *s = &g->spec;
    if (!s->x) {
        grouped_hat(g, hat);
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        double h = 0;
        if (prior(s, i) > 0) {
            /* h_i = |R^-T a_i|^2 with a_i the weighted, pivoted row i. */
            double *v = g->scratch;
            for (size_t j = 0; j < g->rank; j++)
                v[j] = s->x[g->pivot[j] * s->n + i] * g->w[i];
            hb_glm__qr_forwardsolve(g, v);
            for (size_t j = 0; j < g->rank; j++)
                h += v[j] * v[j];
        }
        hat[i] = h >= 1 - 10 * DBL_EPSILON ? 1.0 : h;
    }
}

void hb_glm_mu_pow(const hb_glm *g, double p, double *out)
{
    const hb_glm_spec *s = &g->spec;
    if (g->fast && hb_glm__mu_pow_grouped(g, p, out))
        return;
    for (size_t i = 0; i < s->n; i++)
        out[i] = pow(g->mu[i], p);
}

double hb_glm_predict(const hb_glm *g, const hb_glm_row *row, double *eta0)
{
    const hb_glm_spec *s = &g->spec;
    if (!s->x) {
        uint32_t k = row->group;
        double var = 1 / g->sw[k], e = g->coef[k];
        if (s->trend && !g->slope_aliased) {
            double d = row->trend - g->tbar[k];
            var += d * d / g->stt;
            e += g->coef[s->ngroups] * row->trend;
        }
        *eta0 = e;
        return var;
    }
    double *v = g->scratch, e = 0;
    for (size_t j = 0; j < g->rank; j++) {
        v[j] = row->x[g->pivot[j]];
        e += v[j] * g->coef[g->pivot[j]];
    }
    *eta0 = e;
    hb_glm__qr_forwardsolve(g, v);
    double var = 0;
    for (size_t j = 0; j < g->rank; j++)
        var += v[j] * v[j];
    return var;
}

double hb_glm_coef_var(const hb_glm *g, size_t j)
{
    const hb_glm_spec *s = &g->spec;
    if (isnan(g->coef_out[j]))
        return NAN;
    if (!s->x) {
        if (j == s->ngroups)
            return 1 / g->stt;
        double tb = g->tbar[j];
        return 1 / g->sw[j] + (s->trend && !g->slope_aliased ? tb * tb / g->stt : 0.0);
    }
    double *v = g->scratch;
    for (size_t l = 0; l < g->rank; l++)
        v[l] = g->pivot[l] == j ? 1.0 : 0.0;
    hb_glm__qr_forwardsolve(g, v);
    double var = 0;
    for (size_t l = 0; l < g->rank; l++)
        var += v[l] * v[l];
    return var;
}
