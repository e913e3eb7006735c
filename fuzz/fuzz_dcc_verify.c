/*
 * fuzz/fuzz_dcc_verify.c — libFuzzer target for the certificate verifier: any text must give a
 * verdict (valid or a reason), never a crash, a leak, undefined behaviour or unbounded memory.
 *
 * The input is used twice: as the scanned text ("HC1:…", reaching Base45 and zlib) and, wrapped
 * as "HC1:" + Base45(zlib(input)), as raw COSE bytes, so the fuzzer reaches the CBOR, COSE and
 * CWT parsers directly instead of having to invent valid zlib streams. The trust list holds one
 * fixed DSC (dgc-testdata common/CO3, ES256) so signature checking runs too; the clock is
 * inside CO3's validity, so the seed CO3 reaches every check after the signature.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "dcc/base45.h"
#include "healthybay/dcc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A P-256 DSC (PEM), copied from dgc-testdata common/2DCode/raw/CO3.json TESTCTX.CERTIFICATE. */
static const char dsc[] = "-----BEGIN CERTIFICATE-----\n"
                          "MIIBWDCB/6ADAgECAgRsvRZ/MAoGCCqGSM49BAMCMBAxDjAMBgNVBAMMBUVDLU1l\n"
                          "MB4XDTIxMDUwMzE4MDAwMFoXDTIxMDYwMjE4MDAwMFowEDEOMAwGA1UEAwwFRUMt\n"
                          "TWUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQRS4GeBpNxSbvnbLY56NvXZ26g\n"
                          "CJ2SwairBKQOuGqDTO3QMmyfNTH1sMg39aFDon51grJOyhKvEXXUaWD1LOLEo0cw\n"
                          "RTAOBgNVHQ8BAf8EBAMCBaAwMwYDVR0lBCwwKgYMKwYBBAEAjjePZQEBBgwrBgEE\n"
                          "AQCON49lAQIGDCsGAQQBAI43j2UBAzAKBggqhkjOPQQDAgNIADBFAiBjECR5mdD4\n"
                          "++CGQGlV51CEhXjneiMvvVybCYrCjfES4QIhAMNHse2P4I9AokcT9D8pLEDdbbbT\n"
                          "xjEvnjB/DFOb9Tho\n"
                          "-----END CERTIFICATE-----\n";

static hb_dcc_trust *trust;

static void verify(const char *text, size_t len)
{
    hb_dcc_result res;
    hb_dcc_verify(&res, trust, text, len, 1620100000, HB_DCC_WANT_JSON);
    hb_dcc_result_dispose(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!trust && (hb_dcc_trust_new(&trust) < 0 ||
                   hb_dcc_trust_add(trust, (const uint8_t *)dsc, sizeof dsc - 1, "XX") < 0))
        abort();
    verify((const char *)data, size);
    if (size > 2048)
        return 0;
    uLongf zlen = compressBound((uLong)size);
    uint8_t *z = malloc(zlen);
    char *text = malloc(4 + hb_base45_encoded_len(zlen) + 1);
    if (z && text && compress2(z, &zlen, data, (uLong)size, 6) == Z_OK) {
        memcpy(text, "HC1:", 4);
        hb_base45_encode(text + 4, z, zlen);
        verify(text, strlen(text));
    }
    free(z);
    free(text);
    return 0;
}
