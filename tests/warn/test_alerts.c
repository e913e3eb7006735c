/* Tests for warn/alerts.c: level rules, one alert per event, the workflow. */
#include <math.h>
#include <string.h>

#include "core/schema.h"
#include "harness.h"
#include "warn/alerts.h"

static hb_store *migrated(void)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    return s;
}

static hb_alert_level level_for(int a1, double obs1, double exp1, int a2, double obs2, double exp2,
                                double rt_lower, bool rising)
{
    hb_alert_rules rules;
    hb_alert_rules_init(&rules);
    hb_method_result r[2] = { { "farrington-flexible", obs1, exp1, exp1 * 1.5, a1 },
                              { "ears-c2", obs2, exp2, exp2 * 1.4, a2 } };
    hb_alert_evidence ev = { r, 2, rt_lower, rt_lower + 0.2, rising };
    return hb_alert_level_of(&rules, &ev, NULL);
}

TEST(alerts__level_rules_table)
{
    static const struct {
        int a1;
        double o1, e1;
        int a2;
        double o2, e2, rt;
        bool rising;
        hb_alert_level want;
    } rows[] = {
        { 0, 10, 10, 0, 10, 10, NAN, false, HB_LEVEL_NONE },
        { -1, 10, 10, -1, 10, 10, NAN, false, HB_LEVEL_NONE },  /* no verdicts */
        { 1, 30, 10, 0, 30, 10, NAN, false, HB_LEVEL_WATCH },   /* one method of two */
        { 1, 11, 10, 1, 11, 10, NAN, false, HB_LEVEL_WATCH },   /* both, but only +10% */
        { 1, 12, 10, 1, 12, 10, NAN, false, HB_LEVEL_WARNING }, /* both, +20% */
        { 1, 19, 10, 1, 15, 10, NAN, false, HB_LEVEL_WARNING }, /* +90%: not yet alert */
        { 1, 20, 10, 1, 15, 10, NAN, false, HB_LEVEL_ALERT },   /* +100% */
        { 1, 12, 10, 1, 12, 10, 1.1, true, HB_LEVEL_ALERT },    /* warning + Rt > 1, rising */
        { 1, 12, 10, 1, 12, 10, 1.1, false, HB_LEVEL_WARNING }, /* Rt > 1 but not rising */
        { 1, 12, 10, 1, 12, 10, 0.9, true, HB_LEVEL_WARNING },  /* interval includes 1 */
        { 1, 30, 10, 0, 30, 10, 1.5, true, HB_LEVEL_WATCH },    /* Rt escalates warnings only */
        { 1, 5, 0, 1, 5, 0, NAN, false, HB_LEVEL_ALERT },       /* cases where none expected */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        hb_alert_level got = level_for(rows[i].a1, rows[i].o1, rows[i].e1, rows[i].a2, rows[i].o2,
                                       rows[i].e2, rows[i].rt, rows[i].rising);
        CHECK_MSG(got == rows[i].want, "row %zu: level %s, expected %s", i,
                  hb_alert_level_name(got), hb_alert_level_name(rows[i].want));
    }
}

TEST(alerts__single_method_can_escalate)
{
    hb_alert_rules rules;
    hb_alert_rules_init(&rules);
    hb_method_result r = { "cusum", 40, 10, 20, 1 };
    hb_alert_evidence ev = { &r, 1, NAN, NAN, false };
    hb_buf why;
    hb_buf_init(&why, 0);
    CHECK_INT_EQ(hb_alert_level_of(&rules, &ev, &why), HB_LEVEL_ALERT);
    CHECK_STR_EQ(hb_buf_cstr(&why), "cusum: 40 above 20 (expected 10)");
    hb_buf_dispose(&why);
}

static const hb_series_key hk_flu = { "810000", "influenza", "positives", "all", "all" };

static int64_t signal(hb_store *s, const char *period, hb_alert_level level, bool *raised)
{
    hb_alert_rules rules;
    hb_alert_rules_init(&rules);
    int64_t id = 0;
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(hb_alert_signal(s, &rules, &hk_flu, period, 7, level, "evidence", &id, raised));
    CHECK_OK(hb_store_commit(s));
    return id;
}

static const char *cell(hb_table *t, size_t row, size_t col)
{
    return hb_table_cell(t, row, col) ? hb_table_cell(t, row, col) : "(null)";
}

