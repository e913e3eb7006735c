/*
 * util/parse.c — strict number parsing (see parse.h).
 */
#include "util/parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

static int not_a(const char *what, const char *text, size_t len)
{
    if (len == 0)
        return hb_error_set(HB_EINVAL, "empty, expected %s", what);
    return hb_error_set(HB_EINVAL, "'%.*s' is not %s", (int)(len > 40 ? 40 : len), text, what);
}

int hb_parse_int64(int64_t *out, const char *text, size_t len)
{
    size_t i = 0;
    int negative = 0;
    if (len > 0 && (text[0] == '-' || text[0] == '+')) {
        negative = text[0] == '-';
        i = 1;
    }
    if (i == len)
        return not_a("an integer", text, len);
    uint64_t v = 0;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return not_a("an integer", text, len);
        uint64_t digit = (uint64_t)(text[i] - '0');
        if (v > (limit - digit) / 10)
            return hb_error_set(HB_EINVAL, "'%.*s' is too large", (int)(len > 40 ? 40 : len), text);
        v = v * 10 + digit;
    }
    *out = negative ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int hb_parse_double(double *out, const char *text, size_t len)
{
    char tmp[64];
    if (len == 0 || len >= sizeof tmp)
        return not_a("a number", text, len);
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return not_a("a number", text, len);
    }
    memcpy(tmp, text, len);
    tmp[len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + len || errno == ERANGE || !isfinite(v))
        return not_a("a finite number", text, len);
    *out = v;
    return 0;
}
