/*
 * settle/load.c — the typed CSV table loader shared by the settlement imports (settle_int.h).
 *
 * Pass 1 turns every record into one string per column (canonical text, NUL = empty) kept in
 * one growing buffer, and notes every bad field. Pass 2 runs only on a clean file: per row one
 * SELECT by key, then INSERT, UPDATE or nothing. A database error on a row (a foreign key, say)
 * is reported with that row's file:line.
 */
#include "settle/settle_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthybay/date.h"
#include "settle/claims.h"
#include "settle/money.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/limits.h"
#include "util/parse.h"

const char hb_claim_categories[] = "outpatient|inpatient|day_surgery|dental|optometry|"
                                   "chinese_medicine|diagnostics|preventive|rehabilitation|"
                                   "drugs";

static bool in_list(const char *list, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, "|");
        if (len == n && strncmp(p, value, n) == 0)
            return true;
        p += len + (p[len] == '|');
    }
    return false;
}

bool hb_claim_category_valid(const char *category)
{
    return *category && in_list(hb_claim_categories, category);
}

static int ref_exists(hb_store *store, const char *ref, const char *value, bool *found)
{
    char sql[160];
    const char *dot = strchr(ref, '.');
    snprintf(sql, sizeof sql, "SELECT 1 FROM %.*s WHERE %s = ?", (int)(dot - ref), ref, dot + 1);
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, sql);
    if (rc < 0)
        return rc;
    rc = hb_stmt_bind_cstr(st, 1, value);
    if (rc == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    *found = rc == HB_STORE_ROW;
    return rc < 0 ? rc : 0;
}

static bool valid_jurisdictions(const char *s)
{
    for (const char *p = s;;) {
        size_t len = strcspn(p, ";");
        if (len != 2 || !in_list("GD|HK|MO", (char[]){ p[0], p[1], '\0' }))
            return false;
        if (!p[len])
            return true;
        p += len + 1;
    }
}

int hb_settle__field(hb_store *store, const hb_csv *csv, size_t field, hb_settle_coltype type,
                     const char *arg, hb_buf *out, bool *empty)
{
    size_t len;
    const char *v = hb_csv_field(csv, field, &len);
    *empty = len == 0;
    if (len == 0) {
        if (type == HB_SCOL_OPTTEXT || type == HB_SCOL_OPTINT || type == HB_SCOL_OPTDATE ||
            type == HB_SCOL_OPTAMOUNT || type == HB_SCOL_OPTREF)
            return 0;
        return hb_csv_error(csv, field, "required");
    }
    if (len > HB_SETTLE_ID_MAX && (type == HB_SCOL_TEXT || type == HB_SCOL_REF ||
                                   type == HB_SCOL_OPTREF || type == HB_SCOL_ENUM))
        return hb_csv_error(csv, field, "longer than %d characters", HB_SETTLE_ID_MAX);
    int64_t n;
    hb_date d;
    hb_rate rate;
    char text[HB_RATE_STRLEN];
    switch (type) {
    case HB_SCOL_INT:
    case HB_SCOL_OPTINT:
        if (hb_parse_int64(&n, v, len) < 0 || n < 0)
            return hb_csv_error(csv, field, "'%s' is not a whole number >= 0", v);
        return hb_buf_printf(out, "%lld", (long long)n);
    case HB_SCOL_DATE:
    case HB_SCOL_OPTDATE:
        if (hb_date_parse(&d, v, len) < 0)
            return hb_csv_error(csv, field, "'%s' is not a date (YYYY-MM-DD)", v);
        return hb_buf_put(out, v, len);
    case HB_SCOL_ENUM:
        if (!in_list(arg, v))
            return hb_csv_error(csv, field, "'%s' is not one of %s", v, arg);
        return hb_buf_put(out, v, len);
    case HB_SCOL_AMOUNT:
    case HB_SCOL_OPTAMOUNT:
        /* CNY, HKD and MOP all have two decimal places, so "HKD" parses any of them. */
        if (hb_money_parse(&n, "HKD", v, len) < 0 || n < 0)
            return hb_csv_error(csv, field, "'%s' is not an amount >= 0 (like 2000.00)", v);
        return hb_buf_printf(out, "%lld", (long long)n);
    case HB_SCOL_RATE:
        if (hb_rate_parse(&rate, v, len) < 0)
            return hb_csv_error(csv, field, "%s", hb_error_last());
        return hb_buf_puts(out, hb_rate_format(text, &rate));
    case HB_SCOL_REF:
    case HB_SCOL_OPTREF: {
        bool found = false;
        int rc = ref_exists(store, arg, v, &found);
        if (rc < 0)
            return rc;
        if (!found)
            return hb_csv_error(csv, field, "unknown code '%s' (not in %s)", v, arg);
        return hb_buf_put(out, v, len);
    }
    case HB_SCOL_JURISDICTIONS:
        if (!valid_jurisdictions(v))
            return hb_csv_error(csv, field, "'%s' is not a ';'-separated list of GD, HK, MO", v);
        return hb_buf_put(out, v, len);
    default:
        return hb_buf_put(out, v, len);
    }
}

