/*
 * warn/ingest.c — checking and storing reported counts (see ingest.h).
 *
 * Two phases. Checking reads every record into a compact in-memory row (codes replaced by their
 * index in sorted reference tables), collects every bad field instead of stopping at the first,
 * and finds duplicate keys with a hash. Only a file without errors reaches writing, which runs in
 * one transaction with four prepared statements: the common case — a value never seen — is a
 * single INSERT … ON CONFLICT DO NOTHING; only keys already stored are read back and compared.
 */
#include "warn/ingest.h"

#include <stdlib.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/limits.h"
#include "util/parse.h"

/* Distinct age groups in one file: reporting strata are a handful; more is a malformed file. */
#define AGE_GROUPS_MAX 1024
#define PROGRESS_EVERY 65536

enum { SEX_ALL, SEX_FEMALE, SEX_MALE, SEX_UNKNOWN };
static const char *const sex_names[] = { "all", "female", "male", "unknown" };

/* A sorted table of reference codes, with one attribute per code. */
typedef struct codes {
    char **code;
    char **attr; /* regions: jurisdiction; measures: kind */
    size_t n;
} codes;

typedef struct in_row {
    hb_date date;
    uint32_t line;
    uint16_t region, disease, age;
    uint8_t measure, sex;
    double value;
} in_row;

typedef struct ingest {
    hb_store *store;
    const hb_ingest_options *opt;
    codes regions, diseases, measures;
    char *ages[AGE_GROUPS_MAX];
    size_t nages;
    in_row *rows;
    size_t nrows, cap;
    uint32_t *slots; /* duplicate detection: row index + 1 */
    size_t nslots;
    hb_buf errors;
    uint64_t nerrors;
    char foreign[8]; /* the first other jurisdiction a region was in (see the report) */
} ingest;

/* Column positions; -1 when absent (optional columns only). */
typedef struct cols {
    long date, region, disease, measure, value, age, sex;
} cols;

static int compare_code(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void codes_dispose(codes *c)
{
    for (size_t i = 0; i < c->n; i++) {
        hb_free(c->code[i]);
        hb_free(c->attr[i]);
    }
    hb_free(c->code);
    hb_free(c->attr);
}

/* Load "SELECT code, attr" into a table sorted by strcmp (database collations differ). */
static int codes_load(hb_store *store, const char *sql, codes *c)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, sql);
    size_t cap = 0;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        rc = 0;
        if (c->n == cap) {
            cap = cap ? cap * 2 : 64;
            char **code = hb_reallocarray(c->code, cap, sizeof *code);
            char **attr = code ? hb_reallocarray(c->attr, cap, sizeof *attr) : NULL;
            if (code)
                c->code = code;
            if (!code || !attr) {
                rc = HB_ENOMEM;
                break;
            }
            c->attr = attr;
        }
        c->code[c->n] = hb_strdup(hb_stmt_text(st, 0, NULL));
        c->attr[c->n] = hb_strdup(hb_stmt_text(st, 1, NULL));
        c->n++;
        if (!c->code[c->n - 1] || !c->attr[c->n - 1])
            rc = HB_ENOMEM;
    }
    hb_stmt_finalize(st);
    if (rc < 0)
        return rc;
    /* Sort code and attr together through an index. */
    char **pairs = hb_mallocarray(c->n * 2 + 1, sizeof *pairs);
    if (!pairs)
        return HB_ENOMEM;
    for (size_t i = 0; i < c->n; i++) {
        pairs[2 * i] = c->code[i];
        pairs[2 * i + 1] = c->attr[i];
    }
    qsort(pairs, c->n, 2 * sizeof *pairs, compare_code);
    for (size_t i = 0; i < c->n; i++) {
        c->code[i] = pairs[2 * i];
        c->attr[i] = pairs[2 * i + 1];
    }
    hb_free(pairs);
    return 0;
}

static long codes_find(const codes *c, const char *code)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->code[mid], code);
        if (cmp == 0)
            return (long)mid;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Record the current error message as one bad field; keeps checking. */
static void note_error(ingest *in)
{
    in->nerrors++;
    if (in->nerrors <= HB_REPORT_ERRORS_MAX) {
        hb_buf_puts(&in->errors, hb_error_last());
        hb_buf_putc(&in->errors, '\n');
    }
}

