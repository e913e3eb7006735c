/*
 * healthybay/blood.h — the rare-blood search engine: which red-cell units and donors may a patient
 * receive, best first. Pure and embeddable: no database, no I/O, no globals.
 *
 * A profile is one unit or one donor: ABO, RhD and an extended phenotype over at most 63
 * antigens, each present, absent or unknown (bit i of the masks is antigen i; the caller's
 * dictionary says which antigen that is — healthybay's is src/blood/phenotype.h). An absence may
 * be typed by serology or predicted from the genotype.
 *
 * The index stores profiles transposed, as bitmaps over profile numbers: one per (kind, ABO, RhD)
 * class and two per antigen (absent; absent by genotype only). A query ORs the class bitmaps the
 * patient may receive and ANDs the bitmaps of the antigens that must be absent, 64 profiles per
 * machine word, so the filter reads a few megabytes even for ten million profiles; only the
 * profiles that pass are ranked.
 *
 * Rules (docs/blood.md gives the sources):
 *   - red-cell ABO: O gives to all; A to A and AB; B to B and AB; AB to AB only;
 *   - RhD: an RhD-negative patient receives RhD-negative red cells only;
 *   - every antigen the patient must not receive must be absent in the profile; unknown is never
 *     taken as absent;
 *   - units expiring before the query's date are skipped.
 *
 * Ranking, ascending, each key breaking the ties of the one before:
 *   1. exactness — the number of departures from an exact match: ABO not identical (+1), RhD not
 *      identical (+1), each required absence predicted from the genotype only (+1), each antigen
 *      the query prefers absent that is not known to be absent (+1);
 *   2. kind — units (in the freezer now) before donors (who must be recalled);
 *   3. date — units: expiry, soonest first (first expiring, first used); donors: last donation,
 *      longest ago first;
 *   4. distance from the query's origin to the profile's site, whole kilometres;
 *   5. profile number, so the order is total and the same on every run.
 */
#ifndef HEALTHYBAY_BLOOD_H
#define HEALTHYBAY_BLOOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthybay/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hb_blood_abo { HB_ABO_O, HB_ABO_A, HB_ABO_B, HB_ABO_AB } hb_blood_abo;
typedef enum hb_blood_rhd { HB_RHD_NEG, HB_RHD_POS } hb_blood_rhd;
typedef enum hb_blood_kind { HB_BLOOD_UNIT, HB_BLOOD_DONOR } hb_blood_kind;

/* Bit i set in pos: antigen i present; in neg: absent; in neither: unknown. predicted marks the
 * states that come from genotyping rather than serology. pos & neg is always 0, predicted is a
 * subset of pos | neg, and bit 63 is never used (the masks are stored as signed 64-bit integers).
 */
typedef struct hb_blood_phenotype {
    uint64_t pos;
    uint64_t neg;
    uint64_t predicted;
} hb_blood_phenotype;

/* Antigens a profile can carry: bits 0..62. */
#define HB_BLOOD_ANTIGEN_BITS 63
#define HB_BLOOD_MASK_ALL     ((UINT64_C(1) << HB_BLOOD_ANTIGEN_BITS) - 1)

/* May a patient of this ABO group and RhD type receive red cells of the other? */
bool hb_blood_abo_compatible(hb_blood_abo patient, hb_blood_abo donor);
bool hb_blood_rhd_compatible(hb_blood_rhd patient, hb_blood_rhd donor);

/* HB_EINVAL unless pos & neg == 0, predicted ⊆ pos | neg and no bit above 62 is set. */
int hb_blood_phenotype_check(const hb_blood_phenotype *ph);

/* Where profiles are: a blood centre or a storage site, with a group the query can filter on
 * (healthybay uses the jurisdiction: 0 GD, 1 HK, 2 MO). */
typedef struct hb_blood_site {
    double latitude, longitude; /* degrees */
    unsigned group;             /* 0..31 */
} hb_blood_site;

/* Great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km). */
double hb_blood_distance_km(double lat1, double lon1, double lat2, double lon2);

typedef struct hb_blood_profile {
    hb_blood_phenotype phenotype;
    int32_t date;  /* units: expiry date; donors: last donation (INT32_MIN when unknown) */
    uint16_t site; /* index into the index's sites */
    hb_blood_abo abo;
    hb_blood_rhd rhd;
    hb_blood_kind kind;
} hb_blood_profile;

typedef struct hb_blood_index hb_blood_index;

/* An empty index over sites[0..nsites) (copied; at most HB_BLOOD_SITES_MAX in util/limits.h),
 * with room for capacity profiles before it grows. */
int hb_blood_index_new(hb_blood_index **out, const hb_blood_site *sites, size_t nsites,
                       size_t capacity);
void hb_blood_index_free(hb_blood_index *index);
/* Add a profile; *id (when not NULL) gets its number: 0, 1, 2 … in order of addition.
 * HB_EINVAL for an invalid phenotype, enum or site; HB_ELIMIT past HB_BLOOD_PROFILES_MAX. */
int hb_blood_index_add(hb_blood_index *index, uint32_t *id, const hb_blood_profile *profile);
size_t hb_blood_index_count(const hb_blood_index *index);

typedef struct hb_blood_query {
    hb_blood_abo abo; /* the patient's */
    hb_blood_rhd rhd;
    uint64_t negative; /* antigens that must be absent (the patient's antibodies) */
    uint64_t prefer;   /* antigens better absent (e.g. to avoid new antibodies); ranks only */
    unsigned kinds;    /* 1u << HB_BLOOD_UNIT | 1u << HB_BLOOD_DONOR; 0 = both */
    unsigned groups;   /* site groups searched, bit per group; 0 = all */
    int32_t on;        /* units expiring before this date are skipped */
    bool has_origin;   /* rank by distance from (latitude, longitude); else distance 0 */
    double latitude, longitude;
} hb_blood_query;

typedef struct hb_blood_hit {
    uint32_t id;          /* the profile's number */
    uint32_t exactness;   /* departures from an exact match (see the top of this file) */
    uint32_t distance_km; /* rounded to the nearest kilometre */
    int32_t date;
    hb_blood_kind kind;
} hb_blood_hit;

/*
 * The best hits_max matches, best first, into hits[0..*nhits); *nmatched (when not NULL) gets
 * how many profiles matched in all. Allocates nothing; safe to call from several threads on one
 * index. HB_EINVAL for an invalid query.
 */
int hb_blood_index_search(const hb_blood_index *index, const hb_blood_query *query,
                          hb_blood_hit *hits, size_t hits_max, size_t *nhits, uint64_t *nmatched);

/* Whether hit a ranks before hit b. */
bool hb_blood_hit_before(const hb_blood_hit *a, const hb_blood_hit *b);

#ifdef __cplusplus
}
#endif
#endif
