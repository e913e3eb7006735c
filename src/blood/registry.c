/*
 * blood/registry.c — importing and listing donors and units (see registry.h).
 *
 * Two phases, as in warn/ingest.c. Checking reads every record into a compact row, collects
 * every bad field instead of stopping at the first, finds keys given twice, and asks the database
 * only what a file alone cannot tell (does this DIN belong to another centre, is this unit held
 * by a request). Writing happens only for a file without errors, in one transaction: each row is
 * looked up by its key, then inserted, updated or left alone.
 *
 * Pseudonyms are 80 random bits from the kernel, shown as RD-XXXX-XXXX-XXXX-XXXX in Crockford's
 * base 32 (no I, L, O, U: they survive being read over the phone). Being random, they reveal
 * nothing about the donor, and they never change.
 */
#include "blood/registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "blood/din.h"
#include "blood/phenotype.h"
#include "blood/reference.h"
#include "core/accounts.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/limits.h"

#define KEY_MAX     64
#define DATE_NONE   INT32_MIN
#define CENTRES_MAX 256 /* blood centres known when importing: the GBA has a few dozen */

enum {
    C_KEY,
    C_ABO,
    C_RHD,
    C_PHENO,
    C_PRED,
    C_DATE,
    C_ELIGIBLE,
    C_COMPONENT,
    C_STORAGE,
    C_COLLECTED,
    C_LOCATION,
    C_STATUS,
    NCOLS
};

static const char *const components[] = { "whole_blood", "red_cells", "red_cells_leucoreduced",
                                          "washed_red_cells", "deglycerolised_red_cells" };
static const char *const storages[] = { "frozen", "liquid" };
static const char *const statuses[] = { "available", "discarded" };

typedef struct in_row {
    uint32_t line;
    uint32_t key_column, status_column; /* where they start, for problems found later */
    char key[HB_BLOOD_DIN_LEN + 1 > KEY_MAX + 1 ? HB_BLOOD_DIN_LEN + 1 : KEY_MAX + 1];
    hb_blood_abo abo;
    hb_blood_rhd rhd;
    hb_blood_phenotype ph;
    hb_date date; /* donors: last donation; units: expiry */
    hb_date collected;
    uint8_t eligible, component, storage, status, location; /* location: index in centres */
} in_row;

typedef struct importer {
    hb_store *store;
    const hb_blood_actor *actor;
    hb_blood_kind kind;
    long col[NCOLS];
    char *centres[CENTRES_MAX];
    size_t ncentres;
    size_t own; /* the actor's index in centres */
    in_row *rows;
    size_t nrows, cap;
    const char *name; /* the input's, in messages */
    hb_blood_import_error *errors;
    size_t nlisted;
    uint64_t nerrors;
} importer;

/* The columns of each kind, by C_* index (NULL: the kind has none). */
static const char *const donor_names[NCOLS] = { "local_ref", "abo",       "rhd",
                                                "phenotype", "predicted", "last_donation",
                                                "eligible" };
static const char *const unit_names[NCOLS] = { "din",       "abo",       "rhd",      "phenotype",
                                               "predicted", "expiry",    NULL,       "component",
                                               "storage",   "collected", "location", "status" };

int hb_blood__check_actor(const hb_blood_actor *actor)
{
    if (!actor || !actor->org || !actor->jurisdiction)
        return hb_error_set(HB_EINVAL, "say which organisation acts, and its jurisdiction");
    int rc = hb_org_code_check(actor->org);
    return rc < 0 ? rc : hb_jurisdiction_check(actor->jurisdiction);
}

int hb_blood__begin(hb_store *store, bool *own)
{
    *own = !hb_store_in_transaction(store);
    return *own ? hb_store_begin(store) : 0;
}

int hb_blood__end(hb_store *store, bool own, int rc)
{
    if (!own)
        return rc;
    if (rc == 0)
        return hb_store_commit(store);
    hb_store_rollback(store);
    return rc;
}

int hb_blood__require_centre(hb_store *store, const hb_blood_actor *actor)
{
    int rc = hb_blood__check_actor(actor);
    hb_blood_centre c;
    if (rc == 0 && (rc = hb_blood_centre_get(store, &c, actor->org)) == HB_ENOTFOUND)
        return hb_error_set(HB_EPERM,
                            "%s is not a blood centre: only a blood centre keeps donors "
                            "and units",
                            actor->org);
    if (rc == 0 && strcmp(c.jurisdiction, actor->jurisdiction) != 0)
        return hb_error_set(HB_EPERM, "%s is a blood centre of %s, not %s", actor->org,
                            c.jurisdiction, actor->jurisdiction);
    return rc;
}

