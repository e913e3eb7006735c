/*
 * cli/cmd_demo.c — `healthybay demo`: a fresh, self-contained installation to look around in.
 *
 * It creates a new SQLite database in a demo directory, applies every migration (schema and
 * reference data) and prints what is there and what to try next. The joint prevention and
 * control workflow extends it with real surveillance data, the daily run, bulletins and the
 * server as those parts land.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/refdata.h"
#include "core/schema.h"
#include "util/buf.h"

enum { OPT_DIR = HB_OPT_FIRST_FREE };

static int count_rows(hb_table *t, size_t col, const char *value)
{
    int n = 0;
    for (size_t r = 0; r < hb_table_row_count(t); r++)
        n += strcmp(hb_table_cell(t, r, col), value) == 0;
    return n;
}

/* A fresh database file: the demo always starts from nothing, so reruns are reproducible. */
static int fresh_database(const char *dir, hb_buf *path)
{
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return hb_cli_fail("cannot create directory %s: %s", dir, strerror(errno));
    static const char *const suffixes[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < 3; i++) {
        hb_buf_reset(path);
        if (hb_buf_printf(path, "%s/healthybay-demo.db%s", dir, suffixes[i]) < 0)
            return hb_cli_fail_last();
        if (unlink(hb_buf_cstr(path)) < 0 && errno != ENOENT)
            return hb_cli_fail("cannot remove %s: %s", hb_buf_cstr(path), strerror(errno));
    }
    hb_buf_reset(path);
    return hb_buf_printf(path, "%s/healthybay-demo.db", dir) < 0 ? hb_cli_fail_last() : 0;
}

static int summarise(hb_store *store)
{
    hb_table *regions = NULL, *diseases = NULL, *holidays = NULL;
    int rc = hb_refdata_regions(store, NULL, &regions);
    if (rc == 0)
        rc = hb_refdata_diseases(store, NULL, &diseases);
    if (rc == 0)
        rc = hb_refdata_holidays(store, NULL, 0, &holidays);
    if (rc == 0) {
        printf("Reference data loaded:\n"
               "  regions   %zu: %d Guangdong cities, %d Hong Kong districts, %d Macao parishes "
               "and %d area (Cotai)\n"
               "  diseases  %zu notifiable across the three jurisdictions\n"
               "  holidays  %zu public holidays and make-up working days\n",
               hb_table_row_count(regions), count_rows(regions, 2, "city"),
               count_rows(regions, 2, "district"), count_rows(regions, 2, "parish"),
               count_rows(regions, 2, "area"), hb_table_row_count(diseases),
               hb_table_row_count(holidays));
    }
    hb_table_free(regions);
    hb_table_free(diseases);
    hb_table_free(holidays);
    return rc;
}

static int run_demo(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "dir", required_argument, NULL, OPT_DIR },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *dir = "healthybay-demo";
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_demo, argc, argv, options, &common)) >= 0)
        if (opt == OPT_DIR)
            dir = optarg;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_demo, "unexpected argument '%s'", argv[optind]);

    hb_buf path;
    hb_buf_init(&path, 0);
    int rc = fresh_database(dir, &path);
    hb_store *store = NULL;
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    if (rc == 0 &&
        (hb_store_open(&store, hb_buf_cstr(&path), HB_STORE_CREATE) < 0 ||
         hb_migrate(store, list, count, &applied, NULL, NULL) < 0 || summarise(store) < 0))
        rc = hb_cli_fail_last();
    hb_store_close(store);
    if (rc == 0)
        printf("\nDatabase: %s\nTry:\n"
               "  healthybay regions  --db %s --jurisdiction HK\n"
               "  healthybay diseases --db %s --notifiable-in MO\n"
               "  healthybay holidays --db %s --jurisdiction GD --year 2024\n",
               hb_buf_cstr(&path), hb_buf_cstr(&path), hb_buf_cstr(&path), hb_buf_cstr(&path));
    hb_buf_dispose(&path);
    return rc;
}

const hb_cli_command hb_cmd_demo = {
    "demo",
    "set up a fresh demonstration database in ./healthybay-demo and show what to try",
    "Usage: healthybay demo [--dir DIR]\n"
    "\n"
    "Create DIR (default ./healthybay-demo) with a new SQLite database, apply every migration\n"
    "(schema and the Greater Bay Area reference data) and print a summary and next steps. An\n"
    "existing demo database in DIR is replaced, so every run starts from the same state.\n",
    run_demo,
};
