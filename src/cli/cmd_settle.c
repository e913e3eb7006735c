/*
 * cli/cmd_settle.c — cross-border claims, exchange rates, settlement runs and the ledger:
 * `healthybay claims submit|import|adjudicate|list|show|reverse`, `rates import|list`,
 * `settlement run|statements`, `settle reference import`, `settle accounts`, `settle verify`.
 *
 * Every writing command takes --as ORG (recorded on what it writes) and --on DATE (the business
 * date, default today in UTC+8), what the HTTP API passes to the same functions from the token
 * and the clock. Each write is audited (hb_cli_audit) in the transaction that makes it; running
 * a command again changes nothing (settle/request.h: every write is idempotent by its natural
 * key), so the command line needs no Idempotency-Key.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "healthybay/date.h"
#include "settle/claims.h"
#include "settle/ledger.h"
#include "settle/money.h"
#include "settle/rates.h"
#include "settle/rules.h"
#include "settle/settlement.h"
#include "settle/settle_int.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/parse.h"

enum {
    OPT_AS = HB_OPT_FIRST_FREE,
    OPT_ON,
    OPT_DRY_RUN,
    OPT_PROVIDER,
    OPT_EPISODE,
    OPT_PATIENT,
    OPT_PAYER,
    OPT_CURRENCY,
    OPT_SERVICE_DATE,
    OPT_INSURED,
    OPT_ITEM,
    OPT_STATUS,
    OPT_PENDING,
    OPT_REASON,
    OPT_PERIOD,
    OPT_KIND
};

/* clang-format off */
#define WRITER_OPTIONS                                                                            \
    { "as", required_argument, NULL, OPT_AS },                                                    \
    { "on", required_argument, NULL, OPT_ON }
/* clang-format on */

/* A writing command's caller: today, and its writes audited as the operator's. */
static void writer_init(hb_settle_caller *caller)
{
    hb_settle_caller_init(caller);
    caller->audit = hb_cli_audit;
}

/* The options every writing command shares; 1 when opt was one of them, -1 on a bad value. */
static int writer_option(const hb_cli_command *cmd, int opt, hb_settle_caller *caller)
{
    if (opt == OPT_AS)
        caller->organisation = optarg;
    else if (opt == OPT_ON) {
        if (hb_date_parse(&caller->today, optarg, strlen(optarg)) < 0)
            return hb_cli_usage(cmd, "--on: %s", hb_error_last()), -1;
    } else
        return 0;
    return 1;
}

static char *read_input(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    hb_buf b;
    hb_buf_init(&b, HB_BUF_DEFAULT_MAX);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = hb_buf_put(&b, chunk, n);
    if (f != stdin)
        fclose(f);
    if (rc < 0) {
        hb_buf_dispose(&b);
        return NULL;
    }
    *len = b.len;
    char *text = b.len ? hb_buf_detach(&b) : hb_xstrdup("");
    hb_buf_dispose(&b);
    return text;
}

/* "CODE:CATEGORY:QUANTITY:UNIT_PRICE" in currency. */
static int parse_item(hb_claim_item *it, char *text, const char *currency)
{
    char *f[4];
    for (int i = 0; i < 4; i++) {
        f[i] = text;
        char *colon = strchr(text, ':');
        if (i < 3 && !colon)
            return hb_error_set(HB_EINVAL, "--item wants CODE:CATEGORY:QUANTITY:UNIT_PRICE");
        if (colon && i < 3) {
            *colon = '\0';
            text = colon + 1;
        }
    }
    it->code = f[0];
    it->category = f[1];
    if (hb_parse_int64(&it->quantity, f[2], strlen(f[2])) < 0)
        return hb_error_prefix("--item quantity: ");
    if (hb_money_parse(&it->unit_minor, currency, f[3], strlen(f[3])) < 0)
        return hb_error_prefix("--item unit price: ");
    return 0;
}

