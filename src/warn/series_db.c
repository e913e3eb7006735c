/*
 * warn/series_db.c — stored counts to regular series (see series_db.h).
 *
 * One query in primary-key order streams every row; consecutive rows with the same key form a
 * series. Each series' rows are then laid on the grid of its frequency. A final pass pairs each
 * `cases` series with its `imported_cases` sibling, which sorts right after it in key order
 * only by accident, so it is found by key instead.
 */
#include "warn/series_db.h"

#include <math.h>
#include <string.h>

#include "healthybay/date.h"
#include "series/series.h"
#include "util/alloc.h"

struct hb_db_series_set {
    hb_db_series *list;
    size_t n, cap;
};

typedef struct raw {
    hb_date *dates;
    double *values;
    size_t n, cap;
} raw;

static void series_dispose(hb_db_series *s)
{
    hb_free((char *)s->key.disease);
    hb_free((char *)s->key.measure);
    hb_free((char *)s->key.region);
    hb_free((char *)s->key.age_group);
    hb_free((char *)s->key.sex);
    hb_free(s->dates);
    hb_free(s->values);
    hb_free(s->imported);
}

void hb_db_series_free(hb_db_series_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        series_dispose(&set->list[i]);
    hb_free(set->list);
    hb_free(set);
}

size_t hb_db_series_count(const hb_db_series_set *set)
{
    return set->n;
}

const hb_db_series *hb_db_series_at(const hb_db_series_set *set, size_t i)
{
    return i < set->n ? &set->list[i] : NULL;
}

static bool first_of_month(hb_date d)
{
    int y, m, day;
    hb_date_to_ymd(d, &y, &m, &day);
    return day == 1;
}

/*
 * The frequency of one series' dates: monthly when every date is the first of a month and at
 * least 28 days apart; weekly when every step is a whole number of weeks; otherwise daily (a
 * daily series with unreported days). 0 for a single period.
 */
static int infer(const raw *r)
{
    hb_date step = 0;
    bool monthly = true, weeks = true;
    for (size_t i = 0; i < r->n; i++) {
        monthly = monthly && first_of_month(r->dates[i]);
        if (i == 0)
            continue;
        hb_date d = r->dates[i] - r->dates[i - 1];
        weeks = weeks && d % 7 == 0;
        step = step == 0 || d < step ? d : step;
    }
    if (r->n < 2)
        return 0;
    if (step >= 28 && monthly)
        return HB_FREQ_MONTHLY;
    return weeks ? HB_FREQ_WEEKLY : HB_FREQ_DAILY;
}

/* Lay the rows on the grid of freq: every period from the first to the last. */
static int to_grid(hb_db_series *s, const raw *r, int freq)
{
    size_t n = 1;
    hb_date last = r->dates[r->n - 1];
    if (freq != 0)
        for (hb_date d = r->dates[0]; d < last; d = hb_series_next_date(d, freq))
            n++;
    s->dates = hb_mallocarray(n, sizeof *s->dates);
    s->values = hb_mallocarray(n, sizeof *s->values);
    if (!s->dates || !s->values)
        return HB_ENOMEM;
    hb_date d = r->dates[0];
    for (size_t i = 0, k = 0; i < n; i++) {
        s->dates[i] = d;
        s->values[i] = k < r->n && r->dates[k] == d ? r->values[k++] : NAN;
        d = freq ? hb_series_next_date(d, freq) : d;
    }
    s->length = n;
    s->freq = freq;
    s->period_days = freq == HB_FREQ_DAILY ? 1 : freq == HB_FREQ_WEEKLY ? 7 : 30;
    return 0;
}

static int raw_add(raw *r, hb_date d, double v)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        hb_date *dates = hb_reallocarray(r->dates, cap, sizeof *dates);
        if (!dates)
            return HB_ENOMEM;
        r->dates = dates;
        double *values = hb_reallocarray(r->values, cap, sizeof *values);
        if (!values)
            return HB_ENOMEM;
        r->values = values;
        r->cap = cap;
    }
    r->dates[r->n] = d;
    r->values[r->n++] = v;
    return 0;
}

static bool same_key(const hb_series_key *k, hb_stmt *st)
{
    return strcmp(k->disease, hb_stmt_text(st, 0, NULL)) == 0 &&
           strcmp(k->measure, hb_stmt_text(st, 1, NULL)) == 0 &&
           strcmp(k->region, hb_stmt_text(st, 2, NULL)) == 0 &&
           strcmp(k->age_group, hb_stmt_text(st, 3, NULL)) == 0 &&
           strcmp(k->sex, hb_stmt_text(st, 4, NULL)) == 0;
}

