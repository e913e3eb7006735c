/*
 * server/web.c — the dashboard's static files (see web.h).
 *
 * The table hb_web_files is generated at build time: tools/web_embed.cmake runs web/build.mjs
 * (esbuild) into <build>/web and tools/embed.c compiles every file there in; without Node.js or
 * web/node_modules the table is empty and "/" explains how to build it.
 */
#include "server/web.h"

#include <string.h>

extern const hb_embedded_file hb_web_files[];
extern const size_t hb_web_files_count;

/* A one-year lifetime is what "immutable" means to every cache: an asset's name changes with
 * its content, so a cached copy is never stale. */
#define CACHE_ASSET "public, max-age=31536000, immutable"
/* index.html names the current assets: revalidated on every load. */
#define CACHE_INDEX "no-cache"

static const char not_built_page[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>healthybay: dashboard not built</title></head><body>\n"
    "<h1>The dashboard is not built into this healthybay</h1>\n"
    "<p>This binary was built without Node.js or without <code>web/node_modules</code>, so it "
    "serves the API (<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>) but not the "
    "dashboard. To build it: install Node.js and npm, run <code>npm ci</code> in "
    "<code>web/</code> (<code>scripts/install-deps.sh</code> does both), then re-run "
    "<code>cmake</code> and rebuild. See <code>docs/dashboard.md</code>.</p>\n"
    "</body></html>\n";

size_t hb_web_file_count(void)
{
    return hb_web_files_count;
}

/* A name the build may produce: one segment of [A-Za-z0-9._-], not starting with a dot. */
static bool servable_name(const char *name)
{
    if (name[0] == '\0' || name[0] == '.')
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

const hb_embedded_file *hb_web_lookup(const char *path)
{
    if (!path || path[0] != '/')
        return NULL;
    const char *name = strcmp(path, "/") == 0 ? "index.html" : path + 1;
    if (!servable_name(name))
        return NULL;
    return hb_embedded_find(hb_web_files, hb_web_files_count, name);
}

static const char *content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },   { ".geojson", "application/geo+json" },
        { ".json", "application/json" },         { ".svg", "image/svg+xml" },
        { ".txt", "text/plain; charset=utf-8" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream"; /* with nosniff: downloaded, never run */
}

static bool is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static bool answer(hb_request *req, hb_response *res, unsigned status, const char *type,
                   const char *cache, const char *body, size_t len)
{
    hb_buf_reset(&res->body);
    if (hb_buf_put(&res->body, body, len) < 0) {
        hb_http_fail(req, HB_PROBLEM_UNAVAILABLE, "the server is out of memory; retry later");
        hb_http_render_problem(req, res);
        return true;
    }
    res->status = status;
    snprintf(res->content_type, sizeof res->content_type, "%s", type);
    res->cache_control = cache;
    res->security_policy = HB_WEB_CSP;
    return true;
}

bool hb_web_serve(hb_request *req, hb_response *res)
{
    const hb_embedded_file *f = hb_web_lookup(req->path);
    bool index =
        req->path && (strcmp(req->path, "/") == 0 || strcmp(req->path, "/index.html") == 0);
    if (!f && !(index && hb_web_files_count == 0))
        return false; /* the router's: an API route, or its 404 */
    if (!is_read(req->method)) {
        res->extra_name = "Allow";
        snprintf(res->extra_value, sizeof res->extra_value, "GET, HEAD");
        hb_http_fail(req, HB_PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed on %s; use GET",
                     req->method, req->path);
        hb_http_render_problem(req, res);
        return true;
    }
    if (!f)
        return answer(req, res, 503, "text/html; charset=utf-8", "no-store", not_built_page,
                      sizeof not_built_page - 1);
    bool immutable = strcmp(f->name, "index.html") != 0;
    return answer(req, res, 200, content_type(f->name), immutable ? CACHE_ASSET : CACHE_INDEX,
                  f->data, f->size);
}
