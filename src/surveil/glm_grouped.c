/*
 * surveil/glm_grouped.c — the grouped design, eta = a[group] + beta * trend (+ offset): R's
 * `y ~ 1 + wtime + factor` with one intercept per group instead of treatment contrasts. The
 * per-group sums of w, w t, w t^2, w z, w t z give the intercepts and the slope in closed form
 * (the normal equations of a one-way layout with a covariate), so a step costs O(n).
 *
 * For Poisson-variance families (Poisson, quasi-Poisson) there is a fast path:
 *
 *   - fast_setup: one pass over the data checks it and precomputes everything that does not change
 *     during the fit; the loops read the caller's arrays through pointers (constant arrays stand in
 *     for absent weights, offsets, groups), so they have no branches;
 *   - the first step works from the start values per observation (fast_step, fast_predict);
 *   - later steps use moments: without an offset every fitted value is mu_i = A_k E(t_i), A_k =
 *     exp(a_k), E(t) = exp(beta t), and the sums a step needs are
 *         sum w mu = A_k S0_k,  sum w mu t = A_k S1_k,  sum w mu t^2 = A_k S2_k,
 *         sum w mu z = a_k A_k S0 + beta A_k S1 + sum w y - A_k S0  (z = eta + (y - mu) / mu),
 *         sum w mu z t = a_k A_k S1 + beta A_k S2 + sum w y t - A_k S1,
 *     with S_m = sum_{i in k} w_i E(t_i) t_i^m; the deviance is 2 (sum w y log y - sum_k (a_k
 *     sum w y + beta sum w y t) - sum w y + sum_k A_k S0_k). A step is then one pass of three
 *     multiply-adds per observation — or none without a trend — and fitted values are written
 *     once at the end (moment_finish). E(t) for integer t comes from a table of powers.
 *
 * This is glm.fit's iteration rearranged, not approximated: the same steps from the same start,
 * equal to within rounding (products of exponentials instead of exponentials of sums: a few units
 * in the last place). It applies while no fitted value is clamped at DBL_EPSILON or overflows,
 * and the factors stay far from overflow; otherwise the iteration continues per observation.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "surveil/glm_int.h"
#include "util/error.h"

/* The intercepts and the slope from the sums sw .. swtz, into start[]; sets tbar, stt, rank. */
static void solve_sums(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    size_t G = s->ngroups;
    double stt = 0, stz = 0, total = 0;
    for (size_t k = 0; k < G; k++) {
        g->tbar[k] = g->swt[k] / g->sw[k];
        stt += g->swtt[k] - g->swt[k] * g->tbar[k];
        stz += g->swtz[k] - g->tbar[k] * g->swz[k];
        total += g->swtt[k];
    }
    g->stt = stt;
    double tol = HB_GLM_QR_TOL(s->epsilon);
    g->slope_aliased = !s->trend || !(stt > tol * tol * total);
    double beta = g->slope_aliased ? 0.0 : stz / stt;
    for (size_t k = 0; k < G; k++)
        g->start[k] = g->swz[k] / g->sw[k] - beta * g->tbar[k];
    if (s->trend)
        g->start[G] = beta;
    g->rank = G + !g->slope_aliased;
}

static void clear_sums(hb_glm *g)
{
    for (size_t k = 0; k < g->spec.ngroups; k++)
        g->sw[k] = g->swt[k] = g->swtt[k] = g->swz[k] = g->swtz[k] = 0;
}

void hb_glm__grouped_step(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    clear_sums(g);
    for (size_t i = 0; i < s->n; i++) {
        if (s->weights && s->weights[i] <= 0)
            continue;
        uint32_t k = s->group ? s->group[i] : 0;
        double ww = g->wt[i], t = s->trend ? s->trend[i] : 0.0, zw = ww * g->z[i];
        g->sw[k] += ww;
        g->swz[k] += zw;
        g->swt[k] += ww * t;
        g->swtt[k] += ww * t * t;
        g->swtz[k] += zw * t;
    }
    solve_sums(g);
}

/* ---- setup ----------------------------------------------------------------------------------- */

static void setup_pointers(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    g->pw = s->weights ? s->weights : g->ones;
    g->grpp = s->group ? s->group : g->zeros_u;
    g->tcp = s->trend ? s->trend : g->zeros;
    g->offp = s->offset ? s->offset : g->zeros;
    g->ylogy = s->ylogy ? s->ylogy : g->ylogy_buf;
    g->eta0p = s->etastart && s->start_mu ? s->etastart : g->eta;
    g->mu0p = s->etastart && s->start_mu ? s->start_mu : g->mu;
    clear_sums(g);
    for (size_t k = 0; k < s->ngroups; k++) {
        g->y0[k] = g->y1[k] = g->w0[k] = g->w1[k] = g->w2[k] = g->s0[k] = 0;
        g->tlo[k] = INFINITY;
        g->thi[k] = -INFINITY;
    }
}

