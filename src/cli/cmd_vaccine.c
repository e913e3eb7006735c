/*
 * cli/cmd_vaccine.c — `healthybay vaccine …`: records, recognition, coverage, keys, certificates.
 *
 * The commands are thin: parse options, call src/vaccine or src/dcc, print. `vaccine verify`
 * works without a database when given --trust-cert files, so a checkpoint laptop can verify
 * offline with nothing but the binary and the other side's signing certificates.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/policy.h"
#include "core/schema.h"
#include "dcc/keys.h"
#include "healthybay/date.h"
#include "healthybay/dcc.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/limits.h"
#include "util/parse.h"
#include "vaccine/vaccine.h"

enum {
    OPT_PERSON = HB_OPT_FIRST_FREE,
    OPT_UNDER,
    OPT_ON,
    OPT_FROM,
    OPT_TO,
    OPT_RESIDENCE,
    OPT_ADMINISTERED_IN,
    OPT_BY_PRODUCT,
    OPT_JURISDICTION,
    OPT_DIR,
    OPT_VALID_DAYS,
    OPT_SECRET,
    OPT_DOCUMENT_TYPE,
    OPT_NUMBER,
    OPT_KEYS,
    OPT_FAMILY,
    OPT_GIVEN,
    OPT_FAMILY_ICAO,
    OPT_GIVEN_ICAO,
    OPT_DOB,
    OPT_OUT,
    OPT_TRUST_CERT,
    OPT_AT
};

static int parse_day(const hb_cli_command *cmd, const char *opt, const char *text, hb_date *out)
{
    if (hb_date_parse(out, text, strlen(text)) < 0)
        return hb_cli_usage(cmd, "%s: %s", opt, hb_error_last());
    return 0;
}

static int read_whole(const char *path, hb_buf *out, size_t max)
{
    hb_buf_init(out, max); /* first: the caller disposes of it on every path */
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return hb_error_set(HB_ENOTFOUND, "%s: cannot open", path);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = hb_buf_put(out, chunk, n);
    if (f != stdin)
        fclose(f);
    if (rc == HB_ELIMIT)
        hb_error_set(rc, "%s: larger than %zu bytes", path, max);
    return rc;
}

/* Import in one transaction with its audit entry, as the HTTP route does (object
 * "vaccinations"): the operator's import is a write like any other. */
static int import_audited(hb_store *store, const char *path, const hb_buf *data,
                          hb_vaccine_import_report *report)
{
    hb_vaccine_import_options opt = { .today = hb_vaccine_today() };
    memset(report, 0, sizeof *report);
    int rc = hb_store_begin(store);
    if (rc == 0)
        rc = hb_vaccine_import(store, path, data->ptr ? data->ptr : "", data->len, &opt, report);
    if (rc == 0 && report->inserted > 0)
        rc = hb_cli_audit(store, hb_action_name(HB_ACT_VACCINE_WRITE), "vaccinations", NULL);
    if (rc == 0)
        return hb_store_commit(store);
    hb_store_rollback(store);
    return rc;
}

static int run_import(int argc, char **argv)
{
    static const struct option options[] = { HB_CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
    hb_cli_common common;
    hb_cli_common_init(&common);
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_vaccine_import, argc, argv, options, &common)) >= 0)
        ;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind != argc - 1)
        return hb_cli_usage(&hb_cmd_vaccine_import, "expected one FILE (or - for stdin)");
    hb_buf data;
    if (read_whole(argv[optind], &data, (size_t)1 << 30) < 0) {
        hb_buf_dispose(&data);
        return hb_cli_fail_last();
    }
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0) {
        hb_buf_dispose(&data);
        return HB_EXIT_FAIL;
    }
    hb_vaccine_import_report report;
    int rc = import_audited(store, argv[optind], &data, &report);
    hb_store_close(store);
    hb_buf_dispose(&data);
    for (size_t i = 0; i < report.nlisted; i++)
        fprintf(stderr, "%s\n", report.errors[i].message);
    if (report.nerrors > report.nlisted)
        fprintf(stderr, "… and %zu more\n", report.nerrors - report.nlisted);
    hb_vaccine_import_report_dispose(&report);
    if (rc < 0)
        return hb_cli_fail_last();
    fprintf(stderr, "%zu doses imported from %s (%zu new, %zu already recorded)\n", report.rows,
            argv[optind], report.inserted, report.unchanged);
    return HB_EXIT_OK;
}