static void note(importer *im, unsigned long line, unsigned long column, int c, const char *fmt,
                 ...) HB_PRINTF(5, 6);

/* Record a problem with field c of the record starting on line. Past the first
 * HB_REPORT_ERRORS_MAX (or out of memory) it is counted, not listed: the file fails all the
 * same. */
static void note(importer *im, unsigned long line, unsigned long column, int c, const char *fmt,
                 ...)
{
    im->nerrors++;
    if (!im->errors)
        im->errors = hb_calloc(HB_REPORT_ERRORS_MAX, sizeof *im->errors);
    if (!im->errors || im->nlisted == HB_REPORT_ERRORS_MAX)
        return;
    hb_blood_import_error *e = &im->errors[im->nlisted++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->reason, sizeof e->reason, fmt, ap);
    va_end(ap);
    e->line = line;
    e->column = column;
    e->field = (im->kind == HB_BLOOD_DONOR ? donor_names : unit_names)[c];
    /* The form of hb_csv_error(), which the command line prints; a long reason is cut so that the
     * name and position always fit. */
    snprintf(e->message, sizeof e->message, "%s:%lu:%lu: field '%s': %.400s", im->name, line,
             column, e->field, e->reason);
}

/* Where each column of the kind is; a missing required or an unknown column stops the file. */
static int find_columns(importer *im, const hb_csv *csv)
{
    static const bool donor_required[NCOLS] = { 1, 1, 1, 0, 0, 0, 1 };
    static const bool unit_required[NCOLS] = { 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0 };
    const char *const *names = im->kind == HB_BLOOD_DONOR ? donor_names : unit_names;
    const bool *required = im->kind == HB_BLOOD_DONOR ? donor_required : unit_required;
    size_t known = 0;
    for (size_t c = 0; c < NCOLS; c++) {
        im->col[c] = names[c] ? hb_csv_find(csv, names[c]) : -1;
        known += im->col[c] >= 0;
        if (required[c] && im->col[c] < 0)
            return hb_error_set(HB_EINVAL, "%s:1: missing column '%s'", hb_csv_name(csv), names[c]);
    }
    for (size_t f = 0; known < hb_csv_header_count(csv) && f < hb_csv_header_count(csv); f++) {
        size_t c = 0;
        while (c < NCOLS && !(names[c] && strcmp(names[c], hb_csv_header_name(csv, f)) == 0))
            c++;
        if (c == NCOLS)
            return hb_error_set(HB_EINVAL,
                                "%s:1: unknown column '%s' (see 'healthybay blood %s "
                                "import --help')",
                                hb_csv_name(csv), hb_csv_header_name(csv, f),
                                im->kind == HB_BLOOD_DONOR ? "donors" : "units");
    }
    return 0;
}

static const char *field(const importer *im, const hb_csv *csv, int c, size_t *len)
{
    if (im->col[c] < 0) {
        *len = 0;
        return "";
    }
    return hb_csv_field(csv, (size_t)im->col[c], len);
}

/* Record a bad field of the current record; returns false so a check can be
 * `ok &= bad(...)`. */
static bool bad(importer *im, const hb_csv *csv, int c, const char *reason)
{
    note(im, hb_csv_line(csv), hb_csv_column(csv, (size_t)im->col[c]), c, "%s", reason);
    return false;
}

static bool parse_enum(importer *im, const hb_csv *csv, int c, const char *const *names, size_t n,
                       uint8_t *out)
{
    size_t len;
    const char *v = field(im, csv, c, &len);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = (uint8_t)i;
            return true;
        }
    char reason[200];
    size_t used = (size_t)snprintf(reason, sizeof reason, "'%.40s' is not one of", v);
    for (size_t i = 0; i < n && used < sizeof reason; i++)
        used += (size_t)snprintf(reason + used, sizeof reason - used, " %s", names[i]);
    return bad(im, csv, c, reason);
}

