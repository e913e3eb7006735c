/*
 * core/audit.h — the append-only, hash-chained audit log.
 *
 * Every write, and every read of personal data, appends one entry: when, which organisation and
 * token (or the command-line operator), through what (source), which action on which object,
 * and the outcome. Entries are numbered 1, 2, 3 … (seq) and chained:
 *
 *     hash(n) = SHA-256( hash(n-1) || canonical(n) )        hash(0) = 64 zeros
 *
 * where canonical(n) is the entry's fields (at, org, jurisdiction, token_id, source, action,
 * object, outcome), each written as "<byte length>:<bytes>;" or "~;" for NULL, so no two
 * different entries encode alike. Each row stores its prev_hash and its hash.
 *
 * Appending takes the log's lock for the rest of the caller's transaction (an advisory
 * transaction lock on PostgreSQL, the write lock on SQLite), so several servers on one database
 * append one chain that never forks. Append inside the same transaction as the write it records:
 * both commit, or neither does.
 *
 * Tampering shows up in hb_audit_verify():
 *   - an edited entry (any field, or its stored hashes) no longer matches its hash;
 *   - a deleted entry leaves its successor pointing at a hash that is nowhere in the log;
 *   - reordered entries (swapped numbers) point at a predecessor found elsewhere in the log.
 * What a chain cannot show on its own is the removal of the newest entries, or a rewrite of
 * everything after some point by someone who knows the algorithm: for that, record the head hash
 * elsewhere (the daily bulletin to the other jurisdictions, a printout) and pass it as an anchor.
 * A database trigger additionally refuses UPDATE and DELETE on the table: not proof against the
 * database owner, but it stops accidents and casual edits.
 */
#ifndef HB_CORE_AUDIT_H
#define HB_CORE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/limits.h"

/* Outcomes. */
#define HB_AUDIT_OK       "ok"       /* done */
#define HB_AUDIT_DENIED   "denied"   /* refused by the policy */
#define HB_AUDIT_REJECTED "rejected" /* refused as invalid (validation, conflict, not found) */
#define HB_AUDIT_FAILED   "failed"   /* our failure (database, internal) */

typedef struct hb_audit_event {
    const char *org;          /* acting organisation; NULL for the command-line operator */
    const char *jurisdiction; /* the acting organisation's; for the operator, the one acted in */
    const char *token_id;     /* NULL for the operator */
    const char *source;       /* "http 192.0.2.7", "cli alice" */
    const char *action;       /* a policy action name: "org.create" */
    const char *object;       /* "org/hk-qmh", "token/0123abcd…" */
    const char *outcome;      /* one of HB_AUDIT_* */
} hb_audit_event;

/* Append ev to the log. Must be called inside a transaction. */
int hb_audit_append(hb_store *store, const hb_audit_event *ev);

/* The migration that installs the triggers refusing UPDATE and DELETE (backend-specific SQL). */
int hb_audit__install_guards(hb_store *store);

typedef struct hb_audit_entry {
    int64_t seq;
    char at[HB_TIMESTAMP_STRLEN];
    char org[HB_ORG_CODE_MAX + 1]; /* "" for the operator */
    char jurisdiction[3];
    char token_id[HB_AUDIT_FIELD_MAX + 1]; /* "" for the operator */
    char source[HB_AUDIT_FIELD_MAX + 1];
    char action[HB_AUDIT_FIELD_MAX + 1];
    char object[HB_AUDIT_FIELD_MAX + 1];
    char outcome[16];
    char hash[HB_SHA256_HEXLEN + 1];
} hb_audit_entry;

typedef struct hb_audit_filter {
    const char *jurisdiction; /* NULL = all */
    const char *org;          /* NULL = all */
    int64_t after_seq;        /* 0 = from the start */
} hb_audit_filter;

/* One page of entries in seq order; *count gets how many were written to out[0..limit). */
int hb_audit_list(hb_store *store, hb_audit_entry *out, size_t limit, size_t *count,
                  const hb_audit_filter *filter);

typedef struct hb_audit_report {
    int64_t entries;                      /* entries checked */
    int64_t head_seq;                     /* the newest entry; 0 for an empty log */
    char head_hash[HB_SHA256_HEXLEN + 1]; /* its hash ("" for an empty log) */
    bool intact;
    int64_t bad_seq;                    /* the first bad entry when not intact (0: an anchor) */
    char problem[HB_ERROR_MESSAGE_MAX]; /* what is wrong, naming the entry */
} hb_audit_report;

/*
 * Walk the whole chain and report the first bad entry. anchor (NULL = none) is a head hash
 * recorded earlier: the log must still contain it on the chain, or entries after it were removed.
 * Returns 0 whether or not the log is intact (see report->intact); < 0 only when the check could
 * not be done.
 */
int hb_audit_verify(hb_store *store, hb_audit_report *report, const char *anchor);

#endif
