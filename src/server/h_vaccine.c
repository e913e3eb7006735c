/*
 * server/h_vaccine.c — vaccination over HTTP (vaccine/, docs/vaccination.md):
 *
 *   POST /api/v1/vaccinations                            record doses: a CSV file, or JSON
 *   GET  /api/v1/vaccinations/status                     a person's status under one
 *                                                        jurisdiction's rules on a day, and why
 *   GET  /api/v1/vaccinations/coverage                   coverage figures of a jurisdiction
 *   POST /api/v1/vaccinations/certificates               issue a signed certificate (EU DCC)
 *   POST /api/v1/vaccinations/certificates/verification  verify one
 *
 * The policy decides (core/policy.c, the vaccine.* actions). A dose is an object of its
 * administering jurisdiction that becomes the recording organisation's record; a person's
 * record is judged by record_access() below, the one place where the module's sharing rules meet
 * the policy. Persons are pseudonyms and travel in the query or the body, never in the path, so
 * the server log (which names paths) never holds one; the audit log does, as the object read.
 *
 * A certificate names its holder. It is made for the response and kept nowhere: the module's
 * certificate log has the UVCI and the pseudonym, and an Idempotency-Key replay of an issue or a
 * verification gets the document without the certificate and the payload (as a token's creation
 * is stored without the token), so no table ever holds a name or a date of birth.
 */
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "server/routes.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/table.h"
#include "vaccine/vaccine.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool is_jurisdiction(const char *j)
{
    return j && (strcmp(j, "GD") == 0 || strcmp(j, "HK") == 0 || strcmp(j, "MO") == 0);
}

/* ?name=GD|HK|MO; dflt when absent. */
static int query_jurisdiction(hb_request *req, const char *name, const char *dflt, const char **out)
{
    *out = hb_http_query(req, name);
    if (!*out) {
        *out = dflt;
        return 0;
    }
    if (!is_jurisdiction(*out))
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter '%s' must be GD, HK or MO",
                            name);
    return 0;
}

/* ?name=YYYY-MM-DD; dflt when absent. */
static int query_day(hb_request *req, const char *name, hb_date dflt, hb_date *out)
{
    const char *v = hb_http_query(req, name);
    *out = dflt;
    if (v && hb_date_parse(out, v, strlen(v)) < 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter '%s' must be a date (YYYY-MM-DD)", name);
    return 0;
}

/* ---- recording doses ---- */

/* The policy's answer for one dose: may the caller record, as its own, a dose given in
 * jurisdiction? */
static bool may_record(const char *jurisdiction, void *payload)
{
    const hb_request *req = payload;
    hb_policy_target target = { jurisdiction, req->who->org, false };
    return hb_policy_check(req->who, HB_ACT_VACCINE_WRITE, &target) == 0;
}

/* A dose in a JSON body: its shape only — types, required and unknown members. What the values
 * must be the module checks, as for a CSV file, so both bodies get the same messages. */
static const hb_field dose_fields[] = {
    { "person", HB_FIELD_STRING, true, 0, 1024, 0 },
    { "residence", HB_FIELD_STRING, true, 0, 1024, 0 },
    { "product", HB_FIELD_STRING, true, 0, 1024, 0 },
    { "manufacturer", HB_FIELD_STRING, false, 0, 1024, 0 },
    { "dose_number", HB_FIELD_INTEGER, true, 0, 1000, 0 },
    { "series_doses", HB_FIELD_INTEGER, true, 0, 1000, 0 },
    { "date", HB_FIELD_STRING, true, 0, 1024, 0 },
    { "administered_in", HB_FIELD_STRING, true, 0, 1024, 0 },
    { "site", HB_FIELD_STRING, true, 0, 1024, 0 },
    { "region", HB_FIELD_STRING, false, 0, 1024, 0 },
    { "lot", HB_FIELD_STRING, false, 0, 1024, 0 },
};
static const hb_field doses_fields[] = {
    { "doses", HB_FIELD_OBJECT_LIST, true, 1, HB_VACCINE_IMPORT_ROWS_MAX, 0 },
};

/* One checked dose as a CSV record, in dose_fields order (an absent member is empty). */
static int dose_csv(hb_buf *csv, const json_t *dose)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < COUNT(dose_fields); i++) {
        const json_t *v = json_object_get(dose, dose_fields[i].name);
        if (i > 0)
            rc = hb_buf_putc(csv, ',');
        if (rc == 0 && json_is_integer(v))
            rc = hb_buf_printf(csv, "%lld", (long long)json_integer_value(v));
        else if (rc == 0 && v)
            rc = hb_csv_put_field(csv, json_string_value(v), json_string_length(v));
    }
    return rc == 0 ? hb_buf_putc(csv, '\n') : rc;
}

