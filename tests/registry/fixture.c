/* tests/registry/fixture.c — see fixture.h. */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

#include "core/schema.h"
#include "harness.h"

const hb_registry_caller fx_gd = { HB_REGISTRY_AUTHORITY, "gd-hc", "GD", "test" };
const hb_registry_caller fx_mo = { HB_REGISTRY_AUTHORITY, "mo-ssm", "MO", "test" };
const hb_registry_caller fx_hk = { HB_REGISTRY_AUTHORITY, "hk-dh", "HK", "test" };
const hb_registry_caller fx_hq_clinic = { HB_REGISTRY_INSTITUTION, "syn-hq-clinic", "GD", "test" };
const hb_registry_caller fx_gz_clinic = { HB_REGISTRY_INSTITUTION, "syn-gz-clinic", "GD", "test" };
const hb_registry_caller fx_public = { HB_REGISTRY_PUBLIC, NULL, NULL, "test" };

hb_store *fx_migrated(void)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    return s;
}

static char last_errors[16384];

int fx_import(hb_store *s, const hb_registry_caller *caller, const char *kind, const char *text,
              const char **errors)
{
    hb_registry_import_options opt = { .source = "test.csv" };
    hb_registry_import_report r;
    char name[64];
    snprintf(name, sizeof name, "%s.csv", kind);
    int rc = hb_registry_import_memory(s, caller, kind, name, text, strlen(text), &opt, &r);
    size_t used = 0;
    last_errors[0] = '\0';
    for (size_t i = 0; i < r.nlisted && used < sizeof last_errors; i++) {
        int n =
            snprintf(last_errors + used, sizeof last_errors - used, "%s\n", r.errors[i].message);
        used += n > 0 ? (size_t)n : 0;
    }
    hb_registry_import_report_dispose(&r);
    if (errors)
        *errors = last_errors;
    return rc;
}

void fx_load(hb_store *s, const char *kind, const char *text)
{
    const char *errors;
    int rc = fx_import(s, &hb_registry_operator, kind, text, &errors);
    CHECK_MSG(rc == 0, "loading %s failed (%d): %s\n%s", kind, rc, hb_error_last(), errors);
}

void fx_load_all(hb_store *s)
{
    fx_load(s, "institutions",
            "code,jurisdiction,region,zone,kind,name_en,name_zh_hans,name_zh_hant,name_pt,source\n"
            "syn-hq-clinic,GD,440400,hengqin,clinic,Synthetic Hengqin Clinic,合成横琴诊所,"
            "合成橫琴診所,,synthetic\n"
            "syn-gz-clinic,GD,440100,,clinic,Synthetic Guangzhou Clinic,,,,synthetic\n"
            "syn-mo-hospital,MO,MO-SE,,hospital,Synthetic Macao Hospital,,合成澳門醫院,"
            "Hospital Sintético,synthetic\n"
            "syn-hk-clinic,HK,HK-A,,clinic,Synthetic HK Clinic,,,,synthetic\n");
    fx_load(s, "products",
            "code,kind,hk_reg_no,mo_reg_no,name_en,name_zh_hans,name_zh_hant,inn,form,strength,"
            "device_class,holder,home_use_evidence\n"
            "SYN-DRUG-1,drug,HK-99001,,Synthetic Drug,合成药,合成藥,examplimab,injection,"
            "100 mg/mL,,Synthetic Pharma,\n"
            "SYN-DEV-1,device,,,Synthetic Rod,,,,,,III,Synthetic Devices,used by HA (synthetic)\n");
    fx_load(s, "approvals",
            "approval_no,product,institution,approved_on,valid_from,valid_to,quantity_max,unit,"
            "indications,departments\n"
            "SYN-AP-1,SYN-DRUG-1,gd-hku-szh,2023-12-20,2024-01-01,2025-12-31,500,vial,"
            "synthetic indication,oncology;haematology\n"
            "SYN-AP-2,SYN-DEV-1,gd-hku-szh,,2024-03-01,2024-12-31,,,,\n");
    fx_load(s, "practitioners",
            "id,home_jurisdiction,category,name_en,name_zh_hant,name_zh_hans,specialty,sex,"
            "date_of_birth,phone,email\n"
            "SYN-MO-1,MO,doctor,Synthetic Doctor One,合成醫生一,,gynaecology,female,1980-02-03,"
            "+853 0000 0001,syn1@example.invalid\n"
            "SYN-HK-1,HK,doctor,Synthetic Doctor Two,合成醫生二,,surgery,male,1970-05-06,,\n"
            "SYN-MO-2,MO,nurse,Synthetic Nurse,,,,,,,\n");
    fx_load(s, "registrations",
            "register,number,practitioner,registered_from,registered_to\n"
            "MO-PS,SYN-M-0001,SYN-MO-1,2019-01-01,\n"
            "HK-MCHK,SYN-M12345,SYN-HK-1,2010-01-01,\n"
            "MO-PS,SYN-E-0002,SYN-MO-2,2022-06-01,\n");
    fx_load(s, "permits",
            "permit_no,practitioner,scheme,category,issuer,issued_on,valid_from,valid_to,scope\n"
            "SYN-HQ-1,SYN-MO-1,hengqin,doctor,合作区民生事务局,2023-08-11,2023-08-11,2026-08-10,"
            "matching the Macao qualification\n"
            "SYN-ST-1,SYN-HK-1,short_term,doctor,广东省卫生健康委员会,,2024-01-01,2026-12-31,\n");
    fx_load(s, "employments",
            "practitioner,institution,valid_from,valid_to,permit,role\n"
            "SYN-MO-1,syn-hq-clinic,2023-08-11,2026-08-10,SYN-HQ-1,additional\n"
            "SYN-MO-1,syn-mo-hospital,2019-01-01,,,primary\n"
            "SYN-HK-1,gd-hku-szh,2024-01-01,2026-12-31,SYN-ST-1,primary\n");
    fx_load(s, "titles",
            "practitioner,title,granted_on,level,granted_by,basis\n"
            "SYN-HK-1,主任医师,2021-08-05,senior_full,Shenzhen (synthetic),synthetic\n");
    fx_load(s, "disciplinary",
            "jurisdiction,case_ref,practitioner,authority,action,effective_from,effective_to,"
            "summary\n"
            "HK,SYN-CASE-1,SYN-HK-1,Medical Council of Hong Kong,suspension,2025-03-01,2025-05-31,"
            "synthetic summary\n");
    fx_load(s, "accreditations",
            "standard,reference,institution,level,scope,valid_from,valid_to\n"
            "jci,SYN-JCI-1,gd-hku-szh,,hospital,2023-01-01,2025-12-31\n");
}

const char *fx_scalar(hb_store *s, const char *sql)
{
    static char value[1024];
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, sql));
    int rc = hb_stmt_step(st);
    CHECK_OK(rc);
    snprintf(value, sizeof value, "%s", rc == HB_STORE_ROW ? hb_stmt_text(st, 0, NULL) : "");
    hb_stmt_finalize(st);
    return value;
}
