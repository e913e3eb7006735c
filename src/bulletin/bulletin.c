/*
 * bulletin/bulletin.c — assembling a bulletin from the database (see bulletin.h).
 *
 * The counts section reads the last ~400 days of every all-ages, both-sexes series of the
 * jurisdiction in one ordered query, keeps each series' points, and derives per series the
 * current period's value and the previous one: the latest reported period for the daily edition;
 * for the weekly edition, daily count series are summed over the 7 days ending on the bulletin's
 * date (and the 7 before), while weekly and monthly series keep their own periods.
 */
#include "bulletin/bulletin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin/i18n.h"
#include "bulletin/sections_int.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "vaccine/vaccine.h"

/* How far back a bulletin looks: a year of weekly points for the charts, plus margin. */
#define LOOKBACK_DAYS  400
/* Table rows before the rest is summarised, and charts per bulletin. */
#define TABLE_ROWS_MAX 150
#define CHARTS_MAX     12
#define CHART_POINTS   52

typedef struct point {
    hb_date date;
    double value;
} point;

typedef struct series {
    char *disease, *measure, *region;
    char *disease_name, *region_name;
    bool jurisdiction_level, is_count;
    point *points;
    size_t n, cap;
    /* derived */
    double current, previous;
    char period[32];
} series;

typedef struct build {
    hb_store *store;
    const hb_bulletin_request *req;
    int lang;
    series *list;
    size_t n, cap;
} build;

int hb_bulletin_check(const hb_bulletin_request *req)
{
    const char *j = req->jurisdiction;
    if (!j || (strcmp(j, "GD") && strcmp(j, "HK") && strcmp(j, "MO") && strcmp(j, "GBA")))
        return hb_error_set(HB_EINVAL, "jurisdiction must be GD, HK, MO or GBA");
    if (!req->lang || hb_i18n_lang_index(req->lang) < 0)
        return hb_error_set(HB_EINVAL, "language must be en, zh-Hans, zh-Hant or pt");
    return 0;
}

static void series_dispose(series *s)
{
    hb_free(s->disease);
    hb_free(s->measure);
    hb_free(s->region);
    hb_free(s->disease_name);
    hb_free(s->region_name);
    hb_free(s->points);
}

static series *new_series(build *b, hb_stmt *st)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        series *p = hb_reallocarray(b->list, cap, sizeof *p);
        if (!p)
            return NULL;
        b->list = p;
        b->cap = cap;
    }
    series *s = &b->list[b->n++];
    memset(s, 0, sizeof *s);
    s->disease = hb_strdup(hb_stmt_text(st, 0, NULL));
    s->measure = hb_strdup(hb_stmt_text(st, 1, NULL));
    s->region = hb_strdup(hb_stmt_text(st, 2, NULL));
    s->disease_name = hb_strdup(hb_stmt_text(st, 5, NULL));
    s->region_name = hb_strdup(hb_stmt_text(st, 6, NULL));
    s->jurisdiction_level = strcmp(hb_stmt_text(st, 7, NULL), "jurisdiction") == 0;
    s->is_count = strcmp(hb_stmt_text(st, 8, NULL), "count") == 0;
    if (!s->disease || !s->measure || !s->region || !s->disease_name || !s->region_name)
        return NULL;
    return s;
}

static int add_point(series *s, hb_date date, double value)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        point *p = hb_reallocarray(s->points, cap, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        s->points = p;
        s->cap = cap;
    }
    s->points[s->n++] = (point){ date, value };
    return 0;
}

/* The names in the bulletin's language; Portuguese falls back to English where it has none. */
#define LOAD_TAIL                                                                      \
    ", r.level, m.kind FROM hb_counts c JOIN hb_diseases d ON d.code = c.disease"      \
    " JOIN hb_regions r ON r.code = c.region JOIN hb_measures m ON m.code = c.measure" \
    " WHERE c.age_group = 'all' AND c.sex = 'all' AND c.date <= ? AND c.date > ?"      \
    " AND (CAST(? AS TEXT) IS NULL OR r.jurisdiction = ?)"                             \
    " ORDER BY c.disease, c.measure, c.region, c.date"
