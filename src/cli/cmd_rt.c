/*
 * cli/cmd_rt.c — `healthybay rt`: the reproduction number of every series in a CSV file
 * (EpiEstim's estimate_R; see healthybay/rt.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/epi.h"
#include "healthybay/date.h"
#include "healthybay/rt.h"
#include "util/alloc.h"
#include "util/limits.h"

enum {
    OPT_SI_MEAN = HB_OPT_FIRST_FREE,
    OPT_SI_SD,
    OPT_SI_DISTR,
    OPT_WINDOW,
    OPT_MEAN_PRIOR,
    OPT_STD_PRIOR,
    OPT_U_FIRST, /* the uncertain_si options, in the order of u_fields below */
    OPT_U_LAST = OPT_U_FIRST + 5,
    OPT_N1,
    OPT_N2,
    OPT_SEED,
};

static const char *const u_names[6] = { "si-mean-sd", "si-mean-min", "si-mean-max",
                                        "si-sd-sd",   "si-sd-min",   "si-sd-max" };

typedef struct rt_args {
    hb_epi_si si;
    size_t window;
    hb_rt_options prior;
    bool uncertain;
    double u[6];
    hb_rt_uncertain_si unc;
    size_t seed;
} rt_args;

static int parse_option(rt_args *a, int opt)
{
    const hb_cli_command *cmd = &hb_cmd_rt;
    switch (opt) {
    case OPT_SI_MEAN:
        return hb_epi_number(cmd, "si-mean", optarg, false, &a->si.mean_days);
    case OPT_SI_SD:
        return hb_epi_number(cmd, "si-sd", optarg, false, &a->si.sd_days);
    case OPT_SI_DISTR:
        a->si.distr_path = optarg;
        return 0;
    case OPT_WINDOW:
        return hb_epi_count(cmd, "window", optarg, 1, HB_SERIES_LENGTH_MAX, &a->window);
    case OPT_MEAN_PRIOR:
        return hb_epi_number(cmd, "mean-prior", optarg, false, &a->prior.mean_prior);
    case OPT_STD_PRIOR:
        return hb_epi_number(cmd, "std-prior", optarg, false, &a->prior.std_prior);
    case OPT_N1:
        return hb_epi_count(cmd, "n1", optarg, 1, HB_RT_SAMPLES_MAX, &a->unc.n1);
    case OPT_N2:
        return hb_epi_count(cmd, "n2", optarg, 1, HB_RT_SAMPLES_MAX, &a->unc.n2);
    case OPT_SEED:
        return hb_epi_count(cmd, "seed", optarg, 0, SIZE_MAX, &a->seed);
    default:
        if (opt >= OPT_U_FIRST && opt <= OPT_U_LAST) {
            a->uncertain = true;
            return hb_epi_number(cmd, u_names[opt - OPT_U_FIRST], optarg, true,
                                 &a->u[opt - OPT_U_FIRST]);
        }
        return 0;
    }
}

/* Complete and check the uncertain_si settings. */
static int check_uncertain(rt_args *a, int freq)
{
    const hb_cli_command *cmd = &hb_cmd_rt;
    for (int i = 0; i < 6; i++)
        if (isnan(a->u[i]))
            return hb_cli_usage(cmd,
                                "uncertain serial interval: --%s is missing (all six of "
                                "--si-mean-sd/min/max and --si-sd-sd/min/max are needed)",
                                u_names[i]);
    if (isnan(a->si.mean_days) || a->si.distr_path)
        return hb_cli_usage(cmd, "uncertain serial interval: give --si-mean and --si-sd");
    if (freq != 365)
        return hb_cli_usage(cmd, "an uncertain serial interval needs daily data");
    a->unc.mean_si = a->si.mean_days, a->unc.std_si = a->si.sd_days;
    a->unc.std_mean_si = a->u[0], a->unc.min_mean_si = a->u[1], a->unc.max_mean_si = a->u[2];
    a->unc.std_std_si = a->u[3], a->unc.min_std_si = a->u[4], a->unc.max_std_si = a->u[5];
    return 0;
}

static int put_number(hb_buf *buf, double v)
{
    return isnan(v) ? hb_buf_puts(buf, ",NA") : hb_buf_printf(buf, ",%.10g", v);
}

