/*
 * dcc/verify.c — hb_dcc_verify(): the whole chain, first failure wins (see healthybay/dcc.h).
 *
 * Order of checks, cheapest and most fundamental first, so the reason is the one a person would
 * name: prefix, size, Base45, zlib, CBOR/COSE, algorithm, kid, signature (every DSC with the
 * kid), CWT claims, time (iat <= at <= exp, and DSC notBefore <= iat, exp <= DSC notAfter),
 * schema, key usage. Nothing after the signature is trusted before the signature verifies; the
 * payload is still decoded for display when the signature fails, and marked invalid.
 */
#include <stdio.h>
#include <string.h>

#include "dcc/schema.h"
#include "dcc/steps.h"
#include "dcc/trust.h"
#include "util/alloc.h"
#include "util/error.h"

static const char *const reason_names[] = {
    "ok",
    "bad_prefix",
    "bad_base45",
    "bad_compression",
    "too_large",
    "bad_cbor",
    "bad_cose",
    "unsupported_alg",
    "bad_kid",
    "unknown_kid",
    "bad_signature",
    "bad_cwt",
    "not_yet_valid",
    "expired",
    "dsc_validity",
    "schema",
    "key_usage",
    "multiple_types",
};

const char *hb_dcc_reason_name(hb_dcc_reason reason)
{
    if ((size_t)reason >= sizeof reason_names / sizeof reason_names[0])
        return "unknown";
    return reason_names[reason];
}

void hb_dcc_result_dispose(hb_dcc_result *result)
{
    hb_free(result->payload_json);
    result->payload_json = NULL;
}

void hb_dcc_free(void *ptr)
{
    hb_free(ptr);
}

/* Record the verdict "invalid" with the message of the last error. */
static int invalid(hb_dcc_result *res, hb_dcc_reason reason)
{
    res->valid = 0;
    res->reason = reason;
    snprintf(res->message, sizeof res->message, "%s", hb_error_last());
    return 0;
}

static int check_times(hb_dcc_result *res, const hb_dcc_claims *c, const hb_dcc_dsc *dsc,
                       int64_t at)
{
    if (!c->has_iat || !c->has_exp)
        return hb_error_set(HB_EINVAL, "CWT: %s missing", c->has_iat ? "exp" : "iat"),
               invalid(res, HB_DCC_BAD_CWT);
    if (at < c->iat)
        return hb_error_set(HB_EINVAL, "not valid before its issue time (iat)"),
               invalid(res, HB_DCC_NOT_YET_VALID);
    if (at > c->exp)
        return hb_error_set(HB_EINVAL, "expired (exp)"), invalid(res, HB_DCC_EXPIRED);
    if (c->iat < dsc->not_before || c->exp > dsc->not_after)
        return hb_error_set(HB_EINVAL, "%s outside the signing certificate's validity period",
                            c->iat < dsc->not_before ? "issued (iat)" : "expiry (exp)"),
               invalid(res, HB_DCC_DSC_VALIDITY);
    return 1;
}

static unsigned usage_of(char type)
{
    return type == 'v'   ? HB_DCC_USE_VACCINATION
           : type == 't' ? HB_DCC_USE_TEST
                         : HB_DCC_USE_RECOVERY;
}

/* Claims, times, schema and key usage, after the signature verified with dsc. */
static int check_content(hb_dcc_result *res, const hb_dcc_claims *c, const hb_dcc_dsc *dsc,
                         int64_t at)
{
    int rc = check_times(res, c, dsc, at);
    if (rc <= 0)
        return rc;
    char type;
    if (hb_dcc__schema_validate(c->dcc, &type) < 0) {
        res->type = type;
        return invalid(res, strstr(hb_error_last(), "certificate groups") ? HB_DCC_MULTIPLE_TYPES
                                                                          : HB_DCC_SCHEMA);
    }
    res->type = type;
    if (!(dsc->usage & usage_of(type)))
        return hb_error_set(HB_EINVAL,
                            "the signing certificate may not sign %s certificates "
                            "(extended key usage)",
                            type == 'v'   ? "vaccination"
                            : type == 't' ? "test"
                                          : "recovery"),
               invalid(res, HB_DCC_KEY_USAGE);
    res->valid = 1;
    res->reason = HB_DCC_OK;
    snprintf(res->message, sizeof res->message, "valid");
    return 0;
}

