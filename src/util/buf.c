/*
 * util/buf.c — growable buffer. Growth doubles the capacity (amortised O(1) appends) but never
 * allocates beyond max + 1 bytes.
 */
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"

void hb_buf_init(hb_buf *buf, size_t max)
{
    buf->ptr = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max ? max : HB_BUF_DEFAULT_MAX;
}

void hb_buf_dispose(hb_buf *buf)
{
    hb_free(buf->ptr);
    buf->ptr = NULL;
    buf->len = 0;
    buf->cap = 0;
}

void hb_buf_reset(hb_buf *buf)
{
    buf->len = 0;
    if (buf->ptr)
        buf->ptr[0] = '\0';
}

/* Make room for extra more bytes plus the NUL. */
static int reserve(hb_buf *buf, size_t extra)
{
    size_t need;
    if (!hb_size_add(&need, buf->len, extra) || need > buf->max)
        return hb_error_set(HB_ELIMIT, "buffer would exceed its limit of %zu bytes", buf->max);
    need += 1;
    if (need <= buf->cap)
        return 0;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > buf->max + 1)
        cap = buf->max + 1;
    char *p = hb_realloc(buf->ptr, cap);
    if (!p)
        return HB_ENOMEM;
    buf->ptr = p;
    buf->cap = cap;
    return 0;
}

int hb_buf_put(hb_buf *buf, const void *data, size_t len)
{
    int rc = reserve(buf, len);
    if (rc < 0)
        return rc;
    if (len)
        memcpy(buf->ptr + buf->len, data, len);
    buf->len += len;
    buf->ptr[buf->len] = '\0';
    return 0;
}

int hb_buf_puts(hb_buf *buf, const char *s)
{
    return hb_buf_put(buf, s, strlen(s));
}

int hb_buf_putc(hb_buf *buf, char c)
{
    return hb_buf_put(buf, &c, 1);
}

int hb_buf_vprintf(hb_buf *buf, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return hb_error_set(HB_EINVAL, "bad format string");
    int rc = reserve(buf, (size_t)n);
    if (rc < 0)
        return rc;
    vsnprintf(buf->ptr + buf->len, (size_t)n + 1, fmt, ap);
    buf->len += (size_t)n;
    return 0;
}

int hb_buf_printf(hb_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = hb_buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return rc;
}

const char *hb_buf_cstr(const hb_buf *buf)
{
    return buf->ptr ? buf->ptr : "";
}

char *hb_buf_detach(hb_buf *buf)
{
    if (!buf->ptr && reserve(buf, 0) < 0)
        return NULL;
    if (buf->len == 0)
        buf->ptr[0] = '\0';
    char *p = buf->ptr;
    buf->ptr = NULL;
    buf->len = 0;
    buf->cap = 0;
    return p;
}
