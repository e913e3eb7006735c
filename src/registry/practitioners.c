/*
 * registry/practitioners.c — the import kinds of the practitioner registry and its rule data
 * (categories, registers, schemes), and the restricted-fields policy (see practitioners.h).
 */
#include "registry/practitioners.h"

#include <stdio.h>
#include <string.h>

#include "registry/registry_int.h"
#include "util/parse.h"

static const hb_registry__col category_cols[] = {
    { "code", HB_RT_CODE, HB_RC_KEY, NULL }, { "name_en", HB_RT_TEXT, 0, NULL },
    { "name_zh_hans", HB_RT_TEXT, 0, NULL }, { "name_zh_hant", HB_RT_TEXT, 0, NULL },
    { "name_pt", HB_RT_OPT, 0, NULL },
};

const hb_registry__kind hb_registry__categories = {
    .name = "categories",
    .table = "hb_registry_categories",
    .cols = category_cols,
    .ncols = HB_REGISTRY__NCOLS(category_cols),
    .person_col = -1,
    .check = hb_registry__operator_only,
};

static const hb_registry__col register_cols[] = {
    { "code", HB_RT_CODE, HB_RC_KEY, NULL },
    { "jurisdiction", HB_RT_ENUM, 0, "HK|MO" },
    { "name_en", HB_RT_TEXT, 0, NULL },
    { "name_zh_hant", HB_RT_TEXT, 0, NULL },
    { "categories", HB_RT_CODELIST, 0, "hb_registry_categories.code" },
    { "authority", HB_RT_TEXT, 0, NULL },
    { "source", HB_RT_OPT, 0, NULL },
};

const hb_registry__kind hb_registry__registers = {
    .name = "registers",
    .table = "hb_registry_registers",
    .cols = register_cols,
    .ncols = HB_REGISTRY__NCOLS(register_cols),
    .person_col = -1,
    .check = hb_registry__operator_only,
};

enum { S_CODE, S_FROM, S_TO, S_MAX_MONTHS = 8, S_NCOLS = 13 };

static const hb_registry__col scheme_cols[] = {
    { "code", HB_RT_CODE, HB_RC_KEY, NULL },
    { "valid_from", HB_RT_DATE, HB_RC_KEY, NULL },
    { "valid_to", HB_RT_DATEOPT, 0, NULL },
    { "name_en", HB_RT_TEXT, 0, NULL },
    { "name_zh_hans", HB_RT_TEXT, 0, NULL },
    { "home_jurisdictions", HB_RT_TEXT, 0, NULL },
    { "categories", HB_RT_CODELIST, 0, "hb_registry_categories.code" },
    { "area", HB_RT_ENUM, 0, "hengqin|gba" },
    { "max_validity_months", HB_RT_INTOPT, 0, NULL },
    { "min_practice_years", HB_RT_INTOPT, 0, NULL },
    { "issuer", HB_RT_TEXT, 0, NULL },
    { "legal_basis", HB_RT_TEXT, 0, NULL },
    { "source", HB_RT_OPT, 0, NULL },
};
_Static_assert(sizeof scheme_cols / sizeof scheme_cols[0] == S_NCOLS, "columns");

const hb_registry__kind hb_registry__schemes = {
    .name = "schemes",
    .table = "hb_registry_schemes",
    .cols = scheme_cols,
    .ncols = HB_REGISTRY__NCOLS(scheme_cols),
    .valid_from = "valid_from",
    .valid_to = "valid_to",
    .person_col = -1,
    .check = hb_registry__operator_only,
};

enum { PR_ID, PR_HOME, PR_CATEGORY, PR_NCOLS = 11 };

