/*
 * surveil/glm.h — generalised linear models with a log link, fitted exactly as R's glm.fit does.
 *
 * Why our own fitter: Farrington-type detectors fit several small GLMs per series and time point,
 * and parity with R's `surveillance` package needs R's numbers, not just a good fit. R's numbers
 * depend on how glm.fit gets there, so this module copies its iteration exactly:
 *
 *   - start from mustart (y + 0.1 for Poisson and quasi-Poisson, y + (y == 0)/6 for the negative
 *     binomial), or from a given linear predictor (etastart);
 *   - iteratively reweighted least squares, at most maxit (25) iterations, stopping when
 *     |dev - devold| / (|dev| + 0.1) < epsilon (1e-8); non-finite deviance or fitted values halve
 *     the step back towards the previous coefficients;
 *   - mu = max(exp(eta), DBL_EPSILON), as R's log link clamps it.
 *
 * What a fit keeps is what R keeps: the coefficients and fitted values of the last step, but the
 * working weights and the QR factorisation of the *last weighted least-squares problem*, which were
 * computed from the fitted values one step before the end. Dispersion, hat values and standard
 * errors derive from those, as summary.glm, hatvalues and predict.glm do — that lag is visible in
 * the sixth digit, so parity needs it.
 *
 * Families (pluggable by `hb_glm_family`): Poisson, quasi-Poisson (same fit, dispersion estimated
 * by the caller with hb_glm_dispersion) and negative binomial with a known theta (variance
 * mu + mu^2/theta, R's MASS::negative.binomial); hb_glm_fit_nb estimates theta as MASS::glm.nb.
 *
 * Two designs, one iteration:
 *   - dense: an n x p matrix, solved by Householder QR with LINPACK dqrdc2's limited column
 * pivoting (tolerance 1e-11), as R does; aliased columns get NAN coefficients;
 *   - grouped: eta = a[group] + beta * trend — R's `y ~ 1 + wtime + factor`, reparametrised with
 * one intercept per group. IRLS is invariant under reparametrisation, so fitted values, weights and
 *     variances equal R's up to rounding, but each step costs O(n) instead of O(n p^2). This is
 * what makes Farrington with Noufaily's ten periods fast.
 *
 * Memory: an hb_glm holds every buffer for problems up to the size given at creation; fitting
 * never allocates, so a worker thread creates one and reuses it for every series and time point.
 * Thread safety: an hb_glm is used by one thread at a time; distinct ones are independent.
 */
#ifndef HB_SURVEIL_GLM_H
#define HB_SURVEIL_GLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* glm.control() defaults. */
#define HB_GLM_MAXIT   25
#define HB_GLM_EPSILON 1e-8

typedef enum hb_glm_family {
    HB_GLM_POISSON,      /* variance mu; dispersion 1 */
    HB_GLM_QUASIPOISSON, /* variance phi * mu; fitted like Poisson */
    HB_GLM_NEGBIN        /* variance mu + mu^2 / theta, theta known */
} hb_glm_family;

typedef struct hb_glm_spec {
    hb_glm_family family;
    double theta;           /* HB_GLM_NEGBIN only, > 0 */
    size_t n;               /* observations */
    const double *y;        /* n responses, finite and >= 0 */
    const double *weights;  /* n prior weights >= 0, or NULL for all 1 */
    const double *offset;   /* n offsets added to the linear predictor, or NULL */
    const double *etastart; /* n starting linear predictors, or NULL for the family's mustart */
    const double *start_mu; /* optional, with etastart: linkinv(etastart), precomputed */
    const double *ylogy;    /* optional: y log y (0 for y = 0) per observation. Callers that fit
                             * the same counts many times pass these to save the logarithms. */
    int maxit;              /* 0 = HB_GLM_MAXIT */
    double epsilon;         /* 0 = HB_GLM_EPSILON */

    /* Dense design: x != NULL, p columns stored column by column (column j at x + j * n). */
    const double *x;
    size_t p;

    /* Grouped design (x == NULL): eta = a[group[i]] + beta * trend[i]. Every group 0..ngroups-1
     * must have an observation with positive weight. trend == NULL: no slope. */
    const uint32_t *group; /* NULL: every observation in group 0 */
    size_t ngroups;        /* >= 1 */
    const double *trend;
} hb_glm_spec;

