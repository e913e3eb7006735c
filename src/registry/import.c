/*
 * registry/import.c — the one way data enters the registries (see registry.h).
 *
 * Two phases, like warn/ingest.c. Checking reads every record, checks each field against its
 * column type, runs the kind's rule check (references, scheme rules, the caller's right to write
 * the row) and refuses a key seen earlier in the file; every problem is recorded and checking
 * goes on, so one rejection lists them all. Only a file without problems reaches writing:
 *
 *   for each row:  key  = its key columns joined with '/'
 *                  data = the row as a JSON object in column order
 *     not stored             → INSERT version 1, and log version 1 in hb_registry_changes
 *     stored, same data      → unchanged
 *     stored, different data → UPDATE with version + 1, and log that version
 *
 * The batch row (who, when, from what) is created with the first change, so a re-sent file
 * that changes nothing leaves no trace. Both phases run in one transaction — the caller's when
 * one is open — so checks and writes see the same database.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/parse.h"
#include "util/utf8.h"

const hb_registry_caller hb_registry_operator = { HB_REGISTRY_OPERATOR, NULL, NULL, "cli" };

/* In dependency order: a file may refer only to kinds listed before it. */
static const hb_registry__kind *const kinds[] = {
    &hb_registry__categories,     &hb_registry__registers,     &hb_registry__schemes,
    &hb_registry__standards,      &hb_registry__institutions,  &hb_registry__designations,
    &hb_registry__products,       &hb_registry__approvals,     &hb_registry__usage,
    &hb_registry__practitioners,  &hb_registry__registrations, &hb_registry__permits,
    &hb_registry__employments,    &hb_registry__titles,        &hb_registry__disciplinary,
    &hb_registry__accreditations, &hb_registry__status_kind,
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

size_t hb_registry_kind_count(void)
{
    return NKINDS;
}

const char *hb_registry_kind_name(size_t i)
{
    return i < NKINDS ? kinds[i]->name : NULL;
}

const hb_registry__kind *hb_registry__kind_find(const char *name)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i]->name, name) == 0)
            return kinds[i];
    return NULL;
}

int hb_registry__col_index(const hb_registry__kind *kind, const char *name)
{
    for (size_t c = 0; c < kind->ncols; c++)
        if (strcmp(kind->cols[c].name, name) == 0)
            return (int)c;
    return -1;
}

static void note(hb_registry__import *imp, int col, bool deny, const char *fmt, va_list ap)
    HB_PRINTF(4, 0);

static void note(hb_registry__import *imp, int col, bool deny, const char *fmt, va_list ap)
{
    imp->nerrors++;
    imp->denied |= deny;
    if (!imp->errors)
        imp->errors = hb_calloc(HB_REPORT_ERRORS_MAX, sizeof *imp->errors);
    /* Out of memory, or past the first HB_REPORT_ERRORS_MAX: counted, not listed (the import
     * fails all the same). */
    if (!imp->errors || imp->nlisted == HB_REPORT_ERRORS_MAX)
        return;
    hb_registry_import_error *e = &imp->errors[imp->nlisted++];
    size_t field = (size_t)imp->map[col];
    vsnprintf(e->reason, sizeof e->reason, fmt, ap);
    e->line = hb_csv_line(imp->csv);
    e->column = hb_csv_column(imp->csv, field);
    e->field = imp->kind->cols[col].name;
    hb_csv_error(imp->csv, field, "%s", e->reason);
    snprintf(e->message, sizeof e->message, "%s", hb_error_last());
}

void hb_registry__reject(hb_registry__import *imp, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    note(imp, col, false, fmt, ap);
    va_end(ap);
}

void hb_registry__deny(hb_registry__import *imp, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    note(imp, col, true, fmt, ap);
    va_end(ap);
}

bool hb_registry__require_authority(hb_registry__import *imp, int col, const char *j,
                                    const char *what)
{
    const hb_registry_caller *c = imp->caller;
    if (c->role == HB_REGISTRY_OPERATOR)
        return true;
    if (c->role == HB_REGISTRY_AUTHORITY && c->jurisdiction && strcmp(c->jurisdiction, j) == 0)
        return true;
    hb_registry__deny(imp, col, "only the %s authority may record %s (the caller is %s%s%s)", j,
                      what, c->org ? c->org : "anonymous", c->jurisdiction ? " of " : "",
                      c->jurisdiction ? c->jurisdiction : "");
    return false;
}

