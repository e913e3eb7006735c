/*
 * cli/cmd_daily.c — `healthybay run-daily`: the early-warning run for a day (or each day of a
 * span, to catch up or to build history).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "healthybay/date.h"
#include "util/clock.h"
#include "util/progress.h"
#include "warn/schedule.h"

enum { OPT_DATE = HB_OPT_FIRST_FREE, OPT_SINCE, OPT_CONFIG, OPT_KEYS };

static int parse_date_option(const char *text, hb_date *out)
{
    return hb_date_parse(out, text, strlen(text));
}

static void on_progress(size_t done, size_t total, void *payload)
{
    hb_progress_update(payload, "screening", done, total, "series");
}

static int run_daily(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "date", required_argument, NULL, OPT_DATE },
        { "since", required_argument, NULL, OPT_SINCE },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "keys", required_argument, NULL, OPT_KEYS },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_date date = hb_warn_local_date(hb_time_now()), since = 0;
    bool has_since = false;
    const char *config = getenv("HEALTHYBAY_CONFIG"), *keys = NULL;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_run_daily, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_DATE && parse_date_option(optarg, &date) < 0)
            return hb_cli_usage(&hb_cmd_run_daily, "--date: %s", hb_error_last());
        if (opt == OPT_SINCE && parse_date_option(optarg, &since) < 0)
            return hb_cli_usage(&hb_cmd_run_daily, "--since: %s", hb_error_last());
        has_since = has_since || opt == OPT_SINCE;
        if (opt == OPT_CONFIG)
            config = optarg;
        if (opt == OPT_KEYS)
            keys = optarg;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_run_daily, "unexpected argument '%s'", argv[optind]);
    if (has_since && since > date)
        return hb_cli_usage(&hb_cmd_run_daily, "--since is after --date");
    hb_warn_config cfg;
    if (hb_warn_config_load(&cfg, config && *config ? config : NULL) < 0)
        return hb_cli_fail_last();
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_progress progress;
    hb_progress_init(&progress);
    int rc = 0;
    for (hb_date d = has_since ? since : date; rc == 0 && d <= date; d++) {
        hb_warn_day_report report;
        rc = hb_warn_day(store, &cfg, keys, d, on_progress, &progress, &report);
        hb_progress_finish(&progress);
        if (rc == 0 && (!has_since || report.run.screened > 0 || d == date)) {
            char line[512];
            hb_warn_day_describe(d, &report, keys, line, sizeof line);
            printf("%s\n", line);
        }
    }
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : HB_EXIT_OK;
}

const hb_cli_command hb_cmd_run_daily = {
    "run-daily",
    "run the day's early warning: screen every series, estimate Rt, forecast, raise alerts",
    "Usage: healthybay run-daily [--date YYYY-MM-DD] [--since YYYY-MM-DD] [--config FILE]\n"
    "                            [--db URL]\n"
    "\n"
    "For every stored series with recent reports, screen its latest period with the detection\n"
    "methods configured for its measure and frequency, estimate Rt for case series of diseases\n"
    "with a known serial interval, forecast count series, store the numbers, and turn them into\n"
    "alerts by the configured rules. Each day runs once: running a day again reports \"already\n"
    "done\", also when several servers share one database.\n"
    "\n"
    "  --date D       the day to run for (default: today in UTC+8); data up to and including D\n"
    "  --since S      run every day from S to --date in turn (to catch up after an outage, or to\n"
    "                 build the history of signals for past data)\n"
    "  --config FILE  settings (default: $HEALTHYBAY_CONFIG, else the built-in defaults, which\n"
    "                 are etc/healthybay.conf; see docs/early-warning.md)\n"
    "  --keys DIR     the jurisdictions' signing keys for the notifications that follow each day\n"
    "                 (default: $HEALTHYBAY_KEYS, else ./keys); a jurisdiction without a key here\n"
    "                 sends none\n"
    "\n"
    "Example:\n"
    "  healthybay run-daily --db gba.db --date 2019-12-28\n"
    "  healthybay alerts --db gba.db --status open\n",
    run_daily,
};
