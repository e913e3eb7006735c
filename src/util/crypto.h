/*
 * util/crypto.h — the few cryptographic primitives the core needs, over OpenSSL's libcrypto:
 * random bytes for secrets, SHA-256, hexadecimal text and a constant-time comparison.
 *
 * Random bytes come from RAND_bytes (the operating system's CSPRNG, reseeded by OpenSSL); a
 * failure is reported, never papered over with a weaker source.
 */
#ifndef HB_UTIL_CRYPTO_H
#define HB_UTIL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HB_SHA256_BYTES  32
#define HB_SHA256_HEXLEN 64 /* hex digits, without the NUL */

/* Fill out[0..len) with cryptographically secure random bytes. HB_ERROR when the generator
 * fails (it then has no entropy to give). */
int hb_random_bytes(void *out, size_t len);

/* SHA-256 of data[0..len). */
void hb_sha256(uint8_t out[HB_SHA256_BYTES], const void *data, size_t len);

/* Lowercase hexadecimal of in[0..len) into out, which must hold 2 * len + 1 bytes. */
void hb_hex_encode(char *out, const void *in, size_t len);

/* SHA-256 of data as 64 lowercase hex digits plus the NUL. */
void hb_sha256_hex(char out[HB_SHA256_HEXLEN + 1], const void *data, size_t len);

/* Standard base64 (RFC 4648 §4, with padding) of in[0..len), NUL-terminated; caller frees with
 * hb_free. NULL (HB_ENOMEM) when out of memory. */
char *hb_base64_encode(const void *in, size_t len);
/* Decode standard base64 into *out (caller frees with hb_free), *len bytes. HB_EINVAL when text
 * is not canonical base64. */
int hb_base64_decode(unsigned char **out, size_t *len, const char *text);

/* a[0..len) == b[0..len), in time that depends only on len: comparing a presented secret's hash
 * must not tell an attacker how many leading bytes matched. */
bool hb_equal_ct(const void *a, const void *b, size_t len);

#endif
