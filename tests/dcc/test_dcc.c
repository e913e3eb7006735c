/* Tests for src/dcc: Base45, CBOR, issue → verify round trips, and every kind of bad input
 * rejected with its own reason. The dgc-testdata vectors run separately (vector.c). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "dcc/base45.h"
#include "dcc/cbor.h"
#include "dcc/keys.h"
#include "dcc/steps.h"
#include "harness.h"
#include "healthybay/dcc.h"
#include "util/buf.h"
#include "util/limits.h"

#define T2021 1629417600 /* 2021-08-20T00:00:00Z */
#define DAY   86400

static const char dcc_json[] =
    "{\"ver\":\"1.3.0\",\"nam\":{\"fn\":\"Chan\",\"fnt\":\"CHAN\",\"gn\":\"Tai Man\","
    "\"gnt\":\"TAI<MAN\"},\"dob\":\"1980-01-02\",\"v\":[{\"tg\":\"840539006\","
    "\"vp\":\"J07BX03\",\"mp\":\"CoronaVac\",\"ma\":\"Sinovac-Biotech\",\"dn\":2,\"sd\":2,"
    "\"dt\":\"2021-06-01\",\"co\":\"CN\",\"is\":\"Health Commission of Guangdong Province\","
    "\"ci\":\"URN:UVCI:01:CN:GD0000000001#K\"}]}";

TEST(dcc__base45_rfc9285_examples)
{
    static const struct {
        const char *bytes, *text;
    } cases[] = { { "AB", "BB8" },
                  { "Hello!!", "%69 VD92EX0" },
                  { "base-45", "UJCLQE7W581" },
                  { "ietf!", "QED8WEX0" },
                  { "", "" } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].bytes), got;
        char enc[32];
        uint8_t dec[32];
        hb_base45_encode(enc, (const uint8_t *)cases[i].bytes, n);
        CHECK_STR_EQ(enc, cases[i].text);
        CHECK_OK(hb_base45_decode(dec, &got, cases[i].text, strlen(cases[i].text)));
        CHECK_INT_EQ(got, n);
        CHECK(memcmp(dec, cases[i].bytes, n) == 0);
    }
}

TEST(dcc__base45_rejects_bad_text)
{
    uint8_t out[16];
    size_t n;
    CHECK_FAILS(hb_base45_decode(out, &n, "BB8B", 4), HB_EINVAL, "1 modulo 3");
    CHECK_FAILS(hb_base45_decode(out, &n, "BB\x01", 3), HB_EINVAL, "character 3");
    CHECK_FAILS(hb_base45_decode(out, &n, "bb8", 3), HB_EINVAL, "not in the Base45 alphabet");
    CHECK_FAILS(hb_base45_decode(out, &n, ":::", 3), HB_EINVAL, "more than 0xFFFF");
    CHECK_FAILS(hb_base45_decode(out, &n, "::", 2), HB_EINVAL, "more than 0xFF");
}

TEST(dcc__cbor_json_round_trip_is_deterministic)
{
    json_t *in = json_loads(dcc_json, 0, NULL);
    CHECK(in != NULL);
    hb_buf a, b;
    hb_buf_init(&a, 0);
    hb_buf_init(&b, 0);
    CHECK_OK(hb_cbor_from_json(&a, in, 0));
    hb_cbor r;
    hb_cbor_init(&r, (const uint8_t *)a.ptr, a.len);
    json_t *out;
    CHECK_OK(hb_cbor_to_json(&out, &r, 0));
    CHECK_INT_EQ(hb_cbor_offset(&r), a.len);
    CHECK(json_equal(in, out));
    CHECK_OK(hb_cbor_from_json(&b, out, 0));
    CHECK_INT_EQ(a.len, b.len);
    CHECK(memcmp(a.ptr, b.ptr, a.len) == 0);
    /* Keys sorted by encoded form: the 2-byte keys come before "ver"/"dob"/"nam" (3 bytes). */
    CHECK(memcmp(a.ptr, "\xa4\x61v", 3) == 0);
    json_decref(in);
    json_decref(out);
    hb_buf_dispose(&a);
    hb_buf_dispose(&b);
}