static int write_windows(hb_buf *buf, const hb_series *s, const hb_rt_window *w, size_t nw)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nw; i++) {
        char d1[HB_DATE_STRLEN], d2[HB_DATE_STRLEN];
        rc = hb_epi_put_key(buf, s);
        if (rc == 0)
            rc = hb_buf_printf(buf, "%s,%s", hb_date_format(d1, s->dates[w[i].t_start]),
                               hb_date_format(d2, s->dates[w[i].t_end]));
        if (rc == 0)
            rc = put_number(buf, w[i].mean);
        if (rc == 0)
            rc = put_number(buf, w[i].sd);
        for (int j = 0; rc == 0 && j < HB_RT_NQUANTILES; j++)
            rc = put_number(buf, w[i].q[j]);
        if (rc == 0)
            rc = hb_buf_putc(buf, '\n');
    }
    return rc;
}

/* Estimate one series into buf; HB_ENODATA etc. are reported by the caller. */
static int estimate_series(hb_buf *buf, const hb_series *s, const rt_args *a, int freq)
{
    size_t nw = hb_rt_window_count(s->length, a->window);
    if (nw == 0)
        return hb_error_set(HB_ENODATA, "%zu periods: too short for a window of %zu", s->length,
                            a->window);
    hb_rt_window *w = hb_calloc(nw, sizeof *w);
    double *si = NULL;
    size_t si_len = 0;
    int rc = w ? 0 : HB_ENOMEM;
    hb_rt_sliding_windows(w, s->length, a->window);
    if (rc == 0 && a->uncertain) {
        hb_rng rng;
        hb_rng_seed(&rng, a->seed);
        rc = hb_rt_estimate_uncertain(w, nw, s->values, s->imported, s->length, &a->unc, &a->prior,
                                      &rng);
    } else if (rc == 0) {
        rc = hb_epi_si_load(&si, &si_len, &a->si, freq, s->length);
        if (rc == 0)
            rc = hb_rt_estimate(w, nw, s->values, s->imported, s->length, si, si_len, &a->prior);
    }
    if (rc == 0)
        rc = write_windows(buf, s, w, nw);
    hb_free(si);
    hb_free(w);
    return rc;
}

static int run_all(const hb_series_set *set, const rt_args *a)
{
    hb_buf buf;
    hb_buf_init(&buf, 0);
    int rc = hb_epi_put_key_header(&buf, set);
    if (rc == 0)
        rc = hb_buf_puts(&buf, "t_start,t_end,mean,sd,q025,q05,q25,median,q75,q95,q975\n");
    size_t ok = 0, n = hb_series_count(set);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        const hb_series *s = hb_series_at(set, i);
        rc = estimate_series(&buf, s, a, hb_series_freq(set));
        if (rc == HB_ENODATA || (rc == HB_EINVAL && n > 1)) {
            fprintf(stderr, "healthybay rt: series '%s' skipped: %s\n", s->key, hb_error_last());
            rc = 0;
        } else if (rc == 0) {
            ok++;
        }
        if (rc == 0)
            rc = hb_epi_flush(&buf);
    }
    hb_buf_dispose(&buf);
    if (rc < 0)
        return hb_cli_fail_last();
    if (fflush(stdout) != 0)
        return hb_cli_fail("cannot write the output");
    return ok > 0 ? HB_EXIT_OK : hb_cli_fail("no series could be estimated");
}

