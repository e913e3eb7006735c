/*
 * dcc/steps.h — the verification chain one step at a time, for the verifier, the issuer and the
 * test-vector runner (which checks each step against its own expected result).
 *
 *     text ─unprefix─▶ Base45 ─decode─▶ zlib ─inflate─▶ COSE_Sign1 ─▶ CWT claims ─▶ DCC JSON
 */
#ifndef HB_DCC_STEPS_H
#define HB_DCC_STEPS_H

#include <jansson.h>
#include <stdbool.h>

#include "dcc/cose.h"
#include "healthybay/dcc.h"
#include "util/buf.h"

/* The Base45 part of "HC1:…". HB_EINVAL unless the text starts with exactly "HC1:". */
int hb_dcc__unprefix(const char **b45, size_t *b45_len, const char *text, size_t len);

/* Inflate a zlib stream into out, which has room for HB_DCC_INFLATED_MAX + 1 bytes. HB_EINVAL
 * with *reason HB_DCC_BAD_COMPRESSION, or HB_ELIMIT with HB_DCC_TOO_LARGE. */
int hb_dcc__inflate(uint8_t *out, size_t *out_len, hb_dcc_reason *reason, const uint8_t *in,
                    size_t len);

/* Text → COSE bytes: unprefix, Base45, inflate. *out is allocated (hb_free). HB_EINVAL or
 * HB_ELIMIT with *reason. */
int hb_dcc__decode(uint8_t **out, size_t *out_len, hb_dcc_reason *reason, const char *text,
                   size_t len);

typedef struct hb_dcc_claims {
    char iss[64];
    int64_t iat, exp;
    bool has_iat, has_exp;
    json_t *dcc; /* hcert -260 → 1; owned (json_decref) */
} hb_dcc_claims;

/* Parse the CWT claims of a COSE payload. HB_EINVAL with *reason HB_DCC_BAD_CBOR (malformed) or
 * HB_DCC_BAD_CWT (well-formed, wrong shape). *out is always safe to dispose. */
int hb_dcc__parse_claims(hb_dcc_claims *out, hb_dcc_reason *reason, const uint8_t *payload,
                         size_t len);
void hb_dcc__claims_dispose(hb_dcc_claims *claims);

#endif