/* The body {"doses": [{person, …}, …]} as the module's CSV: dose N is record N + 1. */
static int body_to_csv(hb_request *req, hb_buf *csv)
{
    json_t *body;
    int rc = hb_http_body(req, doses_fields, COUNT(doses_fields), &body);
    if (rc < 0)
        return rc;
    const json_t *doses = json_object_get(body, "doses");
    for (size_t i = 0; i < json_array_size(doses); i++) {
        char ptr[48];
        snprintf(ptr, sizeof ptr, "/doses/%zu", i);
        hb_json_check_fields_at(json_array_get(doses, i), dose_fields, COUNT(dose_fields), ptr,
                                &req->errors);
    }
    for (size_t i = 0; rc == 0 && i < COUNT(dose_fields); i++)
        rc = hb_buf_printf(csv, "%s%s", i ? "," : "", dose_fields[i].name);
    rc = rc == 0 ? hb_buf_putc(csv, '\n') : rc;
    for (size_t i = 0; rc == 0 && req->errors.count == 0 && i < json_array_size(doses); i++)
        rc = dose_csv(csv, json_array_get(doses, i));
    json_decref(body);
    if (rc == 0 && req->errors.count > 0)
        rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "%zu field%s invalid; nothing was imported",
                          req->errors.count, req->errors.count == 1 ? " is" : "s are");
    return rc;
}

/* A refused import: each listed problem at its line, column and field (CSV) or its JSON Pointer
 * (/doses/N/field); 403 when some dose was not the caller's to record. */
static int import_refused(hb_request *req, int rc, bool csv, const hb_vaccine_import_report *r)
{
    if (rc != HB_EINVAL && rc != HB_EPERM)
        return rc;
    char summary[HB_ERROR_MESSAGE_MAX];
    snprintf(summary, sizeof summary, "%s", hb_error_last());
    for (size_t i = 0; i < r->nlisted; i++) {
        const hb_vaccine_import_error *e = &r->errors[i];
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/doses/%zu/%s", e->record - 1, e->field);
        if (csv)
            hb_field_error_csv(&req->errors, e->line, e->column, e->field, "%s", e->reason);
        else
            hb_field_error(&req->errors, ptr, "%s", e->reason);
    }
    return hb_http_fail(req, rc == HB_EPERM ? HB_PROBLEM_FORBIDDEN : HB_PROBLEM_VALIDATION, "%s",
                        summary);
}

int hb_h_vaccine_import(hb_request *req, hb_response *res)
{
    snprintf(req->object, sizeof req->object, "vaccinations");
    bool csv = hb_http_body_media(req) == HB_MEDIA_CSV;
    hb_buf converted;
    hb_buf_init(&converted, 0);
    int rc = csv ? 0 : body_to_csv(req, &converted);
    hb_vaccine_import_options opt = { hb_vaccine_today(), req->who->org, may_record, req };
    hb_vaccine_import_report r = { 0 };
    /* In the request's transaction: the doses, the audit entry and the Idempotency-Key record
     * commit together. */
    if (rc == 0)
        rc = hb_vaccine_import(req->db, "body", csv ? req->body : hb_buf_cstr(&converted),
                               csv ? req->body_len : converted.len, &opt, &r);
    hb_buf_dispose(&converted);
    if (rc < 0 && req->problem == HB_PROBLEM_NONE)
        rc = import_refused(req, rc, csv, &r);
    hb_vaccine_import_report_dispose(&r);
    if (rc < 0)
        return rc;
    return hb_http_json(res, r.inserted ? 201 : 200,
                        json_pack("{s:I, s:I, s:I}", "rows", (json_int_t)r.rows, "inserted",
                                  (json_int_t)r.inserted, "unchanged", (json_int_t)r.unchanged));
}

/* ---- a person's record ---- */

/*
 * THE place where a person's record meets the policy. Its object is in the jurisdiction of the
 * person's residence; it is the caller's organisation's when that organisation recorded one of
 * the doses; and it is shared with the health authority of each jurisdiction where a dose was
 * given (vaccine.h, hb_vaccine_holders; docs/vaccination.md). A person without doses and a
 * record out of reach get the same 404, so pseudonyms cannot be probed.
 */
