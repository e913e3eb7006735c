/*
 * core/schema.c — the migration list (see schema.h).
 */
#include "core/schema.h"

#include "blood/reference.h"
#include "core/audit.h"
#include "core/refdata.h"
#include "registry/registry.h"
#include "settle/ledger.h"
#include "settle/rules.h"
#include "vaccine/vaccine.h"

/* Generated from src/store/migrations/ by tools/embed.c. */
extern const unsigned char hb_sql_0001_reference[];
extern const unsigned char hb_sql_0003_warn_counts[];
extern const unsigned char hb_sql_0004_warn_alerts[];
extern const unsigned char hb_sql_0005_core_accounts[];
extern const unsigned char hb_sql_0007_registry[];
extern const unsigned char hb_sql_0009_blood_reference[];
extern const unsigned char hb_sql_0011_blood_registry[];
extern const unsigned char hb_sql_0012_settle_rules[];
extern const unsigned char hb_sql_0013_settle_ledger[];
extern const unsigned char hb_sql_0014_settle_claims[];
extern const unsigned char hb_sql_0017_vaccine_records[];
extern const unsigned char hb_sql_0019_warn_daily[];
extern const unsigned char hb_sql_0020_core_signing_keys[];
extern const unsigned char hb_sql_0021_warn_notifications[];
extern const unsigned char hb_sql_0022_settle_orgs[];
extern const unsigned char hb_sql_0023_vaccine_recorders[];

static const hb_migration migrations[] = {
    { 1, "core", "reference data tables", (const char *)hb_sql_0001_reference, NULL, NULL },
    { 2, "core", "load reference data (data/*.csv)", NULL, hb_refdata_load, "refdata-1" },
    { 3, "warn", "surveillance counts and their revisions", (const char *)hb_sql_0003_warn_counts,
      NULL, NULL },
    { 4, "warn", "alerts and their history", (const char *)hb_sql_0004_warn_alerts, NULL, NULL },
    { 5, "core", "organisations, tokens, audit log, idempotency records",
      (const char *)hb_sql_0005_core_accounts, NULL, NULL },
    { 6, "core", "make the audit log append-only (triggers)", NULL, hb_audit__install_guards,
      "audit-guards-1" },
    { 7, "registry", "registries: medicines and devices, practitioners, accreditation",
      (const char *)hb_sql_0007_registry, NULL, NULL },
    { 8, "registry", "load registry rule data (data/registry/*.csv)", NULL, hb_registry_load_rules,
      "registry-rules-1" },
    { 9, "blood", "rare-blood reference tables", (const char *)hb_sql_0009_blood_reference, NULL,
      NULL },
    { 10, "blood", "load rare-blood reference data (data/blood/)", NULL, hb_blood_reference_load,
      "blood-reference-1" },
    { 11, "blood", "rare-donor registry, units and requests",
      (const char *)hb_sql_0011_blood_registry, NULL, NULL },
    { 12, "settle", "payers, providers, dated rules, members, exchange rates",
      (const char *)hb_sql_0012_settle_rules, NULL, NULL },
    { 13, "settle", "double-entry ledger", (const char *)hb_sql_0013_settle_ledger, NULL, NULL },
    { 14, "settle", "claims, voucher credits, settlement runs, idempotent requests",
      (const char *)hb_sql_0014_settle_claims, NULL, NULL },
    { 15, "settle", "history tables are append-only (triggers)", NULL, hb_settle_ledger_protect,
      "settle-protect-1" },
    { 16, "settle", "load settlement reference data (data/settle/*.csv)", NULL,
      hb_settle_reference_load_embedded, "settle-reference-1" },
    { 17, "vaccine", "vaccination records, rules, trust list",
      (const char *)hb_sql_0017_vaccine_records, NULL, NULL },
    { 18, "vaccine", "load vaccine products and recognition rules (data/vaccine/*.csv)", NULL,
      hb_vaccine_load_reference, "vaccine-reference-1" },
    { 19, "warn", "daily runs, signals, Rt and forecasts", (const char *)hb_sql_0019_warn_daily,
      NULL, NULL },
    { 20, "core", "jurisdictions' public signing keys", (const char *)hb_sql_0020_core_signing_keys,
      NULL, NULL },
    { 21, "warn", "cross-border notifications", (const char *)hb_sql_0021_warn_notifications, NULL,
      NULL },
    { 22, "settle", "organisations acting for payers and providers; module idempotency records go",
      (const char *)hb_sql_0022_settle_orgs, NULL, NULL },
    { 23, "vaccine", "the organisation that recorded each dose",
      (const char *)hb_sql_0023_vaccine_recorders, NULL, NULL },
};

const hb_migration *hb_schema_migrations(size_t *count)
{
    *count = sizeof migrations / sizeof migrations[0];
    return migrations;
}

int hb_schema_open(hb_store **out, const char *url)
{
    size_t count;
    const hb_migration *list = hb_schema_migrations(&count);
    int rc = hb_store_open(out, url, 0);
    if (rc < 0)
        return rc;
    rc = hb_migrate_require_current(*out, list, count);
    if (rc < 0) {
        hb_store_close(*out);
        *out = NULL;
    }
    return rc;
}

int hb_schema_version(hb_store *store, int64_t *out)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, "SELECT max(version) FROM hb_schema_migrations");
    if (rc < 0)
        return rc;
    rc = hb_stmt_step(st);
    *out = rc == HB_STORE_ROW ? hb_stmt_int64(st, 0) : 0;
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}
