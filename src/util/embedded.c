/*
 * util/embedded.c — lookup in an embedded file table.
 */
#include "util/embedded.h"

#include <string.h>

const hb_embedded_file *hb_embedded_find(const hb_embedded_file *files, size_t count,
                                         const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(files[i].name, name) == 0)
            return &files[i];
    return NULL;
}