/* Pass 1 state. */
typedef struct loading {
    hb_store *store;
    const hb_settle_spec *spec;
    long colpos[64];
    hb_buf values;   /* per row: ncols NUL-terminated strings; "\x01" marks an empty field */
    size_t *offsets; /* start of each row in values */
    uint32_t *lines;
    size_t nrows, cap;
    hb_buf errors;
    uint64_t nerrors;
} loading;

static void note(loading *l)
{
    l->nerrors++;
    if (l->nerrors <= HB_REPORT_ERRORS_MAX) {
        hb_buf_puts(&l->errors, hb_error_last());
        hb_buf_putc(&l->errors, '\n');
    }
}

static int find_columns(loading *l, const hb_csv *csv)
{
    const hb_settle_spec *spec = l->spec;
    for (size_t c = 0; c < spec->ncols; c++) {
        l->colpos[c] = hb_csv_find(csv, spec->cols[c].name);
        if (l->colpos[c] < 0)
            return hb_error_set(HB_EINVAL, "%s:1: missing column '%s' (a %s file has: %s …)",
                                hb_csv_name(csv), spec->cols[c].name, spec->kind,
                                spec->cols[0].name);
    }
    if (hb_csv_header_count(csv) != spec->ncols)
        return hb_error_set(HB_EINVAL, "%s:1: %zu columns, a %s file has %zu", hb_csv_name(csv),
                            hb_csv_header_count(csv), spec->kind, spec->ncols);
    return 0;
}

static int read_row(loading *l, const hb_csv *csv)
{
    if (l->nrows == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        size_t *o = hb_reallocarray(l->offsets, cap, sizeof *o);
        if (o)
            l->offsets = o;
        uint32_t *ln = o ? hb_reallocarray(l->lines, cap, sizeof *ln) : NULL;
        if (!ln)
            return HB_ENOMEM;
        l->lines = ln;
        l->cap = cap;
    }
    size_t start = l->values.len;
    bool bad = false;
    for (size_t c = 0; c < l->spec->ncols; c++) {
        bool empty;
        const hb_settle_col *col = &l->spec->cols[c];
        int rc = hb_settle__field(l->store, csv, (size_t)l->colpos[c], col->type, col->arg,
                                  &l->values, &empty);
        if (rc == HB_EINVAL) {
            note(l);
            bad = true;
        } else if (rc < 0) {
            return rc;
        }
        if ((rc == 0 && empty && (rc = hb_buf_putc(&l->values, '\x01')) < 0) ||
            (rc = hb_buf_putc(&l->values, '\0')) < 0)
            return rc;
    }
    if (bad) {
        l->values.len = start;
        return 0;
    }
    l->offsets[l->nrows] = start;
    l->lines[l->nrows++] = (uint32_t)hb_csv_line(csv);
    return 0;
}

/* The values of row r, NULL for empty fields. */
static void row_values(const loading *l, size_t r, const char **vals)
{
    const char *p = l->values.ptr + l->offsets[r];
    for (size_t c = 0; c < l->spec->ncols; c++) {
        vals[c] = strcmp(p, "\x01") == 0 ? NULL : p;
        p += strlen(p) + 1;
    }
}

