/*
 * vaccine/certificate.c — from a recorded dose to a DCC payload; the issued-certificate log; the
 * trust list of document signers kept in the database.
 *
 * The UVCI (unique vaccination certificate identifier) follows the eHN guideline, option 1:
 * URN:UVCI:01:<country>:<16 random characters 0-9A-Z>#<check character>, the check character
 * being Luhn mod N (N = 36) over the alphanumeric characters after "URN:UVCI:". 16 random
 * base-36 characters (82 bits) make a collision between two certificates negligible.
 */
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "dcc/trust.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/limits.h"
#include "vaccine/vaccine.h"
#include "vaccine/vaccine_int.h"

static const char base36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static int code_point(char c)
{
    const char *p = strchr(base36, c);
    return p && c ? (int)(p - base36) : -1;
}

/* Luhn mod N check character over the alphanumerics of s. */
static char luhn36(const char *s)
{
    int factor = 2, sum = 0;
    for (size_t i = strlen(s); i-- > 0;) {
        int cp = code_point(s[i]);
        if (cp < 0)
            continue;
        int addend = factor * cp;
        factor = factor == 2 ? 1 : 2;
        sum += addend / 36 + addend % 36;
    }
    return base36[(36 - sum % 36) % 36];
}

static int make_uvci(char uvci[81], const char *country)
{
    unsigned char rnd[16];
    char id[17];
    if (RAND_bytes(rnd, sizeof rnd) != 1)
        return hb_error_set(HB_ERROR, "no randomness for the certificate identifier");
    for (size_t i = 0; i < 16; i++)
        id[i] = base36[rnd[i] % 36]; /* 256 % 36 = 4: a bias of 1.6 %, harmless for an id */
    id[16] = '\0';
    char body[64];
    snprintf(body, sizeof body, "01:%s:%s", country, id);
    snprintf(uvci, 81, "URN:UVCI:%s#%c", body, luhn36(body));
    return 0;
}

/* ICAO 9303 transliteration of a Latin-script name: A-Z kept, separators become '<'. */
static int icao(char *out, size_t size, const char *name, const char *field)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p >= 0x80)
            return hb_error_set(HB_EINVAL,
                                "%s: give the ICAO 9303 form (A-Z and <) for a "
                                "name in a non-Latin script",
                                field);
        char c = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        if (c >= 'A' && c <= 'Z')
            out[n++] = c;
        else if ((c == ' ' || c == '-') && n && out[n - 1] != '<')
            out[n++] = '<';
        if (n + 1 >= size)
            return hb_error_set(HB_EINVAL, "%s: longer than 80 characters", field);
    }
    out[n] = '\0';
    return 0;
}

static const char *issuer_name(const char *jurisdiction)
{
    return strcmp(jurisdiction, "GD") == 0   ? "Health Commission of Guangdong Province"
           : strcmp(jurisdiction, "HK") == 0 ? "Department of Health, Hong Kong SAR"
                                             : "Health Bureau, Macao SAR";
}

static json_t *name_json(const hb_vaccine_holder *h, const char *fnt, const char *gnt)
{
    json_t *nam = json_object();
    if (h->family_name && *h->family_name)
        json_object_set_new(nam, "fn", json_string(h->family_name));
    if (*fnt)
        json_object_set_new(nam, "fnt", json_string(fnt));
    if (h->given_name && *h->given_name)
        json_object_set_new(nam, "gn", json_string(h->given_name));
    if (*gnt)
        json_object_set_new(nam, "gnt", json_string(gnt));
    return nam;
}

static int holder_names(const hb_vaccine_holder *h, char *fnt, char *gnt)
{
    int rc = 0;
    if (h->family_name_icao)
        snprintf(fnt, 81, "%s", h->family_name_icao);
    else if (h->family_name)
        rc = icao(fnt, 81, h->family_name, "family_name");
    if (rc == 0 && h->given_name_icao)
        snprintf(gnt, 81, "%s", h->given_name_icao);
    else if (rc == 0 && h->given_name)
        rc = icao(gnt, 81, h->given_name, "given_name");
    if (rc == 0 && !*fnt && !*gnt)
        rc = hb_error_set(HB_EINVAL, "family_name: a family or given name is needed");
    return rc;
}

