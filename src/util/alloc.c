/*
 * util/alloc.c — checked allocation. The one file allowed to call malloc and free (scripts/lint.sh
 * enforces it).
 */
#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

static _Thread_local unsigned long alloc_count;
static _Thread_local unsigned long alloc_fail_at;

unsigned long hb_alloc_fail_after(unsigned long n)
{
    unsigned long made = alloc_count;
    alloc_count = 0;
    alloc_fail_at = n;
    return made;
}

static bool should_fail(void)
{
    alloc_count++;
    return alloc_fail_at != 0 && alloc_count >= alloc_fail_at;
}

bool hb_size_mul(size_t *out, size_t a, size_t b)
{
    return !__builtin_mul_overflow(a, b, out);
}

bool hb_size_add(size_t *out, size_t a, size_t b)
{
    return !__builtin_add_overflow(a, b, out);
}

static void *out_of_memory(size_t size)
{
    hb_error_set(HB_ENOMEM, "out of memory allocating %zu bytes", size);
    return NULL;
}

void *hb_malloc(size_t size)
{
    void *p = should_fail() ? NULL : malloc(size ? size : 1);
    return p ? p : out_of_memory(size);
}

void *hb_calloc(size_t count, size_t size)
{
    size_t total;
    if (!hb_size_mul(&total, count, size))
        return out_of_memory(SIZE_MAX);
    void *p = should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
    return p ? p : out_of_memory(total);
}

void *hb_mallocarray(size_t count, size_t size)
{
    size_t total;
    if (!hb_size_mul(&total, count, size))
        return out_of_memory(SIZE_MAX);
    return hb_malloc(total);
}

void *hb_realloc(void *ptr, size_t size)
{
    void *p = should_fail() ? NULL : realloc(ptr, size ? size : 1);
    return p ? p : out_of_memory(size);
}

void *hb_reallocarray(void *ptr, size_t count, size_t size)
{
    size_t total;
    if (!hb_size_mul(&total, count, size))
        return out_of_memory(SIZE_MAX);
    return hb_realloc(ptr, total);
}

char *hb_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = hb_malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *hb_strdup(const char *s)
{
    return hb_strndup(s, strlen(s));
}

void hb_free(void *ptr)
{
    free(ptr);
}

static void *or_abort(void *p)
{
    if (!p) {
        fprintf(stderr, "healthybay: %s; giving up\n", hb_error_last());
        abort();
    }
    return p;
}

void *hb_xmalloc(size_t size)
{
    return or_abort(hb_malloc(size));
}

void *hb_xcalloc(size_t count, size_t size)
{
    return or_abort(hb_calloc(count, size));
}

void *hb_xreallocarray(void *ptr, size_t count, size_t size)
{
    return or_abort(hb_reallocarray(ptr, count, size));
}

char *hb_xstrdup(const char *s)
{
    return or_abort(hb_strdup(s));
}
