/*
 * blood/phenotype.c — the antigen table and the phenotype notation (see phenotype.h).
 *
 * The parser is a small hand-written scanner: a token is either SYSTEM ':' numbers (ISBT
 * numeric), PREFIX '(' letter sign … ')' (paired form), or a run of code-sign pairs. Errors carry
 * the offending token so an import error reads
 *     donors.csv:12:31: field 'phenotype': 'Jkx-': unknown antigen 'Jkx'
 */
#include "blood/phenotype.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/limits.h"

/* Bits are append-only: see phenotype.h. ISBT numbers per the ISBT Working Party on Red Cell
 * Immunogenetics and Blood Group Terminology tables (docs/blood.md, data/README.md). */
static const hb_blood_antigen antigens[] = {
    { 0, "C", "RH", 4, 2 },      { 1, "c", "RH", 4, 4 },     { 2, "E", "RH", 4, 3 },
    { 3, "e", "RH", 4, 5 },      { 4, "Hr0", "RH", 4, 17 },  { 5, "Rh29", "RH", 4, 29 },
    { 6, "M", "MNS", 2, 1 },     { 7, "N", "MNS", 2, 2 },    { 8, "S", "MNS", 2, 3 },
    { 9, "s", "MNS", 2, 4 },     { 10, "U", "MNS", 2, 5 },   { 11, "Mia", "MNS", 2, 7 },
    { 12, "Mur", "MNS", 2, 10 }, { 13, "P1", "P1PK", 3, 1 }, { 14, "Pk", "P1PK", 3, 3 },
    { 15, "Lua", "LU", 5, 1 },   { 16, "Lub", "LU", 5, 2 },  { 17, "K", "KEL", 6, 1 },
    { 18, "k", "KEL", 6, 2 },    { 19, "Kpa", "KEL", 6, 3 }, { 20, "Kpb", "KEL", 6, 4 },
    { 21, "Ku", "KEL", 6, 5 },   { 22, "Lea", "LE", 7, 1 },  { 23, "Leb", "LE", 7, 2 },
    { 24, "Fya", "FY", 8, 1 },   { 25, "Fyb", "FY", 8, 2 },  { 26, "Jka", "JK", 9, 1 },
    { 27, "Jkb", "JK", 9, 2 },   { 28, "Jk3", "JK", 9, 3 },  { 29, "Dia", "DI", 10, 1 },
    { 30, "Dib", "DI", 10, 2 },  { 31, "Yta", "YT", 11, 1 }, { 32, "Ytb", "YT", 11, 2 },
    { 33, "Sc1", "SC", 13, 1 },  { 34, "Doa", "DO", 14, 1 }, { 35, "Dob", "DO", 14, 2 },
    { 36, "Coa", "CO", 15, 1 },  { 37, "Cob", "CO", 15, 2 }, { 38, "H", "H", 18, 1 },
    { 39, "Ge2", "GE", 20, 2 },  { 40, "Ge3", "GE", 20, 3 }, { 41, "Cra", "CROM", 21, 1 },
    { 42, "P", "GLOB", 28, 1 },  { 43, "Jra", "JR", 32, 1 }, { 44, "Lan", "LAN", 33, 1 },
    { 45, "Vel", "VEL", 34, 1 },
};

#define NANTIGENS (sizeof antigens / sizeof antigens[0])
_Static_assert(NANTIGENS <= HB_BLOOD_ANTIGEN_BITS, "the phenotype masks hold 63 antigens");

const hb_blood_antigen *hb_blood_antigens(size_t *count)
{
    *count = NANTIGENS;
    return antigens;
}

const hb_blood_antigen *hb_blood_antigen_find(const char *code, size_t len)
{
    for (size_t i = 0; i < NANTIGENS; i++)
        if (strlen(antigens[i].code) == len && memcmp(antigens[i].code, code, len) == 0)
            return &antigens[i];
    return NULL;
}

