/*
 * server/cache.h — rendered reference-data responses (regions, diseases, holidays), per process.
 *
 * Reference data changes only through a migration (core/schema.h), so an entry is tagged with
 * the schema version it was rendered at, and every request first reads the database's current
 * version (one primary-key lookup): an entry from an older version is never served. Several
 * servers on one database therefore never disagree for longer than a request, and the cache
 * holds nothing the database does not. The same version is the responses' ETag, so clients that
 * fetch reference data daily get 304 Not Modified.
 *
 * At most HB_HTTP_CACHE_ENTRIES entries of at most HB_HTTP_CACHE_BODY_MAX bytes; when full, the
 * oldest-filled slot is reused. Thread-safe.
 */
#ifndef HB_SERVER_CACHE_H
#define HB_SERVER_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct hb_cache hb_cache;

int hb_cache_new(hb_cache **out);
void hb_cache_free(hb_cache *cache);

/* On a hit for (key, version), append the body to out and return true. */
bool hb_cache_get(hb_cache *cache, const char *key, int64_t version, hb_buf *out);
/* Remember body[0..len) for (key, version); silently skipped when too large or out of memory
 * (a cache may always miss). */
void hb_cache_put(hb_cache *cache, const char *key, int64_t version, const char *body, size_t len);

#endif
