/*
 * core/signing.c — jurisdictions' signing keys (see signing.h), over OpenSSL 3's EVP interface.
 */
#include "core/signing.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/limits.h"

const char *hb_signing_key_dir(const char *dir)
{
    const char *env = getenv("HEALTHYBAY_KEYS");
    return dir && *dir ? dir : env && *env ? env : "keys";
}

static int key_path(hb_buf *path, const char *dir, const char *jurisdiction)
{
    if (strcmp(jurisdiction, "GD") && strcmp(jurisdiction, "HK") && strcmp(jurisdiction, "MO"))
        return hb_error_set(HB_EINVAL, "unknown jurisdiction '%s' (GD, HK or MO)", jurisdiction);
    return hb_buf_printf(path, "%s/%s-notify.key", hb_signing_key_dir(dir), jurisdiction);
}

/* The key id: hex of the first 8 bytes of SHA-256 over the DER SubjectPublicKeyInfo. */
static int key_id_of(EVP_PKEY *key, char out[HB_KEY_ID_HEXLEN + 1])
{
    unsigned char *der = NULL;
    int len = i2d_PUBKEY(key, &der);
    if (len <= 0)
        return hb_error_set(HB_ERROR, "cannot encode a public key");
    uint8_t digest[HB_SHA256_BYTES];
    hb_sha256(digest, der, (size_t)len);
    OPENSSL_free(der);
    hb_hex_encode(out, digest, HB_KEY_ID_HEXLEN / 2);
    return 0;
}

static char *public_pem(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *pem = NULL;
    if (bio && PEM_write_bio_PUBKEY(bio, key) == 1) {
        long n = BIO_get_mem_data(bio, &data);
        pem = n > 0 ? hb_strndup(data, (size_t)n) : NULL;
    }
    BIO_free(bio);
    if (!pem)
        hb_error_set(HB_ERROR, "cannot write a public key");
    return pem;
}

/* Write the private key to a new file that only its owner can ever read. */
static int write_private(EVP_PKEY *key, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return hb_error_set(errno == EEXIST ? HB_ECONFLICT : HB_ERROR, "%s: %s%s", path,
                            strerror(errno),
                            errno == EEXIST ? " (a key exists: revoke and remove it first)" : "");
    FILE *f = fdopen(fd, "w");
    int ok = f && PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
    ok = (f ? fclose(f) == 0 : close(fd) == 0) && ok;
    if (!ok) {
        unlink(path);
        return hb_error_set(HB_ERROR, "%s: cannot write the key", path);
    }
    return 0;
}

static int register_key(hb_store *store, const char *key_id, const char *jurisdiction,
                        const char *pem)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_signing_keys (key_id, jurisdiction, purpose,"
                              " public_key, created_at) VALUES (?, ?, 'notification', ?, ?)");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, key_id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, jurisdiction)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, pem)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, hb_timestamp_now(now))) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_signing_generate(hb_store *store, const char *dir, const char *jurisdiction,
                        char key_id[HB_KEY_ID_HEXLEN + 1])
{
    hb_buf path;
    hb_buf_init(&path, HB_PATH_MAX);
    int rc = key_path(&path, dir, jurisdiction);
    EVP_PKEY *key = rc == 0 ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256") : NULL;
    char *pem = NULL;
    if (rc == 0 && !key)
        rc = hb_error_set(HB_ERROR, "cannot generate an EC P-256 key");
    if (rc == 0)
        rc = key_id_of(key, key_id);
    if (rc == 0 && !(pem = public_pem(key)))
        rc = HB_ERROR;
    /* Register first: if the database refuses, no orphan key file is left behind. */
    if (rc == 0)
        rc = register_key(store, key_id, jurisdiction, pem);
    if (rc == 0)
        rc = write_private(key, hb_buf_cstr(&path));
    hb_free(pem);
    EVP_PKEY_free(key);
    hb_buf_dispose(&path);
    return rc;
}

typedef struct registered {
    char jurisdiction[8];
    char revoked_at[HB_TIMESTAMP_STRLEN]; /* "" when not revoked */
    char *pem;
} registered;

static int lookup(hb_store *store, const char *key_id, registered *out)
{
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "SELECT jurisdiction, revoked_at, public_key FROM hb_signing_keys"
                              " WHERE key_id = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, key_id)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        snprintf(out->jurisdiction, sizeof out->jurisdiction, "%s", hb_stmt_text(st, 0, NULL));
        snprintf(out->revoked_at, sizeof out->revoked_at, "%s",
                 hb_stmt_is_null(st, 1) ? "" : hb_stmt_text(st, 1, NULL));
        out->pem = hb_strdup(hb_stmt_text(st, 2, NULL));
        rc = out->pem ? 0 : HB_ENOMEM;
    } else if (rc == HB_STORE_DONE) {
        rc = hb_error_set(HB_EPERM, "unknown signing key %s", key_id);
    }
    hb_stmt_finalize(st);
    return rc;
}