typedef struct keyed {
    char *key; /* the key columns joined by '\x1f'; owned */
    uint32_t line;
} keyed;

static int compare_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* The same key twice in one file is a mistake, whichever row was meant: sort by key and compare
 * neighbours. */
static int check_duplicates(loading *l, const char *name)
{
    keyed *k = hb_calloc(l->nrows + 1, sizeof *k);
    int rc = k ? 0 : HB_ENOMEM;
    const char *vals[64];
    for (size_t r = 0; rc == 0 && r < l->nrows; r++) {
        hb_buf key;
        hb_buf_init(&key, 0);
        row_values(l, r, vals);
        for (size_t c = 0; rc == 0 && c < l->spec->nkeys; c++)
            rc = hb_buf_printf(&key, "%s\x1f", vals[c] ? vals[c] : "");
        k[r].key = hb_buf_detach(&key);
        k[r].line = l->lines[r];
        if (!k[r].key)
            rc = HB_ENOMEM;
    }
    if (rc == 0) {
        qsort(k, l->nrows, sizeof *k, compare_keyed);
        for (size_t r = 1; r < l->nrows; r++)
            if (strcmp(k[r].key, k[r - 1].key) == 0) {
                hb_error_set(HB_EINVAL, "%s:%u: same key as line %u", name, k[r].line,
                             k[r - 1].line);
                note(l);
            }
    }
    for (size_t r = 0; k && r < l->nrows; r++)
        hb_free(k[r].key);
    hb_free(k);
    return rc;
}

static void check_rows(loading *l, const char *name)
{
    const char *vals[64];
    for (size_t r = 0; r < l->nrows && l->spec->check_row; r++) {
        row_values(l, r, vals);
        const char *why = l->spec->check_row(vals);
        if (why) {
            hb_error_set(HB_EINVAL, "%s:%u: %s", name, l->lines[r], why);
            note(l);
        }
    }
}

/* The three statements of pass 2, built from the spec. */
typedef struct writer {
    hb_stmt *select, *insert, *update;
} writer;

static int prepare_writer(hb_store *store, const hb_settle_spec *spec, writer *w)
{
    hb_buf sel, ins, upd, where;
    hb_buf_init(&sel, HB_SQL_MAX);
    hb_buf_init(&ins, HB_SQL_MAX);
    hb_buf_init(&upd, HB_SQL_MAX);
    hb_buf_init(&where, HB_SQL_MAX);
    int rc = 0;
    for (size_t c = 0; c < spec->nkeys; c++)
        rc |= hb_buf_printf(&where, "%s%s = ?", c ? " AND " : " WHERE ", spec->cols[c].column);
    rc |= hb_buf_puts(&sel, "SELECT 1");
    rc |= hb_buf_printf(&ins, "INSERT INTO %s (", spec->table);
    rc |= hb_buf_printf(&upd, "UPDATE %s SET ", spec->table);
    for (size_t c = 0; c < spec->ncols; c++) {
        rc |= hb_buf_printf(&ins, "%s%s", c ? ", " : "", spec->cols[c].column);
        if (c >= spec->nkeys) {
            rc |= hb_buf_printf(&sel, ", %s", spec->cols[c].column);
            rc |=
                hb_buf_printf(&upd, "%s%s = ?", c > spec->nkeys ? ", " : "", spec->cols[c].column);
        }
    }
    if (spec->stamp)
        rc |= hb_buf_printf(&ins, ", %s", spec->stamp);
    rc |= hb_buf_puts(&ins, ") VALUES (");
    for (size_t c = 0; c < spec->ncols + (spec->stamp != NULL); c++)
        rc |= hb_buf_puts(&ins, c ? ", ?" : "?");
    rc |= hb_buf_puts(&ins, ")");
    rc |= hb_buf_printf(&sel, " FROM %s%s", spec->table, hb_buf_cstr(&where));
    rc |= hb_buf_puts(&upd, hb_buf_cstr(&where));
    if (rc != 0)
        rc = HB_ENOMEM;
    memset(w, 0, sizeof *w);
    if (rc == 0)
        rc = hb_store_prepare(store, &w->select, hb_buf_cstr(&sel));
    if (rc == 0)
        rc = hb_store_prepare(store, &w->insert, hb_buf_cstr(&ins));
    if (rc == 0 && spec->ncols > spec->nkeys)
        rc = hb_store_prepare(store, &w->update, hb_buf_cstr(&upd));
    hb_buf_dispose(&sel);
    hb_buf_dispose(&ins);
    hb_buf_dispose(&upd);
    hb_buf_dispose(&where);
    return rc;
}

