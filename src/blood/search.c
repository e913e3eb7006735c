/*
 * blood/search.c — the rare-blood search engine (include/healthybay/blood.h).
 *
 * Layout. Profiles are numbered 0, 1, 2 … and stored transposed: bit i of a bitmap is profile
 * i. There are 16 class bitmaps (kind × ABO × RhD, exactly one set per profile) and, per antigen,
 * one bitmap of "absent" and one of "absent, by genotype only" — the latter allocated only once
 * some profile needs it, since most registries type few antigens. Beside them, one 8-byte slot
 * per profile (class, date, site), read only for the profiles that pass the filter.
 *
 *     class O+ unit  0010 0000 1000 …     required: Jka absent  0110 1010 0100 …
 *     class O− unit  0100 0001 0000 …     required: Fya absent  1111 0010 0101 …
 *     OR of the classes the patient may receive, AND every required bitmap, 64 profiles a word.
 *
 * The filter runs in blocks of FILTER_WORDS words so the partial result stays in L1 cache while
 * each bitmap streams through once. Matches are ranked through a bounded max-heap kept in the
 * caller's hits array (the worst kept hit on top) and the scratch state lives on the stack (about
 * 18 KiB), so a query allocates nothing and the cost of
 * ranking grows with the number of matches times log(hits_max), not with the registry.
 */
#include "healthybay/blood.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/limits.h"

#define NCLASSES     16
#define FILTER_WORDS 256 /* 16,384 profiles: 2 KiB of partial result */
#define PI           3.14159265358979323846

/* What ranking reads of one profile, packed so that it costs one cache miss. */
typedef struct slot {
    int32_t date;
    uint16_t site;
    uint8_t cls;
    uint8_t unused;
} slot;

struct hb_blood_index {
    hb_blood_site *sites;
    size_t nsites;
    size_t count;
    size_t cap; /* profiles the arrays hold; a multiple of 64 */
    uint64_t *cls[NCLASSES];
    uint64_t *neg[HB_BLOOD_ANTIGEN_BITS];
    uint64_t *geno[HB_BLOOD_ANTIGEN_BITS];
    slot *slots;
};

static unsigned class_of(hb_blood_kind kind, hb_blood_abo abo, hb_blood_rhd rhd)
{
    return (unsigned)kind * 8u + (unsigned)abo * 2u + (unsigned)rhd;
}

bool hb_blood_abo_compatible(hb_blood_abo patient, hb_blood_abo donor)
{
    /* Red cells carry A and/or B; the patient's plasma has antibodies against what its own cells
     * lack. Bit 0 = A, bit 1 = B: the donor's antigens must be a subset of the patient's. */
    static const unsigned antigens[4] = { 0u, 1u, 2u, 3u }; /* O, A, B, AB */
    return (antigens[donor & 3u] & ~antigens[patient & 3u]) == 0;
}

bool hb_blood_rhd_compatible(hb_blood_rhd patient, hb_blood_rhd donor)
{
    return patient == HB_RHD_POS || donor == HB_RHD_NEG;
}

int hb_blood_phenotype_check(const hb_blood_phenotype *ph)
{
    if (ph->pos & ph->neg)
        return hb_error_set(HB_EINVAL, "an antigen cannot be both present and absent");
    if ((ph->pos | ph->neg | ph->predicted) & ~HB_BLOOD_MASK_ALL)
        return hb_error_set(HB_EINVAL, "antigen bit 63 is not used");
    if (ph->predicted & ~(ph->pos | ph->neg))
        return hb_error_set(HB_EINVAL, "a predicted antigen state must be present or absent");
    return 0;
}

double hb_blood_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
    double a = s1 * s1 + cos(lat1 * rad) * cos(lat2 * rad) * s2 * s2;
    return 2.0 * 6371.0088 * asin(a < 1.0 ? sqrt(a) : 1.0);
}

