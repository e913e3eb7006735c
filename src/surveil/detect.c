/*
 * surveil/detect.c — the public face of the detection module: parameters with R's defaults, their
 * checks, default ranges, scratch memory, and hb_surveil_detect(), which validates the series and
 * hands over to the method (ears.c, farrington.c, cusum.c, glrnb.c, bayes.c).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "surveil/surveil_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

void hb_surveil_params_init(hb_surveil_params *p, hb_surveil_method method)
{
    bool flexible = method == HB_SURVEIL_FARRINGTON_FLEXIBLE;
    bool bayes = method == HB_SURVEIL_BAYES;
    *p = (hb_surveil_params){
        .method = method,
        .baseline = 7,
        .min_sigma = 0,
        .c3 = HB_SURVEIL_C3_PUBLISHED,
        .c3_threshold = 2,
        .b = bayes ? 0 : 5,
        .w = bayes ? 6 : 3,
        .reweight = true,
        .weights_threshold = flexible ? 2.58 : 1,
        .past_weeks_not_included = -1,
        .p_threshold_trend = 0.05,
        .trend = true,
        .no_periods = 1,
        .population_offset = false,
        .threshold_method = HB_SURVEIL_THRESHOLD_DELTA,
        .limit54_cases = 5,
        .limit54_periods = 4,
        .powertrans = HB_SURVEIL_POWER_TWO_THIRDS,
        .act_y = true,
        .k = 1.04,
        .h = 2.26,
        .m_kind = HB_SURVEIL_M_MEAN,
        .m = NAN,
        .trans = HB_SURVEIL_TRANS_STANDARD,
        .c_arl = 5,
        .m_tilde = 1,
        .big_m = -1,
        .dir_inc = true,
        .ret_cases = false,
        .mu0_s = 1,
        .mu0_trend = false,
    };
    switch (method) {
    case HB_SURVEIL_EARS_C1:
    case HB_SURVEIL_EARS_C2:
        p->alpha = 0.001;
        break;
    case HB_SURVEIL_EARS_C3:
        p->alpha = 0.025; /* R's C3 default; the published C3 uses c3_threshold instead */
        break;
    case HB_SURVEIL_CUSUM:
        p->alpha = 0.1;
        break;
    case HB_SURVEIL_GLRNB:
        p->alpha = NAN;
        break;
    default:
        p->alpha = 0.05;
        break;
    }
}

const char *hb_surveil_method_name(hb_surveil_method method)
{
    switch (method) {
    case HB_SURVEIL_EARS_C1:
    case HB_SURVEIL_EARS_C2:
    case HB_SURVEIL_EARS_C3:
        return "earsC";
    case HB_SURVEIL_FARRINGTON:
        return "farrington";
    case HB_SURVEIL_FARRINGTON_FLEXIBLE:
        return "farringtonFlexible";
    case HB_SURVEIL_CUSUM:
        return "cusum";
    case HB_SURVEIL_GLRNB:
        return "glrnb";
    case HB_SURVEIL_BAYES:
        return "bayes";
    }
    return "?";
}

int hb_surveil_method_parse(hb_surveil_method *out, const char *name)
{
    static const struct {
        const char *name;
        hb_surveil_method method;
    } names[] = {
        { "ears-c1", HB_SURVEIL_EARS_C1 },
        { "ears-c2", HB_SURVEIL_EARS_C2 },
        { "ears-c3", HB_SURVEIL_EARS_C3 },
        { "farrington", HB_SURVEIL_FARRINGTON },
        { "farrington-flexible", HB_SURVEIL_FARRINGTON_FLEXIBLE },
        { "cusum", HB_SURVEIL_CUSUM },
        { "glrnb", HB_SURVEIL_GLRNB },
        { "bayes", HB_SURVEIL_BAYES },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0) {
            *out = names[i].method;
            return 0;
        }
    return hb_error_set(HB_EINVAL,
                        "unknown method '%s' (ears-c1, ears-c2, ears-c3, farrington, "
                        "farrington-flexible, cusum, glrnb, bayes)",
                        name);
}

