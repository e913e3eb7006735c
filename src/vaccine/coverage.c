/*
 * vaccine/coverage.c — the figures Guangdong reports: residents of each jurisdiction vaccinated
 * there with at least one dose, and with the primary course complete, cumulative per day.
 *
 * One pass over the reporting jurisdiction's doses in person order: each person contributes the
 * date of their first dose there and, under that jurisdiction's rules in force on the last day
 * asked, the date their primary course was complete. Per group the two lists of dates are sorted
 * and swept once over the days, so the cost is O(doses + persons log persons + days × groups).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "vaccine/vaccine.h"

#define NEVER INT32_MAX

typedef struct person_fact {
    char residence[3];
    char product[HB_VACCINE_CODE_MAX + 1];
    hb_date first, complete;
} person_fact;

typedef struct facts {
    person_fact *v;
    size_t n, cap;
} facts;

static int add_fact(facts *f, const hb_vaccine_dose *doses, size_t n, const hb_vaccine_rule *rules,
                    size_t nrules, const hb_vaccine_coverage_query *q)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        person_fact *grown = hb_reallocarray(f->v, cap, sizeof *grown);
        if (!grown)
            return HB_ENOMEM;
        f->v = grown;
        f->cap = cap;
    }
    person_fact *p = &f->v[f->n++];
    snprintf(p->residence, sizeof p->residence, "%s", doses[0].residence);
    snprintf(p->product, sizeof p->product, "%s", q->by_product ? doses[0].product : "*");
    p->first = doses[0].date;
    hb_vaccine_status st;
    int rc = hb_vaccine_evaluate(&st, rules, nrules, doses, n, q->to);
    p->complete = rc == 0 && st.course_complete ? st.completed_on : NEVER;
    hb_vaccine_status_dispose(&st);
    return rc;
}

static void read_dose(hb_stmt *st, hb_vaccine_dose *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->person, sizeof d->person, "%s", hb_stmt_text(st, 0, NULL));
    snprintf(d->residence, sizeof d->residence, "%s", hb_stmt_text(st, 1, NULL));
    snprintf(d->product, sizeof d->product, "%s", hb_stmt_text(st, 2, NULL));
    const char *day = hb_stmt_text(st, 3, NULL);
    hb_date_parse(&d->date, day, strlen(day));
}

/* Walk the doses person by person, adding one fact per person. */
static int collect(hb_store *store, const hb_vaccine_coverage_query *q,
                   const hb_vaccine_rule *rules, size_t nrules, facts *f)
{
    char to[HB_DATE_STRLEN];
    hb_stmt *st;
    int rc =
        hb_store_prepare(store, &st,
                         "SELECT person, residence, product, date FROM hb_vaccine_doses "
                         "WHERE administered_in = ? AND date <= ? AND "
                         "(CAST(? AS TEXT) IS NULL OR residence = ?) ORDER BY person, date, id");
    if (rc < 0)
        return rc;
    hb_stmt_bind_cstr(st, 1, q->administered_in);
    hb_stmt_bind_cstr(st, 2, hb_date_format(to, q->to));
    hb_stmt_bind_cstr(st, 3, q->residence);
    hb_stmt_bind_cstr(st, 4, q->residence);
    hb_vaccine_dose doses[HB_VACCINE_DOSES_MAX];
    size_t n = 0;
    while (rc >= 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        hb_vaccine_dose d;
        read_dose(st, &d);
        if (n > 0 && strcmp(d.person, doses[0].person) != 0) {
            rc = add_fact(f, doses, n, rules, nrules, q);
            n = 0;
        }
        if (n < HB_VACCINE_DOSES_MAX) /* later doses cannot change first or completion dates */
            doses[n++] = d;
    }
    if (rc >= 0 && n > 0)
        rc = add_fact(f, doses, n, rules, nrules, q);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int by_group(const void *a, const void *b)
{
    const person_fact *x = a, *y = b;
    int c = strcmp(x->residence, y->residence);
    return c ? c : strcmp(x->product, y->product);
}

static int by_date(const void *a, const void *b)
{
    hb_date x = *(const hb_date *)a, y = *(const hb_date *)b;
    return x < y ? -1 : x > y;
}

/* Rows for one group f[0..n): a day-by-day sweep over its sorted first and completion dates. */
static int emit_group(hb_table *t, const person_fact *f, size_t n, hb_date *first,
                      hb_date *complete, const hb_vaccine_coverage_query *q)
{
    for (size_t i = 0; i < n; i++) {
        first[i] = f[i].first;
        complete[i] = f[i].complete;
    }
    qsort(first, n, sizeof *first, by_date);
    qsort(complete, n, sizeof *complete, by_date);
    size_t a = 0, c = 0;
    int rc = 0;
    for (hb_date day = q->from; rc == 0 && day <= q->to; day++) {
        while (a < n && first[a] <= day)
            a++;
        while (c < n && complete[c] <= day)
            c++;
        char date[HB_DATE_STRLEN], one[24], full[24];
        snprintf(one, sizeof one, "%zu", a);
        snprintf(full, sizeof full, "%zu", c);
        const char *cells[] = { hb_date_format(date, day), f[0].residence, f[0].product, one,
                                full };
        rc = hb_table_add_row(t, cells);
    }
    return rc;
}

static int emit(hb_table *t, facts *f, const hb_vaccine_coverage_query *q)
{
    if (f->n == 0)
        return 0; /* no doses: no rows (and qsort must not see a NULL array) */
    qsort(f->v, f->n, sizeof *f->v, by_group);
    hb_date *first = hb_mallocarray(f->n, sizeof *first);
    hb_date *complete = hb_mallocarray(f->n, sizeof *complete);
    int rc = first && complete ? 0 : HB_ENOMEM;
    for (size_t i = 0, j; rc == 0 && i < f->n; i = j) {
        for (j = i + 1; j < f->n && by_group(&f->v[i], &f->v[j]) == 0; j++)
            ;
        rc = emit_group(t, &f->v[i], j - i, first, complete, q);
    }
    hb_free(first);
    hb_free(complete);
    return rc;
}

int hb_vaccine_coverage(hb_store *store, const hb_vaccine_coverage_query *q, hb_table **out)
{
    static const char *const names[] = { "date", "residence", "product", "at_least_one_dose",
                                         "full_course" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_INT,
                                         HB_COL_INT };
    *out = NULL;
    if (q->to < q->from || q->to - q->from > HB_SERIES_LENGTH_MAX)
        return hb_error_set(HB_EINVAL, "from/to: need from <= to, at most %d days apart",
                            HB_SERIES_LENGTH_MAX);
    hb_vaccine_rule *rules = NULL;
    size_t nrules = 0;
    facts f = { NULL, 0, 0 };
    int rc = hb_vaccine_rules_in_force(store, q->administered_in, q->to, &rules, &nrules);
    if (rc == 0)
        rc = collect(store, q, rules, nrules, &f);
    if (rc == 0)
        rc = hb_table_new(out, 5, names, kinds);
    if (rc == 0)
        rc = emit(*out, &f, q);
    if (rc < 0) {
        hb_table_free(*out);
        *out = NULL;
    }
    hb_free(rules);
    hb_free(f.v);
    return rc;
}