static void print_decision(const hb_claim_decision *d)
{
    char claimed[HB_MONEY_STRLEN], approved[HB_MONEY_STRLEN], copay[HB_MONEY_STRLEN];
    char voucher[HB_MONEY_STRLEN];
    printf("claim %lld: %s%s — %s of %s %s approved", (long long)d->claim_id, d->status,
           d->already ? " (unchanged)" : "",
           hb_money_display(approved, d->approved_minor, d->currency),
           hb_money_display(claimed, d->claimed_minor, d->currency), d->currency);
    if (d->copay_minor)
        printf(", co-payment %s", hb_money_display(copay, d->copay_minor, d->currency));
    if (d->voucher_minor)
        printf(", voucher HK$%s", hb_money_display(voucher, d->voucher_minor, "HKD"));
    printf("\n");
    if (d->reason[0])
        printf("  %s\n", d->reason);
}

static int run_claims_submit(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        WRITER_OPTIONS,
        { "provider", required_argument, NULL, OPT_PROVIDER },
        { "episode", required_argument, NULL, OPT_EPISODE },
        { "patient", required_argument, NULL, OPT_PATIENT },
        { "payer", required_argument, NULL, OPT_PAYER },
        { "currency", required_argument, NULL, OPT_CURRENCY },
        { "service-date", required_argument, NULL, OPT_SERVICE_DATE },
        { "mainland-insured", no_argument, NULL, OPT_INSURED },
        { "item", required_argument, NULL, OPT_ITEM },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_settle_caller caller;
    writer_init(&caller);
    hb_claim c = { 0 };
    const char *date = NULL;
    char *items[HB_CLAIM_ITEMS_MAX];
    size_t nitems = 0;
    int o, w;
    while ((o = hb_cli_getopt(&hb_cmd_claims_submit, argc, argv, options, &common)) >= 0) {
        if ((w = writer_option(&hb_cmd_claims_submit, o, &caller)) != 0) {
            if (w < 0)
                return HB_EXIT_USAGE;
        } else if (o == OPT_PROVIDER)
            c.provider = optarg;
        else if (o == OPT_EPISODE)
            c.episode = optarg;
        else if (o == OPT_PATIENT)
            c.patient = optarg;
        else if (o == OPT_PAYER)
            c.payer = optarg;
        else if (o == OPT_CURRENCY)
            c.currency = optarg;
        else if (o == OPT_SERVICE_DATE)
            date = optarg;
        else if (o == OPT_INSURED)
            c.mainland_insured = true;
        else if (o == OPT_ITEM && nitems < HB_CLAIM_ITEMS_MAX)
            items[nitems++] = optarg;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (!c.provider || !c.episode || !c.patient || !c.payer || !c.currency || !date || !nitems)
        return hb_cli_usage(&hb_cmd_claims_submit,
                            "--provider, --episode, --patient, --payer, "
                            "--currency, --service-date and at least one --item are required");
    if (hb_date_parse(&c.service_date, date, strlen(date)) < 0 || hb_currency_check(c.currency) < 0)
        return hb_cli_usage(&hb_cmd_claims_submit, "%s", hb_error_last());
    hb_claim_item parsed[HB_CLAIM_ITEMS_MAX];
    for (size_t i = 0; i < nitems; i++)
        if (parse_item(&parsed[i], items[i], c.currency) < 0)
            return hb_cli_usage(&hb_cmd_claims_submit, "%s", hb_error_last());
    c.items = parsed;
    c.nitems = nitems;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    int64_t id;
    bool existing;
    int rc = hb_claim_submit(&id, &existing, store, &caller, &c);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("claim %lld %s\n", (long long)id,
           existing ? "was submitted before: nothing changed" : "submitted");
    return HB_EXIT_OK;
}

const hb_cli_command hb_cmd_claims_submit = {
    "claims submit",
    "submit a claim for care given to a patient from another jurisdiction",
    "Usage: healthybay claims submit --provider CODE --episode ID --patient PSEUDONYM\n"
    "                 --payer CODE --currency CNY|HKD|MOP --service-date YYYY-MM-DD\n"
    "                 --item CODE:CATEGORY:QUANTITY:UNIT_PRICE [--item …] [--mainland-insured]\n"
    "                 [--as ORG] [--on DATE] [--db URL]\n"
    "\n"
    "A provider claims from a payer (an insurer, the Elderly Health Care Voucher scheme HK-EHCV,\n"
    "a social insurance fund) for one episode of care. The currency is the one the fees were\n"
    "charged in: the provider's own (Guangdong CNY, Hong Kong HKD, Macao MOP). Categories:\n"
    "outpatient, inpatient, day_surgery, dental, optometry, chinese_medicine, diagnostics,\n"
    "preventive, rehabilitation, drugs. --mainland-insured says the episode was covered by\n"
    "mainland medical insurance (vouchers then cannot pay for it).\n"
    "\n"
    "One live claim per provider and episode: sending the same claim again changes nothing; a\n"
    "different claim for the same episode is refused as a duplicate. The claim waits for\n"
    "`healthybay claims adjudicate`.\n"
    "\n"
    "Example (an HK elder at HKU-Shenzhen Hospital, paid with vouchers):\n"
    "  healthybay claims submit --provider GD-HKUSZH --episode E-2024-0042 --patient P-7f3a \\\n"
    "      --payer HK-EHCV --currency CNY --service-date 2024-03-02 \\\n"
    "      --item consult:outpatient:1:180.00 --item xray:diagnostics:1:100.00\n",
    run_claims_submit,
};

static int run_claims_import(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        WRITER_OPTIONS,
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_settle_caller caller;
    writer_init(&caller);
    bool dry = false;
    int o, w;
    while ((o = hb_cli_getopt(&hb_cmd_claims_import, argc, argv, options, &common)) >= 0) {
        if ((w = writer_option(&hb_cmd_claims_import, o, &caller)) < 0)
            return HB_EXIT_USAGE;
        if (o == OPT_DRY_RUN)
            dry = true;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 1 != argc)
        return hb_cli_usage(&hb_cmd_claims_import, "expected one FILE.csv (or - for stdin)");
    size_t len;
    char *data = read_input(argv[optind], &len);
    if (!data)
        return hb_cli_fail("cannot read %s", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0) {
        hb_free(data);
        return HB_EXIT_FAIL;
    }
    hb_claims_import_report r;
    int rc = hb_claims_import(&r, store, &caller, argv[optind], data, len, dry);
    hb_store_close(store);
    hb_free(data);
    if (r.errors)
        fputs(r.errors, stderr);
    hb_claims_import_report_dispose(&r);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("%s: %llu rows, %llu claims: %llu submitted, %llu unchanged%s\n", argv[optind],
           (unsigned long long)r.rows, (unsigned long long)r.claims,
           (unsigned long long)r.submitted, (unsigned long long)r.unchanged,
           dry ? " (dry run: nothing written)" : "");
    return HB_EXIT_OK;
}

const hb_cli_command hb_cmd_claims_import = {
    "claims import",
    "submit many claims from a CSV file, checked whole",
    "Usage: healthybay claims import [--dry-run] [--as ORG] [--on DATE]\n"
    "                                [--db URL] FILE.csv\n"
    "\n"
    "One row per item; the rows of one claim (same provider and episode) are consecutive and\n"
    "repeat the claim's fields:\n"
    "\n"
    "  provider,episode,patient,payer,currency,service_date,mainland_insured,item,category,"
    "quantity,unit_price\n"
    "  GD-HKUSZH,E-0042,P-7f3a,HK-EHCV,CNY,2024-03-02,0,consult,outpatient,1,180.00\n"
    "  GD-HKUSZH,E-0042,P-7f3a,HK-EHCV,CNY,2024-03-02,0,xray,diagnostics,1,100.00\n"
    "\n"
    "Every row and claim is checked first (codes, dates, amounts with at most 2 decimals,\n"
    "duplicates against stored claims); if anything is wrong, every problem is listed as\n"
    "file:line:column and no claim is submitted. Claims already stored identically are\n"
    "counted unchanged, so sending a file twice changes nothing.\n"
    "\n"
    "Example:\n"
    "  healthybay claims import --as GD-HKUSZH march-claims.csv\n",
    run_claims_import,
};

/* Parse the writer options and nothing else; returns HB_CLI_END or an exit code + 1000. */
static int writer_only(const hb_cli_command *cmd, int argc, char **argv, const struct option *opts,
                       hb_cli_common *common, hb_settle_caller *caller, bool *flag, int flag_id,
                       const char **value, int value_id)
{
    int o, w;
    while ((o = hb_cli_getopt(cmd, argc, argv, opts, common)) >= 0) {
        if ((w = writer_option(cmd, o, caller)) < 0)
            return HB_EXIT_USAGE + 1000;
        if (o == flag_id && flag)
            *flag = true;
        if (o == value_id && value)
            *value = optarg;
    }
    return o == HB_CLI_EXIT ? common->exit_code + 1000 : HB_CLI_END;
}

static int parse_id(const hb_cli_command *cmd, const char *text, int64_t *id)
{
    if (hb_parse_int64(id, text, strlen(text)) < 0 || *id <= 0)
        return hb_cli_usage(cmd, "'%s' is not a claim id", text);
    return 0;
}

static int run_claims_adjudicate(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        WRITER_OPTIONS,
        { "pending", no_argument, NULL, OPT_PENDING },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_settle_caller caller;
    writer_init(&caller);
    bool pending = false;
    int rc = writer_only(&hb_cmd_claims_adjudicate, argc, argv, options, &common, &caller, &pending,
                         OPT_PENDING, NULL, 0);
    if (rc >= 1000)
        return rc - 1000;
    if (pending == (optind < argc))
        return hb_cli_usage(&hb_cmd_claims_adjudicate, "give claim ids or --pending");
    int64_t ids[64];
    int n = 0;
    for (; optind < argc && n < 64; optind++, n++)
        if (parse_id(&hb_cmd_claims_adjudicate, argv[optind], &ids[n]) != 0)
            return HB_EXIT_USAGE;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    rc = 0;
    if (pending) {
        hb_adjudication_report r;
        rc = hb_claims_adjudicate_pending(&r, store, &caller);
        printf("%llu claims decided: %llu approved, %llu partial, %llu rejected\n",
               (unsigned long long)r.claims, (unsigned long long)r.approved,
               (unsigned long long)r.partial, (unsigned long long)r.rejected);
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        hb_claim_decision d;
        if ((rc = hb_claim_adjudicate(&d, store, &caller, ids[i])) == 0)
            print_decision(&d);
    }
    hb_store_close(store);
    return rc < 0 ? hb_cli_fail_last() : HB_EXIT_OK;
}

const hb_cli_command hb_cmd_claims_adjudicate = {
    "claims adjudicate",
    "decide submitted claims under the payer's rules and post them to the ledger",
    "Usage: healthybay claims adjudicate ID… | --pending [--as ORG]\n"
    "                                   [--on DATE] [--db URL]\n"
    "\n"
    "Applies the rule set of the payer in force on the service date: membership and residence\n"
    "on that date, cross-border care, deadline, covered categories, limits, co-payment; for\n"
    "the voucher scheme also the designated service point, the age, mainland insurance, the\n"
    "month's conversion factor, the balance and the optometry sub-cap. The outcome is\n"
    "approved, partial or rejected with the reasons; paid claims are posted to the ledger in\n"
    "the same transaction. A claim decided before is shown unchanged. --on dates the decision\n"
    "(it may not fall in a settled period).\n"
    "\n"
    "Examples:\n"
    "  healthybay claims adjudicate 42\n"
    "  healthybay claims adjudicate --pending --on 2024-03-05\n",
    run_claims_adjudicate,
};

static int run_claims_list(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "status", required_argument, NULL, OPT_STATUS },
        { "payer", required_argument, NULL, OPT_PAYER },
        { "provider", required_argument, NULL, OPT_PROVIDER },
        { "patient", required_argument, NULL, OPT_PATIENT },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_claim_filter f = { 0 };
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_claims_list, argc, argv, options, &common)) >= 0) {
        const char **slot = o == OPT_STATUS     ? &f.status
                            : o == OPT_PAYER    ? &f.payer
                            : o == OPT_PROVIDER ? &f.provider
                                                : &f.patient;
        *slot = optarg;
    }
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = hb_claims_list(store, &f, HB_MONEY_DECIMAL, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

const hb_cli_command hb_cmd_claims_list = {
    "claims list",
    "list claims with their decision and settlement",
    "Usage: healthybay claims list [--status S] [--payer CODE] [--provider CODE]\n"
    "                              [--patient PSEUDONYM] [--db URL] [--format table|csv|json]\n"
    "\n"
    "Newest first: amounts claimed, approved, the co-payment and the HKD taken from a voucher,\n"
    "the status (submitted, approved, partial, rejected, reversed), the decision date, the\n"
    "settlement run and the reasons.\n"
    "\n"
    "Example:\n"
    "  healthybay claims list --payer HK-EHCV --status partial --format csv\n",
    run_claims_list,
};

static int run_claims_show(int argc, char **argv)
{
    static const struct option options[] = { HB_CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
    hb_cli_common common;
    hb_cli_common_init(&common);
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_claims_show, argc, argv, options, &common)) >= 0)
        ;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    int64_t id;
    if (optind + 1 != argc)
        return hb_cli_usage(&hb_cmd_claims_show, "expected one claim id");
    if (parse_id(&hb_cmd_claims_show, argv[optind], &id) != 0)
        return HB_EXIT_USAGE;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_claim_decision d;
    hb_table *t = NULL;
    int rc = hb_claim_get(&d, store, id);
    if (rc == 0)
        rc = hb_claim_items(store, id, HB_MONEY_DECIMAL, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    print_decision(&d);
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

const hb_cli_command hb_cmd_claims_show = {
    "claims show",
    "show a claim's decision and its items with the reason for each",
    "Usage: healthybay claims show ID [--db URL] [--format table|csv|json]\n"
    "\n"
    "Example:\n"
    "  healthybay claims show 42\n",
    run_claims_show,
};

static int run_claims_reverse(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        WRITER_OPTIONS,
        { "reason", required_argument, NULL, OPT_REASON },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_settle_caller caller;
    writer_init(&caller);
    const char *reason = NULL;
    int rc = writer_only(&hb_cmd_claims_reverse, argc, argv, options, &common, &caller, NULL, 0,
                         &reason, OPT_REASON);
    if (rc >= 1000)
        return rc - 1000;
    int64_t id;
    if (optind + 1 != argc || !reason)
        return hb_cli_usage(&hb_cmd_claims_reverse, "expected one claim id and --reason");
    if (parse_id(&hb_cmd_claims_reverse, argv[optind], &id) != 0)
        return HB_EXIT_USAGE;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_claim_decision d;
    rc = hb_claim_reverse(&d, store, &caller, id, reason);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    print_decision(&d);
    return HB_EXIT_OK;
}

const hb_cli_command hb_cmd_claims_reverse = {
    "claims reverse",
    "reverse a paid, unsettled claim (a reversing ledger transfer)",
    "Usage: healthybay claims reverse ID --reason TEXT [--as ORG]\n"
    "                                 [--on DATE] [--db URL]\n"
    "\n"
    "History is never changed: the claim's transfer is reversed by a new one (a voucher gets\n"
    "its HKD back) and the claim becomes 'reversed', after which the provider may submit the\n"
    "episode again. A settled claim cannot be reversed: correct it with a new claim.\n"
    "\n"
    "Example:\n"
    "  healthybay claims reverse 42 --reason 'billed to the wrong payer'\n",
    run_claims_reverse,
};

typedef int (*load_fn)(hb_store *store, const char *kind, const char *name, const char *data,
                       size_t len, bool dry_run, hb_settle_load_report *report);

static int rates_loader(hb_store *store, const char *kind, const char *name, const char *data,
                        size_t len, bool dry_run, hb_settle_load_report *report)
{
    (void)kind;
    return hb_rates_import(store, name, data, len, dry_run, report);
}

typedef struct load_args {
    load_fn fn;
    const char *kind, *path, *data;
    size_t len;
    bool dry;
    hb_settle_load_report report;
} load_args;

static int load_in_tx(hb_store *store, void *payload, hb_settle_write *w)
{
    load_args *a = payload;
    int rc = a->fn(store, a->kind, a->path, a->data, a->len, a->dry, &a->report);
    if (rc == 0 && (a->report.inserted || a->report.updated)) /* a dry run writes nothing */
        snprintf(w->object, sizeof w->object, "settle/%s", a->kind);
    return rc;
}

/* Shared by `rates import` and `settle reference import`: read, load in one transaction,
 * report. */
static int load_file(const hb_cli_common *common, load_fn fn, const char *kind, const char *path,
                     bool dry)
{
    load_args a = { fn, kind, path, NULL, 0, dry, { 0 } };
    char *data = read_input(path, &a.len);
    if (!data)
        return hb_cli_fail("cannot read %s", path);
    a.data = data;
    hb_store *store;
    if (hb_cli_open_db(common, &store) != 0) {
        hb_free(data);
        return HB_EXIT_FAIL;
    }
    /* Reference data and rates belong to the whole area: audited with no jurisdiction, under the
     * command's name (no HTTP route changes them, so no policy action names them). */
    hb_settle_caller caller;
    writer_init(&caller);
    hb_settle_write w = { .action = strcmp(kind, "rates") == 0 ? "settle.rates.import"
                                                               : "settle.reference.import" };
    int rc = hb_settle__in_transaction(store, &caller, &w, load_in_tx, &a);
    hb_store_close(store);
    hb_free(data);
    if (a.report.errors)
        fputs(a.report.errors, stderr);
    hb_settle__load_report_dispose(&a.report);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("%s: %llu rows: %llu new, %llu updated, %llu unchanged%s\n", path,
           (unsigned long long)a.report.rows, (unsigned long long)a.report.inserted,
           (unsigned long long)a.report.updated, (unsigned long long)a.report.unchanged,
           dry ? " (dry run: nothing written)" : "");
    return HB_EXIT_OK;
}

static int run_rates_import(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    bool dry = false;
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_rates_import, argc, argv, options, &common)) >= 0)
        dry |= o == OPT_DRY_RUN;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 1 != argc)
        return hb_cli_usage(&hb_cmd_rates_import, "expected one FILE.csv");
    return load_file(&common, rates_loader, "rates", argv[optind], dry);
}

