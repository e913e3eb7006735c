/*
 * settle/rates.h — exchange rates and conversion factors, per date, with their source.
 *
 * Two kinds:
 *   reference    a daily rate (e.g. HKMA or PBOC published rates) used to compare a claim in one
 *                currency with a payer's limits in another. The rate for a date is the latest
 *                one on or before it, at most HB_RATE_AGE_DAYS_MAX days old (weekends and
 *                holiday closures are bridged, a data gap is not).
 *   ehcv-factor  the voucher scheme's conversion factor for a month: fees charged in RMB at a
 *                GBA service point are deducted from the voucher in HKD at the factor of the
 *                month of service. It must be dated within that month; a missing month is an
 *                error, never the previous month's factor.
 *
 * A rate is quote currency per one unit of base, as the publisher printed it ("1.0870"). There
 * is no implied inverse (1/1.0870 is not a decimal): each direction used is published or
 * imported explicitly. Rates are immutable once imported — entries that used one keep its id —
 * so re-importing the same file changes nothing and a different value for the same key is an
 * error.
 *
 * File: kind,base,quote,valid_from,rate,source
 *       ehcv-factor,CNY,HKD,2024-03-01,1.0870,DH eHS(S) conversion factor March 2024
 */
#ifndef HB_SETTLE_RATES_H
#define HB_SETTLE_RATES_H

#include <stdbool.h>

#include "healthybay/common.h"
#include "settle/money.h"
#include "settle/settle_int.h"
#include "store/store.h"
#include "util/table.h"

typedef struct hb_rate_row {
    int64_t id;
    hb_rate rate;
    char valid_from[11];
} hb_rate_row;

/* Import a rates file; whole-file validation, in the caller's transaction. */
int hb_rates_import(hb_store *store, const char *name, const char *data, size_t len, bool dry_run,
                    hb_settle_load_report *report);

/* The rate of kind ("reference", "ehcv-factor") from base to quote in force on date;
 * HB_ENOTFOUND with a message naming what is missing. */
int hb_rates_lookup(hb_rate_row *out, hb_store *store, const char *kind, const char *base,
                    const char *quote, hb_date date);

/* All rates (kind, base, quote, valid_from, rate, source), optionally of one kind. */
int hb_rates_list(hb_store *store, const char *kind, hb_table **out);

#endif
