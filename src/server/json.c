/*
 * server/json.c — depth check, parsing and field checks for request bodies (see json.h).
 */
#include "server/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/limits.h"
#include "util/utf8.h"

/* The longest JSON Pointer built for a field: deeper or longer names are truncated. */
#define POINTER_MAX 512

void hb_field_errors_dispose(hb_field_errors *errors)
{
    json_decref(errors->list);
    errors->list = NULL;
    errors->count = 0;
}

/* Count an error; whether it is still to be listed. */
static bool counted(hb_field_errors *errors)
{
    return ++errors->count <= HB_HTTP_FIELD_ERRORS_MAX;
}

static void append(hb_field_errors *errors, json_t *item)
{
    if (!errors->list)
        errors->list = json_array();
    /* jansson aborts nothing on OOM: a failed allocation drops this one error, and the count
     * still makes the response a validation failure. */
    if (errors->list && item)
        json_array_append_new(errors->list, item);
    else
        json_decref(item);
}

void hb_field_error(hb_field_errors *errors, const char *pointer, const char *fmt, ...)
{
    if (!counted(errors))
        return;
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    append(errors, json_pack("{s:s, s:s}", "pointer", pointer, "detail", detail));
}

void hb_field_error_csv(hb_field_errors *errors, unsigned long line, unsigned long column,
                        const char *field, const char *fmt, ...)
{
    if (!counted(errors))
        return;
    char detail[HB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    append(errors, json_pack("{s:I, s:I, s:s, s:s}", "line", (json_int_t)line, "column",
                             (json_int_t)column, "field", field, "detail", detail));
}

bool hb_json_depth_ok(const char *text, size_t len, int max_depth)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++; /* the escaped character cannot end the string */
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return false;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return true;
}

json_t *hb_json_parse_object(const char *text, size_t len, char *why, size_t why_size)
{
    if (hb_utf8_invalid_at(text, len) != SIZE_MAX) {
        snprintf(why, why_size, "the body is not valid UTF-8 (byte %zu)",
                 hb_utf8_invalid_at(text, len));
        return NULL;
    }
    json_error_t err;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!doc) {
        snprintf(why, why_size, "not valid JSON at line %d, column %d: %s", err.line, err.column,
                 err.text);
        return NULL;
    }
    if (!json_is_object(doc)) {
        snprintf(why, why_size, "the body must be a JSON object");
        json_decref(doc);
        return NULL;
    }
    return doc;
}