static void print_status(const hb_vaccine_status *st, const char *person, const char *under,
                         hb_date on, hb_format format)
{
    char day[HB_DATE_STRLEN];
    if (format != HB_FORMAT_JSON) {
        printf("%s under %s on %s: %s\n", person, under, hb_date_format(day, on),
               st->full ? "FULLY VACCINATED" : "NOT fully vaccinated");
        printf("rules: %s\n%s", *st->version ? st->version : "(none in force)",
               hb_buf_cstr(&st->why));
        return;
    }
    json_t *j = hb_vaccine_status_json(st, person, under, on);
    json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(j);
}

static int run_status(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "person", required_argument, NULL, OPT_PERSON },
        { "under", required_argument, NULL, OPT_UNDER },
        { "on", required_argument, NULL, OPT_ON },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_vaccine_status;
    hb_cli_common common;
    hb_cli_common_init(&common);
    common.format = HB_FORMAT_TABLE;
    const char *person = NULL, *under = NULL;
    hb_date on = hb_vaccine_today();
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_PERSON)
            person = optarg;
        else if (opt == OPT_UNDER)
            under = optarg;
        else if (opt == OPT_ON && parse_day(cmd, "--on", optarg, &on) != 0)
            return HB_EXIT_USAGE;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (!person || !under || optind < argc)
        return hb_cli_usage(cmd, "--person and --under are required");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_vaccine_status st;
    int rc = hb_vaccine_status_of(store, person, under, on, &st);
    hb_store_close(store);
    if (rc < 0) {
        hb_vaccine_status_dispose(&st);
        return rc == HB_EINVAL ? hb_cli_usage(cmd, "%s", hb_error_last()) : hb_cli_fail_last();
    }
    print_status(&st, person, under, on, common.format);
    hb_vaccine_status_dispose(&st);
    return HB_EXIT_OK;
}

static int run_coverage(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "administered-in", required_argument, NULL, OPT_ADMINISTERED_IN },
        { "residence", required_argument, NULL, OPT_RESIDENCE },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "on", required_argument, NULL, OPT_ON },
        { "by-product", no_argument, NULL, OPT_BY_PRODUCT },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_vaccine_coverage;
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_vaccine_coverage_query q = { "GD", NULL, 0, hb_vaccine_today(), false };
    bool from_set = false;
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_ADMINISTERED_IN)
            q.administered_in = optarg;
        else if (opt == OPT_RESIDENCE)
            q.residence = optarg;
        else if (opt == OPT_BY_PRODUCT)
            q.by_product = true;
        else if ((opt == OPT_FROM || opt == OPT_TO || opt == OPT_ON) &&
                 parse_day(cmd, opt == OPT_FROM ? "--from" : "--to", optarg,
                           opt == OPT_FROM ? &q.from : &q.to) != 0)
            return HB_EXIT_USAGE;
        from_set |= opt == OPT_FROM;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (!from_set)
        q.from = q.to;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_vaccine_coverage(store, &q, &t);
    hb_store_close(store);
    if (rc < 0)
        return rc == HB_EINVAL ? hb_cli_usage(cmd, "%s", hb_error_last()) : hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

