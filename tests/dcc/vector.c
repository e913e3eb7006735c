/*
 * tests/dcc/vector.c — run one dgc-testdata vector (…/2DCode/raw/NAME.json) through the codec,
 * step by step, and compare each step with the vector's EXPECTEDRESULTS.
 *
 * Usage: dcc_vector VECTOR.json KNOWN_ISSUES.csv COUNTRY NAME   (as known_issues.csv names them)
 *
 * Each flag is checked as the dgc-testdata README defines it ("true: the step succeeds, false:
 * it fails, absent: not tested"). Where a step's input field is absent, it is derived from PREFIX
 * by our own decoder rather than skipped, which tests more than the reference harness does. A
 * disagreement listed in known_issues.csv (test name ↔ flag below, country, file) is reported
 * with its reason and does not fail; every other disagreement fails. Exit 0 = agreement.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dcc/base45.h"
#include "dcc/cbor.h"
#include "dcc/schema.h"
#include "dcc/steps.h"
#include "dcc/trust.h"
#include "util/clock.h"
#include "util/limits.h"

typedef struct bytes {
    uint8_t *p;
    size_t n;
} bytes;

typedef struct vector {
    json_t *root;
    const char *country, *name;
    bytes cose, compressed, cert;
    int have_cose;
    hb_dcc_trust *trust;
    int64_t clock;
    char cert_error[256]; /* why CERTIFICATE could not be trusted ("" when it could) */
    const char *known;    /* known_issues.csv contents */
    int failures;
} vector;

static bytes hex(const char *s)
{
    bytes b = { NULL, 0 };
    size_t len = s ? strlen(s) : 0;
    if (!s || len % 2)
        return b;
    b.p = calloc(len / 2 + 1, 1);
    for (size_t i = 0; i < len / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) {
            free(b.p);
            b.p = NULL;
            return b;
        }
        b.p[i] = (uint8_t)v;
    }
    b.n = len / 2;
    return b;
}

static bytes base64(const char *s)
{
    bytes b = { NULL, 0 };
    size_t len = s ? strlen(s) : 0;
    if (!len)
        return b;
    b.p = calloc(len, 1);
    int n = EVP_DecodeBlock(b.p, (const unsigned char *)s, (int)len);
    if (n < 0) {
        free(b.p);
        b.p = NULL;
        return b;
    }
    while (len && s[len - 1] == '=') {
        len--;
        n--;
    }
    b.n = (size_t)n;
    return b;
}

