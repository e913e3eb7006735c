/*
 * tests/harness.h — the test harness: register with TEST(), assert with CHECK*().
 *
 *     TEST(date__iso_week_boundaries)
 *     {
 *         CHECK_INT_EQ(hb_date_weekday(0), 4);
 *     }
 *
 * A failed CHECK ends the test at once (longjmp back to the runner) and prints file:line and the
 * values involved. Each test binary runs all its tests, or those named on the command line; ctest
 * runs one process per test (tests/CMakeLists.txt discovers TEST() names), so one crash stops
 * only its own test. Names follow <module>__<case>.
 *
 * Backends: a binary may be given --backend sqlite|postgresql; hb_test_db_url() then returns a
 * fresh, empty database of that kind for the running test. PostgreSQL needs HB_TEST_PG_URL
 * (scripts/pg-test-cluster.sh sets it); without it the test FAILS — it never skips silently.
 */
#ifndef HB_TESTS_HARNESS_H
#define HB_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "healthybay/common.h"

typedef void (*hb_test_fn)(void);

void hb_test_register(const char *name, hb_test_fn fn);

#define TEST(name)                                                 \
    static void test_##name(void);                                 \
    __attribute__((constructor)) static void register_##name(void) \
    {                                                              \
        hb_test_register(#name, test_##name);                      \
    }                                                              \
    static void test_##name(void)

_Noreturn void hb_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                      \
    do {                                                                 \
        if (!(cond))                                                     \
            hb_test_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond); \
    } while (0)

#define CHECK_MSG(cond, ...)                               \
    do {                                                   \
        if (!(cond))                                       \
            hb_test_fail(__FILE__, __LINE__, __VA_ARGS__); \
    } while (0)

#define CHECK_INT_EQ(a, b)                                                              \
    do {                                                                                \
        long long a_ = (long long)(a), b_ = (long long)(b);                             \
        if (a_ != b_)                                                                   \
            hb_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_, b_); \
    } while (0)

/* Expect a healthybay call to succeed (return >= 0); on failure show hb_error_last(). */
#define CHECK_OK(expr)                                                            \
    do {                                                                          \
        int rc_ = (expr);                                                         \
        if (rc_ < 0)                                                              \
            hb_test_fail(__FILE__, __LINE__, "%s failed with %d: %s", #expr, rc_, \
                         hb_test_error_last());                                   \
    } while (0)

/* Expect a call to fail with code; the message must contain needle (NULL = any message). */
#define CHECK_FAILS(expr, code, needle)                                          \
    do {                                                                         \
        int rc_ = (expr);                                                        \
        hb_test_check_failure(__FILE__, __LINE__, #expr, rc_, (code), (needle)); \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                         \
    do {                                                                           \
        const char *a_ = (a), *b_ = (b);                                           \
        if (!hb_test_str_eq(a_, b_))                                               \
            hb_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
                         a_ ? a_ : "(null)", b_ ? b_ : "(null)");                  \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                                           \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        if (!h_ || !hb_test_contains(h_, n_))                                                      \
            hb_test_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", \
                         n_);                                                                      \
    } while (0)

/* |a - b| <= tol * max(|a|, |b|), or both NaN. */
#define CHECK_NEAR_REL(a, b, tol)                                                                 \
    do {                                                                                          \
        double a_ = (a), b_ = (b);                                                                \
        if (!hb_test_near_rel(a_, b_, (tol)))                                                     \
            hb_test_fail(__FILE__, __LINE__, "%s ≈ %s: %.17g vs %.17g (rel. tol %g)", #a, #b, a_, \
                         b_, (double)(tol));                                                      \
    } while (0)

bool hb_test_str_eq(const char *a, const char *b);
bool hb_test_contains(const char *haystack, const char *needle);
bool hb_test_near_rel(double a, double b, double tol);
const char *hb_test_error_last(void);
void hb_test_check_failure(const char *file, int line, const char *expr, int rc, int code,
                           const char *needle);

/* A scratch directory for the running test, removed after it passes. */
const char *hb_test_tmpdir(void);
/* Path of a file in the scratch directory (valid until the next call). */
const char *hb_test_path(const char *name);
/* Write text to a scratch file; returns its path (valid until the next hb_test_path call). */
const char *hb_test_write_file(const char *name, const char *text);
/* Read a whole file (NUL-terminated, caller frees with free()); fails the test if unreadable. */
char *hb_test_read_file(const char *path, size_t *len);

/* The project's source directory (for data files and fixtures). */
const char *hb_test_source_dir(void);

/* The backend chosen with --backend ("sqlite" by default). */
const char *hb_test_backend(void);
/* A fresh empty database of that backend for this test. */
const char *hb_test_db_url(void);

#endif
