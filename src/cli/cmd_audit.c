/*
 * cli/cmd_audit.c — `healthybay audit verify`, `audit list` and `policy`.
 */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"
#include "core/audit.h"
#include "core/policy.h"
#include "util/alloc.h"
#include "util/parse.h"

enum { OPT_ANCHOR = HB_OPT_FIRST_FREE, OPT_JURISDICTION, OPT_ORG, OPT_AFTER, OPT_LIMIT };

static int run_verify(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "anchor", required_argument, NULL, OPT_ANCHOR },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *anchor = NULL;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_audit_verify, argc, argv, options, &common)) >= 0)
        if (opt == OPT_ANCHOR)
            anchor = optarg;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_audit_verify, "unexpected argument '%s'", argv[optind]);
    if (anchor && strlen(anchor) != HB_SHA256_HEXLEN)
        return hb_cli_usage(&hb_cmd_audit_verify, "--anchor must be a hash of 64 hex digits");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_audit_report r;
    int rc = hb_audit_verify(store, &r, anchor);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    if (!r.intact)
        return hb_cli_fail("audit log damaged: %s", r.problem);
    if (r.entries == 0)
        printf("audit log intact: empty\n");
    else
        printf("audit log intact: %" PRId64 " entries, head %" PRId64 " %s\n", r.entries,
               r.head_seq, r.head_hash);
    return HB_EXIT_OK;
}

static int print_entries(const hb_audit_entry *e, size_t n, const hb_cli_common *common)
{
    static const char *const names[] = { "seq",    "at",     "org",    "jurisdiction", "token",
                                         "source", "action", "object", "outcome",      "hash" };
    static const hb_col_kind kinds[] = { HB_COL_INT,  HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT };
    hb_table *t;
    if (hb_table_new(&t, 10, names, kinds) < 0)
        return hb_cli_fail_last();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char seq[24];
        snprintf(seq, sizeof seq, "%" PRId64, e[i].seq);
        const char *row[] = { seq,           e[i].at,     e[i].org,    e[i].jurisdiction,
                              e[i].token_id, e[i].source, e[i].action, e[i].object,
                              e[i].outcome,  e[i].hash };
        rc = hb_table_add_row(t, row);
    }
    rc = rc < 0 ? hb_cli_fail_last() : hb_cli_print_table(t, common);
    hb_table_free(t);
    return rc;
}

static int run_list(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
        { "org", required_argument, NULL, OPT_ORG },
        { "after", required_argument, NULL, OPT_AFTER },
        { "limit", required_argument, NULL, OPT_LIMIT },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_audit_filter filter = { NULL, NULL, 0 };
    int64_t limit = HB_PAGE_LIMIT_DEFAULT;
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_audit_list, argc, argv, options, &common)) >= 0) {
        if (opt == OPT_JURISDICTION)
            filter.jurisdiction = optarg;
        else if (opt == OPT_ORG)
            filter.org = optarg;
        else if (opt == OPT_AFTER &&
                 (hb_parse_int64(&filter.after_seq, optarg, strlen(optarg)) < 0 ||
                  filter.after_seq < 0))
            return hb_cli_usage(&hb_cmd_audit_list, "--after must be an entry number");
        else if (opt == OPT_LIMIT && (hb_parse_int64(&limit, optarg, strlen(optarg)) < 0 ||
                                      limit < 1 || limit > HB_PAGE_LIMIT_MAX))
            return hb_cli_usage(&hb_cmd_audit_list, "--limit must be 1 to %d", HB_PAGE_LIMIT_MAX);
    }
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_audit_list, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_audit_entry *entries = hb_xcalloc((size_t)limit, sizeof *entries);
    size_t n;
    int rc = hb_audit_list(store, entries, (size_t)limit, &n, &filter);
    hb_store_close(store);
    rc = rc < 0 ? hb_cli_fail_last() : print_entries(entries, n, &common);
    hb_free(entries);
    return rc;
}

static int run_policy(int argc, char **argv)
{
    static const struct option options[] = { HB_CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
    hb_cli_common common;
    hb_cli_common_init(&common);
    int opt;
    while ((opt = hb_cli_getopt(&hb_cmd_policy, argc, argv, options, &common)) >= 0)
        ;
    if (opt == HB_CLI_EXIT)
        return common.exit_code;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_policy, "unexpected argument '%s'", argv[optind]);
    static const char *const names[] = { "action", "role", "own_jurisdiction",
                                         "other_jurisdiction" };
    hb_table *t;
    if (hb_table_new(&t, 4, names, NULL) < 0)
        return hb_cli_fail_last();
    size_t n;
    const hb_policy_rule *rules = hb_policy_rules(&n);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (unsigned r = 0; rc == 0 && r < HB_ROLE_COUNT; r++) {
            if (!(rules[i].roles & (1u << r)))
                continue;
            const char *row[] = { hb_action_name(rules[i].action), hb_role_name((hb_role)r),
                                  hb_reach_name(rules[i].own), hb_reach_name(rules[i].other) };
            rc = hb_table_add_row(t, row);
        }
    rc = rc < 0 ? hb_cli_fail_last() : hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

const hb_cli_command hb_cmd_audit_verify = {
    "audit verify",
    "check the audit log's hash chain; name the first tampered entry",
    "Usage: healthybay audit verify [--anchor HASH] [--db URL]\n"
    "\n"
    "Recompute the hash chain of the audit log from the first entry to the last. Exits 0 and\n"
    "prints the number of entries and the head (newest) entry's hash when intact; exits 1\n"
    "naming the first bad entry when one was edited, deleted or moved.\n"
    "\n"
    "Removing the newest entries leaves no trace in the chain itself: record the head hash\n"
    "somewhere else (the daily bulletin, a printout) and give it later as --anchor; verify\n"
    "then also fails unless that entry is still on the chain.\n"
    "\n"
    "Example:\n"
    "  healthybay audit verify --db gba.db\n"
    "  healthybay audit verify --anchor "
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n",
    run_verify,
};

const hb_cli_command hb_cmd_audit_list = {
    "audit list",
    "show audit log entries",
    "Usage: healthybay audit list [--jurisdiction J] [--org CODE] [--after SEQ] [--limit N]\n"
    "                             [--db URL] [--format table|csv|json]\n"
    "\n"
    "Show entries oldest first, after entry number SEQ (default: from the start), at most N\n"
    "(default 100): time, organisation, token, source, action, object, outcome and hash.\n"
    "\n"
    "Example:\n"
    "  healthybay audit list --jurisdiction HK --after 1200 --format csv\n",
    run_list,
};

const hb_cli_command hb_cmd_policy = {
    "policy",
    "print the authorisation policy: which role may do what, where",
    "Usage: healthybay policy [--format table|csv|json]\n"
    "\n"
    "Print every rule of the policy: action, role, and its reach in the caller's own\n"
    "jurisdiction and in the other two. Reaches: none; own_org (the caller's organisation's\n"
    "objects); shared (those and objects shared under a sharing rule); authority (a health\n"
    "authority: all; other organisations: their own); all. What is not listed is denied.\n"
    "\n"
    "Example:\n"
    "  healthybay policy --format csv\n",
    run_policy,
};
