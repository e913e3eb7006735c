/*
 * dcc/cose.c — COSE_Sign1 parse, verify and sign (see cose.h).
 */
#include "dcc/cose.h"

#include <openssl/ecdsa.h>
#include <openssl/rsa.h>
#include <string.h>

#include "dcc/cbor.h"
#include "util/error.h"

#define TAG_COSE_SIGN1 18
#define TAG_CWT        61
#define LABEL_ALG      1
#define LABEL_KID      4

static int bad(hb_dcc_reason *reason, hb_dcc_reason r, const char *what)
{
    *reason = r;
    return hb_error_set(HB_EINVAL, "COSE: %s", what);
}

/* Read one header map (protected or unprotected), filling alg and kid when present. Malformed
 * CBOR is HB_DCC_BAD_CBOR; well-formed CBOR of the wrong shape HB_DCC_BAD_COSE. */
static int read_header_map(hb_cbor *r, hb_dcc_reason *reason, int *alg, const uint8_t **kid,
                           size_t *kid_len)
{
    hb_cbor_item map, key, value;
    *reason = HB_DCC_BAD_CBOR;
    int rc = hb_cbor_read(r, &map);
    if (rc < 0)
        return rc;
    *reason = HB_DCC_BAD_COSE;
    if (map.major != HB_CBOR_MAP)
        return hb_error_set(HB_EINVAL, "COSE: header is not a map");
    *reason = HB_DCC_BAD_CBOR;
    for (uint64_t i = 0; map.indefinite ? !hb_cbor_break(r) : i < map.arg; i++) {
        int64_t label;
        if ((rc = hb_cbor_read(r, &key)) < 0)
            return rc;
        if (!hb_cbor_int(&key, &label)) { /* text labels: skip the value */
            if ((rc = hb_cbor_skip(r, &key, 1)) < 0 || (rc = hb_cbor_skip_next(r, 1)) < 0)
                return rc;
            continue;
        }
        if ((rc = hb_cbor_read(r, &value)) < 0)
            return rc;
        if (label == LABEL_ALG) {
            int64_t a;
            /* A text algorithm name is legal COSE but none we support: leave alg at 0. */
            if (hb_cbor_int(&value, &a) && a >= -65536 && a <= 65535)
                *alg = (int)a;
        } else if (label == LABEL_KID) {
            if (value.major != HB_CBOR_BYTES)
                return *reason = HB_DCC_BAD_COSE,
                       hb_error_set(HB_EINVAL, "COSE: kid is not a byte string");
            *kid = value.ptr;
            *kid_len = value.arg;
        }
        if ((rc = hb_cbor_skip(r, &value, 1)) < 0)
            return rc;
    }
    return 0;
}

static int parse_protected(hb_cose_sign1 *out, hb_dcc_reason *reason)
{
    if (out->protected_len == 0)
        return 0;
    hb_cbor r;
    hb_cbor_init(&r, out->protected_bstr, out->protected_len);
    int rc = read_header_map(&r, reason, &out->alg, &out->kid, &out->kid_len);
    if (rc == 0 && hb_cbor_offset(&r) != out->protected_len) {
        *reason = HB_DCC_BAD_COSE;
        rc = hb_error_set(HB_EINVAL, "COSE: bytes after the protected header map");
    }
    return rc;
}

static int read_bstr(hb_cbor *r, const uint8_t **ptr, size_t *len, hb_dcc_reason *reason,
                     const char *what)
{
    hb_cbor_item item;
    int rc = hb_cbor_read(r, &item);
    if (rc < 0) {
        *reason = HB_DCC_BAD_CBOR;
        return rc;
    }
    if (item.major != HB_CBOR_BYTES)
        return bad(reason, HB_DCC_BAD_COSE, what);
    *ptr = item.ptr;
    *len = item.arg;
    return 0;
}

/* The tags and the array head: [61(] [18(] [ 4 elements. */
static int parse_envelope(hb_cbor *r, hb_dcc_reason *reason)
{
    hb_cbor_item item;
    int tags = 0, rc;
    for (;;) {
        if ((rc = hb_cbor_read(r, &item)) < 0) {
            *reason = HB_DCC_BAD_CBOR;
            return rc;
        }
        if (item.major != HB_CBOR_TAG)
            break;
        if ((item.arg != TAG_CWT && item.arg != TAG_COSE_SIGN1) || ++tags > 2)
            return bad(reason, HB_DCC_BAD_COSE,
                       "unexpected tag (only 61 CWT and 18 "
                       "COSE_Sign1 are allowed)");
    }
    if (item.major != HB_CBOR_ARRAY || item.indefinite || item.arg != 4)
        return bad(reason, HB_DCC_BAD_COSE, "not a COSE_Sign1 (an array of 4 elements)");
    return 0;
}

