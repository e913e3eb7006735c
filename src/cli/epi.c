/*
 * cli/epi.c — helpers of the Rt and forecasting commands (see epi.h).
 */
#include "cli/epi.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "healthybay/forecast.h"
#include "healthybay/rt.h"
#include "util/alloc.h"
#include "util/csv.h"
#include "util/limits.h"
#include "util/parse.h"

int hb_epi_number(const hb_cli_command *cmd, const char *option, const char *text, bool zero_ok,
                  double *out)
{
    if (hb_parse_double(out, text, strlen(text)) < 0 || !(zero_ok ? *out >= 0 : *out > 0))
        return hb_cli_usage(cmd, "--%s: '%s' is not a number %s 0", option, text,
                            zero_ok ? ">=" : ">");
    return 0;
}

int hb_epi_count(const hb_cli_command *cmd, const char *option, const char *text, size_t min,
                 size_t max, size_t *out)
{
    int64_t v;
    if (hb_parse_int64(&v, text, strlen(text)) < 0 || v < (int64_t)min || (uint64_t)v > max)
        return hb_cli_usage(cmd, "--%s: '%s' is not a whole number from %zu to %zu", option, text,
                            min, max);
    *out = (size_t)v;
    return 0;
}

void hb_epi_si_init(hb_epi_si *si)
{
    si->mean_days = si->sd_days = NAN;
    si->distr_path = NULL;
}

bool hb_epi_si_given(const hb_epi_si *si)
{
    return si->distr_path || !isnan(si->mean_days) || !isnan(si->sd_days);
}

int hb_epi_si_check(const hb_cli_command *cmd, const hb_epi_si *si, bool required)
{
    bool param = !isnan(si->mean_days) || !isnan(si->sd_days);
    if (param && si->distr_path)
        return hb_cli_usage(cmd, "give --si-mean/--si-sd or --si-distr, not both");
    if (param && (isnan(si->mean_days) || isnan(si->sd_days)))
        return hb_cli_usage(cmd, "--si-mean and --si-sd go together");
    if (param && si->mean_days <= 1)
        return hb_cli_usage(cmd, "--si-mean must be > 1 day (EpiEstim's offset gamma)");
    if (required && !param && !si->distr_path)
        return hb_cli_usage(cmd, "a serial interval is needed: --si-mean M --si-sd S, or "
                                 "--si-distr FILE.csv (see data/serial_intervals.csv)");
    return 0;
}

/* Read one probability per row into *out; rc < 0 with the CSV error otherwise. */
static int read_probabilities(hb_csv *csv, size_t col, double **out, size_t *len)
{
    double *v = NULL;
    size_t n = 0;
    int rc;
    while ((rc = hb_csv_next(csv)) == 1) {
        size_t flen;
        const char *f = hb_csv_field(csv, col, &flen);
        double p;
        if (n >= HB_SERIES_LENGTH_MAX) {
            rc = hb_csv_error(csv, col, "more than %d intervals", HB_SERIES_LENGTH_MAX);
            break;
        }
        if (hb_parse_double(&p, f, flen) < 0 || p < 0) {
            rc = hb_csv_error(csv, col, "'%s' is not a probability", f);
            break;
        }
        double *nv = hb_reallocarray(v, n + 1, sizeof *v);
        if (!nv) {
            rc = HB_ENOMEM;
            break;
        }
        v = nv;
        v[n++] = p;
    }
    if (rc < 0) {
        hb_free(v);
        return rc;
    }
    *out = v;
    *len = n;
    return 0;
}

static int load_distr(double **out, size_t *len, const char *path)
{
    hb_csv *csv;
    int rc = hb_csv_open_file(&csv, path);
    if (rc < 0)
        return rc;
    rc = hb_csv_read_header(csv);
    long col = rc == 0 ? hb_csv_find(csv, "probability") : -1;
    if (rc == 0 && col < 0)
        rc = hb_error_set(HB_EINVAL, "%s: no 'probability' column (one row per interval, from 0)",
                          path);
    if (rc == 0)
        rc = read_probabilities(csv, (size_t)col, out, len);
    hb_csv_free(csv);
    if (rc == 0 && *len < 2) {
        hb_free(*out);
        *out = NULL;
        rc = hb_error_set(HB_EINVAL, "%s: a serial interval needs at least 2 rows", path);
    }
    return rc;
}

int hb_epi_si_load(double **out, size_t *len, const hb_epi_si *si, int freq, size_t len_hint)
{
    *out = NULL;
    if (si->distr_path)
        return load_distr(out, len, si->distr_path);
    /* Daily: EpiEstim's discr_si over the whole series. Coarser: enough periods for 99.99...% of
     * any plausible interval (a year of days), at least 2. */
    int days = freq == 365 ? 1 : freq == 52 ? 7 : 30;
    size_t n = freq == 365 ? (len_hint > 2 ? len_hint : 2) : (size_t)(366 / days) + 2;
    double *v = hb_mallocarray(n, sizeof *v);
    if (!v)
        return HB_ENOMEM;
    int rc = days == 1 ? hb_rt_discr_si(v, n, si->mean_days, si->sd_days)
                       : hb_forecast_si_periods(v, n, si->mean_days, si->sd_days, days);
    if (rc < 0) {
        hb_free(v);
        return rc;
    }
    *out = v;
    *len = n;
    return 0;
}

int hb_epi_read(hb_series_set **out, const char *path, const char *value_column)
{
    hb_series_options opt;
    hb_series_options_init(&opt);
    opt.integer_values = value_column == NULL;
    if (value_column)
        opt.value_column = value_column;
    opt.allow_missing = false;
    return hb_series_read(out, path, &opt);
}

int hb_epi_put_key(hb_buf *buf, const hb_series *s)
{
    if (!*s->key)
        return 0;
    int rc = hb_buf_puts(buf, s->key);
    return rc < 0 ? rc : hb_buf_putc(buf, ',');
}

int hb_epi_put_key_header(hb_buf *buf, const hb_series_set *set)
{
    const char *h = hb_series_key_header(set);
    if (!*h)
        return 0;
    int rc = hb_buf_puts(buf, h);
    return rc < 0 ? rc : hb_buf_putc(buf, ',');
}

hb_date hb_epi_advance(hb_date date, int freq, size_t steps)
{
    for (size_t i = 0; i < steps; i++)
        date = hb_series_next_date(date, freq);
    return date;
}

int hb_epi_flush(hb_buf *buf)
{
    if (buf->len && fwrite(buf->ptr, 1, buf->len, stdout) != buf->len)
        return hb_error_set(HB_ERROR, "cannot write the output");
    hb_buf_reset(buf);
    return 0;
}
