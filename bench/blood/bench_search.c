/*
 * bench/blood/bench_search.c — one rare-blood query over N donor profiles (default 10 million),
 * answered three ways in the same run: the healthybay engine (include/healthybay/blood.h, one
 * core), and the same query in SQL on SQLite and on PostgreSQL over the same rows in the real
 * schema (hb_blood_donors). The three answers are compared hit by hit, and the times and ratios
 * printed.
 *
 *   bench_search [--profiles N] [--pg URL] [--dir DIR] [--no-sql]
 *
 * Profiles are synthetic, from a fixed seed, shaped like a rare-donor registry: enriched in
 * RhD-negative donors (20%), each antigen typed in 70% of donors, absent with a per-antigen
 * probability, and about 10% of typings predicted from genotype. Row i is a pure function of i, so
 * the engine and the databases see the same registry without keeping it in memory twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blood/phenotype.h"
#include "core/schema.h"
#include "healthybay/blood.h"
#include "healthybay/date.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"

#define TOP      50
#define RUNS     11 /* engine runs per query: the median is reported */
#define SQL_RUNS 3

typedef struct centre {
    const char *code;
    double lat, lon;
    unsigned group;
} centre;

/* The centres of data/blood/centres.csv (code, position, jurisdiction 0 GD / 1 HK / 2 MO). */
static const centre centres[] = {
    { "gd-dgbc", 23.02, 113.75, 0 }, { "gd-fsbc", 23.02, 113.12, 0 },
    { "gd-gzbc", 23.13, 113.26, 0 }, { "gd-hzbc", 23.11, 114.42, 0 },
    { "gd-jmbc", 22.58, 113.08, 0 }, { "gd-szbc", 22.54, 114.06, 0 },
    { "gd-zhbc", 22.27, 113.58, 0 }, { "gd-zqbc", 23.05, 112.47, 0 },
    { "gd-zsbc", 22.52, 113.39, 0 }, { "hk-rcbts", 22.31, 114.17, 1 },
    { "mo-cts", 22.20, 113.55, 2 },
};
#define NCENTRES (sizeof centres / sizeof centres[0])

typedef struct query {
    const char *what;
    hb_blood_abo abo;
    hb_blood_rhd rhd;
    const char *negative;
} query;

static const query queries[] = {
    { "O neg, anti-Jka anti-Fya (the issue's example)", HB_ABO_O, HB_RHD_NEG, "Jka,Fya" },
    { "A pos, anti-Jk3 (Jk(a-b-) needed)", HB_ABO_A, HB_RHD_POS, "Jk3" },
    { "B pos, anti-Mia anti-c anti-E (HK thalassaemia)", HB_ABO_B, HB_RHD_POS, "Mia,c,E" },
    { "AB pos, no antibodies (worst case: every donor matches)", HB_ABO_AB, HB_RHD_POS, "" },
};
#define NQUERIES (sizeof queries / sizeof queries[0])

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Donor i of the synthetic registry. */
static void donor(uint64_t i, hb_blood_profile *p, unsigned *centre_index)
{
    uint64_t r = mix(i * 2 + 1);
    unsigned abo_roll = (unsigned)(r % 100);
    p->abo = abo_roll < 46   ? HB_ABO_O
             : abo_roll < 72 ? HB_ABO_A
             : abo_roll < 94 ? HB_ABO_B
                             : HB_ABO_AB;
    p->rhd = (r >> 8) % 5 == 0 ? HB_RHD_NEG : HB_RHD_POS;
    *centre_index = (unsigned)((r >> 16) % NCENTRES);
    p->site = (uint16_t)*centre_index;
    p->kind = HB_BLOOD_DONOR;
    /* Last donation in 2015–2024, or unknown for 2%. */
    p->date = (r >> 24) % 50 == 0 ? INT32_MIN : 16436 + (int32_t)((r >> 32) % 3650);
    size_t n;
    const hb_blood_antigen *t = hb_blood_antigens(&n);
    p->phenotype = (hb_blood_phenotype){ 0, 0, 0 };
    for (size_t a = 0; a < n; a++) {
        uint64_t s = mix(i * 64 + a + 0x5EED);
        if (s % 10 >= 7)
            continue; /* untyped */
        /* Absent with probability 5% … 50% depending on the antigen. */
        bool absent = (s >> 8) % 100 < 5 + (t[a].bit * 7) % 46;
        uint64_t b = UINT64_C(1) << t[a].bit;
        if (absent)
            p->phenotype.neg |= b;
        else
            p->phenotype.pos |= b;
        if ((s >> 16) % 10 == 0)
            p->phenotype.predicted |= b;
    }
}

