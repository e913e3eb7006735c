/*
 * store/store_int.h — the backend ops table behind store.h (SQLite's VFS, libgit2's odb_backend).
 *
 * A backend implements every operation; store.c checks arguments and forwards. Backends set the
 * thread's error message themselves, with the database's own message after our context.
 */
#ifndef HB_STORE_STORE_INT_H
#define HB_STORE_STORE_INT_H

#include "store/store.h"
#include "util/limits.h"

typedef struct hb_store_ops {
    const char *name;
    void (*close)(hb_store *store);
    int (*exec)(hb_store *store, const char *sql);
    int (*prepare)(hb_store *store, hb_stmt **out, const char *sql);
    int (*lock)(hb_store *store, int64_t key);
    int (*bind_int64)(hb_stmt *st, int index, int64_t value);
    int (*bind_double)(hb_stmt *st, int index, double value);
    int (*bind_text)(hb_stmt *st, int index, const char *text, size_t len);
    int (*bind_blob)(hb_stmt *st, int index, const void *data, size_t len);
    int (*bind_null)(hb_stmt *st, int index);
    int (*step)(hb_stmt *st);
    int (*column_count)(hb_stmt *st);
    bool (*is_null)(hb_stmt *st, int column);
    int64_t (*int64)(hb_stmt *st, int column);
    double (*dbl)(hb_stmt *st, int column);
    const char *(*text)(hb_stmt *st, int column, size_t *len);
    const void *(*blob)(hb_stmt *st, int column, size_t *len);
    int64_t (*changes)(hb_stmt *st);
    int (*reset)(hb_stmt *st);
    void (*finalize)(hb_stmt *st);
} hb_store_ops;

/* The common head of every backend's store struct. */
struct hb_store {
    const hb_store_ops *ops;
    hb_store_kind kind;
    bool in_transaction;
    char describe[256];
    hb_stmt *cache[HB_STORE_STMT_CACHE_MAX]; /* idle statements, least recently used first */
    size_t ncache;
};

/* The common head of every backend's statement struct. */
struct hb_stmt {
    hb_store *store;
    int nparams;
    char *sql; /* the text it was prepared from: its key in the cache (owned) */
};

int hb_store__sqlite_open(hb_store **out, const char *path, bool create);
int hb_store__pg_open(hb_store **out, const char *url);

#endif
