/*
 * surveil/surveil_int.h — what the detection methods share inside the module: the scratch memory
 * (struct hb_surveil_work) and one entry point per method, called by hb_surveil_detect() after it
 * has checked the series, the parameters and the range.
 *
 * Conventions of the method functions: out arrays are indexed from `from` (out->expected[t -
 * from]); every entry of from..to-1 is written; a time point R cannot compute gets NA (NAN / -1);
 * the functions never allocate.
 */
#ifndef HB_SURVEIL_SURVEIL_INT_H
#define HB_SURVEIL_SURVEIL_INT_H

#include <stdint.h>

#include "healthybay/surveil.h"
#include "surveil/glm.h"

struct hb_surveil_work {
    size_t length_max;
    hb_glm *glm;
    /* Farrington: the factor level of each time point, and the GLM data. */
    int16_t *factor;
    double *y, *trend, *offset, *omega, *hat;
    uint32_t *group;
    /* GLRNB / CUSUM: the in-control means, a dense design, integer counts. */
    double *mu0, *design, *stat;
};

/* Write NA into entry i of out. */
void hb_surveil__set_na(const hb_surveil_result *out, size_t i);

int hb_surveil__ears(const hb_surveil_result *out, const hb_surveil_series *s,
                     const hb_surveil_params *p, size_t from, size_t to);
int hb_surveil__farrington(const hb_surveil_result *out, hb_surveil_work *work,
                           const hb_surveil_series *s, const hb_surveil_params *p, size_t from,
                           size_t to);
int hb_surveil__cusum(const hb_surveil_result *out, hb_surveil_work *work,
                      const hb_surveil_series *s, const hb_surveil_params *p, size_t from,
                      size_t to);
int hb_surveil__glrnb(const hb_surveil_result *out, hb_surveil_work *work,
                      const hb_surveil_series *s, const hb_surveil_params *p, size_t from,
                      size_t to);
int hb_surveil__bayes(const hb_surveil_result *out, const hb_surveil_series *s,
                      const hb_surveil_params *p, size_t from, size_t to);

/* The seasonal Poisson / negative binomial GLM that GLRNB (mu0) and CUSUM (m = "glm") fit on
 * the periods before the range: y ~ 1 [+ t] + sum_s cos(2 pi s t / freq) + sin(…), t = 1..from
 * (plus phase). mu0[t - from] for t in from..to-1 gets the predictions. nb_alpha: 0 = Poisson,
 * > 0 fixed, NAN = estimated (glm.nb), and then *nb_alpha_out gets 1/theta. */
int hb_surveil__seasonal_glm(hb_surveil_work *work, const hb_surveil_series *s, size_t from,
                             size_t to, int harmonics, bool trend, double phase, double nb_alpha,
                             double *nb_alpha_out);

#endif
