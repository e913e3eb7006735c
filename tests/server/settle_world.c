/* tests/server/settle_world.c — see settle_world.h. */
#include "settle_world.h"

#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "healthybay/date.h"
#include "settle/claims.h"
#include "settle/rules.h"

static const char payers[] = "code,jurisdiction,kind,currency,name_en,name_zh,source\n"
                             "HK-QMHS,HK,insurer,HKD,QMH staff scheme,,test\n"
                             "HK-KWHS,HK,insurer,HKD,KWH staff scheme,,test\n"
                             "GD-SZHS,GD,insurer,CNY,SZH staff scheme,,test\n";
static const char providers[] = "code,jurisdiction,region,currency,liaison,name_en,name_zh,source\n"
                                "HK-DHC,HK,,HKD,HK-DH,DH elderly health centre,,test\n"
                                "HK-QMH,HK,,HKD,HK-DH,Queen Mary Hospital,,test\n"
                                "HK-KWH,HK,,HKD,HK-DH,Kwong Wah Hospital,,test\n";
static const char terms[] = "payer,valid_from,residents,claim_limit,deadline_days,rounding,source\n"
                            "HK-DH,2020-01-01,HK,,,half-up,test\n"
                            "HK-QMHS,2020-01-01,HK,,,half-up,test\n"
                            "HK-KWHS,2020-01-01,HK,,,half-up,test\n"
                            "GD-SZHS,2020-01-01,GD,,,half-up,test\n";
static const char items[] = "payer,valid_from,category,copay_bp,limit,alone\n"
                            "HK-DH,2020-01-01,outpatient,0,,1\n"
                            "HK-QMHS,2020-01-01,outpatient,0,,1\n"
                            "HK-KWHS,2020-01-01,outpatient,0,,1\n"
                            "GD-SZHS,2020-01-01,outpatient,0,,1\n";
static const char members[] = "payer,patient,residence,birth_year,valid_from,valid_to\n"
                              "HK-DH,HM1,HK,1950,2014-01-01,\n"
                              "HK-QMHS,HM1,HK,1950,2014-01-01,\n"
                              "HK-KWHS,HM1,HK,1950,2014-01-01,\n"
                              "HK-EHCV,HM1,HK,1950,2014-01-01,\n"
                              "GD-SZHS,GM1,GD,1980,2014-01-01,\n";
static const char payer_orgs[] = "payer,org\n"
                                 "HK-DH,hk-dh\nHK-EHCV,hk-dh\nHK-QMHS,hk-qmh\nHK-KWHS,hk-kwh\n"
                                 "GD-SZHS,gd-szh\nGD-HSA,gd-hc\nMO-SSM,mo-ssm\n";
static const char provider_orgs[] = "provider,org\n"
                                    "HK-DHC,hk-dh\nHK-QMH,hk-qmh\nHK-KWH,hk-kwh\n"
                                    "GD-HKUSZH,gd-szh\n";

static const struct {
    const char *org, *provider, *payer;
} acting[] = {
    { "hk-dh", "HK-DHC", "HK-DH" },
    { "hk-qmh", "HK-QMH", "HK-QMHS" },
    { "hk-kwh", "HK-KWH", "HK-KWHS" },
    { "gd-szh", "GD-HKUSZH", "GD-SZHS" },
};

void hb_test_settle_world(hb_test_world *w)
{
    const char *files[][2] = { { "payers", payers },
                               { "providers", providers },
                               { "payer-terms", terms },
                               { "payer-items", items },
                               { "members", members },
                               { "payer-orgs", payer_orgs },
                               { "provider-orgs", provider_orgs } };
    CHECK_OK(hb_store_begin(w->db));
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        hb_settle_load_report r;
        int rc = hb_settle_reference_load(w->db, files[i][0], "world.csv", files[i][1],
                                          strlen(files[i][1]), false, &r);
        CHECK_MSG(rc == 0, "%s: %s\n%s", files[i][0], hb_error_last(), r.errors ? r.errors : "");
        hb_settle__load_report_dispose(&r);
    }
    CHECK_OK(hb_store_commit(w->db));
}

const char *hb_test_settle_provider(const char *org)
{
    for (size_t i = 0; i < sizeof acting / sizeof acting[0]; i++)
        if (strcmp(acting[i].org, org) == 0)
            return acting[i].provider;
    hb_test_fail(__FILE__, __LINE__, "%s acts for no provider in the world", org);
}

const char *hb_test_settle_payer(const char *org)
{
    for (size_t i = 0; i < sizeof acting / sizeof acting[0]; i++)
        if (strcmp(acting[i].org, org) == 0)
            return acting[i].payer;
    hb_test_fail(__FILE__, __LINE__, "%s acts for no payer in the world", org);
}

const char *hb_test_settle_day(int days_ago)
{
    static char day[HB_DATE_STRLEN];
    hb_settle_caller c;
    hb_settle_caller_init(&c);
    return hb_date_format(day, c.today - days_ago);
}

int64_t hb_test_settle_claim(hb_test_world *w, const char *provider, const char *episode,
                             const char *patient, const char *payer, bool decided)
{
    hb_settle_party p;
    CHECK_OK(hb_settle_party_get(w->db, "provider", provider, &p));
    hb_claim_item it = { "consult", "outpatient", 1, 10000 };
    hb_claim c = { provider, episode, patient, payer, p.currency, 0, false, &it, 1 };
    const char *day = hb_test_settle_day(1);
    CHECK_OK(hb_date_parse(&c.service_date, day, strlen(day)));
    hb_settle_caller caller;
    hb_settle_caller_init(&caller);
    int64_t id;
    bool existing;
    CHECK_OK(hb_claim_submit(&id, &existing, w->db, &caller, &c));
    hb_claim_decision d;
    if (decided)
        CHECK_OK(hb_claim_adjudicate(&d, w->db, &caller, id));
    return id;
}