static EVP_PKEY *read_private(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        hb_error_set(HB_ENOTFOUND, "%s: %s (generate one with 'healthybay keys generate')", path,
                     strerror(errno));
        return NULL;
    }
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!key)
        hb_error_set(HB_ERROR, "%s: not a PEM private key", path);
    return key;
}

int hb_signing_sign(hb_store *store, const char *dir, const char *jurisdiction, const void *data,
                    size_t len, char **signature, char key_id[HB_KEY_ID_HEXLEN + 1])
{
    hb_buf path;
    hb_buf_init(&path, HB_PATH_MAX);
    registered reg = { 0 };
    int rc = key_path(&path, dir, jurisdiction);
    EVP_PKEY *key = rc == 0 ? read_private(hb_buf_cstr(&path)) : NULL;
    if (rc == 0 && !key)
        rc = hb_error_last_code();
    if (rc == 0)
        rc = key_id_of(key, key_id);
    if (rc == 0 && lookup(store, key_id, &reg) < 0)
        rc = hb_error_set(HB_ECONFLICT, "%s holds a key that is not registered in this database",
                          hb_buf_cstr(&path));
    if (rc == 0 && (strcmp(reg.jurisdiction, jurisdiction) || reg.revoked_at[0]))
        rc = hb_error_set(HB_ECONFLICT, "key %s is %s", key_id,
                          reg.revoked_at[0] ? "revoked" : "registered to another jurisdiction");
    unsigned char der[128];
    size_t der_len = sizeof der;
    EVP_MD_CTX *md = rc == 0 ? EVP_MD_CTX_new() : NULL;
    if (rc == 0 && (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
                    EVP_DigestSign(md, der, &der_len, data, len) != 1))
        rc = hb_error_set(HB_ERROR, "signing failed");
    if (rc == 0 && !(*signature = hb_base64_encode(der, der_len)))
        rc = HB_ENOMEM;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    hb_free(reg.pem);
    hb_buf_dispose(&path);
    return rc;
}

static EVP_PKEY *parse_public(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    return key;
}

int hb_signing_verify(hb_store *store, const char *jurisdiction, const char *key_id,
                      const char *signed_at, const void *data, size_t len, const char *signature)
{
    registered reg = { 0 };
    unsigned char *der = NULL;
    size_t der_len = 0;
    EVP_PKEY *key = NULL;
    int rc = lookup(store, key_id, &reg);
    if (rc == 0 && strcmp(reg.jurisdiction, jurisdiction) != 0)
        rc = hb_error_set(HB_EPERM, "signed with %s's key, not %s's", reg.jurisdiction,
                          jurisdiction);
    if (rc == 0 && reg.revoked_at[0] && strcmp(reg.revoked_at, signed_at) <= 0)
        rc = hb_error_set(HB_EPERM, "signed with key %s after its revocation at %s", key_id,
                          reg.revoked_at);
    if (rc == 0 && hb_base64_decode(&der, &der_len, signature) < 0)
        rc = hb_error_set(HB_EPERM, "the signature is not base64");
    if (rc == 0 && !(key = parse_public(reg.pem)))
        rc = hb_error_set(HB_ERROR, "key %s: stored public key does not parse", key_id);
    EVP_MD_CTX *md = rc == 0 ? EVP_MD_CTX_new() : NULL;
    if (rc == 0 && (!md || EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
                    EVP_DigestVerify(md, der, der_len, data, len) != 1))
        rc = hb_error_set(HB_EPERM, "the signature does not match the message");
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    hb_free(der);
    hb_free(reg.pem);
    return rc;
}

int hb_signing_keys(hb_store *store, hb_table **out)
{
    static const char *const names[] = { "key_id", "jurisdiction", "purpose", "created_at",
                                         "revoked_at" };
    return hb_store_query_table(store,
                                "SELECT key_id, jurisdiction, purpose, created_at, revoked_at"
                                " FROM hb_signing_keys ORDER BY jurisdiction, created_at",
                                NULL, 0, 5, names, NULL, out);
}

int hb_signing_revoke(hb_store *store, const char *key_id)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "UPDATE hb_signing_keys SET revoked_at = ? WHERE key_id = ?"
                              " AND revoked_at IS NULL");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, key_id)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_DONE && hb_stmt_changes(st) == 0)
        rc = hb_error_set(HB_ENOTFOUND, "no unrevoked key %s", key_id);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}
