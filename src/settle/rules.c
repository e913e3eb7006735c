/*
 * settle/rules.c — reference data specs, loading, and the dated-rule lookups (rules.h,
 * settle_int.h).
 *
 * Lookups pick the rule row with the greatest valid_from on or before the date: dates are
 * ISO 8601 text, so text order is date order on both databases.
 */
#include "settle/rules.h"

#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "settle/claims.h"
#include "util/embedded.h"
#include "util/error.h"
#include "util/parse.h"

extern const hb_embedded_file hb_data_settle[];
extern const size_t hb_data_settle_count;

#define COUNT(a)  (sizeof(a) / sizeof((a)[0]))
#define ROUNDINGS "down|up|floor|ceiling|half-up|half-even"

static const char *provider_check(const char *const *v)
{
    static const char *const pairs[] = { "GD", "CNY", "HK", "HKD", "MO", "MOP" };
    for (size_t i = 0; i < 6; i += 2)
        if (strcmp(v[1], pairs[i]) == 0 && strcmp(v[3], pairs[i + 1]) != 0)
            return "a provider charges in its jurisdiction's currency (GD CNY, HK HKD, MO MOP)";
    return NULL;
}

static const char *period_check(const char *from, const char *to)
{
    return to && strcmp(to, from) < 0 ? "valid_to is before valid_from" : NULL;
}

static const char *service_point_check(const char *const *v)
{
    return period_check(v[1], v[2]);
}

static const char *member_check(const char *const *v)
{
    return period_check(v[2], v[5]);
}

static const char *ehcv_check(const char *const *v)
{
    bool cap = v[4] != NULL, years = v[5] != NULL, anchor = v[6] != NULL;
    if (cap != years || cap != anchor)
        return "optometry_cap, optometry_cycle_years and optometry_cycle_anchor go together";
    return strcmp(v[7], "0") == 0 ? "face_value must be > 0" : NULL;
}

static const char *items_check(const char *const *v)
{
    int64_t bp = 0;
    hb_parse_int64(&bp, v[3], strlen(v[3])); /* checked as a whole number already */
    return bp > 10000 ? "copay_bp is in basis points: 0 to 10000 (100%)" : NULL;
}