static const char *const load_sql[4] = {
    "SELECT c.disease, c.measure, c.region, c.date, c.value, d.name_en, r.name_en" LOAD_TAIL,
    "SELECT c.disease, c.measure, c.region, c.date, c.value, d.name_zh_hans, "
    "r.name_zh_hans" LOAD_TAIL,
    "SELECT c.disease, c.measure, c.region, c.date, c.value, d.name_zh_hant, "
    "r.name_zh_hant" LOAD_TAIL,
    "SELECT c.disease, c.measure, c.region, c.date, c.value, COALESCE(d.name_pt, d.name_en),"
    " COALESCE(r.name_pt, r.name_en)" LOAD_TAIL,
};

static bool same_series(const series *s, hb_stmt *st)
{
    return strcmp(s->disease, hb_stmt_text(st, 0, NULL)) == 0 &&
           strcmp(s->measure, hb_stmt_text(st, 1, NULL)) == 0 &&
           strcmp(s->region, hb_stmt_text(st, 2, NULL)) == 0;
}

static int load_series(build *b)
{
    char to[HB_DATE_STRLEN], from[HB_DATE_STRLEN];
    hb_date_format(to, b->req->date);
    hb_date_format(from, b->req->date - LOOKBACK_DAYS);
    const char *j = strcmp(b->req->jurisdiction, "GBA") == 0 ? NULL : b->req->jurisdiction;
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(b->store, &st, load_sql[b->lang]);
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, to)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, from)) == 0 && (rc = hb_stmt_bind_cstr(st, 3, j)) == 0)
        rc = hb_stmt_bind_cstr(st, 4, j);
    series *cur = NULL;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        rc = 0;
        if (!cur || !same_series(cur, st))
            cur = new_series(b, st);
        size_t len;
        const char *d = hb_stmt_text(st, 3, &len);
        hb_date date;
        if (!cur)
            rc = HB_ENOMEM;
        else if (hb_date_parse(&date, d, len) == 0)
            rc = add_point(cur, date, hb_stmt_double(st, 4));
    }
    hb_stmt_finalize(st);
    return rc;
}

static double window_sum(const series *s, hb_date from_excl, hb_date to_incl)
{
    double sum = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->points[i].date > from_excl && s->points[i].date <= to_incl)
            sum += s->points[i].value;
    return sum;
}

/* The current and previous period of one series (see the file comment). */
static void derive(series *s, const hb_bulletin_request *req)
{
    char a[HB_DATE_STRLEN], z[HB_DATE_STRLEN];
    bool daily = s->n >= 2 && s->points[s->n - 1].date - s->points[s->n - 2].date == 1;
    if (req->edition == HB_EDITION_WEEKLY && daily && s->is_count) {
        s->current = window_sum(s, req->date - 7, req->date);
        s->previous = window_sum(s, req->date - 14, req->date - 7);
        snprintf(s->period, sizeof s->period, "%s–%s", hb_date_format(a, req->date - 6),
                 hb_date_format(z, req->date));
        return;
    }
    s->current = s->points[s->n - 1].value;
    s->previous = s->n >= 2 ? s->points[s->n - 2].value : NAN;
    hb_date_format(s->period, s->points[s->n - 1].date);
}

static void format_value(char *out, size_t size, double v, bool count)
{
    if (isnan(v))
        snprintf(out, size, "—");
    else if (count)
        snprintf(out, size, "%.0f", v);
    else
        snprintf(out, size, "%.2f", v);
}

static void format_change(char *out, size_t size, double cur, double prev)
{
    if (isnan(prev) || prev == 0)
        snprintf(out, size, "—");
    else
        snprintf(out, size, "%+.1f%%", 100.0 * (cur - prev) / prev);
}

static int compare_rise(const void *pa, const void *pb)
{
    const series *a = *(series *const *)pa, *b = *(series *const *)pb;
    double ra = (a->current - a->previous) / a->previous;
    double rb = (b->current - b->previous) / b->previous;
    return ra < rb ? 1 : ra > rb ? -1 : 0;
}

