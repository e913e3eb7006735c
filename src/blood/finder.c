/*
 * blood/finder.c — searching the stored registry (see finder.h).
 *
 * A search reads the candidate units and donors into an engine index and runs one query on it.
 * The database already drops what cannot match — units not available or expired, donors not
 * eligible, and, with a bit test the two backends both evaluate, every profile lacking one of the
 * required absences — so a rare requirement reads few rows. The engine then applies ABO, RhD,
 * site and the ranking, and the hits are mapped back to DINs and pseudonyms.
 *
 * Nothing here returns a donor's local_ref: the query does not even select it.
 */
#include "blood/finder.h"

#include <stdio.h>
#include <string.h>

#include "blood/din.h"
#include "blood/phenotype.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"

static const char *const jurisdictions[] = { "GD", "HK", "MO" };
static const char *const components[] = { "whole_blood", "red_cells", "red_cells_leucoreduced",
                                          "washed_red_cells", "deglycerolised_red_cells" };

typedef struct centre {
    char code[65];
    unsigned jurisdiction;
} centre;

/* What the index cannot hold but the results show. */
typedef struct record {
    char id[HB_BLOOD_PSEUDONYM_LEN + 1]; /* DIN (13 characters) or pseudonym */
    uint16_t owner;
    int8_t component; /* -1 for donors */
    bool frozen;
    hb_blood_profile profile;
} record;

typedef struct finder {
    hb_store *store;
    const hb_blood_find_query *q;
    centre *centres;
    hb_blood_site *sites;
    size_t ncentres;
    hb_blood_index *ix;
    record *recs;
    size_t nrecs, cap;
} finder;

static int jurisdiction_index(const char *code, size_t len, unsigned *out)
{
    for (unsigned i = 0; i < 3; i++)
        if (len == 2 && memcmp(code, jurisdictions[i], 2) == 0) {
            *out = i;
            return 0;
        }
    return hb_error_set(HB_EINVAL, "'%.*s' is not a jurisdiction (GD, HK or MO)",
                        (int)(len > 20 ? 20 : len), code);
}

/* "HK,MO" → site-group bits; NULL or "" → 0 (all). */
static int parse_jurisdictions(const char *list, unsigned *groups)
{
    *groups = 0;
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ", ");
        unsigned j = 0;
        if (len > 0) {
            int rc = jurisdiction_index(p, len, &j);
            if (rc < 0)
                return rc;
            *groups |= 1u << j;
        }
        p += len + (p[len] != '\0');
    }
    return 0;
}

static int load_centres(finder *f)
{
    hb_stmt *st;
    size_t cap = 0;
    int rc = hb_store_prepare(f->store, &st,
                              "SELECT code, jurisdiction, latitude, longitude FROM"
                              " hb_blood_centres ORDER BY code");
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        rc = 0;
        if (f->ncentres == HB_BLOOD_SITES_MAX) {
            rc = hb_error_set(HB_ELIMIT, "more than %d blood centres", HB_BLOOD_SITES_MAX);
            break;
        }
        if (f->ncentres == cap) {
            cap = cap ? cap * 2 : 32;
            centre *c = hb_reallocarray(f->centres, cap, sizeof *c);
            hb_blood_site *s = c ? hb_reallocarray(f->sites, cap, sizeof *s) : NULL;
            if (c)
                f->centres = c;
            if (!s) {
                rc = HB_ENOMEM;
                break;
            }
            f->sites = s;
        }
        centre *c = &f->centres[f->ncentres];
        snprintf(c->code, sizeof c->code, "%s", hb_stmt_text(st, 0, NULL));
        rc = jurisdiction_index(hb_stmt_text(st, 1, NULL), 2, &c->jurisdiction);
        f->sites[f->ncentres] =
            (hb_blood_site){ hb_stmt_double(st, 2), hb_stmt_double(st, 3), c->jurisdiction };
        f->ncentres++;
    }
    hb_stmt_finalize(st);
    return rc;
}

static long centre_index(const finder *f, const char *code)
{
    for (size_t i = 0; i < f->ncentres; i++)
        if (strcmp(f->centres[i].code, code) == 0)
            return (long)i;
    return -1;
}