static const hb_settle_col payer_cols[] = {
    { "code", "code", HB_SCOL_TEXT, NULL },
    { "jurisdiction", "jurisdiction", HB_SCOL_ENUM, "GD|HK|MO" },
    { "kind", "kind", HB_SCOL_ENUM, "insurer|voucher-scheme|social-insurance|liaison" },
    { "currency", "currency", HB_SCOL_ENUM, "CNY|HKD|MOP" },
    { "name_en", "name_en", HB_SCOL_LONGTEXT, NULL },
    { "name_zh", "name_zh", HB_SCOL_OPTTEXT, NULL },
    { "source", "source", HB_SCOL_LONGTEXT, NULL },
};
static const hb_settle_col provider_cols[] = {
    { "code", "code", HB_SCOL_TEXT, NULL },
    { "jurisdiction", "jurisdiction", HB_SCOL_ENUM, "GD|HK|MO" },
    { "region", "region", HB_SCOL_OPTREF, "hb_regions.code" },
    { "currency", "currency", HB_SCOL_ENUM, "CNY|HKD|MOP" },
    { "liaison", "liaison", HB_SCOL_REF, "hb_settle_payers.code" },
    { "name_en", "name_en", HB_SCOL_LONGTEXT, NULL },
    { "name_zh", "name_zh", HB_SCOL_OPTTEXT, NULL },
    { "source", "source", HB_SCOL_LONGTEXT, NULL },
};
static const hb_settle_col terms_cols[] = {
    { "payer", "payer", HB_SCOL_REF, "hb_settle_payers.code" },
    { "valid_from", "valid_from", HB_SCOL_DATE, NULL },
    { "residents", "residents", HB_SCOL_JURISDICTIONS, NULL },
    { "claim_limit", "claim_limit_minor", HB_SCOL_OPTAMOUNT, NULL },
    { "deadline_days", "deadline_days", HB_SCOL_OPTINT, NULL },
    { "rounding", "rounding", HB_SCOL_ENUM, ROUNDINGS },
    { "source", "source", HB_SCOL_LONGTEXT, NULL },
};
static const hb_settle_col item_cols[] = {
    { "payer", "payer", HB_SCOL_REF, "hb_settle_payers.code" },
    { "valid_from", "valid_from", HB_SCOL_DATE, NULL },
    { "category", "category", HB_SCOL_ENUM, hb_claim_categories },
    { "copay_bp", "copay_bp", HB_SCOL_INT, NULL },
    { "limit", "limit_minor", HB_SCOL_OPTAMOUNT, NULL },
    { "alone", "alone", HB_SCOL_ENUM, "0|1" },
};
static const hb_settle_col ehcv_cols[] = {
    { "valid_from", "valid_from", HB_SCOL_DATE, NULL },
    { "eligible_age", "eligible_age", HB_SCOL_INT, NULL },
    { "annual", "annual_minor", HB_SCOL_AMOUNT, NULL },
    { "cap", "cap_minor", HB_SCOL_AMOUNT, NULL },
    { "optometry_cap", "optometry_cap_minor", HB_SCOL_OPTAMOUNT, NULL },
    { "optometry_cycle_years", "optometry_cycle_years", HB_SCOL_OPTINT, NULL },
    { "optometry_cycle_anchor", "optometry_cycle_anchor", HB_SCOL_OPTINT, NULL },
    { "face_value", "face_value_minor", HB_SCOL_AMOUNT, NULL },
    { "rounding", "rounding", HB_SCOL_ENUM, ROUNDINGS },
    { "source", "source", HB_SCOL_LONGTEXT, NULL },
};
static const hb_settle_col grant_cols[] = {
    { "code", "code", HB_SCOL_TEXT, NULL },
    { "granted_on", "granted_on", HB_SCOL_DATE, NULL },
    { "amount", "amount_minor", HB_SCOL_AMOUNT, NULL },
    { "source", "source", HB_SCOL_LONGTEXT, NULL },
};
static const hb_settle_col point_cols[] = {
    { "provider", "provider", HB_SCOL_REF, "hb_settle_providers.code" },
    { "valid_from", "valid_from", HB_SCOL_DATE, NULL },
    { "valid_to", "valid_to", HB_SCOL_OPTDATE, NULL },
    { "source", "source", HB_SCOL_LONGTEXT, NULL },
};
/* The spec's key columns come first (payer, patient, valid_from); a file's column order is free. */
static const hb_settle_col member_cols[] = {
    { "payer", "payer", HB_SCOL_REF, "hb_settle_payers.code" },
    { "patient", "patient", HB_SCOL_TEXT, NULL },
    { "valid_from", "valid_from", HB_SCOL_DATE, NULL },
    { "residence", "residence", HB_SCOL_ENUM, "GD|HK|MO" },
    { "birth_year", "birth_year", HB_SCOL_INT, NULL },
    { "valid_to", "valid_to", HB_SCOL_OPTDATE, NULL },
};

/* Who acts for a participant: an organisation of the server's directory. */
static const hb_settle_col payer_org_cols[] = {
    { "payer", "payer", HB_SCOL_REF, "hb_settle_payers.code" },
    { "org", "org", HB_SCOL_REF, "hb_orgs.code" },
};
static const hb_settle_col provider_org_cols[] = {
    { "provider", "provider", HB_SCOL_REF, "hb_settle_providers.code" },
    { "org", "org", HB_SCOL_REF, "hb_orgs.code" },
};

static const hb_settle_spec specs[] = {
    { "payers", "hb_settle_payers", payer_cols, COUNT(payer_cols), 1, false, NULL, NULL },
    { "providers", "hb_settle_providers", provider_cols, COUNT(provider_cols), 1, false, NULL,
      provider_check },
    { "payer-terms", "hb_settle_payer_terms", terms_cols, COUNT(terms_cols), 2, false, NULL, NULL },
    { "payer-items", "hb_settle_payer_items", item_cols, COUNT(item_cols), 3, false, NULL,
      items_check },
    { "ehcv-rules", "hb_settle_ehcv_rules", ehcv_cols, COUNT(ehcv_cols), 1, false, NULL,
      ehcv_check },
    { "ehcv-grants", "hb_settle_ehcv_grants", grant_cols, COUNT(grant_cols), 1, false, NULL, NULL },
    { "service-points", "hb_settle_service_points", point_cols, COUNT(point_cols), 2, false, NULL,
      service_point_check },
    { "members", "hb_settle_members", member_cols, COUNT(member_cols), 3, false, NULL,
      member_check },
    { "payer-orgs", "hb_settle_payer_orgs", payer_org_cols, COUNT(payer_org_cols), 1, false, NULL,
      NULL },
    { "provider-orgs", "hb_settle_provider_orgs", provider_org_cols, COUNT(provider_org_cols), 1,
      false, NULL, NULL },
};