/* `vaccine products` and `vaccine rules`: listings with the common options only. */
static int run_listing(const hb_cli_command *cmd, int argc, char **argv, bool rules)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *jurisdiction = NULL;
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0)
        if (opt == OPT_JURISDICTION)
            jurisdiction = optarg;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = rules ? hb_vaccine_rules(store, jurisdiction, &t) : hb_vaccine_products(store, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

static int run_products(int argc, char **argv)
{
    return run_listing(&hb_cmd_vaccine_products, argc, argv, false);
}

static int run_rules(int argc, char **argv)
{
    return run_listing(&hb_cmd_vaccine_rules, argc, argv, true);
}

static int run_pseudonym(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "secret", required_argument, NULL, OPT_SECRET },
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "document-type", required_argument, NULL, OPT_DOCUMENT_TYPE },
        { "number", required_argument, NULL, OPT_NUMBER },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_vaccine_pseudonym;
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *secret_path = NULL, *j = NULL, *type = NULL, *number = NULL;
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_SECRET)
            secret_path = optarg;
        else if (opt == OPT_JURISDICTION)
            j = optarg;
        else if (opt == OPT_DOCUMENT_TYPE)
            type = optarg;
        else if (opt == OPT_NUMBER)
            number = optarg;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (!secret_path || !j || !type || !number || optind < argc)
        return hb_cli_usage(cmd, "--secret, --jurisdiction, --document-type and --number are "
                                 "required");
    uint8_t secret[64];
    size_t len;
    char out[HB_VACCINE_PERSON_MAX + 1];
    if (hb_vaccine_read_secret(secret, &len, sizeof secret, secret_path) < 0 ||
        hb_vaccine_pseudonym(out, j, secret, len, type, number) < 0)
        return hb_cli_fail_last();
    puts(out);
    return HB_EXIT_OK;
}

static const char *organisation_of(const char *j)
{
    return strcmp(j, "GD") == 0   ? "Health Commission of Guangdong Province"
           : strcmp(j, "HK") == 0 ? "Department of Health, Hong Kong SAR"
                                  : "Health Bureau, Macao SAR";
}

static int register_dsc(const hb_cli_common *common, const char *dir, const char *j)
{
    char path[HB_PATH_MAX];
    hb_buf pem;
    snprintf(path, sizeof path, "%s/dsc.pem", dir);
    hb_store *store;
    if (read_whole(path, &pem, HB_DCC_CERT_MAX) < 0) {
        hb_buf_dispose(&pem);
        return hb_cli_fail_last();
    }
    if (hb_cli_open_db(common, &store) != 0) {
        hb_buf_dispose(&pem);
        return HB_EXIT_FAIL;
    }
    int rc = hb_vaccine_trust_add(store, j, (const uint8_t *)pem.ptr, pem.len);
    hb_store_close(store);
    hb_buf_dispose(&pem);
    return rc < 0 ? hb_cli_fail_last() : HB_EXIT_OK;
}

static int run_keys_generate(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "dir", required_argument, NULL, OPT_DIR },
        { "valid-days", required_argument, NULL, OPT_VALID_DAYS },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_vaccine_keys_generate;
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *j = NULL, *dir = NULL;
    int64_t days = 730;
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_JURISDICTION)
            j = optarg;
        else if (opt == OPT_DIR)
            dir = optarg;
        else if (opt == OPT_VALID_DAYS &&
                 (hb_parse_int64(&days, optarg, strlen(optarg)) < 0 || days < 1 || days > 3650))
            return hb_cli_usage(cmd, "--valid-days: 1 to 3650");
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (!j || !dir || optind < argc || (strcmp(j, "GD") && strcmp(j, "HK") && strcmp(j, "MO")))
        return hb_cli_usage(cmd, "--jurisdiction GD|HK|MO and --dir are required");
    if (mkdir(dir, 0700) != 0)
        return hb_cli_fail("%s: cannot create (it must not exist yet: keys are never "
                           "overwritten)",
                           dir);
    hb_dcc_keygen spec = { dir, hb_vaccine_country(j), organisation_of(j), hb_time_now(),
                           (int)days };
    char secret[HB_PATH_MAX];
    snprintf(secret, sizeof secret, "%s/pseudonym.key", dir);
    if (hb_dcc_keys_generate(&spec) < 0 || hb_dcc_write_secret(secret, 32) < 0)
        return hb_cli_fail_last();
    int rc = register_dsc(&common, dir, j);
    if (rc == 0)
        fprintf(stderr,
                "keys for %s in %s (private keys and pseudonym secret mode 0600); the "
                "DSC is in the trust list\n",
                j, dir);
    return rc;
}

