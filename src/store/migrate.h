/*
 * store/migrate.h — versioned schema migrations.
 *
 * A migration is either DDL (with the store.h macros) or a function (e.g. loading reference data),
 * and each runs in its own transaction together with the row that records it in
 * hb_schema_migrations, so a migration is applied entirely or not at all. Concurrent migrators on
 * PostgreSQL serialise on an advisory lock. An applied migration whose text later changed is
 * reported (checksum mismatch) rather than silently skipped.
 *
 * The list of migrations lives above the store (core/schema.c): the store knows no module.
 */
#ifndef HB_STORE_MIGRATE_H
#define HB_STORE_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/clock.h"

typedef struct hb_migration {
    int version; /* 1, 2, 3 … without gaps */
    const char *module;
    const char *name;
    const char *sql;               /* DDL, or NULL when apply is set */
    int (*apply)(hb_store *store); /* called inside the migration's transaction */
    const char *apply_revision;    /* for functions: changes when the function's effect changes */
} hb_migration;

typedef struct hb_migration_state {
    const hb_migration *migration;
    bool applied;
    bool checksum_matches; /* meaningful when applied */
    char applied_at[HB_TIMESTAMP_STRLEN];
} hb_migration_state;

/* Called before each migration is applied. */
typedef void (*hb_migrate_progress_fn)(const hb_migration *m, void *payload);

/* Apply every pending migration in order; *applied gets how many were applied. */
int hb_migrate(hb_store *store, const hb_migration *list, size_t count, size_t *applied,
               hb_migrate_progress_fn progress, void *payload);

/* Fill states[0..count) with each migration's state. */
int hb_migrate_status(hb_store *store, const hb_migration *list, size_t count,
                      hb_migration_state *states);

/* Fail with a clear message unless every migration in list is applied. */
int hb_migrate_require_current(hb_store *store, const hb_migration *list, size_t count);

#endif
