/*
 * core/refdata.c — loading and listing reference data.
 *
 * Each reference file is described by a spec (its table and typed columns). Loading a file:
 *   1. read the header: every spec column must be present and no other;
 *   2. read and check every record (types, enumerations, patterns) — the first bad field stops
 *      the load with file:line:column and the reason;
 *   3. upsert the rows in file order, checking references (a region's jurisdiction and parent)
 *      just before each row, so a parent must come before its children in the file.
 * The caller's transaction makes the whole load atomic.
 */
#include "core/refdata.h"

#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/embedded.h"
#include "util/parse.h"

extern const hb_embedded_file hb_refdata_files[];
extern const size_t hb_refdata_files_count;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const hb_refdata_column jurisdiction_cols[] = {
    { "code", HB_REF_ENUM, "GD|HK|MO", NULL },   { "name_en", HB_REF_TEXT, NULL, NULL },
    { "name_zh_hans", HB_REF_TEXT, NULL, NULL }, { "name_zh_hant", HB_REF_TEXT, NULL, NULL },
    { "name_pt", HB_REF_OPT, NULL, NULL },       { "currency", HB_REF_ENUM, "CNY|HKD|MOP", NULL },
    { "languages", HB_REF_TEXT, NULL, NULL },
};

static const hb_refdata_column region_cols[] = {
    { "code", HB_REF_TEXT, NULL, NULL },
    { "jurisdiction", HB_REF_REF, "hb_jurisdictions", NULL },
    { "level", HB_REF_ENUM, "jurisdiction|city|district|parish|area", NULL },
    { "parent", HB_REF_REFOPT, "hb_regions", NULL },
    { "name_en", HB_REF_TEXT, NULL, NULL },
    { "name_zh_hans", HB_REF_TEXT, NULL, NULL },
    { "name_zh_hant", HB_REF_TEXT, NULL, NULL },
    { "name_pt", HB_REF_OPT, NULL, NULL },
    { "population", HB_REF_INT, NULL, NULL },
    { "population_year", HB_REF_INT, NULL, NULL },
    { "population_source", HB_REF_OPT, NULL, NULL },
};

static const hb_refdata_column disease_cols[] = {
    { "code", HB_REF_TEXT, NULL, NULL },
    { "name_en", HB_REF_TEXT, NULL, NULL },
    { "name_zh_hans", HB_REF_TEXT, NULL, NULL },
    { "name_zh_hant", HB_REF_TEXT, NULL, NULL },
    { "name_pt", HB_REF_OPT, NULL, NULL },
    { "icd10", HB_REF_OPT, NULL, NULL },
    { "gd_class", HB_REF_ENUM, "|A|B|C", NULL },
    { "hk_notifiable", HB_REF_BOOL, NULL, NULL },
    { "mo_notifiable", HB_REF_BOOLOPT, NULL, NULL },
    { "transmission", HB_REF_ENUM,
      "respiratory|enteric|vector|sexual_blood|zoonotic|vaccine_preventable|other", NULL },
};

static const hb_refdata_column holiday_cols[] = {
    { "date", HB_REF_DATE, NULL, NULL },
    { "jurisdiction", HB_REF_REF, "hb_jurisdictions", NULL },
    { "kind", HB_REF_ENUM, "holiday|workday", NULL },
    { "name_en", HB_REF_TEXT, NULL, NULL },
    { "name_zh", HB_REF_OPT, NULL, NULL },
};

/* In load order: what a file references must be loaded before it. */
static const hb_refdata_file core_files[] = {
    { "jurisdictions.csv", "hb_jurisdictions", jurisdiction_cols, COUNT(jurisdiction_cols), 1 },
    { "regions.csv", "hb_regions", region_cols, COUNT(region_cols), 1 },
    { "diseases.csv", "hb_diseases", disease_cols, COUNT(disease_cols), 1 },
    { "holidays.csv", "hb_holidays", holiday_cols, COUNT(holiday_cols), 2 },
};

static const hb_refdata_file *spec_for(const char *file)
{
    for (size_t i = 0; i < COUNT(core_files); i++)
        if (strcmp(core_files[i].file, file) == 0)
            return &core_files[i];
    return NULL;
}

static bool enum_allows(const char *allowed, const char *value, size_t len)
{
    const char *p = allowed;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, value, len) == 0)
            return true;
        if (!bar)
            return false;
        p = bar + 1;
    }
}

/* Codes are printable ASCII without spaces: they appear in URLs, CSV files and command lines. */
static bool is_code(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == ',')
            return false;
    return len > 0 && len <= 64;
}

