/*
 * vaccine/reference.c — vaccine products and recognition rules: loading and lookup.
 *
 * Both files are read whole and every line checked before anything is written (file:line:column
 * and the field in each message). Products are upserted. Rules are versioned data: a version
 * that exists is immutable (its rows may be re-loaded unchanged, never changed), because status
 * answers given under it must stay reproducible; a change is a new version with its own dates.
 */
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/csv.h"
#include "util/embedded.h"
#include "util/limits.h"
#include "util/parse.h"
#include "vaccine/vaccine.h"

/* The files of data/vaccine/, compiled in by src/CMakeLists.txt. */
extern const hb_embedded_file hb_data_vaccine[];
extern const size_t hb_data_vaccine_count;

static const char *const product_cols[] = { "code",         "name_en",      "name_zh_hans",
                                            "name_zh_hant", "manufacturer", "manufacturer_name",
                                            "prophylaxis",  "platform",     "in_dcc_valueset",
                                            "source" };
static const char *const rule_cols[] = {
    "jurisdiction",          "version",         "effective_from",
    "effective_to",          "product",         "primary_doses",
    "min_interval_days",     "full_after_days", "validity_days",
    "booster_validity_days", "source"
};

#define NPRODUCT_COLS (sizeof product_cols / sizeof product_cols[0])
#define NRULE_COLS    (sizeof rule_cols / sizeof rule_cols[0])

/* The header must name exactly these columns, in this order (the files are ours). */
static int check_header(hb_csv *csv, const char *const *cols, size_t n)
{
    int rc = hb_csv_read_header(csv);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (i >= hb_csv_header_count(csv) || strcmp(hb_csv_header_name(csv, i), cols[i]) != 0)
            return hb_error_set(HB_EINVAL, "%s:1: column %zu must be '%s'", hb_csv_name(csv), i + 1,
                                cols[i]);
    if (hb_csv_header_count(csv) != n)
        return hb_error_set(HB_EINVAL, "%s:1: %zu columns, expected %zu", hb_csv_name(csv),
                            hb_csv_header_count(csv), n);
    return 0;
}

static int check_product(const hb_csv *csv)
{
    for (size_t i = 0; i < NPRODUCT_COLS; i++) {
        size_t len;
        const char *v = hb_csv_field(csv, i, &len);
        if (len == 0)
            return hb_csv_error(csv, i, "must not be empty");
        if (len > HB_VACCINE_TEXT_MAX * 4 || (i == 0 && len > HB_VACCINE_CODE_MAX))
            return hb_csv_error(csv, i, "too long");
        if (i == 7 && strcmp(v, "mrna") && strcmp(v, "inactivated") && strcmp(v, "viral_vector") &&
            strcmp(v, "protein"))
            return hb_csv_error(csv, i, "'%s' is not mrna, inactivated, viral_vector or protein",
                                v);
        if (i == 8 && strcmp(v, "0") && strcmp(v, "1"))
            return hb_csv_error(csv, i, "'%s' is not 0 or 1", v);
    }
    return 0;
}

static int bind_fields(hb_stmt *st, const hb_csv *csv, size_t n)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t len;
        const char *v = hb_csv_field(csv, i, &len);
        rc = len ? hb_stmt_bind_text(st, (int)i + 1, v, len) : hb_stmt_bind_null(st, (int)i + 1);
    }
    return rc;
}

