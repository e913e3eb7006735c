/*
 * registry/accreditation.c — the import kinds standards and accreditations, and the listing by
 * standard (see accreditation.h).
 */
#include "registry/accreditation.h"

#include <stdio.h>
#include <string.h>

#include "registry/registry_int.h"
#include "util/parse.h"

static const hb_registry__col standard_cols[] = {
    { "code", HB_RT_CODE, HB_RC_KEY, NULL },
    { "name_en", HB_RT_TEXT, 0, NULL },
    { "name_zh_hans", HB_RT_TEXT, 0, NULL },
    { "name_zh_hant", HB_RT_TEXT, 0, NULL },
    { "body", HB_RT_TEXT, 0, NULL },
    { "levels", HB_RT_LIST, 0, NULL },
    { "max_cycle_months", HB_RT_INTOPT, 0, NULL },
    { "source", HB_RT_OPT, 0, NULL },
};

const hb_registry__kind hb_registry__standards = {
    .name = "standards",
    .table = "hb_registry_standards",
    .cols = standard_cols,
    .ncols = HB_REGISTRY__NCOLS(standard_cols),
    .person_col = -1,
    .check = hb_registry__operator_only,
};

enum { AC_STANDARD, AC_REFERENCE, AC_INSTITUTION, AC_LEVEL, AC_SCOPE, AC_FROM, AC_TO, AC_NCOLS };

static const hb_registry__col accreditation_cols[] = {
    { "standard", HB_RT_REF, HB_RC_KEY, "hb_registry_standards.code" },
    { "reference", HB_RT_TEXT, HB_RC_KEY, NULL },
    { "institution", HB_RT_REF, 0, "hb_registry_institutions.code" },
    { "level", HB_RT_OPT, 0, NULL },
    { "scope", HB_RT_OPT, 0, NULL },
    { "valid_from", HB_RT_DATE, 0, NULL },
    { "valid_to", HB_RT_DATE, 0, NULL },
};
_Static_assert(sizeof accreditation_cols / sizeof accreditation_cols[0] == AC_NCOLS, "columns");

/* The level must be one the standard awards; the period no longer than its cycle. */
static int check_accreditation(hb_registry__import *imp, char *const *cells)
{
    hb_registry__row std, inst;
    int rc = hb_registry__query(imp->store, &std,
                                "SELECT levels, max_cycle_months FROM hb_registry_standards"
                                " WHERE code = ?",
                                cells[AC_STANDARD], NULL);
    if (rc == 0)
        rc = hb_registry__query(imp->store, &inst,
                                "SELECT jurisdiction FROM hb_registry_institutions WHERE code = ?",
                                cells[AC_INSTITUTION], NULL);
    if (rc < 0)
        return rc;
    if (std.col[0][0] && !cells[AC_LEVEL])
        hb_registry__reject(imp, AC_LEVEL, "%s awards a level: one of %s", cells[AC_STANDARD],
                            std.col[0]);
    else if (cells[AC_LEVEL] && !hb_registry__list_has(std.col[0], cells[AC_LEVEL]))
        hb_registry__reject(imp, AC_LEVEL, "'%s' is not a level of %s%s%s", cells[AC_LEVEL],
                            cells[AC_STANDARD], std.col[0][0] ? " (levels: " : " (it has none",
                            std.col[0][0] ? std.col[0] : ")");
    hb_date from = hb_registry__date(cells[AC_FROM]), to = hb_registry__date(cells[AC_TO]);
    int64_t months = 0;
    char last[HB_DATE_STRLEN];
    if (to < from)
        hb_registry__reject(imp, AC_TO, "%s is before valid_from %s", cells[AC_TO], cells[AC_FROM]);
    else if (std.col[1][0] && hb_parse_int64(&months, std.col[1], strlen(std.col[1])) == 0 &&
             to > hb_registry__period_end(from, (int)months))
        hb_registry__reject(imp, AC_TO, "longer than a %s cycle (%lld months): at most to %s",
                            cells[AC_STANDARD], (long long)months,
                            hb_date_format(last, hb_registry__period_end(from, (int)months)));
    hb_registry__require_authority(imp, AC_INSTITUTION, inst.col[0],
                                   "accreditations of its institutions");
    return 0;
}

const hb_registry__kind hb_registry__accreditations = {
    .name = "accreditations",
    .table = "hb_registry_accreditations",
    .cols = accreditation_cols,
    .ncols = HB_REGISTRY__NCOLS(accreditation_cols),
    .valid_from = "valid_from",
    .valid_to = "valid_to",
    .has_status = true,
    .person_col = -1,
    .check = check_accreditation,
};

/* The status of one accreditation row on day: its events first, then its period. */
static int award_status(hb_store *store, const char *standard, const char *reference,
                        const char *from, const char *to, const char *day, const char **out)
{
    char item[2 * HB_REGISTRY_VALUE_MAX];
    hb_registry_status st;
    snprintf(item, sizeof item, "%s/%s", standard, reference);
    int rc = hb_registry__status_on(store, &st, "accreditations", item, day, NULL, NULL);
    *out = hb_registry_status_name(st);
    if (rc == 0 && st == HB_REGISTRY_ACTIVE && strcmp(from, day) > 0)
        *out = "not_yet_valid";
    else if (rc == 0 && st == HB_REGISTRY_ACTIVE && strcmp(to, day) < 0)
        *out = "expired";
    return rc;
}

int hb_registry_accreditations(hb_store *store, const char *standard, hb_date on, bool all,
                               hb_table **out)
{
    static const char *const names[] = { "standard",     "reference",    "institution", "name_en",
                                         "name_zh_hant", "jurisdiction", "level",       "scope",
                                         "valid_from",   "valid_to",     "status" };
    char day[HB_DATE_STRLEN];
    hb_date_format(day, on);
    hb_table *t;
    hb_stmt *st;
    int rc = hb_table_new(&t, 11, names, NULL);
    if (rc < 0)
        return rc;
    if ((rc = hb_store_prepare(store, &st,
                               "SELECT a.standard, a.reference, a.institution, i.name_en,"
                               " i.name_zh_hant, i.jurisdiction, a.level, a.scope, a.valid_from,"
                               " a.valid_to FROM hb_registry_accreditations a"
                               " JOIN hb_registry_institutions i ON i.code = a.institution"
                               " WHERE CAST(? AS TEXT) IS NULL OR a.standard = ?"
                               " ORDER BY a.standard, i.jurisdiction, a.institution,"
                               " a.valid_from")) < 0) {
        hb_table_free(t);
        return rc;
    }
    if ((rc = hb_stmt_bind_cstr(st, 1, standard)) == 0)
        rc = hb_stmt_bind_cstr(st, 2, standard);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        const char *cells[11];
        for (int c = 0; c < 10; c++)
            cells[c] = hb_stmt_is_null(st, c) ? NULL : hb_stmt_text(st, c, NULL);
        rc = award_status(store, cells[0], cells[1], cells[8], cells[9], day, &cells[10]);
        if (rc == 0 && (all || strcmp(cells[10], "active") == 0))
            rc = hb_table_add_row(t, cells);
    }
    hb_stmt_finalize(st);
    if (rc < 0) {
        hb_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