static void writer_dispose(writer *w)
{
    hb_stmt_finalize(w->select);
    hb_stmt_finalize(w->insert);
    hb_stmt_finalize(w->update);
}

/* 1 when the stored row (current row of st, non-key columns from 1) equals vals. */
static bool same_row(hb_stmt *st, const hb_settle_spec *spec, const char *const *vals)
{
    for (size_t c = spec->nkeys; c < spec->ncols; c++) {
        int col = (int)(c - spec->nkeys) + 1;
        if (hb_stmt_is_null(st, col) != (vals[c] == NULL))
            return false;
        if (vals[c] && strcmp(hb_stmt_text(st, col, NULL), vals[c]) != 0)
            return false;
    }
    return true;
}

/* 0 inserted, 1 unchanged, 2 updated, < 0 error. */
static int write_row(writer *w, const hb_settle_spec *spec, const char *const *vals,
                     const char *now)
{
    int rc = 0;
    for (size_t c = 0; rc == 0 && c < spec->nkeys; c++)
        rc = hb_stmt_bind_cstr(w->select, (int)c + 1, vals[c]);
    if (rc == 0)
        rc = hb_stmt_step(w->select);
    int outcome = 0;
    hb_stmt *st = w->insert;
    if (rc == HB_STORE_ROW) {
        if (same_row(w->select, spec, vals)) {
            hb_stmt_reset(w->select);
            return 1;
        }
        if (spec->immutable) {
            hb_stmt_reset(w->select);
            return hb_error_set(HB_ECONFLICT,
                                "differs from the stored row with the same key; %s are "
                                "immutable once imported",
                                spec->kind);
        }
        outcome = 2;
        st = w->update;
        int p = 1;
        for (size_t c = spec->nkeys; rc >= 0 && c < spec->ncols; c++)
            rc = hb_stmt_bind_cstr(st, p++, vals[c]);
        for (size_t c = 0; rc >= 0 && c < spec->nkeys; c++)
            rc = hb_stmt_bind_cstr(st, p++, vals[c]);
    } else if (rc == HB_STORE_DONE) {
        for (size_t c = 0; rc >= 0 && c < spec->ncols; c++)
            rc = hb_stmt_bind_cstr(st, (int)c + 1, vals[c]);
        if (rc >= 0 && spec->stamp)
            rc = hb_stmt_bind_cstr(st, (int)spec->ncols + 1, now);
    }
    hb_stmt_reset(w->select);
    if (rc >= 0)
        rc = hb_stmt_step(st);
    hb_stmt_reset(st);
    return rc < 0 ? rc : outcome;
}

static int write_rows(loading *l, const char *name, hb_settle_load_report *report)
{
    writer w;
    char now[HB_TIMESTAMP_STRLEN];
    hb_timestamp_now(now);
    int rc = prepare_writer(l->store, l->spec, &w);
    const char *vals[64];
    for (size_t r = 0; rc >= 0 && r < l->nrows; r++) {
        row_values(l, r, vals);
        rc = write_row(&w, l->spec, vals, now);
        if (rc < 0)
            hb_error_prefix("%s:%u: ", name, l->lines[r]);
        else if (rc == 0)
            report->inserted++;
        else if (rc == 1)
            report->unchanged++;
        else
            report->updated++;
    }
    writer_dispose(&w);
    return rc < 0 ? rc : 0;
}

