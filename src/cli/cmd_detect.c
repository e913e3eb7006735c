/*
 * cli/cmd_detect.c — `healthybay detect`: screen every series of a CSV file for aberrations with
 * one of the methods of R's `surveillance` package (see healthybay/surveil.h).
 *
 * The file is read and checked whole (series/series.h), then the series are processed in
 * parallel (cli/parallel.h) and written in file order, a chunk at a time. Each worker thread takes
 * a scratch area (hb_surveil_work, sized for the longest series) from a small pool and gives it
 * back after the series, so no memory is allocated per time point or per series.
 *
 * Method options are generated from the library's parameter table: every name
 * hb_surveil_params_name() lists is a long option taking a value (`--no-periods 10`), and each
 * true/false parameter is a pair of switches (`--reweight` / `--no-reweight`).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/epi.h"
#include "cli/parallel.h"
#include "healthybay/date.h"
#include "healthybay/surveil.h"
#include "util/alloc.h"
#include "util/parse.h"
#include "util/progress.h"

enum { OPT_METHOD = HB_OPT_FIRST_FREE, OPT_FREQ, OPT_RANGE, OPT_THREADS, OPT_PARAM };

#define PARAMS_MAX  64 /* entries of the library's parameter table we make options of */
#define THREADS_MAX 64 /* as cli/parallel.c */
#define OPTIONS_MAX (8 + 2 * PARAMS_MAX)

/* The option table: fixed options, then one (or, for switches, two) per parameter. */
typedef struct opt_table {
    struct option opts[OPTIONS_MAX];
    char no_names[PARAMS_MAX][48];  /* "no-<name>" for switches */
    const char *param[OPTIONS_MAX]; /* parameter name of option id - OPT_PARAM */
    const char *value[OPTIONS_MAX]; /* "true" / "false" for switches, NULL: takes a value */
} opt_table;

static void build_options(opt_table *t)
{
    static const struct option fixed[] = {
        HB_CLI_COMMON_OPTIONS,
        { "method", required_argument, NULL, OPT_METHOD },
        { "freq", required_argument, NULL, OPT_FREQ },
        { "range", required_argument, NULL, OPT_RANGE },
        { "threads", required_argument, NULL, OPT_THREADS },
    };
    size_t n = sizeof fixed / sizeof fixed[0], id = 0;
    memcpy(t->opts, fixed, sizeof fixed);
    bool flag;
    const char *name;
    for (size_t i = 0; i < PARAMS_MAX && (name = hb_surveil_params_name(i, &flag)); i++) {
        t->opts[n++] = (struct option){ name, flag ? no_argument : required_argument, NULL,
                                        OPT_PARAM + (int)id };
        t->param[id] = name;
        t->value[id++] = flag ? "true" : NULL;
        if (flag) {
            snprintf(t->no_names[i], sizeof t->no_names[i], "no-%s", name);
            t->opts[n++] =
                (struct option){ t->no_names[i], no_argument, NULL, OPT_PARAM + (int)id };
            t->param[id] = name;
            t->value[id++] = "false";
        }
    }
    t->opts[n] = (struct option){ NULL, 0, NULL, 0 };
}

typedef struct detect_args {
    const char *method;
    int freq;
    bool has_from, has_to;
    hb_date from, to;
    size_t threads;
    /* Parameters in the order given: applied once the method is known. */
    size_t nset;
    const char *set_name[OPTIONS_MAX], *set_value[OPTIONS_MAX];
} detect_args;

static int parse_range(detect_args *a, const char *text)
{
    const char *colon = strchr(text, ':');
    if (!colon)
        return hb_cli_usage(&hb_cmd_detect, "--range: '%s' is not FROM:TO", text);
    size_t l1 = (size_t)(colon - text), l2 = strlen(colon + 1);
    if ((l1 && hb_date_parse(&a->from, text, l1) < 0) ||
        (l2 && hb_date_parse(&a->to, colon + 1, l2) < 0))
        return hb_cli_usage(&hb_cmd_detect, "--range: %s", hb_error_last());
    a->has_from = l1 > 0;
    a->has_to = l2 > 0;
    if (a->has_from && a->has_to && a->to < a->from)
        return hb_cli_usage(&hb_cmd_detect, "--range: %s ends before it starts", text);
    return 0;
}

