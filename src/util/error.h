/*
 * util/error.h — recording the calling thread's last error.
 *
 * Set the message where the failure is detected and return the code up the stack untouched:
 *
 *     if (n < 0)
 *         return hb_error_set(HB_EINVAL, "count must be >= 0, got %lld", n);
 *
 * A caller that knows more context (the file name, the line) may prepend it with hb_error_prefix(),
 * which keeps the original reason at the end of the message.
 */
#ifndef HB_UTIL_ERROR_H
#define HB_UTIL_ERROR_H

#include "healthybay/common.h"

#if defined(__GNUC__)
#define HB_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define HB_PRINTF(fmt_index, first_arg)
#endif

/* Record code and message for this thread; returns code so it can be returned directly. */
int hb_error_set(int code, const char *fmt, ...) HB_PRINTF(2, 3);

/* Prepend context ("file.csv:12: ") to the current message; returns the current code. */
int hb_error_prefix(const char *fmt, ...) HB_PRINTF(1, 2);

void hb_error_clear(void);

#endif
