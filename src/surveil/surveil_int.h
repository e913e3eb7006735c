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
#include "util/limits.h"
#include "util/limits.h"

struct hb_surveil_work {
    size_t length_max;
    hb_glm *glm;
    /* Farrington: the factor level of each time point, and the GLM data: the counts, their
     * y log y, log(y + 0.1) and exp of it (glm.fit's start), y^(2/3) (Anscombe residuals). */
    int16_t *factor;
    double *y, *ylogy, *eta0, *mu0start, *y23, *trend, *offset, *omega, *hat;
    uint32_t *group;
    /* Those four functions of the counts 0 .. HB_SURVEIL_COUNT_TABLE - 1. */
    double *tab_ylogy, *tab_eta0, *tab_mu0, *tab_y23;
    /* GLRNB / CUSUM: the in-control means, a dense design, integer counts. */
    double *mu0, *design, *stat;
};

/* y log y, log(y + 0.1), exp of that (glm.fit's start) and y^(2/3) of a count y that is not
 * in the work's table. */
void hb_surveil__count_functions(double y, double *ylogy, double *eta0, double *mu0, double *y23);

/* The same from the work's table when y is a small integer (the common case, inline). */
static inline void hb_surveil__count_lookup(const hb_surveil_work *w, double y, double *ylogy,
                                            double *eta0, double *mu0, double *y23)
{
    if (y >= 0 && y < HB_SURVEIL_COUNT_TABLE && y == (double)(int)y) {
        int i = (int)y;
        *ylogy = w->tab_ylogy[i], *eta0 = w->tab_eta0[i], *mu0 = w->tab_mu0[i];
        *y23 = w->tab_y23[i];
        return;
    }
    hb_surveil__count_functions(y, ylogy, eta0, mu0, y23);
}

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