static int bad_observation(const hb_glm *g, size_t i)
{
    const hb_glm_spec *s = &g->spec;
    if (!(s->y[i] >= 0) || !isfinite(s->y[i]))
        return hb_error_set(HB_EINVAL, "GLM: response %zu is %g, not a count", i, s->y[i]);
    if (g->grpp[i] >= s->ngroups)
        return hb_error_set(HB_EINVAL, "GLM: group %u of observation %zu out of range",
                            (unsigned)g->grpp[i], i);
    return hb_error_set(HB_EINVAL, "GLM: weight %zu is %g", i, g->pw[i]);
}

/* Sums of one run of observations of group k (groups come in runs of consecutive periods, so
 * the sums stay in registers). Returns the end of the run, or SIZE_MAX with *bad at a bad
 * observation. */
static size_t setup_run(hb_glm *g, size_t i, bool *integer, size_t *good, size_t *bad)
{
    const hb_glm_spec *s = &g->spec;
    const double *eta0 = g->eta0p, *mu0 = g->mu0p;
    uint32_t k = g->grpp[i];
    size_t begin = i, seen = 0;
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, yl = 0, ys = 0, lo = g->tlo[k], hi = g->thi[k];
    for (; i < s->n && g->grpp[i] == k; i++) {
        double y = s->y[i], w = g->pw[i], t = g->tcp[i], m = mu0[i];
        if (!(y >= 0 && y < INFINITY && w >= 0 && w < INFINITY && m > 0 && m < INFINITY)) {
            *bad = i;
            return SIZE_MAX;
        }
        if (!s->ylogy)
            g->ylogy_buf[i] = y > 0 ? y * log(y) : 0.0;
        seen += w > 0;
        /* Integer values within the table's reach (|t| < 2^31 keeps the conversion exact). */
        *integer = *integer && fabs(t) < 2147483648.0 && t == (double)(int64_t)t;
        lo = t < lo ? t : lo;
        hi = t > hi ? t : hi;
        a0 += w * y, a1 += w * y * t, a2 += w, a3 += w * t, a4 += w * t * t;
        yl += w * g->ylogy[i], ys += w * y;
    }
    g->y0[k] += a0, g->y1[k] += a1, g->w0[k] += a2, g->w1[k] += a3, g->w2[k] += a4;
    g->tlo[k] = lo, g->thi[k] = hi;
    g->s0[k] += (double)seen; /* observations with weight: every group needs one */
    *good += seen;
    g->yl += yl, g->ysum += ys;
    /* The first IRLS step from the start values (as fast_step) and their deviance: a second,
     * lighter loop over the run, which is in cache, keeps both loops' sums in registers. */
    double f0 = 0, f1 = 0, f2 = 0, f3 = 0, f4 = 0, dev = 0, leps = log(DBL_EPSILON);
    for (size_t j = begin; j < i; j++) {
        double y = s->y[j], w = g->pw[j], t = g->tcp[j], m = mu0[j];
        double ww = w * m, z = eta0[j] - g->offp[j] + (y - m) / m, wz = ww * z;
        f0 += ww, f1 += wz, f2 += ww * t, f3 += ww * t * t, f4 += wz * t;
        dev += w * (g->ylogy[j] - y * (m > DBL_EPSILON ? eta0[j] : leps) - y + m);
    }
    g->sw[k] += f0, g->swz[k] += f1, g->swt[k] += f2, g->swtt[k] += f3, g->swtz[k] += f4;
    g->dev0 += 2 * dev;
    return i;
}

static int bad_start(const hb_glm *g, size_t i)
{
    if (!(g->mu0p[i] > 0 && g->mu0p[i] < INFINITY))
        return hb_error_set(HB_ERROR, "GLM: cannot find valid starting values");
    return bad_observation(g, i);
}

