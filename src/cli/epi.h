/*
 * cli/epi.h — what `healthybay rt`, `forecast` and `backtest` share: number options, the
 * serial-interval options, reading the series file and writing key columns.
 */
#ifndef HB_CLI_EPI_H
#define HB_CLI_EPI_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "series/series.h"
#include "util/buf.h"

/* Parse optarg as a finite number > 0 (or >= 0 when zero_ok); prints the usage error itself and
 * returns HB_EXIT_USAGE, else 0. */
int hb_epi_number(const hb_cli_command *cmd, const char *option, const char *text, bool zero_ok,
                  double *out);
/* Parse optarg as an integer in [min, max]; as above. */
int hb_epi_count(const hb_cli_command *cmd, const char *option, const char *text, size_t min,
                 size_t max, size_t *out);

/* The serial interval as given on the command line. */
typedef struct hb_epi_si {
    double mean_days, sd_days; /* --si-mean, --si-sd (NAN when not given) */
    const char *distr_path;    /* --si-distr FILE.csv (day/period,probability), or NULL */
} hb_epi_si;

void hb_epi_si_init(hb_epi_si *si);
bool hb_epi_si_given(const hb_epi_si *si);
/* Check the combination: both of --si-mean/--si-sd, or --si-distr, not both; usage error. */
int hb_epi_si_check(const hb_cli_command *cmd, const hb_epi_si *si, bool required);
/*
 * The serial interval in periods of freq: --si-distr's probabilities as given (one row per
 * period, the first for interval 0), or --si-mean/--si-sd in days discretised as EpiEstim does
 * (daily) and summed into weeks or 30-day months. *out (hb_free) gets *len >= 2 values;
 * len_hint is the series length (EpiEstim discretises over the whole series).
 */
int hb_epi_si_load(double **out, size_t *len, const hb_epi_si *si, int freq, size_t len_hint);

/* Read the series file, no missing values: counts (non-negative integers) in `count`, or the
 * non-negative numbers of value_column when it is not NULL (rates, for forecasting). */
int hb_epi_read(hb_series_set **out, const char *path, const char *value_column);

/* Append "key," (nothing when the file has no key columns) to buf. */
int hb_epi_put_key(hb_buf *buf, const hb_series *s);
/* Append the header's key columns and a comma ("" when none). */
int hb_epi_put_key_header(hb_buf *buf, const hb_series_set *set);

/* The date `steps` periods after date. */
hb_date hb_epi_advance(hb_date date, int freq, size_t steps);

/* Write buf to stdout and empty it; HB_ERROR when the write fails. */
int hb_epi_flush(hb_buf *buf);

#endif