int hb_cose_parse(hb_cose_sign1 *out, hb_dcc_reason *reason, const uint8_t *data, size_t len)
{
    hb_cbor r;
    memset(out, 0, sizeof *out);
    hb_cbor_init(&r, data, len);
    int rc = parse_envelope(&r, reason);
    if (rc < 0)
        return rc;
    if ((rc = read_bstr(&r, &out->protected_bstr, &out->protected_len, reason,
                        "protected header is not a byte string")) < 0 ||
        (rc = parse_protected(out, reason)) < 0)
        return rc;
    int alg = 0;
    const uint8_t *kid = NULL;
    size_t kid_len = 0;
    if ((rc = read_header_map(&r, reason, &alg, &kid, &kid_len)) < 0)
        return rc;
    if (out->alg == 0)
        out->alg = alg;
    if (out->kid == NULL) {
        out->kid = kid;
        out->kid_len = kid_len;
    }
    if ((rc = read_bstr(&r, &out->payload, &out->payload_len, reason,
                        "payload is not a byte string")) < 0 ||
        (rc = read_bstr(&r, &out->signature, &out->signature_len, reason,
                        "signature is not a byte string")) < 0)
        return rc;
    if (hb_cbor_offset(&r) != len) {
        *reason = HB_DCC_BAD_CBOR;
        return hb_error_set(HB_EINVAL, "CBOR: %zu bytes after the COSE_Sign1",
                            len - hb_cbor_offset(&r));
    }
    return 0;
}

/* SHA-256 of Sig_structure = ["Signature1", protected, h'', payload], fed in four pieces so the
 * payload is never copied. */
static int sig_digest(uint8_t digest[32], const uint8_t *prot, size_t prot_len,
                      const uint8_t *payload, size_t payload_len)
{
    uint8_t head[12 + 9], mid[1 + 9];
    memcpy(head, "\x84\x6aSignature1", 12);
    size_t head_len = 12 + hb_cbor_encode_head(head + 12, HB_CBOR_BYTES, prot_len);
    mid[0] = 0x40; /* h'': no external additional authenticated data */
    size_t mid_len = 1 + hb_cbor_encode_head(mid + 1, HB_CBOR_BYTES, payload_len);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return hb_error_set(HB_ENOMEM, "out of memory");
    int rc = 0;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(ctx, head, head_len) != 1 || EVP_DigestUpdate(ctx, prot, prot_len) != 1 ||
        EVP_DigestUpdate(ctx, mid, mid_len) != 1 ||
        EVP_DigestUpdate(ctx, payload, payload_len) != 1 ||
        EVP_DigestFinal_ex(ctx, digest, NULL) != 1)
        rc = hb_error_set(HB_ERROR, "SHA-256 failed");
    EVP_MD_CTX_free(ctx);
    return rc;
}

/* Append a big-endian unsigned integer as a DER INTEGER. */
static size_t der_integer(uint8_t *out, const uint8_t *v, size_t len)
{
    while (len > 1 && v[0] == 0) {
        v++;
        len--;
    }
    size_t pad = v[0] & 0x80 ? 1 : 0, o = 0;
    out[o++] = 0x02;
    out[o++] = (uint8_t)(len + pad);
    if (pad)
        out[o++] = 0;
    memcpy(out + o, v, len);
    return o + len;
}

/* Raw r‖s (2 × 32 bytes) → DER ECDSA-Sig-Value; out holds 72 bytes. */
static size_t raw_to_der(uint8_t out[72], const uint8_t raw[64])
{
    uint8_t body[70];
    size_t n = der_integer(body, raw, 32);
    n += der_integer(body + n, raw + 32, 32);
    out[0] = 0x30;
    out[1] = (uint8_t)n;
    memcpy(out + 2, body, n);
    return 2 + n;
}

static int setup_pss(EVP_PKEY_CTX *ctx)
{
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32) == 1;
}

/* Check that alg fits the key and the signature's shape; sets *reason on failure. */
static int check_alg(const hb_cose_sign1 *msg, hb_dcc_reason *reason, int key_type)
{
    if (msg->alg == HB_DCC_ALG_ES256) {
        if (key_type != EVP_PKEY_EC)
            return bad(reason, HB_DCC_BAD_SIGNATURE, "ES256 signature but the DSC key is not EC");
        if (msg->signature_len != 64)
            return bad(reason, HB_DCC_BAD_SIGNATURE,
                       "ES256 signature is not 64 bytes (raw r and s)");
        return 0;
    }
    if (msg->alg == HB_DCC_ALG_PS256) {
        if (key_type != EVP_PKEY_RSA && key_type != EVP_PKEY_RSA_PSS)
            return bad(reason, HB_DCC_BAD_SIGNATURE, "PS256 signature but the DSC key is not RSA");
        return 0;
    }
    *reason = HB_DCC_UNSUPPORTED_ALG;
    return msg->alg == 0 ? hb_error_set(HB_EINVAL, "COSE: no algorithm in the headers")
                         : hb_error_set(HB_EINVAL,
                                        "COSE: algorithm %d is not supported (only ES256 = -7 "
                                        "and PS256 = -37)",
                                        msg->alg);
}