static const char *field(const vector *v, const char *name)
{
    return json_string_value(json_object_get(v->root, name));
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = calloc((size_t)n + 1, 1);
    if (fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

/* The known_issues.csv test names of the reference harness, mapped to our flags. */
static const char *harness_test(const char *flag)
{
    static const char *const map[][2] = {
        { "SCHEMAVALIDATION", "test_cose_schema" },
        { "DECODE", "test_cose_json" },
        /* The JSON field is the same payload: its schema issues are the payload's. */
        { "VALIDOBJECT", "test_cose_schema" },
        { "VALIDJSON", "test_cbor_json" },
        { "VERIFY", "test_verification_check" },
        { "EXPIRATIONCHECK", "test_expiration_check" },
        { "KEYUSAGE", "test_expected_key_usage" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], flag) == 0)
            return map[i][1];
    return "";
}

/* The reason of a known issue for this flag and vector, or NULL. */
static const char *known_issue(const vector *v, const char *flag, char *reason, size_t size)
{
    const char *test = harness_test(flag);
    char a[160], b[160];
    snprintf(a, sizeof a, "\n%s,%s,%s,", test, v->country, v->name);
    snprintf(b, sizeof b, "\n%s,%s,,", test, v->country);
    const char *hit = strstr(v->known, a);
    size_t skip = strlen(a);
    if (!hit) {
        hit = strstr(v->known, b);
        skip = strlen(b);
    }
    if (!hit || !*test)
        return NULL;
    const char *end = strchr(hit + skip, '\n');
    snprintf(reason, size, "%.*s", (int)(end ? (size_t)(end - hit) - skip : strlen(hit + skip)),
             hit + skip);
    return reason;
}

static void report(vector *v, const char *flag, int got, const char *detail)
{
    char key[64], reason[256];
    snprintf(key, sizeof key, "EXPECTED%s", flag);
    json_t *want = json_object_get(json_object_get(v->root, "EXPECTEDRESULTS"), key);
    if (!json_is_boolean(want))
        return;
    int expected = json_is_true(want);
    if (got < 0) {
        printf("  %-17s expected %-5s  not checked: %s\n", flag, expected ? "true" : "false",
               detail);
        return;
    }
    const char *known = known_issue(v, flag, reason, sizeof reason);
    if (got == expected) {
        printf("  %-17s expected %-5s  agrees%s%s\n", flag, expected ? "true" : "false",
               detail && *detail ? " — " : "", detail ? detail : "");
        if (known)
            printf("  %-17s (listed as a known issue, but agrees: %s)\n", "", known);
    } else if (known) {
        printf("  %-17s expected %-5s  got %-5s KNOWN ISSUE %s — %s\n", flag,
               expected ? "true" : "false", got ? "true" : "false", known, detail ? detail : "");
    } else {
        printf("  %-17s expected %-5s  got %-5s DISAGREES — %s\n", flag,
               expected ? "true" : "false", got ? "true" : "false", detail ? detail : "");
        v->failures++;
    }
}

static int same_bytes(bytes a, const uint8_t *p, size_t n)
{
    return a.p && a.n == n && memcmp(a.p, p, n) == 0;
}

static void check_unprefix(vector *v)
{
    const char *prefix = field(v, "PREFIX"), *b45 = field(v, "BASE45"), *rest;
    size_t len;
    if (!prefix || !b45)
        return report(v, "UNPREFIX", -1, "no PREFIX or BASE45");
    int ok = hb_dcc__unprefix(&rest, &len, prefix, strlen(prefix)) == 0 && len == strlen(b45) &&
             memcmp(rest, b45, len) == 0;
    report(v, "UNPREFIX", ok, ok ? "" : hb_error_last());
}

static void check_b45(vector *v)
{
    const char *b45 = field(v, "BASE45");
    if (!b45)
        return report(v, "B45DECODE", -1, "no BASE45");
    uint8_t *out = malloc(hb_base45_decoded_max(strlen(b45)) + 1);
    size_t n = 0;
    /* Without COMPRESSED to compare with, the decoding itself must succeed or fail. */
    int ok = hb_base45_decode(out, &n, b45, strlen(b45)) == 0 &&
             (!v->compressed.p || same_bytes(v->compressed, out, n));
    report(v, "B45DECODE", ok, ok ? "" : hb_error_last());
    free(out);
}

/* COMPRESSION: COMPRESSED inflates to COSE. Without COMPRESSED, the zlib stream inside PREFIX
 * must inflate (or not, as expected); without COSE, only the inflating is judged. */
static void check_compression(vector *v)
{
    const char *prefix = field(v, "PREFIX"), *b45;
    bytes z = v->compressed;
    size_t b45_len, n = 0;
    uint8_t *from_prefix = NULL;
    if (!z.p && prefix && hb_dcc__unprefix(&b45, &b45_len, prefix, strlen(prefix)) == 0) {
        from_prefix = malloc(hb_base45_decoded_max(b45_len) + 1);
        if (hb_base45_decode(from_prefix, &z.n, b45, b45_len) == 0)
            z.p = from_prefix;
    }
    if (!z.p) {
        free(from_prefix);
        return report(v, "COMPRESSION", -1, "no COMPRESSED, nor a decodable PREFIX");
    }
    uint8_t *out = malloc(HB_DCC_INFLATED_MAX + 1);
    hb_dcc_reason reason;
    int ok = hb_dcc__inflate(out, &n, &reason, z.p, z.n) == 0 &&
             (!v->have_cose || same_bytes(v->cose, out, n));
    report(v, "COMPRESSION", ok, ok ? "" : hb_error_last());
    free(out);
    free(from_prefix);
}

/* JSON equality as the reference harness judges it: maps unordered, and two strings that are
 * the same instant in different RFC 3339 spellings ("…Z" and "…+00:00") equal. */
static int same_json(const json_t *a, const json_t *b)
{
    if (json_is_string(a) && json_is_string(b)) {
        int64_t ta, tb;
        const char *sa = json_string_value(a), *sb = json_string_value(b);
        if (strcmp(sa, sb) == 0)
            return 1;
        return hb_time_parse(&ta, sa, strlen(sa)) == 0 && hb_time_parse(&tb, sb, strlen(sb)) == 0 &&
               ta == tb;
    }
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        json_t *value;
        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_foreach((json_t *)a, key,
                            value) if (!same_json(value, json_object_get(b, key))) return 0;
        return 1;
    }
    if (json_is_array(a) && json_is_array(b)) {
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same_json(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        return 1;
    }
    return a && b && json_equal(a, b);
}

/* The DCC inside a COSE_Sign1, or NULL (message in hb_error_last()). */
static json_t *dcc_of(const uint8_t *cose, size_t len, hb_dcc_claims *claims)
{
    hb_cose_sign1 msg;
    hb_dcc_reason reason;
    memset(claims, 0, sizeof *claims);
    if (hb_cose_parse(&msg, &reason, cose, len) < 0 ||
        hb_dcc__parse_claims(claims, &reason, msg.payload, msg.payload_len) < 0)
        return NULL;
    return claims->dcc;
}

static void check_decode(vector *v)
{
    json_t *want = json_object_get(v->root, "JSON");
    hb_dcc_claims claims;
    if (!v->cose.p || !want)
        return report(v, "DECODE", -1, "no COSE (or PREFIX) or no JSON");
    json_t *got = dcc_of(v->cose.p, v->cose.n, &claims);
    int ok = got && same_json(got, want);
    report(v, "DECODE", ok, !got ? hb_error_last() : ok ? "" : "decoded DCC differs from JSON");
    hb_dcc__claims_dispose(&claims);
}

static void check_valid_json(vector *v)
{
    const char *prefix = field(v, "PREFIX");
    json_t *want = json_object_get(v->root, "JSON");
    if (!prefix || !want)
        return report(v, "VALIDJSON", -1, "no PREFIX or JSON");
    uint8_t *cose = NULL;
    size_t n = 0;
    hb_dcc_reason reason;
    hb_dcc_claims claims = { 0 };
    json_t *got = NULL;
    if (hb_dcc__decode(&cose, &n, &reason, prefix, strlen(prefix)) == 0)
        got = dcc_of(cose, n, &claims);
    int ok = got && same_json(got, want);
    report(v, "VALIDJSON", ok, !got ? hb_error_last() : ok ? "" : "decoded DCC differs from JSON");
    hb_dcc__claims_dispose(&claims);
    free(cose);
}

static void check_verify(vector *v)
{
    hb_cose_sign1 msg;
    hb_dcc_reason reason;
    if (!v->cose.p || !v->cert.p)
        return report(v, "VERIFY", -1, "no COSE or no CERTIFICATE");
    if (!v->trust) /* a DSC the verifier refuses: nothing it signed verifies */
        return report(v, "VERIFY", 0, v->cert_error);
    int ok = hb_cose_parse(&msg, &reason, v->cose.p, v->cose.n) == 0;
    const hb_dcc_dsc *dsc = NULL;
    size_t n = 0;
    if (ok && msg.kid_len == HB_DCC_KID_LEN)
        hb_dcc__trust_find(v->trust, msg.kid, &dsc, &n);
    if (ok && n == 0) {
        ok = 0;
        hb_error_set(HB_EINVAL, "kid does not match the DSC");
    }
    if (ok)
        ok = hb_cose_verify(&msg, &reason, dsc->key) == 0;
    report(v, "VERIFY", ok, ok ? "" : hb_error_last());
}

static void check_expiration(vector *v)
{
    hb_dcc_claims claims;
    if (!v->cose.p || !v->trust)
        return report(v, "EXPIRATIONCHECK", -1, "no COSE or no usable CERTIFICATE");
    const hb_dcc_dsc *dsc = &v->trust->dscs[0];
    int ok = dcc_of(v->cose.p, v->cose.n, &claims) != NULL && claims.has_iat && claims.has_exp &&
             dsc->not_before <= claims.iat && claims.iat <= v->clock && v->clock <= claims.exp &&
             claims.exp <= dsc->not_after;
    char detail[200];
    snprintf(detail, sizeof detail, "iat %lld, clock %lld, exp %lld, DSC %lld..%lld",
             (long long)claims.iat, (long long)v->clock, (long long)claims.exp,
             (long long)dsc->not_before, (long long)dsc->not_after);
    report(v, "EXPIRATIONCHECK", ok, detail);
    hb_dcc__claims_dispose(&claims);
}

static void check_key_usage(vector *v)
{
    hb_dcc_claims claims;
    if (!v->cose.p || !v->trust)
        return report(v, "KEYUSAGE", -1, "no COSE or no usable CERTIFICATE");
    json_t *dcc = dcc_of(v->cose.p, v->cose.n, &claims);
    char type = 0;
    if (dcc)
        hb_dcc__schema_validate(dcc, &type);
    unsigned use = type == 'v'   ? HB_DCC_USE_VACCINATION
                   : type == 't' ? HB_DCC_USE_TEST
                                 : HB_DCC_USE_RECOVERY;
    int ok = type && (v->trust->dscs[0].usage & use);
    char detail[64];
    snprintf(detail, sizeof detail, "type %c, DSC usage bits %u", type ? type : '?',
             v->trust->dscs[0].usage);
    report(v, "KEYUSAGE", ok, detail);
    hb_dcc__claims_dispose(&claims);
}

static void check_schema(vector *v)
{
    hb_dcc_claims claims;
    char type;
    if (!v->cose.p)
        return report(v, "SCHEMAVALIDATION", -1, "no COSE (or PREFIX)");
    json_t *dcc = dcc_of(v->cose.p, v->cose.n, &claims);
    int ok = dcc && hb_dcc__schema_validate(dcc, &type) == 0;
    report(v, "SCHEMAVALIDATION", ok, ok ? "" : hb_error_last());
    hb_dcc__claims_dispose(&claims);
    json_t *want = json_object_get(v->root, "JSON");
    if (!want)
        return report(v, "VALIDOBJECT", -1, "no JSON");
    ok = hb_dcc__schema_validate(want, &type) == 0;
    report(v, "VALIDOBJECT", ok, ok ? "" : hb_error_last());
}

/* ENCODE: our CBOR of JSON decodes to the same DCC as the vector's CBOR (maps are unordered, so
 * compare decoded values, as the README asks). */
static void check_encode(vector *v)
{
    json_t *want = json_object_get(v->root, "JSON");
    bytes cbor = hex(field(v, "CBOR"));
    if (!want || !cbor.p) {
        free(cbor.p);
        return report(v, "ENCODE", -1, "no JSON or CBOR");
    }
    hb_buf ours;
    hb_buf_init(&ours, 0);
    json_t *a = NULL, *b = NULL;
    hb_cbor r;
    hb_dcc_claims claims = { 0 };
    hb_dcc_reason reason;
    int ok = hb_cbor_from_json(&ours, want, 0) == 0;
    hb_cbor_init(&r, (const uint8_t *)ours.ptr, ours.len);
    ok = ok && hb_cbor_to_json(&a, &r, 0) == 0;
    /* The vector's CBOR is either the DCC or the whole CWT claims map. */
    hb_cbor_init(&r, cbor.p, cbor.n);
    if (hb_dcc__parse_claims(&claims, &reason, cbor.p, cbor.n) == 0)
        b = json_incref(claims.dcc);
    else if (hb_cbor_to_json(&b, &r, 0) < 0)
        b = NULL;
    ok = ok && b && json_equal(a, b);
    report(v, "ENCODE", ok, ok ? "" : "CBOR of JSON differs from the vector's CBOR");
    json_decref(a);
    json_decref(b);
    hb_dcc__claims_dispose(&claims);
    hb_buf_dispose(&ours);
    free(cbor.p);
}

/* VALIDATIONCLOCK as the reference harness reads it (dateutil isoparse): RFC 3339, or with a
 * +HHMM offset, or with no zone (UTC). */
static int parse_clock(int64_t *out, const char *clock)
{
    char text[64];
    size_t len = strlen(clock);
    if (len >= 40)
        return -1;
    memcpy(text, clock, len + 1);
    char *t = strchr(text, 'T');
    char *zone = t ? strpbrk(t, "Z+-") : NULL;
    if (!zone)
        strcat(text, "Z");
    else if (*zone != 'Z' && strlen(zone) == 5)
        snprintf(zone + 3, 4, ":%s", clock + (zone - text) + 3);
    return hb_time_parse(out, text, strlen(text));
}

static int flag(const vector *v, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "EXPECTED%s", name);
    json_t *f = json_object_get(json_object_get(v->root, "EXPECTEDRESULTS"), key);
    return json_is_boolean(f) ? json_is_true(f) : -1;
}

