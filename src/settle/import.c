/*
 * settle/import.c — bulk import of claims from CSV (see hb_claims_import in claims.h).
 *
 * Three steps, as for surveillance counts: read every row into claims (rows of one claim are
 * consecutive and must agree on the claim's fields), check every claim against the reference
 * data and the stored claims (a duplicate with other content is an error at its first line), and
 * only when nothing was wrong store them all in one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "healthybay/date.h"
#include "settle/claims.h"
#include "settle/money.h"
#include "settle/settle_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/parse.h"

enum {
    C_PROVIDER,
    C_EPISODE,
    C_PATIENT,
    C_PAYER,
    C_CURRENCY,
    C_DATE,
    C_INSURED,
    C_ITEM,
    C_CATEGORY,
    C_QUANTITY,
    C_PRICE,
    NCOLS
};

static const hb_settle_col cols[NCOLS] = {
    { "provider", NULL, HB_SCOL_TEXT, NULL },
    { "episode", NULL, HB_SCOL_TEXT, NULL },
    { "patient", NULL, HB_SCOL_TEXT, NULL },
    { "payer", NULL, HB_SCOL_TEXT, NULL },
    { "currency", NULL, HB_SCOL_ENUM, "CNY|HKD|MOP" },
    { "service_date", NULL, HB_SCOL_DATE, NULL },
    { "mainland_insured", NULL, HB_SCOL_ENUM, "0|1" },
    { "item", NULL, HB_SCOL_TEXT, NULL },
    { "category", NULL, HB_SCOL_ENUM, hb_claim_categories },
    { "quantity", NULL, HB_SCOL_INT, NULL },
    { "unit_price", NULL, HB_SCOL_AMOUNT, NULL },
};

typedef struct pending {
    char *field[C_INSURED + 1]; /* the claim's own fields, owned */
    hb_claim claim;
    hb_claim_item *items;
    size_t nitems, cap;
    unsigned long line; /* the first row */
    bool bad;
} pending;

typedef struct importing {
    hb_store *store;
    const hb_settle_caller *caller;
    pending *claims;
    size_t n, cap;
    hb_buf errors;
    uint64_t nerrors, rows;
} importing;

static void note(importing *im)
{
    im->nerrors++;
    if (im->nerrors <= HB_REPORT_ERRORS_MAX) {
        hb_buf_puts(&im->errors, hb_error_last());
        hb_buf_putc(&im->errors, '\n');
    }
}

