/*
 * cli/cmd_forecast.c — `healthybay forecast` (quantile forecasts of every series of a file) and
 * `healthybay backtest` (rolling-origin evaluation with WIS); see healthybay/forecast.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/epi.h"
#include "cli/parallel.h"
#include "healthybay/date.h"
#include "healthybay/forecast.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/progress.h"

enum {
    OPT_MODEL = HB_OPT_FIRST_FREE,
    OPT_HORIZON,
    OPT_SI_MEAN,
    OPT_SI_SD,
    OPT_SI_DISTR,
    OPT_WINDOW,
    OPT_SAMPLES,
    OPT_SEED,
    OPT_TRAINING,
    OPT_HARMONICS,
    OPT_THREADS,
    OPT_START,
    OPT_SCORES_OUT,
    OPT_VALUE_COLUMN,
    OPT_MEMBERS,
};

/* What both commands are told. */
typedef struct fc_args {
    unsigned models;  /* bit set of hb_forecast_model */
    unsigned members; /* --members, or 0 for the defaults of the frequency */
    size_t horizon, window, samples, seed, training, harmonics, threads;
    hb_epi_si si;
    const char *start, *scores_out;
    const char *value_column; /* --value-column, or NULL for `count` */
} fc_args;

static int parse_models(const hb_cli_command *cmd, const char *list, unsigned *out)
{
    *out = 0;
    char name[32];
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof name)
            return hb_cli_usage(cmd, "bad model list '%s'", list);
        memcpy(name, p, len);
        name[len] = 0;
        hb_forecast_model m;
        if (hb_forecast_model_parse(&m, name) < 0)
            return hb_cli_usage(cmd, "%s", hb_error_last());
        *out |= 1u << m;
        p += len + (p[len] == ',');
    }
    return *out ? 0 : hb_cli_usage(cmd, "no model given");
}

static int parse_option(const hb_cli_command *cmd, fc_args *a, int opt)
{
    switch (opt) {
    case OPT_MODEL:
        return parse_models(cmd, optarg, &a->models);
    case OPT_HORIZON:
        return hb_epi_count(cmd, "horizon", optarg, 1, HB_FORECAST_HORIZON_MAX, &a->horizon);
    case OPT_SI_MEAN:
        return hb_epi_number(cmd, "si-mean", optarg, false, &a->si.mean_days);
    case OPT_SI_SD:
        return hb_epi_number(cmd, "si-sd", optarg, false, &a->si.sd_days);
    case OPT_SI_DISTR:
        a->si.distr_path = optarg;
        return 0;
    case OPT_WINDOW:
        return hb_epi_count(cmd, "window", optarg, 1, 365, &a->window);
    case OPT_SAMPLES:
        return hb_epi_count(cmd, "samples", optarg, 2, HB_FORECAST_SAMPLES_MAX, &a->samples);
    case OPT_SEED:
        return hb_epi_count(cmd, "seed", optarg, 0, SIZE_MAX, &a->seed);
    case OPT_TRAINING:
        return hb_epi_count(cmd, "training", optarg, 10, HB_SERIES_LENGTH_MAX, &a->training);
    case OPT_HARMONICS:
        return hb_epi_count(cmd, "harmonics", optarg, 0, 4, &a->harmonics);
    case OPT_THREADS:
        return hb_epi_count(cmd, "threads", optarg, 1, 64, &a->threads);
    case OPT_START:
        a->start = optarg;
        return 0;
    case OPT_SCORES_OUT:
        a->scores_out = optarg;
        return 0;
    case OPT_VALUE_COLUMN:
        a->value_column = optarg;
        return 0;
    case OPT_MEMBERS:
        if (parse_models(cmd, optarg, &a->members) != 0)
            return HB_EXIT_USAGE;
        if (a->members & ((1u << HB_MODEL_ENSEMBLE) | (1u << HB_MODEL_ENSEMBLE_WEIGHTED)))
            return hb_cli_usage(cmd, "--members takes single models (baseline, renewal, "
                                     "seasonal-nb, log-ar)");
        return 0;
    default:
        return 0;
    }
}

