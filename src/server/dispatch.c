/*
 * server/dispatch.c — the request pipeline (see dispatch.h).
 */
#include "server/dispatch.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "core/audit.h"
#include "core/idempotency.h"
#include "core/policy.h"
#include "server/web.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/parse.h"

void hb_server_log(const hb_server_ctx *ctx, const char *fmt, ...)
{
    if (!ctx->log)
        return;
    char now[HB_TIMESTAMP_STRLEN], line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(ctx->log, "%s %s\n", hb_timestamp_now(now), line); /* one call: lines never mix */
    fflush(ctx->log);
}

void hb_exchange_init(hb_exchange *x, hb_server_ctx *ctx, const char *method, const char *path,
                      const char *client_address)
{
    memset(x, 0, sizeof *x);
    x->ctx = ctx;
    x->start_ns = hb_monotonic_ns();
    hb_request_init(&x->req);
    hb_response_init(&x->res);
    hb_buf_init(&x->body, HB_HTTP_BODY_MAX);
    x->long_path = strlen(path) > HB_HTTP_PATH_MAX;
    snprintf(x->path, sizeof x->path, "%s", x->long_path ? "" : path);
    snprintf(x->source, sizeof x->source, "http %s", client_address);
    x->req.method = method;
    x->req.path = x->path;
    x->req.source = x->source;
    x->req.metrics = ctx->metrics;
    x->req.cache = ctx->cache;
    x->req.key_dir = ctx->key_dir;
}

void hb_exchange_dispose(hb_exchange *x)
{
    hb_request_dispose(&x->req);
    hb_response_dispose(&x->res);
    hb_buf_dispose(&x->body);
}

/* Answer now with req's recorded problem. */
static void decide(hb_exchange *x)
{
    hb_http_render_problem(&x->req, &x->res);
    x->decided = true;
}

static bool is_write(const hb_request *req)
{
    return strcmp(req->method, "GET") != 0;
}

static bool audited(const hb_request *req)
{
    return req->route && req->route->access == HB_ACCESS_TOKEN &&
           (is_write(req) || req->route->personal);
}

static const char *outcome_of(hb_problem p)
{
    if (p == HB_PROBLEM_FORBIDDEN)
        return HB_AUDIT_DENIED;
    if (p == HB_PROBLEM_NONE || p == HB_PROBLEM_INTERNAL || p == HB_PROBLEM_UNAVAILABLE)
        return HB_AUDIT_FAILED;
    return HB_AUDIT_REJECTED;
}

static int append_audit(hb_exchange *x, hb_store *db, const char *outcome)
{
    hb_audit_event ev = {
        .org = x->who.org,
        .jurisdiction = x->who.jurisdiction,
        .token_id = x->who.token_id,
        .source = x->source,
        .action = hb_action_name(x->req.route->action),
        .object = x->req.object[0] ? x->req.object : x->path,
        .outcome = outcome,
    };
    int rc = hb_audit_append(db, &ev);
    if (rc == 0)
        hb_metrics_count(x->ctx->metrics, HB_METRIC_AUDIT_APPENDED);
    return rc;
}

/* Audit a refused or failed request in a transaction of its own (the request's was rolled
 * back). A failure here is logged: the client's answer is already decided. */
static void audit_failure(hb_exchange *x, hb_store *db)
{
    int rc = hb_store_begin(db);
    if (rc == 0)
        rc = append_audit(x, db, outcome_of(x->req.problem));
    if (rc == 0)
        rc = hb_store_commit(db);
    else
        hb_store_rollback(db);
    if (rc < 0)
        hb_server_log(x->ctx, "audit of %s %s failed: %s", x->req.method, x->path, hb_error_last());
}

/* begin, step 1: the route. */
static bool route(hb_exchange *x)
{
    char allow[64];
    bool path_known;
    x->req.route = hb_router_match(x->ctx->routes, x->ctx->nroutes, x->req.method, x->path,
                                   &x->req.params, &path_known, allow, sizeof allow);
    if (x->req.route)
        return true;
    if (path_known) {
        x->res.extra_name = "Allow";
        snprintf(x->res.extra_value, sizeof x->res.extra_value, "%s", allow);
        hb_http_fail(&x->req, HB_PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed on %s; use %s",
                     x->req.method, x->path, allow);
    } else {
        hb_http_fail(&x->req, HB_PROBLEM_NOT_FOUND, "there is no resource at %s", x->path);
    }
    decide(x);
    return false;
}