const char hb_settle_reference_kinds[] = "payers|providers|payer-terms|payer-items|ehcv-rules|"
                                         "ehcv-grants|service-points|members|payer-orgs|"
                                         "provider-orgs";

/* An organisation acts only for participants of its own jurisdiction: the policy judges a claim
 * by the jurisdiction of its provider and payer, so an organisation from elsewhere would gain a
 * reach across the border that no rule gave it. */
static int check_org_jurisdictions(hb_store *store)
{
    hb_stmt *st;
    int rc = hb_settle__query_row(
        store, &st,
        "SELECT x.payer, p.jurisdiction, o.code, o.jurisdiction FROM hb_settle_payer_orgs x"
        " JOIN hb_settle_payers p ON p.code = x.payer JOIN hb_orgs o ON o.code = x.org"
        " WHERE p.jurisdiction <> o.jurisdiction UNION ALL SELECT x.provider, p.jurisdiction,"
        " o.code, o.jurisdiction FROM hb_settle_provider_orgs x JOIN hb_settle_providers p"
        " ON p.code = x.provider JOIN hb_orgs o ON o.code = x.org"
        " WHERE p.jurisdiction <> o.jurisdiction",
        NULL, 0);
    if (rc != HB_STORE_ROW)
        return rc;
    rc = hb_error_set(HB_EINVAL,
                      "%s is in %s but organisation %s is in %s: an organisation acts only for "
                      "payers and providers of its own jurisdiction",
                      hb_stmt_text(st, 0, NULL), hb_stmt_text(st, 1, NULL),
                      hb_stmt_text(st, 2, NULL), hb_stmt_text(st, 3, NULL));
    hb_stmt_finalize(st);
    return rc;
}

int hb_settle_reference_load(hb_store *store, const char *kind, const char *name, const char *data,
                             size_t len, bool dry_run, hb_settle_load_report *report)
{
    for (size_t i = 0; i < COUNT(specs); i++) {
        if (strcmp(specs[i].kind, kind) != 0)
            continue;
        int rc = hb_settle__load(store, &specs[i], name, data, len, dry_run, report);
        if (rc == 0 && !dry_run && strstr(kind, "-orgs"))
            rc = check_org_jurisdictions(store);
        return rc;
    }
    memset(report, 0, sizeof *report);
    return hb_error_set(HB_EINVAL, "'%.40s' is not a kind of settlement reference file (%s)", kind,
                        hb_settle_reference_kinds);
}