static const hb_registry__col practitioner_cols[] = {
    { "id", HB_RT_CODE, HB_RC_KEY, NULL },
    { "home_jurisdiction", HB_RT_ENUM, 0, "HK|MO" },
    { "category", HB_RT_REF, 0, "hb_registry_categories.code" },
    { "name_en", HB_RT_TEXT, 0, NULL },
    { "name_zh_hant", HB_RT_OPT, 0, NULL },
    { "name_zh_hans", HB_RT_OPT, 0, NULL },
    { "specialty", HB_RT_OPT, 0, NULL },
    { "sex", HB_RT_ENUMOPT, HB_RC_RESTRICTED, "female|male|other|unknown" },
    { "date_of_birth", HB_RT_DATEOPT, HB_RC_RESTRICTED, NULL },
    { "phone", HB_RT_OPT, HB_RC_RESTRICTED, NULL },
    { "email", HB_RT_OPT, HB_RC_RESTRICTED, NULL },
};
_Static_assert(sizeof practitioner_cols / sizeof practitioner_cols[0] == PR_NCOLS, "columns");

/* The home regulator records its professionals; Guangdong may too, when issuing a permit. */
static int check_practitioner(hb_registry__import *imp, char *const *cells)
{
    const hb_registry_caller *c = imp->caller;
    if (c->role == HB_REGISTRY_AUTHORITY && c->jurisdiction && strcmp(c->jurisdiction, "GD") == 0)
        return 0;
    hb_registry__require_authority(imp, PR_HOME, cells[PR_HOME], "its own professionals");
    return 0;
}

const hb_registry__kind hb_registry__practitioners = {
    .name = "practitioners",
    .table = "hb_registry_practitioners",
    .cols = practitioner_cols,
    .ncols = HB_REGISTRY__NCOLS(practitioner_cols),
    .person_col = PR_ID,
    .check = check_practitioner,
};

enum { RG_REGISTER, RG_NUMBER, RG_PERSON, RG_FROM, RG_TO, RG_NCOLS };

static const hb_registry__col registration_cols[] = {
    { "register", HB_RT_REF, HB_RC_KEY, "hb_registry_registers.code" },
    { "number", HB_RT_TEXT, HB_RC_KEY, NULL },
    { "practitioner", HB_RT_REF, 0, "hb_registry_practitioners.id" },
    { "registered_from", HB_RT_DATE, 0, NULL },
    { "registered_to", HB_RT_DATEOPT, 0, NULL },
};
_Static_assert(sizeof registration_cols / sizeof registration_cols[0] == RG_NCOLS, "columns");

/* The register must cover the person's category; only its jurisdiction's authority writes it. */
static int check_registration(hb_registry__import *imp, char *const *cells)
{
    hb_registry__row reg, person;
    int rc = hb_registry__query(imp->store, &reg,
                                "SELECT jurisdiction, categories FROM hb_registry_registers"
                                " WHERE code = ?",
                                cells[RG_REGISTER], NULL);
    if (rc == 0)
        rc = hb_registry__query(imp->store, &person,
                                "SELECT category FROM hb_registry_practitioners WHERE id = ?",
                                cells[RG_PERSON], NULL);
    if (rc < 0)
        return rc;
    if (!hb_registry__list_has(reg.col[1], person.col[0]))
        hb_registry__reject(imp, RG_REGISTER, "%s does not register %s (it registers %s)",
                            cells[RG_REGISTER], person.col[0], reg.col[1]);
    if (cells[RG_TO] && strcmp(cells[RG_TO], cells[RG_FROM]) < 0)
        hb_registry__reject(imp, RG_TO, "%s is before registered_from %s", cells[RG_TO],
                            cells[RG_FROM]);
    hb_registry__require_authority(imp, RG_REGISTER, reg.col[0], "registrations in its registers");
    return 0;
}

const hb_registry__kind hb_registry__registrations = {
    .name = "registrations",
    .table = "hb_registry_registrations",
    .cols = registration_cols,
    .ncols = HB_REGISTRY__NCOLS(registration_cols),
    .valid_from = "registered_from",
    .valid_to = "registered_to",
    .has_status = true,
    .person_col = RG_PERSON,
    .check = check_registration,
};

