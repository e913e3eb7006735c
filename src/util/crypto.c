/*
 * util/crypto.c — random bytes, SHA-256 and hex over libcrypto (see crypto.h).
 */
#include "util/crypto.h"

#include <limits.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "util/alloc.h"
#include "util/error.h"

int hb_random_bytes(void *out, size_t len)
{
    unsigned char *p = out;
    while (len > 0) {
        int n = len > INT_MAX ? INT_MAX : (int)len;
        if (RAND_bytes(p, n) != 1)
            return hb_error_set(HB_ERROR, "the random number generator failed");
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void hb_sha256(uint8_t out[HB_SHA256_BYTES], const void *data, size_t len)
{
    SHA256(data, len, out);
}

void hb_hex_encode(char *out, const void *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = in;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * len] = '\0';
}

void hb_sha256_hex(char out[HB_SHA256_HEXLEN + 1], const void *data, size_t len)
{
    uint8_t digest[HB_SHA256_BYTES];
    hb_sha256(digest, data, len);
    hb_hex_encode(out, digest, sizeof digest);
}

char *hb_base64_encode(const void *in, size_t len)
{
    if (len > INT_MAX / 4 * 3)
        return hb_error_set(HB_ELIMIT, "too much data for base64"), NULL;
    char *out = hb_malloc(4 * ((len + 2) / 3) + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, in, (int)len);
    return out;
}

int hb_base64_decode(unsigned char **out, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (n % 4 != 0 || n > INT_MAX)
        return hb_error_set(HB_EINVAL, "not base64 (length %zu is not a multiple of 4)", n);
    unsigned char *buf = hb_malloc(n / 4 * 3 + 1);
    if (!buf)
        return HB_ENOMEM;
    /* EVP_DecodeBlock counts padding as zero bytes: subtract them. */
    int got = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)n);
    if (got < 0) {
        hb_free(buf);
        return hb_error_set(HB_EINVAL, "not base64");
    }
    size_t pad = n >= 1 && text[n - 1] == '=' ? (n >= 2 && text[n - 2] == '=' ? 2 : 1) : 0;
    *out = buf;
    *len = (size_t)got - pad;
    return 0;
}

bool hb_equal_ct(const void *a, const void *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0;
}