const hb_cli_command hb_cmd_rates_import = {
    "rates import",
    "import exchange rates and the voucher scheme's monthly conversion factors",
    "Usage: healthybay rates import [--dry-run] [--db URL] FILE.csv\n"
    "\n"
    "  kind,base,quote,valid_from,rate,source\n"
    "  ehcv-factor,CNY,HKD,2024-03-01,1.0870,DH eHS(S) conversion factor for March 2024\n"
    "  reference,HKD,CNY,2024-03-01,0.9150,HKMA published rate\n"
    "\n"
    "rate is quote per one base, as published (an exact decimal, never rounded). ehcv-factor:\n"
    "the factor of the month containing valid_from, used to deduct RMB fees from vouchers in\n"
    "HKD. reference: a daily rate used to compare claims with limits in another currency (the\n"
    "latest on or before the date, at most 10 days old). Rates are immutable: importing the\n"
    "same file again changes nothing; a different value for a stored key is an error.\n"
    "\n"
    "Example:\n"
    "  healthybay rates import factors-2024.csv\n",
    run_rates_import,
};

static int print_query(const hb_cli_common *common,
                       int (*fn)(hb_store *store, const char *arg, hb_table **out), const char *arg)
{
    hb_store *store;
    if (hb_cli_open_db(common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    int rc = fn(store, arg, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, common);
    hb_table_free(t);
    return rc;
}

static int run_rates_list(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "kind", required_argument, NULL, OPT_KIND },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *kind = NULL;
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_rates_list, argc, argv, options, &common)) >= 0)
        kind = optarg;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    return print_query(&common, hb_rates_list, kind);
}

