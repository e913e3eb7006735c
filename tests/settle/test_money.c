/* Tests for settle/money.c and settle/netting.c: pure arithmetic, so exhaustive where possible. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "settle/money.h"
#include "settle/settlement.h"
#include "util/limits.h"

TEST(settle_pure__parse_and_format)
{
    int64_t v;
    CHECK_OK(hb_money_parse(&v, "CNY", "1234.5", 6));
    CHECK_INT_EQ(v, 123450);
    CHECK_OK(hb_money_parse(&v, "HKD", "-0.07", 5));
    CHECK_INT_EQ(v, -7);
    CHECK_OK(hb_money_parse(&v, "MOP", "12", 2));
    CHECK_INT_EQ(v, 1200);
    static const char *const bad[] = { "",   "1.234", "1,000.00", " 1",  "1.",    ".5",
                                       "+1", "1e3",   "0x10",     "--1", "1.2.3", "NaN" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_FAILS(hb_money_parse(&v, "HKD", bad[i], strlen(bad[i])), HB_EINVAL, NULL);
    CHECK_FAILS(hb_money_parse(&v, "HKD", "99999999999999999.00", 20), HB_ELIMIT, NULL);
    char out[HB_MONEY_STRLEN];
    CHECK_STR_EQ(hb_money_format(out, 123450, "CNY"), "1234.50");
    CHECK_STR_EQ(hb_money_format(out, -7, "HKD"), "-0.07");
    CHECK_STR_EQ(hb_money_display(out, 123456789, "HKD"), "1,234,567.89");
    CHECK_STR_EQ(hb_money_display(out, -100000, "HKD"), "-1,000.00");
    CHECK_FAILS(hb_currency_check("USD"), HB_EINVAL, "not a settlement currency");
    /* Round trip over a range of values of both signs. */
    for (int64_t m = -100005; m <= 100005; m += 7) {
        hb_money_format(out, m, "MOP");
        CHECK_OK(hb_money_parse(&v, "MOP", out, strlen(out)));
        CHECK_INT_EQ(v, m);
    }
}