static bool parse_date(importer *im, const hb_csv *csv, int c, bool required, hb_date *out)
{
    size_t len;
    const char *v = field(im, csv, c, &len);
    *out = DATE_NONE;
    if (len == 0)
        return required ? bad(im, csv, c, "must not be empty") : true;
    return hb_date_parse(out, v, len) == 0 || bad(im, csv, c, hb_error_last());
}

static bool valid_local_ref(const char *v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
              (v[i] >= '0' && v[i] <= '9') || strchr("-_./", v[i])))
            return false;
    return len > 0 && len <= KEY_MAX;
}

/* Fields every row has: key, ABO, RhD, phenotype. */
static bool check_common(importer *im, const hb_csv *csv, in_row *r)
{
    size_t len;
    const char *v = field(im, csv, C_KEY, &len);
    bool ok = true;
    r->key_column = (uint32_t)hb_csv_column(csv, (size_t)im->col[C_KEY]);
    if (im->kind == HB_BLOOD_UNIT) {
        if (hb_blood_din_parse(r->key, v, len) < 0)
            ok = bad(im, csv, C_KEY, hb_error_last());
    } else if (valid_local_ref(v, len)) {
        memcpy(r->key, v, len + 1);
    } else {
        ok = bad(im, csv, C_KEY, "a donor number is 1 to 64 letters, digits and - _ . /");
    }
    v = field(im, csv, C_ABO, &len);
    if (hb_blood_abo_parse(&r->abo, v, len) < 0)
        ok = bad(im, csv, C_ABO, hb_error_last());
    v = field(im, csv, C_RHD, &len);
    if (hb_blood_rhd_parse(&r->rhd, v, len) < 0)
        ok = bad(im, csv, C_RHD, hb_error_last());
    v = field(im, csv, C_PHENO, &len);
    if (hb_blood_phenotype_parse(&r->ph, v, len, false) < 0)
        ok = bad(im, csv, C_PHENO, hb_error_last());
    v = field(im, csv, C_PRED, &len);
    if (ok && hb_blood_phenotype_parse(&r->ph, v, len, true) < 0)
        ok = bad(im, csv, C_PRED, hb_error_last());
    return ok;
}

static bool check_donor(importer *im, const hb_csv *csv, in_row *r)
{
    static const char *const yes_no[] = { "no", "yes", "0", "1" };
    bool ok = parse_date(im, csv, C_DATE, false, &r->date);
    uint8_t e;
    if (parse_enum(im, csv, C_ELIGIBLE, yes_no, 4, &e))
        r->eligible = e % 2;
    else
        ok = false;
    return ok;
}

static bool check_location(importer *im, const hb_csv *csv, in_row *r)
{
    size_t len;
    const char *v = field(im, csv, C_LOCATION, &len);
    r->location = (uint8_t)im->own;
    if (len == 0)
        return true;
    for (size_t i = 0; i < im->ncentres; i++)
        if (strcmp(im->centres[i], v) == 0) {
            r->location = (uint8_t)i;
            return true;
        }
    return bad(im, csv, C_LOCATION, "not a blood centre (see 'healthybay blood centres')");
}

static bool check_unit(importer *im, const hb_csv *csv, in_row *r)
{
    bool ok = parse_date(im, csv, C_DATE, true, &r->date);
    ok &= parse_date(im, csv, C_COLLECTED, false, &r->collected);
    ok &= parse_enum(im, csv, C_COMPONENT, components, 5, &r->component);
    ok &= parse_enum(im, csv, C_STORAGE, storages, 2, &r->storage);
    size_t len;
    field(im, csv, C_STATUS, &len);
    r->status = 0;
    if (len) {
        r->status_column = (uint32_t)hb_csv_column(csv, (size_t)im->col[C_STATUS]);
        ok &= parse_enum(im, csv, C_STATUS, statuses, 2, &r->status);
    }
    ok &= check_location(im, csv, r);
    if (ok && r->collected != DATE_NONE && r->date < r->collected)
        ok = bad(im, csv, C_DATE, "expires before it was collected");
    /* Red cells are frozen in glycerol; once deglycerolised they are liquid and short-lived. */
    if (ok && r->storage == 0 && r->component != 1 && r->component != 2)
        ok = bad(im, csv, C_STORAGE, "only red_cells and red_cells_leucoreduced are frozen");
    return ok;
}