static int record_access(hb_request *req, const char *person)
{
    char residence[3];
    bool recorded, given_there;
    int rc = hb_vaccine_holders(req->db, person, req->who->org, req->who->jurisdiction, residence,
                                &recorded, &given_there);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "there is no resource at %s", req->path);
    if (rc < 0)
        return rc;
    hb_policy_target target = { residence, recorded ? req->who->org : NULL,
                                given_there && req->who->org_kind == HB_ORG_HEALTH_AUTHORITY };
    return hb_http_authorize(req, HB_ACT_VACCINE_READ, &target, false);
}

/* ?person: a pseudonym, at most HB_VACCINE_PERSON_MAX characters (the module checks no more:
 * an unknown one is simply not found). */
static int query_person(hb_request *req, const char **person)
{
    *person = hb_http_query(req, "person");
    if (!*person || !**person || strlen(*person) > HB_VACCINE_PERSON_MAX)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'person' must be a pseudonym (at most %d "
                            "characters)",
                            HB_VACCINE_PERSON_MAX);
    return 0;
}

int hb_h_vaccine_status(hb_request *req, hb_response *res)
{
    const char *person, *under;
    hb_date on;
    int rc = query_person(req, &person);
    if (rc == 0)
        rc = query_jurisdiction(req, "under", req->who->jurisdiction, &under);
    if (rc == 0)
        rc = query_day(req, "on", hb_vaccine_today(), &on);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "vaccination/%s", person);
    if ((rc = record_access(req, person)) < 0)
        return rc;
    hb_vaccine_status st;
    rc = hb_vaccine_status_of(req->db, person, under, on, &st);
    json_t *doc = rc == 0 ? hb_vaccine_status_json(&st, person, under, on) : NULL;
    hb_vaccine_status_dispose(&st);
    return rc < 0 ? rc : hb_http_json(res, 200, doc);
}

/* ---- coverage ---- */