/* Read a whole file with check(), then (second pass) store every record with store_row(). */
static int load_file(hb_store *store, const char *name, const char *data, size_t len,
                     const char *const *cols, size_t ncols,
                     int (*check)(hb_store *, const hb_csv *),
                     int (*store_row)(hb_store *, const hb_csv *))
{
    for (int pass = 0; pass < 2; pass++) {
        hb_csv *csv;
        int rc = hb_csv_open_memory(&csv, name, data, len);
        if (rc < 0)
            return rc;
        rc = check_header(csv, cols, ncols);
        size_t rows = 0;
        while (rc == 0 && (rc = hb_csv_next(csv)) == 1) {
            rc = ++rows > HB_VACCINE_RULES_MAX
                     ? hb_error_set(HB_ELIMIT, "%s: more than %d rows", name, HB_VACCINE_RULES_MAX)
                 : pass == 0 ? check(store, csv)
                             : store_row(store, csv);
        }
        hb_csv_free(csv);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int check_product_row(hb_store *store, const hb_csv *csv)
{
    (void)store;
    return check_product(csv);
}

static int store_product(hb_store *store, const hb_csv *csv)
{
    hb_stmt *st;
    int rc = hb_store_prepare(
        store, &st,
        "INSERT INTO hb_vaccine_products (code, name_en, name_zh_hans, name_zh_hant, "
        "manufacturer, manufacturer_name, prophylaxis, platform, in_dcc_valueset, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
        "name_en = excluded.name_en, name_zh_hans = excluded.name_zh_hans, "
        "name_zh_hant = excluded.name_zh_hant, manufacturer = excluded.manufacturer, "
        "manufacturer_name = excluded.manufacturer_name, prophylaxis = excluded.prophylaxis, "
        "platform = excluded.platform, in_dcc_valueset = excluded.in_dcc_valueset, "
        "source = excluded.source");
    if (rc < 0)
        return rc;
    rc = bind_fields(st, csv, NPRODUCT_COLS);
    if (rc == 0 && (rc = hb_stmt_step(st)) > 0)
        rc = 0;
    hb_stmt_finalize(st);
    return rc;
}

static int product_exists(hb_store *store, const char *code, size_t len, bool *exists)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, "SELECT 1 FROM hb_vaccine_products WHERE code = ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_text(st, 1, code, len)) == 0 && (rc = hb_stmt_step(st)) >= 0) {
        *exists = rc == HB_STORE_ROW;
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc;
}

/* An optional (empty = -1) or required non-negative day count. */
static int days_field(const hb_csv *csv, size_t i, bool optional, int min, int *out)
{
    size_t len;
    const char *v = hb_csv_field(csv, i, &len);
    int64_t n;
    if (len == 0 && optional) {
        *out = -1;
        return 0;
    }
    if (hb_parse_int64(&n, v, len) < 0 || n < min || n > 3650)
        return hb_csv_error(csv, i, "'%s' is not a whole number from %d to 3650%s", v, min,
                            optional ? " (or empty for no limit)" : "");
    *out = (int)n;
    return 0;
}

static int parse_rule(hb_store *store, const hb_csv *csv, hb_vaccine_rule *r)
{
    size_t len;
    const char *v = hb_csv_field(csv, 0, &len);
    if (strcmp(v, "GD") && strcmp(v, "HK") && strcmp(v, "MO"))
        return hb_csv_error(csv, 0, "'%s' is not GD, HK or MO", v);
    snprintf(r->jurisdiction, sizeof r->jurisdiction, "%s", v);
    v = hb_csv_field(csv, 1, &len);
    if (len == 0 || len >= sizeof r->version)
        return hb_csv_error(csv, 1, "must be 1 to %zu characters", sizeof r->version - 1);
    snprintf(r->version, sizeof r->version, "%s", v);
    v = hb_csv_field(csv, 2, &len);
    if (hb_date_parse(&r->effective_from, v, len) < 0)
        return hb_csv_error(csv, 2, "%s", hb_error_last());
    v = hb_csv_field(csv, 3, &len);
    r->effective_to = 0;
    if (len && hb_date_parse(&r->effective_to, v, len) < 0)
        return hb_csv_error(csv, 3, "%s", hb_error_last());
    if (len && r->effective_to <= r->effective_from)
        return hb_csv_error(csv, 3, "must be after effective_from");
    v = hb_csv_field(csv, 4, &len);
    bool exists = false;
    int rc = product_exists(store, v, len, &exists);
    if (rc < 0)
        return rc;
    if (!exists)
        return hb_csv_error(csv, 4, "'%s' is not a known product (data/vaccine/products.csv)", v);
    snprintf(r->product, sizeof r->product, "%s", v);
    if ((rc = days_field(csv, 5, false, 1, &r->primary_doses)) < 0 ||
        (rc = days_field(csv, 6, false, 0, &r->min_interval_days)) < 0 ||
        (rc = days_field(csv, 7, false, 0, &r->full_after_days)) < 0 ||
        (rc = days_field(csv, 8, true, 1, &r->validity_days)) < 0 ||
        (rc = days_field(csv, 9, true, 1, &r->booster_validity_days)) < 0)
        return rc;
    if (hb_csv_field(csv, 10, &len) && len == 0)
        return hb_csv_error(csv, 10, "must say where the rule comes from");
    return 0;
}

/* The stored row with this key, if any, must be identical: versions are immutable. */
static int check_unchanged(hb_store *store, const hb_csv *csv, const hb_vaccine_rule *r)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT effective_from, COALESCE(effective_to, ''), primary_doses, "
                              "min_interval_days, full_after_days, COALESCE(validity_days, -1), "
                              "COALESCE(booster_validity_days, -1) FROM hb_vaccine_rules "
                              "WHERE jurisdiction = ? AND version = ? AND product = ?");
    if (rc < 0)
        return rc;
    hb_stmt_bind_cstr(st, 1, r->jurisdiction);
    hb_stmt_bind_cstr(st, 2, r->version);
    hb_stmt_bind_cstr(st, 3, r->product);
    rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        char from[HB_DATE_STRLEN], to[HB_DATE_STRLEN] = "";
        hb_date_format(from, r->effective_from);
        if (r->effective_to)
            hb_date_format(to, r->effective_to);
        bool same = strcmp(hb_stmt_text(st, 0, NULL), from) == 0 &&
                    strcmp(hb_stmt_text(st, 1, NULL), to) == 0 &&
                    hb_stmt_int64(st, 2) == r->primary_doses &&
                    hb_stmt_int64(st, 3) == r->min_interval_days &&
                    hb_stmt_int64(st, 4) == r->full_after_days &&
                    hb_stmt_int64(st, 5) == r->validity_days &&
                    hb_stmt_int64(st, 6) == r->booster_validity_days;
        rc = same ? 0
                  : hb_csv_error(csv, 1,
                                 "version %s of %s is already in use with other values "
                                 "for %s: publish a new version instead",
                                 r->version, r->jurisdiction, r->product);
        if (rc < 0)
            rc = HB_ECONFLICT;
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int check_rule_row(hb_store *store, const hb_csv *csv)
{
    hb_vaccine_rule r;
    int rc = parse_rule(store, csv, &r);
    return rc < 0 ? rc : check_unchanged(store, csv, &r);
}

