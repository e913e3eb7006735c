/*
 * registry/status.c — the import kind status: events that suspend, revoke, withdraw or
 * reinstate an item from a date on. An event never changes the item itself; the status of an
 * item on a day is that of its latest event effective on or before the day (active when none),
 * so a question about a past day gets the answer that was true then.
 */
#include <stdio.h>
#include <string.h>

#include "registry/registry_int.h"

enum { ST_KIND, ST_ITEM, ST_FROM, ST_STATUS, ST_REASON, ST_NCOLS };

static const hb_registry__col status_cols[] = {
    { "kind", HB_RT_ENUM, HB_RC_KEY, "approvals|permits|registrations|accreditations|products" },
    { "item", HB_RT_TEXT, HB_RC_KEY, NULL },
    { "effective_from", HB_RT_DATE, HB_RC_KEY, NULL },
    { "status", HB_RT_ENUM, 0, "active|suspended|revoked|withdrawn" },
    { "reason", HB_RT_TEXT, 0, NULL },
};
_Static_assert(sizeof status_cols / sizeof status_cols[0] == ST_NCOLS, "columns");

/* The jurisdiction whose authority decides an item's status; "" for products (any authority). */
static const char *const owner_sql[] = {
    "SELECT 'GD'",
    "SELECT 'GD'",
    "SELECT r.jurisdiction FROM hb_registry_registrations g JOIN hb_registry_registers r"
    " ON r.code = g.register WHERE g.register || '/' || g.number = ?",
    "SELECT i.jurisdiction FROM hb_registry_accreditations a JOIN hb_registry_institutions i"
    " ON i.code = a.institution WHERE a.standard || '/' || a.reference = ?",
    "SELECT ''",
};

static int check_status(hb_registry__import *imp, char *const *cells)
{
    static const char *const kinds[] = { "approvals", "permits", "registrations", "accreditations",
                                         "products" };
    hb_registry__row row;
    int rc = hb_registry__query(imp->store, &row,
                                "SELECT 1 FROM hb_registry_changes WHERE kind = ? AND item = ?",
                                cells[ST_KIND], cells[ST_ITEM], NULL);
    if (rc < 0)
        return rc;
    if (!row.found) {
        hb_registry__reject(imp, ST_ITEM, "no %s item '%s' (the key columns joined with '/')",
                            cells[ST_KIND], cells[ST_ITEM]);
        return 0;
    }
    size_t k = 0;
    while (strcmp(kinds[k], cells[ST_KIND]) != 0)
        k++;
    rc = strchr(owner_sql[k], '?')
             ? hb_registry__query(imp->store, &row, owner_sql[k], cells[ST_ITEM], NULL)
             : hb_registry__query(imp->store, &row, owner_sql[k], NULL);
    if (rc < 0)
        return rc;
    if (row.col[0][0])
        hb_registry__require_authority(imp, ST_ITEM, row.col[0], "the status of this item");
    else if (imp->caller->role != HB_REGISTRY_OPERATOR &&
             imp->caller->role != HB_REGISTRY_AUTHORITY)
        hb_registry__deny(imp, ST_ITEM, "only a health authority may change a status");
    return 0;
}

const hb_registry__kind hb_registry__status_kind = {
    .name = "status",
    .table = "hb_registry_status",
    .cols = status_cols,
    .ncols = HB_REGISTRY__NCOLS(status_cols),
    .person_col = -1,
    .check = check_status,
};