static int run_trust_add(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_vaccine_trust_add;
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *j = NULL;
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0)
        if (opt == OPT_JURISDICTION)
            j = optarg;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (!j || optind != argc - 1)
        return hb_cli_usage(cmd, "--jurisdiction and one certificate FILE are required");
    hb_buf cert;
    if (read_whole(argv[optind], &cert, HB_DCC_CERT_MAX) < 0) {
        hb_buf_dispose(&cert);
        return hb_cli_fail_last();
    }
    hb_store *store;
    int rc = HB_EXIT_FAIL;
    if (hb_cli_open_db(&common, &store) == 0) {
        rc = hb_vaccine_trust_add(store, j, (const uint8_t *)cert.ptr, cert.len) < 0
                 ? hb_cli_fail_last()
                 : HB_EXIT_OK;
        hb_store_close(store);
    }
    hb_buf_dispose(&cert);
    return rc;
}

static int run_trust_list(int argc, char **argv)
{
    static const struct option options[] = { HB_CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
    hb_cli_common common;
    hb_cli_common_init(&common);
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_vaccine_trust_list, argc, argv, options, &common)) >= 0)
        ;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_vaccine_trust_list(store, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

typedef struct issue_args {
    const char *person, *keys, *j, *out;
    hb_vaccine_holder holder;
    int64_t days;
} issue_args;

static int write_file(const char *prefix, const char *ext, const void *data, size_t len)
{
    char path[HB_PATH_MAX];
    snprintf(path, sizeof path, "%s.%s", prefix, ext);
    FILE *f = fopen(path, "wb");
    if (!f)
        return hb_error_set(HB_ERROR, "%s: cannot create", path);
    int ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    return ok ? 0 : hb_error_set(HB_ERROR, "%s: cannot write", path);
}

/* Sign the person's latest dose and write OUT.txt, OUT.png and OUT.svg; the certificate log
 * keeps the issue only when all three were written. */
static int issue(hb_store *store, const issue_args *a)
{
    hb_dcc_signer *signer = NULL;
    hb_vaccine_certificate c = { 0 };
    uint8_t *png = NULL;
    char *svg = NULL;
    size_t png_len = 0, svg_len = 0;
    int rc = hb_vaccine_signer_load(&signer, a->keys);
    if (rc == 0)
        rc = hb_store_begin(store);
    if (rc == 0)
        rc = hb_vaccine_issue(store, signer, a->person, &a->holder, a->j, hb_time_now(),
                              (int)a->days, &c);
    if (rc == 0 && (rc = hb_dcc_qr_png(&png, &png_len, c.text, 4)) == 0)
        rc = hb_dcc_qr_svg(&svg, &svg_len, c.text);
    if (rc == 0 && (rc = write_file(a->out, "txt", c.text, strlen(c.text))) == 0 &&
        (rc = write_file(a->out, "png", png, png_len)) == 0)
        rc = write_file(a->out, "svg", svg, svg_len);
    if (rc == 0)
        rc = hb_store_commit(store);
    else if (hb_store_in_transaction(store))
        hb_store_rollback(store);
    if (rc == 0)
        printf("%s\n%s\n", c.uvci, c.text);
    hb_vaccine_certificate_dispose(&c);
    hb_dcc_signer_free(signer);
    hb_dcc_free(png);
    hb_dcc_free(svg);
    return rc;
}

static int run_issue(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "person", required_argument, NULL, OPT_PERSON },
        { "keys", required_argument, NULL, OPT_KEYS },
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "family-name", required_argument, NULL, OPT_FAMILY },
        { "given-name", required_argument, NULL, OPT_GIVEN },
        { "family-name-icao", required_argument, NULL, OPT_FAMILY_ICAO },
        { "given-name-icao", required_argument, NULL, OPT_GIVEN_ICAO },
        { "dob", required_argument, NULL, OPT_DOB },
        { "valid-days", required_argument, NULL, OPT_VALID_DAYS },
        { "out", required_argument, NULL, OPT_OUT },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_vaccine_issue;
    hb_cli_common common;
    hb_cli_common_init(&common);
    issue_args a = { NULL, NULL, NULL, NULL, { NULL, NULL, NULL, NULL, "" }, 365 };
    const char **slot[] = { [OPT_PERSON - OPT_PERSON] = &a.person,
                            [OPT_KEYS - OPT_PERSON] = &a.keys,
                            [OPT_JURISDICTION - OPT_PERSON] = &a.j,
                            [OPT_FAMILY - OPT_PERSON] = &a.holder.family_name,
                            [OPT_GIVEN - OPT_PERSON] = &a.holder.given_name,
                            [OPT_FAMILY_ICAO - OPT_PERSON] = &a.holder.family_name_icao,
                            [OPT_GIVEN_ICAO - OPT_PERSON] = &a.holder.given_name_icao,
                            [OPT_DOB - OPT_PERSON] = &a.holder.dob,
                            [OPT_OUT - OPT_PERSON] = &a.out };
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_VALID_DAYS) {
            if (hb_parse_int64(&a.days, optarg, strlen(optarg)) < 0 || a.days < 1 || a.days > 3650)
                return hb_cli_usage(cmd, "--valid-days: 1 to 3650");
        } else if (opt >= OPT_PERSON && opt <= OPT_OUT && slot[opt - OPT_PERSON]) {
            *slot[opt - OPT_PERSON] = optarg;
        }
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (!a.person || !a.keys || !a.j || !a.out || optind < argc)
        return hb_cli_usage(cmd, "--person, --keys, --jurisdiction and --out are required");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    int rc = issue(store, &a);
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : HB_EXIT_OK;
}

