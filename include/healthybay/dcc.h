/*
 * healthybay/dcc.h — EU Digital COVID Certificates (hcert 1.0.8): issue and verify offline.
 *
 * The encoding chain, read left to right when issuing and right to left when verifying:
 *
 *     DCC JSON ─▶ CBOR ─▶ CWT claims {1: iss, 4: exp, 6: iat, -260: {1: DCC}}
 *              ─▶ COSE_Sign1 (tag 18; ES256 or PS256) ─▶ zlib ─▶ Base45 ─▶ "HC1:" ─▶ QR code
 *
 * A verifier needs a trust list: the document-signer certificates (DSCs) of the issuing
 * jurisdictions. A certificate names its signer by kid = the first 8 bytes of the SHA-256 of the
 * DSC's DER encoding; since 8 bytes can collide, every DSC with that kid is tried. The trust list
 * is built once and is then read-only, so one list may serve any number of verifying threads.
 *
 * hb_dcc_verify() runs every check and reports the first that fails as a reason code (stable,
 * machine-readable) and a message (for people). It returns < 0 only when it could not run
 * (out of memory); an invalid certificate is a successful verification with valid = 0.
 */
#ifndef HEALTHYBAY_DCC_H
#define HEALTHYBAY_DCC_H

#include <stddef.h>
#include <stdint.h>

#include "healthybay/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why a certificate is invalid. Append-only, like the error codes. */
typedef enum hb_dcc_reason {
    HB_DCC_OK = 0,
    HB_DCC_BAD_PREFIX,      /* not "HC1:" (other versions and contexts are refused) */
    HB_DCC_BAD_BASE45,      /* a character outside the alphabet, a bad length or value */
    HB_DCC_BAD_COMPRESSION, /* not a zlib stream, or a corrupt or truncated one */
    HB_DCC_TOO_LARGE,       /* input or inflated size over its limit (decompression bomb) */
    HB_DCC_BAD_CBOR,        /* malformed CBOR, nesting too deep, trailing bytes */
    HB_DCC_BAD_COSE,        /* not a COSE_Sign1 structure */
    HB_DCC_UNSUPPORTED_ALG, /* alg missing or neither ES256 (-7) nor PS256 (-37) */
    HB_DCC_BAD_KID,         /* kid missing or not 8 bytes */
    HB_DCC_UNKNOWN_KID,     /* no trusted DSC has this kid */
    HB_DCC_BAD_SIGNATURE,   /* no DSC with this kid verifies the signature */
    HB_DCC_BAD_CWT,         /* claims missing or mistyped (iat, exp, hcert) */
    HB_DCC_NOT_YET_VALID,   /* verification time before iat */
    HB_DCC_EXPIRED,         /* verification time after exp */
    HB_DCC_DSC_VALIDITY,    /* iat before the DSC's notBefore or exp after its notAfter */
    HB_DCC_SCHEMA,          /* the DCC payload does not follow DCC.schema.json 1.3.3 */
    HB_DCC_KEY_USAGE,       /* the DSC's extended key usage excludes this certificate type */
    HB_DCC_MULTIPLE_TYPES   /* more than one of v, t, r */
} hb_dcc_reason;

/* A stable snake_case name for a reason ("bad_signature"); never NULL. */
const char *hb_dcc_reason_name(hb_dcc_reason reason);

#define HB_DCC_MESSAGE_MAX 256
#define HB_DCC_KID_LEN     8

/* COSE algorithm identifiers (RFC 9053). */
#define HB_DCC_ALG_ES256 (-7)
#define HB_DCC_ALG_PS256 (-37)

