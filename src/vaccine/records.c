/*
 * vaccine/records.c — doses: checking, recording one, importing many, reading a person's.
 *
 * Import is two passes over the file: every line is parsed and checked (bad lines collected, up
 * to HB_REPORT_ERRORS_MAX, each with file:line:column and the field), and only when all are good
 * are the rows written, in one transaction. A clash with a dose already stored rolls everything
 * back and names the line. So a file is imported entirely or not at all.
 */
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

static const char *const dose_cols[] = {
    "person", "residence",       "product", "manufacturer", "dose_number", "series_doses",
    "date",   "administered_in", "site",    "region",       "lot"
};
#define NDOSE_COLS (sizeof dose_cols / sizeof dose_cols[0])

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

static int check_references(hb_store *store, hb_vaccine_dose *d)
{
    char maker[HB_VACCINE_CODE_MAX + 1], j[3];
    int rc =
        hb_vaccine__lookup(store, "SELECT manufacturer FROM hb_vaccine_products WHERE code = ?",
                           d->product, maker, sizeof maker);
    if (rc == HB_ENOTFOUND)
        return hb_error_set(HB_EINVAL,
                            "product: '%s' is not a known product (see `healthybay "
                            "vaccine products`)",
                            d->product);
    if (rc < 0)
        return rc;
    if (!*d->manufacturer)
        snprintf(d->manufacturer, sizeof d->manufacturer, "%s", maker);
    else if (strcmp(d->manufacturer, maker) != 0)
        return hb_error_set(HB_EINVAL, "manufacturer: '%s' does not make %s (%s does)",
                            d->manufacturer, d->product, maker);
    if (!*d->region)
        return 0;
    rc = hb_vaccine__lookup(store, "SELECT jurisdiction FROM hb_regions WHERE code = ?", d->region,
                            j, sizeof j);
    if (rc == HB_ENOTFOUND)
        return hb_error_set(HB_EINVAL,
                            "region: '%s' is not a region code (see `healthybay "
                            "regions`)",
                            d->region);
    if (rc == 0 && strcmp(j, d->administered_in) != 0)
        return hb_error_set(HB_EINVAL, "region: %s is in %s, not in %s where the dose was given",
                            d->region, j, d->administered_in);
    return rc;
}

int hb_vaccine_dose_check(hb_store *store, hb_vaccine_dose *d, hb_date today)
{
    static const hb_date first_vaccine_day = 18444; /* 2020-07-01: before any COVID-19 dose */
    if (!is_pseudonym(d->person))
        return hb_error_set(HB_EINVAL,
                            "person: must be a pseudonym of 8 to %d printable "
                            "characters (see `healthybay vaccine pseudonym`)",
                            HB_VACCINE_PERSON_MAX);
    if (!is_jurisdiction(d->residence))
        return hb_error_set(HB_EINVAL, "residence: '%s' is not GD, HK or MO", d->residence);
    if (!is_jurisdiction(d->administered_in))
        return hb_error_set(HB_EINVAL, "administered_in: '%s' is not GD, HK or MO",
                            d->administered_in);
    if (d->dose_number < 1 || d->dose_number > 20)
        return hb_error_set(HB_EINVAL, "dose_number: must be 1 to 20");
    if (d->series_doses < 1 || d->series_doses > 20)
        return hb_error_set(HB_EINVAL, "series_doses: must be 1 to 20");
    if (d->date < first_vaccine_day || d->date > today)
        return hb_error_set(HB_EINVAL, "date: must be between 2020-07-01 and today");
    if (!*d->site)
        return hb_error_set(HB_EINVAL, "site: must not be empty");
    return check_references(store, d);
}

