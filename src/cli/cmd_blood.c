/*
 * cli/cmd_blood.c — the rare-blood exchange on the command line: reference listings, registry
 * imports and the owner's listings, the cross-border search, and the request workflow.
 *
 * The command line runs on the server, next to the database, so it says who it acts for:
 * --centre for a blood centre's own registry, --as (with --jurisdiction when the organisation is
 * not a blood centre) for a party to a request. The module enforces what each may do.
 */
#include <stdlib.h>
#include <string.h>

#include "blood/din.h"
#include "blood/finder.h"
#include "blood/phenotype.h"
#include "blood/reference.h"
#include "blood/registry.h"
#include "blood/request.h"
#include "cli/cli.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/limits.h"
#include "util/parse.h"

enum {
    OPT_CENTRE = HB_OPT_FIRST_FREE,
    OPT_AS,
    OPT_JURISDICTION,
    OPT_DRY_RUN,
    OPT_ABO,
    OPT_RHD,
    OPT_NEGATIVE,
    OPT_PREFER,
    OPT_KIND,
    OPT_JURISDICTIONS,
    OPT_NEAR,
    OPT_ON,
    OPT_LIMIT,
    OPT_UNIT,
    OPT_DONOR,
    OPT_NOTE,
};

/* Options shared by the commands below; each command accepts the subset it lists. */
typedef struct blood_opts {
    hb_cli_common common;
    const char *centre, *as, *jurisdiction, *unit, *donor, *note;
    const char *abo, *rhd, *negative, *prefer, *kind, *jurisdictions, *near, *on, *limit;
    bool dry_run;
} blood_opts;

static const struct option all_options[] = {
    HB_CLI_COMMON_OPTIONS,
    { "centre", required_argument, NULL, OPT_CENTRE },
    { "as", required_argument, NULL, OPT_AS },
    { "jurisdiction", required_argument, NULL, OPT_JURISDICTION },
    { "dry-run", no_argument, NULL, OPT_DRY_RUN },
    { "abo", required_argument, NULL, OPT_ABO },
    { "rhd", required_argument, NULL, OPT_RHD },
    { "negative", required_argument, NULL, OPT_NEGATIVE },
    { "prefer-negative", required_argument, NULL, OPT_PREFER },
    { "kind", required_argument, NULL, OPT_KIND },
    { "jurisdictions", required_argument, NULL, OPT_JURISDICTIONS },
    { "near", required_argument, NULL, OPT_NEAR },
    { "on", required_argument, NULL, OPT_ON },
    { "limit", required_argument, NULL, OPT_LIMIT },
    { "unit", required_argument, NULL, OPT_UNIT },
    { "donor", required_argument, NULL, OPT_DONOR },
    { "note", required_argument, NULL, OPT_NOTE },
    { NULL, 0, NULL, 0 },
};

/* Parse the options; `allowed` lists the long options this command takes ("centre dry-run").
 * Returns -1 to go on with operands at optind, else the exit code. */
static int parse_opts(const hb_cli_command *cmd, int argc, char **argv, const char *allowed,
                      blood_opts *o)
{
    memset(o, 0, sizeof *o);
    hb_cli_common_init(&o->common);
    const char **slot[] = { &o->centre, &o->as,       &o->jurisdiction, NULL,     &o->abo,
                            &o->rhd,    &o->negative, &o->prefer,       &o->kind, &o->jurisdictions,
                            &o->near,   &o->on,       &o->limit,        &o->unit, &o->donor,
                            &o->note };
    int opt;
    while ((opt = hb_cli_getopt(cmd, argc, argv, all_options, &o->common)) >= 0) {
        const char *name = all_options[3 + opt - OPT_CENTRE].name;
        size_t n = strlen(name);
        const char *p = strstr(allowed, name);
        if (!p || (p[n] != '\0' && p[n] != ' ') || (p != allowed && p[-1] != ' '))
            return hb_cli_usage(cmd, "--%s does not apply here", name);
        if (opt == OPT_DRY_RUN)
            o->dry_run = true;
        else
            *slot[opt - OPT_CENTRE] = optarg;
    }
    return opt == HB_CLI_EXIT ? o->common.exit_code : -1;
}

static int finish_table(hb_store *store, int rc, hb_table *t, const hb_cli_common *common)
{
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    rc = hb_cli_print_table(t, common);
    hb_table_free(t);
    return rc;
}

