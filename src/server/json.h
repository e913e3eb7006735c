/*
 * server/json.h — strict reading of JSON request bodies.
 *
 * Three steps, each with its own error for the client:
 *   1. hb_json_depth_ok(): the body nests at most HB_JSON_DEPTH_MAX levels. Checked on the raw
 *      bytes before parsing, so a hostile "[[[[…" never reaches a recursive parser.
 *   2. hb_json_parse_object(): jansson parses it (UTF-8 checked, duplicate members rejected,
 *      no NUL in strings) and the top level must be an object.
 *   3. hb_json_check_fields(): every member is one of the declared fields with the declared type
 *      and bounds, every required field is present, and nothing else is there — unknown members
 *      are errors, so a misspelt optional field is never silently ignored. Each problem is
 *      reported with its JSON Pointer (RFC 6901), e.g. {"pointer": "/roles/1", "detail": …}.
 */
#ifndef HB_SERVER_JSON_H
#define HB_SERVER_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

typedef enum hb_field_type {
    HB_FIELD_STRING,      /* bounded by min/max length in bytes */
    HB_FIELD_INTEGER,     /* bounded by min/max value */
    HB_FIELD_STRING_LIST, /* array of strings: min/max items, each at most item_max bytes */
    HB_FIELD_BOOLEAN,     /* true or false */
    HB_FIELD_OBJECT_LIST, /* array of min/max objects; the handler checks each one's members with
                             hb_json_check_fields_at (a claim's items) */
} hb_field_type;

typedef struct hb_field {
    const char *name;
    hb_field_type type;
    bool required;
    int64_t min, max; /* string length in bytes, integer value, or number of list items */
    size_t item_max;  /* HB_FIELD_STRING_LIST: the longest item */
} hb_field;

/* Validation errors collected for one body: a JSON array of {"pointer", "detail"} objects. */
typedef struct hb_field_errors {
    json_t *list; /* owned; NULL until the first error */
    size_t count;
} hb_field_errors;

void hb_field_errors_dispose(hb_field_errors *errors);
/* Record an error at pointer (already a JSON Pointer). Beyond HB_HTTP_FIELD_ERRORS_MAX errors
 * are counted but not listed. */
void hb_field_error(hb_field_errors *errors, const char *pointer, const char *fmt, ...)
    HB_PRINTF(3, 4);

/* Record an error in a CSV body (text/csv routes), where a JSON Pointer means nothing: the line
 * on which the record starts, the column (characters, 1-based) where the field starts and the
 * field's name, as {"line", "column", "field", "detail"}. Counted and capped like the above. */
void hb_field_error_csv(hb_field_errors *errors, unsigned long line, unsigned long column,
                        const char *field, const char *fmt, ...) HB_PRINTF(5, 6);

/* Whether text[0..len) nests arrays and objects at most max_depth deep (strings are skipped,
 * escapes included). Malformed text is not judged here: the parser reports it. */
bool hb_json_depth_ok(const char *text, size_t len, int max_depth);

/* Parse text[0..len) as one JSON object. On failure returns NULL and writes a message fit for the
 * client (position and reason) into why[why_size]. */
json_t *hb_json_parse_object(const char *text, size_t len, char *why, size_t why_size);

/* Check obj's members against fields[0..n); add an error per problem. Returns the number of
 * errors added. */
size_t hb_json_check_fields(const json_t *obj, const hb_field *fields, size_t n,
                            hb_field_errors *errors);
/* The same for an object nested at pointer ("/items/3"): errors name "/items/3/quantity". */
size_t hb_json_check_fields_at(const json_t *obj, const hb_field *fields, size_t n,
                               const char *pointer, hb_field_errors *errors);

/* A member name as a JSON Pointer ("/" + name with '~' and '/' escaped), truncated to fit out. */
void hb_json_pointer(char *out, size_t size, const char *name);

#endif