/* Shared state of a run over a file. */
typedef struct fc_run {
    const hb_series_set *set;
    const fc_args *a;
    hb_forecast_options opt; /* si filled per series (its length may depend on the series) */
    hb_progress progress;
    FILE *scores; /* backtest --scores-out, or NULL */
    /* backtest accumulators: [model][horizon 0 = all, 1..H] */
    double wis[HB_MODEL_COUNT][HB_FORECAST_HORIZON_MAX + 1];
    double cov50[HB_MODEL_COUNT][HB_FORECAST_HORIZON_MAX + 1];
    double cov95[HB_MODEL_COUNT][HB_FORECAST_HORIZON_MAX + 1];
    size_t count[HB_MODEL_COUNT][HB_FORECAST_HORIZON_MAX + 1];
} fc_run;

static int setup_options(fc_run *r, const hb_cli_command *cmd)
{
    const fc_args *a = r->a;
    int freq = hb_series_freq(r->set);
    hb_forecast_options_init(&r->opt, freq);
    if (a->horizon)
        r->opt.horizon = a->horizon;
    if (a->samples)
        r->opt.nsamples = a->samples;
    r->opt.rt_window = a->window;
    r->opt.training_periods = a->training;
    if (a->harmonics != SIZE_MAX)
        r->opt.harmonics = (int)a->harmonics;
    if (a->members)
        r->opt.members = a->members;
    else if (hb_epi_si_given(&a->si))
        r->opt.members = hb_forecast_default_members(freq, true);
    if (!hb_epi_si_given(&a->si) && ((a->models | a->members) & (1u << HB_MODEL_RENEWAL)))
        return hb_epi_si_check(cmd, &a->si, true);
    return 0;
}

/* Seed a generator for series i from the run's seed: independent of threads and of order. */
static void seed_series(hb_rng *rng, size_t seed, size_t i)
{
    hb_rng_seed(rng, (uint64_t)seed * 0x9e3779b97f4a7c15u + (uint64_t)i);
}

/* The options of series s: the run's, with the serial interval in its periods. */
static int series_options(hb_forecast_options *opt, double **si, const fc_run *r,
                          const hb_series *s)
{
    *opt = r->opt;
    *si = NULL;
    if (!hb_epi_si_given(&r->a->si))
        return 0;
    size_t len;
    int rc = hb_epi_si_load(si, &len, &r->a->si, opt->freq, s->length);
    opt->si = *si;
    opt->si_len = len;
    return rc;
}

static int warn_series(hb_buf *warn, const char *cmd, const hb_series *s)
{
    return hb_buf_printf(warn, "healthybay %s: series '%s' skipped: %s\n", cmd, s->key,
                         hb_error_last());
}

/* ---- forecast ---------------------------------------------------------------------------- */

static int write_forecast(hb_buf *out, const hb_series *s, const double *q, int freq,
                          size_t horizon)
{
    static const double levels[HB_FORECAST_NQUANTILES] = HB_FORECAST_QUANTILE_LEVELS;
    char od[HB_DATE_STRLEN], td[HB_DATE_STRLEN];
    hb_date origin = hb_series_next_date(s->dates[s->length - 1], freq);
    hb_date_format(od, origin);
    int rc = 0;
    for (size_t h = 1; rc == 0 && h <= horizon; h++) {
        hb_date_format(td, hb_epi_advance(origin, freq, h - 1));
        for (size_t j = 0; rc == 0 && j < HB_FORECAST_NQUANTILES; j++) {
            rc = hb_epi_put_key(out, s);
            if (rc == 0)
                rc = hb_buf_printf(out, "%s,%s,%zu,%g,%.10g\n", od, td, h, levels[j],
                                   q[(h - 1) * HB_FORECAST_NQUANTILES + j]);
        }
    }
    return rc;
}

static int forecast_one(void *ctx, size_t i, hb_buf *out, hb_buf *warn)
{
    fc_run *r = ctx;
    const hb_series *s = hb_series_at(r->set, i);
    hb_forecast_model model = HB_MODEL_ENSEMBLE;
    for (int m = 0; m < HB_MODEL_COUNT; m++)
        if (r->a->models & (1u << m))
            model = (hb_forecast_model)m;
    hb_forecast_options opt;
    double *si;
    int rc = series_options(&opt, &si, r, s);
    double *q = hb_mallocarray(opt.horizon * HB_FORECAST_NQUANTILES, sizeof *q);
    if (rc == 0 && !q)
        rc = HB_ENOMEM;
    if (rc == 0) {
        hb_rng rng;
        seed_series(&rng, r->a->seed, i);
        rc = hb_forecast(q, model, s->values, s->imported, s->length, &opt, &rng);
        if (rc == 0)
            rc = write_forecast(out, s, q, opt.freq, opt.horizon);
        else if (rc == HB_ENODATA || rc == HB_EINVAL)
            rc = warn_series(warn, "forecast", s);
    }
    hb_free(q);
    hb_free(si);
    return rc;
}