int hb_registry__operator_only(hb_registry__import *imp, char *const *cells)
{
    (void)cells;
    if (imp->caller->role != HB_REGISTRY_OPERATOR)
        hb_registry__deny(imp, 0, "rule data is changed by a data release, not by an import");
    return 0;
}

/* Codes appear in URLs, file names, command lines and joined keys: no '/', space or comma. */
static bool is_code(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == ',' || s[i] == '/')
            return false;
    return len > 0 && len <= 64;
}

static bool enum_allows(const char *allowed, const char *value)
{
    size_t len = strlen(value);
    for (const char *p = allowed;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, value, len) == 0)
            return true;
        if (!bar)
            return false;
        p = bar + 1;
    }
}

/* Whether code exists in "table.column" (both from the static kind specs, never input). */
static int ref_exists(hb_store *store, const char *ref, const char *code, bool *exists)
{
    char sql[160];
    const char *dot = strchr(ref, '.');
    snprintf(sql, sizeof sql, "SELECT 1 FROM %.*s WHERE %s = ?", (int)(dot - ref), ref, dot + 1);
    hb_registry__row row;
    int rc = hb_registry__query(store, &row, sql, code, NULL);
    *exists = row.found;
    return rc;
}

/* The command that lists the codes of a referenced table, for error messages. */
static void ref_hint(char *out, size_t size, const char *ref)
{
    const char *dot = strchr(ref, '.');
    if (strncmp(ref, "hb_registry_", 12) == 0)
        snprintf(out, size, "healthybay registry list %.*s", (int)(dot - ref - 12), ref + 12);
    else
        snprintf(out, size, "healthybay %.*s", (int)(dot - ref - 3), ref + 3);
}

/* Each element of a ';'-separated list of codes must exist. */
static int check_codelist(hb_registry__import *imp, int col, const char *v)
{
    char item[HB_REGISTRY_VALUE_MAX];
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, ";");
        bool exists = false;
        if (n == 0 || n >= sizeof item || !is_code(p, n)) {
            hb_registry__reject(imp, col, "'%s' is not a ';'-separated list of codes", v);
            return 0;
        }
        memcpy(item, p, n);
        item[n] = '\0';
        int rc = ref_exists(imp->store, imp->kind->cols[col].arg, item, &exists);
        if (rc < 0)
            return rc;
        char hint[96];
        ref_hint(hint, sizeof hint, imp->kind->cols[col].arg);
        if (!exists)
            hb_registry__reject(imp, col, "'%s' is not a known code (see '%s')", item, hint);
        p += n + (p[n] == ';');
    }
    return 0;
}

/* Check one field against its column type; problems are recorded. < 0 only on failure. */
static int check_field(hb_registry__import *imp, int col, const char *v, size_t len)
{
    const hb_registry__col *c = &imp->kind->cols[col];
    hb_date d;
    int64_t n;
    bool optional = c->type == HB_RT_OPT || c->type == HB_RT_DATEOPT || c->type == HB_RT_INTOPT ||
                    c->type == HB_RT_ENUMOPT || c->type == HB_RT_REFOPT || c->type == HB_RT_LIST;
    if (len == 0) {
        if (!optional)
            hb_registry__reject(imp, col, "must not be empty");
        return 0;
    }
    if (len > HB_REGISTRY_TEXT_MAX) {
        hb_registry__reject(imp, col, "longer than %d bytes", HB_REGISTRY_TEXT_MAX);
        return 0;
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)v[i] < ' ') {
            hb_registry__reject(imp, col, "contains a control character (line break or tab)");
            return 0;
        }
    switch (c->type) {
    case HB_RT_CODE:
    case HB_RT_REF:
    case HB_RT_REFOPT:
        if (!is_code(v, len)) {
            hb_registry__reject(imp, col,
                                "'%s' is not a code (printable ASCII without spaces, commas or "
                                "'/', at most 64 characters)",
                                v);
            return 0;
        }
        if (c->type != HB_RT_CODE) {
            bool exists;
            int rc = ref_exists(imp->store, c->arg, v, &exists);
            if (rc < 0)
                return rc;
            char hint[96];
            ref_hint(hint, sizeof hint, c->arg);
            if (!exists)
                hb_registry__reject(imp, col, "'%s' is not a known code (see '%s')", v, hint);
        }
        return 0;
    case HB_RT_DATE:
    case HB_RT_DATEOPT:
        if (hb_date_parse(&d, v, len) < 0)
            hb_registry__reject(imp, col, "%s", hb_error_last());
        return 0;
    case HB_RT_MONTH:
        if (len != 7 || hb_month_parse(&d, v, len) < 0)
            hb_registry__reject(imp, col, "'%s' is not a month (expected YYYY-MM)", v);
        return 0;
    case HB_RT_INT:
    case HB_RT_INTOPT:
        if (hb_parse_int64(&n, v, len) < 0 || n < 0 || n > INT64_C(1000000000000))
            hb_registry__reject(imp, col, "'%s' is not a whole number between 0 and 10^12", v);
        return 0;
    case HB_RT_ENUM:
    case HB_RT_ENUMOPT:
        if (!enum_allows(c->arg, v))
            hb_registry__reject(imp, col, "'%s' is not one of %s", v, c->arg);
        return 0;
    case HB_RT_CODELIST:
        return check_codelist(imp, col, v);
    case HB_RT_TEXT:
    case HB_RT_OPT:
    case HB_RT_LIST:
        return 0;
    }
    return 0;
}

