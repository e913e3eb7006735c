/*
 * dcc/cose.h — COSE_Sign1 (RFC 9052) as hcert uses it: parse, verify, sign.
 *
 *     [ protected: bstr .cbor {1: alg, ?4: kid}, unprotected: {?4: kid}, payload: bstr,
 *       signature: bstr ]
 *
 * optionally wrapped in tag 18 (COSE_Sign1) and, outside that, tag 61 (CWT). The signature covers
 * Sig_structure = ["Signature1", protected, h'', payload]. The kid is taken from the protected
 * header when it is there and from the unprotected one otherwise (hcert §3.3.1: protected wins).
 *
 * ES256 signatures are raw r‖s (64 bytes), which OpenSSL wants as DER; PS256 is RSASSA-PSS with
 * SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8230).
 */
#ifndef HB_DCC_COSE_H
#define HB_DCC_COSE_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "healthybay/dcc.h"
#include "util/buf.h"

typedef struct hb_cose_sign1 {
    const uint8_t *protected_bstr; /* the serialized protected header map (may be empty) */
    size_t protected_len;
    int alg; /* 0 when absent */
    const uint8_t *kid;
    size_t kid_len; /* 0 when absent */
    const uint8_t *payload;
    size_t payload_len;
    const uint8_t *signature;
    size_t signature_len;
} hb_cose_sign1;

/*
 * Parse a COSE_Sign1 in data (pointers into data). On failure HB_EINVAL, a message, and *reason
 * HB_DCC_BAD_CBOR (not CBOR) or HB_DCC_BAD_COSE (CBOR, but not a COSE_Sign1).
 */
int hb_cose_parse(hb_cose_sign1 *out, hb_dcc_reason *reason, const uint8_t *data, size_t len);

/*
 * Check the signature with key. 0 when it verifies; HB_EINVAL with a message (and *reason
 * HB_DCC_UNSUPPORTED_ALG or HB_DCC_BAD_SIGNATURE) when not, including an algorithm that does not
 * fit the key (ES256 needs EC P-256, PS256 needs RSA); HB_ENOMEM.
 */
int hb_cose_verify(const hb_cose_sign1 *msg, hb_dcc_reason *reason, EVP_PKEY *key);

/* Sign payload with key (ES256 for EC keys, PS256 for RSA) as a tagged COSE_Sign1 with alg and
 * kid in the protected header; appended to out. */
int hb_cose_sign(hb_buf *out, EVP_PKEY *key, const uint8_t kid[HB_DCC_KID_LEN],
                 const uint8_t *payload, size_t payload_len);

#endif
