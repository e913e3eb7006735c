/*
 * dcc/trust.c — the trust list of document-signer certificates (see healthybay/dcc.h, trust.h).
 */
#include "dcc/trust.h"

#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

/* hcert §5.1.1; the second spelling (with ".0") was used by early issuers and is still seen. */
static const struct {
    const char *oid;
    unsigned use;
} eku_oids[] = {
    { "1.3.6.1.4.1.1847.2021.1.1", HB_DCC_USE_TEST },
    { "1.3.6.1.4.1.1847.2021.1.2", HB_DCC_USE_VACCINATION },
    { "1.3.6.1.4.1.1847.2021.1.3", HB_DCC_USE_RECOVERY },
    { "1.3.6.1.4.1.0.1847.2021.1.1", HB_DCC_USE_TEST },
    { "1.3.6.1.4.1.0.1847.2021.1.2", HB_DCC_USE_VACCINATION },
    { "1.3.6.1.4.1.0.1847.2021.1.3", HB_DCC_USE_RECOVERY },
};

int hb_dcc_trust_new(hb_dcc_trust **out)
{
    *out = hb_calloc(1, sizeof **out);
    return *out ? 0 : HB_ENOMEM;
}

void hb_dcc_trust_free(hb_dcc_trust *trust)
{
    if (!trust)
        return;
    for (size_t i = 0; i < trust->count; i++)
        EVP_PKEY_free(trust->dscs[i].key);
    hb_free(trust->dscs);
    hb_free(trust);
}

size_t hb_dcc_trust_count(const hb_dcc_trust *trust)
{
    return trust->count;
}

void hb_dcc_kid_of(uint8_t kid[HB_DCC_KID_LEN], const uint8_t *der, size_t len)
{
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256(der, len, digest);
    memcpy(kid, digest, HB_DCC_KID_LEN);
}

int hb_dcc__parse_cert(X509 **out, const uint8_t *data, size_t len)
{
    static const char pem[] = "-----BEGIN";
    *out = NULL;
    if (len > HB_DCC_CERT_MAX)
        return hb_error_set(HB_ELIMIT, "certificate larger than %d bytes", HB_DCC_CERT_MAX);
    if (len >= sizeof pem - 1 && memcmp(data, pem, sizeof pem - 1) == 0) {
        BIO *bio = BIO_new_mem_buf(data, (int)len);
        if (!bio)
            return hb_error_set(HB_ENOMEM, "out of memory");
        *out = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        BIO_free(bio);
    } else {
        const unsigned char *p = data;
        *out = d2i_X509(NULL, &p, (long)len);
        if (*out && p != data + len) {
            X509_free(*out);
            *out = NULL;
        }
    }
    return *out ? 0 : hb_error_set(HB_EINVAL, "not an X.509 certificate (DER or PEM)");
}

static int64_t asn1_time(const ASN1_TIME *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return INT64_MIN;
    return (int64_t)timegm(&tm);
}

/* Extended key usage → HB_DCC_USE_* bits. */
static int read_usage(hb_dcc_dsc *dsc, X509 *cert)
{
    int crit = 0;
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, &crit, NULL);
    /* An empty EKU (invalid in RFC 5280, but issued: dgc-testdata CO15) restricts nothing. */
    if (!eku || sk_ASN1_OBJECT_num(eku) == 0) {
        EXTENDED_KEY_USAGE_free(eku);
        if (crit != -1 && crit >= 0 && !eku)
            return hb_error_set(HB_EINVAL, "DSC: malformed or repeated extended key usage");
        dsc->usage = HB_DCC_USE_ALL;
        return 0;
    }
    dsc->has_eku = true;
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
        char oid[96];
        if (OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, i), 1) <= 0)
            continue;
        for (size_t k = 0; k < sizeof eku_oids / sizeof eku_oids[0]; k++)
            if (strcmp(oid, eku_oids[k].oid) == 0)
                dsc->usage |= eku_oids[k].use;
    }
    EXTENDED_KEY_USAGE_free(eku);
    return 0;
}

