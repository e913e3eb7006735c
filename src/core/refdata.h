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

/*
 * The loader is generic: a module with reference files of its own (blood/ has antigens, rare
 * types, blood centres) describes each file with an hb_refdata_file and loads it through
 * hb_refdata_load_file(), with the same checks, messages and upsert.
 */
typedef enum hb_refdata_type {
    HB_REF_TEXT,    /* required text */
    HB_REF_OPT,     /* optional text (empty = NULL) */
    HB_REF_INT,     /* optional non-negative integer */
    HB_REF_REAL,    /* optional finite decimal number */
    HB_REF_BOOL,    /* 0 or 1 */
    HB_REF_BOOLOPT, /* 0, 1 or empty (unknown) */
    HB_REF_DATE,    /* YYYY-MM-DD */
    HB_REF_ENUM,    /* one of allowed ('|'-separated); optional when allowed starts with '|' */
    HB_REF_REF,     /* required code that must exist in table allowed (its column `code`) */
    HB_REF_REFOPT   /* optional code that must exist in table allowed */
} hb_refdata_type;

typedef struct hb_refdata_column {
    const char *name;
    hb_refdata_type type;
    const char *allowed; /* HB_REF_ENUM: the values; HB_REF_REF*: the referenced table */
    /* Optional further check of a non-empty value: 0, or HB_EINVAL with the reason. */
    int (*check)(const char *value, size_t len);
} hb_refdata_column;

typedef struct hb_refdata_file {
    const char *file;  /* base name, e.g. "regions.csv" */
    const char *table; /* from static specs only: pasted into SQL */
    const hb_refdata_column *cols;
    size_t ncols;
    size_t nkeys; /* the first nkeys columns form the primary key */
} hb_refdata_file;

/* Load one file described by spec from text; name is shown in messages. Checks every record
 * first (the first bad field stops the load with file:line:column), then upserts in file order.
 * Call inside a transaction. */
int hb_refdata_load_file(hb_store *store, const hb_refdata_file *spec, const char *name,
                         const char *data, size_t len);

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