static int add_record(finder *f, const record *r)
{
    if (f->nrecs == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 256;
        record *p = hb_reallocarray(f->recs, cap, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        f->recs = p;
        f->cap = cap;
    }
    f->recs[f->nrecs++] = *r;
    return hb_blood_index_add(f->ix, NULL, &r->profile);
}

/* Columns from `at`: abo, rhd, pos, neg, predicted, date. */
static int read_profile(hb_stmt *st, int at, hb_blood_profile *p)
{
    const char *abo = hb_stmt_text(st, at, NULL), *rhd = hb_stmt_text(st, at + 1, NULL);
    int rc = hb_blood_abo_parse(&p->abo, abo, strlen(abo));
    if (rc == 0)
        rc = hb_blood_rhd_parse(&p->rhd, rhd, strlen(rhd));
    p->phenotype = (hb_blood_phenotype){ (uint64_t)hb_stmt_int64(st, at + 2),
                                         (uint64_t)hb_stmt_int64(st, at + 3),
                                         (uint64_t)hb_stmt_int64(st, at + 4) };
    size_t len;
    const char *date = hb_stmt_text(st, at + 5, &len);
    p->date = INT32_MIN;
    if (rc == 0 && len > 0)
        rc = hb_date_parse(&p->date, date, len);
    return rc;
}

static const char units_sql[] =
    "SELECT din, centre, location, component, storage, abo, rhd, pos_mask, neg_mask,"
    " predicted_mask, expiry FROM hb_blood_units WHERE status = 'available' AND expiry >= ?"
    " AND (neg_mask & CAST(? AS BIGINT)) = CAST(? AS BIGINT)";
static const char donors_sql[] =
    "SELECT pseudonym, centre, centre, NULL, NULL, abo, rhd, pos_mask, neg_mask, predicted_mask,"
    " last_donation FROM hb_blood_donors WHERE eligible = 1"
    " AND (neg_mask & CAST(? AS BIGINT)) = CAST(? AS BIGINT)";

static int load_kind(finder *f, hb_blood_kind kind)
{
    char on[HB_DATE_STRLEN];
    hb_stmt *st;
    bool unit = kind == HB_BLOOD_UNIT;
    int rc = hb_store_prepare(f->store, &st, unit ? units_sql : donors_sql);
    if (rc == 0 && unit)
        rc = hb_stmt_bind_cstr(st, 1, hb_date_format(on, f->q->on));
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1 + unit, (int64_t)f->q->negative)) == 0)
        rc = hb_stmt_bind_int64(st, 2 + unit, (int64_t)f->q->negative);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        record r = { .component = -1, .profile.kind = kind };
        snprintf(r.id, sizeof r.id, "%s", hb_stmt_text(st, 0, NULL));
        long owner = centre_index(f, hb_stmt_text(st, 1, NULL));
        long site = centre_index(f, hb_stmt_text(st, 2, NULL));
        if (owner < 0 || site < 0) {
            rc = hb_error_set(HB_ERROR, "%s: unknown blood centre", r.id);
            break;
        }
        r.owner = (uint16_t)owner;
        r.profile.site = (uint16_t)site;
        for (int8_t c = 0; unit && c < 5; c++)
            if (strcmp(hb_stmt_text(st, 3, NULL), components[c]) == 0)
                r.component = c;
        r.frozen = strcmp(hb_stmt_text(st, 4, NULL), "frozen") == 0;
        rc = read_profile(st, 5, &r.profile);
        if (rc == 0)
            rc = add_record(f, &r);
    }
    hb_stmt_finalize(st);
    return rc;
}

static const char *const result_names[] = {
    "rank",        "kind",      "id",        "centre",    "jurisdiction", "location",
    "abo",         "rhd",       "component", "storage",   "expiry",       "last_donation",
    "distance_km", "exactness", "phenotype", "predicted",
};
#define NRESULT (sizeof result_names / sizeof result_names[0])
static const hb_col_kind result_kinds[NRESULT] = {
    [0] = HB_COL_INT,  /* rank */
    [12] = HB_COL_INT, /* distance_km */
    [13] = HB_COL_INT, /* exactness */
};

