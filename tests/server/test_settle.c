/*
 * The settlement API over HTTP (issue #10), on SQLite and PostgreSQL: claims from submission to
 * reversal with who may do what, validation with field pointers, idempotent retries, vouchers,
 * and a month's settlement with statements. The clock is pinned to 2 April 2024 (UTC+8), so the
 * dates, factors and periods are the ones written here.
 */
#include <stdlib.h>
#include <string.h>

#include "core/accounts.h"
#include "core/audit.h"
#include "harness.h"
#include "healthybay/date.h"
#include "settle/ledger.h"
#include "settle/rates.h"
#include "settle/voucher.h"
#include "settle_world.h"
#include "support.h"

/* A claim by GD-HKUSZH (gd-szh) for the HK resident HM1: RMB 180 + RMB 120. */
#define CLAIM(episode, payer, extra)                                                           \
    "{\"provider\": \"GD-HKUSZH\", \"episode\": \"" episode "\", \"patient\": \"HM1\","        \
    " \"payer\": \"" payer "\", \"currency\": \"CNY\", \"service_date\": \"2024-03-05\"" extra \
    ", \"items\": [{\"code\": \"consult\", \"category\": \"outpatient\", \"quantity\": 1,"     \
    " \"unit_minor\": 18000}, {\"code\": \"review\", \"category\": \"outpatient\","            \
    " \"quantity\": 2, \"unit_minor\": 6000}]}"

typedef struct tokens {
    const char *szh, *qmh, *kwh, *dh, *dh_admin, *gd_hc, *qmh_auditor;
} tokens;

/* A token valid for 90 days: the tests move the pinned clock by a month. */
static const char *token(hb_test_world *w, const char *org, hb_role role)
{
    static char texts[8][HB_TOKEN_TEXT_LEN + 1];
    static size_t n;
    CHECK(n < 8);
    hb_token_info info;
    CHECK_OK(hb_token_create(w->db, &info, texts[n], org, 1u << role, "test", 90));
    return texts[n++];
}

static void start(hb_test_world *w, tokens *t)
{
    setenv("HEALTHYBAY_NOW", "2024-04-02T02:00:00Z", 1);
    hb_test_world_start(w);
    hb_test_settle_world(w);
    t->szh = token(w, "gd-szh", HB_ROLE_REPORTER);
    t->qmh = token(w, "hk-qmh", HB_ROLE_REPORTER);
    t->kwh = token(w, "hk-kwh", HB_ROLE_REPORTER);
    t->dh = token(w, "hk-dh", HB_ROLE_REPORTER);
    t->dh_admin = token(w, "hk-dh", HB_ROLE_ADMIN);
    t->gd_hc = token(w, "gd-hc", HB_ROLE_REPORTER);
    t->qmh_auditor = token(w, "hk-qmh", HB_ROLE_AUDITOR);
}

static const char *str(const hb_test_response *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

static long long num(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    CHECK_MSG(json_is_integer(v), "%s is not an integer", key);
    return (long long)json_integer_value(v);
}

/* One request that must answer status; the response is kept in r for the caller. */
static void call(hb_test_world *w, hb_test_response *r, const char *method, const char *path,
                 const char *token, const char *body, const char *const *headers, long status)
{
    hb_test_call(w, r, method, path, token, body, headers);
    CHECK_MSG(r->status == status, "%s %s: %ld, expected %ld: %s", method, path, r->status, status,
              r->body);
}

/* As call(), for a response the test does not look into. */
static void expect(hb_test_world *w, const char *method, const char *path, const char *token,
                   const char *body, long status)
{
    hb_test_response r;
    call(w, &r, method, path, token, body, NULL, status);
    hb_test_response_dispose(&r);
}

static bool has_pointer(const hb_test_response *r, const char *pointer)
{
    const json_t *errors = json_object_get(r->json, "errors");
    for (size_t i = 0; i < json_array_size(errors); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(errors, i), "pointer")),
                   pointer) == 0)
            return true;
    return false;
}

