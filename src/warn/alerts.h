/*
 * warn/alerts.h — from detection signals to alerts, and the officers' workflow on them.
 *
 * Levels. For one series and period, the configured detection methods each say alarm or not (or
 * nothing, when the series is too short for them); the excess is observed / expected − 1 of the
 * largest alarming method. With n methods giving a verdict and k of them alarming:
 *
 *   watch    k >= 1
 *   warning  k >= min(warning_methods, n) and excess >= warning_excess
 *   alert    k >= min(alert_methods, n) and excess >= alert_excess,
 *            or warning while Rt's 95% credible interval is above 1 (lower bound > 1) and the
 *            forecast rises (when rt_escalates)
 *
 * Events. A signal for a series that has an open alert (new, assessing or confirmed) whose last
 * signalled period is at most merge_gap_periods periods before it extends that alert; otherwise
 * it opens a new one. Workflow: new → assessing → confirmed | dismissed; confirmed → closed when
 * the event is over; dismissed or closed → reopened (to assessing) if needed. Every step and
 * comment is an event in the alert's history.
 */
#ifndef HB_WARN_ALERTS_H
#define HB_WARN_ALERTS_H

#include <stdbool.h>

#include "healthybay/common.h"
#include "store/store.h"
#include "util/table.h"

typedef enum hb_alert_level {
    HB_LEVEL_NONE,
    HB_LEVEL_WATCH,
    HB_LEVEL_WARNING,
    HB_LEVEL_ALERT
} hb_alert_level;

typedef struct hb_alert_rules {
    int warning_methods;         /* default 2 */
    double warning_excess;       /* default 0.2 (20% above expected) */
    int alert_methods;           /* default 2 */
    double alert_excess;         /* default 1.0 (twice the expected) */
    bool rt_escalates;           /* default true */
    int merge_gap_periods;       /* default 2 */
    hb_alert_level notify_level; /* default warning: notify the other jurisdictions at once */
} hb_alert_rules;

/* One method's verdict on one period. */
typedef struct hb_method_result {
    const char *method; /* "farrington-flexible", "ears-c2" … */
    double observed, expected, upperbound;
    int alarm; /* 1, 0, or -1 when the method had no verdict (R's NA) */
} hb_method_result;

typedef struct hb_alert_evidence {
    const hb_method_result *results;
    size_t nresults;
    double rt_lower, rt_mean; /* NAN when no Rt estimate */
    bool forecast_rising;
} hb_alert_evidence;

void hb_alert_rules_init(hb_alert_rules *rules);

/* The level of one period; why (one line, for people) is appended to why when not NULL. */
hb_alert_level hb_alert_level_of(const hb_alert_rules *rules, const hb_alert_evidence *ev,
                                 hb_buf *why);

const char *hb_alert_level_name(hb_alert_level level);
int hb_alert_level_parse(hb_alert_level *out, const char *name);

/* The series a signal belongs to. */
typedef struct hb_series_key {
    const char *region, *disease, *measure, *age_group, *sex;
} hb_series_key;

/*
 * Record a signal of the given level (>= watch) for key in period (YYYY-MM-DD): extend the open
 * alert of the same event or open a new one (in the region's jurisdiction). period_days is the
 * series' period length in days (1, 7 or ~30) for the merge gap. Must be called inside a
 * transaction. *alert_id gets the alert; *raised is true when the alert is new or its level rose.
 */
int hb_alert_signal(hb_store *store, const hb_alert_rules *rules, const hb_series_key *key,
                    const char *period, int period_days, hb_alert_level level, const char *evidence,
                    int64_t *alert_id, bool *raised);

typedef enum hb_alert_action {
    HB_ALERT_ASSESS,
    HB_ALERT_CONFIRM,
    HB_ALERT_DISMISS,
    HB_ALERT_CLOSE,
    HB_ALERT_REOPEN,
    HB_ALERT_COMMENT
} hb_alert_action;

int hb_alert_action_parse(hb_alert_action *out, const char *name);

/*
 * Apply a workflow action (or add a comment) by actor. HB_ENOTFOUND for an unknown alert;
 * HB_ECONFLICT naming the status when the action is not allowed from it (a dismissed alert cannot
 * be confirmed without reopening it). A comment is required for dismiss and for comment.
 */
int hb_alert_act(hb_store *store, int64_t alert_id, hb_alert_action action, const char *actor,
                 const char *comment);

typedef struct hb_alert_filter {
    const char *jurisdiction; /* NULL = all */
    const char *status;       /* NULL = all; "open" = new, assessing or confirmed */
    const char *disease;      /* NULL = all */
    int64_t id;               /* 0 = all; else only this alert */
} hb_alert_filter;

/* Alerts as a table: id, jurisdiction, region, disease, measure, age_group, sex, level,
 * max_level, status, first_date, last_date, evidence; newest last_date first. */
int hb_alerts_list(hb_store *store, const hb_alert_filter *filter, hb_table **out);

/* One alert's history: at, actor, action, level, period, comment; oldest first. */
int hb_alert_history(hb_store *store, int64_t alert_id, hb_table **out);

#endif
