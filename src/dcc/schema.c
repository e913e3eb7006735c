/*
 * dcc/schema.c — DCC.schema.json 1.3.3 as code (see schema.h).
 */
#include "dcc/schema.h"

#include <math.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/error.h"

typedef enum field_kind {
    F_STRING,   /* any string */
    F_STR80,    /* string, at most 80 characters */
    F_DATE,     /* string starting with a full date */
    F_DATETIME, /* string starting with a full date and a time */
    F_COUNTRY,  /* string matching [A-Z]{1,10} somewhere (the schema's unanchored pattern) */
    F_POSINT    /* integer >= 1 */
} field_kind;

typedef struct field {
    const char *name;
    field_kind kind;
    int required;
} field;

static const field vaccination[] = {
    { "tg", F_STRING, 1 }, { "vp", F_STRING, 1 }, { "mp", F_STRING, 1 }, { "ma", F_STRING, 1 },
    { "dn", F_POSINT, 1 }, { "sd", F_POSINT, 1 }, { "dt", F_DATE, 1 },   { "co", F_COUNTRY, 1 },
    { "is", F_STR80, 1 },  { "ci", F_STR80, 1 },  { NULL, F_STRING, 0 },
};
static const field test[] = {
    { "tg", F_STRING, 1 },   { "tt", F_STRING, 1 }, { "nm", F_STR80, 0 },  { "ma", F_STRING, 0 },
    { "sc", F_DATETIME, 1 }, { "tr", F_STRING, 1 }, { "tc", F_STR80, 0 },  { "co", F_COUNTRY, 1 },
    { "is", F_STR80, 1 },    { "ci", F_STR80, 1 },  { NULL, F_STRING, 0 },
};
static const field recovery[] = {
    { "tg", F_STRING, 1 }, { "fr", F_DATE, 1 }, { "co", F_COUNTRY, 1 }, { "is", F_STR80, 1 },
    { "df", F_DATE, 1 },   { "du", F_DATE, 1 }, { "ci", F_STR80, 1 },   { NULL, F_STRING, 0 },
};

/* Characters (code points) in UTF-8 text: every byte that is not a continuation byte. */
static size_t chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int starts_with_date(const char *s, size_t len)
{
    hb_date d;
    return len >= 10 && hb_date_parse(&d, s, 10) == 0;
}

static int country_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return 1;
    return 0;
}