/*
 * The public verifier on the whole PREFIX at VALIDATIONCLOCK with the vector's DSC: a vector that
 * expects one of the chain's steps to fail must be invalid, and one that expects signature,
 * expiry, schema and key usage to pass must be valid. Vectors with a known
 * issue in one of these steps are not judged.
 */
static void check_verdict(vector *v)
{
    static const char *const steps[] = { "DECODE", "VERIFY", "EXPIRATIONCHECK", "KEYUSAGE",
                                         "SCHEMAVALIDATION" };
    const char *prefix = field(v, "PREFIX");
    char reason[256];
    int expect = -1;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (known_issue(v, steps[i], reason, sizeof reason))
            return;
        if (flag(v, steps[i]) == 0)
            expect = 0;
    }
    if (expect < 0 && flag(v, "VERIFY") == 1 && flag(v, "EXPIRATIONCHECK") == 1 &&
        flag(v, "SCHEMAVALIDATION") == 1 && flag(v, "KEYUSAGE") == 1)
        expect = 1;
    if (expect < 0 || !prefix || !v->trust)
        return;
    hb_dcc_result res;
    if (hb_dcc_verify(&res, v->trust, prefix, strlen(prefix), v->clock, HB_DCC_WANT_JSON) < 0) {
        printf("  VERDICT           could not run: %s\n", hb_error_last());
        v->failures++;
        return;
    }
    int agrees = res.valid == expect;
    printf("  VERDICT           expected %-7s %s — %s: %s\n", expect ? "valid" : "invalid",
           agrees ? "agrees" : "DISAGREES", hb_dcc_reason_name(res.reason), res.message);
    v->failures += !agrees;
    hb_dcc_result_dispose(&res);
}