static int find_cols(const hb_csv *csv, cols *c)
{
    static const char *const known[] = { "date",  "region",    "disease", "measure",
                                         "value", "age_group", "sex" };
    long *slot[] = { &c->date, &c->region, &c->disease, &c->measure, &c->value, &c->age, &c->sex };
    for (size_t i = 0; i < 7; i++) {
        *slot[i] = hb_csv_find(csv, known[i]);
        if (*slot[i] < 0 && i < 5)
            return hb_error_set(HB_EINVAL,
                                "%s:1: missing column '%s' (required: date, region, "
                                "disease, measure, value; optional: age_group, sex)",
                                hb_csv_name(csv), known[i]);
    }
    for (size_t f = 0; f < hb_csv_header_count(csv); f++) {
        size_t i;
        for (i = 0; i < 7 && strcmp(known[i], hb_csv_header_name(csv, f)) != 0; i++)
            ;
        if (i == 7)
            return hb_error_set(HB_EINVAL,
                                "%s:1: unknown column '%s' (allowed: date, region, disease, "
                                "measure, value, age_group, sex)",
                                hb_csv_name(csv), hb_csv_header_name(csv, f));
    }
    return 0;
}

/* `all`, `A-B` with A <= B, or `A+`: ages in whole years. */
static bool valid_age_group(const char *s)
{
    if (strcmp(s, "all") == 0)
        return true;
    const char *p = s;
    long a = 0, b = 0;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9' && a < 1000)
        a = a * 10 + (*p++ - '0');
    if (p[0] == '+' && p[1] == '\0')
        return a < 150;
    if (*p++ != '-' || *p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9' && b < 1000)
        b = b * 10 + (*p++ - '0');
    return *p == '\0' && a <= b && b < 150;
}

static int intern_age(ingest *in, const hb_csv *csv, long col, uint16_t *out)
{
    const char *age = col >= 0 ? hb_csv_field(csv, (size_t)col, NULL) : "";
    if (!*age)
        age = "all";
    for (size_t i = 0; i < in->nages; i++)
        if (strcmp(in->ages[i], age) == 0) {
            *out = (uint16_t)i;
            return 0;
        }
    if (!valid_age_group(age))
        return hb_csv_error(csv, (size_t)col,
                            "'%s' is not an age group (all, A-B or A+, in "
                            "years)",
                            age);
    if (in->nages == AGE_GROUPS_MAX)
        return hb_csv_error(csv, (size_t)col, "more than %d different age groups", AGE_GROUPS_MAX);
    if (!(in->ages[in->nages] = hb_strdup(age)))
        return HB_ENOMEM;
    *out = (uint16_t)in->nages++;
    return 0;
}

static int parse_sex(const hb_csv *csv, long col, uint8_t *out)
{
    const char *sex = col >= 0 ? hb_csv_field(csv, (size_t)col, NULL) : "";
    if (!*sex) {
        *out = SEX_ALL;
        return 0;
    }
    for (uint8_t i = 0; i < 4; i++)
        if (strcmp(sex, sex_names[i]) == 0) {
            *out = i;
            return 0;
        }
    return hb_csv_error(csv, (size_t)col, "'%s' is not one of all, female, male, unknown", sex);
}

static int parse_value(const ingest *in, const hb_csv *csv, long col, uint8_t measure, double *out)
{
    size_t len;
    const char *v = hb_csv_field(csv, (size_t)col, &len);
    bool count = strcmp(in->measures.attr[measure], "count") == 0;
    if (len == 0)
        return hb_csv_error(csv, (size_t)col,
                            "empty (leave the row out when nothing was "
                            "reported)");
    if (hb_parse_double(out, v, len) < 0)
        return hb_csv_error(csv, (size_t)col, "'%s' is not a number", v);
    if (*out < 0)
        return hb_csv_error(csv, (size_t)col, "'%s' is negative", v);
    if (count && (*out != (double)(int64_t)*out || *out > 9007199254740992.0))
        return hb_csv_error(csv, (size_t)col, "'%s' is not a whole number (%s is a count)", v,
                            in->measures.code[measure]);
    if (strcmp(in->measures.code[measure], "positivity") == 0 && *out > 100)
        return hb_csv_error(csv, (size_t)col, "'%s' is above 100 (positivity is a percentage)", v);
    return 0;
}

/* Look a code up; on failure record an error and return -1. */
static long lookup(const hb_csv *csv, long col, const codes *c, const char *what)
{
    const char *code = hb_csv_field(csv, (size_t)col, NULL);
    long i = codes_find(c, code);
    if (i < 0)
        hb_csv_error(csv, (size_t)col, "'%s' is not a known %s code (see 'healthybay %s')", code,
                     what, strcmp(what, "region") == 0 ? "regions" : "diseases");
    return i;
}

/* Check every field of one record; errors are noted, *ok says whether the row is usable. */
static int check_record(ingest *in, const hb_csv *csv, const cols *c, in_row *r, bool *ok)
{
    size_t len;
    *ok = false;
    const char *d = hb_csv_field(csv, (size_t)c->date, &len);
    bool good = true;
    if (hb_date_parse(&r->date, d, len) < 0) {
        hb_csv_error(csv, (size_t)c->date, "%s", hb_error_last());
        note_error(in);
        good = false;
    }
    long region = lookup(csv, c->region, &in->regions, "region");
    if (region < 0)
        note_error(in);
    else if (in->opt->jurisdiction && strcmp(in->regions.attr[region], in->opt->jurisdiction)) {
        hb_csv_error(csv, (size_t)c->region, "region %s is in %s; this report is for %s",
                     in->regions.code[region], in->regions.attr[region], in->opt->jurisdiction);
        if (!in->foreign[0])
            snprintf(in->foreign, sizeof in->foreign, "%s", in->regions.attr[region]);
        note_error(in);
        region = -1;
    }
    long disease = lookup(csv, c->disease, &in->diseases, "disease");
    if (disease < 0)
        note_error(in);
    long measure = codes_find(&in->measures, hb_csv_field(csv, (size_t)c->measure, NULL));
    if (measure < 0) {
        hb_csv_error(csv, (size_t)c->measure,
                     "'%s' is not a measure (cases, deaths, admissions, "
                     "positives, ili_rate, positivity)",
                     hb_csv_field(csv, (size_t)c->measure, NULL));
        note_error(in);
    } else if (parse_value(in, csv, c->value, (uint8_t)measure, &r->value) < 0) {
        note_error(in);
        good = false;
    }
    int rc = intern_age(in, csv, c->age, &r->age);
    if (rc == HB_ENOMEM)
        return rc;
    if (rc < 0)
        note_error(in);
    if (parse_sex(csv, c->sex, &r->sex) < 0) {
        note_error(in);
        good = false;
    }
    r->line = (uint32_t)hb_csv_line(csv);
    *ok = good && rc == 0 && region >= 0 && disease >= 0 && measure >= 0;
    r->region = (uint16_t)(region < 0 ? 0 : region);
    r->disease = (uint16_t)(disease < 0 ? 0 : disease);
    r->measure = (uint8_t)(measure < 0 ? 0 : measure);
    return 0;
}

static bool same_key(const in_row *a, const in_row *b)
{
    return a->date == b->date && a->region == b->region && a->disease == b->disease &&
           a->measure == b->measure && a->age == b->age && a->sex == b->sex;
}

static size_t hash_row(const in_row *r)
{
    uint64_t h = (uint64_t)(uint32_t)r->date * 0x9E3779B97F4A7C15ULL;
    h ^= ((uint64_t)r->region << 40) ^ ((uint64_t)r->disease << 24) ^ ((uint64_t)r->measure << 16) ^
         ((uint64_t)r->age << 4) ^ r->sex;
    h *= 0xBF58476D1CE4E5B9ULL;
    return (size_t)(h ^ (h >> 31));
}

static int grow_slots(ingest *in)
{
    size_t n = in->nslots ? in->nslots * 2 : 4096;
    uint32_t *slots = hb_calloc(n, sizeof *slots);
    if (!slots)
        return HB_ENOMEM;
    for (size_t i = 0; i < in->nrows; i++) {
        size_t j = hash_row(&in->rows[i]) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    hb_free(in->slots);
    in->slots = slots;
    in->nslots = n;
    return 0;
}

/* Keep a checked row unless its key was already in the file. */
static int keep_row(ingest *in, const hb_csv *csv, const cols *c, const in_row *r)
{
    if (in->nrows == UINT32_MAX - 1)
        return hb_error_set(HB_ELIMIT, "%s: too many rows in one file", hb_csv_name(csv));
    if ((in->nrows + 1) * 2 > in->nslots && grow_slots(in) < 0)
        return HB_ENOMEM;
    size_t mask = in->nslots - 1, j = hash_row(r) & mask;
    for (; in->slots[j]; j = (j + 1) & mask) {
        const in_row *other = &in->rows[in->slots[j] - 1];
        if (same_key(other, r)) {
            hb_csv_error(csv, (size_t)c->date,
                         "same region, disease, measure, age group, sex and date as line %u",
                         other->line);
            note_error(in);
            return 0;
        }
    }
    if (in->nrows == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 4096;
        in_row *p = hb_reallocarray(in->rows, cap, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        in->rows = p;
        in->cap = cap;
    }
    in->rows[in->nrows] = *r;
    in->slots[j] = (uint32_t)(++in->nrows);
    return 0;
}

static void report_progress(const ingest *in, const char *phase, uint64_t done, uint64_t total)
{
    if (in->opt->progress)
        in->opt->progress(phase, done, total, in->opt->payload);
}

/* Phase 1. Returns < 0 for errors that stop reading (CSV syntax, I/O, memory). */
static int check_all(ingest *in, hb_csv *csv, hb_ingest_report *report)
{
    cols c;
    int rc = hb_csv_read_header(csv);
    if (rc == 0)
        rc = find_cols(csv, &c);
    while (rc == 0 && (rc = hb_csv_next(csv)) == 1) {
        in_row r;
        bool ok;
        report->rows++;
        rc = check_record(in, csv, &c, &r, &ok);
        if (rc == 0 && ok)
            rc = keep_row(in, csv, &c, &r);
        if (report->rows % PROGRESS_EVERY == 0)
            report_progress(in, "checking", hb_csv_bytes_read(csv), hb_csv_bytes_total(csv));
    }
    if (rc == 0)
        report_progress(in, "checking", hb_csv_bytes_read(csv), hb_csv_bytes_total(csv));
    memcpy(report->foreign, in->foreign, sizeof report->foreign);
    return rc;
}

typedef struct writer {
    hb_stmt *insert, *select, *history, *update;
    int64_t batch;
} writer;

static const char insert_sql[] =
    "INSERT INTO hb_counts (region, disease, measure, age_group, sex, date, value, revision,"
    " batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)"
    " ON CONFLICT (region, disease, measure, age_group, sex, date) DO NOTHING";
static const char select_sql[] =
    "SELECT value, revision, batch_id FROM hb_counts WHERE region = ? AND disease = ?"
    " AND measure = ? AND age_group = ? AND sex = ? AND date = ?";
static const char history_sql[] =
    "INSERT INTO hb_count_revisions (region, disease, measure, age_group, sex, date, revision,"
    " value, batch_id, replaced_by_batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char update_sql[] =
    "UPDATE hb_counts SET value = ?, revision = ?, batch_id = ? WHERE region = ?"
    " AND disease = ? AND measure = ? AND age_group = ? AND sex = ? AND date = ?";

/* Bind the six key columns of r at first, first + 1, … */
static int bind_key(hb_stmt *st, int first, const ingest *in, const in_row *r)
{
    char day[HB_DATE_STRLEN];
    int rc = hb_stmt_bind_cstr(st, first, in->regions.code[r->region]);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 1, in->diseases.code[r->disease]);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 2, in->measures.code[r->measure]);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 3, in->ages[r->age]);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 4, sex_names[r->sex]);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 5, hb_date_format(day, r->date));
    return rc;
}