static int forecast_emit(void *ctx, hb_buf *out, hb_buf *warn, size_t done, size_t total)
{
    fc_run *r = ctx;
    if (warn->len) {
        hb_progress_finish(&r->progress);
        fputs(hb_buf_cstr(warn), stderr);
    }
    hb_progress_update(&r->progress, "forecast", done, total, "series");
    return hb_epi_flush(out);
}

static int run_forecast(int argc, char **argv);
static int run_backtest(int argc, char **argv);

static const struct option fc_options[] = {
    HB_CLI_COMMON_OPTIONS,
    { "model", required_argument, NULL, OPT_MODEL },
    { "models", required_argument, NULL, OPT_MODEL },
    { "horizon", required_argument, NULL, OPT_HORIZON },
    { "si-mean", required_argument, NULL, OPT_SI_MEAN },
    { "si-sd", required_argument, NULL, OPT_SI_SD },
    { "si-distr", required_argument, NULL, OPT_SI_DISTR },
    { "window", required_argument, NULL, OPT_WINDOW },
    { "samples", required_argument, NULL, OPT_SAMPLES },
    { "seed", required_argument, NULL, OPT_SEED },
    { "training", required_argument, NULL, OPT_TRAINING },
    { "harmonics", required_argument, NULL, OPT_HARMONICS },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "start", required_argument, NULL, OPT_START },
    { "scores-out", required_argument, NULL, OPT_SCORES_OUT },
    { "value-column", required_argument, NULL, OPT_VALUE_COLUMN },
    { "members", required_argument, NULL, OPT_MEMBERS },
    { NULL, 0, NULL, 0 },
};

/* Parse the options of either command; returns -1 to go on, else the exit code. */
static int parse_args(const hb_cli_command *cmd, fc_args *a, hb_cli_common *common, int argc,
                      char **argv)
{
    memset(a, 0, sizeof *a);
    a->seed = 1;
    a->threads = 2;
    a->harmonics = SIZE_MAX;
    hb_epi_si_init(&a->si);
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, fc_options, common)) >= 0)
        if (parse_option(cmd, a, opt) != 0)
            return HB_EXIT_USAGE;
    if (opt == HB_CLI_EXIT)
        return common->exit_code;
    if (optind + 1 != argc)
        return hb_cli_usage(cmd, "expected one FILE.csv (or - for standard input)");
    if (hb_epi_si_check(cmd, &a->si, false) != 0)
        return HB_EXIT_USAGE;
    return -1;
}

static int run_forecast(int argc, char **argv)
{
    hb_cli_common common;
    hb_cli_common_init(&common);
    fc_args a;
    int rc = parse_args(&hb_cmd_forecast, &a, &common, argc, argv);
    if (rc >= 0)
        return rc;
    if (a.models == 0)
        a.models = 1u << HB_MODEL_ENSEMBLE;
    if (a.models & (a.models - 1))
        return hb_cli_usage(&hb_cmd_forecast, "--model takes one model (backtest compares many)");
    if (a.start || a.scores_out)
        return hb_cli_usage(&hb_cmd_forecast, "--start and --scores-out belong to 'backtest'");
    hb_series_set *set;
    if (hb_epi_read(&set, argv[optind], a.value_column) < 0)
        return hb_cli_fail_last();
    fc_run r = { .set = set, .a = &a };
    hb_progress_init(&r.progress);
    rc = setup_options(&r, &hb_cmd_forecast);
    if (rc != 0) {
        hb_series_free(set);
        return rc;
    }
    hb_buf head;
    hb_buf_init(&head, 0);
    rc = hb_epi_put_key_header(&head, set);
    if (rc == 0)
        rc = hb_buf_puts(&head, "origin_date,target_date,horizon,quantile,value\n");
    if (rc == 0)
        rc = hb_epi_flush(&head);
    hb_buf_dispose(&head);
    if (rc == 0)
        rc = hb_par_run(a.threads, hb_series_count(set), forecast_one, forecast_emit, &r);
    hb_progress_finish(&r.progress);
    hb_series_free(set);
    if (rc < 0)
        return hb_cli_fail_last();
    return fflush(stdout) == 0 ? HB_EXIT_OK : hb_cli_fail("cannot write the output");
}

/* ---- backtest ---------------------------------------------------------------------------- */

