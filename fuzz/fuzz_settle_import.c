/*
 * fuzz/fuzz_settle_import.c — libFuzzer target for the settlement imports: claims files, rates
 * files and every kind of settlement reference file, checked against a migrated in-memory
 * database in dry-run mode (the parsers and checks run; nothing is written). The first byte
 * picks the kind.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/schema.h"
#include "settle/claims.h"
#include "settle/rates.h"
#include "settle/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hb_store *database(void)
{
    static hb_store *store;
    if (!store) {
        size_t count, applied;
        const hb_migration *list = hb_schema_migrations(&count);
        if (hb_store_open(&store, ":memory:", HB_STORE_CREATE) < 0 ||
            hb_migrate(store, list, count, &applied, NULL, NULL) < 0)
            abort();
    }
    return store;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kinds[] = { "payers",         "providers",  "payer-terms",
                                         "payer-items",    "ehcv-rules", "ehcv-grants",
                                         "service-points", "members" };
    if (size < 1)
        return 0;
    hb_store *store = database();
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    unsigned pick = data[0] % 10;
    if (pick == 8) {
        hb_settle_caller caller;
        hb_settle_caller_init(&caller);
        hb_claims_import_report r;
        hb_claims_import(&r, store, &caller, "fuzz.csv", text, len, true);
        if (r.nerrors == 0 && r.errors)
            __builtin_trap(); /* messages without a count */
        hb_claims_import_report_dispose(&r);
        return 0;
    }
    hb_settle_load_report r;
    if (hb_store_begin(store) < 0)
        abort();
    if (pick == 9)
        hb_rates_import(store, "fuzz.csv", text, len, true, &r);
    else
        hb_settle_reference_load(store, kinds[pick], "fuzz.csv", text, len, true, &r);
    if (r.inserted || r.updated)
        __builtin_trap(); /* a dry run wrote something */
    hb_settle__load_report_dispose(&r);
    hb_store_rollback(store);
    return 0;
}
