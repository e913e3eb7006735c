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
 *   payer-orgs      payer,org            the organisation (hb_orgs) acting for a payer
 *   provider-orgs   provider,org         … and for a provider
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

/* "payers|providers|…|members|payer-orgs|provider-orgs". */
extern const char hb_settle_reference_kinds[];

/* Load one file of kind; name is used in messages. In the caller's transaction. */
int hb_settle_reference_load(hb_store *store, const char *kind, const char *name, const char *data,
                             size_t len, bool dry_run, hb_settle_load_report *report);

/* Load every file of data/settle/ (the migration's function). */
int hb_settle_reference_load_embedded(hb_store *store);

/*
 * A payer or provider as the policy sees it: where it is, and the organisation acting for it
 * (its tokens submit the provider's claims, decide the payer's, read the payer's statements).
 * An organisation acts only for participants of its own jurisdiction (checked when loading).
 */
typedef struct hb_settle_party {
    char code[HB_SETTLE_ID_MAX + 1];
    char jurisdiction[3];
    char org[HB_ORG_CODE_MAX + 1]; /* "" when no organisation acts for it */
    char currency[4];              /* a provider's fees, a payer's rules */
} hb_settle_party;

/* kind is "payer" or "provider". HB_ENOTFOUND when there is no such participant. */
int hb_settle_party_get(hb_store *store, const char *kind, const char *code, hb_settle_party *out);
/* The voucher scheme's payer (HB_ENOTFOUND when none is configured). */
int hb_settle_voucher_scheme(hb_store *store, hb_settle_party *out);
/* Whether org acts for a provider that is a designated voucher service point on date: the
 * sharing rule under which a service point may read a holder's balance before serving them. */
int hb_settle_org_serves_vouchers(hb_store *store, const char *org, hb_date date, bool *out);

/* Listings for the CLI: payers (code, jurisdiction, kind, currency, name_en) and providers
 * (code, jurisdiction, region, currency, liaison, name_en, designated service point today). */
int hb_settle_payers_list(hb_store *store, hb_table **out);
int hb_settle_providers_list(hb_store *store, hb_table **out);

#endif