static bool site_valid(const hb_blood_site *s)
{
    return isfinite(s->latitude) && isfinite(s->longitude) && fabs(s->latitude) <= 90.0 &&
           fabs(s->longitude) <= 180.0 && s->group < 32;
}

void hb_blood_index_free(hb_blood_index *index)
{
    if (!index)
        return;
    for (size_t i = 0; i < NCLASSES; i++)
        hb_free(index->cls[i]);
    for (size_t i = 0; i < HB_BLOOD_ANTIGEN_BITS; i++) {
        hb_free(index->neg[i]);
        hb_free(index->geno[i]);
    }
    hb_free(index->slots);
    hb_free(index->sites);
    hb_free(index);
}

/* Resize one bitmap from old_words to words, zeroing the new words. */
static int grow_bitmap(uint64_t **bm, size_t old_words, size_t words)
{
    uint64_t *p = hb_reallocarray(*bm, words, sizeof *p);
    if (!p)
        return HB_ENOMEM;
    memset(p + old_words, 0, (words - old_words) * sizeof *p);
    *bm = p;
    return 0;
}

static int grow(hb_blood_index *ix, size_t cap)
{
    size_t old_words = ix->cap / 64, words = cap / 64;
    for (size_t i = 0; i < NCLASSES; i++)
        if (grow_bitmap(&ix->cls[i], old_words, words) < 0)
            return HB_ENOMEM;
    for (size_t i = 0; i < HB_BLOOD_ANTIGEN_BITS; i++) {
        if (ix->neg[i] && grow_bitmap(&ix->neg[i], old_words, words) < 0)
            return HB_ENOMEM;
        if (ix->geno[i] && grow_bitmap(&ix->geno[i], old_words, words) < 0)
            return HB_ENOMEM;
    }
    slot *s = hb_reallocarray(ix->slots, cap, sizeof *s);
    if (!s)
        return HB_ENOMEM;
    ix->slots = s;
    ix->cap = cap;
    return 0;
}

int hb_blood_index_new(hb_blood_index **out, const hb_blood_site *sites, size_t nsites,
                       size_t capacity)
{
    *out = NULL;
    if (nsites > HB_BLOOD_SITES_MAX)
        return hb_error_set(HB_ELIMIT, "%zu sites; at most %d", nsites, HB_BLOOD_SITES_MAX);
    for (size_t i = 0; i < nsites; i++)
        if (!site_valid(&sites[i]))
            return hb_error_set(HB_EINVAL, "site %zu: coordinates or group out of range", i);
    hb_blood_index *ix = hb_calloc(1, sizeof *ix);
    if (!ix)
        return HB_ENOMEM;
    ix->sites = hb_mallocarray(nsites ? nsites : 1, sizeof *ix->sites);
    if (capacity > HB_BLOOD_PROFILES_MAX)
        capacity = HB_BLOOD_PROFILES_MAX;
    size_t cap = (capacity + 63) / 64 * 64;
    if (!ix->sites || grow(ix, cap ? cap : 64) < 0) {
        hb_blood_index_free(ix);
        return HB_ENOMEM;
    }
    if (nsites)
        memcpy(ix->sites, sites, nsites * sizeof *sites);
    ix->nsites = nsites;
    *out = ix;
    return 0;
}

size_t hb_blood_index_count(const hb_blood_index *index)
{
    return index->count;
}

static void set_bit(uint64_t *bm, size_t i)
{
    bm[i / 64] |= UINT64_C(1) << (i % 64);
}

static bool test_bit(const uint64_t *bm, size_t i)
{
    return bm && (bm[i / 64] >> (i % 64)) & 1u;
}

static int check_profile(const hb_blood_index *ix, const hb_blood_profile *p)
{
    int rc = hb_blood_phenotype_check(&p->phenotype);
    if (rc < 0)
        return rc;
    if ((unsigned)p->abo > HB_ABO_AB || (unsigned)p->rhd > HB_RHD_POS ||
        (unsigned)p->kind > HB_BLOOD_DONOR)
        return hb_error_set(HB_EINVAL, "ABO, RhD or kind out of range");
    if (p->site >= ix->nsites)
        return hb_error_set(HB_EINVAL, "site %u: the index has %zu sites", p->site, ix->nsites);
    return 0;
}

