/*
 * vaccine/records.c — doses: checking, recording one, importing many, reading a person's.
 *
 * Import is two passes over the text, both inside one transaction (the caller's when one is
 * open). Pass 1 parses and checks every record — each bad field is a problem of its own, with its
 * line, column and name — and compares it with the dose stored under the same key (person, date,
 * product). Only when pass 1 found nothing does pass 2 write: a new dose is inserted, one
 * identical to the stored dose is left alone (a file sent twice changes nothing), and a line
 * that differs from an earlier line of the same file under the same key stops the import there.
 * So a file is imported entirely or not at all. Pass 1 remembers which records it found stored
 * (one byte each), so that sending a file again costs one query per dose, not three.
 *
 * The reference data a check needs (products, regions) is read once per import into `refs`, so
 * checking a line costs no database round trip; comparing it with a stored dose costs one.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/limits.h"
#include "util/parse.h"
#include "vaccine/vaccine.h"
#include "vaccine/vaccine_int.h"

enum {
    COL_PERSON,
    COL_RESIDENCE,
    COL_PRODUCT,
    COL_MANUFACTURER,
    COL_DOSE_NUMBER,
    COL_SERIES_DOSES,
    COL_DATE,
    COL_ADMINISTERED_IN,
    COL_SITE,
    COL_REGION,
    COL_LOT,
    NDOSE_COLS
};

static const char *const dose_cols[NDOSE_COLS] = {
    "person", "residence",       "product", "manufacturer", "dose_number", "series_doses",
    "date",   "administered_in", "site",    "region",       "lot"
};

const char *const *hb_vaccine_dose_columns(size_t *count)
{
    *count = NDOSE_COLS;
    return dose_cols;
}

hb_date hb_vaccine_today(void)
{
    int64_t local = hb_time_now() + 8 * 3600;
    return (hb_date)((local - (local % 86400 + 86400) % 86400) / 86400);
}

/* 2020-07-01: before any COVID-19 dose was given outside a trial. */
static const hb_date first_vaccine_day = 18444;

static bool is_jurisdiction(const char *s)
{
    return strcmp(s, "GD") == 0 || strcmp(s, "HK") == 0 || strcmp(s, "MO") == 0;
}

/* Pseudonyms are printable ASCII without spaces or commas, 8 to 64 characters. */
static bool is_pseudonym(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == ',')
            return false;
    return n >= 8 && n <= HB_VACCINE_PERSON_MAX;
}

int hb_vaccine__lookup(hb_store *store, const char *sql, const char *key, char *out, size_t size)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, sql);
    if (rc < 0)
        return rc;
    hb_stmt_bind_cstr(st, 1, key);
    rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        snprintf(out, size, "%s", hb_stmt_text(st, 0, NULL));
    hb_stmt_finalize(st);
    return rc == HB_STORE_ROW ? 0 : rc < 0 ? rc : HB_ENOTFOUND;
}

/* ---- checking ---- */

/* The reference data checks read: product → manufacturer, region → jurisdiction. */
typedef struct refs {
    hb_table *products, *regions;
} refs;

static void refs_dispose(refs *r)
{
    hb_table_free(r->products);
    hb_table_free(r->regions);
}

static int refs_load(hb_store *store, refs *r)
{
    static const char *const names[] = { "code", "value" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT };
    r->products = r->regions = NULL;
    int rc = hb_store_query_table(store, "SELECT code, manufacturer FROM hb_vaccine_products", NULL,
                                  0, 2, names, kinds, &r->products);
    if (rc == 0)
        rc = hb_store_query_table(store, "SELECT code, jurisdiction FROM hb_regions", NULL, 0, 2,
                                  names, kinds, &r->regions);
    if (rc < 0)
        refs_dispose(r);
    return rc;
}

/* The value of code in a refs table, or NULL when there is no such code. */
static const char *refs_find(const hb_table *t, const char *code)
{
    for (size_t i = 0; i < hb_table_row_count(t); i++)
        if (strcmp(hb_table_cell(t, i, 0), code) == 0)
            return hb_table_cell(t, i, 1);
    return NULL;
}

/* The bad fields of one dose, each with the first reason found. */
typedef struct problems {
    unsigned bad; /* bit c: column c is bad */
    char reason[NDOSE_COLS][HB_ERROR_MESSAGE_MAX];
} problems;

static void bad(problems *p, int col, const char *fmt, ...) HB_PRINTF(3, 4);