TEST(alerts__repeated_signals_extend_one_alert)
{
    hb_store *s = migrated();
    bool raised;
    int64_t a = signal(s, "2019-01-06", HB_LEVEL_WATCH, &raised);
    CHECK(raised);
    CHECK_INT_EQ(signal(s, "2019-01-13", HB_LEVEL_ALERT, &raised), a);
    CHECK(raised);                                                       /* the level rose */
    CHECK_INT_EQ(signal(s, "2019-01-27", HB_LEVEL_WARNING, &raised), a); /* a 2-week gap */
    CHECK(!raised);
    /* A back-filled week screened late widens the span, not the current level. */
    CHECK_INT_EQ(signal(s, "2018-12-30", HB_LEVEL_WATCH, &raised), a);
    int64_t b = signal(s, "2019-02-17", HB_LEVEL_WATCH, &raised); /* 3 weeks later: new event */
    CHECK(b != a && raised);
    hb_table *t;
    hb_alert_filter f = { "HK", NULL, NULL, 0 };
    CHECK_OK(hb_alerts_list(s, &f, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(cell(t, 1, 7), "warning");     /* level now */
    CHECK_STR_EQ(cell(t, 1, 8), "alert");       /* highest reached */
    CHECK_STR_EQ(cell(t, 1, 10), "2018-12-30"); /* first_date */
    CHECK_STR_EQ(cell(t, 1, 11), "2019-01-27"); /* last_date */
    CHECK_STR_EQ(cell(t, 1, 1), "HK");
    hb_table_free(t);
    f.jurisdiction = "GD";
    CHECK_OK(hb_alerts_list(s, &f, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 0);
    hb_table_free(t);
    CHECK_OK(hb_alert_history(s, a, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 4);
    CHECK_STR_EQ(cell(t, 1, 3), "alert");
    hb_table_free(t);
    hb_store_close(s);
}

TEST(alerts__workflow_and_illegal_transitions)
{
    hb_store *s = migrated();
    bool raised;
    int64_t a = signal(s, "2019-01-06", HB_LEVEL_WARNING, &raised);
    CHECK_FAILS(hb_alert_act(s, a, HB_ALERT_CONFIRM, "hk-officer", NULL), HB_ECONFLICT,
                "is new: it cannot be confirmed (allowed from: assessing)");
    CHECK_FAILS(hb_alert_act(s, a, HB_ALERT_DISMISS, "hk-officer", ""), HB_EINVAL,
                "dismiss needs a comment");
    CHECK_OK(hb_alert_act(s, a, HB_ALERT_ASSESS, "hk-officer", NULL));
    CHECK_OK(hb_alert_act(s, a, HB_ALERT_COMMENT, "hk-officer", "lab confirmation pending"));
    CHECK_OK(hb_alert_act(s, a, HB_ALERT_CONFIRM, "hk-officer", NULL));
    CHECK_FAILS(hb_alert_act(s, a, HB_ALERT_DISMISS, "x", "no"), HB_ECONFLICT, "is confirmed");
    /* A confirmed alert is still open: the next week's signal extends it. */
    CHECK_INT_EQ(signal(s, "2019-01-13", HB_LEVEL_ALERT, &raised), a);
    CHECK_OK(hb_alert_act(s, a, HB_ALERT_CLOSE, "hk-officer", "season over"));
    /* Closed: a later signal opens a new alert; the old one can be reopened by hand. */
    CHECK(signal(s, "2019-01-20", HB_LEVEL_WATCH, &raised) != a);
    CHECK_OK(hb_alert_act(s, a, HB_ALERT_REOPEN, "hk-officer", NULL));
    CHECK_FAILS(hb_alert_act(s, 9999, HB_ALERT_ASSESS, "x", NULL), HB_ENOTFOUND, "no alert 9999");
    hb_table *t;
    CHECK_OK(hb_alert_history(s, a, &t));
    static const char *const actions[] = { "signal", "assess", "comment", "confirm",
                                           "signal", "close",  "reopen" };
    CHECK_INT_EQ(hb_table_row_count(t), 7);
    for (size_t i = 0; i < 7; i++)
        CHECK_STR_EQ(cell(t, i, 2), actions[i]);
    CHECK_STR_EQ(cell(t, 2, 5), "lab confirmation pending");
    CHECK_STR_EQ(cell(t, 1, 1), "hk-officer");
    hb_table_free(t);
    hb_alert_filter f = { NULL, "open", NULL, 0 };
    CHECK_OK(hb_alerts_list(s, &f, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2); /* the reopened one and the new one */
    hb_table_free(t);
    hb_store_close(s);
}
