/*
 * util/ini.h — a small, strict INI reader for configuration files.
 *
 *     # comment                      ; comment
 *     [section]
 *     key = value                    # a value runs to the end of the line; '#' or ';' after
 *                                    # whitespace starts a comment
 *
 * Strict, because a mistyped key in a health authority's alert configuration must not be
 * silently ignored: hb_ini_check_keys() rejects keys and sections the program does not know,
 * and every error names file:line:column. Values are looked up with typed getters that check
 * ranges and say which key was wrong.
 */
#ifndef HB_UTIL_INI_H
#define HB_UTIL_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

typedef struct hb_ini hb_ini;

int hb_ini_parse(hb_ini **out, const char *name, const char *text, size_t len);
int hb_ini_read_file(hb_ini **out, const char *path);
void hb_ini_free(hb_ini *ini);

/*
 * Check every section and key against what the program knows. known is a NULL-terminated list
 * of "section.key" strings; a section name may end in '*' to accept any suffix
 * ("detect.*.methods" matches [detect.count.weekly] methods).
 */
int hb_ini_check_keys(const hb_ini *ini, const char *const *known);

/* The value of key in section, or NULL when absent. */
const char *hb_ini_get(const hb_ini *ini, const char *section, const char *key);
/* Typed getters: *out keeps its value (the default) when the key is absent. */
int hb_ini_get_int(const hb_ini *ini, const char *section, const char *key, long min, long max,
                   long *out);
int hb_ini_get_double(const hb_ini *ini, const char *section, const char *key, double min,
                      double max, double *out);
int hb_ini_get_bool(const hb_ini *ini, const char *section, const char *key, bool *out);

/* Sections in file order, for callers that iterate ("detect.count.weekly", …). */
size_t hb_ini_section_count(const hb_ini *ini);
const char *hb_ini_section_name(const hb_ini *ini, size_t i);

/* Record an error about key in section, naming its position: "file:line:col: [s] key: …". */
int hb_ini_error(const hb_ini *ini, const char *section, const char *key, const char *fmt, ...)
    HB_PRINTF(4, 5);

#endif