int hb_vaccine_dcc_json(hb_store *store, char **json, char uvci[81], const hb_vaccine_dose *dose,
                        const hb_vaccine_holder *holder, const char *issuer_jurisdiction)
{
    char fnt[81] = "", gnt[81] = "", vp[32], day[HB_DATE_STRLEN];
    *json = NULL;
    int rc = holder_names(holder, fnt, gnt);
    if (rc == 0)
        rc = hb_vaccine__lookup(store, "SELECT prophylaxis FROM hb_vaccine_products WHERE code = ?",
                                dose->product, vp, sizeof vp);
    if (rc == HB_ENOTFOUND)
        rc = hb_error_set(HB_EINVAL, "product: '%s' is not a known product", dose->product);
    if (rc == 0)
        rc = make_uvci(uvci, hb_vaccine_country(issuer_jurisdiction));
    if (rc < 0)
        return rc;
    json_t *v = json_pack(
        "{s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s}", "tg", "840539006", "vp", vp, "mp",
        dose->product, "ma", dose->manufacturer, "dn", dose->dose_number, "sd", dose->series_doses,
        "dt", hb_date_format(day, dose->date), "co", hb_vaccine_country(dose->administered_in),
        "is", issuer_name(issuer_jurisdiction), "ci", uvci);
    json_t *dcc =
        json_pack("{s:s, s:o, s:s, s:[o]}", "ver", "1.3.0", "nam", name_json(holder, fnt, gnt),
                  "dob", holder->dob ? holder->dob : "", "v", v);
    char *text = dcc ? json_dumps(dcc, JSON_COMPACT) : NULL;
    json_decref(dcc);
    if (!text)
        return hb_error_set(HB_ENOMEM, "out of memory");
    *json = hb_strdup(text);
    json_free_t free_fn;
    json_get_alloc_funcs(NULL, &free_fn);
    free_fn(text);
    return *json ? 0 : HB_ENOMEM;
}

static void hex(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", p[i]);
}

