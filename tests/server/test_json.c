/* Tests for server/json.c and server/auth.c: request bodies and bearer credentials. */
#include <string.h>

#include "harness.h"
#include "server/http.h"
#include "server/json.h"

TEST(http__json_depth_is_checked_before_parsing)
{
    const char *four = "{\"a\": [1, {\"b\": []}]}";
    CHECK(hb_json_depth_ok(four, strlen(four), 4));
    CHECK(!hb_json_depth_ok(four, strlen(four), 3));
    /* Brackets inside strings, escaped quotes included, do not count. */
    const char *s = "{\"a\": \"[[[[\\\"[[[[\"}";
    CHECK(hb_json_depth_ok(s, strlen(s), 1));
    char deep[100001];
    memset(deep, '[', sizeof deep - 1);
    deep[sizeof deep - 1] = '\0';
    CHECK(!hb_json_depth_ok(deep, strlen(deep), HB_JSON_DEPTH_MAX));
}

TEST(http__json_bodies_are_objects)
{
    char why[256];
    /* Empty, not an object, truncated, a duplicate member, invalid UTF-8, a NUL in a name (it
     * could pass for the name before the NUL). */
    const char *bad[] = { "",
                          "[]",
                          "1",
                          "{\"a\":",
                          "{\"a\": 1, \"a\": 2}",
                          "{\"a\": \"\xff\"}",
                          "{\"code\\u0000x\": 1}" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *doc = hb_json_parse_object(bad[i], strlen(bad[i]), why, sizeof why);
        CHECK_MSG(doc == NULL, "'%s' accepted", bad[i]);
        CHECK(why[0] != '\0');
    }
    json_t *doc = hb_json_parse_object("{\"a\": 1}", 8, why, sizeof why);
    CHECK(doc != NULL);
    json_decref(doc);
    CHECK(hb_json_parse_object("{\"a\": 1", 7, why, sizeof why) == NULL);
    CHECK_CONTAINS(why, "line 1");
}

static const hb_field fields[] = {
    { "code", HB_FIELD_STRING, true, 2, 8, 0 },
    { "count", HB_FIELD_INTEGER, false, 0, 10, 0 },
    { "tags", HB_FIELD_STRING_LIST, false, 1, 2, 4 },
};

static size_t check(const char *text, hb_field_errors *errors)
{
    char why[256];
    json_t *doc = hb_json_parse_object(text, strlen(text), why, sizeof why);
    CHECK_MSG(doc != NULL, "%s", why);
    size_t n = hb_json_check_fields(doc, fields, 3, errors);
    json_decref(doc);
    return n;
}

static const char *pointer(const hb_field_errors *e, size_t i)
{
    return json_string_value(json_object_get(json_array_get(e->list, i), "pointer"));
}

TEST(http__fields_are_checked_strictly)
{
    hb_field_errors e = { NULL, 0 };
    CHECK_INT_EQ(check("{\"code\": \"ab\", \"count\": 3, \"tags\": [\"x\"]}", &e), 0);
    CHECK_INT_EQ(check("{\"count\": 3}", &e), 1);
    CHECK_STR_EQ(pointer(&e, 0), "/code");
    hb_field_errors_dispose(&e);
    CHECK_INT_EQ(check("{\"code\": 12, \"count\": \"3\", \"extra\": true}", &e), 3);
    CHECK_STR_EQ(pointer(&e, 0), "/code");
    CHECK_STR_EQ(pointer(&e, 1), "/count");
    CHECK_STR_EQ(pointer(&e, 2), "/extra");
    hb_field_errors_dispose(&e);
    CHECK_INT_EQ(check("{\"code\": \"toolongcode\", \"count\": 11, \"tags\": [\"ok\", 1]}", &e), 3);
    CHECK_STR_EQ(pointer(&e, 2), "/tags/1");
    hb_field_errors_dispose(&e);
    CHECK_INT_EQ(check("{\"code\": \"ab\", \"count\": 1.5, \"tags\": []}", &e), 2);
    hb_field_errors_dispose(&e);
}

/* Booleans, and arrays of objects whose members the handler checks at their nested pointer. */
TEST(http__nested_objects_are_checked_at_their_pointer)
{
    static const hb_field outer[] = {
        { "flag", HB_FIELD_BOOLEAN, false, 0, 0, 0 },
        { "items", HB_FIELD_OBJECT_LIST, true, 1, 2, 0 },
    };
    static const hb_field inner[] = { { "n", HB_FIELD_INTEGER, true, 1, 9, 0 } };
    hb_field_errors e = { NULL, 0 };
    char why[256];
    const char *text = "{\"flag\": 1, \"items\": [{\"n\": 3}, {\"n\": 0, \"x\": 1}]}";
    json_t *doc = hb_json_parse_object(text, strlen(text), why, sizeof why);
    CHECK(doc != NULL);
    CHECK_INT_EQ(hb_json_check_fields(doc, outer, 2, &e), 1);
    CHECK_STR_EQ(pointer(&e, 0), "/flag");
    const json_t *items = json_object_get(doc, "items");
    CHECK_INT_EQ(hb_json_check_fields_at(json_array_get(items, 0), inner, 1, "/items/0", &e), 0);
    CHECK_INT_EQ(hb_json_check_fields_at(json_array_get(items, 1), inner, 1, "/items/1", &e), 2);
    CHECK_STR_EQ(pointer(&e, 1), "/items/1/n");
    CHECK_STR_EQ(pointer(&e, 2), "/items/1/x");
    hb_field_errors_dispose(&e);
    json_decref(doc);
    const char *bad[] = { "{\"items\": []}", "{\"items\": [1]}", "{\"items\": {}}",
                          "{\"items\": [{}, {}, {}]}" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        doc = hb_json_parse_object(bad[i], strlen(bad[i]), why, sizeof why);
        CHECK_MSG(hb_json_check_fields(doc, outer, 2, &e) == 1, "%s", bad[i]);
        CHECK_CONTAINS(pointer(&e, 0), "/items");
        hb_field_errors_dispose(&e);
        json_decref(doc);
    }
}

TEST(http__json_pointers_escape_names)
{
    char out[32];
    hb_json_pointer(out, sizeof out, "a/b~c");
    CHECK_STR_EQ(out, "/a~1b~0c");
    hb_json_pointer(out, 8, "abcdefghij");
    CHECK_STR_EQ(out, "/abcdef");                          /* 7 bytes and the NUL */
    hb_json_pointer(out, 8, "ab\xe4\xb8\xad\xe6\x96\x87"); /* never cut inside a character */
    CHECK_STR_EQ(out, "/ab\xe4\xb8\xad");
}

TEST(http__bearer_credentials)
{
    const char *token;
    size_t len;
    CHECK_OK(hb_http_bearer("Bearer hb_abc_def", &token, &len));
    CHECK_INT_EQ(len, 10);
    CHECK(strncmp(token, "hb_abc_def", len) == 0);
    CHECK_OK(hb_http_bearer("bearer   abc==", &token, &len));
    CHECK_INT_EQ(len, 5);
    const char *bad[] = { "Basic abc", "Bearer",     "Bearer ",    "Bearer a b",
                          "Bearerabc", "Bearer a=b", "Bearer \x01" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_FAILS(hb_http_bearer(bad[i], &token, &len), HB_EAUTH, NULL);
}