static int check_field(const char *path, const field *f, const json_t *v)
{
    if (f->kind == F_POSINT) {
        double x = json_is_integer(v) ? (double)json_integer_value(v)
                   : json_is_real(v)  ? json_real_value(v)
                                      : NAN;
        if (isnan(x) || floor(x) != x || x < 1)
            return hb_error_set(HB_EINVAL, "%s.%s: must be an integer >= 1", path, f->name);
        return 0;
    }
    if (!json_is_string(v))
        return hb_error_set(HB_EINVAL, "%s.%s: must be a string", path, f->name);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (f->kind == F_STR80 && chars(s, len) > 80)
        return hb_error_set(HB_EINVAL, "%s.%s: longer than 80 characters", path, f->name);
    if ((f->kind == F_DATE || f->kind == F_DATETIME) && !starts_with_date(s, len))
        return hb_error_set(HB_EINVAL, "%s.%s: '%s' is not a date (YYYY-MM-DD)", path, f->name, s);
    if (f->kind == F_DATETIME && (len < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')))
        return hb_error_set(HB_EINVAL, "%s.%s: '%s' is not a date-time", path, f->name, s);
    if (f->kind == F_COUNTRY && !country_ok(s, len))
        return hb_error_set(HB_EINVAL, "%s.%s: '%s' is not a country code", path, f->name, s);
    return 0;
}

static int check_entry(const char *group, const json_t *entry, const field *fields)
{
    char path[16];
    snprintf(path, sizeof path, "%s[0]", group);
    if (!json_is_object(entry))
        return hb_error_set(HB_EINVAL, "%s: must be an object", path);
    for (const field *f = fields; f->name; f++) {
        const json_t *v = json_object_get(entry, f->name);
        if (!v) {
            if (f->required)
                return hb_error_set(HB_EINVAL, "%s.%s: required", path, f->name);
            continue;
        }
        int rc = check_field(path, f, v);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ICAO 9303 transliteration: ^[A-Z<]*$, at most 80 characters. */
static int check_name_part(const json_t *nam, const char *key, int transliterated)
{
    const json_t *v = json_object_get(nam, key);
    if (!v)
        return 0;
    if (!json_is_string(v))
        return hb_error_set(HB_EINVAL, "nam.%s: must be a string", key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (chars(s, len) > 80)
        return hb_error_set(HB_EINVAL, "nam.%s: longer than 80 characters", key);
    for (size_t i = 0; transliterated && i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '<'))
            return hb_error_set(HB_EINVAL, "nam.%s: '%s' is not ICAO 9303 (A-Z and <)", key, s);
    return 0;
}

static int check_name(const json_t *nam)
{
    if (!json_is_object(nam))
        return hb_error_set(HB_EINVAL, "nam: must be an object");
    if (!json_object_get(nam, "fnt") && !json_object_get(nam, "gnt"))
        return hb_error_set(HB_EINVAL, "nam: needs fnt or gnt (a standardised name)");
    int rc;
    if ((rc = check_name_part(nam, "fn", 0)) < 0 || (rc = check_name_part(nam, "gn", 0)) < 0 ||
        (rc = check_name_part(nam, "fnt", 1)) < 0 || (rc = check_name_part(nam, "gnt", 1)) < 0)
        return rc;
    return 0;
}

/* ^\d+.\d+.\d+$ — the schema's dots are unescaped, so any character separates. */
static int version_ok(const char *s)
{
    for (int part = 0; part < 3; part++) {
        if (!is_digit(*s))
            return 0;
        while (is_digit(*s))
            s++;
        if (part < 2 && *s++ == '\0')
            return 0;
    }
    return *s == '\0';
}

/* ^((19|20)\d\d(-\d\d){0,2}){0,1}$ */
static int dob_ok(const char *s, size_t len)
{
    if (len == 0)
        return 1;
    if (len != 4 && len != 7 && len != 10)
        return 0;
    if (!(s[0] == '1' && s[1] == '9') && !(s[0] == '2' && s[1] == '0'))
        return 0;
    for (size_t i = 2; i < len; i++)
        if (i % 3 == 1 ? s[i] != '-' : !is_digit(s[i]))
            return 0;
    return 1;
}

static int check_group(const json_t *dcc, char group, const field *fields)
{
    char key[2] = { group, '\0' };
    const json_t *g = json_object_get(dcc, key);
    if (!json_is_array(g))
        return hb_error_set(HB_EINVAL, "%s: must be an array", key);
    if (json_array_size(g) != 1)
        return hb_error_set(HB_EINVAL, "%s: must hold exactly one entry, has %zu", key,
                            json_array_size(g));
    return check_entry(key, json_array_get(g, 0), fields);
}

static int check_header(const json_t *dcc)
{
    const json_t *ver = json_object_get(dcc, "ver"), *dob = json_object_get(dcc, "dob");
    if (!ver || !json_object_get(dcc, "nam") || !dob)
        return hb_error_set(HB_EINVAL, "%s: required", !ver ? "ver" : !dob ? "dob" : "nam");
    if (!json_is_string(ver) || !version_ok(json_string_value(ver)))
        return hb_error_set(HB_EINVAL, "ver: must be a version such as \"1.3.0\"");
    if (!json_is_string(dob) || !dob_ok(json_string_value(dob), json_string_length(dob)))
        return hb_error_set(HB_EINVAL, "dob: must be YYYY, YYYY-MM, YYYY-MM-DD (1900-2099) or "
                                       "empty");
    return check_name(json_object_get(dcc, "nam"));
}

int hb_dcc__schema_validate(const json_t *dcc, char *type)
{
    *type = 0;
    if (!json_is_object(dcc))
        return hb_error_set(HB_EINVAL, "the DCC must be a JSON object");
    int present = 0;
    char which = 0;
    for (const char *g = "vtr"; *g; g++) {
        char key[2] = { *g, '\0' };
        if (json_object_get(dcc, key)) {
            present++;
            which = *g;
        }
    }
    if (present == 0)
        return hb_error_set(HB_EINVAL, "needs one of v (vaccination), t (test), r (recovery)");
    if (present > 1)
        return hb_error_set(HB_EINVAL,
                            "holds %d certificate groups; exactly one of v, t, r is "
                            "allowed",
                            present);
    *type = which;
    int rc = check_header(dcc);
    if (rc < 0)
        return rc;
    return check_group(dcc, which, which == 'v' ? vaccination : which == 't' ? test : recovery);
}