/* A few sentences: how much was reported, and the largest increases among sizeable counts. */
static int situation(build *b, hb_doc *doc)
{
    char day[HB_DATE_STRLEN];
    hb_buf text;
    hb_buf_init(&text, 0);
    int rc = hb_doc_heading(doc, hb_i18n(b->lang, HB_MSG_SITUATION));
    if (rc == 0 && b->n == 0) {
        rc = hb_i18n_fill(&text, b->lang, HB_MSG_NO_DATA, hb_date_format(day, b->req->date), NULL);
        if (rc == 0)
            rc = hb_doc_paragraph(doc, hb_buf_cstr(&text));
        hb_buf_dispose(&text);
        return rc;
    }
    hb_date latest = 0;
    series **rising = hb_calloc(b->n, sizeof *rising);
    size_t nrising = 0;
    if (!rising)
        rc = HB_ENOMEM;
    for (size_t i = 0; rc == 0 && i < b->n; i++) {
        series *s = &b->list[i];
        if (s->points[s->n - 1].date > latest)
            latest = s->points[s->n - 1].date;
        if (s->is_count && s->current >= 10 && !isnan(s->previous) && s->previous > 0 &&
            s->current > s->previous)
            rising[nrising++] = s;
    }
    char nseries[24];
    snprintf(nseries, sizeof nseries, "%zu", b->n);
    if (rc == 0)
        rc = hb_i18n_fill(&text, b->lang, HB_MSG_SUMMARY, nseries, hb_date_format(day, latest));
    if (rc == 0 && nrising > 0) {
        qsort(rising, nrising, sizeof *rising, compare_rise);
        rc = hb_buf_printf(&text, " %s", hb_i18n(b->lang, HB_MSG_RISING));
        for (size_t i = 0; rc == 0 && i < nrising && i < 3; i++) {
            char change[32];
            format_change(change, sizeof change, rising[i]->current, rising[i]->previous);
            rc = hb_buf_printf(&text, "%s %s, %s %s: %.0f (%s)", i ? ";" : "",
                               rising[i]->disease_name, rising[i]->region_name,
                               hb_i18n_measure(b->lang, rising[i]->measure), rising[i]->current,
                               change);
        }
    }
    if (rc == 0)
        rc = hb_doc_paragraph(doc, hb_buf_cstr(&text));
    hb_free(rising);
    hb_buf_dispose(&text);
    return rc;
}

static int counts_table(build *b, hb_doc *doc)
{
    const char *cols[7];
    for (int i = 0; i < 7; i++)
        cols[i] = hb_i18n(b->lang, (hb_msg)(HB_MSG_COL_DISEASE + i));
    int rc = hb_doc_heading(doc, hb_i18n(b->lang, HB_MSG_COUNTS));
    if (rc == 0 && b->n > 0)
        rc = hb_doc_table(doc, 7, cols, "lllrrrr");
    for (size_t i = 0; rc == 0 && i < b->n && i < TABLE_ROWS_MAX; i++) {
        series *s = &b->list[i];
        char value[32], prev[32], change[32];
        format_value(value, sizeof value, s->current, s->is_count);
        format_value(prev, sizeof prev, s->previous, s->is_count);
        format_change(change, sizeof change, s->current, s->previous);
        const char *row[] = { s->disease_name, hb_i18n_measure(b->lang, s->measure),
                              s->region_name,  s->period,
                              value,           prev,
                              change };
        rc = hb_doc_table_row(doc, row);
    }
    return rc;
}

static int compare_dates(const void *a, const void *b)
{
    hb_date x = *(const hb_date *)a, y = *(const hb_date *)b;
    return x < y ? -1 : x > y;
}

/* One chart for the series [first, end), which share disease and measure: the jurisdiction-level
 * lines (one per jurisdiction for the GBA), else the largest series, over their last points. */