static void bad(problems *p, int col, const char *fmt, ...)
{
    if (p->bad & (1u << col))
        return; /* a field that did not even parse is not judged further */
    p->bad |= 1u << col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->reason[col], sizeof p->reason[col], fmt, ap);
    va_end(ap);
}

static void check_references(const refs *r, hb_vaccine_dose *d, problems *p)
{
    const char *maker = refs_find(r->products, d->product);
    if (!maker)
        bad(p, COL_PRODUCT, "'%s' is not a known product (see `healthybay vaccine products`)",
            d->product);
    else if (!*d->manufacturer)
        snprintf(d->manufacturer, sizeof d->manufacturer, "%s", maker);
    else if (strcmp(d->manufacturer, maker) != 0)
        bad(p, COL_MANUFACTURER, "'%s' does not make %s (%s does)", d->manufacturer, d->product,
            maker);
    if (!*d->region)
        return;
    const char *j = refs_find(r->regions, d->region);
    if (!j)
        bad(p, COL_REGION, "'%s' is not a region code (see `healthybay regions`)", d->region);
    else if (!(p->bad & (1u << COL_ADMINISTERED_IN)) && strcmp(j, d->administered_in) != 0)
        bad(p, COL_REGION, "%s is in %s, not in %s where the dose was given", d->region, j,
            d->administered_in);
}

/* Judge every field of d (a field already bad keeps its first reason); fills a missing
 * manufacturer from the product. */
static void check_fields(const refs *r, hb_vaccine_dose *d, hb_date today, problems *p)
{
    if (!is_pseudonym(d->person))
        bad(p, COL_PERSON,
            "must be a pseudonym of 8 to %d printable characters (see `healthybay vaccine "
            "pseudonym`)",
            HB_VACCINE_PERSON_MAX);
    if (!is_jurisdiction(d->residence))
        bad(p, COL_RESIDENCE, "'%s' is not GD, HK or MO", d->residence);
    if (!is_jurisdiction(d->administered_in))
        bad(p, COL_ADMINISTERED_IN, "'%s' is not GD, HK or MO", d->administered_in);
    if (d->dose_number < 1 || d->dose_number > 20)
        bad(p, COL_DOSE_NUMBER, "must be 1 to 20");
    if (d->series_doses < 1 || d->series_doses > 20)
        bad(p, COL_SERIES_DOSES, "must be 1 to 20");
    if (d->date < first_vaccine_day || d->date > today)
        bad(p, COL_DATE, "must be between 2020-07-01 and today");
    if (!*d->site)
        bad(p, COL_SITE, "must not be empty");
    check_references(r, d, p);
}

int hb_vaccine_dose_check(hb_store *store, hb_vaccine_dose *dose, hb_date today)
{
    refs r;
    problems p;
    p.bad = 0;
    int rc = refs_load(store, &r);
    if (rc < 0)
        return rc;
    check_fields(&r, dose, today, &p);
    refs_dispose(&r);
    for (int c = 0; c < NDOSE_COLS; c++)
        if (p.bad & (1u << c))
            return hb_error_set(HB_EINVAL, "%s: %s", dose_cols[c], p.reason[c]);
    return 0;
}

/* ---- the stored doses ---- */

static int prepare_insert(hb_store *store, hb_stmt **st)
{
    return hb_store_prepare(
        store, st,
        "INSERT INTO hb_vaccine_doses (person, residence, product, manufacturer, dose_number, "
        "series_doses, date, administered_in, site, region, lot, recorded_at, recorded_by) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (person, date, product) DO NOTHING "
        "RETURNING id");
}

/* Insert d unless a dose is stored under its key: 1 inserted (*id set), 0 one was there. */
static int insert(hb_stmt *st, const hb_vaccine_dose *d, const char *recorded_by, int64_t *id)
{
    char day[HB_DATE_STRLEN], now[HB_TIMESTAMP_STRLEN];
    hb_stmt_bind_cstr(st, 1, d->person);
    hb_stmt_bind_cstr(st, 2, d->residence);
    hb_stmt_bind_cstr(st, 3, d->product);
    hb_stmt_bind_cstr(st, 4, d->manufacturer);
    hb_stmt_bind_int64(st, 5, d->dose_number);
    hb_stmt_bind_int64(st, 6, d->series_doses);
    hb_stmt_bind_cstr(st, 7, hb_date_format(day, d->date));
    hb_stmt_bind_cstr(st, 8, d->administered_in);
    hb_stmt_bind_cstr(st, 9, d->site);
    hb_stmt_bind_cstr(st, 10, *d->region ? d->region : NULL);
    hb_stmt_bind_cstr(st, 11, *d->lot ? d->lot : NULL);
    hb_stmt_bind_cstr(st, 12, hb_timestamp_now(now));
    hb_stmt_bind_cstr(st, 13, recorded_by);
    int rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        *id = hb_stmt_int64(st, 0);
    int reset = hb_stmt_reset(st);
    return rc < 0 ? rc : reset < 0 ? reset : rc == HB_STORE_ROW;
}