enum {
    PM_NO,
    PM_PERSON,
    PM_SCHEME,
    PM_CATEGORY,
    PM_ISSUER,
    PM_ISSUED_ON,
    PM_FROM,
    PM_TO,
    PM_SCOPE,
    PM_NCOLS
};

static const hb_registry__col permit_cols[] = {
    { "permit_no", HB_RT_TEXT, HB_RC_KEY, NULL },
    { "practitioner", HB_RT_REF, 0, "hb_registry_practitioners.id" },
    { "scheme", HB_RT_CODE, 0, NULL },
    { "category", HB_RT_REF, 0, "hb_registry_categories.code" },
    { "issuer", HB_RT_TEXT, 0, NULL },
    { "issued_on", HB_RT_DATEOPT, 0, NULL },
    { "valid_from", HB_RT_DATE, 0, NULL },
    { "valid_to", HB_RT_DATE, 0, NULL },
    { "scope", HB_RT_OPT, 0, NULL },
};
_Static_assert(sizeof permit_cols / sizeof permit_cols[0] == PM_NCOLS, "columns");

/* A whole number the column type has already checked (stored rule data). */
static int64_t small_int(const char *text)
{
    int64_t n = 0;
    return hb_parse_int64(&n, text, strlen(text)) == 0 && n >= 0 && n < 10000 ? n : 0;
}

/* The permit's period: in order, and no longer than the scheme allows. */
static void check_validity(hb_registry__import *imp, char *const *cells, const char *max_months)
{
    hb_date from = hb_registry__date(cells[PM_FROM]), to = hb_registry__date(cells[PM_TO]);
    char last[HB_DATE_STRLEN];
    if (to < from) {
        hb_registry__reject(imp, PM_TO, "%s is before valid_from %s", cells[PM_TO], cells[PM_FROM]);
        return;
    }
    if (!max_months[0])
        return;
    hb_date end = hb_registry__period_end(from, (int)small_int(max_months));
    if (to > end)
        hb_registry__reject(imp, PM_TO,
                            "longer than the %s scheme allows (%s months): the last day may be %s",
                            cells[PM_SCHEME], max_months, hb_date_format(last, end));
}

/* Home practice before the permit: the earliest home registration, n years before valid_from. */
static int check_practice_years(hb_registry__import *imp, char *const *cells, const char *homes,
                                const char *years)
{
    hb_registry__row first;
    int rc = hb_registry__query(imp->store, &first,
                                "SELECT min(g.registered_from), min(r.jurisdiction),"
                                " max(r.jurisdiction) FROM hb_registry_registrations g"
                                " JOIN hb_registry_registers r ON r.code = g.register"
                                " WHERE g.practitioner = ?",
                                cells[PM_PERSON], NULL);
    if (rc < 0)
        return rc;
    int64_t n = small_int(years);
    if (!first.col[0][0] || (!hb_registry__list_has(homes, first.col[1]) &&
                             !hb_registry__list_has(homes, first.col[2]))) {
        hb_registry__reject(imp, PM_PERSON,
                            "%s has no home registration on record; the scheme requires %lld "
                            "years of practice in %s first (import registrations first)",
                            cells[PM_PERSON], (long long)n, homes);
        return 0;
    }
    hb_date since = hb_registry__date(first.col[0]);
    hb_date needed = hb_date_add_months(since, (int)(n * 12));
    char needed_text[HB_DATE_STRLEN];
    if (needed > hb_registry__date(cells[PM_FROM]))
        hb_registry__reject(imp, PM_FROM,
                            "the scheme requires %lld years of home practice first: registered "
                            "since %s, so not before %s",
                            (long long)n, first.col[0], hb_date_format(needed_text, needed));
    return 0;
}

