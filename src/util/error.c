/*
 * util/error.c — the thread-local last-error slot behind hb_error_last().
 *
 * One fixed buffer per thread: recording an error never allocates, so an out-of-memory failure can
 * still be reported.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/limits.h"

static _Thread_local char error_message[HB_ERROR_MESSAGE_MAX];
static _Thread_local int error_code;

int hb_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_message, sizeof error_message, fmt, ap);
    va_end(ap);
    error_code = code;
    return code;
}

int hb_error_prefix(const char *fmt, ...)
{
    char prefix[HB_ERROR_MESSAGE_MAX];
    char old[HB_ERROR_MESSAGE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, error_message, sizeof old);
    /* Truncation keeps the start of the message (the context); it cannot overflow. */
    size_t plen = strlen(prefix);
    size_t olen = strnlen(old, sizeof old - 1);
    if (olen > sizeof error_message - 1 - plen)
        olen = sizeof error_message - 1 - plen;
    memcpy(error_message, prefix, plen);
    memcpy(error_message + plen, old, olen);
    error_message[plen + olen] = '\0';
    return error_code;
}

void hb_error_clear(void)
{
    error_message[0] = '\0';
    error_code = HB_OK;
}

const char *hb_error_last(void)
{
    return error_message;
}

int hb_error_last_code(void)
{
    return error_code;
}

const char *hb_error_name(int code)
{
    switch (code) {
    case HB_OK:
        return "ok";
    case HB_EINVAL:
        return "invalid";
    case HB_ENOTFOUND:
        return "not_found";
    case HB_ELIMIT:
        return "limit";
    case HB_ENOMEM:
        return "out_of_memory";
    case HB_ECONFLICT:
        return "conflict";
    case HB_EPERM:
        return "forbidden";
    case HB_ENODATA:
        return "no_data";
    case HB_EAUTH:
        return "unauthenticated";
    default:
        return "error";
    }
}
