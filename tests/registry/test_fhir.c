/*
 * Tests for registry/fhir.c: the export is validated against the FHIR R4 element definitions
 * (fhir-r4/definitions.json, extracted from the official StructureDefinitions), and the
 * validator itself is shown to catch broken resources, so a pass means something.
 */
#include <stdlib.h>
#include <string.h>

#include "fhir_check.h"
#include "fixture.h"
#include "harness.h"
#include "registry/fhir.h"
#include "util/alloc.h"

static json_t *export_bundle(hb_store *s, const hb_registry_caller *caller, unsigned resources)
{
    hb_registry_fhir_options opt = { .base = "https://fhir.example.invalid/r4",
                                     .resources = resources };
    CHECK_OK(hb_date_parse(&opt.on, "2024-06-01", 10));
    char *text = NULL;
    CHECK_OK(hb_registry_fhir_export(s, caller, &opt, &text));
    json_error_t err;
    json_t *bundle = json_loads(text, 0, &err);
    CHECK_MSG(bundle != NULL, "the export is not JSON: %s", err.text);
    hb_free(text);
    return bundle;
}

static void check_valid(const json_t *defs, const json_t *bundle)
{
    hb_buf problems;
    hb_buf_init(&problems, 0);
    size_t n = fx_fhir_validate_bundle(defs, bundle, &problems);
    CHECK_MSG(n == 0, "%zu FHIR problems:\n%s", n, hb_buf_cstr(&problems));
    hb_buf_dispose(&problems);
}

static const json_t *find(const json_t *bundle, const char *type, const char *id)
{
    const json_t *entries = json_object_get(bundle, "entry");
    for (size_t i = 0; i < json_array_size(entries); i++) {
        const json_t *r = json_object_get(json_array_get(entries, i), "resource");
        if (strcmp(json_string_value(json_object_get(r, "resourceType")), type) == 0 &&
            strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
            return r;
    }
    hb_test_fail(__FILE__, __LINE__, "no %s/%s in the bundle", type, id);
}

TEST(registry__fhir_export_is_valid_r4)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    json_t *defs = fx_fhir_definitions();
    json_t *bundle = export_bundle(s, &hb_registry_operator, HB_FHIR_ALL);
    check_valid(defs, bundle);
    CHECK_STR_EQ(json_string_value(json_object_get(bundle, "type")), "collection");
    /* 8 shipped + 4 synthetic institutions, 3 practitioners, 3 roles, 1 drug, 1 device. */
    CHECK_INT_EQ(json_array_size(json_object_get(bundle, "entry")), 20);
    const json_t *p = find(bundle, "Practitioner", "SYN-MO-1");
    CHECK_STR_EQ(json_string_value(json_object_get(p, "gender")), "female");
    CHECK_STR_EQ(json_string_value(json_object_get(p, "birthDate")), "1980-02-03");
    CHECK(json_is_true(json_object_get(p, "active")));
    const json_t *quals = json_object_get(p, "qualification");
    CHECK_INT_EQ(json_array_size(quals), 2); /* the Macao registration and the Hengqin permit */
    const json_t *hk = find(bundle, "Practitioner", "SYN-HK-1");
    CHECK_INT_EQ(json_array_size(json_object_get(hk, "qualification")), 3); /* + the title */
    const json_t *org = find(bundle, "Organization", "gd-hku-szh");
    char *extension = json_dumps(json_object_get(org, "extension"), 0);
    CHECK_CONTAINS(extension, "SYN-JCI-1");
    free(extension);
    const json_t *med = find(bundle, "Medication", "SYN-DRUG-1");
    CHECK_STR_EQ(json_string_value(json_object_get(med, "status")), "active");
    const json_t *dev = find(bundle, "Device", "SYN-DEV-1");
    CHECK_STR_EQ(json_string_value(json_object_get(dev, "status")), "active");
    json_decref(bundle);
    /* The public gets no restricted data, and a suspended practitioner is not active. */
    bundle = export_bundle(s, &fx_public, HB_FHIR_PRACTITIONER);
    check_valid(defs, bundle);
    p = find(bundle, "Practitioner", "SYN-MO-1");
    CHECK(json_object_get(p, "gender") == NULL);
    CHECK(json_object_get(p, "birthDate") == NULL);
    CHECK(json_object_get(p, "telecom") == NULL);
    json_decref(bundle);
    json_decref(defs);
    hb_store_close(s);
}

/* The validator is not a rubber stamp: each kind of defect it claims to find, it finds. */
TEST(registry__fhir_validator_catches_defects)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    json_t *defs = fx_fhir_definitions();
    static const struct {
        const char *member, *json, *expect;
    } defects[] = {
        { "gender", "\"f\"", "not in the required value set" },
        { "colour", "\"red\"", "no such element in R4" },
        { "identifier", "{\"value\":\"x\"}", "must be an array" },
        { "active", "\"yes\"", "must be true or false" },
        { "birthDate", "\"1980-13-01\"", "does not match" },
        { "name", "[]", "empty array" },
        { "qualification", "[{\"period\":{\"start\":\"2020-01-01\"}}]",
          "required element 'code' is missing" },
    };
    for (size_t i = 0; i < sizeof defects / sizeof defects[0]; i++) {
        json_t *bundle = export_bundle(s, &hb_registry_operator, HB_FHIR_PRACTITIONER);
        json_t *p = (json_t *)find(bundle, "Practitioner", "SYN-MO-1");
        json_object_set_new(p, defects[i].member,
                            json_loads(defects[i].json, JSON_DECODE_ANY, NULL));
        hb_buf problems;
        hb_buf_init(&problems, 0);
        size_t n = fx_fhir_validate_bundle(defs, bundle, &problems);
        CHECK_MSG(n >= 1, "defect %zu (%s) went unnoticed", i, defects[i].member);
        CHECK_CONTAINS(hb_buf_cstr(&problems), defects[i].expect);
        hb_buf_dispose(&problems);
        json_decref(bundle);
    }
    json_t *bundle = export_bundle(s, &hb_registry_operator, HB_FHIR_PRACTITIONER_ROLE);
    hb_buf problems;
    hb_buf_init(&problems, 0);
    CHECK(fx_fhir_validate_bundle(defs, bundle, &problems) >= 1); /* dangling references */
    CHECK_CONTAINS(hb_buf_cstr(&problems), "resolves to no entry");
    json_object_del(bundle, "type");
    CHECK_CONTAINS(hb_buf_cstr(&problems), "resolves to no entry");
    hb_buf_reset(&problems);
    fx_fhir_validate_bundle(defs, bundle, &problems);
    CHECK_CONTAINS(hb_buf_cstr(&problems), "required element 'type' is missing");
    hb_buf_dispose(&problems);
    json_decref(bundle);
    json_decref(defs);
    hb_store_close(s);
}

TEST(registry__fhir_parse_resources)
{
    unsigned bits;
    CHECK_OK(hb_registry_fhir_parse_resources(&bits, "Organization,Device"));
    CHECK_INT_EQ(bits, HB_FHIR_ORGANIZATION | HB_FHIR_DEVICE);
    CHECK_FAILS(hb_registry_fhir_parse_resources(&bits, "Organization,Patient"), HB_EINVAL,
                "'Patient' is not one of");
}
