/*
 * blood/registry.h — the shared rare-donor registry and rare-unit inventory: bulk import by the
 * owning blood centre, and the owner's own view of its donors.
 *
 * Every function takes the acting organisation (hb_blood_actor): the HTTP server passes the
 * authenticated organisation (the token's), the command line the --centre / --as it was given.
 * The module enforces its own rule — a donor's identity (the centre's donor number, local_ref) is
 * shown to that centre only — so no caller can forget it.
 *
 * Writes run in the caller's transaction when one is open (the HTTP server's, which holds the
 * request's audit entry and Idempotency-Key record too), else in one of their own.
 *
 * Donors file (one row per donor; the importing centre is the owner):
 *
 *     local_ref,abo,rhd,phenotype,predicted,last_donation,eligible
 *     GZ-2019-004521,O,neg,"C+ c- E- e+ K- Jk(a-b-) Jk3-",Dib-,2024-03-02,yes
 *
 * Units file (one row per unit):
 *
 *     din,component,storage,abo,rhd,phenotype,predicted,collected,expiry,location,status
 *     W1234 24 123456 4,red_cells,frozen,O,neg,Jk(a-b-),,2024-01-10,2034-01-10,,available
 *
 * phenotype holds serology, predicted the states predicted from genotyping (blood/phenotype.h
 * notation); columns predicted, last_donation, collected, location (default: the centre itself)
 * and status (available or discarded; default available) are optional. A file is checked whole
 * and written in one transaction, or rejected whole with every bad field named as
 * file:line:column: field (up to HB_REPORT_ERRORS_MAX). Re-importing changes only what changed;
 * a donor keeps its pseudonym for ever.
 */
#ifndef HB_BLOOD_REGISTRY_H
#define HB_BLOOD_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthybay/blood.h"
#include "store/store.h"
#include "util/limits.h"
#include "util/table.h"

/* A donor's pseudonym, "RD-XXXX-XXXX-XXXX-XXXX": 80 random bits in Crockford's base 32. */
#define HB_BLOOD_PSEUDONYM_LEN 22

/* Who is acting: an organisation code (a blood centre's is its code in hb_blood_centres, e.g.
 * gd-gzbc; a hospital's is its own, e.g. hk-qmh) and that organisation's jurisdiction. */
typedef struct hb_blood_actor {
    const char *org;
    const char *jurisdiction; /* GD, HK or MO */
} hb_blood_actor;

/* One problem in an import file, its parts kept apart so that each interface points at the field
 * its own way: the command line prints message; the HTTP API gives line, column and field as
 * members of its problem document (as the registries' imports do). */
typedef struct hb_blood_import_error {
    unsigned long line;                 /* the line on which the record starts (1 = header) */
    unsigned long column;               /* where the field starts, in characters, 1-based */
    const char *field;                  /* the column's name (static) */
    char reason[HB_ERROR_MESSAGE_MAX];  /* what is wrong */
    char message[HB_ERROR_MESSAGE_MAX]; /* "file:line:column: field 'name': reason" */
} hb_blood_import_error;

typedef struct hb_blood_import_report {
    uint64_t rows;                 /* data rows read */
    uint64_t inserted;             /* new donors or units */
    uint64_t updated;              /* stored ones that changed */
    uint64_t unchanged;            /* identical to what was stored */
    uint64_t nerrors;              /* problems found; the file was rejected when > 0 */
    hb_blood_import_error *errors; /* the first HB_REPORT_ERRORS_MAX of them; owned */
    size_t nlisted;                /* how many errors[] holds */
} hb_blood_import_report;

/*
 * Import donors (kind HB_BLOOD_DONOR) or units (HB_BLOOD_UNIT) into the registry of the centre
 * actor->org, from a file ("-" = standard input) or from memory (name is used in messages).
 * HB_EPERM unless the actor is a blood centre of its stated jurisdiction; HB_EINVAL when fields
 * were bad (report->errors lists them; nothing was written), or without listed errors when the
 * file as a whole is unreadable (a missing or unknown column, a line that is not CSV: the
 * message, which begins with name, says where); another code for database or I/O failures. With
 * dry_run, everything is checked and nothing written. Release the report with
 * hb_blood_import_report_dispose().
 */
int hb_blood_import_file(hb_store *store, const hb_blood_actor *actor, hb_blood_kind kind,
                         const char *path, bool dry_run, hb_blood_import_report *report);
int hb_blood_import_memory(hb_store *store, const hb_blood_actor *actor, hb_blood_kind kind,
                           const char *name, const char *data, size_t len, bool dry_run,
                           hb_blood_import_report *report);
void hb_blood_import_report_dispose(hb_blood_import_report *report);

/* The actor's own donors, with their identities, ordered by local_ref, the first limit (0 = all)
 * after local_ref `after` ("" = from the start): pseudonym, local_ref, abo, rhd, phenotype,
 * predicted, last_donation, eligible. HB_EPERM for anyone but the centre itself — this is the one
 * read of personal data in the registry. */
int hb_blood_donors_list(hb_store *store, const hb_blood_actor *actor, const char *after,
                         size_t limit, hb_table **out);

/* The actor's own units, ordered by DIN, the first limit (0 = all) after the DIN `after` (13
 * characters; "" = from the start): din (as printed), component, storage, abo, rhd, phenotype,
 * predicted, collected, expiry, location, status, request. HB_EPERM unless the actor is a blood
 * centre. */
int hb_blood_units_list(hb_store *store, const hb_blood_actor *actor, const char *after,
                        size_t limit, hb_table **out);

/* Internal, shared by the module's files. */
/* HB_EINVAL unless actor names an organisation code and a jurisdiction (core/accounts.h checks). */
int hb_blood__check_actor(const hb_blood_actor *actor);
/* Check that actor is the blood centre it claims to be. */
int hb_blood__require_centre(hb_store *store, const hb_blood_actor *actor);
/* Open a transaction unless the caller has one (*own says which), and end it with rc: commit
 * when rc == 0, else roll back — only when it is ours. Returns rc, or the commit's failure. */
int hb_blood__begin(hb_store *store, bool *own);
int hb_blood__end(hb_store *store, bool own, int rc);

#endif
