/*
 * util/buf.h — a growable byte buffer with a hard size cap (curl's dynbuf).
 *
 * The contents are always NUL-terminated so they can be used as a C string; len excludes the NUL.
 * Every append fails with HB_ELIMIT rather than grow past max, and with HB_ENOMEM when the
 * allocator fails; after a failure the buffer keeps its previous contents.
 */
#ifndef HB_UTIL_BUF_H
#define HB_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/error.h"

typedef struct hb_buf {
    char *ptr;  /* owned; NULL until the first append */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* the cap on len */
} hb_buf;

/* Initialise an empty buffer that may grow to max bytes (0 = HB_BUF_DEFAULT_MAX). */
void hb_buf_init(hb_buf *buf, size_t max);
void hb_buf_dispose(hb_buf *buf);
/* Empty the buffer, keeping its memory. */
void hb_buf_reset(hb_buf *buf);

int hb_buf_put(hb_buf *buf, const void *data, size_t len);
int hb_buf_puts(hb_buf *buf, const char *s);
int hb_buf_putc(hb_buf *buf, char c);
int hb_buf_printf(hb_buf *buf, const char *fmt, ...) HB_PRINTF(2, 3);
int hb_buf_vprintf(hb_buf *buf, const char *fmt, va_list ap) HB_PRINTF(2, 0);

/* The contents as a C string ("" when empty); borrowed from buf. */
const char *hb_buf_cstr(const hb_buf *buf);

/* Take ownership of the contents (NUL-terminated, never NULL on success); the buffer is emptied. */
char *hb_buf_detach(hb_buf *buf);

#endif
