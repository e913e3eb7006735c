/*
 * warn/view.c — JSON views of the early warning (see view.h). Every query reads one table in the
 * order of its primary key; the documents are small (a series is a few hundred periods).
 */
#include "warn/view.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"

/* Run sql with text parameters; for each row call row(st, payload). */
static int each_row(hb_store *store, const char *sql, const char *const *params, size_t n,
                    int (*row)(hb_stmt *st, void *payload), void *payload)
{
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st, sql);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = hb_stmt_bind_cstr(st, (int)i + 1, params[i]);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW)
        rc = row(st, payload);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static json_t *text_or_null(hb_stmt *st, int col)
{
    return hb_stmt_is_null(st, col) ? json_null() : json_string(hb_stmt_text(st, col, NULL));
}

static json_t *number_or_null(hb_stmt *st, int col)
{
    return hb_stmt_is_null(st, col) ? json_null() : json_real(hb_stmt_double(st, col));
}

static int append(json_t *array, json_t *item)
{
    return item && json_array_append_new(array, item) == 0
               ? 0
               : hb_error_set(HB_ENOMEM, "out of memory building a view");
}

static int region_row(hb_stmt *st, void *payload)
{
    return append(payload, json_pack("{s:o, s:o, s:o, s:o, s:I}", "code", text_or_null(st, 0),
                                     "jurisdiction", text_or_null(st, 1), "name",
                                     text_or_null(st, 2), "level", text_or_null(st, 3),
                                     "open_alerts", (json_int_t)hb_stmt_int64(st, 4)));
}

static int jurisdiction_row(hb_stmt *st, void *payload)
{
    return append(payload, json_pack("{s:o, s:I, s:I, s:I, s:o, s:o}", "jurisdiction",
                                     text_or_null(st, 0), "watch", (json_int_t)hb_stmt_int64(st, 1),
                                     "warning", (json_int_t)hb_stmt_int64(st, 2), "alert",
                                     (json_int_t)hb_stmt_int64(st, 3), "latest_report",
                                     text_or_null(st, 4), "latest_run", text_or_null(st, 5)));
}

/* The level of a region: the highest current level among its open alerts, as a rank. */
#define OPEN "status IN ('new', 'assessing', 'confirmed')"
#define RANK "CASE level WHEN 'alert' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END"

int hb_warn_overview(hb_store *store, const char *jurisdiction, json_t **out)
{
    json_t *regions = json_array(), *summary = json_array();
    const char *params[2] = { jurisdiction, jurisdiction };
    int rc = regions && summary ? 0 : HB_ENOMEM;
    if (rc == 0)
        rc = each_row(store,
                      "SELECT r.code, r.jurisdiction, r.name_en, CASE max(a.rank)"
                      " WHEN 3 THEN 'alert' WHEN 2 THEN 'warning' WHEN 1 THEN 'watch'"
                      " ELSE 'none' END, count(a.rank) FROM hb_regions r LEFT JOIN"
                      " (SELECT region, " RANK " AS rank FROM hb_alerts WHERE " OPEN ") a"
                      " ON a.region = r.code WHERE (CAST(? AS TEXT) IS NULL OR"
                      " r.jurisdiction = ?) GROUP BY r.code, r.jurisdiction, r.name_en"
                      " ORDER BY r.jurisdiction, r.code",
                      params, 2, region_row, regions);
    if (rc == 0)
        rc = each_row(store,
                      "SELECT j.code,"
                      " (SELECT count(*) FROM hb_alerts a WHERE a.jurisdiction = j.code AND " OPEN
                      " AND a.level = 'watch'),"
                      " (SELECT count(*) FROM hb_alerts a WHERE a.jurisdiction = j.code AND " OPEN
                      " AND a.level = 'warning'),"
                      " (SELECT count(*) FROM hb_alerts a WHERE a.jurisdiction = j.code AND " OPEN
                      " AND a.level = 'alert'),"
                      " (SELECT max(c.date) FROM hb_counts c JOIN hb_regions r ON r.code ="
                      " c.region WHERE r.jurisdiction = j.code),"
                      " (SELECT max(run_date) FROM hb_warn_runs WHERE status = 'done')"
                      " FROM hb_jurisdictions j WHERE (CAST(? AS TEXT) IS NULL OR j.code = ?)"
                      " ORDER BY j.code",
                      params, 2, jurisdiction_row, summary);
    if (rc < 0) {
        json_decref(regions);
        json_decref(summary);
        return rc;
    }
    /* json_pack takes the two arrays whether or not it succeeds. */
    *out = json_pack("{s:o, s:o}", "regions", regions, "jurisdictions", summary);
    return *out ? 0 : hb_error_set(HB_ENOMEM, "out of memory building the overview");
}