static int keep_row(importer *im, const in_row *r)
{
    if (im->nrows == HB_BLOOD_IMPORT_ROWS_MAX)
        return hb_error_set(HB_ELIMIT, "more than %d rows in one import", HB_BLOOD_IMPORT_ROWS_MAX);
    if (im->nrows == im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 256;
        in_row *p = hb_reallocarray(im->rows, cap, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        im->rows = p;
        im->cap = cap;
    }
    im->rows[im->nrows++] = *r;
    return 0;
}

static int compare_keys(const void *a, const void *b)
{
    const in_row *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Sort rows by key (the write order, too: b-tree inserts in key order) and name duplicates. */
static void find_duplicates(importer *im)
{
    if (im->nrows > 1)
        qsort(im->rows, im->nrows, sizeof *im->rows, compare_keys);
    for (size_t i = 1; i < im->nrows; i++) {
        const in_row *r = &im->rows[i];
        if (strcmp(r->key, im->rows[i - 1].key) == 0)
            note(im, r->line, r->key_column, C_KEY, "%s %s is also on line %u",
                 im->kind == HB_BLOOD_UNIT ? "DIN" : "donor", r->key, im->rows[i - 1].line);
    }
}

/* Phase 1 for one file. Returns < 0 only for errors that stop reading: a missing or unknown
 * column, a line that is not CSV (its message names where). */
static int check_all(importer *im, hb_csv *csv, hb_blood_import_report *report)
{
    int rc = hb_csv_read_header(csv);
    if (rc == 0)
        rc = find_columns(im, csv);
    while (rc == 0 && (rc = hb_csv_next(csv)) == 1) {
        in_row r = { .line = (uint32_t)hb_csv_line(csv) };
        report->rows++;
        bool ok = check_common(im, csv, &r);
        ok &= im->kind == HB_BLOOD_DONOR ? check_donor(im, csv, &r) : check_unit(im, csv, &r);
        rc = ok ? keep_row(im, &r) : 0;
    }
    if (rc == 0)
        find_duplicates(im);
    return rc;
}

/* What the file cannot tell: a DIN of another centre, or a held unit being discarded. */
static int check_units_in_store(importer *im)
{
    hb_stmt *st;
    int rc = hb_store_prepare(
        im->store, &st, "SELECT centre, status, request_id FROM hb_blood_units WHERE din = ?");
    for (size_t i = 0; rc == 0 && i < im->nrows; i++) {
        const in_row *r = &im->rows[i];
        if ((rc = hb_stmt_bind_cstr(st, 1, r->key)) < 0 || (rc = hb_stmt_step(st)) < 0)
            break;
        if (rc == HB_STORE_ROW && strcmp(hb_stmt_text(st, 0, NULL), im->actor->org) != 0)
            note(im, r->line, r->key_column, C_KEY, "DIN %s belongs to %s", r->key,
                 hb_stmt_text(st, 0, NULL));
        else if (rc == HB_STORE_ROW && r->status == 1 &&
                 strcmp(hb_stmt_text(st, 1, NULL), "available") != 0 &&
                 strcmp(hb_stmt_text(st, 1, NULL), "discarded") != 0)
            note(im, r->line, r->status_column, C_STATUS,
                 "unit %s is %s for request %lld; it cannot be discarded", r->key,
                 hb_stmt_text(st, 1, NULL), (long long)hb_stmt_int64(st, 2));
        rc = hb_stmt_reset(st);
    }
    hb_stmt_finalize(st);
    return rc;
}

static int load_centres(importer *im)
{
    hb_stmt *st;
    int rc = hb_store_prepare(im->store, &st, "SELECT code FROM hb_blood_centres ORDER BY code");
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        if (im->ncentres == CENTRES_MAX) {
            rc = hb_error_set(HB_ELIMIT, "more than %d blood centres", CENTRES_MAX);
            break;
        }
        if (strcmp(hb_stmt_text(st, 0, NULL), im->actor->org) == 0)
            im->own = im->ncentres;
        if (!(im->centres[im->ncentres++] = hb_strdup(hb_stmt_text(st, 0, NULL))))
            rc = HB_ENOMEM;
        else
            rc = 0;
    }
    hb_stmt_finalize(st);
    return rc;
}

static void new_pseudonym(char out[HB_BLOOD_PSEUDONYM_LEN + 1])
{
    static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford base 32 */
    unsigned char r[10];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n > 0)
            got += (size_t)n;
    }
    uint64_t hi = 0, lo = 0;
    for (size_t i = 0; i < 5; i++) {
        hi = hi << 8 | r[i];
        lo = lo << 8 | r[i + 5];
    }
    memcpy(out, "RD-", 3);
    for (size_t i = 0; i < 16; i++) {
        uint64_t word = i < 8 ? hi : lo;
        unsigned shift = (unsigned)(35 - 5 * (i % 8));
        size_t at = 3 + i + i / 4;
        out[at] = digits[(word >> shift) & 31u];
        if (i % 4 == 3 && i < 15)
            out[at + 1] = '-';
    }
    out[HB_BLOOD_PSEUDONYM_LEN] = '\0';
}

