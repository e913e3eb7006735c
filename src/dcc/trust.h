/*
 * dcc/trust.h — the trust list's insides, shared by the verifier and the signer.
 *
 * Entries are kept sorted by kid so a lookup is a binary search that returns the run of entries
 * sharing the kid (8 bytes of SHA-256 can collide; hcert says to try them all). Everything the
 * verifier needs from a DSC — key, validity, extended key usage — is extracted once when the
 * certificate is added, so verifying never parses X.509.
 */
#ifndef HB_DCC_TRUST_H
#define HB_DCC_TRUST_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>

#include "healthybay/dcc.h"

/* Certificate types a DSC may sign (hcert §5.1.1 extended key usage). */
#define HB_DCC_USE_TEST        1u
#define HB_DCC_USE_VACCINATION 2u
#define HB_DCC_USE_RECOVERY    4u
#define HB_DCC_USE_ALL         7u

typedef struct hb_dcc_dsc {
    uint8_t kid[HB_DCC_KID_LEN];
    uint8_t sha256[32];
    EVP_PKEY *key;
    int64_t not_before, not_after; /* Unix seconds */
    unsigned usage;                /* HB_DCC_USE_*; ALL when the DSC has no EKU extension */
    bool has_eku;
    char jurisdiction[8];
    char country[4]; /* subject C, "" when absent */
} hb_dcc_dsc;

struct hb_dcc_trust {
    hb_dcc_dsc *dscs;
    size_t count, cap;
};

/* The entries with this kid: *first and *count (0 when none). */
void hb_dcc__trust_find(const hb_dcc_trust *trust, const uint8_t *kid, const hb_dcc_dsc **first,
                        size_t *count);

/* Parse a DER or PEM certificate (caller frees with X509_free). HB_EINVAL with a message. */
int hb_dcc__parse_cert(X509 **out, const uint8_t *data, size_t len);

/* Fill a DSC entry from a parsed certificate (takes a reference on the key). */
int hb_dcc__dsc_from_x509(hb_dcc_dsc *out, X509 *cert, const char *jurisdiction);

#endif