static double ms_since(uint64_t t0)
{
    return (double)(hb_monotonic_ns() - t0) / 1e6;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const char *what)
{
    fprintf(stderr, "bench_search: %s: %s\n", what, hb_error_last());
    exit(1);
}

/* ---- the engine ---- */

typedef struct result {
    char (*ids)[16]; /* pseudonyms of the hits, best first */
    size_t n;
    uint64_t matched;
    double ms; /* median */
} result;

static void pseudonym(char out[16], uint64_t i)
{
    snprintf(out, 16, "B%010llu", (unsigned long long)(i % 10000000000ULL));
}

static hb_blood_index *build_index(uint64_t n)
{
    hb_blood_site sites[NCENTRES];
    for (size_t c = 0; c < NCENTRES; c++)
        sites[c] = (hb_blood_site){ centres[c].lat, centres[c].lon, centres[c].group };
    hb_blood_index *ix;
    if (hb_blood_index_new(&ix, sites, NCENTRES, (size_t)n) < 0)
        die("index");
    for (uint64_t i = 0; i < n; i++) {
        hb_blood_profile p;
        unsigned c;
        donor(i, &p, &c);
        if (hb_blood_index_add(ix, NULL, &p) < 0)
            die("index add");
    }
    return ix;
}

static void engine_query(const hb_blood_index *ix, const query *qd, uint64_t negative, result *out)
{
    hb_blood_query q = { .abo = qd->abo,
                         .rhd = qd->rhd,
                         .negative = negative,
                         .kinds = 1u << HB_BLOOD_DONOR,
                         .on = INT32_MIN,
                         .has_origin = true,
                         .latitude = centres[9].lat,
                         .longitude = centres[9].lon };
    hb_blood_hit hits[TOP];
    double times[RUNS];
    for (int r = 0; r < RUNS; r++) {
        uint64_t t0 = hb_monotonic_ns();
        if (hb_blood_index_search(ix, &q, hits, TOP, &out->n, &out->matched) < 0)
            die("search");
        times[r] = ms_since(t0);
    }
    qsort(times, RUNS, sizeof *times, compare_double);
    out->ms = times[RUNS / 2];
    out->ids = hb_xcalloc(TOP, sizeof *out->ids);
    for (size_t k = 0; k < out->n; k++)
        pseudonym(out->ids[k], hits[k].id);
}

/* ---- SQL: the same rows in hb_blood_donors, the same query ---- */

static const char *date_text(char out[HB_DATE_STRLEN], int32_t d)
{
    return d == INT32_MIN ? NULL : hb_date_format(out, d);
}

