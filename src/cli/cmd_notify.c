/*
 * cli/cmd_notify.c — signing keys and cross-border notifications:
 * `healthybay keys generate|list|revoke` and `healthybay notifications inbox|show|ack|remind`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/signing.h"
#include "util/alloc.h"
#include "util/parse.h"
#include "warn/config.h"
#include "warn/notify.h"

enum { OPT_JURISDICTION = HB_OPT_FIRST_FREE, OPT_KEYS, OPT_ALL, OPT_AS, OPT_CONFIG };

static bool is_jurisdiction(const char *j)
{
    return j && (strcmp(j, "GD") == 0 || strcmp(j, "HK") == 0 || strcmp(j, "MO") == 0);
}

/* Parse the options shared by these commands; operands are left at argv[optind…]. */
static int parse(const hb_cli_command *cmd, int argc, char **argv, hb_cli_common *common,
                 const char **jurisdiction, const char **keys, bool *all, const char **as)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "keys", required_argument, NULL, OPT_KEYS },
        { "all", no_argument, NULL, OPT_ALL },
        { "as", required_argument, NULL, OPT_AS },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common_init(common);
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, common)) >= 0) {
        if (opt == OPT_JURISDICTION)
            *jurisdiction = optarg;
        else if (opt == OPT_KEYS)
            *keys = optarg;
        else if (opt == OPT_ALL)
            *all = true;
        else if (opt == OPT_AS)
            *as = optarg;
    }
    return opt == HB_CLI_EXIT ? common->exit_code : -1;
}

static int run_keys_generate(int argc, char **argv)
{
    hb_cli_common common;
    const char *j = NULL, *keys = NULL, *as = NULL;
    bool all = false;
    int rc = parse(&hb_cmd_keys_generate, argc, argv, &common, &j, &keys, &all, &as);
    if (rc >= 0)
        return rc;
    if (!is_jurisdiction(j))
        return hb_cli_usage(&hb_cmd_keys_generate, "--jurisdiction GD, HK or MO is required");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    char key_id[HB_KEY_ID_HEXLEN + 1];
    rc = hb_store_begin(store);
    if (rc == 0)
        rc = hb_signing_generate(store, keys, j, key_id);
    rc = rc == 0 ? hb_store_commit(store) : (hb_store_rollback(store), rc);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("%s: key %s (private key in %s/%s-notify.key, readable by you only)\n", j, key_id,
           hb_signing_key_dir(keys), j);
    return HB_EXIT_OK;
}