const hb_cli_command hb_cmd_rates_list = {
    "rates list",
    "list imported exchange rates and conversion factors with their sources",
    "Usage: healthybay rates list [--kind reference|ehcv-factor] [--db URL] [--format F]\n"
    "\n"
    "Example:\n"
    "  healthybay rates list --kind ehcv-factor\n",
    run_rates_list,
};

static int run_settlement_run(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        WRITER_OPTIONS,
        { "period", required_argument, NULL, OPT_PERIOD },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    hb_settle_caller caller;
    writer_init(&caller);
    const char *period = NULL;
    int rc = writer_only(&hb_cmd_settlement_run, argc, argv, options, &common, &caller, NULL, 0,
                         &period, OPT_PERIOD);
    if (rc >= 1000)
        return rc - 1000;
    hb_date month;
    if (!period || hb_month_parse(&month, period, strlen(period)) < 0)
        return hb_cli_usage(&hb_cmd_settlement_run, "--period YYYY-MM is required");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_settlement_result r;
    hb_table *t = NULL;
    rc = hb_settlement_run(&r, store, &caller, month);
    if (rc == 0)
        rc = hb_settlement_instructions(store, r.period, HB_MONEY_DECIMAL, &t);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("settlement %s (run %lld)%s: %lld claims, %lld obligations, %lld payments\n", r.period,
           (long long)r.run_id, r.already ? " was settled before: nothing changed" : "",
           (long long)r.claims, (long long)r.obligations, (long long)r.instructions);
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    return rc;
}

