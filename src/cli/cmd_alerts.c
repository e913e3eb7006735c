/*
 * cli/cmd_alerts.c — `healthybay alerts` (list), `healthybay alert show ID` and the workflow
 * actions `healthybay alert assess|confirm|dismiss|close|reopen|comment ID`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/parse.h"
#include "warn/alerts.h"

enum { OPT_JURISDICTION = HB_OPT_FIRST_FREE, OPT_STATUS, OPT_DISEASE, OPT_COMMENT, OPT_AS };

static int run_alerts(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "status", required_argument, NULL, OPT_STATUS },
        { "disease", required_argument, NULL, OPT_DISEASE },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_alert_filter filter = { NULL, NULL, NULL, 0 };
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_alerts, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_JURISDICTION)
            filter.jurisdiction = optarg;
        else if (opt == OPT_STATUS)
            filter.status = optarg;
        else if (opt == OPT_DISEASE)
            filter.disease = optarg;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_alerts, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_alerts_list(store, &filter, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

/* `alert <action> ID`: the action is the word after "alert". */
static int run_alert(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "comment", required_argument, NULL, OPT_COMMENT },
        { "as", required_argument, NULL, OPT_AS },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *comment = NULL, *actor = NULL;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_alert, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_COMMENT)
            comment = optarg;
        else if (opt == OPT_AS)
            actor = optarg;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (argc - optind != 2)
        return hb_cli_usage(&hb_cmd_alert, "expected an action and an alert id");
    const char *verb = argv[optind], *idtext = argv[optind + 1];
    int64_t id;
    if (hb_parse_int64(&id, idtext, strlen(idtext)) < 0 || id <= 0)
        return hb_cli_usage(&hb_cmd_alert, "'%s' is not an alert id", idtext);
    hb_alert_action action = HB_ALERT_COMMENT;
    bool show = strcmp(verb, "show") == 0;
    if (!show && hb_alert_action_parse(&action, verb) < 0)
        return hb_cli_usage(&hb_cmd_alert, "%s", hb_error_last());
    if (!actor) {
        const char *user = getenv("USER");
        actor = user && *user ? user : "cli";
    }
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    int rc;
    if (show) {
        hb_table *t = NULL;
        rc = hb_alert_history(store, id, &t);
        if (rc == 0 && hb_table_row_count(t) == 0)
            rc = hb_error_set(HB_ENOTFOUND, "no alert %lld", (long long)id);
        if (rc == 0)
            rc = hb_cli_print_table(t, &common) ? HB_ERROR : 0;
        hb_table_free(t);
    } else {
        rc = hb_store_begin(store);
        if (rc == 0)
            rc = hb_alert_act(store, id, action, actor, comment);
        rc = rc == 0 ? hb_store_commit(store) : (hb_store_rollback(store), rc);
        if (rc == 0)
            printf("alert %lld: %s recorded\n", (long long)id, verb);
    }
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : HB_EXIT_OK;
}

const hb_cli_command hb_cmd_alerts = {
    "alerts",
    "list early-warning alerts with their level and status",
    "Usage: healthybay alerts [--jurisdiction GD|HK|MO] [--status STATUS|open]\n"
    "                         [--disease CODE] [--db URL] [--format table|csv|json]\n"
    "\n"
    "List alerts, the most recent first: id, jurisdiction, region, disease, measure, age group,\n"
    "sex, level now and at its highest (watch < warning < alert), status (new, assessing,\n"
    "confirmed, dismissed, closed), the first and last period that signalled, and the numbers\n"
    "behind the latest signal. --status open means new, assessing or confirmed.\n"
    "\n"
    "Example:\n"
    "  healthybay alerts --jurisdiction HK --status open --format csv\n",
    run_alerts,
};

const hb_cli_command hb_cmd_alert = {
    "alert",
    "show an alert's history, or move it through its workflow",
    "Usage: healthybay alert show ID\n"
    "       healthybay alert assess|confirm|dismiss|close|reopen|comment ID\n"
    "                        [--comment TEXT] [--as NAME] [--db URL]\n"
    "\n"
    "The workflow: new -> assessing -> confirmed or dismissed; a confirmed alert is closed when\n"
    "the event is over; a dismissed or closed one can be reopened. dismiss and comment need\n"
    "--comment. Every step is kept in the alert's history with who did it (--as, default the\n"
    "login name).\n"
    "\n"
    "Example:\n"
    "  healthybay alert assess 12\n"
    "  healthybay alert dismiss 12 --comment 'reporting artefact: two weeks sent at once'\n",
    run_alert,
};