int hb_settle_reference_load_embedded(hb_store *store)
{
    /* In dependency order: payers before the providers and rules that name them. */
    static const char *const files[][2] = {
        { "payers", "payers.csv" },
        { "providers", "providers.csv" },
        { "payer-terms", "payer_terms.csv" },
        { "payer-items", "payer_items.csv" },
        { "ehcv-rules", "ehcv_rules.csv" },
        { "ehcv-grants", "ehcv_grants.csv" },
        { "service-points", "service_points.csv" },
    };
    for (size_t i = 0; i < COUNT(files); i++) {
        const hb_embedded_file *f =
            hb_embedded_find(hb_data_settle, hb_data_settle_count, files[i][1]);
        if (!f)
            return hb_error_set(HB_ERROR, "data/settle/%s is not compiled in", files[i][1]);
        hb_settle_load_report report;
        char name[64];
        snprintf(name, sizeof name, "data/settle/%s", files[i][1]);
        int rc =
            hb_settle_reference_load(store, files[i][0], name, f->data, f->size, false, &report);
        hb_settle__load_report_dispose(&report);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int hb_settle__query_row(hb_store *store, hb_stmt **st, const char *sql, const char *const *params,
                         size_t nparams)
{
    int rc = hb_store_prepare(store, st, sql);
    for (size_t i = 0; rc == 0 && i < nparams; i++)
        rc = hb_stmt_bind_cstr(*st, (int)i + 1, params[i]);
    if (rc == 0)
        rc = hb_stmt_step(*st);
    if (rc != HB_STORE_ROW) {
        hb_stmt_finalize(*st);
        *st = NULL;
    }
    return rc;
}

static void copy(char *dst, size_t size, hb_stmt *st, int col)
{
    snprintf(dst, size, "%s", hb_stmt_text(st, col, NULL));
}

static int64_t opt_i64(hb_stmt *st, int col)
{
    return hb_stmt_is_null(st, col) ? -1 : hb_stmt_int64(st, col);
}

int hb_settle__payer(hb_store *store, const char *code, hb_settle_payer *out)
{
    hb_stmt *st;
    int rc = hb_settle__query_row(
        store, &st,
        "SELECT code, jurisdiction, kind, currency FROM hb_settle_payers WHERE code = ?", &code, 1);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no payer '%.64s'", code);
    if (rc < 0)
        return rc;
    copy(out->code, sizeof out->code, st, 0);
    copy(out->jurisdiction, sizeof out->jurisdiction, st, 1);
    copy(out->kind, sizeof out->kind, st, 2);
    copy(out->currency, sizeof out->currency, st, 3);
    hb_stmt_finalize(st);
    return 0;
}

int hb_settle__provider(hb_store *store, const char *code, hb_settle_provider *out)
{
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT code, jurisdiction, currency, liaison"
                                  " FROM hb_settle_providers WHERE code = ?",
                                  &code, 1);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no provider '%.64s'", code);
    if (rc < 0)
        return rc;
    copy(out->code, sizeof out->code, st, 0);
    copy(out->jurisdiction, sizeof out->jurisdiction, st, 1);
    copy(out->currency, sizeof out->currency, st, 2);
    copy(out->liaison, sizeof out->liaison, st, 3);
    hb_stmt_finalize(st);
    return 0;
}

static int load_items(hb_store *store, const char *payer, hb_settle_terms *out)
{
    hb_stmt *st;
    const char *params[] = { payer, out->valid_from };
    int rc = hb_store_prepare(store, &st,
                              "SELECT category, copay_bp, limit_minor, alone FROM"
                              " hb_settle_payer_items WHERE payer = ? AND valid_from = ?"
                              " ORDER BY category");
    for (size_t i = 0; rc == 0 && i < 2; i++)
        rc = hb_stmt_bind_cstr(st, (int)i + 1, params[i]);
    out->nitems = 0;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW &&
           out->nitems < HB_SETTLE_CATEGORIES) {
        hb_settle_item_rule *it = &out->items[out->nitems++];
        copy(it->category, sizeof it->category, st, 0);
        it->copay_bp = hb_stmt_int64(st, 1);
        it->limit_minor = opt_i64(st, 2);
        it->alone = hb_stmt_int64(st, 3) != 0;
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_settle__terms_at(hb_store *store, const char *payer, hb_date date, hb_settle_terms *out)
{
    char day[HB_DATE_STRLEN];
    const char *params[] = { payer, hb_date_format(day, date) };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT valid_from, residents, claim_limit_minor, deadline_days,"
                                  " rounding FROM hb_settle_payer_terms WHERE payer = ? AND"
                                  " valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
                                  params, 2);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "payer %s has no rules in effect on %s", payer, day);
    if (rc < 0)
        return rc;
    copy(out->valid_from, sizeof out->valid_from, st, 0);
    copy(out->residents, sizeof out->residents, st, 1);
    out->claim_limit_minor = opt_i64(st, 2);
    out->deadline_days = opt_i64(st, 3);
    rc = hb_rounding_parse(&out->rounding, hb_stmt_text(st, 4, NULL));
    hb_stmt_finalize(st);
    return rc < 0 ? rc : load_items(store, payer, out);
}

int hb_settle__ehcv_rule_at(hb_store *store, hb_date date, hb_settle_ehcv_rule *out)
{
    char day[HB_DATE_STRLEN];
    const char *params[] = { hb_date_format(day, date) };
    hb_stmt *st;
    int rc = hb_settle__query_row(
        store, &st,
        "SELECT valid_from, eligible_age, annual_minor, cap_minor, optometry_cap_minor,"
        " optometry_cycle_years, optometry_cycle_anchor, face_value_minor, rounding"
        " FROM hb_settle_ehcv_rules WHERE valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
        params, 1);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no voucher rules in effect on %s", day);
    if (rc < 0)
        return rc;
    copy(out->valid_from, sizeof out->valid_from, st, 0);
    out->eligible_age = hb_stmt_int64(st, 1);
    out->annual_minor = hb_stmt_int64(st, 2);
    out->cap_minor = hb_stmt_int64(st, 3);
    out->optometry_cap_minor = opt_i64(st, 4);
    out->optometry_cycle_years = opt_i64(st, 5);
    out->optometry_cycle_anchor = opt_i64(st, 6);
    out->face_value_minor = hb_stmt_int64(st, 7);
    rc = hb_rounding_parse(&out->rounding, hb_stmt_text(st, 8, NULL));
    hb_stmt_finalize(st);
    return rc;
}