void hb_json_pointer(char *out, size_t size, const char *name)
{
    size_t o = 0;
    if (size < 2) {
        if (size)
            out[0] = '\0';
        return;
    }
    out[o++] = '/';
    for (const char *p = name; *p; p++) {
        bool escape = *p == '~' || *p == '/';
        if (o + (escape ? 2 : 1) + 1 > size)
            break;
        if (escape) {
            out[o++] = '~';
            out[o++] = *p == '~' ? '0' : '1';
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    /* Truncation may cut a UTF-8 sequence: drop the partial character. */
    while (o > 1 && hb_utf8_invalid_at(out, o) != SIZE_MAX)
        out[--o] = '\0';
}

static void check_string(const json_t *v, const hb_field *f, const char *ptr, hb_field_errors *e)
{
    if (!json_is_string(v)) {
        hb_field_error(e, ptr, "must be a string");
        return;
    }
    size_t len = json_string_length(v);
    if ((int64_t)len < f->min || (int64_t)len > f->max)
        hb_field_error(e, ptr, "must be %lld to %lld bytes long", (long long)f->min,
                       (long long)f->max);
    else if (memchr(json_string_value(v), '\0', len))
        hb_field_error(e, ptr, "must not contain NUL characters");
}

static void check_integer(const json_t *v, const hb_field *f, const char *ptr, hb_field_errors *e)
{
    if (!json_is_integer(v)) {
        hb_field_error(e, ptr, "must be an integer");
        return;
    }
    json_int_t n = json_integer_value(v);
    if (n < f->min || n > f->max)
        hb_field_error(e, ptr, "must be between %lld and %lld", (long long)f->min,
                       (long long)f->max);
}

static void check_list(const json_t *v, const hb_field *f, const char *ptr, hb_field_errors *e)
{
    if (!json_is_array(v)) {
        hb_field_error(e, ptr, "must be an array of strings");
        return;
    }
    size_t n = json_array_size(v);
    if ((int64_t)n < f->min || (int64_t)n > f->max) {
        hb_field_error(e, ptr, "must have %lld to %lld items", (long long)f->min,
                       (long long)f->max);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char item_ptr[POINTER_MAX + 24]; /* the list's pointer, "/" and an index */
        snprintf(item_ptr, sizeof item_ptr, "%s/%zu", ptr, i);
        const json_t *item = json_array_get(v, i);
        if (!json_is_string(item))
            hb_field_error(e, item_ptr, "must be a string");
        else if (json_string_length(item) > f->item_max || json_string_length(item) == 0)
            hb_field_error(e, item_ptr, "must be 1 to %zu bytes long", f->item_max);
    }
}

static void check_objects(const json_t *v, const hb_field *f, const char *ptr, hb_field_errors *e)
{
    size_t n = json_array_size(v);
    if (!json_is_array(v)) {
        hb_field_error(e, ptr, "must be an array of objects");
    } else if ((int64_t)n < f->min || (int64_t)n > f->max) {
        hb_field_error(e, ptr, "must have %lld to %lld items", (long long)f->min,
                       (long long)f->max);
    } else {
        for (size_t i = 0; i < n; i++)
            if (!json_is_object(json_array_get(v, i))) {
                char item_ptr[POINTER_MAX + 24];
                snprintf(item_ptr, sizeof item_ptr, "%s/%zu", ptr, i);
                hb_field_error(e, item_ptr, "must be an object");
            }
    }
}

static void check_value(const json_t *v, const hb_field *f, const char *ptr, hb_field_errors *e)
{
    switch (f->type) {
    case HB_FIELD_STRING:
        check_string(v, f, ptr, e);
        break;
    case HB_FIELD_INTEGER:
        check_integer(v, f, ptr, e);
        break;
    case HB_FIELD_STRING_LIST:
        check_list(v, f, ptr, e);
        break;
    case HB_FIELD_BOOLEAN:
        if (!json_is_boolean(v))
            hb_field_error(e, ptr, "must be true or false");
        break;
    case HB_FIELD_OBJECT_LIST:
        check_objects(v, f, ptr, e);
        break;
    }
}

size_t hb_json_check_fields_at(const json_t *obj, const hb_field *fields, size_t n,
                               const char *pointer, hb_field_errors *errors)
{
    char ptr[POINTER_MAX];
    size_t before = errors->count, plen = strnlen(pointer, sizeof ptr - 1);
    const char *name;
    size_t name_len;
    json_t *value;
    snprintf(ptr, sizeof ptr, "%s", pointer);
    json_object_keylen_foreach((json_t *)obj, name, name_len, value)
    {
        size_t i;
        for (i = 0; i < n && strcmp(fields[i].name, name) != 0; i++)
            ;
        hb_json_pointer(ptr + plen, sizeof ptr - plen, name);
        if (i == n || strlen(name) != name_len) /* a NUL inside the name is not our field */
            hb_field_error(errors, ptr, "unknown field");
        else
            check_value(value, &fields[i], ptr, errors);
    }
    for (size_t i = 0; i < n; i++)
        if (fields[i].required && !json_object_get(obj, fields[i].name)) {
            hb_json_pointer(ptr + plen, sizeof ptr - plen, fields[i].name);
            hb_field_error(errors, ptr, "is required");
        }
    return errors->count - before;
}

size_t hb_json_check_fields(const json_t *obj, const hb_field *fields, size_t n,
                            hb_field_errors *errors)
{
    return hb_json_check_fields_at(obj, fields, n, "", errors);
}
