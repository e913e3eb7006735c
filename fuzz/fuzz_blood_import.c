/*
 * fuzz/fuzz_blood_import.c — libFuzzer target for the registry importers: any bytes, as a donors
 * file and as a units file, are checked (dry run) against a migrated in-memory database and give
 * a report or one clean error — never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "blood/registry.h"
#include "core/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hb_store *store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store) {
        size_t count, applied;
        const hb_migration *list = hb_schema_migrations(&count);
        if (hb_store_open(&store, ":memory:", HB_STORE_CREATE) < 0 ||
            hb_migrate(store, list, count, &applied, NULL, NULL) < 0)
            abort();
    }
    static const hb_blood_actor centre = { "gd-gzbc", "GD" };
    hb_blood_import_report report;
    for (int kind = 0; kind < 2; kind++) {
        (void)hb_blood_import_memory(store, &centre, (hb_blood_kind)kind, "fuzz.csv",
                                     (const char *)data, size, true, &report);
        hb_blood_import_report_dispose(&report);
    }
    return 0;
}
