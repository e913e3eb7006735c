/*
 * cli/cmd_demo.c — `healthybay demo`: a working installation of the joint prevention and control
 * mechanism, from nothing, to look around in.
 *
 * It creates a new database, registers the three health authorities and some of their
 * institutions with tokens, gives each jurisdiction its signing key, loads the real surveillance
 * series of data/demo/ (compiled in), runs the early warning day by day over the demo span — so
 * there are signals, Rt, forecasts, alerts and cross-border notifications — writes the bulletins
 * of the last day and, with --serve, serves the API and the dashboard. Every step goes through
 * the same library calls as the commands and the server, so the demo shows what they do.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bulletin/bulletin.h"
#include "cli/cli.h"
#include "core/accounts.h"
#include "core/refdata.h"
#include "core/schema.h"
#include "core/signing.h"
#include "healthybay/date.h"
#include "store/migrate.h"
#include "util/alloc.h"
#include "util/embedded.h"
#include "util/progress.h"
#include "warn/alerts.h"
#include "warn/ingest.h"
#include "warn/notify.h"
#include "warn/schedule.h"

enum { OPT_DIR = HB_OPT_FIRST_FREE, OPT_SERVE, OPT_LISTEN, OPT_FROM, OPT_TO };

/* data/demo/ compiled in (src/CMakeLists.txt). */
extern const hb_embedded_file hb_data_demo[];
extern const size_t hb_data_demo_count;

/* The demo's span: Hong Kong's 2018/19 and 2019/20 influenza winters and the first weeks of
 * COVID-19 in the Bay Area; the run on each day sees only the data up to that day. */
#define DEMO_FROM "2019-01-01"
#define DEMO_TO   "2020-02-15"

static const struct {
    const char *code, *name, *jurisdiction;
    hb_org_kind kind;
} demo_orgs[] = {
    { "gd-hc", "Health Commission of Guangdong Province", "GD", HB_ORG_HEALTH_AUTHORITY },
    { "hk-dh", "Department of Health", "HK", HB_ORG_HEALTH_AUTHORITY },
    { "mo-ssm", "Health Bureau (Serviços de Saúde)", "MO", HB_ORG_HEALTH_AUTHORITY },
    { "gd-hku-szh", "The University of Hong Kong–Shenzhen Hospital", "GD", HB_ORG_HOSPITAL },
    { "hk-qmh", "Queen Mary Hospital", "HK", HB_ORG_HOSPITAL },
    { "mo-chcsj", "Centro Hospitalar Conde de São Januário", "MO", HB_ORG_HOSPITAL },
};

/* The tokens written to tokens.env: variable, organisation, roles. */
static const struct {
    const char *variable, *org, *roles;
} demo_tokens[] = {
    { "GD_ADMIN", "gd-hc", "admin" },     { "GD_EPIDEMIOLOGIST", "gd-hc", "epidemiologist" },
    { "HK_ADMIN", "hk-dh", "admin" },     { "HK_EPIDEMIOLOGIST", "hk-dh", "epidemiologist" },
    { "HK_AUDITOR", "hk-dh", "auditor" }, { "HK_REPORTER", "hk-qmh", "reporter" },
    { "MO_ADMIN", "mo-ssm", "admin" },    { "MO_EPIDEMIOLOGIST", "mo-ssm", "epidemiologist" },
};
#define NTOKENS (sizeof demo_tokens / sizeof demo_tokens[0])

/* The officers have read the past: each inbox keeps its latest few unacknowledged. */
#define DEMO_UNREAD 4
#define TOKEN_DAYS  30

/* The bulletins of the last day written to DIR/bulletins: jurisdiction and language. */
static const struct {
    const char *jurisdiction, *lang;
} demo_bulletins[] = { { "GBA", "en" }, { "GD", "zh-Hans" }, { "HK", "zh-Hant" }, { "MO", "pt" } };

typedef struct demo {
    const char *dir;
    char path[1024]; /* scratch for file names */
    char db[1024];   /* the database's URL */
    hb_store *store;
    char tokens[NTOKENS][HB_TOKEN_TEXT_LEN + 1];
} demo;