static int prepare_find(hb_store *store, hb_stmt **st)
{
    return hb_store_prepare(store, st,
                            "SELECT residence, manufacturer, administered_in, site, "
                            "COALESCE(region, ''), COALESCE(lot, ''), dose_number, series_doses "
                            "FROM hb_vaccine_doses WHERE person = ? AND date = ? AND product = ?");
}

enum { NOT_STORED, STORED_SAME, STORED_OTHER };

/* Compare d with the dose stored under its key: NOT_STORED, STORED_SAME, or STORED_OTHER with
 * *what the first column that differs; < 0 when the database fails. */
static int compare_stored(hb_stmt *st, const hb_vaccine_dose *d, int *what)
{
    static const int text_cols[] = { COL_RESIDENCE, COL_MANUFACTURER, COL_ADMINISTERED_IN,
                                     COL_SITE,      COL_REGION,       COL_LOT };
    const char *const text[] = { d->residence, d->manufacturer, d->administered_in,
                                 d->site,      d->region,       d->lot };
    char day[HB_DATE_STRLEN];
    hb_stmt_bind_cstr(st, 1, d->person);
    hb_stmt_bind_cstr(st, 2, hb_date_format(day, d->date));
    hb_stmt_bind_cstr(st, 3, d->product);
    int rc = hb_stmt_step(st);
    *what = -1;
    if (rc == HB_STORE_ROW) {
        if (hb_stmt_int64(st, 6) != d->dose_number)
            *what = COL_DOSE_NUMBER;
        else if (hb_stmt_int64(st, 7) != d->series_doses)
            *what = COL_SERIES_DOSES;
        for (int i = 0; i < 6 && *what < 0; i++)
            if (strcmp(hb_stmt_text(st, i, NULL), text[i]) != 0)
                *what = text_cols[i];
    }
    int reset = hb_stmt_reset(st);
    if (rc < 0 || reset < 0)
        return rc < 0 ? rc : reset;
    return rc != HB_STORE_ROW ? NOT_STORED : *what < 0 ? STORED_SAME : STORED_OTHER;
}

int hb_vaccine_record(hb_store *store, hb_vaccine_dose *dose, int64_t *id)
{
    char day[HB_DATE_STRLEN];
    int rc = hb_vaccine_dose_check(store, dose, hb_vaccine_today());
    if (rc < 0)
        return rc;
    hb_stmt *st = NULL;
    int64_t new_id = 0;
    if ((rc = hb_store_begin(store)) == 0 && (rc = prepare_insert(store, &st)) == 0)
        rc = insert(st, dose, NULL, &new_id);
    hb_stmt_finalize(st);
    if (rc == 0)
        rc = hb_error_set(HB_ECONFLICT, "a dose of %s on %s is already recorded for %s",
                          dose->product, hb_date_format(day, dose->date), dose->person);
    if (rc > 0) {
        dose->id = *id = new_id;
        return hb_store_commit(store);
    }
    if (hb_store_in_transaction(store))
        hb_store_rollback(store);
    return rc;
}

/* ---- importing ---- */

typedef struct importer {
    hb_store *store;
    const hb_vaccine_import_options *opt;
    hb_vaccine_import_report *report;
    hb_csv *csv;
    long col[NDOSE_COLS]; /* column c of the file is field col[c] of its records */
    refs refs;
    hb_stmt *find, *insert;
    hb_buf stored; /* byte r: record r + 1 was found stored, identical, in pass 1 */
    bool denied;
} importer;

void hb_vaccine_import_report_dispose(hb_vaccine_import_report *report)
{
    hb_free(report->errors);
    report->errors = NULL;
    report->nlisted = 0;
}

