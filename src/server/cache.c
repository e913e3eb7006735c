/*
 * server/cache.c — a small fixed table of rendered responses under one mutex (see cache.h).
 * Lookups are a linear scan of at most HB_HTTP_CACHE_ENTRIES short keys; the body is copied out
 * under the lock, so an entry replaced meanwhile is never read half-written.
 */
#include "server/cache.h"

#include <pthread.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

typedef struct entry {
    char *key; /* NULL = free */
    int64_t version;
    char *body;
    size_t len;
} entry;

struct hb_cache {
    pthread_mutex_t lock;
    entry entries[HB_HTTP_CACHE_ENTRIES];
    size_t next; /* the slot reused when full */
};

int hb_cache_new(hb_cache **out)
{
    hb_cache *c = hb_calloc(1, sizeof *c);
    if (!c)
        return HB_ENOMEM;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        hb_free(c);
        return hb_error_set(HB_ENOMEM, "cannot create the response cache");
    }
    *out = c;
    return 0;
}

static void clear(entry *e)
{
    hb_free(e->key);
    hb_free(e->body);
    memset(e, 0, sizeof *e);
}

void hb_cache_free(hb_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < HB_HTTP_CACHE_ENTRIES; i++)
        clear(&c->entries[i]);
    pthread_mutex_destroy(&c->lock);
    hb_free(c);
}

static entry *find(hb_cache *c, const char *key)
{
    for (size_t i = 0; i < HB_HTTP_CACHE_ENTRIES; i++)
        if (c->entries[i].key && strcmp(c->entries[i].key, key) == 0)
            return &c->entries[i];
    return NULL;
}

bool hb_cache_get(hb_cache *c, const char *key, int64_t version, hb_buf *out)
{
    pthread_mutex_lock(&c->lock);
    entry *e = find(c, key);
    bool hit = e && e->version == version && hb_buf_put(out, e->body, e->len) == 0;
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void hb_cache_put(hb_cache *c, const char *key, int64_t version, const char *body, size_t len)
{
    if (len > HB_HTTP_CACHE_BODY_MAX)
        return;
    char *k = hb_strdup(key), *b = hb_malloc(len + 1);
    if (!k || !b) {
        hb_free(k);
        hb_free(b);
        return;
    }
    memcpy(b, body, len);
    b[len] = '\0';
    pthread_mutex_lock(&c->lock);
    entry *e = find(c, key);
    if (!e) {
        for (size_t i = 0; i < HB_HTTP_CACHE_ENTRIES && !e; i++)
            if (!c->entries[i].key)
                e = &c->entries[i];
        if (!e) {
            e = &c->entries[c->next];
            c->next = (c->next + 1) % HB_HTTP_CACHE_ENTRIES;
        }
    }
    clear(e);
    *e = (entry){ k, version, b, len };
    pthread_mutex_unlock(&c->lock);
}
