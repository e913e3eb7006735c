/*
 * Tests for blood/request.c: the workflow end to end, every illegal transition refused (in the
 * table and through the database), the parties' permissions, and reservations that two requests
 * cannot both win.
 */
#include <stdio.h>
#include <string.h>

#include "blood/din.h"
#include "blood/phenotype.h"
#include "blood/registry.h"
#include "blood/request.h"
#include "core/schema.h"
#include "harness.h"

static const hb_blood_actor gz = { "gd-gzbc", "GD" };     /* owning blood centre */
static const hb_blood_actor qmh = { "hk-qmh", "HK" };     /* requesting hospital */
static const hb_blood_actor other = { "mo-chcsj", "MO" }; /* a third party */

/* The legal steps, written out independently of request.c's table. */
static const struct {
    hb_blood_request_state from;
    hb_blood_request_action action;
    hb_blood_request_state to;
} legal[] = {
    { HB_REQ_REQUESTED, HB_REQ_OFFER, HB_REQ_OFFERED },
    { HB_REQ_REQUESTED, HB_REQ_DECLINE, HB_REQ_DECLINED },
    { HB_REQ_REQUESTED, HB_REQ_CANCEL, HB_REQ_CANCELLED },
    { HB_REQ_OFFERED, HB_REQ_ACCEPT, HB_REQ_ACCEPTED },
    { HB_REQ_OFFERED, HB_REQ_CANCEL, HB_REQ_CANCELLED },
    { HB_REQ_ACCEPTED, HB_REQ_SHIP, HB_REQ_SHIPPED },
    { HB_REQ_ACCEPTED, HB_REQ_CANCEL, HB_REQ_CANCELLED },
    { HB_REQ_SHIPPED, HB_REQ_RECEIVE, HB_REQ_RECEIVED },
};

static int expected_next(hb_blood_request_state s, hb_blood_request_action a)
{
    for (size_t i = 0; i < sizeof legal / sizeof legal[0]; i++)
        if (legal[i].from == s && legal[i].action == a)
            return (int)legal[i].to;
    return -1;
}

TEST(blood__request_transition_table)
{
    for (int s = 0; s < HB_REQ_STATE_COUNT; s++)
        for (int a = 0; a < HB_REQ_ACTION_COUNT; a++)
            CHECK_MSG(
                hb_blood_request_next((hb_blood_request_state)s, (hb_blood_request_action)a) ==
                    expected_next((hb_blood_request_state)s, (hb_blood_request_action)a),
                "%s + %s", hb_blood_request_state_name((hb_blood_request_state)s),
                hb_blood_request_action_name((hb_blood_request_action)a));
    hb_blood_request_action a;
    CHECK_OK(hb_blood_request_action_parse(&a, "receive"));
    CHECK_INT_EQ(a, HB_REQ_RECEIVE);
    CHECK_FAILS(hb_blood_request_action_parse(&a, "approve"), HB_EINVAL, "not a request step");
}

static hb_store *migrated(void)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    return s;
}

/* DIN number i of gd-gzbc's test units, as printed with its check character. */
static const char *din(int i, char out[20])
{
    char d[14];
    snprintf(d, sizeof d, "W1234%02d%06d", 24, i);
    hb_blood_din_format(out, d);
    return out;
}

/* gd-gzbc stores n frozen O RhD-negative Jk(a-b-) Jk3- units and one donor. */
static hb_store *registry(int n)
{
    hb_store *s = migrated();
    char text[8192], d[20];
    int len = snprintf(text, sizeof text, "din,component,storage,abo,rhd,phenotype,expiry\n");
    for (int i = 1; i <= n; i++)
        len += snprintf(text + len, sizeof text - (size_t)len,
                        "%s,red_cells,frozen,O,neg,Jk(a-b-) Jk3-,2034-01-01\n", din(i, d));
    hb_blood_import_report r;
    CHECK_OK(hb_blood_import_memory(s, &gz, HB_BLOOD_UNIT, "u.csv", text, (size_t)len, false, &r));
    const char *donors = "local_ref,abo,rhd,phenotype,eligible\nGZ-77,O,neg,Jk3-,yes\n";
    CHECK_OK(
        hb_blood_import_memory(s, &gz, HB_BLOOD_DONOR, "d.csv", donors, strlen(donors), false, &r));
    return s;
}