/* Try every DSC with the message's kid; *signer gets the one that verified. */
static int check_signature(hb_dcc_result *res, const hb_dcc_trust *trust, const hb_cose_sign1 *msg,
                           const hb_dcc_dsc **signer)
{
    const hb_dcc_dsc *dscs;
    size_t n;
    hb_dcc_reason reason = HB_DCC_BAD_SIGNATURE;
    hb_dcc__trust_find(trust, msg->kid, &dscs, &n);
    if (n == 0)
        return hb_error_set(HB_EINVAL, "no trusted signing certificate has this kid"),
               invalid(res, HB_DCC_UNKNOWN_KID);
    for (size_t i = 0; i < n; i++) {
        int rc = hb_cose_verify(msg, &reason, dscs[i].key);
        if (rc == 0) {
            *signer = &dscs[i];
            snprintf(res->signer_jurisdiction, sizeof res->signer_jurisdiction, "%s",
                     dscs[i].jurisdiction);
            return 1;
        }
        if (rc != HB_EINVAL)
            return rc;
    }
    return invalid(res, reason);
}

/* alg and kid: present and acceptable before any key is looked up. */
static int check_headers(hb_dcc_result *res, const hb_cose_sign1 *msg)
{
    res->alg = msg->alg;
    if (msg->alg != HB_DCC_ALG_ES256 && msg->alg != HB_DCC_ALG_PS256)
        return hb_error_set(HB_EINVAL,
                            "COSE: algorithm %d is not supported (ES256 = -7, PS256 "
                            "= -37)",
                            msg->alg),
               invalid(res, HB_DCC_UNSUPPORTED_ALG);
    if (msg->kid_len != HB_DCC_KID_LEN)
        return hb_error_set(HB_EINVAL,
                            msg->kid_len ? "COSE: kid is %zu bytes, not 8"
                                         : "COSE: no kid in the headers",
                            msg->kid_len),
               invalid(res, HB_DCC_BAD_KID);
    memcpy(res->kid, msg->kid, HB_DCC_KID_LEN);
    res->has_kid = 1;
    return 1;
}

static int dump_to_buf(const char *text, size_t len, void *payload)
{
    return hb_buf_put(payload, text, len) < 0 ? -1 : 0;
}

static int fill_claims(hb_dcc_result *res, const hb_dcc_claims *c, unsigned flags)
{
    memcpy(res->issuer, c->iss, sizeof res->issuer);
    res->issued_at = c->has_iat ? c->iat : 0;
    res->expires_at = c->has_exp ? c->exp : 0;
    if (!(flags & HB_DCC_WANT_JSON) || !c->dcc)
        return 0;
    hb_buf out;
    hb_buf_init(&out, 0);
    if (json_dump_callback(c->dcc, dump_to_buf, &out,
                           JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) < 0) {
        hb_buf_dispose(&out);
        return hb_error_set(HB_ENOMEM, "out of memory");
    }
    res->payload_json = hb_buf_detach(&out);
    return res->payload_json ? 0 : HB_ENOMEM;
}

/* After decoding: COSE structure, headers, signature, then content. */
static int verify_cose(hb_dcc_result *res, const hb_dcc_trust *trust, const uint8_t *cose,
                       size_t len, int64_t at, unsigned flags)
{
    hb_cose_sign1 msg;
    hb_dcc_reason reason;
    const hb_dcc_dsc *signer = NULL;
    if (hb_cose_parse(&msg, &reason, cose, len) < 0)
        return invalid(res, reason);
    int rc = check_headers(res, &msg);
    if (rc <= 0)
        return rc;
    int sig = check_signature(res, trust, &msg, &signer);
    if (sig < 0)
        return sig;
    hb_dcc_claims claims;
    rc = hb_dcc__parse_claims(&claims, &reason, msg.payload, msg.payload_len);
    if ((rc == 0 || claims.dcc) && fill_claims(res, &claims, flags) < 0)
        rc = HB_ENOMEM; /* the only way rendering JSON fails */
    if (rc == HB_ENOMEM || sig == 0) {
        hb_dcc__claims_dispose(&claims);
        return rc == HB_ENOMEM ? rc : 0;
    }
    if (rc < 0)
        rc = invalid(res, reason);
    else
        rc = check_content(res, &claims, signer, at);
    hb_dcc__claims_dispose(&claims);
    return rc;
}

int hb_dcc_verify(hb_dcc_result *result, const hb_dcc_trust *trust, const char *text, size_t len,
                  int64_t at, unsigned flags)
{
    memset(result, 0, sizeof *result);
    if (!trust || (!text && len))
        return hb_error_set(HB_EINVAL, "hb_dcc_verify: trust list and text are required");
    uint8_t *cose;
    size_t cose_len;
    hb_dcc_reason reason;
    int rc = hb_dcc__decode(&cose, &cose_len, &reason, text, len);
    if (rc == HB_ENOMEM)
        return rc;
    if (rc < 0)
        return invalid(result, reason);
    rc = verify_cose(result, trust, cose, cose_len, at, flags);
    hb_free(cose);
    return rc;
}
