/*
 * cli/cmd_registry.c — `healthybay registry …`: the registries of Hong Kong/Macao medicines and
 * devices at designated hospitals, cross-border practitioners and hospital accreditation.
 *
 * The command line acts as the database's operator (hb_registry_operator): it may import every
 * kind and sees restricted practitioner fields, except with --public, which shows what the
 * public register shows. Questions (may-use, may-practise) exit 0 for yes and HB_EXIT_NO (3)
 * for no, so scripts can branch on the answer; 1 is a failure and 2 a usage error.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/policy.h"
#include "healthybay/date.h"
#include "registry/accreditation.h"
#include "registry/fhir.h"
#include "registry/products.h"
#include "registry/rules.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/parse.h"

enum {
    OPT_DRY_RUN = HB_OPT_FIRST_FREE,
    OPT_SOURCE,
    OPT_ON,
    OPT_WHERE,
    OPT_PUBLIC,
    OPT_PRODUCT,
    OPT_INSTITUTION,
    OPT_PERSON,
    OPT_DEPARTMENT,
    OPT_WITHIN,
    OPT_KIND,
    OPT_FROM,
    OPT_TO,
    OPT_STANDARD,
    OPT_ALL,
    OPT_RESOURCES,
    OPT_BASE
};

static const hb_registry_caller public_caller = { HB_REGISTRY_PUBLIC, NULL, NULL, "cli" };

/* --on DATE, default today in the Greater Bay Area (UTC+8). */
static int parse_on(const hb_cli_command *cmd, const char *text, hb_date *out)
{
    if (hb_date_parse(out, text, strlen(text)) < 0)
        return hb_cli_usage(cmd, "--on: %s", hb_error_last());
    return 0;
}

static int print_and_free(hb_store *store, int rc, hb_table *t, const hb_cli_common *common)
{
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, common);
    hb_table_free(t);
    return rc;
}

/* The import and its audit entry in one transaction, as over the API: the change log says what
 * changed, the audit log that the operator changed it (object: the batch). A dry run, or a file
 * that changes nothing, writes neither. */
static int import_audited(hb_store *store, const char *kind, const char *path,
                          const hb_registry_import_options *opt, hb_registry_import_report *r)
{
    if (opt->dry_run)
        return hb_registry_import_file(store, &hb_registry_operator, kind, path, opt, r);
    memset(r, 0, sizeof *r);
    int rc = hb_store_begin(store);
    if (rc < 0)
        return rc;
    rc = hb_registry_import_file(store, &hb_registry_operator, kind, path, opt, r);
    if (rc == 0 && r->batch_id) {
        char object[HB_AUDIT_FIELD_MAX];
        snprintf(object, sizeof object, "registry/%s/batch/%lld", kind, (long long)r->batch_id);
        rc = hb_cli_audit(store, hb_action_name(HB_ACT_REGISTRY_WRITE), object, NULL);
    }
    if (rc == 0)
        return hb_store_commit(store);
    hb_store_rollback(store);
    return rc;
}

static int run_import(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { "source", required_argument, NULL, OPT_SOURCE },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_registry_import_options opt = { 0 };
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_registry_import, argc, argv, options, &common)) >= 0) {
        if (o == OPT_DRY_RUN)
            opt.dry_run = true;
        else if (o == OPT_SOURCE)
            opt.source = optarg;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 2 != argc)
        return hb_cli_usage(&hb_cmd_registry_import, "expected KIND and FILE.csv");
    const char *kind = argv[optind], *path = argv[optind + 1];
    if (!opt.source)
        opt.source = strcmp(path, "-") == 0 ? "stdin" : path;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_registry_import_report r;
    int rc = import_audited(store, kind, path, &opt, &r);
    hb_store_close(store);
    for (size_t i = 0; i < r.nlisted; i++)
        fprintf(stderr, "%s\n", r.errors[i].message);
    if (r.nerrors > r.nlisted)
        fprintf(stderr, "… and %llu more\n", (unsigned long long)(r.nerrors - r.nlisted));
    hb_registry_import_report_dispose(&r);
    if (rc < 0)
        return hb_cli_fail_last();
    if (opt.dry_run)
        printf("%s: %llu %s rows checked, all valid (dry run: nothing written)\n", path,
               (unsigned long long)r.rows, kind);
    else
        printf("%s: %llu %s row%s: %llu new, %llu changed, %llu unchanged%s\n", path,
               (unsigned long long)r.rows, kind, r.rows == 1 ? "" : "s",
               (unsigned long long)r.created, (unsigned long long)r.updated,
               (unsigned long long)r.unchanged, r.batch_id ? "" : " (nothing to write)");
    return HB_EXIT_OK;
}