static int run_keys_list(int argc, char **argv)
{
    hb_cli_common common;
    const char *j = NULL, *keys = NULL, *as = NULL;
    bool all = false;
    int rc = parse(&hb_cmd_keys_list, argc, argv, &common, &j, &keys, &all, &as);
    if (rc >= 0)
        return rc;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    rc = hb_signing_keys(store, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

static int run_keys_revoke(int argc, char **argv)
{
    hb_cli_common common;
    const char *j = NULL, *keys = NULL, *as = NULL;
    bool all = false;
    int rc = parse(&hb_cmd_keys_revoke, argc, argv, &common, &j, &keys, &all, &as);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return hb_cli_usage(&hb_cmd_keys_revoke, "expected one key id");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    rc = hb_signing_revoke(store, argv[optind]);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("key %s revoked: it can sign nothing more; what it signed before stays valid\n",
           argv[optind]);
    return HB_EXIT_OK;
}

static int run_inbox(int argc, char **argv)
{
    hb_cli_common common;
    const char *j = NULL, *keys = NULL, *as = NULL;
    bool all = false;
    int rc = parse(&hb_cmd_notifications_inbox, argc, argv, &common, &j, &keys, &all, &as);
    if (rc >= 0)
        return rc;
    if (!is_jurisdiction(j))
        return hb_cli_usage(&hb_cmd_notifications_inbox, "--jurisdiction GD, HK or MO is required");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    rc = hb_notify_inbox(store, j, all, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

/* show ID and ack ID: the recipient's jurisdiction and one notification id. */
static int run_one(const hb_cli_command *cmd, int argc, char **argv, bool ack)
{
    hb_cli_common common;
    const char *j = NULL, *keys = NULL, *as = NULL;
    bool all = false;
    int rc = parse(cmd, argc, argv, &common, &j, &keys, &all, &as);
    if (rc >= 0)
        return rc;
    int64_t id;
    if (!is_jurisdiction(j))
        return hb_cli_usage(cmd, "--jurisdiction GD, HK or MO (the recipient) is required");
    if (argc - optind != 1 || hb_parse_int64(&id, argv[optind], strlen(argv[optind])) < 0)
        return hb_cli_usage(cmd, "expected one notification id");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    char *json = NULL;
    if (ack) {
        const char *user = getenv("USER");
        rc = hb_notify_ack(store, j, id, as ? as : user && *user ? user : "cli");
    } else {
        rc = hb_notify_get(store, j, id, &json);
    }
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    if (ack)
        printf("notification %lld acknowledged for %s\n", (long long)id, j);
    else
        printf("%s\n", json);
    hb_free(json);
    return HB_EXIT_OK;
}

static int run_show(int argc, char **argv)
{
    return run_one(&hb_cmd_notifications_show, argc, argv, false);
}

static int run_ack(int argc, char **argv)
{
    return run_one(&hb_cmd_notifications_ack, argc, argv, true);
}

static int run_remind(int argc, char **argv)
{
    hb_cli_common common;
    const char *j = NULL, *keys = NULL, *as = NULL;
    bool all = false;
    int rc = parse(&hb_cmd_notifications_remind, argc, argv, &common, &j, &keys, &all, &as);
    if (rc >= 0)
        return rc;
    const char *config = getenv("HEALTHYBAY_CONFIG");
    hb_warn_config cfg;
    if (hb_warn_config_load(&cfg, config && *config ? config : NULL) < 0)
        return hb_cli_fail_last();
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_notify_report report;
    rc = hb_notify_remind(store, keys, cfg.reminder_hours, &report);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("%zu reminders sent (notifications unacknowledged for %d hours)%s\n", report.sent,
           cfg.reminder_hours, report.unsigned_ ? "; some senders have no key here" : "");
    return HB_EXIT_OK;
}

#define KEYS_HELP \
    "  --keys DIR   the private keys' directory (default: $HEALTHYBAY_KEYS, else ./keys)\n"

const hb_cli_command hb_cmd_keys_generate = {
    "keys generate",
    "create a jurisdiction's key for signing its cross-border notifications",
    "Usage: healthybay keys generate --jurisdiction GD|HK|MO [--keys DIR] [--db URL]\n"
    "\n"
    "Create an ECDSA P-256 key: the private key is written to DIR/J-notify.key, readable by its\n"
    "owner only; the public key is registered in the database so the other jurisdictions can\n"
    "verify what J signs. An existing key file is never overwritten.\n" KEYS_HELP,
    run_keys_generate,
};

const hb_cli_command hb_cmd_keys_list = {
    "keys list",
    "list the registered public signing keys",
    "Usage: healthybay keys list [--db URL] [--format table|csv|json]\n",
    run_keys_list,
};

const hb_cli_command hb_cmd_keys_revoke = {
    "keys revoke",
    "revoke a signing key (what it signed before stays verifiable)",
    "Usage: healthybay keys revoke KEY_ID [--db URL]\n",
    run_keys_revoke,
};

const hb_cli_command hb_cmd_notifications_inbox = {
    "notifications inbox",
    "a health authority's cross-border notifications, verified on receipt",
    "Usage: healthybay notifications inbox --jurisdiction GD|HK|MO [--all] [--db URL]\n"
    "                                      [--format table|csv|json]\n"
    "\n"
    "The notifications sent to the jurisdiction, newest first: the other two authorities' daily\n"
    "epidemic situation, their alerts, and reminders of what is not yet acknowledged. Each is\n"
    "verified against its sender's registered key: status 'verified', or 'refused: why' (a\n"
    "changed message, an unknown or revoked key). Unacknowledged ones only, unless --all.\n",
    run_inbox,
};

const hb_cli_command hb_cmd_notifications_show = {
    "notifications show",
    "one notification, verified, as JSON",
    "Usage: healthybay notifications show ID --jurisdiction GD|HK|MO [--db URL]\n",
    run_show,
};

const hb_cli_command hb_cmd_notifications_ack = {
    "notifications ack",
    "acknowledge a notification (and its reminders)",
    "Usage: healthybay notifications ack ID --jurisdiction GD|HK|MO [--as NAME] [--db URL]\n"
    "\n"
    "A refused notification (it does not verify) cannot be acknowledged.\n",
    run_ack,
};

const hb_cli_command hb_cmd_notifications_remind = {
    "notifications remind",
    "send reminders for notifications left unacknowledged",
    "Usage: healthybay notifications remind [--keys DIR] [--db URL]\n"
    "\n"
    "Every notification unacknowledged for [notify] reminder_hours (etc/healthybay.conf) gets a\n"
    "signed reminder from its sender, and another after each further period. The server does\n"
    "this by itself every hour.\n" KEYS_HELP,
    run_remind,
};
