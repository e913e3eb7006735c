/*
 * cli/cli.h — what the `healthybay` subcommands share.
 *
 * Anatomy of a command: a file src/cli/cmd_<group>.c defines `static int run_x(int argc, char
 * **argv)` and exports its hb_cli_command entries (name, summary, help); main.c lists them in the
 * command table. A command parses its own options with hb_cli_getopt(), returns 0 on success,
 * 1 on failure (after printing one message through hb_cli_fail()) and 2 on a usage error. A
 * command that answers a yes/no question exits 0 for yes and 3 (HB_EXIT_NO) for no.
 */
#ifndef HB_CLI_CLI_H
#define HB_CLI_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "store/store.h"
#include "util/error.h"
#include "util/table.h"

#define HB_EXIT_OK    0
#define HB_EXIT_FAIL  1
#define HB_EXIT_USAGE 2
#define HB_EXIT_NO    3 /* a yes/no question (registry may-use …) answered no */

typedef struct hb_cli_command {
    const char *name;    /* "regions", "db migrate" */
    const char *summary; /* one line for `healthybay --help` */
    const char *help;    /* the full text for `healthybay <command> --help` */
    int (*run)(int argc, char **argv);
} hb_cli_command;

/* Print "healthybay: <message>" on stderr; returns HB_EXIT_FAIL. */
int hb_cli_fail(const char *fmt, ...) HB_PRINTF(1, 2);
/* Print the last library error as the failure message; returns HB_EXIT_FAIL. */
int hb_cli_fail_last(void);
/* Print "healthybay <cmd>: <message>" and a hint to --help; returns HB_EXIT_USAGE. */
int hb_cli_usage(const hb_cli_command *cmd, const char *fmt, ...) HB_PRINTF(2, 3);

/* Options every command that touches the database or prints a table understands. */
typedef struct hb_cli_common {
    const char *db;   /* --db, else HEALTHYBAY_DB, else healthybay.db */
    hb_format format; /* --format, else table on a terminal and CSV otherwise */
    int exit_code;    /* set when hb_cli_getopt() returns HB_CLI_EXIT */
} hb_cli_common;

/* Long option ids of the common options, above any short-option character. */
enum { HB_OPT_DB = 1000, HB_OPT_FORMAT, HB_OPT_HELP, HB_OPT_FIRST_FREE };

/* clang-format off */
#define HB_CLI_COMMON_OPTIONS                                                                     \
    { "db", required_argument, NULL, HB_OPT_DB },                                                 \
    { "format", required_argument, NULL, HB_OPT_FORMAT },                                         \
    { "help", no_argument, NULL, HB_OPT_HELP }
/* clang-format on */

/* Initialise common options to their defaults. */
void hb_cli_common_init(hb_cli_common *common);

/* hb_cli_getopt() results besides an option character. */
#define HB_CLI_END (-1) /* no more options; operands start at optind */
#define HB_CLI_EXIT \
    (-2) /* --help was printed or the options were wrong: return common->exit_code */

/*
 * getopt_long for a subcommand, handling the common options itself. A long option whose value
 * is a letter also has that short form ({"output", required_argument, NULL, 'o'} gives -o).
 *
 *     while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0)
 *         switch (opt) { … }
 *     if (opt == HB_CLI_EXIT)
 *         return common.exit_code;
 */
int hb_cli_getopt(const hb_cli_command *cmd, int argc, char **argv, const struct option *options,
                  hb_cli_common *common);

/* Open the database named by common (must be migrated); prints the failure itself. */
int hb_cli_open_db(const hb_cli_common *common, hb_store **out);

/* Print a table in the chosen format on stdout. */
int hb_cli_print_table(const hb_table *table, const hb_cli_common *common);

/*
 * Record a command-line write in the audit log, inside the caller's transaction: the operator has
 * no organisation or token; the source is "cli <login name>" and jurisdiction the one acted in.
 */
int hb_cli_audit(hb_store *store, const char *action, const char *object, const char *jurisdiction);

/* Command groups (cmd_*.c). */
extern const hb_cli_command hb_cmd_db_migrate, hb_cmd_db_status;
extern const hb_cli_command hb_cmd_regions, hb_cmd_diseases, hb_cmd_holidays;
extern const hb_cli_command hb_cmd_demo, hb_cmd_ingest, hb_cmd_bulletin;
extern const hb_cli_command hb_cmd_alerts, hb_cmd_alert, hb_cmd_run_daily;
extern const hb_cli_command hb_cmd_keys_generate, hb_cmd_keys_list, hb_cmd_keys_revoke;
extern const hb_cli_command hb_cmd_notifications_inbox, hb_cmd_notifications_show,
    hb_cmd_notifications_ack, hb_cmd_notifications_remind;
extern const hb_cli_command hb_cmd_rt, hb_cmd_forecast, hb_cmd_backtest;
extern const hb_cli_command hb_cmd_serve;
extern const hb_cli_command hb_cmd_org_add, hb_cmd_org_list;
extern const hb_cli_command hb_cmd_token_create, hb_cmd_token_list, hb_cmd_token_revoke;
extern const hb_cli_command hb_cmd_audit_verify, hb_cmd_audit_list, hb_cmd_policy;
extern const hb_cli_command hb_cmd_registry_import, hb_cmd_registry_list, hb_cmd_registry_history,
    hb_cmd_registry_may_use, hb_cmd_registry_may_practise, hb_cmd_registry_expiring,
    hb_cmd_registry_usage, hb_cmd_registry_accreditations, hb_cmd_registry_fhir;
extern const hb_cli_command hb_cmd_blood_antigens, hb_cmd_blood_rare_types, hb_cmd_blood_centres,
    hb_cmd_blood_din, hb_cmd_blood_donors_import, hb_cmd_blood_units_import,
    hb_cmd_blood_donors_list, hb_cmd_blood_units_list, hb_cmd_blood_search,
    hb_cmd_blood_request_new, hb_cmd_blood_request_offer, hb_cmd_blood_request_decline,
    hb_cmd_blood_request_accept, hb_cmd_blood_request_ship, hb_cmd_blood_request_receive,
    hb_cmd_blood_request_cancel, hb_cmd_blood_request_show, hb_cmd_blood_requests;
extern const hb_cli_command hb_cmd_claims_submit, hb_cmd_claims_import, hb_cmd_claims_adjudicate;
extern const hb_cli_command hb_cmd_claims_list, hb_cmd_claims_show, hb_cmd_claims_reverse;
extern const hb_cli_command hb_cmd_rates_import, hb_cmd_rates_list;
extern const hb_cli_command hb_cmd_settlement_run, hb_cmd_settlement_statements;
extern const hb_cli_command hb_cmd_settle_reference, hb_cmd_settle_accounts, hb_cmd_settle_verify;
extern const hb_cli_command hb_cmd_vouchers_credit, hb_cmd_vouchers_balance;
extern const hb_cli_command hb_cmd_vouchers_statement;
extern const hb_cli_command hb_cmd_vaccine_import, hb_cmd_vaccine_status, hb_cmd_vaccine_coverage,
    hb_cmd_vaccine_products, hb_cmd_vaccine_rules, hb_cmd_vaccine_pseudonym,
    hb_cmd_vaccine_keys_generate, hb_cmd_vaccine_trust_add, hb_cmd_vaccine_trust_list,
    hb_cmd_vaccine_issue, hb_cmd_vaccine_verify;
extern const hb_cli_command hb_cmd_detect;

#endif