static void check_type(const hb_test_response *r, const char *type)
{
    char want[128];
    snprintf(want, sizeof want, "https://healthybay.invalid/problems/%s", type);
    CHECK_STR_EQ(str(r, "type"), want);
}

TEST(settle_api__a_claim_from_submission_to_reversal)
{
    hb_test_world w;
    tokens t;
    start(&w, &t);
    hb_test_response r;
    call(&w, &r, "POST", "/api/v1/claims", t.szh, CLAIM("E-1", "HK-QMHS", ""), NULL, 201);
    long long id = num(r.json, "id");
    char path[128], location[64];
    snprintf(location, sizeof location, "/api/v1/claims/%lld", id);
    CHECK_STR_EQ(hb_test_header(&r, "Location"), location);
    CHECK_INT_EQ(num(r.json, "claimed_minor"), 30000); /* integer fen, never a float */
    CHECK_STR_EQ(str(&r, "currency"), "CNY");
    CHECK_STR_EQ(str(&r, "status"), "submitted");
    const json_t *items = json_object_get(r.json, "items");
    CHECK_INT_EQ(json_array_size(items), 2);
    CHECK_INT_EQ(num(json_array_get(items, 1), "amount_minor"), 12000);
    hb_test_response_dispose(&r);

    /* The same claim again changes nothing (natural key): 200 with the stored claim. */
    call(&w, &r, "POST", "/api/v1/claims", t.szh, CLAIM("E-1", "HK-QMHS", ""), NULL, 200);
    CHECK_INT_EQ(num(r.json, "id"), id);
    hb_test_response_dispose(&r);

    /* The provider's organisation and the payer's (sharing) read it; nobody else sees it. */
    expect(&w, "GET", location, t.szh, NULL, 200);
    expect(&w, "GET", location, t.qmh, NULL, 200);
    expect(&w, "GET", location, t.kwh, NULL, 404);
    expect(&w, "GET", location, t.dh, NULL, 404);
    expect(&w, "GET", "/api/v1/claims/99999", t.szh, NULL, 404);
    expect(&w, "GET", "/api/v1/claims/abc", t.szh, NULL, 404);

    /* Only the payer's organisation decides: the provider may see the claim (403), others not. */
    snprintf(path, sizeof path, "%s/adjudication", location);
    expect(&w, "POST", path, t.szh, NULL, 403);
    expect(&w, "POST", path, t.kwh, NULL, 404);
    call(&w, &r, "POST", path, t.qmh, NULL, NULL, 200);
    CHECK_STR_EQ(str(&r, "status"), "approved");
    CHECK_INT_EQ(num(r.json, "approved_minor"), 30000);
    CHECK_STR_EQ(str(&r, "decided_on"), "2024-04-02");
    hb_test_response_dispose(&r);
    long long transfers = hb_test_count(&w, "SELECT count(*) FROM hb_settle_transfers");
    call(&w, &r, "POST", path, t.qmh, NULL, NULL, 200); /* decided: the first decision */
    CHECK_STR_EQ(str(&r, "status"), "approved");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_settle_transfers"), transfers);

    /* Lists: each organisation its own part. */
    call(&w, &r, "GET", "/api/v1/claims?status=approved", t.qmh, NULL, NULL, 200);
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "items")), 1);
    hb_test_response_dispose(&r);
    call(&w, &r, "GET", "/api/v1/claims", t.kwh, NULL, NULL, 200);
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "items")), 0);
    hb_test_response_dispose(&r);
    expect(&w, "GET", "/api/v1/claims?status=paid", t.qmh, NULL, 400);
    expect(&w, "GET", "/api/v1/claims", t.dh_admin, NULL, 403); /* no role for claims */

    /* Reversal: the payer's, with a reason. */
    snprintf(path, sizeof path, "%s/reversal", location);
    call(&w, &r, "POST", path, t.qmh, "{}", NULL, 422);
    CHECK(has_pointer(&r, "/reason"));
    hb_test_response_dispose(&r);
    expect(&w, "POST", path, t.szh, "{\"reason\": \"billed twice\"}", 403);
    call(&w, &r, "POST", path, t.qmh, "{\"reason\": \"billed twice\"}", NULL, 200);
    CHECK_STR_EQ(str(&r, "status"), "reversed");
    hb_test_response_dispose(&r);
    /* A reversed claim frees the episode; reversing a claim never paid is a conflict. */
    call(&w, &r, "POST", "/api/v1/claims", t.szh, CLAIM("E-1", "HK-QMHS", ""), NULL, 201);
    snprintf(path, sizeof path, "/api/v1/claims/%lld/reversal", num(r.json, "id"));
    hb_test_response_dispose(&r);
    call(&w, &r, "POST", path, t.qmh, "{\"reason\": \"x\"}", NULL, 409);
    check_type(&r, "conflict");
    hb_test_response_dispose(&r);

    /* Every access was audited, reads included: claims name patients. */
    CHECK(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'claim.read'") >= 9);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action ="
                                   " 'claim.adjudicate' AND outcome = 'ok'"),
                 2);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action ="
                                   " 'claim.adjudicate' AND outcome = 'denied'"),
                 1);
    hb_test_world_stop(&w);
}