void hb_blood_antigen_isbt_number(char out[7], const hb_blood_antigen *a)
{
    snprintf(out, 7, "%03u%03u", a->system_number % 1000u, a->number % 1000u);
}

static const hb_blood_antigen *find_numeric(const char *system, size_t len, unsigned number)
{
    for (size_t i = 0; i < NANTIGENS; i++)
        if (strlen(antigens[i].system) == len && memcmp(antigens[i].system, system, len) == 0 &&
            antigens[i].number == number)
            return &antigens[i];
    return NULL;
}

static bool system_known(const char *system, size_t len)
{
    for (size_t i = 0; i < NANTIGENS; i++)
        if (strlen(antigens[i].system) == len && memcmp(antigens[i].system, system, len) == 0)
            return true;
    return false;
}

/* The scanner's state: the text, the position, the token being read (for messages). */
typedef struct scanner {
    const char *s;
    size_t len, pos;
    size_t token; /* start of the current token */
    hb_blood_phenotype *ph;
    bool predicted;
} scanner;

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_separator(const scanner *sc, size_t i)
{
    return i >= sc->len || sc->s[i] == ' ' || sc->s[i] == ';' || sc->s[i] == '\t';
}

static int token_error(const scanner *sc, const char *fmt, ...) HB_PRINTF(2, 3);