/* Bind the stored fields of r, in the order abo, rhd, pos, neg, predicted, date, from index. */
static int bind_profile(hb_stmt *st, int first, const in_row *r)
{
    char day[HB_DATE_STRLEN];
    int rc = hb_stmt_bind_cstr(st, first, hb_blood_abo_name(r->abo));
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 1, hb_blood_rhd_name(r->rhd));
    if (rc == 0)
        rc = hb_stmt_bind_int64(st, first + 2, (int64_t)r->ph.pos);
    if (rc == 0)
        rc = hb_stmt_bind_int64(st, first + 3, (int64_t)r->ph.neg);
    if (rc == 0)
        rc = hb_stmt_bind_int64(st, first + 4, (int64_t)r->ph.predicted);
    if (rc == 0)
        rc = r->date == DATE_NONE ? hb_stmt_bind_null(st, first + 5)
                                  : hb_stmt_bind_cstr(st, first + 5, hb_date_format(day, r->date));
    return rc;
}

typedef struct writer {
    hb_stmt *select, *insert, *update;
    char now[HB_TIMESTAMP_STRLEN];
} writer;

static const char *const donor_sql[3] = {
    "SELECT abo, rhd, pos_mask, neg_mask, predicted_mask, last_donation, eligible"
    " FROM hb_blood_donors WHERE centre = ? AND local_ref = ?",
    "INSERT INTO hb_blood_donors (abo, rhd, pos_mask, neg_mask, predicted_mask, last_donation,"
    " eligible, updated_at, centre, local_ref, pseudonym) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "UPDATE hb_blood_donors SET abo = ?, rhd = ?, pos_mask = ?, neg_mask = ?, predicted_mask = ?,"
    " last_donation = ?, eligible = ?, updated_at = ? WHERE centre = ? AND local_ref = ?",
};

/* Units: status moves only between available and discarded; a held unit keeps its status. */
static const char *const unit_sql[3] = {
    "SELECT abo, rhd, pos_mask, neg_mask, predicted_mask, expiry, component, storage, collected,"
    " location, status FROM hb_blood_units WHERE din = ?",
    "INSERT INTO hb_blood_units (abo, rhd, pos_mask, neg_mask, predicted_mask, expiry, component,"
    " storage, collected, location, status, updated_at, din, centre)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "UPDATE hb_blood_units SET abo = ?, rhd = ?, pos_mask = ?, neg_mask = ?, predicted_mask = ?,"
    " expiry = ?, component = ?, storage = ?, collected = ?, location = ?,"
    " status = CASE WHEN status IN ('available', 'discarded') THEN ? ELSE status END,"
    " updated_at = ? WHERE din = ? AND centre = ?",
};

/* Bind the kind-specific fields from index 7 on, then updated_at and the key. Returns the next
 * free index through *next. */
static int bind_rest(const importer *im, hb_stmt *st, const in_row *r, const char *now, int *next)
{
    char day[HB_DATE_STRLEN];
    int i = 7, rc = 0;
    if (im->kind == HB_BLOOD_DONOR) {
        rc = hb_stmt_bind_int64(st, i++, r->eligible);
    } else {
        if ((rc = hb_stmt_bind_cstr(st, i++, components[r->component])) == 0 &&
            (rc = hb_stmt_bind_cstr(st, i++, storages[r->storage])) == 0)
            rc = r->collected == DATE_NONE
                     ? hb_stmt_bind_null(st, i++)
                     : hb_stmt_bind_cstr(st, i++, hb_date_format(day, r->collected));
        if (rc == 0 && (rc = hb_stmt_bind_cstr(st, i++, im->centres[r->location])) == 0)
            rc = hb_stmt_bind_cstr(st, i++, statuses[r->status]);
    }
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, i++, now)) == 0) {
        if (im->kind == HB_BLOOD_DONOR && (rc = hb_stmt_bind_cstr(st, i++, im->actor->org)) == 0)
            rc = hb_stmt_bind_cstr(st, i++, r->key);
        else if (im->kind == HB_BLOOD_UNIT && (rc = hb_stmt_bind_cstr(st, i++, r->key)) == 0)
            rc = hb_stmt_bind_cstr(st, i++, im->actor->org);
    }
    *next = i;
    return rc;
}