/* DIR/name in d->path; HB_EINVAL when it does not fit. */
static int file_in(demo *d, const char *name)
{
    int n = snprintf(d->path, sizeof d->path, "%s/%s", d->dir, name);
    if (n < 0 || (size_t)n >= sizeof d->path)
        return hb_error_set(HB_EINVAL, "--dir %s is too long", d->dir);
    return 0;
}

static int make_dir(const char *path, mode_t mode)
{
    if (mkdir(path, mode) < 0 && errno != EEXIST)
        return hb_error_set(HB_ERROR, "cannot create directory %s: %s", path, strerror(errno));
    return 0;
}

/* A fresh SQLite file in DIR (the demo always starts from nothing, so reruns are reproducible),
 * or the empty database the user gave with --db. */
static int open_database(demo *d, const char *url)
{
    if (!url) {
        static const char *const files[] = { "healthybay-demo.db-wal", "healthybay-demo.db-shm",
                                             "healthybay-demo.db" };
        for (size_t i = 0; i < 3; i++) {
            int rc = file_in(d, files[i]);
            if (rc < 0)
                return rc;
            if (unlink(d->path) < 0 && errno != ENOENT)
                return hb_error_set(HB_ERROR, "cannot remove %s: %s", d->path, strerror(errno));
        }
        url = d->path;
    }
    snprintf(d->db, sizeof d->db, "%s", url);
    url = d->db;
    size_t count;
    const hb_migration *list = hb_schema_migrations(&count);
    hb_migration_state *states = hb_calloc(count, sizeof *states);
    int rc = states ? hb_store_open(&d->store, url, HB_STORE_CREATE) : HB_ENOMEM;
    if (rc == 0)
        rc = hb_migrate_status(d->store, list, count, states);
    for (size_t i = 0; rc == 0 && i < count; i++)
        if (states[i].applied)
            rc = hb_error_set(HB_ECONFLICT,
                              "%s already holds a healthybay database; the demo builds its own:"
                              " give an empty database, or leave --db out for a SQLite file",
                              url);
    hb_free(states);
    size_t applied;
    if (rc == 0)
        rc = hb_migrate(d->store, list, count, &applied, NULL, NULL);
    if (rc == 0)
        printf("database      %s: schema and reference data (%zu migrations)\n", url, applied);
    return rc;
}

/* Organisations and tokens, as `healthybay org add` and `token create` would (audited). */
static int register_orgs(demo *d)
{
    int rc = hb_store_begin(d->store);
    for (size_t i = 0; rc == 0 && i < sizeof demo_orgs / sizeof demo_orgs[0]; i++) {
        hb_org org = { .kind = demo_orgs[i].kind };
        snprintf(org.code, sizeof org.code, "%s", demo_orgs[i].code);
        snprintf(org.name, sizeof org.name, "%s", demo_orgs[i].name);
        snprintf(org.jurisdiction, sizeof org.jurisdiction, "%s", demo_orgs[i].jurisdiction);
        char object[HB_ORG_CODE_MAX + 8];
        snprintf(object, sizeof object, "org/%s", org.code);
        rc = hb_org_create(d->store, &org);
        if (rc == 0)
            rc = hb_cli_audit(d->store, "org.create", object, org.jurisdiction);
    }
    for (size_t i = 0; rc == 0 && i < NTOKENS; i++) {
        hb_roles roles;
        hb_token_info info;
        hb_org org;
        rc = hb_roles_parse(&roles, demo_tokens[i].roles);
        if (rc == 0)
            rc = hb_org_get(d->store, &org, demo_tokens[i].org);
        if (rc == 0)
            rc = hb_token_create(d->store, &info, d->tokens[i], demo_tokens[i].org, roles, "demo",
                                 TOKEN_DAYS);
        char object[64];
        snprintf(object, sizeof object, "token/%s", info.id);
        if (rc == 0)
            rc = hb_cli_audit(d->store, "token.create", object, org.jurisdiction);
    }
    if (rc == 0)
        rc = hb_store_commit(d->store);
    else
        hb_store_rollback(d->store);
    if (rc == 0)
        printf("organisations %zu: the three health authorities and a hospital in each; %zu "
               "tokens\n",
               sizeof demo_orgs / sizeof demo_orgs[0], NTOKENS);
    return rc;
}