int hb_vaccine_log_certificate(hb_store *store, const char *uvci, const hb_vaccine_dose *dose,
                               const uint8_t kid[8], int64_t issued_at, int64_t expires_at)
{
    char kid_hex[17], iat[HB_RFC3339_STRLEN], exp[HB_RFC3339_STRLEN];
    hex(kid_hex, kid, 8);
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_vaccine_certificates (uvci, person, dose_id, kid, "
                              "issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (rc < 0)
        return rc;
    hb_stmt_bind_cstr(st, 1, uvci);
    hb_stmt_bind_cstr(st, 2, dose->person);
    hb_stmt_bind_int64(st, 3, dose->id);
    hb_stmt_bind_cstr(st, 4, kid_hex);
    hb_stmt_bind_cstr(st, 5, hb_time_format(iat, issued_at));
    hb_stmt_bind_cstr(st, 6, hb_time_format(exp, expires_at));
    rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_vaccine_signer_load(hb_dcc_signer **out, const char *dir)
{
    char key[HB_PATH_MAX], cert[HB_PATH_MAX];
    snprintf(key, sizeof key, "%s/dsc.key", dir);
    snprintf(cert, sizeof cert, "%s/dsc.pem", dir);
    return hb_dcc_signer_load(out, key, cert);
}

void hb_vaccine_certificate_dispose(hb_vaccine_certificate *cert)
{
    if (cert->text)
        OPENSSL_cleanse(cert->text, strlen(cert->text)); /* it names the holder */
    hb_dcc_free(cert->text);
    cert->text = NULL;
}

int hb_vaccine_issue(hb_store *store, const hb_dcc_signer *signer, const char *person,
                     const hb_vaccine_holder *holder, const char *issuer_jurisdiction,
                     int64_t issued_at, int valid_days, hb_vaccine_certificate *out)
{
    hb_vaccine_dose *doses = NULL;
    size_t n = 0;
    char *json = NULL;
    memset(out, 0, sizeof *out);
    if (valid_days < 1 || valid_days > 3650)
        return hb_error_set(HB_EINVAL, "valid_days: 1 to 3650");
    out->issued_at = issued_at;
    out->expires_at = issued_at + (int64_t)valid_days * 86400;
    int rc = hb_vaccine_doses_of(store, person, &doses, &n);
    if (rc == 0 && n == 0)
        rc = hb_error_set(HB_ENOTFOUND, "no doses recorded for %s", person);
    if (rc == 0) {
        out->dose = doses[n - 1];
        rc = hb_vaccine_dcc_json(store, &json, out->uvci, &out->dose, holder, issuer_jurisdiction);
    }
    if (rc == 0)
        rc = hb_dcc_issue(&out->text, signer, json, hb_vaccine_country(issuer_jurisdiction),
                          out->issued_at, out->expires_at);
    if (rc == 0) {
        hb_dcc_signer_kid(signer, out->kid);
        rc = hb_vaccine_log_certificate(store, out->uvci, &out->dose, out->kid, out->issued_at,
                                        out->expires_at);
    }
    if (json)
        OPENSSL_cleanse(json, strlen(json));
    hb_free(json);
    hb_free(doses);
    if (rc < 0) {
        hb_vaccine_certificate_dispose(out);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

static const char *type_name(char type)
{
    return type == 'v' ? "vaccination" : type == 't' ? "test" : type == 'r' ? "recovery" : NULL;
}

static json_t *time_or_null(int64_t t)
{
    char text[HB_RFC3339_STRLEN];
    return t ? json_string(hb_time_format(text, t)) : json_null();
}

json_t *hb_vaccine_verdict_json(const hb_dcc_result *r, bool with_payload)
{
    char kid[2 * HB_DCC_KID_LEN + 1] = "";
    for (int i = 0; r->has_kid && i < HB_DCC_KID_LEN; i++)
        snprintf(kid + 2 * i, 3, "%02x", r->kid[i]);
    json_t *payload = with_payload && r->payload_json ? json_loads(r->payload_json, 0, NULL) : NULL;
    json_t *alg = r->alg == HB_DCC_ALG_ES256   ? json_string("ES256")
                  : r->alg == HB_DCC_ALG_PS256 ? json_string("PS256")
                  : r->alg                     ? json_integer(r->alg)
                                               : json_null();
    json_t *doc = json_pack(
        "{s:s, s:b, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "verdict",
        r->valid ? "valid" : "invalid", "valid", r->valid, "reason", hb_dcc_reason_name(r->reason),
        "message", r->message, "kid", r->has_kid ? json_string(kid) : json_null(), "alg", alg,
        "issuer", *r->issuer ? json_string(r->issuer) : json_null(), "issued_at",
        time_or_null(r->issued_at), "expires_at", time_or_null(r->expires_at), "type",
        type_name(r->type) ? json_string(type_name(r->type)) : json_null(), "signer",
        *r->signer_jurisdiction ? json_string(r->signer_jurisdiction) : json_null());
    if (doc && with_payload &&
        json_object_set_new(doc, "payload", payload ? payload : json_null()) < 0) {
        json_decref(doc);
        return NULL;
    }
    if (!doc || !with_payload)
        json_decref(payload);
    return doc;
}

int hb_vaccine_trust_add(hb_store *store, const char *jurisdiction, const uint8_t *cert, size_t len)
{
    X509 *x;
    hb_dcc_dsc dsc;
    if (!jurisdiction || strlen(jurisdiction) < 2 || strlen(jurisdiction) > 7)
        return hb_error_set(HB_EINVAL, "jurisdiction: a code such as GD, HK, MO or a country");
    int rc = hb_dcc__parse_cert(&x, cert, len);
    if (rc < 0)
        return rc;
    rc = hb_dcc__dsc_from_x509(&dsc, x, jurisdiction);
    unsigned char *der = NULL;
    int der_len = rc == 0 ? i2d_X509(x, &der) : 0;
    X509_free(x);
    EVP_PKEY_free(dsc.key);
    if (rc < 0)
        return rc;
    char sha[65], kid[17], not_after[HB_RFC3339_STRLEN], now[HB_TIMESTAMP_STRLEN];
    hex(sha, dsc.sha256, 32);
    hex(kid, dsc.kid, 8);
    hb_stmt *st;
    rc = hb_store_prepare(store, &st,
                          "INSERT INTO hb_vaccine_trust (sha256, kid, jurisdiction, certificate, "
                          "not_after, added_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (rc == 0) {
        hb_stmt_bind_cstr(st, 1, sha);
        hb_stmt_bind_cstr(st, 2, kid);
        hb_stmt_bind_cstr(st, 3, jurisdiction);
        hb_stmt_bind_blob(st, 4, der, (size_t)der_len);
        hb_stmt_bind_cstr(st, 5, hb_time_format(not_after, dsc.not_after));
        hb_stmt_bind_cstr(st, 6, hb_timestamp_now(now));
        rc = hb_stmt_step(st);
        hb_stmt_finalize(st);
    }
    OPENSSL_free(der);
    if (rc == HB_ECONFLICT)
        return hb_error_set(HB_ECONFLICT, "certificate %s is already trusted", kid);
    return rc < 0 ? rc : 0;
}

int hb_vaccine_trust_list(hb_store *store, hb_table **out)
{
    static const char *const names[] = { "kid", "jurisdiction", "not_after", "added_at", "sha256" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT };
    return hb_store_query_table(store,
                                "SELECT kid, jurisdiction, not_after, added_at, sha256 FROM "
                                "hb_vaccine_trust ORDER BY jurisdiction, not_after, kid",
                                NULL, 0, 5, names, kinds, out);
}

int hb_vaccine_trust_load(hb_store *store, hb_dcc_trust **out)
{
    hb_stmt *st;
    int rc = hb_dcc_trust_new(out);
    if (rc < 0)
        return rc;
    rc = hb_store_prepare(store, &st, "SELECT certificate, jurisdiction FROM hb_vaccine_trust");
    while (rc >= 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        size_t len;
        const void *der = hb_stmt_blob(st, 0, &len);
        rc = hb_dcc_trust_add(*out, der, len, hb_stmt_text(st, 1, NULL));
    }
    if (st)
        hb_stmt_finalize(st);
    if (rc < 0) {
        hb_dcc_trust_free(*out);
        *out = NULL;
        return rc;
    }
    return 0;
}
