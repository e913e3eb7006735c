/*
 * registry/registry.h — what the three registries share: who is asking, the bulk import that is
 * the only way data gets in, the history of every item, item status over time, and expiry
 * alerts. The sub-modules add their own reads on top:
 *
 *   registry/products.h       Hong Kong/Macao medicines and devices at designated hospitals
 *   registry/practitioners.h  cross-border practitioners (public vs restricted fields)
 *   registry/accreditation.h  hospital accreditation
 *   registry/rules.h          may-use and may-practise answers
 *   registry/fhir.h           FHIR R4 export
 *
 * Data comes in as CSV, one kind of file per table (hb_registry_kind_name() lists them; docs/
 * registries.md documents every column). A file is checked whole — types, references, the
 * rules of the scheme concerned and the caller's right to write each row — and written in one
 * transaction, or rejected whole with every bad field named as file:line:column. An item whose
 * content changes gets a new version; every version is kept with who sent it, when and how.
 *
 * Every function takes the caller (hb_registry_caller): the HTTP server maps its principal to
 * one, the command line acts as the operator. What the caller may write, and which fields of a
 * practitioner it may read, is decided here and in practitioners.c, nowhere else.
 */
#ifndef HB_REGISTRY_REGISTRY_H
#define HB_REGISTRY_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "store/store.h"
#include "util/limits.h"
#include "util/table.h"

typedef enum hb_registry_role {
    HB_REGISTRY_PUBLIC,      /* anyone: reads the public register */
    HB_REGISTRY_INSTITUTION, /* a hospital or clinic; org is its institution code */
    HB_REGISTRY_AUTHORITY,   /* a health authority or professional regulator of jurisdiction */
    HB_REGISTRY_OPERATOR     /* the operator of this database (the command line) */
} hb_registry_role;

typedef struct hb_registry_caller {
    hb_registry_role role;
    const char *org;          /* the caller's organisation code (an institution's is its code) */
    const char *jurisdiction; /* GD, HK or MO for an institution or authority; else NULL */
    const char *actor;        /* recorded with every change: "cli", "http 192.0.2.7" */
} hb_registry_caller;

/* The command-line operator: may do everything; changes are recorded as actor "cli". */
extern const hb_registry_caller hb_registry_operator;

/* Status of an item on a day. An item with no status event is active while its dates say so. */
typedef enum hb_registry_status {
    HB_REGISTRY_ACTIVE,
    HB_REGISTRY_SUSPENDED,
    HB_REGISTRY_REVOKED,
    HB_REGISTRY_WITHDRAWN
} hb_registry_status;

const char *hb_registry_status_name(hb_registry_status status);

/* Today in the Greater Bay Area (UTC+8): the default day of every question. HEALTHYBAY_NOW pins
 * the clock (util/clock.h). */
hb_date hb_registry_today(void);

/* The import kinds, in the order their files may depend on each other (a permit needs its
 * practitioner first): names 0 … count - 1; NULL past the end. */
size_t hb_registry_kind_count(void);
const char *hb_registry_kind_name(size_t i);

typedef struct hb_registry_import_options {
    const char *source; /* recorded with the batch: a file name, "api" (required) */
    bool dry_run;       /* check everything, write nothing */
} hb_registry_import_options;

/* One problem in an import file: a bad field, or a row the caller may not write. The parts are
 * kept apart so that each interface can point at the field its own way (the command line prints
 * message; the HTTP API gives line, column and field as members of its problem document). */
typedef struct hb_registry_import_error {
    unsigned long line;                 /* the line on which the record starts (1 = header) */
    unsigned long column;               /* where the field starts, in characters, 1-based */
    const char *field;                  /* the column's name (static) */
    char reason[HB_ERROR_MESSAGE_MAX];  /* what is wrong */
    char message[HB_ERROR_MESSAGE_MAX]; /* "file:line:column: field 'name': reason" */
} hb_registry_import_error;