/* Is the stored row (current row of select) the same as r? Compared as text, as stored. */
static bool unchanged(const importer *im, hb_stmt *select, const in_row *r)
{
    char day[HB_DATE_STRLEN], col[HB_DATE_STRLEN];
    bool same = strcmp(hb_stmt_text(select, 0, NULL), hb_blood_abo_name(r->abo)) == 0 &&
                strcmp(hb_stmt_text(select, 1, NULL), hb_blood_rhd_name(r->rhd)) == 0 &&
                hb_stmt_int64(select, 2) == (int64_t)r->ph.pos &&
                hb_stmt_int64(select, 3) == (int64_t)r->ph.neg &&
                hb_stmt_int64(select, 4) == (int64_t)r->ph.predicted &&
                strcmp(hb_stmt_text(select, 5, NULL),
                       r->date == DATE_NONE ? "" : hb_date_format(day, r->date)) == 0;
    if (im->kind == HB_BLOOD_DONOR)
        return same && hb_stmt_int64(select, 6) == r->eligible;
    return same && strcmp(hb_stmt_text(select, 6, NULL), components[r->component]) == 0 &&
           strcmp(hb_stmt_text(select, 7, NULL), storages[r->storage]) == 0 &&
           strcmp(hb_stmt_text(select, 8, NULL),
                  r->collected == DATE_NONE ? "" : hb_date_format(col, r->collected)) == 0 &&
           strcmp(hb_stmt_text(select, 9, NULL), im->centres[r->location]) == 0 &&
           (strcmp(hb_stmt_text(select, 10, NULL), statuses[r->status]) == 0 ||
            strcmp(hb_stmt_text(select, 10, NULL), statuses[1 - r->status]) != 0);
}

static int exec_reset(hb_stmt *st)
{
    int rc = hb_stmt_step(st);
    int reset = hb_stmt_reset(st);
    return rc < 0 ? rc : reset;
}

static int write_row(importer *im, writer *w, const in_row *r, hb_blood_import_report *report)
{
    int rc, next;
    if (im->kind == HB_BLOOD_DONOR) {
        if ((rc = hb_stmt_bind_cstr(w->select, 1, im->actor->org)) == 0)
            rc = hb_stmt_bind_cstr(w->select, 2, r->key);
    } else {
        rc = hb_stmt_bind_cstr(w->select, 1, r->key);
    }
    if (rc == 0)
        rc = hb_stmt_step(w->select);
    bool exists = rc == HB_STORE_ROW, same = exists && unchanged(im, w->select, r);
    hb_stmt_reset(w->select);
    if (rc < 0 || same) {
        report->unchanged += same;
        return rc < 0 ? rc : 0;
    }
    hb_stmt *st = exists ? w->update : w->insert;
    if ((rc = bind_profile(st, 1, r)) == 0)
        rc = bind_rest(im, st, r, w->now, &next);
    if (rc == 0 && !exists && im->kind == HB_BLOOD_DONOR) {
        char pseudonym[HB_BLOOD_PSEUDONYM_LEN + 1];
        new_pseudonym(pseudonym);
        rc = hb_stmt_bind_cstr(st, next, pseudonym);
    }
    if (rc == 0)
        rc = exec_reset(st);
    if (rc == 0)
        exists ? report->updated++ : report->inserted++;
    return rc;
}