int hb_warn_region_jurisdiction(hb_store *store, const char *region, char out[8])
{
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st, "SELECT jurisdiction FROM hb_regions WHERE code = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, region)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        snprintf(out, 8, "%s", hb_stmt_text(st, 0, NULL));
        rc = 0;
    } else if (rc == HB_STORE_DONE) {
        rc = hb_error_set(HB_ENOTFOUND, "unknown region '%s'", region);
    }
    hb_stmt_finalize(st);
    return rc;
}

static int point_row(hb_stmt *st, void *payload)
{
    return append(payload,
                  json_pack("{s:o, s:o, s:I}", "date", text_or_null(st, 0), "value",
                            number_or_null(st, 1), "revision", (json_int_t)hb_stmt_int64(st, 2)));
}

static int signal_row(hb_stmt *st, void *payload)
{
    return append(
        payload,
        json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "period", text_or_null(st, 0), "method",
                  text_or_null(st, 1), "observed", number_or_null(st, 2), "expected",
                  number_or_null(st, 3), "upperbound", number_or_null(st, 4), "alarm",
                  hb_stmt_is_null(st, 5) ? json_null() : json_boolean(hb_stmt_int64(st, 5) == 1),
                  "pvalue", number_or_null(st, 6)));
}

static int rt_row(hb_stmt *st, void *payload)
{
    return append(payload, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "t_start",
                                     text_or_null(st, 0), "t_end", text_or_null(st, 1), "mean",
                                     number_or_null(st, 2), "q025", number_or_null(st, 3), "q25",
                                     number_or_null(st, 4), "median", number_or_null(st, 5), "q75",
                                     number_or_null(st, 6), "q975", number_or_null(st, 7)));
}

static int forecast_row(hb_stmt *st, void *payload)
{
    json_t **forecast = payload, *q = json_loads(hb_stmt_text(st, 2, NULL), 0, NULL);
    if (!q)
        return hb_error_set(HB_ERROR, "a stored forecast is not JSON");
    json_object_set_new(q, "origin", text_or_null(st, 0));
    json_object_set_new(q, "model", text_or_null(st, 1));
    json_decref(*forecast);
    *forecast = q;
    return 0;
}

#define WHERE_KEY " WHERE disease = ? AND measure = ? AND region = ? AND age_group = ? AND sex = ?"

int hb_warn_series_view(hb_store *store, const hb_series_key *key, json_t **out)
{
    const char *k[5] = { key->disease, key->measure, key->region, key->age_group, key->sex };
    json_t *points = json_array(), *signals = json_array(), *rt = json_array();
    json_t *forecast = json_null();
    int rc = points && signals && rt ? 0 : HB_ENOMEM;
    if (rc == 0)
        rc = each_row(store,
                      "SELECT date, value, revision FROM hb_counts" WHERE_KEY " ORDER BY date", k,
                      5, point_row, points);
    if (rc == 0 && json_array_size(points) == 0)
        rc = hb_error_set(HB_ENOTFOUND, "nothing was reported for this series");
    if (rc == 0)
        rc = each_row(store,
                      "SELECT period, method, observed, expected, upperbound, alarm,"
                      " pvalue FROM hb_signals" WHERE_KEY " ORDER BY period, method",
                      k, 5, signal_row, signals);
    if (rc == 0)
        rc = each_row(store,
                      "SELECT t_start, t_end, mean, q025, q25, median, q75, q975"
                      " FROM hb_rt_estimates" WHERE_KEY " ORDER BY t_end",
                      k, 5, rt_row, rt);
    if (rc == 0)
        rc = each_row(store,
                      "SELECT origin, model, quantiles FROM hb_forecasts" WHERE_KEY
                      " ORDER BY origin DESC LIMIT 1",
                      k, 5, forecast_row, &forecast);
    if (rc < 0) {
        json_decref(points);
        json_decref(signals);
        json_decref(rt);
        json_decref(forecast);
        return rc;
    }
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "disease", key->disease,
                     "measure", key->measure, "region", key->region, "age_group", key->age_group,
                     "sex", key->sex, "points", points, "signals", signals, "rt", rt, "forecast",
                     forecast);
    return *out ? 0 : hb_error_set(HB_ENOMEM, "out of memory building a series view");
}
