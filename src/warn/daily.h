/*
 * warn/daily.h — the daily early-warning run.
 *
 * For the run's date D, every stored series (region × disease × measure × age group × sex) whose
 * latest report is recent (within [run] stale_periods of its periods) has its latest period
 * screened by the methods configured for its kind of measure and frequency; `cases` series of
 * diseases with a serial interval get Rt over the last window; count series get a forecast. The
 * numbers are stored (hb_signals, hb_rt_estimates, hb_forecasts) and the alert rules turn them
 * into alerts (warn/alerts.h).
 *
 * Exactly once a day: the run first claims D's row in hb_warn_runs under an advisory lock, so a
 * second process (another server on the same PostgreSQL) finds the day claimed and does nothing.
 * A claim left 'running' for over an hour (a crashed process) may be taken over.
 *
 * A period already screened with the same reported value is not screened again, so running
 * every day over weekly data costs nothing between weeks, and a corrected count is re-screened.
 * Methods see the series from after its last unreported period (a gap ends the history they
 * learn from); a method without enough history gives no verdict (R's NA).
 */
#ifndef HB_WARN_DAILY_H
#define HB_WARN_DAILY_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "warn/config.h"

typedef struct hb_warn_run_report {
    bool already_done;    /* the day was claimed before: nothing was done */
    size_t series;        /* series in the database up to the date */
    size_t stale;         /* not screened: no recent report */
    size_t unchanged;     /* not screened: latest period screened before with the same value */
    size_t screened;      /* series whose latest period was screened */
    size_t alarms;        /* series-periods where at least one method alarmed */
    size_t alerts_raised; /* alerts opened or whose level rose */
    size_t rt;            /* Rt estimates stored */
    size_t forecasts;     /* forecasts stored */
} hb_warn_run_report;

/* What the caller wants to hear about during a run; any member may be NULL. */
typedef struct hb_warn_hooks {
    /* Series done of total, now and then. */
    void (*progress)(size_t done, size_t total, void *payload);
    /* An alert was opened or its level rose, in a committed batch: e.g. notify the other
     * jurisdictions. A failure is reported but does not undo the run. */
    int (*alert_raised)(hb_store *store, int64_t alert_id, hb_alert_level level, void *payload);
    void *payload;
} hb_warn_hooks;

/*
 * Run for date (the whole day's data up to and including it). cfg from hb_warn_config_load();
 * hooks may be NULL. HB_ECONFLICT when another process is running the same day right now.
 */
int hb_warn_run(hb_store *store, const hb_warn_config *cfg, hb_date date,
                const hb_warn_hooks *hooks, hb_warn_run_report *report);

#endif