/* One scored forecast as passed from a worker to the main thread (binary, in the out buffer). */
typedef struct bt_record {
    size_t series;
    hb_forecast_score s;
} bt_record;

static int first_origin(size_t *out, const hb_series *s, hb_date start)
{
    for (size_t t = 0; t < s->length; t++)
        if (s->dates[t] >= start) {
            *out = t;
            return 0;
        }
    return hb_error_set(HB_ENODATA, "the series ends before --start");
}

static int backtest_one(void *ctx, size_t i, hb_buf *out, hb_buf *warn)
{
    fc_run *r = ctx;
    const hb_series *s = hb_series_at(r->set, i);
    hb_date start;
    size_t origin = 0;
    int rc = hb_date_parse(&start, r->a->start, strlen(r->a->start));
    if (rc == 0 && first_origin(&origin, s, start) < 0)
        return warn_series(warn, "backtest", s);
    hb_forecast_options opt;
    double *si;
    if (rc == 0)
        rc = series_options(&opt, &si, r, s);
    hb_forecast_score *scores = NULL;
    size_t n = 0;
    if (rc == 0) {
        hb_rng rng;
        seed_series(&rng, r->a->seed, i);
        rc = hb_forecast_backtest(&scores, &n, s->values, s->imported, s->length, origin,
                                  r->a->models, &opt, &rng);
        hb_free(si);
    }
    if (rc == HB_ENODATA || rc == HB_EINVAL)
        return warn_series(warn, "backtest", s);
    if (rc == 0 && n == 0)
        rc = hb_buf_printf(warn, "healthybay backtest: series '%s': no origin could be scored\n",
                           s->key);
    for (size_t k = 0; rc == 0 && k < n; k++) {
        bt_record rec = { i, scores[k] };
        rc = hb_buf_put(out, &rec, sizeof rec);
    }
    hb_forecast_scores_free(scores);
    return rc;
}

static int write_score(FILE *f, const fc_run *r, const bt_record *rec)
{
    const hb_series *s = hb_series_at(r->set, rec->series);
    int freq = hb_series_freq(r->set);
    const hb_forecast_score *sc = &rec->s;
    char od[HB_DATE_STRLEN], td[HB_DATE_STRLEN];
    hb_date_format(od, s->dates[sc->origin]);
    hb_date_format(td, hb_epi_advance(s->dates[sc->origin], freq, sc->horizon - 1));
    int n =
        fprintf(f, "%s%s%s,%s,%s,%zu,%.10g,%.10g,%.10g,%.10g,%d,%d\n", s->key, *s->key ? "," : "",
                hb_forecast_model_name(sc->model), od, td, sc->horizon, sc->observed, sc->median,
                sc->score.wis, sc->score.abs_error, sc->score.cover50, sc->score.cover95);
    return n < 0 ? hb_error_set(HB_ERROR, "cannot write %s", r->a->scores_out) : 0;
}

static int backtest_emit(void *ctx, hb_buf *out, hb_buf *warn, size_t done, size_t total)
{
    fc_run *r = ctx;
    if (warn->len) {
        hb_progress_finish(&r->progress);
        fputs(hb_buf_cstr(warn), stderr);
    }
    size_t n = out->len / sizeof(bt_record);
    for (size_t k = 0; k < n; k++) {
        bt_record rec;
        memcpy(&rec, out->ptr + k * sizeof rec, sizeof rec);
        const hb_forecast_score *s = &rec.s;
        size_t hs[2] = { 0, s->horizon };
        for (int j = 0; j < 2; j++) {
            r->wis[s->model][hs[j]] += s->score.wis;
            r->cov50[s->model][hs[j]] += s->score.cover50;
            r->cov95[s->model][hs[j]] += s->score.cover95;
            r->count[s->model][hs[j]]++;
        }
        if (r->scores && write_score(r->scores, r, &rec) < 0)
            return HB_ERROR;
    }
    hb_progress_update(&r->progress, "backtest", done, total, "series");
    return 0;
}

