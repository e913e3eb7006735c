/*
 * server/http.c — problem details, JSON responses, body and query helpers (see http.h).
 */
#include "server/http.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/parse.h"
#include "util/table.h"

#define PROBLEM_BASE "https://healthybay.invalid/problems/"

static const struct {
    const char *slug;
    const char *title;
    unsigned status;
} problems[] = {
    [HB_PROBLEM_NONE] = { "about:blank", "No problem", 200 },
    [HB_PROBLEM_MALFORMED] = { "malformed-request", "Malformed request", 400 },
    [HB_PROBLEM_JSON_TOO_DEEP] = { "json-too-deep", "JSON nested too deeply", 400 },
    [HB_PROBLEM_UNAUTHENTICATED] = { "unauthenticated", "Authentication required", 401 },
    [HB_PROBLEM_FORBIDDEN] = { "forbidden", "Not allowed", 403 },
    [HB_PROBLEM_NOT_FOUND] = { "not-found", "Not found", 404 },
    [HB_PROBLEM_METHOD_NOT_ALLOWED] = { "method-not-allowed", "Method not allowed", 405 },
    [HB_PROBLEM_REQUEST_TIMEOUT] = { "request-timeout", "Request timeout", 408 },
    [HB_PROBLEM_CONFLICT] = { "conflict", "Conflict", 409 },
    [HB_PROBLEM_TOO_LARGE] = { "payload-too-large", "Request body too large", 413 },
    [HB_PROBLEM_MEDIA_TYPE] = { "unsupported-media-type", "Unsupported media type", 415 },
    [HB_PROBLEM_VALIDATION] = { "validation", "Invalid request body", 422 },
    [HB_PROBLEM_IDEMPOTENCY_REUSED] = { "idempotency-key-reused",
                                        "Idempotency-Key reused for another request", 422 },
    [HB_PROBLEM_INTERNAL] = { "internal", "Internal error", 500 },
    [HB_PROBLEM_UNAVAILABLE] = { "unavailable", "Service unavailable", 503 },
};
_Static_assert(sizeof problems / sizeof problems[0] == HB_PROBLEM_COUNT, "every problem listed");

const char *hb_problem_type(hb_problem p)
{
    static _Thread_local char uri[96];
    snprintf(uri, sizeof uri, PROBLEM_BASE "%s", problems[p].slug);
    return uri;
}

const char *hb_problem_title(hb_problem p)
{
    return problems[p].title;
}

unsigned hb_problem_status(hb_problem p)
{
    return problems[p].status;
}

void hb_request_init(hb_request *req)
{
    memset(req, 0, sizeof *req);
    req->body = "";
}

void hb_request_dispose(hb_request *req)
{
    hb_field_errors_dispose(&req->errors);
}

void hb_response_init(hb_response *res)
{
    memset(res, 0, sizeof *res);
    hb_buf_init(&res->body, HB_HTTP_RESPONSE_MAX);
}

void hb_response_dispose(hb_response *res)
{
    hb_buf_dispose(&res->body);
    hb_free(res->replay_body);
    res->replay_body = NULL;
}

int hb_http_fail(hb_request *req, hb_problem problem, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(req->detail, sizeof req->detail, fmt, ap);
    va_end(ap);
    req->problem = problem;
    return HB_EINVAL;
}

void hb_http_timeout_response(char *out, size_t size)
{
    static const char body[] = "{\"type\":\"" PROBLEM_BASE "request-timeout\","
                               "\"title\":\"Request timeout\",\"status\":408,"
                               "\"detail\":\"the request headers did not arrive in time\"}";
    snprintf(out, size,
             "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\n"
             "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
             sizeof body - 1, body);
}

int hb_http_json(hb_response *res, unsigned status, json_t *doc)
{
    if (!doc)
        return hb_error_set(HB_ENOMEM, "cannot build the JSON response");
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text)
        return hb_error_set(HB_ENOMEM, "cannot render the JSON response");
    hb_buf_reset(&res->body);
    int rc = hb_buf_puts(&res->body, text);
    hb_free(text); /* jansson allocates with the C allocator, as hb_malloc does */
    res->status = status;
    snprintf(res->content_type, sizeof res->content_type, "application/json");
    return rc;
}

void hb_http_render_problem(const hb_request *req, hb_response *res)
{
    hb_problem p = req->problem == HB_PROBLEM_NONE ? HB_PROBLEM_INTERNAL : req->problem;
    const char *detail = req->problem == HB_PROBLEM_NONE
                             ? "the server could not complete the request; it has been logged"
                             : req->detail;
    json_t *doc = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", hb_problem_type(p), "title",
                            hb_problem_title(p), "status", (int)hb_problem_status(p), "detail",
                            detail, "instance", req->path ? req->path : "");
    if (doc && req->errors.list)
        json_object_set(doc, "errors", req->errors.list);
    hb_buf_reset(&res->body);
    if (hb_http_json(res, hb_problem_status(p), doc) < 0) {
        /* Out of memory while reporting an error: a fixed body is still a valid answer. */
        hb_buf_reset(&res->body);
        hb_buf_puts(&res->body, "{\"type\":\"" PROBLEM_BASE "internal\",\"status\":500}");
        res->status = 500;
    }
    snprintf(res->content_type, sizeof res->content_type, "application/problem+json");
}

