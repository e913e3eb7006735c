/*
 * Tests for the search engine (include/healthybay/blood.h): the compatibility rules as a table,
 * hand-built cases for each rule, and a property test — on random registries the index returns
 * exactly what a brute-force scan written straight from the rules returns, in the same order.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "healthybay/blood.h"

/* Red-cell compatibility, written out in full (AABB Technical Manual; every transfusion text):
 * row = patient, column = donor, in the order O, A, B, AB. */
TEST(blood__abo_rhd_compatibility_table)
{
    static const int abo[4][4] = {
        /*            O  A  B  AB  (donor) */
        /* O  */ { 1, 0, 0, 0 },
        /* A  */ { 1, 1, 0, 0 },
        /* B  */ { 1, 0, 1, 0 },
        /* AB */ { 1, 1, 1, 1 },
    };
    for (int p = 0; p < 4; p++)
        for (int d = 0; d < 4; d++)
            CHECK_MSG(hb_blood_abo_compatible((hb_blood_abo)p, (hb_blood_abo)d) == abo[p][d],
                      "patient %d donor %d", p, d);
    static const int rhd[2][2] = {
        /*              neg pos (donor) */
        /* neg */ { 1, 0 },
        /* pos */ { 1, 1 },
    };
    for (int p = 0; p < 2; p++)
        for (int d = 0; d < 2; d++)
            CHECK_INT_EQ(hb_blood_rhd_compatible((hb_blood_rhd)p, (hb_blood_rhd)d), rhd[p][d]);
}

TEST(blood__distance_between_centres)
{
    /* Hong Kong (Kowloon) to Macao and to Guangzhou: about 61 km and 120 km as the crow flies. */
    double hk_macao = hb_blood_distance_km(22.3193, 114.1694, 22.1987, 113.5439);
    double hk_gz = hb_blood_distance_km(22.3193, 114.1694, 23.1291, 113.2644);
    CHECK(hk_macao > 60 && hk_macao < 70);
    CHECK(hk_gz > 120 && hk_gz < 135);
    CHECK(hb_blood_distance_km(10, 20, 10, 20) == 0);
    /* A quarter of the meridian. */
    CHECK_NEAR_REL(hb_blood_distance_km(0, 0, 90, 0), 10007.557, 1e-6);
}

static const hb_blood_site sites[] = {
    { 23.13, 113.26, 0 }, /* Guangzhou, GD */
    { 22.32, 114.17, 1 }, /* Hong Kong */
    { 22.20, 113.54, 2 }, /* Macao */
};

static hb_blood_index *new_index(void)
{
    hb_blood_index *ix;
    CHECK_OK(hb_blood_index_new(&ix, sites, 3, 4));
    return ix;
}

static uint32_t add(hb_blood_index *ix, hb_blood_kind kind, hb_blood_abo abo, hb_blood_rhd rhd,
                    uint64_t pos, uint64_t neg, uint64_t predicted, int32_t date, uint16_t site)
{
    hb_blood_profile p = { { pos, neg, predicted }, date, site, abo, rhd, kind };
    uint32_t id;
    CHECK_OK(hb_blood_index_add(ix, &id, &p));
    return id;
}

#define JKA (UINT64_C(1) << 26)
#define FYA (UINT64_C(1) << 24)
#define MIA (UINT64_C(1) << 11)

/* Each rule, one case at a time: antigen-negative required, unknown is not negative, ABO/RhD,
 * expiry, and the ranking keys in order. */