/* begin, step 2: a declared body larger than the route takes. */
static bool size_ok(hb_exchange *x, const char *length)
{
    int64_t n = 0;
    if (!length)
        return true;
    if (hb_parse_int64(&n, length, strlen(length)) < 0 || n < 0) {
        hb_http_fail(&x->req, HB_PROBLEM_MALFORMED, "Content-Length is not a byte count");
    } else if (n > 0 && x->req.route->body_max == 0) {
        hb_http_fail(&x->req, HB_PROBLEM_TOO_LARGE, "%s %s takes no request body", x->req.method,
                     x->req.route->pattern);
    } else if ((uint64_t)n > x->req.route->body_max) {
        hb_http_fail(&x->req, HB_PROBLEM_TOO_LARGE, "the body may be at most %zu bytes",
                     x->req.route->body_max);
    } else {
        return true;
    }
    x->close = true; /* the unread body must not be taken for the next request */
    decide(x);
    return false;
}

static void challenge(hb_exchange *x, bool token_given)
{
    x->res.extra_name = "WWW-Authenticate";
    snprintf(x->res.extra_value, sizeof x->res.extra_value, "%s",
             token_given ? "Bearer realm=\"healthybay\", error=\"invalid_token\""
                         : "Bearer realm=\"healthybay\"");
}

static bool unavailable(hb_exchange *x, const char *what)
{
    hb_server_log(x->ctx, "503 %s %s: %s: %s", x->req.method, x->path, what, hb_error_last());
    x->res.extra_name = "Retry-After";
    snprintf(x->res.extra_value, sizeof x->res.extra_value, "5");
    hb_http_fail(&x->req, HB_PROBLEM_UNAVAILABLE, "the database is unreachable; retry later");
    decide(x);
    return false;
}

/* begin, step 3: who is calling, and may their roles do this action anywhere. */
static bool authenticate(hb_exchange *x, const char *authorization)
{
    const char *token;
    size_t len;
    if (!authorization || hb_http_bearer(authorization, &token, &len) < 0) {
        challenge(x, authorization != NULL);
        hb_http_fail(&x->req, HB_PROBLEM_UNAUTHENTICATED,
                     authorization ? "the Authorization header must be 'Bearer <token>'"
                                   : "this resource needs an 'Authorization: Bearer' token");
        decide(x);
        return false;
    }
    hb_store *db;
    if (hb_pool_acquire(x->ctx->pool, &db) < 0)
        return unavailable(x, "no database connection");
    int rc = hb_token_authenticate(db, &x->who, token, len);
    if (rc < 0) {
        hb_pool_release(x->ctx->pool, db, rc == HB_EAUTH);
        if (rc != HB_EAUTH)
            return unavailable(x, "authentication");
        /* The reason (unknown, expired, revoked…) is logged, never told: a client probing
         * tokens learns nothing. The log line has the token id, never its secret. */
        hb_server_log(x->ctx, "401 %s %s from %s: %s", x->req.method, x->path, x->source + 5,
                      hb_error_last());
        challenge(x, true);
        hb_http_fail(&x->req, HB_PROBLEM_UNAUTHENTICATED,
                     "the token is not valid: unknown, expired or revoked");
        decide(x);
        return false;
    }
    x->req.who = &x->who;
    bool allowed = hb_policy_allows_some(&x->who, x->req.route->action);
    if (!allowed) {
        hb_http_fail(&x->req, HB_PROBLEM_FORBIDDEN, "this token's roles may not %s",
                     hb_action_name(x->req.route->action));
        if (audited(&x->req))
            audit_failure(x, db);
        decide(x);
    }
    hb_pool_release(x->ctx->pool, db, true);
    return allowed;
}

