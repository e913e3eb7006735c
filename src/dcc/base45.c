/*
 * dcc/base45.c — Base45 (see base45.h). Table-driven both ways; no allocation.
 */
#include "dcc/base45.h"

#include <assert.h>

#include "util/error.h"

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* Value of a character, or -1 (the inverse of alphabet[]). */
static int value_of(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    switch (c) {
    case ' ':
        return 36;
    case '$':
        return 37;
    case '%':
        return 38;
    case '*':
        return 39;
    case '+':
        return 40;
    case '-':
        return 41;
    case '.':
        return 42;
    case '/':
        return 43;
    case ':':
        return 44;
    default:
        return -1;
    }
}

size_t hb_base45_encoded_len(size_t len)
{
    if (len / 2 > (SIZE_MAX - 2) / 3)
        return 0;
    return len / 2 * 3 + (len % 2) * 2;
}

size_t hb_base45_decoded_max(size_t len)
{
    return len / 3 * 2 + (len % 3 == 2 ? 1 : 0);
}

void hb_base45_encode(char *out, const uint8_t *in, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        unsigned n = (unsigned)in[i] * 256u + in[i + 1];
        out[o++] = alphabet[n % 45];
        out[o++] = alphabet[n / 45 % 45];
        out[o++] = alphabet[n / 2025];
    }
    if (len % 2) {
        unsigned n = in[len - 1];
        out[o++] = alphabet[n % 45];
        out[o++] = alphabet[n / 45];
    }
    out[o] = '\0';
    assert(o == hb_base45_encoded_len(len));
}

int hb_base45_decode(uint8_t *out, size_t *out_len, const char *text, size_t len)
{
    if (len % 3 == 1)
        return hb_error_set(HB_EINVAL,
                            "base45: length %zu is not a valid Base45 length "
                            "(1 modulo 3: truncated?)",
                            len);
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        size_t group = len - i >= 3 ? 3 : 2;
        unsigned n = 0, scale = 1;
        for (size_t k = 0; k < group; k++) {
            int v = value_of((unsigned char)text[i + k]);
            if (v < 0)
                return hb_error_set(HB_EINVAL,
                                    "base45: character %zu (0x%02x) is not in the Base45 "
                                    "alphabet",
                                    i + k + 1, (unsigned char)text[i + k]);
            n += (unsigned)v * scale;
            scale *= 45;
        }
        if (group == 3) {
            if (n > 0xFFFF)
                return hb_error_set(HB_EINVAL,
                                    "base45: characters %zu-%zu encode %u, more than 0xFFFF", i + 1,
                                    i + 3, n);
            out[o++] = (uint8_t)(n >> 8);
            out[o++] = (uint8_t)n;
        } else {
            if (n > 0xFF)
                return hb_error_set(HB_EINVAL,
                                    "base45: final characters %zu-%zu encode %u, more than 0xFF",
                                    i + 1, i + 2, n);
            out[o++] = (uint8_t)n;
        }
    }
    *out_len = o;
    return 0;
}