TEST(blood__search_rules_by_example)
{
    hb_blood_index *ix = new_index();
    uint32_t exact = add(ix, HB_BLOOD_UNIT, HB_ABO_O, HB_RHD_NEG, 0, JKA | FYA, 0, 100, 1);
    uint32_t unknown_fya = add(ix, HB_BLOOD_UNIT, HB_ABO_O, HB_RHD_NEG, 0, JKA, 0, 100, 1);
    uint32_t fya_pos = add(ix, HB_BLOOD_UNIT, HB_ABO_O, HB_RHD_NEG, FYA, JKA, 0, 100, 1);
    uint32_t geno = add(ix, HB_BLOOD_UNIT, HB_ABO_O, HB_RHD_NEG, 0, JKA | FYA, FYA, 90, 1);
    uint32_t rh_pos = add(ix, HB_BLOOD_UNIT, HB_ABO_O, HB_RHD_POS, 0, JKA | FYA, 0, 100, 1);
    uint32_t group_a = add(ix, HB_BLOOD_UNIT, HB_ABO_A, HB_RHD_NEG, 0, JKA | FYA, 0, 100, 1);
    uint32_t expired = add(ix, HB_BLOOD_UNIT, HB_ABO_O, HB_RHD_NEG, 0, JKA | FYA, 0, 49, 1);
    uint32_t donor = add(ix, HB_BLOOD_DONOR, HB_ABO_O, HB_RHD_NEG, 0, JKA | FYA, 0, 10, 0);
    uint32_t far = add(ix, HB_BLOOD_UNIT, HB_ABO_O, HB_RHD_NEG, 0, JKA | FYA, 0, 100, 0);
    uint32_t sooner = add(ix, HB_BLOOD_UNIT, HB_ABO_O, HB_RHD_NEG, 0, JKA | FYA, 0, 60, 2);

    hb_blood_query q = { .abo = HB_ABO_O, .rhd = HB_RHD_NEG, .negative = JKA | FYA, .on = 50 };
    q.has_origin = true;
    q.latitude = 22.32;
    q.longitude = 114.17;
    hb_blood_hit hits[16];
    size_t n;
    uint64_t matched;
    CHECK_OK(hb_blood_index_search(ix, &q, hits, 16, &n, &matched));
    /* Ranked: exact units by expiry (sooner in Macao, then the two Hong Kong/Guangzhou units of
     * day 100 by distance), the exact donor, then the genotype-predicted unit (exactness 1). */
    static const size_t expect_len = 5;
    CHECK_INT_EQ(n, expect_len);
    CHECK_INT_EQ(matched, expect_len);
    uint32_t order[] = { sooner, exact, far, donor, geno };
    for (size_t i = 0; i < expect_len; i++)
        CHECK_MSG(hits[i].id == order[i], "hit %zu is %u, expected %u", i, hits[i].id, order[i]);
    CHECK_INT_EQ(hits[0].distance_km, 66);
    CHECK_INT_EQ(hits[1].distance_km, 0);
    CHECK_INT_EQ(hits[4].exactness, 1);
    (void)unknown_fya, (void)fya_pos, (void)rh_pos, (void)group_a, (void)expired;

    /* An A RhD-positive patient may also have the RhD-positive and the group A units, which rank
     * after the identical-group ones by exactness. Only units; only Hong Kong. */
    q.abo = HB_ABO_A;
    q.rhd = HB_RHD_POS;
    q.kinds = 1u << HB_BLOOD_UNIT;
    q.groups = 1u << 1;
    CHECK_OK(hb_blood_index_search(ix, &q, hits, 16, &n, &matched));
    CHECK_INT_EQ(n, 4);
    CHECK_INT_EQ(hits[0].id, rh_pos); /* O pos: departs once (ABO) */
    CHECK_INT_EQ(hits[0].exactness, 1);
    CHECK_INT_EQ(hits[1].id, group_a); /* A neg: departs once (RhD); ties broken by number */
    CHECK_INT_EQ(hits[1].exactness, 1);
    CHECK_INT_EQ(hits[2].id, exact); /* O neg: departs twice */
    CHECK_INT_EQ(hits[3].id, geno);  /* and a genotype-only absence: three */
    CHECK_INT_EQ(hits[3].exactness, 3);

    /* Preferring Mia absent: nobody is typed for Mia, so every hit departs once more. */
    q.prefer = MIA;
    CHECK_OK(hb_blood_index_search(ix, &q, hits, 1, &n, &matched));
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(matched, 4);
    CHECK_INT_EQ(hits[0].exactness, 2);
    hb_blood_index_free(ix);
}