static int store_rule(hb_store *store, const hb_csv *csv)
{
    hb_stmt *st;
    int rc = hb_store_prepare(
        store, &st,
        "INSERT INTO hb_vaccine_rules (jurisdiction, version, effective_from, effective_to, "
        "product, primary_doses, min_interval_days, full_after_days, validity_days, "
        "booster_validity_days, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (jurisdiction, version, product) DO NOTHING");
    if (rc < 0)
        return rc;
    rc = bind_fields(st, csv, NRULE_COLS);
    if (rc == 0 && (rc = hb_stmt_step(st)) > 0)
        rc = 0;
    hb_stmt_finalize(st);
    return rc;
}

int hb_vaccine_rules_load(hb_store *store, const char *name, const char *data, size_t len)
{
    bool own = !hb_store_in_transaction(store);
    int rc = own ? hb_store_begin(store) : 0;
    if (rc == 0)
        rc = load_file(store, name, data, len, rule_cols, NRULE_COLS, check_rule_row, store_rule);
    if (own)
        rc = rc == 0 ? hb_store_commit(store) : (hb_store_rollback(store), rc);
    return rc;
}

int hb_vaccine_load_reference(hb_store *store)
{
    const hb_embedded_file *products =
        hb_embedded_find(hb_data_vaccine, hb_data_vaccine_count, "products.csv");
    const hb_embedded_file *rules =
        hb_embedded_find(hb_data_vaccine, hb_data_vaccine_count, "rules.csv");
    if (!products || !rules)
        return hb_error_set(HB_ERROR, "vaccine reference data missing from this build");
    int rc = load_file(store, "data/vaccine/products.csv", products->data, products->size,
                       product_cols, NPRODUCT_COLS, check_product_row, store_product);
    if (rc == 0)
        rc = hb_vaccine_rules_load(store, "data/vaccine/rules.csv", rules->data, rules->size);
    return rc;
}

