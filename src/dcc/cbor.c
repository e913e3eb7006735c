/*
 * dcc/cbor.c — CBOR reader, writer and JSON conversion (see cbor.h).
 *
 * Every read checks the remaining length before touching a byte; lengths from the input are
 * compared with what is left (never added to a pointer first), so a hostile length cannot wrap.
 */
#include "dcc/cbor.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/utf8.h"

void hb_cbor_init(hb_cbor *r, const uint8_t *data, size_t len)
{
    r->start = data;
    r->p = data;
    r->end = data + len;
}

size_t hb_cbor_offset(const hb_cbor *r)
{
    return (size_t)(r->p - r->start);
}

static int fail(const hb_cbor *r, const char *what)
{
    return hb_error_set(HB_EINVAL, "CBOR at offset %zu: %s", hb_cbor_offset(r), what);
}

static size_t left(const hb_cbor *r)
{
    return (size_t)(r->end - r->p);
}

static uint64_t be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static double half_to_double(unsigned h)
{
    unsigned exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    double v;
    if (exp == 0)
        v = ldexp(mant, -24);
    else if (exp != 31)
        v = ldexp(mant + 1024, (int)exp - 25);
    else
        v = mant == 0 ? INFINITY : NAN;
    return (h & 0x8000) ? -v : v;
}

static void read_float(hb_cbor_item *item, const uint8_t *p, unsigned info)
{
    if (info == 25) {
        item->real = half_to_double((unsigned)be(p, 2));
    } else if (info == 26) {
        uint32_t bits = (uint32_t)be(p, 4);
        float f;
        memcpy(&f, &bits, sizeof f);
        item->real = f;
    } else {
        uint64_t bits = be(p, 8);
        memcpy(&item->real, &bits, sizeof item->real);
    }
}

int hb_cbor_read(hb_cbor *r, hb_cbor_item *item)
{
    if (left(r) < 1)
        return fail(r, "unexpected end of data");
    uint8_t ib = *r->p;
    unsigned info = ib & 0x1f;
    memset(item, 0, sizeof *item);
    item->major = ib >> 5;
    if (info >= 28 && info <= 30)
        return fail(r, "reserved additional information (28-30)");
    if (info == 31) {
        if (item->major != HB_CBOR_ARRAY && item->major != HB_CBOR_MAP)
            return fail(r, item->major == HB_CBOR_SIMPLE
                               ? "break outside an indefinite-length container"
                               : "indefinite-length strings and integers are not accepted");
        r->p++;
        item->indefinite = true;
        return 0;
    }
    size_t n = info < 24 ? 0 : (size_t)1 << (info - 24);
    if (left(r) < 1 + n)
        return fail(r, "truncated item head");
    item->arg = n ? be(r->p + 1, n) : info;
    if (item->major == HB_CBOR_SIMPLE && n >= 2) {
        item->is_float = true;
        read_float(item, r->p + 1, info);
    }
    if (item->major == HB_CBOR_SIMPLE && n == 1 && item->arg < 32)
        return fail(r, "simple value below 32 in two bytes");
    r->p += 1 + n;
    if (item->major == HB_CBOR_BYTES || item->major == HB_CBOR_TEXT) {
        if (item->arg > left(r))
            return fail(r, "string longer than the data left");
        item->ptr = r->p;
        r->p += item->arg;
    }
    return 0;
}

bool hb_cbor_break(hb_cbor *r)
{
    if (left(r) >= 1 && *r->p == 0xff) {
        r->p++;
        return true;
    }
    return false;
}

static int skip_elements(hb_cbor *r, const hb_cbor_item *item, int depth)
{
    uint64_t per = item->major == HB_CBOR_MAP ? 2 : 1;
    if (item->indefinite) {
        while (!hb_cbor_break(r))
            for (uint64_t k = 0; k < per; k++) { /* a map's break may only follow a value */
                int rc = hb_cbor_skip_next(r, depth + 1);
                if (rc < 0)
                    return rc;
            }
        return 0;
    }
    /* Each element takes at least one byte, so a count beyond the data left is an error. */
    if (item->arg > left(r) || item->arg * per > left(r))
        return fail(r, "more elements announced than bytes left");
    for (uint64_t i = 0; i < item->arg * per; i++) {
        int rc = hb_cbor_skip_next(r, depth + 1);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int hb_cbor_skip(hb_cbor *r, const hb_cbor_item *item, int depth)
{
    if (depth >= HB_CBOR_DEPTH_MAX)
        return fail(r, "nested deeper than the limit (HB_CBOR_DEPTH_MAX)");
    switch (item->major) {
    case HB_CBOR_ARRAY:
    case HB_CBOR_MAP:
        return skip_elements(r, item, depth);
    case HB_CBOR_TAG:
        return hb_cbor_skip_next(r, depth + 1);
    default:
        return 0;
    }
}

int hb_cbor_skip_next(hb_cbor *r, int depth)
{
    hb_cbor_item item;
    int rc = hb_cbor_read(r, &item);
    return rc < 0 ? rc : hb_cbor_skip(r, &item, depth);
}

bool hb_cbor_int(const hb_cbor_item *item, int64_t *out)
{
    if (item->major == HB_CBOR_UINT && item->arg <= INT64_MAX) {
        *out = (int64_t)item->arg;
        return true;
    }
    if (item->major == HB_CBOR_NINT && item->arg <= INT64_MAX) {
        *out = -1 - (int64_t)item->arg;
        return true;
    }
    return false;
}

static json_t *bytes_to_json(const uint8_t *p, size_t n)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    hb_buf out;
    hb_buf_init(&out, 0);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        size_t chars = i + 2 < n ? 4 : i + 1 < n ? 3 : 2;
        for (size_t k = 0; k < chars; k++)
            if (hb_buf_putc(&out, b64[(v >> (18 - 6 * k)) & 63]) < 0) {
                hb_buf_dispose(&out);
                return NULL;
            }
    }
    json_t *j = json_stringn(hb_buf_cstr(&out), out.len);
    hb_buf_dispose(&out);
    return j;
}

