/*
 * healthybay/surveil.h — outbreak detection: aberrations in surveillance count series.
 *
 * The methods are those of the R package `surveillance` (1.20.3), with R's parameter names and
 * defaults, and give R's numbers (docs/methods.md lists each method's parity with R):
 *
 *   EARS C1, C2, C3      earsC                  Fricker, Hegler & Dunfee 2008
 *   Farrington           farrington             Farrington et al. 1996
 *   Farrington flexible  farringtonFlexible     Noufaily et al. 2013 (noPeriods, nbPlugin, …)
 *   CUSUM                cusum                  Rossi et al. 1999
 *   GLR negative binom.  glrnb                  Höhle & Paul 2008
 *   Bayes                bayes                  Riebler 2004
 *
 * One deliberate difference: R's C3 builds its bound from the current count, so a spike cannot
 * alarm in its own week; HB_SURVEIL_C3_PUBLISHED (the default) is Fricker et al.'s C3, and
 * HB_SURVEIL_C3_R reproduces R.
 *
 * Shape: pure functions over arrays. The caller owns every input and output array; the library
 * keeps no global state, so distinct threads may run detections at once, each with its own
 * hb_surveil_work (which holds all scratch memory: nothing is allocated per time point).
 *
 *     hb_surveil_params p;
 *     hb_surveil_params_init(&p, HB_SURVEIL_FARRINGTON_FLEXIBLE);
 *     p.no_periods = 10; p.past_weeks_not_included = 26;          // Noufaily et al.
 *     p.p_threshold_trend = 1; p.threshold_method = HB_SURVEIL_THRESHOLD_NBPLUGIN;
 *     hb_surveil_series s = { n, dates, counts, NULL, 52 };
 *     size_t from = hb_surveil_default_from(&p, &s);              // first point with history
 *     hb_surveil_work *work;  hb_surveil_work_new(&work, n);
 *     hb_surveil_result r = { expected, upperbound, alarm, NULL }; // n - from entries each
 *     int rc = hb_surveil_detect(&r, work, &s, &p, from, n);
 *
 * Missing results (R's NA): expected and upperbound are NAN, alarm is -1.
 */
#ifndef HEALTHYBAY_SURVEIL_H
#define HEALTHYBAY_SURVEIL_H

#include <stdbool.h>
#include <stddef.h>

#include "healthybay/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One time series of counts. */
typedef struct hb_surveil_series {
    size_t length;
    const hb_date *dates;     /* period start dates, strictly increasing, one period apart */
    const double *counts;     /* non-negative finite counts */
    const double *population; /* positive, for populationOffset; NULL when unknown */
    int freq;                 /* periods per year: 52 (weekly), 365 (daily) or 12 (monthly) */
} hb_surveil_series;

typedef enum hb_surveil_method {
    HB_SURVEIL_EARS_C1,
    HB_SURVEIL_EARS_C2,
    HB_SURVEIL_EARS_C3,
    HB_SURVEIL_FARRINGTON,
    HB_SURVEIL_FARRINGTON_FLEXIBLE,
    HB_SURVEIL_CUSUM,
    HB_SURVEIL_GLRNB,
    HB_SURVEIL_BAYES
} hb_surveil_method;

typedef enum hb_surveil_c3 {
    HB_SURVEIL_C3_PUBLISHED, /* C3_t = sum_{i=0..2} max(0, C2_{t-i} - 1) > c3_threshold */
    HB_SURVEIL_C3_R          /* surveillance::earsC: bound y_t + sd_t (z - lagged terms) */
} hb_surveil_c3;

typedef enum hb_surveil_threshold {
    HB_SURVEIL_THRESHOLD_DELTA,    /* Farrington: power-transformed normal approximation */
    HB_SURVEIL_THRESHOLD_NBPLUGIN, /* Noufaily: negative binomial quantile at the fitted mean */
    HB_SURVEIL_THRESHOLD_MUAN      /* as nbPlugin at the upper (1 - alpha) bound of the mean */
} hb_surveil_threshold;

typedef enum hb_surveil_powertrans {
    HB_SURVEIL_POWER_NONE,
    HB_SURVEIL_POWER_HALF,
    HB_SURVEIL_POWER_TWO_THIRDS
} hb_surveil_powertrans;

typedef enum hb_surveil_cusum_trans {
    HB_SURVEIL_TRANS_STANDARD,       /* (x - m) / sqrt(m) */
    HB_SURVEIL_TRANS_ROSSI,          /* (x - 3m + 2 sqrt(x m)) / (2 sqrt(m)) */
    HB_SURVEIL_TRANS_ANSCOMBE,       /* 3/2 (x^(2/3) - m^(2/3)) / m^(1/6) */
    HB_SURVEIL_TRANS_ANSCOMBE2ND,    /* (x^(2/3) - (m^(2/3) - m^(-1/3)/9)) / (2/3 m^(1/6)) */
    HB_SURVEIL_TRANS_PEARSON_NEGBIN, /* (x - m) / sqrt(m + alpha m^2) */
    HB_SURVEIL_TRANS_NONE            /* x */
} hb_surveil_cusum_trans;

typedef enum hb_surveil_cusum_m {
    HB_SURVEIL_M_MEAN,  /* R's m = NULL: the mean of every count before the range */
    HB_SURVEIL_M_VALUE, /* a given in-control mean (cusum_m) */
    HB_SURVEIL_M_GLM    /* R's m = "glm": Poisson GLM with one harmonic, fitted before the range */
} hb_surveil_cusum_m;

/*
 * Parameters of every method, named as R names them (snake_case). hb_surveil_params_init() sets
 * R's defaults for the chosen method; a field a method does not use is ignored.
 */
