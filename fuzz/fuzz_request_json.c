/*
 * fuzz/fuzz_request_json.c — libFuzzer target for request bodies: the depth check, the strict
 * parser and the field checks (with JSON Pointers for arbitrary member names) must answer any
 * bytes with a document or clean errors — never a crash, a leak, or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "server/json.h"
#include "util/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const hb_field fields[] = {
    { "code", HB_FIELD_STRING, true, 2, 64, 0 },
    { "lifetime_days", HB_FIELD_INTEGER, false, 1, 366, 0 },
    { "roles", HB_FIELD_STRING_LIST, false, 1, 7, 32 },
    { "mainland_insured", HB_FIELD_BOOLEAN, false, 0, 0, 0 },
    { "items", HB_FIELD_OBJECT_LIST, false, 1, 500, 0 },
};

/* A claim item's members, checked at their nested pointer like the claims handler does. */
static const hb_field item_fields[] = {
    { "code", HB_FIELD_STRING, true, 1, 64, 0 },
    { "quantity", HB_FIELD_INTEGER, true, 1, 100000, 0 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (!hb_json_depth_ok(text, size, HB_JSON_DEPTH_MAX))
        return 0;
    char why[256];
    json_t *doc = hb_json_parse_object(text, size, why, sizeof why);
    if (!doc)
        return 0;
    hb_field_errors errors = { NULL, 0 };
    if (hb_json_check_fields(doc, fields, sizeof fields / sizeof fields[0], &errors) == 0) {
        const json_t *items = json_object_get(doc, "items");
        for (size_t i = 0; i < json_array_size(items); i++) {
            char ptr[48];
            snprintf(ptr, sizeof ptr, "/items/%zu", i);
            hb_json_check_fields_at(json_array_get(items, i), item_fields,
                                    sizeof item_fields / sizeof item_fields[0], ptr, &errors);
        }
    }
    hb_field_errors_dispose(&errors);
    json_decref(doc);
    return 0;
}
