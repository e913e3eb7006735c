/*
 * cli/cmd_ingest.c — `healthybay ingest FILE.csv`: load reported counts.
 */
#include <string.h>

#include "cli/cli.h"
#include "util/progress.h"
#include "util/limits.h"
#include "warn/ingest.h"

enum { OPT_DRY_RUN = HB_OPT_FIRST_FREE, OPT_SOURCE, OPT_JURISDICTION, OPT_ORGANISATION };

static void on_progress(const char *phase, uint64_t done, uint64_t total, void *payload)
{
    hb_progress_update(payload, phase, done, total,
                       strcmp(phase, "writing") == 0 ? "rows" : "bytes");
}

static int run_ingest(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { "source", required_argument, NULL, OPT_SOURCE },
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "organisation", required_argument, NULL, OPT_ORGANISATION },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_progress progress;
    hb_progress_init(&progress);
    hb_ingest_options opt = { .progress = on_progress, .payload = &progress };
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_ingest, argc, argv, options, &common)) >= 0) {
        if (o == OPT_DRY_RUN)
            opt.dry_run = true;
        else if (o == OPT_SOURCE)
            opt.source = optarg;
        else if (o == OPT_JURISDICTION)
            opt.jurisdiction = optarg;
        else if (o == OPT_ORGANISATION)
            opt.organisation = optarg;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 1 != argc)
        return hb_cli_usage(&hb_cmd_ingest, "expected one FILE.csv (or - for standard input)");
    const char *path = argv[optind];
    if (!opt.source)
        opt.source = strcmp(path, "-") == 0 ? "stdin" : path;
    if (opt.jurisdiction && strcmp(opt.jurisdiction, "GD") && strcmp(opt.jurisdiction, "HK") &&
        strcmp(opt.jurisdiction, "MO"))
        return hb_cli_usage(&hb_cmd_ingest, "--jurisdiction must be GD, HK or MO");

    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_ingest_report report;
    int rc = hb_ingest_file(store, path, &opt, &report);
    hb_progress_finish(&progress);
    hb_store_close(store);
    if (report.errors) {
        fputs(report.errors, stderr);
        if (report.nerrors > HB_REPORT_ERRORS_MAX)
            fprintf(stderr, "… and %llu more\n",
                    (unsigned long long)(report.nerrors - HB_REPORT_ERRORS_MAX));
    }
    hb_ingest_report_dispose(&report);
    if (rc < 0)
        return hb_cli_fail_last();
    if (opt.dry_run)
        printf("%s: %llu rows checked, all valid (dry run: nothing written)\n", path,
               (unsigned long long)report.rows);
    else if (report.batch_id)
        printf("%s: %llu row%s: %llu new, %llu corrected, %llu unchanged; batch %lld\n", path,
               (unsigned long long)report.rows, report.rows == 1 ? "" : "s",
               (unsigned long long)report.inserted, (unsigned long long)report.revised,
               (unsigned long long)report.unchanged, (long long)report.batch_id);
    else
        printf("%s: %llu row%s, all identical to what is stored: nothing changed\n", path,
               (unsigned long long)report.rows, report.rows == 1 ? "" : "s");
    return HB_EXIT_OK;
}

const hb_cli_command hb_cmd_ingest = {
    "ingest",
    "load reported counts from a CSV file, checked whole against the reference data",
    "Usage: healthybay ingest [--db URL] [--dry-run] [--jurisdiction GD|HK|MO]\n"
    "                         [--source NAME] [--organisation NAME] FILE.csv\n"
    "\n"
    "Load surveillance counts. The file has a header and the columns\n"
    "\n"
    "  date,region,disease,measure,value[,age_group][,sex]\n"
    "  2024-01-01,810000,influenza,positives,412\n"
    "  2024-01-01,HK-A,influenza,ili_rate,5.2\n"
    "\n"
    "  date       start of the reporting period (YYYY-MM-DD)\n"
    "  region     a region code (healthybay regions), e.g. 440100, HK-A, MO-COT\n"
    "  disease    a disease code (healthybay diseases), e.g. influenza, covid19, dengue\n"
    "  measure    cases, deaths, admissions, positives (whole numbers) or ili_rate,\n"
    "             positivity (numbers; positivity is a percentage)\n"
    "  age_group  all (default), A-B or A+ in years;  sex: all (default), female, male, unknown\n"
    "\n"
    "Every row is checked first. If any is bad, the file is rejected whole and every bad field\n"
    "is listed as file:line:column (up to 100); nothing is written. Sending the same data again\n"
    "changes nothing; a different value for a stored (region, disease, measure, age group, sex,\n"
    "date) is a correction: it becomes current and the old value is kept in the history.\n"
    "\n"
    "  --dry-run           check only\n"
    "  --jurisdiction J    accept only regions of J (an authority reports for its own)\n"
    "  --source NAME       recorded with the batch (default: the file name)\n"
    "\n"
    "A progress bar is drawn on a terminal. Example:\n"
    "  healthybay ingest --db gba.db hk-flu-2024-w05.csv\n",
    run_ingest,
};