int hb_settle__service_point(hb_store *store, const char *provider, hb_date date, bool *designated)
{
    char day[HB_DATE_STRLEN];
    const char *params[] = { provider, hb_date_format(day, date), day };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT 1 FROM hb_settle_service_points WHERE provider = ? AND"
                                  " valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
                                  params, 3);
    *designated = rc == HB_STORE_ROW;
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_settle__member_at(hb_store *store, const char *payer, const char *patient, hb_date date,
                         hb_settle_member *out)
{
    char day[HB_DATE_STRLEN];
    const char *params[] = { payer, patient, hb_date_format(day, date), day };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT residence, birth_year FROM hb_settle_members WHERE"
                                  " payer = ? AND patient = ? AND valid_from <= ? AND"
                                  " (valid_to IS NULL OR valid_to >= ?)"
                                  " ORDER BY valid_from DESC LIMIT 1",
                                  params, 4);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "patient %.64s is not covered by %s on %s", patient,
                            payer, day);
    if (rc < 0)
        return rc;
    copy(out->residence, sizeof out->residence, st, 0);
    out->birth_year = hb_stmt_int64(st, 1);
    hb_stmt_finalize(st);
    return 0;
}

int hb_settle__voucher_payer(hb_store *store, char out[HB_SETTLE_CODE_LEN])
{
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT code FROM hb_settle_payers WHERE kind = 'voucher-scheme'"
                                  " ORDER BY code LIMIT 1",
                                  NULL, 0);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no voucher-scheme payer is configured");
    if (rc < 0)
        return rc;
    copy(out, HB_SETTLE_CODE_LEN, st, 0);
    hb_stmt_finalize(st);
    return 0;
}

int hb_settle_party_get(hb_store *store, const char *kind, const char *code, hb_settle_party *out)
{
    bool payer = strcmp(kind, "payer") == 0;
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  payer ? "SELECT p.code, p.jurisdiction, o.org, p.currency FROM"
                                          " hb_settle_payers p LEFT JOIN hb_settle_payer_orgs o"
                                          " ON o.payer = p.code WHERE p.code = ?"
                                        : "SELECT p.code, p.jurisdiction, o.org, p.currency FROM"
                                          " hb_settle_providers p LEFT JOIN"
                                          " hb_settle_provider_orgs o ON o.provider = p.code"
                                          " WHERE p.code = ?",
                                  &code, 1);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no %s '%.64s'", payer ? "payer" : "provider", code);
    if (rc < 0)
        return rc;
    copy(out->code, sizeof out->code, st, 0);
    copy(out->jurisdiction, sizeof out->jurisdiction, st, 1);
    copy(out->org, sizeof out->org, st, 2);
    copy(out->currency, sizeof out->currency, st, 3);
    hb_stmt_finalize(st);
    return 0;
}

int hb_settle_voucher_scheme(hb_store *store, hb_settle_party *out)
{
    char code[HB_SETTLE_CODE_LEN];
    int rc = hb_settle__voucher_payer(store, code);
    return rc < 0 ? rc : hb_settle_party_get(store, "payer", code, out);
}

int hb_settle_org_serves_vouchers(hb_store *store, const char *org, hb_date date, bool *out)
{
    char day[HB_DATE_STRLEN];
    const char *params[] = { org, hb_date_format(day, date), day };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT 1 FROM hb_settle_provider_orgs o JOIN"
                                  " hb_settle_service_points s ON s.provider = o.provider"
                                  " WHERE o.org = ? AND s.valid_from <= ? AND (s.valid_to IS NULL"
                                  " OR s.valid_to >= ?)",
                                  params, 3);
    *out = rc == HB_STORE_ROW;
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_settle_payers_list(hb_store *store, hb_table **out)
{
    static const char *const names[] = { "code", "jurisdiction", "kind", "currency", "name_en" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT };
    return hb_store_query_table(store,
                                "SELECT code, jurisdiction, kind, currency, name_en"
                                " FROM hb_settle_payers ORDER BY jurisdiction, code",
                                NULL, 0, 5, names, kinds, out);
}

int hb_settle_providers_list(hb_store *store, hb_table **out)
{
    static const char *const names[] = { "code",    "jurisdiction", "region",       "currency",
                                         "liaison", "name_en",      "voucher_point" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT };
    return hb_store_query_table(
        store,
        "SELECT p.code, p.jurisdiction, p.region, p.currency, p.liaison, p.name_en,"
        " (SELECT MIN(s.valid_from) FROM hb_settle_service_points s WHERE s.provider = p.code)"
        " FROM hb_settle_providers p ORDER BY p.jurisdiction, p.code",
        NULL, 0, 7, names, kinds, out);
}
