/*
 * series/series.c — reading a series CSV (see series.h).
 *
 * One pass over the file: each record is checked field by field and appended to its series'
 * row list, found through a hash of the key (open addressing, FNV-1a). Then, per series, the rows
 * are sorted by date when they arrived out of order, duplicates are reported, the frequency is
 * inferred from the smallest step seen, and every step is checked against it. Finally the rows
 * are turned into the column arrays that hb_series exposes.
 */
#include "series/series.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/limits.h"
#include "util/parse.h"
#include "util/table.h"

typedef struct row {
    hb_date date;
    uint32_t line;
    double value;
    double population;
    double imported;
} row;

typedef struct builder {
    char *key;
    row *rows;
    size_t n, cap;
} builder;

struct hb_series_set {
    hb_series *series; /* final views, one per builder */
    builder *builders;
    size_t count, cap;
    uint32_t *slots; /* hash table of builder index + 1; 0 = empty */
    size_t nslots;
    char *key_header;
    int freq;
    bool has_population, has_imported;
    /* the column arrays behind series[] */
    hb_date *dates;
    double *values, *population, *imported;
};

/* Where the recognised columns are; key columns are all the others. */
typedef struct columns {
    long date, value, population, imported;
    size_t *keys;
    size_t nkeys;
} columns;

