/*
 * surveil/glm_qr.c — the dense design's weighted least-squares step, as R's Cdqrls: A = diag(w) X
 * (good rows only) is copied into qr[] and factorised in place by qr_decompose(), a transcription
 * of LINPACK dqrdc2 — Householder reflections, with columns whose remaining norm falls below tol
 * times their original norm moved to the end and declared aliased. The reflections then give
 * Q'(w z), and R b = (Q'wz)[1..rank]; aliased coefficients are 0 during the iteration.
 */
#include <math.h>

#include "surveil/glm_int.h"

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
static void forwardsolve(const hb_glm *g, size_t n, double *b)
{
    for (size_t j = 0; j < g->rank; j++) {
        double s = b[j];
        for (size_t i = 0; i < j; i++)
            s -= g->qr[j * n + i] * b[i];
        b[j] = s / g->qr[j * n + j];
    }
}

/* One weighted least-squares step on the good rows: start[] gets the solution. */
void hb_glm__qr_step(hb_glm *g)
{
    const hb_glm_spec *s = &g->spec;
    size_t n = g->n_good, p = s->p, r = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->weights && s->weights[i] <= 0)
            continue;
        for (size_t j = 0; j < p; j++)
            g->qr[j * n + r] = s->x[j * s->n + i] * g->w[i];
        g->rhs[r] = g->z[i] * g->w[i];
        r++;
    }
    qr_decompose(g, n, p, HB_GLM_QR_TOL(s->epsilon));
    qr_qty(g, n, g->rhs);
    qr_backsolve(g, n, g->rhs);
    for (size_t j = 0; j < p; j++)
        g->start[g->pivot[j]] = j < g->rank ? g->rhs[j] : 0.0;
}

void hb_glm__qr_forwardsolve(const hb_glm *g, double *b)
{
    forwardsolve(g, g->n_good, b);
}
