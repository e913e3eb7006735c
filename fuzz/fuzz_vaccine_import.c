/*
 * fuzz/fuzz_vaccine_import.c — libFuzzer target for recording doses over HTTP: the handler of
 * POST /api/v1/vaccinations run in-process on any body, as JSON (the depth check, the strict
 * parser, each dose's field checks and its rendering as CSV) or as a CSV file (first byte odd),
 * then the module's import with its per-dose policy question, against an in-memory SQLite
 * database with every migration applied. Each input runs in a transaction that is rolled back,
 * so every input meets the same database. Any bytes must give an answer or a problem the client
 * can read — never a crash, a leak, an internal error, or problems that were not counted.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/schema.h"
#include "server/routes.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hb_store *db;
static const hb_route *route;
/* A Hong Kong hospital's reporter: records doses given in Hong Kong, no others. */
static const hb_principal who = { "0123456789abcdef", "hk-qmh", "HK", HB_ORG_HOSPITAL,
                                  1u << HB_ROLE_REPORTER };

static void setup(void)
{
    size_t count, applied, n;
    const hb_migration *list = hb_schema_migrations(&count);
    hb_org org = { .code = "hk-qmh",
                   .name = "Queen Mary Hospital",
                   .kind = HB_ORG_HOSPITAL,
                   .jurisdiction = "HK" };
    if (hb_store_open(&db, ":memory:", HB_STORE_CREATE) < 0 ||
        hb_migrate(db, list, count, &applied, NULL, NULL) < 0 || hb_org_create(db, &org) < 0)
        abort();
    const hb_route *routes = hb_routes(&n);
    for (size_t i = 0; i < n && !route; i++)
        if (strcmp(routes[i].pattern, "/api/v1/vaccinations") == 0)
            route = &routes[i];
    if (!route)
        abort();
}

static const char *header(void *ctx, const char *name)
{
    return strcasecmp(name, "Content-Type") == 0 ? ctx : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    if (size < 1)
        return 0;
    char *body = hb_malloc(size); /* the body and its NUL; a NUL inside is the parsers' */
    if (!body)
        return 0;
    memcpy(body, data + 1, size - 1);
    body[size - 1] = '\0';
    hb_request req;
    hb_response res;
    hb_request_init(&req);
    hb_response_init(&res);
    req.method = "POST";
    req.path = route->pattern;
    req.route = route;
    req.db = db;
    req.who = &who;
    req.body = body;
    req.body_len = size - 1;
    req.header = header;
    req.header_ctx = (void *)(data[0] & 1 ? "text/csv" : "application/json");
    if (hb_store_begin(db) < 0)
        abort();
    int rc = route->handler(&req, &res);
    hb_store_rollback(db);
    if (rc == 0 && res.status != 200 && res.status != 201)
        __builtin_trap(); /* accepted, yet not answered as such */
    if (rc < 0 && req.problem == HB_PROBLEM_NONE)
        __builtin_trap(); /* a failure the client would only see as a 500 */
    if (rc == 0 && req.errors.count != 0)
        __builtin_trap(); /* accepted, yet problems were found */
    hb_request_dispose(&req);
    hb_response_dispose(&res);
    hb_free(body);
    return 0;
}
