/*
 * surveil/glm.c — IRLS for log-link GLMs, step for step as R's glm.fit (see glm.h).
 *
 * Layout: the iteration (fit_irls) is written once; each step solves one weighted least-squares
 * problem through solve_step(), which dispatches on the design:
 *
 *   dense    A = diag(w) X is copied into qr[] and factorised in place by qr_decompose(), a
 *            transcription of LINPACK dqrdc2 (R's Cdqrls): Householder reflections, and columns
 *            whose remaining norm falls below tol times their original norm moved to the end and
 *            declared aliased. The reflections then give Q'(w z) and R b = (Q'wz)[1..rank].
 *   grouped  per-group sums of w, w t, w t^2, w z, w t z give the group intercepts and the common
 *            slope in closed form (the normal equations of a one-way layout with a covariate).
 *            The trend is centred on a constant first, which changes no fitted value but keeps
 *            the sums well conditioned.
 *
 * Everything a fit needs lives in struct hb_glm, sized at creation; nothing is allocated later.
 */
#include "surveil/glm.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "util/alloc.h"
#include "util/error.h"

/* Cdqrls's tolerance in glm.fit: min(1e-7, epsilon / 1000). */
#define QR_TOL(eps) ((eps) / 1000 < 1e-7 ? (eps) / 1000 : 1e-7)

struct hb_glm {
    size_t n_max, p_max;
    hb_glm_spec spec; /* the last problem (borrowed arrays) */
    hb_glm_result res;
    /* Per observation. */
    double *eta, *mu, *wt, *resid, *z, *w, *mu_prev, *etabuf;
    /* Coefficients: current, previous step, step solution; the reported (uncentred) ones;
     * scratch for solves after the fit. */
    double *coef, *coefold, *start, *coef_out, *scratch;
    /* Dense: the factorised weighted design (n_max * p_max), qraux, pivot, norms, right side. */
    double *qr, *qraux, *norms, *rhs;
    size_t *pivot;
    size_t rank;
    size_t n_good;
    /* Grouped: per group sums, and the slope's pieces. */
    double *sw, *swt, *swtt, *swz, *swtz, *tbar;
    double stt, centre;
    bool slope_aliased;
};

int hb_glm_new(hb_glm **out, size_t n_max, size_t p_max)
{
    *out = NULL;
    size_t np;
    if (n_max == 0 || p_max == 0 || !hb_size_mul(&np, n_max, p_max))
        return hb_error_set(HB_ELIMIT, "GLM size %zu x %zu is out of range", n_max, p_max);
    hb_glm *g = hb_calloc(1, sizeof *g);
    if (!g)
        return HB_ENOMEM;
    g->n_max = n_max;
    g->p_max = p_max;
    double **per_n[] = { &g->eta, &g->mu,      &g->wt,     &g->resid, &g->z,
                         &g->w,   &g->mu_prev, &g->etabuf, &g->rhs };
    double **per_p[] = { &g->coef, &g->coefold, &g->start, &g->coef_out, &g->scratch, &g->qraux,
                         &g->sw,   &g->swt,     &g->swtt,  &g->swz,      &g->swtz,    &g->tbar };
    bool ok = true;
    for (size_t i = 0; i < sizeof per_n / sizeof per_n[0]; i++)
        ok = ok && (*per_n[i] = hb_mallocarray(n_max, sizeof(double))) != NULL;
    for (size_t i = 0; i < sizeof per_p / sizeof per_p[0]; i++)
        ok = ok && (*per_p[i] = hb_mallocarray(p_max, sizeof(double))) != NULL;
    ok = ok && (g->norms = hb_mallocarray(p_max, 2 * sizeof(double))) != NULL;
    ok = ok && (g->pivot = hb_mallocarray(p_max, sizeof(size_t))) != NULL;
    ok = ok && (g->qr = hb_mallocarray(np, sizeof(double))) != NULL;
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
    double *bufs[] = { g->eta,      g->mu,      g->wt,    g->resid, g->z,       g->w,
                       g->mu_prev,  g->etabuf,  g->rhs,   g->coef,  g->coefold, g->start,
                       g->coef_out, g->scratch, g->qraux, g->sw,    g->swt,     g->swtt,
                       g->swz,      g->swtz,    g->tbar,  g->norms, g->qr };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        hb_free(bufs[i]);
    hb_free(g->pivot);
    hb_free(g);
}

