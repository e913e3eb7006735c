/*
 * tests/server/blood_fixture.c — see blood_fixture.h.
 */
#include "blood_fixture.h"

#include <stdio.h>
#include <string.h>

#include "blood/din.h"
#include "blood/registry.h"
#include "blood/request.h"
#include "core/accounts.h"
#include "harness.h"

static const char *const fins[2] = { "W1234", "G1507" }; /* GD, HK */

const char *hb_test_blood_unit(const char *jurisdiction, int i)
{
    static char printed[2][3][20];
    int j = strcmp(jurisdiction, "HK") == 0;
    char din[HB_BLOOD_DIN_LEN + 1];
    snprintf(din, sizeof din, "%s24%06d", fins[j], i);
    hb_blood_din_format(printed[j][i], din);
    return printed[j][i];
}

static void add_centre(hb_test_world *w, const char *code, const char *name, const char *j)
{
    hb_org org = { .kind = HB_ORG_BLOOD_CENTRE };
    snprintf(org.code, sizeof org.code, "%s", code);
    snprintf(org.name, sizeof org.name, "%s", name);
    snprintf(org.jurisdiction, sizeof org.jurisdiction, "%s", j);
    CHECK_OK(hb_org_create(w->db, &org));
}

static void import(hb_test_world *w, const char *centre, const char *j, hb_blood_kind kind,
                   const char *text)
{
    hb_blood_actor actor = { centre, j };
    hb_blood_import_report r;
    CHECK_OK(
        hb_blood_import_memory(w->db, &actor, kind, "fixture.csv", text, strlen(text), false, &r));
    hb_blood_import_report_dispose(&r);
}

void hb_test_blood_start(hb_test_world *w)
{
    add_centre(w, "gd-gzbc", "Guangzhou Blood Center", "GD");
    add_centre(w, "hk-rcbts", "Hong Kong Red Cross Blood Transfusion Service", "HK");
    char text[512];
    snprintf(text, sizeof text,
             "din,component,storage,abo,rhd,phenotype,expiry\n"
             "%s,red_cells,frozen,O,neg,Jk(a-b-) Jk3-,2034-01-01\n"
             "%s,red_cells,frozen,O,neg,Jk(a-b-) Jk3-,2034-01-01\n",
             hb_test_blood_unit("GD", 1), hb_test_blood_unit("GD", 2));
    import(w, "gd-gzbc", "GD", HB_BLOOD_UNIT, text);
    import(w, "gd-gzbc", "GD", HB_BLOOD_DONOR,
           "local_ref,abo,rhd,phenotype,eligible\n" HB_TEST_GD_DONOR_REF ",O,neg,Jk3-,yes\n");
    snprintf(text, sizeof text,
             "din,component,storage,abo,rhd,phenotype,expiry\n"
             "%s,red_cells,frozen,O,neg,Jk(a-b-) Jk3- Fy(a-b+),2034-01-01\n",
             hb_test_blood_unit("HK", 1));
    import(w, "hk-rcbts", "HK", HB_BLOOD_UNIT, text);
}

const char *hb_test_blood_donor(hb_test_world *w)
{
    static char pseudonym[HB_BLOOD_PSEUDONYM_LEN + 1];
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(
        w->db, &st,
        "SELECT pseudonym FROM hb_blood_donors WHERE local_ref = '" HB_TEST_GD_DONOR_REF "'"));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    snprintf(pseudonym, sizeof pseudonym, "%s", hb_stmt_text(st, 0, NULL));
    hb_stmt_finalize(st);
    return pseudonym;
}

int64_t hb_test_blood_request(hb_test_world *w, const char *org, const char *jurisdiction)
{
    hb_blood_actor actor = { org, jurisdiction };
    hb_blood_request_new n = { .din = hb_test_blood_unit("GD", 1),
                               .abo = HB_ABO_O,
                               .rhd = HB_RHD_NEG };
    int64_t id;
    CHECK_OK(hb_blood_request_create(w->db, &actor, &n, &id));
    return id;
}
