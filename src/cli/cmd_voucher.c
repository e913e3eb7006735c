/*
 * cli/cmd_voucher.c — Elderly Health Care Vouchers: `healthybay vouchers credit|balance|
 * statement`.
 */
#include <string.h>

#include "cli/cli.h"
#include "healthybay/date.h"
#include "settle/money.h"
#include "settle/voucher.h"
#include "util/parse.h"

enum { OPT_AS = HB_OPT_FIRST_FREE, OPT_ON, OPT_GRANT };

static int run_vouchers_credit(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "as", required_argument, NULL, OPT_AS },
        { "on", required_argument, NULL, OPT_ON },
        { "grant", required_argument, NULL, OPT_GRANT },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_settle_caller caller;
    hb_settle_caller_init(&caller);
    caller.audit = hb_cli_audit; /* one entry per holder credited, in its transaction */
    const char *grant = NULL, *on = NULL;
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_vouchers_credit, argc, argv, options, &common)) >= 0)
        *(o == OPT_AS ? &caller.organisation : o == OPT_ON ? &on : &grant) = optarg;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (!grant)
        return hb_cli_usage(&hb_cmd_vouchers_credit, "--grant annual-YYYY or a one-off code");
    hb_date date = caller.today;
    if (on && hb_date_parse(&date, on, strlen(on)) < 0)
        return hb_cli_usage(&hb_cmd_vouchers_credit, "--on: %s", hb_error_last());
    int64_t year;
    if (!on && strncmp(grant, "annual-", 7) == 0 && strlen(grant) == 11 &&
        hb_parse_int64(&year, grant + 7, 4) == 0 && year >= 1900 && year <= 9999)
        date = hb_date_from_ymd((int)year, 1, 1); /* the annual grant is due on 1 January */
    caller.today = date;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_voucher_credit_report r;
    int rc = hb_voucher_credit(&r, store, &caller, grant, date);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    char credited[HB_MONEY_STRLEN], forfeited[HB_MONEY_STRLEN];
    printf("%s: %llu holders: %llu credited (HK$%s; HK$%s kept out by the cap), %llu had it "
           "already, %llu not yet eligible\n",
           grant, (unsigned long long)r.holders, (unsigned long long)r.credited,
           hb_money_display(credited, r.credited_minor, "HKD"),
           hb_money_display(forfeited, r.forfeited_minor, "HKD"), (unsigned long long)r.already,
           (unsigned long long)r.ineligible);
    return HB_EXIT_OK;
}

const hb_cli_command hb_cmd_vouchers_credit = {
    "vouchers credit",
    "credit a voucher grant to every eligible holder, up to the cap",
    "Usage: healthybay vouchers credit --grant annual-YYYY|CODE [--on DATE] [--as ORG]\n"
    "                                  [--db URL]\n"
    "\n"
    "annual-YYYY credits the annual amount of the rules in force on --on (default 1 January of\n"
    "YYYY: HK$2,000) to every voucher holder who is a member of the scheme and reaches the\n"
    "eligible age (65; 70 before 1 July 2017) in that year. A one-off grant (one-off-2018,\n"
    "one-off-2019) is credited on its own date. Balances never exceed the accumulation cap\n"
    "(HK$8,000 since 26 June 2019): what the cap keeps out is recorded. Each holder gets a\n"
    "grant once, so running the command again changes nothing.\n"
    "\n"
    "Example:\n"
    "  healthybay vouchers credit --grant annual-2024\n",
    run_vouchers_credit,
};

static int holder_arg(const hb_cli_command *cmd, int argc, char **argv, hb_cli_common *common,
                      hb_date *date, const char **holder)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "on", required_argument, NULL, OPT_ON },
        { NULL, 0, NULL, 0 },
    };
    hb_settle_caller caller;
    hb_settle_caller_init(&caller);
    *date = caller.today;
    int o;
    while ((o = hb_cli_getopt(cmd, argc, argv, options, common)) >= 0)
        if (hb_date_parse(date, optarg, strlen(optarg)) < 0)
            return hb_cli_usage(cmd, "--on: %s", hb_error_last());
    if (o == HB_CLI_EXIT)
        return common->exit_code;
    if (optind + 1 != argc)
        return hb_cli_usage(cmd, "expected one holder pseudonym");
    *holder = argv[optind];
    return -1;
}

static int run_vouchers_balance(int argc, char **argv)
{
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_date date;
    const char *holder;
    int rc = holder_arg(&hb_cmd_vouchers_balance, argc, argv, &common, &date, &holder);
    if (rc >= 0)
        return rc;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_voucher_status s;
    rc = hb_voucher_balance(&s, store, holder, date);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    char bal[HB_MONEY_STRLEN], cap[HB_MONEY_STRLEN], used[HB_MONEY_STRLEN], ocap[HB_MONEY_STRLEN];
    char day[HB_DATE_STRLEN];
    printf("%s on %s: balance HK$%s (cap HK$%s)%s\n", holder, hb_date_format(day, date),
           hb_money_display(bal, s.balance_minor, "HKD"), hb_money_display(cap, s.cap_minor, "HKD"),
           !s.member     ? "; not a member of the scheme"
           : !s.eligible ? "; not yet eligible"
                         : "");
    if (s.optometry_cap_minor >= 0)
        printf("optometry %s to %s: HK$%s used of HK$%s\n", s.cycle_from, s.cycle_to,
               hb_money_display(used, s.optometry_used_minor, "HKD"),
               hb_money_display(ocap, s.optometry_cap_minor, "HKD"));
    return HB_EXIT_OK;
}

const hb_cli_command hb_cmd_vouchers_balance = {
    "vouchers balance",
    "a voucher holder's balance, cap and optometry use",
    "Usage: healthybay vouchers balance HOLDER [--on DATE] [--db URL]\n"
    "\n"
    "Example:\n"
    "  healthybay vouchers balance P-7f3a\n",
    run_vouchers_balance,
};

static int run_vouchers_statement(int argc, char **argv)
{
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_date date;
    const char *holder;
    int rc = holder_arg(&hb_cmd_vouchers_statement, argc, argv, &common, &date, &holder);
    if (rc >= 0)
        return rc;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    rc = hb_voucher_statement(store, holder, HB_MONEY_DECIMAL, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

const hb_cli_command hb_cmd_vouchers_statement = {
    "vouchers statement",
    "every movement of a holder's vouchers, with fees, factors and the balance",
    "Usage: healthybay vouchers statement HOLDER [--db URL] [--format table|csv|json]\n"
    "\n"
    "Credits, uses at service points (the fee in RMB, the month's factor, the HKD deducted)\n"
    "and reversals, oldest first, with the balance after each.\n"
    "\n"
    "Example:\n"
    "  healthybay vouchers statement P-7f3a --format csv\n",
    run_vouchers_statement,
};