int hb_blood_index_add(hb_blood_index *index, uint32_t *id, const hb_blood_profile *profile)
{
    int rc = check_profile(index, profile);
    if (rc < 0)
        return rc;
    if (index->count >= HB_BLOOD_PROFILES_MAX)
        return hb_error_set(HB_ELIMIT, "more than %u profiles in one index",
                            (unsigned)HB_BLOOD_PROFILES_MAX);
    if (index->count == index->cap && grow(index, index->cap * 2) < 0)
        return HB_ENOMEM;
    size_t i = index->count, words = index->cap / 64;
    uint64_t neg = profile->phenotype.neg;
    uint64_t geno = neg & profile->phenotype.predicted;
    for (uint64_t m = neg; m; m &= m - 1) {
        unsigned a = (unsigned)__builtin_ctzll(m);
        if (!index->neg[a] && !(index->neg[a] = hb_calloc(words, sizeof(uint64_t))))
            return HB_ENOMEM;
        if ((geno >> a) & 1u) {
            if (!index->geno[a] && !(index->geno[a] = hb_calloc(words, sizeof(uint64_t))))
                return HB_ENOMEM;
            set_bit(index->geno[a], i);
        }
        set_bit(index->neg[a], i);
    }
    unsigned c = class_of(profile->kind, profile->abo, profile->rhd);
    set_bit(index->cls[c], i);
    index->slots[i] = (slot){ profile->date, profile->site, (uint8_t)c, 0 };
    index->count++;
    if (id)
        *id = (uint32_t)i;
    return 0;
}

bool hb_blood_hit_before(const hb_blood_hit *a, const hb_blood_hit *b)
{
    if (a->exactness != b->exactness)
        return a->exactness < b->exactness;
    if (a->kind != b->kind)
        return a->kind < b->kind;
    if (a->date != b->date)
        return a->date < b->date;
    if (a->distance_km != b->distance_km)
        return a->distance_km < b->distance_km;
    return a->id < b->id;
}

/* What one query needs while it scans: borrowed pointers and the per-site distances. */
typedef struct scan {
    const hb_blood_index *ix;
    const hb_blood_query *q;
    /* The classes the patient may receive, by how far their ABO/RhD departs from the
     * patient's (0, 1 or 2): every profile of group g has exactness >= g. */
    const uint64_t *classes[3][NCLASSES];
    size_t nclasses[3];
    bool count_by_popcount; /* every filtered profile matches: no expiry or site to check */
    const uint64_t *required[HB_BLOOD_ANTIGEN_BITS];
    const uint64_t *required_geno[HB_BLOOD_ANTIGEN_BITS];
    size_t nrequired;
    const uint64_t *preferred[HB_BLOOD_ANTIGEN_BITS];
    size_t npreferred;
    uint32_t distance[HB_BLOOD_SITES_MAX]; /* UINT32_MAX: the site's group is not searched */
    hb_blood_hit *heap;
    size_t heap_max, heap_len;
    uint64_t matched;
} scan;

static void sift_down(hb_blood_hit *h, size_t n, size_t i)
{
    for (;;) {
        size_t worst = i, l = 2 * i + 1, r = l + 1;
        if (l < n && hb_blood_hit_before(&h[worst], &h[l]))
            worst = l;
        if (r < n && hb_blood_hit_before(&h[worst], &h[r]))
            worst = r;
        if (worst == i)
            return;
        hb_blood_hit t = h[i];
        h[i] = h[worst];
        h[worst] = t;
        i = worst;
    }
}

