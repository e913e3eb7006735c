/*
 * registry/institutions.c — the institutions every registry refers to (hospitals and clinics of
 * the three jurisdictions) and the designation of mainland institutions for the Hong Kong/Macao
 * medicines and devices policy (港澳药械通), which Guangdong grants in batches and may withdraw.
 *
 * Both start from data/registry/ (cited in data/README.md) and grow by import: an authority
 * records the institutions of its own jurisdiction; designations are Guangdong's.
 */
#include <string.h>

#include "registry/registry_int.h"

enum { I_CODE, I_JURISDICTION, I_REGION, I_ZONE, I_KIND, I_NAME_EN, I_NCOLS = 10 };

static const hb_registry__col institution_cols[] = {
    { "code", HB_RT_CODE, HB_RC_KEY, NULL },
    { "jurisdiction", HB_RT_ENUM, 0, "GD|HK|MO" },
    { "region", HB_RT_REF, 0, "hb_regions.code" },
    { "zone", HB_RT_ENUMOPT, 0, "hengqin" },
    { "kind", HB_RT_ENUM, 0, "hospital|clinic|other" },
    { "name_en", HB_RT_TEXT, 0, NULL },
    { "name_zh_hans", HB_RT_OPT, 0, NULL },
    { "name_zh_hant", HB_RT_OPT, 0, NULL },
    { "name_pt", HB_RT_OPT, 0, NULL },
    { "source", HB_RT_OPT, 0, NULL },
};
_Static_assert(sizeof institution_cols / sizeof institution_cols[0] == I_NCOLS, "columns");

static int check_institution(hb_registry__import *imp, char *const *cells)
{
    hb_registry__row row;
    int rc =
        hb_registry__query(imp->store, &row, "SELECT jurisdiction FROM hb_regions WHERE code = ?",
                           cells[I_REGION], NULL);
    if (rc < 0)
        return rc;
    if (strcmp(row.col[0], cells[I_JURISDICTION]) != 0)
        hb_registry__reject(imp, I_REGION, "region %s is in %s, not %s", cells[I_REGION],
                            row.col[0], cells[I_JURISDICTION]);
    if (cells[I_ZONE] && strcmp(cells[I_JURISDICTION], "GD") != 0)
        hb_registry__reject(imp, I_ZONE, "the Hengqin zone is in GD");
    hb_registry__require_authority(imp, I_JURISDICTION, cells[I_JURISDICTION],
                                   "institutions of that jurisdiction");
    return 0;
}

const hb_registry__kind hb_registry__institutions = {
    .name = "institutions",
    .table = "hb_registry_institutions",
    .cols = institution_cols,
    .ncols = HB_REGISTRY__NCOLS(institution_cols),
    .person_col = -1,
    .check = check_institution,
};

enum { D_INSTITUTION, D_PROGRAMME, D_FROM, D_TO, D_NCOLS = 6 };

static const hb_registry__col designation_cols[] = {
    { "institution", HB_RT_REF, HB_RC_KEY, "hb_registry_institutions.code" },
    { "programme", HB_RT_ENUM, HB_RC_KEY, "drug_device_connect" },
    { "designated_from", HB_RT_DATE, HB_RC_KEY, NULL },
    { "designated_to", HB_RT_DATEOPT, 0, NULL },
    { "batch", HB_RT_INTOPT, 0, NULL },
    { "source", HB_RT_OPT, 0, NULL },
};
_Static_assert(sizeof designation_cols / sizeof designation_cols[0] == D_NCOLS, "columns");

static int check_designation(hb_registry__import *imp, char *const *cells)
{
    hb_registry__row row;
    int rc = hb_registry__query(imp->store, &row,
                                "SELECT jurisdiction FROM hb_registry_institutions WHERE code = ?",
                                cells[D_INSTITUTION], NULL);
    if (rc < 0)
        return rc;
    if (strcmp(row.col[0], "GD") != 0)
        hb_registry__reject(imp, D_INSTITUTION,
                            "%s is in %s: only mainland institutions are designated",
                            cells[D_INSTITUTION], row.col[0]);
    if (cells[D_TO] && strcmp(cells[D_TO], cells[D_FROM]) < 0)
        hb_registry__reject(imp, D_TO, "%s is before designated_from %s", cells[D_TO],
                            cells[D_FROM]);
    hb_registry__require_authority(imp, D_INSTITUTION, "GD", "designations");
    return 0;
}

const hb_registry__kind hb_registry__designations = {
    .name = "designations",
    .table = "hb_registry_designations",
    .cols = designation_cols,
    .ncols = HB_REGISTRY__NCOLS(designation_cols),
    .valid_from = "designated_from",
    .valid_to = "designated_to",
    .person_col = -1,
    .check = check_designation,
};
