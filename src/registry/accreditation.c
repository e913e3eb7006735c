/*
 * registry/accreditation.c — the import kinds standards and accreditations, and the listing by
 * standard (see accreditation.h).
 */
#include "registry/accreditation.h"

#include <stdio.h>
#include <string.h>

#include "registry/registry_int.h"
#include "util/parse.h"

static int operator_only(hb_registry__import *imp, char *const *cells)
{
    (void)cells;
    if (imp->caller->role != HB_REGISTRY_OPERATOR)
        hb_registry__deny(imp, 0, "rule data is changed by a data release, not by an import");
    return 0;
}

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
    "standards", "hb_registry_standards", standard_cols, 8, NULL, NULL, false, -1,
    false,       operator_only,
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
    "accreditations",
    "hb_registry_accreditations",
    accreditation_cols,
    AC_NCOLS,
    "valid_from",
    "valid_to",
    true,
    -1,
    false,
    check_accreditation,
};
