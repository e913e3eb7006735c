/*
 * cli/main.c — the `healthybay` command: finds the subcommand and runs it.
 *
 * One binary, git-style. The command table below is the whole list; `healthybay --help` prints
 * it. A command name may be two words ("db migrate"): the longest match wins.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "healthybay/common.h"

/* One entry per line, so that parallel additions merge cleanly. */
static const hb_cli_command *const commands[] = {
    /* clang-format off */
    &hb_cmd_demo,
    &hb_cmd_db_migrate,
    &hb_cmd_db_status,
    &hb_cmd_regions,
    &hb_cmd_diseases,
    &hb_cmd_holidays,
    &hb_cmd_ingest,
    &hb_cmd_bulletin,
    &hb_cmd_run_daily,
    &hb_cmd_alerts,
    &hb_cmd_alert,
    &hb_cmd_notifications_inbox,
    &hb_cmd_notifications_show,
    &hb_cmd_notifications_ack,
    &hb_cmd_notifications_remind,
    &hb_cmd_keys_generate,
    &hb_cmd_keys_list,
    &hb_cmd_keys_revoke,
    &hb_cmd_detect,
    &hb_cmd_rt,
    &hb_cmd_forecast,
    &hb_cmd_backtest,
    &hb_cmd_serve,
    &hb_cmd_org_add,
    &hb_cmd_org_list,
    &hb_cmd_token_create,
    &hb_cmd_token_list,
    &hb_cmd_token_revoke,
    &hb_cmd_audit_verify,
    &hb_cmd_audit_list,
    &hb_cmd_policy,
    &hb_cmd_registry_import,
    &hb_cmd_registry_list,
    &hb_cmd_registry_history,
    &hb_cmd_registry_may_use,
    &hb_cmd_registry_may_practise,
    &hb_cmd_registry_expiring,
    &hb_cmd_registry_usage,
    &hb_cmd_registry_accreditations,
    &hb_cmd_registry_fhir,
    &hb_cmd_blood_search,
    &hb_cmd_blood_donors_import,
    &hb_cmd_blood_units_import,
    &hb_cmd_blood_donors_list,
    &hb_cmd_blood_units_list,
    &hb_cmd_blood_request_new,
    &hb_cmd_blood_request_offer,
    &hb_cmd_blood_request_decline,
    &hb_cmd_blood_request_accept,
    &hb_cmd_blood_request_ship,
    &hb_cmd_blood_request_receive,
    &hb_cmd_blood_request_cancel,
    &hb_cmd_blood_request_show,
    &hb_cmd_blood_requests,
    &hb_cmd_blood_antigens,
    &hb_cmd_blood_rare_types,
    &hb_cmd_blood_centres,
    &hb_cmd_blood_din,
    &hb_cmd_claims_submit,
    &hb_cmd_claims_import,
    &hb_cmd_claims_adjudicate,
    &hb_cmd_claims_list,
    &hb_cmd_claims_show,
    &hb_cmd_claims_reverse,
    &hb_cmd_vouchers_credit,
    &hb_cmd_vouchers_balance,
    &hb_cmd_vouchers_statement,
    &hb_cmd_rates_import,
    &hb_cmd_rates_list,
    &hb_cmd_settlement_run,
    &hb_cmd_settlement_statements,
    &hb_cmd_settle_reference,
    &hb_cmd_settle_accounts,
    &hb_cmd_settle_verify,
    &hb_cmd_vaccine_import,
    &hb_cmd_vaccine_status,
    &hb_cmd_vaccine_coverage,
    &hb_cmd_vaccine_products,
    &hb_cmd_vaccine_rules,
    &hb_cmd_vaccine_pseudonym,
    &hb_cmd_vaccine_keys_generate,
    &hb_cmd_vaccine_trust_add,
    &hb_cmd_vaccine_trust_list,
    &hb_cmd_vaccine_issue,
    &hb_cmd_vaccine_verify,
    /* clang-format on */
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The help's sections, each starting at its first command in the table above. */
static const struct {
    const hb_cli_command *first;
    const char *heading;
} sections[] = {
    { &hb_cmd_demo, "Start and reference data" },
    { &hb_cmd_ingest, "Joint prevention and control: reports, the daily early warning, alerts" },
    { &hb_cmd_notifications_inbox, "Cross-border notifications and their signing keys" },
    { &hb_cmd_detect, "Analysis of CSV files: detection, Rt, forecasts" },
    { &hb_cmd_serve, "Server, organisations, tokens, audit" },
    { &hb_cmd_registry_import, "Registries: HK/Macao medicines and devices, practitioners" },
    { &hb_cmd_blood_search, "Rare blood" },
    { &hb_cmd_claims_submit, "Cross-border settlement and Elderly Health Care Vouchers" },
    { &hb_cmd_vaccine_import, "Vaccination and certificates" },
};

static void print_help(FILE *out)
{
    fputs("healthybay — the Guangdong–Hong Kong–Macao Greater Bay Area health-cooperation hub\n"
          "\n"
          "Usage: healthybay <command> [options]   (healthybay <command> --help for details)\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++)
            if (sections[s].first == commands[i])
                fprintf(out, "\n%s:\n", sections[s].heading);
        fprintf(out, "  %-24s %s\n", commands[i]->name, commands[i]->summary);
    }
    fputs("\n"
          "The database is a SQLite file (--db FILE, or $HEALTHYBAY_DB, default ./healthybay.db)\n"
          "or PostgreSQL (--db postgresql://user@host:port/dbname).\n"
          "\n"
          "Start here:\n"
          "  healthybay demo --serve               a working installation on real data, served\n"
          "  healthybay db migrate --db gba.db     create a database with the reference data\n"
          "  healthybay regions --db gba.db        see the regions you can report for\n",
          out);
}

/* How many of argv's words name cmd ("db migrate" = 2), or 0 when they do not. */
static int match(const hb_cli_command *cmd, int argc, char **argv)
{
    const char *p = cmd->name;
    int words = 0;
    while (*p) {
        if (words >= argc)
            return 0;
        size_t len = strcspn(p, " ");
        if (strlen(argv[words]) != len || strncmp(argv[words], p, len) != 0)
            return 0;
        words++;
        p += len;
        p += *p == ' ';
    }
    return words;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc >= 3 && strcmp(argv[1], "help") == 0) {
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (match(commands[i], argc - 2, argv + 2)) {
                    fputs(commands[i]->help, stdout);
                    return HB_EXIT_OK;
                }
            fprintf(stderr, "healthybay: no command '%s'\n", argv[2]);
            return HB_EXIT_USAGE;
        }
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? HB_EXIT_USAGE : HB_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("healthybay %s\n", HB_VERSION);
        return HB_EXIT_OK;
    }
    const hb_cli_command *best = NULL;
    int best_words = 0;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        int words = match(commands[i], argc - 1, argv + 1);
        if (words > best_words) {
            best = commands[i];
            best_words = words;
        }
    }
    if (!best) {
        fprintf(stderr, "healthybay: '%s' is not a command. See 'healthybay --help'.\n", argv[1]);
        return HB_EXIT_USAGE;
    }
    /* The command sees its own name as argv[0] and its options after it. */
    optind = 0;
    return best->run(argc - best_words, argv + best_words);
}
