/*
 * cli/cmd_bulletin.c — `healthybay bulletin`: write a daily or weekly bulletin.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bulletin/bulletin.h"
#include "cli/cli.h"
#include "healthybay/date.h"

/* --format here chooses the document format (html, pdf, json), not a table format. */
enum { OPT_DATE = HB_OPT_FIRST_FREE, OPT_JURISDICTION, OPT_LANG, OPT_EDITION, OPT_FORMAT };

/* Write all of buf to path ("-" = standard output) or fail with the reason. */
static int write_output(const char *path, const hb_buf *buf)
{
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f)
        return hb_cli_fail("cannot create %s: %s", path, strerror(errno));
    size_t n = fwrite(buf->ptr, 1, buf->len, f);
    int closed = to_stdout ? fflush(f) : fclose(f);
    if (n != buf->len || closed != 0)
        return hb_cli_fail("cannot write %s", path);
    return 0;
}

static int run_bulletin(int argc, char **argv)
{
    static const struct option options[] = {
        { "db", required_argument, NULL, HB_OPT_DB },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "help", no_argument, NULL, HB_OPT_HELP },
        { "date", required_argument, NULL, OPT_DATE },
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "lang", required_argument, NULL, OPT_LANG },
        { "edition", required_argument, NULL, OPT_EDITION },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_bulletin_request req = { 0, "GBA", "en", HB_EDITION_DAILY };
    hb_doc_format format = HB_DOC_HTML;
    const char *output = "-", *date = NULL;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_bulletin, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_DATE)
            date = optarg;
        else if (opt == OPT_JURISDICTION)
            req.jurisdiction = optarg;
        else if (opt == OPT_LANG)
            req.lang = optarg;
        else if (opt == 'o')
            output = optarg;
        else if (opt == OPT_EDITION && strcmp(optarg, "daily") && strcmp(optarg, "weekly"))
            return hb_cli_usage(&hb_cmd_bulletin, "--edition must be daily or weekly");
        else if (opt == OPT_EDITION)
            req.edition = strcmp(optarg, "weekly") == 0 ? HB_EDITION_WEEKLY : HB_EDITION_DAILY;
        else if (opt == OPT_FORMAT && hb_doc_format_parse(&format, optarg) < 0)
            return hb_cli_usage(&hb_cmd_bulletin, "%s", hb_error_last());
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_bulletin, "unexpected argument '%s'", argv[optind]);
    if (!date)
        return hb_cli_usage(&hb_cmd_bulletin, "--date is required");
    if (hb_date_parse(&req.date, date, strlen(date)) < 0)
        return hb_cli_usage(&hb_cmd_bulletin, "--date: %s", hb_error_last());
    if (hb_bulletin_check(&req) < 0)
        return hb_cli_usage(&hb_cmd_bulletin, "%s", hb_error_last());
    if (format == HB_DOC_PDF && strcmp(output, "-") == 0 && isatty(fileno(stdout)))
        return hb_cli_usage(&hb_cmd_bulletin, "a PDF is not for the terminal: use -o FILE.pdf");

    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_doc *doc = NULL;
    hb_buf out;
    hb_buf_init(&out, 0);
    int rc = hb_bulletin_build(store, &req, &doc);
    hb_store_close(store);
    if (rc == 0)
        rc = hb_doc_render(doc, format, &out);
    hb_doc_free(doc);
    rc = rc < 0 ? hb_cli_fail_last() : write_output(output, &out);
    hb_buf_dispose(&out);
    return rc;
}

const hb_cli_command hb_cmd_bulletin = {
    "bulletin",
    "write the daily or weekly epidemic bulletin of a jurisdiction or the whole Bay Area",
    "Usage: healthybay bulletin --date YYYY-MM-DD [--jurisdiction GD|HK|MO|GBA]\n"
    "                           [--lang en|zh-Hans|zh-Hant|pt] [--edition daily|weekly]\n"
    "                           [--format html|pdf|json] [-o FILE] [--db URL]\n"
    "\n"
    "Build the bulletin from the data in the database up to --date: the situation in a few\n"
    "sentences, reported counts by disease with the previous period and the change, and charts\n"
    "of the last 52 periods. The weekly edition sums daily counts over the 7 days ending on the\n"
    "date. Defaults: the whole Greater Bay Area (GBA), English, daily, HTML on standard output.\n"
    "\n"
    "  -o, --output FILE   write to FILE instead of standard output (required for PDF on a\n"
    "                      terminal)\n"
    "\n"
    "Examples:\n"
    "  healthybay bulletin --date 2019-12-28 --jurisdiction HK --lang zh-Hant --format pdf \\\n"
    "      --edition weekly -o hk-2019-w52.pdf\n"
    "  healthybay bulletin --date 2019-12-28 --format json | jq .blocks[0]\n",
    run_bulletin,
};
