/*
 * Tests for server/router.c and the route table: matching, 404 versus 405, parameters, the
 * table's well-formedness, and the OpenAPI document agreeing with the table in both directions.
 */
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "registry/registry.h"
#include "server/routes.h"

static const hb_route *match(const char *method, const char *path, hb_route_params *p, bool *known,
                             char *allow)
{
    size_t n;
    const hb_route *routes = hb_routes(&n);
    return hb_router_match(routes, n, method, path, p, known, allow, 64);
}

TEST(http__routes_match_exactly)
{
    hb_route_params p;
    bool known;
    char allow[64];
    const hb_route *r = match("GET", "/api/v1/orgs/hk-qmh/tokens", &p, &known, allow);
    CHECK(r != NULL);
    CHECK_STR_EQ(r->pattern, "/api/v1/orgs/{org}/tokens");
    CHECK_STR_EQ(hb_route_param(&p, "org"), "hk-qmh");
    CHECK(hb_route_param(&p, "token") == NULL);

    const char *misses[] = { "/api/v1/orgs/hk-qmh/tokens/",
                             "/api/v1//orgs",
                             "/api/v1/orgs/a b",
                             "/API/v1/orgs",
                             "/api/v1/orgs/hk%2Fqmh",
                             "",
                             "/",
                             "/api/v1/orgs/hk-qmh/tokens/x/y/z" };
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        CHECK_MSG(match("GET", misses[i], &p, &known, allow) == NULL, "'%s' matched", misses[i]);
        CHECK(!known);
    }
    /* A parameter is one segment of at most HB_ROUTE_PARAM_MAX safe characters. */
    char path[512] = "/api/v1/orgs/";
    memset(path + 13, 'a', HB_ROUTE_PARAM_MAX);
    CHECK(match("GET", path, &p, &known, allow) != NULL);
    strcat(path, "a");
    CHECK(match("GET", path, &p, &known, allow) == NULL);
}

TEST(http__other_methods_give_405_with_allow)
{
    hb_route_params p;
    bool known;
    char allow[64];
    CHECK(match("PATCH", "/api/v1/orgs", &p, &known, allow) == NULL);
    CHECK(known);
    CHECK_STR_EQ(allow, "GET, POST");
    CHECK(match("GET", "/api/v1/tokens/0123456789abcdef", &p, &known, allow) == NULL);
    CHECK(known);
    CHECK_STR_EQ(allow, "DELETE");
}

TEST(http__the_route_table_is_well_formed)
{
    size_t n;
    const hb_route *routes = hb_routes(&n);
    for (size_t i = 0; i < n; i++) {
        CHECK_MSG(hb_router_check_pattern(routes[i].pattern) == 0, "%s", hb_error_last());
        CHECK(routes[i].handler && routes[i].summary && *routes[i].summary);
        CHECK(routes[i].body_max <= HB_HTTP_BODY_MAX);
        /* Only writes take a body (an acknowledgement is a write without one); every route
         * names an action the policy knows. */
        CHECK(routes[i].body_max == 0 || strcmp(routes[i].method, "POST") == 0);
        CHECK((unsigned)routes[i].action < HB_ACTION_COUNT);
        for (size_t j = i + 1; j < n; j++)
            CHECK_MSG(strcmp(routes[i].method, routes[j].method) != 0 ||
                          strcmp(routes[i].pattern, routes[j].pattern) != 0,
                      "%s %s twice", routes[i].method, routes[i].pattern);
    }
    CHECK_FAILS(hb_router_check_pattern("api/v1"), HB_EINVAL, "start");
    CHECK_FAILS(hb_router_check_pattern("/api//v1"), HB_EINVAL, "empty");
    CHECK_FAILS(hb_router_check_pattern("/api/{x"), HB_EINVAL, "parameter");
    CHECK_FAILS(hb_router_check_pattern("/api/v 1"), HB_EINVAL, "character");
}

/* Every route is documented and every documented operation is a route. */
TEST(http__openapi_documents_exactly_the_routes)
{
    size_t len, n;
    const char *text = hb_openapi_document(&len);
    json_error_t err;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    CHECK_MSG(doc != NULL, "openapi.json: line %d: %s", err.line, err.text);
    CHECK_STR_EQ(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    const hb_route *routes = hb_routes(&n);
    json_t *paths = json_object_get(doc, "paths");
    for (size_t i = 0; i < n; i++) {
        char method[16];
        snprintf(method, sizeof method, "%s", routes[i].method);
        for (char *c = method; *c; c++)
            *c = (char)(*c - 'A' + 'a');
        json_t *op = json_object_get(json_object_get(paths, routes[i].pattern), method);
        CHECK_MSG(op != NULL, "%s %s is not in openapi.json", routes[i].method, routes[i].pattern);
        CHECK_MSG(json_object_get(op, "responses") != NULL, "%s %s has no responses",
                  routes[i].method, routes[i].pattern);
        /* A route that takes a body documents it in its media type, and only that one. */
        json_t *content = json_object_get(json_object_get(op, "requestBody"), "content");
        CHECK_MSG((routes[i].body_max > 0) == (content != NULL), "%s %s: requestBody",
                  routes[i].method, routes[i].pattern);
        size_t documented = 0;
        for (unsigned m = HB_MEDIA_JSON; content && m <= HB_MEDIA_CSV; m <<= 1)
            if (routes[i].media & m) {
                CHECK_MSG(json_object_get(content, hb_media_name((hb_media)m)) != NULL,
                          "%s %s: the request body may be %s", routes[i].method, routes[i].pattern,
                          hb_media_name((hb_media)m));
                documented++;
            }
        CHECK_MSG(!content || json_object_size(content) == documented,
                  "%s %s: openapi.json documents other request media", routes[i].method,
                  routes[i].pattern);
        /* Public routes say so; the others inherit the bearer requirement. */
        json_t *security = json_object_get(op, "security");
        CHECK((routes[i].access == HB_ACCESS_PUBLIC) ==
              (json_is_array(security) && json_array_size(security) == 0));
    }
    const char *path;
    json_t *item;
    json_object_foreach(paths, path, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            bool found = false;
            for (size_t i = 0; i < n && !found; i++)
                found = strcmp(routes[i].pattern, path) == 0 &&
                        strcasecmp(routes[i].method, method) == 0;
            CHECK_MSG(found, "openapi.json documents %s %s, which is not a route", method, path);
        }
    }
    json_decref(doc);
}

/* The {kind} parameter documents exactly the registry's kinds, in its order. */
TEST(http__openapi_lists_the_registry_kinds)
{
    size_t len;
    const char *text = hb_openapi_document(&len);
    json_t *doc = json_loadb(text, len, 0, NULL);
    CHECK(doc != NULL);
    json_t *param =
        json_object_get(json_object_get(json_object_get(doc, "components"), "parameters"), "kind");
    json_t *kinds = json_object_get(json_object_get(param, "schema"), "enum");
    CHECK_INT_EQ(json_array_size(kinds), hb_registry_kind_count());
    for (size_t i = 0; i < hb_registry_kind_count(); i++)
        CHECK_STR_EQ(json_string_value(json_array_get(kinds, i)), hb_registry_kind_name(i));
    json_decref(doc);
}
