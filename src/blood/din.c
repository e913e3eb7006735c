/*
 * blood/din.c — DIN structure and the ISO/IEC 7064 MOD 37-2 check character (see din.h).
 *
 * MOD 37-2 is a "pure" ISO 7064 system: with the characters' values v1 … vn (0-9 → 0-9,
 * A-Z → 10-35), the running sum p = ((p + vi) · 2) mod 37, and the check value is (38 − p) mod 37,
 * written as 0-9, A-Z or '*' (36). It detects every single substitution and every transposition
 * of adjacent characters. The test vectors in tests/blood/test_din.c come from python-stdnum's
 * independent implementation (stdnum.iso7064.mod_37_2).
 */
#include "blood/din.h"

#include <stdbool.h>
#include <stdio.h>

#include "util/error.h"

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

static int value_of(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return -1;
}

char hb_blood_din_check_char(const char din[HB_BLOOD_DIN_LEN])
{
    int p = 0;
    for (size_t i = 0; i < HB_BLOOD_DIN_LEN; i++)
        p = ((p + value_of(din[i])) * 2) % 37;
    return alphabet[(38 - p) % 37];
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The 13 characters: FIN (alphanumeric + 4 digits), year (2 digits), sequence (6 digits). */
static int check_structure(const char *d)
{
    if (value_of(d[0]) < 0)
        return hb_error_set(HB_EINVAL, "DIN '%.13s': the FIN must start with a letter or a digit",
                            d);
    for (size_t i = 1; i < HB_BLOOD_DIN_LEN; i++)
        if (!is_digit(d[i]))
            return hb_error_set(HB_EINVAL,
                                "DIN '%.13s': character %zu must be a digit (FIN ppppp, year yy, "
                                "sequence nnnnnn)",
                                d, i + 1);
    return 0;
}

int hb_blood_din_parse(char out[HB_BLOOD_DIN_LEN + 1], const char *text, size_t len)
{
    char d[HB_BLOOD_DIN_LEN + 1]; /* the DIN and its check character; no NUL */
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ' ')
            continue;
        if (n == sizeof d)
            return hb_error_set(HB_EINVAL,
                                "a DIN is 13 characters and its check character; got more");
        d[n++] = upper(text[i]);
    }
    if (n != sizeof d)
        return hb_error_set(HB_EINVAL,
                            "a DIN is 13 characters and its check character (e.g. "
                            "W1234 24 123456 4); got %zu characters",
                            n);
    int rc = check_structure(d);
    if (rc < 0)
        return rc;
    char want = hb_blood_din_check_char(d);
    if (d[HB_BLOOD_DIN_LEN] != want)
        return hb_error_set(HB_EINVAL,
                            "DIN '%.13s': check character '%c' is wrong (expected '%c'): a "
                            "character was probably mistyped",
                            d, d[HB_BLOOD_DIN_LEN], want);
    for (size_t i = 0; i < HB_BLOOD_DIN_LEN; i++)
        out[i] = d[i];
    out[HB_BLOOD_DIN_LEN] = '\0';
    return 0;
}

void hb_blood_din_format(char out[20], const char din[HB_BLOOD_DIN_LEN])
{
    snprintf(out, 20, "%.5s %.2s %.6s %c", din, din + 5, din + 7, hb_blood_din_check_char(din));
}