static int check_type(const hb_csv *csv, size_t field, const hb_refdata_column *col, const char *v,
                      size_t len)
{
    int64_t n;
    double x;
    hb_date d;
    switch (col->type) {
    case HB_REF_TEXT:
        if (len == 0)
            return hb_csv_error(csv, field, "must not be empty");
        if (strcmp(col->name, "code") == 0 && !is_code(v, len))
            return hb_csv_error(csv, field,
                                "'%s' is not a valid code (printable ASCII, no "
                                "spaces or commas, at most 64 characters)",
                                v);
        return 0;
    case HB_REF_OPT:
        return 0;
    case HB_REF_INT:
        if (len == 0)
            return 0;
        if (hb_parse_int64(&n, v, len) < 0 || n < 0)
            return hb_csv_error(csv, field, "'%s' is not a non-negative integer", v);
        return 0;
    case HB_REF_REAL:
        if (len > 0 && hb_parse_double(&x, v, len) < 0)
            return hb_csv_error(csv, field, "'%s' is not a number", v);
        return 0;
    case HB_REF_BOOL:
    case HB_REF_BOOLOPT:
        if (len == 0 && col->type == HB_REF_BOOLOPT)
            return 0;
        if (len != 1 || (v[0] != '0' && v[0] != '1'))
            return hb_csv_error(csv, field, "'%s' is not 0 or 1%s", v,
                                col->type == HB_REF_BOOLOPT ? " (or empty for unknown)" : "");
        return 0;
    case HB_REF_DATE:
        if (hb_date_parse(&d, v, len) < 0)
            return hb_csv_error(csv, field, "%s", hb_error_last());
        return 0;
    case HB_REF_ENUM:
        if (!enum_allows(col->allowed, v, len))
            return hb_csv_error(csv, field, "'%s' is not one of %s", v,
                                col->allowed[0] == '|' ? col->allowed + 1 : col->allowed);
        return 0;
    case HB_REF_REF:
        if (len == 0)
            return hb_csv_error(csv, field, "must not be empty");
        return 0;
    case HB_REF_REFOPT:
        return 0;
    }
    return 0;
}

static int check_field(const hb_csv *csv, size_t field, const hb_refdata_column *col, const char *v,
                       size_t len)
{
    int rc = check_type(csv, field, col, v, len);
    if (rc == 0 && len > 0 && col->check && col->check(v, len) < 0)
        rc = hb_csv_error(csv, field, "%s", hb_error_last());
    return rc;
}

/* A parsed file: rows of cells in spec column order, plus where each row came from. */
typedef struct parsed {
    char **cells;
    unsigned long *lines;
    size_t rows, cap;
    size_t ncols;
} parsed;

static void parsed_dispose(parsed *p)
{
    for (size_t i = 0; i < p->rows * p->ncols; i++)
        hb_free(p->cells[i]);
    hb_free(p->cells);
    hb_free(p->lines);
}

static int parsed_add(parsed *p, const hb_csv *csv, const long *map)
{
    if (p->rows == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **cells = hb_reallocarray(p->cells, cap * p->ncols, sizeof *cells);
        if (!cells)
            return HB_ENOMEM;
        p->cells = cells;
        unsigned long *lines = hb_reallocarray(p->lines, cap, sizeof *lines);
        if (!lines)
            return HB_ENOMEM;
        p->lines = lines;
        p->cap = cap;
    }
    char **row = p->cells + p->rows * p->ncols;
    for (size_t c = 0; c < p->ncols; c++) {
        size_t len;
        const char *v = hb_csv_field(csv, (size_t)map[c], &len);
        row[c] = len ? hb_strndup(v, len) : NULL;
        if (len && !row[c]) {
            for (size_t k = 0; k < c; k++)
                hb_free(row[k]);
            return HB_ENOMEM;
        }
    }
    p->lines[p->rows++] = hb_csv_line(csv);
    return 0;
}

/* Steps 1 and 2: header and every record. map[c] = CSV column of spec column c. */
static int parse_file(const hb_refdata_file *spec, hb_csv *csv, parsed *out)
{
    long map[32];
    if (spec->ncols > COUNT(map))
        return hb_error_set(HB_ERROR, "%s: more than %zu columns in its spec", spec->file,
                            COUNT(map));
    int rc = hb_csv_read_header(csv);
    if (rc < 0)
        return rc;
    for (size_t c = 0; c < spec->ncols; c++) {
        map[c] = hb_csv_find(csv, spec->cols[c].name);
        if (map[c] < 0)
            return hb_error_set(HB_EINVAL, "%s:1: missing column '%s'", hb_csv_name(csv),
                                spec->cols[c].name);
    }
    if (hb_csv_header_count(csv) != spec->ncols) {
        for (size_t i = 0; i < hb_csv_header_count(csv); i++) {
            size_t c;
            for (c = 0;
                 c < spec->ncols && strcmp(spec->cols[c].name, hb_csv_header_name(csv, i)) != 0;
                 c++)
                ;
            if (c == spec->ncols)
                return hb_error_set(HB_EINVAL, "%s:1: unknown column '%s'", hb_csv_name(csv),
                                    hb_csv_header_name(csv, i));
        }
    }
    out->ncols = spec->ncols;
    while ((rc = hb_csv_next(csv)) == 1) {
        for (size_t c = 0; c < spec->ncols; c++) {
            size_t len;
            const char *v = hb_csv_field(csv, (size_t)map[c], &len);
            rc = check_field(csv, (size_t)map[c], &spec->cols[c], v, len);
            if (rc < 0)
                return rc;
        }
        rc = parsed_add(out, csv, map);
        if (rc < 0)
            return rc;
    }
    return rc;
}