/* The header: every column of the kind, and no other. */
static int map_header(hb_registry__import *imp)
{
    const hb_registry__kind *k = imp->kind;
    hb_csv *csv = imp->csv;
    int rc = hb_csv_read_header(csv);
    if (rc < 0)
        return rc;
    for (size_t c = 0; c < k->ncols; c++) {
        imp->map[c] = hb_csv_find(csv, k->cols[c].name);
        if (imp->map[c] < 0)
            return hb_error_set(HB_EINVAL,
                                "%s:1: missing column '%s' (a %s file has: see "
                                "'healthybay registry import --help')",
                                hb_csv_name(csv), k->cols[c].name, k->name);
    }
    for (size_t i = 0; i < hb_csv_header_count(csv); i++)
        if (hb_registry__col_index(k, hb_csv_header_name(csv, i)) < 0)
            return hb_error_set(HB_EINVAL, "%s:1: unknown column '%s' in a %s file",
                                hb_csv_name(csv), hb_csv_header_name(csv, i), k->name);
    return 0;
}

/* The rows accepted so far: cells (NULL = empty) in column order, their lines and keys. */
typedef struct rows {
    char **cells;
    char **keys;
    unsigned long *lines;
    size_t n, cap, ncols;
    uint32_t *slots; /* open addressing on keys: row index + 1 */
    size_t nslots;
} rows;

static void rows_dispose(rows *r)
{
    for (size_t i = 0; i < r->n * r->ncols; i++)
        hb_free(r->cells[i]);
    for (size_t i = 0; i < r->n; i++)
        hb_free(r->keys[i]);
    hb_free(r->cells);
    hb_free(r->keys);
    hb_free(r->lines);
    hb_free(r->slots);
}