int hb_http_body(hb_request *req, const hb_field *fields, size_t n, json_t **out)
{
    *out = NULL;
    if (!hb_json_depth_ok(req->body, req->body_len, HB_JSON_DEPTH_MAX))
        return hb_http_fail(req, HB_PROBLEM_JSON_TOO_DEEP,
                            "the body nests arrays or objects more than %d levels deep",
                            HB_JSON_DEPTH_MAX);
    char why[256];
    json_t *doc = hb_json_parse_object(req->body, req->body_len, why, sizeof why);
    if (!doc)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "%s", why);
    size_t bad = hb_json_check_fields(doc, fields, n, &req->errors);
    if (bad > 0) {
        json_decref(doc);
        return hb_http_fail(req, HB_PROBLEM_VALIDATION, "%zu field%s invalid", bad,
                            bad == 1 ? " is" : "s are");
    }
    *out = doc;
    return 0;
}

const char *hb_http_body_str(const json_t *body, const char *name)
{
    return json_string_value(json_object_get(body, name));
}

const char *hb_http_query(const hb_request *req, const char *name)
{
    return req->query ? req->query(req->query_ctx, name) : NULL;
}

const char *hb_http_header(const hb_request *req, const char *name)
{
    return req->header ? req->header(req->header_ctx, name) : NULL;
}

int hb_http_query_int(hb_request *req, const char *name, int64_t min, int64_t max, int64_t dflt,
                      int64_t *out)
{
    const char *v = hb_http_query(req, name);
    *out = dflt;
    if (!v)
        return 0;
    if (hb_parse_int64(out, v, strlen(v)) < 0 || *out < min || *out > max)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter '%s' must be an integer from %lld to %lld", name,
                            (long long)min, (long long)max);
    return 0;
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64url without padding of in[0..len) into out (size >= 4 * len / 3 + 4). */
static void b64_encode(char *out, const unsigned char *in, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
        if (i + 1 < len)
            out[o++] = b64url[v >> 6 & 63];
        if (i + 2 < len)
            out[o++] = b64url[v & 63];
    }
    out[o] = '\0';
}

/* Decode base64url text into out[size] as a NUL-terminated string; false when malformed, too
 * long, or when the decoded text has a control character or NUL. */
static bool b64_decode(char *out, size_t size, const char *text)
{
    size_t len = strlen(text), o = 0;
    unsigned v = 0;
    int bits = 0;
    if (len % 4 == 1)
        return false;
    for (size_t i = 0; i < len; i++) {
        const char *at = memchr(b64url, text[i], 64);
        if (!at || text[i] == '\0')
            return false;
        v = (v << 6 | (unsigned)(at - b64url)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            unsigned char c = (unsigned char)(v >> bits);
            if (o + 1 >= size || c < 0x20)
                return false;
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return true;
}

int hb_http_page(hb_request *req, size_t *limit, char *after, size_t after_size)
{
    int64_t n;
    int rc = hb_http_query_int(req, "limit", 1, HB_PAGE_LIMIT_MAX, HB_PAGE_LIMIT_DEFAULT, &n);
    if (rc < 0)
        return rc;
    *limit = (size_t)n;
    after[0] = '\0';
    const char *cursor = hb_http_query(req, "cursor");
    if (cursor &&
        (strlen(cursor) > 4 * after_size / 3 + 4 || !b64_decode(after, after_size, cursor)))
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'cursor' is not a cursor this server gave out");
    return 0;
}

#define CURSOR_SIZE (4 * HB_AUDIT_FIELD_MAX / 3 + 8)

/* The cursor that continues after last_key. */
static void cursor_after(char out[CURSOR_SIZE], const char *last_key)
{
    b64_encode(out, (const unsigned char *)last_key, strnlen(last_key, HB_AUDIT_FIELD_MAX));
}

int hb_http_page_end(json_t *doc, bool more, const char *last_key)
{
    if (!more)
        return json_object_set_new(doc, "next_cursor", json_null()) == 0 ? 0 : HB_ENOMEM;
    char cursor[CURSOR_SIZE];
    cursor_after(cursor, last_key);
    return json_object_set_new(doc, "next_cursor", json_string(cursor)) == 0 ? 0 : HB_ENOMEM;
}

int hb_http_authorize(hb_request *req, hb_action action, const hb_policy_target *target,
                      bool visible)
{
    if (hb_policy_check(req->who, action, target) == 0)
        return 0;
    if (!visible)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "there is no resource at %s", req->path);
    /* The policy's message names the caller's organisation, the action and the jurisdiction
     * relation: all known to the caller. */
    return hb_http_fail(req, HB_PROBLEM_FORBIDDEN, "%s", hb_error_last());
}

/* {"items": <table>} with, for a page of a paginated list, "next_cursor". */
static int table_document(hb_response *res, const hb_table *table, bool paged, bool more,
                          const char *last_key)
{
    char cursor[CURSOR_SIZE];
    hb_buf_reset(&res->body);
    int rc = hb_buf_puts(&res->body, "{\"items\": ");
    if (rc == 0)
        rc = hb_table_render(table, HB_FORMAT_JSON, &res->body);
    if (rc == 0 && paged && more) {
        cursor_after(cursor, last_key);
        rc = hb_buf_printf(&res->body, ", \"next_cursor\": \"%s\"", cursor);
    } else if (rc == 0 && paged) {
        rc = hb_buf_puts(&res->body, ", \"next_cursor\": null");
    }
    if (rc == 0)
        rc = hb_buf_puts(&res->body, "}\n");
    res->status = 200;
    snprintf(res->content_type, sizeof res->content_type, "application/json");
    return rc;
}

int hb_http_table(hb_response *res, const hb_table *table)
{
    return table_document(res, table, false, false, NULL);
}

int hb_http_table_page(hb_response *res, const hb_table *table, bool more, const char *last_key)
{
    return table_document(res, table, true, more, last_key);
}

hb_media hb_http_body_media(const hb_request *req)
{
    return hb_media_match(hb_http_header(req, "Content-Type"), req->route->media);
}
