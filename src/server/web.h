/*
 * server/web.h — the dashboard's static files: index.html at "/" and its content-hashed assets,
 * built from web/ by npm and compiled into the binary by tools/embed.c (docs/dashboard.md).
 *
 * They are not API routes: they are not in the route table, need no token (the page itself
 * holds no data; the API calls it makes carry the token) and are never audited. A request is
 * looked up by exact name in the table of built files, so no path, however encoded, reaches a
 * file system: there is none behind it.
 *
 *   GET /                 index.html, Cache-Control: no-cache (it names the current assets)
 *   GET /main-<hash>.js   an asset, Cache-Control: public, max-age=31536000, immutable
 *   every answer          Content-Security-Policy (HB_WEB_CSP), Referrer-Policy: no-referrer
 *   another method        405 with Allow: GET, HEAD
 *   not built             GET / answers 503 with a page saying how to build the dashboard
 */
#ifndef HB_SERVER_WEB_H
#define HB_SERVER_WEB_H

#include <stdbool.h>

#include "server/http.h"
#include "util/embedded.h"

/* No inline script or style, nothing from elsewhere, API calls to this server only. */
#define HB_WEB_CSP                                                               \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "  \
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; " \
    "frame-ancestors 'none'"

/* The built file that request path names ("/" is index.html), or NULL when the path names none:
 * then it is the router's. Only a single segment of the characters the build allows
 * ([A-Za-z0-9._-], no leading dot) can match. */
const hb_embedded_file *hb_web_lookup(const char *path);

/* How many files were built in (0: the binary was built without Node.js or web/node_modules). */
size_t hb_web_file_count(void);

/* Answer req from the dashboard when its path is the dashboard's: fills res and returns true;
 * false leaves both untouched. */
bool hb_web_serve(hb_request *req, hb_response *res);

#endif
