/*
 * util/ini.c — the INI reader (see ini.h). The whole file is parsed into a flat list of
 * (section, key, value, line, column) entries; lookups are linear, which is right for files of
 * a few dozen keys read once.
 */
#include "util/ini.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/parse.h"

typedef struct entry {
    char *section, *key, *value;
    unsigned long line, column;
} entry;

struct hb_ini {
    char *name;
    entry *entries;
    size_t n, cap;
    char **sections;
    unsigned long *section_lines;
    size_t nsections;
};

void hb_ini_free(hb_ini *ini)
{
    if (!ini)
        return;
    for (size_t i = 0; i < ini->n; i++) {
        hb_free(ini->entries[i].key);
        hb_free(ini->entries[i].value);
    }
    for (size_t i = 0; i < ini->nsections; i++)
        hb_free(ini->sections[i]);
    hb_free(ini->entries);
    hb_free(ini->sections);
    hb_free(ini->section_lines);
    hb_free(ini->name);
    hb_free(ini);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

static int add_section(hb_ini *ini, const char *s, size_t len, unsigned long line)
{
    char **sections = hb_reallocarray(ini->sections, ini->nsections + 1, sizeof *sections);
    if (!sections)
        return HB_ENOMEM;
    ini->sections = sections;
    unsigned long *lines = hb_reallocarray(ini->section_lines, ini->nsections + 1, sizeof *lines);
    if (!lines)
        return HB_ENOMEM;
    ini->section_lines = lines;
    if (!(ini->sections[ini->nsections] = hb_strndup(s, len)))
        return HB_ENOMEM;
    ini->section_lines[ini->nsections++] = line;
    return 0;
}

static int add_entry(hb_ini *ini, const char *key, size_t klen, const char *value, size_t vlen,
                     unsigned long line, unsigned long column)
{
    if (ini->n == ini->cap) {
        size_t cap = ini->cap ? ini->cap * 2 : 32;
        entry *p = hb_reallocarray(ini->entries, cap, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        ini->entries = p;
        ini->cap = cap;
    }
    entry *e = &ini->entries[ini->n];
    e->section = ini->nsections ? ini->sections[ini->nsections - 1] : NULL;
    e->key = hb_strndup(key, klen);
    e->value = hb_strndup(value, vlen);
    e->line = line;
    e->column = column;
    if (!e->key || !e->value) {
        hb_free(e->key);
        hb_free(e->value);
        return HB_ENOMEM;
    }
    ini->n++;
    return 0;
}

static int syntax(const hb_ini *ini, unsigned long line, size_t col, const char *what)
{
    return hb_error_set(HB_EINVAL, "%s:%lu:%zu: %s", ini->name, line, col + 1, what);
}

/* One line (without its newline): blank, comment, [section] or key = value. */
static int parse_line(hb_ini *ini, const char *p, size_t len, unsigned long line)
{
    size_t i = 0;
    while (i < len && is_space(p[i]))
        i++;
    if (i == len || p[i] == '#' || p[i] == ';')
        return 0;
    if (p[i] == '[') {
        size_t start = ++i;
        while (i < len && name_char(p[i]))
            i++;
        if (i == start || i == len || p[i] != ']')
            return syntax(ini, line, i, "expected [section-name]");
        size_t end = i++;
        while (i < len && is_space(p[i]))
            i++;
        if (i < len && p[i] != '#' && p[i] != ';')
            return syntax(ini, line, i, "text after ']'");
        for (size_t k = 0; k < ini->nsections; k++)
            if (strlen(ini->sections[k]) == end - start &&
                memcmp(ini->sections[k], p + start, end - start) == 0)
                return syntax(ini, line, start, "section appears twice");
        return add_section(ini, p + start, end - start, line);
    }
    size_t kstart = i;
    while (i < len && name_char(p[i]))
        i++;
    size_t kend = i;
    while (i < len && is_space(p[i]))
        i++;
    if (kend == kstart || i == len || p[i] != '=')
        return syntax(ini, line, i, "expected key = value");
    if (ini->nsections == 0)
        return syntax(ini, line, kstart, "key before any [section]");
    i++;
    while (i < len && is_space(p[i]))
        i++;
    size_t vstart = i, vend = i;
    for (; i < len; i++) {
        if ((p[i] == '#' || p[i] == ';') && (i == vstart || is_space(p[i - 1])))
            break;
        if (!is_space(p[i]))
            vend = i + 1;
    }
    const char *section = ini->sections[ini->nsections - 1];
    for (size_t k = 0; k < ini->n; k++)
        if (ini->entries[k].section == section && strlen(ini->entries[k].key) == kend - kstart &&
            memcmp(ini->entries[k].key, p + kstart, kend - kstart) == 0)
            return syntax(ini, line, kstart, "key appears twice in its section");
    return add_entry(ini, p + kstart, kend - kstart, p + vstart, vend - vstart, line, kstart + 1);
}

int hb_ini_parse(hb_ini **out, const char *name, const char *text, size_t len)
{
    hb_ini *ini = hb_calloc(1, sizeof *ini);
    if (!ini || !(ini->name = hb_strdup(name))) {
        hb_free(ini);
        return HB_ENOMEM;
    }
    if (memchr(text, '\0', len)) {
        hb_ini_free(ini);
        return hb_error_set(HB_EINVAL, "%s: NUL byte in a text file", name);
    }
    int rc = 0;
    unsigned long line = 1;
    for (size_t pos = 0; rc == 0 && pos < len; line++) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (end - pos > HB_CSV_FIELD_MAX)
            rc = hb_error_set(HB_ELIMIT, "%s:%lu: line too long", name, line);
        else
            rc = parse_line(ini, text + pos, end - pos, line);
        pos = end + 1;
    }
    if (rc < 0) {
        hb_ini_free(ini);
        return rc;
    }
    *out = ini;
    return 0;
}

int hb_ini_read_file(hb_ini **out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hb_error_set(HB_ENOTFOUND, "%s: cannot open: %s", path, strerror(errno));
    hb_buf b;
    hb_buf_init(&b, 1 << 20);
    char chunk[4096];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = hb_buf_put(&b, chunk, n);
    if (rc == 0 && ferror(f))
        rc = hb_error_set(HB_ERROR, "%s: read error", path);
    fclose(f);
    if (rc == HB_ELIMIT)
        hb_error_prefix("%s: ", path);
    if (rc == 0)
        rc = hb_ini_parse(out, path, hb_buf_cstr(&b), b.len);
    hb_buf_dispose(&b);
    return rc;
}

/* Does "section.key" match the pattern ("detect.*.methods": '*' stands for one dotted part or
 * more)? */
static bool matches(const char *pattern, const char *section, const char *key)
{
    char full[512];
    snprintf(full, sizeof full, "%s.%s", section, key);
    const char *star = strchr(pattern, '*');
    if (!star)
        return strcmp(pattern, full) == 0;
    size_t pre = (size_t)(star - pattern), post = strlen(star + 1), len = strlen(full);
    return len > pre + post && strncmp(full, pattern, pre) == 0 &&
           strcmp(full + len - post, star + 1) == 0;
}

int hb_ini_check_keys(const hb_ini *ini, const char *const *known)
{
    for (size_t i = 0; i < ini->n; i++) {
        const entry *e = &ini->entries[i];
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++)
            ok = matches(*k, e->section, e->key);
        if (!ok)
            return hb_error_set(HB_EINVAL, "%s:%lu:%lu: unknown setting '%s' in [%s]", ini->name,
                                e->line, e->column, e->key, e->section);
    }
    return 0;
}

