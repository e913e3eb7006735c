/*
 * cli/cmd_db.c — `healthybay db migrate` and `healthybay db status`.
 */
#include <string.h>

#include "cli/cli.h"
#include "core/schema.h"
#include "util/alloc.h"

static const struct option db_options[] = { HB_CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };

static void print_step(const hb_migration *m, void *payload)
{
    (void)payload;
    fprintf(stderr, "  applying %04d  %-6s %s\n", m->version, m->module, m->name);
}

static int run_migrate(int argc, char **argv)
{
    hb_cli_common common;
    hb_cli_common_init(&common);
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_db_migrate, argc, argv, db_options, &common)) >= 0)
        ;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_db_migrate, "unexpected argument '%s'", argv[optind]);

    hb_store *store;
    if (hb_store_open(&store, common.db, HB_STORE_CREATE) < 0)
        return hb_cli_fail_last();
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    int rc = hb_migrate(store, list, count, &applied, print_step, NULL);
    if (rc == 0)
        fprintf(stderr, "%s: %zu migration%s applied, schema at version %zu\n",
                hb_store_describe(store), applied, applied == 1 ? "" : "s", count);
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : HB_EXIT_OK;
}

static int run_status(int argc, char **argv)
{
    hb_cli_common common;
    hb_cli_common_init(&common);
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_db_status, argc, argv, db_options, &common)) >= 0)
        ;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_db_status, "unexpected argument '%s'", argv[optind]);

    hb_store *store;
    if (hb_store_open(&store, common.db, 0) < 0)
        return hb_cli_fail_last();
    size_t count;
    const hb_migration *list = hb_schema_migrations(&count);
    hb_migration_state *states = hb_xcalloc(count, sizeof *states);
    int rc = hb_migrate_status(store, list, count, states);
    hb_store_close(store);
    if (rc < 0) {
        hb_free(states);
        return hb_cli_fail_last();
    }
    static const char *const names[] = { "version", "module", "name", "state", "applied_at" };
    static const hb_col_kind kinds[] = { HB_COL_INT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT };
    hb_table *t;
    if (hb_table_new(&t, 5, names, kinds) < 0)
        return hb_cli_fail_last();
    size_t pending = 0, changed = 0;
    for (size_t i = 0; i < count; i++) {
        char version[16];
        snprintf(version, sizeof version, "%d", list[i].version);
        const char *state = !states[i].applied           ? "pending"
                            : states[i].checksum_matches ? "applied"
                                                         : "changed-after-apply";
        pending += !states[i].applied;
        changed += states[i].applied && !states[i].checksum_matches;
        const char *row[] = { version, list[i].module, list[i].name, state,
                              states[i].applied ? states[i].applied_at : NULL };
        if (hb_table_add_row(t, row) < 0)
            return hb_cli_fail_last();
    }
    hb_free(states);
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    if (rc != 0)
        return rc;
    if (changed)
        return hb_cli_fail("%zu applied migration%s changed since; the schema may differ from "
                           "this program's",
                           changed, changed == 1 ? " has" : "s have");
    if (pending)
        return hb_cli_fail("%zu migration%s pending: run 'healthybay db migrate'", pending,
                           pending == 1 ? "" : "s");
    return HB_EXIT_OK;
}

const hb_cli_command hb_cmd_db_migrate = {
    "db migrate",
    "create the database or bring its schema and reference data up to date",
    "Usage: healthybay db migrate [--db URL]\n"
    "\n"
    "Create the database if needed and apply every pending migration: the schema of each module\n"
    "and the reference data (jurisdictions, regions, diseases, holidays). Each migration runs in\n"
    "its own transaction; running it again applies nothing.\n"
    "\n"
    "  --db URL   a SQLite file (default: $HEALTHYBAY_DB, else ./healthybay.db) or a PostgreSQL\n"
    "             URL such as postgresql://healthybay@localhost:5432/healthybay\n"
    "\n"
    "Example:\n"
    "  healthybay db migrate --db gba.db\n",
    run_migrate,
};

const hb_cli_command hb_cmd_db_status = {
    "db status",
    "show which migrations are applied and which are pending",
    "Usage: healthybay db status [--db URL] [--format table|csv|json]\n"
    "\n"
    "List every migration with its state: applied, pending, or changed-after-apply (its\n"
    "definition in this program differs from what was applied). Exits 1 unless all are applied.\n",
    run_status,
};