int hb_glm__fast_setup(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    setup_pointers(g);
    g->yl = g->ysum = g->dev0 = 0;
    size_t good = 0;
    bool integer = true;
    g->nruns = 0;
    for (size_t i = 0, bad = 0; i < s->n;) {
        if (g->grpp[i] >= s->ngroups)
            return bad_observation(g, i);
        g->run_grp[g->nruns] = g->grpp[i];
        if ((i = setup_run(g, i, &integer, &good, &bad)) == SIZE_MAX)
            return bad_start(g, bad);
        g->run_end[g->nruns++] = (uint32_t)i;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < s->ngroups; k++) {
        if (g->s0[k] == 0)
            return hb_error_set(HB_EINVAL, "GLM: group %zu has no observation", k);
        lo = g->tlo[k] < lo ? g->tlo[k] : lo;
        hi = g->thi[k] > hi ? g->thi[k] : hi;
    }
    for (size_t i = 0; s->offset && i < s->n; i++)
        g->eoff[i] = exp(s->offset[i]);
    g->n_good = good;
    g->first_sums = true;
    g->tmin = s->trend ? lo : 0.0;
    g->int_trend = !s->trend || (integer && hi - lo <= (double)g->n_max);
    g->trange = s->trend && g->int_trend ? (size_t)(hi - lo) : 0;
    /* A table of powers pays when the trend's values are dense (weekly windows every year);
     * sparse ones (daily data, 35 reference days over 5 years) get one exp each. */
    g->table = s->trend && g->int_trend && g->trange <= 4 * s->n + 64;
    g->tabs_max = s->trend ? fmax(fabs(lo), fabs(hi)) : 0.0;
    g->moments_ok = !s->offset;
    for (size_t i = 0; g->table && i < s->n; i++)
        g->tix[i] = (uint32_t)(s->trend[i] - lo);
    return 0;
}

int hb_glm__fast_first_step(hb_glm *g)
{
    double check = 0;
    for (size_t k = 0; k < g->spec.ngroups; k++)
        check += g->swz[k] + g->swtz[k];
    if (!isfinite(check))
        return hb_error_set(HB_ERROR, "GLM: weighted least squares data not finite");
    solve_sums(g);
    return 0;
}

void hb_glm__fast_first_weights(hb_glm *g)
{
    for (size_t i = 0; i < g->spec.n; i++)
        g->wt[i] = g->pw[i] * g->mu0p[i];
}

/* ---- per observation ------------------------------------------------------------------------ */

/*
 * One IRLS step from eta[] and mu[], as glm.c's solve_step + hb_glm__grouped_step for the
 * Poisson variance, in one pass: working weight w = prior mu, working response z = eta - offset
 * + (y - mu) / mu. The weights are kept (R's fit$weights).
 */
int hb_glm__fast_step(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    size_t n = s->n;
    const double *restrict mu = g->mu, *restrict eta = g->eta, *restrict off = g->offp,
                           *restrict pw = g->pw, *restrict y = s->y, *restrict tc = g->tcp;
    const uint32_t *restrict grp = g->grpp;
    double *restrict wt = g->wt;
    clear_sums(g);
    double check = 0;
    for (size_t i = 0; i < n;) {
        uint32_t k = grp[i];
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
        for (; i < n && grp[i] == k; i++) {
            double m = mu[i], ww = pw[i] * m, t = tc[i];
            double z = eta[i] - off[i] + (y[i] - m) / m, wz = ww * z;
            wt[i] = ww;
            a0 += ww, a1 += wz, a2 += ww * t, a3 += ww * t * t, a4 += wz * t;
        }
        g->sw[k] += a0, g->swz[k] += a1, g->swt[k] += a2, g->swtt[k] += a3, g->swtz[k] += a4;
        check += a1;
    }
    if (!isfinite(check))
        return hb_error_set(HB_ERROR, "GLM: weighted least squares data not finite");
    solve_sums(g);
    return 0;
}

/* tab[j] = exp(beta (tmin + j)), j = 0..trange (and up to 3 more: the table has room): four
 * interleaved chains of products, each restarted from an exact exp every 32 steps (a few units
 * in the last place, no long serial chain of multiplications). */
static void powers(const hb_glm *g, double *restrict tab, double beta)
{
    double r = exp(beta), t0 = g->tmin;
    size_t q = (g->trange + 4) / 4;
    for (size_t base = 0; base < q; base += 32) {
        double e0 = exp(beta * (t0 + (double)base)), e1 = exp(beta * (t0 + (double)(q + base)));
        double e2 = exp(beta * (t0 + (double)(2 * q + base)));
        double e3 = exp(beta * (t0 + (double)(3 * q + base)));
        size_t end = base + 32 < q ? base + 32 : q;
        for (size_t j = base; j < end; j++) {
            tab[j] = e0, tab[q + j] = e1, tab[2 * q + j] = e2, tab[3 * q + j] = e3;
            e0 *= r, e1 *= r, e2 *= r, e3 *= r;
        }
    }
}