TEST(settle_api__invalid_claims_name_their_fields)
{
    hb_test_world w;
    tokens t;
    start(&w, &t);
    hb_test_response r;
    const char *bad =
        "{\"provider\": \"GD-HKUSZH\", \"episode\": \"E-2\", \"patient\": \"HM1\","
        " \"payer\": \"NO-SUCH\", \"currency\": \"HKD\", \"service_date\": \"2024-04-09\","
        " \"mainland_insured\": \"no\", \"items\": [{\"code\": \"a\", \"category\": \"outpatient\","
        " \"quantity\": 0, \"unit_minor\": 100}, {\"code\": \"b\", \"category\": \"massage\","
        " \"quantity\": 1, \"unit_minor\": 100}, {\"code\": \"c\", \"category\": \"dental\","
        " \"quantity\": 1, \"unit_minor\": 1.5, \"tip\": 1}]}";
    call(&w, &r, "POST", "/api/v1/claims", t.szh, bad, NULL, 422);
    check_type(&r, "validation");
    CHECK(has_pointer(&r, "/mainland_insured"));
    hb_test_response_dispose(&r);
    /* The structure first; with it right, the meaning of each field. */
    bad = "{\"provider\": \"GD-HKUSZH\", \"episode\": \"E-2\", \"patient\": \"HM1\","
          " \"payer\": \"NO-SUCH\", \"currency\": \"HKD\", \"service_date\": \"2024-04-09\","
          " \"items\": [{\"code\": \"a\", \"category\": \"outpatient\", \"quantity\": 0,"
          " \"unit_minor\": 100}, {\"code\": \"b\", \"category\": \"massage\", \"quantity\": 1,"
          " \"unit_minor\": 100}, {\"code\": \"c\", \"category\": \"dental\", \"quantity\": 1,"
          " \"unit_minor\": 1.5, \"tip\": 1}]}";
    call(&w, &r, "POST", "/api/v1/claims", t.szh, bad, NULL, 422);
    const char *pointers[] = { "/payer",
                               "/currency",
                               "/service_date",
                               "/items/0/quantity",
                               "/items/1/category",
                               "/items/2/unit_minor",
                               "/items/2/tip" };
    for (size_t i = 0; i < sizeof pointers / sizeof pointers[0]; i++)
        CHECK_MSG(has_pointer(&r, pointers[i]), "no error at %s: %s", pointers[i], r.body);
    hb_test_response_dispose(&r);
    call(&w, &r, "POST", "/api/v1/claims", t.szh,
         "{\"provider\": \"GD-HKUSZH\", \"episode\": \"E-2\", \"patient\": \"HM1\","
         " \"payer\": \"HK-QMHS\", \"currency\": \"CNY\", \"service_date\": \"2024-03-05\","
         " \"items\": []}",
         NULL, 422);
    CHECK(has_pointer(&r, "/items"));
    hb_test_response_dispose(&r);
    /* What the module finds is passed on at the document's root: a claim worth nothing. */
    call(&w, &r, "POST", "/api/v1/claims", t.szh,
         "{\"provider\": \"GD-HKUSZH\", \"episode\": \"E-2\", \"patient\": \"HM1\","
         " \"payer\": \"HK-QMHS\", \"currency\": \"CNY\", \"service_date\": \"2024-03-05\","
         " \"items\": [{\"code\": \"a\", \"category\": \"outpatient\", \"quantity\": 1,"
         " \"unit_minor\": 0}]}",
         NULL, 422);
    CHECK(has_pointer(&r, ""));
    CHECK_CONTAINS(r.body, "totals zero");
    hb_test_response_dispose(&r);
    /* Another organisation's provider: 403 (providers are public); a duplicate episode: 409. */
    expect(&w, "POST", "/api/v1/claims", t.qmh, CLAIM("E-3", "HK-QMHS", ""), 403);
    expect(&w, "POST", "/api/v1/claims", t.szh, CLAIM("E-3", "HK-QMHS", ""), 201);
    call(&w, &r, "POST", "/api/v1/claims", t.szh,
         CLAIM("E-3", "HK-QMHS", ", \"mainland_insured\": true"), NULL, 409);
    CHECK_CONTAINS(str(&r, "detail"), "duplicate");
    hb_test_response_dispose(&r);
    expect(&w, "POST", "/api/v1/claims", t.szh, "{\"provider\": ", 400);
    const char *text[] = { "Content-Type: text/plain", NULL };
    call(&w, &r, "POST", "/api/v1/claims", t.szh, CLAIM("E-4", "HK-QMHS", ""), text, 415);
    hb_test_response_dispose(&r);
    /* Nothing refused was written; every refusal was audited. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_settle_claims"), 1);
    CHECK(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'claim.submit' AND"
                            " outcome IN ('rejected', 'denied')") >= 6);
    hb_test_world_stop(&w);
}

TEST(settle_api__retries_with_a_key_return_the_first_response)
{
    hb_test_world w;
    tokens t;
    start(&w, &t);
    const char *key[] = { "Idempotency-Key: claim-E-5", NULL };
    hb_test_response first, again;
    call(&w, &first, "POST", "/api/v1/claims", t.szh, CLAIM("E-5", "HK-QMHS", ""), key, 201);
    long long audit = hb_test_count(&w, "SELECT count(*) FROM hb_audit");
    call(&w, &again, "POST", "/api/v1/claims", t.szh, CLAIM("E-5", "HK-QMHS", ""), key, 201);
    CHECK_STR_EQ(again.body, first.body); /* byte for byte, 201 and Location again */
    CHECK_STR_EQ(hb_test_header(&again, "Idempotent-Replayed"), "true");
    CHECK(hb_test_header(&again, "Location") != NULL);
    hb_test_response_dispose(&again);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit"), audit); /* nothing new */
    call(&w, &again, "POST", "/api/v1/claims", t.szh, CLAIM("E-6", "HK-QMHS", ""), key, 422);
    check_type(&again, "idempotency-key-reused");
    hb_test_response_dispose(&again);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_settle_claims"), 1);

    /* A decision retried: the same answer, one transfer, one audit entry. */
    char path[128];
    snprintf(path, sizeof path, "/api/v1/claims/%lld/adjudication", num(first.json, "id"));
    hb_test_response_dispose(&first);
    const char *decide[] = { "Idempotency-Key: decide-E-5", NULL };
    call(&w, &first, "POST", path, t.qmh, NULL, decide, 200);
    long long transfers = hb_test_count(&w, "SELECT count(*) FROM hb_settle_transfers");
    audit = hb_test_count(&w, "SELECT count(*) FROM hb_audit");
    call(&w, &again, "POST", path, t.qmh, NULL, decide, 200);
    CHECK_STR_EQ(again.body, first.body);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_settle_transfers"), transfers);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit"), audit);
    hb_test_response_dispose(&first);
    hb_test_response_dispose(&again);
    hb_test_world_stop(&w);
}

