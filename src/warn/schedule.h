/*
 * warn/schedule.h — the early warning's day, and the schedule that runs it inside `serve`.
 *
 * hb_warn_day() is one day's work, the same whether `run-daily` or the schedule asks for it: the
 * run (warn/daily.h); a notification to the other two jurisdictions for each alert that reached
 * [alerts] notify_level, as soon as its batch is committed; then each jurisdiction's daily
 * notification to the other two.
 *
 * The scheduler is a thread beside the HTTP server with its own database connection. Once a
 * minute it runs the Bay Area's day (UTC+8) when the local time has passed [run] time and the
 * day has not been run, and once an hour it sends the reminders ([notify] reminder_hours). The
 * day's claim (warn/daily.h) makes several servers on one database run it once. A day missed
 * while no server ran is not caught up on its own — `healthybay run-daily --since` does that —
 * because screening is incremental: today's run screens every series' latest period anyway.
 */
#ifndef HB_WARN_SCHEDULE_H
#define HB_WARN_SCHEDULE_H

#include <stdint.h>
#include <stdio.h>

#include "warn/config.h"
#include "warn/daily.h"
#include "warn/notify.h"

typedef struct hb_warn_day_report {
    hb_warn_run_report run;
    hb_notify_report alerts; /* alert notifications sent during the run */
    hb_notify_report daily;  /* the daily notifications after it */
} hb_warn_day_report;

/* Run date and send its notifications (keys from key_dir, NULL = the default). progress may be
 * NULL. A failure to notify is returned after the run's results were committed. */
int hb_warn_day(hb_store *store, const hb_warn_config *cfg, const char *key_dir, hb_date date,
                void (*progress)(size_t done, size_t total, void *payload), void *payload,
                hb_warn_day_report *report);

/* One line for people: "2019-12-28: 412 series, 37 screened (…), 2 alerts …; notifications …"
 * (key_dir as given to hb_warn_day, for the advice when a key is missing). */
void hb_warn_day_describe(hb_date date, const hb_warn_day_report *report, const char *key_dir,
                          char *out, size_t size);

/* The Bay Area's date (UTC+8) at Unix time now. */
hb_date hb_warn_local_date(int64_t now);

/* Whether now (Unix time) is at or past [run] time on the Bay Area's day. */
bool hb_warn_run_time_reached(const hb_warn_config *cfg, int64_t now);

typedef struct hb_warn_scheduler hb_warn_scheduler;

typedef struct hb_warn_scheduler_config {
    const char *db_url;
    const hb_warn_config *cfg; /* borrowed for the scheduler's life */
    const char *key_dir;       /* NULL: the default */
    FILE *log;                 /* what ran and what failed; NULL = nothing */
} hb_warn_scheduler_config;

/* Start the thread (its first look is at once). */
int hb_warn_scheduler_start(hb_warn_scheduler **out, const hb_warn_scheduler_config *config);
/* Stop it; a run in progress finishes first, so a stopped server never leaves its day claimed
 * ('running') for the hour another server would wait before taking it over. NULL is a no-op. */
void hb_warn_scheduler_stop(hb_warn_scheduler *scheduler);

#endif
