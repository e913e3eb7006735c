/*
 * The dashboard's static files over real HTTP (server/web.c): the headers a browser gets, raw
 * requests with traversals that no client library would send as written, and the API's answers
 * unchanged (no document policy on JSON, a token still needed).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "server/web.h"
#include "support.h"

TEST(server__dashboard_is_served_with_its_security_headers)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_response r;
    hb_test_call(&w, &r, "GET", "/", NULL, NULL, NULL);
    if (hb_web_file_count() == 0) {
        CHECK_INT_EQ(r.status, 503); /* built without npm: says how to build it */
        CHECK_CONTAINS(r.body, "npm ci");
    } else {
        CHECK_INT_EQ(r.status, 200);
        CHECK_STR_EQ(hb_test_header(&r, "Content-Type"), "text/html; charset=utf-8");
        CHECK_STR_EQ(hb_test_header(&r, "Cache-Control"), "no-cache");
    }
    CHECK_STR_EQ(hb_test_header(&r, "Content-Security-Policy"), HB_WEB_CSP);
    CHECK_STR_EQ(hb_test_header(&r, "X-Content-Type-Options"), "nosniff");
    CHECK_STR_EQ(hb_test_header(&r, "Referrer-Policy"), "no-referrer");
    CHECK(hb_test_header(&r, "Set-Cookie") == NULL);
    hb_test_response_dispose(&r);

    /* The API is as it was: JSON with no document policy, and still behind a token. */
    hb_test_call(&w, &r, "GET", "/api/v1/regions", NULL, NULL, NULL);
    CHECK_INT_EQ(r.status, 401);
    CHECK(hb_test_header(&r, "Content-Security-Policy") == NULL);
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", "/nothing-here.js", NULL, NULL, NULL);
    CHECK_INT_EQ(r.status, 404);
    CHECK_STR_EQ(hb_test_header(&r, "Content-Type"), "application/problem+json");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

TEST(server__dashboard_paths_cannot_traverse)
{
    hb_test_world w;
    hb_test_world_start(&w);
    /* Sent byte for byte (libcurl would normalise the dot segments away). */
    const char *paths[] = { "/../index.html",
                            "/./index.html",
                            "//index.html",
                            "/%2e%2e/index.html",
                            "/..%2Findex.html",
                            "/index.html/..",
                            "/../../../../etc/passwd",
                            "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                            "/index.html%00.js" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char request[256];
        int closed;
        snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                 paths[i]);
        const char *got = hb_test_raw(&w, request, strlen(request), 0, 3000, &closed);
        CHECK_MSG(strncmp(got, "HTTP/1.1 200", 12) != 0, "%s answered 200", paths[i]);
        CHECK_MSG(strstr(got, "root:") == NULL && strstr(got, "<!DOCTYPE html>") == NULL,
                  "%s answered a file: %.200s", paths[i], got);
    }
    hb_test_world_stop(&w);
}
