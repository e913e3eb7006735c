/*
 * cli/cmd_accounts.c — organisations and tokens from the command line: `healthybay org add`,
 * `org list`, `token create`, `token list`, `token revoke`.
 *
 * This is how a deployment starts: the operator registers the three health authorities and
 * gives each an admin token; from then on each authority registers its own institutions and
 * issues their tokens over the API. Every write here is audited like an API write, with source
 * "cli <login name>".
 */
#include <string.h>

#include "cli/cli.h"
#include "core/accounts.h"
#include "core/policy.h"
#include "util/alloc.h"
#include "util/parse.h"

enum {
    OPT_CODE = HB_OPT_FIRST_FREE,
    OPT_NAME,
    OPT_KIND,
    OPT_JURISDICTION,
    OPT_ORG,
    OPT_ROLE,
    OPT_LABEL,
    OPT_DAYS
};

/* Run write(store, payload) and its audit entry in one transaction. */
static int in_transaction(hb_store *store, int (*write)(hb_store *, void *), void *payload)
{
    int rc = hb_store_begin(store);
    if (rc == 0)
        rc = write(store, payload);
    if (rc == 0)
        return hb_store_commit(store);
    hb_store_rollback(store);
    return rc;
}

static int print_orgs(const hb_org *orgs, size_t n, const hb_cli_common *common)
{
    static const char *const names[] = { "code", "name", "kind", "jurisdiction", "created_at" };
    hb_table *t;
    if (hb_table_new(&t, 5, names, NULL) < 0)
        return hb_cli_fail_last();
    for (size_t i = 0; i < n; i++) {
        const char *row[] = { orgs[i].code, orgs[i].name, hb_org_kind_name(orgs[i].kind),
                              orgs[i].jurisdiction, orgs[i].created_at };
        if (hb_table_add_row(t, row) < 0) {
            hb_table_free(t);
            return hb_cli_fail_last();
        }
    }
    int rc = hb_cli_print_table(t, common);
    hb_table_free(t);
    return rc;
}

static int add_org(hb_store *store, void *payload)
{
    hb_org *org = payload;
    char object[HB_ORG_CODE_MAX + 8];
    snprintf(object, sizeof object, "org/%s", org->code);
    int rc = hb_org_create(store, org);
    return rc < 0 ? rc : hb_cli_audit(store, "org.create", object, org->jurisdiction);
}

static int run_org_add(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "code", required_argument, NULL, OPT_CODE },
        { "name", required_argument, NULL, OPT_NAME },
        { "kind", required_argument, NULL, OPT_KIND },
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_org org = { .kind = HB_ORG_KIND_COUNT };
    const char *code = NULL, *name = NULL, *jurisdiction = NULL;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_org_add, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_CODE)
            code = optarg;
        else if (opt == OPT_NAME)
            name = optarg;
        else if (opt == OPT_JURISDICTION)
            jurisdiction = optarg;
        else if (opt == OPT_KIND && hb_org_kind_parse(&org.kind, optarg) < 0)
            return hb_cli_usage(&hb_cmd_org_add, "%s", hb_error_last());
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc || !code || !name || !jurisdiction || org.kind == HB_ORG_KIND_COUNT)
        return hb_cli_usage(&hb_cmd_org_add, "--code, --name, --kind and --jurisdiction are "
                                             "required");
    snprintf(org.code, sizeof org.code, "%s", code);
    snprintf(org.name, sizeof org.name, "%s", name);
    snprintf(org.jurisdiction, sizeof org.jurisdiction, "%s", jurisdiction);
    if (strlen(code) >= sizeof org.code || strlen(name) >= sizeof org.name ||
        strlen(jurisdiction) >= sizeof org.jurisdiction || hb_org_validate(&org) < 0)
        return hb_cli_usage(&hb_cmd_org_add, "%s",
                            hb_org_validate(&org) < 0 ? hb_error_last() : "value too long");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    int rc = in_transaction(store, add_org, &org);
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : print_orgs(&org, 1, &common);
}

static int run_org_list(int argc, char **argv)
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
    while ((opt = hb_cli_getopt(&hb_cmd_org_list, argc, argv, options, &common)) >= 0)
        if (opt == OPT_JURISDICTION)
            jurisdiction = optarg;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_org_list, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    /* Page through: the directory may hold thousands of institutions. */
    hb_org *all = NULL;
    size_t n = 0, got = 0;
    int rc = 0;
    do {
        all = hb_xreallocarray(all, n + HB_PAGE_LIMIT_MAX, sizeof *all);
        rc = hb_org_list(store, all + n, HB_PAGE_LIMIT_MAX, &got, jurisdiction,
                         n ? all[n - 1].code : "");
        n += got;
    } while (rc == 0 && got == HB_PAGE_LIMIT_MAX);
    hb_store_close(store);
    rc = rc < 0 ? hb_cli_fail_last() : print_orgs(all, n, &common);
    hb_free(all);
    return rc;
}

