/*
 * util/alloc.h — the only door to the C allocator.
 *
 * Policy (written down as STYLE.md asks): library code uses hb_malloc()/hb_calloc()/hb_realloc()
 * and propagates HB_ENOMEM; the CLI and the server use the hb_x* variants, which print a message
 * and abort, because there is nothing sensible left for them to do.
 *
 * Sizes are overflow-checked: hb_mallocarray(n, size) fails instead of wrapping.
 *
 * Tests can make the Nth allocation fail (hb_alloc_fail_after), so every OOM path is exercised;
 * the hook costs one thread-local increment per allocation, so it is in every build.
 */
#ifndef HB_UTIL_ALLOC_H
#define HB_UTIL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* All return NULL on failure and record HB_ENOMEM. hb_free(NULL) is a no-op. */
void *hb_malloc(size_t size);
void *hb_calloc(size_t count, size_t size);
void *hb_mallocarray(size_t count, size_t size);
void *hb_realloc(void *ptr, size_t size);
void *hb_reallocarray(void *ptr, size_t count, size_t size);
char *hb_strdup(const char *s);
char *hb_strndup(const char *s, size_t n);
void hb_free(void *ptr);

/* Same, but abort with a message on failure: for the CLI and the server only. */
void *hb_xmalloc(size_t size);
void *hb_xcalloc(size_t count, size_t size);
void *hb_xreallocarray(void *ptr, size_t count, size_t size);
char *hb_xstrdup(const char *s);

/* a * b and a + b with overflow detection: true and *out set on success. */
bool hb_size_mul(size_t *out, size_t a, size_t b);
bool hb_size_add(size_t *out, size_t a, size_t b);

/* For tests: make the allocation numbered n (1 = the next one) and every later one fail; 0
 * switches this off. Returns the number of allocations made since the previous call. */
unsigned long hb_alloc_fail_after(unsigned long n);

#endif
