/*
 * cli/cli.c — helpers shared by the subcommands (see cli.h).
 */
#include "cli/cli.h"

#include <pwd.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/schema.h"

int hb_cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("healthybay: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return HB_EXIT_FAIL;
}

int hb_cli_fail_last(void)
{
    return hb_cli_fail("%s", *hb_error_last() ? hb_error_last() : "failed");
}

int hb_cli_usage(const hb_cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "healthybay %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'healthybay %s --help'.\n", cmd->name);
    va_end(ap);
    return HB_EXIT_USAGE;
}

void hb_cli_common_init(hb_cli_common *common)
{
    common->db = hb_store_default_url();
    common->format = hb_format_default(stdout);
    common->exit_code = HB_EXIT_OK;
}

/* The short options: every long option whose value is a letter ({"output", …, 'o'} is -o). */
static void short_options(const struct option *options, char *out, size_t size)
{
    size_t n = 0; /* GNU order: options may come before or after the operands */
    for (const struct option *o = options; o->name && n + 3 < size; o++) {
        if (o->val > 0 && o->val < 128 &&
            ((o->val >= 'a' && o->val <= 'z') || (o->val >= 'A' && o->val <= 'Z'))) {
            out[n++] = (char)o->val;
            if (o->has_arg == required_argument)
                out[n++] = ':';
        }
    }
    out[n] = '\0';
}

int hb_cli_getopt(const hb_cli_command *cmd, int argc, char **argv, const struct option *options,
                  hb_cli_common *common)
{
    char shorts[64];
    short_options(options, shorts, sizeof shorts);
    for (;;) {
        int opt = getopt_long(argc, argv, shorts, options, NULL);
        switch (opt) {
        case HB_OPT_DB:
            common->db = optarg;
            continue;
        case HB_OPT_FORMAT:
            if (hb_format_parse(&common->format, optarg) < 0) {
                common->exit_code = hb_cli_usage(cmd, "%s", hb_error_last());
                return HB_CLI_EXIT;
            }
            continue;
        case HB_OPT_HELP:
            fputs(cmd->help, stdout);
            common->exit_code = HB_EXIT_OK;
            return HB_CLI_EXIT;
        case '?':
        case ':':
            fprintf(stderr, "Try 'healthybay %s --help'.\n", cmd->name);
            common->exit_code = HB_EXIT_USAGE;
            return HB_CLI_EXIT;
        default:
            return opt < 0 ? HB_CLI_END : opt;
        }
    }
}

int hb_cli_open_db(const hb_cli_common *common, hb_store **out)
{
    if (hb_schema_open(out, common->db) < 0)
        return hb_cli_fail_last();
    return 0;
}

int hb_cli_print_table(const hb_table *table, const hb_cli_common *common)
{
    if (hb_table_write(table, common->format, stdout) < 0 || fflush(stdout) != 0)
        return hb_cli_fail("cannot write output");
    return 0;
}

int hb_cli_audit(hb_store *store, const char *action, const char *object, const char *jurisdiction)
{
    const struct passwd *pw = getpwuid(getuid());
    char source[128];
    snprintf(source, sizeof source, "cli %s", pw && pw->pw_name ? pw->pw_name : "unknown");
    hb_audit_event ev = {
        .org = NULL,
        .jurisdiction = jurisdiction,
        .token_id = NULL,
        .source = source,
        .action = action,
        .object = object,
        .outcome = HB_AUDIT_OK,
    };
    return hb_audit_append(store, &ev);
}
