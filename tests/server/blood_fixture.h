/*
 * tests/server/blood_fixture.h — the rare-blood world on top of hb_test_world (support.h), for the
 * blood API's tests and the permission matrix.
 *
 * hb_test_blood_start() registers the blood centres gd-gzbc (Guangzhou, GD) and hk-rcbts (the Hong
 * Kong Red Cross) as organisations and stores through the module, as those centres:
 *   gd-gzbc  units 1 and 2 (frozen O RhD- Jk(a-b-) Jk3-) and donor GZ-SECRET-0001 (O RhD- Jk3-)
 *   hk-rcbts unit 1 (frozen O RhD- Jk(a-b-) Jk3- Fy(a-b+))
 * The donor's local reference, GZ-SECRET-0001, must never appear outside gd-gzbc.
 */
#ifndef HB_TESTS_SERVER_BLOOD_FIXTURE_H
#define HB_TESTS_SERVER_BLOOD_FIXTURE_H

#include <stdint.h>

#include "support.h"

#define HB_TEST_GD_DONOR_REF "GZ-SECRET-0001"

void hb_test_blood_start(hb_test_world *w);
/* Unit i (1 or 2) of the centre of jurisdiction ("GD" or "HK"), its DIN as printed. */
const char *hb_test_blood_unit(const char *jurisdiction, int i);
/* The GD donor's pseudonym. */
const char *hb_test_blood_donor(hb_test_world *w);
/* A request by org (of jurisdiction) for GD unit 1, made through the module; its number. */
int64_t hb_test_blood_request(hb_test_world *w, const char *org, const char *jurisdiction);

#endif