static json_t *epoch_to_json(const hb_cbor_item *item)
{
    int64_t secs;
    if (!hb_cbor_int(item, &secs)) {
        if (!item->is_float || !isfinite(item->real) || fabs(item->real) > 1e15)
            return NULL;
        secs = (int64_t)floor(item->real);
    }
    time_t t = (time_t)secs;
    struct tm tm;
    char text[32];
    if (!gmtime_r(&t, &tm) || strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return json_string(text);
}

static int container_to_json(json_t **out, hb_cbor *r, const hb_cbor_item *item, int depth);

static int scalar_to_json(json_t **out, hb_cbor *r, const hb_cbor_item *item)
{
    int64_t v;
    switch (item->major) {
    case HB_CBOR_UINT:
    case HB_CBOR_NINT:
        if (!hb_cbor_int(item, &v))
            return fail(r, "integer out of the 64-bit signed range");
        *out = json_integer(v);
        break;
    case HB_CBOR_BYTES:
        *out = bytes_to_json(item->ptr, item->arg);
        break;
    case HB_CBOR_TEXT:
        if (hb_utf8_invalid_at((const char *)item->ptr, item->arg) != SIZE_MAX)
            return fail(r, "text string is not valid UTF-8");
        *out = json_stringn((const char *)item->ptr, item->arg);
        break;
    default: /* simple values and floats */
        if (item->is_float && isfinite(item->real))
            *out = json_real(item->real);
        else if (!item->is_float && (item->arg == 20 || item->arg == 21))
            *out = json_boolean(item->arg == 21);
        else if (!item->is_float && (item->arg == 22 || item->arg == 23))
            *out = json_null();
        else
            return fail(r, "simple value or non-finite float has no JSON form");
    }
    return *out ? 0 : hb_error_set(HB_ENOMEM, "out of memory");
}

int hb_cbor_to_json(json_t **out, hb_cbor *r, int depth)
{
    hb_cbor_item item;
    *out = NULL;
    if (depth >= HB_CBOR_DEPTH_MAX)
        return fail(r, "nested deeper than the limit (HB_CBOR_DEPTH_MAX)");
    int rc = hb_cbor_read(r, &item);
    if (rc < 0)
        return rc;
    if (item.major == HB_CBOR_TAG) {
        if (item.arg != 1)
            return hb_cbor_to_json(out, r, depth + 1);
        hb_cbor_item inner;
        if ((rc = hb_cbor_read(r, &inner)) < 0)
            return rc;
        *out = epoch_to_json(&inner);
        return *out ? 0 : fail(r, "tag 1 (epoch time) on something that is not a time");
    }
    if (item.major == HB_CBOR_ARRAY || item.major == HB_CBOR_MAP)
        return container_to_json(out, r, &item, depth);
    return scalar_to_json(out, r, &item);
}

/* One more element of a container? Consumes the break of an indefinite one. */
static bool more(hb_cbor *r, const hb_cbor_item *item, uint64_t i)
{
    return item->indefinite ? !hb_cbor_break(r) : i < item->arg;
}

static int map_entry_to_json(json_t *obj, hb_cbor *r, int depth)
{
    hb_cbor_item key;
    int rc = hb_cbor_read(r, &key);
    if (rc < 0)
        return rc;
    if (key.major != HB_CBOR_TEXT)
        return fail(r, "map key is not a text string (no JSON form)");
    if (hb_utf8_invalid_at((const char *)key.ptr, key.arg) != SIZE_MAX)
        return fail(r, "map key is not valid UTF-8");
    char *name = hb_strndup((const char *)key.ptr, key.arg);
    if (!name)
        return HB_ENOMEM;
    if (strlen(name) != key.arg || json_object_get(obj, name)) {
        hb_free(name);
        return fail(r, "map key contains NUL or is duplicated");
    }
    json_t *value;
    rc = hb_cbor_to_json(&value, r, depth + 1);
    if (rc == 0 && json_object_set_new(obj, name, value) < 0)
        rc = hb_error_set(HB_ENOMEM, "out of memory");
    hb_free(name);
    return rc;
}

static int container_to_json(json_t **out, hb_cbor *r, const hb_cbor_item *item, int depth)
{
    bool is_map = item->major == HB_CBOR_MAP;
    json_t *j = is_map ? json_object() : json_array();
    if (!j)
        return hb_error_set(HB_ENOMEM, "out of memory");
    if (!item->indefinite && item->arg > left(r))
        return json_decref(j), fail(r, "more elements announced than bytes left");
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && more(r, item, i); i++) {
        if (is_map) {
            rc = map_entry_to_json(j, r, depth);
        } else {
            json_t *v;
            rc = hb_cbor_to_json(&v, r, depth + 1);
            if (rc == 0 && json_array_append_new(j, v) < 0)
                rc = hb_error_set(HB_ENOMEM, "out of memory");
        }
    }
    if (rc < 0) {
        json_decref(j);
        return rc;
    }
    *out = j;
    return 0;
}

