/*
 * registry/fhir.h — the registries as HL7 FHIR R4 (4.0.1) resources, so other systems (hospital
 * information systems, the other jurisdictions' registries) can consume them:
 *
 *   institution      → Organization: identifier, active, type (prov), name, alias (the other
 *                      scripts), address (city, country), accreditations as a complex
 *                      extension (R4 Organization has no qualification element)
 *   practitioner     → Practitioner: identifier, active (home registration in force and no
 *                      suspension or removal), names, qualification[] for each home
 *                      registration, mainland permit and title; gender, birthDate and telecom
 *                      only when the caller may see restricted fields
 *   employment       → PractitionerRole: practitioner, organization, period, active, code
 *   drug             → Medication: identifier (registry code, HK/Macao registration numbers),
 *                      code, status, manufacturer, form, ingredient (INN)
 *   device           → Device: identifier, status, deviceName, manufacturer, device class as
 *                      a property
 *
 * Our identifier systems, code system and extension live under HB_REGISTRY_FHIR_CANONICAL and
 * are documented in docs/registries.md. Resource ids are the registry codes when they are valid
 * FHIR ids ([A-Za-z0-9.-], at most 64), else a stable hash of the code prefixed with "x-".
 */
#ifndef HB_REGISTRY_FHIR_H
#define HB_REGISTRY_FHIR_H

#include "registry/registry.h"

/* Where our naming systems, code system and extension are defined (never resolved by us). */
#define HB_REGISTRY_FHIR_CANONICAL "https://healthybay.invalid/fhir"
/* The default base of fullUrl: a deployment passes its own server's. */
#define HB_REGISTRY_FHIR_BASE      "https://hub.healthybay.invalid/fhir"

enum {
    HB_FHIR_ORGANIZATION = 1u,
    HB_FHIR_PRACTITIONER = 2u,
    HB_FHIR_PRACTITIONER_ROLE = 4u,
    HB_FHIR_MEDICATION = 8u,
    HB_FHIR_DEVICE = 16u,
    HB_FHIR_ALL = 31u
};

typedef struct hb_registry_fhir_options {
    const char *base;   /* fullUrl base, without the trailing '/' */
    hb_date on;         /* the day statuses and active flags are evaluated for */
    unsigned resources; /* HB_FHIR_* bits */
} hb_registry_fhir_options;

/* "Organization,Practitioner" → bits; HB_EINVAL names an unknown resource type. */
int hb_registry_fhir_parse_resources(unsigned *out, const char *list);

/*
 * A Bundle of type collection holding the chosen resources, as compact JSON text in *out (caller
 * frees with hb_free). Restricted practitioner data follows the caller (practitioners.h).
 */
int hb_registry_fhir_export(hb_store *store, const hb_registry_caller *caller,
                            const hb_registry_fhir_options *opt, char **out);

#endif
