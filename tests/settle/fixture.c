/* tests/settle/fixture.c — see fixture.h. */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

#include "core/schema.h"
#include "harness.h"
#include "healthybay/date.h"
#include "settle/rates.h"
#include "settle/rules.h"
#include "settle/settle_int.h"

static const char payers[] = "code,jurisdiction,kind,currency,name_en,name_zh,source\n"
                             "HK-INS,HK,insurer,HKD,Test insurer (Hong Kong),,test fixture\n"
                             "GD-FUND,GD,social-insurance,CNY,Test fund (Guangdong),,test fixture\n"
                             "MO-SS,MO,social-insurance,MOP,Test fund (Macao),,test fixture\n";
static const char providers[] = "code,jurisdiction,region,currency,liaison,name_en,name_zh,source\n"
                                "HK-QMH,HK,,HKD,HK-DH,Test hospital (Hong Kong),,test fixture\n"
                                "MO-CHCSJ,MO,,MOP,MO-SSM,Test hospital (Macao),,test fixture\n";
static const char terms[] = "payer,valid_from,residents,claim_limit,deadline_days,rounding,source\n"
                            "HK-INS,2020-01-01,HK,5000.00,90,half-up,test fixture\n"
                            "GD-FUND,2020-01-01,GD,,,half-even,test fixture\n"
                            "MO-SS,2020-01-01,MO,,,half-up,test fixture\n";
static const char items[] = "payer,valid_from,category,copay_bp,limit,alone\n"
                            "HK-INS,2020-01-01,outpatient,2000,,1\n"
                            "HK-INS,2020-01-01,dental,0,1000.00,1\n"
                            "HK-INS,2020-01-01,inpatient,0,,1\n"
                            "GD-FUND,2020-01-01,outpatient,1000,,1\n"
                            "GD-FUND,2020-01-01,inpatient,1000,,1\n"
                            "MO-SS,2020-01-01,outpatient,0,,1\n";
static const char members[] = "payer,patient,residence,birth_year,valid_from,valid_to\n"
                              "HK-INS,H1,HK,1980,2020-01-01,\n"
                              "HK-INS,H2,HK,1975,2020-01-01,2023-12-31\n"
                              "HK-INS,G9,GD,1980,2020-01-01,\n"
                              "GD-FUND,G1,GD,1970,2020-01-01,\n"
                              "GD-FUND,G2,GD,1985,2020-01-01,\n"
                              "MO-SS,M1,MO,1990,2020-01-01,\n"
                              "HK-EHCV,E1,HK,1950,2014-01-01,\n"
                              "HK-EHCV,E2,HK,1951,2014-01-01,\n"
                              "HK-EHCV,E3,HK,1958,2014-01-01,\n";
/* Test rates, not published ones: weekly reference rates are added by weekly_rates(). */
static const char rates[] = "kind,base,quote,valid_from,rate,source\n"
                            "ehcv-factor,CNY,HKD,2024-02-01,1.0900,test fixture\n"
                            "ehcv-factor,CNY,HKD,2024-03-01,1.0870,test fixture\n"
                            "ehcv-factor,CNY,HKD,2024-04-01,1.0850,test fixture\n"
                            "ehcv-factor,CNY,HKD,2024-05-01,1.0840,test fixture\n";

void fixture_load(hb_store *s, const char *kind, const char *text)
{
    hb_settle_load_report report = { 0 };
    CHECK_OK(hb_store_begin(s));
    int rc =
        strcmp(kind, "rates") == 0
            ? hb_rates_import(s, "fixture.csv", text, strlen(text), false, &report)
            : hb_settle_reference_load(s, kind, "fixture.csv", text, strlen(text), false, &report);
    if (rc < 0)
        hb_store_rollback(s);
    CHECK_MSG(rc == 0, "loading %s: %s\n%s", kind, hb_error_last(),
              report.errors ? report.errors : "");
    CHECK_OK(hb_store_commit(s));
    hb_settle__load_report_dispose(&report);
}

/* HKD->CNY 0.9150 and HKD->MOP 1.0300 every Wednesday from 28 February to 3 July 2024. */
static void weekly_rates(hb_store *s)
{
    char text[8192] = "kind,base,quote,valid_from,rate,source\n";
    size_t n = strlen(text);
    for (hb_date d = fixture_date("2024-02-28"); d <= fixture_date("2024-07-03"); d += 7) {
        char day[HB_DATE_STRLEN];
        hb_date_format(day, d);
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "reference,HKD,CNY,%s,0.9150,test fixture\n"
                              "reference,HKD,MOP,%s,1.0300,test fixture\n",
                              day, day);
    }
    fixture_load(s, "rates", text);
}

static char url[4096];

const char *fixture_url(void)
{
    return url;
}

hb_store *fixture_open(void)
{
    hb_store *s;
    snprintf(url, sizeof url, "%s", hb_test_db_url());
    CHECK_OK(hb_store_open(&s, url, HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    fixture_load(s, "payers", payers);
    fixture_load(s, "providers", providers);
    fixture_load(s, "payer-terms", terms);
    fixture_load(s, "payer-items", items);
    fixture_load(s, "members", members);
    fixture_load(s, "rates", rates);
    weekly_rates(s);
    return s;
}

hb_date fixture_date(const char *day)
{
    hb_date d;
    CHECK_OK(hb_date_parse(&d, day, strlen(day)));
    return d;
}

hb_settle_caller fixture_caller(const char *day)
{
    hb_settle_caller c;
    hb_settle_caller_init(&c);
    c.organisation = "test";
    c.today = fixture_date(day);
    return c;
}

int64_t fixture_claim(hb_store *s, const char *provider, const char *episode, const char *patient,
                      const char *payer, const char *currency, const char *service_date,
                      const char *category, int64_t amount_minor)
{
    hb_claim_item it = { "item", category, 1, amount_minor };
    hb_claim c = { provider, episode, patient, payer, currency, fixture_date(service_date),
                   false,    &it,     1 };
    hb_settle_caller caller = fixture_caller(service_date);
    int64_t id;
    bool existing;
    CHECK_OK(hb_claim_submit(&id, &existing, s, &caller, &c));
    CHECK(!existing);
    return id;
}

int64_t fixture_scalar(hb_store *s, const char *sql)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    int64_t v = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return v;
}