/* The scheme version in force on valid_from decides. */
static int check_permit(hb_registry__import *imp, char *const *cells)
{
    hb_registry__row s, person;
    int rc = hb_registry__query(imp->store, &s,
                                "SELECT home_jurisdictions, categories, max_validity_months,"
                                " min_practice_years, valid_from FROM hb_registry_schemes"
                                " WHERE code = ? AND valid_from <= ?"
                                " AND (valid_to IS NULL OR valid_to >= ?)",
                                cells[PM_SCHEME], cells[PM_FROM], cells[PM_FROM], NULL);
    if (rc == 0)
        rc = hb_registry__query(imp->store, &person,
                                "SELECT home_jurisdiction, category FROM hb_registry_practitioners"
                                " WHERE id = ?",
                                cells[PM_PERSON], NULL);
    if (rc < 0)
        return rc;
    hb_registry__require_authority(imp, PM_NO, "GD", "mainland practice permits");
    if (!s.found) {
        hb_registry__reject(imp, PM_SCHEME,
                            "no scheme '%s' in force on %s (see 'healthybay registry list "
                            "schemes')",
                            cells[PM_SCHEME], cells[PM_FROM]);
        return 0;
    }
    if (!hb_registry__list_has(s.col[0], person.col[0]))
        hb_registry__reject(imp, PM_PERSON, "%s is from %s; the %s scheme admits %s",
                            cells[PM_PERSON], person.col[0], cells[PM_SCHEME], s.col[0]);
    if (strcmp(cells[PM_CATEGORY], person.col[1]) != 0)
        hb_registry__reject(imp, PM_CATEGORY, "%s is registered as %s, not %s", cells[PM_PERSON],
                            person.col[1], cells[PM_CATEGORY]);
    else if (!hb_registry__list_has(s.col[1], cells[PM_CATEGORY]))
        hb_registry__reject(imp, PM_CATEGORY, "the %s scheme does not admit %s (it admits %s)",
                            cells[PM_SCHEME], cells[PM_CATEGORY], s.col[1]);
    check_validity(imp, cells, s.col[2]);
    if (cells[PM_ISSUED_ON] && strcmp(cells[PM_ISSUED_ON], cells[PM_TO]) > 0)
        hb_registry__reject(imp, PM_ISSUED_ON, "issued after the permit ended (%s)", cells[PM_TO]);
    return s.col[3][0] ? check_practice_years(imp, cells, s.col[0], s.col[3]) : 0;
}

const hb_registry__kind hb_registry__permits = {
    .name = "permits",
    .table = "hb_registry_permits",
    .cols = permit_cols,
    .ncols = HB_REGISTRY__NCOLS(permit_cols),
    .valid_from = "valid_from",
    .valid_to = "valid_to",
    .has_status = true,
    .person_col = PM_PERSON,
    .check = check_permit,
};

enum { E_PERSON, E_INSTITUTION, E_FROM, E_TO, E_PERMIT, E_ROLE, E_NCOLS };

static const hb_registry__col employment_cols[] = {
    { "practitioner", HB_RT_REF, HB_RC_KEY, "hb_registry_practitioners.id" },
    { "institution", HB_RT_REF, HB_RC_KEY, "hb_registry_institutions.code" },
    { "valid_from", HB_RT_DATE, HB_RC_KEY, NULL },
    { "valid_to", HB_RT_DATEOPT, 0, NULL },
    { "permit", HB_RT_OPT, 0, NULL },
    { "role", HB_RT_ENUM, 0, "primary|additional" },
};
_Static_assert(sizeof employment_cols / sizeof employment_cols[0] == E_NCOLS, "columns");