/* DIR/tokens.env, readable by the owner only: secrets are shown once and kept nowhere else. */
static int write_tokens(demo *d)
{
    int rc = file_in(d, "tokens.env");
    const char *f = d->path;
    int fd = rc == 0 ? open(f, O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (rc < 0)
        return rc;
    if (!out) {
        if (fd >= 0)
            close(fd);
        return hb_error_set(HB_ERROR, "cannot write %s: %s", f, strerror(errno));
    }
    fchmod(fd, 0600); /* an older file may have been created with other permissions */
    fprintf(out, "# healthybay demo tokens (valid %d days): . %s\n", TOKEN_DAYS, f);
    for (size_t i = 0; i < NTOKENS; i++)
        fprintf(out, "%s=%s  # %s, %s\n", demo_tokens[i].variable, d->tokens[i], demo_tokens[i].org,
                demo_tokens[i].roles);
    if (fclose(out) != 0)
        return hb_error_set(HB_ERROR, "cannot write %s: %s", f, strerror(errno));
    printf("tokens        %s (mode 0600)\n", f);
    return 0;
}

static int generate_keys(demo *d)
{
    static const char *const js[3] = { "GD", "HK", "MO" };
    char dir[sizeof d->path];
    int rc = file_in(d, "keys");
    snprintf(dir, sizeof dir, "%s", d->path);
    if (rc == 0)
        rc = make_dir(dir, 0700);
    for (size_t i = 0; rc == 0 && i < 3; i++) {
        char name[32], id[HB_KEY_ID_HEXLEN + 1];
        snprintf(name, sizeof name, "keys/%s-notify.key", js[i]);
        rc = file_in(d, name);
        if (rc == 0 && unlink(d->path) < 0 && errno != ENOENT) /* the previous demo's */
            rc = hb_error_set(HB_ERROR, "cannot remove %s: %s", d->path, strerror(errno));
        if (rc == 0)
            rc = hb_store_begin(d->store);
        if (rc == 0 && (rc = hb_signing_generate(d->store, dir, js[i], id)) == 0)
            rc = hb_store_commit(d->store);
        else if (rc < 0)
            hb_store_rollback(d->store);
    }
    if (rc == 0)
        printf("signing keys  %s: GD, HK, MO\n", dir);
    return rc;
}

static int load_data(demo *d)
{
    uint64_t rows = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < hb_data_demo_count; i++) {
        const hb_embedded_file *f = &hb_data_demo[i];
        hb_ingest_options opt = { .source = f->name, .organisation = "demo" };
        hb_ingest_report report;
        rc = hb_ingest_memory(d->store, f->name, f->data, f->size, &opt, &report);
        rows += report.rows;
        hb_ingest_report_dispose(&report);
    }
    if (rc == 0)
        printf("counts        %llu rows from %zu files of real surveillance data (data/demo)\n",
               (unsigned long long)rows, hb_data_demo_count);
    return rc;
}

/* The early warning day by day, as `healthybay run-daily --since FROM --date TO` would. */
static int run_days(demo *d, hb_date from, hb_date to)
{
    hb_warn_config cfg;
    int rc = hb_warn_config_defaults(&cfg);
    hb_progress progress;
    hb_progress_init(&progress);
    size_t screened = 0, raised = 0, notices = 0;
    char key_dir[sizeof d->path];
    if (rc == 0)
        rc = file_in(d, "keys");
    snprintf(key_dir, sizeof key_dir, "%s", d->path);
    for (hb_date day = from; rc == 0 && day <= to; day++) {
        hb_warn_day_report report;
        rc = hb_warn_day(d->store, &cfg, key_dir, day, NULL, NULL, &report);
        screened += report.run.screened;
        raised += report.run.alerts_raised;
        notices += report.daily.sent + report.alerts.sent;
        hb_progress_update(&progress, "early warning", (uint64_t)(day - from + 1),
                           (uint64_t)(to - from + 1), "days");
    }
    hb_progress_finish(&progress);
    char a[HB_DATE_STRLEN], b[HB_DATE_STRLEN];
    if (rc == 0)
        printf("daily runs    %s to %s: %zu periods screened, %zu alerts opened or raised, %zu "
               "signed notifications (all but the latest %d in each inbox acknowledged)\n",
               hb_date_format(a, from), hb_date_format(b, to), screened, raised, notices,
               DEMO_UNREAD);
    return rc;
}

