/*
 * core/signing.h — each jurisdiction's key for signing what it sends to the other two
 * (cross-border notifications): ECDSA P-256 over SHA-256.
 *
 * Keys. The private key of jurisdiction J lives in the key directory as J-notify.key (PEM, mode
 * 0600, created with O_EXCL so it is never readable by others, never logged); the directory is
 * --keys DIR, else $HEALTHYBAY_KEYS, else ./keys. The public key is registered in the database
 * (hb_signing_keys) with its key id — the first 8 bytes of the SHA-256 of its DER
 * SubjectPublicKeyInfo, in hex, as DCC kids are made — so every receiver can verify without
 * access to the sender's secrets. A key is revoked, never deleted: messages signed before its
 * revocation stay valid, later ones are refused.
 *
 * Verification checks the signature against the registered key of the claimed sender
 * jurisdiction; a message signed with another jurisdiction's key, an unknown or revoked key, or
 * any change to the signed bytes is refused.
 */
#ifndef HB_CORE_SIGNING_H
#define HB_CORE_SIGNING_H

#include <stddef.h>

#include "store/store.h"
#include "util/table.h"

#define HB_KEY_ID_HEXLEN 16

/* The key directory: dir if not NULL, else $HEALTHYBAY_KEYS, else "keys". Borrowed. */
const char *hb_signing_key_dir(const char *dir);

/*
 * Generate jurisdiction's notification key: register the public key in the database, then write
 * DIR/J-notify.key (0600; HB_ECONFLICT when it exists). Call inside a transaction, so that a
 * key that could not be written is not left registered. key_id gets the new key's id.
 */
int hb_signing_generate(hb_store *store, const char *dir, const char *jurisdiction,
                        char key_id[HB_KEY_ID_HEXLEN + 1]);

/* Sign data with jurisdiction's private key from dir: *signature (base64 of the DER ECDSA
 * signature; caller frees with hb_free) and the key id. HB_ENOTFOUND when the key file is
 * missing, HB_ECONFLICT when it is not the jurisdiction's registered, unrevoked key. */
int hb_signing_sign(hb_store *store, const char *dir, const char *jurisdiction, const void *data,
                    size_t len, char **signature, char key_id[HB_KEY_ID_HEXLEN + 1]);

/* Verify: 0 when signature (base64) is a valid signature of data by the registered key key_id of
 * jurisdiction, not revoked at signed_at (a timestamp); HB_EPERM with the reason otherwise. */
int hb_signing_verify(hb_store *store, const char *jurisdiction, const char *key_id,
                      const char *signed_at, const void *data, size_t len, const char *signature);

/* Registered keys: key_id, jurisdiction, purpose, created_at, revoked_at. */
int hb_signing_keys(hb_store *store, hb_table **out);

/* Revoke a key (it stays to verify old messages, marked revoked). */
int hb_signing_revoke(hb_store *store, const char *key_id);

#endif
