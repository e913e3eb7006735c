/*
 * warn/series_db.h — the stored counts as time series, ready for detection, Rt and forecasts.
 *
 * Every (disease, measure, region, age group, sex) with data up to a date becomes one series on
 * a regular grid from its first to its last reported period: monthly when every date is the
 * first of a month, weekly when all dates are whole weeks apart, daily otherwise. A period with no
 * row is missing (NAN): "not reported" is not "zero cases". A `cases` series carries the matching
 * `imported_cases` values, aligned (0 where none were reported), for Rt with local and imported
 * cases.
 */
#ifndef HB_WARN_SERIES_DB_H
#define HB_WARN_SERIES_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "healthybay/common.h"
#include "store/store.h"
#include "warn/alerts.h"

typedef struct hb_db_series {
    hb_series_key key;
    bool is_count;   /* the measure is a count (else a rate) */
    int freq;        /* 365, 52 or 12; 0 for a single period (no frequency to infer) */
    int period_days; /* 1, 7 or 30 */
    size_t length;
    hb_date *dates;   /* regular grid, first to last reported period */
    double *values;   /* NAN where nothing was reported */
    double *imported; /* `cases` series only: imported cases, else NULL */
} hb_db_series;

typedef struct hb_db_series_set hb_db_series_set;

/* Load every series with data on or before upto (and, when disease is not NULL, of that
 * disease only). */
int hb_db_series_load(hb_store *store, hb_date upto, const char *disease, hb_db_series_set **out);
size_t hb_db_series_count(const hb_db_series_set *set);
const hb_db_series *hb_db_series_at(const hb_db_series_set *set, size_t i);
void hb_db_series_free(hb_db_series_set *set);

#endif
