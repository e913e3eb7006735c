/*
 * settle/money.c — exact money arithmetic (see money.h).
 *
 * Products are formed in 128 bits (GCC and Clang on every 64-bit target we build for have
 * __int128), divided once, and the remainder decides the rounding, so no rule ever sees an
 * intermediate that was already rounded.
 */
#include "settle/money.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/limits.h"

#ifndef __SIZEOF_INT128__
#error "settle/money.c needs a compiler with __int128 for exact products"
#endif

typedef __int128 wide;

static const char *const rounding_names[] = { "down",    "up",      "floor",
                                              "ceiling", "half-up", "half-even" };

int hb_rounding_parse(hb_rounding *out, const char *name)
{
    for (size_t i = 0; i < sizeof rounding_names / sizeof rounding_names[0]; i++)
        if (strcmp(name, rounding_names[i]) == 0) {
            *out = (hb_rounding)i;
            return 0;
        }
    return hb_error_set(HB_EINVAL,
                        "'%.40s' is not a rounding rule (down, up, floor, ceiling, half-up, "
                        "half-even)",
                        name);
}

const char *hb_rounding_name(hb_rounding rounding)
{
    return rounding_names[rounding];
}

int hb_currency_check(const char *code)
{
    if (strcmp(code, "CNY") == 0 || strcmp(code, "HKD") == 0 || strcmp(code, "MOP") == 0)
        return 0;
    return hb_error_set(HB_EINVAL, "'%.20s' is not a settlement currency (CNY, HKD, MOP)", code);
}

int hb_currency_exponent(const char *code)
{
    (void)code; /* fen, cents and avos: all three have two decimal places (ISO 4217) */
    return 2;
}

static int bounded(int64_t *out, wide v)
{
    if (v > HB_MONEY_MINOR_MAX || v < -HB_MONEY_MINOR_MAX)
        return hb_error_set(HB_ELIMIT, "amount out of range (more than %lld minor units)",
                            (long long)HB_MONEY_MINOR_MAX);
    *out = (int64_t)v;
    return 0;
}

int hb_money_add(int64_t *out, int64_t a, int64_t b)
{
    return bounded(out, (wide)a + b);
}

int hb_money_sub(int64_t *out, int64_t a, int64_t b)
{
    return bounded(out, (wide)a - b);
}

int hb_money_mul(int64_t *out, int64_t a, int64_t b)
{
    return bounded(out, (wide)a * b);
}

/* n / d rounded by rule; d > 0. */
static wide divide(wide n, wide d, hb_rounding rule)
{
    wide q = n / d, r = n % d; /* C truncates toward zero; r has the sign of n */
    int sign = n < 0 ? -1 : 1;
    wide twice = (r < 0 ? -r : r) * 2;
    switch (rule) {
    case HB_ROUND_DOWN:
        return q;
    case HB_ROUND_UP:
        return r != 0 ? q + sign : q;
    case HB_ROUND_FLOOR:
        return r < 0 ? q - 1 : q;
    case HB_ROUND_CEILING:
        return r > 0 ? q + 1 : q;
    case HB_ROUND_HALF_UP:
        return twice >= d ? q + sign : q;
    case HB_ROUND_HALF_EVEN:
        if (twice > d || (twice == d && q % 2 != 0))
            return q + sign;
        return q;
    }
    return q;
}

int hb_money_mul_ratio(int64_t *out, int64_t amount, int64_t num, int64_t den, hb_rounding rule)
{
    if (num < 0 || den <= 0)
        return hb_error_set(HB_EINVAL, "bad ratio %lld/%lld", (long long)num, (long long)den);
    return bounded(out, divide((wide)amount * num, den, rule));
}