/* ---- the family ---------------------------------------------------------------------------- */

static double linkinv(double eta)
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

/* ---- dense design: dqrdc2 ------------------------------------------------------------------ */

static double col_norm(const double *x, size_t len)
{
    double s = 0;
    for (size_t i = 0; i < len; i++)
        s += x[i] * x[i];
    return sqrt(s);
}

/* Move column l of the n x p matrix (and its bookkeeping) to the end: dqrdc2's limited pivoting. */
static void qr_rotate_last(hb_glm *g, size_t n, size_t p, size_t l)
{
    double *a = g->qr;
    for (size_t i = 0; i < n; i++) {
        double t = a[l * n + i];
        for (size_t j = l + 1; j < p; j++)
            a[(j - 1) * n + i] = a[j * n + i];
        a[(p - 1) * n + i] = t;
    }
    size_t piv = g->pivot[l];
    double q = g->qraux[l], w1 = g->norms[2 * l], w2 = g->norms[2 * l + 1];
    for (size_t j = l + 1; j < p; j++) {
        g->pivot[j - 1] = g->pivot[j];
        g->qraux[j - 1] = g->qraux[j];
        g->norms[2 * (j - 1)] = g->norms[2 * j];
        g->norms[2 * (j - 1) + 1] = g->norms[2 * j + 1];
    }
    g->pivot[p - 1] = piv;
    g->qraux[p - 1] = q;
    g->norms[2 * (p - 1)] = w1;
    g->norms[2 * (p - 1) + 1] = w2;
}

/* Apply reflection l to column j (rows l..n-1) and downdate column j's norm as dqrdc2 does. */
static void qr_reflect_column(hb_glm *g, size_t n, size_t l, size_t j)
{
    double *u = g->qr + l * n, *c = g->qr + j * n;
    double dot = 0;
    for (size_t i = l; i < n; i++)
        dot += u[i] * c[i];
    double t = -dot / u[l];
    for (size_t i = l; i < n; i++)
        c[i] += t * u[i];
    if (g->qraux[j] == 0)
        return;
    double tt = 1 - (fabs(c[l]) / g->qraux[j]) * (fabs(c[l]) / g->qraux[j]);
    tt = tt > 0 ? tt : 0;
    if (fabs(tt) < 1e-6) {
        g->qraux[j] = col_norm(c + l + 1, n - l - 1);
        g->norms[2 * j] = g->qraux[j];
    } else {
        g->qraux[j] *= sqrt(tt);
    }
}

/* Householder QR of qr (n x p) with dqrdc2's rank detection; sets g->rank and g->pivot. */
static void qr_decompose(hb_glm *g, size_t n, size_t p, double tol)
{
    for (size_t j = 0; j < p; j++) {
        g->pivot[j] = j;
        g->qraux[j] = col_norm(g->qr + j * n, n);
        g->norms[2 * j] = g->qraux[j];
        g->norms[2 * j + 1] = g->qraux[j] == 0 ? 1.0 : g->qraux[j];
    }
    size_t lup = n < p ? n : p, k = p + 1;
    for (size_t l = 0; l < lup; l++) {
        while (l + 1 < k && g->qraux[l] < g->norms[2 * l + 1] * tol) {
            qr_rotate_last(g, n, p, l);
            k--;
        }
        if (l + 1 == n)
            break;
        double *u = g->qr + l * n;
        double nrmxl = col_norm(u + l, n - l);
        if (nrmxl == 0)
            continue;
        if (u[l] != 0)
            nrmxl = copysign(nrmxl, u[l]);
        for (size_t i = l; i < n; i++)
            u[i] /= nrmxl;
        u[l] += 1;
        for (size_t j = l + 1; j < p; j++)
            qr_reflect_column(g, n, l, j);
        g->qraux[l] = u[l];
        u[l] = -nrmxl;
    }
    g->rank = k - 1 < n ? k - 1 : n;
}