/* A problem of column c of the current record. */
static void note(importer *im, int c, bool denied, const char *reason)
{
    hb_vaccine_import_report *r = im->report;
    r->nerrors++;
    im->denied |= denied;
    if (!r->errors)
        r->errors = hb_calloc(HB_REPORT_ERRORS_MAX, sizeof *r->errors);
    /* Out of memory, or past the first HB_REPORT_ERRORS_MAX: counted, not listed (the import
     * fails all the same). */
    if (!r->errors || r->nlisted == HB_REPORT_ERRORS_MAX)
        return;
    hb_vaccine_import_error *e = &r->errors[r->nlisted++];
    size_t field = (size_t)im->col[c];
    e->record = r->rows;
    e->line = hb_csv_line(im->csv);
    e->column = hb_csv_column(im->csv, field);
    e->field = dose_cols[c];
    e->denied = denied;
    snprintf(e->reason, sizeof e->reason, "%s", reason);
    hb_csv_error(im->csv, field, "%s", reason);
    snprintf(e->message, sizeof e->message, "%s", hb_error_last());
}

static void text_field(const importer *im, int c, char *out, size_t size, problems *p)
{
    size_t len;
    const char *v = hb_csv_field(im->csv, (size_t)im->col[c], &len);
    if (len >= size)
        bad(p, c, "longer than %zu characters", size - 1);
    else
        memcpy(out, v, len + 1);
}

static void count_field(const importer *im, int c, int *out, problems *p)
{
    size_t len;
    const char *v = hb_csv_field(im->csv, (size_t)im->col[c], &len);
    int64_t n;
    if (hb_parse_int64(&n, v, len) < 0 || n < 0 || n > 1000)
        bad(p, c, "'%.32s' is not a dose count", v);
    else
        *out = (int)n;
}

/* The current record as a dose, checked. */
static void read_dose(importer *im, hb_vaccine_dose *d, problems *p)
{
    static const int texts[] = { COL_PERSON,          COL_RESIDENCE, COL_PRODUCT, COL_MANUFACTURER,
                                 COL_ADMINISTERED_IN, COL_SITE,      COL_REGION,  COL_LOT };
    char *const out[] = { d->person,          d->residence, d->product, d->manufacturer,
                          d->administered_in, d->site,      d->region,  d->lot };
    const size_t sizes[] = { sizeof d->person,          sizeof d->residence,
                             sizeof d->product,         sizeof d->manufacturer,
                             sizeof d->administered_in, sizeof d->site,
                             sizeof d->region,          sizeof d->lot };
    memset(d, 0, sizeof *d);
    p->bad = 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        text_field(im, texts[i], out[i], sizes[i], p);
    count_field(im, COL_DOSE_NUMBER, &d->dose_number, p);
    count_field(im, COL_SERIES_DOSES, &d->series_doses, p);
    size_t len;
    const char *v = hb_csv_field(im->csv, (size_t)im->col[COL_DATE], &len);
    if (hb_date_parse(&d->date, v, len) < 0)
        bad(p, COL_DATE, "%s", hb_error_last());
    check_fields(&im->refs, d, im->opt->today, p);
}

static int map_columns(importer *im)
{
    hb_csv *csv = im->csv;
    int rc = hb_csv_read_header(csv);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < NDOSE_COLS; i++)
        if ((im->col[i] = hb_csv_find(csv, dose_cols[i])) < 0)
            return hb_error_set(HB_EINVAL, "%s:1: missing column '%s'", hb_csv_name(csv),
                                dose_cols[i]);
    if (hb_csv_header_count(csv) != NDOSE_COLS)
        return hb_error_set(HB_EINVAL, "%s:1: %zu columns; expected exactly %s, %s, … (%zu)",
                            hb_csv_name(csv), hb_csv_header_count(csv), dose_cols[0], dose_cols[1],
                            (size_t)NDOSE_COLS);
    return 0;
}

/* A dose that differs, in column what, from the one recorded under its key. */
static void clash(importer *im, const hb_vaccine_dose *d, int what)
{
    char day[HB_DATE_STRLEN], reason[HB_ERROR_MESSAGE_MAX];
    snprintf(reason, sizeof reason,
             "a dose of %s on %s is already recorded for this person with another %s; recorded "
             "doses are not changed by an import",
             d->product, hb_date_format(day, d->date), dose_cols[what]);
    note(im, what, false, reason);
}

/* Pass 1, one record: its problems, including a difference from the dose stored under its key
 * and a dose the caller may not record. */
