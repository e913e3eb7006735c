/*
 * vaccine/vaccine.h — vaccination records of cross-border residents, recognition of vaccinations
 * under each jurisdiction's rules, coverage figures, and certificates built from the records.
 *
 * Who uses it: Guangdong vaccinates Hong Kong and Macao residents who live there; each authority
 * decides under its own rules whether a person is fully vaccinated; Guangdong reports coverage;
 * a person takes a signed EU DCC across the border, which the other side verifies offline.
 *
 * Data (tables in migration 0002_vaccine.sql):
 *   products   the DCC value-set products plus GBA products missing from it (data/, GBA-…)
 *   rules      recognition rules per jurisdiction as versioned data (data/vaccine/rules.csv)
 *   doses      one row per dose: pseudonymous person, residence, product, dose n of m, date,
 *              administering jurisdiction, site
 *   trust      document-signer certificates of the three authorities (and foreign ones)
 *   certificates  the log of issued certificates (UVCI, pseudonym, dose; no names)
 *
 * Privacy: a person is only ever a pseudonym, HMAC-SHA-256 under a per-jurisdiction secret over
 * the identity-document type and number (hb_vaccine_pseudonym). Names and dates of birth are
 * needed only to print a certificate and are never stored.
 *
 * Every function takes the store and plain structs, so the CLI and the HTTP handlers call the
 * same code; validation errors are HB_EINVAL with a message that names the field.
 */
#ifndef HB_VACCINE_VACCINE_H
#define HB_VACCINE_VACCINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "healthybay/common.h"
#include "healthybay/dcc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/table.h"

#define HB_VACCINE_PERSON_MAX 64 /* pseudonym length ("GD-" + 32 hex digits is 35) */
#define HB_VACCINE_CODE_MAX   64 /* product and manufacturer codes */
#define HB_VACCINE_TEXT_MAX   80 /* site and lot: the DCC's own limit for free text */

typedef struct hb_vaccine_dose {
    int64_t id; /* 0 until stored */
    char person[HB_VACCINE_PERSON_MAX + 1];
    char residence[3]; /* GD, HK, MO */
    char product[HB_VACCINE_CODE_MAX + 1];
    char manufacturer[HB_VACCINE_CODE_MAX + 1]; /* "" = the product's */
    int dose_number, series_doses;              /* dose n of m as recorded by the site */
    hb_date date;
    char administered_in[3];
    char site[HB_VACCINE_TEXT_MAX + 1];
    char region[16]; /* optional region code of the site (regions.csv) */
    char lot[HB_VACCINE_TEXT_MAX + 1];
} hb_vaccine_dose;

/* Today in the Greater Bay Area (UTC+8 in all three jurisdictions, no daylight saving): a dose
 * given at 07:00 in Guangzhou is dated today although it is yesterday in UTC. Honours
 * HEALTHYBAY_NOW (util/clock.h). */
hb_date hb_vaccine_today(void);

/*
 * Check one dose against the reference data (products, regions, jurisdictions) and fill a missing
 * manufacturer; HB_EINVAL "field: reason" (the first bad field) otherwise. today bounds the date
 * (no future doses).
 */
int hb_vaccine_dose_check(hb_store *store, hb_vaccine_dose *dose, hb_date today);

/* Record one dose (checked first), in its own transaction; *id gets its id. HB_ECONFLICT when
 * the person already has a dose of that product on that date. */
int hb_vaccine_record(hb_store *store, hb_vaccine_dose *dose, int64_t *id);

/* The columns of an import file, in their usual order (static strings); *count gets 11. */
const char *const *hb_vaccine_dose_columns(size_t *count);

typedef struct hb_vaccine_import_options {
    hb_date today;           /* no dose may be dated after it */
    const char *recorded_by; /* the organisation recording the doses (hb_orgs); NULL: the
                                operator at the command line */
    /* Whether the caller may record a dose given in jurisdiction (GD, HK or MO) — the policy's
     * answer, asked once per dose. NULL: any (the operator). */
    bool (*may_record)(const char *jurisdiction, void *payload);
    void *payload;
} hb_vaccine_import_options;

