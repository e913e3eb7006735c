/*
 * registry/accreditation.h — hospital accreditation: which institution holds which award under
 * which standard (the mainland's hospital grading, ACHS, JCI …; data/registry/standards.csv),
 * with its level, scope and period (both days included), and status events (suspension,
 * withdrawal). Import kinds (registry.h): standards (rule data), accreditations. Expiry alerts
 * come from hb_registry_expiring().
 */
#ifndef HB_REGISTRY_ACCREDITATION_H
#define HB_REGISTRY_ACCREDITATION_H

#include "registry/registry.h"

/*
 * Accreditations under one standard (NULL = every standard), with the institution's names and
 * jurisdiction and the status on day on; current ones only unless all is set. Columns:
 * standard, reference, institution, name_en, name_zh_hant, jurisdiction, level, scope,
 * valid_from, valid_to, status. Ordered by standard, jurisdiction, institution. Public.
 */
int hb_registry_accreditations(hb_store *store, const char *standard, hb_date on, bool all,
                               hb_table **out);

#endif
