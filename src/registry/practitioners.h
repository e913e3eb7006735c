/*
 * registry/practitioners.h — Hong Kong and Macao health professionals practising across the
 * border, and the rules their mainland permits follow.
 *
 * The record of a practitioner (import kinds in dependency order):
 *
 *   practitioners   identity: a pseudonymous registry id, home jurisdiction (HK or MO), one of
 *                   the professional categories (data/registry/categories.csv: Macao's 15),
 *                   names, specialty; restricted: sex, date of birth, phone, email
 *   registrations   home professional registrations (register + number, from/to)
 *   permits         mainland permits under a scheme (data/registry/schemes.csv): Hengqin
 *                   registration of Macao professionals, short-term practice of HK/Macao doctors,
 *                   the GBA assessment route; checked at import against the scheme version in
 *                   force on valid_from — home jurisdiction, category, longest validity (Hengqin:
 *                   3 years, last day = the day before the anniversary), home practice needed
 *                   first (Hengqin: 2 years, counted from the earliest home registration to
 *                   valid_from)
 *   employments     where the person practises, from/to, on which permit: several at once are
 *                   allowed (multi-site practice; dual employment such as Macao + Hengqin); at a
 *                   home-jurisdiction institution no permit is needed
 *   titles          professional titles (e.g. 正高级 senior titles granted in Shenzhen)
 *   disciplinary    actions of a regulator: warning, reprimand, conditions, suspension, removal
 *
 * Public register fields versus restricted fields: anyone may read the register (names,
 * category, registrations, permits, employments, titles, disciplinary actions and their dates);
 * the restricted fields (sex, date of birth, phone, email; a disciplinary case's reference and
 * summary) are shown only to those hb_registry_sees_restricted() admits.
 */
#ifndef HB_REGISTRY_PRACTITIONERS_H
#define HB_REGISTRY_PRACTITIONERS_H

#include "registry/registry.h"

/*
 * Whether caller may see the restricted fields of practitioner person on day on:
 *   - the operator;
 *   - an authority of the person's home jurisdiction (the home regulator), or of a jurisdiction
 *     that issued the person a permit (scheme issuers are mainland bodies: GD);
 *   - an institution that employs the person on that day (its own staff records).
 * Nobody else: other institutions, other authorities and the public see public fields only.
 * An unknown person is *yes = false (there is nothing to see).
 */
int hb_registry_sees_restricted(hb_store *store, const hb_registry_caller *caller,
                                const char *person, hb_date on, bool *yes);

#endif
