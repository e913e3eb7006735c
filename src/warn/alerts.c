/*
 * warn/alerts.c — alert levels, events and workflow (see alerts.h).
 */
#include "warn/alerts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/buf.h"
#include "util/clock.h"

static const char *const level_names[] = { "none", "watch", "warning", "alert" };

void hb_alert_rules_init(hb_alert_rules *rules)
{
    rules->warning_methods = 2;
    rules->warning_excess = 0.2;
    rules->alert_methods = 2;
    rules->alert_excess = 1.0;
    rules->rt_escalates = true;
    rules->merge_gap_periods = 2;
    rules->notify_level = HB_LEVEL_WARNING;
}

const char *hb_alert_level_name(hb_alert_level level)
{
    return level_names[level];
}

int hb_alert_level_parse(hb_alert_level *out, const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, level_names[i]) == 0) {
            *out = (hb_alert_level)i;
            return 0;
        }
    return hb_error_set(HB_EINVAL, "'%s' is not a level (none, watch, warning, alert)", name);
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

hb_alert_level hb_alert_level_of(const hb_alert_rules *rules, const hb_alert_evidence *ev,
                                 hb_buf *why)
{
    int alarms = 0, methods = 0; /* methods that gave a verdict (not R's NA) */
    double excess = -1;
    for (size_t i = 0; i < ev->nresults; i++) {
        const hb_method_result *r = &ev->results[i];
        methods += r->alarm >= 0;
        if (r->alarm != 1)
            continue;
        alarms++;
        double e = r->expected > 0 ? r->observed / r->expected - 1 : INFINITY;
        excess = e > excess ? e : excess;
        if (why)
            hb_buf_printf(why, "%s%s: %g above %.4g (expected %.4g)", why->len ? "; " : "",
                          r->method, r->observed, r->upperbound, r->expected);
    }
    /* 12 against 10 expected is the 20% a user configured, not 19.999…%. */
    excess += 1e-9;
    hb_alert_level level = HB_LEVEL_NONE;
    if (alarms >= 1)
        level = HB_LEVEL_WATCH;
    if (alarms >= min_int(rules->warning_methods, methods) && excess >= rules->warning_excess)
        level = HB_LEVEL_WARNING;
    if (alarms >= min_int(rules->alert_methods, methods) && excess >= rules->alert_excess)
        level = HB_LEVEL_ALERT;
    bool rt_up = !isnan(ev->rt_lower) && ev->rt_lower > 1 && ev->forecast_rising;
    if (level == HB_LEVEL_WARNING && rules->rt_escalates && rt_up)
        level = HB_LEVEL_ALERT;
    if (why && !isnan(ev->rt_mean))
        hb_buf_printf(why, "%sRt %.2f (lower 95%% %.2f)%s", why->len ? "; " : "", ev->rt_mean,
                      ev->rt_lower, ev->forecast_rising ? ", forecast rising" : "");
    return level;
}

/* The region's jurisdiction. */
static int jurisdiction_of(hb_store *store, const char *region, char out[8])
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

static int add_event(hb_store *store, int64_t alert_id, const char *actor, const char *action,
                     const char *level, const char *period, const char *comment)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_alert_events (alert_id, at, actor, action, level,"
                              " period, comment) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, alert_id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, actor)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, action)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, level)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, period)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, comment)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int bind_key(hb_stmt *st, int first, const hb_series_key *k)
{
    int rc = hb_stmt_bind_cstr(st, first, k->disease);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 1, k->measure);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 2, k->region);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 3, k->age_group);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 4, k->sex);
    return rc;
}

/* The open alert of this series, if any: its id, level and last period. */
static int find_open(hb_store *store, const hb_series_key *key, int64_t *id, hb_alert_level *level,
                     hb_date *last)
{
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "SELECT id, level, last_date FROM hb_alerts WHERE disease = ? AND"
                              " measure = ? AND region = ? AND age_group = ? AND sex = ? AND"
                              " status IN ('new', 'assessing', 'confirmed')"
                              " ORDER BY last_date DESC, id DESC LIMIT 1");
    if (rc == 0 && (rc = bind_key(st, 1, key)) == 0)
        rc = hb_stmt_step(st);
    *id = 0;
    if (rc == HB_STORE_ROW) {
        size_t len;
        const char *d = hb_stmt_text(st, 2, &len);
        *id = hb_stmt_int64(st, 0);
        rc = hb_alert_level_parse(level, hb_stmt_text(st, 1, NULL));
        if (rc == 0)
            rc = hb_date_parse(last, d, len);
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int open_alert(hb_store *store, const hb_series_key *key, const char *period,
                      hb_alert_level level, const char *evidence, int64_t *id)
{
    char jurisdiction[8], now[HB_TIMESTAMP_STRLEN];
    int rc = jurisdiction_of(store, key->region, jurisdiction);
    if (rc < 0)
        return rc;
    hb_timestamp_now(now);
    hb_stmt *st = NULL;
    rc = hb_store_prepare(store, &st,
                          "INSERT INTO hb_alerts (disease, measure, region, age_group, sex,"
                          " jurisdiction, level, max_level, status, first_date, last_date,"
                          " evidence, created_at, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?) RETURNING id");
    const char *name = hb_alert_level_name(level);
    if (rc == 0 && (rc = bind_key(st, 1, key)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, jurisdiction)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, name)) == 0 && (rc = hb_stmt_bind_cstr(st, 8, name)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 9, period)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 10, period)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 11, evidence)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 12, now)) == 0 && (rc = hb_stmt_bind_cstr(st, 13, now)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        *id = hb_stmt_int64(st, 0);
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc;
}

