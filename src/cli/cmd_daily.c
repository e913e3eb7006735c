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
#include "core/signing.h"
#include "warn/daily.h"
#include "warn/notify.h"

enum { OPT_DATE = HB_OPT_FIRST_FREE, OPT_SINCE, OPT_CONFIG, OPT_KEYS };

/* Today in the Greater Bay Area (UTC+8). */
static hb_date today_gba(void)
{
    char now[HB_TIMESTAMP_STRLEN], local[HB_TIMESTAMP_STRLEN];
    hb_date today = 0;
    if (hb_timestamp_add(local, hb_timestamp_now(now), 8 * 3600) == 0)
        hb_date_parse(&today, local, 10);
    return today;
}

typedef struct context {
    hb_progress progress;
    const hb_warn_config *cfg;
    const char *keys;
    hb_notify_report sent; /* alert notifications of the run */
} context;

static void on_progress(size_t done, size_t total, void *payload)
{
    context *c = payload;
    hb_progress_update(&c->progress, "screening", done, total, "series");
}

/* An alert reached the notify level: tell the other two jurisdictions at once. */
static int on_alert(hb_store *store, int64_t alert_id, hb_alert_level level, void *payload)
{
    context *c = payload;
    hb_notify_report r;
    if (level < c->cfg->rules.notify_level)
        return 0;
    int rc = hb_notify_alert(store, c->keys, alert_id, level, &r);
    if (rc < 0)
        return rc;
    c->sent.sent += r.sent;
    c->sent.unsigned_ += r.unsigned_;
    return 0;
}

/* After a day's run: each jurisdiction's daily notification to the other two. */
static int notify_day(hb_store *store, context *c, hb_date day)
{
    hb_notify_report r;
    int rc = hb_notify_daily(store, c->keys, day, &r);
    if (rc == 0 && (r.sent || c->sent.sent))
        printf("  notifications: %zu daily, %zu alert\n", r.sent, c->sent.sent);
    if (rc == 0 && (r.unsigned_ || c->sent.unsigned_))
        printf("  notifications: %zu not sent (no signing key in %s: healthybay keys generate)\n",
               r.unsigned_ + c->sent.unsigned_, hb_signing_key_dir(c->keys));
    memset(&c->sent, 0, sizeof c->sent);
    return rc;
}

static int parse_date_option(const char *text, hb_date *out)
{
    return hb_date_parse(out, text, strlen(text));
}

static void print_report(hb_date day, const hb_warn_run_report *r)
{
    char d[HB_DATE_STRLEN];
    if (r->already_done) {
        printf("%s: already done\n", hb_date_format(d, day));
        return;
    }
    printf("%s: %zu series, %zu screened (%zu unchanged, %zu not reporting), %zu with alarms, "
           "%zu alerts opened or raised, %zu Rt estimates, %zu forecasts\n",
           hb_date_format(d, day), r->series, r->screened, r->unchanged, r->stale, r->alarms,
           r->alerts_raised, r->rt, r->forecasts);
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
    hb_date date = today_gba(), since = 0;
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
    context c = { .cfg = &cfg, .keys = keys };
    hb_progress_init(&c.progress);
    hb_warn_hooks hooks = { on_progress, on_alert, &c };
    int rc = 0;
    for (hb_date d = has_since ? since : date; rc == 0 && d <= date; d++) {
        hb_warn_run_report report;
        rc = hb_warn_run(store, &cfg, d, &hooks, &report);
        hb_progress_finish(&c.progress);
        if (rc == 0 && (!has_since || report.screened > 0 || d == date))
            print_report(d, &report);
        if (rc == 0 && !report.already_done)
            rc = notify_day(store, &c, d);
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