static int chart_group(build *b, hb_doc *doc, size_t first, size_t end)
{
    const series *lines[3];
    size_t nlines = 0;
    for (size_t i = first; i < end && nlines < 3; i++)
        if (b->list[i].jurisdiction_level)
            lines[nlines++] = &b->list[i];
    if (nlines == 0) {
        lines[0] = &b->list[first];
        for (size_t i = first + 1; i < end; i++)
            if (b->list[i].current > lines[0]->current)
                lines[0] = &b->list[i];
        nlines = 1;
    }
    hb_date dates[3 * CHART_POINTS];
    size_t ndates = 0;
    for (size_t l = 0; l < nlines; l++)
        for (size_t i = lines[l]->n > CHART_POINTS ? lines[l]->n - CHART_POINTS : 0;
             i < lines[l]->n; i++)
            dates[ndates++] = lines[l]->points[i].date;
    qsort(dates, ndates, sizeof *dates, compare_dates);
    size_t nx = 0;
    for (size_t i = 0; i < ndates; i++)
        if (nx == 0 || dates[nx - 1] != dates[i])
            dates[nx++] = dates[i];
    if (nx > CHART_POINTS) { /* keep the latest points of the union */
        memmove(dates, dates + nx - CHART_POINTS, CHART_POINTS * sizeof *dates);
        nx = CHART_POINTS;
    }
    char labels[CHART_POINTS][HB_DATE_STRLEN];
    const char *xl[CHART_POINTS];
    for (size_t i = 0; i < nx; i++)
        xl[i] = hb_date_format(labels[i], dates[i]);
    hb_buf title;
    hb_buf_init(&title, 0);
    int rc = hb_i18n_fill(&title, b->lang, HB_MSG_CHART_TITLE, lines[0]->disease_name,
                          hb_i18n_measure(b->lang, lines[0]->measure));
    if (rc == 0)
        rc = hb_doc_chart(doc, hb_buf_cstr(&title), hb_i18n_measure(b->lang, lines[0]->measure), nx,
                          xl);
    hb_buf_dispose(&title);
    for (size_t l = 0; rc == 0 && l < nlines; l++) {
        double values[CHART_POINTS];
        for (size_t i = 0, k = 0; i < nx; i++) {
            while (k < lines[l]->n && lines[l]->points[k].date < dates[i])
                k++;
            values[i] = k < lines[l]->n && lines[l]->points[k].date == dates[i]
                            ? lines[l]->points[k].value
                            : NAN;
        }
        rc = hb_doc_chart_line(doc, lines[l]->region_name, values);
    }
    return rc;
}

static int charts(build *b, hb_doc *doc)
{
    int rc = 0;
    size_t drawn = 0;
    for (size_t first = 0; rc == 0 && first < b->n && drawn < CHARTS_MAX;) {
        size_t end = first + 1;
        while (end < b->n && strcmp(b->list[end].disease, b->list[first].disease) == 0 &&
               strcmp(b->list[end].measure, b->list[first].measure) == 0)
            end++;
        rc = chart_group(b, doc, first, end);
        drawn++;
        first = end;
    }
    return rc;
}

static int jurisdiction_name(build *b, hb_buf *out)
{
    if (strcmp(b->req->jurisdiction, "GBA") == 0)
        return hb_buf_puts(out, hb_i18n(b->lang, HB_MSG_GBA));
    static const char *const sql[4] = {
        "SELECT name_en FROM hb_jurisdictions WHERE code = ?",
        "SELECT name_zh_hans FROM hb_jurisdictions WHERE code = ?",
        "SELECT name_zh_hant FROM hb_jurisdictions WHERE code = ?",
        "SELECT COALESCE(name_pt, name_en) FROM hb_jurisdictions WHERE code = ?",
    };
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(b->store, &st, sql[b->lang]);
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, b->req->jurisdiction)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        rc = hb_buf_puts(out, hb_stmt_text(st, 0, NULL));
    else if (rc == HB_STORE_DONE)
        rc = hb_error_set(HB_ENOTFOUND, "jurisdiction %s is not in the reference data",
                          b->req->jurisdiction);
    hb_stmt_finalize(st);
    return rc;
}

/* Rows of the vaccination table for doses given in j, as of the bulletin's date. */
static int vaccination_rows(build *b, const char *j, hb_table **out)
{
    hb_vaccine_coverage_query q = { j, NULL, b->req->date, b->req->date, false };
    return hb_vaccine_coverage(b->store, &q, out);
}

/* Coverage among cross-border residents (vaccine module): doses given in the bulletin's
 * jurisdiction, or in each of the three for a GBA bulletin. Omitted when none are recorded. */