/* PICTUREDECODE: the QR code in 2DCODE (PNG; three files spell it _2DCODE) reads as PREFIX.
 * Reading images is not the verifier's job (its input is the scanned text), so the picture is
 * read with ZBar's zbarimg, as a phone's scanner would. */
static void check_picture(vector *v)
{
    const char *png = field(v, "2DCODE") ? field(v, "2DCODE") : field(v, "_2DCODE");
    const char *prefix = field(v, "PREFIX");
    if (!png || !prefix)
        return report(v, "PICTUREDECODE", -1, "no 2DCODE or PREFIX");
    bytes img = base64(png);
    char path[] = "/tmp/hb-vector-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int written = f && img.p && fwrite(img.p, 1, img.n, f) == img.n;
    if (f)
        fclose(f);
    free(img.p);
    char cmd[128], text[8192] = "";
    snprintf(cmd, sizeof cmd, "zbarimg --nodbus --raw -q '%s' 2>/dev/null", path);
    FILE *p = written ? popen(cmd, "r") : NULL;
    size_t n = p ? fread(text, 1, sizeof text - 1, p) : 0;
    int status = p ? pclose(p) : -1;
    unlink(path);
    text[n] = '\0';
    while (n && text[n - 1] == '\n')
        text[--n] = '\0';
    if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
        printf("  PICTUREDECODE     zbarimg is missing (scripts/install-deps.sh installs it)\n");
        v->failures++;
        return;
    }
    int ok = n > 0 && strcmp(text, prefix) == 0;
    report(v, "PICTUREDECODE", ok, ok ? "" : n ? "the QR code reads as other text" : "unreadable");
}