static int64_t pow10_i64(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

int hb_money_parse(int64_t *out, const char *currency, const char *text, size_t len)
{
    int exp = hb_currency_exponent(currency);
    size_t i = len > 0 && text[0] == '-';
    bool negative = i == 1, point = false, digits = false;
    int decimals = 0;
    wide v = 0;
    for (; i < len; i++) {
        char c = text[i];
        if (c == '.' && !point && digits) {
            point = true;
        } else if (c >= '0' && c <= '9') {
            digits = true;
            if (point && ++decimals > exp)
                return hb_error_set(HB_EINVAL, "'%.*s': %s has %d decimal places", (int)len, text,
                                    currency, exp);
            v = v * 10 + (c - '0');
            if (v > (wide)HB_MONEY_MINOR_MAX * 100)
                return hb_error_set(HB_ELIMIT, "'%.40s' is too large an amount", text);
        } else {
            return hb_error_set(HB_EINVAL, "'%.*s' is not an amount (like 1234.50)",
                                (int)(len > 40 ? 40 : len), text);
        }
    }
    if (!digits || (point && decimals == 0))
        return hb_error_set(HB_EINVAL, "'%.*s' is not an amount (like 1234.50)",
                            (int)(len > 40 ? 40 : len), text);
    v *= pow10_i64(exp - decimals);
    return bounded(out, negative ? -v : v);
}

static char *format(char out[HB_MONEY_STRLEN], int64_t minor, const char *currency, bool group)
{
    int exp = hb_currency_exponent(currency);
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    uint64_t unit = (uint64_t)pow10_i64(exp);
    char whole[32];
    int n = snprintf(whole, sizeof whole, "%llu", (unsigned long long)(mag / unit));
    size_t o = 0;
    if (minor < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (group && i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = whole[i];
    }
    out[o] = '\0';
    if (exp > 0) {
        /* The fraction, zero-padded to exp digits (exp <= 2 for every supported currency). */
        char frac[24];
        snprintf(frac, sizeof frac, "%llu", (unsigned long long)(unit + mag % unit));
        out[o++] = '.';
        memcpy(out + o, frac + 1, (size_t)exp + 1);
    }
    return out;
}

char *hb_money_format(char out[HB_MONEY_STRLEN], int64_t minor, const char *currency)
{
    return format(out, minor, currency, false);
}

char *hb_money_display(char out[HB_MONEY_STRLEN], int64_t minor, const char *currency)
{
    return format(out, minor, currency, true);
}

int hb_rate_check(const hb_rate *rate)
{
    if (rate->units <= 0 || rate->scale < 0 || rate->scale > HB_RATE_SCALE_MAX)
        return hb_error_set(HB_EINVAL, "malformed rate %lld / 10^%d", (long long)rate->units,
                            rate->scale);
    return 0;
}

int hb_rate_parse(hb_rate *out, const char *text, size_t len)
{
    int64_t units = 0;
    int scale = 0;
    bool point = false, digits = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '.' && !point && digits) {
            point = true;
        } else if (c >= '0' && c <= '9') {
            digits = true;
            if (units > (INT64_MAX - 9) / 10 || (point && scale == HB_RATE_SCALE_MAX))
                return hb_error_set(HB_ELIMIT,
                                    "rate '%.40s' has too many digits (at most %d "
                                    "decimal places)",
                                    text, HB_RATE_SCALE_MAX);
            units = units * 10 + (c - '0');
            scale += point;
        } else {
            return hb_error_set(HB_EINVAL, "'%.*s' is not a rate (like 1.0870)",
                                (int)(len > 40 ? 40 : len), text);
        }
    }
    if (!digits || (point && scale == 0) || units == 0)
        return hb_error_set(HB_EINVAL, "'%.*s' is not a positive rate (like 1.0870)",
                            (int)(len > 40 ? 40 : len), text);
    out->units = units;
    out->scale = scale;
    return 0;
}

char *hb_rate_format(char out[HB_RATE_STRLEN], const hb_rate *rate)
{
    int64_t unit = pow10_i64(rate->scale);
    if (rate->scale == 0)
        snprintf(out, HB_RATE_STRLEN, "%lld", (long long)rate->units);
    else
        snprintf(out, HB_RATE_STRLEN, "%lld.%0*lld", (long long)(rate->units / unit), rate->scale,
                 (long long)(rate->units % unit));
    return out;
}

int hb_money_convert(int64_t *out, int64_t amount, const char *from, const char *to,
                     const hb_rate *rate, hb_rounding rule, int64_t quantum)
{
    int rc = hb_rate_check(rate);
    if (rc < 0)
        return rc;
    if (quantum < 1 || quantum > 1000000)
        return hb_error_set(HB_EINVAL, "rounding quantum %lld out of range 1..10^6",
                            (long long)quantum);
    /* minor_to = amount * rate * 10^(exp_to - exp_from); both exponents are at most 2. */
    int shift = hb_currency_exponent(to) - hb_currency_exponent(from);
    wide num = (wide)rate->units * (shift > 0 ? pow10_i64(shift) : 1);
    wide den = (wide)pow10_i64(rate->scale) * (shift < 0 ? pow10_i64(-shift) : 1) * quantum;
    return bounded(out, divide((wide)amount * num, den, rule) * quantum);
}

char *hb_money_cell(char out[HB_MONEY_STRLEN], int64_t minor, const char *currency,
                    hb_money_style style)
{
    if (style == HB_MONEY_DECIMAL)
        return hb_money_format(out, minor, currency);
    snprintf(out, HB_MONEY_STRLEN, "%lld", (long long)minor);
    return out;
}
