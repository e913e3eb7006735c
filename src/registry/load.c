/*
 * registry/load.c — loading the rule data shipped in data/registry/ (compiled into the binary),
 * through the same importer as every other registry file, as the operator: so the shipped data
 * is checked like any import and its versions appear in the change log (actor "migration").
 */
#include <stdio.h>

#include "registry/registry_int.h"
#include "util/embedded.h"

extern const hb_embedded_file hb_data_registry[];
extern const size_t hb_data_registry_count;

int hb_registry_load_rules(hb_store *store)
{
    static const char *const order[] = { "categories", "registers",    "schemes",
                                         "standards",  "institutions", "designations" };
    static const hb_registry_caller migration = { HB_REGISTRY_OPERATOR, NULL, NULL, "migration" };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        char file[64], name[96];
        snprintf(file, sizeof file, "%s.csv", order[i]);
        snprintf(name, sizeof name, "data/registry/%s", file);
        const hb_embedded_file *f =
            hb_embedded_find(hb_data_registry, hb_data_registry_count, file);
        if (!f)
            return hb_error_set(HB_ERROR, "%s is missing from this build", name);
        hb_registry_import_options opt = { .source = name, .dry_run = false };
        hb_registry_import_report report;
        int rc = hb_registry_import_memory(store, &migration, order[i], name, f->data, f->size,
                                           &opt, &report);
        if (rc < 0 && report.nlisted > 0) /* the first bad field, not the summary */
            hb_error_set(rc, "%s", report.errors[0].message);
        hb_registry_import_report_dispose(&report);
        if (rc < 0)
            return rc;
    }
    return 0;
}
