/*
 * vaccine/vaccine_int.h — helpers shared by the vaccine module's files, not for other modules.
 */
#ifndef HB_VACCINE_VACCINE_INT_H
#define HB_VACCINE_VACCINE_INT_H

#include <stddef.h>

#include "store/store.h"

/* Run sql (one '?' bound to key) and copy the first column of its first row into out (size
 * bytes, truncated). HB_ENOTFOUND when there is no row. */
int hb_vaccine__lookup(hb_store *store, const char *sql, const char *key, char *out, size_t size);

#endif
