/*
 * dcc/base45.h — Base45 (RFC 9285), the encoding that fits binary data into a QR code's
 * alphanumeric mode.
 *
 * Two bytes [a, b] become n = 256a + b written as three base-45 digits c0 c1 c2 with
 * n = c0 + 45 c1 + 2025 c2 (least significant first); a trailing single byte becomes two digits.
 * The alphabet is 0-9 A-Z space $ % * + - . / : (45 characters).
 *
 * Decoding is strict: a character outside the alphabet, a length of 1 modulo 3, a triple above
 * 0xFFFF or a final pair above 0xFF are errors naming the offending position.
 */
#ifndef HB_DCC_BASE45_H
#define HB_DCC_BASE45_H

#include <stddef.h>
#include <stdint.h>

/* Characters needed to encode len bytes (without the NUL); 0 on overflow. */
size_t hb_base45_encoded_len(size_t len);
/* Bytes that decoding len characters yields at most. */
size_t hb_base45_decoded_max(size_t len);

/* Encode in[0..len) into out, which must hold hb_base45_encoded_len(len) + 1 bytes (NUL added). */
void hb_base45_encode(char *out, const uint8_t *in, size_t len);

/* Decode text[0..len) into out (room for hb_base45_decoded_max(len) bytes); *out_len gets the
 * byte count. HB_EINVAL with a message on bad input. */
int hb_base45_decode(uint8_t *out, size_t *out_len, const char *text, size_t len);

#endif