/* Run a statement that returns no rows, then make it reusable. */
static int exec_reset(hb_stmt *st)
{
    int rc = hb_stmt_step(st);
    int64_t changes = hb_stmt_changes(st);
    int reset = hb_stmt_reset(st);
    return rc < 0 ? rc : reset < 0 ? reset : (int)(changes > 0);
}

/* A key that is stored already: unchanged, or a correction that keeps the old value. */
static int revise(ingest *in, writer *w, const in_row *r, hb_ingest_report *report)
{
    int rc = bind_key(w->select, 1, in, r);
    if (rc == 0 && (rc = hb_stmt_step(w->select)) != HB_STORE_ROW)
        return rc < 0 ? rc : hb_error_set(HB_ERROR, "stored count vanished during ingestion");
    double old = hb_stmt_double(w->select, 0);
    int64_t revision = hb_stmt_int64(w->select, 1), old_batch = hb_stmt_int64(w->select, 2);
    hb_stmt_reset(w->select);
    if (old == r->value) {
        report->unchanged++;
        return 0;
    }
    rc = bind_key(w->history, 1, in, r);
    if (rc == 0 && (rc = hb_stmt_bind_int64(w->history, 7, revision)) == 0 &&
        (rc = hb_stmt_bind_double(w->history, 8, old)) == 0 &&
        (rc = hb_stmt_bind_int64(w->history, 9, old_batch)) == 0 &&
        (rc = hb_stmt_bind_int64(w->history, 10, w->batch)) == 0)
        rc = exec_reset(w->history);
    if (rc >= 0 && (rc = hb_stmt_bind_double(w->update, 1, r->value)) == 0 &&
        (rc = hb_stmt_bind_int64(w->update, 2, revision + 1)) == 0 &&
        (rc = hb_stmt_bind_int64(w->update, 3, w->batch)) == 0 &&
        (rc = bind_key(w->update, 4, in, r)) == 0)
        rc = exec_reset(w->update);
    if (rc >= 0)
        report->revised++;
    return rc < 0 ? rc : 0;
}