static int summary_row(hb_table *t, const fc_run *r, int m, size_t h)
{
    size_t n = r->count[m][h], nb = r->count[HB_MODEL_BASELINE][h];
    char hz[24], cnt[24], wis[32], rel[32], c50[16], c95[16];
    if (h == 0)
        snprintf(hz, sizeof hz, "all");
    else
        snprintf(hz, sizeof hz, "%zu", h);
    snprintf(cnt, sizeof cnt, "%zu", n);
    double mean = r->wis[m][h] / (double)n,
           base = nb ? r->wis[HB_MODEL_BASELINE][h] / (double)nb : NAN;
    snprintf(wis, sizeof wis, "%.6g", mean);
    snprintf(rel, sizeof rel, "%.3f", base > 0 ? mean / base : NAN);
    snprintf(c50, sizeof c50, "%.3f", r->cov50[m][h] / (double)n);
    snprintf(c95, sizeof c95, "%.3f", r->cov95[m][h] / (double)n);
    const char *cells[] = {
        hb_forecast_model_name((hb_forecast_model)m), hz, cnt, wis, rel, c50, c95
    };
    return hb_table_add_row(t, cells);
}

static int print_summary(const fc_run *r, const hb_cli_common *common)
{
    static const char *const names[] = { "model",        "horizon",    "n",         "mean_wis",
                                         "relative_wis", "coverage50", "coverage95" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT,   HB_COL_TEXT,   HB_COL_INT,   HB_COL_NUMBER,
                                         HB_COL_NUMBER, HB_COL_NUMBER, HB_COL_NUMBER };
    hb_table *t;
    int rc = hb_table_new(&t, 7, names, kinds);
    for (int m = 0; rc == 0 && m < HB_MODEL_COUNT; m++)
        for (size_t h = 1; rc == 0 && h <= r->opt.horizon + 1; h++)
            if (r->count[m][h % (r->opt.horizon + 1)])
                rc = summary_row(t, r, m, h % (r->opt.horizon + 1)); /* horizons, then "all" */
    if (rc < 0) {
        hb_table_free(t);
        return hb_cli_fail_last();
    }
    if (hb_table_row_count(t) == 0) {
        hb_table_free(t);
        return hb_cli_fail("nothing could be scored: is --start inside the series?");
    }
    rc = hb_cli_print_table(t, common);
    hb_table_free(t);
    return rc;
}

static int open_scores(fc_run *r)
{
    if (!r->a->scores_out)
        return 0;
    r->scores = fopen(r->a->scores_out, "w");
    if (!r->scores)
        return hb_error_set(HB_ERROR, "cannot create %s", r->a->scores_out);
    const char *key = hb_series_key_header(r->set);
    fprintf(r->scores,
            "%s%smodel,origin_date,target_date,horizon,observed,median,wis,abs_error,"
            "cover50,cover95\n",
            key, *key ? "," : "");
    return 0;
}

static int run_backtest(int argc, char **argv)
{
    hb_cli_common common;
    hb_cli_common_init(&common);
    fc_args a;
    int rc = parse_args(&hb_cmd_backtest, &a, &common, argc, argv);
    if (rc >= 0)
        return rc;
    hb_date start;
    if (!a.start || hb_date_parse(&start, a.start, strlen(a.start)) < 0)
        return hb_cli_usage(&hb_cmd_backtest, "--start DATE (YYYY-MM-DD) is required: the first "
                                              "forecast origin");
    if (a.models == 0)
        a.models = (1u << HB_MODEL_SEASONAL_NB) | (1u << HB_MODEL_ENSEMBLE) |
                   (hb_epi_si_given(&a.si) ? 1u << HB_MODEL_RENEWAL : 0);
    a.models |= 1u << HB_MODEL_BASELINE; /* relative WIS is against it */
    hb_series_set *set;
    if (hb_epi_read(&set, argv[optind], a.value_column) < 0)
        return hb_cli_fail_last();
    fc_run *r = hb_xcalloc(1, sizeof *r);
    r->set = set;
    r->a = &a;
    hb_progress_init(&r->progress);
    rc = setup_options(r, &hb_cmd_backtest);
    if (rc == 0) {
        rc = open_scores(r) < 0 ? hb_cli_fail_last() : 0;
        if (rc == 0 &&
            hb_par_run(a.threads, hb_series_count(set), backtest_one, backtest_emit, r) < 0)
            rc = hb_cli_fail_last();
        hb_progress_finish(&r->progress);
        if (r->scores && fclose(r->scores) != 0 && rc == 0)
            rc = hb_cli_fail("cannot write %s", a.scores_out);
        if (rc == 0)
            rc = print_summary(r, &common);
    }
    hb_free(r);
    hb_series_free(set);
    return rc;
}

