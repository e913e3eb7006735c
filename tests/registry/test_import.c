/*
 * Tests for registry/import.c and the kinds' rules: every bad field named by line and column,
 * nothing written when any row is bad, versions and history, the scheme rules at their
 * boundaries (Hengqin: at most 3 years, at least 2 years of home practice first), and who may
 * write what.
 */
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "registry/products.h"
#include "util/buf.h"

#define PRODUCTS_HEADER                                                                  \
    "code,kind,hk_reg_no,mo_reg_no,name_en,name_zh_hans,name_zh_hant,inn,form,strength," \
    "device_class,holder,home_use_evidence\n"

TEST(registry__import_errors_name_line_and_field)
{
    hb_store *s = fx_migrated();
    const char *errors;
    CHECK_FAILS(fx_import(s, &hb_registry_operator, "products",
                          PRODUCTS_HEADER "SYN-OK,drug,HK-1,,Fine,,,,tablet,5 mg,,,\n"
                                          "SYN-A,medicine,HK-2,,Bad kind,,,,tablet,5 mg,,,\n"
                                          "SYN-B,drug,,,No registration,,,,tablet,5 mg,,,\n"
                                          "SYN-C,device,,,No class or evidence,,,,,,,,\n"
                                          "SYN OK,drug,HK-3,,Space in code,,,,tablet,5 mg,,,\n"
                                          "SYN-OK,drug,HK-1,,Duplicate,,,,tablet,5 mg,,,\n",
                          &errors),
                HB_EINVAL, "nothing was written");
    CHECK_CONTAINS(errors, "products.csv:3:7: field 'kind': 'medicine' is not one of drug|device");
    CHECK_CONTAINS(errors, "products.csv:4:12: field 'hk_reg_no': a drug needs its Hong Kong or");
    CHECK_CONTAINS(errors, "products.csv:5:");
    CHECK_CONTAINS(errors, "field 'device_class': a device needs its class");
    CHECK_CONTAINS(errors, "field 'home_use_evidence': a device needs a Hong Kong or Macao");
    CHECK_CONTAINS(errors, "products.csv:6:1: field 'code': 'SYN OK' is not a code");
    CHECK_CONTAINS(errors, "products.csv:7:1: field 'code': the same item (SYN-OK) as line 2");
    CHECK_STR_EQ(fx_scalar(s, "SELECT count(*) FROM hb_registry_products"), "0");
    CHECK_STR_EQ(fx_scalar(s, "SELECT count(*) FROM hb_registry_batches WHERE kind = 'products'"),
                 "0");
    /* The same problems, in parts, for interfaces that point at fields their own way. */
    hb_registry_import_options opt = { .source = "api" };
    hb_registry_import_report r;
    const char *text = PRODUCTS_HEADER "SYN-A,medicine,HK-2,,Bad kind,,,,tablet,5 mg,,,\n";
    CHECK_FAILS(hb_registry_import_memory(s, &hb_registry_operator, "products", "body", text,
                                          strlen(text), &opt, &r),
                HB_EINVAL, NULL);
    CHECK_INT_EQ(r.nerrors, 1);
    CHECK_INT_EQ(r.nlisted, 1);
    CHECK_INT_EQ(r.errors[0].line, 2);
    CHECK_INT_EQ(r.errors[0].column, 7);
    CHECK_STR_EQ(r.errors[0].field, "kind");
    CHECK_STR_EQ(r.errors[0].reason, "'medicine' is not one of drug|device");
    CHECK_STR_EQ(r.errors[0].message,
                 "body:2:7: field 'kind': 'medicine' is not one of drug|device");
    hb_registry_import_report_dispose(&r);
    CHECK(r.errors == NULL && r.nlisted == 0);
    CHECK_FAILS(
        fx_import(s, &hb_registry_operator, "products", "code,kind,colour\nA,drug,red\n", NULL),
        HB_EINVAL, "missing column 'hk_reg_no'");
    CHECK_FAILS(fx_import(s, &hb_registry_operator, "nonsense", "a\n1\n", NULL), HB_EINVAL,
                "'nonsense' is not a registry import kind");
    hb_store_close(s);
}