static int acknowledge_history(demo *d)
{
    static const char *const js[3] = { "GD", "HK", "MO" };
    static const char *const officers[3] = { "gd-hc/demo", "hk-dh/demo", "mo-ssm/demo" };
    int rc = 0;
    for (size_t j = 0; rc == 0 && j < 3; j++) {
        hb_table *inbox = NULL;
        rc = hb_notify_inbox(d->store, js[j], false, &inbox); /* newest first */
        if (rc == 0)
            rc = hb_store_begin(d->store);
        for (size_t r = DEMO_UNREAD; rc == 0 && r < hb_table_row_count(inbox); r++) {
            int64_t id = strtoll(hb_table_cell(inbox, r, 0), NULL, 10);
            rc = hb_notify_ack(d->store, js[j], id, officers[j]);
        }
        if (rc == 0)
            rc = hb_store_commit(d->store);
        else if (inbox)
            hb_store_rollback(d->store);
        hb_table_free(inbox);
    }
    return rc;
}

static int write_bulletins(demo *d, hb_date day)
{
    char date[HB_DATE_STRLEN];
    hb_date_format(date, day);
    int rc = file_in(d, "bulletins");
    if (rc == 0)
        rc = make_dir(d->path, 0755);
    for (size_t i = 0; rc == 0 && i < sizeof demo_bulletins / sizeof demo_bulletins[0]; i++) {
        hb_bulletin_request req = { day, demo_bulletins[i].jurisdiction, demo_bulletins[i].lang,
                                    HB_EDITION_DAILY };
        hb_doc *doc = NULL;
        hb_buf pdf;
        hb_buf_init(&pdf, 0);
        rc = hb_bulletin_build(d->store, &req, &doc);
        if (rc == 0)
            rc = hb_doc_render(doc, HB_DOC_PDF, &pdf);
        hb_doc_free(doc);
        char name[64];
        snprintf(name, sizeof name, "bulletins/%s-%s-%s.pdf", req.jurisdiction, date, req.lang);
        if (rc == 0)
            rc = file_in(d, name);
        FILE *out = rc == 0 ? fopen(d->path, "wb") : NULL;
        if (rc == 0 && (!out || fwrite(pdf.ptr, 1, pdf.len, out) != pdf.len))
            rc = hb_error_set(HB_ERROR, "cannot write %s: %s", d->path, strerror(errno));
        if (out && fclose(out) != 0 && rc == 0)
            rc = hb_error_set(HB_ERROR, "cannot write %s: %s", d->path, strerror(errno));
        hb_buf_dispose(&pdf);
    }
    if (rc == 0)
        printf("bulletins     %s/bulletins: %s, in English, 简体, 繁體 and Português (PDF)\n",
               d->dir, date);
    return rc;
}

static int summarise_alerts(demo *d)
{
    hb_alert_filter open = { NULL, "open", NULL, 0 };
    hb_table *t = NULL;
    int rc = hb_alerts_list(d->store, &open, &t);
    if (rc == 0)
        printf("open alerts   %zu\n", hb_table_row_count(t));
    hb_table_free(t);
    return rc;
}

