/*
 * Tests for server/web.c, the dashboard's static files, without a socket: what "/" and each
 * built asset answer (type, caching, Content-Security-Policy), that no other path — traversals,
 * encodings, near misses, random bytes — ever finds a file, and the page a binary built without
 * the dashboard serves. Over HTTP: tests/server/test_web_http.c.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "server/web.h"

extern const hb_embedded_file hb_web_files[];
extern const size_t hb_web_files_count;

typedef struct served {
    bool ours;
    hb_response res;
    hb_request req;
} served;

static void serve(served *s, const char *method, const char *path)
{
    hb_request_init(&s->req);
    hb_response_init(&s->res);
    s->req.method = method;
    s->req.path = path;
    s->ours = hb_web_serve(&s->req, &s->res);
}

static void served_dispose(served *s)
{
    hb_request_dispose(&s->req);
    hb_response_dispose(&s->res);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

TEST(http__web_serves_index_and_every_built_asset)
{
    if (hb_web_file_count() == 0) {
        /* Built without the dashboard (HB_WEB=OFF, or no npm): "/" says how to build it. */
        served s;
        serve(&s, "GET", "/");
        CHECK(s.ours);
        CHECK_INT_EQ(s.res.status, 503);
        CHECK_STR_EQ(s.res.content_type, "text/html; charset=utf-8");
        CHECK_CONTAINS(hb_buf_cstr(&s.res.body), "npm ci");
        CHECK_STR_EQ(s.res.cache_control, "no-store");
        served_dispose(&s);
        return;
    }
    served s;
    serve(&s, "GET", "/");
    CHECK(s.ours);
    CHECK_INT_EQ(s.res.status, 200);
    CHECK_STR_EQ(s.res.content_type, "text/html; charset=utf-8");
    CHECK_STR_EQ(s.res.cache_control, "no-cache");
    CHECK_STR_EQ(s.res.security_policy, HB_WEB_CSP);
    CHECK_CONTAINS(hb_buf_cstr(&s.res.body), "<script type=\"module\" src=\"/main-");
    /* No inline script or style: the policy would refuse them. */
    CHECK(strstr(hb_buf_cstr(&s.res.body), "<script>") == NULL);
    CHECK(strstr(hb_buf_cstr(&s.res.body), "style=") == NULL);
    served_dispose(&s);

    bool js = false, css = false, geo = false;
    for (size_t i = 0; i < hb_web_files_count; i++) {
        const hb_embedded_file *f = &hb_web_files[i];
        char path[300];
        snprintf(path, sizeof path, "/%s", f->name);
        serve(&s, "HEAD", path);
        CHECK_MSG(s.ours && s.res.status == 200, "%s not served", path);
        CHECK_INT_EQ(s.res.body.len, f->size);
        CHECK(memcmp(s.res.body.ptr, f->data, f->size) == 0);
        CHECK_STR_EQ(s.res.security_policy, HB_WEB_CSP);
        bool index = strcmp(f->name, "index.html") == 0;
        CHECK_STR_EQ(s.res.cache_control,
                     index ? "no-cache" : "public, max-age=31536000, immutable");
        if (ends_with(f->name, ".js")) {
            CHECK_STR_EQ(s.res.content_type, "text/javascript; charset=utf-8");
            js = true;
        } else if (ends_with(f->name, ".css")) {
            CHECK_STR_EQ(s.res.content_type, "text/css; charset=utf-8");
            css = true;
        } else if (ends_with(f->name, ".geojson")) {
            CHECK_STR_EQ(s.res.content_type, "application/geo+json");
            geo = true;
        }
        served_dispose(&s);
    }
    CHECK(js && css && geo);
}

TEST(http__web_other_methods_get_405_and_other_paths_are_the_routers)
{
    served s;
    serve(&s, "POST", "/");
    CHECK(s.ours);
    CHECK_INT_EQ(s.res.status, 405);
    CHECK_STR_EQ(s.res.extra_name, "Allow");
    CHECK_STR_EQ(s.res.extra_value, "GET, HEAD");
    CHECK_STR_EQ(s.res.content_type, "application/problem+json");
    served_dispose(&s);

    const char *theirs[] = { "/api/v1/regions", "/healthz", "/metrics", "/nothing-here.js" };
    for (size_t i = 0; i < sizeof theirs / sizeof theirs[0]; i++) {
        serve(&s, "GET", theirs[i]);
        CHECK_MSG(!s.ours, "%s taken from the router", theirs[i]);
        CHECK_INT_EQ(s.res.status, 0);
        served_dispose(&s);
    }
}

TEST(http__web_no_other_path_finds_a_file)
{
    /* Whatever the path, only "/" and "/<built name>" find a file: traversals, encodings and
     * near misses never do (there is no file system behind the table to reach). */
    const char *misses[] = { "",
                             "index.html",
                             "//",
                             "//index.html",
                             "/./index.html",
                             "/../index.html",
                             "/index.html/",
                             "/index.html/.",
                             "/index.html/..",
                             "/%2e%2e/index.html",
                             "/..%2findex.html",
                             "/index.html%00",
                             "/index.html;",
                             "/index.html?x=1",
                             "/INDEX.HTML",
                             "/ index.html",
                             "/index.html ",
                             "/.",
                             "/..",
                             "/.index.html",
                             "/web/index.html",
                             "/dist/index.html",
                             "/../../../../etc/passwd",
                             "/etc/passwd",
                             "/proc/self/environ",
                             "/\\index.html",
                             "/index.html\\",
                             "/%69ndex.html" };
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++)
        CHECK_MSG(hb_web_lookup(misses[i]) == NULL, "'%s' found a file", misses[i]);
    CHECK(hb_web_lookup(NULL) == NULL);

    /* Random paths over the characters that matter: a find must be an exact name. */
    static const char alphabet[] = "/.%2e5cfindexhtmlmainjs-_\\?#;:~ \t";
    uint64_t state = 0x9e3779b97f4a7c15u;
    char path[24];
    for (int round = 0; round < 200000; round++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        size_t len = 1 + (size_t)(state % (sizeof path - 1));
        uint64_t bits = state;
        path[0] = '/';
        for (size_t k = 1; k < len; k++) {
            bits = bits * 6364136223846793005u + 1442695040888963407u;
            path[k] = alphabet[(bits >> 33) % (sizeof alphabet - 1)];
        }
        path[len] = '\0';
        const hb_embedded_file *f = hb_web_lookup(path);
        if (f)
            CHECK_MSG(strcmp(path, "/") == 0 || strcmp(path + 1, f->name) == 0, "'%s' found %s",
                      path, f->name);
    }
}
