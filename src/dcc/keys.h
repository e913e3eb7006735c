/*
 * dcc/keys.h — a jurisdiction's signing keys: generation and the files they live in.
 *
 * Each jurisdiction (GD, HK, MO) runs a two-level PKI as hcert §5 prescribes: a country signing
 * CA (CSCA, self-signed, CA:TRUE, keyCertSign) certifies document signers (DSC, EC P-256,
 * digitalSignature, extended key usage "vaccination" 1.3.6.1.4.1.1847.2021.1.2, AKI = CSCA SKI).
 * Verifiers trust DSCs (the trust list); the CSCA key signs nothing else and can be kept offline.
 *
 * Files in DIR (created, never overwritten):
 *     csca.key  csca.pem   the CSCA private key (mode 0600) and certificate
 *     dsc.key   dsc.pem    the DSC private key (mode 0600) and certificate
 * Private keys are written with mode 0600 from the start (open(2) with O_CREAT|O_EXCL), so there
 * is no moment at which another user could read them, and they are never logged.
 */
#ifndef HB_DCC_KEYS_H
#define HB_DCC_KEYS_H

#include <stddef.h>
#include <stdint.h>

typedef struct hb_dcc_keygen {
    const char *dir;          /* existing directory to write the four files into */
    const char *country;      /* subject C: "CN" for GD, "HK", "MO" */
    const char *organisation; /* subject O, e.g. "Health Commission of Guangdong Province" */
    int64_t not_before;       /* Unix seconds */
    int valid_days;           /* DSC validity; the CSCA gets four times as long */
} hb_dcc_keygen;

/* Generate CSCA and DSC; HB_ECONFLICT when a file exists, HB_ERROR on I/O. */
int hb_dcc_keys_generate(const hb_dcc_keygen *spec);

/* Write len random bytes as hex into a new file with mode 0600 (pseudonym secrets). */
int hb_dcc_write_secret(const char *path, size_t len);

#endif
