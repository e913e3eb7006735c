/*
 * tests/surveil/parity.c — see parity.h.
 */
#include "parity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "healthybay/date.h"

#define LEN_MAX 4000

typedef struct series {
    char dataset[64], name[64];
    size_t length;
    hb_date dates[LEN_MAX];
    double counts[LEN_MAX], population[LEN_MAX];
    bool has_population;
    int freq;
} series;

void parity_params(hb_surveil_params *p, const char *config)
{
    fx_table *t = fx_load("detect_configs.csv");
    size_t cc = fx_col(t, "config"), cm = fx_col(t, "method"), co = fx_col(t, "options");
    bool found = false;
    for (size_t r = 0; r < fx_rows(t) && !found; r++) {
        if (strcmp(fx_str(t, r, cc), config) != 0)
            continue;
        found = true;
        hb_surveil_method m;
        CHECK_OK(hb_surveil_method_parse(&m, fx_str(t, r, cm)));
        hb_surveil_params_init(p, m);
        char opts[512];
        snprintf(opts, sizeof opts, "%s", fx_str(t, r, co));
        for (char *save = NULL, *tok = strtok_r(opts, ";", &save); tok;
             tok = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(tok, '=');
            CHECK(eq != NULL);
            *eq = 0;
            CHECK_OK(hb_surveil_params_set(p, tok, eq + 1));
        }
    }
    fx_free(t);
    CHECK_MSG(found, "no configuration %s", config);
}

/* Load one series of an input file. */
static void load_series(series *s, const char *dataset, const char *name)
{
    char file[128];
    snprintf(file, sizeof file, "input_%s.csv", dataset);
    fx_table *t = fx_load(file);
    size_t cs = fx_col(t, "series"), cd = fx_col(t, "date"), cn = fx_col(t, "count");
    long cp = fx_has_col(t, "population") ? (long)fx_col(t, "population") : -1;
    memset(s, 0, sizeof *s);
    snprintf(s->dataset, sizeof s->dataset, "%s", dataset);
    snprintf(s->name, sizeof s->name, "%s", name);
    for (size_t r = 0; r < fx_rows(t); r++) {
        if (strcmp(fx_str(t, r, cs), name) != 0)
            continue;
        CHECK(s->length < LEN_MAX);
        const char *d = fx_str(t, r, cd);
        CHECK_OK(hb_date_parse(&s->dates[s->length], d, strlen(d)));
        s->counts[s->length] = fx_num(t, r, cn);
        if (cp >= 0)
            s->population[s->length] = fx_num(t, r, (size_t)cp);
        s->length++;
    }
    fx_free(t);
    CHECK(s->length > 1);
    s->has_population = cp >= 0;
    hb_date step = s->dates[1] - s->dates[0];
    s->freq = step == 1 ? 365 : step == 7 ? 52 : 12;
}

static bool near(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    double d = fabs(a - b), m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return d <= PARITY_REL * m || d <= PARITY_ABS;
}

typedef struct tally {
    size_t rows, bad;
    char first[4][300];
} tally;

static void note(tally *t, const series *s, const char *date, const char *what, double ours,
                 double r)
{
    if (t->bad < 4)
        snprintf(t->first[t->bad], sizeof t->first[0], "%s/%s %s %s: healthybay %.12g, R %.12g",
                 s->dataset, s->name, date, what, ours, r);
    t->bad++;
}