static int run_list(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "where", required_argument, NULL, OPT_WHERE },
        { "on", required_argument, NULL, OPT_ON },
        { "public", no_argument, NULL, OPT_PUBLIC },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_date on = hb_registry_today();
    const hb_registry_caller *caller = &hb_registry_operator;
    char column[HB_REGISTRY_VALUE_MAX] = "";
    const char *value = NULL;
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_registry_list, argc, argv, options, &common)) >= 0) {
        if (o == OPT_ON && parse_on(&hb_cmd_registry_list, optarg, &on) != 0)
            return HB_EXIT_USAGE;
        if (o == OPT_PUBLIC)
            caller = &public_caller;
        if (o == OPT_WHERE) {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof column)
                return hb_cli_usage(&hb_cmd_registry_list, "--where wants COLUMN=VALUE");
            snprintf(column, sizeof column, "%.*s", (int)(eq - optarg), optarg);
            value = eq + 1;
        }
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 1 != argc)
        return hb_cli_usage(&hb_cmd_registry_list, "expected one KIND");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    hb_registry_list_options opt = { value ? column : NULL, value, on, 0, 0 };
    int rc = hb_registry_list(store, caller, argv[optind], &opt, &t, NULL);
    return print_and_free(store, rc, t, &common);
}

static int run_history(int argc, char **argv)
{
    static const struct option options[] = { HB_CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
    hb_cli_common common;
    hb_cli_common_init(&common);
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_registry_history, argc, argv, options, &common)) >= 0)
        ;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 2 != argc)
        return hb_cli_usage(&hb_cmd_registry_history, "expected KIND and ITEM");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_registry_history(store, &hb_registry_operator, argv[optind], argv[optind + 1], &t);
    return print_and_free(store, rc, t, &common);
}

/* Print an answer: "yes: …" / "no: …" on a terminal, a one-row table otherwise. */
static int answer(const hb_registry_answer *a, const hb_cli_common *common)
{
    if (common->format == HB_FORMAT_TABLE) {
        printf("%s: %s\n", a->yes ? "yes" : "no", a->reason);
    } else {
        static const char *const names[] = { "answer", "reason", "basis" };
        const char *cells[] = { a->yes ? "yes" : "no", a->reason, a->basis[0] ? a->basis : NULL };
        hb_table *t;
        if (hb_table_new(&t, 3, names, NULL) < 0 || hb_table_add_row(t, cells) < 0)
            return hb_cli_fail_last();
        int rc = hb_cli_print_table(t, common);
        hb_table_free(t);
        if (rc != 0)
            return rc;
    }
    return a->yes ? HB_EXIT_OK : HB_EXIT_NO;
}