/* y <- Q' y for the first rank reflections (dqrsl with job 1000). */
static void qr_qty(const hb_glm *g, size_t n, double *y)
{
    size_t ju = g->rank < n - 1 ? g->rank : n - 1;
    for (size_t j = 0; j < ju; j++) {
        if (g->qraux[j] == 0)
            continue;
        const double *u = g->qr + j * n;
        double dot = g->qraux[j] * y[j];
        for (size_t i = j + 1; i < n; i++)
            dot += u[i] * y[i];
        double t = -dot / g->qraux[j];
        y[j] += t * g->qraux[j];
        for (size_t i = j + 1; i < n; i++)
            y[i] += t * u[i];
    }
}

/* Solve R b = rhs[0..rank) in place (R is the upper triangle of qr). */
static void qr_backsolve(const hb_glm *g, size_t n, double *b)
{
    for (size_t jj = g->rank; jj-- > 0;) {
        b[jj] /= g->qr[jj * n + jj];
        for (size_t i = 0; i < jj; i++)
            b[i] -= b[jj] * g->qr[jj * n + i];
    }
}

/* Solve R' v = b[0..rank) in place (forward substitution). */
static void qr_forwardsolve(const hb_glm *g, size_t n, double *b)
{
    for (size_t j = 0; j < g->rank; j++) {
        double s = b[j];
        for (size_t i = 0; i < j; i++)
            s -= g->qr[j * n + i] * b[i];
        b[j] = s / g->qr[j * n + j];
    }
}

/* One weighted least-squares step on the good rows: start[] gets the solution. */
static void solve_dense(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    size_t n = g->n_good, p = s->p, r = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (prior(s, i) <= 0)
            continue;
        for (size_t j = 0; j < p; j++)
            g->qr[j * n + r] = s->x[j * s->n + i] * g->w[i];
        g->rhs[r] = g->z[i] * g->w[i];
        r++;
    }
    qr_decompose(g, n, p, QR_TOL(s->epsilon));
    qr_qty(g, n, g->rhs);
    qr_backsolve(g, n, g->rhs);
    for (size_t j = 0; j < p; j++)
        g->start[g->pivot[j]] = j < g->rank ? g->rhs[j] : 0.0;
}

/* ---- grouped design ------------------------------------------------------------------------ */

static uint32_t group_of(const hb_glm_spec *s, size_t i)
{
    return s->group ? s->group[i] : 0;
}

static void solve_grouped(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    size_t G = s->ngroups;
    for (size_t k = 0; k < G; k++)
        g->sw[k] = g->swt[k] = g->swtt[k] = g->swz[k] = g->swtz[k] = 0;
    for (size_t i = 0; i < s->n; i++) {
        double ww = g->w[i] * g->w[i];
        if (prior(s, i) <= 0)
            continue;
        uint32_t k = group_of(s, i);
        double t = s->trend ? s->trend[i] - g->centre : 0.0, zw = ww * g->z[i];
        g->sw[k] += ww;
        g->swz[k] += zw;
        g->swt[k] += ww * t;
        g->swtt[k] += ww * t * t;
        g->swtz[k] += zw * t;
    }
    double stt = 0, stz = 0, total = 0;
    for (size_t k = 0; k < G; k++) {
        g->tbar[k] = g->swt[k] / g->sw[k];
        stt += g->swtt[k] - g->swt[k] * g->tbar[k];
        stz += g->swtz[k] - g->tbar[k] * g->swz[k];
        total += g->swtt[k];
    }
    g->stt = stt;
    double tol = QR_TOL(s->epsilon);
    g->slope_aliased = !s->trend || !(stt > tol * tol * total);
    double beta = s->trend && !g->slope_aliased ? stz / stt : 0.0;
    for (size_t k = 0; k < G; k++)
        g->start[k] = g->swz[k] / g->sw[k] - beta * g->tbar[k];
    if (s->trend)
        g->start[G] = beta;
    g->rank = G + (s->trend && !g->slope_aliased);
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
                e += beta[s->ngroups] * (s->trend[i] - g->centre);
        }
        g->eta[i] = e;
        g->mu[i] = linkinv(e);
    }
}

