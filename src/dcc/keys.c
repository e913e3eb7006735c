/*
 * dcc/keys.c — CSCA and DSC generation with OpenSSL (see keys.h).
 */
#include "dcc/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/limits.h"

/* Open path for writing, refusing to replace a file; mode 0600 for secrets. */
static FILE *create(const char *path, int secret)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, secret ? 0600 : 0644);
    if (fd < 0) {
        hb_error_set(errno == EEXIST ? HB_ECONFLICT : HB_ERROR, "%s: %s%s", path, strerror(errno),
                     errno == EEXIST ? " (keys are never overwritten)" : "");
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        hb_error_set(HB_ERROR, "%s: %s", path, strerror(errno));
    }
    return f;
}

static int write_pem(const char *dir, const char *name, EVP_PKEY *key, X509 *cert)
{
    char path[HB_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = create(path, key != NULL);
    if (!f)
        return hb_error_last_code();
    int ok =
        key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) : PEM_write_X509(f, cert);
    ok = fclose(f) == 0 && ok;
    return ok ? 0 : hb_error_set(HB_ERROR, "%s: cannot write", path);
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    int ok = ext && X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

static int set_name(X509_NAME *name, const hb_dcc_keygen *spec, const char *cn)
{
    return X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8,
                                      (const unsigned char *)spec->country, -1, -1, 0) &&
           X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                      (const unsigned char *)spec->organisation, -1, -1, 0) &&
           X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
                                      0);
}

/* A certificate for key, signed by issuer_key (self-signed when issuer is NULL). */
static X509 *make_cert(const hb_dcc_keygen *spec, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
                       int days, int ca)
{
    X509 *cert = X509_new();
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    int ok =
        cert && RAND_bytes(serial, sizeof serial) == 1 &&
        (bn = BN_bin2bn(serial, sizeof serial, NULL)) != NULL &&
        BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL && X509_set_version(cert, 2) &&
        X509_time_adj_ex(X509_getm_notBefore(cert), 0, 0, &(time_t){ (time_t)spec->not_before }) &&
        X509_time_adj_ex(X509_getm_notAfter(cert), days, 0,
                         &(time_t){ (time_t)spec->not_before }) &&
        set_name(X509_get_subject_name(cert), spec,
                 ca ? "Country Signing CA" : "Document Signer (vaccination)") &&
        X509_set_issuer_name(cert, X509_get_subject_name(issuer ? issuer : cert)) &&
        X509_set_pubkey(cert, key) &&
        add_ext(cert, issuer ? issuer : cert, NID_subject_key_identifier, "hash") &&
        (ca ? add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
                  add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign")
            : add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always") &&
                  add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature") &&
                  add_ext(cert, issuer, NID_ext_key_usage, "1.3.6.1.4.1.1847.2021.1.2")) &&
        X509_sign(cert, issuer_key, EVP_sha256()) > 0;
    BN_free(bn);
    if (!ok) {
        X509_free(cert);
        hb_error_set(HB_ERROR, "cannot create the %s certificate (OpenSSL)", ca ? "CSCA" : "DSC");
        return NULL;
    }
    return cert;
}

int hb_dcc_keys_generate(const hb_dcc_keygen *spec)
{
    EVP_PKEY *csca_key = EVP_EC_gen("P-256"), *dsc_key = EVP_EC_gen("P-256");
    X509 *csca = NULL, *dsc = NULL;
    int rc = csca_key && dsc_key ? 0 : hb_error_set(HB_ERROR, "cannot generate EC keys");
    if (rc == 0 && !(csca = make_cert(spec, csca_key, NULL, csca_key, spec->valid_days * 4, 1)))
        rc = HB_ERROR;
    if (rc == 0 && !(dsc = make_cert(spec, dsc_key, csca, csca_key, spec->valid_days, 0)))
        rc = HB_ERROR;
    if (rc == 0 && (rc = write_pem(spec->dir, "csca.key", csca_key, NULL)) == 0 &&
        (rc = write_pem(spec->dir, "csca.pem", NULL, csca)) == 0 &&
        (rc = write_pem(spec->dir, "dsc.key", dsc_key, NULL)) == 0)
        rc = write_pem(spec->dir, "dsc.pem", NULL, dsc);
    X509_free(csca);
    X509_free(dsc);
    EVP_PKEY_free(csca_key);
    EVP_PKEY_free(dsc_key);
    return rc;
}

int hb_dcc_write_secret(const char *path, size_t len)
{
    unsigned char secret[64];
    if (len > sizeof secret || RAND_bytes(secret, (int)len) != 1)
        return hb_error_set(HB_ERROR, "cannot generate a secret");
    FILE *f = create(path, 1);
    if (!f)
        return hb_error_last_code();
    for (size_t i = 0; i < len; i++)
        fprintf(f, "%02x", secret[i]);
    fputc('\n', f);
    OPENSSL_cleanse(secret, sizeof secret);
    return fclose(f) == 0 ? 0 : hb_error_set(HB_ERROR, "%s: cannot write", path);
}
