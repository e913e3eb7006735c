/*
 * settle/rates.c — importing and looking up exchange rates (see rates.h).
 */
#include "settle/rates.h"

#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/error.h"
#include "util/limits.h"

static const char *rate_check(const char *const *v)
{
    return strcmp(v[1], v[2]) == 0 ? "base and quote are the same currency" : NULL;
}

static const hb_settle_col rate_cols[] = {
    { "kind", "kind", HB_SCOL_ENUM, "reference|ehcv-factor" },
    { "base", "base", HB_SCOL_ENUM, "CNY|HKD|MOP" },
    { "quote", "quote", HB_SCOL_ENUM, "CNY|HKD|MOP" },
    { "valid_from", "valid_from", HB_SCOL_DATE, NULL },
    { "rate", "rate", HB_SCOL_RATE, NULL },
    { "source", "source", HB_SCOL_LONGTEXT, NULL },
};

static const hb_settle_spec rate_spec = {
    "rates", "hb_settle_rates", rate_cols,  sizeof rate_cols / sizeof rate_cols[0], 4,
    true,    "imported_at",     rate_check,
};

int hb_rates_import(hb_store *store, const char *name, const char *data, size_t len, bool dry_run,
                    hb_settle_load_report *report)
{
    return hb_settle__load(store, &rate_spec, name, data, len, dry_run, report);
}

int hb_rates_lookup(hb_rate_row *out, hb_store *store, const char *kind, const char *base,
                    const char *quote, hb_date date)
{
    bool monthly = strcmp(kind, "ehcv-factor") == 0;
    int y, m, d;
    hb_date_to_ymd(date, &y, &m, &d);
    hb_date oldest = monthly ? hb_date_from_ymd(y, m, 1) : date - HB_RATE_AGE_DAYS_MAX;
    char day[HB_DATE_STRLEN], from[HB_DATE_STRLEN];
    const char *params[] = { kind, base, quote, hb_date_format(day, date),
                             hb_date_format(from, oldest) };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT id, rate, valid_from FROM hb_settle_rates WHERE kind = ?"
                                  " AND base = ? AND quote = ? AND valid_from <= ? AND"
                                  " valid_from >= ? ORDER BY valid_from DESC LIMIT 1",
                                  params, 5);
    if (rc == HB_STORE_DONE) {
        if (monthly)
            return hb_error_set(HB_ENOTFOUND,
                                "no %s %s->%s for %04d-%02d (import it with "
                                "`healthybay rates import`)",
                                kind, base, quote, y, m);
        return hb_error_set(HB_ENOTFOUND, "no %s rate %s->%s on %s or in the %d days before", kind,
                            base, quote, day, HB_RATE_AGE_DAYS_MAX);
    }
    if (rc < 0)
        return rc;
    size_t len;
    const char *text = hb_stmt_text(st, 1, &len);
    out->id = hb_stmt_int64(st, 0);
    snprintf(out->valid_from, sizeof out->valid_from, "%s", hb_stmt_text(st, 2, NULL));
    rc = hb_rate_parse(&out->rate, text, len);
    hb_stmt_finalize(st);
    return rc;
}

int hb_rates_list(hb_store *store, const char *kind, hb_table **out)
{
    static const char *const names[] = { "id",         "kind", "base",  "quote",
                                         "valid_from", "rate", "source" };
    static const hb_col_kind kinds[] = { HB_COL_INT,  HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT };
    const char *params[] = { kind, kind };
    return hb_store_query_table(store,
                                "SELECT id, kind, base, quote, valid_from, rate, source"
                                " FROM hb_settle_rates WHERE (CAST(? AS TEXT) IS NULL OR kind = ?)"
                                " ORDER BY kind, base, quote, valid_from",
                                params, 2, 7, names, kinds, out);
}
