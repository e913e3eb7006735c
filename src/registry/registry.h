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
#include <stdint.h>

#include "healthybay/common.h"
#include "store/store.h"
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

typedef struct hb_registry_import_report {
    uint64_t rows;      /* data rows read */
    uint64_t created;   /* new items */
    uint64_t updated;   /* items whose content changed: a new version */
    uint64_t unchanged; /* identical to the current version */
    int64_t batch_id;   /* 0 when nothing was written */
    uint64_t nerrors;   /* bad fields; the file was rejected when > 0 */
    char *errors;       /* the first HB_REPORT_ERRORS_MAX of them, one per line; owned */
} hb_registry_import_report;

/*
 * Import a CSV file of one kind ("-" = standard input), or CSV text in memory (name is used in
 * messages). Returns 0 when the file was accepted; HB_EINVAL when fields were bad and HB_EPERM
 * when the caller may not write some row (report->errors lists every one; nothing was written);
 * another code for database or I/O failures. Runs in the caller's transaction when one is open
 * (so an HTTP handler can add its audit entry to it), else in its own. The report is filled in
 * every case; release it with hb_registry_import_report_dispose().
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

/*
 * The current rows of one kind as a table with the kind's columns, then `version`, then — for
 * kinds with dates or status — `status` on day `on` (active, suspended, revoked, withdrawn,
 * expired, not_yet_valid). filter_column/filter_value (NULL = none) keep the rows whose column
 * equals the value. Restricted practitioner fields are empty unless the caller may see them
 * (*restricted_shown, when not NULL, says whether any was shown: a read of personal data the
 * server must audit). Usage figures are for authorities and, for its own rows, the institution.
 */
int hb_registry_list(hb_store *store, const hb_registry_caller *caller, const char *kind,
                     const char *filter_column, const char *filter_value, hb_date on,
                     hb_table **out, bool *restricted_shown);

/*
 * Every version of one item (kind and key as in the listing: the key columns joined with '/'),
 * oldest first, with the batch that brought it, then its status events: columns version, at,
 * actor, org, source, what (created, changed, or the status set), effective_from, data. A
 * practitioner's history (or a disciplinary case's) holds restricted fields: HB_EPERM unless the
 * caller may see them. HB_ENOTFOUND for an unknown item.
 */
int hb_registry_history(hb_store *store, const hb_registry_caller *caller, const char *kind,
                        const char *item, hb_table **out);

/*
 * Items that expire within days_max days of on (valid_to in [on, on + days_max]) and are active
 * on on: approvals, designations, permits, employments, home registrations and accreditations
 * (kind = NULL for all, or one of those kind names). Columns: kind, item, subject, valid_to,
 * days_left; soonest first. Public: these registers are public.
 */
int hb_registry_expiring(hb_store *store, const char *kind, hb_date on, int days_max,
                         hb_table **out);

#endif
