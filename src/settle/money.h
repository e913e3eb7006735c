/*
 * settle/money.h — amounts of money, exchange rates as exact decimals, and rounding.
 *
 * An amount is an int64 count of minor units (fen, cents, avos) together with an ISO 4217
 * currency code; the three currencies of the Greater Bay Area — CNY, HKD, MOP — all have two
 * decimal places. Floating point never touches money: text is parsed digit by digit, sums are
 * overflow-checked and bounded by HB_MONEY_MINOR_MAX, and every product with a ratio (a
 * co-payment percentage, an exchange rate) is computed exactly in 128 bits and then rounded by a
 * rule the caller names:
 *
 *   down        toward zero           2.5 -> 2   -2.5 -> -2
 *   up          away from zero        2.1 -> 3   -2.1 -> -3
 *   floor       toward -infinity      2.5 -> 2   -2.5 -> -3
 *   ceiling     toward +infinity      2.5 -> 3   -2.5 -> -2
 *   half-up     nearest, ties away    2.5 -> 3   -2.5 -> -3   (commercial rounding)
 *   half-even   nearest, ties to even 2.5 -> 2    3.5 -> 4    (banker's rounding)
 *
 * A rate is units / 10^scale ("1.0870" = 10870 / 10^4): exactly what the publisher printed, so a
 * conversion can be recomputed from what the ledger recorded. Conversion may also round to a
 * quantum in the target currency: 100 minor units rounds to whole dollars (the HK$1 face value of
 * an Elderly Health Care Voucher).
 *
 * Everything here is pure: no I/O, no allocation, thread-safe.
 */
#ifndef HB_SETTLE_MONEY_H
#define HB_SETTLE_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthybay/common.h"

typedef enum hb_rounding {
    HB_ROUND_DOWN,
    HB_ROUND_UP,
    HB_ROUND_FLOOR,
    HB_ROUND_CEILING,
    HB_ROUND_HALF_UP,
    HB_ROUND_HALF_EVEN
} hb_rounding;

/* Longest formatted amount: "-1,000,000,000,000.00" plus the NUL, with room to spare. */
#define HB_MONEY_STRLEN 32
/* Longest formatted rate: 19 digits, a point and the NUL. */
#define HB_RATE_STRLEN  24

typedef struct hb_rate {
    int64_t units; /* > 0 */
    int scale;     /* 0 .. HB_RATE_SCALE_MAX decimal places */
} hb_rate;

/* "down", "up", "floor", "ceiling", "half-up", "half-even"; HB_EINVAL otherwise. */
int hb_rounding_parse(hb_rounding *out, const char *name);
const char *hb_rounding_name(hb_rounding rounding);

/* 0 when code is CNY, HKD or MOP; HB_EINVAL with a message otherwise. */
int hb_currency_check(const char *code);
/* Decimal places of a supported currency (2 for all three). */
int hb_currency_exponent(const char *code);

/* *out = a + b, a - b, a * b; HB_ELIMIT when the result leaves ±HB_MONEY_MINOR_MAX. */
int hb_money_add(int64_t *out, int64_t a, int64_t b);
int hb_money_sub(int64_t *out, int64_t a, int64_t b);
int hb_money_mul(int64_t *out, int64_t a, int64_t b);

/*
 * *out = amount * num / den, rounded by rule; num >= 0, den > 0. HB_ELIMIT when the result
 * leaves ±HB_MONEY_MINOR_MAX, HB_EINVAL for a bad ratio.
 */
int hb_money_mul_ratio(int64_t *out, int64_t amount, int64_t num, int64_t den, hb_rounding rule);

/*
 * Parse a decimal amount of currency ("1234.5", "-0.07", "12") to minor units: at most the
 * currency's decimal places, no exponent, no thousands separators, no spaces, no '+'.
 */
int hb_money_parse(int64_t *out, const char *currency, const char *text, size_t len);
/* "1234.50" / "-0.07": plain, for files. Returns out. */
char *hb_money_format(char out[HB_MONEY_STRLEN], int64_t minor, const char *currency);
/* "1,234.50": grouped, for people. Returns out. */
char *hb_money_display(char out[HB_MONEY_STRLEN], int64_t minor, const char *currency);

/*
 * How a listing shows an amount: a decimal in its row's currency for people and files
 * ("1234.50", the column named as it is), or integer minor units for programs (123450, the
 * column named "<name>_minor"): the HTTP API's JSON, which never carries money as a float.
 */
typedef enum hb_money_style { HB_MONEY_DECIMAL, HB_MONEY_MINOR } hb_money_style;
/* The cell text of amount minor in style, into out; returns out. */
char *hb_money_cell(char out[HB_MONEY_STRLEN], int64_t minor, const char *currency,
                    hb_money_style style);

/* Parse a positive decimal rate ("1.0870", "0.92"), keeping its scale. */
int hb_rate_parse(hb_rate *out, const char *text, size_t len);
/* The rate as printed by its publisher ("1.0870"). Returns out. */
char *hb_rate_format(char out[HB_RATE_STRLEN], const hb_rate *rate);
/* 0 when the rate is well formed (units > 0, scale in range). */
int hb_rate_check(const hb_rate *rate);

/*
 * Convert amount (minor units of from) into to at rate (units of to per unit of from), rounded
 * by rule to a multiple of quantum minor units of to (1 = the minor unit). Exact: the result is
 * round(amount * rate) computed on integers.
 */
int hb_money_convert(int64_t *out, int64_t amount, const char *from, const char *to,
                     const hb_rate *rate, hb_rounding rule, int64_t quantum);

#endif