static int check_key(EVP_PKEY *key)
{
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
        char group[64];
        size_t len;
        if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) != 1 ||
            (strcmp(group, "prime256v1") != 0 && strcmp(group, "P-256") != 0))
            return hb_error_set(HB_EINVAL, "DSC: EC key is not on curve P-256 (ES256)");
        return 0;
    }
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA ||
        EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA_PSS) {
        if (EVP_PKEY_get_bits(key) < 2048)
            return hb_error_set(HB_EINVAL, "DSC: RSA key shorter than 2048 bits");
        return 0;
    }
    return hb_error_set(HB_EINVAL, "DSC: key is neither EC P-256 nor RSA");
}

int hb_dcc__dsc_from_x509(hb_dcc_dsc *out, X509 *cert, const char *jurisdiction)
{
    memset(out, 0, sizeof *out);
    unsigned char *der = NULL;
    int der_len = i2d_X509(cert, &der);
    if (der_len <= 0)
        return hb_error_set(HB_EINVAL, "DSC: cannot encode the certificate");
    SHA256(der, (size_t)der_len, out->sha256);
    OPENSSL_free(der);
    memcpy(out->kid, out->sha256, HB_DCC_KID_LEN);
    out->not_before = asn1_time(X509_get0_notBefore(cert));
    out->not_after = asn1_time(X509_get0_notAfter(cert));
    if (out->not_before == INT64_MIN || out->not_after == INT64_MIN)
        return hb_error_set(HB_EINVAL, "DSC: unreadable validity period");
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_countryName, out->country,
                              sizeof out->country);
    snprintf(out->jurisdiction, sizeof out->jurisdiction, "%s", jurisdiction ? jurisdiction : "");
    int rc = read_usage(out, cert);
    if (rc < 0)
        return rc;
    out->key = X509_get_pubkey(cert);
    if (!out->key)
        return hb_error_set(HB_EINVAL, "DSC: unreadable public key");
    if ((rc = check_key(out->key)) < 0) {
        EVP_PKEY_free(out->key);
        out->key = NULL;
    }
    return rc;
}

/* Index of the first entry whose kid is >= kid. */
static size_t lower_bound(const hb_dcc_trust *trust, const uint8_t *kid)
{
    size_t lo = 0, hi = trust->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(trust->dscs[mid].kid, kid, HB_DCC_KID_LEN) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void hb_dcc__trust_find(const hb_dcc_trust *trust, const uint8_t *kid, const hb_dcc_dsc **first,
                        size_t *count)
{
    size_t i = lower_bound(trust, kid), n = 0;
    while (i + n < trust->count && memcmp(trust->dscs[i + n].kid, kid, HB_DCC_KID_LEN) == 0)
        n++;
    *first = n ? &trust->dscs[i] : NULL;
    *count = n;
}

static int insert(hb_dcc_trust *trust, const hb_dcc_dsc *dsc)
{
    const hb_dcc_dsc *same;
    size_t n;
    hb_dcc__trust_find(trust, dsc->kid, &same, &n);
    for (size_t i = 0; i < n; i++)
        if (memcmp(same[i].sha256, dsc->sha256, sizeof dsc->sha256) == 0)
            return hb_error_set(HB_ECONFLICT, "DSC already in the trust list");
    if (trust->count == HB_DCC_TRUST_MAX)
        return hb_error_set(HB_ELIMIT, "trust list full (%d DSCs)", HB_DCC_TRUST_MAX);
    if (trust->count == trust->cap) {
        size_t cap = trust->cap ? trust->cap * 2 : 16;
        hb_dcc_dsc *grown = hb_reallocarray(trust->dscs, cap, sizeof *grown);
        if (!grown)
            return HB_ENOMEM;
        trust->dscs = grown;
        trust->cap = cap;
    }
    size_t at = lower_bound(trust, dsc->kid);
    memmove(&trust->dscs[at + 1], &trust->dscs[at], (trust->count - at) * sizeof *dsc);
    trust->dscs[at] = *dsc;
    trust->count++;
    return 0;
}

int hb_dcc_trust_add(hb_dcc_trust *trust, const uint8_t *cert, size_t len, const char *jurisdiction)
{
    X509 *x;
    int rc = hb_dcc__parse_cert(&x, cert, len);
    if (rc < 0)
        return rc;
    hb_dcc_dsc dsc;
    rc = hb_dcc__dsc_from_x509(&dsc, x, jurisdiction);
    X509_free(x);
    if (rc == 0 && (rc = insert(trust, &dsc)) < 0)
        EVP_PKEY_free(dsc.key);
    return rc;
}
