/*
 * fuzz/fuzz_registry_import.c — libFuzzer target for the registry importer (CSV → typed,
 * rule-checked rows). The first byte picks the import kind; the rest is the file. The database
 * is an in-memory SQLite with every migration applied (so references and scheme rules are
 * checked for real), and imports are dry runs, so every input meets the same database.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/schema.h"
#include "registry/registry.h"

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
    if (size < 1)
        return 0;
    const char *kind = hb_registry_kind_name(data[0] % hb_registry_kind_count());
    hb_registry_import_options opt = { .source = "fuzz", .dry_run = true };
    hb_registry_import_report r;
    int rc = hb_registry_import_memory(database(), &hb_registry_operator, kind, "fuzz.csv",
                                       (const char *)data + 1, size - 1, &opt, &r);
    if (rc == 0 && (r.nerrors != 0 || r.nlisted != 0))
        __builtin_trap(); /* accepted, yet problems were reported */
    if (rc == 0 && r.created + r.updated + r.unchanged != 0)
        __builtin_trap(); /* a dry run wrote or compared rows */
    if (r.nlisted > r.nerrors || r.nlisted > HB_REPORT_ERRORS_MAX)
        __builtin_trap(); /* listed problems that were not counted */
    hb_registry_import_report_dispose(&r);
    return 0;
}