void hb_series_options_init(hb_series_options *opt)
{
    opt->value_column = "count";
    opt->integer_values = true;
    opt->allow_missing = false;
    opt->freq = 0;
}

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int grow_slots(hb_series_set *set)
{
    size_t n = set->nslots ? set->nslots * 2 : 1024;
    uint32_t *slots = hb_calloc(n, sizeof *slots);
    if (!slots)
        return HB_ENOMEM;
    for (size_t i = 0; i < set->count; i++) {
        const char *k = set->builders[i].key;
        size_t j = (size_t)fnv1a(k, strlen(k)) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    hb_free(set->slots);
    set->slots = slots;
    set->nslots = n;
    return 0;
}

/* The builder for key, created when new. */
static int find_builder(hb_series_set *set, const char *key, size_t len, builder **out)
{
    if (set->count * 2 >= set->nslots && grow_slots(set) < 0)
        return HB_ENOMEM;
    size_t mask = set->nslots - 1;
    size_t j = (size_t)fnv1a(key, len) & mask;
    for (; set->slots[j]; j = (j + 1) & mask) {
        builder *b = &set->builders[set->slots[j] - 1];
        if (strlen(b->key) == len && memcmp(b->key, key, len) == 0) {
            *out = b;
            return 0;
        }
    }
    if (set->count == HB_SERIES_MAX)
        return hb_error_set(HB_ELIMIT, "more than %d series in one file", HB_SERIES_MAX);
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        builder *p = hb_reallocarray(set->builders, cap, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        set->builders = p;
        set->cap = cap;
    }
    builder *b = &set->builders[set->count];
    memset(b, 0, sizeof *b);
    if (!(b->key = hb_strndup(key, len)))
        return HB_ENOMEM;
    set->slots[j] = (uint32_t)(++set->count);
    *out = b;
    return 0;
}

static int add_row(const hb_csv *csv, builder *b, const row *r)
{
    if (b->n == HB_SERIES_LENGTH_MAX)
        return hb_csv_error(csv, 0, "series '%s' has more than %d periods", b->key,
                            HB_SERIES_LENGTH_MAX);
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        row *p = hb_reallocarray(b->rows, cap, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        b->rows = p;
        b->cap = cap;
    }
    b->rows[b->n++] = *r;
    return 0;
}

static bool is_na(const char *v, size_t len)
{
    return len == 0 || (len == 2 && v[0] == 'N' && v[1] == 'A');
}

/* A non-negative finite number; whole when integer. */
static int parse_number(const hb_csv *csv, size_t field, bool integer, bool allow_missing,
                        double *out)
{
    size_t len;
    const char *v = hb_csv_field(csv, field, &len);
    int64_t i;
    if (is_na(v, len)) {
        if (!allow_missing)
            return hb_csv_error(csv, field, "%s (missing values are not allowed here)",
                                len ? "NA" : "empty");
        *out = NAN;
        return 0;
    }
    if (hb_parse_int64(&i, v, len) == 0) { /* the common case, and exact */
        if (i < 0)
            return hb_csv_error(csv, field, "'%s' is negative", v);
        if (i > (int64_t)1 << 53)
            return hb_csv_error(csv, field, "'%s' is too large to count exactly", v);
        *out = (double)i;
        return 0;
    }
    if (hb_parse_double(out, v, len) < 0)
        return hb_csv_error(csv, field, "'%s' is not a number", v);
    if (*out < 0)
        return hb_csv_error(csv, field, "'%s' is negative", v);
    if (*out > 9007199254740992.0) /* 2^53: beyond it whole numbers are no longer exact */
        return hb_csv_error(csv, field, "'%s' is too large to count exactly", v);
    if (integer && *out != floor(*out))
        return hb_csv_error(csv, field, "'%s' is not a whole number (counts are integers)", v);
    return 0;
}

static int find_columns(const hb_csv *csv, const hb_series_options *opt, columns *c)
{
    c->date = hb_csv_find(csv, "date");
    c->value = hb_csv_find(csv, opt->value_column);
    c->population = hb_csv_find(csv, "population");
    c->imported = hb_csv_find(csv, "imported");
    if (c->date < 0)
        return hb_error_set(HB_EINVAL, "%s:1: no 'date' column in the header", hb_csv_name(csv));
    if (c->value < 0)
        return hb_error_set(HB_EINVAL, "%s:1: no '%s' column in the header", hb_csv_name(csv),
                            opt->value_column);
    size_t n = hb_csv_header_count(csv);
    c->keys = hb_calloc(n, sizeof *c->keys);
    if (!c->keys)
        return HB_ENOMEM;
    c->nkeys = 0;
    for (size_t i = 0; i < n; i++)
        if ((long)i != c->date && (long)i != c->value && (long)i != c->population &&
            (long)i != c->imported)
            c->keys[c->nkeys++] = i;
    return 0;
}

static int build_key_header(hb_series_set *set, const hb_csv *csv, const columns *c)
{
    hb_buf b;
    hb_buf_init(&b, 0);
    int rc = hb_buf_puts(&b, "");
    for (size_t k = 0; rc == 0 && k < c->nkeys; k++) {
        const char *name = hb_csv_header_name(csv, c->keys[k]);
        if (k > 0)
            rc = hb_buf_putc(&b, ',');
        if (rc == 0)
            rc = hb_csv_put_field(&b, name, strlen(name));
    }
    if (rc == 0 && !(set->key_header = hb_buf_detach(&b)))
        rc = HB_ENOMEM;
    hb_buf_dispose(&b);
    return rc;
}

/* Check one record and append it to its series. key is a scratch buffer. */
static int read_record(hb_series_set *set, const hb_csv *csv, const columns *c,
                       const hb_series_options *opt, hb_buf *key)
{
    row r = { 0 };
    size_t len;
    const char *d = hb_csv_field(csv, (size_t)c->date, &len);
    if (hb_date_parse(&r.date, d, len) < 0)
        return hb_csv_error(csv, (size_t)c->date, "%s", hb_error_last());
    r.line = (uint32_t)hb_csv_line(csv);
    int rc = parse_number(csv, (size_t)c->value, opt->integer_values, opt->allow_missing, &r.value);
    if (rc == 0 && c->population >= 0) {
        rc = parse_number(csv, (size_t)c->population, false, false, &r.population);
        if (rc == 0 && r.population <= 0)
            rc = hb_csv_error(csv, (size_t)c->population, "population must be positive");
    }
    if (rc == 0 && c->imported >= 0)
        rc = parse_number(csv, (size_t)c->imported, true, opt->allow_missing, &r.imported);
    if (rc < 0)
        return rc;
    hb_buf_reset(key);
    for (size_t k = 0; rc == 0 && k < c->nkeys; k++) {
        const char *v = hb_csv_field(csv, c->keys[k], &len);
        if (k > 0)
            rc = hb_buf_putc(key, ',');
        if (rc == 0)
            rc = hb_csv_put_field(key, v, len);
    }
    builder *b = NULL;
    if (rc == 0)
        rc = find_builder(set, hb_buf_cstr(key), key->len, &b);
    return rc < 0 ? rc : add_row(csv, b, &r);
}

static int compare_rows(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort a series by date when it arrived out of order, and refuse duplicate dates. */
static int sort_and_dedupe(const char *name, builder *b)
{
    bool sorted = true;
    for (size_t i = 1; i < b->n && sorted; i++)
        sorted = b->rows[i - 1].date < b->rows[i].date;
    if (!sorted)
        qsort(b->rows, b->n, sizeof *b->rows, compare_rows);
    for (size_t i = 1; i < b->n; i++)
        if (b->rows[i - 1].date == b->rows[i].date) {
            char day[HB_DATE_STRLEN];
            return hb_error_set(HB_EINVAL,
                                "%s:%u: series '%s' has two rows for %s (lines %u and %u)", name,
                                b->rows[i].line, b->key, hb_date_format(day, b->rows[i].date),
                                b->rows[i - 1].line, b->rows[i].line);
        }
    return 0;
}

hb_date hb_series_next_date(hb_date date, int freq)
{
    return freq == HB_FREQ_DAILY    ? date + 1
           : freq == HB_FREQ_WEEKLY ? date + 7
                                    : hb_date_add_months(date, 1);
}

static bool first_of_month(hb_date d)
{
    int y, m, day;
    hb_date_to_ymd(d, &y, &m, &day);
    return day == 1;
}

/*
 * The frequency the data shows, from the smallest step between consecutive dates of any series:
 * 1 day is daily; 7 days — or any step when all steps are whole weeks — is weekly (a longer
 * multiple is then reported as a missing week); dates all on the first of a month, at least 28
 * days apart, are monthly.
 */
static int infer_freq(hb_series_set *set, const char *name)
{
    hb_date step = 0;
    bool monthly_dates = true, whole_weeks = true;
    for (size_t s = 0; s < set->count; s++) {
        const builder *b = &set->builders[s];
        for (size_t i = 0; i < b->n; i++) {
            monthly_dates = monthly_dates && first_of_month(b->rows[i].date);
            if (i == 0)
                continue;
            hb_date d = b->rows[i].date - b->rows[i - 1].date;
            whole_weeks = whole_weeks && d % 7 == 0;
            if (step == 0 || d < step)
                step = d;
        }
    }
    if (step == 1)
        return HB_FREQ_DAILY;
    if (step >= 28 && monthly_dates)
        return HB_FREQ_MONTHLY;
    if (step == 7 || (step > 7 && whole_weeks))
        return HB_FREQ_WEEKLY;
    if (step == 0)
        return hb_error_set(HB_EINVAL,
                            "%s: every series has a single date, so the frequency "
                            "cannot be inferred; give it (--freq 365, 52 or 12)",
                            name);
    return hb_error_set(HB_EINVAL,
                        "%s: dates are at least %d days apart, which is neither "
                        "daily, weekly nor monthly; give the frequency (--freq)",
                        name, (int)step);
}

static const char *freq_name(int freq)
{
    return freq == HB_FREQ_DAILY ? "daily" : freq == HB_FREQ_WEEKLY ? "weekly" : "monthly";
}

/* Every step of every series must be exactly one period. */
static int check_spacing(const builder *b, const char *name, int freq)
{
    char day[HB_DATE_STRLEN], prev[HB_DATE_STRLEN];
    for (size_t i = 0; i < b->n; i++) {
        if (freq == HB_FREQ_MONTHLY && !first_of_month(b->rows[i].date))
            return hb_error_set(HB_EINVAL,
                                "%s:%u: field 'date': monthly data must be dated the first of "
                                "the month, not %s",
                                name, b->rows[i].line, hb_date_format(day, b->rows[i].date));
        if (i == 0)
            continue;
        hb_date expect = hb_series_next_date(b->rows[i - 1].date, freq);
        if (b->rows[i].date == expect)
            continue;
        hb_date_format(prev, b->rows[i - 1].date);
        bool aligned = freq == HB_FREQ_DAILY || freq == HB_FREQ_MONTHLY ||
                       (b->rows[i].date - b->rows[i - 1].date) % 7 == 0;
        if (aligned)
            return hb_error_set(HB_EINVAL,
                                "%s:%u: series '%s' has no row for %s (between %s on line %u "
                                "and %s on line %u); %s data needs every period — give its "
                                "count, 0 if none, or NA if unknown",
                                name, b->rows[i].line, b->key, hb_date_format(day, expect), prev,
                                b->rows[i - 1].line, hb_date_format(day, b->rows[i].date),
                                b->rows[i].line, freq_name(freq));
        return hb_error_set(HB_EINVAL,
                            "%s:%u: field 'date': series '%s' jumps from %s (line %u) to %s; "
                            "weekly data needs 7-day steps",
                            name, b->rows[i].line, b->key, prev, b->rows[i - 1].line,
                            hb_date_format(day, b->rows[i].date));
    }
    return 0;
}

/* Move the rows into the column arrays behind the hb_series views. */
static int finish(hb_series_set *set)
{
    size_t total = 0;
    for (size_t s = 0; s < set->count; s++)
        total += set->builders[s].n;
    set->series = hb_calloc(set->count ? set->count : 1, sizeof *set->series);
    set->dates = hb_mallocarray(total ? total : 1, sizeof *set->dates);
    set->values = hb_mallocarray(total ? total : 1, sizeof *set->values);
    if (set->has_population)
        set->population = hb_mallocarray(total ? total : 1, sizeof *set->population);
    if (set->has_imported)
        set->imported = hb_mallocarray(total ? total : 1, sizeof *set->imported);
    if (!set->series || !set->dates || !set->values || (set->has_population && !set->population) ||
        (set->has_imported && !set->imported))
        return HB_ENOMEM;
    size_t at = 0;
    for (size_t s = 0; s < set->count; s++) {
        builder *b = &set->builders[s];
        hb_series *v = &set->series[s];
        v->key = b->key;
        v->length = b->n;
        v->dates = set->dates + at;
        v->values = set->values + at;
        v->population = set->population ? set->population + at : NULL;
        v->imported = set->imported ? set->imported + at : NULL;
        for (size_t i = 0; i < b->n; i++, at++) {
            set->dates[at] = b->rows[i].date;
            set->values[at] = b->rows[i].value;
            if (set->population)
                set->population[at] = b->rows[i].population;
            if (set->imported)
                set->imported[at] = b->rows[i].imported;
        }
        hb_free(b->rows);
        b->rows = NULL;
    }
    return 0;
}

static int read_all(hb_series_set *set, hb_csv *csv, const hb_series_options *opt)
{
    columns c = { 0 };
    int rc = hb_csv_read_header(csv);
    if (rc == 0)
        rc = find_columns(csv, opt, &c);
    if (rc == 0)
        rc = build_key_header(set, csv, &c);
    set->has_population = c.population >= 0;
    set->has_imported = c.imported >= 0;
    hb_buf key;
    hb_buf_init(&key, HB_CSV_RECORD_MAX);
    while (rc == 0 && (rc = hb_csv_next(csv)) == 1)
        rc = read_record(set, csv, &c, opt, &key);
    hb_buf_dispose(&key);
    hb_free(c.keys);
    if (rc < 0)
        return rc;
    const char *name = hb_csv_name(csv);
    for (size_t s = 0; rc == 0 && s < set->count; s++)
        rc = sort_and_dedupe(name, &set->builders[s]);
    if (rc == 0)
        rc = opt->freq ? opt->freq : infer_freq(set, name);
    if (rc < 0)
        return rc;
    set->freq = rc;
    if (set->freq != HB_FREQ_DAILY && set->freq != HB_FREQ_WEEKLY && set->freq != HB_FREQ_MONTHLY)
        return hb_error_set(HB_EINVAL, "frequency %d is not 365, 52 or 12", set->freq);
    for (size_t s = 0; s < set->count; s++)
        if ((rc = check_spacing(&set->builders[s], name, set->freq)) < 0)
            return rc;
    return finish(set);
}

static int read_from(hb_series_set **out, hb_csv *csv, const hb_series_options *opt)
{
    hb_series_options defaults;
    if (!opt) {
        hb_series_options_init(&defaults);
        opt = &defaults;
    }
    hb_series_set *set = hb_calloc(1, sizeof *set);
    if (!set) {
        hb_csv_free(csv);
        return HB_ENOMEM;
    }
    int rc = read_all(set, csv, opt);
    hb_csv_free(csv);
    if (rc < 0) {
        hb_series_free(set);
        return rc;
    }
    *out = set;
    return 0;
}

int hb_series_read(hb_series_set **out, const char *path, const hb_series_options *opt)
{
    hb_csv *csv;
    int rc = hb_csv_open_file(&csv, path);
    return rc < 0 ? rc : read_from(out, csv, opt);
}

int hb_series_read_memory(hb_series_set **out, const char *name, const char *data, size_t len,
                          const hb_series_options *opt)
{
    hb_csv *csv;
    int rc = hb_csv_open_memory(&csv, name, data, len);
    return rc < 0 ? rc : read_from(out, csv, opt);
}

size_t hb_series_count(const hb_series_set *set)
{
    return set->count;
}

const hb_series *hb_series_at(const hb_series_set *set, size_t i)
{
    return i < set->count ? &set->series[i] : NULL;
}

int hb_series_freq(const hb_series_set *set)
{
    return set->freq;
}

const char *hb_series_key_header(const hb_series_set *set)
{
    return set->key_header ? set->key_header : "";
}

void hb_series_free(hb_series_set *set)
{
    if (!set)
        return;
    for (size_t s = 0; s < set->count; s++) {
        hb_free(set->builders[s].key);
        hb_free(set->builders[s].rows);
    }
    hb_free(set->builders);
    hb_free(set->series);
    hb_free(set->slots);
    hb_free(set->key_header);
    hb_free(set->dates);
    hb_free(set->values);
    hb_free(set->population);
    hb_free(set->imported);
    hb_free(set);
}