/* Whether exp(a_k) exp(beta t) cannot overflow in either factor, for every group. */
static bool products_safe(const hb_glm *g, const double *beta)
{
    const hb_glm_spec *s = &g->spec;
    double b = s->trend ? beta[s->ngroups] : 0.0;
    if (!(fabs(b) * g->tabs_max < 300))
        return false;
    for (size_t k = 0; k < s->ngroups; k++)
        if (!(fabs(beta[k]) < 300))
            return false;
    return true;
}

double hb_glm__fast_predict(hb_glm *g, const double *beta, bool *valid)
{
    const hb_glm_spec *s = &g->spec;
    size_t G = s->ngroups;
    double b = s->trend ? beta[G] : 0.0;
    bool product = products_safe(g, beta) && (g->table || !s->trend);
    for (size_t k = 0; k < G; k++)
        g->aexp[k] = exp(beta[k]);
    if (product && g->table)
        powers(g, g->etab, b);
    const double *restrict tc = g->tcp, *restrict off = g->offp, *restrict pw = g->pw,
                           *restrict ylogy = g->ylogy, *restrict y = s->y, *restrict aexp = g->aexp,
                           *restrict etab = g->etab;
    const uint32_t *restrict grp = g->grpp;
    double *restrict etap = g->eta, *restrict mup = g->mu;
    double dev = 0, bad = 0, leps = log(DBL_EPSILON), tmin = g->tmin;
    for (size_t i = 0; i < s->n; i++) {
        uint32_t k = grp[i];
        double eta = beta[k] + b * tc[i] + off[i], mu;
        if (!product)
            mu = exp(eta);
        else
            mu = aexp[k] * (s->trend ? etab[(size_t)(tc[i] - tmin)] : 1.0) *
                 (s->offset ? g->eoff[i] : 1.0);
        double lmu = mu > DBL_EPSILON ? eta : leps;
        mu = mu > DBL_EPSILON ? mu : DBL_EPSILON;
        etap[i] = eta;
        mup[i] = mu;
        dev += pw[i] * (ylogy[i] - y[i] * lmu - y[i] + mu);
        bad += mu - mu; /* NaN when mu is infinite */
    }
    *valid = !isnan(bad);
    return 2 * dev;
}

/* ---- moments -------------------------------------------------------------------------------- */

/* E(t_i) = exp(b t_i): from the table when there is one. */
static inline double trend_exp(const hb_glm *g, const double *tab, double b, size_t i)
{
    return g->table ? tab[g->tix[i]] : exp(b * g->tcp[i]);
}

/* S0..S2 of every group, run by run (weights of 1 skip a load). */
static void trend_moments(hb_glm *g, double b)
{
    const double *restrict etab = g->etab, *restrict pw = g->pw, *restrict tc = g->tcp;
    const uint32_t *restrict tix = g->tix;
    bool weighted = g->spec.weights != NULL;
    if (!g->table) {
        for (size_t k = 0; k < g->spec.ngroups; k++)
            g->s0[k] = g->s1[k] = g->s2[k] = 0;
        for (size_t i = 0; i < g->spec.n; i++) {
            double e = pw[i] * exp(b * tc[i]), et = e * tc[i];
            uint32_t k = g->grpp[i];
            g->s0[k] += e, g->s1[k] += et, g->s2[k] += et * tc[i];
        }
        return;
    }
    for (size_t k = 0; k < g->spec.ngroups; k++)
        g->s0[k] = g->s1[k] = g->s2[k] = 0;
    for (size_t r = 0, i = 0; r < g->nruns; r++) {
        size_t end = g->run_end[r];
        uint32_t k = g->run_grp[r];
        double a0 = 0, a1 = 0, a2 = 0;
        if (weighted) {
            for (; i < end; i++) {
                double e = pw[i] * etab[tix[i]], et = e * tc[i];
                a0 += e, a1 += et, a2 += et * tc[i];
            }
        } else {
            for (; i < end; i++) {
                double e = etab[tix[i]], et = e * tc[i];
                a0 += e, a1 += et, a2 += et * tc[i];
            }
        }
        g->s0[k] += a0, g->s1[k] += a1, g->s2[k] += a2;
    }
}