static hb_db_series *start_series(hb_db_series_set *set, hb_stmt *st)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        hb_db_series *p = hb_reallocarray(set->list, cap, sizeof *p);
        if (!p)
            return NULL;
        set->list = p;
        set->cap = cap;
    }
    hb_db_series *s = &set->list[set->n++];
    memset(s, 0, sizeof *s);
    s->key.disease = hb_strdup(hb_stmt_text(st, 0, NULL));
    s->key.measure = hb_strdup(hb_stmt_text(st, 1, NULL));
    s->key.region = hb_strdup(hb_stmt_text(st, 2, NULL));
    s->key.age_group = hb_strdup(hb_stmt_text(st, 3, NULL));
    s->key.sex = hb_strdup(hb_stmt_text(st, 4, NULL));
    s->is_count = strcmp(hb_stmt_text(st, 7, NULL), "count") == 0;
    bool ok = s->key.disease && s->key.measure && s->key.region && s->key.age_group && s->key.sex;
    return ok ? s : NULL;
}

/* Close the series being read: lay it on its grid. */
static int finish_series(hb_db_series_set *set, raw *r)
{
    int rc = to_grid(&set->list[set->n - 1], r, infer(r));
    r->n = 0;
    return rc;
}

/* Give every `cases` series the imported cases of the same region, age group and sex. */
static int pair_imported(hb_db_series_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        hb_db_series *s = &set->list[i];
        if (strcmp(s->key.measure, "cases") != 0)
            continue;
        for (size_t j = 0; j < set->n; j++) {
            const hb_db_series *m = &set->list[j];
            if (strcmp(m->key.measure, "imported_cases") != 0 ||
                strcmp(m->key.disease, s->key.disease) != 0 ||
                strcmp(m->key.region, s->key.region) != 0 ||
                strcmp(m->key.age_group, s->key.age_group) != 0 ||
                strcmp(m->key.sex, s->key.sex) != 0)
                continue;
            s->imported = hb_calloc(s->length, sizeof *s->imported);
            if (!s->imported)
                return HB_ENOMEM;
            for (size_t t = 0, k = 0; t < s->length; t++) {
                while (k < m->length && m->dates[k] < s->dates[t])
                    k++;
                if (k < m->length && m->dates[k] == s->dates[t] && !isnan(m->values[k]))
                    s->imported[t] = m->values[k];
            }
            break;
        }
    }
    return 0;
}

int hb_db_series_load(hb_store *store, hb_date upto, const char *disease, hb_db_series_set **out)
{
    char day[HB_DATE_STRLEN];
    hb_db_series_set *set = hb_calloc(1, sizeof *set);
    if (!set)
        return HB_ENOMEM;
    raw r = { 0 };
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "SELECT c.disease, c.measure, c.region, c.age_group, c.sex, c.date,"
                              " c.value, m.kind FROM hb_counts c JOIN hb_measures m"
                              " ON m.code = c.measure WHERE c.date <= ?"
                              " AND (CAST(? AS TEXT) IS NULL OR c.disease = ?)"
                              " ORDER BY c.disease, c.measure, c.region, c.age_group, c.sex,"
                              " c.date");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, hb_date_format(day, upto))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, disease)) == 0)
        rc = hb_stmt_bind_cstr(st, 3, disease);
    hb_db_series *cur = NULL;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        rc = 0;
        if (!cur || !same_key(&cur->key, st)) {
            if (cur)
                rc = finish_series(set, &r);
            if (rc == 0 && !(cur = start_series(set, st)))
                rc = HB_ENOMEM;
        }
        size_t len;
        const char *d = hb_stmt_text(st, 5, &len);
        hb_date date;
        if (rc == 0 && hb_date_parse(&date, d, len) == 0)
            rc = raw_add(&r, date, hb_stmt_double(st, 6));
    }
    hb_stmt_finalize(st);
    if (rc == 0 && cur)
        rc = finish_series(set, &r);
    if (rc == 0)
        rc = pair_imported(set);
    hb_free(r.dates);
    hb_free(r.values);
    if (rc < 0) {
        hb_db_series_free(set);
        return rc;
    }
    *out = set;
    return 0;
}