static int parse_option(detect_args *a, const opt_table *t, int opt)
{
    switch (opt) {
    case OPT_METHOD:
        a->method = optarg;
        return 0;
    case OPT_FREQ: {
        int64_t f;
        if (hb_parse_int64(&f, optarg, strlen(optarg)) < 0 || (f != 52 && f != 365 && f != 12))
            return hb_cli_usage(&hb_cmd_detect, "--freq: '%s' is not 52, 365 or 12", optarg);
        a->freq = (int)f;
        return 0;
    }
    case OPT_RANGE:
        return parse_range(a, optarg);
    case OPT_THREADS: {
        size_t n;
        if (hb_epi_count(&hb_cmd_detect, "threads", optarg, 1, THREADS_MAX, &n) != 0)
            return HB_EXIT_USAGE;
        a->threads = n;
        return 0;
    }
    default:
        if (opt >= OPT_PARAM && a->nset == OPTIONS_MAX)
            return hb_cli_usage(&hb_cmd_detect, "too many method options");
        if (opt >= OPT_PARAM) {
            a->set_name[a->nset] = t->param[opt - OPT_PARAM];
            a->set_value[a->nset++] =
                t->value[opt - OPT_PARAM] ? t->value[opt - OPT_PARAM] : optarg;
        }
        return 0;
    }
}

/* ---- the run --------------------------------------------------------------------------------- */

typedef struct detect_run {
    const hb_series_set *set;
    hb_surveil_params params;
    const detect_args *a;
    hb_progress progress;
    pthread_mutex_t lock;
    hb_surveil_work *pool[THREADS_MAX];
    size_t npool;
    size_t screened; /* series with output */
} detect_run;

static hb_surveil_work *take_work(detect_run *r)
{
    pthread_mutex_lock(&r->lock);
    hb_surveil_work *w = r->pool[--r->npool];
    pthread_mutex_unlock(&r->lock);
    return w;
}

static void give_work(detect_run *r, hb_surveil_work *w, bool screened)
{
    pthread_mutex_lock(&r->lock);
    r->screened += screened;
    r->pool[r->npool++] = w;
    pthread_mutex_unlock(&r->lock);
}

/* The range of series s as indices [*from, *to); false when it is empty. */
static bool series_range(const detect_run *r, const hb_series *s, size_t *from, size_t *to)
{
    hb_surveil_series in = { s->length, s->dates, s->values, s->population,
                             hb_series_freq(r->set) };
    size_t f = hb_surveil_default_from(&r->params, &in), t = s->length;
    if (r->a->has_from) {
        for (f = 0; f < s->length && s->dates[f] < r->a->from;)
            f++;
    }
    if (r->a->has_to)
        while (t > 0 && s->dates[t - 1] > r->a->to)
            t--;
    *from = f;
    *to = t;
    return f < t;
}

static int put_value(hb_buf *out, double v)
{
    return isnan(v) ? hb_buf_putc(out, ',') : hb_buf_printf(out, ",%.10g", v);
}

static int write_rows(hb_buf *out, const hb_series *s, size_t from, size_t to,
                      const hb_surveil_result *res)
{
    int rc = 0;
    for (size_t t = from; rc == 0 && t < to; t++) {
        size_t i = t - from;
        char d[HB_DATE_STRLEN];
        rc = hb_epi_put_key(out, s);
        if (rc == 0)
            rc = hb_buf_printf(out, "%s,%.0f", hb_date_format(d, s->dates[t]), s->values[t]);
        if (rc == 0)
            rc = put_value(out, res->expected[i]);
        if (rc == 0)
            rc = put_value(out, res->upperbound[i]);
        if (rc == 0)
            rc = res->alarm[i] < 0 ? hb_buf_puts(out, ",\n")
                                   : hb_buf_printf(out, ",%d\n", res->alarm[i]);
    }
    return rc;
}