/* Every problem is counted; the first HB_REPORT_ERRORS_MAX are listed. */
TEST(registry__import_lists_the_first_errors_and_counts_all)
{
    hb_store *s = fx_migrated();
    hb_buf text;
    hb_buf_init(&text, 0);
    CHECK_OK(hb_buf_puts(&text, PRODUCTS_HEADER));
    for (int i = 0; i < HB_REPORT_ERRORS_MAX + 5; i++)
        CHECK_OK(hb_buf_printf(&text, "SYN-%d,medicine,HK-1,,Bad,,,,tablet,5 mg,,,\n", i));
    hb_registry_import_options opt = { .source = "test" };
    hb_registry_import_report r;
    CHECK_FAILS(
        hb_registry_import_memory(s, &fx_gd, "products", "many.csv", text.ptr, text.len, &opt, &r),
        HB_EINVAL, NULL);
    CHECK_INT_EQ(r.nerrors, HB_REPORT_ERRORS_MAX + 5);
    CHECK_INT_EQ(r.nlisted, HB_REPORT_ERRORS_MAX);
    CHECK_INT_EQ(r.errors[HB_REPORT_ERRORS_MAX - 1].line, HB_REPORT_ERRORS_MAX + 1);
    hb_registry_import_report_dispose(&r);
    hb_buf_dispose(&text);
    hb_store_close(s);
}

TEST(registry__import_versions_and_history)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    const char *text = PRODUCTS_HEADER "SYN-DRUG-1,drug,HK-99001,,Synthetic Drug,合成药,合成藥,"
                                       "examplimab,injection,100 mg/mL,,Synthetic Pharma,\n";
    hb_registry_import_options opt = { .source = "again.csv" };
    hb_registry_import_report r;
    CHECK_OK(hb_registry_import_memory(s, &hb_registry_operator, "products", "p.csv", text,
                                       strlen(text), &opt, &r));
    CHECK_INT_EQ(r.unchanged, 1);
    CHECK_INT_EQ(r.batch_id, 0); /* nothing changed: no batch */
    hb_registry_import_report_dispose(&r);
    const char *changed = PRODUCTS_HEADER "SYN-DRUG-1,drug,HK-99001,,Synthetic Drug,合成药,合成藥,"
                                          "examplimab,injection,200 mg/mL,,Synthetic Pharma,\n";
    CHECK_OK(hb_registry_import_memory(s, &fx_gd, "products", "p2.csv", changed, strlen(changed),
                                       &opt, &r));
    CHECK_INT_EQ(r.updated, 1);
    CHECK(r.batch_id > 0);
    hb_registry_import_report_dispose(&r);
    CHECK_STR_EQ(
        fx_scalar(s, "SELECT strength FROM hb_registry_products WHERE code = 'SYN-DRUG-1'"),
        "200 mg/mL");
    CHECK_STR_EQ(fx_scalar(s, "SELECT version FROM hb_registry_products WHERE code = 'SYN-DRUG-1'"),
                 "2");
    hb_table *t;
    CHECK_OK(hb_registry_history(s, &fx_public, "products", "SYN-DRUG-1", &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(hb_table_cell(t, 0, 5), "created");
    CHECK_CONTAINS(hb_table_cell(t, 0, 7), "\"strength\":\"100 mg/mL\"");
    CHECK_STR_EQ(hb_table_cell(t, 1, 5), "changed");
    CHECK_STR_EQ(hb_table_cell(t, 1, 3), "gd-hc"); /* who */
    CHECK_CONTAINS(hb_table_cell(t, 1, 7), "\"strength\":\"200 mg/mL\"");
    hb_table_free(t);
    CHECK_FAILS(hb_registry_history(s, &fx_public, "products", "SYN-NONE", &t), HB_ENOTFOUND, NULL);
    hb_store_close(s);
}

#define PERMITS_HEADER \
    "permit_no,practitioner,scheme,category,issuer,issued_on,valid_from,valid_to,scope\n"

TEST(registry__permit_rules_at_boundaries)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    const char *errors;
    /* At most 3 years: the last day is the day before the third anniversary. */
    CHECK_OK(fx_import(
        s, &fx_gd, "permits",
        PERMITS_HEADER "SYN-HQ-2,SYN-MO-1,hengqin,doctor,x,,2024-02-29,2027-02-28,\n", &errors));
    CHECK_FAILS(fx_import(s, &fx_gd, "permits",
                          PERMITS_HEADER "SYN-HQ-3,SYN-MO-1,hengqin,doctor,x,,2023-08-11,"
                                         "2026-08-11,\n",
                          &errors),
                HB_EINVAL, NULL);
    CHECK_CONTAINS(errors, "permits.csv:2:");
    CHECK_CONTAINS(errors, "field 'valid_to': longer than the hengqin scheme allows (36 months): "
                           "the last day may be 2026-08-10");
    /* At least 2 years of practice in Macao: SYN-MO-2 registered on 2022-06-01. */
    CHECK_FAILS(fx_import(s, &fx_gd, "permits",
                          PERMITS_HEADER "SYN-HQ-4,SYN-MO-2,hengqin,nurse,x,,2024-05-31,"
                                         "2025-05-30,\n",
                          &errors),
                HB_EINVAL, NULL);
    CHECK_CONTAINS(errors, "field 'valid_from': the scheme requires 2 years of home practice "
                           "first: registered since 2022-06-01, so not before 2024-06-01");
    CHECK_OK(fx_import(s, &fx_gd, "permits",
                       PERMITS_HEADER "SYN-HQ-4,SYN-MO-2,hengqin,nurse,x,,2024-06-01,2025-05-31,\n",
                       &errors));
    /* Home jurisdiction, category, and the scheme in force on valid_from. */
    CHECK_FAILS(fx_import(s, &fx_gd, "permits",
                          PERMITS_HEADER
                          "SYN-HQ-5,SYN-HK-1,hengqin,doctor,x,,2024-01-01,2025-01-01,\n"
                          "SYN-HQ-6,SYN-MO-1,hengqin,nurse,x,,2024-01-01,2025-01-01,\n"
                          "SYN-HQ-7,SYN-MO-1,hengqin,doctor,x,,2023-07-31,2025-01-01,\n"
                          "SYN-ST-9,SYN-MO-2,short_term,nurse,x,,2024-07-01,2025-01-01,\n",
                          &errors),
                HB_EINVAL, NULL);
    CHECK_CONTAINS(errors, "permits.csv:2:10: field 'practitioner': SYN-HK-1 is from HK; the "
                           "hengqin scheme admits MO");
    CHECK_CONTAINS(errors, "permits.csv:3:");
    CHECK_CONTAINS(errors, "field 'category': SYN-MO-1 is registered as doctor, not nurse");
    CHECK_CONTAINS(errors, "permits.csv:4:");
    CHECK_CONTAINS(errors, "no scheme 'hengqin' in force on 2023-07-31");
    CHECK_CONTAINS(errors, "permits.csv:5:");
    CHECK_CONTAINS(errors, "the short_term scheme does not admit nurse");
    hb_store_close(s);
}