const hb_cli_command hb_cmd_settlement_run = {
    "settlement run",
    "settle a month between payers: multilateral netting, payments, ledger",
    "Usage: healthybay settlement run --period YYYY-MM [--as ORG]\n"
    "                                 [--on DATE] [--db URL] [--format F]\n"
    "\n"
    "Takes every paid, unsettled claim decided up to the month's last day. Each makes its payer\n"
    "owe the provider's liaison payer (which pays the provider locally). The gross obligations\n"
    "are netted per currency across all payers of the three jurisdictions, and the payments\n"
    "that settle them are printed: who pays whom how much in which currency. The run is posted\n"
    "to the ledger and closes the period. Running it again changes nothing; periods are settled\n"
    "in order, and only once they are over.\n"
    "\n"
    "Example:\n"
    "  healthybay settlement run --period 2024-03\n",
    run_settlement_run,
};

static int run_settlement_statements(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "period", required_argument, NULL, OPT_PERIOD },
        { "payer", required_argument, NULL, OPT_PAYER },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *period = NULL, *payer = NULL;
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_settlement_statements, argc, argv, options, &common)) >= 0)
        *(o == OPT_PERIOD ? &period : &payer) = optarg;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (!period)
        return hb_cli_usage(&hb_cmd_settlement_statements, "--period YYYY-MM is required");
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    hb_statement_check check;
    int rc = hb_settlement_statement(store, period, payer, HB_MONEY_DECIMAL, &t, &check);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, &common);
    hb_table_free(t);
    fprintf(stderr, "%lld claim lines; %s\n", (long long)check.lines,
            check.mismatches ? "DOES NOT RECONCILE with the recorded obligations and payments"
                             : "reconciles: claims = obligations = net = payments");
    return check.mismatches ? HB_EXIT_FAIL : rc;
}