static int detect_one(void *ctx, size_t i, hb_buf *out, hb_buf *warn)
{
    detect_run *r = ctx;
    const hb_series *s = hb_series_at(r->set, i);
    size_t from, to;
    if (!series_range(r, s, &from, &to))
        return hb_buf_printf(warn,
                             "healthybay detect: series '%s' skipped: %zu periods, none in the "
                             "range with enough history for %s\n",
                             s->key, s->length, hb_surveil_method_name(r->params.method));
    size_t n = to - from;
    double *num = hb_mallocarray(n, 2 * sizeof(double));
    signed char *alarm = hb_malloc(n);
    int rc = num && alarm ? 0 : HB_ENOMEM;
    if (rc == 0) {
        hb_surveil_result res = { num, num + n, alarm, NULL };
        hb_surveil_series in = { s->length, s->dates, s->values, s->population,
                                 hb_series_freq(r->set) };
        hb_surveil_work *w = take_work(r);
        rc = hb_surveil_detect(&res, w, &in, &r->params, from, to);
        give_work(r, w, rc == 0);
        if (rc == 0)
            rc = write_rows(out, s, from, to, &res);
        else if (rc == HB_ENODATA || rc == HB_EINVAL || rc == HB_ERROR)
            rc = hb_buf_printf(warn, "healthybay detect: series '%s' skipped: %s\n", s->key,
                               hb_error_last());
    }
    hb_free(num);
    hb_free(alarm);
    return rc;
}

static int detect_emit(void *ctx, hb_buf *out, hb_buf *warn, size_t done, size_t total)
{
    detect_run *r = ctx;
    if (warn->len) {
        hb_progress_finish(&r->progress);
        fputs(hb_buf_cstr(warn), stderr);
    }
    hb_progress_update(&r->progress, "detect", done, total, "series");
    return hb_epi_flush(out);
}

static int run_all(detect_run *r)
{
    size_t len_max = 1, n = hb_series_count(r->set);
    for (size_t i = 0; i < n; i++)
        if (hb_series_at(r->set, i)->length > len_max)
            len_max = hb_series_at(r->set, i)->length;
    int rc = 0;
    for (r->npool = 0; rc == 0 && r->npool < r->a->threads; r->npool++)
        rc = hb_surveil_work_new(&r->pool[r->npool], len_max);
    hb_buf head;
    hb_buf_init(&head, 0);
    if (rc == 0)
        rc = hb_epi_put_key_header(&head, r->set);
    if (rc == 0)
        rc = hb_buf_puts(&head, "date,count,expected,upperbound,alarm\n");
    if (rc == 0)
        rc = hb_epi_flush(&head);
    hb_buf_dispose(&head);
    if (rc == 0)
        rc = hb_par_run(r->a->threads, n, detect_one, detect_emit, r);
    hb_progress_finish(&r->progress);
    for (size_t i = 0; i < r->npool; i++)
        hb_surveil_work_free(r->pool[i]);
    return rc;
}

/* Method and parameters from the arguments; prints usage errors itself. */
static int setup_params(hb_surveil_params *p, const detect_args *a)
{
    hb_surveil_method m;
    if (!a->method)
        return hb_cli_usage(&hb_cmd_detect, "--method is required");
    if (hb_surveil_method_parse(&m, a->method) < 0)
        return hb_cli_usage(&hb_cmd_detect, "--method: %s", hb_error_last());
    hb_surveil_params_init(p, m);
    for (size_t i = 0; i < a->nset; i++)
        if (hb_surveil_params_set(p, a->set_name[i], a->set_value[i]) < 0)
            return hb_cli_usage(&hb_cmd_detect, "--%s: %s", a->set_name[i], hb_error_last());
    if (hb_surveil_params_check(p) < 0)
        return hb_cli_usage(&hb_cmd_detect, "%s", hb_error_last());
    return 0;
}

static int run_detect(int argc, char **argv)
{
    static opt_table t;
    build_options(&t);
    hb_cli_common common;
    hb_cli_common_init(&common);
    detect_args a = { .threads = 0 };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a.threads = cores < 1 ? 1 : cores > THREADS_MAX ? THREADS_MAX : (size_t)cores;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_detect, argc, argv, t.opts, &common)) >= 0)
        if (parse_option(&a, &t, opt) != 0)
            return HB_EXIT_USAGE;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 1 != argc)
        return hb_cli_usage(&hb_cmd_detect, "expected one FILE.csv (or - for standard input)");
    detect_run r = { .a = &a };
    if (setup_params(&r.params, &a) != 0)
        return HB_EXIT_USAGE;
    hb_series_options so;
    hb_series_options_init(&so);
    so.integer_values = true;
    so.allow_missing = false;
    so.freq = a.freq;
    hb_series_set *set;
    if (hb_series_read(&set, argv[optind], &so) < 0)
        return hb_cli_fail_last();
    if (r.params.population_offset && hb_series_count(set) > 0 &&
        !hb_series_at(set, 0)->population) {
        hb_series_free(set);
        return hb_cli_usage(&hb_cmd_detect, "--population-offset needs a population column");
    }
    r.set = set;
    hb_progress_init(&r.progress);
    pthread_mutex_init(&r.lock, NULL);
    int rc = run_all(&r);
    pthread_mutex_destroy(&r.lock);
    hb_series_free(set);
    if (rc < 0)
        return hb_cli_fail_last();
    if (fflush(stdout) != 0)
        return hb_cli_fail("cannot write the output");
    return r.screened > 0 ? HB_EXIT_OK : hb_cli_fail("no series could be screened");
}