static int run_rt(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "si-mean", required_argument, NULL, OPT_SI_MEAN },
        { "si-sd", required_argument, NULL, OPT_SI_SD },
        { "si-distr", required_argument, NULL, OPT_SI_DISTR },
        { "window", required_argument, NULL, OPT_WINDOW },
        { "mean-prior", required_argument, NULL, OPT_MEAN_PRIOR },
        { "std-prior", required_argument, NULL, OPT_STD_PRIOR },
        { "si-mean-sd", required_argument, NULL, OPT_U_FIRST },
        { "si-mean-min", required_argument, NULL, OPT_U_FIRST + 1 },
        { "si-mean-max", required_argument, NULL, OPT_U_FIRST + 2 },
        { "si-sd-sd", required_argument, NULL, OPT_U_FIRST + 3 },
        { "si-sd-min", required_argument, NULL, OPT_U_FIRST + 4 },
        { "si-sd-max", required_argument, NULL, OPT_U_FIRST + 5 },
        { "n1", required_argument, NULL, OPT_N1 },
        { "n2", required_argument, NULL, OPT_N2 },
        { "seed", required_argument, NULL, OPT_SEED },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    rt_args a = { .window = 7, .seed = 1 };
    hb_epi_si_init(&a.si);
    hb_rt_options_init(&a.prior);
    hb_rt_uncertain_si_init(&a.unc);
    for (int i = 0; i < 6; i++)
        a.u[i] = NAN;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_rt, argc, argv, options, &common)) >= 0)
        if (parse_option(&a, opt) != 0)
            return HB_EXIT_USAGE;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 1 != argc)
        return hb_cli_usage(&hb_cmd_rt, "expected one FILE.csv (or - for standard input)");
    if (hb_epi_si_check(&hb_cmd_rt, &a.si, true) != 0)
        return HB_EXIT_USAGE;
    hb_series_set *set;
    if (hb_epi_read(&set, argv[optind], NULL) < 0)
        return hb_cli_fail_last();
    int rc = a.uncertain ? check_uncertain(&a, hb_series_freq(set)) : 0;
    if (rc == 0)
        rc = run_all(set, &a);
    hb_series_free(set);
    return rc;
}

const hb_cli_command hb_cmd_rt = {
    "rt",
    "estimate the time-varying reproduction number Rt (Cori et al., as R's EpiEstim)",
    "Usage: healthybay rt (--si-mean M --si-sd S | --si-distr FILE.csv) [--window 7]\n"
    "                     [--mean-prior 5 --std-prior 5] FILE.csv\n"
    "\n"
    "Estimate Rt, the average number of people each case infects, over sliding windows, with\n"
    "the method of Cori et al. (2013) exactly as R's EpiEstim 2.2 estimate_R() computes it.\n"
    "\n"
    "Input: CSV with `date`, `count` (local cases by onset), optionally `imported` (imported\n"
    "cases: they infect others but are not counted as infected locally), and any key columns\n"
    "(region, disease, ...): one series per key. Daily, weekly or monthly, without gaps.\n"
    "\n"
    "Serial interval (time from a case's onset to the onsets it causes):\n"
    "  --si-mean M --si-sd S   mean and sd in days of 1 + Gamma, discretised as EpiEstim's\n"
    "                          parametric_si (weekly data: summed into weeks)\n"
    "  --si-distr FILE.csv     a `probability` column, one row per period from 0 (must be 0)\n"
    "  Defaults by disease, with sources: data/serial_intervals.csv.\n"
    "Options:\n"
    "  --window W              periods per window (default 7): windows end at every period\n"
    "                          from W+1 on, as EpiEstim's default weekly windows\n"
    "  --mean-prior, --std-prior   Gamma prior of R (default 5 and 5)\n"
    "  --si-mean-sd, --si-mean-min, --si-mean-max, --si-sd-sd, --si-sd-min, --si-sd-max\n"
    "                          uncertain serial interval (EpiEstim's uncertain_si, daily data):\n"
    "                          --n1 intervals (default 500) x --n2 draws (default 50), --seed\n"
    "\n"
    "Output (CSV): key columns, t_start,t_end (dates), mean,sd and the posterior quantiles\n"
    "q025,q05,q25,median,q75,q95,q975. NA where the window ends before the mean serial\n"
    "interval (too early to estimate). A series too short for one window is skipped with a\n"
    "message.\n"
    "\n"
    "Examples:\n"
    "  healthybay rt --si-mean 8.4 --si-sd 3.8 sars-hk-2003.csv\n"
    "  healthybay rt --si-mean 5.2 --si-sd 1.7 --window 14 covid-hk.csv > rt.csv\n"
    "  healthybay rt --si-mean 2.6 --si-sd 1.5 --si-mean-sd 1 --si-mean-min 1 --si-mean-max 4.2 "
    "\\\n"
    "                --si-sd-sd 0.5 --si-sd-min 0.5 --si-sd-max 2.5 --seed 7 flu.csv\n",
    run_rt,
};
