/*
 * server/http.h — what a handler sees: the request, the response it fills, and the helpers that
 * keep every handler strict and every error in one shape.
 *
 * Errors are RFC 9457 problem details (application/problem+json):
 *
 *     {"type": "https://healthybay.invalid/problems/validation", "title": "Invalid request body",
 *      "status": 422, "detail": "2 fields are invalid", "instance": "/api/v1/orgs",
 *      "errors": [{"pointer": "/kind", "detail": "unknown organisation kind 'hopsital' …"}]}
 *
 * Each kind of error has one stable type URI (the hb_problem table in http.c); clients switch on
 * `type`, people read `detail`. A handler reports an error by calling hb_http_fail() (or
 * collecting field errors) and returning its result. The text of a response only ever comes from
 * such calls: a library error a handler merely passes up (a database failure, say) becomes a
 * 500 whose detail says nothing about the cause; the cause goes to the server log.
 */
#ifndef HB_SERVER_HTTP_H
#define HB_SERVER_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/accounts.h"
#include "core/policy.h"
#include "server/json.h"
#include "server/router.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/table.h"

typedef enum hb_problem {
    HB_PROBLEM_NONE,
    HB_PROBLEM_MALFORMED,          /* 400 unparseable JSON, a bad parameter or header */
    HB_PROBLEM_JSON_TOO_DEEP,      /* 400 */
    HB_PROBLEM_UNAUTHENTICATED,    /* 401 */
    HB_PROBLEM_FORBIDDEN,          /* 403 */
    HB_PROBLEM_NOT_FOUND,          /* 404 */
    HB_PROBLEM_METHOD_NOT_ALLOWED, /* 405 */
    HB_PROBLEM_REQUEST_TIMEOUT,    /* 408, written by the watchdog (watchdog.h) */
    HB_PROBLEM_CONFLICT,           /* 409 */
    HB_PROBLEM_TOO_LARGE,          /* 413 */
    HB_PROBLEM_MEDIA_TYPE,         /* 415 */
    HB_PROBLEM_VALIDATION,         /* 422 */
    HB_PROBLEM_IDEMPOTENCY_REUSED, /* 422 */
    HB_PROBLEM_INTERNAL,           /* 500 */
    HB_PROBLEM_UNAVAILABLE,        /* 503 */
    HB_PROBLEM_COUNT
} hb_problem;

/* The stable type URI, title and status of a problem. */
const char *hb_problem_type(hb_problem p);
const char *hb_problem_title(hb_problem p);
unsigned hb_problem_status(hb_problem p);

/* Query-string lookup: the value of name, or NULL. */
typedef const char *(*hb_lookup_fn)(void *ctx, const char *name);

struct hb_metrics;
struct hb_cache;

typedef struct hb_request {
    const char *method;
    const char *path; /* without the query string */
    const hb_route *route;
    hb_route_params params;
    hb_store *db;            /* this request's database connection */
    const hb_principal *who; /* the caller; NULL on public routes */
    const char *body;        /* NUL-terminated; "" when none */
    size_t body_len;
    const char *source; /* "http 192.0.2.7": for the audit log */
    hb_lookup_fn query;
    void *query_ctx;
    hb_lookup_fn header; /* request headers */
    void *header_ctx;
    struct hb_metrics *metrics;
    struct hb_cache *cache;
    const char *key_dir; /* signing keys: DIR/J/dsc.key signs J's certificates (server.h) */

    /* Filled by the handler. */
    char object[HB_AUDIT_FIELD_MAX + 1]; /* what the request acted on: "org/hk-qmh" */
    hb_problem problem;
    char detail[HB_ERROR_MESSAGE_MAX];
    hb_field_errors errors;
} hb_request;