/* SQLite: one prepared INSERT per row, one transaction. */
static void load_rows(hb_store *s, uint64_t n)
{
    hb_stmt *st;
    if (hb_store_begin(s) < 0 ||
        hb_store_prepare(s, &st,
                         "INSERT INTO hb_blood_donors (pseudonym, centre, local_ref, abo, rhd,"
                         " pos_mask, neg_mask, predicted_mask, last_donation, eligible,"
                         " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1,"
                         " '2024-06-01T00:00:00Z')") < 0)
        die("prepare insert");
    for (uint64_t i = 0; i < n; i++) {
        hb_blood_profile p;
        unsigned c;
        char id[16], day[HB_DATE_STRLEN];
        donor(i, &p, &c);
        pseudonym(id, i);
        if (hb_stmt_bind_cstr(st, 1, id) < 0 || hb_stmt_bind_cstr(st, 2, centres[c].code) < 0 ||
            hb_stmt_bind_cstr(st, 3, id) < 0 ||
            hb_stmt_bind_cstr(st, 4, hb_blood_abo_name(p.abo)) ||
            hb_stmt_bind_cstr(st, 5, hb_blood_rhd_name(p.rhd)) < 0 ||
            hb_stmt_bind_int64(st, 6, (int64_t)p.phenotype.pos) < 0 ||
            hb_stmt_bind_int64(st, 7, (int64_t)p.phenotype.neg) < 0 ||
            hb_stmt_bind_int64(st, 8, (int64_t)p.phenotype.predicted) < 0 ||
            hb_stmt_bind_cstr(st, 9, date_text(day, p.date)) < 0 || hb_stmt_step(st) < 0 ||
            hb_stmt_reset(st) < 0)
            die("insert");
    }
    hb_stmt_finalize(st);
    if (hb_store_commit(s) < 0)
        die("commit");
}

/* PostgreSQL: batches of rows as arrays, expanded by unnest() — one round trip per batch. */
static void load_rows_pg(hb_store *s, uint64_t n)
{
    enum { BATCH = 50000, NARRAYS = 8 };
    hb_stmt *st;
    if (hb_store_begin(s) < 0 ||
        hb_store_prepare(s, &st,
                         "INSERT INTO hb_blood_donors (pseudonym, centre, local_ref, abo, rhd,"
                         " pos_mask, neg_mask, predicted_mask, last_donation, eligible,"
                         " updated_at) SELECT p, c, p, a, r, pm, nm, pr, ld, 1,"
                         " '2024-06-01T00:00:00Z' FROM unnest(CAST(? AS TEXT[]),"
                         " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),"
                         " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]),"
                         " CAST(? AS TEXT[])) AS t(p, c, a, r, pm, nm, pr, ld)") < 0)
        die("prepare insert");
    hb_buf arrays[NARRAYS];
    for (uint64_t first = 0; first < n; first += BATCH) {
        for (int k = 0; k < NARRAYS; k++) {
            hb_buf_init(&arrays[k], 0);
            hb_buf_putc(&arrays[k], '{');
        }
        for (uint64_t i = first; i < n && i < first + BATCH; i++) {
            hb_blood_profile p;
            unsigned c;
            char id[16], day[HB_DATE_STRLEN];
            donor(i, &p, &c);
            pseudonym(id, i);
            const char *sep = i == first ? "" : ",";
            const char *d = date_text(day, p.date);
            hb_buf_printf(&arrays[0], "%s%s", sep, id);
            hb_buf_printf(&arrays[1], "%s%s", sep, centres[c].code);
            hb_buf_printf(&arrays[2], "%s%s", sep, hb_blood_abo_name(p.abo));
            hb_buf_printf(&arrays[3], "%s%s", sep, hb_blood_rhd_name(p.rhd));
            hb_buf_printf(&arrays[4], "%s%lld", sep, (long long)p.phenotype.pos);
            hb_buf_printf(&arrays[5], "%s%lld", sep, (long long)p.phenotype.neg);
            hb_buf_printf(&arrays[6], "%s%lld", sep, (long long)p.phenotype.predicted);
            hb_buf_printf(&arrays[7], "%s%s", sep, d ? d : "NULL");
        }
        for (int k = 0; k < NARRAYS; k++) {
            hb_buf_putc(&arrays[k], '}');
            if (hb_stmt_bind_text(st, k + 1, arrays[k].ptr, arrays[k].len) < 0)
                die("bind");
            hb_buf_dispose(&arrays[k]);
        }
        if (hb_stmt_step(st) < 0 || hb_stmt_reset(st) < 0)
            die("insert batch");
    }
    hb_stmt_finalize(st);
    if (hb_store_commit(s) < 0)
        die("commit");
}