TEST(settle_pure__rounding_rules_table)
{
    /* value = n / 10: every rule on both signs, at and around the half. */
    static const struct {
        int64_t n;
        int64_t want[6]; /* down, up, floor, ceiling, half-up, half-even */
    } rows[] = {
        { 25, { 2, 3, 2, 3, 3, 2 } },        { 35, { 3, 4, 3, 4, 4, 4 } },
        { -25, { -2, -3, -3, -2, -3, -2 } }, { 21, { 2, 3, 2, 3, 2, 2 } },
        { -21, { -2, -3, -3, -2, -2, -2 } }, { 29, { 2, 3, 2, 3, 3, 3 } },
        { 30, { 3, 3, 3, 3, 3, 3 } },        { 0, { 0, 0, 0, 0, 0, 0 } },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (int r = 0; r < 6; r++) {
            int64_t got;
            CHECK_OK(hb_money_mul_ratio(&got, rows[i].n, 1, 10, (hb_rounding)r));
            CHECK_MSG(got == rows[i].want[r], "%lld/10 by %s: %lld, expected %lld",
                      (long long)rows[i].n, hb_rounding_name((hb_rounding)r), (long long)got,
                      (long long)rows[i].want[r]);
        }
    hb_rounding rule;
    CHECK_OK(hb_rounding_parse(&rule, "half-even"));
    CHECK_INT_EQ(rule, HB_ROUND_HALF_EVEN);
    CHECK_FAILS(hb_rounding_parse(&rule, "bankers"), HB_EINVAL, "not a rounding rule");
}

/* The reference: floor division on exact integers, then each rule from its definition. */
static int64_t reference_round(__int128 n, __int128 d, hb_rounding rule)
{
    __int128 f = n / d - ((n % d != 0) && ((n < 0) != (d < 0))); /* floor */
    __int128 rem = n - f * d;                                    /* 0 <= rem < d */
    __int128 c = rem ? f + 1 : f;                                /* ceiling */
    switch (rule) {
    case HB_ROUND_FLOOR:
        return (int64_t)f;
    case HB_ROUND_CEILING:
        return (int64_t)c;
    case HB_ROUND_DOWN:
        return (int64_t)(n < 0 ? c : f);
    case HB_ROUND_UP:
        return (int64_t)(n < 0 ? f : c);
    case HB_ROUND_HALF_UP:
        if (2 * rem == d)
            return (int64_t)(n < 0 ? f : c);
        return (int64_t)(2 * rem < d ? f : c);
    case HB_ROUND_HALF_EVEN:
        if (2 * rem == d)
            return (int64_t)(f % 2 == 0 ? f : c);
        return (int64_t)(2 * rem < d ? f : c);
    }
    return 0;
}

TEST(settle_pure__mul_ratio_matches_reference)
{
    unsigned seed = 20240301u;
    srand(seed);
    for (int i = 0; i < 200000; i++) {
        int64_t amount = ((int64_t)rand() << 20 ^ rand()) %
                         10000000000LL; /* times num < 2e4: inside the bound */
        if (rand() & 1)
            amount = -amount;
        int64_t num = rand() % 20000, den = 1 + rand() % 10000;
        hb_rounding rule = (hb_rounding)(rand() % 6);
        int64_t got;
        CHECK_OK(hb_money_mul_ratio(&got, amount, num, den, rule));
        int64_t want = reference_round((__int128)amount * num, den, rule);
        CHECK_MSG(got == want, "seed %u case %d: %lld*%lld/%lld by %s = %lld, expected %lld", seed,
                  i, (long long)amount, (long long)num, (long long)den, hb_rounding_name(rule),
                  (long long)got, (long long)want);
    }
}

TEST(settle_pure__convert_with_rate_and_quantum)
{
    hb_rate r;
    CHECK_OK(hb_rate_parse(&r, "1.0870", 6));
    CHECK_INT_EQ(r.units, 10870);
    CHECK_INT_EQ(r.scale, 4);
    char text[HB_RATE_STRLEN];
    CHECK_STR_EQ(hb_rate_format(text, &r), "1.0870");
    int64_t hkd;
    /* RMB 280.00 at 1.0870 = HK$304.36: to the cent, and to the HK$1 face value. */
    CHECK_OK(hb_money_convert(&hkd, 28000, "CNY", "HKD", &r, HB_ROUND_HALF_UP, 1));
    CHECK_INT_EQ(hkd, 30436);
    CHECK_OK(hb_money_convert(&hkd, 28000, "CNY", "HKD", &r, HB_ROUND_HALF_UP, 100));
    CHECK_INT_EQ(hkd, 30400);
    CHECK_OK(hb_money_convert(&hkd, 28000, "CNY", "HKD", &r, HB_ROUND_UP, 100));
    CHECK_INT_EQ(hkd, 30500);
    /* RMB 0.46 = HK$0.50002: half-up to HK$1 is 1 dollar, down is 0. */
    CHECK_OK(hb_money_convert(&hkd, 46, "CNY", "HKD", &r, HB_ROUND_HALF_UP, 100));
    CHECK_INT_EQ(hkd, 100);
    CHECK_OK(hb_money_convert(&hkd, 46, "CNY", "HKD", &r, HB_ROUND_DOWN, 100));
    CHECK_INT_EQ(hkd, 0);
    CHECK_OK(hb_money_convert(&hkd, -28000, "CNY", "HKD", &r, HB_ROUND_HALF_UP, 1));
    CHECK_INT_EQ(hkd, -30436);
    CHECK_FAILS(hb_rate_parse(&r, "0", 1), HB_EINVAL, "positive");
    CHECK_FAILS(hb_rate_parse(&r, "1.2.3", 5), HB_EINVAL, NULL);
    CHECK_FAILS(hb_rate_parse(&r, "1.0000000000001", 15), HB_ELIMIT, NULL);
    CHECK_FAILS(hb_money_add(&hkd, HB_MONEY_MINOR_MAX, 1), HB_ELIMIT, NULL);
    CHECK_FAILS(hb_money_mul(&hkd, HB_MONEY_MINOR_MAX, -2), HB_ELIMIT, NULL);
}

static int64_t position_of(const hb_net_position *p, size_t n, const char *party,
                           const char *currency)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].party, party) == 0 && strcmp(p[i].currency, currency) == 0)
            return p[i].net_minor;
    return 0;
}