int hb_h_vaccine_coverage(hb_request *req, hb_response *res)
{
    hb_vaccine_coverage_query q = { NULL, NULL, 0, 0, false };
    const char *by_product = hb_http_query(req, "by_product");
    int rc = query_jurisdiction(req, "administered_in", req->who->jurisdiction, &q.administered_in);
    if (rc == 0)
        rc = query_jurisdiction(req, "residence", NULL, &q.residence);
    if (rc == 0)
        rc = query_day(req, "to", hb_vaccine_today(), &q.to);
    if (rc == 0)
        rc = query_day(req, "from", q.to, &q.from);
    if (rc == 0 && (q.to < q.from || q.to - q.from >= HB_VACCINE_COVERAGE_DAYS_MAX))
        rc = hb_http_fail(req, HB_PROBLEM_MALFORMED,
                          "query parameters 'from' and 'to': from <= to, at most %d days",
                          HB_VACCINE_COVERAGE_DAYS_MAX);
    q.by_product = by_product && strcmp(by_product, "true") == 0;
    if (rc == 0 && by_product && !q.by_product && strcmp(by_product, "false") != 0)
        rc = hb_http_fail(req, HB_PROBLEM_MALFORMED,
                          "query parameter 'by_product' must be true or false");
    if (rc < 0)
        return rc;
    /* Aggregates of the doses given in a jurisdiction: the policy shares them among the
     * authorities (403: the jurisdictions are public). */
    hb_policy_target target = { q.administered_in, NULL, false };
    if ((rc = hb_http_authorize(req, HB_ACT_VACCINE_COVERAGE_READ, &target, true)) < 0)
        return rc;
    hb_table *t = NULL;
    if ((rc = hb_vaccine_coverage(req->db, &q, &t)) < 0)
        return rc;
    rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

/* ---- certificates ---- */

/* Answer doc (consumed); an Idempotency-Key replay gets stored (consumed) instead, the same
 * document without what names the holder. Without that copy there is no answer: the stored
 * response would otherwise be doc itself. */
static int respond_keeping_no_names(hb_response *res, unsigned status, json_t *doc, json_t *stored)
{
    res->replay_body = doc && stored ? json_dumps(stored, JSON_COMPACT) : NULL;
    json_decref(stored);
    if (!res->replay_body) {
        json_decref(doc);
        return hb_error_set(HB_ENOMEM, "out of memory");
    }
    return hb_http_json(res, status, doc);
}

static const hb_field issue_fields[] = {
    { "person", HB_FIELD_STRING, true, 1, HB_VACCINE_PERSON_MAX, 0 },
    { "family_name", HB_FIELD_STRING, false, 1, HB_VACCINE_TEXT_MAX * 4, 0 },
    { "given_name", HB_FIELD_STRING, false, 1, HB_VACCINE_TEXT_MAX * 4, 0 },
    { "family_name_icao", HB_FIELD_STRING, false, 1, HB_VACCINE_TEXT_MAX, 0 },
    { "given_name_icao", HB_FIELD_STRING, false, 1, HB_VACCINE_TEXT_MAX, 0 },
    { "dob", HB_FIELD_STRING, true, 0, 10, 0 },
    { "valid_days", HB_FIELD_INTEGER, false, 1, 3650, 0 },
    { "qr", HB_FIELD_STRING, false, 3, 4, 0 },
};

/* The module's refusals name the field first ("family_name: …", "nam.fnt: …" from the DCC
 * schema): point at the member of the body that carries it. */
static const char *issue_pointer(const char *why)
{
    static const struct {
        const char *prefix, *pointer;
    } fields[] = {
        { "family_name:", "/family_name" },
        { "given_name:", "/given_name" },
        { "nam.fnt:", "/family_name_icao" },
        { "nam.gnt:", "/given_name_icao" },
        { "dob:", "/dob" },
        { "valid_days:", "/valid_days" },
        { "issue time and expiry", "/valid_days" },
    };
    for (size_t i = 0; i < COUNT(fields); i++)
        if (strncmp(why, fields[i].prefix, strlen(fields[i].prefix)) == 0)
            return fields[i].pointer;
    return "";
}

/* The QR code of the certificate as a data: URI (RFC 2397), ready for an <img> element;
 * "none" gives null. */
static json_t *qr_json(const char *kind, const char *text)
{
    uint8_t *image = NULL;
    char *svg = NULL, *b64 = NULL;
    size_t len = 0;
    bool png = strcmp(kind, "png") == 0;
    if (strcmp(kind, "none") == 0)
        return json_null();
    int rc = png ? hb_dcc_qr_png(&image, &len, text, 4) : hb_dcc_qr_svg(&svg, &len, text);
    if (rc == 0)
        b64 = hb_base64_encode(png ? (const void *)image : svg, len);
    json_t *uri =
        b64 ? json_sprintf("data:image/%s;base64,%s", png ? "png" : "svg+xml", b64) : NULL;
    hb_free(b64);
    hb_dcc_free(image);
    hb_dcc_free(svg);
    return uri;
}

/* The issued certificate with its QR code as qr says (png, svg, none); qr NULL: the copy kept
 * for replays, without the certificate and its QR code. */
static json_t *issued_json(const hb_vaccine_certificate *c, const char *issuer, const char *qr)
{
    char kid[2 * HB_DCC_KID_LEN + 1], iat[HB_RFC3339_STRLEN], exp[HB_RFC3339_STRLEN],
        day[HB_DATE_STRLEN];
    for (int i = 0; i < HB_DCC_KID_LEN; i++)
        snprintf(kid + 2 * i, 3, "%02x", c->kid[i]);
    const hb_vaccine_dose *d = &c->dose;
    json_t *dose =
        json_pack("{s:s, s:s, s:i, s:i, s:s, s:s}", "product", d->product, "manufacturer",
                  d->manufacturer, "dose_number", d->dose_number, "series_doses", d->series_doses,
                  "date", hb_date_format(day, d->date), "administered_in", d->administered_in);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s?, s:o}", "uvci", c->uvci, "issuer", issuer,
                     "kid", kid, "issued_at", hb_time_format(iat, c->issued_at), "expires_at",
                     hb_time_format(exp, c->expires_at), "dose", dose, "certificate",
                     qr ? c->text : NULL, "qr", qr ? qr_json(qr, c->text) : json_null());
}

