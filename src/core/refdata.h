/*
 * core/refdata.h — the reference data every module relies on: jurisdictions, regions, notifiable
 * diseases and public-holiday calendars.
 *
 * The CSV files in data/ are compiled into the binary and loaded by a migration. Each file is
 * validated whole before anything is written (columns, codes, enumerations, references between
 * files), and loading is an upsert, so re-running it after a data update changes only what changed.
 */
#ifndef HB_CORE_REFDATA_H
#define HB_CORE_REFDATA_H

#include "store/store.h"
#include "util/table.h"

/* Load every embedded reference file. Call inside a transaction (the migration's). */
int hb_refdata_load(hb_store *store);

/* Load one reference file given as text; file is its base name ("regions.csv"), shown in
 * messages as name. For tests and for `db load-reference`. */
int hb_refdata_load_text(hb_store *store, const char *file, const char *name, const char *data,
                         size_t len);

typedef struct hb_region_filter {
    const char *jurisdiction; /* NULL = all */
    const char *level;        /* NULL = all */
} hb_region_filter;

/* Regions as a table with columns code, jurisdiction, level, parent, name_en, name_zh_hans,
 * name_zh_hant, name_pt, population, population_year; ordered by jurisdiction, level, code. */
int hb_refdata_regions(hb_store *store, const hb_region_filter *filter, hb_table **out);

/* Diseases, optionally only those notifiable in one jurisdiction (GD, HK or MO). */
int hb_refdata_diseases(hb_store *store, const char *notifiable_in, hb_table **out);

/* Public holidays and make-up working days of one jurisdiction (NULL = all) in one year (0 = all).
 */
int hb_refdata_holidays(hb_store *store, const char *jurisdiction, int year, hb_table **out);

#endif