const hb_cli_command hb_cmd_settlement_statements = {
    "settlement statements",
    "statements per payer for a settled period, from each claim to the payments",
    "Usage: healthybay settlement statements --period YYYY-MM [--payer CODE] [--db URL]\n"
    "                                        [--format table|csv|json]\n"
    "\n"
    "For each payer and currency: one line per claim it owes (negative) or is due as liaison\n"
    "(positive), the totals, the net position and the payments it makes or receives. The\n"
    "statement is checked: the claim lines must add up to the obligations recorded by the run\n"
    "and the payments must settle the net exactly; the verdict is printed on stderr and a\n"
    "mismatch exits 1.\n"
    "\n"
    "Example:\n"
    "  healthybay settlement statements --period 2024-03 --payer HK-EHCV --format csv\n",
    run_settlement_statements,
};

static int run_settle_reference(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    bool dry = false;
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_settle_reference, argc, argv, options, &common)) >= 0)
        dry |= o == OPT_DRY_RUN;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    if (optind + 2 != argc)
        return hb_cli_usage(&hb_cmd_settle_reference, "expected KIND FILE.csv (KIND: %s)",
                            hb_settle_reference_kinds);
    return load_file(&common, hb_settle_reference_load, argv[optind], argv[optind + 1], dry);
}