bool hb_glm__moment_sums(hb_glm *g, const double *beta)
{
    const hb_glm_spec *s = &g->spec;
    size_t G = s->ngroups;
    if (!g->moments_ok || !products_safe(g, beta))
        return false;
    double b = s->trend ? beta[G] : 0.0;
    if (g->table)
        powers(g, g->etab, b);
    for (size_t k = 0; k < G; k++) {
        double a = exp(beta[k]), e1 = exp(b * g->tlo[k]), e2 = exp(b * g->thi[k]);
        if (g->table) {
            e1 = g->etab[(size_t)(g->tlo[k] - g->tmin)];
            e2 = g->etab[(size_t)(g->thi[k] - g->tmin)];
        }
        /* exp(beta t) is monotone: the extremes of the group's fitted values are at its ends. */
        if (!(a * fmin(e1, e2) > DBL_EPSILON) || !isfinite(a * fmax(e1, e2)))
            return false;
        g->aexp[k] = a;
        g->s0[k] = g->w0[k], g->s1[k] = g->w1[k], g->s2[k] = g->w2[k];
    }
    if (s->trend)
        trend_moments(g, b);
    for (size_t k = 0; k < G; k++)
        g->s0[k] *= g->aexp[k], g->s1[k] *= g->aexp[k], g->s2[k] *= g->aexp[k];
    return true;
}

double hb_glm__moment_dev(const hb_glm *g, const double *beta)
{
    const hb_glm_spec *s = &g->spec;
    size_t G = s->ngroups;
    double b = s->trend ? beta[G] : 0.0, sum = g->yl - g->ysum;
    for (size_t k = 0; k < G; k++)
        sum += g->s0[k] - beta[k] * g->y0[k] - b * g->y1[k];
    return 2 * sum;
}

int hb_glm__moment_step(hb_glm *g, const double *beta)
{
    const hb_glm_spec *s = &g->spec;
    size_t G = s->ngroups;
    double b = s->trend ? beta[G] : 0.0, check = 0;
    for (size_t k = 0; k < G; k++) {
        double a = beta[k];
        g->sw[k] = g->s0[k];
        g->swt[k] = g->s1[k];
        g->swtt[k] = g->s2[k];
        g->swz[k] = a * g->s0[k] + b * g->s1[k] + g->y0[k] - g->s0[k];
        g->swtz[k] = a * g->s1[k] + b * g->s2[k] + g->y1[k] - g->s1[k];
        check += g->swz[k] + g->swtz[k];
    }
    if (!isfinite(check))
        return hb_error_set(HB_ERROR, "GLM: weighted least squares data not finite");
    solve_sums(g);
    return 0;
}

/* Fitted values, linear predictors and working residuals for beta, and (prev != NULL) the
 * working weights prior * mu of the coefficients prev the last step started from. One pass. */
void hb_glm__moment_finish(hb_glm *g, const double *beta, const double *prev)
{
    const hb_glm_spec *s = &g->spec;
    size_t G = s->ngroups;
    double b = s->trend ? beta[G] : 0.0;
    for (size_t k = 0; k < G; k++) {
        g->aexp[k] = exp(beta[k]);
        g->aexp2[k] = prev ? exp(prev[k]) : 0.0;
    }
    double b2 = prev && s->trend ? prev[G] : 0.0;
    if (g->table) {
        powers(g, g->etab, b);
        if (prev)
            powers(g, g->etab2, b2);
    }
    for (size_t i = 0; i < s->n; i++) {
        uint32_t k = g->grpp[i];
        double t = g->tcp[i];
        double e = s->trend ? trend_exp(g, g->etab, b, i) : 1.0, mu = g->aexp[k] * e;
        if (prev)
            g->wt[i] = g->pw[i] * g->aexp2[k] * (s->trend ? trend_exp(g, g->etab2, b2, i) : 1.0);
        g->eta[i] = beta[k] + b * t;
        g->mu[i] = mu;
        g->resid[i] = (s->y[i] - mu) / mu;
    }
}

bool hb_glm__mu_pow_grouped(const hb_glm *g, double p, double *out)
{
    const hb_glm_spec *s = &g->spec;
    size_t G = s->ngroups;
    double *scaled = g->scratch; /* p times the coefficients */
    for (size_t k = 0; k < G; k++)
        scaled[k] = p * g->coef[k];
    if (s->trend)
        scaled[G] = p * g->coef[G];
    if (s->offset || !products_safe(g, scaled))
        return false;
    double b = s->trend ? scaled[G] : 0.0;
    if (g->table)
        powers(g, g->etab2, b);
    for (size_t k = 0; k < G; k++)
        g->aexp2[k] = exp(scaled[k]);
    for (size_t i = 0; i < s->n; i++) {
        uint32_t k = g->grpp[i];
        double e = s->trend ? trend_exp(g, g->etab2, b, i) : 1.0;
        /* A clamped fitted value is DBL_EPSILON, not exp(eta). */
        out[i] = g->mu[i] > DBL_EPSILON ? g->aexp2[k] * e : pow(g->mu[i], p);
    }
    return true;
}