/* One IRLS step; HB_ERROR where R's Cdqrls stops on non-finite data ("NA/NaN/Inf in 'x'"). */
static int solve_step(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    for (size_t i = 0; i < s->n; i++) {
        double mu = g->mu[i], mu_eta = mu; /* log link: dmu/deta = linkinv(eta) */
        g->z[i] = (g->eta[i] - offset(s, i)) + (s->y[i] - mu) / mu_eta;
        g->w[i] = prior(s, i) > 0 ? sqrt(prior(s, i) * mu_eta * mu_eta / variance(s, mu)) : 0.0;
        if (prior(s, i) > 0 && !(isfinite(g->w[i]) && isfinite(g->z[i] * g->w[i])))
            return hb_error_set(HB_ERROR,
                                "GLM: weighted least squares data not finite "
                                "(observation %zu)",
                                i + 1);
    }
    if (s->x)
        solve_dense(g);
    else
        solve_grouped(g);
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
static int correct_step(hb_glm *g, size_t nc, bool have_old, double *dev)
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
    if (!all_validmu(g)) {
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

static int validate(const hb_glm *g, const hb_glm_spec *s)
{
    if (s->n == 0 || s->n > g->n_max || ncoef(s) == 0 || ncoef(s) > g->p_max)
        return hb_error_set(HB_EINVAL,
                            "GLM: %zu observations and %zu coefficients exceed %zu x %zu", s->n,
                            ncoef(s), g->n_max, g->p_max);
    if (s->family == HB_GLM_NEGBIN && !(s->theta > 0 && isfinite(s->theta)))
        return hb_error_set(HB_EINVAL, "GLM: theta must be positive, got %g", s->theta);
    for (size_t i = 0; i < s->n; i++) {
        if (!(s->y[i] >= 0) || !isfinite(s->y[i]))
            return hb_error_set(HB_EINVAL, "GLM: response %zu is %g, not a count", i, s->y[i]);
        if (!(prior(s, i) >= 0) || !isfinite(prior(s, i)))
            return hb_error_set(HB_EINVAL, "GLM: weight %zu is %g", i, prior(s, i));
        if (!s->x && group_of(s, i) >= s->ngroups)
            return hb_error_set(HB_EINVAL, "GLM: group %u of observation %zu out of range",
                                (unsigned)group_of(s, i), i);
    }
    return 0;
}

static void start_values(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    g->n_good = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        g->eta[i] = s->etastart ? s->etastart[i] : log(mustart(s, s->y[i]));
        g->mu[i] = linkinv(g->eta[i]);
        g->n_good += prior(s, i) > 0;
        if (s->trend) {
            lo = s->trend[i] < lo ? s->trend[i] : lo;
            hi = s->trend[i] > hi ? s->trend[i] : hi;
        }
    }
    g->centre = s->trend ? (lo + hi) / 2 : 0.0;
}

/* Check every group has an observation with positive prior weight. */
static int check_groups(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
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

static int irls(hb_glm *g, double *devp, bool *conv, int *iterp)
{
    const hb_glm_spec *s = &g->spec;
    size_t nc = ncoef(s);
    double devold = deviance(g), dev = devold;
    bool have_old = false;
    *conv = false;
    int iter;
    for (iter = 1; iter <= s->maxit; iter++) {
        int rc = solve_step(g);
        if (rc < 0)
            return rc;
        bool finite = true;
        for (size_t j = 0; j < nc; j++)
            finite = finite && isfinite(g->start[j]);
        if (!finite)
            break;
        memcpy(g->coef, g->start, nc * sizeof(double));
        linear_predictor(g, g->coef);
        dev = deviance(g);
        rc = correct_step(g, nc, have_old, &dev);
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
    *devp = dev;
    *iterp = iter > s->maxit ? s->maxit : iter;
    return 0;
}

/* The coefficients as the caller sees them: aliased ones NAN, group intercepts uncentred. */
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
    } else if (s->trend) {
        for (size_t k = 0; k < s->ngroups; k++)
            g->coef_out[k] -= g->coef[s->ngroups] * g->centre;
    }
}

int hb_glm_fit(hb_glm *g, const hb_glm_spec *spec, hb_glm_result *result)
{
    g->spec = *spec;
    hb_glm_spec *s = &g->spec;
    s->maxit = s->maxit > 0 ? s->maxit : HB_GLM_MAXIT;
    s->epsilon = s->epsilon > 0 ? s->epsilon : HB_GLM_EPSILON;
    s->ngroups = s->x ? 0 : (s->ngroups ? s->ngroups : 1);
    int rc = validate(g, s);
    if (rc == 0 && !s->x)
        rc = check_groups(g);
    if (rc < 0)
        return rc;
    start_values(g);
    if (!all_validmu(g))
        return hb_error_set(HB_ERROR, "GLM: cannot find valid starting values");
    if (g->n_good == 0)
        return hb_error_set(HB_EINVAL, "GLM: no observation has a positive weight");
    double dev;
    bool conv;
    int iter;
    if ((rc = irls(g, &dev, &conv, &iter)) < 0)
        return rc;
    size_t nc = ncoef(s);
    for (size_t i = 0; i < s->n; i++) {
        g->resid[i] = (s->y[i] - g->mu[i]) / g->mu[i];
        g->wt[i] = g->w[i] * g->w[i];
    }
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

void hb_glm_hat(const hb_glm *g, double *hat)
{
    const hb_glm_spec *s = &g->spec;
    for (size_t i = 0; i < s->n; i++) {
        double h = 0;
        if (prior(s, i) > 0 && s->x) {
            /* h_i = |R^-T a_i|^2 with a_i the weighted, pivoted row i. */
            double *v = g->scratch;
            for (size_t j = 0; j < g->rank; j++)
                v[j] = s->x[g->pivot[j] * s->n + i] * g->w[i];
            qr_forwardsolve(g, g->n_good, v);
            for (size_t j = 0; j < g->rank; j++)
                h += v[j] * v[j];
        } else if (prior(s, i) > 0) {
            uint32_t k = group_of(s, i);
            h = 1 / g->sw[k];
            if (s->trend && !g->slope_aliased) {
                double d = s->trend[i] - g->centre - g->tbar[k];
                h += d * d / g->stt;
            }
            h *= g->w[i] * g->w[i];
        }
        hat[i] = h >= 1 - 10 * DBL_EPSILON ? 1.0 : h;
    }
}

double hb_glm_predict(const hb_glm *g, const hb_glm_row *row, double *eta0)
{
    const hb_glm_spec *s = &g->spec;
    if (!s->x) {
        uint32_t k = row->group;
        double var = 1 / g->sw[k], e = g->coef[k];
        if (s->trend && !g->slope_aliased) {
            double d = row->trend - g->centre - g->tbar[k];
            var += d * d / g->stt;
            e += g->coef[s->ngroups] * (row->trend - g->centre);
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
    qr_forwardsolve(g, g->n_good, v);
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
        double tb = g->tbar[j] + g->centre;
        return 1 / g->sw[j] + (s->trend && !g->slope_aliased ? tb * tb / g->stt : 0.0);
    }
    double *v = g->scratch;
    for (size_t l = 0; l < g->rank; l++)
        v[l] = g->pivot[l] == j ? 1.0 : 0.0;
    qr_forwardsolve(g, g->n_good, v);
    double var = 0;
    for (size_t l = 0; l < g->rank; l++)
        var += v[l] * v[l];
    return var;
}