TEST(registry__employment_and_approval_rules)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    const char *errors;
    CHECK_FAILS(fx_import(s, &fx_gd, "employments",
                          "practitioner,institution,valid_from,valid_to,permit,role\n"
                          "SYN-MO-1,syn-gz-clinic,2024-01-01,2024-12-31,SYN-HQ-1,additional\n"
                          "SYN-MO-1,syn-hq-clinic,2023-08-01,2024-12-31,SYN-HQ-1,additional\n"
                          "SYN-MO-1,syn-hq-clinic,2024-01-01,,SYN-HQ-1,additional\n"
                          "SYN-MO-2,syn-hq-clinic,2024-01-01,2024-12-31,,additional\n"
                          "SYN-MO-2,syn-hq-clinic,2024-01-02,2024-12-31,SYN-HQ-1,additional\n",
                          &errors),
                HB_EINVAL, NULL);
    CHECK_CONTAINS(errors, "employments.csv:2:10: field 'institution': permit SYN-HQ-1 is for "
                           "the Hengqin cooperation zone; syn-gz-clinic is outside it");
    CHECK_CONTAINS(errors, "employments.csv:3:");
    CHECK_CONTAINS(errors, "field 'valid_from': starts before permit SYN-HQ-1 (valid from "
                           "2023-08-11)");
    CHECK_CONTAINS(errors, "employments.csv:4:");
    CHECK_CONTAINS(errors, "field 'valid_to': must end by the end of permit SYN-HQ-1");
    CHECK_CONTAINS(errors, "employments.csv:5:");
    CHECK_CONTAINS(errors, "practice in GD needs a mainland permit");
    CHECK_CONTAINS(errors, "employments.csv:6:");
    CHECK_CONTAINS(errors, "'SYN-HQ-1' is not a permit of SYN-MO-2");
    CHECK_FAILS(fx_import(s, &fx_gd, "approvals",
                          "approval_no,product,institution,approved_on,valid_from,valid_to,"
                          "quantity_max,unit,indications,departments\n"
                          "SYN-AP-9,SYN-DRUG-1,syn-gz-clinic,,2024-01-01,2024-12-31,,,,\n"
                          "SYN-AP-8,SYN-DRUG-1,gd-gz-sysu-first,,2023-02-21,2023-12-31,,,,\n"
                          "SYN-AP-7,SYN-DRUG-1,gd-gz-sysu-first,,2023-02-22,2023-02-21,,,,\n",
                          &errors),
                HB_EINVAL, NULL);
    CHECK_CONTAINS(errors, "approvals.csv:2:21: field 'institution': syn-gz-clinic is not a "
                           "designated institution on 2024-01-01");
    CHECK_CONTAINS(errors, "gd-gz-sysu-first is not a designated institution on 2023-02-21");
    CHECK_CONTAINS(errors, "field 'valid_to': 2023-02-21 is before valid_from 2023-02-22");
    CHECK_STR_EQ(fx_scalar(s, "SELECT count(*) FROM hb_registry_approvals"), "2");
    hb_store_close(s);
}

