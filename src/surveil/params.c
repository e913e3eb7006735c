/*
 * surveil/params.c — setting detection parameters by name, as text: the one parser behind the
 * CLI's options, the parity tests' configurations and any future front end.
 *
 * Names are R's control names in kebab case (pastWeeksNotIncluded -> past-weeks-not-included;
 * c.ARL -> c-arl; R's M stays M). Values are strict: an integer must be an integer, a level one of
 * R's levels. A name the chosen method does not use is an error, so a typo or a misplaced option
 * is never silently ignored.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "healthybay/surveil.h"
#include "util/error.h"
#include "util/parse.h"

enum kind { K_INT, K_DOUBLE, K_BOOL, K_ENUM, K_ALPHA, K_LIMIT54, K_M };

typedef struct level {
    const char *name;
    int value;
} level;

static const level c3_levels[] = { { "published", HB_SURVEIL_C3_PUBLISHED },
                                   { "r", HB_SURVEIL_C3_R },
                                   { NULL, 0 } };
static const level threshold_levels[] = { { "delta", HB_SURVEIL_THRESHOLD_DELTA },
                                          { "nbPlugin", HB_SURVEIL_THRESHOLD_NBPLUGIN },
                                          { "muan", HB_SURVEIL_THRESHOLD_MUAN },
                                          { NULL, 0 } };
static const level power_levels[] = { { "2/3", HB_SURVEIL_POWER_TWO_THIRDS },
                                      { "1/2", HB_SURVEIL_POWER_HALF },
                                      { "none", HB_SURVEIL_POWER_NONE },
                                      { NULL, 0 } };
static const level trans_levels[] = { { "standard", HB_SURVEIL_TRANS_STANDARD },
                                      { "rossi", HB_SURVEIL_TRANS_ROSSI },
                                      { "anscombe", HB_SURVEIL_TRANS_ANSCOMBE },
                                      { "anscombe2nd", HB_SURVEIL_TRANS_ANSCOMBE2ND },
                                      { "pearsonNegBin", HB_SURVEIL_TRANS_PEARSON_NEGBIN },
                                      { "none", HB_SURVEIL_TRANS_NONE },
                                      { NULL, 0 } };
static const level dir_levels[] = { { "inc", 1 }, { "dec", 0 }, { NULL, 0 } };
static const level ret_levels[] = { { "cases", 1 }, { "value", 0 }, { NULL, 0 } };

/* Methods as bits. */
#define EARS  (1u << HB_SURVEIL_EARS_C1 | 1u << HB_SURVEIL_EARS_C2 | 1u << HB_SURVEIL_EARS_C3)
#define C3    (1u << HB_SURVEIL_EARS_C3)
#define FARR  (1u << HB_SURVEIL_FARRINGTON | 1u << HB_SURVEIL_FARRINGTON_FLEXIBLE)
#define FLEX  (1u << HB_SURVEIL_FARRINGTON_FLEXIBLE)
#define CUSUM (1u << HB_SURVEIL_CUSUM)
#define GLR   (1u << HB_SURVEIL_GLRNB)
#define BAYES (1u << HB_SURVEIL_BAYES)
#define ALL   (EARS | FARR | CUSUM | GLR | BAYES)

typedef struct option {
    const char *name;
    enum kind kind;
    size_t offset;
    unsigned methods;
    const level *levels; /* K_ENUM; K_BOOL stored in an int enum uses dir/ret levels */
} option;

_Static_assert(sizeof(hb_surveil_c3) == sizeof(int) &&
                   sizeof(hb_surveil_threshold) == sizeof(int) &&
                   sizeof(hb_surveil_powertrans) == sizeof(int) &&
                   sizeof(hb_surveil_cusum_trans) == sizeof(int),
               "enum parameters are stored as int");

#define F(field) offsetof(hb_surveil_params, field)
static const option options[] = {
    { "alpha", K_ALPHA, F(alpha), ALL, NULL },
    { "baseline", K_INT, F(baseline), EARS, NULL },
    { "min-sigma", K_DOUBLE, F(min_sigma), EARS, NULL },
    { "c3", K_ENUM, F(c3), C3, c3_levels },
    { "c3-threshold", K_DOUBLE, F(c3_threshold), C3, NULL },
    { "b", K_INT, F(b), FARR | BAYES, NULL },
    { "w", K_INT, F(w), FARR | BAYES, NULL },
    { "reweight", K_BOOL, F(reweight), FARR, NULL },
    { "weights-threshold", K_DOUBLE, F(weights_threshold), FLEX, NULL },
    { "past-weeks-not-included", K_INT, F(past_weeks_not_included), FLEX, NULL },
    { "p-threshold-trend", K_DOUBLE, F(p_threshold_trend), FLEX, NULL },
    { "trend", K_BOOL, F(trend), FARR, NULL },
    { "no-periods", K_INT, F(no_periods), FLEX, NULL },
    { "population-offset", K_BOOL, F(population_offset), FLEX, NULL },
    { "threshold-method", K_ENUM, F(threshold_method), FLEX, threshold_levels },
    { "limit54", K_LIMIT54, 0, FARR, NULL },
    { "power-trans", K_ENUM, F(powertrans), FARR, power_levels },
    { "act-y", K_BOOL, F(act_y), BAYES, NULL },
    { "k", K_DOUBLE, F(k), CUSUM, NULL },
    { "h", K_DOUBLE, F(h), CUSUM, NULL },
    { "m", K_M, 0, CUSUM, NULL },
    { "trans", K_ENUM, F(trans), CUSUM, trans_levels },
    { "c-arl", K_DOUBLE, F(c_arl), GLR, NULL },
    { "m-tilde", K_INT, F(m_tilde), GLR, NULL },
    { "M", K_INT, F(big_m), GLR, NULL },
    { "dir", K_ENUM, F(dir_inc), GLR, dir_levels },
    { "ret", K_ENUM, F(ret_cases), GLR, ret_levels },
    { "mu0-s", K_INT, F(mu0_s), GLR, NULL },
    { "mu0-trend", K_BOOL, F(mu0_trend), GLR, NULL },
};
#undef F

