/* tests/registry/fhir_check.c — see fhir_check.h. */
#include "fhir_check.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

json_t *fx_fhir_definitions(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/registry/fhir-r4/definitions.json", hb_test_source_dir());
    json_error_t err;
    json_t *defs = json_load_file(path, 0, &err);
    CHECK_MSG(defs != NULL, "%s:%d: %s", path, err.line, err.text);
    return defs;
}

typedef struct checker {
    const json_t *types, *valuesets;
    hb_buf *out;
    size_t problems;
} checker;

static void problem(checker *c, const char *path, const char *fmt, ...) HB_PRINTF(3, 4);

static void problem(checker *c, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->problems++;
    hb_buf_printf(c->out, "%s: ", path);
    hb_buf_vprintf(c->out, fmt, ap);
    hb_buf_putc(c->out, '\n');
    va_end(ap);
}

static bool matches(const char *pattern, const char *text)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    bool ok = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* Patterns from the R4 datatype definitions (simplified only where the regex dialect needs). */
static const char *pattern_for(const char *type)
{
    static const char *const map[][2] = {
        { "id", "^[A-Za-z0-9.-]{1,64}$" },
        { "code", "^[^[:space:]]+( [^[:space:]]+)*$" },
        { "date", "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$" },
        { "dateTime", "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3])"
                      ":[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5]"
                      "[0-9]|14:00)))?)?)?$" },
        { "instant", "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):"
                     "[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5]"
                     "[0-9]|14:00))$" },
        { "uri", "^[^[:space:]]+$" },
        { "url", "^[^[:space:]]+$" },
        { "canonical", "^[^[:space:]]+$" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], type) == 0)
            return map[i][1];
    return NULL;
}

static void check_primitive(checker *c, const char *type, const json_t *v, const char *binding,
                            const char *path)
{
    if (strcmp(type, "boolean") == 0) {
        if (!json_is_boolean(v))
            problem(c, path, "%s must be true or false", type);
        return;
    }
    if (strcmp(type, "integer") == 0 || strcmp(type, "positiveInt") == 0 ||
        strcmp(type, "unsignedInt") == 0 || strcmp(type, "decimal") == 0) {
        if (!(strcmp(type, "decimal") == 0 ? json_is_number(v) : json_is_integer(v)))
            problem(c, path, "%s must be a JSON number", type);
        return;
    }
    const char *s = json_string_value(v);
    if (!s) {
        problem(c, path, "%s must be a JSON string", type);
        return;
    }
    if (!*s || s[0] == ' ' || s[strlen(s) - 1] == ' ')
        problem(c, path, "'%s': empty or padded string", s);
    const char *pattern = pattern_for(type);
    if (pattern && !matches(pattern, s))
        problem(c, path, "'%s' does not match the type's pattern", s);
    const json_t *codes = binding ? json_object_get(c->valuesets, binding) : NULL;
    bool found = !codes;
    for (size_t i = 0; codes && i < json_array_size(codes); i++)
        found |= strcmp(json_string_value(json_array_get(codes, i)), s) == 0;
    if (!found)
        problem(c, path, "'%s' is not in the required value set", s);
}

static void check_resource(checker *c, const json_t *res, const char *path);
static void check_elements(checker *c, const json_t *elements, const json_t *obj, const char *path,
                           bool resource);

static void check_one(checker *c, const json_t *e, const json_t *v, const char *path)
{
    const char *type = json_string_value(json_object_get(e, "type"));
    const json_t *nested = json_object_get(e, "elements");
    if (nested) {
        check_elements(c, nested, v, path, false);
        return;
    }
    if (strcmp(type, "Resource") == 0) {
        check_resource(c, v, path);
        return;
    }
    const json_t *def = json_object_get(c->types, type);
    if (!def) {
        problem(c, path, "type %s is not in the definitions", type);
        return;
    }
    const char *binding = json_string_value(json_object_get(e, "binding"));
    if (strcmp(json_string_value(json_object_get(def, "kind")), "primitive-type") == 0)
        check_primitive(c, type, v, binding, path);
    else
        check_elements(c, json_object_get(def, "elements"), v, path, false);
}

static const json_t *element_named(const json_t *elements, const char *name)
{
    for (size_t i = 0; i < json_array_size(elements); i++) {
        const json_t *e = json_array_get(elements, i);
        if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0)
            return e;
    }
    return NULL;
}

static void check_member(checker *c, const json_t *e, const json_t *v, const char *path)
{
    bool many = strcmp(json_string_value(json_object_get(e, "max")), "*") == 0;
    if (many != json_is_array(v)) {
        problem(c, path, "%s", many ? "must be an array (0..*)" : "must not be an array (0..1)");
        return;
    }
    if (!many) {
        check_one(c, e, v, path);
        return;
    }
    if (json_array_size(v) == 0)
        problem(c, path, "%s", "empty array");
    for (size_t i = 0; i < json_array_size(v); i++) {
        char item[1024];
        snprintf(item, sizeof item, "%.1000s[%zu]", path, i); /* paths are far shorter */
        check_one(c, e, json_array_get(v, i), item);
    }
}

