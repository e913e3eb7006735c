/*
 * util/embedded.h — files compiled into the binary by tools/embed.c (reference data, migrations).
 */
#ifndef HB_UTIL_EMBEDDED_H
#define HB_UTIL_EMBEDDED_H

#include <stddef.h>

typedef struct hb_embedded_file {
    const char *name; /* base name, e.g. "regions.csv" */
    const char *data; /* NUL-terminated */
    size_t size;      /* excluding the NUL */
} hb_embedded_file;

/* The file called name in files[0..count), or NULL. */
const hb_embedded_file *hb_embedded_find(const hb_embedded_file *files, size_t count,
                                         const char *name);

#endif
