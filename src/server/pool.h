/*
 * server/pool.h — database connections for the worker threads.
 *
 * Neither SQLite nor libpq connections may be used by two threads at once, so each request
 * borrows one connection from the pool for the time it runs and gives it back. The pool opens
 * connections lazily and keeps up to `max` idle ones; as libmicrohttpd runs one handler at a time
 * per worker thread, the number in use never exceeds the number of workers. A connection given
 * back after an internal error is closed rather than kept, so a broken one (the database
 * restarted) is replaced by a fresh one on the next request.
 */
#ifndef HB_SERVER_POOL_H
#define HB_SERVER_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "server/metrics.h"
#include "store/store.h"

typedef struct hb_pool hb_pool;

/* A pool for the database at url (copied); metrics may be NULL. */
int hb_pool_new(hb_pool **out, const char *url, size_t max, hb_metrics *metrics);
/* Close every idle connection and free the pool; every connection must have been released. */
void hb_pool_free(hb_pool *pool);

int hb_pool_acquire(hb_pool *pool, hb_store **out);
/* Give back a connection; healthy = false closes it. Never in a transaction. */
void hb_pool_release(hb_pool *pool, hb_store *store, bool healthy);

#endif
