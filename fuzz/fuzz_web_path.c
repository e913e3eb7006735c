/*
 * fuzz/fuzz_web_path.c — libFuzzer target for the dashboard's static files (server/web.c): any
 * request path, with GET or another method. A path may only ever find "/" (index.html) or a
 * built file by its exact name; anything else is the router's.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "server/web.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = hb_strndup((const char *)data, size);
    if (!path)
        return 0;
    const hb_embedded_file *f = hb_web_lookup(path);
    if (f && strcmp(path, "/") != 0 && strcmp(path + 1, f->name) != 0)
        __builtin_trap(); /* found by anything but its exact name */
    hb_request req;
    hb_response res;
    hb_request_init(&req);
    hb_response_init(&res);
    req.method = size % 2 ? "GET" : "DELETE";
    req.path = path;
    bool ours = hb_web_serve(&req, &res);
    if (ours && res.status == 200 && (!f || res.body.len != f->size))
        __builtin_trap(); /* 200 only with the file's own bytes */
    hb_request_dispose(&req);
    hb_response_dispose(&res);
    hb_free(path);
    return 0;
}
