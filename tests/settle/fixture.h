/*
 * tests/settle/fixture.h — a migrated database with test payers across the three jurisdictions,
 * members, voucher holders and rates, for the settlement tests.
 *
 * Payers: HK-INS (a Hong Kong insurer covering HK residents treated in GD or MO; limits in HKD,
 * 20% co-payment on outpatient), GD-FUND (a Guangdong fund covering GD residents treated in HK or
 * MO), MO-SS (Macao covering MO residents in GD or HK), plus the shipped HK-EHCV and liaison
 * bodies. Providers: the shipped GD service points, HK-QMH (Hong Kong), MO-CHCSJ (Macao).
 */
#ifndef HB_TESTS_SETTLE_FIXTURE_H
#define HB_TESTS_SETTLE_FIXTURE_H

#include "settle/claims.h"
#include "settle/request.h"
#include "store/store.h"

/* A migrated database with the fixture loaded. */
hb_store *fixture_open(void);
/* The URL of the database fixture_open() made (for more connections to it). */
const char *fixture_url(void);
/* Load reference text of kind (rules.h) or rates ("rates") in a transaction; fails the test on
 * error. */
void fixture_load(hb_store *s, const char *kind, const char *text);
/* A caller dated day (YYYY-MM-DD), no key. */
hb_settle_caller fixture_caller(const char *day);
hb_date fixture_date(const char *day);

/* The integer in the first column of the first row of sql. */
int64_t fixture_scalar(hb_store *s, const char *sql);

/* Submit a one-item claim and return its id. */
int64_t fixture_claim(hb_store *s, const char *provider, const char *episode, const char *patient,
                      const char *payer, const char *currency, const char *service_date,
                      const char *category, int64_t amount_minor);

#endif