static size_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static int rows_grow(rows *r)
{
    size_t cap = r->cap ? r->cap * 2 : 64;
    char **cells = hb_reallocarray(r->cells, cap * r->ncols, sizeof *cells);
    if (!cells)
        return HB_ENOMEM;
    r->cells = cells;
    char **keys = hb_reallocarray(r->keys, cap, sizeof *keys);
    if (!keys)
        return HB_ENOMEM;
    r->keys = keys;
    unsigned long *lines = hb_reallocarray(r->lines, cap, sizeof *lines);
    if (!lines)
        return HB_ENOMEM;
    r->lines = lines;
    uint32_t *slots = hb_calloc(cap * 2, sizeof *slots);
    if (!slots)
        return HB_ENOMEM;
    for (size_t i = 0; i < r->n; i++) {
        size_t j = hash_key(r->keys[i]) & (cap * 2 - 1);
        while (slots[j])
            j = (j + 1) & (cap * 2 - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    hb_free(r->slots);
    r->slots = slots;
    r->nslots = cap * 2;
    r->cap = cap;
    return 0;
}

/* Keep a checked row unless its key came earlier in the file (then record that). */
static int keep_row(hb_registry__import *imp, rows *r, char **cells)
{
    hb_buf key;
    hb_buf_init(&key, 0);
    int rc = hb_registry__item_key(imp->kind, (const char *const *)cells, &key);
    if (rc == 0 && r->n == r->cap)
        rc = rows_grow(r);
    if (rc < 0) {
        hb_buf_dispose(&key);
        return rc;
    }
    size_t j = hash_key(hb_buf_cstr(&key)) & (r->nslots - 1);
    for (; r->slots[j]; j = (j + 1) & (r->nslots - 1))
        if (strcmp(r->keys[r->slots[j] - 1], hb_buf_cstr(&key)) == 0) {
            int first_key = 0;
            while (!(imp->kind->cols[first_key].flags & HB_RC_KEY))
                first_key++;
            hb_registry__reject(imp, first_key, "the same item (%s) as line %lu", hb_buf_cstr(&key),
                                r->lines[r->slots[j] - 1]);
            hb_buf_dispose(&key);
            return 1;
        }
    r->keys[r->n] = hb_buf_detach(&key);
    if (!r->keys[r->n])
        return HB_ENOMEM;
    memcpy(r->cells + r->n * r->ncols, cells, r->ncols * sizeof *cells);
    r->lines[r->n] = hb_csv_line(imp->csv);
    r->slots[j] = (uint32_t)(++r->n);
    return 0;
}

/* Check one record; a good one is kept. < 0 only for failures that stop the import. */
static int check_record(hb_registry__import *imp, rows *r)
{
    const hb_registry__kind *k = imp->kind;
    char *cells[HB_REGISTRY_COLS_MAX] = { 0 };
    uint64_t before = imp->nerrors;
    int rc = 0;
    for (size_t c = 0; rc == 0 && c < k->ncols; c++) {
        size_t len;
        const char *v = hb_csv_field(imp->csv, (size_t)imp->map[c], &len);
        rc = check_field(imp, (int)c, v, len);
        if (rc == 0 && len > 0 && !(cells[c] = hb_strndup(v, len)))
            rc = HB_ENOMEM;
    }
    if (rc == 0 && imp->nerrors == before)
        rc = k->check(imp, cells);
    if (rc == 0 && imp->nerrors == before) {
        rc = keep_row(imp, r, cells);
        if (rc == 0)
            return 0; /* the row owns the cells now */
        rc = rc > 0 ? 0 : rc;
    }
    for (size_t c = 0; c < k->ncols; c++)
        hb_free(cells[c]);
    return rc;
}

static int check_all(hb_registry__import *imp, rows *r, hb_registry_import_report *report)
{
    int rc = map_header(imp);
    while (rc == 0 && (rc = hb_csv_next(imp->csv)) == 1) {
        if (++report->rows > HB_REGISTRY_ROWS_MAX)
            return hb_error_set(HB_ELIMIT, "%s: more than %d rows in one file",
                                hb_csv_name(imp->csv), HB_REGISTRY_ROWS_MAX);
        rc = check_record(imp, r);
    }
    return rc;
}

/* The row as a JSON object in column order: the version's content in the change log. */
static int row_json(const hb_registry__kind *k, char *const *cells, hb_buf *out)
{
    int rc = hb_buf_putc(out, '{');
    for (size_t c = 0; rc == 0 && c < k->ncols; c++) {
        hb_registry__type t = k->cols[c].type;
        rc = hb_buf_printf(out, "%s\"%s\":", c ? "," : "", k->cols[c].name);
        if (rc == 0 && !cells[c])
            rc = hb_buf_puts(out, "null");
        else if (rc == 0 && (t == HB_RT_INT || t == HB_RT_INTOPT))
            rc = hb_buf_puts(out, cells[c]);
        else if (rc == 0)
            rc = hb_json_put_string(out, cells[c], strlen(cells[c]));
    }
    return rc == 0 ? hb_buf_putc(out, '}') : rc;
}

typedef struct writer {
    hb_registry__import *imp;
    const hb_registry_import_options *opt;
    hb_stmt *select, *data, *insert, *update, *log;
    int64_t batch;
} writer;

/* The statements of one kind, built from its static spec (never from input). */
static int build_sql(const hb_registry__kind *k, hb_buf *select, hb_buf *insert, hb_buf *update)
{
    int rc = hb_buf_printf(select, "SELECT version FROM %s WHERE ", k->table);
    if (rc == 0)
        rc = hb_buf_printf(insert, "INSERT INTO %s (", k->table);
    if (rc == 0)
        rc = hb_buf_printf(update, "UPDATE %s SET ", k->table);
    for (size_t c = 0; rc == 0 && c < k->ncols; c++)
        if ((rc = hb_buf_printf(insert, "%s, ", k->cols[c].name)) == 0)
            rc = hb_buf_printf(update, "%s = ?, ", k->cols[c].name);
    if (rc == 0)
        rc = hb_buf_puts(insert, "version) VALUES (");
    for (size_t c = 0; rc == 0 && c < k->ncols; c++)
        rc = hb_buf_puts(insert, "?, ");
    if (rc == 0)
        rc = hb_buf_puts(insert, "?)");
    if (rc == 0)
        rc = hb_buf_puts(update, "version = ? WHERE ");
    bool first = true;
    for (size_t c = 0; rc == 0 && c < k->ncols; c++)
        if (k->cols[c].flags & HB_RC_KEY) {
            const char *and = first ? "" : " AND ";
            if ((rc = hb_buf_printf(select, "%s%s = ?", and, k->cols[c].name)) == 0)
                rc = hb_buf_printf(update, "%s%s = ?", and, k->cols[c].name);
            first = false;
        }
    return rc;
}

static int prepare_all(writer *w)
{
    hb_buf select, insert, update;
    hb_buf_init(&select, HB_SQL_MAX);
    hb_buf_init(&insert, HB_SQL_MAX);
    hb_buf_init(&update, HB_SQL_MAX);
    hb_store *s = w->imp->store;
    int rc = build_sql(w->imp->kind, &select, &insert, &update);
    if (rc == 0)
        rc = hb_store_prepare(s, &w->select, hb_buf_cstr(&select));
    if (rc == 0)
        rc = hb_store_prepare(s, &w->insert, hb_buf_cstr(&insert));
    if (rc == 0)
        rc = hb_store_prepare(s, &w->update, hb_buf_cstr(&update));
    if (rc == 0)
        rc = hb_store_prepare(s, &w->data,
                              "SELECT data FROM hb_registry_changes WHERE kind = ? AND item = ?"
                              " AND version = ?");
    if (rc == 0)
        rc = hb_store_prepare(s, &w->log,
                              "INSERT INTO hb_registry_changes (batch_id, kind, item, version,"
                              " data) VALUES (?, ?, ?, ?, ?)");
    hb_buf_dispose(&select);
    hb_buf_dispose(&insert);
    hb_buf_dispose(&update);
    return rc;
}

static int bind_cell(hb_stmt *st, int index, const hb_registry__col *col, const char *v)
{
    int64_t n;
    if (!v)
        return hb_stmt_bind_null(st, index);
    if ((col->type == HB_RT_INT || col->type == HB_RT_INTOPT) &&
        hb_parse_int64(&n, v, strlen(v)) == 0)
        return hb_stmt_bind_int64(st, index, n);
    return hb_stmt_bind_cstr(st, index, v);
}

/* Bind every column from index first on, then the key columns after them when keys is set. */
static int bind_row(hb_stmt *st, const hb_registry__kind *k, char *const *cells, int first,
                    bool values, bool keys)
{
    int rc = 0, i = first;
    for (size_t c = 0; values && rc == 0 && c < k->ncols; c++)
        rc = bind_cell(st, i++, &k->cols[c], cells[c]);
    if (values && rc == 0)
        i++; /* the version, bound by the caller */
    for (size_t c = 0; keys && rc == 0 && c < k->ncols; c++)
        if (k->cols[c].flags & HB_RC_KEY)
            rc = bind_cell(st, i++, &k->cols[c], cells[c]);
    return rc;
}

static int step_reset(hb_stmt *st)
{
    int rc = hb_stmt_step(st);
    int reset = hb_stmt_reset(st);
    return rc < 0 ? rc : reset;
}

static int begin_batch(writer *w, uint64_t rows_total)
{
    char now[HB_TIMESTAMP_STRLEN];
    const hb_registry_caller *c = w->imp->caller;
    hb_stmt *st;
    int rc = hb_store_prepare(w->imp->store, &st,
                              "INSERT INTO hb_registry_batches (kind, source, org, actor, at,"
                              " rows_total, rows_created, rows_updated, rows_unchanged)"
                              " VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0) RETURNING id");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, w->imp->kind->name)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, w->opt->source)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, c->org)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, c->actor ? c->actor : "unknown")) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_int64(st, 6, (int64_t)rows_total)) == 0 &&
        (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        w->batch = hb_stmt_int64(st, 0);
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc;
}