/* The engine's rules and ranking in SQL (healthybay/blood.h). */
static void build_sql(hb_buf *sql, const query *qd, uint64_t negative)
{
    static const char *const gives[4] = { "'O'", "'O', 'A'", "'O', 'B'", "'O', 'A', 'B', 'AB'" };
    hb_buf_printf(sql,
                  "SELECT pseudonym, (CASE WHEN abo = '%s' THEN 0 ELSE 1 END) + (CASE WHEN rhd ="
                  " '%s' THEN 0 ELSE 1 END)",
                  hb_blood_abo_name(qd->abo), hb_blood_rhd_name(qd->rhd));
    for (uint64_t m = negative; m; m &= m - 1)
        hb_buf_printf(sql, " + (CASE WHEN (predicted_mask & %llu) <> 0 THEN 1 ELSE 0 END)",
                      (unsigned long long)(m & (~m + 1)));
    hb_buf_puts(sql, " AS exactness, CASE centre");
    for (size_t c = 0; c < NCENTRES; c++)
        hb_buf_puts(sql, " WHEN ? THEN CAST(? AS BIGINT)");
    hb_buf_printf(sql,
                  " END AS distance FROM hb_blood_donors WHERE eligible = 1 AND abo IN (%s)%s"
                  " AND (neg_mask & CAST(? AS BIGINT)) = CAST(? AS BIGINT)"
                  " ORDER BY exactness, last_donation IS NOT NULL, last_donation, distance,"
                  " pseudonym LIMIT %d",
                  gives[qd->abo], qd->rhd == HB_RHD_NEG ? " AND rhd = 'neg'" : "", TOP);
}

static void sql_query(hb_store *s, const query *qd, uint64_t negative, result *out)
{
    hb_buf sql;
    hb_buf_init(&sql, 0);
    build_sql(&sql, qd, negative);
    double times[SQL_RUNS];
    out->ids = hb_xcalloc(TOP, sizeof *out->ids);
    for (int r = 0; r < SQL_RUNS; r++) {
        hb_stmt *st;
        uint64_t t0 = hb_monotonic_ns();
        if (hb_store_prepare(s, &st, hb_buf_cstr(&sql)) < 0)
            die("prepare query");
        for (size_t c = 0; c < NCENTRES; c++) {
            double d = hb_blood_distance_km(centres[9].lat, centres[9].lon, centres[c].lat,
                                            centres[c].lon);
            hb_stmt_bind_cstr(st, (int)(2 * c + 1), centres[c].code);
            hb_stmt_bind_int64(st, (int)(2 * c + 2), (int64_t)(d + 0.5));
        }
        hb_stmt_bind_int64(st, (int)(2 * NCENTRES + 1), (int64_t)negative);
        hb_stmt_bind_int64(st, (int)(2 * NCENTRES + 2), (int64_t)negative);
        int rc;
        out->n = 0;
        while ((rc = hb_stmt_step(st)) == HB_STORE_ROW)
            snprintf(out->ids[out->n++], 16, "%s", hb_stmt_text(st, 0, NULL));
        if (rc < 0)
            die("query");
        hb_stmt_finalize(st);
        times[r] = ms_since(t0);
    }
    qsort(times, SQL_RUNS, sizeof *times, compare_double);
    out->ms = times[SQL_RUNS / 2];
    hb_buf_dispose(&sql);
}

/* ---- the run ---- */

typedef struct backend {
    const char *name;
    hb_store *store;
    double load_s;
    result r[NQUERIES];
} backend;

static hb_store *open_migrated(const char *url)
{
    hb_store *s;
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    if (hb_store_open(&s, url, HB_STORE_CREATE) < 0 ||
        hb_migrate(s, list, count, &applied, NULL, NULL) < 0)
        die(url);
    return s;
}