static void print_verdict(const hb_dcc_result *r)
{
    json_t *j = hb_vaccine_verdict_json(r, true);
    json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(j);
}

/* Trust list: the --trust-cert files, or else the database's. */
static int load_trust(const hb_cli_common *common, char **certs, size_t ncerts,
                      hb_dcc_trust **trust)
{
    if (ncerts == 0) {
        hb_store *store;
        if (hb_schema_open(&store, common->db) < 0)
            return hb_error_prefix("no --trust-cert and no usable database: ");
        int rc = hb_vaccine_trust_load(store, trust);
        hb_store_close(store);
        return rc;
    }
    int rc = hb_dcc_trust_new(trust);
    for (size_t i = 0; rc == 0 && i < ncerts; i++) {
        hb_buf cert;
        rc = read_whole(certs[i], &cert, HB_DCC_CERT_MAX);
        if (rc == 0)
            rc = hb_dcc_trust_add(*trust, (const uint8_t *)cert.ptr, cert.len, NULL);
        if (rc < 0)
            hb_error_prefix("%s: ", certs[i]);
        hb_buf_dispose(&cert);
    }
    return rc;
}

static int run_verify(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "trust-cert", required_argument, NULL, OPT_TRUST_CERT },
        { "at", required_argument, NULL, OPT_AT },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_vaccine_verify;
    hb_cli_common common;
    hb_cli_common_init(&common);
    char *certs[64];
    size_t ncerts = 0;
    int64_t at = hb_time_now();
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_TRUST_CERT) {
            if (ncerts == sizeof certs / sizeof certs[0])
                return hb_cli_usage(cmd, "at most 64 --trust-cert files");
            certs[ncerts++] = optarg;
        } else if (opt == OPT_AT && hb_time_parse(&at, optarg, strlen(optarg)) < 0) {
            return hb_cli_usage(cmd, "--at: %s", hb_error_last());
        }
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind != argc - 1)
        return hb_cli_usage(cmd, "expected one certificate text ('HC1:…', or - for stdin)");
    hb_buf text;
    const char *input = argv[optind];
    hb_buf_init(&text, HB_DCC_TEXT_MAX * 2);
    if (strcmp(input, "-") == 0) {
        if (read_whole("-", &text, HB_DCC_TEXT_MAX * 2) < 0)
            return hb_buf_dispose(&text), hb_cli_fail_last();
        while (text.len && (text.ptr[text.len - 1] == '\n' || text.ptr[text.len - 1] == '\r'))
            text.ptr[--text.len] = '\0';
        input = hb_buf_cstr(&text);
    }
    hb_dcc_trust *trust = NULL;
    hb_dcc_result res;
    int rc = load_trust(&common, certs, ncerts, &trust);
    if (rc < 0) {
        hb_dcc_trust_free(trust);
        hb_buf_dispose(&text);
        return hb_cli_usage(cmd, "%s", hb_error_last());
    }
    rc = hb_dcc_verify(&res, trust, input, strlen(input), at, HB_DCC_WANT_JSON);
    hb_dcc_trust_free(trust);
    hb_buf_dispose(&text);
    if (rc < 0)
        return hb_cli_fail_last();
    print_verdict(&res);
    rc = res.valid ? HB_EXIT_OK : HB_EXIT_FAIL;
    hb_dcc_result_dispose(&res);
    return rc;
}