typedef struct hb_glm hb_glm;

/* The result of the last fit; arrays are borrowed from the hb_glm and live until the next fit. */
typedef struct hb_glm_result {
    bool converged;     /* false: R's glm.fit would warn "did not converge" (or stop) */
    int iter;           /* IRLS iterations used */
    size_t ncoef;       /* dense: p; grouped: ngroups (+ 1 with a trend, the slope last) */
    size_t rank;        /* columns not aliased */
    size_t df_residual; /* observations with positive prior weight minus rank */
    double deviance;
    const double *coef;      /* ncoef coefficients; NAN where aliased */
    const double *eta;       /* n linear predictors (offset included) */
    const double *mu;        /* n fitted values */
    const double *weights;   /* n working weights of the last IRLS step (R's fit$weights) */
    const double *residuals; /* n working residuals (y - mu) / mu (R's fit$residuals) */
} hb_glm_result;

/* A fitter for up to n_max observations and p_max coefficients (dense columns, or groups plus one
 * for the slope). HB_ENOMEM, HB_ELIMIT when the sizes overflow. */
int hb_glm_new(hb_glm **out, size_t n_max, size_t p_max);
void hb_glm_free(hb_glm *glm);

/*
 * Fit. Returns 0 when the iteration ran (check result->converged), HB_EINVAL for an invalid spec
 * (negative or non-finite response, sizes beyond the fitter's capacity, an empty group), and
 * HB_ERROR where R's glm.fit would stop ("no valid set of coefficients", "inner loop"). result
 * may be NULL; it can be read later with hb_glm_last().
 */
int hb_glm_fit(hb_glm *glm, const hb_glm_spec *spec, hb_glm_result *result);
const hb_glm_result *hb_glm_last(const hb_glm *glm);

/*
 * MASS::glm.nb: alternate a fit with theta fixed and theta.ml until the log-likelihood and theta
 * settle. spec->family and spec->theta are ignored; *theta gets the estimate. Same return values
 * as hb_glm_fit; HB_ERROR also when theta cannot be estimated (non-finite).
 */
int hb_glm_fit_nb(hb_glm *glm, const hb_glm_spec *spec, double *theta, hb_glm_result *result);

/*
 * summary.glm's dispersion estimate: sum(w * r^2) / df_residual over observations with w > 0,
 * where r are the working residuals and w the working weights — or the given weights (n values),
 * which is what R computes after code has replaced fit$weights. NAN when df_residual is 0.
 */
double hb_glm_dispersion(const hb_glm *glm, const double *weights);

/* out[i] = mu_i^p for the fitted values of the last fit (as pow(mu, p), to rounding; for grouped
 * designs as products of powers, several times cheaper). */
void hb_glm_mu_pow(const hb_glm *glm, double p, double *out);

/* Hat values of the last weighted least-squares problem (hatvalues / lm.influence): n values,
 * values within 10 * DBL_EPSILON of 1 set to 1. */
void hb_glm_hat(const hb_glm *glm, double *hat);

/*
 * A new row of the design, for prediction: dense — x0 (p values; offset excluded); grouped — the
 * group and the trend value. Returns x0' (X'WX)^-1 x0, the unscaled variance of the linear
 * predictor (predict.glm's se.fit^2 / dispersion), and its point prediction in *eta0 (offset
 * excluded). Aliased columns are left out, as predict.lm does.
 */
typedef struct hb_glm_row {
    const double *x;
    uint32_t group;
    double trend;
} hb_glm_row;
double hb_glm_predict(const hb_glm *glm, const hb_glm_row *row, double *eta0);

/* The unscaled variance of coefficient j (summary.glm's cov.unscaled[j, j]); NAN if aliased. */
double hb_glm_coef_var(const hb_glm *glm, size_t j);

#endif