static int parse_bool(bool *out, const char *v)
{
    static const char *const yes[] = { "true", "TRUE", "yes", "1" }, *const no[] = { "false",
                                                                                     "FALSE", "no",
                                                                                     "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(v, yes[i]) == 0)
            return (*out = true), 0;
        if (strcmp(v, no[i]) == 0)
            return (*out = false), 0;
    }
    return hb_error_set(HB_EINVAL, "'%s' is not true or false", v);
}

static int parse_level(int *out, const level *levels, const char *v)
{
    for (const level *l = levels; l->name; l++)
        if (strcmp(l->name, v) == 0)
            return (*out = l->value), 0;
    char list[200] = "";
    for (const level *l = levels; l->name; l++) {
        strncat(list, l->name, sizeof list - strlen(list) - 1);
        if (l[1].name)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
    }
    return hb_error_set(HB_EINVAL, "'%s' is not one of %s", v, list);
}

static int parse_int(int *out, const char *v)
{
    int64_t x;
    if (hb_parse_int64(&x, v, strlen(v)) < 0 || x < -1000000 || x > 1000000)
        return hb_error_set(HB_EINVAL, "'%s' is not an integer", v);
    *out = (int)x;
    return 0;
}

static int parse_number(double *out, const char *v)
{
    return hb_parse_double(out, v, strlen(v)) < 0
               ? hb_error_set(HB_EINVAL, "'%s' is not a number", v)
               : 0;
}

static int set_special(hb_surveil_params *p, const option *o, const char *v)
{
    if (o->kind == K_ALPHA) {
        if (p->method == HB_SURVEIL_GLRNB && strcmp(v, "estimate") == 0)
            return (p->alpha = NAN), 0;
        return parse_number(&p->alpha, v);
    }
    if (o->kind == K_LIMIT54) {
        const char *comma = strchr(v, ',');
        int64_t a, b;
        if (!comma || hb_parse_int64(&a, v, (size_t)(comma - v)) < 0 ||
            hb_parse_int64(&b, comma + 1, strlen(comma + 1)) < 0 || a < 0 || b < 1 || a > 1000000 ||
            b > 1000000)
            return hb_error_set(HB_EINVAL, "'%s' is not CASES,PERIODS (e.g. 5,4)", v);
        p->limit54_cases = (int)a;
        p->limit54_periods = (int)b;
        return 0;
    }
    /* K_M: cusum's in-control mean. */
    if (strcmp(v, "glm") == 0)
        return (p->m_kind = HB_SURVEIL_M_GLM), 0;
    if (strcmp(v, "mean") == 0)
        return (p->m_kind = HB_SURVEIL_M_MEAN), 0;
    p->m_kind = HB_SURVEIL_M_VALUE;
    return parse_number(&p->m, v);
}

static int set_value(hb_surveil_params *p, const option *o, const char *v)
{
    char *field = (char *)p + o->offset;
    switch (o->kind) {
    case K_INT:
        return parse_int((int *)(void *)field, v);
    case K_DOUBLE:
        return parse_number((double *)(void *)field, v);
    case K_BOOL:
        return parse_bool((bool *)(void *)field, v);
    case K_ENUM: {
        int x = 0;
        int rc = parse_level(&x, o->levels, v);
        if (rc == 0 && o->levels == dir_levels)
            p->dir_inc = x;
        else if (rc == 0 && o->levels == ret_levels)
            p->ret_cases = x;
        else if (rc == 0)
            memcpy(field, &x, sizeof x); /* the enums are int-sized */
        return rc;
    }
    default:
        return set_special(p, o, v);
    }
}

int hb_surveil_params_set(hb_surveil_params *p, const char *name, const char *value)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        const option *o = &options[i];
        if (strcmp(o->name, name) != 0)
            continue;
        if (!(o->methods & (1u << p->method)))
            return hb_error_set(HB_EINVAL, "%s has no parameter '%s'",
                                hb_surveil_method_name(p->method), name);
        if (set_value(p, o, value) < 0)
            return hb_error_prefix("parameter %s: ", name);
        return 0;
    }
    return hb_error_set(HB_EINVAL, "no detection parameter '%s'", name);
}

const char *hb_surveil_params_name(size_t i, bool *is_flag)
{
    if (i >= sizeof options / sizeof options[0])
        return NULL;
    if (is_flag)
        *is_flag = options[i].kind == K_BOOL;
    return options[i].name;
}
