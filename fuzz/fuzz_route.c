/*
 * fuzz/fuzz_route.c — libFuzzer target for routing: "METHOD path" against the real route table,
 * and the input as a route pattern. Parameters must stay within their bounds whatever the path.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "server/routes.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = hb_strndup((const char *)data, size);
    if (!text)
        return 0;
    char *space = strchr(text, ' ');
    const char *method = "GET", *path = text;
    if (space) {
        *space = '\0';
        method = text;
        path = space + 1;
    }
    size_t n;
    const hb_route *routes = hb_routes(&n);
    hb_route_params params;
    bool known;
    char allow[64];
    const hb_route *r =
        hb_router_match(routes, n, method, path, &params, &known, allow, sizeof allow);
    if (r && hb_route_param(&params, "org") && strlen(hb_route_param(&params, "org")) == 0)
        __builtin_trap(); /* a matched parameter is never empty */
    (void)hb_router_check_pattern(path);
    hb_free(text);
    return 0;
}
