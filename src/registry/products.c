/*
 * registry/products.c — the import kinds products, approvals and usage, and the usage report
 * (see products.h).
 */
#include "registry/products.h"

#include <stdio.h>
#include <string.h>

#include "registry/registry_int.h"
#include "util/alloc.h"

enum {
    P_CODE,
    P_KIND,
    P_HK_REG_NO,
    P_MO_REG_NO,
    P_NAME_EN,
    P_INN = 7,
    P_FORM,
    P_STRENGTH,
    P_DEVICE_CLASS,
    P_HOLDER,
    P_EVIDENCE,
    P_NCOLS
};

static const hb_registry__col product_cols[] = {
    { "code", HB_RT_CODE, HB_RC_KEY, NULL },
    { "kind", HB_RT_ENUM, 0, "drug|device" },
    { "hk_reg_no", HB_RT_OPT, 0, NULL },
    { "mo_reg_no", HB_RT_OPT, 0, NULL },
    { "name_en", HB_RT_TEXT, 0, NULL },
    { "name_zh_hans", HB_RT_OPT, 0, NULL },
    { "name_zh_hant", HB_RT_OPT, 0, NULL },
    { "inn", HB_RT_OPT, 0, NULL },
    { "form", HB_RT_OPT, 0, NULL },
    { "strength", HB_RT_OPT, 0, NULL },
    { "device_class", HB_RT_ENUMOPT, 0, "I|II|III|IV" },
    { "holder", HB_RT_OPT, 0, NULL },
    { "home_use_evidence", HB_RT_OPT, 0, NULL },
};
_Static_assert(sizeof product_cols / sizeof product_cols[0] == P_NCOLS, "columns");

/* A drug is marketed in Hong Kong or Macao; a device is registered or listed there, or used by
 * their public hospitals (the policy's two routes). */
static int check_product(hb_registry__import *imp, char *const *cells)
{
    bool drug = strcmp(cells[P_KIND], "drug") == 0;
    bool registered = cells[P_HK_REG_NO] || cells[P_MO_REG_NO];
    if (drug && !registered)
        hb_registry__reject(imp, P_HK_REG_NO,
                            "a drug needs its Hong Kong or Macao registration number "
                            "(hk_reg_no or mo_reg_no)");
    if (drug && !cells[P_FORM])
        hb_registry__reject(imp, P_FORM, "a drug needs its dosage form");
    if (drug && !cells[P_STRENGTH])
        hb_registry__reject(imp, P_STRENGTH, "a drug needs its strength");
    if (drug && cells[P_DEVICE_CLASS])
        hb_registry__reject(imp, P_DEVICE_CLASS, "a drug has no device class");
    if (!drug && !cells[P_DEVICE_CLASS])
        hb_registry__reject(imp, P_DEVICE_CLASS, "a device needs its class (I, II, III or IV)");
    if (!drug && !registered && !cells[P_EVIDENCE])
        hb_registry__reject(imp, P_EVIDENCE,
                            "a device needs a Hong Kong or Macao registration or listing "
                            "number, or evidence of its use by their public hospitals");
    if (imp->caller->role != HB_REGISTRY_OPERATOR && imp->caller->role != HB_REGISTRY_AUTHORITY)
        hb_registry__deny(imp, P_CODE, "only a health authority may record products");
    return 0;
}

const hb_registry__kind hb_registry__products = {
    .name = "products",
    .table = "hb_registry_products",
    .cols = product_cols,
    .ncols = HB_REGISTRY__NCOLS(product_cols),
    .has_status = true,
    .person_col = -1,
    .check = check_product,
};

enum {
    A_NO,
    A_PRODUCT,
    A_INSTITUTION,
    A_APPROVED_ON,
    A_FROM,
    A_TO,
    A_QUANTITY_MAX,
    A_UNIT,
    A_INDICATIONS,
    A_DEPARTMENTS,
    A_NCOLS
};

static const hb_registry__col approval_cols[] = {
    { "approval_no", HB_RT_TEXT, HB_RC_KEY, NULL },
    { "product", HB_RT_REF, 0, "hb_registry_products.code" },
    { "institution", HB_RT_REF, 0, "hb_registry_institutions.code" },
    { "approved_on", HB_RT_DATEOPT, 0, NULL },
    { "valid_from", HB_RT_DATE, 0, NULL },
    { "valid_to", HB_RT_DATE, 0, NULL },
    { "quantity_max", HB_RT_INTOPT, 0, NULL },
    { "unit", HB_RT_OPT, 0, NULL },
    { "indications", HB_RT_LIST, 0, NULL },
    { "departments", HB_RT_LIST, 0, NULL },
};
_Static_assert(sizeof approval_cols / sizeof approval_cols[0] == A_NCOLS, "columns");

/* The institution must be designated on the first day of the approval. */
static int check_approval(hb_registry__import *imp, char *const *cells)
{
    if (strcmp(cells[A_TO], cells[A_FROM]) < 0)
        hb_registry__reject(imp, A_TO, "%s is before valid_from %s", cells[A_TO], cells[A_FROM]);
    if (cells[A_APPROVED_ON] && strcmp(cells[A_APPROVED_ON], cells[A_TO]) > 0)
        hb_registry__reject(imp, A_APPROVED_ON, "approved after the approval ended (%s)",
                            cells[A_TO]);
    if (cells[A_QUANTITY_MAX] && !cells[A_UNIT])
        hb_registry__reject(imp, A_UNIT, "quantity_max needs its unit");
    hb_registry__row row;
    int rc = hb_registry__query(imp->store, &row,
                                "SELECT designated_from FROM hb_registry_designations"
                                " WHERE institution = ? AND programme = 'drug_device_connect'"
                                " AND designated_from <= ?"
                                " AND (designated_to IS NULL OR designated_to >= ?)",
                                cells[A_INSTITUTION], cells[A_FROM], cells[A_FROM], NULL);
    if (rc < 0)
        return rc;
    if (!row.found)
        hb_registry__reject(imp, A_INSTITUTION,
                            "%s is not a designated institution on %s (see 'healthybay registry "
                            "list designations')",
                            cells[A_INSTITUTION], cells[A_FROM]);
    hb_registry__require_authority(imp, A_NO, "GD", "approvals");
    return 0;
}

