/*
 * healthybay/common.h — what every public healthybay header shares: error codes, the last-error
 * message, calendar dates and the library version.
 *
 * Error convention (libgit2-style): functions return int, 0 on success and a negative HB_E* code on
 * failure. The function that detects the failure records one short human-readable message for the
 * calling thread; read it with hb_error_last(). Messages are never overwritten on the way up, so
 * the message always names the first thing that went wrong.
 *
 * Codes are append-only: never renumber or remove one (curl.h rule).
 */
#ifndef HEALTHYBAY_COMMON_H
#define HEALTHYBAY_COMMON_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HB_VERSION "0.1.0"

enum hb_error_code {
    HB_OK = 0,
    HB_ERROR = -1,     /* generic failure: I/O, database, internal */
    HB_EINVAL = -2,    /* invalid argument or input data */
    HB_ENOTFOUND = -3, /* the named object does not exist */
    HB_ELIMIT = -4,    /* a documented limit was exceeded */
    HB_ENOMEM = -5,    /* out of memory */
    HB_ECONFLICT = -6, /* the object exists already, or a concurrent change won */
    HB_EPERM = -7,     /* not allowed */
    HB_ENODATA = -8,   /* too little data for the computation (not an error of the caller) */
    HB_EAUTH = -9      /* missing, malformed, unknown, expired or revoked credentials */
};

/* The calling thread's last error message; "" when none. Borrowed: valid until the next failing
 * healthybay call on this thread. Never NULL. */
const char *hb_error_last(void);

/* The last error code recorded with the message above (HB_OK when none). */
int hb_error_last_code(void);

/* A stable lowercase name for an error code, e.g. "invalid" for HB_EINVAL. Never NULL. */
const char *hb_error_name(int code);

/*
 * Calendar dates are days since 1970-01-01 in the proleptic Gregorian calendar. All three
 * jurisdictions are UTC+8 and surveillance counts are per calendar day, so a date never carries a
 * time of day or a zone. int32 covers ±5.8 million years.
 */
typedef int32_t hb_date;

#ifdef __cplusplus
}
#endif
#endif