static bool is_ears(hb_surveil_method m)
{
    return m == HB_SURVEIL_EARS_C1 || m == HB_SURVEIL_EARS_C2 || m == HB_SURVEIL_EARS_C3;
}

static bool is_farrington(hb_surveil_method m)
{
    return m == HB_SURVEIL_FARRINGTON || m == HB_SURVEIL_FARRINGTON_FLEXIBLE;
}

static int bad(const char *name, const char *why)
{
    return hb_error_set(HB_EINVAL, "parameter %s: %s", name, why);
}

static int check_farrington(const hb_surveil_params *p)
{
    if (p->b < 1 || p->b > HB_SURVEIL_YEARS_MAX)
        return bad("b", "years back must be 1..20");
    if (p->w < 0 || p->w > 26)
        return bad("w", "half window must be 0..26 periods");
    if (p->no_periods < 1 || p->no_periods > HB_SURVEIL_PERIODS_MAX)
        return bad("noPeriods", "must be 1..52");
    if (p->past_weeks_not_included < -1)
        return bad("pastWeeksNotIncluded", "must be >= 0");
    if (!(p->weights_threshold >= 0))
        return bad("weightsThreshold", "must be >= 0");
    if (!(p->p_threshold_trend >= 0 && p->p_threshold_trend <= 1))
        return bad("pThresholdTrend", "must be in [0, 1]");
    if (p->limit54_cases < 0 || p->limit54_periods < 1)
        return bad("limit54", "are out of bounds: cases >= 0 and period > 0");
    if (p->population_offset && p->method != HB_SURVEIL_FARRINGTON_FLEXIBLE)
        return bad("populationOffset", "only farringtonFlexible has a population offset");
    return 0;
}

static int check_glrnb(const hb_surveil_params *p)
{
    if (!(p->c_arl > 0) || !isfinite(p->c_arl))
        return bad("c.ARL", "must be a positive number");
    if (!(p->alpha >= 0) && !isnan(p->alpha))
        return bad("alpha", "the negative binomial dispersion must be >= 0");
    if (p->m_tilde < 1 || (p->big_m != -1 && p->big_m < p->m_tilde))
        return bad("Mtilde/M", "need Mtilde >= 1 and M = -1 or M >= Mtilde");
    if (p->mu0_s < 0 || p->mu0_s > HB_SURVEIL_HARMONICS_MAX)
        return bad("mu0$S", "harmonics must be 0..8");
    return 0;
}

int hb_surveil_params_check(const hb_surveil_params *p)
{
    bool sig = is_ears(p->method) || is_farrington(p->method) || p->method == HB_SURVEIL_BAYES;
    if (sig && !(p->alpha > 0 && p->alpha < 1))
        return bad("alpha", "must be in (0, 1)");
    if (is_ears(p->method)) {
        if (p->baseline < 3)
            return bad("baseline", "minimum baseline to use is 3");
        if (!(p->min_sigma >= 0))
            return bad("minSigma", "must be >= 0");
        if (!(p->c3_threshold > 0))
            return bad("c3 threshold", "must be > 0");
    }
    if (is_farrington(p->method))
        return check_farrington(p);
    if (p->method == HB_SURVEIL_BAYES && (p->b < 0 || p->b > HB_SURVEIL_YEARS_MAX || p->w < 0))
        return bad("b/w", "need 0 <= b <= 20 and w >= 0");
    if (p->method == HB_SURVEIL_BAYES && p->w == 0 && (p->b == 0 || !p->act_y))
        return bad("w", "Bayes needs reference values");
    if (p->method == HB_SURVEIL_CUSUM) {
        if (!(p->k >= 0) || !(p->h > 0))
            return bad("k/h", "need k >= 0 and h > 0");
        if (p->m_kind == HB_SURVEIL_M_VALUE && !(p->m > 0))
            return bad("m", "the in-control mean must be > 0");
        if (!(p->alpha >= 0))
            return bad("alpha", "must be >= 0");
    }
    if (p->method == HB_SURVEIL_GLRNB)
        return check_glrnb(p);
    return 0;
}