/* Log version of item with its data, opening the batch on the first change. */
static int log_change(writer *w, const char *item, int64_t version, const char *data,
                      const hb_registry_import_report *report)
{
    int rc = w->batch ? 0 : begin_batch(w, report->rows);
    if (rc == 0 && (rc = hb_stmt_bind_int64(w->log, 1, w->batch)) == 0 &&
        (rc = hb_stmt_bind_cstr(w->log, 2, w->imp->kind->name)) == 0 &&
        (rc = hb_stmt_bind_cstr(w->log, 3, item)) == 0 &&
        (rc = hb_stmt_bind_int64(w->log, 4, version)) == 0 &&
        (rc = hb_stmt_bind_cstr(w->log, 5, data)) == 0)
        rc = step_reset(w->log);
    return rc;
}

/* The current version of item (0 when not stored) and whether its data equals data. */
static int current(writer *w, char *const *cells, const char *item, const char *data,
                   int64_t *version, bool *same)
{
    const hb_registry__kind *k = w->imp->kind;
    *version = 0;
    *same = false;
    int rc = bind_row(w->select, k, cells, 1, false, true);
    if (rc == 0 && (rc = hb_stmt_step(w->select)) == HB_STORE_ROW)
        *version = hb_stmt_int64(w->select, 0);
    hb_stmt_reset(w->select);
    if (rc < 0 || *version == 0)
        return rc < 0 ? rc : 0;
    if ((rc = hb_stmt_bind_cstr(w->data, 1, k->name)) == 0 &&
        (rc = hb_stmt_bind_cstr(w->data, 2, item)) == 0 &&
        (rc = hb_stmt_bind_int64(w->data, 3, *version)) == 0 &&
        (rc = hb_stmt_step(w->data)) == HB_STORE_ROW)
        *same = strcmp(hb_stmt_text(w->data, 0, NULL), data) == 0;
    hb_stmt_reset(w->data);
    return rc < 0 ? rc : 0;
}