/* begin, step 4: the body's type and the Idempotency-Key. */
static bool headers_ok(hb_exchange *x, const char *content_type, const char *idem_key)
{
    const hb_route *r = x->req.route;
    if (r->body_max > 0 && hb_media_match(content_type, r->media) == 0) {
        char media[64];
        hb_media_describe(r->media, media, sizeof media);
        hb_http_fail(&x->req, HB_PROBLEM_MEDIA_TYPE, "send the body as %s (UTF-8)", media);
        x->close = true;
        decide(x);
        return false;
    }
    if (!idem_key || strcmp(x->req.method, "POST") != 0)
        return true;
    if (hb_idempotency_key_check(idem_key) < 0) {
        hb_http_fail(&x->req, HB_PROBLEM_MALFORMED, "%s", hb_error_last());
        x->close = true;
        decide(x);
        return false;
    }
    snprintf(x->idem_key, sizeof x->idem_key, "%s", idem_key);
    return true;
}

void hb_exchange_begin(hb_exchange *x, hb_header_fn header, void *hctx)
{
    x->req.header = header;
    x->req.header_ctx = hctx;
    if (atomic_load(&x->ctx->draining)) {
        x->close = true;
        x->res.extra_name = "Retry-After";
        snprintf(x->res.extra_value, sizeof x->res.extra_value, "1");
        hb_http_fail(&x->req, HB_PROBLEM_UNAVAILABLE, "the server is shutting down; retry");
        decide(x);
        return;
    }
    if (x->long_path) {
        hb_http_fail(&x->req, HB_PROBLEM_MALFORMED, "the request path is longer than %d bytes",
                     HB_HTTP_PATH_MAX);
        decide(x);
        return;
    }
    /* The dashboard's static files are not API routes (web.h): answered before routing. */
    if (hb_web_serve(&x->req, &x->res)) {
        x->decided = true;
        return;
    }
    if (!route(x) || !size_ok(x, header(hctx, "Content-Length")))
        return;
    if (x->req.route->access == HB_ACCESS_TOKEN && !authenticate(x, header(hctx, "Authorization")))
        return;
    headers_ok(x, header(hctx, "Content-Type"), header(hctx, "Idempotency-Key"));
}

int hb_exchange_body(hb_exchange *x, const char *data, size_t len)
{
    uint64_t limit_ns = (uint64_t)x->ctx->request_seconds_max * 1000000000u;
    if (hb_monotonic_ns() - x->start_ns > limit_ns) {
        hb_metrics_count(x->ctx->metrics, HB_METRIC_BODY_TIMEOUT);
        hb_server_log(x->ctx, "closing %s %s from %s: body still arriving after %u s",
                      x->req.method, x->path, x->source + 5, x->ctx->request_seconds_max);
        return hb_error_set(HB_ELIMIT, "request body too slow");
    }
    if (x->too_large || x->decided)
        return 0; /* discarded: the answer is decided */
    if (x->body.len + len > x->req.route->body_max) {
        x->too_large = true;
        hb_buf_dispose(&x->body);
        return 0;
    }
    return hb_buf_put(&x->body, data, len) == 0 ? 0 : hb_error_set(HB_ENOMEM, "out of memory");
}

/* SHA-256 of what makes two POSTs the same request: method, path and body. */
static void request_hash(const hb_exchange *x, char out[HB_SHA256_HEXLEN + 1])
{
    hb_buf b;
    hb_buf_init(&b, 0);
    if (hb_buf_printf(&b, "%s\n%s\n", x->req.method, x->path) == 0 &&
        hb_buf_put(&b, x->req.body, x->req.body_len) == 0)
        hb_sha256_hex(out, b.ptr, b.len);
    else
        out[0] = '\0'; /* out of memory: matches no stored hash, so no replay is wrong */
    hb_buf_dispose(&b);
}