/* Issue for the person named in the checked body, signed with the caller's jurisdiction's key. */
static int issue(hb_request *req, hb_response *res, const json_t *body)
{
    const char *qr = hb_http_body_str(body, "qr");
    const json_t *days = json_object_get(body, "valid_days");
    hb_vaccine_holder holder = { hb_http_body_str(body, "family_name"),
                                 hb_http_body_str(body, "given_name"),
                                 hb_http_body_str(body, "family_name_icao"),
                                 hb_http_body_str(body, "given_name_icao"),
                                 hb_http_body_str(body, "dob") };
    if (qr && strcmp(qr, "png") != 0 && strcmp(qr, "svg") != 0 && strcmp(qr, "none") != 0) {
        hb_field_error(&req->errors, "/qr", "must be png, svg or none");
        return hb_http_fail(req, HB_PROBLEM_VALIDATION, "the request is not valid");
    }
    char dir[HB_PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s", req->key_dir, req->who->jurisdiction);
    hb_dcc_signer *signer = NULL;
    int rc = hb_vaccine_signer_load(&signer, dir);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_CONFLICT,
                            "this server holds no document-signer key for %s: issue through a "
                            "server that does",
                            req->who->jurisdiction);
    hb_vaccine_certificate c = { 0 };
    if (rc == 0)
        rc = hb_vaccine_issue(req->db, signer, hb_http_body_str(body, "person"), &holder,
                              req->who->jurisdiction, hb_time_now(),
                              days ? (int)json_integer_value(days) : 365, &c);
    hb_dcc_signer_free(signer);
    if (rc == HB_EINVAL) {
        hb_field_error(&req->errors, issue_pointer(hb_error_last()), "%s", hb_error_last());
        return hb_http_fail(req, HB_PROBLEM_VALIDATION, "no certificate can be made from this");
    }
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "vaccination/%s/certificate/%s", c.dose.person,
             c.uvci);
    json_t *doc = issued_json(&c, req->who->jurisdiction, qr ? qr : "png");
    json_t *stored = issued_json(&c, req->who->jurisdiction, NULL);
    hb_vaccine_certificate_dispose(&c);
    return respond_keeping_no_names(res, 201, doc, stored);
}

int hb_h_vaccine_certificate_issue(hb_request *req, hb_response *res)
{
    snprintf(req->object, sizeof req->object, "vaccination/certificate");
    json_t *body;
    int rc = hb_http_body(req, issue_fields, COUNT(issue_fields), &body);
    if (rc < 0)
        return rc;
    const char *person = hb_http_body_str(body, "person");
    snprintf(req->object, sizeof req->object, "vaccination/%s/certificate", person);
    /* A record the caller may read (404 otherwise); then the key: its authority's (403). */
    hb_policy_target key = { req->who->jurisdiction, NULL, false };
    rc = record_access(req, person);
    if (rc == 0)
        rc = hb_http_authorize(req, HB_ACT_VACCINE_CERT_ISSUE, &key, true);
    if (rc == 0)
        rc = issue(req, res, body);
    json_decref(body);
    return rc;
}

static const hb_field verify_fields[] = {
    { "certificate", HB_FIELD_STRING, true, 1, 2 * HB_DCC_TEXT_MAX, 0 },
    { "at", HB_FIELD_STRING, false, 1, 40, 0 },
};

int hb_h_vaccine_certificate_verify(hb_request *req, hb_response *res)
{
    /* The object names no certificate: what a verifier scanned is not the hub's to keep. */
    snprintf(req->object, sizeof req->object, "vaccination/certificate-verification");
    json_t *body;
    int rc = hb_http_body(req, verify_fields, COUNT(verify_fields), &body);
    if (rc < 0)
        return rc;
    const char *text = hb_http_body_str(body, "certificate"),
               *at_text = hb_http_body_str(body, "at");
    int64_t at = hb_time_now();
    if (at_text && hb_time_parse(&at, at_text, strlen(at_text)) < 0) {
        hb_field_error(&req->errors, "/at", "%s", hb_error_last());
        json_decref(body);
        return hb_http_fail(req, HB_PROBLEM_VALIDATION, "the request is not valid");
    }
    hb_dcc_trust *trust = NULL;
    hb_dcc_result r;
    memset(&r, 0, sizeof r);
    rc = hb_vaccine_trust_load(req->db, &trust);
    if (rc == 0)
        rc = hb_dcc_verify(&r, trust, text, strlen(text), at, HB_DCC_WANT_JSON);
    hb_dcc_trust_free(trust);
    json_decref(body);
    json_t *doc = rc == 0 ? hb_vaccine_verdict_json(&r, true) : NULL;
    json_t *stored = rc == 0 ? hb_vaccine_verdict_json(&r, false) : NULL;
    hb_dcc_result_dispose(&r);
    return rc < 0 ? rc : respond_keeping_no_names(res, 200, doc, stored);
}
