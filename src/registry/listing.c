/*
 * registry/listing.c — reading the registries back: the current rows of a kind with their
 * status on a day, the history of one item, and expiry alerts (see registry.h).
 *
 * The restricted-fields policy is applied here, row by row, for every kind that has restricted
 * columns: the cells are emptied unless hb_registry_sees_restricted() admits the caller for the
 * practitioner the row is about.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "registry/practitioners.h"
#include "registry/registry_int.h"
#include "util/alloc.h"

static bool has_restricted(const hb_registry__kind *k)
{
    for (size_t c = 0; c < k->ncols; c++)
        if (k->cols[c].flags & HB_RC_RESTRICTED)
            return true;
    return false;
}

static bool has_status_column(const hb_registry__kind *k)
{
    return k->has_status || k->valid_from;
}

/* The status of a listed row on day: events first, then its dates. */
static int row_status(hb_store *store, const hb_registry__kind *k, const char *const *cells,
                      hb_date on, const char **out)
{
    *out = "active";
    if (k->has_status) {
        hb_buf item;
        hb_buf_init(&item, 0);
        char day[HB_DATE_STRLEN];
        hb_registry_status st = HB_REGISTRY_ACTIVE;
        int rc = hb_registry__item_key(k, cells, &item);
        if (rc == 0)
            rc = hb_registry__status_on(store, &st, k->name, hb_buf_cstr(&item),
                                        hb_date_format(day, on), NULL, NULL);
        hb_buf_dispose(&item);
        if (rc < 0)
            return rc;
        *out = hb_registry_status_name(st);
        if (st != HB_REGISTRY_ACTIVE)
            return 0;
    }
    if (!k->valid_from)
        return 0;
    const char *from = cells[hb_registry__col_index(k, k->valid_from)];
    const char *to = cells[hb_registry__col_index(k, k->valid_to)];
    if (from && hb_registry__date(from) > on)
        *out = "not_yet_valid";
    else if (to && hb_registry__date(to) < on)
        *out = "expired";
    return 0;
}

/* Empty the restricted cells of a row unless the caller may see them. */
static int mask_row(hb_store *store, const hb_registry_caller *caller, const hb_registry__kind *k,
                    const char **cells, hb_date on, bool *shown)
{
    bool yes = false;
    int rc = hb_registry_sees_restricted(store, caller, cells[k->person_col], on, &yes);
    if (rc < 0)
        return rc;
    for (size_t c = 0; c < k->ncols; c++)
        if (k->cols[c].flags & HB_RC_RESTRICTED) {
            if (!yes)
                cells[c] = NULL;
            else if (cells[c])
                *shown = true;
        }
    return 0;
}

/* SELECT every column and the version, with the optional filters, in key order, one page. */
static int list_sql(const hb_registry__kind *k, const char *filter_column, bool own_only,
                    hb_buf *sql)
{
    int rc = hb_buf_puts(sql, "SELECT ");
    for (size_t c = 0; rc == 0 && c < k->ncols; c++)
        rc = hb_buf_printf(sql, "%s, ", k->cols[c].name);
    if (rc == 0)
        rc = hb_buf_printf(sql, "version FROM %s WHERE 1 = 1", k->table);
    if (rc == 0 && filter_column)
        rc = hb_buf_printf(sql, " AND %s = ?", filter_column);
    if (rc == 0 && own_only)
        rc = hb_buf_puts(sql, " AND institution = ?");
    const char *sep = " ORDER BY ";
    for (size_t c = 0; rc == 0 && c < k->ncols; c++)
        if (k->cols[c].flags & HB_RC_KEY) {
            rc = hb_buf_printf(sql, "%s%s", sep, k->cols[c].name);
            sep = ", ";
        }
    return rc == 0 ? hb_buf_puts(sql, " LIMIT ? OFFSET ?") : rc;
}

static int list_check(const hb_registry_caller *caller, const hb_registry__kind *k,
                      const char *filter_column, const char *filter_value, bool *own_only)
{
    *own_only = false;
    int col = filter_column ? hb_registry__col_index(k, filter_column) : -1;
    if (filter_column && (col < 0 || !filter_value))
        return hb_error_set(HB_EINVAL, "'%s' is not a column of %s", filter_column, k->name);
    /* A filter on a restricted field would answer "is X's date of birth D?" for anyone. */
    if (col >= 0 && (k->cols[col].flags & HB_RC_RESTRICTED) && caller->role != HB_REGISTRY_OPERATOR)
        return hb_error_set(HB_EPERM, "'%s' is restricted personal data: no filtering on it",
                            filter_column);
    if (!k->usage_rules || caller->role == HB_REGISTRY_OPERATOR ||
        caller->role == HB_REGISTRY_AUTHORITY)
        return 0;
    if (caller->role == HB_REGISTRY_PUBLIC || !caller->org)
        return hb_error_set(HB_EPERM,
                            "%s figures are for the health authorities and the "
                            "reporting institutions",
                            k->name);
    *own_only = true;
    return 0;
}

