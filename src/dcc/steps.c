/*
 * dcc/steps.c — prefix, inflate and CWT claims (see steps.h).
 */
#include "dcc/steps.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#include "dcc/base45.h"
#include "dcc/cbor.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

#define CLAIM_ISS       1
#define CLAIM_EXP       4
#define CLAIM_IAT       6
#define CLAIM_HCERT     (-260)
#define HCERT_EU_DCC_V1 1

int hb_dcc__unprefix(const char **b45, size_t *b45_len, const char *text, size_t len)
{
    if (len < 4 || memcmp(text, "HC1:", 4) != 0) {
        /* Name what was found: a future version (HC2:), another context (HL0:) or none. */
        if (len >= 4 && text[3] == ':')
            return hb_error_set(HB_EINVAL, "prefix '%.4s' is not supported (only HC1:)", text);
        return hb_error_set(HB_EINVAL, "no 'HC1:' prefix");
    }
    *b45 = text + 4;
    *b45_len = len - 4;
    return 0;
}

int hb_dcc__inflate(uint8_t *out, size_t *out_len, hb_dcc_reason *reason, const uint8_t *in,
                    size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return hb_error_set(HB_ENOMEM, "zlib: cannot initialise");
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    /* One byte more than the cap: filling it means the cap is exceeded. */
    z.avail_out = HB_DCC_INFLATED_MAX + 1;
    int zrc = inflate(&z, Z_FINISH), rc = 0;
    size_t produced = HB_DCC_INFLATED_MAX + 1 - z.avail_out;
    if (zrc == Z_STREAM_END && z.avail_in != 0) {
        *reason = HB_DCC_BAD_COMPRESSION;
        rc = hb_error_set(HB_EINVAL, "zlib: %u bytes after the end of the stream", z.avail_in);
    } else if (zrc != Z_STREAM_END && produced > HB_DCC_INFLATED_MAX) {
        *reason = HB_DCC_TOO_LARGE;
        rc = hb_error_set(HB_ELIMIT, "zlib: inflates to more than %d bytes (decompression bomb?)",
                          HB_DCC_INFLATED_MAX);
    } else if (zrc != Z_STREAM_END) {
        *reason = HB_DCC_BAD_COMPRESSION;
        rc = hb_error_set(HB_EINVAL, "zlib: %s",
                          z.msg                ? z.msg
                          : zrc == Z_BUF_ERROR ? "truncated stream"
                                               : "corrupt stream");
    }
    inflateEnd(&z);
    *out_len = produced;
    return rc;
}

int hb_dcc__decode(uint8_t **out, size_t *out_len, hb_dcc_reason *reason, const char *text,
                   size_t len)
{
    const char *b45;
    size_t b45_len, zlen;
    *out = NULL;
    if (len > HB_DCC_TEXT_MAX) {
        *reason = HB_DCC_TOO_LARGE;
        return hb_error_set(HB_ELIMIT, "%zu characters: longer than any QR code holds (%d)", len,
                            HB_DCC_TEXT_MAX);
    }
    if (hb_dcc__unprefix(&b45, &b45_len, text, len) < 0) {
        *reason = HB_DCC_BAD_PREFIX;
        return HB_EINVAL;
    }
    /* One allocation: the Base45-decoded bytes, then the inflated bytes. */
    size_t zmax = hb_base45_decoded_max(b45_len);
    uint8_t *mem = hb_malloc(zmax + HB_DCC_INFLATED_MAX + 1);
    if (!mem)
        return HB_ENOMEM;
    uint8_t *z = mem + HB_DCC_INFLATED_MAX + 1;
    int rc = hb_base45_decode(z, &zlen, b45, b45_len);
    if (rc < 0)
        *reason = HB_DCC_BAD_BASE45;
    else
        rc = hb_dcc__inflate(mem, out_len, reason, z, zlen);
    if (rc < 0) {
        hb_free(mem);
        return rc;
    }
    *out = mem;
    return 0;
}

void hb_dcc__claims_dispose(hb_dcc_claims *claims)
{
    json_decref(claims->dcc);
    claims->dcc = NULL;
}

