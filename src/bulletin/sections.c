/*
 * bulletin/sections.c — the early warning's sections of a bulletin (see sections_int.h).
 *
 * Names of regions and diseases come in the bulletin's language, Portuguese falling back to
 * English; the column name is picked from the fixed i18n table, never from a request. A section
 * with nothing to show says so (alerts) or is left out (Rt and forecasts, which only some series
 * have).
 */
#include "bulletin/sections_int.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bulletin/i18n.h"
#include "healthybay/date.h"
#include "util/buf.h"

#define ALERT_WINDOW_DAYS 28 /* an alert is shown while its latest signal is this recent */
#define RT_WINDOW_DAYS    21 /* an Rt estimate is shown while its window ended this recently */
#define FORECAST_DAYS     14 /* a forecast is shown while its origin is this recent */
#define ROWS_MAX          30 /* rows of each table */

/* The SELECT list's names: "COALESCE(r.name_zh_hant, r.name_en), COALESCE(d.name_…)". */
static int name_columns(char *out, size_t size, int lang)
{
    const char *c = hb_i18n_name_column(lang);
    int n =
        snprintf(out, size, "COALESCE(r.name_%s, r.name_en), COALESCE(d.name_%s, d.name_en)", c, c);
    return n > 0 && (size_t)n < size ? 0 : hb_error_set(HB_ELIMIT, "a query did not fit");
}

/* The bulletin's jurisdiction for a query: NULL for the Bay Area (all three). */
static const char *jurisdiction_of(const hb_bulletin_request *req)
{
    return strcmp(req->jurisdiction, "GBA") == 0 ? NULL : req->jurisdiction;
}

/* Prepare "SELECT <region name>, <disease name>, " + rest and bind the date, the earliest date and
 * the jurisdiction twice, in that order, then the date again when latest (the "latest on or
 * before the date" subquery). */
static int prepare(hb_store *store, const hb_bulletin_request *req, int lang, const char *rest,
                   int window_days, bool latest, hb_stmt **st)
{
    char names[160], text[1536], day[HB_DATE_STRLEN], from[HB_DATE_STRLEN];
    int rc = name_columns(names, sizeof names, lang);
    int n = rc == 0 ? snprintf(text, sizeof text, "SELECT %s, %s", names, rest) : -1;
    if (rc == 0 && (n < 0 || (size_t)n >= sizeof text))
        rc = hb_error_set(HB_ELIMIT, "a query did not fit");
    if (rc == 0)
        rc = hb_store_prepare(store, st, text);
    const char *j = jurisdiction_of(req);
    if (rc == 0 && (rc = hb_stmt_bind_cstr(*st, 1, hb_date_format(day, req->date))) == 0 &&
        (rc = hb_stmt_bind_cstr(*st, 2, hb_date_format(from, req->date - window_days))) == 0 &&
        (rc = hb_stmt_bind_cstr(*st, 3, j)) == 0)
        rc = hb_stmt_bind_cstr(*st, 4, j);
    if (rc == 0 && latest)
        rc = hb_stmt_bind_cstr(*st, 5, day);
    return rc;
}

static int intro(hb_doc *doc, int lang, hb_msg heading, hb_msg text, hb_date date)
{
    char day[HB_DATE_STRLEN];
    hb_buf b;
    hb_buf_init(&b, 0);
    int rc = hb_doc_heading(doc, hb_i18n(lang, heading));
    if (rc == 0)
        rc = hb_i18n_fill(&b, lang, text, hb_date_format(day, date), NULL);
    if (rc == 0)
        rc = hb_doc_paragraph(doc, hb_buf_cstr(&b));
    hb_buf_dispose(&b);
    return rc;
}

/* Common to the three queries: region and disease joined, the bulletin's jurisdiction. */
#define JOIN_NAMES(t) \
    " JOIN hb_regions r ON r.code = " t ".region JOIN hb_diseases d ON d.code = " t ".disease"
#define IN_JURISDICTION " AND (CAST(? AS TEXT) IS NULL OR r.jurisdiction = ?)"