static int replay(hb_exchange *x, hb_idem_response *stored)
{
    x->res.status = (unsigned)stored->status;
    snprintf(x->res.content_type, sizeof x->res.content_type, "%s", stored->content_type);
    snprintf(x->res.location, sizeof x->res.location, "%s",
             stored->location ? stored->location : "");
    x->res.extra_name = "Idempotent-Replayed";
    snprintf(x->res.extra_value, sizeof x->res.extra_value, "true");
    hb_buf_reset(&x->res.body);
    int rc = hb_buf_put(&x->res.body, stored->body, stored->body_len);
    if (rc == 0)
        hb_metrics_count(x->ctx->metrics, HB_METRIC_IDEMPOTENT_REPLAY);
    return rc;
}

/* Look the Idempotency-Key up: 1 when the request is answered by a replay, < 0 when refused or
 * failed. */
static int idempotency_begin(hb_exchange *x, hb_store *db, const char *hash)
{
    hb_idem_state state;
    hb_idem_response stored;
    int rc = hb_idempotency_begin(db, &state, &stored, x->who.org, x->idem_key, hash);
    if (rc < 0)
        return rc;
    if (state == HB_IDEM_NEW)
        return 0;
    if (state == HB_IDEM_MISMATCH)
        return hb_http_fail(&x->req, HB_PROBLEM_IDEMPOTENCY_REUSED,
                            "Idempotency-Key '%s' was used for a different request; use a new "
                            "key",
                            x->idem_key);
    rc = hb_store_commit(db); /* nothing written but the purge of expired records */
    if (rc == 0)
        rc = replay(x, &stored);
    hb_idem_response_dispose(&stored);
    return rc < 0 ? rc : 1;
}

static int save_response(hb_exchange *x, hb_store *db, const char *hash)
{
    hb_idem_response r = {
        .status = (int)x->res.status,
        .content_type = x->res.content_type,
        .location = x->res.location[0] ? x->res.location : NULL,
        .body = x->res.replay_body ? x->res.replay_body
                : x->res.body.ptr  ? x->res.body.ptr
                                   : (char *)"",
        .body_len = x->res.replay_body ? strlen(x->res.replay_body) : x->res.body.len,
    };
    return hb_idempotency_save(db, x->who.org, x->idem_key, hash, &r);
}

/* A write or a read of personal data: handler, audit entry and stored response in one
 * transaction. */
static int run_audited(hb_exchange *x, hb_store *db)
{
    char hash[HB_SHA256_HEXLEN + 1] = "";
    bool idem = x->idem_key[0] != '\0';
    int rc = hb_store_begin(db);
    if (rc < 0)
        return rc;
    if (idem) {
        request_hash(x, hash);
        rc = idempotency_begin(x, db, hash);
        if (rc > 0)
            return 0;
        if (rc < 0) {
            hb_store_rollback(db);
            audit_failure(x, db);
            return rc;
        }
    }
    rc = x->req.route->handler(&x->req, &x->res);
    if (rc == 0)
        rc = append_audit(x, db, HB_AUDIT_OK);
    if (rc == 0 && idem)
        rc = save_response(x, db, hash);
    if (rc == 0)
        return hb_store_commit(db);
    hb_store_rollback(db);
    audit_failure(x, db);
    return rc;
}

void hb_exchange_finish(hb_exchange *x)
{
    if (x->decided)
        return;
    if (x->too_large) {
        hb_http_fail(&x->req, HB_PROBLEM_TOO_LARGE, "the body may be at most %zu bytes",
                     x->req.route->body_max);
        x->close = true;
        decide(x);
        return;
    }
    hb_store *db;
    if (hb_pool_acquire(x->ctx->pool, &db) < 0) {
        unavailable(x, "no database connection");
        return;
    }
    x->req.db = db;
    x->req.body = hb_buf_cstr(&x->body);
    x->req.body_len = x->body.len;
    int rc = audited(&x->req) ? run_audited(x, db) : x->req.route->handler(&x->req, &x->res);
    bool internal = rc < 0 && x->req.problem == HB_PROBLEM_NONE;
    if (internal)
        hb_server_log(x->ctx, "500 %s %s: %s", x->req.method, x->path, hb_error_last());
    if (rc < 0)
        hb_http_render_problem(&x->req, &x->res);
    if (hb_store_in_transaction(db))
        hb_store_rollback(db);
    x->req.db = NULL;
    hb_pool_release(x->ctx->pool, db, !internal);
    x->decided = true;
}