typedef struct token_request {
    const char *org;
    hb_roles roles;
    const char *label;
    int days;
    hb_token_info info;
    char text[HB_TOKEN_TEXT_LEN + 1];
} token_request;

static int create_token(hb_store *store, void *payload)
{
    token_request *t = payload;
    hb_org org;
    int rc = hb_org_get(store, &org, t->org);
    if (rc == 0)
        rc = hb_token_create(store, &t->info, t->text, t->org, t->roles, t->label, t->days);
    if (rc < 0)
        return rc;
    char object[64];
    snprintf(object, sizeof object, "token/%s", t->info.id);
    return hb_cli_audit(store, "token.create", object, org.jurisdiction);
}

static int run_token_create(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "org", required_argument, NULL, OPT_ORG },
        { "role", required_argument, NULL, OPT_ROLE },
        { "label", required_argument, NULL, OPT_LABEL },
        { "days", required_argument, NULL, OPT_DAYS },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    token_request t = { .label = "", .days = HB_TOKEN_LIFETIME_DAYS_DEFAULT };
    int64_t days;
    hb_roles roles;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_token_create, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_ORG)
            t.org = optarg;
        else if (opt == OPT_LABEL)
            t.label = optarg;
        else if (opt == OPT_ROLE && hb_roles_parse(&roles, optarg) < 0)
            return hb_cli_usage(&hb_cmd_token_create, "%s", hb_error_last());
        else if (opt == OPT_ROLE)
            t.roles |= roles;
        else if (opt == OPT_DAYS && (hb_parse_int64(&days, optarg, strlen(optarg)) < 0 ||
                                     days < 1 || days > HB_TOKEN_LIFETIME_DAYS_MAX))
            return hb_cli_usage(&hb_cmd_token_create, "--days must be 1 to %d",
                                HB_TOKEN_LIFETIME_DAYS_MAX);
        else if (opt == OPT_DAYS)
            t.days = (int)days;
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc || !t.org || !t.roles)
        return hb_cli_usage(&hb_cmd_token_create, "--org and at least one --role are required");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    int rc = in_transaction(store, create_token, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    char roles_text[128];
    hb_roles_format(roles_text, sizeof roles_text, t.info.roles);
    /* The token alone on stdout, so TOKEN=$(healthybay token create …) works; the rest on
     * stderr. */
    printf("%s\n", t.text);
    fprintf(stderr,
            "token %s for %s (%s), expires %s.\n"
            "It is shown only this once: store it now (healthybay keeps only its hash).\n",
            t.info.id, t.info.org, roles_text, t.info.expires_at);
    memset(t.text, 0, sizeof t.text);
    return fflush(stdout) == 0 ? HB_EXIT_OK : hb_cli_fail("cannot write the token");
}

static int print_tokens(const hb_token_info *tokens, size_t n, const hb_cli_common *common)
{
    static const char *const names[] = { "id",         "org",        "roles",     "label",
                                         "created_at", "expires_at", "revoked_at" };
    hb_table *t;
    if (hb_table_new(&t, 7, names, NULL) < 0)
        return hb_cli_fail_last();
    for (size_t i = 0; i < n; i++) {
        char roles[128];
        hb_roles_format(roles, sizeof roles, tokens[i].roles);
        const char *row[] = { tokens[i].id,
                              tokens[i].org,
                              roles,
                              tokens[i].label,
                              tokens[i].created_at,
                              tokens[i].expires_at,
                              tokens[i].revoked_at[0] ? tokens[i].revoked_at : NULL };
        if (hb_table_add_row(t, row) < 0) {
            hb_table_free(t);
            return hb_cli_fail_last();
        }
    }
    int rc = hb_cli_print_table(t, common);
    hb_table_free(t);
    return rc;
}

static int run_token_list(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "org", required_argument, NULL, OPT_ORG },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *org = NULL;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_token_list, argc, argv, options, &common)) >= 0)
        if (opt == OPT_ORG)
            org = optarg;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc || !org)
        return hb_cli_usage(&hb_cmd_token_list, "--org is required");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_token_info *all = NULL;
    size_t n = 0, got = 0;
    int rc = 0;
    do {
        all = hb_xreallocarray(all, n + HB_PAGE_LIMIT_MAX, sizeof *all);
        rc = hb_token_list(store, all + n, HB_PAGE_LIMIT_MAX, &got, org, n ? all[n - 1].id : "");
        n += got;
    } while (rc == 0 && got == HB_PAGE_LIMIT_MAX);
    hb_store_close(store);
    rc = rc < 0 ? hb_cli_fail_last() : print_tokens(all, n, &common);
    hb_free(all);
    return rc;
}