const hb_cli_command hb_cmd_detect = {
    "detect",
    "screen every series for outbreaks (EARS, Farrington, CUSUM, GLR, Bayes; as R surveillance)",
    "Usage: healthybay detect --method METHOD [--freq 52|365|12] [--range FROM:TO]\n"
    "                         [--threads N] [method options] FILE.csv\n"
    "\n"
    "Find aberrations (possible outbreaks) in every series of a CSV file with the methods of the\n"
    "R package `surveillance` 1.20.3, giving R's numbers (docs/methods.md).\n"
    "\n"
    "Input (CSV, `-` = standard input): `date` (ISO date a period starts), `count` (cases, a\n"
    "non-negative integer), optionally `population`; every other column is part of the series\n"
    "key (e.g. region,disease,age_group). Daily, weekly or monthly (first of the month) data,\n"
    "without gaps; rows in any order.\n"
    "\n"
    "Output (CSV on stdout): the key columns, date,count,expected,upperbound,alarm for every date\n"
    "of the range. expected: the method's baseline mean; upperbound: the threshold; alarm: 1\n"
    "when the count exceeds it. A field is empty where R gives NA (e.g. Farrington below\n"
    "limit54's minimum of cases). Default range: every date with enough history.\n"
    "\n"
    "Methods (--method) and their options (R's names; defaults in brackets):\n"
    "  ears-c1, ears-c2, ears-c3   EARS (CDC): --baseline [7] --min-sigma [0] --alpha [0.001]\n"
    "      ears-c3: --c3 published|r [published]: Fricker et al.'s C3 (alarm when the sum of\n"
    "      the last three C2 excesses > --c3-threshold [2]) or R's earsC C3 (--alpha [0.025]),\n"
    "      whose bound contains the current count, so a spike alarms a period late.\n"
    "  farrington                  Farrington et al. 1996: --b [5] --w [3] --alpha [0.05]\n"
    "      --reweight/--no-reweight --trend/--no-trend --limit54 [5,4] --power-trans [2/3]\n"
    "  farrington-flexible         as above and --weights-threshold [2.58] --no-periods [1]\n"
    "      --past-weeks-not-included [w] --p-threshold-trend [0.05] --population-offset\n"
    "      --threshold-method delta|nbPlugin|muan [delta]\n"
    "  cusum                       --k [1.04] --h [2.26] --m mean|glm|NUMBER [mean]\n"
    "      --trans standard|rossi|anscombe|anscombe2nd|pearsonNegBin|none [standard] --alpha\n"
    "  glrnb                       --c-arl [5] --alpha estimate|0|DISPERSION [estimate: glm.nb]\n"
    "      --ret value|cases [value] --dir inc|dec --M [-1] --m-tilde [1] --mu0-s [1]\n"
    "      --mu0-trend (the baseline GLM is fitted to the periods before the range)\n"
    "  bayes                       --b [0] --w [6] --act-y/--no-act-y --alpha [0.05]\n"
    "\n"
    "  --range FROM:TO   only these dates (inclusive; either may be left out: 2024-01-01:)\n"
    "  --freq F          insist on 52 (weekly), 365 (daily) or 12 (monthly) periods per year\n"
    "  --threads N       series processed in parallel (default: all cores)\n"
    "\n"
    "When to use which: docs/methods.md. Farrington flexible with Noufaily's settings is the\n"
    "recommended screen for weekly counts with seasonality; EARS for short daily series.\n"
    "\n"
    "Examples:\n"
    "  healthybay detect --method farrington-flexible --no-periods 10 \\\n"
    "      --past-weeks-not-included 26 --p-threshold-trend 1 --threshold-method nbPlugin \\\n"
    "      weekly-counts.csv > alarms.csv\n"
    "  healthybay detect --method ears-c2 --range 2024-06-01: daily.csv\n"
    "  healthybay detect --method glrnb --alpha 0 --ret cases --range 2008-01-01: flu.csv\n",
    run_detect,
};
