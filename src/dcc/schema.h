/*
 * dcc/schema.h — validation of a DCC payload against DCC.schema.json 1.3.3 (eu-dcc-schema).
 *
 * The schema is small and fixed, so it is written out as code (one function per $def) rather
 * than interpreted: validation runs once per verified certificate and must cost microseconds.
 * What it checks, as JSON Schema 2020-12 does: the oneOf of the three required sets
 * {ver, nam, dob} + exactly one of v/t/r; types; the patterns of ver, dob, fnt/gnt and co;
 * maxLength (in characters, not bytes) of names, issuer, UVCI and test fields; dn/sd integers
 * >= 1; one entry per group. Formats ("date", "date-time") are annotations in 2020-12, and
 * issuers in the field put date-times in date fields (SG), so a date field must merely start
 * with a valid calendar date. Value-set membership is not schema validation (the schema itself
 * leaves value sets open); the recognition rules decide which products count.
 */
#ifndef HB_DCC_SCHEMA_H
#define HB_DCC_SCHEMA_H

#include <jansson.h>

/* 0 when dcc is valid; HB_EINVAL with "path: reason" otherwise. *type gets 'v', 't', 'r' when
 * exactly one group is present, else 0. */
int hb_dcc__schema_validate(const json_t *dcc, char *type);

#endif