static int write_row(writer *w, char *const *cells, const char *item,
                     hb_registry_import_report *report)
{
    const hb_registry__kind *k = w->imp->kind;
    hb_buf data;
    hb_buf_init(&data, 0);
    int64_t version;
    bool same;
    int rc = row_json(k, cells, &data);
    if (rc == 0)
        rc = current(w, cells, item, hb_buf_cstr(&data), &version, &same);
    if (rc == 0 && same) {
        report->unchanged++;
    } else if (rc == 0) {
        hb_stmt *st = version ? w->update : w->insert;
        rc = bind_row(st, k, cells, 1, true, version != 0);
        if (rc == 0)
            rc = hb_stmt_bind_int64(st, (int)k->ncols + 1, version + 1);
        if (rc == 0)
            rc = step_reset(st);
        if (rc == 0)
            rc = log_change(w, item, version + 1, hb_buf_cstr(&data), report);
        if (rc == 0 && version)
            report->updated++;
        else if (rc == 0)
            report->created++;
    }
    hb_buf_dispose(&data);
    return rc;
}

static int end_batch(writer *w, const hb_registry_import_report *report)
{
    hb_stmt *st;
    int rc = hb_store_prepare(w->imp->store, &st,
                              "UPDATE hb_registry_batches SET rows_created = ?, rows_updated = ?,"
                              " rows_unchanged = ? WHERE id = ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_int64(st, 1, (int64_t)report->created)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 2, (int64_t)report->updated)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 3, (int64_t)report->unchanged)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 4, w->batch)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int write_all(hb_registry__import *imp, const hb_registry_import_options *opt, const rows *r,
                     hb_registry_import_report *report)
{
    writer w = { .imp = imp, .opt = opt };
    int rc = prepare_all(&w);
    for (size_t i = 0; rc == 0 && i < r->n; i++) {
        rc = write_row(&w, r->cells + i * r->ncols, r->keys[i], report);
        if (rc < 0)
            hb_error_prefix("%s:%lu: ", hb_csv_name(imp->csv), r->lines[i]);
    }
    if (rc == 0 && w.batch)
        rc = end_batch(&w, report);
    hb_stmt_finalize(w.select);
    hb_stmt_finalize(w.data);
    hb_stmt_finalize(w.insert);
    hb_stmt_finalize(w.update);
    hb_stmt_finalize(w.log);
    report->batch_id = rc == 0 ? w.batch : 0;
    return rc;
}

/* Both phases, in the caller's transaction or our own; consumes csv. */
static int run(hb_store *store, const hb_registry_caller *caller, const hb_registry__kind *kind,
               hb_csv *csv, const hb_registry_import_options *opt,
               hb_registry_import_report *report)
{
    hb_registry__import imp = { .store = store, .caller = caller, .kind = kind, .csv = csv };
    rows r = { .ncols = kind->ncols };
    bool own = !opt->dry_run && !hb_store_in_transaction(store);
    int rc = own ? hb_store_begin(store) : 0;
    if (rc == 0)
        rc = check_all(&imp, &r, report);
    if (rc == 0 && imp.nerrors > 0)
        rc = hb_error_set(imp.denied ? HB_EPERM : HB_EINVAL,
                          "%s: %llu problem%s in %llu row%s%s; nothing was written",
                          hb_csv_name(csv), (unsigned long long)imp.nerrors,
                          imp.nerrors == 1 ? "" : "s", (unsigned long long)report->rows,
                          report->rows == 1 ? "" : "s",
                          imp.denied ? " (some rows are not yours to write)" : "");
    if (rc == 0 && !opt->dry_run)
        rc = write_all(&imp, opt, &r, report);
    if (own && rc == 0)
        rc = hb_store_commit(store);
    else if (own)
        hb_store_rollback(store);
    if (rc < 0) {
        report->created = report->updated = report->unchanged = 0;
        report->batch_id = 0;
    }
    report->nerrors = imp.nerrors;
    report->errors = imp.errors;
    report->nlisted = imp.nlisted;
    rows_dispose(&r);
    hb_csv_free(csv);
    return rc;
}

static int start(const hb_registry_caller *caller, const char *kind_name,
                 const hb_registry_import_options *opt, hb_registry_import_report *report,
                 const hb_registry__kind **kind)
{
    memset(report, 0, sizeof *report);
    if (!caller || !opt || !opt->source)
        return hb_error_set(HB_EINVAL, "registry import: caller and source are required");
    *kind = kind_name ? hb_registry__kind_find(kind_name) : NULL;
    if (!*kind)
        return hb_error_set(HB_EINVAL, "'%s' is not a registry import kind",
                            kind_name ? kind_name : "(null)");
    assert((*kind)->ncols <= HB_REGISTRY_COLS_MAX);
    return 0;
}

int hb_registry_import_file(hb_store *store, const hb_registry_caller *caller, const char *kind,
                            const char *path, const hb_registry_import_options *opt,
                            hb_registry_import_report *report)
{
    const hb_registry__kind *k;
    hb_csv *csv;
    int rc = start(caller, kind, opt, report, &k);
    if (rc == 0)
        rc = hb_csv_open_file(&csv, path);
    return rc < 0 ? rc : run(store, caller, k, csv, opt, report);
}

int hb_registry_import_memory(hb_store *store, const hb_registry_caller *caller, const char *kind,
                              const char *name, const char *data, size_t len,
                              const hb_registry_import_options *opt,
                              hb_registry_import_report *report)
{
    const hb_registry__kind *k;
    hb_csv *csv;
    int rc = start(caller, kind, opt, report, &k);
    if (rc == 0)
        rc = hb_csv_open_memory(&csv, name, data, len);
    return rc < 0 ? rc : run(store, caller, k, csv, opt, report);
}

void hb_registry_import_report_dispose(hb_registry_import_report *report)
{
    hb_free(report->errors);
    report->errors = NULL;
    report->nlisted = 0;
}
