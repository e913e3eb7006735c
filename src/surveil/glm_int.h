/*
 * surveil/glm_int.h — the insides of the GLM fitter, shared by its three files:
 *
 *   glm.c          the IRLS iteration of glm.fit, families, glm.nb, results after the fit
 *   glm_qr.c       the dense design: weighted least squares by LINPACK dqrdc2's Householder QR
 *   glm_grouped.c  the grouped design, and its fast path for Poisson-variance families
 *
 * Everything a fit needs lives in struct hb_glm, sized at creation; nothing is allocated later.
 */
#ifndef HB_SURVEIL_GLM_INT_H
#define HB_SURVEIL_GLM_INT_H

#include "surveil/glm.h"

/* Cdqrls's tolerance in glm.fit: min(1e-7, epsilon / 1000). */
#define HB_GLM_QR_TOL(eps) ((eps) / 1000 < 1e-7 ? (eps) / 1000 : 1e-7)

struct hb_glm {
    size_t n_max, p_max;
    hb_glm_spec spec; /* the last problem (borrowed arrays) */
    hb_glm_result res;
    /* Per observation: linear predictor, fitted values, working weights (w^2, R's fit$weights),
     * working residuals, working response, sqrt of the weights, scratch. */
    double *eta, *mu, *wt, *resid, *z, *w, *mu_prev, *etabuf;
    /* Coefficients: current, previous iteration, step solution, as reported, scratch for solves
     * after the fit, and those the last step started from (the moment path). */
    double *coef, *coefold, *start, *coef_out, *scratch, *prevcoef;
    size_t rank, n_good;

    /* Dense: the factorised weighted design (n_good x p, column-major), qraux, pivot, the column
     * norms (original and current), the right-hand side. */
    double *qr, *qraux, *norms, *rhs;
    size_t *pivot;

    /* Grouped: per group sums of w, w t, w t^2, w z, w t z of the last step; mean trend. */
    double *sw, *swt, *swtt, *swz, *swtz, *tbar;
    double stt;
    bool slope_aliased;

    /* The fast path (glm_grouped.c). The loops read prior weights, y log y, trend, offset and
     * group through these pointers: the caller's arrays, or constant ones for what is absent. */
    bool fast, int_trend, table, moments_ok;
    const double *pw, *ylogy, *tcp, *offp;
    const uint32_t *grpp;
    double *ones, *zeros, *ylogy_buf, *eoff;
    uint32_t *zeros_u;
    /* exp(a_k) and exp(beta t) for the trend's integer values tmin .. tmin + trange, twice
     * (the current coefficients and those the last step started from). */
    double *aexp, *aexp2, *etab, *etab2;
    double tmin, tabs_max;
    size_t trange;
    /* Each observation's index in those tables, and the runs of consecutive observations of one
     * group: run r is observations run_end[r-1] .. run_end[r]-1 of group run_grp[r]. */
    uint32_t *tix, *run_end, *run_grp;
    size_t nruns;
    /* Per group: sums of w y, w y t, w, w t, w t^2; lowest and highest trend; moments S0..S2. */
    double *y0, *y1, *w0, *w1, *w2, *tlo, *thi, *s0, *s1, *s2;
    double yl, ysum; /* sums of w y log y and w y */
    /* The start values (the caller's etastart / start_mu, or eta[] / mu[]), their deviance, and
     * whether the sums sw .. swtz hold the first IRLS step from them (made by fast_setup). */
    const double *eta0p, *mu0p;
    double dev0;
    bool first_sums;
};

double hb_glm__linkinv(double eta);

/* glm_qr.c: one weighted least-squares step of the dense design into start[]; R^-T b. */
void hb_glm__qr_step(hb_glm *g);
void hb_glm__qr_forwardsolve(const hb_glm *g, double *b);

/* glm_grouped.c */
void hb_glm__grouped_step(hb_glm *g); /* general families: from wt[] and z[] */
/* Checks the spec as glm.c's validate() does, the start values as all_validmu(), and sums the
 * first IRLS step and the start's deviance in the same pass. */
int hb_glm__fast_setup(hb_glm *g);
/* The first step from the sums fast_setup made; the working weights of that step into wt[]. */
int hb_glm__fast_first_step(hb_glm *g);
void hb_glm__fast_first_weights(hb_glm *g);
int hb_glm__fast_step(hb_glm *g);
double hb_glm__fast_predict(hb_glm *g, const double *beta, bool *valid);
bool hb_glm__moment_sums(hb_glm *g, const double *beta);
double hb_glm__moment_dev(const hb_glm *g, const double *beta);
int hb_glm__moment_step(hb_glm *g, const double *beta);
void hb_glm__moment_finish(hb_glm *g, const double *beta, const double *prev);
/* mu^p as exp(p a_k) exp(p beta t) when the products are safe; false otherwise. */
bool hb_glm__mu_pow_grouped(const hb_glm *g, double p, double *out);

#endif