size_t hb_surveil_default_from(const hb_surveil_params *p, const hb_surveil_series *s)
{
    long first; /* 1-based, as R's range */
    switch (p->method) {
    case HB_SURVEIL_EARS_C1:
        first = p->baseline + 1;
        break;
    case HB_SURVEIL_EARS_C2:
        first = p->baseline + 3;
        break;
    case HB_SURVEIL_EARS_C3:
        first = p->baseline + 5;
        break;
    case HB_SURVEIL_FARRINGTON:
        first = (long)s->freq * p->b - p->w;
        break;
    case HB_SURVEIL_FARRINGTON_FLEXIBLE:
        first = (long)s->freq * p->b + p->w + 1;
        break;
    case HB_SURVEIL_BAYES:
        first = (long)s->freq * p->b + p->w + 1;
        break;
    default:
        first = (long)s->freq + 1;
        break;
    }
    return first < 1 ? 0 : (size_t)(first - 1);
}

/* y log y, glm.fit's start log(y + 0.1) and exp of it (clamped as the log link clamps), and
 * y^(2/3), as R computes them. */
void hb_surveil__count_functions(double y, double *ylogy, double *eta0, double *mu0, double *y23)
{
    *ylogy = y > 0 ? y * log(y) : 0.0;
    *eta0 = log(y + 0.1);
    double mu = exp(*eta0);
    *mu0 = mu > DBL_EPSILON ? mu : DBL_EPSILON;
    *y23 = pow(y, 2.0 / 3.0);
}

int hb_surveil_work_new(hb_surveil_work **out, size_t length_max)
{
    *out = NULL;
    if (length_max == 0 || length_max > HB_SERIES_LENGTH_MAX)
        return hb_error_set(HB_ELIMIT, "series length %zu is out of range 1..%d", length_max,
                            HB_SERIES_LENGTH_MAX);
    hb_surveil_work *w = hb_calloc(1, sizeof *w);
    if (!w)
        return HB_ENOMEM;
    w->length_max = length_max;
    size_t ncol = 2 + 2 * HB_SURVEIL_HARMONICS_MAX;
    size_t pmax = HB_SURVEIL_PERIODS_MAX + 1 > ncol ? HB_SURVEIL_PERIODS_MAX + 1 : ncol;
    int rc = hb_glm_new(&w->glm, length_max, pmax);
    bool ok = rc == 0;
    ok = ok && (w->factor = hb_mallocarray(length_max, sizeof *w->factor)) != NULL;
    ok = ok && (w->group = hb_mallocarray(length_max, sizeof *w->group)) != NULL;
    double **bufs[] = { &w->y,      &w->ylogy, &w->eta0, &w->mu0start, &w->y23, &w->trend,
                        &w->offset, &w->omega, &w->hat,  &w->mu0,      &w->stat };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        ok = ok && (*bufs[i] = hb_mallocarray(length_max, sizeof(double))) != NULL;
    double **tabs[] = { &w->tab_ylogy, &w->tab_eta0, &w->tab_mu0, &w->tab_y23 };
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++)
        ok = ok && (*tabs[i] = hb_mallocarray(HB_SURVEIL_COUNT_TABLE, sizeof(double))) != NULL;
    for (size_t y = 0; ok && y < HB_SURVEIL_COUNT_TABLE; y++)
        hb_surveil__count_functions((double)y, &w->tab_ylogy[y], &w->tab_eta0[y], &w->tab_mu0[y],
                                    &w->tab_y23[y]);
    ok = ok && (w->design = hb_mallocarray(length_max, ncol * sizeof(double))) != NULL;
    if (!ok) {
        hb_surveil_work_free(w);
        return rc < 0 ? rc : HB_ENOMEM;
    }
    *out = w;
    return 0;
}