/* How many members of a choice group (value[x]) obj has. */
static size_t choice_count(const json_t *elements, const char *choice, const json_t *obj)
{
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(elements); i++) {
        const json_t *e = json_array_get(elements, i);
        const char *group = json_string_value(json_object_get(e, "choice"));
        n += group && strcmp(group, choice) == 0 &&
             json_object_get(obj, json_string_value(json_object_get(e, "name")));
    }
    return n;
}

static void check_elements(checker *c, const json_t *elements, const json_t *obj, const char *path,
                           bool resource)
{
    if (!json_is_object(obj) || json_object_size(obj) == 0) {
        problem(c, path, "%s", "must be a non-empty object");
        return;
    }
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        char sub[1024];
        snprintf(sub, sizeof sub, "%s.%s", path, key);
        const json_t *e = element_named(elements, key);
        if (resource && strcmp(key, "resourceType") == 0)
            continue;
        if (!e)
            problem(c, sub, "%s", "no such element in R4");
        else
            check_member(c, e, v, sub);
    }
    for (size_t i = 0; i < json_array_size(elements); i++) {
        const json_t *e = json_array_get(elements, i);
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *choice = json_string_value(json_object_get(e, "choice"));
        size_t present =
            choice ? choice_count(elements, choice, obj) : !!json_object_get(obj, name);
        if (json_integer_value(json_object_get(e, "min")) > 0 && present == 0)
            problem(c, path, "required element '%s' is missing", choice ? choice : name);
        if (choice && present > 1 && json_object_get(obj, name))
            problem(c, path, "more than one %s[x] element", choice);
    }
}

static void check_resource(checker *c, const json_t *res, const char *path)
{
    const char *type = json_string_value(json_object_get(res, "resourceType"));
    const json_t *def = type ? json_object_get(c->types, type) : NULL;
    if (!def || strcmp(json_string_value(json_object_get(def, "kind")), "resource") != 0) {
        problem(c, path, "'%s' is not a resource type in the definitions", type ? type : "");
        return;
    }
    check_elements(c, json_object_get(def, "elements"), res, path, true);
}

/* fullUrl agrees with the resource; ids unique; relative references resolve. */
static void check_links(checker *c, const json_t *entries)
{
    for (size_t i = 0; i < json_array_size(entries); i++) {
        const json_t *r = json_object_get(json_array_get(entries, i), "resource");
        const char *url = json_string_value(json_object_get(json_array_get(entries, i), "fullUrl"));
        char tail[512];
        snprintf(tail, sizeof tail, "/%s/%s", json_string_value(json_object_get(r, "resourceType")),
                 json_string_value(json_object_get(r, "id")));
        if (!url || strlen(url) < strlen(tail) || strcmp(url + strlen(url) - strlen(tail), tail))
            problem(c, "Bundle.entry.fullUrl", "'%s' disagrees with the resource", url ? url : "");
        for (size_t k = 0; k < i; k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(entries, k), "fullUrl")),
                       url ? url : "") == 0)
                problem(c, "Bundle.entry.fullUrl", "'%s' appears twice", url);
    }
}

static bool resolves(const json_t *entries, const char *reference)
{
    for (size_t i = 0; i < json_array_size(entries); i++) {
        const char *url = json_string_value(json_object_get(json_array_get(entries, i), "fullUrl"));
        size_t n = strlen(reference), m = strlen(url);
        if (m > n && url[m - n - 1] == '/' && strcmp(url + m - n, reference) == 0)
            return true;
    }
    return false;
}

static void check_references(checker *c, const json_t *entries)
{
    static const char *const fields[] = { "practitioner", "organization" };
    for (size_t i = 0; i < json_array_size(entries); i++) {
        const json_t *r = json_object_get(json_array_get(entries, i), "resource");
        for (size_t f = 0; f < 2; f++) {
            const char *ref =
                json_string_value(json_object_get(json_object_get(r, fields[f]), "reference"));
            if (ref && !resolves(entries, ref))
                problem(c, fields[f], "reference '%s' resolves to no entry", ref);
        }
    }
}

size_t fx_fhir_validate_bundle(const json_t *defs, const json_t *bundle, hb_buf *problems)
{
    checker c = { json_object_get(defs, "types"), json_object_get(defs, "valueSets"), problems, 0 };
    check_resource(&c, bundle, "Bundle");
    const json_t *entries = json_object_get(bundle, "entry");
    check_links(&c, entries);
    check_references(&c, entries);
    return c.problems;
}