const hb_registry__kind hb_registry__approvals = {
    .name = "approvals",
    .table = "hb_registry_approvals",
    .cols = approval_cols,
    .ncols = HB_REGISTRY__NCOLS(approval_cols),
    .valid_from = "valid_from",
    .valid_to = "valid_to",
    .has_status = true,
    .person_col = -1,
    .check = check_approval,
};

enum { U_INSTITUTION, U_PRODUCT, U_MONTH, U_PATIENTS, U_QUANTITY, U_UNIT, U_NCOLS };

static const hb_registry__col usage_cols[] = {
    { "institution", HB_RT_REF, HB_RC_KEY, "hb_registry_institutions.code" },
    { "product", HB_RT_REF, HB_RC_KEY, "hb_registry_products.code" },
    { "month", HB_RT_MONTH, HB_RC_KEY, NULL },
    { "patients", HB_RT_INT, 0, NULL },
    { "quantity", HB_RT_INT, 0, NULL },
    { "unit", HB_RT_TEXT, 0, NULL },
};
_Static_assert(sizeof usage_cols / sizeof usage_cols[0] == U_NCOLS, "columns");

/* Use must fall within an approval of the product at the institution for some day of the month;
 * an institution reports its own use, an authority that of its jurisdiction's institutions. */
static int check_usage(hb_registry__import *imp, char *const *cells)
{
    char first[HB_DATE_STRLEN], last[HB_DATE_STRLEN];
    hb_date d = 0;
    hb_month_parse(&d, cells[U_MONTH], strlen(cells[U_MONTH]));
    hb_date_format(first, d);
    hb_date_format(last, hb_date_add_months(d, 1) - 1);
    hb_registry__row row;
    int rc = hb_registry__query(imp->store, &row,
                                "SELECT approval_no FROM hb_registry_approvals WHERE product = ?"
                                " AND institution = ? AND valid_from <= ? AND valid_to >= ?",
                                cells[U_PRODUCT], cells[U_INSTITUTION], last, first, NULL);
    if (rc == 0 && !row.found)
        hb_registry__reject(imp, U_PRODUCT, "no approval of %s at %s covers any day of %s",
                            cells[U_PRODUCT], cells[U_INSTITUTION], cells[U_MONTH]);
    if (rc == 0 && strcmp(cells[U_PATIENTS], "0") != 0 && strcmp(cells[U_QUANTITY], "0") == 0)
        hb_registry__reject(imp, U_QUANTITY, "patients were treated but the quantity is 0");
    const hb_registry_caller *c = imp->caller;
    if (rc < 0 || c->role == HB_REGISTRY_OPERATOR)
        return rc;
    if (c->role == HB_REGISTRY_INSTITUTION) {
        if (!c->org || strcmp(c->org, cells[U_INSTITUTION]) != 0)
            hb_registry__deny(imp, U_INSTITUTION,
                              "an institution reports only its own use (the caller is %s)",
                              c->org ? c->org : "anonymous");
        return 0;
    }
    rc = hb_registry__query(imp->store, &row,
                            "SELECT jurisdiction FROM hb_registry_institutions WHERE code = ?",
                            cells[U_INSTITUTION], NULL);
    if (rc == 0)
        hb_registry__require_authority(imp, U_INSTITUTION, row.col[0], "usage of its institutions");
    return rc;
}

const hb_registry__kind hb_registry__usage = {
    .name = "usage",
    .table = "hb_registry_usage",
    .cols = usage_cols,
    .ncols = HB_REGISTRY__NCOLS(usage_cols),
    .person_col = -1,
    .usage_rules = true,
    .check = check_usage,
};

int hb_registry_usage_report(hb_store *store, const hb_registry_caller *caller,
                             const char *from_month, const char *to_month, const char *institution,
                             hb_table **out)
{
    if (caller->role == HB_REGISTRY_PUBLIC)
        return hb_error_set(HB_EPERM, "usage figures are for the health authorities and the "
                                      "reporting institutions");
    if (caller->role == HB_REGISTRY_INSTITUTION) {
        if (institution && (!caller->org || strcmp(institution, caller->org) != 0))
            return hb_error_set(HB_EPERM, "an institution sees only its own usage");
        institution = caller->org ? caller->org : "";
    }
    static const char *const names[] = { "institution", "product",  "kind",    "unit",
                                         "months",      "patients", "quantity" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_INT,  HB_COL_INT,  HB_COL_INT };
    const char *params[6] = {
        from_month, from_month, to_month, to_month, institution, institution
    };
    return hb_store_query_table(store,
                                "SELECT u.institution, u.product, p.kind, u.unit, count(*),"
                                " sum(u.patients), sum(u.quantity) FROM hb_registry_usage u"
                                " JOIN hb_registry_products p ON p.code = u.product"
                                " WHERE (CAST(? AS TEXT) IS NULL OR u.month >= ?)"
                                " AND (CAST(? AS TEXT) IS NULL OR u.month <= ?)"
                                " AND (CAST(? AS TEXT) IS NULL OR u.institution = ?)"
                                " GROUP BY u.institution, u.product, p.kind, u.unit"
                                " ORDER BY u.institution, u.product, u.unit",
                                params, 6, 7, names, kinds, out);
}
