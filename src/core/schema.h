/*
 * core/schema.h — the ordered list of every schema migration of every module.
 *
 * WHEN ADDING A MIGRATION: put the DDL in src/store/migrations/NNNN_<module>_<what>.sql, where
 * NNNN is the migration's version (function migrations have a version but no file), declare its
 * symbol (hb_sql_NNNN_<module>_<what>) in schema.c and append one entry. Never edit or reorder
 * an applied migration: add a new one.
 */
#ifndef HB_CORE_SCHEMA_H
#define HB_CORE_SCHEMA_H

#include "store/migrate.h"

/* The migrations; *count gets their number. */
const hb_migration *hb_schema_migrations(size_t *count);

/* Open the database at url and check it is fully migrated (every command but `db migrate`). */
int hb_schema_open(hb_store **out, const char *url);

/* The highest migration version applied to the database: it changes whenever the schema or the
 * reference data does, so the server keys cached reference listings (and their ETag) on it. */
int hb_schema_version(hb_store *store, int64_t *out);

#endif
