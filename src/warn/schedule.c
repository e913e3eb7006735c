/*
 * warn/schedule.c — one day's early warning with its notifications, and the thread that runs it
 * inside `serve` (see schedule.h).
 */
#include "warn/schedule.h"

#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/signing.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"

#define GBA_UTC_OFFSET_SECONDS (8 * 3600)
#define TICK_SECONDS           60
#define REMIND_EVERY_SECONDS   3600
#define RETRY_AFTER_SECONDS    900 /* after a failed run: not every minute */

typedef struct day_context {
    const hb_warn_config *cfg;
    const char *key_dir;
    hb_notify_report *alerts;
    void (*progress)(size_t, size_t, void *);
    void *payload;
} day_context;

static void on_progress(size_t done, size_t total, void *payload)
{
    day_context *c = payload;
    if (c->progress)
        c->progress(done, total, c->payload);
}

/* An alert reached the notify level: tell the other two jurisdictions at once. */
static int on_alert(hb_store *store, int64_t alert_id, hb_alert_level level, void *payload)
{
    day_context *c = payload;
    hb_notify_report r;
    if (level < c->cfg->rules.notify_level)
        return 0;
    int rc = hb_notify_alert(store, c->key_dir, alert_id, level, &r);
    c->alerts->sent += r.sent;
    c->alerts->already += r.already;
    c->alerts->unsigned_ += r.unsigned_;
    return rc;
}

int hb_warn_day(hb_store *store, const hb_warn_config *cfg, const char *key_dir, hb_date date,
                void (*progress)(size_t done, size_t total, void *payload), void *payload,
                hb_warn_day_report *report)
{
    memset(report, 0, sizeof *report);
    day_context c = { cfg, key_dir, &report->alerts, progress, payload };
    hb_warn_hooks hooks = { on_progress, on_alert, &c };
    int rc = hb_warn_run(store, cfg, date, &hooks, &report->run);
    if (rc == 0 && !report->run.already_done)
        rc = hb_notify_daily(store, key_dir, date, &report->daily);
    return rc;
}

void hb_warn_day_describe(hb_date date, const hb_warn_day_report *report, const char *key_dir,
                          char *out, size_t size)
{
    char d[HB_DATE_STRLEN];
    const hb_warn_run_report *r = &report->run;
    hb_date_format(d, date);
    if (r->already_done) {
        snprintf(out, size, "%s: already done", d);
        return;
    }
    int n = snprintf(out, size,
                     "%s: %zu series, %zu screened (%zu unchanged, %zu not reporting), %zu with"
                     " alarms, %zu alerts opened or raised, %zu Rt estimates, %zu forecasts; "
                     "notifications: %zu daily, %zu alert",
                     d, r->series, r->screened, r->unchanged, r->stale, r->alarms, r->alerts_raised,
                     r->rt, r->forecasts, report->daily.sent, report->alerts.sent);
    size_t unsent = report->daily.unsigned_ + report->alerts.unsigned_;
    if (n > 0 && (size_t)n < size && unsent > 0)
        snprintf(out + n, size - (size_t)n,
                 ", %zu not sent (no signing key in %s: healthybay keys generate)", unsent,
                 hb_signing_key_dir(key_dir));
}

hb_date hb_warn_local_date(int64_t now)
{
    int64_t local = now + GBA_UTC_OFFSET_SECONDS;
    return (hb_date)((local - (local % 86400 + 86400) % 86400) / 86400);
}

bool hb_warn_run_time_reached(const hb_warn_config *cfg, int64_t now)
{
    int64_t local = now + GBA_UTC_OFFSET_SECONDS;
    int64_t second_of_day = (local % 86400 + 86400) % 86400;
    return second_of_day >= (int64_t)cfg->run_hour * 3600 + (int64_t)cfg->run_minute * 60;
}

struct hb_warn_scheduler {
    hb_warn_scheduler_config config;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    hb_store *store;      /* opened on first use, reopened after a failure */
    hb_date done_through; /* the last day found run (by us or another server) */
    int64_t retry_at;     /* after a failed run, not before this */
    int64_t remind_at;
};

static void say(const hb_warn_scheduler *s, const char *fmt, ...) HB_PRINTF(2, 3);

static void say(const hb_warn_scheduler *s, const char *fmt, ...)
{
    if (!s->config.log)
        return;
    char now[HB_TIMESTAMP_STRLEN];
    va_list ap;
    va_start(ap, fmt);
    fprintf(s->config.log, "%s early warning: ", hb_timestamp_now(now));
    vfprintf(s->config.log, fmt, ap);
    fputc('\n', s->config.log);
    fflush(s->config.log);
    va_end(ap);
}

static int connect(hb_warn_scheduler *s)
{
    if (s->store)
        return 0;
    int rc = hb_store_open(&s->store, s->config.db_url, 0);
    if (rc < 0)
        say(s, "cannot open the database: %s", hb_error_last());
    return rc;
}

/* A failure may have been the connection's: the next tick opens a new one. */
static void disconnect(hb_warn_scheduler *s)
{
    hb_store_close(s->store);
    s->store = NULL;
}

static void run_day(hb_warn_scheduler *s, int64_t now)
{
    hb_date today = hb_warn_local_date(now);
    if (s->done_through >= today || now < s->retry_at ||
        !hb_warn_run_time_reached(s->config.cfg, now) || connect(s) < 0)
        return;
    hb_warn_day_report report;
    int rc = hb_warn_day(s->store, s->config.cfg, s->config.key_dir, today, NULL, NULL, &report);
    char line[512];
    if (rc == HB_ECONFLICT) { /* another server is at it: look again next minute */
        return;
    } else if (rc < 0) {
        s->retry_at = now + RETRY_AFTER_SECONDS;
        say(s, "the daily run failed (retrying in 15 minutes): %s", hb_error_last());
        disconnect(s);
        return;
    }
    s->done_through = today;
    if (!report.run.already_done) {
        hb_warn_day_describe(today, &report, s->config.key_dir, line, sizeof line);
        say(s, "%s", line);
    }
}

static void remind(hb_warn_scheduler *s, int64_t now)
{
    if (now < s->remind_at || connect(s) < 0)
        return;
    s->remind_at = now + REMIND_EVERY_SECONDS;
    hb_notify_report r;
    if (hb_notify_remind(s->store, s->config.key_dir, s->config.cfg->reminder_hours, &r) < 0) {
        say(s, "sending reminders failed: %s", hb_error_last());
        disconnect(s);
    } else if (r.sent > 0) {
        say(s, "%zu reminders of unacknowledged notifications sent", r.sent);
    }
}

static void *loop(void *arg)
{
    hb_warn_scheduler *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->lock);
        int64_t now = hb_time_now();
        run_day(s, now);
        remind(s, now);
        pthread_mutex_lock(&s->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += TICK_SECONDS;
        while (!s->stopping && pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&s->lock);
    disconnect(s);
    return NULL;
}

int hb_warn_scheduler_start(hb_warn_scheduler **out, const hb_warn_scheduler_config *config)
{
    hb_warn_scheduler *s = hb_calloc(1, sizeof *s);
    if (!s)
        return HB_ENOMEM;
    s->config = *config;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, loop, s) != 0) {
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        hb_free(s);
        return hb_error_set(HB_ERROR, "cannot start the early-warning scheduler thread");
    }
    *out = s;
    return 0;
}

void hb_warn_scheduler_stop(hb_warn_scheduler *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    hb_free(s);
}
