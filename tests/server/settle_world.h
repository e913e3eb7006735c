/*
 * tests/server/settle_world.h — settlement participants for the server tests' world
 * (support.h): which world organisation acts for which payer and provider, payer rules that
 * approve cross-border outpatient care, and two patients.
 *
 *   organisation  provider                  payer
 *   hk-dh         HK-DHC (HK, HKD)          HK-DH (liaison; test rules), HK-EHCV (vouchers)
 *   hk-qmh        HK-QMH (HK, HKD)          HK-QMHS (an insurer of HK residents)
 *   hk-kwh        HK-KWH (HK, HKD)          HK-KWHS (an insurer of HK residents)
 *   gd-szh        GD-HKUSZH (GD, CNY; a voucher service point)   GD-SZHS (insurer of GD residents)
 *   gd-hc, mo-ssm                           GD-HSA, MO-SSM (liaisons; no rules)
 *
 * Patients: HM1 (an HK resident, born 1950: a member of every HK payer and a voucher holder)
 * and GM1 (a GD resident, a member of GD-SZHS).
 */
#ifndef HB_TESTS_SERVER_SETTLE_WORLD_H
#define HB_TESTS_SERVER_SETTLE_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "support.h"

/* Load the participants above into w's database. */
void hb_test_settle_world(hb_test_world *w);
/* The provider and the claim-paying payer an organisation acts for ("HK-QMH", "HK-QMHS"). */
const char *hb_test_settle_provider(const char *org);
const char *hb_test_settle_payer(const char *org);
/* Today's business date (UTC+8; HEALTHYBAY_NOW honoured) minus days, as YYYY-MM-DD. */
const char *hb_test_settle_day(int days_ago);
/* Submit (as the module, not over HTTP) a one-item outpatient claim of 100.00 and return its id;
 * decided = also adjudicate it (today). */
int64_t hb_test_settle_claim(hb_test_world *w, const char *provider, const char *episode,
                             const char *patient, const char *payer, bool decided);

#endif