static int write_row(ingest *in, writer *w, const in_row *r, hb_ingest_report *report)
{
    int rc = bind_key(w->insert, 1, in, r);
    if (rc == 0 && (rc = hb_stmt_bind_double(w->insert, 7, r->value)) == 0 &&
        (rc = hb_stmt_bind_int64(w->insert, 8, w->batch)) == 0)
        rc = exec_reset(w->insert);
    if (rc == 1) {
        report->inserted++;
        return 0;
    }
    return rc < 0 ? rc : revise(in, w, r, report);
}

static int begin_batch(ingest *in, writer *w, const hb_ingest_report *report)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(in->store, &st,
                              "INSERT INTO hb_ingest_batches (source, organisation, received_at,"
                              " rows_total, rows_new, rows_revised, rows_unchanged)"
                              " VALUES (?, ?, ?, ?, 0, 0, 0) RETURNING id");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, in->opt->source)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, in->opt->organisation)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_int64(st, 4, (int64_t)report->rows)) == 0 &&
        (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        w->batch = hb_stmt_int64(st, 0);
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc;
}

static int end_batch(ingest *in, const writer *w, const hb_ingest_report *report)
{
    hb_stmt *st;
    int rc = hb_store_prepare(in->store, &st,
                              "UPDATE hb_ingest_batches SET rows_new = ?, rows_revised = ?,"
                              " rows_unchanged = ? WHERE id = ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_int64(st, 1, (int64_t)report->inserted)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 2, (int64_t)report->revised)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 3, (int64_t)report->unchanged)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 4, w->batch)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Rank of each interned age group in strcmp order, so rows sort in the table's key order. */
static _Thread_local const uint16_t *sort_age_rank;

static int compare_key_order(const void *pa, const void *pb)
{
    const in_row *a = pa, *b = pb;
    if (a->disease != b->disease)
        return a->disease < b->disease ? -1 : 1;
    if (a->measure != b->measure)
        return a->measure < b->measure ? -1 : 1;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    if (a->age != b->age)
        return sort_age_rank[a->age] < sort_age_rank[b->age] ? -1 : 1;
    if (a->sex != b->sex)
        return strcmp(sex_names[a->sex], sex_names[b->sex]);
    return a->date < b->date ? -1 : a->date > b->date;
}

static int compare_age(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Put the rows in the order of hb_counts' primary key (the code tables are sorted the way the
 * database compares text, and dates compare as numbers the way their ISO text does). B-tree
 * inserts in key order touch each page once instead of at random: it made ingestion ~2x faster.
 */
static void sort_rows(ingest *in)
{
    uint16_t rank[AGE_GROUPS_MAX];
    char *sorted[AGE_GROUPS_MAX];
    memcpy(sorted, in->ages, in->nages * sizeof *sorted);
    qsort(sorted, in->nages, sizeof *sorted, compare_age);
    for (size_t i = 0; i < in->nages; i++)
        for (size_t k = 0; k < in->nages; k++)
            if (sorted[k] == in->ages[i])
                rank[i] = (uint16_t)k;
    sort_age_rank = rank;
    qsort(in->rows, in->nrows, sizeof *in->rows, compare_key_order);
    sort_age_rank = NULL;
}

/* Phase 2, inside a transaction the caller opened. */
static int write_all(ingest *in, hb_ingest_report *report)
{
    writer w = { 0 };
    sort_rows(in);
    int rc = begin_batch(in, &w, report);
    if (rc == 0)
        rc = hb_store_prepare(in->store, &w.insert, insert_sql);
    if (rc == 0)
        rc = hb_store_prepare(in->store, &w.select, select_sql);
    if (rc == 0)
        rc = hb_store_prepare(in->store, &w.history, history_sql);
    if (rc == 0)
        rc = hb_store_prepare(in->store, &w.update, update_sql);
    for (size_t i = 0; rc == 0 && i < in->nrows; i++) {
        rc = write_row(in, &w, &in->rows[i], report);
        if ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == in->nrows)
            report_progress(in, "writing", i + 1, in->nrows);
    }
    if (rc == 0)
        rc = end_batch(in, &w, report);
    hb_stmt_finalize(w.insert);
    hb_stmt_finalize(w.select);
    hb_stmt_finalize(w.history);
    hb_stmt_finalize(w.update);
    if (rc == 0)
        report->batch_id = w.batch;
    return rc;
}

static int delete_batch(hb_store *store, int64_t id)
{
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st, "DELETE FROM hb_ingest_batches WHERE id = ?");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, id)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static void ingest_dispose(ingest *in)
{
    codes_dispose(&in->regions);
    codes_dispose(&in->diseases);
    codes_dispose(&in->measures);
    for (size_t i = 0; i < in->nages; i++)
        hb_free(in->ages[i]);
    hb_free(in->rows);
    hb_free(in->slots);
    hb_buf_dispose(&in->errors);
}