static int check_record(importer *im)
{
    hb_vaccine_dose d;
    problems p;
    read_dose(im, &d, &p);
    for (int c = 0; c < NDOSE_COLS; c++)
        if (p.bad & (1u << c))
            note(im, c, false, p.reason[c]);
    const hb_vaccine_import_options *o = im->opt;
    if (!(p.bad & (1u << COL_ADMINISTERED_IN)) && o->may_record &&
        !o->may_record(d.administered_in, o->payload)) {
        char reason[64];
        snprintf(reason, sizeof reason, "doses given in %s are not yours to record",
                 d.administered_in);
        note(im, COL_ADMINISTERED_IN, true, reason);
    }
    int what, rc = p.bad ? NOT_STORED : compare_stored(im->find, &d, &what);
    if (rc == STORED_OTHER)
        clash(im, &d, what);
    return rc < 0 ? rc : hb_buf_putc(&im->stored, rc == STORED_SAME);
}

static int check_all(importer *im)
{
    int rc = map_columns(im);
    while (rc == 0 && (rc = hb_csv_next(im->csv)) == 1) {
        if (++im->report->rows > HB_VACCINE_IMPORT_ROWS_MAX)
            return hb_error_set(HB_ELIMIT, "%s: more than %d doses in one file",
                                hb_csv_name(im->csv), HB_VACCINE_IMPORT_ROWS_MAX);
        rc = check_record(im);
    }
    return rc;
}

/* Pass 2, one record (pass 1 found it good). A clash now is with an earlier line of the file
 * (or a dose another request has just recorded): the import stops there. */
static int write_record(importer *im)
{
    hb_vaccine_dose d;
    problems p;
    int64_t id;
    int what;
    hb_vaccine_import_report *r = im->report;
    if (im->stored.ptr[r->rows - 1]) {
        r->unchanged++;
        return 0;
    }
    read_dose(im, &d, &p);
    assert(p.bad == 0); /* the same text, reference data and day as in pass 1 */
    int rc = insert(im->insert, &d, im->opt->recorded_by, &id);
    if (rc == 1)
        r->inserted++;
    else if (rc == 0 && (rc = compare_stored(im->find, &d, &what)) == STORED_SAME)
        r->unchanged++;
    else if (rc == STORED_OTHER) {
        clash(im, &d, what);
        return hb_error_set(HB_EINVAL, "%s: 1 problem in line %lu; nothing was imported",
                            hb_csv_name(im->csv), hb_csv_line(im->csv));
    }
    return rc < 0 ? rc : 0;
}

static int write_all(importer *im, const char *name, const char *data, size_t len)
{
    hb_csv_free(im->csv);
    im->csv = NULL;
    im->report->rows = 0;
    int rc = hb_csv_open_memory(&im->csv, name, data, len);
    if (rc == 0)
        rc = map_columns(im);
    while (rc == 0 && (rc = hb_csv_next(im->csv)) == 1) {
        im->report->rows++;
        rc = write_record(im);
    }
    return rc;
}

/* Both passes; the transaction is the caller's. */
static int run(importer *im, const char *name, const char *data, size_t len)
{
    int rc = refs_load(im->store, &im->refs);
    if (rc < 0)
        return rc;
    hb_buf_init(&im->stored, HB_VACCINE_IMPORT_ROWS_MAX + 1);
    if ((rc = prepare_find(im->store, &im->find)) == 0 &&
        (rc = prepare_insert(im->store, &im->insert)) == 0 &&
        (rc = hb_csv_open_memory(&im->csv, name, data, len)) == 0)
        rc = check_all(im);
    size_t n = im->report->nerrors;
    if (rc == 0 && n > 0)
        rc = hb_error_set(im->denied ? HB_EPERM : HB_EINVAL,
                          "%s: %zu problem%s in %zu dose%s%s; nothing was imported", name, n,
                          n == 1 ? "" : "s", im->report->rows, im->report->rows == 1 ? "" : "s",
                          im->denied ? " (some doses are not yours to record)" : "");
    if (rc == 0)
        rc = write_all(im, name, data, len);
    hb_csv_free(im->csv);
    hb_stmt_finalize(im->find);
    hb_stmt_finalize(im->insert);
    hb_buf_dispose(&im->stored);
    refs_dispose(&im->refs);
    return rc;
}

