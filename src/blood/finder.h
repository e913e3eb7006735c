/*
 * blood/finder.h — search the shared registry for a patient: the stored units and donors,
 * through the engine of healthybay/blood.h, with results every organisation may see.
 *
 * What crosses the border here: DINs of units, donor pseudonyms, the owning centre and
 * jurisdiction, ABO/RhD and phenotypes. Never a donor's local_ref, never a patient's identity
 * (the query holds only blood groups and antigens).
 */
#ifndef HB_BLOOD_FINDER_H
#define HB_BLOOD_FINDER_H

#include <stddef.h>
#include <stdint.h>

#include "blood/registry.h"
#include "healthybay/blood.h"
#include "healthybay/common.h"
#include "store/store.h"
#include "util/table.h"

typedef struct hb_blood_find_query {
    hb_blood_abo abo; /* the patient's */
    hb_blood_rhd rhd;
    uint64_t negative;         /* antigens that must be absent */
    uint64_t prefer;           /* antigens better absent (ranking only) */
    unsigned kinds;            /* 1u << HB_BLOOD_UNIT | 1u << HB_BLOOD_DONOR; 0 = both */
    const char *jurisdictions; /* "HK,MO" …; NULL = all three */
    const char *near;          /* a blood centre code: rank by distance from it; NULL = don't */
    hb_date on;                /* units expiring before this date are left out */
    size_t limit;              /* hits wanted: 1..HB_BLOOD_HITS_MAX */
} hb_blood_find_query;

/*
 * Find compatible available units and eligible donors, best first (ranking in healthybay/blood.h)
 * as a table: rank, kind, id (DIN as printed, or pseudonym), centre, jurisdiction, location,
 * abo, rhd, component, storage, expiry, last_donation, distance_km, exactness, phenotype,
 * predicted. *nmatched (when not NULL) gets the number of matches before the limit. Any valid
 * actor may search; NULL is the command-line operator on the server itself.
 */
int hb_blood_find(hb_store *store, const hb_blood_actor *actor, const hb_blood_find_query *query,
                  hb_table **out, uint64_t *nmatched);

#endif
