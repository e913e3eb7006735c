/*
 * tests/registry/fhir_check.h — a structural FHIR R4 validator for the tests, driven by the
 * official element definitions extracted into fhir-r4/definitions.json (see extract.py):
 * every element must be defined for its type, arrays exactly where the cardinality is 0..* ,
 * required elements present, primitives well formed (id, code, date, dateTime, instant, uri,
 * boolean, integers), no empty strings, arrays or objects, and codes of required bindings in
 * their value set. Bundle checks: fullUrl agrees with the resource, ids unique per type, and
 * every relative reference resolves to an entry.
 */
#ifndef HB_TESTS_REGISTRY_FHIR_CHECK_H
#define HB_TESTS_REGISTRY_FHIR_CHECK_H

#include <jansson.h>

#include "util/buf.h"

/* Load the definitions (fails the test when unreadable). Release with json_decref. */
json_t *fx_fhir_definitions(void);

/* Validate a Bundle and every resource in it; returns the number of problems, each appended to
 * problems as one line "path: what". */
size_t fx_fhir_validate_bundle(const json_t *defs, const json_t *bundle, hb_buf *problems);

#endif