typedef struct hb_response {
    unsigned status;
    char content_type[64];
    hb_buf body;
    char location[HB_AUDIT_FIELD_MAX + 1]; /* "" = no Location header */
    /* What an Idempotency-Key replay sends instead of body (owned; NULL = body itself): a
     * response with a secret in it is stored without. */
    char *replay_body;
    /* Cache-Control (static string); NULL = "no-store": responses carry tokens and health data,
     * never to be kept by anything in between. */
    const char *cache_control;
    /* Content-Security-Policy (static string) of a document the browser renders: the
     * dashboard's files (web.h); NULL = none. With it goes Referrer-Policy: no-referrer. */
    const char *security_policy;
    /* One more header when needed: WWW-Authenticate, Allow, Retry-After. Static or owned by the
     * exchange. */
    const char *extra_name;
    char extra_value[128];
} hb_response;

void hb_request_init(hb_request *req);
void hb_request_dispose(hb_request *req);
void hb_response_init(hb_response *res);
void hb_response_dispose(hb_response *res);

/* Record the error the client will see and return HB_EINVAL for the handler to return. The
 * detail must not contain internal information (SQL, paths, library messages). */
int hb_http_fail(hb_request *req, hb_problem problem, const char *fmt, ...) HB_PRINTF(3, 4);

/* The raw HTTP/1.1 408 response (status line, headers, problem body) the watchdog writes to a
 * client too slow to send its headers, into out[size] (512 bytes are enough). */
void hb_http_timeout_response(char *out, size_t size);

/* Render req's recorded problem (or, when none was recorded, an internal error) into res. */
void hb_http_render_problem(const hb_request *req, hb_response *res);

/* Set res to a JSON document; consumes doc. */
int hb_http_json(hb_response *res, unsigned status, json_t *doc);

/*
 * Read the body as a JSON object and check it against fields[0..n). On success *out is the
 * document (caller decrefs). On failure the problem is recorded (malformed, too deep,
 * validation with every field error) and its code returned.
 */
int hb_http_body(hb_request *req, const hb_field *fields, size_t n, json_t **out);

/* The string member name of a checked body, or NULL when absent. */
const char *hb_http_body_str(const json_t *body, const char *name);

/* Which of its route's media types the request's body is (for routes that take several). */
hb_media hb_http_body_media(const hb_request *req);

/* Query parameters. Absent → the default; present but invalid → a recorded problem. */
int hb_http_query_int(hb_request *req, const char *name, int64_t min, int64_t max, int64_t dflt,
                      int64_t *out);
const char *hb_http_query(const hb_request *req, const char *name);
/* A request header, or NULL. */
const char *hb_http_header(const hb_request *req, const char *name);

/*
 * Cursor pagination. A cursor is opaque to clients: the base64url text of the last item's key.
 * hb_http_page() reads ?limit (1..HB_PAGE_LIMIT_MAX, default HB_PAGE_LIMIT_DEFAULT) and ?cursor
 * (decoded into after[after_size], "" when absent). hb_http_page_end() adds "next_cursor" to a
 * list document: the cursor after last_key when more = true, else null.
 */
int hb_http_page(hb_request *req, size_t *limit, char *after, size_t after_size);
int hb_http_page_end(json_t *doc, bool more, const char *last_key);

/*
 * May the caller do action to target? 0 when allowed. Refused: 403 when the caller may know the
 * object exists (visible), else 404, so that objects out of reach cannot be probed.
 */
int hb_http_authorize(hb_request *req, hb_action action, const hb_policy_target *target,
                      bool visible);

/* Set res to {"items": <table as JSON>} (200). */
int hb_http_table(hb_response *res, const hb_table *table);
/* The same for one page of a paginated list, with "next_cursor" as hb_http_page_end() makes it. */
int hb_http_table_page(hb_response *res, const hb_table *table, bool more, const char *last_key);

/*
 * Parse an Authorization header value as RFC 6750 bearer credentials: "Bearer" (any case), one or
 * more spaces, and a b64token. *token points into header. HB_EAUTH when the header uses another
 * scheme or is malformed.
 */
int hb_http_bearer(const char *header, const char **token, size_t *len);

#endif