static int run_may_use(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "product", required_argument, NULL, OPT_PRODUCT },
        { "institution", required_argument, NULL, OPT_INSTITUTION },
        { "on", required_argument, NULL, OPT_ON },
        { "department", required_argument, NULL, OPT_DEPARTMENT },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_registry_may_use;
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_date on = hb_registry_today();
    const char *product = NULL, *inst = NULL, *department = NULL;
    int o;
    while ((o = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (o == OPT_PRODUCT)
            product = optarg;
        else if (o == OPT_INSTITUTION)
            inst = optarg;
        else if (o == OPT_DEPARTMENT)
            department = optarg;
        else if (o == OPT_ON && parse_on(cmd, optarg, &on) != 0)
            return HB_EXIT_USAGE;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (!product || !inst || optind != argc)
        return hb_cli_usage(cmd, "--product and --institution are required, nothing else");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_registry_answer a;
    int rc = hb_registry_may_use(store, &a, product, inst, on, department);
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : answer(&a, &common);
}

static int run_may_practise(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "person", required_argument, NULL, OPT_PERSON },
        { "institution", required_argument, NULL, OPT_INSTITUTION },
        { "on", required_argument, NULL, OPT_ON },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_registry_may_practise;
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_date on = hb_registry_today();
    const char *person = NULL, *inst = NULL;
    int o;
    while ((o = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (o == OPT_PERSON)
            person = optarg;
        else if (o == OPT_INSTITUTION)
            inst = optarg;
        else if (o == OPT_ON && parse_on(cmd, optarg, &on) != 0)
            return HB_EXIT_USAGE;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (!person || !inst || optind != argc)
        return hb_cli_usage(cmd, "--person and --institution are required, nothing else");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_registry_answer a;
    int rc = hb_registry_may_practise(store, &a, person, inst, on);
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : answer(&a, &common);
}

static int run_expiring(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "within", required_argument, NULL, OPT_WITHIN },
        { "on", required_argument, NULL, OPT_ON },
        { "kind", required_argument, NULL, OPT_KIND },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_registry_expiring;
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_date on = hb_registry_today();
    int64_t within = 90;
    const char *kind = NULL;
    int o;
    while ((o = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (o == OPT_KIND)
            kind = optarg;
        else if (o == OPT_ON && parse_on(cmd, optarg, &on) != 0)
            return HB_EXIT_USAGE;
        else if (o == OPT_WITHIN && (hb_parse_int64(&within, optarg, strlen(optarg)) < 0 ||
                                     within < 0 || within > HB_REGISTRY_EXPIRY_DAYS_MAX))
            return hb_cli_usage(cmd, "--within: '%s' is not a number of days (0..%d)", optarg,
                                HB_REGISTRY_EXPIRY_DAYS_MAX);
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind != argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_registry_expiring(store, kind, on, (int)within, &t);
    return print_and_free(store, rc, t, &common);
}

static int run_usage(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "institution", required_argument, NULL, OPT_INSTITUTION },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_registry_usage;
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *from = NULL, *to = NULL, *inst = NULL;
    hb_date d;
    int o;
    while ((o = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (o == OPT_INSTITUTION)
            inst = optarg;
        else if ((o == OPT_FROM || o == OPT_TO) &&
                 (strlen(optarg) != 7 || hb_month_parse(&d, optarg, 7) < 0))
            return hb_cli_usage(cmd, "--from/--to: '%s' is not a month (YYYY-MM)", optarg);
        else if (o == OPT_FROM)
            from = optarg;
        else if (o == OPT_TO)
            to = optarg;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind != argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_registry_usage_report(store, &hb_registry_operator, from, to, inst, &t);
    return print_and_free(store, rc, t, &common);
}

static int run_accreditations(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "standard", required_argument, NULL, OPT_STANDARD },
        { "on", required_argument, NULL, OPT_ON },
        { "all", no_argument, NULL, OPT_ALL },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_registry_accreditations;
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_date on = hb_registry_today();
    const char *standard = NULL;
    bool all = false;
    int o;
    while ((o = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (o == OPT_STANDARD)
            standard = optarg;
        else if (o == OPT_ALL)
            all = true;
        else if (o == OPT_ON && parse_on(cmd, optarg, &on) != 0)
            return HB_EXIT_USAGE;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind != argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_registry_accreditations(store, standard, on, all, &t);
    return print_and_free(store, rc, t, &common);
}

static int run_fhir(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "resources", required_argument, NULL, OPT_RESOURCES },
        { "base", required_argument, NULL, OPT_BASE },
        { "on", required_argument, NULL, OPT_ON },
        { "public", no_argument, NULL, OPT_PUBLIC },
        { NULL, 0, NULL, 0 },
    };
    const hb_cli_command *cmd = &hb_cmd_registry_fhir;
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_registry_fhir_options opt = { .base = HB_REGISTRY_FHIR_BASE,
                                     .on = hb_registry_today(),
                                     .resources = HB_FHIR_ALL };
    const hb_registry_caller *caller = &hb_registry_operator;
    int o;
    while ((o = hb_cli_getopt(cmd, argc, argv, options, &common)) >= 0) {
        if (o == OPT_BASE)
            opt.base = optarg;
        else if (o == OPT_PUBLIC)
            caller = &public_caller;
        else if (o == OPT_ON && parse_on(cmd, optarg, &opt.on) != 0)
            return HB_EXIT_USAGE;
        else if (o == OPT_RESOURCES && hb_registry_fhir_parse_resources(&opt.resources, optarg))
            return hb_cli_usage(cmd, "%s", hb_error_last());
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind != argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    char *json = NULL;
    int rc = hb_registry_fhir_export(store, caller, &opt, &json);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    fputs(json, stdout);
    fputc('\n', stdout);
    hb_free(json);
    return fflush(stdout) == 0 ? HB_EXIT_OK : hb_cli_fail("cannot write output");
}

const hb_cli_command hb_cmd_registry_import = {
    "registry import",
    "load a registry CSV file (products, approvals, practitioners, permits, …), checked whole",
    "Usage: healthybay registry import [--db URL] [--dry-run] [--source NAME] KIND FILE.csv\n"
    "\n"
    "Load one kind of registry data. Kinds, in the order files may depend on each other:\n"
    "\n"
    "  institutions   code,jurisdiction,region,zone,kind,name_en,name_zh_hans,name_zh_hant,\n"
    "                 name_pt,source\n"
    "  designations   institution,programme,designated_from,designated_to,batch,source\n"
    "  products       code,kind,hk_reg_no,mo_reg_no,name_en,name_zh_hans,name_zh_hant,inn,\n"
    "                 form,strength,device_class,holder,home_use_evidence\n"
    "  approvals      approval_no,product,institution,approved_on,valid_from,valid_to,\n"
    "                 quantity_max,unit,indications,departments\n"
    "  usage          institution,product,month,patients,quantity,unit\n"
    "  practitioners  id,home_jurisdiction,category,name_en,name_zh_hant,name_zh_hans,\n"
    "                 specialty,sex,date_of_birth,phone,email\n"
    "  registrations  register,number,practitioner,registered_from,registered_to\n"
    "  permits        permit_no,practitioner,scheme,category,issuer,issued_on,valid_from,\n"
    "                 valid_to,scope\n"
    "  employments    practitioner,institution,valid_from,valid_to,permit,role\n"
    "  titles         practitioner,title,granted_on,level,granted_by,basis\n"
    "  disciplinary   jurisdiction,case_ref,practitioner,authority,action,effective_from,\n"
    "                 effective_to,summary\n"
    "  accreditations standard,reference,institution,level,scope,valid_from,valid_to\n"
    "  status         kind,item,effective_from,status,reason   (suspend, revoke, withdraw or\n"
    "                 reinstate an approval, permit, registration, accreditation or product)\n"
    "\n"
    "and the rule data shipped with healthybay (categories, registers, schemes, standards).\n"
    "Dates are YYYY-MM-DD and every period includes both its first and its last day; lists\n"
    "are ';'-separated. docs/registries.md explains every column.\n"
    "\n"
    "Every row is checked first: types, references, the rules of the scheme concerned (e.g. a\n"
    "Hengqin permit lasts at most 3 years and needs 2 years of practice in Macao first). If any\n"
    "row is bad the file is rejected whole, every problem listed as file:line:column, and\n"
    "nothing is written. Sending a file again changes nothing; a changed row becomes the item's\n"
    "next version and the old one stays in its history ('healthybay registry history').\n"
    "\n"
    "  --dry-run       check only\n"
    "  --source NAME   recorded with the batch (default: the file name)\n"
    "\n"
    "Examples:\n"
    "  healthybay registry import --db gba.db products hk-products-2025q4.csv\n"
    "  healthybay registry import --db gba.db approvals gdmpa-approvals.csv\n"
    "  printf 'kind,item,effective_from,status,reason\\n"
    "approvals,GD-2024-001,2024-06-01,revoked,recall\\n' |\n"
    "    healthybay registry import --db gba.db status -\n",
    run_import,
};

const hb_cli_command hb_cmd_registry_list = {
    "registry list",
    "list the current items of one registry kind with their status on a day",
    "Usage: healthybay registry list [--db URL] [--where COLUMN=VALUE] [--on YYYY-MM-DD]\n"
    "                                [--public] [--format table|csv|json] KIND\n"
    "\n"
    "List the items of KIND (see 'healthybay registry import --help') as they are now, with\n"
    "their version and, for items with a period or a status, their status on the day given by\n"
    "--on (default today): active, suspended, revoked, withdrawn, expired or not_yet_valid.\n"
    "\n"
    "  --where C=V   only items whose column C equals V\n"
    "  --public      show what the public register shows: restricted practitioner fields\n"
    "                (sex, date of birth, phone, email, disciplinary case references and\n"
    "                summaries) are left empty\n"
    "\n"
    "Examples:\n"
    "  healthybay registry list --db gba.db designations\n"
    "  healthybay registry list --db gba.db permits --where practitioner=MO-PR-0001\n",
    run_list,
};

const hb_cli_command hb_cmd_registry_history = {
    "registry history",
    "every version and status change of one registry item, with who made it and when",
    "Usage: healthybay registry history [--db URL] [--format table|csv|json] KIND ITEM\n"
    "\n"
    "ITEM is the item's key: its key columns joined with '/' (an approval number; a\n"
    "registration as REGISTER/NUMBER; an employment as PERSON/INSTITUTION/VALID_FROM). Each\n"
    "version shows the batch that brought it (when, actor, organisation, source file) and the\n"
    "whole row as JSON; status events show the status, the day it took effect and the reason.\n"
    "\n"
    "Example:\n"
    "  healthybay registry history --db gba.db approvals GD-2024-001\n",
    run_history,
};

const hb_cli_command hb_cmd_registry_may_use = {
    "registry may-use",
    "may a Hong Kong/Macao medicine or device be used at an institution on a day? (exit 0/3)",
    "Usage: healthybay registry may-use [--db URL] --product CODE --institution CODE\n"
    "                                   [--on YYYY-MM-DD] [--department NAME] [--format F]\n"
    "\n"
    "Answer yes or no, with the reason. Yes when, on the day (default today):\n"
    "  1. the institution is designated for the Hong Kong/Macao medicines and devices policy;\n"
    "  2. the product is not suspended, revoked or withdrawn;\n"
    "  3. an approval of the product at the institution covers the day (its first and last\n"
    "     days included) and is not suspended, revoked or withdrawn;\n"
    "  4. with --department, the approval is not limited to other departments.\n"
    "\n"
    "Exit status: 0 yes, 3 no, 1 failure (e.g. an unknown product), 2 usage error.\n"
    "On a terminal the answer is one sentence; into a pipe or with --format csv|json it is a\n"
    "row answer,reason,basis (basis: the approval that grants the use).\n"
    "\n"
    "Example:\n"
    "  healthybay registry may-use --db gba.db --product SYN-DRUG-1 --institution gd-hku-szh \\\n"
    "      --on 2025-03-01\n"
    "  yes: approval GD-2024-001 (2024-01-01 to 2025-12-31) covers this use\n",
    run_may_use,
};

const hb_cli_command hb_cmd_registry_may_practise = {
    "registry may-practise",
    "may a Hong Kong/Macao professional practise at an institution on a day? (exit 0/3)",
    "Usage: healthybay registry may-practise [--db URL] --person ID --institution CODE\n"
    "                                        [--on YYYY-MM-DD] [--format F]\n"
    "\n"
    "Answer yes or no, with the reason. Yes when, on the day (default today):\n"
    "  1. no suspension or removal by any regulator is in effect;\n"
    "  2. a registration in the home register (HK or Macao) is in force and active;\n"
    "  3. the person practises at the institution (an employment covering the day);\n"
    "  4. on the mainland, that practice rests on a permit of the person's that covers the\n"
    "     day, is active, and is valid where the institution is (a Hengqin permit only in the\n"
    "     Hengqin cooperation zone). At a home institution no permit is needed.\n"
    "\n"
    "Exit status: 0 yes, 3 no, 1 failure (e.g. an unknown person), 2 usage error.\n"
    "On a terminal the answer is one sentence; into a pipe or with --format csv|json it is a\n"
    "row answer,reason,basis (basis: the permit, or the home registration).\n"
    "\n"
    "Example:\n"
    "  healthybay registry may-practise --db gba.db --person MO-PR-0001 \\\n"
    "      --institution gd-zh-hengqin-hospital --on 2025-03-01\n"
    "  yes: permit HQ-0001 (hengqin, 2023-08-11 to 2026-08-10) covers practice there\n",
    run_may_practise,
};

const hb_cli_command hb_cmd_registry_expiring = {
    "registry expiring",
    "approvals, permits, registrations, accreditations … that expire soon",
    "Usage: healthybay registry expiring [--db URL] [--within DAYS] [--on YYYY-MM-DD]\n"
    "                                    [--kind KIND] [--format table|csv|json]\n"
    "\n"
    "List the items active on the day (default today) whose last valid day falls within DAYS\n"
    "days (default 90; 0 = expiring today): approvals, designations, permits, employments,\n"
    "home registrations and accreditations, soonest first, with the days left. Run it daily\n"
    "and send the list to whoever renews them.\n"
    "\n"
    "  --kind K   only one of approvals, designations, permits, employments, registrations,\n"
    "             accreditations\n"
    "\n"
    "Example:\n"
    "  healthybay registry expiring --db gba.db --within 60 --kind permits --format csv\n",
    run_expiring,
};

const hb_cli_command hb_cmd_registry_usage = {
    "registry usage",
    "patients and quantities of Hong Kong/Macao products used, per institution",
    "Usage: healthybay registry usage [--db URL] [--from YYYY-MM] [--to YYYY-MM]\n"
    "                                 [--institution CODE] [--format table|csv|json]\n"
    "\n"
    "Sum the monthly usage reports (import kind 'usage') per institution and product over the\n"
    "months from --from to --to (both included): months reported, patients, quantity.\n"
    "\n"
    "Example:\n"
    "  healthybay registry usage --db gba.db --from 2025-01 --to 2025-12\n",
    run_usage,
};

const hb_cli_command hb_cmd_registry_accreditations = {
    "registry accreditations",
    "hospital accreditations by standard (mainland grade, ACHS, JCI …)",
    "Usage: healthybay registry accreditations [--db URL] [--standard CODE] [--on DAY] [--all]\n"
    "                                          [--format table|csv|json]\n"
    "\n"
    "List accreditations with the institution's names and jurisdiction, the level, scope and\n"
    "period, and the status on the day (default today). Only those current on the day unless\n"
    "--all. Standards: 'healthybay registry list standards' (cn_grade, achs, jci).\n"
    "\n"
    "Example:\n"
    "  healthybay registry accreditations --db gba.db --standard jci\n",
    run_accreditations,
};

const hb_cli_command hb_cmd_registry_fhir = {
    "registry fhir",
    "export the registries as a FHIR R4 Bundle (Organization, Practitioner, …)",
    "Usage: healthybay registry fhir [--db URL] [--resources LIST] [--base URL] [--on DAY]\n"
    "                                [--public]\n"
    "\n"
    "Print a FHIR R4 Bundle of type 'collection' (JSON) so other systems can consume the\n"
    "registries: institutions as Organization (with their accreditations), practitioners as\n"
    "Practitioner (home registrations, mainland permits and titles as qualifications), each\n"
    "employment as PractitionerRole, drugs as Medication and devices as Device. Statuses and\n"
    "active flags are as of the day given by --on (default today).\n"
    "\n"
    "  --resources L  comma-separated subset of Organization, Practitioner, PractitionerRole,\n"
    "                 Medication, Device (default all)\n"
    "  --base URL     the base of fullUrl and references (default " HB_REGISTRY_FHIR_BASE ")\n"
    "  --public       leave out restricted practitioner data (gender, birth date, telecom)\n"
    "\n"
    "Example:\n"
    "  healthybay registry fhir --db gba.db --resources Practitioner,PractitionerRole > p.json\n",
    run_fhir,
};