typedef struct hb_dcc_result {
    int valid;                        /* 1 when every check passed */
    hb_dcc_reason reason;             /* HB_DCC_OK when valid */
    char message[HB_DCC_MESSAGE_MAX]; /* why, in words */
    uint8_t kid[HB_DCC_KID_LEN];      /* when found */
    int has_kid;
    int alg;                       /* 0 when not found */
    char issuer[64];               /* CWT iss ("" when absent; truncated) */
    int64_t issued_at, expires_at; /* Unix seconds; 0 when absent */
    char type;                     /* 'v', 't', 'r' or 0 when unknown */
    char signer_jurisdiction[8];   /* the trust-list entry that verified ("" when none) */
    char *payload_json;            /* the DCC as JSON when decoded; owned, see dispose */
} hb_dcc_result;

/* Free what a result owns; the struct itself is the caller's. */
void hb_dcc_result_dispose(hb_dcc_result *result);

typedef struct hb_dcc_trust hb_dcc_trust;

int hb_dcc_trust_new(hb_dcc_trust **out);
/* hb_dcc_trust_free(NULL) is a no-op. */
void hb_dcc_trust_free(hb_dcc_trust *trust);

/*
 * Add one DSC, DER or PEM (detected), trusted for certificates of jurisdiction (a label shown in
 * results, e.g. "GD"; may be NULL). The key must be EC P-256 or RSA >= 2048 bits. HB_EINVAL with a
 * message when the certificate cannot be parsed or its key is unsupported; HB_ECONFLICT when
 * the very same certificate is already in the list.
 */
int hb_dcc_trust_add(hb_dcc_trust *trust, const uint8_t *cert, size_t len,
                     const char *jurisdiction);
size_t hb_dcc_trust_count(const hb_dcc_trust *trust);

/* The kid of a DER certificate: the first 8 bytes of its SHA-256. */
void hb_dcc_kid_of(uint8_t kid[HB_DCC_KID_LEN], const uint8_t *der, size_t len);

/* hb_dcc_verify() flags. */
#define HB_DCC_WANT_JSON 1u /* fill result->payload_json (costs a JSON rendering) */

/*
 * Verify text ("HC1:…", exactly as scanned) at time at (Unix seconds). Fills *result (always
 * disposed by the caller, also on failure). Returns 0 when the verification ran (see
 * result->valid), HB_ENOMEM when it could not, HB_EINVAL when trust or text is NULL.
 */
int hb_dcc_verify(hb_dcc_result *result, const hb_dcc_trust *trust, const char *text, size_t len,
                  int64_t at, unsigned flags);

/* A signing key: a private key (EC P-256 or RSA) and its DSC. */
typedef struct hb_dcc_signer hb_dcc_signer;

/* Load a PEM private key and the PEM or DER DSC that certifies it; they must match. HB_EPERM when
 * the key file is readable by group or others. */
int hb_dcc_signer_load(hb_dcc_signer **out, const char *key_path, const char *cert_path);
void hb_dcc_signer_free(hb_dcc_signer *signer);
/* The kid of the signer's DSC. */
void hb_dcc_signer_kid(const hb_dcc_signer *signer, uint8_t kid[HB_DCC_KID_LEN]);

/*
 * Issue: sign the DCC JSON payload (validated against the schema first) with issuer country iss,
 * issued at iat and expiring at exp (Unix seconds). *out gets the NUL-terminated "HC1:…" text;
 * free it with hb_dcc_free().
 */
int hb_dcc_issue(char **out, const hb_dcc_signer *signer, const char *payload_json, const char *iss,
                 int64_t iat, int64_t exp);

/*
 * QR code (ISO/IEC 18004, alphanumeric mode, error correction Q as hcert recommends) of text,
 * rendered as PNG (scale pixels per module, 4-module quiet zone) or SVG. *out is owned by the
 * caller (hb_dcc_free()), *len its size in bytes.
 */
int hb_dcc_qr_png(uint8_t **out, size_t *len, const char *text, int scale);
int hb_dcc_qr_svg(char **out, size_t *len, const char *text);

/* Free memory returned by this header's functions; NULL is a no-op. */
void hb_dcc_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