/* Record "'<token>': <reason>" and return HB_EINVAL. */
static int token_error(const scanner *sc, const char *fmt, ...)
{
    size_t end = sc->token;
    while (!is_separator(sc, end))
        end++;
    int n = (int)(end - sc->token > 60 ? 60 : end - sc->token);
    char reason[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return hb_error_set(HB_EINVAL, "'%.*s': %s", n, sc->s + sc->token, reason);
}

/* A length for "%.*s" in messages: at most 40 bytes of user text. */
static int clip(size_t len)
{
    return (int)(len > 40 ? 40 : len);
}

/* A sign at sc->pos: '+' (optionally "+w"), '-' or U+2212. *absent gets which. */
static bool read_sign(scanner *sc, bool *absent)
{
    const char *p = sc->s + sc->pos;
    size_t left = sc->len - sc->pos;
    if (left >= 1 && p[0] == '+') {
        sc->pos += left >= 2 && p[1] == 'w' ? 2 : 1;
        *absent = false;
        return true;
    }
    if (left >= 1 && p[0] == '-') {
        sc->pos++;
        *absent = true;
        return true;
    }
    if (left >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x88 &&
        (unsigned char)p[2] == 0x92) {
        sc->pos += 3;
        *absent = true;
        return true;
    }
    return false;
}

static int set_state(scanner *sc, const hb_blood_antigen *a, bool absent)
{
    uint64_t bit = UINT64_C(1) << a->bit;
    if ((sc->ph->pos | sc->ph->neg) & bit)
        return token_error(sc, "%.*s is given twice", clip(strlen(a->code)), a->code);
    if (absent)
        sc->ph->neg |= bit;
    else
        sc->ph->pos |= bit;
    if (sc->predicted)
        sc->ph->predicted |= bit;
    return 0;
}

static int lookup_code(scanner *sc, const char *code, size_t n, const hb_blood_antigen **out)
{
    *out = hb_blood_antigen_find(code, n);
    if (*out)
        return 0;
    if (n == 1 && code[0] == 'D')
        return token_error(sc, "%.*s: RhD has its own field (rhd), not the phenotype", clip(n),
                           code);
    return token_error(sc, "unknown antigen '%.*s' (see 'healthybay blood antigens')", clip(n),
                       code);
}

/* SYSTEM ':' [-]number {',' [-]number}, the system already read as s[start..colon). */
static int read_numeric(scanner *sc, size_t start, size_t colon)
{
    const char *system = sc->s + start;
    size_t slen = colon - start;
    if (!system_known(system, slen))
        return token_error(sc, "no antigen of system '%.*s' is typed here", clip(slen), system);
    sc->pos = colon + 1;
    do {
        bool absent = sc->pos < sc->len && sc->s[sc->pos] == '-';
        sc->pos += absent;
        unsigned number = 0;
        size_t digits = 0;
        while (sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9' && digits < 4) {
            number = number * 10 + (unsigned)(sc->s[sc->pos++] - '0');
            digits++;
        }
        if (digits == 0)
            return token_error(sc, "expected an antigen number after '%.*s:'", clip(slen), system);
        const hb_blood_antigen *a = find_numeric(system, slen, number);
        if (!a)
            return token_error(sc, "antigen %.*s%u is not typed here", clip(slen), system, number);
        int rc = set_state(sc, a, absent);
        if (rc < 0)
            return rc;
    } while (sc->pos < sc->len && sc->s[sc->pos] == ',' && ++sc->pos);
    return is_separator(sc, sc->pos)
               ? 0
               : token_error(sc, "unexpected '%.*s'", clip(1), sc->s + sc->pos);
}

/* PREFIX '(' {letters sign} ')', the prefix already read as s[start..paren). */
static int read_paired(scanner *sc, size_t start, size_t paren)
{
    char code[16];
    size_t plen = paren - start;
    if (plen > 8)
        return token_error(sc, "unknown antigen prefix '%.*s'", clip(plen), sc->s + start);
    memcpy(code, sc->s + start, plen);
    sc->pos = paren + 1;
    while (sc->pos < sc->len && sc->s[sc->pos] != ')') {
        size_t n = 0;
        while (sc->pos < sc->len && is_alnum(sc->s[sc->pos]) && plen + n < 15)
            code[plen + n++] = sc->s[sc->pos++];
        bool absent;
        if (n == 0 || !read_sign(sc, &absent))
            return token_error(sc, "expected an antigen letter and a sign inside '%.*s(…)'",
                               clip(plen), code);
        const hb_blood_antigen *a;
        int rc = lookup_code(sc, code, plen + n, &a);
        if (rc == 0)
            rc = set_state(sc, a, absent);
        if (rc < 0)
            return rc;
    }
    if (sc->pos >= sc->len)
        return token_error(sc, "missing ')' after '%.*s('", clip(plen), code);
    sc->pos++;
    return is_separator(sc, sc->pos)
               ? 0
               : token_error(sc, "unexpected '%.*s'", clip(1), sc->s + sc->pos);
}

/* One token starting at sc->pos. */
static int read_token(scanner *sc)
{
    sc->token = sc->pos;
    size_t start = sc->pos;
    while (sc->pos < sc->len && is_alnum(sc->s[sc->pos]))
        sc->pos++;
    if (sc->pos > start && sc->pos < sc->len && sc->s[sc->pos] == ':')
        return read_numeric(sc, start, sc->pos);
    if (sc->pos > start && sc->pos < sc->len && sc->s[sc->pos] == '(')
        return read_paired(sc, start, sc->pos);
    sc->pos = start;
    while (!is_separator(sc, sc->pos)) {
        size_t code = sc->pos;
        while (sc->pos < sc->len && is_alnum(sc->s[sc->pos]))
            sc->pos++;
        size_t n = sc->pos - code;
        bool absent;
        if (n == 0)
            return token_error(sc, "expected an antigen code at '%.*s'", clip(1), sc->s + code);
        if (!read_sign(sc, &absent))
            return token_error(sc, "'%.*s' needs a sign: + (present) or - (absent)", clip(n),
                               sc->s + code);
        const hb_blood_antigen *a;
        int rc = lookup_code(sc, sc->s + code, n, &a);
        if (rc == 0)
            rc = set_state(sc, a, absent);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int hb_blood_phenotype_parse(hb_blood_phenotype *ph, const char *text, size_t len, bool predicted)
{
    if (len > HB_BLOOD_PHENOTYPE_TEXT_MAX)
        return hb_error_set(HB_ELIMIT, "phenotype longer than %d bytes",
                            HB_BLOOD_PHENOTYPE_TEXT_MAX);
    scanner sc = { .s = text, .len = len, .ph = ph, .predicted = predicted };
    while (sc.pos < len) {
        if (is_separator(&sc, sc.pos)) {
            sc.pos++;
            continue;
        }
        int rc = read_token(&sc);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int hb_blood_phenotype_format(hb_buf *out, const hb_blood_phenotype *ph, hb_blood_states which)
{
    uint64_t want = which == HB_STATES_PREDICTED ? ph->predicted : ~ph->predicted;
    bool first = true;
    int rc = hb_buf_puts(out, "");
    for (size_t i = 0; rc == 0 && i < NANTIGENS; i++) {
        uint64_t bit = UINT64_C(1) << antigens[i].bit;
        if (!((ph->pos | ph->neg) & want & bit))
            continue;
        rc = hb_buf_printf(out, "%s%s%c", first ? "" : " ", antigens[i].code,
                           ph->neg & bit ? '-' : '+');
        first = false;
    }
    return rc;
}

int hb_blood_antigen_list_parse(uint64_t *mask, const char *text, size_t len)
{
    *mask = 0;
    size_t i = 0;
    while (i < len) {
        if (text[i] == ',' || text[i] == ' ' || text[i] == ';') {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && text[i] != ',' && text[i] != ' ' && text[i] != ';')
            i++;
        const char *code = text + start;
        size_t n = i - start;
        if (n > 5 && memcmp(code, "anti-", 5) == 0) {
            code += 5;
            n -= 5;
        }
        const hb_blood_antigen *a = hb_blood_antigen_find(code, n);
        if (!a)
            return hb_error_set(HB_EINVAL,
                                "unknown antigen '%.*s' (codes are case-sensitive; see "
                                "'healthybay blood antigens')",
                                (int)(n > 40 ? 40 : n), code);
        *mask |= UINT64_C(1) << a->bit;
    }
    return 0;
}

int hb_blood_antigen_list_format(hb_buf *out, uint64_t mask)
{
    bool first = true;
    int rc = hb_buf_puts(out, "");
    for (size_t i = 0; rc == 0 && i < NANTIGENS; i++)
        if (mask >> antigens[i].bit & 1u) {
            rc = hb_buf_printf(out, "%s%s", first ? "" : ",", antigens[i].code);
            first = false;
        }
    return rc;
}

static const char *const abo_names[] = { "O", "A", "B", "AB" };

int hb_blood_abo_parse(hb_blood_abo *out, const char *text, size_t len)
{
    for (unsigned i = 0; i < 4; i++)
        if (strlen(abo_names[i]) == len && memcmp(abo_names[i], text, len) == 0) {
            *out = (hb_blood_abo)i;
            return 0;
        }
    return hb_error_set(HB_EINVAL, "'%.*s' is not an ABO group (O, A, B or AB)",
                        (int)(len > 20 ? 20 : len), text);
}

int hb_blood_rhd_parse(hb_blood_rhd *out, const char *text, size_t len)
{
    if ((len == 3 && memcmp(text, "pos", 3) == 0) || (len == 1 && text[0] == '+')) {
        *out = HB_RHD_POS;
        return 0;
    }
    if ((len == 3 && memcmp(text, "neg", 3) == 0) || (len == 1 && text[0] == '-')) {
        *out = HB_RHD_NEG;
        return 0;
    }
    return hb_error_set(HB_EINVAL, "'%.*s' is not an RhD type (pos or neg)",
                        (int)(len > 20 ? 20 : len), text);
}

const char *hb_blood_abo_name(hb_blood_abo abo)
{
    return abo_names[abo & 3u];
}

const char *hb_blood_rhd_name(hb_blood_rhd rhd)
{
    return rhd == HB_RHD_POS ? "pos" : "neg";
}