static int vaccination(build *b, hb_doc *doc)
{
    static const char *const all[] = { "GD", "HK", "MO" };
    bool gba = strcmp(b->req->jurisdiction, "GBA") == 0;
    const char *const *js = gba ? all : &b->req->jurisdiction;
    hb_table *t[3] = { NULL, NULL, NULL };
    size_t n = gba ? 3 : 1, rows = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if ((rc = vaccination_rows(b, js[i], &t[i])) == 0)
            rows += hb_table_row_count(t[i]);
    const char *cols[4];
    for (int i = 0; i < 4; i++)
        cols[i] = hb_i18n(b->lang, (hb_msg)(HB_MSG_COL_VACCINATED_IN + i));
    hb_buf intro;
    char day[HB_DATE_STRLEN];
    hb_buf_init(&intro, 0);
    if (rc == 0 && rows > 0 &&
        (rc = hb_doc_heading(doc, hb_i18n(b->lang, HB_MSG_VACCINATION))) == 0 &&
        (rc = hb_i18n_fill(&intro, b->lang, HB_MSG_VACCINATION_INTRO,
                           hb_date_format(day, b->req->date), NULL)) == 0 &&
        (rc = hb_doc_paragraph(doc, hb_buf_cstr(&intro))) == 0)
        rc = hb_doc_table(doc, 4, cols, "llrr");
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t r = 0; rc == 0 && r < hb_table_row_count(t[i]); r++) {
            const char *row[] = { js[i], hb_table_cell(t[i], r, 1), hb_table_cell(t[i], r, 3),
                                  hb_table_cell(t[i], r, 4) };
            rc = hb_doc_table_row(doc, row);
        }
    for (size_t i = 0; i < n; i++)
        hb_table_free(t[i]);
    hb_buf_dispose(&intro);
    return rc;
}

static int alerts(build *b, hb_doc *doc)
{
    return hb_bulletin__alerts(b->store, b->req, b->lang, doc);
}

static int rt(build *b, hb_doc *doc)
{
    return hb_bulletin__rt(b->store, b->req, b->lang, doc);
}

static int forecasts(build *b, hb_doc *doc)
{
    return hb_bulletin__forecasts(b->store, b->req, b->lang, doc);
}

/* The bulletin's sections, in order. A module adds its section here. */
static int (*const sections[])(build *b, hb_doc *doc) = { situation, alerts, counts_table, rt,
                                                          forecasts, charts, vaccination };

static int new_document(build *b, hb_doc **out)
{
    hb_buf title, subtitle;
    hb_buf_init(&title, 0);
    hb_buf_init(&subtitle, 0);
    char day[HB_DATE_STRLEN], now[HB_TIMESTAMP_STRLEN];
    int rc = jurisdiction_name(b, &title);
    if (rc == 0)
        rc = hb_buf_printf(&title, " · %s",
                           hb_i18n(b->lang, b->req->edition == HB_EDITION_WEEKLY
                                                ? HB_MSG_TITLE_WEEKLY
                                                : HB_MSG_TITLE_DAILY));
    if (rc == 0) {
        hb_timestamp_now(now);
        now[16] = '\0'; /* to the minute: YYYY-MM-DDTHH:MM */
        now[10] = ' ';
        rc = hb_i18n_fill(&subtitle, b->lang, HB_MSG_SUBTITLE, hb_date_format(day, b->req->date),
                          now);
    }
    if (rc == 0)
        rc = hb_doc_new(out, b->req->lang, hb_buf_cstr(&title), hb_buf_cstr(&subtitle));
    hb_buf_dispose(&title);
    hb_buf_dispose(&subtitle);
    return rc;
}

int hb_bulletin_build(hb_store *store, const hb_bulletin_request *req, hb_doc **out)
{
    int rc = hb_bulletin_check(req);
    if (rc < 0)
        return rc;
    build b = { store, req, hb_i18n_lang_index(req->lang), NULL, 0, 0 };
    hb_doc *doc = NULL;
    rc = load_series(&b);
    for (size_t i = 0; rc == 0 && i < b.n; i++)
        derive(&b.list[i], req);
    if (rc == 0)
        rc = new_document(&b, &doc);
    for (size_t i = 0; rc == 0 && i < sizeof sections / sizeof sections[0]; i++)
        rc = sections[i](&b, doc);
    for (size_t i = 0; i < b.n; i++)
        series_dispose(&b.list[i]);
    hb_free(b.list);
    if (rc < 0) {
        hb_doc_free(doc);
        return rc;
    }
    *out = doc;
    return 0;
}