/* `vaccine keys generate` and `vaccine trust …` have two-word subcommands after `vaccine`. */
const hb_cli_command hb_cmd_vaccine_import = {
    "vaccine import",
    "import vaccination doses from CSV (all lines checked; all or nothing)",
    "Usage: healthybay vaccine import FILE [--db URL]\n"
    "\n"
    "Import doses given to cross-border residents. FILE (or - for stdin) is CSV with the header\n"
    "  person,residence,product,manufacturer,dose_number,series_doses,date,administered_in,\n"
    "  site,region,lot\n"
    "person        the pseudonym (see `healthybay vaccine pseudonym`), never a document number\n"
    "residence     jurisdiction of residence: GD, HK or MO\n"
    "product       a code from `healthybay vaccine products` (DCC value set, or GBA-… for\n"
    "              products the DCC value sets lack, such as GBA-KCONVAC)\n"
    "manufacturer  empty (= the product's) or the product's DCC manufacturer code\n"
    "dose_number, series_doses   dose n of m as the site recorded it\n"
    "date          YYYY-MM-DD; administered_in GD|HK|MO; site free text (80 characters);\n"
    "region        optional region code of the site (`healthybay regions`); lot optional\n"
    "\n"
    "Every dose is checked before anything is written; each bad field is listed as\n"
    "file:line:column: field 'x': reason, and then nothing is imported. A dose recorded before\n"
    "exactly so is left as it is, so a file may be sent again; one recorded differently (same\n"
    "person, product and day) is a problem. The import is audited (vaccine.write).\n"
    "\n"
    "Example:\n"
    "  healthybay vaccine import doses-2021-08-20.csv --db gba.db\n",
    run_import,
};

