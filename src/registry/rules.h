/*
 * registry/rules.h — the two questions the registries exist to answer, each with a yes or no
 * and the reason, as a hospital pharmacist, a ward manager or an inspector needs it.
 *
 * May product P be used at institution I on day D?  Yes when all hold:
 *   1. I is designated for the medicines and devices policy on D (designated_from <= D <=
 *      designated_to, or no end);
 *   2. the product is not suspended, revoked or withdrawn on D (status events of products:
 *      e.g. its Hong Kong registration was cancelled);
 *   3. an approval of P at I covers D (valid_from <= D <= valid_to, both days included) and is
 *      active on D (no suspension, revocation or withdrawal in effect);
 *   4. when a department is given and the approval names departments, it is one of them.
 *
 * May person P practise at institution I on day D?  Yes when all hold:
 *   1. no disciplinary suspension or removal is in effect on D (effective_from <= D <=
 *      effective_to, or no end), whoever imposed it;
 *   2. a home registration is in force on D (registered_from <= D <= registered_to, or no end)
 *      and active on D;
 *   3. P practises at I on D (an employment with valid_from <= D <= valid_to, or no end);
 *   4. at a mainland institution, that employment rests on a permit of P's valid on D (both
 *      days included) and active on D, under a scheme whose area covers I (Hengqin permits:
 *      only institutions in the Hengqin cooperation zone).
 *
 * When the answer is no, the reason names the first condition that fails, with the item and
 * dates concerned; when yes, it names what grants it (basis: the approval or permit number).
 */
#ifndef HB_REGISTRY_RULES_H
#define HB_REGISTRY_RULES_H

#include "registry/registry.h"
#include "util/limits.h"

typedef struct hb_registry_answer {
    bool yes;
    char reason[HB_ERROR_MESSAGE_MAX]; /* one sentence, for people */
    char basis[HB_REGISTRY_VALUE_MAX]; /* the approval or permit that grants it ("" when no) */
} hb_registry_answer;

/* HB_ENOTFOUND when the product or institution is unknown; department may be NULL. */
int hb_registry_may_use(hb_store *store, hb_registry_answer *out, const char *product,
                        const char *institution, hb_date on, const char *department);

/* HB_ENOTFOUND when the person or institution is unknown. */
int hb_registry_may_practise(hb_store *store, hb_registry_answer *out, const char *person,
                             const char *institution, hb_date on);

#endif