/* One problem in an import: a bad field, a dose that differs from the one already recorded under
 * its key, or a dose the caller may not record. The parts are kept apart so that each interface
 * points at the field its own way (the command line prints message; the HTTP API gives line,
 * column and field for a CSV body, a JSON Pointer built from record and field for a JSON one). */
typedef struct hb_vaccine_import_error {
    size_t record;                      /* the dose: 1 = the first data line */
    unsigned long line;                 /* the line on which the record starts (1 = header) */
    unsigned long column;               /* where the field starts, in characters, 1-based */
    const char *field;                  /* the column's name (static) */
    bool denied;                        /* not a mistake: the caller may not record this dose */
    char reason[HB_ERROR_MESSAGE_MAX];  /* what is wrong */
    char message[HB_ERROR_MESSAGE_MAX]; /* "file:line:column: field 'name': reason" */
} hb_vaccine_import_error;

typedef struct hb_vaccine_import_report {
    size_t rows;                     /* doses read */
    size_t inserted;                 /* new doses written (0 when the file was refused) */
    size_t unchanged;                /* identical to a dose already recorded: left as it was */
    size_t nerrors;                  /* problems found; the file was refused when > 0 */
    hb_vaccine_import_error *errors; /* the first HB_REPORT_ERRORS_MAX of them; owned */
    size_t nlisted;                  /* how many errors[] holds */
} hb_vaccine_import_report;

void hb_vaccine_import_report_dispose(hb_vaccine_import_report *report);

/*
 * Bulk import of CSV text (columns person, residence, product, manufacturer, dose_number,
 * series_doses, date, administered_in, site, region, lot, in any order; manufacturer, region
 * and lot may be empty). Every dose is checked first — every bad field is a problem of its own —
 * and compared with the dose already recorded under its key (person, date, product): an
 * identical one is left as it is, so sending a file again changes nothing; a different one is a
 * problem. Only when there is no problem are the new doses written, with opt->recorded_by.
 *
 * Returns 0 when the file was accepted; HB_EINVAL when there were problems and HB_EPERM when
 * some dose is one the caller may not record (report->errors lists them; nothing was written);
 * HB_EINVAL without listed problems when the text as a whole is not an import file (header, CSV
 * syntax), HB_ELIMIT beyond HB_VACCINE_IMPORT_ROWS_MAX doses; another code when the database
 * fails. Runs in the caller's transaction when one is open (an HTTP request's, with its audit
 * entry), else in its own. The report is filled in every case (release it with
 * hb_vaccine_import_report_dispose()); name is used in messages.
 */
int hb_vaccine_import(hb_store *store, const char *name, const char *data, size_t len,
                      const hb_vaccine_import_options *opt, hb_vaccine_import_report *report);

/* A person's doses in date order (*out caller-owned, hb_free). */
int hb_vaccine_doses_of(hb_store *store, const char *person, hb_vaccine_dose **out, size_t *count);

/*
 * A person's record as its sharing rules see it (docs/vaccination.md, "Who may read a record"):
 * it belongs to the jurisdiction of residence (*residence, the latest dose's), each dose also to
 * the organisation that recorded it, and it is shared with the jurisdictions where doses were
 * given. For one caller: whether org recorded one of the doses (*recorded) and whether a dose was
 * given in jurisdiction (*given_there). HB_ENOTFOUND for a person without doses.
 */
int hb_vaccine_holders(hb_store *store, const char *person, const char *org,
                       const char *jurisdiction, char residence[3], bool *recorded,
                       bool *given_there);

/* One product's recognition under one rule version. */
typedef struct hb_vaccine_rule {
    char jurisdiction[3];
    char version[32];
    hb_date effective_from, effective_to; /* effective_to = 0: open */
    char product[HB_VACCINE_CODE_MAX + 1];
    int primary_doses, min_interval_days, full_after_days;
    int validity_days, booster_validity_days; /* -1 = no limit */
} hb_vaccine_rule;