const hb_cli_command hb_cmd_settle_reference = {
    "settle reference import",
    "load payers, providers, payer rules, voucher rules, service points or members",
    "Usage: healthybay settle reference import [--dry-run] [--db URL] KIND FILE.csv\n"
    "\n"
    "KIND and its columns (amounts are decimals in the payer's currency):\n"
    "  payers          code,jurisdiction,kind,currency,name_en,name_zh,source\n"
    "  providers       code,jurisdiction,region,currency,liaison,name_en,name_zh,source\n"
    "  payer-terms     payer,valid_from,residents,claim_limit,deadline_days,rounding,source\n"
    "  payer-items     payer,valid_from,category,copay_bp,limit,alone\n"
    "  ehcv-rules      valid_from,eligible_age,annual,cap,optometry_cap,optometry_cycle_years,\n"
    "                  optometry_cycle_anchor,face_value,rounding,source\n"
    "  ehcv-grants     code,granted_on,amount,source\n"
    "  service-points  provider,valid_from,valid_to,source\n"
    "  members         payer,patient,residence,birth_year,valid_from,valid_to\n"
    "  payer-orgs      payer,org       the organisation (healthybay org list) acting for a payer:\n"
    "  provider-orgs   provider,org    its API tokens decide the payer's claims, or submit the\n"
    "                                  provider's; an organisation of the same jurisdiction\n"
    "\n"
    "Rules are dated: a rule set applies from its valid_from until the next one, so a policy\n"
    "change is a new row. The file is checked whole; rows are inserted, updated or left alone.\n"
    "The shipped data (data/settle/) is loaded by `healthybay db migrate`.\n"
    "\n"
    "Example (register voucher holders):\n"
    "  healthybay settle reference import members ehcv-holders.csv\n"
    "Every import that changes something is audited (settle.reference.import).\n",
    run_settle_reference,
};