static int write_all(importer *im, hb_blood_import_report *report)
{
    writer w = { 0 };
    const char *const *sql = im->kind == HB_BLOOD_DONOR ? donor_sql : unit_sql;
    hb_timestamp_now(w.now);
    int rc = hb_store_prepare(im->store, &w.select, sql[0]);
    if (rc == 0)
        rc = hb_store_prepare(im->store, &w.insert, sql[1]);
    if (rc == 0)
        rc = hb_store_prepare(im->store, &w.update, sql[2]);
    for (size_t i = 0; rc == 0 && i < im->nrows; i++)
        rc = write_row(im, &w, &im->rows[i], report);
    hb_stmt_finalize(w.select);
    hb_stmt_finalize(w.insert);
    hb_stmt_finalize(w.update);
    return rc;
}

static void importer_dispose(importer *im)
{
    for (size_t i = 0; i < im->ncentres; i++)
        hb_free(im->centres[i]);
    hb_free(im->rows);
    hb_free(im->errors);
}

/* Write the checked rows in one transaction: the caller's (the HTTP request's, beside its audit
 * entry), or our own. */
static int commit_import(importer *im, hb_blood_import_report *report)
{
    bool own;
    int rc = hb_blood__begin(im->store, &own);
    if (rc == 0)
        rc = hb_blood__end(im->store, own, write_all(im, report));
    if (rc < 0)
        report->inserted = report->updated = report->unchanged = 0;
    return rc;
}

/* Both phases; consumes csv. */
static int run(importer *im, hb_csv *csv, bool dry_run, hb_blood_import_report *report)
{
    int rc = hb_blood__require_centre(im->store, im->actor);
    if (rc == 0)
        rc = load_centres(im);
    if (rc == 0)
        rc = check_all(im, csv, report);
    if (rc == 0 && im->kind == HB_BLOOD_UNIT)
        rc = check_units_in_store(im);
    if (rc == 0 && im->nerrors > 0)
        rc = hb_error_set(HB_EINVAL, "%s: %llu problem%s in %llu row%s; nothing was written",
                          hb_csv_name(csv), (unsigned long long)im->nerrors,
                          im->nerrors == 1 ? "" : "s", (unsigned long long)report->rows,
                          report->rows == 1 ? "" : "s");
    if (rc == 0 && !dry_run)
        rc = commit_import(im, report);
    report->nerrors = im->nerrors;
    report->errors = im->errors;
    report->nlisted = im->nlisted;
    im->errors = NULL;
    hb_csv_free(csv);
    importer_dispose(im);
    return rc;
}

static int start(hb_store *store, const hb_blood_actor *actor, hb_blood_kind kind, hb_csv *csv,
                 bool dry_run, hb_blood_import_report *report)
{
    importer im = { .store = store, .actor = actor, .kind = kind, .name = hb_csv_name(csv) };
    return run(&im, csv, dry_run, report);
}

int hb_blood_import_file(hb_store *store, const hb_blood_actor *actor, hb_blood_kind kind,
                         const char *path, bool dry_run, hb_blood_import_report *report)
{
    hb_csv *csv;
    memset(report, 0, sizeof *report);
    int rc = hb_csv_open_file(&csv, path);
    return rc < 0 ? rc : start(store, actor, kind, csv, dry_run, report);
}

int hb_blood_import_memory(hb_store *store, const hb_blood_actor *actor, hb_blood_kind kind,
                           const char *name, const char *data, size_t len, bool dry_run,
                           hb_blood_import_report *report)
{
    hb_csv *csv;
    memset(report, 0, sizeof *report);
    int rc = hb_csv_open_memory(&csv, name, data, len);
    return rc < 0 ? rc : start(store, actor, kind, csv, dry_run, report);
}

void hb_blood_import_report_dispose(hb_blood_import_report *report)
{
    hb_free(report->errors);
    report->errors = NULL;
    report->nlisted = 0;
}

/* Render one phenotype (three mask columns from `at`) into two cells, typed and predicted. */
static int render_phenotype(hb_stmt *st, int at, hb_buf *typed, hb_buf *predicted)
{
    hb_blood_phenotype ph = { (uint64_t)hb_stmt_int64(st, at), (uint64_t)hb_stmt_int64(st, at + 1),
                              (uint64_t)hb_stmt_int64(st, at + 2) };
    hb_buf_reset(typed);
    hb_buf_reset(predicted);
    int rc = hb_blood_phenotype_format(typed, &ph, HB_STATES_TYPED);
    return rc == 0 ? hb_blood_phenotype_format(predicted, &ph, HB_STATES_PREDICTED) : rc;
}