/* Fill the table from the statement, one output row per database row. */
static int list_rows(hb_store *store, const hb_registry_caller *caller, const hb_registry__kind *k,
                     hb_stmt *st, hb_date on, hb_table *t, bool *shown)
{
    const char *cells[HB_REGISTRY_COLS_MAX + 2];
    bool status = has_status_column(k), restricted = has_restricted(k);
    int rc;
    while ((rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        for (size_t c = 0; c <= k->ncols; c++)
            cells[c] = hb_stmt_is_null(st, (int)c) ? NULL : hb_stmt_text(st, (int)c, NULL);
        rc = restricted ? mask_row(store, caller, k, cells, on, shown) : 0;
        if (rc == 0 && status)
            rc = row_status(store, k, cells, on, &cells[k->ncols + 1]);
        if (rc == 0)
            rc = hb_table_add_row(t, cells);
        if (rc < 0)
            return rc;
    }
    return rc;
}

/* LIMIT and OFFSET as parameters, so every page runs the same (cached) statement. */
static int bind_page(hb_stmt *st, int first, const hb_registry_list_options *opt)
{
    if (opt->limit > INT64_MAX || opt->offset > INT64_MAX)
        return hb_error_set(HB_EINVAL, "a page of %" PRIu64 " items from %" PRIu64 " is too large",
                            opt->limit, opt->offset);
    int rc = hb_stmt_bind_int64(st, first, opt->limit ? (int64_t)opt->limit : INT64_MAX);
    return rc == 0 ? hb_stmt_bind_int64(st, first + 1, (int64_t)opt->offset) : rc;
}

static int new_list_table(const hb_registry__kind *k, hb_table **out)
{
    const char *names[HB_REGISTRY_COLS_MAX + 2];
    hb_col_kind kinds[HB_REGISTRY_COLS_MAX + 2];
    size_t n = 0;
    for (; n < k->ncols; n++) {
        names[n] = k->cols[n].name;
        kinds[n] = k->cols[n].type == HB_RT_INT || k->cols[n].type == HB_RT_INTOPT ? HB_COL_INT
                                                                                   : HB_COL_TEXT;
    }
    names[n] = "version";
    kinds[n++] = HB_COL_INT;
    if (has_status_column(k)) {
        names[n] = "status";
        kinds[n++] = HB_COL_TEXT;
    }
    return hb_table_new(out, n, names, kinds);
}

int hb_registry_list(hb_store *store, const hb_registry_caller *caller, const char *kind,
                     const hb_registry_list_options *opt, hb_table **out, bool *restricted_shown)
{
    const hb_registry__kind *k = hb_registry__kind_find(kind);
    bool own_only, shown = false;
    if (!k)
        return hb_error_set(HB_EINVAL, "'%s' is not a registry kind", kind);
    const char *filter_column = opt->filter_column;
    int rc = list_check(caller, k, filter_column, opt->filter_value, &own_only);
    if (rc < 0)
        return rc;
    hb_buf sql;
    hb_buf_init(&sql, HB_SQL_MAX);
    hb_stmt *st = NULL;
    hb_table *t = NULL;
    int i = 1;
    rc = list_sql(k, filter_column, own_only, &sql);
    if (rc == 0)
        rc = hb_store_prepare(store, &st, hb_buf_cstr(&sql));
    hb_buf_dispose(&sql);
    if (rc == 0 && filter_column)
        rc = hb_stmt_bind_cstr(st, i++, opt->filter_value);
    if (rc == 0 && own_only)
        rc = hb_stmt_bind_cstr(st, i++, caller->org);
    if (rc == 0)
        rc = bind_page(st, i, opt);
    if (rc == 0)
        rc = new_list_table(k, &t);
    if (rc == 0)
        rc = list_rows(store, caller, k, st, opt->on, t, &shown);
    hb_stmt_finalize(st);
    if (rc < 0) {
        hb_table_free(t);
        return rc;
    }
    *out = t;
    if (restricted_shown)
        *restricted_shown = shown;
    return 0;
}

/* Column col of an item's latest version ("" when the version has none). */
static int item_cell(hb_store *store, const hb_registry__kind *k, const char *item, int col,
                     char out[HB_REGISTRY_VALUE_MAX])
{
    hb_registry__row row;
    int rc = hb_registry__query(store, &row,
                                "SELECT data FROM hb_registry_changes WHERE kind = ? AND item = ?"
                                " ORDER BY version DESC LIMIT 1",
                                k->name, item, NULL);
    if (rc < 0)
        return rc;
    if (!row.found)
        return hb_error_set(HB_ENOTFOUND, "no %s item '%s'", k->name, item);
    json_t *data = json_loads(row.col[0], 0, NULL);
    const char *v = json_string_value(json_object_get(data, k->cols[col].name));
    snprintf(out, HB_REGISTRY_VALUE_MAX, "%s", v ? v : "");
    json_decref(data);
    return 0;
}

static bool key_restricted(const hb_registry__kind *k)
{
    for (size_t c = 0; c < k->ncols; c++)
        if ((k->cols[c].flags & (HB_RC_KEY | HB_RC_RESTRICTED)) == (HB_RC_KEY | HB_RC_RESTRICTED))
            return true;
    return false;
}

/* May the caller read the history of this item? Its versions hold every field of the row. */
static int history_check(hb_store *store, const hb_registry_caller *caller,
                         const hb_registry__kind *k, const char *item)
{
    char cell[HB_REGISTRY_VALUE_MAX];
    bool yes = false;
    if (caller->role == HB_REGISTRY_OPERATOR || (!has_restricted(k) && !k->usage_rules))
        return 0;
    /* The public sees neither: refuse before looking, so that the answer does not tell whether
     * the item exists. */
    if (caller->role == HB_REGISTRY_PUBLIC)
        return hb_error_set(HB_EPERM, "the history of %s holds %s", k->name,
                            k->usage_rules ? "usage figures" : "restricted personal data");
    /* Another institution's usage, like a disciplinary case the caller may not see, is answered
     * as if it did not exist: the listing does not show it either. */
    if (k->usage_rules) {
        int rc = item_cell(store, k, item, hb_registry__col_index(k, "institution"), cell);
        if (rc == 0 && caller->role == HB_REGISTRY_INSTITUTION &&
            (!caller->org || strcmp(cell, caller->org) != 0))
            rc = hb_error_set(HB_ENOTFOUND, "no %s item '%s'", k->name, item);
        return rc;
    }
    int rc = item_cell(store, k, item, k->person_col, cell);
    if (rc == 0)
        rc = hb_registry_sees_restricted(store, caller, cell, hb_registry_today(), &yes);
    if (rc < 0 || yes)
        return rc;
    /* A disciplinary case is named by its restricted reference: whoever may not see it is told
     * what someone asking for a case that does not exist is told. */
    if (key_restricted(k))
        return hb_error_set(HB_ENOTFOUND, "no %s item '%s'", k->name, item);
    return hb_error_set(HB_EPERM, "the history of %s %s holds restricted personal data", k->name,
                        item);
}

int hb_registry_history(hb_store *store, const hb_registry_caller *caller, const char *kind,
                        const char *item, hb_table **out)
{
    static const char *const names[] = { "version", "at",   "actor",          "org",
                                         "source",  "what", "effective_from", "data" };
    static const hb_col_kind kinds[] = { HB_COL_INT,  HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT };
    const hb_registry__kind *k = hb_registry__kind_find(kind);
    if (!k)
        return hb_error_set(HB_EINVAL, "'%s' is not a registry kind", kind);
    int rc = history_check(store, caller, k, item);
    if (rc < 0)
        return rc;
    const char *params[4] = { kind, item, kind, item };
    rc = hb_store_query_table(
        store,
        "SELECT version, at, actor, org, source, what, effective_from, data FROM ("
        "SELECT c.version AS version, b.at AS at, b.actor AS actor, b.org AS org,"
        " b.source AS source, CASE WHEN c.version = 1 THEN 'created' ELSE 'changed' END AS what,"
        " NULL AS effective_from, c.data AS data"
        " FROM hb_registry_changes c JOIN hb_registry_batches b ON b.id = c.batch_id"
        " WHERE c.kind = ? AND c.item = ?"
        " UNION ALL SELECT NULL, b.at, b.actor, b.org, b.source, s.status, s.effective_from,"
        " s.reason FROM hb_registry_status s JOIN hb_registry_changes c ON c.kind = 'status'"
        " AND c.item = s.kind || '/' || s.item || '/' || s.effective_from"
        " AND c.version = s.version JOIN hb_registry_batches b ON b.id = c.batch_id"
        " WHERE s.kind = ? AND s.item = ?) h"
        " ORDER BY CASE WHEN effective_from IS NULL THEN 0 ELSE 1 END, effective_from, version",
        params, 4, 8, names, kinds, out);
    if (rc == 0 && hb_table_row_count(*out) == 0) {
        hb_table_free(*out);
        *out = NULL;
        rc = hb_error_set(HB_ENOTFOUND, "no %s item '%s'", kind, item);
    }
    return rc;
}

static const char expiring_sql[] =
    "SELECT k, item, subject, valid_to FROM ("
    "SELECT 'approvals' AS k, approval_no AS item, product || ' at ' || institution AS subject,"
    " valid_to FROM hb_registry_approvals WHERE valid_to >= ? AND valid_to <= ?"
    " UNION ALL SELECT 'designations', institution || '/' || programme || '/' || designated_from,"
    " institution || ' (' || programme || ')', designated_to FROM hb_registry_designations"
    " WHERE designated_to >= ? AND designated_to <= ?"
    " UNION ALL SELECT 'permits', permit_no, practitioner || ' (' || scheme || ')', valid_to"
    " FROM hb_registry_permits WHERE valid_to >= ? AND valid_to <= ?"
    " UNION ALL SELECT 'employments', practitioner || '/' || institution || '/' || valid_from,"
    " practitioner || ' at ' || institution, valid_to FROM hb_registry_employments"
    " WHERE valid_to >= ? AND valid_to <= ?"
    " UNION ALL SELECT 'registrations', register || '/' || number, practitioner, registered_to"
    " FROM hb_registry_registrations WHERE registered_to >= ? AND registered_to <= ?"
    " UNION ALL SELECT 'accreditations', standard || '/' || reference,"
    " institution || ' (' || standard || ')', valid_to FROM hb_registry_accreditations"
    " WHERE valid_to >= ? AND valid_to <= ?) x"
    " WHERE CAST(? AS TEXT) IS NULL OR k = ? ORDER BY valid_to, k, item";

/* Keep a candidate when it is active on day; add its days left. */
static int expiring_row(hb_store *store, hb_table *t, hb_stmt *st, const char *day, hb_date on)
{
    const char *cells[5];
    for (int c = 0; c < 4; c++)
        cells[c] = hb_stmt_text(st, c, NULL);
    const hb_registry__kind *k = hb_registry__kind_find(cells[0]);
    hb_registry_status status = HB_REGISTRY_ACTIVE;
    if (k && k->has_status) {
        int rc = hb_registry__status_on(store, &status, k->name, cells[1], day, NULL, NULL);
        if (rc < 0)
            return rc;
    }
    if (status != HB_REGISTRY_ACTIVE)
        return 0;
    char left[24];
    snprintf(left, sizeof left, "%d", (int)(hb_registry__date(cells[3]) - on));
    cells[4] = left;
    return hb_table_add_row(t, cells);
}

int hb_registry_expiring(hb_store *store, const char *kind, hb_date on, int days_max,
                         hb_table **out)
{
    static const char *const names[] = { "kind", "item", "subject", "valid_to", "days_left" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_INT };
    static const char *const expiring_kinds[] = {
        "approvals", "designations", "permits", "employments", "registrations", "accreditations"
    };
    bool known = !kind;
    for (size_t i = 0; !known && i < sizeof expiring_kinds / sizeof expiring_kinds[0]; i++)
        known = strcmp(kind, expiring_kinds[i]) == 0;
    if (!known)
        return hb_error_set(HB_EINVAL,
                            "'%s' has no expiry alerts (use approvals, designations, permits, "
                            "employments, registrations or accreditations)",
                            kind);
    if (days_max < 0 || days_max > HB_REGISTRY_EXPIRY_DAYS_MAX)
        return hb_error_set(HB_EINVAL, "days ahead must be 0..%d, got %d",
                            HB_REGISTRY_EXPIRY_DAYS_MAX, days_max);
    char day[HB_DATE_STRLEN], until[HB_DATE_STRLEN];
    hb_date_format(day, on);
    hb_date_format(until, on + days_max);
    hb_table *t;
    hb_stmt *st;
    int rc = hb_table_new(&t, 5, names, kinds);
    if (rc < 0)
        return rc;
    if ((rc = hb_store_prepare(store, &st, expiring_sql)) < 0) {
        hb_table_free(t);
        return rc;
    }
    for (int i = 0; rc == 0 && i < 12; i++)
        rc = hb_stmt_bind_cstr(st, i + 1, i % 2 ? until : day);
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 13, kind)) == 0)
        rc = hb_stmt_bind_cstr(st, 14, kind);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW)
        rc = expiring_row(store, t, st, day, on);
    hb_stmt_finalize(st);
    if (rc < 0) {
        hb_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