const hb_cli_command hb_cmd_vaccine_status = {
    "vaccine status",
    "is a person fully vaccinated under GD, HK or MO rules on a date, and why",
    "Usage: healthybay vaccine status --person P --under GD|HK|MO [--on YYYY-MM-DD]\n"
    "                                 [--format table|json] [--db URL]\n"
    "\n"
    "Judge the person's recorded doses (wherever given) under the recognition rules of one\n"
    "jurisdiction, in the version in force on the date (default today): which doses count,\n"
    "when the primary course was complete, from when and until when the person counts as\n"
    "fully vaccinated. The answer explains itself line by line.\n"
    "\n"
    "Example:\n"
    "  healthybay vaccine status --person GD-3f9c… --under HK --on 2021-08-20\n",
    run_status,
};

const hb_cli_command hb_cmd_vaccine_coverage = {
    "vaccine coverage",
    "residents vaccinated with at least one dose and the full course, per day",
    "Usage: healthybay vaccine coverage [--administered-in GD] [--residence HK|MO|GD]\n"
    "                                   [--from DATE] [--to DATE | --on DATE] [--by-product]\n"
    "                                   [--format table|csv|json] [--db URL]\n"
    "\n"
    "Coverage as Guangdong reports it: persons with at least one dose given in the reporting\n"
    "jurisdiction (default GD), and persons whose primary course there is complete under its\n"
    "rules (the version in force on the last day), cumulative per day, by jurisdiction of\n"
    "residence and, with --by-product, by the product of the first dose.\n"
    "\n"
    "Example: Hong Kong residents vaccinated in Guangdong, August 2021, as CSV\n"
    "  healthybay vaccine coverage --residence HK --from 2021-08-01 --to 2021-08-31 \\\n"
    "      --format csv\n",
    run_coverage,
};

const hb_cli_command hb_cmd_vaccine_products = {
    "vaccine products",
    "list the vaccine products (DCC value sets plus GBA products)",
    "Usage: healthybay vaccine products [--format table|csv|json] [--db URL]\n"
    "\n"
    "The products doses may be recorded with: the EU DCC value set entries the GBA uses and\n"
    "the products given in the GBA that the value sets lack (code GBA-…, in_dcc_valueset 0).\n",
    run_products,
};

const hb_cli_command hb_cmd_vaccine_rules = {
    "vaccine rules",
    "list the recognition rules of each jurisdiction, every version",
    "Usage: healthybay vaccine rules [--jurisdiction GD|HK|MO] [--format table|csv|json]\n"
    "\n"
    "One row per product per rule version: doses for a full primary course, minimum days\n"
    "between doses, days after completion before it counts, validity of the course and of a\n"
    "booster (empty = no limit), and the dates the version is in force. See\n"
    "docs/vaccination.md for the rule format and how a new version is published.\n",
    run_rules,
};

const hb_cli_command hb_cmd_vaccine_pseudonym = {
    "vaccine pseudonym",
    "compute the pseudonym of an identity document",
    "Usage: healthybay vaccine pseudonym --secret FILE --jurisdiction GD|HK|MO\n"
    "                                    --document-type TYPE --number NUMBER\n"
    "\n"
    "Records never hold document numbers. The pseudonym is the jurisdiction, '-', and the first\n"
    "16 bytes of HMAC-SHA-256(secret, TYPE \":\" NUMBER) in hex; the number is upper-cased and\n"
    "spaces, hyphens, slashes and brackets are dropped. The secret is the jurisdiction's\n"
    "pseudonym.key written by `vaccine keys generate` (mode 0600).\n"
    "\n"
    "Example:\n"
    "  healthybay vaccine pseudonym --secret keys/GD/pseudonym.key --jurisdiction GD \\\n"
    "      --document-type HKID --number 'A123456(7)'\n",
    run_pseudonym,
};