size_t hb_cbor_encode_head(uint8_t out[9], int major, uint64_t arg)
{
    uint8_t mt = (uint8_t)(major << 5);
    if (arg < 24) {
        out[0] = (uint8_t)(mt | arg);
        return 1;
    }
    size_t bytes = arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffffu ? 4 : 8;
    out[0] = (uint8_t)(mt | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27));
    for (size_t i = 0; i < bytes; i++)
        out[1 + i] = (uint8_t)(arg >> (8 * (bytes - 1 - i)));
    return 1 + bytes;
}

int hb_cbor_put_head(hb_buf *buf, int major, uint64_t arg)
{
    uint8_t head[9];
    return hb_buf_put(buf, head, hb_cbor_encode_head(head, major, arg));
}

int hb_cbor_put_int(hb_buf *buf, int64_t value)
{
    if (value >= 0)
        return hb_cbor_put_head(buf, HB_CBOR_UINT, (uint64_t)value);
    return hb_cbor_put_head(buf, HB_CBOR_NINT, (uint64_t)(-1 - value));
}

int hb_cbor_put_bytes(hb_buf *buf, const void *data, size_t len)
{
    int rc = hb_cbor_put_head(buf, HB_CBOR_BYTES, len);
    return rc < 0 ? rc : hb_buf_put(buf, data, len);
}

int hb_cbor_put_text(hb_buf *buf, const char *text, size_t len)
{
    int rc = hb_cbor_put_head(buf, HB_CBOR_TEXT, len);
    return rc < 0 ? rc : hb_buf_put(buf, text, len);
}

static int compare_keys(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    /* Encoded text keys compare by head (i.e. length) first, then bytewise. */
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return memcmp(x, y, lx);
}

static int object_to_cbor(hb_buf *buf, const json_t *obj, int depth)
{
    size_t n = json_object_size(obj), i = 0;
    const char **keys = hb_mallocarray(n ? n : 1, sizeof *keys);
    if (!keys)
        return HB_ENOMEM;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value) keys[i++] = key;
    qsort(keys, n, sizeof *keys, compare_keys);
    int rc = hb_cbor_put_head(buf, HB_CBOR_MAP, n);
    for (i = 0; rc == 0 && i < n; i++) {
        rc = hb_cbor_put_text(buf, keys[i], strlen(keys[i]));
        if (rc == 0)
            rc = hb_cbor_from_json(buf, json_object_get(obj, keys[i]), depth + 1);
    }
    hb_free(keys);
    return rc;
}

static int real_to_cbor(hb_buf *buf, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint8_t out[9] = { 0xfb };
    for (size_t i = 0; i < 8; i++)
        out[1 + i] = (uint8_t)(bits >> (56 - 8 * i));
    return hb_buf_put(buf, out, sizeof out);
}

int hb_cbor_from_json(hb_buf *buf, const json_t *value, int depth)
{
    if (depth >= HB_CBOR_DEPTH_MAX)
        return hb_error_set(HB_EINVAL, "JSON nested deeper than the limit (HB_CBOR_DEPTH_MAX)");
    uint8_t simple;
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return object_to_cbor(buf, value, depth);
    case JSON_ARRAY: {
        int rc = hb_cbor_put_head(buf, HB_CBOR_ARRAY, json_array_size(value));
        for (size_t i = 0; rc == 0 && i < json_array_size(value); i++)
            rc = hb_cbor_from_json(buf, json_array_get(value, i), depth + 1);
        return rc;
    }
    case JSON_STRING:
        return hb_cbor_put_text(buf, json_string_value(value), json_string_length(value));
    case JSON_INTEGER:
        return hb_cbor_put_int(buf, json_integer_value(value));
    case JSON_REAL:
        return real_to_cbor(buf, json_real_value(value));
    case JSON_TRUE:
        simple = 0xf5;
        break;
    case JSON_FALSE:
        simple = 0xf4;
        break;
    default:
        simple = 0xf6;
    }
    return hb_buf_put(buf, &simple, 1);
}