TEST(dcc__cbor_rejects_malformed_and_deep_input)
{
    json_t *j;
    hb_cbor r;
    uint8_t deep[64];
    memset(deep, 0x81, sizeof deep); /* [[[[… 64 levels */
    hb_cbor_init(&r, deep, sizeof deep);
    CHECK_FAILS(hb_cbor_to_json(&j, &r, 0), HB_EINVAL, "nested deeper than the limit");
    hb_cbor_init(&r, deep, sizeof deep);
    CHECK_FAILS(hb_cbor_skip_next(&r, 0), HB_EINVAL, "nested deeper than the limit");
    static const uint8_t truncated[] = { 0x78, 0x10, 'a' }; /* text of 16, 1 byte present */
    hb_cbor_init(&r, truncated, sizeof truncated);
    CHECK_FAILS(hb_cbor_to_json(&j, &r, 0), HB_EINVAL, "string longer than the data left");
    static const uint8_t huge_array[] = { 0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    hb_cbor_init(&r, huge_array, sizeof huge_array);
    CHECK_FAILS(hb_cbor_to_json(&j, &r, 0), HB_EINVAL, "more elements announced");
    static const uint8_t chunked[] = { 0x7f, 0x61, 'a', 0xff };
    hb_cbor_init(&r, chunked, sizeof chunked);
    CHECK_FAILS(hb_cbor_to_json(&j, &r, 0), HB_EINVAL, "indefinite-length strings");
    static const uint8_t reserved[] = { 0x1c };
    hb_cbor_init(&r, reserved, sizeof reserved);
    CHECK_FAILS(hb_cbor_to_json(&j, &r, 0), HB_EINVAL, "reserved");
    static const uint8_t bad_utf8[] = { 0x62, 0xc3, 0x28 };
    hb_cbor_init(&r, bad_utf8, sizeof bad_utf8);
    CHECK_FAILS(hb_cbor_to_json(&j, &r, 0), HB_EINVAL, "UTF-8");
    static const uint8_t int_key[] = { 0xa1, 0x01, 0x02 };
    hb_cbor_init(&r, int_key, sizeof int_key);
    CHECK_FAILS(hb_cbor_to_json(&j, &r, 0), HB_EINVAL, "not a text string");
}

/* A fresh GD signer (keys in the test's scratch directory) and a trust list holding its DSC. */
typedef struct fixture {
    hb_dcc_signer *signer;
    hb_dcc_trust *trust;
    char dir[512];
} fixture;

static void setup(fixture *f, int64_t not_before, int days)
{
    snprintf(f->dir, sizeof f->dir, "%s", hb_test_path("keys"));
    CHECK(mkdir(f->dir, 0700) == 0);
    hb_dcc_keygen spec = { f->dir, "CN", "Health Commission of Guangdong Province", not_before,
                           days };
    CHECK_OK(hb_dcc_keys_generate(&spec));
    char key[600], cert[600];
    snprintf(key, sizeof key, "%s/dsc.key", f->dir);
    snprintf(cert, sizeof cert, "%s/dsc.pem", f->dir);
    struct stat st;
    CHECK(stat(key, &st) == 0);
    CHECK_INT_EQ(st.st_mode & 0777, 0600); /* private keys readable by their owner only */
    CHECK(chmod(key, 0640) == 0);
    CHECK_FAILS(hb_dcc_signer_load(&f->signer, key, cert), HB_EPERM, "chmod 600");
    CHECK(chmod(key, 0600) == 0);
    CHECK_OK(hb_dcc_signer_load(&f->signer, key, cert));
    CHECK_OK(hb_dcc_trust_new(&f->trust));
    size_t len;
    char *pem = hb_test_read_file(cert, &len);
    CHECK_OK(hb_dcc_trust_add(f->trust, (const uint8_t *)pem, len, "GD"));
    CHECK_FAILS(hb_dcc_trust_add(f->trust, (const uint8_t *)pem, len, "GD"), HB_ECONFLICT, NULL);
    free(pem);
}

static void teardown(fixture *f)
{
    hb_dcc_signer_free(f->signer);
    hb_dcc_trust_free(f->trust);
}

static void expect(const fixture *f, const char *text, int64_t at, hb_dcc_reason reason,
                   const char *needle)
{
    hb_dcc_result res;
    CHECK_OK(hb_dcc_verify(&res, f->trust, text, strlen(text), at, HB_DCC_WANT_JSON));
    CHECK_MSG(res.reason == reason, "reason %s (%s), expected %s", hb_dcc_reason_name(res.reason),
              res.message, hb_dcc_reason_name(reason));
    CHECK_INT_EQ(res.valid, reason == HB_DCC_OK);
    if (needle)
        CHECK_CONTAINS(res.message, needle);
    hb_dcc_result_dispose(&res);
}

TEST(dcc__issue_then_verify)
{
    fixture f;
    setup(&f, T2021 - 30 * DAY, 365);
    char *hc1;
    CHECK_OK(hb_dcc_issue(&hc1, f.signer, dcc_json, "CN", T2021, T2021 + 180 * DAY));
    CHECK(strncmp(hc1, "HC1:", 4) == 0);
    hb_dcc_result res;
    CHECK_OK(hb_dcc_verify(&res, f.trust, hc1, strlen(hc1), T2021 + DAY, HB_DCC_WANT_JSON));
    CHECK_MSG(res.valid, "%s: %s", hb_dcc_reason_name(res.reason), res.message);
    CHECK_INT_EQ(res.alg, HB_DCC_ALG_ES256);
    CHECK_INT_EQ(res.type, 'v');
    CHECK_STR_EQ(res.issuer, "CN");
    CHECK_STR_EQ(res.signer_jurisdiction, "GD");
    CHECK_INT_EQ(res.issued_at, T2021);
    json_t *a = json_loads(res.payload_json, 0, NULL), *b = json_loads(dcc_json, 0, NULL);
    CHECK(a && b && json_equal(a, b));
    json_decref(a);
    json_decref(b);
    hb_dcc_result_dispose(&res);
    expect(&f, hc1, T2021 - 1, HB_DCC_NOT_YET_VALID, "iat");
    expect(&f, hc1, T2021 + 181 * DAY, HB_DCC_EXPIRED, "exp");
    hb_dcc_free(hc1);
    teardown(&f);
}

TEST(dcc__issuer_refuses_what_a_verifier_would_refuse)
{
    fixture f;
    setup(&f, T2021, 30);
    char *hc1 = NULL;
    CHECK_FAILS(hb_dcc_issue(&hc1, f.signer, "{\"ver\":\"1.3.0\"}", "CN", T2021, T2021 + DAY),
                HB_EINVAL, "DCC payload");
    CHECK_FAILS(hb_dcc_issue(&hc1, f.signer, dcc_json, "CN", T2021, T2021 + 60 * DAY), HB_EINVAL,
                "validity");
    CHECK_FAILS(hb_dcc_issue(&hc1, f.signer,
                             "{\"ver\":\"1.3.0\",\"nam\":{\"fnt\":\"A\"},"
                             "\"dob\":\"\",\"t\":[{\"tg\":\"840539006\",\"tt\":"
                             "\"LP6464-4\",\"sc\":\"2021-08-20T00:00:00Z\","
                             "\"tr\":\"260415000\",\"co\":\"CN\",\"is\":\"x\","
                             "\"ci\":\"x\"}]}",
                             "CN", T2021, T2021 + DAY),
                HB_EPERM, "extended key usage");
    CHECK(hc1 == NULL);
    teardown(&f);
}

/* COSE bytes → "HC1:" text, as an issuer would wrap them (compress = 0 leaves them raw). */
static char *wrap(const uint8_t *cose, size_t len, int compress)
{
    uLongf zlen = compressBound((uLong)len);
    uint8_t *z = malloc(zlen);
    if (compress)
        CHECK(compress2(z, &zlen, cose, (uLong)len, 9) == Z_OK);
    else {
        memcpy(z, cose, len);
        zlen = len;
    }
    char *text = malloc(4 + hb_base45_encoded_len(zlen) + 1);
    memcpy(text, "HC1:", 4);
    hb_base45_encode(text + 4, z, zlen);
    free(z);
    return text;
}

/* A COSE_Sign1 with the given protected alg (0 = none) and kid, and an unprotected header
 * holding `nesting` levels of arrays; the signature is 64 zero bytes. */
static char *craft(int alg, const uint8_t *kid, size_t kid_len, int nesting)
{
    hb_buf prot, cose;
    hb_buf_init(&prot, 0);
    hb_buf_init(&cose, 0);
    CHECK_OK(hb_cbor_put_head(&prot, HB_CBOR_MAP, (uint64_t)((alg != 0) + (kid != NULL))));
    if (alg) {
        CHECK_OK(hb_cbor_put_int(&prot, 1));
        CHECK_OK(hb_cbor_put_int(&prot, alg));
    }
    if (kid) {
        CHECK_OK(hb_cbor_put_int(&prot, 4));
        CHECK_OK(hb_cbor_put_bytes(&prot, kid, kid_len));
    }
    CHECK_OK(hb_buf_put(&cose, "\xd2\x84", 2));
    CHECK_OK(hb_cbor_put_bytes(&cose, prot.ptr, prot.len));
    CHECK_OK(hb_cbor_put_head(&cose, HB_CBOR_MAP, nesting ? 1 : 0));
    if (nesting) {
        CHECK_OK(hb_cbor_put_int(&cose, 99));
        for (int i = 0; i < nesting; i++)
            CHECK_OK(hb_cbor_put_head(&cose, HB_CBOR_ARRAY, (uint64_t)(i + 1 < nesting)));
    }
    CHECK_OK(hb_cbor_put_bytes(&cose, "\xa0", 1));
    uint8_t sig[64] = { 0 };
    CHECK_OK(hb_cbor_put_bytes(&cose, sig, sizeof sig));
    char *text = wrap((const uint8_t *)cose.ptr, cose.len, 1);
    hb_buf_dispose(&prot);
    hb_buf_dispose(&cose);
    return text;
}

TEST(dcc__bad_input_rejected_with_its_reason)
{
    fixture f;
    setup(&f, T2021 - 30 * DAY, 365);
    char *good;
    CHECK_OK(hb_dcc_issue(&good, f.signer, dcc_json, "CN", T2021, T2021 + 180 * DAY));
    size_t len = strlen(good);
    char *t = malloc(len + 1);

    memcpy(t, good, len + 1);
    t[2] = '2'; /* HC2: a future version */
    expect(&f, t, T2021, HB_DCC_BAD_PREFIX, "'HC2:' is not supported");
    expect(&f, good + 4, T2021, HB_DCC_BAD_PREFIX, "no 'HC1:' prefix");
    t[2] = '1';
    t[10] = 'a'; /* lowercase is outside Base45 */
    expect(&f, t, T2021, HB_DCC_BAD_BASE45, "character 7");
    t[10] = good[10];
    t[len - ((len - 4) % 3 == 0 ? 2 : 1)] = '\0'; /* truncated to a length of 1 modulo 3 */
    expect(&f, t, T2021, HB_DCC_BAD_BASE45, "truncated");
    memcpy(t, good, len + 1);
    t[4 + ((len - 4) / 3 - 4) * 3] = '\0'; /* cut at a triple boundary: a cut zlib stream */
    expect(&f, t, T2021, HB_DCC_BAD_COMPRESSION, "zlib");
    free(t);

    size_t bomb_len = 1 << 20;
    uint8_t *zeros = calloc(bomb_len, 1);
    char *bomb = wrap(zeros, bomb_len, 1);
    CHECK(strlen(bomb) < HB_DCC_TEXT_MAX); /* small enough to be scanned, huge inflated */
    expect(&f, bomb, T2021, HB_DCC_TOO_LARGE, "decompression bomb");
    free(bomb);
    char *raw = wrap(zeros, 64, 0);
    expect(&f, raw, T2021, HB_DCC_BAD_COMPRESSION, "zlib");
    free(raw);
    char *huge = calloc(HB_DCC_TEXT_MAX + 10, 1);
    memcpy(huge, "HC1:", 4);
    memset(huge + 4, '0', HB_DCC_TEXT_MAX + 2);
    expect(&f, huge, T2021, HB_DCC_TOO_LARGE, "longer than any QR code");
    free(huge);
    free(zeros);
    hb_dcc_free(good);
    teardown(&f);
}

TEST(dcc__bad_cose_rejected_with_its_reason)
{
    fixture f;
    setup(&f, T2021 - 30 * DAY, 365);
    static const uint8_t kid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    char *t;
    static const uint8_t not_cbor[] = { 0x1c };
    expect(&f, t = wrap(not_cbor, 1, 1), T2021, HB_DCC_BAD_CBOR, "reserved"), free(t);
    static const uint8_t not_cose[] = { 0x83, 0x01, 0x02, 0x03 };
    expect(&f, t = wrap(not_cose, 4, 1), T2021, HB_DCC_BAD_COSE, "array of 4"), free(t);
    expect(&f, t = craft(-7, kid, 8, 40), T2021, HB_DCC_BAD_CBOR, "nested deeper"), free(t);
    expect(&f, t = craft(-35, kid, 8, 0), T2021, HB_DCC_UNSUPPORTED_ALG, "-35"), free(t);
    expect(&f, t = craft(0, kid, 8, 0), T2021, HB_DCC_UNSUPPORTED_ALG, NULL), free(t);
    expect(&f, t = craft(-7, kid, 5, 0), T2021, HB_DCC_BAD_KID, "5 bytes"), free(t);
    expect(&f, t = craft(-7, NULL, 0, 0), T2021, HB_DCC_BAD_KID, "no kid"), free(t);
    expect(&f, t = craft(-7, kid, 8, 0), T2021, HB_DCC_UNKNOWN_KID, NULL), free(t);
    /* A real certificate with one bit of its signature flipped. */
    char *good;
    CHECK_OK(hb_dcc_issue(&good, f.signer, dcc_json, "CN", T2021, T2021 + 180 * DAY));
    uint8_t *cose;
    size_t n;
    hb_dcc_reason reason;
    CHECK_OK(hb_dcc__decode(&cose, &n, &reason, good, strlen(good)));
    cose[n - 1] ^= 1;
    expect(&f, t = wrap(cose, n, 1), T2021, HB_DCC_BAD_SIGNATURE, "does not verify"), free(t);
    cose[n - 1] ^= 1;
    uint8_t *longer = malloc(n + 1);
    memcpy(longer, cose, n);
    longer[n] = 0;
    expect(&f, t = wrap(longer, n + 1, 1), T2021, HB_DCC_BAD_CBOR, "after the COSE_Sign1"), free(t);
    free(longer);
    hb_dcc_free(cose);
    hb_dcc_free(good);
    teardown(&f);
}

TEST(dcc__qr_png_and_svg)
{
    static const char text[] =
        "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IUKRG*I.I5BROCWAAT4V22F/8X*G3M9JUPY0BX/KR96R/"
        "S09T./0LWTKD33236J3TA3M*4VV2 "
        "73-E3GG396B-43O058YIB73A*G3W19UEBY5:PI0EGSP4*2DN43U*0CEBQ/GXQFY73CIBC:G 7376BXBJBAJ "
        "UNFMJCRN0H3PQN*E33H3OA70M3FMJIJN523.K5QZ4A+2XEN QT "
        "QTHC31M3+E32R44$28A9H0D3ZCL4JMYAZ+S-A5$XKX6T2YC "
        "35H/ITX8GL2-LH/CJTK96L6SR9MU9RFGJA6Q3QR$P2OIC0JVLA8J3ET3:H3A+2+33U "
        "SAAUOT3TPTO4UBZIC0JKQTL*QDKBO.AI9BVYTOCFOPS4IJCOT0$89NT2V457U8+9W2KQ-7LF9-DF07U$"
        "B97JJ1D7WKP/HLIJLRKF1MFHJP7NVDEBU1J*Z222E.GJF67Z JA6B.38O4BH*HB0EGLE2%V "
        "-3O+J3.PI2G:M1SSP2Y3D38-G9C+Q0JG4X6UGH.N1VWR0F3EP0+ 1/S0A0L33D4JD9W05U28 "
        "C1KP2X8W$C6P1BN21$4+QC65I3VKN.7V/VSUE$/SBOF";
    uint8_t *png;
    size_t png_len;
    CHECK_OK(hb_dcc_qr_png(&png, &png_len, text, 4));
    CHECK(png_len > 100);
    CHECK(memcmp(png, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) == 0);
    /* Width = (modules + 8 quiet) × 4: a QR symbol is 21 + 4k modules wide. */
    uint32_t w =
        (uint32_t)png[16] << 24 | (uint32_t)png[17] << 16 | (uint32_t)png[18] << 8 | png[19];
    CHECK_INT_EQ(w % 4, 0);
    CHECK_INT_EQ((w / 4 - 8 - 21) % 4, 0);
    /* The IDAT inflates to exactly w rows of 1 + w bytes. */
    uint32_t idat_len =
        (uint32_t)png[33] << 24 | (uint32_t)png[34] << 16 | (uint32_t)png[35] << 8 | png[36];
    CHECK(memcmp(png + 37, "IDAT", 4) == 0);
    uLongf raw_len = (uLongf)(w + 1) * w + 16;
    uint8_t *raw = malloc(raw_len);
    CHECK(uncompress(raw, &raw_len, png + 41, idat_len) == Z_OK);
    CHECK_INT_EQ(raw_len, (uLongf)(w + 1) * w);
    CHECK_INT_EQ(raw[1], 255); /* quiet zone is white */
    free(raw);
    /* Every chunk's CRC-32 (over type and data) is right, and IEND ends the file. */
    size_t at = 8, chunks = 0;
    while (at + 12 <= png_len) {
        uint32_t n = (uint32_t)png[at] << 24 | (uint32_t)png[at + 1] << 16 |
                     (uint32_t)png[at + 2] << 8 | png[at + 3];
        const uint8_t *c = png + at + 8 + n;
        uint32_t stored = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
        CHECK_INT_EQ(stored, crc32(0, png + at + 4, n + 4));
        chunks++;
        at += 12 + n;
    }
    CHECK_INT_EQ(at, png_len);
    CHECK_INT_EQ(chunks, 3);
    CHECK(memcmp(png + png_len - 8, "IEND\xae\x42\x60\x82", 8) == 0);
    hb_dcc_free(png);
    char *svg;
    size_t svg_len;
    CHECK_OK(hb_dcc_qr_svg(&svg, &svg_len, text));
    CHECK_CONTAINS(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    CHECK_CONTAINS(svg, "h1v1h-1z");
    CHECK_INT_EQ(strlen(svg), svg_len);
    hb_dcc_free(svg);
    char *too_long = calloc(8000, 1);
    memset(too_long, 'A', 7999);
    CHECK_FAILS(hb_dcc_qr_png(&png, &png_len, too_long, 4), HB_ELIMIT, "does not fit");
    free(too_long);
}
