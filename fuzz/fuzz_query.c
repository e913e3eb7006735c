/*
 * fuzz/fuzz_query.c — libFuzzer target for list parameters: ?limit and the opaque ?cursor
 * (base64url) are decoded strictly; a decoded cursor never overflows its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "server/http.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input is "limit\ncursor". */
static const char *lookup(void *ctx, const char *name)
{
    char *const *parts = ctx;
    return strcmp(name, "limit") == 0 ? parts[0] : strcmp(name, "cursor") == 0 ? parts[1] : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = hb_strndup((const char *)data, size);
    if (!text)
        return 0;
    char *nl = strchr(text, '\n');
    char *parts[2] = { text, NULL };
    if (nl) {
        *nl = '\0';
        parts[1] = nl + 1;
    }
    hb_request req;
    hb_request_init(&req);
    req.query = lookup;
    req.query_ctx = parts;
    size_t limit;
    char after[32];
    if (hb_http_page(&req, &limit, after, sizeof after) == 0 &&
        (limit < 1 || limit > HB_PAGE_LIMIT_MAX || strlen(after) >= sizeof after))
        __builtin_trap();
    hb_request_dispose(&req);
    hb_free(text);
    return 0;
}
