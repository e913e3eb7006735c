/*
 * tests/server/vaccine_world.h — vaccination data for the server tests' world (support.h).
 *
 *   person         resident of   vaccinated in   recorded by
 *   TEST-hk-dh     HK            HK              hk-dh
 *   TEST-hk-qmh    HK            HK              hk-qmh
 *   TEST-hk-kwh    HK            HK              hk-kwh
 *   TEST-gd-szh    GD            GD              gd-szh
 *
 * Each has two doses of CoronaVac (2021-06-01, 2021-06-29). HK and GD have document-signer keys
 * in the server's key directory (keys/HK, keys/GD), trusted in the database; MO has none.
 */
#ifndef HB_TESTS_SERVER_VACCINE_WORLD_H
#define HB_TESTS_SERVER_VACCINE_WORLD_H

#include "support.h"

void hb_test_vaccine_world(hb_test_world *w);
/* The person recorded by org ("TEST-hk-qmh"), in a static buffer. */
const char *hb_test_vaccine_person(const char *org);

#endif
