/*
 * fuzz/fuzz_authorization.c — libFuzzer target for the Authorization header, end to end: the
 * bearer syntax, then the token's shape, lookup and constant-time check against a real (in-memory
 * SQLite) database holding one organisation and one token. Only that token may authenticate.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/accounts.h"
#include "core/schema.h"
#include "server/http.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hb_store *db;
static char valid[HB_TOKEN_TEXT_LEN + 1];

static void setup(void)
{
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    hb_org org = { .code = "hk-dh",
                   .name = "Department of Health",
                   .kind = HB_ORG_HEALTH_AUTHORITY,
                   .jurisdiction = "HK" };
    hb_token_info info;
    if (hb_store_open(&db, ":memory:", HB_STORE_CREATE) < 0 ||
        hb_migrate(db, list, count, &applied, NULL, NULL) < 0 || hb_org_create(db, &org) < 0 ||
        hb_token_create(db, &info, valid, "hk-dh", 1u << HB_ROLE_ADMIN, "fuzz", 1) < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    char *header = hb_strndup((const char *)data, size);
    if (!header)
        return 0;
    const char *token;
    size_t len;
    if (hb_http_bearer(header, &token, &len) == 0) {
        hb_principal who;
        int rc = hb_token_authenticate(db, &who, token, len);
        if (rc == 0 && (len != HB_TOKEN_TEXT_LEN || memcmp(token, valid, len) != 0))
            __builtin_trap(); /* something other than the one token got in */
    }
    hb_free(header);
    return 0;
}
