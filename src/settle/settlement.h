/*
 * settle/settlement.h — periodic settlement between payers: multilateral netting and runs.
 *
 * Who owes whom. Each decided claim makes its payer (the debtor) owe the provider's liaison
 * payer (the creditor, which pays the provider locally at its tariffs) the approved amount, in
 * the claim's currency — the EU institution-to-institution model (Regulation 987/2009). A
 * settlement run for a month takes every paid, unsettled claim decided up to the month's last
 * day, sums the gross obligations per (debtor, creditor, currency), and nets them: per currency,
 * each payer's net position is what it is due minus what it owes, and a greedy match of the
 * largest debtor with the largest creditor turns the positions into at most (payers - 1)
 * payments per currency. Currencies are never netted against each other: nothing is converted,
 * so nothing is rounded.
 *
 * The run posts one ledger transfer, balanced per currency: each provider's receivable moves to
 * its liaison payer (paid locally), and each payment moves value between the two payers, so
 * after the run every payer's positions from the period's claims are zero. It records the
 * obligations and payments, and marks the claims with the run.
 *
 * Idempotent: a period is settled once (a unique key). Running it again returns the same run
 * and changes nothing; settled periods are closed (no decision or reversal may be dated in
 * them), and periods are settled in order.
 */
#ifndef HB_SETTLE_SETTLEMENT_H
#define HB_SETTLE_SETTLEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "settle/money.h"
#include "settle/request.h"
#include "store/store.h"
#include "util/table.h"

typedef struct hb_obligation {
    const char *debtor, *creditor, *currency;
    int64_t amount_minor; /* > 0 */
} hb_obligation;

typedef struct hb_net_position {
    const char *party, *currency; /* borrowed from the obligations */
    int64_t net_minor;            /* due minus owed */
} hb_net_position;

typedef struct hb_instruction {
    const char *payer, *payee, *currency; /* borrowed from the obligations */
    int64_t amount_minor;                 /* > 0 */
} hb_instruction;

/*
 * Net obligations[0..n) per currency. Pure: positions (capacity 2n) and instructions (capacity
 * 2n) are the caller's. Obligations of a party to itself cancel. Deterministic: ties are broken
 * by party code. HB_ELIMIT when the amounts overflow.
 */
int hb_netting_compute(hb_net_position *positions, size_t *npositions, hb_instruction *instructions,
                       size_t *ninstructions, const hb_obligation *obligations, size_t n);

typedef struct hb_settlement_result {
    int64_t run_id;
    char period[12]; /* YYYY-MM */
    int64_t claims, obligations, instructions;
    int64_t transfer_id; /* 0 when the period had no claims */
    bool already;        /* the period was settled before: nothing changed */
} hb_settlement_result;

/* Settle the month containing `month` (caller->today must be after the month). */
int hb_settlement_run(hb_settlement_result *out, hb_store *store, const hb_settle_caller *caller,
                      hb_date month);

/* The run that settled period (YYYY-MM); HB_ENOTFOUND when the period is not settled. */
int hb_settlement_get(hb_settlement_result *out, hb_store *store, const char *period);

/* The payments of a settled period (period, currency, payer, payee, amount). */
int hb_settlement_instructions(hb_store *store, const char *period, hb_money_style style,
                               hb_table **out);

typedef struct hb_statement_check {
    int64_t lines;
    int64_t mismatches; /* currencies where claims, obligations and payments disagree */
} hb_statement_check;

/*
 * A payer's statement for a settled period, one row per claim it owes (negative) or is due as
 * liaison (positive), then per currency the totals, the net and each payment, so it reads from
 * claims to cash:
 *     payer, currency, line, claim, provider, episode, service_date, amount
 * payer NULL = every payer. check gets the reconciliation: the claim lines must add up to the
 * recorded obligations and the net, and the payments must settle the net exactly.
 */
int hb_settlement_statement(hb_store *store, const char *period, const char *payer,
                            hb_money_style style, hb_table **out, hb_statement_check *check);

#endif