static int add_claim(importing *im, char *const *v, unsigned long line)
{
    if (im->n == im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 64;
        pending *p = hb_reallocarray(im->claims, cap, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        im->claims = p;
        im->cap = cap;
    }
    pending *p = &im->claims[im->n++];
    memset(p, 0, sizeof *p);
    p->line = line;
    for (int c = 0; c <= C_INSURED; c++)
        if (!(p->field[c] = hb_strdup(v[c])))
            return HB_ENOMEM;
    return 0;
}

static int add_item(pending *p, char *const *v)
{
    if (p->nitems == HB_CLAIM_ITEMS_MAX)
        return hb_error_set(HB_ELIMIT, "more than %d items in one claim", HB_CLAIM_ITEMS_MAX);
    if (p->nitems == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4;
        hb_claim_item *it = hb_reallocarray(p->items, cap, sizeof *it);
        if (!it)
            return HB_ENOMEM;
        p->items = it;
        p->cap = cap;
    }
    hb_claim_item *it = &p->items[p->nitems];
    memset(it, 0, sizeof *it);
    it->code = hb_strdup(v[C_ITEM]);
    it->category = hb_strdup(v[C_CATEGORY]);
    if (!it->code || !it->category) {
        hb_free((char *)it->code);
        hb_free((char *)it->category);
        return HB_ENOMEM;
    }
    hb_parse_int64(&it->quantity, v[C_QUANTITY], strlen(v[C_QUANTITY]));
    hb_parse_int64(&it->unit_minor, v[C_PRICE], strlen(v[C_PRICE]));
    p->nitems++;
    return 0;
}

/* One row: its canonical fields, then into the current claim or a new one. */
static int read_row(importing *im, hb_csv *csv, const long *pos)
{
    hb_buf text[NCOLS];
    char *v[NCOLS];
    bool bad = false, empty;
    int rc = 0;
    for (int c = 0; c < NCOLS; c++) {
        hb_buf_init(&text[c], 0);
        int frc = hb_settle__field(im->store, csv, (size_t)pos[c], cols[c].type, cols[c].arg,
                                   &text[c], &empty);
        if (frc == HB_EINVAL) {
            note(im);
            bad = true;
        } else if (frc < 0) {
            rc = frc;
        }
        v[c] = (char *)hb_buf_cstr(&text[c]);
    }
    pending *last = im->n ? &im->claims[im->n - 1] : NULL;
    bool same = last && strcmp(last->field[C_PROVIDER], v[C_PROVIDER]) == 0 &&
                strcmp(last->field[C_EPISODE], v[C_EPISODE]) == 0;
    for (int c = C_PATIENT; rc == 0 && !bad && same && c <= C_INSURED; c++)
        if (strcmp(last->field[c], v[c]) != 0) {
            hb_csv_error(csv, (size_t)pos[c], "differs from line %lu of the same claim",
                         last->line);
            note(im);
            bad = true;
        }
    if (rc == 0 && !bad && !same)
        rc = add_claim(im, v, hb_csv_line(csv));
    if (rc == 0 && !bad) {
        rc = add_item(&im->claims[im->n - 1], v);
        if (rc == HB_ELIMIT) {
            hb_error_prefix("%s:%lu: ", hb_csv_name(csv), hb_csv_line(csv));
            note(im);
            rc = 0;
        }
    }
    for (int c = 0; c < NCOLS; c++)
        hb_buf_dispose(&text[c]);
    return rc;
}

static int read_file(importing *im, const char *name, const char *data, size_t len)
{
    hb_csv *csv = NULL;
    long pos[NCOLS];
    int rc = hb_csv_open_memory(&csv, name, data, len);
    if (rc == 0)
        rc = hb_csv_read_header(csv);
    for (int c = 0; rc == 0 && c < NCOLS; c++)
        if ((pos[c] = hb_csv_find(csv, cols[c].name)) < 0)
            rc = hb_error_set(HB_EINVAL,
                              "%s:1: missing column '%s' (a claims file has provider, episode, "
                              "patient, payer, currency, service_date, mainland_insured, item, "
                              "category, quantity, unit_price)",
                              name, cols[c].name);
    while (rc == 0 && (rc = hb_csv_next(csv)) == 1) {
        if (++im->rows > HB_SETTLE_IMPORT_ROWS_MAX)
            rc = hb_error_set(HB_ELIMIT, "%s: more than %d rows", name, HB_SETTLE_IMPORT_ROWS_MAX);
        else
            rc = read_row(im, csv, pos);
    }
    hb_csv_free(csv);
    return rc;
}

static void fill_claim(pending *p)
{
    hb_claim *c = &p->claim;
    c->provider = p->field[C_PROVIDER];
    c->episode = p->field[C_EPISODE];
    c->patient = p->field[C_PATIENT];
    c->payer = p->field[C_PAYER];
    c->currency = p->field[C_CURRENCY];
    hb_date_parse(&c->service_date, p->field[C_DATE], strlen(p->field[C_DATE]));
    c->mainland_insured = p->field[C_INSURED][0] == '1';
    c->items = p->items;
    c->nitems = p->nitems;
}

static int compare_pending(const void *a, const void *b)
{
    const pending *x = *(const pending *const *)a, *y = *(const pending *const *)b;
    int c = strcmp(x->field[C_PROVIDER], y->field[C_PROVIDER]);
    if (c == 0)
        c = strcmp(x->field[C_EPISODE], y->field[C_EPISODE]);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A claim whose rows are not consecutive shows up as two claims for one episode. */
static int check_repeats(importing *im, const char *name)
{
    const pending **order = hb_mallocarray(im->n + 1, sizeof *order);
    if (!order)
        return HB_ENOMEM;
    for (size_t i = 0; i < im->n; i++)
        order[i] = &im->claims[i];
    qsort(order, im->n, sizeof *order, compare_pending);
    for (size_t i = 1; i < im->n; i++)
        if (compare_pending(&order[i - 1], &order[i]) != 0 &&
            strcmp(order[i - 1]->field[C_PROVIDER], order[i]->field[C_PROVIDER]) == 0 &&
            strcmp(order[i - 1]->field[C_EPISODE], order[i]->field[C_EPISODE]) == 0) {
            hb_error_set(HB_EINVAL,
                         "%s:%lu: episode %s again: the rows of one claim must be consecutive "
                         "(first at line %lu)",
                         name, order[i]->line, order[i]->field[C_EPISODE], order[i - 1]->line);
            note(im);
        }
    hb_free(order);
    return 0;
}

/* Check every claim: its contents, and the stored claim for its episode. */
static int check_claims(importing *im, const char *name, uint64_t *unchanged)
{
    for (size_t i = 0; i < im->n; i++) {
        pending *p = &im->claims[i];
        fill_claim(p);
        int rc = hb_claim_check(im->store, &p->claim, im->caller->today);
        char hash[HB_SETTLE_HEX_LEN];
        int64_t id;
        hb_settle__hex(hash, hb_settle__claim_hash(&p->claim));
        if (rc == 0)
            rc = hb_settle__compare_live(im->store, &p->claim, hash, &id);
        *unchanged += rc == 1;
        if (rc == HB_EINVAL || rc == HB_ECONFLICT) {
            hb_error_prefix("%s:%lu: ", name, p->line);
            note(im);
            p->bad = true;
        } else if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

typedef struct write_job {
    importing *im;
    const char *name;
    uint64_t submitted;
} write_job;

static int write_claims(hb_store *store, void *payload, hb_settle_write *w)
{
    write_job *j = payload;
    importing *im = j->im;
    int rc = 0;
    for (size_t i = 0; rc >= 0 && i < im->n; i++) {
        int64_t id;
        rc = hb_settle__store_claim(store, im->caller, &im->claims[i].claim, &id);
        if (rc == 0)
            j->submitted++;
        else if (rc < 0)
            hb_error_prefix("line %lu: ", im->claims[i].line);
    }
    /* One entry for the file: its claims may belong to providers of any jurisdiction. */
    if (rc >= 0 && j->submitted > 0)
        snprintf(w->object, sizeof w->object, "claims/import/%s", j->name);
    return rc;
}

static void importing_dispose(importing *im)
{
    for (size_t i = 0; i < im->n; i++) {
        pending *p = &im->claims[i];
        for (int c = 0; c <= C_INSURED; c++)
            hb_free(p->field[c]);
        for (size_t j = 0; j < p->nitems; j++) {
            hb_free((char *)p->items[j].code);
            hb_free((char *)p->items[j].category);
        }
        hb_free(p->items);
    }
    hb_free(im->claims);
    hb_buf_dispose(&im->errors);
}

int hb_claims_import(hb_claims_import_report *out, hb_store *store, const hb_settle_caller *caller,
                     const char *name, const char *data, size_t len, bool dry_run)
{
    memset(out, 0, sizeof *out);
    importing im = { .store = store, .caller = caller };
    hb_buf_init(&im.errors, 0);
    int rc = read_file(&im, name, data, len);
    if (rc == 0)
        rc = check_repeats(&im, name);
    if (rc == 0)
        rc = check_claims(&im, name, &out->unchanged);
    out->rows = im.rows;
    out->claims = im.n;
    out->nerrors = im.nerrors;
    if (rc == 0 && im.nerrors > 0)
        rc = hb_error_set(HB_EINVAL, "%s: %llu problem%s; no claim was submitted", name,
                          (unsigned long long)im.nerrors, im.nerrors == 1 ? "" : "s");
    if (rc == 0 && !dry_run) {
        write_job j = { &im, name, 0 };
        hb_settle_write w = { .action = "claim.submit" };
        rc = hb_settle__in_transaction(store, caller, &w, write_claims, &j);
        out->submitted = j.submitted;
        out->unchanged = rc >= 0 ? im.n - j.submitted : out->unchanged;
    }
    out->errors = im.errors.len ? hb_buf_detach(&im.errors) : NULL;
    importing_dispose(&im);
    return rc < 0 ? rc : 0;
}

void hb_claims_import_report_dispose(hb_claims_import_report *report)
{
    hb_free(report->errors);
    report->errors = NULL;
}