TEST(settle_pure__netting_example)
{
    /* HK owes GD 100, GD owes HK 30, MO owes GD 50, HK owes MO 20 (CNY); HK owes GD 7 HKD. */
    hb_obligation o[] = {
        { "HK", "GD", "CNY", 10000 }, { "GD", "HK", "CNY", 3000 }, { "MO", "GD", "CNY", 5000 },
        { "HK", "MO", "CNY", 2000 },  { "HK", "GD", "HKD", 700 },  { "GD", "GD", "CNY", 999 },
    };
    hb_net_position pos[12];
    hb_instruction ins[12];
    size_t np, ni;
    CHECK_OK(hb_netting_compute(pos, &np, ins, &ni, o, 6));
    CHECK_INT_EQ(position_of(pos, np, "HK", "CNY"), -9000);
    CHECK_INT_EQ(position_of(pos, np, "GD", "CNY"), 12000);
    CHECK_INT_EQ(position_of(pos, np, "MO", "CNY"), -3000);
    CHECK_INT_EQ(ni, 3); /* CNY: HK->GD 9000, MO->GD 3000; HKD: HK->GD 700 */
    CHECK_STR_EQ(ins[0].payer, "HK");
    CHECK_STR_EQ(ins[0].payee, "GD");
    CHECK_INT_EQ(ins[0].amount_minor, 9000);
    CHECK_STR_EQ(ins[1].payer, "MO");
    CHECK_INT_EQ(ins[1].amount_minor, 3000);
    CHECK_STR_EQ(ins[2].currency, "HKD");
    CHECK_INT_EQ(ins[2].amount_minor, 700);
}

TEST(settle_pure__netting_random_obligations)
{
    static const char *const parties[] = { "A", "B", "C", "D", "E", "F", "G" };
    static const char *const currencies[] = { "CNY", "HKD", "MOP" };
    unsigned seed = 777u;
    srand(seed);
    for (int round = 0; round < 300; round++) {
        hb_obligation o[40];
        size_t n = 1 + (size_t)(rand() % 40);
        for (size_t i = 0; i < n; i++)
            o[i] = (hb_obligation){ parties[rand() % 7], parties[rand() % 7],
                                    currencies[rand() % 3], 1 + rand() % 100000 };
        hb_net_position pos[80];
        hb_instruction ins[80];
        size_t np, ni;
        CHECK_OK(hb_netting_compute(pos, &np, ins, &ni, o, n));
        for (size_t c = 0; c < 3; c++) {
            size_t payers = 0, payments = 0;
            for (size_t p = 0; p < 7; p++) {
                int64_t gross = 0, paid = 0;
                for (size_t i = 0; i < n; i++)
                    if (strcmp(o[i].currency, currencies[c]) == 0 &&
                        strcmp(o[i].debtor, o[i].creditor) != 0)
                        gross += (strcmp(o[i].creditor, parties[p]) == 0 ? o[i].amount_minor : 0) -
                                 (strcmp(o[i].debtor, parties[p]) == 0 ? o[i].amount_minor : 0);
                for (size_t i = 0; i < ni; i++)
                    if (strcmp(ins[i].currency, currencies[c]) == 0)
                        paid += (strcmp(ins[i].payee, parties[p]) == 0 ? ins[i].amount_minor : 0) -
                                (strcmp(ins[i].payer, parties[p]) == 0 ? ins[i].amount_minor : 0);
                CHECK_MSG(gross == paid, "seed %u round %d: %s %s net %lld but payments %lld", seed,
                          round, parties[p], currencies[c], (long long)gross, (long long)paid);
                CHECK_INT_EQ(position_of(pos, np, parties[p], currencies[c]), gross);
                payers += gross != 0;
            }
            for (size_t i = 0; i < ni; i++) {
                CHECK(ins[i].amount_minor > 0);
                CHECK(strcmp(ins[i].payer, ins[i].payee) != 0);
                payments += strcmp(ins[i].currency, currencies[c]) == 0;
            }
            CHECK_MSG(payments + (payers > 0) <= payers,
                      "seed %u round %d: %zu payments for %zu "
                      "parties",
                      seed, round, payments, payers);
        }
    }
}