static void run_sql(backend *b, uint64_t n, const uint64_t *masks)
{
    bool pg = hb_store_kind_of(b->store) == HB_STORE_POSTGRESQL;
    uint64_t t0 = hb_monotonic_ns();
    if (pg)
        load_rows_pg(b->store, n);
    else
        load_rows(b->store, n);
    /* Planner statistics, and one core like the engine (no parallel workers). */
    if (hb_store_exec(b->store, pg ? "VACUUM ANALYZE hb_blood_donors" : "ANALYZE") < 0 ||
        (pg && hb_store_exec(b->store, "SET max_parallel_workers_per_gather = 0") < 0))
        die("analyze");
    b->load_s = ms_since(t0) / 1000;
    fprintf(stderr, "%s: %llu rows loaded in %.1f s\n", b->name, (unsigned long long)n, b->load_s);
    for (size_t k = 0; k < NQUERIES; k++)
        sql_query(b->store, &queries[k], masks[k], &b->r[k]);
}

static bool same(const result *a, const result *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->ids[i], b->ids[i]) != 0)
            return false;
    return true;
}

static void report(uint64_t n, double build_s, const result *engine, const backend *sql,
                   size_t nsql)
{
    printf("profiles: %llu donors; engine index built in %.1f s\n", (unsigned long long)n, build_s);
    for (size_t k = 0; k < NQUERIES; k++) {
        printf("\n%s: %llu matches, top %d\n", queries[k].what,
               (unsigned long long)engine[k].matched, TOP);
        printf("  %-26s %10.2f ms  (median of %d)\n", "healthybay engine", engine[k].ms, RUNS);
        for (size_t b = 0; b < nsql; b++)
            printf("  %-26s %10.2f ms  (median of %d)  %8.0fx the engine's time  same hits: %s\n",
                   sql[b].name, sql[b].r[k].ms, SQL_RUNS, sql[b].r[k].ms / engine[k].ms,
                   same(&engine[k], &sql[b].r[k]) ? "yes" : "NO");
    }
}

int main(int argc, char **argv)
{
    uint64_t n = 10000000;
    const char *pg_url = getenv("HB_TEST_PG_URL"), *dir = "/tmp";
    bool with_sql = true;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--profiles") == 0 && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--pg") == 0 && i + 1 < argc)
            pg_url = argv[++i];
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--no-sql") == 0)
            with_sql = false;
        else {
            fprintf(stderr,
                    "usage: bench_search [--profiles N] [--pg URL] [--dir DIR] [--no-sql]\n");
            return 2;
        }
    }
    uint64_t masks[NQUERIES];
    for (size_t k = 0; k < NQUERIES; k++)
        if (hb_blood_antigen_list_parse(&masks[k], queries[k].negative,
                                        strlen(queries[k].negative)) < 0)
            die("query");
    uint64_t t0 = hb_monotonic_ns();
    hb_blood_index *ix = build_index(n);
    double build_s = ms_since(t0) / 1000;
    result engine[NQUERIES];
    for (size_t k = 0; k < NQUERIES; k++)
        engine_query(ix, &queries[k], masks[k], &engine[k]);
    hb_blood_index_free(ix);
    backend sql[2] = { { "SQLite", NULL, 0, { { 0 } } }, { "PostgreSQL", NULL, 0, { { 0 } } } };
    size_t nsql = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/hb-bench-blood-%d.db", dir, (int)getpid());
    if (with_sql) {
        sql[nsql].store = open_migrated(path);
        run_sql(&sql[nsql++], n, masks);
        if (pg_url) {
            sql[nsql].store = open_migrated(pg_url);
            run_sql(&sql[nsql++], n, masks);
        }
    }
    report(n, build_s, engine, sql, nsql);
    for (size_t b = 0; b < nsql; b++)
        hb_store_close(sql[b].store);
    static const char *const suffixes[] = { "", "-wal", "-shm" };
    for (size_t k = 0; with_sql && k < 3; k++) {
        char file[600];
        snprintf(file, sizeof file, "%s%s", path, suffixes[k]);
        remove(file);
    }
    return 0;
}