static int read_all(loading *l, hb_csv *csv)
{
    int rc = hb_csv_read_header(csv);
    if (rc == 0)
        rc = find_columns(l, csv);
    while (rc == 0 && (rc = hb_csv_next(csv)) == 1) {
        if (l->nrows >= HB_SETTLE_IMPORT_ROWS_MAX)
            return hb_error_set(HB_ELIMIT, "%s: more than %d rows", hb_csv_name(csv),
                                HB_SETTLE_IMPORT_ROWS_MAX);
        rc = read_row(l, csv);
    }
    return rc;
}

int hb_settle__load(hb_store *store, const hb_settle_spec *spec, const char *name, const char *data,
                    size_t len, bool dry_run, hb_settle_load_report *report)
{
    memset(report, 0, sizeof *report);
    loading l = { .store = store, .spec = spec };
    hb_buf_init(&l.values, 0);
    hb_buf_init(&l.errors, 0);
    hb_csv *csv = NULL;
    int rc = hb_csv_open_memory(&csv, name, data, len);
    if (rc == 0)
        rc = read_all(&l, csv);
    hb_csv_free(csv);
    if (rc == 0) {
        check_rows(&l, name);
        rc = check_duplicates(&l, name);
    }
    report->rows = l.nrows;
    report->nerrors = l.nerrors;
    if (rc == 0 && l.nerrors > 0)
        rc = hb_error_set(HB_EINVAL, "%s: %llu bad field%s; nothing was written", name,
                          (unsigned long long)l.nerrors, l.nerrors == 1 ? "" : "s");
    if (rc == 0 && !dry_run)
        rc = write_rows(&l, name, report);
    report->errors = l.errors.len ? hb_buf_detach(&l.errors) : NULL;
    hb_buf_dispose(&l.errors);
    hb_buf_dispose(&l.values);
    hb_free(l.offsets);
    hb_free(l.lines);
    return rc;
}

void hb_settle__load_report_dispose(hb_settle_load_report *report)
{
    hb_free(report->errors);
    report->errors = NULL;
}

void hb_settle__hex(char out[HB_SETTLE_HEX_LEN], uint64_t h)
{
    snprintf(out, HB_SETTLE_HEX_LEN, "%016llx", (unsigned long long)h);
}

int hb_settle__table_new(hb_table **out, size_t ncols, const char *const *names,
                         const hb_col_kind *kinds, uint32_t money_mask, hb_money_style style)
{
    if (style == HB_MONEY_DECIMAL)
        return hb_table_new(out, ncols, names, kinds);
    char renamed[32][40];
    const char *n[32];
    hb_col_kind k[32];
    for (size_t c = 0; c < ncols && c < 32; c++) {
        bool money = money_mask >> c & 1u;
        snprintf(renamed[c], sizeof renamed[c], "%s%s", names[c], money ? "_minor" : "");
        n[c] = renamed[c];
        k[c] = money ? HB_COL_INT : kinds[c];
    }
    return hb_table_new(out, ncols, n, k);
}

int hb_settle__money_table(hb_store *store, const hb_settle_query *q, const char *const *params,
                           size_t nparams, hb_money_style style, hb_table **out)
{
    hb_stmt *st = NULL;
    hb_table *t;
    int rc = hb_settle__table_new(&t, q->ncols, q->names, q->kinds, q->money_mask, style);
    if (rc < 0)
        return rc;
    rc = hb_store_prepare(store, &st, q->sql);
    for (size_t i = 0; rc == 0 && i < nparams; i++)
        rc = hb_stmt_bind_cstr(st, (int)i + 1, params[i]);
    const char *cells[32];
    char money[32][HB_MONEY_STRLEN];
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        const char *currency = hb_stmt_text(st, (int)q->currency_col, NULL);
        for (size_t c = 0; c < q->ncols && c < 32; c++) {
            cells[c] = hb_stmt_is_null(st, (int)c) ? NULL : hb_stmt_text(st, (int)c, NULL);
            if (cells[c] && (q->money_mask >> c & 1u))
                cells[c] = hb_money_cell(money[c], hb_stmt_int64(st, (int)c), currency, style);
        }
        rc = hb_table_add_row(t, cells);
    }
    if (rc < 0)
        hb_table_free(t);
    hb_stmt_finalize(st);
    if (rc == 0)
        *out = t;
    return rc;
}