TEST(blood__search_rejects_bad_input)
{
    hb_blood_index *ix = new_index();
    hb_blood_profile p = { { 1, 1, 0 }, 0, 0, HB_ABO_O, HB_RHD_NEG, HB_BLOOD_UNIT };
    CHECK_FAILS(hb_blood_index_add(ix, NULL, &p), HB_EINVAL, "both present and absent");
    p.phenotype = (hb_blood_phenotype){ 0, 0, 1 };
    CHECK_FAILS(hb_blood_index_add(ix, NULL, &p), HB_EINVAL, "predicted");
    p.phenotype = (hb_blood_phenotype){ UINT64_C(1) << 63, 0, 0 };
    CHECK_FAILS(hb_blood_index_add(ix, NULL, &p), HB_EINVAL, "bit 63");
    p.phenotype = (hb_blood_phenotype){ 0, 0, 0 };
    p.site = 3;
    CHECK_FAILS(hb_blood_index_add(ix, NULL, &p), HB_EINVAL, "the index has 3 sites");
    hb_blood_query q = { .abo = (hb_blood_abo)4 };
    size_t n;
    CHECK_FAILS(hb_blood_index_search(ix, &q, NULL, 0, &n, NULL), HB_EINVAL, "out of range");
    q = (hb_blood_query){ .has_origin = true, .latitude = 91 };
    CHECK_FAILS(hb_blood_index_search(ix, &q, NULL, 0, &n, NULL), HB_EINVAL, "origin");
    hb_blood_site bad = { 0, 200, 0 };
    hb_blood_index *other;
    CHECK_FAILS(hb_blood_index_new(&other, &bad, 1, 0), HB_EINVAL, "site 0");
    hb_blood_index_free(ix);
    hb_blood_index_free(NULL);
}

/* ---- property test ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64: reproducible from the seed printed on failure. */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

/* Antigens 0..7 only, so random queries hit often: each typed with probability 3/4. */
static hb_blood_phenotype random_phenotype(void)
{
    hb_blood_phenotype ph = { 0 };
    for (unsigned a = 0; a < 8; a++) {
        unsigned r = below(8);
        uint64_t b = UINT64_C(1) << a;
        if (r < 2)
            continue;
        if (r < 5)
            ph.neg |= b;
        else
            ph.pos |= b;
        if (below(4) == 0)
            ph.predicted |= b;
    }
    return ph;
}

/* The rules of blood.h, applied to one profile the slow and obvious way. */
static bool reference_hit(const hb_blood_profile *p, const hb_blood_query *q, uint32_t id,
                          hb_blood_hit *hit)
{
    static const char *const gives[4] = { "O A B AB", "A AB", "B AB", "AB" };
    static const char *const names[4] = { "O", "A", "B", "AB" };
    const char *patient = names[q->abo];
    bool abo_ok = false;
    const char *list = gives[p->abo];
    for (const char *t = list; *t;) {
        size_t len = strcspn(t, " ");
        if (len == strlen(patient) && strncmp(t, patient, len) == 0)
            abo_ok = true;
        t += len + (t[len] == ' ');
    }
    if (!abo_ok || (q->rhd == HB_RHD_NEG && p->rhd == HB_RHD_POS))
        return false;
    if (q->kinds && !(q->kinds & (1u << p->kind)))
        return false;
    if (q->groups && !(q->groups & (1u << sites[p->site].group)))
        return false;
    if (p->kind == HB_BLOOD_UNIT && p->date < q->on)
        return false;
    uint32_t exactness = (uint32_t)(p->abo != q->abo) + (uint32_t)(p->rhd != q->rhd);
    for (unsigned a = 0; a < 63; a++) {
        uint64_t b = UINT64_C(1) << a;
        bool absent = p->phenotype.neg & b;
        if ((q->negative & b) && !absent)
            return false;
        if ((q->negative & b) && (p->phenotype.predicted & b))
            exactness++;
        if ((q->prefer & b) && !absent)
            exactness++;
    }
    double d = q->has_origin
                   ? hb_blood_distance_km(q->latitude, q->longitude, sites[p->site].latitude,
                                          sites[p->site].longitude)
                   : 0;
    *hit = (hb_blood_hit){ id, exactness, (uint32_t)(d + 0.5), p->date, p->kind };
    return true;
}

