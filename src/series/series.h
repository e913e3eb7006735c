/*
 * series/series.h — many time series read from one CSV file, checked and ready for the algorithms.
 *
 * The file has a header. `date` (the ISO date a period starts) and the value column (`count` by
 * default) are required; `population` and `imported` are recognised optional columns; every
 * other column is part of the series key, so one file can hold every region × disease × age
 * group. Example:
 *
 *     date,region,disease,count
 *     2024-01-01,810000,influenza,412
 *     2024-01-01,440100,influenza,1290
 *     2024-01-08,810000,influenza,455
 *
 * What is checked (each error names file:line:column, the field and the reason):
 *   - dates are YYYY-MM-DD; monthly data uses the first day of the month;
 *   - values are non-negative and finite; integers when the caller asks for counts; NA or an
 *     empty field only when the caller allows missing values (they become NAN);
 *   - one row per (key, date): a duplicate names both lines;
 *   - rows may come in any order; within a series the dates must be equally spaced — 1 day,
 *     7 days or 1 month, the same for every series — and a missing period inside a series is an
 *     error that names it (surveillance must tell "no report" from "zero cases").
 */
#ifndef HB_SERIES_SERIES_H
#define HB_SERIES_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "healthybay/common.h"

/* Frequencies, as periods per year (R's `freq`). */
#define HB_FREQ_DAILY   365
#define HB_FREQ_WEEKLY  52
#define HB_FREQ_MONTHLY 12

typedef struct hb_series {
    const char *key;          /* the key columns' values as a CSV fragment; "" when none */
    size_t length;            /* number of periods */
    const hb_date *dates;     /* period start dates, strictly increasing, equally spaced */
    const double *values;     /* the value column; NAN where the file says NA or is empty */
    const double *population; /* NULL when the file has no population column */
    const double *imported;   /* NULL when the file has no imported column */
} hb_series;

typedef struct hb_series_options {
    const char *value_column; /* default "count" */
    bool integer_values;      /* values must be whole numbers (counts); default true */
    bool allow_missing;       /* NA / empty values allowed (become NAN); default false */
    int freq;                 /* 0 (default) = infer from the dates; or HB_FREQ_* to insist */
} hb_series_options;

typedef struct hb_series_set hb_series_set;

void hb_series_options_init(hb_series_options *opt);

/* Read a file ("-" = standard input). */
int hb_series_read(hb_series_set **out, const char *path, const hb_series_options *opt);
/* Read CSV text from memory; name is used in messages. */
int hb_series_read_memory(hb_series_set **out, const char *name, const char *data, size_t len,
                          const hb_series_options *opt);

size_t hb_series_count(const hb_series_set *set);
/* Series i, in order of first appearance in the file; borrowed from set. */
const hb_series *hb_series_at(const hb_series_set *set, size_t i);
/* HB_FREQ_DAILY, HB_FREQ_WEEKLY or HB_FREQ_MONTHLY. */
int hb_series_freq(const hb_series_set *set);
/* The key columns' names as a CSV fragment ("region,disease"); "" when none. */
const char *hb_series_key_header(const hb_series_set *set);
void hb_series_free(hb_series_set *set);

/* The date one period after date at the given frequency. */
hb_date hb_series_next_date(hb_date date, int freq);

#endif