void hb_surveil_work_free(hb_surveil_work *w)
{
    if (!w)
        return;
    hb_glm_free(w->glm);
    hb_free(w->factor);
    hb_free(w->group);
    double *bufs[] = { w->y,         w->ylogy,    w->eta0,    w->mu0start, w->y23,  w->trend,
                       w->offset,    w->omega,    w->hat,     w->mu0,      w->stat, w->design,
                       w->tab_ylogy, w->tab_eta0, w->tab_mu0, w->tab_y23 };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        hb_free(bufs[i]);
    hb_free(w);
}

void hb_surveil__set_na(const hb_surveil_result *out, size_t i)
{
    out->expected[i] = NAN;
    out->upperbound[i] = NAN;
    out->alarm[i] = -1;
    if (out->pvalue)
        out->pvalue[i] = NAN;
}

static int check_series(const hb_surveil_series *s, bool need_population)
{
    if (s->freq != 52 && s->freq != 365 && s->freq != 12)
        return hb_error_set(HB_EINVAL, "frequency %d is not 52, 365 or 12", s->freq);
    if (s->length == 0 || !s->dates || !s->counts)
        return hb_error_set(HB_EINVAL, "the series is empty");
    for (size_t i = 0; i < s->length; i++) {
        if (!(s->counts[i] >= 0) || !isfinite(s->counts[i]))
            return hb_error_set(HB_EINVAL, "count %zu is %g: counts must be finite and >= 0", i + 1,
                                s->counts[i]);
        if (i > 0 && s->dates[i] <= s->dates[i - 1])
            return hb_error_set(HB_EINVAL, "dates must increase (period %zu)", i + 1);
        if (need_population && (!(s->population[i] > 0) || !isfinite(s->population[i])))
            return hb_error_set(HB_EINVAL, "population %zu is %g: must be > 0", i + 1,
                                s->population[i]);
    }
    return 0;
}

int hb_surveil_detect(const hb_surveil_result *out, hb_surveil_work *work,
                      const hb_surveil_series *s, const hb_surveil_params *p, size_t from,
                      size_t to)
{
    if (!out || !work || !s || !p || !out->expected || !out->upperbound || !out->alarm)
        return hb_error_set(HB_EINVAL, "hb_surveil_detect: missing argument");
    int rc = hb_surveil_params_check(p);
    if (rc < 0)
        return rc;
    if (p->population_offset && !s->population)
        return hb_error_set(HB_EINVAL, "populationOffset needs a population column");
    if ((rc = check_series(s, p->population_offset)) < 0)
        return rc;
    if (s->length > work->length_max)
        return hb_error_set(HB_ELIMIT, "series of %zu periods; the work was made for %zu",
                            s->length, work->length_max);
    if (from >= to || to > s->length)
        return hb_error_set(HB_EINVAL, "range %zu..%zu is not inside 1..%zu", from + 1, to,
                            s->length);
    switch (p->method) {
    case HB_SURVEIL_EARS_C1:
    case HB_SURVEIL_EARS_C2:
    case HB_SURVEIL_EARS_C3:
        return hb_surveil__ears(out, s, p, from, to);
    case HB_SURVEIL_FARRINGTON:
    case HB_SURVEIL_FARRINGTON_FLEXIBLE:
        return hb_surveil__farrington(out, work, s, p, from, to);
    case HB_SURVEIL_CUSUM:
        return hb_surveil__cusum(out, work, s, p, from, to);
    case HB_SURVEIL_GLRNB:
        return hb_surveil__glrnb(out, work, s, p, from, to);
    case HB_SURVEIL_BAYES:
        return hb_surveil__bayes(out, s, p, from, to);
    }
    return hb_error_set(HB_EINVAL, "unknown method %d", (int)p->method);
}