static void load(vector *v)
{
    json_t *ctx = json_object_get(v->root, "TESTCTX");
    v->compressed = hex(field(v, "COMPRESSED"));
    v->cose = hex(field(v, "COSE"));
    v->have_cose = v->cose.p != NULL;
    const char *prefix = field(v, "PREFIX");
    hb_dcc_reason reason;
    if (!v->cose.p && prefix) /* derive from PREFIX rather than skip */
        hb_dcc__decode(&v->cose.p, &v->cose.n, &reason, prefix, strlen(prefix));
    v->cert = base64(json_string_value(json_object_get(ctx, "CERTIFICATE")));
    hb_dcc_trust_new(&v->trust);
    if (!v->cert.p || hb_dcc_trust_add(v->trust, v->cert.p, v->cert.n, v->country) < 0) {
        snprintf(v->cert_error, sizeof v->cert_error, "%s",
                 v->cert.p ? hb_error_last() : "no CERTIFICATE");
        printf("  (CERTIFICATE unusable: %s)\n", v->cert_error);
        hb_dcc_trust_free(v->trust);
        v->trust = NULL;
    }
    const char *clock = json_string_value(json_object_get(ctx, "VALIDATIONCLOCK"));
    if (!clock || parse_clock(&v->clock, clock) < 0) {
        printf("  (VALIDATIONCLOCK '%s' unreadable)\n", clock ? clock : "");
        v->clock = hb_time_now();
    }
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: dcc_vector VECTOR.json KNOWN_ISSUES.csv COUNTRY NAME\n");
        return 2;
    }
    vector v;
    memset(&v, 0, sizeof v);
    json_error_t err;
    v.root = json_load_file(argv[1], 0, &err);
    char *known = read_all(argv[2]);
    if (!v.root || !known) {
        fprintf(stderr, "cannot read %s or %s: %s\n", argv[1], argv[2], err.text);
        return 1;
    }
    v.known = known;
    v.country = argv[3];
    v.name = argv[4];
    printf("%s/%s: %s\n", v.country, v.name,
           json_string_value(json_object_get(json_object_get(v.root, "TESTCTX"), "DESCRIPTION")));
    load(&v);
    check_unprefix(&v);
    check_b45(&v);
    check_compression(&v);
    check_decode(&v);
    check_valid_json(&v);
    check_verify(&v);
    check_expiration(&v);
    check_key_usage(&v);
    check_schema(&v);
    check_encode(&v);
    check_verdict(&v);
    check_picture(&v);
    hb_dcc_trust_free(v.trust);
    free(v.cose.p);
    free(v.compressed.p);
    free(v.cert.p);
    free(known);
    json_decref(v.root);
    printf("%s\n", v.failures ? "FAIL" : "PASS");
    return v.failures ? 1 : 0;
}
