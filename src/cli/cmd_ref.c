/*
 * cli/cmd_ref.c — listing reference data: `healthybay regions`, `diseases`, `holidays`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/refdata.h"
#include "util/parse.h"

enum { OPT_JURISDICTION = HB_OPT_FIRST_FREE, OPT_LEVEL, OPT_YEAR };

static int finish(hb_store *store, int rc, hb_table *t, const hb_cli_common *common)
{
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, common);
    hb_table_free(t);
    return rc;
}

static int run_regions(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "level", required_argument, NULL, OPT_LEVEL },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_region_filter filter = { NULL, NULL };
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_regions, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_JURISDICTION)
            filter.jurisdiction = optarg;
        else if (opt == OPT_LEVEL)
            filter.level = optarg;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_regions, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_refdata_regions(store, &filter, &t);
    return finish(store, rc, t, &common);
}

static int run_diseases(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "notifiable-in", required_argument, NULL, OPT_JURISDICTION },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *notifiable_in = NULL;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_diseases, argc, argv, options, &common)) >= 0)
        if (opt == OPT_JURISDICTION)
            notifiable_in = optarg;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_diseases, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_refdata_diseases(store, notifiable_in, &t);
    return finish(store, rc, t, &common);
}

static int run_holidays(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "year", required_argument, NULL, OPT_YEAR },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *jurisdiction = NULL;
    int64_t year = 0;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_holidays, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_JURISDICTION)
            jurisdiction = optarg;
        else if (opt == OPT_YEAR &&
                 (hb_parse_int64(&year, optarg, strlen(optarg)) < 0 || year < 1 || year > 9999))
            return hb_cli_usage(&hb_cmd_holidays, "--year: '%s' is not a year", optarg);
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_holidays, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_refdata_holidays(store, jurisdiction, (int)year, &t);
    return finish(store, rc, t, &common);
}

const hb_cli_command hb_cmd_regions = {
    "regions",
    "list the regions of Guangdong, Hong Kong and Macao with their codes and populations",
    "Usage: healthybay regions [--jurisdiction GD|HK|MO] [--level LEVEL] [--db URL]\n"
    "                          [--format table|csv|json]\n"
    "\n"
    "List the regions that surveillance data is reported for: one region per jurisdiction\n"
    "(440000 Guangdong, 810000 Hong Kong, 820000 Macao), the nine mainland Greater Bay Area\n"
    "cities (GB/T 2260 codes), Hong Kong's 18 districts (HK-A … HK-T) and Macao's seven\n"
    "parishes and Cotai (MO-…), with names in English, simplified and traditional Chinese\n"
    "(and Portuguese for Macao) and the population with its year.\n"
    "\n"
    "  --jurisdiction J   only regions of GD, HK or MO\n"
    "  --level L          only jurisdiction, city, district, parish or area rows\n"
    "  --format F         table (default on a terminal), csv (default otherwise) or json\n"
    "\n"
    "Example:\n"
    "  healthybay regions --jurisdiction HK --format csv > hk-districts.csv\n",
    run_regions,
};

const hb_cli_command hb_cmd_diseases = {
    "diseases",
    "list the notifiable diseases of the three jurisdictions with codes and ICD-10",
    "Usage: healthybay diseases [--notifiable-in GD|HK|MO] [--db URL] [--format table|csv|json]\n"
    "\n"
    "List the diseases healthybay knows: the union of the mainland's statutory notifiable\n"
    "diseases (classes A, B and C), Hong Kong's (Cap. 599 Schedule 1) and Macao's (Law 2/2004),\n"
    "each with its stable code (used in every data file and API), ICD-10 codes and names.\n"
    "\n"
    "  --notifiable-in J  only the diseases notifiable in GD, HK or MO\n",
    run_diseases,
};

const hb_cli_command hb_cmd_holidays = {
    "holidays",
    "list public holidays and mainland make-up working days",
    "Usage: healthybay holidays [--jurisdiction GD|HK|MO] [--year YYYY] [--db URL]\n"
    "                           [--format table|csv|json]\n"
    "\n"
    "List each jurisdiction's public holidays (kind 'holiday') and, for the mainland, the\n"
    "weekend days that are working days to make up for a holiday (kind 'workday'). Reporting\n"
    "dips around holidays are expected; detection and forecasting take them into account.\n",
    run_holidays,
};
