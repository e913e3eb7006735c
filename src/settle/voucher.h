/*
 * settle/voucher.h — Hong Kong Elderly Health Care Vouchers, as used across the border.
 *
 * Rules (dated data, data/settle/ehcv_rules.csv; sources in data/README.md):
 *   - eligible from 1 January of the year the holder turns eligible_age (65; 70 before
 *     1 July 2017), while a member of the voucher scheme (a valid HKIC or Certificate of
 *     Exemption);
 *   - each year's grant ("annual-2024": annual, HK$2,000) and one-off grants (ehcv_grants.csv)
 *     are credited up to the accumulation cap (HK$8,000 since 26 June 2019); what the cap keeps
 *     out is recorded as forfeited;
 *   - optometry: at most optometry_cap (HK$2,000) per cycle of optometry_cycle_years (2)
 *     calendar years counted from optometry_cycle_anchor (2019), from the day the sub-cap took
 *     effect;
 *   - at a designated GBA service point, a fee charged in RMB is deducted in HKD at the scheme's
 *     conversion factor for the month of service (rates.h, kind ehcv-factor), rounded by the
 *     rule's rounding to the voucher face value (HK$1): the voucher never pays more than the
 *     fee is worth, and what it cannot pay the holder pays in cash;
 *   - not for an episode already covered by mainland medical insurance (claims.h).
 *
 * The balance lives on the ledger account voucher:<holder>:HKD with floor 0 and the cap, so the
 * database refuses any overspending or overfilling whatever the callers do; every voucher write
 * also takes the holder's advisory lock, so the balance and the optometry usage read before a
 * decision are still true when it is posted (two servers posting claims for one holder queue).
 */
#ifndef HB_SETTLE_VOUCHER_H
#define HB_SETTLE_VOUCHER_H

#include <stdbool.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "settle/money.h"
#include "settle/request.h"
#include "store/store.h"
#include "util/table.h"

typedef struct hb_voucher_credit_report {
    uint64_t holders;    /* members of the scheme on the date */
    uint64_t credited;   /* credited now */
    uint64_t already;    /* had this grant already: unchanged */
    uint64_t ineligible; /* too young on the date */
    int64_t credited_minor, forfeited_minor;
} hb_voucher_credit_report;

/*
 * Credit grant to every eligible holder. grant is "annual-YYYY" (the annual amount of the rule
 * in force on `on`) or the code of a one-off grant (credited on its own date; `on` is ignored).
 * Each holder is credited in its own transaction under the holder's lock; a grant is credited
 * once per holder, so running it again changes nothing.
 */
int hb_voucher_credit(hb_voucher_credit_report *out, hb_store *store,
                      const hb_settle_caller *caller, const char *grant, hb_date on);

typedef struct hb_voucher_status {
    bool member, eligible;
    int64_t balance_minor, cap_minor;
    int64_t optometry_cap_minor; /* -1: no sub-cap on the date */
    int64_t optometry_used_minor;
    char cycle_from[11], cycle_to[11]; /* the optometry cycle containing the date */
} hb_voucher_status;

/* The holder's voucher on date: balance, cap and optometry use in the current cycle. */
int hb_voucher_balance(hb_voucher_status *out, hb_store *store, const char *holder, hb_date date);

/* The holder's statement: every movement of the voucher (date, what, claim, provider, fee and
 * its currency, factor, HKD amount, balance after), oldest first. */
int hb_voucher_statement(hb_store *store, const char *holder, hb_money_style style, hb_table **out);

#endif