static int add_hit(const finder *f, hb_table *t, size_t rank, const hb_blood_hit *hit)
{
    const record *r = &f->recs[hit->id];
    const hb_blood_profile *p = &r->profile;
    bool unit = p->kind == HB_BLOOD_UNIT;
    char rank_s[24], dist[24], exact[24], date[HB_DATE_STRLEN], din[20];
    snprintf(rank_s, sizeof rank_s, "%zu", rank);
    snprintf(dist, sizeof dist, "%u", hit->distance_km);
    snprintf(exact, sizeof exact, "%u", hit->exactness);
    if (p->date != INT32_MIN)
        hb_date_format(date, p->date);
    if (unit)
        hb_blood_din_format(din, r->id);
    hb_buf typed, predicted;
    hb_buf_init(&typed, 0);
    hb_buf_init(&predicted, 0);
    int rc = hb_blood_phenotype_format(&typed, &p->phenotype, HB_STATES_TYPED);
    if (rc == 0)
        rc = hb_blood_phenotype_format(&predicted, &p->phenotype, HB_STATES_PREDICTED);
    const char *cells[NRESULT] = {
        rank_s,
        unit ? "unit" : "donor",
        unit ? din : r->id,
        f->centres[r->owner].code,
        jurisdictions[f->centres[r->owner].jurisdiction],
        f->centres[p->site].code,
        hb_blood_abo_name(p->abo),
        hb_blood_rhd_name(p->rhd),
        unit && r->component >= 0 ? components[r->component] : NULL,
        unit ? (r->frozen ? "frozen" : "liquid") : NULL,
        unit ? date : NULL,
        !unit && p->date != INT32_MIN ? date : NULL,
        f->q->near ? dist : NULL,
        exact,
        hb_buf_cstr(&typed),
        hb_buf_cstr(&predicted),
    };
    if (rc == 0)
        rc = hb_table_add_row(t, cells);
    hb_buf_dispose(&typed);
    hb_buf_dispose(&predicted);
    return rc;
}

static int run_query(finder *f, hb_table *t, uint64_t *nmatched)
{
    hb_blood_query q = { .abo = f->q->abo,
                         .rhd = f->q->rhd,
                         .negative = f->q->negative,
                         .prefer = f->q->prefer,
                         .kinds = f->q->kinds,
                         .on = f->q->on };
    int rc = parse_jurisdictions(f->q->jurisdictions, &q.groups);
    if (rc == 0 && f->q->near) {
        long c = centre_index(f, f->q->near);
        if (c < 0)
            return hb_error_set(HB_EINVAL,
                                "'%s' is not a blood centre (see 'healthybay blood "
                                "centres')",
                                f->q->near);
        q.has_origin = true;
        q.latitude = f->sites[c].latitude;
        q.longitude = f->sites[c].longitude;
    }
    hb_blood_hit *hits = rc == 0 ? hb_mallocarray(f->q->limit, sizeof *hits) : NULL;
    size_t n = 0;
    if (rc == 0 && !hits)
        rc = HB_ENOMEM;
    if (rc == 0)
        rc = hb_blood_index_search(f->ix, &q, hits, f->q->limit, &n, nmatched);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = add_hit(f, t, i + 1, &hits[i]);
    hb_free(hits);
    return rc;
}

static int check_find_query(const hb_blood_find_query *q)
{
    if (q->limit < 1 || q->limit > HB_BLOOD_HITS_MAX)
        return hb_error_set(HB_ELIMIT, "limit must be 1..%d", HB_BLOOD_HITS_MAX);
    if ((q->negative | q->prefer) & ~HB_BLOOD_MASK_ALL)
        return hb_error_set(HB_EINVAL, "antigen bit 63 is not used");
    if (q->kinds & ~3u)
        return hb_error_set(HB_EINVAL, "unknown kind of profile");
    unsigned groups;
    return parse_jurisdictions(q->jurisdictions, &groups);
}

/* The single read of the shared registry by another organisation: its audit entry belongs
 * here. */
int hb_blood_find(hb_store *store, const hb_blood_actor *actor, const hb_blood_find_query *query,
                  hb_table **out, uint64_t *nmatched)
{
    finder f = { .store = store, .q = query };
    hb_table *t = NULL;
    if (nmatched)
        *nmatched = 0;
    int rc = actor ? hb_blood__check_actor(actor) : 0;
    if (rc == 0)
        rc = check_find_query(query);
    if (rc == 0)
        rc = load_centres(&f);
    if (rc == 0)
        rc = hb_blood_index_new(&f.ix, f.sites, f.ncentres, 1024);
    unsigned kinds = query->kinds ? query->kinds : 3u;
    if (rc == 0 && (kinds & 1u << HB_BLOOD_UNIT))
        rc = load_kind(&f, HB_BLOOD_UNIT);
    if (rc == 0 && (kinds & 1u << HB_BLOOD_DONOR))
        rc = load_kind(&f, HB_BLOOD_DONOR);
    if (rc == 0)
        rc = hb_table_new(&t, NRESULT, result_names, result_kinds);
    if (rc == 0)
        rc = run_query(&f, t, nmatched);
    hb_blood_index_free(f.ix);
    hb_free(f.recs);
    hb_free(f.centres);
    hb_free(f.sites);
    if (rc < 0) {
        hb_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