/* The hcert claim's value: a map whose key 1 holds the EU DCC. */
static int read_hcert(hb_dcc_claims *out, hb_dcc_reason *reason, hb_cbor *r)
{
    hb_cbor_item map, key;
    int rc = hb_cbor_read(r, &map);
    if (rc < 0)
        return rc;
    if (map.major != HB_CBOR_MAP)
        return *reason = HB_DCC_BAD_CWT, hb_error_set(HB_EINVAL, "CWT: hcert (-260) is not a map");
    for (uint64_t i = 0; map.indefinite ? !hb_cbor_break(r) : i < map.arg; i++) {
        int64_t k;
        if ((rc = hb_cbor_read(r, &key)) < 0)
            return rc;
        if (hb_cbor_int(&key, &k) && k == HCERT_EU_DCC_V1 && !out->dcc) {
            if ((rc = hb_cbor_to_json(&out->dcc, r, 3)) < 0)
                return rc;
            continue;
        }
        if ((rc = hb_cbor_skip(r, &key, 2)) < 0 || (rc = hb_cbor_skip_next(r, 2)) < 0)
            return rc;
    }
    return 0;
}

/* NumericDate (RFC 8392): an integer, or a float as some issuers (ES, FR, HU) write it. */
static int read_time(int64_t *out, bool *has, hb_dcc_reason *reason, hb_cbor *r, const char *name)
{
    hb_cbor_item item;
    int rc = hb_cbor_read(r, &item);
    if (rc < 0)
        return rc;
    if (!hb_cbor_int(&item, out)) {
        if (!item.is_float || !(item.real > -1e15 && item.real < 1e15)) {
            *reason = HB_DCC_BAD_CWT;
            return hb_error_set(HB_EINVAL, "CWT: %s is not a time (seconds since 1970)", name);
        }
        *out = (int64_t)floor(item.real);
    }
    *has = true;
    return 0;
}

static int read_claim(hb_dcc_claims *out, hb_dcc_reason *reason, hb_cbor *r, int64_t label)
{
    hb_cbor_item item;
    int rc;
    switch (label) {
    case CLAIM_ISS:
        if ((rc = hb_cbor_read(r, &item)) < 0)
            return rc;
        if (item.major != HB_CBOR_TEXT)
            return *reason = HB_DCC_BAD_CWT, hb_error_set(HB_EINVAL, "CWT: iss is not text");
        /* A country code in principle; some issuers write names (GE): keep what fits. */
        size_t n = item.arg < sizeof out->iss ? (size_t)item.arg : sizeof out->iss - 1;
        memcpy(out->iss, item.ptr, n);
        out->iss[n] = '\0';
        return 0;
    case CLAIM_EXP:
        return read_time(&out->exp, &out->has_exp, reason, r, "exp");
    case CLAIM_IAT:
        return read_time(&out->iat, &out->has_iat, reason, r, "iat");
    case CLAIM_HCERT:
        return read_hcert(out, reason, r);
    default:
        return hb_cbor_skip_next(r, 1);
    }
}

int hb_dcc__parse_claims(hb_dcc_claims *out, hb_dcc_reason *reason, const uint8_t *payload,
                         size_t len)
{
    hb_cbor r;
    hb_cbor_item map, key;
    memset(out, 0, sizeof *out);
    *reason = HB_DCC_BAD_CBOR;
    hb_cbor_init(&r, payload, len);
    int rc = hb_cbor_read(&r, &map);
    if (rc < 0)
        return rc;
    if (map.major != HB_CBOR_MAP)
        return *reason = HB_DCC_BAD_CWT, hb_error_set(HB_EINVAL, "CWT: payload is not a map");
    for (uint64_t i = 0; map.indefinite ? !hb_cbor_break(&r) : i < map.arg; i++) {
        int64_t label;
        if ((rc = hb_cbor_read(&r, &key)) < 0)
            return rc;
        if (!hb_cbor_int(&key, &label)) {
            if ((rc = hb_cbor_skip(&r, &key, 1)) < 0 || (rc = hb_cbor_skip_next(&r, 1)) < 0)
                return rc;
            continue;
        }
        if ((rc = read_claim(out, reason, &r, label)) < 0)
            return rc;
    }
    if (hb_cbor_offset(&r) != len)
        return hb_error_set(HB_EINVAL, "CBOR: %zu bytes after the CWT claims",
                            len - hb_cbor_offset(&r));
    *reason = HB_DCC_BAD_CWT;
    if (!out->dcc)
        return hb_error_set(HB_EINVAL, "CWT: no EU DCC (claim -260, key 1)");
    return 0;
}
