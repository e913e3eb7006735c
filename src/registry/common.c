/*
 * registry/common.c — small helpers every registry file uses: one-row queries for rule checks,
 * the status of an item on a day, lists and periods.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/clock.h"

const char hb_registry__null_param[] = "(null)";

const char *hb_registry_status_name(hb_registry_status status)
{
    switch (status) {
    case HB_REGISTRY_ACTIVE:
        return "active";
    case HB_REGISTRY_SUSPENDED:
        return "suspended";
    case HB_REGISTRY_REVOKED:
        return "revoked";
    case HB_REGISTRY_WITHDRAWN:
        return "withdrawn";
    }
    return "unknown";
}

int hb_registry__query(hb_store *store, hb_registry__row *out, const char *sql, ...)
{
    memset(out, 0, sizeof *out);
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, sql);
    if (rc < 0)
        return rc;
    va_list ap;
    va_start(ap, sql);
    const char *p;
    for (int i = 1; rc == 0 && (p = va_arg(ap, const char *)) != NULL; i++)
        rc = p == hb_registry__null_param ? hb_stmt_bind_null(st, i) : hb_stmt_bind_cstr(st, i, p);
    va_end(ap);
    if (rc == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        out->found = true;
        int n = hb_stmt_column_count(st);
        for (int c = 0; c < n && c < 8; c++)
            snprintf(out->col[c], sizeof out->col[c], "%s", hb_stmt_text(st, c, NULL));
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc;
}

int hb_registry__status_on(hb_store *store, hb_registry_status *out, const char *kind,
                           const char *item, const char *day, char *since, char *reason)
{
    hb_registry__row row;
    int rc = hb_registry__query(store, &row,
                                "SELECT status, effective_from, reason FROM hb_registry_status"
                                " WHERE kind = ? AND item = ? AND effective_from <= ?"
                                " ORDER BY effective_from DESC LIMIT 1",
                                kind, item, day, NULL);
    if (rc < 0)
        return rc;
    *out = HB_REGISTRY_ACTIVE;
    for (int s = HB_REGISTRY_ACTIVE; row.found && s <= HB_REGISTRY_WITHDRAWN; s++)
        if (strcmp(row.col[0], hb_registry_status_name((hb_registry_status)s)) == 0)
            *out = (hb_registry_status)s;
    if (since)
        snprintf(since, HB_REGISTRY_VALUE_MAX, "%s", row.col[1]);
    if (reason)
        snprintf(reason, HB_REGISTRY_VALUE_MAX, "%s", row.col[2]);
    return 0;
}

bool hb_registry__list_has(const char *list, const char *value)
{
    size_t len = strlen(value);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ";");
        if (n == len && strncmp(p, value, n) == 0)
            return true;
        p += n + (p[n] == ';');
    }
    return false;
}

/*
 * The anniversary is the same day of the month `months` later or, when that month is too short
 * (a period from 31 January, or from 29 February into a common year), the first day of the
 * month after; the period ends the day before. So 3 years from 2023-08-11 end on 2026-08-10 and
 * 3 years from 2024-02-29 on 2027-02-28.
 */
hb_date hb_registry__period_end(hb_date day, int months)
{
    int y, m, d;
    hb_date_to_ymd(day, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    int ty = total / 12, tm = total % 12 + 1;
    int dim = hb_days_in_month(ty, tm);
    hb_date anniversary =
        d <= dim ? hb_date_from_ymd(ty, tm, d) : hb_date_from_ymd(ty, tm, dim) + 1;
    return anniversary - 1;
}

hb_date hb_registry__date(const char *text)
{
    return hb_registry__date_n(text, strlen(text));
}

hb_date hb_registry__date_n(const char *text, size_t len)
{
    hb_date d = 0;
    int rc = hb_date_parse(&d, text, len);
    (void)rc; /* callers pass dates that a column type (or our own clock) produced */
    return d;
}

int hb_registry__item_key(const hb_registry__kind *kind, const char *const *cells, hb_buf *out)
{
    int rc = 0;
    bool first = true;
    for (size_t c = 0; rc == 0 && c < kind->ncols; c++)
        if (kind->cols[c].flags & HB_RC_KEY) {
            rc = hb_buf_printf(out, "%s%s", first ? "" : "/", cells[c] ? cells[c] : "");
            first = false;
        }
    return rc;
}

/* The clock is UTC; the Greater Bay Area's day starts at 16:00 UTC the evening before. */
hb_date hb_registry_today(void)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_timestamp_now(now);
    int hour = (now[11] - '0') * 10 + (now[12] - '0');
    return hb_registry__date_n(now, 10) + (hour >= 16);
}
