/*
 * tests/server/vaccine_world.c — see vaccine_world.h.
 */
#include "vaccine_world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dcc/keys.h"
#include "harness.h"
#include "util/clock.h"
#include "vaccine/vaccine.h"

const char *hb_test_vaccine_person(const char *org)
{
    static char person[32];
    snprintf(person, sizeof person, "TEST-%s", org);
    return person;
}

/* keys/J in the test's scratch directory, its DSC trusted as J's. */
static void signer(hb_test_world *w, const char *j)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", hb_test_path("keys"));
    mkdir(dir, 0700); /* the surveillance world may have made it */
    snprintf(dir + strlen(dir), sizeof dir - strlen(dir), "/%s", j);
    CHECK(mkdir(dir, 0700) == 0);
    hb_dcc_keygen spec = { dir, hb_vaccine_country(j), "Test authority", hb_time_now() - 86400,
                           730 };
    CHECK_OK(hb_dcc_keys_generate(&spec));
    char cert[1100];
    snprintf(cert, sizeof cert, "%s/dsc.pem", dir);
    size_t len;
    char *pem = hb_test_read_file(cert, &len);
    CHECK_OK(hb_vaccine_trust_add(w->db, j, (const uint8_t *)pem, len));
    free(pem);
}

void hb_test_vaccine_world(hb_test_world *w)
{
    static const struct {
        const char *org, *jurisdiction;
    } records[] = { { "hk-dh", "HK" }, { "hk-qmh", "HK" }, { "hk-kwh", "HK" }, { "gd-szh", "GD" } };
    for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
        char csv[512];
        const char *j = records[i].jurisdiction, *person = hb_test_vaccine_person(records[i].org);
        snprintf(csv, sizeof csv,
                 "person,residence,product,manufacturer,dose_number,series_doses,date,"
                 "administered_in,site,region,lot\n"
                 "%s,%s,CoronaVac,,1,2,2021-06-01,%s,Test site,,\n"
                 "%s,%s,CoronaVac,,2,2,2021-06-29,%s,Test site,,\n",
                 person, j, j, person, j, j);
        hb_vaccine_import_options opt = { hb_vaccine_today(), records[i].org, NULL, NULL };
        hb_vaccine_import_report r;
        CHECK_OK(hb_vaccine_import(w->db, "world", csv, strlen(csv), &opt, &r));
        CHECK_INT_EQ(r.inserted, 2);
        hb_vaccine_import_report_dispose(&r);
    }
    signer(w, "HK");
    signer(w, "GD");
}
