/*
 * server/dispatch.h — one request's way through the server, independent of the socket layer:
 *
 *   begin   route (404/405) → draining (503) → body size from Content-Length (413) →
 *           bearer token (401) → may this role do this action at all (403) → Content-Type: the
 *           route's media type (415)
 *           → Idempotency-Key syntax (400). Runs when the headers are in, before any body is read,
 *           so an unauthenticated or forbidden client never makes us buffer its body.
 *   body    accumulate up to the route's limit (413 at the end); a body still arriving after
 *           HB_HTTP_REQUEST_SECONDS_MAX closes the connection.
 *   finish  the handler, and for writes and reads of personal data, inside one transaction: the
 *           Idempotency-Key lookup, the handler's writes, the audit entry and the stored response
 *           commit together — or not at all, in which case the failure is audited on its own.
 *
 * server.c drives it from libmicrohttpd's callbacks; tests can drive it directly.
 */
#ifndef HB_SERVER_DISPATCH_H
#define HB_SERVER_DISPATCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/accounts.h"
#include "server/cache.h"
#include "server/http.h"
#include "server/metrics.h"
#include "server/pool.h"

/* What every request of one server shares. */
typedef struct hb_server_ctx {
    const hb_route *routes;
    size_t nroutes;
    hb_pool *pool;
    hb_metrics *metrics;
    hb_cache *cache;
    FILE *log;           /* NULL = silent */
    const char *key_dir; /* signing keys (hb_server_config) */
    unsigned request_seconds_max;
    atomic_bool draining;
} hb_server_ctx;

/* Write one line to the server log: time, then the message. */
void hb_server_log(const hb_server_ctx *ctx, const char *fmt, ...) HB_PRINTF(2, 3);

typedef struct hb_exchange {
    hb_server_ctx *ctx;
    hb_request req;
    hb_response res;
    hb_principal who;
    hb_buf body;
    bool decided;   /* the response is ready; no handler runs */
    bool too_large; /* the body outgrew the route's limit */
    bool close;     /* ask the client to close the connection after the response */
    bool long_path; /* the path exceeded HB_HTTP_PATH_MAX */
    char idem_key[HB_IDEMPOTENCY_KEY_MAX + 1];
    char source[80];
    char path[HB_HTTP_PATH_MAX + 1];
    uint64_t start_ns;
} hb_exchange;

typedef hb_lookup_fn hb_header_fn;

/* method is borrowed for the exchange's life; path and client_address are copied. */
void hb_exchange_init(hb_exchange *x, hb_server_ctx *ctx, const char *method, const char *path,
                      const char *client_address);
/* header(hctx, "Authorization") gives request headers, for the whole exchange (handlers read
 * them too). Sets x->decided when answered. */
void hb_exchange_begin(hb_exchange *x, hb_header_fn header, void *hctx);
/* Append body bytes. < 0: the body is too slow; close the connection without an answer. */
int hb_exchange_body(hb_exchange *x, const char *data, size_t len);
/* Run the request; x->res is the answer. */
void hb_exchange_finish(hb_exchange *x);
void hb_exchange_dispose(hb_exchange *x);

#endif