static void read_rule(hb_stmt *st, hb_vaccine_rule *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->jurisdiction, sizeof r->jurisdiction, "%s", hb_stmt_text(st, 0, NULL));
    snprintf(r->version, sizeof r->version, "%s", hb_stmt_text(st, 1, NULL));
    const char *from = hb_stmt_text(st, 2, NULL), *to = hb_stmt_text(st, 3, NULL);
    hb_date_parse(&r->effective_from, from, strlen(from));
    if (*to)
        hb_date_parse(&r->effective_to, to, strlen(to));
    snprintf(r->product, sizeof r->product, "%s", hb_stmt_text(st, 4, NULL));
    r->primary_doses = (int)hb_stmt_int64(st, 5);
    r->min_interval_days = (int)hb_stmt_int64(st, 6);
    r->full_after_days = (int)hb_stmt_int64(st, 7);
    r->validity_days = hb_stmt_is_null(st, 8) ? -1 : (int)hb_stmt_int64(st, 8);
    r->booster_validity_days = hb_stmt_is_null(st, 9) ? -1 : (int)hb_stmt_int64(st, 9);
}

int hb_vaccine_rules_in_force(hb_store *store, const char *jurisdiction, hb_date on,
                              hb_vaccine_rule **out, size_t *count)
{
    char day[HB_DATE_STRLEN];
    hb_date_format(day, on);
    *out = NULL;
    *count = 0;
    /* The version in force: the latest effective_from on or before the day, not yet ended. */
    hb_stmt *st;
    int rc = hb_store_prepare(
        store, &st,
        "SELECT jurisdiction, version, effective_from, COALESCE(effective_to, ''), product, "
        "primary_doses, min_interval_days, full_after_days, validity_days, "
        "booster_validity_days FROM hb_vaccine_rules WHERE jurisdiction = ? AND version = "
        "(SELECT version FROM hb_vaccine_rules WHERE jurisdiction = ? AND effective_from <= ? "
        "AND (effective_to IS NULL OR effective_to > ?) ORDER BY effective_from DESC, version "
        "DESC LIMIT 1) ORDER BY product");
    if (rc < 0)
        return rc;
    hb_stmt_bind_cstr(st, 1, jurisdiction);
    hb_stmt_bind_cstr(st, 2, jurisdiction);
    hb_stmt_bind_cstr(st, 3, day);
    hb_stmt_bind_cstr(st, 4, day);
    size_t cap = 0;
    while ((rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            hb_vaccine_rule *grown = hb_reallocarray(*out, cap, sizeof **out);
            if (!grown) {
                rc = HB_ENOMEM;
                break;
            }
            *out = grown;
        }
        read_rule(st, &(*out)[(*count)++]);
    }
    hb_stmt_finalize(st);
    if (rc < 0) {
        hb_free(*out);
        *out = NULL;
        *count = 0;
        return rc;
    }
    return 0;
}

int hb_vaccine_products(hb_store *store, hb_table **out)
{
    static const char *const names[] = { "code",           "name_en",     "name_zh_hans",
                                         "manufacturer",   "prophylaxis", "platform",
                                         "in_dcc_valueset" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_INT };
    return hb_store_query_table(store,
                                "SELECT code, name_en, name_zh_hans, manufacturer, prophylaxis, "
                                "platform, in_dcc_valueset FROM hb_vaccine_products ORDER BY code",
                                NULL, 0, 7, names, kinds, out);
}

int hb_vaccine_rules(hb_store *store, const char *jurisdiction, hb_table **out)
{
    static const char *const names[] = { "jurisdiction",      "version",
                                         "effective_from",    "effective_to",
                                         "product",           "primary_doses",
                                         "min_interval_days", "full_after_days",
                                         "validity_days",     "booster_validity_days" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_INT,  HB_COL_INT,  HB_COL_INT,
                                         HB_COL_INT,  HB_COL_INT };
    const char *const params[] = { jurisdiction, jurisdiction };
    return hb_store_query_table(
        store,
        "SELECT jurisdiction, version, effective_from, effective_to, product, primary_doses, "
        "min_interval_days, full_after_days, validity_days, booster_validity_days FROM "
        "hb_vaccine_rules WHERE CAST(? AS TEXT) IS NULL OR jurisdiction = ? ORDER BY "
        "jurisdiction, effective_from, product",
        params, 2, 10, names, kinds, out);
}