static int run_demo(int argc, char **argv)
{
    static const struct option options[] = {
        { "db", required_argument, NULL, HB_OPT_DB },
        { "help", no_argument, NULL, HB_OPT_HELP },
        { "dir", required_argument, NULL, OPT_DIR },
        { "serve", no_argument, NULL, OPT_SERVE },
        { "listen", required_argument, NULL, OPT_LISTEN },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    common.db = NULL; /* only an explicit --db: the demo does not use $HEALTHYBAY_DB */
    demo d = { .dir = "healthybay-demo" };
    const char *url = NULL, *listen = "127.0.0.1:8080";
    bool serve = false;
    hb_date from, to;
    hb_date_parse(&from, DEMO_FROM, strlen(DEMO_FROM));
    hb_date_parse(&to, DEMO_TO, strlen(DEMO_TO));
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_demo, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_DIR)
            d.dir = optarg;
        else if (opt == OPT_SERVE)
            serve = true;
        else if (opt == OPT_LISTEN)
            listen = optarg;
        else if (opt == OPT_FROM && hb_date_parse(&from, optarg, strlen(optarg)) < 0)
            return hb_cli_usage(&hb_cmd_demo, "--from: %s", hb_error_last());
        else if (opt == OPT_TO && hb_date_parse(&to, optarg, strlen(optarg)) < 0)
            return hb_cli_usage(&hb_cmd_demo, "--to: %s", hb_error_last());
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_demo, "unexpected argument '%s'", argv[optind]);
    if (from > to)
        return hb_cli_usage(&hb_cmd_demo, "--from is after --to");
    url = common.db;

    int rc = make_dir(d.dir, 0755);
    if (rc == 0)
        rc = open_database(&d, url);
    if (rc == 0)
        rc = register_orgs(&d);
    if (rc == 0)
        rc = write_tokens(&d);
    if (rc == 0)
        rc = generate_keys(&d);
    if (rc == 0)
        rc = load_data(&d);
    if (rc == 0)
        rc = run_days(&d, from, to);
    if (rc == 0)
        rc = acknowledge_history(&d);
    if (rc == 0)
        rc = write_bulletins(&d, to);
    if (rc == 0)
        rc = summarise_alerts(&d);
    hb_store_close(d.store);
    if (rc < 0)
        return hb_cli_fail_last();
    char *db = d.db;
    printf("\nTry:\n"
           "  . %s/tokens.env\n"
           "  healthybay alerts --db %s --status open\n"
           "  healthybay notifications inbox --db %s --jurisdiction HK\n"
           "  healthybay serve --db %s --no-schedule &\n"
           "  curl -H \"Authorization: Bearer $HK_EPIDEMIOLOGIST\" "
           "http://127.0.0.1:8080/api/v1/alerts?status=open\n",
           d.dir, db, db, db);
    if (!serve)
        return HB_EXIT_OK;
    printf("\nServing on http://%s — the dashboard at /, the API at /api/v1/; Ctrl-C stops.\n",
           listen);
    fflush(stdout);
    char *serve_argv[] = { "serve", "--db", db, "--listen", (char *)listen, "--no-schedule", NULL };
    optind = 0; /* getopt starts afresh for the serve command's options */
    return hb_cmd_serve.run(6, serve_argv);
}

const hb_cli_command hb_cmd_demo = {
    "demo",
    "build a working demonstration installation in ./healthybay-demo and show what to try",
    "Usage: healthybay demo [--dir DIR] [--db URL] [--serve [--listen HOST:PORT]]\n"
    "                       [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "\n"
    "Build the joint prevention and control mechanism from nothing, on real data:\n"
    "  1. a new database: DIR/healthybay-demo.db (replaced on every run), or --db, which must be\n"
    "     empty (a PostgreSQL database, say);\n"
    "  2. the three health authorities (gd-hc, hk-dh, mo-ssm) and a hospital in each, with\n"
    "     tokens in DIR/tokens.env (mode 0600; `. DIR/tokens.env` sets $HK_EPIDEMIOLOGIST …);\n"
    "  3. each jurisdiction's signing key in DIR/keys;\n"
    "  4. the surveillance series of data/demo (Hong Kong influenza and dengue, COVID-19 in the\n"
    "     Bay Area, Guangdong's notifiable diseases);\n"
    "  5. the daily early-warning run for every day from --from (" DEMO_FROM ") to --to\n"
    "     (" DEMO_TO "), each seeing only the data up to its day: signals, Rt, forecasts,\n"
    "     alerts and the signed cross-border notifications;\n"
    "  6. the bulletins of the last day in DIR/bulletins (PDF, in the four languages).\n"
    "With --serve it then serves the dashboard and the API on --listen (127.0.0.1:8080) until\n"
    "Ctrl-C, without the daily schedule (the demo's days are in the past).\n"
    "\n"
    "Example:\n"
    "  healthybay demo --serve\n"
    "  . healthybay-demo/tokens.env\n"
    "  curl -H \"Authorization: Bearer $HK_EPIDEMIOLOGIST\" \\\n"
    "      'http://127.0.0.1:8080/api/v1/surveillance/series?region=810000&disease=influenza"
    "&measure=positivity'\n",
    run_demo,
};