/* The acting organisation: --as (or --centre), its jurisdiction from --jurisdiction or, for a
 * blood centre, from the centre table. centre_buf keeps the looked-up jurisdiction alive. */
static int actor_from(hb_store *store, const char *org, const char *jurisdiction,
                      hb_blood_actor *actor, hb_blood_centre *centre_buf)
{
    actor->org = org;
    actor->jurisdiction = jurisdiction;
    if (!org)
        return hb_cli_fail("say who acts: --centre CODE or --as ORG");
    if (!jurisdiction) {
        if (hb_blood_centre_get(store, centre_buf, org) < 0)
            return hb_cli_fail("%s is not a blood centre: give its --jurisdiction", org);
        actor->jurisdiction = centre_buf->jurisdiction;
    }
    return 0;
}

static int open_as(const blood_opts *o, const char *org, hb_store **store, hb_blood_actor *actor,
                   hb_blood_centre *centre_buf)
{
    if (hb_cli_open_db(&o->common, store) != 0)
        return HB_EXIT_FAIL;
    if (actor_from(*store, org, o->jurisdiction, actor, centre_buf) != 0) {
        hb_store_close(*store);
        return HB_EXIT_FAIL;
    }
    return 0;
}

/* ---- reference listings ---- */

static int run_listing(const hb_cli_command *cmd, int argc, char **argv,
                       int (*list)(hb_store *, hb_table **))
{
    blood_opts o;
    int rc = parse_opts(cmd, argc, argv, "", &o);
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    if (hb_cli_open_db(&o.common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    rc = list(store, &t);
    return finish_table(store, rc, t, &o.common);
}

static int run_antigens(int argc, char **argv)
{
    return run_listing(&hb_cmd_blood_antigens, argc, argv, hb_blood_antigens_table);
}

static int run_rare_types(int argc, char **argv)
{
    return run_listing(&hb_cmd_blood_rare_types, argc, argv, hb_blood_rare_types_table);
}

static int run_centres(int argc, char **argv)
{
    return run_listing(&hb_cmd_blood_centres, argc, argv, hb_blood_centres_table);
}

/* ---- DIN check characters ---- */

static int run_din(int argc, char **argv)
{
    blood_opts o;
    int rc = parse_opts(&hb_cmd_blood_din, argc, argv, "", &o);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return hb_cli_usage(&hb_cmd_blood_din, "expected one or more DINs");
    int status = HB_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        char din[HB_BLOOD_DIN_LEN + 1], printed[20], with[HB_BLOOD_DIN_LEN + 2];
        size_t n = 0;
        for (const char *p = argv[i]; *p && n < sizeof with - 1; p++)
            if (*p != ' ')
                with[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        with[n] = '\0';
        /* 13 characters: append the check character, then check the structure as usual. */
        if (n == HB_BLOOD_DIN_LEN) {
            with[n] = hb_blood_din_check_char(with);
            with[n + 1] = '\0';
            n++;
        }
        if (hb_blood_din_parse(din, with, n) < 0) {
            status = hb_cli_fail("%s: %s", argv[i], hb_error_last());
            continue;
        }
        hb_blood_din_format(printed, din);
        printf("%s\n", printed);
    }
    return status;
}

/* ---- registry ---- */

static int print_import(const char *path, const blood_opts *o, int rc, hb_blood_import_report *r)
{
    for (size_t i = 0; i < r->nlisted; i++)
        fprintf(stderr, "%s\n", r->errors[i].message);
    if (r->nerrors > r->nlisted)
        fprintf(stderr, "… and %llu more\n", (unsigned long long)(r->nerrors - r->nlisted));
    hb_blood_import_report_dispose(r);
    if (rc < 0)
        return hb_cli_fail_last();
    if (o->dry_run)
        printf("%s: %llu rows checked, all valid (dry run: nothing written)\n", path,
               (unsigned long long)r->rows);
    else
        printf("%s: %llu row%s: %llu new, %llu updated, %llu unchanged\n", path,
               (unsigned long long)r->rows, r->rows == 1 ? "" : "s",
               (unsigned long long)r->inserted, (unsigned long long)r->updated,
               (unsigned long long)r->unchanged);
    return HB_EXIT_OK;
}

static int run_import(const hb_cli_command *cmd, hb_blood_kind kind, int argc, char **argv)
{
    blood_opts o;
    int rc = parse_opts(cmd, argc, argv, "centre dry-run", &o);
    if (rc >= 0)
        return rc;
    if (optind + 1 != argc)
        return hb_cli_usage(cmd, "expected one FILE.csv (or - for standard input)");
    if (!o.centre)
        return hb_cli_usage(cmd, "--centre CODE is required (the blood centre that owns them)");
    hb_store *store;
    hb_blood_actor actor;
    hb_blood_centre c;
    if (open_as(&o, o.centre, &store, &actor, &c) != 0)
        return HB_EXIT_FAIL;
    hb_blood_import_report r;
    rc = hb_blood_import_file(store, &actor, kind, argv[optind], o.dry_run, &r);
    hb_store_close(store);
    return print_import(argv[optind], &o, rc, &r);
}

static int run_donors_import(int argc, char **argv)
{
    return run_import(&hb_cmd_blood_donors_import, HB_BLOOD_DONOR, argc, argv);
}

static int run_units_import(int argc, char **argv)
{
    return run_import(&hb_cmd_blood_units_import, HB_BLOOD_UNIT, argc, argv);
}

static int run_own_list(const hb_cli_command *cmd, int argc, char **argv,
                        int (*list)(hb_store *, const hb_blood_actor *, const char *, size_t,
                                    hb_table **))
{
    blood_opts o;
    int rc = parse_opts(cmd, argc, argv, "centre", &o);
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    hb_blood_actor actor;
    hb_blood_centre c;
    if (open_as(&o, o.centre, &store, &actor, &c) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    rc = list(store, &actor, "", 0, &t);
    return finish_table(store, rc, t, &o.common);
}

static int run_donors_list(int argc, char **argv)
{
    return run_own_list(&hb_cmd_blood_donors_list, argc, argv, hb_blood_donors_list);
}

static int run_units_list(int argc, char **argv)
{
    return run_own_list(&hb_cmd_blood_units_list, argc, argv, hb_blood_units_list);
}

/* ---- search ---- */

static int today(hb_date *out)
{
    char now[HB_TIMESTAMP_STRLEN];
    return hb_date_parse(out, hb_timestamp_now(now), 10);
}

/* --abo, --rhd and --negative, shared by search and request new. */
static int patient_from(const hb_cli_command *cmd, const blood_opts *o, hb_blood_abo *abo,
                        hb_blood_rhd *rhd, uint64_t *negative)
{
    if (!o->abo || !o->rhd)
        return hb_cli_usage(cmd, "--abo and --rhd (the patient's) are required");
    if (hb_blood_abo_parse(abo, o->abo, strlen(o->abo)) < 0 ||
        hb_blood_rhd_parse(rhd, o->rhd, strlen(o->rhd)) < 0 ||
        (o->negative && hb_blood_antigen_list_parse(negative, o->negative, strlen(o->negative))))
        return hb_cli_usage(cmd, "%s", hb_error_last());
    return 0;
}

static int search_query(const blood_opts *o, hb_blood_find_query *q)
{
    const hb_cli_command *cmd = &hb_cmd_blood_search;
    int64_t limit = 20;
    if (patient_from(cmd, o, &q->abo, &q->rhd, &q->negative) != 0)
        return HB_EXIT_USAGE;
    if (o->prefer && hb_blood_antigen_list_parse(&q->prefer, o->prefer, strlen(o->prefer)) < 0)
        return hb_cli_usage(cmd, "--prefer-negative: %s", hb_error_last());
    if (o->kind && strcmp(o->kind, "units") && strcmp(o->kind, "donors") && strcmp(o->kind, "all"))
        return hb_cli_usage(cmd, "--kind must be units, donors or all");
    q->kinds = !o->kind || !strcmp(o->kind, "all") ? 0
               : !strcmp(o->kind, "units")         ? 1u << HB_BLOOD_UNIT
                                                   : 1u << HB_BLOOD_DONOR;
    if (o->on ? hb_date_parse(&q->on, o->on, strlen(o->on)) < 0 : today(&q->on) < 0)
        return hb_cli_usage(cmd, "--on: %s", hb_error_last());
    if (o->limit && (hb_parse_int64(&limit, o->limit, strlen(o->limit)) < 0 || limit < 1 ||
                     limit > HB_BLOOD_HITS_MAX))
        return hb_cli_usage(cmd, "--limit must be 1..%d", HB_BLOOD_HITS_MAX);
    q->limit = (size_t)limit;
    q->jurisdictions = o->jurisdictions;
    q->near = o->near;
    return 0;
}

static int run_search(int argc, char **argv)
{
    blood_opts o;
    int rc = parse_opts(&hb_cmd_blood_search, argc, argv,
                        "abo rhd negative prefer-negative kind jurisdictions near on limit", &o);
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return hb_cli_usage(&hb_cmd_blood_search, "unexpected argument '%s'", argv[optind]);
    hb_blood_find_query q = { 0 };
    if ((rc = search_query(&o, &q)) != 0)
        return rc;
    hb_store *store;
    if (hb_cli_open_db(&o.common, &store) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    uint64_t matched = 0;
    rc = hb_blood_find(store, NULL, &q, &t, &matched);
    if (rc == 0)
        fprintf(stderr, "%llu match%s; showing %zu\n", (unsigned long long)matched,
                matched == 1 ? "" : "es", hb_table_row_count(t));
    return finish_table(store, rc, t, &o.common);
}

/* ---- requests ---- */

static int run_request_new(int argc, char **argv)
{
    const hb_cli_command *cmd = &hb_cmd_blood_request_new;
    blood_opts o;
    int rc = parse_opts(cmd, argc, argv, "as jurisdiction unit donor abo rhd negative note", &o);
    if (rc >= 0)
        return rc;
    hb_blood_request_new n = { .din = o.unit, .donor = o.donor, .note = o.note };
    if (optind < argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (!o.unit == !o.donor)
        return hb_cli_usage(cmd, "give --unit DIN or --donor PSEUDONYM");
    if ((rc = patient_from(cmd, &o, &n.abo, &n.rhd, &n.needs)) != 0)
        return rc;
    hb_store *store;
    hb_blood_actor actor;
    hb_blood_centre c;
    if (open_as(&o, o.as, &store, &actor, &c) != 0)
        return HB_EXIT_FAIL;
    int64_t id;
    rc = hb_blood_request_create(store, &actor, &n, &id);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    printf("request %lld: requested\n", (long long)id);
    return HB_EXIT_OK;
}

static int request_id(const hb_cli_command *cmd, int argc, char **argv, int64_t *id)
{
    if (optind + 1 != argc)
        return hb_cli_usage(cmd, "expected one request number");
    if (hb_parse_int64(id, argv[optind], strlen(argv[optind])) < 0 || *id < 1)
        return hb_cli_usage(cmd, "'%s' is not a request number", argv[optind]);
    return 0;
}

static int run_step(const hb_cli_command *cmd, hb_blood_request_action action, int argc,
                    char **argv)
{
    blood_opts o;
    int64_t id;
    int rc = parse_opts(
        cmd, argc, argv,
        action == HB_REQ_OFFER ? "as jurisdiction unit note" : "as jurisdiction note", &o);
    if (rc >= 0)
        return rc;
    if ((rc = request_id(cmd, argc, argv, &id)) != 0)
        return rc;
    hb_store *store;
    hb_blood_actor actor;
    hb_blood_centre c;
    if (open_as(&o, o.as, &store, &actor, &c) != 0)
        return HB_EXIT_FAIL;
    rc = hb_blood_request_step(store, &actor, id, action, o.unit, o.note);
    hb_store_close(store);
    if (rc < 0)
        return hb_cli_fail_last();
    /* Each step leads to one state, whatever state it was taken from. */
    static const char *const reached[HB_REQ_ACTION_COUNT] = {
        "offered", "declined", "accepted", "shipped", "received", "cancelled",
    };
    printf("request %lld: %s\n", (long long)id, reached[action]);
    return HB_EXIT_OK;
}

#define STEP(name, action, cmdvar)                    \
    static int run_##name(int argc, char **argv)      \
    {                                                 \
        return run_step(&cmdvar, action, argc, argv); \
    }
STEP(offer, HB_REQ_OFFER, hb_cmd_blood_request_offer)
STEP(decline, HB_REQ_DECLINE, hb_cmd_blood_request_decline)
STEP(accept, HB_REQ_ACCEPT, hb_cmd_blood_request_accept)
STEP(ship, HB_REQ_SHIP, hb_cmd_blood_request_ship)
STEP(receive, HB_REQ_RECEIVE, hb_cmd_blood_request_receive)
STEP(cancel, HB_REQ_CANCEL, hb_cmd_blood_request_cancel)

static int run_request_show(int argc, char **argv)
{
    const hb_cli_command *cmd = &hb_cmd_blood_request_show;
    blood_opts o;
    int64_t id;
    int rc = parse_opts(cmd, argc, argv, "as jurisdiction", &o);
    if (rc >= 0)
        return rc;
    if ((rc = request_id(cmd, argc, argv, &id)) != 0)
        return rc;
    hb_store *store;
    hb_blood_actor actor;
    hb_blood_centre c;
    if (open_as(&o, o.as, &store, &actor, &c) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    rc = hb_blood_request_events(store, &actor, id, &t);
    return finish_table(store, rc, t, &o.common);
}

/* The requests as a table, every column of hb_blood_request_info. */
static int requests_table(const hb_blood_request_info *r, size_t n, hb_table **out)
{
    static const char *const names[] = {
        "id",           "state",         "requester",    "requester_jurisdiction",
        "centre",       "din",           "donor",        "patient_abo",
        "patient_rhd",  "patient_needs", "requested_at", "offered_at",
        "declined_at",  "accepted_at",   "shipped_at",   "received_at",
        "cancelled_at", "note",
    };
    static const hb_col_kind kinds[18] = { HB_COL_INT };
    hb_table *t = NULL;
    int rc = hb_table_new(&t, 18, names, kinds);
    hb_buf needs;
    hb_buf_init(&needs, 0);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char id[24], din[20];
        snprintf(id, sizeof id, "%lld", (long long)r[i].id);
        if (r[i].din[0])
            hb_blood_din_format(din, r[i].din);
        hb_buf_reset(&needs);
        rc = hb_blood_antigen_list_format(&needs, r[i].needs);
        const char *cells[18] = {
            id,
            hb_blood_request_state_name(r[i].state),
            r[i].requester,
            r[i].requester_jurisdiction,
            r[i].centre,
            r[i].din[0] ? din : NULL,
            r[i].donor[0] ? r[i].donor : NULL,
            hb_blood_abo_name(r[i].abo),
            hb_blood_rhd_name(r[i].rhd),
            hb_buf_cstr(&needs),
        };
        for (int s = 0; s < HB_REQ_STATE_COUNT; s++)
            cells[10 + s] = r[i].at[s][0] ? r[i].at[s] : NULL;
        cells[17] = r[i].note[0] ? r[i].note : NULL;
        if (rc == 0)
            rc = hb_table_add_row(t, cells);
    }
    hb_buf_dispose(&needs);
    if (rc < 0)
        hb_table_free(t);
    else
        *out = t;
    return rc;
}

/* Every request of the actor, page by page. */
static int all_requests(hb_store *store, const hb_blood_actor *actor, hb_table **out)
{
    hb_blood_request_info *all = NULL;
    size_t n = 0, got = 0;
    int rc = 0;
    do {
        all = hb_xreallocarray(all, n + HB_PAGE_LIMIT_MAX, sizeof *all);
        rc = hb_blood_request_list(store, actor, n ? all[n - 1].id : 0, HB_PAGE_LIMIT_MAX, all + n,
                                   &got);
        n += got;
    } while (rc == 0 && got == HB_PAGE_LIMIT_MAX);
    if (rc == 0)
        rc = requests_table(all, n, out);
    hb_free(all);
    return rc;
}

static int run_requests(int argc, char **argv)
{
    const hb_cli_command *cmd = &hb_cmd_blood_requests;
    blood_opts o;
    int rc = parse_opts(cmd, argc, argv, "as jurisdiction", &o);
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return hb_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    hb_store *store;
    hb_blood_actor actor;
    hb_blood_centre c;
    if (open_as(&o, o.as, &store, &actor, &c) != 0)
        return HB_EXIT_FAIL;
    hb_table *t = NULL;
    rc = all_requests(store, &actor, &t);
    return finish_table(store, rc, t, &o.common);
}

/* ---- the commands ---- */

const hb_cli_command hb_cmd_blood_antigens = {
    "blood antigens",
    "list the red-cell antigens typed in the rare-blood registry (ISBT terminology)",
    "Usage: healthybay blood antigens [--db URL] [--format table|csv|json]\n"
    "\n"
    "List the blood group antigens healthybay records in donor and unit phenotypes: the code\n"
    "written in phenotypes (Jka, c, Mia, Vel), the ISBT system symbol and the six-digit ISBT\n"
    "number (system + antigen: Jk3 is 009003, JK3), with the prevalence in Chinese populations\n"
    "where a source was found. Codes are case-sensitive: c is not C, k is not K.\n"
    "\n"
    "Example:\n"
    "  healthybay blood antigens --format csv\n",
    run_antigens,
};

const hb_cli_command hb_cmd_blood_rare_types = {
    "blood rare-types",
    "list rare blood types with their frequency in Southern Chinese populations and sources",
    "Usage: healthybay blood rare-types [--db URL] [--format table|csv|json]\n"
    "\n"
    "List the rare types the exchange is for (RhD negative, D--, Jk(a-b-), Di(b-), Mi(a-) for\n"
    "anti-Mia, Bombay, p, Vel-, Lu(b-), Kp(b-), Yt(a-), Ge-, Co(a-) …): the antigen profile,\n"
    "what a patient with the antibody needs absent (the --negative of 'blood search'), and the\n"
    "frequency with its population and source. An empty frequency means no figure for a\n"
    "Southern Chinese population was found (data/README.md says what was checked).\n"
    "\n"
    "Example:\n"
    "  healthybay blood rare-types --format json\n",
    run_rare_types,
};

const hb_cli_command hb_cmd_blood_centres = {
    "blood centres",
    "list the blood centres of Guangdong, Hong Kong and Macao (codes used by --centre, --near)",
    "Usage: healthybay blood centres [--db URL] [--format table|csv|json]\n"
    "\n"
    "The blood centres that own donors and units, with their jurisdiction, region and\n"
    "position (used to rank search results by distance).\n"
    "\n"
    "Example:\n"
    "  healthybay blood centres\n",
    run_centres,
};

const hb_cli_command hb_cmd_blood_din = {
    "blood din",
    "check an ISBT 128 donation identification number, or compute its check character",
    "Usage: healthybay blood din DIN...\n"
    "\n"
    "With 13 characters (FIN, year, sequence), print the DIN with its ISO/IEC 7064 MOD 37-2\n"
    "check character as on a label; with 14 (the DIN and its check character, as typed from a\n"
    "label), check it. Spaces are ignored. Exits 1 when a DIN is malformed or mistyped.\n"
    "\n"
    "Examples:\n"
    "  healthybay blood din W123424123456          → W1234 24 123456 4\n"
    "  healthybay blood din 'W1234 24 123456 5'    → check character '5' is wrong\n",
    run_din,
};

const hb_cli_command hb_cmd_blood_donors_import = {
    "blood donors import",
    "load a blood centre's rare donors from CSV, checked whole",
    "Usage: healthybay blood donors import --centre CODE [--dry-run] [--db URL] FILE.csv\n"
    "\n"
    "Load or update the rare donors of blood centre CODE (healthybay blood centres). Columns:\n"
    "\n"
    "  local_ref      the centre's own donor number; shown to this centre only, never across\n"
    "                 the border — others see a random pseudonym (RD-XXXX-XXXX-XXXX-XXXX)\n"
    "  abo, rhd       O, A, B or AB;  pos or neg\n"
    "  phenotype      serology, e.g. \"C+ c- E- e+ K- Jk(a-b-) Fy(a+b-) Mia-\" or JK:-1,-2\n"
    "  predicted      (optional) states predicted from genotyping, same notation\n"
    "  last_donation  (optional) YYYY-MM-DD\n"
    "  eligible       yes or no\n"
    "\n"
    "An antigen not written is unknown, and unknown is never taken as negative. Every row is\n"
    "checked first; if any is bad the file is rejected whole and every bad field is listed as\n"
    "file:line:column. Loading the same file again changes nothing.\n"
    "\n"
    "Example:\n"
    "  healthybay blood donors import --centre gd-gzbc gz-rare-donors.csv\n",
    run_donors_import,
};

const hb_cli_command hb_cmd_blood_units_import = {
    "blood units import",
    "load a blood centre's rare units (frozen or liquid) from CSV, checked whole",
    "Usage: healthybay blood units import --centre CODE [--dry-run] [--db URL] FILE.csv\n"
    "\n"
    "Load or update the units owned by blood centre CODE. Columns:\n"
    "\n"
    "  din         ISBT 128 DIN with its check character as on the label: W1234 24 123456 4\n"
    "              (a wrong check character means a mistyped DIN and is refused)\n"
    "  component   whole_blood, red_cells, red_cells_leucoreduced, washed_red_cells,\n"
    "              deglycerolised_red_cells\n"
    "  storage     frozen or liquid\n"
    "  abo, rhd, phenotype, predicted   as for donors\n"
    "  expiry      YYYY-MM-DD;  collected (optional) YYYY-MM-DD\n"
    "  location    (optional) the blood centre storing it; default CODE\n"
    "  status      (optional) available (default) or discarded; a unit held by a request keeps\n"
    "              its status\n"
    "\n"
    "Example:\n"
    "  healthybay blood units import --centre hk-rcbts frozen-inventory.csv\n",
    run_units_import,
};

const hb_cli_command hb_cmd_blood_donors_list = {
    "blood donors list",
    "a blood centre's own donors, with its donor numbers",
    "Usage: healthybay blood donors list --centre CODE [--db URL] [--format table|csv|json]\n"
    "\n"
    "The donors of centre CODE with pseudonym and the centre's own donor number (local_ref).\n"
    "Only the centre itself is shown its donor numbers; no other organisation can list them.\n"
    "\n"
    "Example:\n"
    "  healthybay blood donors list --centre gd-gzbc --format csv\n",
    run_donors_list,
};

const hb_cli_command hb_cmd_blood_units_list = {
    "blood units list",
    "a blood centre's own units and their status",
    "Usage: healthybay blood units list --centre CODE [--db URL] [--format table|csv|json]\n"
    "\n"
    "The units owned by centre CODE: DIN, component, storage, ABO/RhD, phenotype, dates,\n"
    "location, and status (available, reserved, shipped, received, discarded) with the\n"
    "request that holds it.\n"
    "\n"
    "Example:\n"
    "  healthybay blood units list --centre hk-rcbts\n",
    run_units_list,
};

const hb_cli_command hb_cmd_blood_search = {
    "blood search",
    "find compatible rare units and donors across Guangdong, Hong Kong and Macao",
    "Usage: healthybay blood search --abo O|A|B|AB --rhd pos|neg [--negative ANTIGENS]\n"
    "           [--prefer-negative ANTIGENS] [--kind units|donors|all] [--near CENTRE]\n"
    "           [--jurisdictions GD,HK,MO] [--on DATE] [--limit N] [--db URL]\n"
    "           [--format table|csv|json]\n"
    "\n"
    "Give the patient's ABO group and RhD type and the antigens the blood must lack (one per\n"
    "antibody: anti-Jka → Jka; 'anti-Jka' is accepted too). The result lists available units\n"
    "(not expired on --on, default today) and eligible donors that\n"
    "  - are ABO red-cell compatible (O to all; A to A, AB; B to B, AB; AB to AB),\n"
    "  - are RhD negative if the patient is,\n"
    "  - are typed (or genotype-predicted) negative for every antigen in --negative: an\n"
    "    antigen that was not typed is unknown and never counts as negative,\n"
    "best first: fewest departures from an exact match (ABO or RhD not identical, an absence\n"
    "known only from genotyping, an antigen of --prefer-negative not known absent), then units\n"
    "before donors, then soonest expiry (donors: longest since donation), then distance from\n"
    "--near. Donors are shown by pseudonym only. The number of matches goes to stderr.\n"
    "\n"
    "Examples:\n"
    "  healthybay blood search --abo O --rhd neg --negative Jka,Fya --format csv\n"
    "  healthybay blood search --abo A --rhd pos --negative Jk3 --near hk-rcbts --kind units\n"
    "  healthybay blood search --abo B --rhd pos --negative Mia --prefer-negative c,E\n",
    run_search,
};

#define REQUEST_HELP_TAIL                                                                            \
    "\n"                                                                                             \
    "The workflow: a hospital requests (blood request new) → the owning centre offers (the\n"      \
    "unit is reserved only now) or declines → the hospital accepts → the centre ships → the\n" \
    "hospital receives; either party may cancel before shipping, which releases the unit.\n"         \
    "Each step is recorded with its time; 'blood request show' prints the history. Acting\n"         \
    "organisations: --as CODE, plus --jurisdiction GD|HK|MO unless CODE is a blood centre.\n"

const hb_cli_command hb_cmd_blood_request_new = {
    "blood request new",
    "ask the owning blood centre for a unit or a donor recall",
    "Usage: healthybay blood request new --as ORG [--jurisdiction J] (--unit DIN | --donor ID)\n"
    "           --abo O|A|B|AB --rhd pos|neg [--negative ANTIGENS] [--note TEXT] [--db URL]\n"
    "\n"
    "Request a unit found by 'blood search' (its DIN as printed) or the recall of a donor (its\n"
    "pseudonym) for a patient described only by ABO, RhD and the antigens the blood must lack.\n"
    "The unit must suit that patient. Prints the request number.\n" REQUEST_HELP_TAIL "\n"
    "Example:\n"
    "  healthybay blood request new --as hk-qmh --jurisdiction HK --unit 'W1234 24 123456 4' \\\n"
    "      --abo O --rhd neg --negative Jk3 --note 'anti-Jk3, surgery on Friday'\n",
    run_request_new,
};

#define STEP_COMMAND(var, name, who, summary, run)                                \
    const hb_cli_command var = {                                                  \
        "blood request " name,                                                    \
        summary,                                                                  \
        "Usage: healthybay blood request " name " ID --as ORG [--jurisdiction J]" \
        " [--note TEXT] [--db URL]\n"                                             \
        "\n"                                                                      \
        "Taken by " who ".\n" REQUEST_HELP_TAIL "\n"                              \
        "Example:\n"                                                              \
        "  healthybay blood request " name " 12 --as " who "\n",                  \
        run,                                                                      \
    }

const hb_cli_command hb_cmd_blood_request_offer = {
    "blood request offer",
    "the owning centre approves a request and reserves the unit",
    "Usage: healthybay blood request offer --as CENTRE [--unit DIN] [--note TEXT] [--db URL] ID\n"
    "\n"
    "Taken by the owning blood centre. Reserves the requested unit — or, with --unit, another\n"
    "available unit of the centre that suits the patient; for a donor recall, --unit names the\n"
    "unit collected from that donor.\n" REQUEST_HELP_TAIL "\n"
    "Example:\n"
    "  healthybay blood request offer --as gd-gzbc --note 'thawed unit ready Thursday' 12\n",
    run_offer,
};
STEP_COMMAND(hb_cmd_blood_request_decline, "decline", "gd-gzbc",
             "the owning centre declines a request", run_decline);
STEP_COMMAND(hb_cmd_blood_request_accept, "accept", "hk-qmh",
             "the requesting hospital accepts an offer", run_accept);
STEP_COMMAND(hb_cmd_blood_request_ship, "ship", "gd-gzbc", "the owning centre ships the unit",
             run_ship);
STEP_COMMAND(hb_cmd_blood_request_receive, "receive", "hk-qmh",
             "the requesting hospital confirms receipt", run_receive);
STEP_COMMAND(hb_cmd_blood_request_cancel, "cancel", "hk-qmh",
             "either party cancels a request before shipping", run_cancel);

const hb_cli_command hb_cmd_blood_request_show = {
    "blood request show",
    "the history of one request: every step, who took it and when",
    "Usage: healthybay blood request show --as ORG [--jurisdiction J] [--db URL]\n"
    "           [--format table|csv|json] ID\n"
    "\n"
    "Only the two parties to a request can see it.\n" REQUEST_HELP_TAIL "\n"
    "Example:\n"
    "  healthybay blood request show --as hk-qmh --jurisdiction HK 12\n",
    run_request_show,
};

const hb_cli_command hb_cmd_blood_requests = {
    "blood requests",
    "the requests an organisation made or was asked",
    "Usage: healthybay blood requests --as ORG [--jurisdiction J] [--db URL]\n"
    "           [--format table|csv|json]\n"
    "\n"
    "Newest first, with the time of each step.\n" REQUEST_HELP_TAIL "\n"
    "Example:\n"
    "  healthybay blood requests --as gd-gzbc\n",
    run_requests,
};
