/*
 * dcc/issue.c — signing certificates: the verification chain forwards (see healthybay/dcc.h).
 *
 * The issuer refuses what a verifier would refuse, so no invalid certificate leaves the hub: the
 * payload must pass the schema, iat and exp must lie within the DSC's validity, and the DSC's
 * extended key usage must allow the certificate type.
 */
#include <openssl/pem.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "dcc/base45.h"
#include "dcc/cbor.h"
#include "dcc/cose.h"
#include "dcc/schema.h"
#include "dcc/trust.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

struct hb_dcc_signer {
    EVP_PKEY *key;
    hb_dcc_dsc dsc;
};

static int read_file(hb_buf *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hb_error_set(HB_ENOTFOUND, "%s: cannot open", path);
    char chunk[4096];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = hb_buf_put(out, chunk, n);
    fclose(f);
    return rc;
}

/* Like ssh with its identity files, refuse a private key that others may read: it may already
 * have leaked, and using it would hide that. */
static EVP_PKEY *load_key(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f) {
        hb_error_set(HB_ENOTFOUND, "%s: cannot open", path);
        return NULL;
    }
    if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
        fclose(f);
        hb_error_set(HB_EPERM, "%s: private key readable by group or others (chmod 600)", path);
        return NULL;
    }
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!key)
        hb_error_set(HB_EINVAL, "%s: not a PEM private key", path);
    return key;
}

int hb_dcc_signer_load(hb_dcc_signer **out, const char *key_path, const char *cert_path)
{
    hb_buf cert;
    X509 *x = NULL;
    *out = NULL;
    hb_buf_init(&cert, HB_DCC_CERT_MAX);
    int rc = read_file(&cert, cert_path);
    if (rc == 0)
        rc = hb_dcc__parse_cert(&x, (const uint8_t *)cert.ptr, cert.len);
    hb_buf_dispose(&cert);
    hb_dcc_signer *s = rc == 0 ? hb_calloc(1, sizeof *s) : NULL;
    if (rc == 0 && !s)
        rc = HB_ENOMEM;
    if (rc == 0)
        rc = hb_dcc__dsc_from_x509(&s->dsc, x, NULL);
    if (rc == 0 && !(s->key = load_key(key_path)))
        rc = hb_error_last_code();
    if (rc == 0 && EVP_PKEY_eq(s->key, s->dsc.key) != 1)
        rc = hb_error_set(HB_EINVAL, "%s does not belong to the certificate %s", key_path,
                          cert_path);
    X509_free(x);
    if (rc < 0) {
        hb_dcc_signer_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void hb_dcc_signer_free(hb_dcc_signer *signer)
{
    if (!signer)
        return;
    EVP_PKEY_free(signer->key);
    EVP_PKEY_free(signer->dsc.key);
    hb_free(signer);
}

void hb_dcc_signer_kid(const hb_dcc_signer *signer, uint8_t kid[HB_DCC_KID_LEN])
{
    memcpy(kid, signer->dsc.kid, HB_DCC_KID_LEN);
}

/* CWT claims {1: iss, 4: exp, 6: iat, -260: {1: dcc}}, keys in deterministic order. */
static int claims_cbor(hb_buf *out, const json_t *dcc, const char *iss, int64_t iat, int64_t exp)
{
    int rc = hb_cbor_put_head(out, HB_CBOR_MAP, 4);
    if (rc == 0 && (rc = hb_cbor_put_int(out, 1)) == 0)
        rc = hb_cbor_put_text(out, iss, strlen(iss));
    if (rc == 0 && (rc = hb_cbor_put_int(out, 4)) == 0)
        rc = hb_cbor_put_int(out, exp);
    if (rc == 0 && (rc = hb_cbor_put_int(out, 6)) == 0)
        rc = hb_cbor_put_int(out, iat);
    if (rc == 0 && (rc = hb_cbor_put_int(out, -260)) == 0 &&
        (rc = hb_cbor_put_head(out, HB_CBOR_MAP, 1)) == 0 && (rc = hb_cbor_put_int(out, 1)) == 0)
        rc = hb_cbor_from_json(out, dcc, 2);
    return rc;
}

static int check_issuable(const hb_dcc_signer *s, const json_t *dcc, int64_t iat, int64_t exp)
{
    char type;
    if (hb_dcc__schema_validate(dcc, &type) < 0)
        return hb_error_prefix("DCC payload: ");
    unsigned use = type == 'v'   ? HB_DCC_USE_VACCINATION
                   : type == 't' ? HB_DCC_USE_TEST
                                 : HB_DCC_USE_RECOVERY;
    if (!(s->dsc.usage & use))
        return hb_error_set(HB_EPERM,
                            "the signing certificate's extended key usage does not "
                            "allow '%c' certificates",
                            type);
    if (exp <= iat)
        return hb_error_set(HB_EINVAL, "expiry must be after the issue time");
    if (iat < s->dsc.not_before || exp > s->dsc.not_after)
        return hb_error_set(HB_EINVAL, "issue time and expiry must lie within the signing "
                                       "certificate's validity (renew the DSC or shorten the "
                                       "certificate's validity)");
    return 0;
}

/* COSE bytes → zlib → Base45 → "HC1:". */
static int wrap(char **out, const hb_buf *cose)
{
    uLongf zlen = compressBound((uLong)cose->len);
    uint8_t *z = hb_malloc(zlen);
    if (!z)
        return HB_ENOMEM;
    if (compress2(z, &zlen, (const Bytef *)cose->ptr, (uLong)cose->len, 9) != Z_OK) {
        hb_free(z);
        return hb_error_set(HB_ERROR, "zlib: compression failed");
    }
    size_t chars = hb_base45_encoded_len(zlen);
    int rc = 0;
    if (4 + chars > HB_DCC_TEXT_MAX)
        rc = hb_error_set(HB_ELIMIT, "certificate too large for a QR code (%zu characters)",
                          4 + chars);
    char *text = rc == 0 ? hb_malloc(4 + chars + 1) : NULL;
    if (rc == 0 && !text)
        rc = HB_ENOMEM;
    if (rc == 0) {
        memcpy(text, "HC1:", 4);
        hb_base45_encode(text + 4, z, zlen);
        *out = text;
    }
    hb_free(z);
    return rc;
}

int hb_dcc_issue(char **out, const hb_dcc_signer *signer, const char *payload_json, const char *iss,
                 int64_t iat, int64_t exp)
{
    json_error_t jerr;
    *out = NULL;
    json_t *dcc = json_loads(payload_json, JSON_REJECT_DUPLICATES, &jerr);
    if (!dcc)
        return hb_error_set(HB_EINVAL, "DCC payload: not JSON (%s at %d:%d)", jerr.text, jerr.line,
                            jerr.column);
    hb_buf claims, cose;
    hb_buf_init(&claims, HB_DCC_INFLATED_MAX);
    hb_buf_init(&cose, HB_DCC_INFLATED_MAX);
    int rc = check_issuable(signer, dcc, iat, exp);
    if (rc == 0)
        rc = claims_cbor(&claims, dcc, iss, iat, exp);
    if (rc == 0)
        rc = hb_cose_sign(&cose, signer->key, signer->dsc.kid, (const uint8_t *)claims.ptr,
                          claims.len);
    if (rc == 0)
        rc = wrap(out, &cose);
    json_decref(dcc);
    hb_buf_dispose(&claims);
    hb_buf_dispose(&cose);
    return rc;
}