static int extend_alert(hb_store *store, int64_t id, const char *period, hb_alert_level level,
                        const char *evidence)
{
    char now[HB_TIMESTAMP_STRLEN];
    /* A signal for a period before the alert's last (a back-filled week screened late) widens
     * the alert's span but does not set its current level and evidence, which are the latest
     * period's; max_level only rises. Every right-hand side sees the row as it was. */
    hb_stmt *st = NULL;
    const char *name = hb_alert_level_name(level);
    int rc = hb_store_prepare(store, &st,
                              "UPDATE hb_alerts SET updated_at = ?,"
                              " level = CASE WHEN ? >= last_date THEN ? ELSE level END,"
                              " evidence = CASE WHEN ? >= last_date THEN ? ELSE evidence END,"
                              " first_date = CASE WHEN ? < first_date THEN ? ELSE first_date END,"
                              " last_date = CASE WHEN ? > last_date THEN ? ELSE last_date END,"
                              " max_level = CASE WHEN ? = 'alert' OR (? = 'warning' AND"
                              " max_level = 'watch') THEN ? ELSE max_level END WHERE id = ?");
    const char *text[] = { hb_timestamp_now(now),
                           period,
                           name,
                           period,
                           evidence,
                           period,
                           period,
                           period,
                           period,
                           name,
                           name,
                           name };
    for (int i = 0; rc == 0 && i < 12; i++)
        rc = hb_stmt_bind_cstr(st, i + 1, text[i]);
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 13, id)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_alert_signal(hb_store *store, const hb_alert_rules *rules, const hb_series_key *key,
                    const char *period, int period_days, hb_alert_level level, const char *evidence,
                    int64_t *alert_id, bool *raised)
{
    hb_date day, last = 0;
    if (level < HB_LEVEL_WATCH)
        return hb_error_set(HB_EINVAL, "a signal needs a level of watch or above");
    if (hb_date_parse(&day, period, strlen(period)) < 0)
        return HB_EINVAL;
    hb_alert_level current = HB_LEVEL_NONE;
    int64_t id;
    int rc = find_open(store, key, &id, &current, &last);
    if (rc < 0)
        return rc;
    bool continues = id != 0 && day - last <= (hb_date)(rules->merge_gap_periods * period_days);
    if (continues)
        rc = extend_alert(store, id, period, level, evidence);
    else
        rc = open_alert(store, key, period, level, evidence, &id);
    if (rc == 0)
        rc = add_event(store, id, "daily-run", "signal", hb_alert_level_name(level), period,
                       evidence);
    if (rc < 0)
        return rc;
    *alert_id = id;
    *raised = !continues || level > current;
    return 0;
}

static const char *const action_names[] = { "assess", "confirm", "dismiss",
                                            "close",  "reopen",  "comment" };

int hb_alert_action_parse(hb_alert_action *out, const char *name)
{
    for (int i = 0; i < 6; i++)
        if (strcmp(name, action_names[i]) == 0) {
            *out = (hb_alert_action)i;
            return 0;
        }
    return hb_error_set(HB_EINVAL,
                        "'%s' is not an action (assess, confirm, dismiss, close, reopen, comment)",
                        name);
}

/* The workflow: which statuses an action may start from, and where it leads (NULL = stays). */
static const struct {
    const char *from; /* '|'-separated, '*' = any */
    const char *to;
} transitions[] = {
    [HB_ALERT_ASSESS] = { "new", "assessing" },
    [HB_ALERT_CONFIRM] = { "assessing", "confirmed" },
    [HB_ALERT_DISMISS] = { "new|assessing", "dismissed" },
    [HB_ALERT_CLOSE] = { "confirmed", "closed" },
    [HB_ALERT_REOPEN] = { "dismissed|closed", "assessing" },
    [HB_ALERT_COMMENT] = { "*", NULL },
};