static int load_reference(ingest *in)
{
    int rc = codes_load(in->store, "SELECT code, jurisdiction FROM hb_regions", &in->regions);
    if (rc == 0)
        rc = codes_load(in->store, "SELECT code, gd_class FROM hb_diseases", &in->diseases);
    if (rc == 0)
        rc = codes_load(in->store, "SELECT code, kind FROM hb_measures", &in->measures);
    if (rc == 0 &&
        (in->regions.n > UINT16_MAX || in->diseases.n > UINT16_MAX || in->measures.n > UINT8_MAX))
        rc = hb_error_set(HB_ELIMIT, "too many reference codes for the ingestion row format");
    return rc;
}

/* Both phases; consumes csv. */
static int run(hb_store *store, hb_csv *csv, const hb_ingest_options *opt, hb_ingest_report *report)
{
    ingest in = { 0 };
    in.store = store;
    in.opt = opt;
    hb_buf_init(&in.errors, 0);
    memset(report, 0, sizeof *report);
    int rc = load_reference(&in);
    if (rc == 0)
        rc = check_all(&in, csv, report);
    if (rc == 0 && in.nerrors > 0)
        rc = hb_error_set(HB_EINVAL, "%s: %llu bad field%s in %llu row%s; nothing was written",
                          hb_csv_name(csv), (unsigned long long)in.nerrors,
                          in.nerrors == 1 ? "" : "s", (unsigned long long)report->rows,
                          report->rows == 1 ? "" : "s");
    if (rc == 0 && !opt->dry_run && in.nrows > 0) {
        /* Inside the caller's transaction (an HTTP request with its audit entry) or our own. */
        bool own = !hb_store_in_transaction(store);
        rc = own ? hb_store_begin(store) : 0;
        if (rc == 0)
            rc = write_all(&in, report);
        /* Data identical to what is stored changes nothing, not even the batch list. */
        bool unchanged = rc == 0 && report->inserted + report->revised == 0;
        if (unchanged && !own)
            rc = delete_batch(store, report->batch_id);
        if (unchanged)
            report->batch_id = 0;
        if (own && (unchanged || rc < 0))
            hb_store_rollback(store);
        else if (own)
            rc = hb_store_commit(store);
        if (rc < 0) {
            report->inserted = report->revised = report->unchanged = 0;
            report->batch_id = 0;
        }
    }
    report->nerrors = in.nerrors;
    report->errors = in.nerrors ? hb_buf_detach(&in.errors) : NULL;
    hb_csv_free(csv);
    ingest_dispose(&in);
    return rc;
}

int hb_ingest_file(hb_store *store, const char *path, const hb_ingest_options *opt,
                   hb_ingest_report *report)
{
    hb_csv *csv;
    memset(report, 0, sizeof *report);
    int rc = hb_csv_open_file(&csv, path);
    return rc < 0 ? rc : run(store, csv, opt, report);
}

int hb_ingest_memory(hb_store *store, const char *name, const char *data, size_t len,
                     const hb_ingest_options *opt, hb_ingest_report *report)
{
    hb_csv *csv;
    memset(report, 0, sizeof *report);
    int rc = hb_csv_open_memory(&csv, name, data, len);
    return rc < 0 ? rc : run(store, csv, opt, report);
}

void hb_ingest_report_dispose(hb_ingest_report *report)
{
    hb_free(report->errors);
    report->errors = NULL;
}
