/*
 * settle/rules.h — the reference data of settlement: participants and dated rules.
 *
 * Kinds of file (CSV with a header; data/README.md documents each and the shipped ones):
 *
 *   payers          code,jurisdiction,kind,currency,name_en,name_zh,source
 *   providers       code,jurisdiction,region,currency,liaison,name_en,name_zh,source
 *   payer-terms     payer,valid_from,residents,claim_limit,deadline_days,rounding,source
 *   payer-items     payer,valid_from,category,copay_bp,limit,alone
 *   ehcv-rules      valid_from,eligible_age,annual,cap,optometry_cap,optometry_cycle_years,
 *                   optometry_cycle_anchor,face_value,rounding,source
 *   ehcv-grants     code,granted_on,amount,source
 *   service-points  provider,valid_from,valid_to,source
 *   members         payer,patient,residence,birth_year,valid_from,valid_to
 *
 * Amounts are decimals ("2000.00") in the payer's currency (HKD for the voucher rules). A rule
 * set takes effect on its valid_from and lasts until the next one: the next policy change is a
 * new row, and decisions already made keep what they decided. Loading is an upsert checked whole
 * (see settle_int.h): every bad field is named and nothing is written unless all are good.
 *
 * The files in data/settle/ are compiled in and loaded by a migration; `healthybay settle
 * reference import KIND FILE` loads updates and the operators' own payers, rules and members.
 */
#ifndef HB_SETTLE_RULES_H
#define HB_SETTLE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "settle/settle_int.h"
#include "store/store.h"
#include "util/table.h"

/* "payers|providers|payer-terms|payer-items|ehcv-rules|ehcv-grants|service-points|members". */
extern const char hb_settle_reference_kinds[];

/* Load one file of kind; name is used in messages. In the caller's transaction. */
int hb_settle_reference_load(hb_store *store, const char *kind, const char *name, const char *data,
                             size_t len, bool dry_run, hb_settle_load_report *report);

/* Load every file of data/settle/ (the migration's function). */
int hb_settle_reference_load_embedded(hb_store *store);

/* Listings for the CLI: payers (code, jurisdiction, kind, currency, name_en) and providers
 * (code, jurisdiction, region, currency, liaison, name_en, designated service point today). */
int hb_settle_payers_list(hb_store *store, hb_table **out);
int hb_settle_providers_list(hb_store *store, hb_table **out);

#endif