/* Practice on the mainland rests on a permit of the person's whose period and area cover it. */
static int check_on_permit(hb_registry__import *imp, char *const *cells, const char *zone)
{
    hb_registry__row p;
    if (!cells[E_PERMIT]) {
        hb_registry__reject(imp, E_PERMIT, "practice in GD needs a mainland permit");
        return 0;
    }
    int rc = hb_registry__query(imp->store, &p,
                                "SELECT p.practitioner, p.valid_from, p.valid_to, s.area"
                                " FROM hb_registry_permits p JOIN hb_registry_schemes s"
                                " ON s.code = p.scheme AND s.valid_from <= p.valid_from"
                                " AND (s.valid_to IS NULL OR s.valid_to >= p.valid_from)"
                                " WHERE p.permit_no = ?",
                                cells[E_PERMIT], NULL);
    if (rc < 0)
        return rc;
    if (!p.found || strcmp(p.col[0], cells[E_PERSON]) != 0) {
        hb_registry__reject(imp, E_PERMIT, "'%s' is not a permit of %s", cells[E_PERMIT],
                            cells[E_PERSON]);
        return 0;
    }
    if (strcmp(cells[E_FROM], p.col[1]) < 0)
        hb_registry__reject(imp, E_FROM, "starts before permit %s (valid from %s)", cells[E_PERMIT],
                            p.col[1]);
    if (!cells[E_TO] || strcmp(cells[E_TO], p.col[2]) > 0)
        hb_registry__reject(imp, E_TO, "must end by the end of permit %s (%s)", cells[E_PERMIT],
                            p.col[2]);
    if (strcmp(p.col[3], "hengqin") == 0 && strcmp(zone, "hengqin") != 0)
        hb_registry__reject(imp, E_INSTITUTION,
                            "permit %s is for the Hengqin cooperation zone; %s is outside it",
                            cells[E_PERMIT], cells[E_INSTITUTION]);
    return 0;
}

static int check_employment(hb_registry__import *imp, char *const *cells)
{
    hb_registry__row inst, person;
    int rc = hb_registry__query(imp->store, &inst,
                                "SELECT jurisdiction, zone FROM hb_registry_institutions"
                                " WHERE code = ?",
                                cells[E_INSTITUTION], NULL);
    if (rc == 0)
        rc = hb_registry__query(imp->store, &person,
                                "SELECT home_jurisdiction FROM hb_registry_practitioners"
                                " WHERE id = ?",
                                cells[E_PERSON], NULL);
    if (rc < 0)
        return rc;
    if (cells[E_TO] && strcmp(cells[E_TO], cells[E_FROM]) < 0)
        hb_registry__reject(imp, E_TO, "%s is before valid_from %s", cells[E_TO], cells[E_FROM]);
    if (strcmp(inst.col[0], person.col[0]) == 0) {
        if (cells[E_PERMIT])
            hb_registry__reject(imp, E_PERMIT, "no permit is needed at home (%s)", inst.col[0]);
    } else if (strcmp(inst.col[0], "GD") == 0) {
        rc = check_on_permit(imp, cells, inst.col[1]);
    } else {
        hb_registry__reject(imp, E_INSTITUTION,
                            "no scheme admits %s professionals to practise in %s", person.col[0],
                            inst.col[0]);
    }
    hb_registry__require_authority(imp, E_INSTITUTION, inst.col[0],
                                   "practice at institutions of its jurisdiction");
    return rc;
}

const hb_registry__kind hb_registry__employments = {
    .name = "employments",
    .table = "hb_registry_employments",
    .cols = employment_cols,
    .ncols = HB_REGISTRY__NCOLS(employment_cols),
    .valid_from = "valid_from",
    .valid_to = "valid_to",
    .person_col = E_PERSON,
    .check = check_employment,
};

static const hb_registry__col title_cols[] = {
    { "practitioner", HB_RT_REF, HB_RC_KEY, "hb_registry_practitioners.id" },
    { "title", HB_RT_TEXT, HB_RC_KEY, NULL },
    { "granted_on", HB_RT_DATE, HB_RC_KEY, NULL },
    { "level", HB_RT_ENUM, 0, "senior_full|senior_associate|intermediate|junior" },
    { "granted_by", HB_RT_TEXT, 0, NULL },
    { "basis", HB_RT_OPT, 0, NULL },
};