/* The rule rows of the version of jurisdiction's rules in force on `on` (*out hb_free). */
int hb_vaccine_rules_in_force(hb_store *store, const char *jurisdiction, hb_date on,
                              hb_vaccine_rule **out, size_t *count);

typedef struct hb_vaccine_status {
    bool full;            /* fully vaccinated on the date asked */
    bool course_complete; /* primary course complete (maybe not yet or no longer valid) */
    hb_date completed_on; /* when complete */
    hb_date full_from;    /* when full */
    hb_date valid_until;  /* last valid day, 0 = no limit */
    int counted_doses;    /* doses recognised and counted */
    char version[32];     /* rule version applied ("" when none in force) */
    hb_buf why;           /* the reasoning, one sentence per line */
} hb_vaccine_status;

void hb_vaccine_status_dispose(hb_vaccine_status *status);

/*
 * The engine (pure): doses (date order) judged on `on` under rules (one version of one
 * jurisdiction). A dose counts when its product is recognised, it is on or before `on`, and it
 * comes at least min_interval_days after the previous counted dose. The primary course is complete
 * at the k-th counted dose when k >= primary_doses of that dose's product; the person is fully
 * vaccinated full_after_days later, for validity_days (if set); a counted dose after completion is
 * a booster, valid for booster_validity_days (if set).
 */
int hb_vaccine_evaluate(hb_vaccine_status *out, const hb_vaccine_rule *rules, size_t nrules,
                        const hb_vaccine_dose *doses, size_t ndoses, hb_date on);

/* Load doses and rules and evaluate: `healthybay vaccine status`. HB_ENOTFOUND for a person
 * without doses. */
int hb_vaccine_status_of(hb_store *store, const char *person, const char *jurisdiction, hb_date on,
                         hb_vaccine_status *out);

/* The status as `vaccine status --format json` prints it and the API returns it: person, under,
 * on, full, course_complete, completed_on, full_from, valid_until (dates or null),
 * counted_doses, rules_version and why (one string per sentence). A new reference; NULL when out
 * of memory. */
json_t *hb_vaccine_status_json(const hb_vaccine_status *status, const char *person,
                               const char *under, hb_date on);

typedef struct hb_vaccine_coverage_query {
    const char *administered_in; /* the reporting jurisdiction, e.g. "GD" */
    const char *residence;       /* NULL = every jurisdiction of residence */
    hb_date from, to;            /* one row per day in [from, to] per group */
    bool by_product;             /* split by the product of the first dose */
} hb_vaccine_coverage_query;

/*
 * Coverage: persons with at least one dose administered in administered_in, and persons whose
 * primary course is complete under administered_in's rules (doses given there), cumulative up to
 * each date. Columns: date, residence, product ("*" when not split), at_least_one_dose,
 * full_course.
 */
int hb_vaccine_coverage(hb_store *store, const hb_vaccine_coverage_query *query, hb_table **out);

/*
 * The pseudonym of an identity document: jurisdiction + "-" + the first 16 bytes (hex) of
 * HMAC-SHA-256(secret, DOCUMENT_TYPE ":" NUMBER), with the number upper-cased and stripped of
 * spaces, hyphens, slashes and brackets so one document always gives one pseudonym. out has
 * HB_VACCINE_PERSON_MAX + 1 bytes.
 */
int hb_vaccine_pseudonym(char *out, const char *jurisdiction, const uint8_t *secret,
                         size_t secret_len, const char *document_type, const char *number);

/* Read a secret written by hb_dcc_write_secret (hex); *len gets its size. HB_EPERM when the file
 * is readable by group or others. */
int hb_vaccine_read_secret(uint8_t *secret, size_t *len, size_t max, const char *path);

/* The certificate holder, given at issuance and never stored. */
typedef struct hb_vaccine_holder {
    const char *family_name, *given_name;           /* as in the identity document */
    const char *family_name_icao, *given_name_icao; /* NULL: derived from ASCII names */
    const char *dob;                                /* YYYY-MM-DD, YYYY-MM, YYYY or "" */
} hb_vaccine_holder;