static char *query_text(hb_store *s, const char *sql, const char *param)
{
    static char out[128];
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, sql));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, param));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    snprintf(out, sizeof out, "%s", hb_stmt_text(st, 0, NULL));
    hb_stmt_finalize(st);
    return out;
}

static const char *unit_status(hb_store *s, int i)
{
    char d[20], key[14];
    din(i, d);
    snprintf(key, sizeof key, "%.5s%.2s%.6s", d, d + 6, d + 9);
    return query_text(s, "SELECT status FROM hb_blood_units WHERE din = ?", key);
}

static const char *request_state(hb_store *s, int64_t id)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    return query_text(s, "SELECT state FROM hb_blood_requests WHERE id = CAST(? AS BIGINT)", text);
}

static int64_t request_unit(hb_store *s, int i)
{
    char d[20];
    hb_blood_request_new n = { .din = din(i, d), .abo = HB_ABO_A, .rhd = HB_RHD_NEG };
    CHECK_OK(hb_blood_antigen_list_parse(&n.needs, "Jk3", 3));
    int64_t id;
    CHECK_OK(hb_blood_request_create(s, &qmh, &n, &id));
    return id;
}

TEST(blood__request_workflow_end_to_end)
{
    hb_store *s = registry(1);
    int64_t id = request_unit(s, 1);
    CHECK_STR_EQ(request_state(s, id), "requested");
    CHECK_STR_EQ(unit_status(s, 1), "available"); /* not reserved until the owner approves */
    CHECK_OK(hb_blood_request_step(s, &gz, id, HB_REQ_OFFER, NULL, "frozen unit, thaw on request"));
    CHECK_STR_EQ(unit_status(s, 1), "reserved");
    CHECK_OK(hb_blood_request_step(s, &qmh, id, HB_REQ_ACCEPT, NULL, NULL));
    CHECK_OK(hb_blood_request_step(s, &gz, id, HB_REQ_SHIP, NULL, "courier via HZMB"));
    CHECK_STR_EQ(unit_status(s, 1), "shipped");
    CHECK_OK(hb_blood_request_step(s, &qmh, id, HB_REQ_RECEIVE, NULL, NULL));
    CHECK_STR_EQ(unit_status(s, 1), "received");
    hb_blood_request_info info;
    CHECK_OK(hb_blood_request_get(s, &qmh, id, &info));
    CHECK_INT_EQ(info.state, HB_REQ_RECEIVED);
    for (int st = 0; st < HB_REQ_STATE_COUNT; st++)
        CHECK_MSG((info.at[st][0] != '\0') == (st != HB_REQ_DECLINED && st != HB_REQ_CANCELLED),
                  "%s at '%s'", hb_blood_request_state_name((hb_blood_request_state)st),
                  info.at[st]);
    uint64_t jk3;
    CHECK_OK(hb_blood_antigen_list_parse(&jk3, "Jk3", 3));
    CHECK_INT_EQ(info.needs, jk3);
    CHECK_STR_EQ(info.requester_jurisdiction, "HK");
    CHECK_STR_EQ(info.centre_jurisdiction, "GD");
    hb_table *t;
    CHECK_OK(hb_blood_request_events(s, &gz, id, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 5);
    static const char *const actions[] = { "request", "offer", "accept", "ship", "receive" };
    static const char *const by[] = { "hk-qmh", "gd-gzbc", "hk-qmh", "gd-gzbc", "hk-qmh" };
    for (size_t i = 0; i < 5; i++) {
        CHECK_STR_EQ(hb_table_cell(t, i, 3), actions[i]);
        CHECK_STR_EQ(hb_table_cell(t, i, 2), by[i]);
    }
    CHECK_STR_EQ(hb_table_cell(t, 3, 6), "courier via HZMB");
    hb_table_free(t);
    hb_store_close(s);
}

/* Drive a fresh request on unit i into state (not received); returns its id. */
static int64_t request_in_state(hb_store *s, int i, hb_blood_request_state state)
{
    int64_t id = request_unit(s, i);
    static const struct {
        hb_blood_request_action action;
        const hb_blood_actor *by;
    } path[HB_REQ_STATE_COUNT][3] = {
        [HB_REQ_OFFERED] = { { HB_REQ_OFFER, &gz } },
        [HB_REQ_DECLINED] = { { HB_REQ_DECLINE, &gz } },
        [HB_REQ_ACCEPTED] = { { HB_REQ_OFFER, &gz }, { HB_REQ_ACCEPT, &qmh } },
        [HB_REQ_SHIPPED] = { { HB_REQ_OFFER, &gz }, { HB_REQ_ACCEPT, &qmh }, { HB_REQ_SHIP, &gz } },
        [HB_REQ_CANCELLED] = { { HB_REQ_CANCEL, &qmh } },
    };
    for (int k = 0; k < 3 && path[state][k].by; k++)
        CHECK_OK(
            hb_blood_request_step(s, path[state][k].by, id, path[state][k].action, NULL, NULL));
    CHECK_STR_EQ(request_state(s, id), hb_blood_request_state_name(state));
    return id;
}

TEST(blood__request_rejects_illegal_transitions)
{
    hb_store *s = registry(40);
    int unit = 1;
    for (int st = 0; st < HB_REQ_STATE_COUNT; st++) {
        if (st == HB_REQ_RECEIVED)
            continue; /* covered below: a received request refuses everything */
        for (int a = 0; a < HB_REQ_ACTION_COUNT; a++) {
            if (expected_next((hb_blood_request_state)st, (hb_blood_request_action)a) >= 0)
                continue;
            int64_t id = request_in_state(s, unit++, (hb_blood_request_state)st);
            /* Try it as both parties: each gets "not now" or "not yours", never success. */
            int rc1 = hb_blood_request_step(s, &gz, id, (hb_blood_request_action)a, NULL, NULL);
            int rc2 = hb_blood_request_step(s, &qmh, id, (hb_blood_request_action)a, NULL, NULL);
            CHECK_MSG(rc1 == HB_ECONFLICT || rc1 == HB_EPERM, "%d", rc1);
            CHECK_MSG(rc2 == HB_ECONFLICT || rc2 == HB_EPERM, "%d", rc2);
            CHECK(rc1 == HB_ECONFLICT || rc2 == HB_ECONFLICT);
            CHECK_STR_EQ(request_state(s, id),
                         hb_blood_request_state_name((hb_blood_request_state)st));
        }
    }
    int64_t id = request_in_state(s, unit, HB_REQ_SHIPPED);
    CHECK_OK(hb_blood_request_step(s, &qmh, id, HB_REQ_RECEIVE, NULL, NULL));
    for (int a = 0; a < HB_REQ_ACTION_COUNT; a++) {
        int rc1 = hb_blood_request_step(s, &gz, id, (hb_blood_request_action)a, NULL, NULL);
        int rc2 = hb_blood_request_step(s, &qmh, id, (hb_blood_request_action)a, NULL, NULL);
        CHECK(rc1 < 0 && rc2 < 0);
    }
    CHECK_STR_EQ(request_state(s, id), "received");
    hb_store_close(s);
}

TEST(blood__request_parties_and_reservations)
{
    hb_store *s = registry(2);
    int64_t a = request_unit(s, 1), b = request_unit(s, 1);
    /* Only the owning centre offers; only the requester accepts; a third party sees nothing. */
    CHECK_FAILS(hb_blood_request_step(s, &qmh, a, HB_REQ_OFFER, NULL, NULL), HB_EPERM,
                "only gd-gzbc can offer");
    CHECK_FAILS(hb_blood_request_step(s, &other, a, HB_REQ_CANCEL, NULL, NULL), HB_ENOTFOUND,
                "no request");
    hb_blood_request_info info[2];
    size_t count;
    CHECK_FAILS(hb_blood_request_get(s, &other, a, info), HB_ENOTFOUND, "no request");
    CHECK_OK(hb_blood_request_list(s, &other, 0, 2, info, &count));
    CHECK_INT_EQ(count, 0);
    /* Both parties list both requests, newest first, a page at a time. */
    CHECK_OK(hb_blood_request_list(s, &gz, 0, 1, info, &count));
    CHECK_INT_EQ(count, 1);
    CHECK_INT_EQ(info[0].id, b);
    CHECK_OK(hb_blood_request_list(s, &qmh, info[0].id, 2, info, &count));
    CHECK_INT_EQ(count, 1);
    CHECK_INT_EQ(info[0].id, a);
    /* Two requests for one unit: the first offer reserves it, the second cannot. */
    CHECK_OK(hb_blood_request_step(s, &gz, a, HB_REQ_OFFER, NULL, NULL));
    CHECK_FAILS(hb_blood_request_step(s, &gz, b, HB_REQ_OFFER, NULL, NULL), HB_ECONFLICT,
                "is reserved");
    CHECK_STR_EQ(request_state(s, b), "requested");
    /* The centre may offer another of its units instead. */
    char d[20];
    CHECK_OK(hb_blood_request_step(s, &gz, b, HB_REQ_OFFER, din(2, d), NULL));
    CHECK_STR_EQ(unit_status(s, 2), "reserved");
    /* Cancelling releases the reserved unit; a new request for it can be made again. */
    CHECK_OK(hb_blood_request_step(s, &qmh, a, HB_REQ_CANCEL, NULL, "patient transfused"));
    CHECK_STR_EQ(unit_status(s, 1), "available");
    CHECK_STR_EQ(request_state(s, a), "cancelled");
    request_unit(s, 1);
    /* A reserved unit cannot be requested; a unit must be known to lack what the patient needs
     * absent (these units are untyped for Fya); and nobody requests their own unit. */
    hb_blood_request_new n = { .din = din(2, d), .abo = HB_ABO_O, .rhd = HB_RHD_NEG };
    CHECK_FAILS(hb_blood_request_create(s, &qmh, &n, &a), HB_ECONFLICT, "is reserved");
    n.din = din(1, d);
    CHECK_OK(hb_blood_antigen_list_parse(&n.needs, "Fya", 3));
    CHECK_FAILS(hb_blood_request_create(s, &qmh, &n, &a), HB_EINVAL, "unknown is not negative");
    n.needs = 0;
    CHECK_FAILS(hb_blood_request_create(s, &gz, &n, &a), HB_EINVAL, "gd-gzbc owns this unit");
    hb_store_close(s);
}

/* A donor recall: the request names a pseudonym; the centre offers the unit it collected. The
 * Hong Kong hospital sees the pseudonym, never the centre's donor number. */
TEST(blood__donor_request_never_shows_identity)
{
    hb_store *s = registry(1);
    const char *pseudonym =
        query_text(s, "SELECT pseudonym FROM hb_blood_donors WHERE local_ref = ?", "GZ-77");
    char p[32], d[20];
    snprintf(p, sizeof p, "%s", pseudonym);
    hb_blood_request_new n = { .donor = p, .abo = HB_ABO_O, .rhd = HB_RHD_NEG };
    CHECK_OK(hb_blood_antigen_list_parse(&n.needs, "Jk3", 3));
    int64_t id;
    CHECK_OK(hb_blood_request_create(s, &qmh, &n, &id));
    CHECK_FAILS(hb_blood_request_step(s, &gz, id, HB_REQ_OFFER, NULL, NULL), HB_EINVAL,
                "name the unit offered");
    CHECK_OK(hb_blood_request_step(s, &gz, id, HB_REQ_OFFER, din(1, d), NULL));
    hb_blood_request_info info;
    CHECK_OK(hb_blood_request_get(s, &qmh, id, &info));
    CHECK_STR_EQ(info.donor, p);
    CHECK_STR_EQ(info.din, "W123424000001");
    const char *shown[] = { info.requester, info.centre, info.din, info.donor, info.note };
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        CHECK(strstr(shown[i], "GZ-77") == NULL);
    n.donor = "RD-0000-0000-0000-0000";
    CHECK_FAILS(hb_blood_request_create(s, &qmh, &n, &id), HB_ENOTFOUND, "no donor");
    hb_store_close(s);
}
