/*
 * tests/surveil/parity.c — see parity.h.
 */
#include "parity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "healthybay/date.h"
#include "parity/fixture.h"

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
    fixture *t = fixture_load("surveillance/detect_configs.csv");
    bool found = false;
    for (size_t r = 0; r < t->nrows && !found; r++) {
        if (strcmp(fixture_text(t, "config", r), config) != 0)
            continue;
        found = true;
        hb_surveil_method m;
        CHECK_OK(hb_surveil_method_parse(&m, fixture_text(t, "method", r)));
        hb_surveil_params_init(p, m);
        char opts[512];
        snprintf(opts, sizeof opts, "%s", fixture_text(t, "options", r));
        for (char *save = NULL, *tok = strtok_r(opts, ";", &save); tok;
             tok = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(tok, '=');
            CHECK(eq != NULL);
            *eq = 0;
            CHECK_OK(hb_surveil_params_set(p, tok, eq + 1));
        }
    }
    fixture_free(t);
    CHECK_MSG(found, "no configuration %s", config);
}

/* The input files, loaded once per test (each test is its own process). */
#define INPUTS_MAX 16
static struct {
    char dataset[64];
    fixture *f;
} inputs[INPUTS_MAX];

static fixture *input(const char *dataset)
{
    size_t i = 0;
    for (; i < INPUTS_MAX && inputs[i].f; i++)
        if (strcmp(inputs[i].dataset, dataset) == 0)
            return inputs[i].f;
    CHECK(i < INPUTS_MAX);
    char file[128];
    snprintf(file, sizeof file, "surveillance/input_%s.csv", dataset);
    snprintf(inputs[i].dataset, sizeof inputs[i].dataset, "%s", dataset);
    inputs[i].f = fixture_load(file);
    return inputs[i].f;
}

static void free_inputs(void)
{
    for (size_t i = 0; i < INPUTS_MAX; i++) {
        fixture_free(inputs[i].f);
        inputs[i].f = NULL;
    }
}

/* Load one series of an input file. */
static void load_series(series *s, const char *dataset, const char *name)
{
    fixture *t = input(dataset);
    const double *count = fixture_col(t, "count");
    const double *pop = fixture_has(t, "population") ? fixture_col(t, "population") : NULL;
    memset(s, 0, sizeof *s);
    snprintf(s->dataset, sizeof s->dataset, "%s", dataset);
    snprintf(s->name, sizeof s->name, "%s", name);
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(fixture_text(t, "series", r), name) != 0)
            continue;
        CHECK(s->length < LEN_MAX);
        const char *d = fixture_text(t, "date", r);
        CHECK_OK(hb_date_parse(&s->dates[s->length], d, strlen(d)));
        s->counts[s->length] = count[r];
        s->population[s->length] = pop ? pop[r] : NAN;
        s->length++;
    }
    CHECK(s->length > 1);
    s->has_population = pop != NULL;
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
static void compare(tally *tl, const fixture *t, size_t r0, size_t r1, const series *s,
                    const hb_surveil_params *p)
{
    const double *ce = fixture_col(t, "expected"), *cu = fixture_col(t, "upperbound"),
                 *ca = fixture_col(t, "alarm"), *cp = fixture_col(t, "pvalue");
    hb_date first;
    const char *d0 = fixture_text(t, "date", r0);
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
        const char *date = fixture_text(t, "date", r);
        tl->rows++;
        if ((isnan(ca[r]) ? -1 : (int)ca[r]) != al[i])
            note(tl, s, date, "alarm", al[i], ca[r]);
        if (!near(ex[i], ce[r]))
            note(tl, s, date, "expected", ex[i], ce[r]);
        if (!near(up[i], cu[r]))
            note(tl, s, date, "upperbound", up[i], cu[r]);
        if (!isnan(cp[r]) && !near(pv[i], cp[r]))
            note(tl, s, date, "pvalue", pv[i], cp[r]);
    }
}

/* Series R failed on must fail here too. */
static void check_errors(const char *config, const hb_surveil_params *p, series *s)
{
    fixture *t = fixture_load("surveillance/detect_errors.csv");
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(fixture_text(t, "config", r), config) != 0)
            continue;
        load_series(s, fixture_text(t, "dataset", r), fixture_text(t, "series", r));
        static double ex[LEN_MAX], up[LEN_MAX];
        static signed char al[LEN_MAX];
        hb_surveil_result res = { ex, up, al, NULL };
        hb_surveil_series in = { s->length, s->dates, s->counts, NULL, s->freq };
        hb_surveil_work *w;
        CHECK_OK(hb_surveil_work_new(&w, s->length));
        size_t from = (size_t)fixture_col(t, "from")[r] - 1;
        int rc = hb_surveil_detect(&res, w, &in, p, from, s->length);
        hb_surveil_work_free(w);
        CHECK_MSG(rc < 0, "R fails on %s/%s but healthybay does not", s->dataset, s->name);
    }
    fixture_free(t);
}

void parity_run(const char *config)
{
    hb_surveil_params p;
    parity_params(&p, config);
    char file[128];
    snprintf(file, sizeof file, "surveillance/detect_%s.csv", config);
    fixture *t = fixture_load(file);
    series *s = malloc(sizeof *s);
    CHECK(s != NULL);
    tally tl = { 0 };
    for (size_t r0 = 0; r0 < t->nrows;) {
        const char *ds = fixture_text(t, "dataset", r0), *nm = fixture_text(t, "series", r0);
        size_t r1 = r0;
        while (r1 < t->nrows && strcmp(fixture_text(t, "dataset", r1), ds) == 0 &&
               strcmp(fixture_text(t, "series", r1), nm) == 0)
            r1++;
        load_series(s, ds, nm);
        compare(&tl, t, r0, r1, s, &p);
        r0 = r1;
    }
    check_errors(config, &p, s);
    free(s);
    size_t rows = t->nrows;
    fixture_free(t);
    free_inputs();
    CHECK_MSG(rows > 0, "fixture %s is empty", file);
    CHECK_MSG(tl.bad == 0,
              "%s: %zu values differ from R (%zu rows compared), e.g.\n  %s\n  %s\n  %s\n  %s",
              config, tl.bad, tl.rows, tl.first[0], tl.first[1], tl.first[2], tl.first[3]);
}