static bool allowed_from(const char *from, const char *status)
{
    if (strcmp(from, "*") == 0)
        return true;
    size_t n = strlen(status);
    for (const char *p = from; p; p = strchr(p, '|')) {
        p += *p == '|';
        if (strncmp(p, status, n) == 0 && (p[n] == '|' || p[n] == '\0'))
            return true;
    }
    return false;
}

int hb_alert_act(hb_store *store, int64_t alert_id, hb_alert_action action, const char *actor,
                 const char *comment)
{
    bool needs_comment = action == HB_ALERT_DISMISS || action == HB_ALERT_COMMENT;
    if (needs_comment && (!comment || !*comment))
        return hb_error_set(HB_EINVAL, "%s needs a comment saying why", action_names[action]);
    char status[16] = "";
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st, "SELECT status FROM hb_alerts WHERE id = ?");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, alert_id)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        snprintf(status, sizeof status, "%s", hb_stmt_text(st, 0, NULL));
    hb_stmt_finalize(st);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no alert %lld", (long long)alert_id);
    if (rc < 0)
        return rc;
    if (!allowed_from(transitions[action].from, status))
        return hb_error_set(HB_ECONFLICT, "alert %lld is %s: it cannot be %s (allowed from: %s)",
                            (long long)alert_id, status,
                            action == HB_ALERT_ASSESS    ? "assessed"
                            : action == HB_ALERT_CONFIRM ? "confirmed"
                            : action == HB_ALERT_DISMISS ? "dismissed"
                            : action == HB_ALERT_CLOSE   ? "closed"
                                                         : "reopened",
                            transitions[action].from);
    if (transitions[action].to) {
        char now[HB_TIMESTAMP_STRLEN];
        rc = hb_store_prepare(store, &st,
                              "UPDATE hb_alerts SET status = ?, updated_at = ? WHERE id = ?");
        if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, transitions[action].to)) == 0 &&
            (rc = hb_stmt_bind_cstr(st, 2, hb_timestamp_now(now))) == 0 &&
            (rc = hb_stmt_bind_int64(st, 3, alert_id)) == 0)
            rc = hb_stmt_step(st);
        hb_stmt_finalize(st);
        if (rc < 0)
            return rc;
    }
    return add_event(store, alert_id, actor, action_names[action], NULL, NULL, comment);
}

int hb_alerts_list(hb_store *store, const hb_alert_filter *filter, hb_table **out)
{
    static const char *const names[] = { "id",        "jurisdiction", "region",     "disease",
                                         "measure",   "age_group",    "sex",        "level",
                                         "max_level", "status",       "first_date", "last_date",
                                         "evidence" };
    static const hb_col_kind kinds[] = { HB_COL_INT,  HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT };
    const char *j = filter ? filter->jurisdiction : NULL;
    const char *status = filter ? filter->status : NULL;
    const char *disease = filter ? filter->disease : NULL;
    bool open = status && strcmp(status, "open") == 0;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)(filter ? filter->id : 0));
    const char *params[9] = {
        j, j, open ? NULL : status, open ? NULL : status, open ? "1" : "0", disease, disease, id, id
    };
    return hb_store_query_table(
        store,
        "SELECT id, jurisdiction, region, disease, measure, age_group, sex, level, max_level,"
        " status, first_date, last_date, evidence FROM hb_alerts"
        " WHERE (CAST(? AS TEXT) IS NULL OR jurisdiction = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR status = ?)"
        " AND (CAST(? AS TEXT) = '0' OR status IN ('new', 'assessing', 'confirmed'))"
        " AND (CAST(? AS TEXT) IS NULL OR disease = ?)"
        " AND (CAST(? AS BIGINT) = 0 OR id = CAST(? AS BIGINT))"
        " ORDER BY last_date DESC, id DESC",
        params, 9, sizeof names / sizeof names[0], names, kinds, out);
}

int hb_alert_history(hb_store *store, int64_t alert_id, hb_table **out)
{
    static const char *const names[] = { "at", "actor", "action", "level", "period", "comment" };
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)alert_id);
    const char *params[1] = { id };
    return hb_store_query_table(store,
                                "SELECT at, actor, action, level, period, comment FROM"
                                " hb_alert_events WHERE alert_id = CAST(? AS BIGINT)"
                                " ORDER BY id",
                                params, 1, 6, names, NULL, out);
}