/* HM1 holds HK$2,000 (annual-2024); the scheme's conversion factor for March is 1.0870. */
static void fund_vouchers(hb_test_world *w)
{
    const char *rates = "kind,base,quote,valid_from,rate,source\n"
                        "ehcv-factor,CNY,HKD,2024-03-01,1.0870,test\n";
    hb_settle_load_report report;
    CHECK_OK(hb_store_begin(w->db));
    CHECK_OK(hb_rates_import(w->db, "rates.csv", rates, strlen(rates), false, &report));
    CHECK_OK(hb_store_commit(w->db));
    hb_settle__load_report_dispose(&report);
    hb_settle_caller c;
    hb_settle_caller_init(&c);
    hb_voucher_credit_report credit;
    CHECK_OK(hb_voucher_credit(&credit, w->db, &c, "annual-2024", hb_date_from_ymd(2024, 1, 1)));
    CHECK_INT_EQ(credit.credited, 1);
}

TEST(settle_api__vouchers_are_the_schemes_and_a_service_points)
{
    hb_test_world w;
    tokens t;
    start(&w, &t);
    fund_vouchers(&w);
    hb_test_response r;
    /* gd-szh acts for GD-HKUSZH, a designated service point: it may check the balance. */
    call(&w, &r, "GET", "/api/v1/vouchers/HM1", t.szh, NULL, NULL, 200);
    CHECK_INT_EQ(num(r.json, "balance_minor"), 200000);
    CHECK_STR_EQ(str(&r, "currency"), "HKD");
    CHECK_INT_EQ(num(json_object_get(r.json, "optometry"), "cap_minor"), 200000);
    hb_test_response_dispose(&r);
    expect(&w, "GET", "/api/v1/vouchers/HM1/statement", t.szh, NULL, 404); /* the balance only */
    expect(&w, "GET", "/api/v1/vouchers/HM1", t.qmh, NULL, 404);           /* no service point */
    expect(&w, "GET", "/api/v1/vouchers/HM1?on=April", t.szh, NULL, 400);

    /* A voucher claim: the scheme (hk-dh) decides; RMB 300 at 1.0870 is HK$326 (face value 1). */
    call(&w, &r, "POST", "/api/v1/claims", t.szh, CLAIM("E-7", "HK-EHCV", ""), NULL, 201);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/claims/%lld/adjudication", num(r.json, "id"));
    hb_test_response_dispose(&r);
    call(&w, &r, "POST", path, t.dh, NULL, NULL, 200);
    CHECK_STR_EQ(str(&r, "status"), "approved");
    CHECK_INT_EQ(num(r.json, "voucher_hkd_minor"), 32600);
    hb_test_response_dispose(&r);
    call(&w, &r, "GET", "/api/v1/vouchers/HM1/statement", t.dh, NULL, NULL, 200);
    const json_t *moves = json_object_get(r.json, "items");
    CHECK_INT_EQ(json_array_size(moves), 2);
    const json_t *use = json_array_get(moves, 1);
    CHECK_INT_EQ(num(use, "fee_minor"), 30000);
    CHECK_STR_EQ(json_string_value(json_object_get(use, "factor")), "1.0870");
    CHECK_INT_EQ(num(use, "hkd_minor"), -32600);
    CHECK_INT_EQ(num(use, "balance_minor"), 200000 - 32600);
    hb_test_response_dispose(&r);
    /* Each read audited, the refused ones too. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'voucher.read'"),
                 5);
    hb_test_world_stop(&w);
}

TEST(settle_api__a_month_settled_and_its_statements)
{
    hb_test_world w;
    tokens t;
    start(&w, &t);
    fund_vouchers(&w);
    const char *payers[] = { "HK-EHCV", "HK-QMHS" }, *deciders[] = { t.dh, t.qmh };
    char episode[16], body[1024], path[128];
    for (int i = 0; i < 2; i++) {
        snprintf(episode, sizeof episode, "S-%d", i);
        snprintf(body, sizeof body, CLAIM("%s", "%s", ""), episode, payers[i]);
        hb_test_response r;
        call(&w, &r, "POST", "/api/v1/claims", t.szh, body, NULL, 201);
        snprintf(path, sizeof path, "/api/v1/claims/%lld/adjudication", num(r.json, "id"));
        hb_test_response_dispose(&r);
        expect(&w, "POST", path, deciders[i], NULL, 200);
    }
    /* Decided on 2 April: the claims belong to April, which is not over. */
    expect(&w, "POST", "/api/v1/settlement/runs", t.szh, "{\"period\": \"2024-04\"}", 403);
    hb_test_response r;
    call(&w, &r, "POST", "/api/v1/settlement/runs", t.dh, "{\"period\": \"2024-04\"}", NULL, 409);
    CHECK_CONTAINS(str(&r, "detail"), "not over");
    hb_test_response_dispose(&r);
    call(&w, &r, "POST", "/api/v1/settlement/runs", t.dh, "{\"period\": \"2024-13\"}", NULL, 422);
    CHECK(has_pointer(&r, "/period"));
    hb_test_response_dispose(&r);

    /* A month later April is settled: HK-EHCV and HK-QMHS owe GD-HSA, the liaison of GD-HKUSZH. */
    setenv("HEALTHYBAY_NOW", "2024-05-02T02:00:00Z", 1);
    call(&w, &r, "POST", "/api/v1/settlement/runs", t.dh, "{\"period\": \"2024-04\"}", NULL, 201);
    CHECK_STR_EQ(hb_test_header(&r, "Location"), "/api/v1/settlement/runs/2024-04");
    CHECK_INT_EQ(num(r.json, "claims"), 2);
    const json_t *payments = json_object_get(r.json, "payments");
    long long paid = 0;
    for (size_t i = 0; i < json_array_size(payments); i++) {
        CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(payments, i), "payee")),
                     "GD-HSA");
        paid += num(json_array_get(payments, i), "amount_minor");
    }
    CHECK_INT_EQ(paid, 60000); /* two claims of RMB 300, in fen */
    hb_test_response_dispose(&r);
    call(&w, &r, "POST", "/api/v1/settlement/runs", t.dh, "{\"period\": \"2024-04\"}", NULL, 200);
    CHECK_INT_EQ(num(r.json, "claims"), 2); /* settled before: the same run */
    hb_test_response_dispose(&r);

    /* The run: the three authorities; statements: also the payer's own organisation. */
    expect(&w, "GET", "/api/v1/settlement/runs/2024-04", t.gd_hc, NULL, 200);
    expect(&w, "GET", "/api/v1/settlement/runs/2024-04", t.qmh, NULL, 403);
    expect(&w, "GET", "/api/v1/settlement/runs/2024-03", t.dh, NULL, 404);
    call(&w, &r, "GET", "/api/v1/settlement/runs/2024-04/statements/HK-QMHS", t.qmh_auditor, NULL,
         NULL, 200);
    CHECK(json_is_true(json_object_get(r.json, "reconciles")));
    CHECK_INT_EQ(num(r.json, "claim_lines"), 1);
    CHECK_INT_EQ(num(json_array_get(json_object_get(r.json, "lines"), 0), "amount_minor"), -30000);
    hb_test_response_dispose(&r);
    expect(&w, "GET", "/api/v1/settlement/runs/2024-04/statements/HK-EHCV", t.qmh, NULL, 403);
    expect(&w, "GET", "/api/v1/settlement/runs/2024-04/statements/HK-EHCV", t.gd_hc, NULL, 200);
    expect(&w, "GET", "/api/v1/settlement/runs/2024-04/statements/NOBODY", t.dh, NULL, 404);

    /* Settled claims are closed: a reversal is a conflict. */
    snprintf(path, sizeof path, "/api/v1/claims/1/reversal");
    expect(&w, "POST", path, t.dh, "{\"reason\": \"late\"}", 409);

    hb_ledger_check lc;
    CHECK_OK(hb_ledger_verify(&lc, w.db));
    CHECK_INT_EQ(
        lc.unbalanced_transfers + lc.wrong_balances + lc.out_of_bounds + lc.nonzero_currencies, 0);
    hb_audit_report audit;
    CHECK_OK(hb_audit_verify(w.db, &audit, NULL));
    CHECK_MSG(audit.intact, "%s", audit.problem);
    hb_test_world_stop(&w);
}