typedef struct hb_registry_import_report {
    uint64_t rows;                    /* data rows read */
    uint64_t created;                 /* new items */
    uint64_t updated;                 /* items whose content changed: a new version */
    uint64_t unchanged;               /* identical to the current version */
    int64_t batch_id;                 /* 0 when nothing was written */
    uint64_t nerrors;                 /* problems found; the file was rejected when > 0 */
    hb_registry_import_error *errors; /* the first HB_REPORT_ERRORS_MAX of them; owned */
    size_t nlisted;                   /* how many errors[] holds */
} hb_registry_import_report;

/*
 * Import a CSV file of one kind ("-" = standard input), or CSV text in memory (name is used in
 * messages). Returns 0 when the file was accepted; HB_EINVAL when fields were bad and HB_EPERM
 * when the caller may not write some row (report->errors lists them; nothing was written);
 * HB_EINVAL without listed errors when the file as a whole is unreadable (its header, its CSV
 * syntax); another code for database or I/O failures. Runs in the caller's transaction when one
 * is open (so an HTTP handler can add its audit entry to it), else in its own. The report is
 * filled in every case; release it with hb_registry_import_report_dispose().
 */
int hb_registry_import_file(hb_store *store, const hb_registry_caller *caller, const char *kind,
                            const char *path, const hb_registry_import_options *opt,
                            hb_registry_import_report *report);
int hb_registry_import_memory(hb_store *store, const hb_registry_caller *caller, const char *kind,
                              const char *name, const char *data, size_t len,
                              const hb_registry_import_options *opt,
                              hb_registry_import_report *report);
void hb_registry_import_report_dispose(hb_registry_import_report *report);

/* Load the rule data shipped in data/registry/ (categories, registers, schemes, accreditation
 * standards, institutions, designations). Called by a migration, inside its transaction. */
int hb_registry_load_rules(hb_store *store);

/* Which items of a kind a listing shows. */
typedef struct hb_registry_list_options {
    const char *filter_column; /* keep the items whose column equals filter_value; NULL = all */
    const char *filter_value;
    hb_date on;      /* the day statuses are for */
    uint64_t offset; /* skip this many items first (in key order: pages of a long list) */
    uint64_t limit;  /* at most this many items; 0 = every one */
} hb_registry_list_options;

/*
 * The current items of one kind as a table with the kind's columns, then `version`, then — for
 * kinds with dates or status — `status` on day opt->on (active, suspended, revoked, withdrawn,
 * expired, not_yet_valid), in key order. Restricted practitioner fields are empty unless the
 * caller may see them (*restricted_shown, when not NULL, says whether any was shown). Usage
 * figures are for authorities and, for its own rows, the institution. Items are never deleted,
 * so paging by offset never skips one; an item created meanwhile may shift the next page by one.
 */
int hb_registry_list(hb_store *store, const hb_registry_caller *caller, const char *kind,
                     const hb_registry_list_options *opt, hb_table **out, bool *restricted_shown);

/*
 * Every version of one item (kind and key as in the listing: the key columns joined with '/'),
 * oldest first, with the batch that brought it, then its status events: columns version, at,
 * actor, org, source, what (created, changed, or the status set), effective_from, data. A
 * practitioner's history (or a disciplinary case's) holds restricted fields: HB_EPERM unless the
 * caller may see them — and HB_ENOTFOUND for a disciplinary case, whose key (the case reference)
 * is itself restricted, so that the answer does not tell whether it exists. A usage item's
 * history holds usage figures: for authorities and the reporting institution. HB_ENOTFOUND for
 * an unknown item.
 */
int hb_registry_history(hb_store *store, const hb_registry_caller *caller, const char *kind,
                        const char *item, hb_table **out);

/*
 * Items that expire within days_max days of on (valid_to in [on, on + days_max]) and are active
 * on on: approvals, designations, permits, employments, home registrations and accreditations
 * (kind = NULL for all, or one of those kind names; another is HB_EINVAL). Columns: kind, item,
 * subject, valid_to, days_left; soonest first. Public: these registers are public.
 */
int hb_registry_expiring(hb_store *store, const char *kind, hb_date on, int days_max,
                         hb_table **out);

#endif