static int insert(hb_store *store, const hb_vaccine_dose *d, int64_t *id)
{
    char day[HB_DATE_STRLEN], now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(
        store, &st,
        "INSERT INTO hb_vaccine_doses (person, residence, product, manufacturer, dose_number, "
        "series_doses, date, administered_in, site, region, lot, recorded_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (rc < 0)
        return rc;
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
    rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW && id)
        *id = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    if (rc == HB_ECONFLICT)
        return hb_error_set(HB_ECONFLICT, "a dose of %s on %s is already recorded for %s",
                            d->product, day, d->person);
    return rc < 0 ? rc : 0;
}

int hb_vaccine_record(hb_store *store, hb_vaccine_dose *dose, int64_t *id)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_date today;
    hb_date_parse(&today, hb_timestamp_now(now), 10);
    int rc = hb_vaccine_dose_check(store, dose, today);
    if (rc < 0)
        return rc;
    if ((rc = hb_store_begin(store)) < 0)
        return rc;
    rc = insert(store, dose, id);
    if (rc == 0 && id)
        dose->id = *id;
    return rc == 0 ? hb_store_commit(store) : (hb_store_rollback(store), rc);
}

void hb_vaccine_import_report_dispose(hb_vaccine_import_report *report)
{
    hb_buf_dispose(&report->details);
}

static int copy_field(const hb_csv *csv, size_t i, char *out, size_t size)
{
    size_t len;
    const char *v = hb_csv_field(csv, i, &len);
    if (len >= size)
        return hb_csv_error(csv, i, "longer than %zu characters", size - 1);
    memcpy(out, v, len + 1);
    return 0;
}

static int int_field(const hb_csv *csv, size_t i, int *out)
{
    size_t len;
    const char *v = hb_csv_field(csv, i, &len);
    int64_t n;
    if (hb_parse_int64(&n, v, len) < 0 || n < 0 || n > 1000)
        return hb_csv_error(csv, i, "'%s' is not a dose count", v);
    *out = (int)n;
    return 0;
}

/* Parse and check one record; a failed check names the column it is about. */
static int parse_dose(hb_store *store, const hb_csv *csv, const long *col, hb_vaccine_dose *d,
                      hb_date today)
{
    memset(d, 0, sizeof *d);
    size_t len;
    const char *v;
    int rc;
    if ((rc = copy_field(csv, (size_t)col[0], d->person, sizeof d->person)) < 0 ||
        (rc = copy_field(csv, (size_t)col[1], d->residence, sizeof d->residence)) < 0 ||
        (rc = copy_field(csv, (size_t)col[2], d->product, sizeof d->product)) < 0 ||
        (rc = copy_field(csv, (size_t)col[3], d->manufacturer, sizeof d->manufacturer)) < 0 ||
        (rc = int_field(csv, (size_t)col[4], &d->dose_number)) < 0 ||
        (rc = int_field(csv, (size_t)col[5], &d->series_doses)) < 0 ||
        (rc = copy_field(csv, (size_t)col[7], d->administered_in, sizeof d->administered_in)) < 0 ||
        (rc = copy_field(csv, (size_t)col[8], d->site, sizeof d->site)) < 0 ||
        (rc = copy_field(csv, (size_t)col[9], d->region, sizeof d->region)) < 0 ||
        (rc = copy_field(csv, (size_t)col[10], d->lot, sizeof d->lot)) < 0)
        return rc;
    v = hb_csv_field(csv, (size_t)col[6], &len);
    if (hb_date_parse(&d->date, v, len) < 0)
        return hb_csv_error(csv, (size_t)col[6], "%s", hb_error_last());
    rc = hb_vaccine_dose_check(store, d, today);
    if (rc != HB_EINVAL)
        return rc;
    /* "field: reason" → point at that field's column. */
    char msg[HB_ERROR_MESSAGE_MAX];
    snprintf(msg, sizeof msg, "%s", hb_error_last());
    for (size_t i = 0; i < NDOSE_COLS; i++) {
        size_t n = strlen(dose_cols[i]);
        if (strncmp(msg, dose_cols[i], n) == 0 && msg[n] == ':')
            return hb_csv_error(csv, (size_t)col[i], "%s", msg + n + 2);
    }
    return hb_csv_error(csv, 0, "%s", msg);
}

