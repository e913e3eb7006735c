/*
 * registry/registry_int.h — what the registry's files share privately: the description of an
 * import kind, the import in progress that a kind's rule check works on, and small query helpers.
 *
 * An import kind is data: its table, its typed columns (the CSV header and the table's columns
 * are the same names), which columns form the item's key, and one check function for what the
 * types cannot say — references, the rules of a scheme, and whether the caller may write the row.
 * import.c does everything else the same way for every kind.
 */
#ifndef HB_REGISTRY_REGISTRY_INT_H
#define HB_REGISTRY_REGISTRY_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "healthybay/date.h"
#include "registry/registry.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/error.h"
#include "util/limits.h"

typedef enum hb_registry__type {
    HB_RT_CODE,     /* required code: printable ASCII, no space, comma or '/', at most 64 */
    HB_RT_TEXT,     /* required text */
    HB_RT_OPT,      /* optional text */
    HB_RT_DATE,     /* required YYYY-MM-DD */
    HB_RT_DATEOPT,  /* optional YYYY-MM-DD */
    HB_RT_MONTH,    /* required YYYY-MM */
    HB_RT_INT,      /* required non-negative integer */
    HB_RT_INTOPT,   /* optional non-negative integer */
    HB_RT_ENUM,     /* one of arg ('|'-separated) */
    HB_RT_ENUMOPT,  /* empty or one of arg */
    HB_RT_REF,      /* required code that exists in arg ("table.column") */
    HB_RT_REFOPT,   /* optional such code */
    HB_RT_CODELIST, /* ';'-separated codes, each existing in arg; required */
    HB_RT_LIST      /* optional ';'-separated texts */
} hb_registry__type;

#define HB_RC_KEY        1u /* part of the item's key */
#define HB_RC_RESTRICTED 2u /* personal: shown only under the restricted-fields policy */

typedef struct hb_registry__col {
    const char *name;
    hb_registry__type type;
    unsigned flags;
    const char *arg; /* enum values, or the referenced "table.column" */
} hb_registry__col;

typedef struct hb_registry__import hb_registry__import;

#define HB_REGISTRY__NCOLS(cols) (sizeof(cols) / sizeof((cols)[0]))

typedef struct hb_registry__kind {
    const char *name;  /* "approvals": the import kind and the change log's kind */
    const char *table; /* hb_registry_approvals */
    const hb_registry__col *cols;
    size_t ncols;
    const char *valid_from; /* the columns of its validity period, for status; NULL = none */
    const char *valid_to;
    bool has_status;  /* status events may be recorded for its items */
    int person_col;   /* the column naming the practitioner a row is about; -1 = none */
    bool usage_rules; /* listing is for authorities and the institution's own rows */
    /* Rules beyond the column types, and the caller's right to write the row. cells[c] is
     * column c (NULL when empty); report problems with hb_registry__reject/__deny. Returns < 0
     * only for failures that stop the import (database, memory). */
    int (*check)(hb_registry__import *imp, char *const *cells);
} hb_registry__kind;

/* The kinds, defined in the sub-modules' files. */
extern const hb_registry__kind hb_registry__categories, hb_registry__registers,
    hb_registry__schemes, hb_registry__standards, hb_registry__institutions,
    hb_registry__designations, hb_registry__products, hb_registry__approvals, hb_registry__usage,
    hb_registry__practitioners, hb_registry__registrations, hb_registry__permits,
    hb_registry__employments, hb_registry__titles, hb_registry__disciplinary,
    hb_registry__accreditations, hb_registry__status_kind;

/* The kind called name, or NULL. */
const hb_registry__kind *hb_registry__kind_find(const char *name);
/* Index of column name in kind, or -1. */
int hb_registry__col_index(const hb_registry__kind *kind, const char *name);

/* An import in progress, as a check function sees it. */
struct hb_registry__import {
    hb_store *store;
    const hb_registry_caller *caller;
    const hb_registry__kind *kind;
    hb_csv *csv;
    long map[HB_REGISTRY_COLS_MAX]; /* CSV column of each kind column */
    uint64_t nerrors;
    bool denied;                      /* a row was refused by permission */
    hb_registry_import_error *errors; /* the first HB_REPORT_ERRORS_MAX problems */
    size_t nlisted;
};

/* Record a problem with column col of the current row as a bad field (reject) or a refused write
 * (deny); the import goes on to find every problem. */
void hb_registry__reject(hb_registry__import *imp, int col, const char *fmt, ...) HB_PRINTF(3, 4);
void hb_registry__deny(hb_registry__import *imp, int col, const char *fmt, ...) HB_PRINTF(3, 4);

/* The caller may write data of jurisdiction j: the operator, or an authority of j. Otherwise
 * the row is denied with a message naming column col. Returns whether it may. */
bool hb_registry__require_authority(hb_registry__import *imp, int col, const char *j,
                                    const char *what);

/* The check of the rule-data kinds (categories, registers, schemes, standards): only the
 * operator writes them — the shipped data/registry/ files, or a newer data release. */
int hb_registry__operator_only(hb_registry__import *imp, char *const *cells);

/* One row read back for a check: up to 8 columns as text ("" for NULL). */
typedef struct hb_registry__row {
    bool found;
    char col[8][HB_REGISTRY_VALUE_MAX];
} hb_registry__row;

/* Run sql with the text parameters that follow (a NULL-terminated list; use
 * HB_REGISTRY__NULL_PARAM to bind SQL NULL) and keep its first row in out. */
int hb_registry__query(hb_store *store, hb_registry__row *out, const char *sql, ...);
extern const char hb_registry__null_param[];
#define HB_REGISTRY__NULL_PARAM hb_registry__null_param

/* Status of item (kind, key) on day (YYYY-MM-DD): the latest status event effective on or
 * before day, or active when there is none. *since and *reason (when not NULL, each
 * HB_REGISTRY_VALUE_MAX bytes) get the event's date and reason ("" when none). */
int hb_registry__status_on(hb_store *store, hb_registry_status *out, const char *kind,
                           const char *item, const char *day, char *since, char *reason);

/* Whether ';'-separated list contains value (whole elements only). */
bool hb_registry__list_has(const char *list, const char *value);

/* The last day of a period of `months` months that starts on day (see common.c). */
hb_date hb_registry__period_end(hb_date day, int months);

/* Parse a YYYY-MM-DD cell that a column type already checked (or its first len bytes). */
hb_date hb_registry__date(const char *text);
hb_date hb_registry__date_n(const char *text, size_t len);

/* The item key of a row: its key columns joined with '/' (what status events and the change
 * log name an item by). */
int hb_registry__item_key(const hb_registry__kind *kind, const char *const *cells, hb_buf *out);

#endif