static int ref_exists(hb_store *store, const char *table, const char *code, bool *exists)
{
    char sql[128];
    /* table comes from the static specs above, never from input. */
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE code = ?", table);
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, sql);
    if (rc < 0)
        return rc;
    rc = hb_stmt_bind_cstr(st, 1, code);
    if (rc == 0)
        rc = hb_stmt_step(st);
    *exists = rc == HB_STORE_ROW;
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* INSERT … ON CONFLICT (keys) DO UPDATE SET every other column: built from the static spec. */
static int build_upsert(const hb_refdata_file *spec, hb_buf *sql)
{
    int rc = hb_buf_printf(sql, "INSERT INTO %s (", spec->table);
    for (size_t c = 0; rc == 0 && c < spec->ncols; c++)
        rc = hb_buf_printf(sql, "%s%s", c ? ", " : "", spec->cols[c].name);
    for (size_t c = 0; rc == 0 && c < spec->ncols; c++)
        rc = hb_buf_puts(sql, c ? ", ?" : ") VALUES (?");
    if (rc == 0)
        rc = hb_buf_puts(sql, ") ON CONFLICT (");
    for (size_t c = 0; rc == 0 && c < spec->nkeys; c++)
        rc = hb_buf_printf(sql, "%s%s", c ? ", " : "", spec->cols[c].name);
    if (rc == 0)
        rc = hb_buf_puts(sql, ") DO UPDATE SET ");
    for (size_t c = spec->nkeys; rc == 0 && c < spec->ncols; c++)
        rc = hb_buf_printf(sql, "%s%s = excluded.%s", c > spec->nkeys ? ", " : "",
                           spec->cols[c].name, spec->cols[c].name);
    return rc;
}

static int bind_cell(hb_stmt *st, int index, const hb_refdata_column *col, const char *v)
{
    int64_t n;
    double x;
    if (!v)
        return hb_stmt_bind_null(st, index);
    if (col->type == HB_REF_REAL) {
        hb_parse_double(&x, v, strlen(v)); /* checked in parse_file */
        return hb_stmt_bind_double(st, index, x);
    }
    if (col->type == HB_REF_INT || col->type == HB_REF_BOOL || col->type == HB_REF_BOOLOPT) {
        hb_parse_int64(&n, v, strlen(v)); /* checked in parse_file */
        return hb_stmt_bind_int64(st, index, n);
    }
    return hb_stmt_bind_cstr(st, index, v);
}

/* Step 3. */
static int write_rows(hb_store *store, const hb_refdata_file *spec, const char *name,
                      const parsed *p)
{
    hb_buf sql;
    hb_buf_init(&sql, 0);
    hb_stmt *st = NULL;
    int rc = build_upsert(spec, &sql);
    if (rc == 0)
        rc = hb_store_prepare(store, &st, hb_buf_cstr(&sql));
    hb_buf_dispose(&sql);
    for (size_t r = 0; rc == 0 && r < p->rows; r++) {
        char *const *row = p->cells + r * p->ncols;
        for (size_t c = 0; rc == 0 && c < p->ncols; c++) {
            const hb_refdata_column *col = &spec->cols[c];
            bool exists = true;
            if ((col->type == HB_REF_REF || col->type == HB_REF_REFOPT) && row[c])
                rc = ref_exists(store, col->allowed, row[c], &exists);
            if (rc == 0 && !exists)
                rc = hb_error_set(HB_EINVAL, "%s:%lu: field '%s': '%s' is not a known code%s", name,
                                  p->lines[r], col->name, row[c],
                                  strcmp(col->allowed, spec->table) == 0
                                      ? " (a parent must come before its children)"
                                      : "");
            if (rc == 0)
                rc = bind_cell(st, (int)c + 1, col, row[c]);
        }
        if (rc == 0)
            rc = hb_stmt_step(st);
        if (rc < 0)
            hb_error_prefix("%s:%lu: ", name, p->lines[r]);
        else
            rc = hb_stmt_reset(st);
    }
    hb_stmt_finalize(st);
    return rc;
}

