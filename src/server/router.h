/*
 * server/router.h — route patterns and matching.
 *
 * A pattern is an absolute path of literal segments and {name} parameters:
 *
 *     /api/v1/orgs/{org}/tokens
 *
 * A parameter matches one whole segment of 1 to HB_ROUTE_PARAM_MAX characters from the URL-safe
 * set [A-Za-z0-9._~-]; anything else (an empty segment, a trailing slash, a percent-decoded '/',
 * a space) does not match, so a handler only ever sees well-formed identifiers. Matching is
 * exact and case-sensitive. The route table itself is in routes.c.
 */
#ifndef HB_SERVER_ROUTER_H
#define HB_SERVER_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/policy.h"

#define HB_ROUTE_PARAMS_MAX 4
#define HB_ROUTE_PARAM_MAX  128

typedef struct hb_route_params {
    size_t count;
    const char *names[HB_ROUTE_PARAMS_MAX]; /* into the pattern, not NUL-terminated */
    size_t name_lens[HB_ROUTE_PARAMS_MAX];
    char values[HB_ROUTE_PARAMS_MAX][HB_ROUTE_PARAM_MAX + 1];
} hb_route_params;

struct hb_request;
struct hb_response;
typedef int (*hb_handler_fn)(struct hb_request *req, struct hb_response *res);

typedef enum hb_access {
    HB_ACCESS_TOKEN, /* a valid bearer token, and the policy allows the action */
    HB_ACCESS_PUBLIC /* anyone: liveness and the API description only */
} hb_access;

/* The media types a route's request body may have: a set of these. The server refuses any other
 * with 415 before reading the body; the handler reads it (JSON: hb_http_body with a field table;
 * a route that takes both asks hb_http_body_media which it got). */
typedef enum hb_media {
    HB_MEDIA_JSON = 1 << 0, /* application/json: every route's, except */
    HB_MEDIA_CSV = 1 << 1   /* text/csv (RFC 4180): bulk files, which modules read whole */
} hb_media;

/* "application/json", "text/csv": the name of one media type. */
const char *hb_media_name(hb_media media);
/* The media type in set that a Content-Type value names — with no parameter, or a charset
 * naming UTF-8 — else 0. */
hb_media hb_media_match(const char *content_type, unsigned set);
/* The names of a set, for messages: "application/json or text/csv". */
void hb_media_describe(unsigned set, char *out, size_t size);

typedef struct hb_route {
    const char *method;  /* "GET", "POST", "DELETE" */
    const char *pattern; /* "/api/v1/orgs/{org}" */
    hb_handler_fn handler;
    hb_access access;
    hb_action action;    /* the policy action (ignored for public routes) */
    size_t body_max;     /* 0: the route takes no body */
    unsigned media;      /* the body's media types, hb_media bits (when body_max > 0), UTF-8 */
    bool personal;       /* reads personal data: every access is audited, reads too */
    const char *summary; /* one line, for logs and the OpenAPI check */
} hb_route;

/*
 * Find the route for method and path. Returns it with params filled, or NULL; then *path_known
 * tells whether some route has this path with another method (405 rather than 404) and allow
 * (allow_size bytes) lists those methods, "GET, POST".
 */
const hb_route *hb_router_match(const hb_route *routes, size_t count, const char *method,
                                const char *path, hb_route_params *params, bool *path_known,
                                char *allow, size_t allow_size);

/* The value of parameter name (NULL when the route has none of that name). */
const char *hb_route_param(const hb_route_params *params, const char *name);

/* Check a pattern's syntax (for the route table test); HB_EINVAL says what is wrong. */
int hb_router_check_pattern(const char *pattern);

#endif