static int revoke_token(hb_store *store, void *payload)
{
    hb_token_info *t = payload;
    hb_org org;
    int rc = hb_token_revoke(store, t, t->id);
    if (rc == 0)
        rc = hb_org_get(store, &org, t->org);
    if (rc < 0)
        return rc;
    char object[64];
    snprintf(object, sizeof object, "token/%s", t->id);
    return hb_cli_audit(store, "token.revoke", object, org.jurisdiction);
}

static int run_token_revoke(int argc, char **argv)
{
    static const struct option options[] = { HB_CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
    hb_cli_common common;
    hb_cli_common_init(&common);
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_token_revoke, argc, argv, options, &common)) >= 0)
        ;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 1 != argc || strlen(argv[optind]) != HB_TOKEN_ID_HEXLEN)
        return hb_cli_usage(&hb_cmd_token_revoke, "give the id (%d hex digits) of one token",
                            HB_TOKEN_ID_HEXLEN);
    hb_token_info t;
    snprintf(t.id, sizeof t.id, "%s", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    int rc = in_transaction(store, revoke_token, &t);
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : print_tokens(&t, 1, &common);
}

const hb_cli_command hb_cmd_org_add = {
    "org add",
    "register an organisation (health authority, hospital, laboratory…)",
    "Usage: healthybay org add --code CODE --name NAME --kind KIND --jurisdiction GD|HK|MO\n"
    "                          [--db URL] [--format table|csv|json]\n"
    "\n"
    "Register an organisation in one jurisdiction. The code is its stable identifier in the\n"
    "API and the audit log: 2 to 64 lowercase letters, digits or '-'. Kinds: health_authority,\n"
    "hospital, clinic, blood_centre, laboratory, insurer. The registration is audited.\n"
    "\n"
    "Once the authorities exist, each registers its own institutions over the API\n"
    "(POST /api/v1/orgs with an admin token).\n"
    "\n"
    "Example:\n"
    "  healthybay org add --code mo-ssm --kind health_authority --jurisdiction MO \\\n"
    "      --name 'Servicos de Saude de Macau'\n",
    run_org_add,
};

const hb_cli_command hb_cmd_org_list = {
    "org list",
    "list the registered organisations",
    "Usage: healthybay org list [--jurisdiction GD|HK|MO] [--db URL] [--format table|csv|json]\n"
    "\n"
    "List organisations by code, optionally of one jurisdiction.\n"
    "\n"
    "Example:\n"
    "  healthybay org list --jurisdiction HK\n",
    run_org_list,
};

const hb_cli_command hb_cmd_token_create = {
    "token create",
    "issue an API token to an organisation (printed once)",
    "Usage: healthybay token create --org CODE --role ROLE [--role ROLE…] [--label TEXT]\n"
    "                               [--days N] [--db URL]\n"
    "\n"
    "Issue a bearer token for the API. It is printed once, alone on standard output; the\n"
    "database keeps only its SHA-256. Roles (repeat --role or separate with commas): admin,\n"
    "epidemiologist, reporter, clinician, blood_bank, auditor, monitor. What each may do is\n"
    "the policy: see 'healthybay policy'. The token expires after --days (default 90, at\n"
    "most 366) and can be revoked with 'healthybay token revoke'.\n"
    "\n"
    "Example:\n"
    "  TOKEN=$(healthybay token create --org hk-dh --role admin --label 'onboarding desk')\n"
    "  curl -H \"Authorization: Bearer $TOKEN\" https://hub.example/api/v1/orgs\n",
    run_token_create,
};

const hb_cli_command hb_cmd_token_list = {
    "token list",
    "list an organisation's tokens (never their secrets)",
    "Usage: healthybay token list --org CODE [--db URL] [--format table|csv|json]\n"
    "\n"
    "List the tokens issued to an organisation: id, roles, label, expiry and revocation.\n"
    "\n"
    "Example:\n"
    "  healthybay token list --org hk-dh --format csv\n",
    run_token_list,
};

const hb_cli_command hb_cmd_token_revoke = {
    "token revoke",
    "revoke a token at once, on every server",
    "Usage: healthybay token revoke ID [--db URL] [--format table|csv|json]\n"
    "\n"
    "Revoke the token with this id (the 16 hex digits after 'hb_'). Every server sharing the\n"
    "database refuses it from the next request. The revocation is audited.\n"
    "\n"
    "Example:\n"
    "  healthybay token revoke 3f9c0a1b2c3d4e5f\n",
    run_token_revoke,
};