/* Titles are mainland professional titles (职称), granted by mainland bodies. */
static int check_title(hb_registry__import *imp, char *const *cells)
{
    (void)cells;
    hb_registry__require_authority(imp, 0, "GD", "professional titles");
    return 0;
}

const hb_registry__kind hb_registry__titles = {
    .name = "titles",
    .table = "hb_registry_titles",
    .cols = title_cols,
    .ncols = HB_REGISTRY__NCOLS(title_cols),
    .person_col = 0,
    .check = check_title,
};

enum { DC_JURISDICTION, DC_CASE, DC_PERSON, DC_AUTHORITY, DC_ACTION, DC_FROM, DC_TO, DC_NCOLS = 8 };

static const hb_registry__col disciplinary_cols[] = {
    { "jurisdiction", HB_RT_ENUM, HB_RC_KEY, "GD|HK|MO" },
    { "case_ref", HB_RT_TEXT, HB_RC_KEY | HB_RC_RESTRICTED, NULL },
    { "practitioner", HB_RT_REF, 0, "hb_registry_practitioners.id" },
    { "authority", HB_RT_TEXT, 0, NULL },
    { "action", HB_RT_ENUM, 0, "warning|reprimand|conditions|suspension|removal" },
    { "effective_from", HB_RT_DATE, 0, NULL },
    { "effective_to", HB_RT_DATEOPT, 0, NULL },
    { "summary", HB_RT_OPT, HB_RC_RESTRICTED, NULL },
};
_Static_assert(sizeof disciplinary_cols / sizeof disciplinary_cols[0] == DC_NCOLS, "columns");

static int check_disciplinary(hb_registry__import *imp, char *const *cells)
{
    if (cells[DC_TO] && strcmp(cells[DC_TO], cells[DC_FROM]) < 0)
        hb_registry__reject(imp, DC_TO, "%s is before effective_from %s", cells[DC_TO],
                            cells[DC_FROM]);
    hb_registry__require_authority(imp, DC_JURISDICTION, cells[DC_JURISDICTION],
                                   "disciplinary actions taken there");
    return 0;
}

const hb_registry__kind hb_registry__disciplinary = {
    .name = "disciplinary",
    .table = "hb_registry_disciplinary",
    .cols = disciplinary_cols,
    .ncols = HB_REGISTRY__NCOLS(disciplinary_cols),
    .valid_from = "effective_from",
    .valid_to = "effective_to",
    .person_col = DC_PERSON,
    .check = check_disciplinary,
};

int hb_registry_sees_restricted(hb_store *store, const hb_registry_caller *caller,
                                const char *person, hb_date on, bool *yes)
{
    *yes = caller->role == HB_REGISTRY_OPERATOR;
    if (caller->role == HB_REGISTRY_OPERATOR || caller->role == HB_REGISTRY_PUBLIC || !caller->org)
        return 0;
    char day[HB_DATE_STRLEN];
    hb_date_format(day, on);
    hb_registry__row row;
    int rc;
    if (caller->role == HB_REGISTRY_INSTITUTION) {
        rc = hb_registry__query(store, &row,
                                "SELECT 1 FROM hb_registry_employments WHERE practitioner = ?"
                                " AND institution = ? AND valid_from <= ?"
                                " AND (valid_to IS NULL OR valid_to >= ?)",
                                person, caller->org, day, day, NULL);
        *yes = rc == 0 && row.found;
        return rc;
    }
    if (!caller->jurisdiction)
        return 0;
    rc = hb_registry__query(store, &row,
                            "SELECT 1 FROM hb_registry_practitioners p WHERE p.id = ?"
                            " AND (p.home_jurisdiction = ? OR (? = 'GD' AND EXISTS"
                            " (SELECT 1 FROM hb_registry_permits m WHERE m.practitioner = p.id)))",
                            person, caller->jurisdiction, caller->jurisdiction, NULL);
    *yes = rc == 0 && row.found;
    return rc;
}
