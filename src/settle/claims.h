/*
 * settle/claims.h — claims for cross-border care and their adjudication.
 *
 * A provider submits a claim for care given to a patient from another jurisdiction: the
 * patient's pseudonym, the episode, the items (code, category, quantity, unit price), the
 * currency the fees were charged in (the provider's own) and the payer to charge. Exactly one
 * live claim exists per provider and episode: re-sending the same claim returns the stored one
 * and changes nothing; a different claim for the same episode is a duplicate (HB_ECONFLICT).
 * After a rejection or a reversal the provider may submit the episode again.
 *
 * Adjudication applies the payer's rule set in force on the service date (rules.h):
 *
 *   claim level  the payer has rules on that date; the claim arrived within deadline_days; the
 *                patient is a member of the payer on that date and resident in one of the
 *                covered jurisdictions; the care is cross-border (the patient does not live in
 *                the provider's jurisdiction)
 *   item level   the category is covered; a category that is not covered alone (drugs for the
 *                voucher scheme) needs another covered category in the claim; per-category
 *                limits per claim, then the co-payment in basis points (rounded by the payer's
 *                rule), then the payer's limit per claim
 *   vouchers     for the voucher scheme, also: a designated service point on the service date;
 *                the holder old enough under the rule of that date; the episode not covered by
 *                mainland medical insurance; the fee converted to HKD at the month's factor,
 *                rounded to the voucher face value; the balance and the optometry sub-cap
 *                (voucher.h)
 *
 * Limits in the payer's currency are converted to the claim's at the reference rate of the
 * service date, rounded down. The outcome: approved (everything covered; only the co-payment is
 * the patient's), partial (something less), or rejected (nothing), with a reason per item and
 * for the claim. Approved and partial claims post their ledger transfer in the same transaction.
 * A decided, unsettled claim can be reversed (a reversing transfer; the voucher is restored).
 */
#ifndef HB_SETTLE_CLAIMS_H
#define HB_SETTLE_CLAIMS_H

#include <stdbool.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "settle/money.h"
#include "settle/request.h"
#include "store/store.h"
#include "util/limits.h"
#include "util/table.h"

typedef struct hb_claim_item {
    const char *code;     /* the provider's item code, e.g. a fee schedule code */
    const char *category; /* outpatient, inpatient, day_surgery, dental, optometry,
                             chinese_medicine, diagnostics, preventive, rehabilitation, drugs */
    int64_t quantity;     /* 1 .. HB_CLAIM_QUANTITY_MAX */
    int64_t unit_minor;   /* price of one, >= 0 */
} hb_claim_item;

typedef struct hb_claim {
    const char *provider, *episode, *patient, *payer;
    const char *currency; /* must be the provider's */
    hb_date service_date;
    bool mainland_insured; /* the episode was covered by mainland medical insurance */
    const hb_claim_item *items;
    size_t nitems; /* 1 .. HB_CLAIM_ITEMS_MAX */
} hb_claim;

/* The item categories claims and payer rules use, '|'-separated ("outpatient|inpatient|…"). */
extern const char hb_claim_categories[];
bool hb_claim_category_valid(const char *category);

/* Check a claim without touching the database's contents (codes are looked up). */
int hb_claim_check(hb_store *store, const hb_claim *claim, hb_date today);

/*
 * Submit a claim in its own transaction. *out_id gets its id; *out_existing is true when an
 * identical claim for the episode was already there (or the Idempotency-Key was replayed) and
 * nothing changed. HB_EINVAL for a bad claim, HB_ECONFLICT for a duplicate with other content.
 */
int hb_claim_submit(int64_t *out_id, bool *out_existing, hb_store *store,
                    const hb_settle_caller *caller, const hb_claim *claim);

typedef struct hb_claim_decision {
    int64_t claim_id;
    char provider[HB_SETTLE_ID_MAX + 1], payer[HB_SETTLE_ID_MAX + 1];
    char status[12]; /* submitted, approved, partial, rejected, reversed */
    char currency[4];
    int64_t claimed_minor, approved_minor, copay_minor;
    int64_t voucher_minor; /* HKD deducted from a voucher */
    int64_t transfer_id;   /* 0 when nothing was posted */
    bool already;          /* decided before this call: nothing changed */
    char reason[HB_ERROR_MESSAGE_MAX];
} hb_claim_decision;

/* Adjudicate one submitted claim in its own transaction (dated caller->today). A claim decided
 * already is returned as it is (already = true). HB_ECONFLICT when caller->today falls in a
 * settled period. */
int hb_claim_adjudicate(hb_claim_decision *out, hb_store *store, const hb_settle_caller *caller,
                        int64_t claim_id);

typedef struct hb_adjudication_report {
    uint64_t claims, approved, partial, rejected;
} hb_adjudication_report;

/* Adjudicate every submitted claim, oldest first, each in its own transaction (so one holder's
 * voucher is never locked longer than one claim). Stops at the first database error. */
int hb_claims_adjudicate_pending(hb_adjudication_report *out, hb_store *store,
                                 const hb_settle_caller *caller);

/* Reverse a decided, unsettled claim: post the reversing transfer, mark it reversed. */
int hb_claim_reverse(hb_claim_decision *out, hb_store *store, const hb_settle_caller *caller,
                     int64_t claim_id, const char *reason);

/* The stored state of a claim. */
int hb_claim_get(hb_claim_decision *out, hb_store *store, int64_t claim_id);

typedef struct hb_claims_import_report {
    uint64_t rows, claims, submitted, unchanged;
    uint64_t nerrors;
    char *errors; /* first HB_REPORT_ERRORS_MAX messages; owned */
} hb_claims_import_report;

/*
 * Import claims from CSV, one row per item:
 *
 *   provider,episode,patient,payer,currency,service_date,mainland_insured,item,category,
 *   quantity,unit_price
 *
 * The rows of one claim (same provider and episode) are consecutive and agree on the claim's
 * fields. The file is checked whole — fields, claims, duplicates against stored claims — and
 * then submitted in one transaction, or rejected with every problem named. Claims already
 * stored identically are counted unchanged, so re-sending a file changes nothing.
 */
int hb_claims_import(hb_claims_import_report *out, hb_store *store, const hb_settle_caller *caller,
                     const char *name, const char *data, size_t len, bool dry_run);
void hb_claims_import_report_dispose(hb_claims_import_report *report);

typedef struct hb_claim_filter {
    const char *status, *payer, *provider, *patient; /* NULL = any */
    int64_t id;                                      /* only this claim; 0 = any */
    /* Only claims whose provider this organisation acts for, or also whose payer when
     * with_payer (rules.h: hb_settle_party); NULL = every claim. */
    const char *org;
    bool with_payer;
    int64_t before_id; /* only claims with a smaller id: the next page; 0 = from the newest */
    size_t limit;      /* at most this many; 0 = all */
} hb_claim_filter;

/* Claims (id, provider, episode, patient, payer, service_date, currency, claimed, approved,
 * copay, voucher_hkd, status, decided_on, run, reason), newest first, amounts in style. */
int hb_claims_list(hb_store *store, const hb_claim_filter *filter, hb_money_style style,
                   hb_table **out);
/* A claim's items (line, code, category, quantity, unit, amount, approved, copay, reason,
 * currency). */
int hb_claim_items(hb_store *store, int64_t claim_id, hb_money_style style, hb_table **out);

#endif