#define MODEL_HELP                                                                                 \
    "Models:\n"                                                                                    \
    "  baseline           the forecast hubs' baseline (FluSight-baseline): median = last value,\n" \
    "                     spread from past changes and their negatives, truncated at 0\n"          \
    "  renewal            renewal equation from the Rt posterior of the last --window periods\n"   \
    "                     (default 7 days, 3 weeks, 1 month); needs a serial interval\n"           \
    "  seasonal-nb        negative-binomial regression: yearly harmonics (--harmonics, 2),\n"      \
    "                     trend and recent level, on the last --training periods (default 5\n"     \
    "                     years; 3 years of daily data)\n"                                         \
    "  log-ar             regression of the change in log(count + 10) on the recent growth, the\n" \
    "                     level and the time of year, per horizon, on the --training window\n"     \
    "  ensemble           median of the members' quantiles: renewal, seasonal-nb and log-ar\n"     \
    "                     (weekly), baseline and renewal (daily), baseline, seasonal-nb and\n"     \
    "                     log-ar (monthly); without a serial interval no renewal, and daily\n"     \
    "                     the baseline alone\n"                                                    \
    "  ensemble-weighted  members weighted by 1 / their mean WIS over the last 52 origins\n"       \
    "--members LIST       the ensembles' members instead, e.g. baseline,seasonal-nb,log-ar\n"      \
    "Serial interval (renewal): --si-mean M --si-sd S (days) or --si-distr FILE.csv (per "         \
    "period);\n"                                                                                   \
    "defaults by disease with sources in data/serial_intervals.csv.\n"                             \
    "Sampling: --samples N (default 500), --seed S (default 1); --threads T (default 2).\n"        \
    "--value-column NAME forecasts that column (non-negative numbers, e.g. ILI rates) instead\n"   \
    "of the integer `count`.\n"

const hb_cli_command hb_cmd_forecast = {
    "forecast",
    "quantile forecasts of case counts, 1-4 weeks or 1-14 days ahead (forecast-hub format)",
    "Usage: healthybay forecast [--model ensemble] [--horizon H] [model options] FILE.csv\n"
    "\n"
    "Forecast every series of FILE.csv (date,count[,imported] + key columns; daily, weekly or\n"
    "monthly) from its last observation on, at the 23 quantile levels of the CDC FluSight and\n"
    "COVID-19 forecast hubs (0.01, 0.025, 0.05, 0.10, ..., 0.95, 0.975, 0.99).\n"
    "\n"
    "  --horizon H        periods ahead (default 14 days, 4 weeks, 3 months)\n"
    "\n" MODEL_HELP "\n"
    "Output (CSV): key columns, origin_date (the first period after the data), target_date\n"
    "(origin + horizon - 1 periods), horizon, quantile, value.\n"
    "\n"
    "Examples:\n"
    "  healthybay forecast flu-weekly.csv > forecasts.csv\n"
    "  healthybay forecast --model renewal --si-mean 5.2 --si-sd 1.7 --horizon 14 covid.csv\n",
    run_forecast,
};

const hb_cli_command hb_cmd_backtest = {
    "backtest",
    "score forecast models on past data with rolling origins (WIS, coverage, relative WIS)",
    "Usage: healthybay backtest --start DATE [--models baseline,seasonal-nb,ensemble]\n"
    "                           [--horizon H] [--format table|csv] [--scores-out FILE]\n"
    "                           [model options] FILE.csv\n"
    "\n"
    "For every series and every origin from DATE to the end, forecast with each model from the\n"
    "data before the origin only, and score each forecast whose target is in the file with the\n"
    "weighted interval score (WIS, Bracher et al. 2021) and the coverage of its 50% and 95%\n"
    "intervals. An origin where a listed model cannot forecast is left out for all models, so\n"
    "every model is scored on the same targets.\n"
    "\n"
    "Summary (one row per model and horizon, then horizon 'all'): n forecasts, mean_wis,\n"
    "relative_wis = mean WIS of the model / mean WIS of the baseline on the same targets (a ratio\n"
    "of means, as the hubs report for two models; < 1 beats the baseline; the baseline is always\n"
    "run), coverage50 and coverage95 (well calibrated: 0.50 and 0.95).\n"
    "\n"
    "  --start DATE       first forecast origin (YYYY-MM-DD)\n"
    "  --scores-out FILE  every scored forecast: key, model, origin_date, target_date, horizon,\n"
    "                     observed, median, wis, abs_error, cover50, cover95\n"
    "\n" MODEL_HELP "\n"
    "Example:\n"
    "  healthybay backtest --start 2017-01-01 --models baseline,seasonal-nb,ensemble \\\n"
    "                      --scores-out scores.csv data/series/hk_flu_weekly.csv\n",
    run_backtest,
};