/* Compare rows [r0, r1) of the fixture (one series) with our run. */
static void compare(tally *tl, fx_table *t, size_t r0, size_t r1, const series *s,
                    const hb_surveil_params *p)
{
    size_t cd = fx_col(t, "date"), ce = fx_col(t, "expected"), cu = fx_col(t, "upperbound"),
           ca = fx_col(t, "alarm"), cp = fx_col(t, "pvalue");
    hb_date first;
    const char *d0 = fx_str(t, r0, cd);
    CHECK_OK(hb_date_parse(&first, d0, strlen(d0)));
    size_t from = 0;
    while (from < s->length && s->dates[from] != first)
        from++;
    CHECK(from < s->length);
    size_t n = r1 - r0, to = from + n;
    CHECK(to <= s->length);
    static double ex[LEN_MAX], up[LEN_MAX], pv[LEN_MAX];
    static signed char al[LEN_MAX];
    hb_surveil_result res = { ex, up, al, pv };
    hb_surveil_series in = { s->length, s->dates, s->counts,
                             s->has_population ? s->population : NULL, s->freq };
    hb_surveil_work *w;
    CHECK_OK(hb_surveil_work_new(&w, s->length));
    CHECK_OK(hb_surveil_detect(&res, w, &in, p, from, to));
    hb_surveil_work_free(w);
    for (size_t i = 0; i < n; i++) {
        size_t r = r0 + i;
        const char *date = fx_str(t, r, cd);
        double ra = fx_num(t, r, ca), rp = fx_num(t, r, cp);
        tl->rows++;
        if ((isnan(ra) ? -1 : (int)ra) != al[i])
            note(tl, s, date, "alarm", al[i], ra);
        if (!near(ex[i], fx_num(t, r, ce)))
            note(tl, s, date, "expected", ex[i], fx_num(t, r, ce));
        if (!near(up[i], fx_num(t, r, cu)))
            note(tl, s, date, "upperbound", up[i], fx_num(t, r, cu));
        if (!isnan(rp) && !near(pv[i], rp))
            note(tl, s, date, "pvalue", pv[i], rp);
    }
}

/* Series R failed on must fail here too. */
static void check_errors(const char *config, const hb_surveil_params *p, series *s)
{
    fx_table *t = fx_load("detect_errors.csv");
    size_t cc = fx_col(t, "config"), cd = fx_col(t, "dataset"), cs = fx_col(t, "series");
    for (size_t r = 0; r < fx_rows(t); r++) {
        if (strcmp(fx_str(t, r, cc), config) != 0)
            continue;
        load_series(s, fx_str(t, r, cd), fx_str(t, r, cs));
        static double ex[LEN_MAX], up[LEN_MAX];
        static signed char al[LEN_MAX];
        hb_surveil_result res = { ex, up, al, NULL };
        hb_surveil_series in = { s->length, s->dates, s->counts, NULL, s->freq };
        hb_surveil_work *w;
        CHECK_OK(hb_surveil_work_new(&w, s->length));
        size_t from = hb_surveil_default_from(p, &in);
        if (from < s->length - 104)
            from = s->length - 104;
        int rc = hb_surveil_detect(&res, w, &in, p, from, s->length);
        hb_surveil_work_free(w);
        CHECK_MSG(rc < 0, "R fails on %s/%s but healthybay does not", s->dataset, s->name);
    }
    fx_free(t);
}

void parity_run(const char *config)
{
    hb_surveil_params p;
    parity_params(&p, config);
    char file[128];
    snprintf(file, sizeof file, "detect_%s.csv", config);
    fx_table *t = fx_load(file);
    size_t cd = fx_col(t, "dataset"), cs = fx_col(t, "series");
    series *s = malloc(sizeof *s);
    CHECK(s != NULL);
    tally tl = { 0 };
    for (size_t r0 = 0; r0 < fx_rows(t);) {
        size_t r1 = r0;
        while (r1 < fx_rows(t) && strcmp(fx_str(t, r1, cd), fx_str(t, r0, cd)) == 0 &&
               strcmp(fx_str(t, r1, cs), fx_str(t, r0, cs)) == 0)
            r1++;
        load_series(s, fx_str(t, r0, cd), fx_str(t, r0, cs));
        compare(&tl, t, r0, r1, s, &p);
        r0 = r1;
    }
    check_errors(config, &p, s);
    free(s);
    fx_free(t);
    CHECK_MSG(tl.rows > 0, "fixture %s is empty", file);
    CHECK_MSG(tl.bad == 0, "%s: %zu values differ from R in %zu rows, e.g.\n  %s\n  %s\n  %s\n  %s",
              config, tl.bad, tl.rows, tl.first[0], tl.first[1], tl.first[2], tl.first[3]);
}