TEST(registry__usage_within_approvals_and_report)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    const hb_registry_caller hku = { HB_REGISTRY_INSTITUTION, "gd-hku-szh", "GD", "test" };
    const char *errors;
    CHECK_FAILS(fx_import(s, &hku, "usage",
                          "institution,product,month,patients,quantity,unit\n"
                          "gd-hku-szh,SYN-DRUG-1,2023-12,1,2,vial\n"
                          "gd-hku-szh,SYN-DEV-1,2024-02,1,0,piece\n",
                          &errors),
                HB_EINVAL, NULL);
    CHECK_CONTAINS(errors, "usage.csv:2:12: field 'product': no approval of SYN-DRUG-1 at "
                           "gd-hku-szh covers any day of 2023-12");
    CHECK_CONTAINS(errors, "usage.csv:3:");
    CHECK_CONTAINS(errors, "field 'quantity': patients were treated but the quantity is 0");
    CHECK_OK(fx_import(s, &hku, "usage",
                       "institution,product,month,patients,quantity,unit\n"
                       "gd-hku-szh,SYN-DRUG-1,2024-01,3,7,vial\n"
                       "gd-hku-szh,SYN-DRUG-1,2024-02,2,4,vial\n"
                       "gd-hku-szh,SYN-DEV-1,2024-12,1,1,piece\n",
                       &errors));
    hb_table *t;
    CHECK_OK(hb_registry_usage_report(s, &fx_gd, "2024-01", "2024-12", NULL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(hb_table_cell(t, 1, 1), "SYN-DRUG-1");
    CHECK_STR_EQ(hb_table_cell(t, 1, 4), "2");
    CHECK_STR_EQ(hb_table_cell(t, 1, 5), "5");
    CHECK_STR_EQ(hb_table_cell(t, 1, 6), "11");
    hb_table_free(t);
    CHECK_OK(hb_registry_usage_report(s, &fx_gd, "2024-02", "2024-02", NULL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 1);
    CHECK_STR_EQ(hb_table_cell(t, 0, 5), "2");
    hb_table_free(t);
    /* A usage item's history holds its figures: the same readers as the listing. */
    const char *item = "gd-hku-szh/SYN-DRUG-1/2024-01";
    CHECK_OK(hb_registry_history(s, &hku, "usage", item, &t));
    CHECK_CONTAINS(hb_table_cell(t, 0, 7), "\"patients\":3");
    hb_table_free(t);
    CHECK_OK(hb_registry_history(s, &fx_hk, "usage", item, &t));
    hb_table_free(t);
    CHECK_FAILS(hb_registry_history(s, &fx_public, "usage", item, &t), HB_EPERM, "usage figures");
    CHECK_FAILS(hb_registry_history(s, &fx_hq_clinic, "usage", item, &t), HB_ENOTFOUND,
                "no usage item");
    hb_store_close(s);
}

/* Who may write what: each authority its own jurisdiction's data, Guangdong the mainland's
 * approvals and permits, institutions only their own usage, the public nothing. */
TEST(registry__write_permissions)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    const char *errors;
    const char *approval = "approval_no,product,institution,approved_on,valid_from,valid_to,"
                           "quantity_max,unit,indications,departments\n"
                           "SYN-AP-5,SYN-DRUG-1,gd-gz-modern,,2024-01-01,2024-12-31,,,,\n";
    CHECK_FAILS(fx_import(s, &fx_hk, "approvals", approval, &errors), HB_EPERM,
                "not yours to write");
    CHECK_CONTAINS(errors, "only the GD authority may record approvals (the caller is hk-dh of "
                           "HK)");
    CHECK_FAILS(fx_import(s, &fx_public, "approvals", approval, &errors), HB_EPERM, NULL);
    CHECK_FAILS(fx_import(s, &fx_gz_clinic, "approvals", approval, &errors), HB_EPERM, NULL);
    CHECK_STR_EQ(fx_scalar(s, "SELECT count(*) FROM hb_registry_approvals"), "2");
    CHECK_OK(fx_import(s, &fx_gd, "approvals", approval, &errors));
    const char *reg = "register,number,practitioner,registered_from,registered_to\n"
                      "HK-MCHK,SYN-M99999,SYN-HK-1,2012-01-01,\n";
    CHECK_FAILS(fx_import(s, &fx_mo, "registrations", reg, &errors), HB_EPERM, NULL);
    CHECK_CONTAINS(errors, "only the HK authority may record registrations");
    CHECK_OK(fx_import(s, &fx_hk, "registrations", reg, &errors));
    const char *usage = "institution,product,month,patients,quantity,unit\n"
                        "gd-hku-szh,SYN-DRUG-1,2024-03,1,1,vial\n";
    CHECK_FAILS(fx_import(s, &fx_hq_clinic, "usage", usage, &errors), HB_EPERM, NULL);
    CHECK_CONTAINS(errors, "an institution reports only its own use (the caller is syn-hq-clinic)");
    CHECK_OK(fx_import(s, &fx_gd, "usage", usage, &errors));
    CHECK_FAILS(fx_import(s, &fx_gd, "categories",
                          "code,name_en,name_zh_hans,name_zh_hant,name_pt\nx,X,X,X,\n", &errors),
                HB_EPERM, NULL);
    CHECK_FAILS(fx_import(s, &fx_mo, "status",
                          "kind,item,effective_from,status,reason\n"
                          "permits,SYN-HQ-1,2025-01-01,revoked,not ours\n",
                          &errors),
                HB_EPERM, NULL);
    CHECK_CONTAINS(errors, "only the GD authority may record the status of this item");
    hb_table *t;
    CHECK_FAILS(hb_registry_usage_report(s, &fx_public, NULL, NULL, NULL, &t), HB_EPERM, NULL);
    CHECK_FAILS(hb_registry_usage_report(s, &fx_hq_clinic, NULL, NULL, "gd-hku-szh", &t), HB_EPERM,
                NULL);
    CHECK_OK(hb_registry_usage_report(s, &fx_hq_clinic, NULL, NULL, NULL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 0); /* its own: none */
    hb_table_free(t);
    hb_registry_list_options all = { 0 };
    CHECK_FAILS(hb_registry_list(s, &fx_public, "usage", &all, &t, NULL), HB_EPERM, NULL);
    hb_store_close(s);
}

/* An import inside the caller's transaction leaves committing to the caller (the HTTP handler
 * adds its audit entry to the same transaction). */
TEST(registry__import_joins_the_callers_transaction)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(fx_import(s, &fx_gd, "products",
                       PRODUCTS_HEADER "SYN-DRUG-2,drug,HK-2,,Second,,,,tablet,1 mg,,,\n", NULL));
    CHECK(hb_store_in_transaction(s));
    CHECK_OK(hb_store_rollback(s));
    CHECK_STR_EQ(fx_scalar(s, "SELECT count(*) FROM hb_registry_products"), "2");
    hb_store_close(s);
}