static int map_columns(hb_csv *csv, long *col)
{
    int rc = hb_csv_read_header(csv);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < NDOSE_COLS; i++)
        if ((col[i] = hb_csv_find(csv, dose_cols[i])) < 0)
            return hb_error_set(HB_EINVAL, "%s:1: missing column '%s'", hb_csv_name(csv),
                                dose_cols[i]);
    if (hb_csv_header_count(csv) != NDOSE_COLS)
        return hb_error_set(HB_EINVAL, "%s:1: %zu columns; expected exactly %s, %s, … (%zu)",
                            hb_csv_name(csv), hb_csv_header_count(csv), dose_cols[0], dose_cols[1],
                            NDOSE_COLS);
    return 0;
}

/* Pass 1: check every line, collecting the bad ones. */
static int check_all(hb_store *store, const char *name, const char *data, size_t len, hb_date today,
                     hb_vaccine_import_report *report)
{
    hb_csv *csv;
    long col[NDOSE_COLS];
    hb_vaccine_dose d;
    int rc = hb_csv_open_memory(&csv, name, data, len);
    if (rc < 0)
        return rc;
    size_t rows = 0;
    rc = map_columns(csv, col);
    while (rc == 0 && (rc = hb_csv_next(csv)) == 1) {
        if (++rows > HB_VACCINE_IMPORT_ROWS_MAX) {
            rc = hb_error_set(HB_ELIMIT, "%s: more than %d doses in one file", name,
                              HB_VACCINE_IMPORT_ROWS_MAX);
            break;
        }
        rc = parse_dose(store, csv, col, &d, today);
        if (rc == HB_EINVAL) {
            if (report->errors++ < HB_REPORT_ERRORS_MAX &&
                hb_buf_printf(&report->details, "%s\n", hb_error_last()) < 0)
                rc = HB_ENOMEM;
            else
                rc = 0;
        }
    }
    hb_csv_free(csv);
    if (rc < 0)
        return rc;
    if (report->errors)
        return hb_error_set(HB_EINVAL, "%s: %zu bad line%s, nothing imported", name, report->errors,
                            report->errors == 1 ? "" : "s");
    return 0;
}

/* Pass 2: write every line in one transaction. */
static int write_all(hb_store *store, const char *name, const char *data, size_t len, hb_date today,
                     hb_vaccine_import_report *report)
{
    hb_csv *csv;
    long col[NDOSE_COLS];
    hb_vaccine_dose d;
    int rc = hb_csv_open_memory(&csv, name, data, len);
    if (rc < 0)
        return rc;
    if ((rc = map_columns(csv, col)) == 0)
        rc = hb_store_begin(store);
    if (rc < 0) {
        hb_csv_free(csv);
        return rc;
    }
    size_t rows = 0;
    while ((rc = hb_csv_next(csv)) == 1) {
        if ((rc = parse_dose(store, csv, col, &d, today)) < 0 ||
            (rc = insert(store, &d, NULL)) < 0) {
            hb_error_prefix("%s:%lu: ", name, hb_csv_line(csv));
            break;
        }
        rows++;
    }
    hb_csv_free(csv);
    if (rc == 0 && (rc = hb_store_commit(store)) == 0)
        report->rows = rows;
    if (rc < 0 && hb_store_in_transaction(store))
        hb_store_rollback(store);
    return rc;
}

int hb_vaccine_import(hb_store *store, const char *name, const char *data, size_t len,
                      hb_date today, hb_vaccine_import_report *report)
{
    memset(report, 0, sizeof *report);
    hb_buf_init(&report->details, 0);
    int rc = check_all(store, name, data, len, today, report);
    return rc < 0 ? rc : write_all(store, name, data, len, today, report);
}

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
