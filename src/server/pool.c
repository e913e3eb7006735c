/*
 * server/pool.c — a mutex-protected stack of idle connections (see pool.h). A stack, so the most
 * recently used connection — with its prepared statements warm — is handed out first.
 */
#include "server/pool.h"

#include <assert.h>
#include <pthread.h>

#include "util/alloc.h"
#include "util/error.h"

struct hb_pool {
    pthread_mutex_t lock;
    char *url;
    hb_store **idle;
    size_t nidle, max;
    hb_metrics *metrics;
};

int hb_pool_new(hb_pool **out, const char *url, size_t max, hb_metrics *metrics)
{
    assert(max > 0);
    hb_pool *p = hb_calloc(1, sizeof *p);
    if (!p)
        return HB_ENOMEM;
    p->url = hb_strdup(url);
    p->idle = hb_calloc(max, sizeof *p->idle);
    if (!p->url || !p->idle || pthread_mutex_init(&p->lock, NULL) != 0) {
        hb_free(p->url);
        hb_free(p->idle);
        hb_free(p);
        return hb_error_set(HB_ENOMEM, "cannot create the connection pool");
    }
    p->max = max;
    p->metrics = metrics;
    *out = p;
    return 0;
}

static void count(hb_pool *p, hb_metric_event event)
{
    if (p->metrics)
        hb_metrics_count(p->metrics, event);
}

void hb_pool_free(hb_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nidle; i++) {
        hb_store_close(p->idle[i]);
        count(p, HB_METRIC_DB_CLOSED);
    }
    pthread_mutex_destroy(&p->lock);
    hb_free(p->idle);
    hb_free(p->url);
    hb_free(p);
}

int hb_pool_acquire(hb_pool *p, hb_store **out)
{
    pthread_mutex_lock(&p->lock);
    hb_store *s = p->nidle > 0 ? p->idle[--p->nidle] : NULL;
    pthread_mutex_unlock(&p->lock);
    if (s) {
        *out = s;
        return 0;
    }
    /* Opened outside the lock: connecting to PostgreSQL takes milliseconds. The schema was
     * checked when the server started. */
    int rc = hb_store_open(out, p->url, 0);
    count(p, rc < 0 ? HB_METRIC_DB_OPEN_FAILED : HB_METRIC_DB_OPENED);
    return rc;
}

void hb_pool_release(hb_pool *p, hb_store *s, bool healthy)
{
    if (!s)
        return;
    assert(!hb_store_in_transaction(s));
    if (healthy) {
        pthread_mutex_lock(&p->lock);
        bool kept = p->nidle < p->max;
        if (kept)
            p->idle[p->nidle++] = s;
        pthread_mutex_unlock(&p->lock);
        if (kept)
            return;
    }
    hb_store_close(s);
    count(p, HB_METRIC_DB_CLOSED);
}