/* One listing: its query (parameters: centre, the key after which to start, the limit) returns,
 * in order, the columns before the masks (mask_at of them), the three masks, then the rest. The
 * output has the masks replaced by "phenotype" and "predicted". With din_first, column 0 is a DIN
 * and is shown as printed, with its check character. */
typedef struct listing {
    const char *sql;
    size_t ncols;
    const char *const *names;
    const hb_col_kind *kinds;
    int mask_at;
    bool din_first;
} listing;

static int bind_page(hb_stmt *st, const char *centre, const char *after, size_t limit)
{
    int rc = hb_stmt_bind_cstr(st, 1, centre);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, 2, after);
    /* 0 = all: a limit both backends take as none (SQLite's -1 is an error on PostgreSQL). */
    if (rc == 0)
        rc = hb_stmt_bind_int64(
            st, 3, limit == 0 || limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
    return rc;
}

static int list_profiles(hb_store *store, const listing *l, const char *centre, const char *after,
                         size_t limit, hb_table **out)
{
    hb_table *t;
    hb_stmt *st = NULL;
    hb_buf typed, predicted;
    hb_buf_init(&typed, 0);
    hb_buf_init(&predicted, 0);
    int rc = hb_table_new(&t, l->ncols, l->names, l->kinds);
    if (rc == 0 && (rc = hb_store_prepare(store, &st, l->sql)) == 0)
        rc = bind_page(st, centre, after, limit);
    const char *cells[16];
    char din[20];
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        rc = render_phenotype(st, l->mask_at, &typed, &predicted);
        for (int c = 0, q = 0; rc == 0 && (size_t)c < l->ncols; c++, q++) {
            if (c == l->mask_at) {
                cells[c++] = hb_buf_cstr(&typed);
                cells[c] = hb_buf_cstr(&predicted);
                q += 2;
            } else {
                cells[c] = hb_stmt_is_null(st, q) ? NULL : hb_stmt_text(st, q, NULL);
            }
        }
        if (rc == 0 && l->din_first) {
            hb_blood_din_format(din, cells[0]);
            cells[0] = din;
        }
        if (rc == 0)
            rc = hb_table_add_row(t, cells);
    }
    hb_stmt_finalize(st);
    hb_buf_dispose(&typed);
    hb_buf_dispose(&predicted);
    if (rc < 0)
        hb_table_free(t);
    else
        *out = t;
    return rc < 0 ? rc : 0;
}

int hb_blood_donors_list(hb_store *store, const hb_blood_actor *actor, const char *after,
                         size_t limit, hb_table **out)
{
    static const char *const names[] = { "pseudonym", "local_ref", "abo",           "rhd",
                                         "phenotype", "predicted", "last_donation", "eligible" };
    static const listing donors = {
        "SELECT pseudonym, local_ref, abo, rhd, pos_mask, neg_mask, predicted_mask, last_donation,"
        " CASE eligible WHEN 1 THEN 'yes' ELSE 'no' END FROM hb_blood_donors"
        " WHERE centre = ? AND local_ref > ? ORDER BY local_ref LIMIT ?",
        8,
        names,
        NULL,
        4,
        false,
    };
    int rc = hb_blood__require_centre(store, actor);
    return rc < 0 ? rc : list_profiles(store, &donors, actor->org, after, limit, out);
}

int hb_blood_units_list(hb_store *store, const hb_blood_actor *actor, const char *after,
                        size_t limit, hb_table **out)
{
    static const char *const names[] = { "din",    "component", "storage",   "abo",
                                         "rhd",    "phenotype", "predicted", "collected",
                                         "expiry", "location",  "status",    "request" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_INT };
    static const listing units = {
        "SELECT din, component, storage, abo, rhd, pos_mask, neg_mask, predicted_mask, collected,"
        " expiry, location, status, request_id FROM hb_blood_units"
        " WHERE centre = ? AND din > ? ORDER BY din LIMIT ?",
        12,
        names,
        kinds,
        5,
        true,
    };
    char din[HB_BLOOD_DIN_LEN + 1] = "";
    int rc = hb_blood__require_centre(store, actor);
    if (rc == 0 && after[0])
        rc = hb_blood_din_parse(din, after, strlen(after));
    return rc < 0 ? rc : list_profiles(store, &units, actor->org, din, limit, out);
}