static int compare_reference(const void *a, const void *b)
{
    return hb_blood_hit_before(a, b) ? -1 : hb_blood_hit_before(b, a) ? 1 : 0;
}

static void run_one_registry(uint64_t seed, size_t nprofiles)
{
    rng_state = seed;
    hb_blood_profile *ps = calloc(nprofiles, sizeof *ps);
    hb_blood_hit *expect = calloc(nprofiles + 1, sizeof *expect);
    hb_blood_hit got[64];
    CHECK(ps && expect);
    hb_blood_index *ix;
    CHECK_OK(hb_blood_index_new(&ix, sites, 3, 1));
    for (size_t i = 0; i < nprofiles; i++) {
        ps[i] = (hb_blood_profile){ random_phenotype(),     (int32_t)below(40) - 20,
                                    (uint16_t)below(3),     (hb_blood_abo)below(4),
                                    (hb_blood_rhd)below(2), (hb_blood_kind)below(2) };
        if (ps[i].kind == HB_BLOOD_DONOR && below(10) == 0)
            ps[i].date = INT32_MIN; /* last donation unknown */
        CHECK_OK(hb_blood_index_add(ix, NULL, &ps[i]));
    }
    for (int round = 0; round < 40; round++) {
        hb_blood_query q = { .abo = (hb_blood_abo)below(4), .rhd = (hb_blood_rhd)below(2) };
        for (unsigned a = 0; a < 8; a++) {
            if (below(5) == 0)
                q.negative |= UINT64_C(1) << a;
            else if (below(6) == 0)
                q.prefer |= UINT64_C(1) << a;
        }
        q.kinds = below(3) == 0 ? 1u + below(2) : 0;
        q.groups = below(3) == 0 ? below(8) : 0;
        q.on = (int32_t)below(30) - 15;
        q.has_origin = below(4) != 0;
        q.latitude = 22.0 + below(200) / 100.0;
        q.longitude = 113.0 + below(200) / 100.0;
        size_t nexpect = 0;
        for (size_t i = 0; i < nprofiles; i++)
            nexpect += reference_hit(&ps[i], &q, (uint32_t)i, &expect[nexpect]);
        qsort(expect, nexpect, sizeof *expect, compare_reference);
        size_t max = 1 + below(64), n;
        uint64_t matched;
        CHECK_OK(hb_blood_index_search(ix, &q, got, max, &n, &matched));
        CHECK_MSG(matched == nexpect, "seed %llu round %d: %llu matched, reference %zu",
                  (unsigned long long)seed, round, (unsigned long long)matched, nexpect);
        CHECK_INT_EQ(n, nexpect < max ? nexpect : max);
        for (size_t i = 0; i < n; i++)
            CHECK_MSG(got[i].id == expect[i].id && got[i].exactness == expect[i].exactness &&
                          got[i].distance_km == expect[i].distance_km &&
                          got[i].date == expect[i].date && got[i].kind == expect[i].kind,
                      "seed %llu round %d hit %zu: id %u, reference %u", (unsigned long long)seed,
                      round, i, got[i].id, expect[i].id);
    }
    hb_blood_index_free(ix);
    free(ps);
    free(expect);
}

TEST(blood__search_equals_brute_force_on_random_registries)
{
    /* Sizes around the 64-profile word and the 16,384-profile filter block boundaries. */
    static const size_t sizes[] = { 0, 1, 63, 64, 65, 700, 16383, 16385, 40000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        run_one_registry(0x5EED0000u + i, sizes[i]);
}