int hb_bulletin__alerts(hb_store *store, const hb_bulletin_request *req, int lang, hb_doc *doc)
{
    static const char sql[] =
        "a.measure, a.level, a.status, a.first_date, a.last_date FROM hb_alerts a" JOIN_NAMES(
            "a") " WHERE a.first_date <= ? AND a.last_date > ?" IN_JURISDICTION
                 " ORDER BY CASE a.level WHEN 'alert' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,"
                 " a.last_date DESC, a.id";
    hb_stmt *st = NULL;
    int rc = prepare(store, req, lang, sql, ALERT_WINDOW_DAYS, false, &st);
    int step = rc == 0 ? hb_stmt_step(st) : rc;
    if (step == HB_STORE_DONE) {
        rc = intro(doc, lang, HB_MSG_ALERTS, HB_MSG_NO_ALERTS, req->date);
    } else if (step == HB_STORE_ROW) {
        const char *cols[] = { hb_i18n(lang, HB_MSG_COL_REGION),  hb_i18n(lang, HB_MSG_COL_DISEASE),
                               hb_i18n(lang, HB_MSG_COL_MEASURE), hb_i18n(lang, HB_MSG_COL_LEVEL),
                               hb_i18n(lang, HB_MSG_COL_STATUS),  hb_i18n(lang, HB_MSG_COL_SINCE),
                               hb_i18n(lang, HB_MSG_COL_LATEST) };
        rc = intro(doc, lang, HB_MSG_ALERTS, HB_MSG_ALERTS_INTRO, req->date);
        if (rc == 0)
            rc = hb_doc_table(doc, 7, cols, "lllllll");
        for (int n = 0; rc == 0 && step == HB_STORE_ROW && n < ROWS_MAX; n++) {
            const char *row[] = { hb_stmt_text(st, 0, NULL),
                                  hb_stmt_text(st, 1, NULL),
                                  hb_i18n_measure(lang, hb_stmt_text(st, 2, NULL)),
                                  hb_i18n_alert_word(lang, hb_stmt_text(st, 3, NULL)),
                                  hb_i18n_alert_word(lang, hb_stmt_text(st, 4, NULL)),
                                  hb_stmt_text(st, 5, NULL),
                                  hb_stmt_text(st, 6, NULL) };
            rc = hb_doc_table_row(doc, row);
            if (rc == 0)
                step = hb_stmt_step(st);
        }
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : step < 0 ? step : 0;
}

int hb_bulletin__rt(hb_store *store, const hb_bulletin_request *req, int lang, hb_doc *doc)
{
    /* Each series' latest window ending on or before the date, if recent. */
    static const char sql[] = "e.t_end, e.median, e.q025, e.q975 FROM hb_rt_estimates e" JOIN_NAMES(
        "e") " WHERE e.t_end <= ? AND e.t_end > ?" IN_JURISDICTION
             " AND e.age_group = 'all' AND e.sex = 'all'"
             " AND e.t_end = (SELECT MAX(x.t_end) FROM hb_rt_estimates x WHERE x.disease = "
             "e.disease"
             " AND x.measure = e.measure AND x.region = e.region AND x.age_group = e.age_group"
             " AND x.sex = e.sex AND x.t_end <= ?)"
             " ORDER BY e.median DESC, r.code";
    hb_stmt *st = NULL;
    int rc = prepare(store, req, lang, sql, RT_WINDOW_DAYS, true, &st);
    int step = rc == 0 ? hb_stmt_step(st) : rc;
    if (step == HB_STORE_ROW) {
        const char *cols[] = { hb_i18n(lang, HB_MSG_COL_REGION), hb_i18n(lang, HB_MSG_COL_DISEASE),
                               hb_i18n(lang, HB_MSG_COL_WINDOW_END), hb_i18n(lang, HB_MSG_COL_RT),
                               hb_i18n(lang, HB_MSG_COL_INTERVAL) };
        rc = intro(doc, lang, HB_MSG_RT, HB_MSG_RT_INTRO, req->date);
        if (rc == 0)
            rc = hb_doc_table(doc, 5, cols, "lllrr");
        for (int n = 0; rc == 0 && step == HB_STORE_ROW && n < ROWS_MAX; n++) {
            char median[32], interval[64];
            snprintf(median, sizeof median, "%.2f", hb_stmt_double(st, 3));
            snprintf(interval, sizeof interval, "%.2f–%.2f", hb_stmt_double(st, 4),
                     hb_stmt_double(st, 5));
            const char *row[] = { hb_stmt_text(st, 0, NULL), hb_stmt_text(st, 1, NULL),
                                  hb_stmt_text(st, 2, NULL), median, interval };
            rc = hb_doc_table_row(doc, row);
            if (rc == 0)
                step = hb_stmt_step(st);
        }
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : step < 0 ? step : 0;
}

/* The index of level in the stored forecast's "levels", or -1. */
static int level_index(const json_t *levels, double level)
{
    for (size_t i = 0; i < json_array_size(levels); i++)
        if (fabs(json_number_value(json_array_get(levels, i)) - level) < 1e-9)
            return (int)i;
    return -1;
}

/* One row per period ahead of one stored forecast. */
static int forecast_rows(hb_doc *doc, int lang, hb_stmt *st, int *rows)
{
    json_t *f = json_loads(hb_stmt_text(st, 3, NULL), 0, NULL);
    if (!f)
        return hb_error_set(HB_ERROR, "a stored forecast is not JSON");
    json_t *levels = json_object_get(f, "levels"), *targets = json_object_get(f, "targets");
    json_t *quantiles = json_object_get(f, "quantiles");
    int lo = level_index(levels, 0.025), mid = level_index(levels, 0.5);
    int hi = level_index(levels, 0.975), rc = 0;
    for (size_t h = 0; rc == 0 && lo >= 0 && mid >= 0 && hi >= 0 && h < json_array_size(targets) &&
                       *rows < ROWS_MAX;
         h++, (*rows)++) {
        json_t *q = json_array_get(quantiles, h);
        char median[32], interval[64];
        snprintf(median, sizeof median, "%.0f", json_number_value(json_array_get(q, (size_t)mid)));
        snprintf(interval, sizeof interval, "%.0f–%.0f",
                 json_number_value(json_array_get(q, (size_t)lo)),
                 json_number_value(json_array_get(q, (size_t)hi)));
        const char *row[] = { hb_stmt_text(st, 0, NULL),
                              hb_stmt_text(st, 1, NULL),
                              hb_i18n_measure(lang, hb_stmt_text(st, 2, NULL)),
                              json_string_value(json_array_get(targets, h)),
                              median,
                              interval };
        rc = hb_doc_table_row(doc, row);
    }
    json_decref(f);
    return rc;
}

int hb_bulletin__forecasts(hb_store *store, const hb_bulletin_request *req, int lang, hb_doc *doc)
{
    /* Each count series' latest forecast made on or before the date, if recent; the
     * jurisdiction-level series first. */
    static const char sql[] = "f.measure, f.quantiles FROM hb_forecasts f" JOIN_NAMES(
        "f") " WHERE f.origin <= ? AND f.origin > ?" IN_JURISDICTION
             " AND f.age_group = 'all' AND f.sex = 'all'"
             " AND f.origin = (SELECT MAX(x.origin) FROM hb_forecasts x WHERE x.disease = f.disease"
             " AND x.measure = f.measure AND x.region = f.region AND x.age_group = f.age_group"
             " AND x.sex = f.sex AND x.origin <= ?)"
             " ORDER BY CASE r.level WHEN 'jurisdiction' THEN 0 ELSE 1 END, r.code, f.disease,"
             " f.measure";
    hb_stmt *st = NULL;
    int rc = prepare(store, req, lang, sql, FORECAST_DAYS, true, &st);
    int step = rc == 0 ? hb_stmt_step(st) : rc, rows = 0;
    if (step == HB_STORE_ROW) {
        const char *cols[] = {
            hb_i18n(lang, HB_MSG_COL_REGION),  hb_i18n(lang, HB_MSG_COL_DISEASE),
            hb_i18n(lang, HB_MSG_COL_MEASURE), hb_i18n(lang, HB_MSG_COL_TARGET),
            hb_i18n(lang, HB_MSG_COL_MEDIAN),  hb_i18n(lang, HB_MSG_COL_INTERVAL)
        };
        rc = intro(doc, lang, HB_MSG_FORECASTS, HB_MSG_FORECASTS_INTRO, req->date);
        if (rc == 0)
            rc = hb_doc_table(doc, 6, cols, "llllrr");
        while (rc == 0 && step == HB_STORE_ROW && rows < ROWS_MAX) {
            rc = forecast_rows(doc, lang, st, &rows);
            if (rc == 0)
                step = hb_stmt_step(st);
        }
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : step < 0 ? step : 0;
}
