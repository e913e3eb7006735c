/*
 * registry/products.h — Hong Kong/Macao medicines and devices used at designated mainland
 * hospitals (港澳药械通): products, Guangdong's approvals, and the usage institutions report.
 *
 * A product is a drug already marketed in Hong Kong or Macao (it has a registration number
 * there) or a device used by their public hospitals (a registration or listing number, or the
 * evidence of that use). An approval lets one designated institution import and use one product
 * for a period (valid_from to valid_to, both days included), optionally limited to departments
 * and indications; it can be suspended, revoked or withdrawn from a date on (status events), and
 * its history is kept. Institutions report each month how many patients received the product
 * and in what quantity; a report must fall within an approval.
 *
 * Import kinds (registry.h): products, approvals, usage. Whether a product may be used is
 * answered by registry/rules.h.
 */
#ifndef HB_REGISTRY_PRODUCTS_H
#define HB_REGISTRY_PRODUCTS_H

#include "registry/registry.h"

/*
 * Usage for the authorities: per institution and product, the patients and quantity reported
 * in the months from_month to to_month (YYYY-MM, both included; NULL = unbounded), with the
 * number of months reported. institution (NULL = all) narrows it. An institution sees only its
 * own figures (asking for another's is HB_EPERM); the public none (HB_EPERM).
 * Columns: institution, product, kind, unit, months, patients, quantity.
 */
int hb_registry_usage_report(hb_store *store, const hb_registry_caller *caller,
                             const char *from_month, const char *to_month, const char *institution,
                             hb_table **out);

#endif