/*
 * The DCC JSON (schema 1.3.x, one vaccination entry) for a dose, with a new UVCI for the
 * issuing jurisdiction. *json is caller-owned (hb_free); uvci has room for 81 bytes.
 */
int hb_vaccine_dcc_json(hb_store *store, char **json, char uvci[81], const hb_vaccine_dose *dose,
                        const hb_vaccine_holder *holder, const char *issuer_jurisdiction);

/* Log an issued certificate (no personal data besides the pseudonym). */
int hb_vaccine_log_certificate(hb_store *store, const char *uvci, const hb_vaccine_dose *dose,
                               const uint8_t kid[8], int64_t issued_at, int64_t expires_at);

/* A jurisdiction's document signer from the directory `vaccine keys generate` wrote: dir/dsc.key
 * (mode 0600) and dir/dsc.pem. HB_ENOTFOUND when either file is missing. */
int hb_vaccine_signer_load(hb_dcc_signer **out, const char *dir);

typedef struct hb_vaccine_certificate {
    char uvci[81];
    char *text; /* "HC1:…", the certificate itself (hb_dcc_free; it names the holder) */
    uint8_t kid[HB_DCC_KID_LEN];
    int64_t issued_at, expires_at;
    hb_vaccine_dose dose; /* the dose certified: the person's latest */
} hb_vaccine_certificate;

/* Free what a certificate owns (wiping the text); NULL members are fine. */
void hb_vaccine_certificate_dispose(hb_vaccine_certificate *cert);

/*
 * Issue: the DCC for person's latest dose, issued by issuer_jurisdiction (GD, HK or MO) and
 * signed by signer, valid from issued_at for valid_days (1 to 3650), and its entry in the
 * certificate log (in the caller's transaction when one is open). *out is filled on success and
 * emptied otherwise. HB_ENOTFOUND when the person has no doses; HB_EINVAL when the DCC would
 * refuse the holder's names or date of birth, or the validity outlasts the signer's.
 */
int hb_vaccine_issue(hb_store *store, const hb_dcc_signer *signer, const char *person,
                     const hb_vaccine_holder *holder, const char *issuer_jurisdiction,
                     int64_t issued_at, int valid_days, hb_vaccine_certificate *out);

/* A verification's outcome as `vaccine verify` prints it and the API returns it: verdict,
 * valid, reason, message, kid, alg, issuer, issued_at, expires_at, type, signer and — when
 * with_payload — the payload (the DCC, or null). A new reference; NULL when out of memory. */
json_t *hb_vaccine_verdict_json(const hb_dcc_result *result, bool with_payload);

/* The country code (DCC co/iss) of a jurisdiction: CN for GD, HK, MO. */
const char *hb_vaccine_country(const char *jurisdiction);

/* Trust list kept in the database. */
int hb_vaccine_trust_add(hb_store *store, const char *jurisdiction, const uint8_t *cert,
                         size_t len);
/* Table: kid, jurisdiction, not_after, added_at, sha256. */
int hb_vaccine_trust_list(hb_store *store, hb_table **out);
/* Build a verifier trust list from the database (hb_dcc_trust_free). */
int hb_vaccine_trust_load(hb_store *store, hb_dcc_trust **out);

/* Listings: products (code, names, manufacturer, prophylaxis, platform, in_dcc_valueset) and
 * rules (every version; jurisdiction NULL = all). */
int hb_vaccine_products(hb_store *store, hb_table **out);
int hb_vaccine_rules(hb_store *store, const char *jurisdiction, hb_table **out);

/* Migration step: load data/vaccine/products.csv and data/vaccine/rules.csv (embedded). */
int hb_vaccine_load_reference(hb_store *store);
/* Load a rules file (the same columns as data/vaccine/rules.csv): every line checked first, then
 * upserted in one transaction. Rule versions are immutable once used, so a changed row of an
 * existing version is refused (HB_ECONFLICT): publish a new version instead. */
int hb_vaccine_rules_load(hb_store *store, const char *name, const char *data, size_t len);

#endif