int hb_refdata_load_file(hb_store *store, const hb_refdata_file *spec, const char *name,
                         const char *data, size_t len)
{
    hb_csv *csv;
    int rc = hb_csv_open_memory(&csv, name, data, len);
    if (rc < 0)
        return rc;
    parsed p = { 0 };
    rc = parse_file(spec, csv, &p);
    if (rc == 0)
        rc = write_rows(store, spec, name, &p);
    parsed_dispose(&p);
    hb_csv_free(csv);
    return rc;
}

int hb_refdata_load_text(hb_store *store, const char *file, const char *name, const char *data,
                         size_t len)
{
    const hb_refdata_file *spec = spec_for(file);
    if (!spec)
        return hb_error_set(HB_EINVAL, "%s: not a reference data file", name);
    return hb_refdata_load_file(store, spec, name, data, len);
}

int hb_refdata_load(hb_store *store)
{
    for (size_t i = 0; i < COUNT(core_files); i++) {
        const hb_embedded_file *f =
            hb_embedded_find(hb_refdata_files, hb_refdata_files_count, core_files[i].file);
        if (!f)
            return hb_error_set(HB_ERROR, "reference file %s is missing from this build",
                                core_files[i].file);
        char name[64];
        snprintf(name, sizeof name, "data/%s", f->name);
        int rc = hb_refdata_load_text(store, f->name, name, f->data, f->size);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int hb_refdata_regions(hb_store *store, const hb_region_filter *filter, hb_table **out)
{
    static const char *const names[] = { "code",       "jurisdiction",   "level",        "parent",
                                         "name_en",    "name_zh_hans",   "name_zh_hant", "name_pt",
                                         "population", "population_year" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_INT,  HB_COL_INT };
    const char *params[4] = { filter ? filter->jurisdiction : NULL,
                              filter ? filter->jurisdiction : NULL, filter ? filter->level : NULL,
                              filter ? filter->level : NULL };
    return hb_store_query_table(
        store,
        "SELECT code, jurisdiction, level, parent, name_en, name_zh_hans,"
        " name_zh_hant, name_pt, population, population_year FROM hb_regions"
        " WHERE (CAST(? AS TEXT) IS NULL OR jurisdiction = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR level = ?)"
        " ORDER BY jurisdiction,"
        " CASE level WHEN 'jurisdiction' THEN 0 ELSE 1 END, code",
        params, 4, COUNT(names), names, kinds, out);
}

int hb_refdata_diseases(hb_store *store, const char *notifiable_in, hb_table **out)
{
    static const char *const names[] = { "code",         "name_en",       "name_zh_hans",
                                         "name_zh_hant", "name_pt",       "icd10",
                                         "gd_class",     "hk_notifiable", "mo_notifiable",
                                         "transmission" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_INT,
                                         HB_COL_INT,  HB_COL_TEXT };
    const char *j = notifiable_in;
    if (j && strcmp(j, "GD") != 0 && strcmp(j, "HK") != 0 && strcmp(j, "MO") != 0)
        return hb_error_set(HB_EINVAL, "unknown jurisdiction '%s' (use GD, HK or MO)", j);
    const char *params[4] = { j, j, j, j };
    return hb_store_query_table(
        store,
        "SELECT code, name_en, name_zh_hans, name_zh_hant, name_pt, icd10,"
        " gd_class, hk_notifiable, mo_notifiable, transmission FROM hb_diseases"
        " WHERE CAST(? AS TEXT) IS NULL"
        " OR (? = 'GD' AND gd_class IS NOT NULL)"
        " OR (? = 'HK' AND hk_notifiable = 1)"
        " OR (? = 'MO' AND mo_notifiable = 1)"
        " ORDER BY code",
        params, 4, COUNT(names), names, kinds, out);
}

int hb_refdata_holidays(hb_store *store, const char *jurisdiction, int year, hb_table **out)
{
    static const char *const names[] = { "date", "jurisdiction", "kind", "name_en", "name_zh" };
    char from[16] = "0000-01-01", to[16] = "9999-12-31";
    if (year != 0) {
        if (year < 1 || year > 9999)
            return hb_error_set(HB_EINVAL, "year %d out of range", year);
        snprintf(from, sizeof from, "%04d-01-01", year);
        snprintf(to, sizeof to, "%04d-12-31", year);
    }
    const char *params[4] = { jurisdiction, jurisdiction, from, to };
    return hb_store_query_table(store,
                                "SELECT date, jurisdiction, kind, name_en, name_zh FROM hb_holidays"
                                " WHERE (CAST(? AS TEXT) IS NULL OR jurisdiction = ?)"
                                " AND date >= ? AND date <= ? ORDER BY date, jurisdiction",
                                params, 4, COUNT(names), names, NULL, out);
}