static const entry *find(const hb_ini *ini, const char *section, const char *key)
{
    for (size_t i = 0; i < ini->n; i++)
        if (strcmp(ini->entries[i].section, section) == 0 && strcmp(ini->entries[i].key, key) == 0)
            return &ini->entries[i];
    return NULL;
}

const char *hb_ini_get(const hb_ini *ini, const char *section, const char *key)
{
    const entry *e = find(ini, section, key);
    return e ? e->value : NULL;
}

int hb_ini_error(const hb_ini *ini, const char *section, const char *key, const char *fmt, ...)
{
    char reason[HB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    const entry *e = find(ini, section, key);
    if (e)
        return hb_error_set(HB_EINVAL, "%s:%lu:%lu: [%s] %s: %s", ini->name, e->line, e->column,
                            section, key, reason);
    return hb_error_set(HB_EINVAL, "%s: [%s] %s: %s", ini->name, section, key, reason);
}

int hb_ini_get_int(const hb_ini *ini, const char *section, const char *key, long min, long max,
                   long *out)
{
    const char *v = hb_ini_get(ini, section, key);
    int64_t n;
    if (!v)
        return 0;
    if (hb_parse_int64(&n, v, strlen(v)) < 0 || n < min || n > max)
        return hb_ini_error(ini, section, key, "'%s' is not a whole number from %ld to %ld", v, min,
                            max);
    *out = (long)n;
    return 0;
}

int hb_ini_get_double(const hb_ini *ini, const char *section, const char *key, double min,
                      double max, double *out)
{
    const char *v = hb_ini_get(ini, section, key);
    double d;
    if (!v)
        return 0;
    if (hb_parse_double(&d, v, strlen(v)) < 0 || d < min || d > max)
        return hb_ini_error(ini, section, key, "'%s' is not a number from %g to %g", v, min, max);
    *out = d;
    return 0;
}

int hb_ini_get_bool(const hb_ini *ini, const char *section, const char *key, bool *out)
{
    const char *v = hb_ini_get(ini, section, key);
    if (!v)
        return 0;
    if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0)
        *out = true;
    else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0)
        *out = false;
    else
        return hb_ini_error(ini, section, key, "'%s' is not yes or no", v);
    return 0;
}

size_t hb_ini_section_count(const hb_ini *ini)
{
    return ini->nsections;
}

const char *hb_ini_section_name(const hb_ini *ini, size_t i)
{
    return i < ini->nsections ? ini->sections[i] : NULL;
}