static void heap_offer(scan *s, const hb_blood_hit *hit)
{
    hb_blood_hit *h = s->heap;
    if (s->heap_len < s->heap_max) {
        size_t i = s->heap_len++;
        h[i] = *hit;
        while (i > 0 && hb_blood_hit_before(&h[(i - 1) / 2], &h[i])) {
            hb_blood_hit t = h[i];
            h[i] = h[(i - 1) / 2];
            h[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (s->heap_max > 0 && hb_blood_hit_before(hit, &h[0])) {
        h[0] = *hit;
        sift_down(h, s->heap_len, 0);
    }
}

/*
 * Profile i passed the bitmap filter: apply the per-profile rules and rank it. The key is first
 * built with the exactness known from the class alone — a lower bound, since the antigen terms
 * only add — so most profiles of a large match are turned away after one read of their slot,
 * without touching the antigen bitmaps.
 */
static void consider(scan *s, size_t i)
{
    slot sl = s->ix->slots[i];
    hb_blood_hit hit = { .id = (uint32_t)i, .date = sl.date };
    hit.kind = (hb_blood_kind)(sl.cls >> 3);
    if (hit.kind == HB_BLOOD_UNIT && hit.date < s->q->on)
        return;
    hit.distance_km = s->distance[sl.site];
    if (hit.distance_km == UINT32_MAX)
        return;
    s->matched++;
    hit.exactness = (uint32_t)((sl.cls >> 1 & 3u) != (unsigned)s->q->abo) +
                    (uint32_t)((sl.cls & 1u) != (unsigned)s->q->rhd);
    if (s->heap_len == s->heap_max && !hb_blood_hit_before(&hit, &s->heap[0]))
        return;
    for (size_t k = 0; k < s->nrequired; k++)
        hit.exactness += test_bit(s->required_geno[k], i);
    for (size_t k = 0; k < s->npreferred; k++)
        hit.exactness += !test_bit(s->preferred[k], i);
    heap_offer(s, &hit);
}

/* A profile that passed the filter but cannot enter the hits: count it if it matches. */
static void count(scan *s, size_t i)
{
    slot sl = s->ix->slots[i];
    if ((sl.cls >> 3) == HB_BLOOD_UNIT && sl.date < s->q->on)
        return;
    s->matched += s->distance[sl.site] != UINT32_MAX;
}

/* Filter one block of words through the classes of group g; rank the survivors, or with
 * count_only just count them. */
static void filter_block(scan *s, unsigned g, size_t first, size_t nwords, bool count_only)
{
    uint64_t m[FILTER_WORDS];
    memcpy(m, s->classes[g][0] + first, nwords * sizeof *m);
    for (size_t k = 1; k < s->nclasses[g]; k++)
        for (size_t w = 0; w < nwords; w++)
            m[w] |= s->classes[g][k][first + w];
    for (size_t k = 0; k < s->nrequired; k++)
        for (size_t w = 0; w < nwords; w++)
            m[w] &= s->required[k][first + w];
    for (size_t w = 0; w < nwords; w++) {
        if (count_only && s->count_by_popcount) {
            s->matched += (uint64_t)__builtin_popcountll(m[w]);
            continue;
        }
        for (uint64_t bits = m[w]; bits; bits &= bits - 1) {
            size_t i = (first + w) * 64 + (size_t)__builtin_ctzll(bits);
            if (count_only)
                count(s, i);
            else
                consider(s, i);
        }
    }
}

/*
 * Groups in order of their least exactness. Once the hits are full and even the worst of them
 * is more exact than anything a group can offer, that group's profiles are only counted: for a
 * patient without antibodies this skips ranking nearly everyone.
 */
static void scan_all(scan *s)
{
    size_t words = (s->ix->count + 63) / 64;
    for (unsigned g = 0; g < 3; g++) {
        if (s->nclasses[g] == 0)
            continue;
        bool count_only =
            s->heap_max == 0 || (s->heap_len == s->heap_max && s->heap[0].exactness < g);
        for (size_t first = 0; first < words; first += FILTER_WORDS)
            filter_block(s, g, first, words - first < FILTER_WORDS ? words - first : FILTER_WORDS,
                         count_only);
    }
}

static int check_query(const hb_blood_query *q)
{
    if ((unsigned)q->abo > HB_ABO_AB || (unsigned)q->rhd > HB_RHD_POS)
        return hb_error_set(HB_EINVAL, "the patient's ABO or RhD is out of range");
    if ((q->negative | q->prefer) & ~HB_BLOOD_MASK_ALL)
        return hb_error_set(HB_EINVAL, "antigen bit 63 is not used");
    if (q->kinds & ~3u)
        return hb_error_set(HB_EINVAL, "unknown profile kind in the query");
    if (q->has_origin && (!isfinite(q->latitude) || !isfinite(q->longitude) ||
                          fabs(q->latitude) > 90.0 || fabs(q->longitude) > 180.0))
        return hb_error_set(HB_EINVAL, "the query's origin is not a valid position");
    return 0;
}

/* Fill in the class, antigen and site tables of s; false when nothing can match. */
static bool prepare(scan *s)
{
    const hb_blood_query *q = s->q;
    unsigned kinds = q->kinds ? q->kinds : 3u;
    for (unsigned kind = 0; kind < 2; kind++)
        for (unsigned abo = 0; abo < 4; abo++)
            for (unsigned rhd = 0; rhd < 2; rhd++)
                if ((kinds >> kind & 1u) && hb_blood_abo_compatible(q->abo, (hb_blood_abo)abo) &&
                    hb_blood_rhd_compatible(q->rhd, (hb_blood_rhd)rhd)) {
                    unsigned g =
                        (unsigned)(abo != (unsigned)q->abo) + (unsigned)(rhd != (unsigned)q->rhd);
                    s->classes[g][s->nclasses[g]++] = s->ix->cls[kind * 8 + abo * 2 + rhd];
                }
    s->count_by_popcount = !(kinds & 1u << HB_BLOOD_UNIT) && q->groups == 0;
    for (uint64_t m = q->negative; m; m &= m - 1) {
        unsigned a = (unsigned)__builtin_ctzll(m);
        if (!s->ix->neg[a])
            return false; /* no profile has this antigen absent */
        s->required_geno[s->nrequired] = s->ix->geno[a];
        s->required[s->nrequired++] = s->ix->neg[a];
    }
    for (uint64_t m = q->prefer; m; m &= m - 1)
        s->preferred[s->npreferred++] = s->ix->neg[__builtin_ctzll(m)];
    for (size_t i = 0; i < s->ix->nsites; i++) {
        const hb_blood_site *site = &s->ix->sites[i];
        double d = q->has_origin ? hb_blood_distance_km(q->latitude, q->longitude, site->latitude,
                                                        site->longitude)
                                 : 0.0;
        bool searched = q->groups == 0 || (q->groups >> site->group & 1u);
        s->distance[i] = searched ? (uint32_t)(d + 0.5) : UINT32_MAX;
    }
    return s->nclasses[0] + s->nclasses[1] + s->nclasses[2] > 0;
}

static int compare_hits(const void *a, const void *b)
{
    return hb_blood_hit_before(a, b) ? -1 : hb_blood_hit_before(b, a) ? 1 : 0;
}

int hb_blood_index_search(const hb_blood_index *index, const hb_blood_query *query,
                          hb_blood_hit *hits, size_t hits_max, size_t *nhits, uint64_t *nmatched)
{
    *nhits = 0;
    if (nmatched)
        *nmatched = 0;
    int rc = check_query(query);
    if (rc < 0)
        return rc;
    if (hits_max > 0 && !hits)
        return hb_error_set(HB_EINVAL, "no room for hits");
    scan scratch = { .ix = index }, *s = &scratch;
    s->q = query;
    s->heap = hits;
    s->heap_max = hits_max;
    if (prepare(s))
        scan_all(s);
    if (s->heap_len > 1)
        qsort(hits, s->heap_len, sizeof *hits, compare_hits);
    *nhits = s->heap_len;
    if (nmatched)
        *nmatched = s->matched;
    return 0;
}