int hb_cose_verify(const hb_cose_sign1 *msg, hb_dcc_reason *reason, EVP_PKEY *key)
{
    int rc = check_alg(msg, reason, EVP_PKEY_get_base_id(key));
    if (rc < 0)
        return rc;
    uint8_t digest[32], der[72];
    if ((rc = sig_digest(digest, msg->protected_bstr, msg->protected_len, msg->payload,
                         msg->payload_len)) < 0)
        return rc;
    const uint8_t *sig = msg->signature;
    size_t sig_len = msg->signature_len;
    if (msg->alg == HB_DCC_ALG_ES256) {
        sig_len = raw_to_der(der, msg->signature);
        sig = der;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    if (!ctx)
        return hb_error_set(HB_ENOMEM, "out of memory");
    int ok = EVP_PKEY_verify_init(ctx) == 1 && (msg->alg != HB_DCC_ALG_PS256 || setup_pss(ctx)) &&
             EVP_PKEY_verify(ctx, sig, sig_len, digest, sizeof digest) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return bad(reason, HB_DCC_BAD_SIGNATURE, "the signature does not verify");
    return 0;
}

/* DER ECDSA-Sig-Value → raw r‖s. */
static int der_to_raw(uint8_t raw[64], const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
    if (!sig)
        return hb_error_set(HB_ERROR, "ECDSA: cannot parse the signature OpenSSL produced");
    const BIGNUM *r, *s;
    ECDSA_SIG_get0(sig, &r, &s);
    int ok = BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32;
    ECDSA_SIG_free(sig);
    return ok ? 0 : hb_error_set(HB_ERROR, "ECDSA: signature values longer than 32 bytes");
}

static int sign_digest(uint8_t *sig, size_t *sig_len, EVP_PKEY *key, int alg,
                       const uint8_t digest[32])
{
    uint8_t der[600];
    size_t der_len = sizeof der;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    if (!ctx)
        return hb_error_set(HB_ENOMEM, "out of memory");
    int ok = EVP_PKEY_sign_init(ctx) == 1 && (alg != HB_DCC_ALG_PS256 || setup_pss(ctx)) &&
             EVP_PKEY_sign(ctx, der, &der_len, digest, 32) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return hb_error_set(HB_ERROR, "signing failed (OpenSSL)");
    if (alg == HB_DCC_ALG_PS256) {
        memcpy(sig, der, der_len);
        *sig_len = der_len;
        return 0;
    }
    *sig_len = 64;
    return der_to_raw(sig, der, der_len);
}

int hb_cose_sign(hb_buf *out, EVP_PKEY *key, const uint8_t kid[HB_DCC_KID_LEN],
                 const uint8_t *payload, size_t payload_len)
{
    int type = EVP_PKEY_get_base_id(key);
    int alg = type == EVP_PKEY_EC ? HB_DCC_ALG_ES256 : HB_DCC_ALG_PS256;
    if (type != EVP_PKEY_EC && type != EVP_PKEY_RSA)
        return hb_error_set(HB_EINVAL, "signing key must be EC P-256 or RSA");
    hb_buf p;
    hb_buf_init(&p, 64); /* {1: alg, 4: kid} takes 14 bytes */
    int rc = hb_cbor_put_head(&p, HB_CBOR_MAP, 2);
    if (rc == 0 && (rc = hb_cbor_put_int(&p, LABEL_ALG)) == 0 &&
        (rc = hb_cbor_put_int(&p, alg)) == 0 && (rc = hb_cbor_put_int(&p, LABEL_KID)) == 0)
        rc = hb_cbor_put_bytes(&p, kid, HB_DCC_KID_LEN);
    uint8_t digest[32], sig[600];
    size_t sig_len = 0;
    if (rc == 0)
        rc = sig_digest(digest, (const uint8_t *)p.ptr, p.len, payload, payload_len);
    if (rc == 0)
        rc = sign_digest(sig, &sig_len, key, alg, digest);
    uint8_t tag_and_array[2] = { 0xd2, 0x84 }; /* tag 18, array of 4 */
    if (rc == 0)
        rc = hb_buf_put(out, tag_and_array, 2);
    if (rc == 0)
        rc = hb_cbor_put_bytes(out, p.ptr, p.len);
    if (rc == 0)
        rc = hb_cbor_put_head(out, HB_CBOR_MAP, 0);
    if (rc == 0)
        rc = hb_cbor_put_bytes(out, payload, payload_len);
    if (rc == 0)
        rc = hb_cbor_put_bytes(out, sig, sig_len);
    hb_buf_dispose(&p);
    return rc;
}