typedef struct hb_surveil_params {
    hb_surveil_method method;
    /* R's `alpha` for this method: the significance level (EARS: 0.001, R's C3 0.025;
     * Farrington, Bayes: 0.05), CUSUM's overdispersion for the negative-binomial transforms
     * (0.1), or GLRNB's negative binomial dispersion (variance m + alpha m^2; 0 = Poisson;
     * NAN = estimate it with MASS::glm.nb, which is what R does when alpha is not given). */
    double alpha;

    /* EARS */
    int baseline;        /* 7 */
    double min_sigma;    /* 0 */
    hb_surveil_c3 c3;    /* HB_SURVEIL_C3_PUBLISHED */
    double c3_threshold; /* 2 (Fricker et al.); published C3 only */

    /* Farrington, Farrington flexible, Bayes (b, w) */
    int b;                                 /* years back: 5 (Bayes: 0) */
    int w;                                 /* half window: 3 (Bayes: 6 weeks back) */
    bool reweight;                         /* true */
    double weights_threshold;              /* 2.58 (flexible); Farrington 1996 uses 1 */
    int past_weeks_not_included;           /* -1 = w */
    double p_threshold_trend;              /* 0.05 (Farrington 1996: fixed 0.05) */
    bool trend;                            /* true */
    int no_periods;                        /* 1 */
    bool population_offset;                /* false */
    hb_surveil_threshold threshold_method; /* delta */
    int limit54_cases;                     /* 5 */
    int limit54_periods;                   /* 4 */
    hb_surveil_powertrans powertrans;      /* 2/3 */
    bool act_y;                            /* Bayes: use the w periods before t (true) */

    /* CUSUM */
    double k;                     /* 1.04 */
    double h;                     /* 2.26 */
    hb_surveil_cusum_m m_kind;    /* mean of the counts before the range */
    double m;                     /* with HB_SURVEIL_M_VALUE */
    hb_surveil_cusum_trans trans; /* standard */

    /* GLR negative binomial */
    double c_arl;   /* 5 */
    int m_tilde;    /* 1 */
    int big_m;      /* R's M: -1 = no window */
    bool dir_inc;   /* true: detect increases (R's dir = "inc") */
    bool ret_cases; /* true: upperbound = cases needed for an alarm (R's ret = "cases") */
    int mu0_s;      /* harmonics of the mu0 model: 1 */
    bool mu0_trend; /* linear trend in the mu0 model: false */
} hb_surveil_params;

/* R's defaults for method. */
void hb_surveil_params_init(hb_surveil_params *params, hb_surveil_method method);

/* Check parameters (HB_EINVAL with a message naming the parameter, as R's checks would). */
int hb_surveil_params_check(const hb_surveil_params *params);

/* R's name of the method ("farringtonFlexible", "earsC", …). */
const char *hb_surveil_method_name(hb_surveil_method method);

/* The method from its CLI name: ears-c1, ears-c2, ears-c3, farrington, farrington-flexible,
 * cusum, glrnb, bayes. HB_EINVAL naming the choices otherwise. */
int hb_surveil_method_parse(hb_surveil_method *out, const char *name);

/*
 * Set one parameter from text, by R's control name in kebab case: "no-periods" = "10",
 * "threshold-method" = "nbPlugin", "limit54" = "5,4", "power-trans" = "1/2", "reweight" =
 * "false", "m" = "glm", "alpha" = "estimate" (GLRNB), "M" = "52". HB_EINVAL when the name is
 * unknown, the method does not use it, or the value is invalid (the message says which).
 */
int hb_surveil_params_set(hb_surveil_params *params, const char *name, const char *value);

/* The i-th parameter name hb_surveil_params_set() knows, NULL past the end; *is_flag (if not
 * NULL) says whether it is a true/false switch. */
const char *hb_surveil_params_name(size_t i, bool *is_flag);

/*
 * The first index R's default range starts at (for EARS baseline + 1 … for Farrington flexible
 * freq * b + w + 1, 1-based); may be >= series->length when the series is too short. CUSUM and
 * GLRNB have no R default: healthybay starts them after one year (freq periods) of history.
 */
size_t hb_surveil_default_from(const hb_surveil_params *params, const hb_surveil_series *series);

/* Results for time points from..to-1, each array to - from long, caller-owned. */
typedef struct hb_surveil_result {
    double *expected;   /* the method's baseline mean; NAN where it has none */
    double *upperbound; /* NAN where R gives NA */
    signed char *alarm; /* 1, 0, or -1 where R gives NA */
    double *pvalue;     /* optional (NULL): Farrington flexible's p-value, else NAN */
} hb_surveil_result;

typedef struct hb_surveil_work hb_surveil_work;

/* Scratch memory for series of up to length_max periods. HB_ENOMEM, HB_ELIMIT. */
int hb_surveil_work_new(hb_surveil_work **out, size_t length_max);
void hb_surveil_work_free(hb_surveil_work *work);

/*
 * Run the method on time points from..to-1 (0-based, from < to <= length). Returns 0;
 * HB_EINVAL for an invalid series or parameters; HB_ELIMIT when the series is longer than the
 * work was made for; HB_ENODATA when a method that learns its baseline from the periods before
 * the range (CUSUM, GLRNB) has none. Time points without enough history get NA results.
 */
int hb_surveil_detect(const hb_surveil_result *out, hb_surveil_work *work,
                      const hb_surveil_series *series, const hb_surveil_params *params, size_t from,
                      size_t to);

#ifdef __cplusplus
}
#endif
#endif