static int run_settle_accounts(int argc, char **argv)
{
    static const struct option options[] = {
        HB_CLI_COMMON_OPTIONS,
        { "kind", required_argument, NULL, OPT_KIND },
        { NULL, 0, NULL, 0 },
    };
    hb_cli_common common;
    hb_cli_common_init(&common);
    const char *kind = NULL;
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_settle_accounts, argc, argv, options, &common)) >= 0)
        kind = optarg;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    return print_query(&common, hb_ledger_accounts, kind);
}

const hb_cli_command hb_cmd_settle_accounts = {
    "settle accounts",
    "ledger accounts and their balances (minor units)",
    "Usage: healthybay settle accounts [--kind payer|provider|voucher] [--db URL] [--format F]\n"
    "\n"
    "A positive balance is held or owed to the owner (a voucher, a provider's receivable); a\n"
    "negative one is owed by the owner. floor and cap are the bounds the database enforces.\n",
    run_settle_accounts,
};

static int run_settle_verify(int argc, char **argv)
{
    static const struct option options[] = { HB_CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
    hb_cli_common common;
    hb_cli_common_init(&common);
    int o;
    while ((o = hb_cli_getopt(&hb_cmd_settle_verify, argc, argv, options, &common)) >= 0)
        ;
    if (o == HB_CLI_EXIT)
        return common.exit_code;
    hb_store *store;
    if (hb_cli_open_db(&common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_ledger_check c;
    int rc = hb_ledger_verify(&c, store);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("%lld transfers, %lld entries, %lld accounts\n"
           "unbalanced transfers: %lld\nbalances differing from their entries: %lld\n"
           "balances out of bounds: %lld\ncurrencies not summing to zero: %lld\n",
           (long long)c.transfers, (long long)c.entries, (long long)c.accounts,
           (long long)c.unbalanced_transfers, (long long)c.wrong_balances,
           (long long)c.out_of_bounds, (long long)c.nonzero_currencies);
    bool ok =
        !c.unbalanced_transfers && !c.wrong_balances && !c.out_of_bounds && !c.nonzero_currencies;
    puts(ok ? "ledger OK" : "LEDGER INCONSISTENT");
    return ok ? HB_EXIT_OK : HB_EXIT_FAIL;
}

const hb_cli_command hb_cmd_settle_verify = {
    "settle verify",
    "recompute the ledger's invariants from its entries",
    "Usage: healthybay settle verify [--db URL]\n"
    "\n"
    "Checks that every transfer sums to zero in each currency, that every balance equals the\n"
    "sum of its entries and lies within its floor and cap, and that all balances of a currency\n"
    "sum to zero. Exits 1 when anything is wrong.\n",
    run_settle_verify,
};
