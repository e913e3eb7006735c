/*
 * tests/harness.c — test registry and runner (see harness.h).
 *
 * Usage: test_<module> [--backend sqlite|postgresql] [--list] [NAME…]
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "healthybay/common.h"
#include "store/store.h"

#ifndef HB_SOURCE_DIR
#error "HB_SOURCE_DIR must be defined by the build"
#endif

#define MAX_TESTS 4096

static struct {
    const char *name;
    hb_test_fn fn;
} tests[MAX_TESTS];
static size_t ntests;

static jmp_buf on_fail;
static char tmpdir[512];
static char path_buf[1024];
static const char *backend = "sqlite";
static char pg_schema[64];
static char db_url[2048];
static unsigned db_counter;

void hb_test_register(const char *name, hb_test_fn fn)
{
    if (ntests == MAX_TESTS) {
        fprintf(stderr, "harness: too many tests\n");
        exit(2);
    }
    tests[ntests].name = name;
    tests[ntests].fn = fn;
    ntests++;
}

void hb_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "  %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    longjmp(on_fail, 1);
}

bool hb_test_str_eq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

bool hb_test_contains(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

bool hb_test_near_rel(double a, double b, double tol)
{
    if (a != a || b != b)
        return a != a && b != b;
    double diff = a > b ? a - b : b - a;
    double scale = (a < 0 ? -a : a) > (b < 0 ? -b : b) ? (a < 0 ? -a : a) : (b < 0 ? -b : b);
    return diff <= tol * scale || diff == 0;
}

const char *hb_test_error_last(void)
{
    return hb_error_last();
}

void hb_test_check_failure(const char *file, int line, const char *expr, int rc, int code,
                           const char *needle)
{
    if (rc >= 0)
        hb_test_fail(file, line, "%s succeeded (%d), expected failure %d", expr, rc, code);
    if (rc != code)
        hb_test_fail(file, line, "%s failed with %d (%s), expected %d", expr, rc, hb_error_last(),
                     code);
    if (needle && !strstr(hb_error_last(), needle))
        hb_test_fail(file, line, "%s: message \"%s\" lacks \"%s\"", expr, hb_error_last(), needle);
}

const char *hb_test_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/hbtest.XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            exit(2);
        }
    }
    return tmpdir;
}

const char *hb_test_path(const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", hb_test_tmpdir(), name);
    return path_buf;
}

const char *hb_test_write_file(const char *name, const char *text)
{
    const char *path = hb_test_path(name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
        hb_test_fail(__FILE__, __LINE__, "cannot write %s", path);
    return path;
}

char *hb_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        hb_test_fail(__FILE__, __LINE__, "cannot open %s", path);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        hb_test_fail(__FILE__, __LINE__, "out of memory reading %s", path);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

const char *hb_test_source_dir(void)
{
    return HB_SOURCE_DIR;
}

const char *hb_test_backend(void)
{
    return backend;
}

/* Run DDL against the base PostgreSQL database given by HB_TEST_PG_URL. */
static void pg_admin(const char *sql)
{
    const char *base = getenv("HB_TEST_PG_URL");
    hb_store *s;
    if (hb_store_open(&s, base, 0) < 0)
        hb_test_fail(__FILE__, __LINE__, "cannot reach PostgreSQL at HB_TEST_PG_URL: %s",
                     hb_error_last());
    int rc = hb_store_exec(s, sql);
    hb_store_close(s);
    if (rc < 0)
        hb_test_fail(__FILE__, __LINE__, "%s: %s", sql, hb_error_last());
}

static void drop_pg_schema(void)
{
    if (pg_schema[0]) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", pg_schema);
        pg_admin(sql);
        pg_schema[0] = '\0';
    }
}

const char *hb_test_db_url(void)
{
    db_counter++;
    if (strcmp(backend, "sqlite") == 0) {
        char name[64];
        snprintf(name, sizeof name, "test-%u.db", db_counter);
        snprintf(db_url, sizeof db_url, "%s", hb_test_path(name));
        return db_url;
    }
    const char *base = getenv("HB_TEST_PG_URL");
    if (!base || !*base)
        hb_test_fail(__FILE__, __LINE__,
                     "--backend postgresql needs HB_TEST_PG_URL (start a cluster with "
                     "scripts/pg-test-cluster.sh); refusing to skip");
    drop_pg_schema();
    snprintf(pg_schema, sizeof pg_schema, "t_%ld_%u", (long)getpid(), db_counter);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", pg_schema);
    pg_admin(sql);
    snprintf(db_url, sizeof db_url, "%s%coptions=-csearch_path%%3D%s", base,
             strchr(base, '?') ? '&' : '?', pg_schema);
    return db_url;
}

static void remove_tmpdir(void)
{
    if (tmpdir[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "harness: could not remove %s\n", tmpdir);
        tmpdir[0] = '\0';
    }
}

/* Run test i; returns 1 when it failed. Kept apart from main so that no local of main is live
 * across setjmp. */
static size_t run_test(size_t i)
{
    if (setjmp(on_fail) == 0) {
        tests[i].fn();
        drop_pg_schema();
        remove_tmpdir(); /* kept after a failure, for inspection */
        printf("ok   %s\n", tests[i].name);
        return 0;
    }
    if (tmpdir[0])
        printf("FAIL %s  (files kept in %s)\n", tests[i].name, tmpdir);
    else
        printf("FAIL %s\n", tests[i].name);
    tmpdir[0] = '\0';
    pg_schema[0] = '\0';
    return 1;
}

static bool selected(const char *name, int argc, char **argv, int first)
{
    if (first >= argc)
        return true;
    for (int i = first; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    int first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--list") == 0) {
            for (size_t i = 0; i < ntests; i++)
                puts(tests[i].name);
            return 0;
        } else if (strcmp(argv[first], "--backend") == 0 && first + 1 < argc) {
            backend = argv[++first];
            if (strcmp(backend, "sqlite") != 0 && strcmp(backend, "postgresql") != 0) {
                fprintf(stderr, "harness: unknown backend %s\n", backend);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: %s [--backend sqlite|postgresql] [--list] [NAME…]\n", argv[0]);
            return 2;
        }
    }
    size_t run = 0, failed = 0;
    for (size_t i = 0; i < ntests; i++) {
        if (!selected(tests[i].name, argc, argv, first))
            continue;
        run++;
        failed += run_test(i);
    }
    if (run == 0) {
        fprintf(stderr, "harness: no test matched\n");
        return 2;
    }
    printf("%zu/%zu passed\n", run - failed, run);
    return failed ? 1 : 0;
}