int hb_vaccine_import(hb_store *store, const char *name, const char *data, size_t len,
                      const hb_vaccine_import_options *opt, hb_vaccine_import_report *report)
{
    memset(report, 0, sizeof *report);
    importer im = { .store = store, .opt = opt, .report = report };
    bool own = !hb_store_in_transaction(store);
    int rc = own ? hb_store_begin(store) : 0;
    if (rc == 0)
        rc = run(&im, name, data, len);
    if (own && rc == 0)
        rc = hb_store_commit(store);
    else if (own && hb_store_in_transaction(store))
        hb_store_rollback(store);
    if (rc < 0)
        report->inserted = report->unchanged = 0;
    return rc;
}

/* ---- reading ---- */

int hb_vaccine_doses_of(hb_store *store, const char *person, hb_vaccine_dose **out, size_t *count)
{
    hb_stmt *st;
    *out = NULL;
    *count = 0;
    int rc = hb_store_prepare(
        store, &st,
        "SELECT id, person, residence, product, manufacturer, dose_number, series_doses, date, "
        "administered_in, site, COALESCE(region, ''), COALESCE(lot, '') FROM hb_vaccine_doses "
        "WHERE person = ? ORDER BY date, dose_number, id");
    if (rc < 0)
        return rc;
    hb_stmt_bind_cstr(st, 1, person);
    hb_vaccine_dose *d = hb_calloc(HB_VACCINE_DOSES_MAX, sizeof *d);
    if (!d) {
        hb_stmt_finalize(st);
        return HB_ENOMEM;
    }
    size_t n = 0;
    while ((rc = hb_stmt_step(st)) == HB_STORE_ROW && n < HB_VACCINE_DOSES_MAX) {
        hb_vaccine_dose *x = &d[n++];
        x->id = hb_stmt_int64(st, 0);
        snprintf(x->person, sizeof x->person, "%s", hb_stmt_text(st, 1, NULL));
        snprintf(x->residence, sizeof x->residence, "%s", hb_stmt_text(st, 2, NULL));
        snprintf(x->product, sizeof x->product, "%s", hb_stmt_text(st, 3, NULL));
        snprintf(x->manufacturer, sizeof x->manufacturer, "%s", hb_stmt_text(st, 4, NULL));
        x->dose_number = (int)hb_stmt_int64(st, 5);
        x->series_doses = (int)hb_stmt_int64(st, 6);
        const char *day = hb_stmt_text(st, 7, NULL);
        hb_date_parse(&x->date, day, strlen(day));
        snprintf(x->administered_in, sizeof x->administered_in, "%s", hb_stmt_text(st, 8, NULL));
        snprintf(x->site, sizeof x->site, "%s", hb_stmt_text(st, 9, NULL));
        snprintf(x->region, sizeof x->region, "%s", hb_stmt_text(st, 10, NULL));
        snprintf(x->lot, sizeof x->lot, "%s", hb_stmt_text(st, 11, NULL));
    }
    hb_stmt_finalize(st);
    if (rc == HB_STORE_ROW)
        rc = hb_error_set(HB_ELIMIT, "person %s has more than %d doses recorded", person,
                          HB_VACCINE_DOSES_MAX);
    if (rc < 0) {
        hb_free(d);
        return rc;
    }
    *out = d;
    *count = n;
    return 0;
}

int hb_vaccine_holders(hb_store *store, const char *person, const char *org,
                       const char *jurisdiction, char residence[3], bool *recorded,
                       bool *given_there)
{
    hb_stmt *st;
    *recorded = *given_there = false;
    residence[0] = '\0';
    int rc = hb_store_prepare(store, &st,
                              "SELECT residence, COALESCE(recorded_by, ''), administered_in FROM "
                              "hb_vaccine_doses WHERE person = ? ORDER BY date, id");
    if (rc < 0)
        return rc;
    hb_stmt_bind_cstr(st, 1, person);
    size_t n = 0;
    while ((rc = hb_stmt_step(st)) == HB_STORE_ROW && n++ < HB_VACCINE_DOSES_MAX) {
        snprintf(residence, 3, "%s", hb_stmt_text(st, 0, NULL)); /* the latest dose's wins */
        *recorded |= strcmp(hb_stmt_text(st, 1, NULL), org) == 0;
        *given_there |= strcmp(hb_stmt_text(st, 2, NULL), jurisdiction) == 0;
    }
    hb_stmt_finalize(st);
    if (rc == HB_STORE_ROW)
        return hb_error_set(HB_ELIMIT, "person %s has more than %d doses recorded", person,
                            HB_VACCINE_DOSES_MAX);
    if (rc < 0)
        return rc;
    return n == 0 ? hb_error_set(HB_ENOTFOUND, "no doses recorded for %s", person) : 0;
}
