/*
 * warn/view.h — what the dashboard and the API show of the early warning, as JSON documents:
 *
 *   the overview: every region with the level of its open alerts (for the map) and, per
 *   jurisdiction, the open alerts by level and the latest run and report;
 *
 *   one series: its reported values, each screened period's numbers per method (expected,
 *   threshold, alarm), its Rt estimates and its latest forecast.
 */
#ifndef HB_WARN_VIEW_H
#define HB_WARN_VIEW_H

#include <jansson.h>

#include "store/store.h"
#include "warn/alerts.h"

/* jurisdiction: only its regions (GD, HK or MO); NULL: all three. *out is a new object. */
int hb_warn_overview(hb_store *store, const char *jurisdiction, json_t **out);

/* The jurisdiction a region belongs to, into out[8]; HB_ENOTFOUND for an unknown region. */
int hb_warn_region_jurisdiction(hb_store *store, const char *region, char out[8]);

/* One series (see the file comment); HB_ENOTFOUND when nothing was ever reported for it. */
int hb_warn_series_view(hb_store *store, const hb_series_key *key, json_t **out);

#endif