const hb_cli_command hb_cmd_vaccine_keys_generate = {
    "vaccine keys generate",
    "create a jurisdiction's signing keys (CSCA, DSC) and pseudonym secret",
    "Usage: healthybay vaccine keys generate --jurisdiction GD|HK|MO --dir DIR\n"
    "                                        [--valid-days N] [--db URL]\n"
    "\n"
    "Create DIR (it must not exist) with csca.key/csca.pem (the country signing CA),\n"
    "dsc.key/dsc.pem (the document signer, EC P-256, extended key usage 'vaccination', valid\n"
    "N days, default 730) and pseudonym.key. Private keys and the secret are mode 0600 from the\n"
    "moment they are created and are never printed. The DSC is added to the trust list.\n"
    "Give the other jurisdictions dsc.pem for their trust lists; keep csca.key offline.\n",
    run_keys_generate,
};

const hb_cli_command hb_cmd_vaccine_trust_add = {
    "vaccine trust add",
    "trust another signer's DSC certificate for verification",
    "Usage: healthybay vaccine trust add --jurisdiction CODE FILE [--db URL]\n"
    "\n"
    "Add a document-signer certificate (PEM or DER) to the trust list that `vaccine verify`\n"
    "uses when no --trust-cert is given. Its kid is the first 8 bytes of its SHA-256.\n",
    run_trust_add,
};

const hb_cli_command hb_cmd_vaccine_trust_list = {
    "vaccine trust list",
    "list the trusted document signers",
    "Usage: healthybay vaccine trust list [--format table|csv|json] [--db URL]\n",
    run_trust_list,
};

const hb_cli_command hb_cmd_vaccine_issue = {
    "vaccine issue",
    "sign an EU DCC vaccination certificate for a person's latest dose (text, PNG, SVG)",
    "Usage: healthybay vaccine issue --person P --jurisdiction GD|HK|MO --keys DIR --out PREFIX\n"
    "         --family-name NAME --given-name NAME [--family-name-icao X] [--given-name-icao X]\n"
    "         --dob YYYY-MM-DD [--valid-days N] [--db URL]\n"
    "\n"
    "Build the DCC payload (schema 1.3) from the person's latest recorded dose, sign it with\n"
    "DIR/dsc.key (ES256), compress, Base45-encode and write PREFIX.txt ('HC1:…'), PREFIX.png\n"
    "and PREFIX.svg (QR, alphanumeric mode, error correction Q). Names and date of birth are\n"
    "put in the certificate only, never stored; the issue is logged with its UVCI.\n"
    "Names in Chinese script need the ICAO 9303 form (e.g. --family-name 陳\n"
    "--family-name-icao CHAN).\n"
    "\n"
    "Example:\n"
    "  healthybay vaccine issue --person GD-3f9c… --jurisdiction GD --keys keys/GD \\\n"
    "      --family-name Chan --given-name 'Tai Man' --dob 1980-01-02 --out cert\n",
    run_issue,
};

const hb_cli_command hb_cmd_vaccine_verify = {
    "vaccine verify",
    "verify an EU DCC ('HC1:…') offline: verdict, reason and payload as JSON",
    "Usage: healthybay vaccine verify [--trust-cert FILE]… [--at RFC3339-TIME] [--db URL]\n"
    "                                 'HC1:…' | -\n"
    "\n"
    "Check everything a verifier must: prefix, Base45, zlib (inflated size capped), CBOR and\n"
    "COSE structure, algorithm (ES256 or PS256), kid, signature against every trusted DSC with\n"
    "that kid, issued-at and expiry at --at (default now), the DSC's validity and extended key\n"
    "usage, and the DCC schema. Prints one JSON object: verdict, reason (a stable code such as\n"
    "bad_signature or expired), message, kid, alg, times, type, signer and the payload.\n"
    "\n"
    "Trust: each --trust-cert is a DSC (PEM or DER); without any, the database trust list.\n"
    "Exit status: 0 valid, 1 invalid, 2 usage error (including no trust list).\n"
    "\n"
    "Example:\n"
    "  healthybay vaccine verify --trust-cert gd-dsc.pem --at 2021-08-20T09:00:00+08:00 \\\n"
    "      \"$(cat cert.txt)\"\n",
    run_verify,
};
