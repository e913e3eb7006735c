/*
 * warn/daily.c — the daily early-warning run (see daily.h).
 *
 * Shape: claim the day (short transaction under an advisory lock) → load every series → for
 * each, compute in memory (detection, Rt, forecast, level) and write the results; series are
 * written in batches of BATCH, one transaction each, so a long run never holds SQLite's write
 * lock for long and the work done survives a crash (the next run re-screens only what is
 * missing) → mark the day done. Alert hooks run after each batch commits.
 */
#include "warn/daily.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "healthybay/rt.h"
#include "series/series.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/embedded.h"
#include "util/limits.h"
#include "util/parse.h"
#include "warn/series_db.h"

extern const hb_embedded_file hb_refdata_files[];
extern const size_t hb_refdata_files_count;

#define RUN_LOCK_KEY     0x6862646169 /* "hbdai": the daily run among all advisory locks */
#define BATCH            256
#define TAKEOVER_SECONDS 3600
#define SI_MAX           64

/* One disease's serial interval (data/serial_intervals.csv: its first row with an sd). */
typedef struct serial_interval {
    char disease[64];
    double mean_days, sd_days;
} serial_interval;

typedef struct run {
    hb_store *store;
    const hb_warn_config *cfg;
    const hb_warn_hooks *hooks;
    char day[HB_DATE_STRLEN];
    hb_date date;
    hb_warn_run_report *report;
    serial_interval si[SI_MAX];
    size_t nsi;
    hb_surveil_work *work;
    hb_rng rng;
    hb_stmt *seen, *put_signal, *put_rt, *put_forecast;
    int64_t raised[BATCH];
    hb_alert_level raised_level[BATCH];
    size_t nraised;
} run;

/* ---- the day's claim ------------------------------------------------------------------- */

static int set_run_row(hb_store *store, const char *sql, const char *day)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st, sql);
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, day)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Claim the day: 0 when this process runs it, 1 when it is done already. */
static int claim(hb_store *store, const char *day)
{
    /* Wait for the lock rather than give up: it is held only while a claim is read and written,
     * and on PostgreSQL every healthybay schema of the database shares the key. */
    int rc = hb_store_begin(store);
    if (rc == 0)
        rc = hb_store_lock(store, RUN_LOCK_KEY);
    hb_stmt *st = NULL;
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              "SELECT status, started_at FROM hb_warn_runs"
                              " WHERE run_date = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, day)) == 0)
        rc = hb_stmt_step(st);
    char status[16] = "", started[HB_TIMESTAMP_STRLEN] = "", now[HB_TIMESTAMP_STRLEN];
    char limit[HB_TIMESTAMP_STRLEN];
    if (rc == HB_STORE_ROW) {
        snprintf(status, sizeof status, "%s", hb_stmt_text(st, 0, NULL));
        snprintf(started, sizeof started, "%s", hb_stmt_text(st, 1, NULL));
    }
    hb_stmt_finalize(st);
    if (hb_timestamp_add(limit, hb_timestamp_now(now), -TAKEOVER_SECONDS) < 0)
        rc = HB_EINVAL;
    if (rc >= 0 && strcmp(status, "done") == 0)
        return hb_store_rollback(store) == 0 ? 1 : HB_ERROR;
    if (rc >= 0 && strcmp(status, "running") == 0 && strcmp(started, limit) > 0)
        rc = hb_error_set(HB_ECONFLICT, "the daily run for %s is in progress (started %s)", day,
                          started);
    else if (rc >= 0 && status[0])
        rc = set_run_row(store,
                         "UPDATE hb_warn_runs SET status = 'running', started_at = ?,"
                         " finished_at = NULL, message = NULL WHERE run_date = ?",
                         day);
    else if (rc >= 0)
        rc = set_run_row(store,
                         "INSERT INTO hb_warn_runs (started_at, run_date, status)"
                         " VALUES (?, ?, 'running')",
                         day);
    if (rc == 0)
        return hb_store_commit(store);
    hb_store_rollback(store);
    return rc;
}

static int finish(run *r, const char *status, const char *message)
{
    char now[HB_TIMESTAMP_STRLEN];
    const hb_warn_run_report *rep = r->report;
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(r->store, &st,
                              "UPDATE hb_warn_runs SET status = ?, finished_at = ?,"
                              " series_screened = ?, signals = ?, alerts_raised = ?, message = ?"
                              " WHERE run_date = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, status)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_int64(st, 3, (int64_t)rep->screened)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 4, (int64_t)rep->alarms)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 5, (int64_t)rep->alerts_raised)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, message)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, r->day)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* ---- serial intervals ------------------------------------------------------------------ */

static int load_serial_intervals(run *r)
{
    const hb_embedded_file *f =
        hb_embedded_find(hb_refdata_files, hb_refdata_files_count, "serial_intervals.csv");
    if (!f)
        return hb_error_set(HB_ERROR, "data/serial_intervals.csv is missing from this build");
    hb_csv *csv;
    int rc = hb_csv_open_memory(&csv, "data/serial_intervals.csv", f->data, f->size);
    if (rc < 0)
        return rc;
    rc = hb_csv_read_header(csv);
    long cd = hb_csv_find(csv, "disease"), cm = hb_csv_find(csv, "mean_days"),
         cs = hb_csv_find(csv, "sd_days");
    if (rc == 0 && (cd < 0 || cm < 0 || cs < 0))
        rc = hb_error_set(HB_ERROR, "data/serial_intervals.csv lacks disease, mean_days, sd_days");
    while (rc == 0 && (rc = hb_csv_next(csv)) == 1) {
        size_t lm, ls;
        const char *d = hb_csv_field(csv, (size_t)cd, NULL);
        const char *m = hb_csv_field(csv, (size_t)cm, &lm), *s = hb_csv_field(csv, (size_t)cs, &ls);
        serial_interval *si = &r->si[r->nsi];
        bool known = false;
        for (size_t i = 0; i < r->nsi; i++)
            known = known || strcmp(r->si[i].disease, d) == 0;
        rc = 0;
        if (known || ls == 0 || r->nsi == SI_MAX)
            continue;
        if (hb_parse_double(&si->mean_days, m, lm) < 0 || hb_parse_double(&si->sd_days, s, ls) < 0)
            rc = hb_csv_error(csv, (size_t)cm, "not a number");
        snprintf(si->disease, sizeof si->disease, "%s", d);
        r->nsi += rc == 0;
    }
    hb_csv_free(csv);
    return rc;
}

static const serial_interval *serial_interval_of(const run *r, const char *disease)
{
    for (size_t i = 0; i < r->nsi; i++)
        if (strcmp(r->si[i].disease, disease) == 0)
            return &r->si[i];
    return NULL;
}

/* ---- one series ------------------------------------------------------------------------ */

#define SI_PERIODS 64

typedef struct outcome {
    size_t from, t; /* the gap-free history used: [from, t]; t = the period screened */
    hb_method_result res[HB_WARN_METHODS_MAX];
    double pvalue[HB_WARN_METHODS_MAX];
    size_t nres;
    bool has_rt;
    hb_rt_window rt;
    size_t horizon; /* 0 = no forecast */
    double q[HB_FORECAST_HORIZON_MAX * HB_FORECAST_NQUANTILES];
    hb_alert_level level;
    hb_buf why;
} outcome;

static int bind_key(hb_stmt *st, int first, const hb_series_key *k)
{
    int rc = hb_stmt_bind_cstr(st, first, k->disease);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 1, k->measure);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 2, k->region);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 3, k->age_group);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, first + 4, k->sex);
    return rc;
}

/* Was this period screened before with the same value? */
static int screened_before(run *r, const hb_db_series *s, size_t t, bool *same)
{
    char day[HB_DATE_STRLEN];
    int rc = bind_key(r->seen, 1, &s->key);
    if (rc == 0 && (rc = hb_stmt_bind_cstr(r->seen, 6, hb_date_format(day, s->dates[t]))) == 0)
        rc = hb_stmt_step(r->seen);
    *same = rc == HB_STORE_ROW && hb_stmt_double(r->seen, 0) == s->values[t];
    hb_stmt_reset(r->seen);
    return rc < 0 ? rc : 0;
}

static void detect_all(run *r, const hb_db_series *s, outcome *o)
{
    size_t nmethods;
    const hb_warn_method *m = hb_warn_config_methods(r->cfg, s->is_count, s->freq, &nmethods);
    hb_surveil_series ser = { o->t - o->from + 1, s->dates + o->from, s->values + o->from, NULL,
                              s->freq };
    for (size_t i = 0; i < nmethods; i++) {
        double expected = NAN, upper = NAN, p = NAN;
        signed char alarm = -1;
        hb_surveil_result res = { &expected, &upper, &alarm, &p };
        size_t last = ser.length - 1;
        if (hb_surveil_default_from(&m[i].params, &ser) <= last &&
            hb_surveil_detect(&res, r->work, &ser, &m[i].params, last, last + 1) < 0) {
            expected = upper = p = NAN; /* e.g. no baseline yet: no verdict */
            alarm = -1;
        }
        o->res[i] = (hb_method_result){ m[i].name, s->values[o->t], expected, upper, alarm };
        o->pvalue[i] = p;
    }
    o->nres = nmethods;
}

/* Rt over the last window, for case series of diseases with a known serial interval. */
static void estimate_rt(run *r, const hb_db_series *s, outcome *o)
{
    const serial_interval *si = serial_interval_of(r, s->key.disease);
    size_t width = s->freq == HB_FREQ_DAILY    ? (size_t)r->cfg->rt_window_days
                   : s->freq == HB_FREQ_WEEKLY ? (size_t)r->cfg->rt_window_weeks
                                               : 0;
    size_t len = o->t - o->from + 1;
    double w[SI_PERIODS];
    if (!r->cfg->rt_enabled || !si || width == 0 || strcmp(s->key.measure, "cases") != 0 ||
        len <= width ||
        hb_forecast_si_periods(w, SI_PERIODS, si->mean_days, si->sd_days, s->period_days) < 0)
        return;
    o->rt.t_start = len - width;
    o->rt.t_end = len - 1;
    const double *imported = s->imported ? s->imported + o->from : NULL;
    o->has_rt =
        hb_rt_estimate(&o->rt, 1, s->values + o->from, imported, len, w, SI_PERIODS, NULL) == 0 &&
        !isnan(o->rt.mean);
}

static void forecast(run *r, const hb_db_series *s, outcome *o)
{
    if (!s->is_count)
        return;
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, s->freq);
    opt.horizon = (size_t)(s->freq == HB_FREQ_DAILY    ? r->cfg->horizon_days
                           : s->freq == HB_FREQ_WEEKLY ? r->cfg->horizon_weeks
                                                       : r->cfg->horizon_months);
    const serial_interval *si = serial_interval_of(r, s->key.disease);
    double w[SI_PERIODS];
    if (si && s->freq != HB_FREQ_MONTHLY &&
        hb_forecast_si_periods(w, SI_PERIODS, si->mean_days, si->sd_days, s->period_days) == 0) {
        opt.si = w;
        opt.si_len = SI_PERIODS;
        opt.members = hb_forecast_default_members(s->freq, true);
    }
    const double *imported = s->imported ? s->imported + o->from : NULL;
    if (hb_forecast(o->q, r->cfg->forecast_model, s->values + o->from, imported, o->t - o->from + 1,
                    &opt, &r->rng) == 0)
        o->horizon = opt.horizon;
}

/* Everything for one series, in memory. Returns 1 when the series was screened. */
static int compute(run *r, const hb_db_series *s, outcome *o)
{
    if (s->freq == 0 || s->length < 2)
        return 0; /* a single period: nothing to learn from yet */
    o->t = s->length - 1;
    if (s->dates[o->t] + (hb_date)(r->cfg->stale_periods * s->period_days) < r->date) {
        r->report->stale++;
        return 0;
    }
    bool same = false;
    int rc = screened_before(r, s, o->t, &same);
    if (rc < 0)
        return rc;
    if (same) {
        r->report->unchanged++;
        return 0;
    }
    o->from = o->t;
    while (o->from > 0 && !isnan(s->values[o->from - 1]))
        o->from--;
    /* The outcome is reused from series to series: what this one does not compute must not be
     * the previous one's (an Rt or a forecast written under the wrong series). */
    o->has_rt = false;
    o->horizon = 0;
    detect_all(r, s, o);
    estimate_rt(r, s, o);
    forecast(r, s, o);
    hb_alert_evidence ev = { o->res, o->nres, o->has_rt ? o->rt.q[0] : NAN,
                             o->has_rt ? o->rt.mean : NAN, false };
    if (o->horizon > 0) {
        double median = o->q[(o->horizon - 1) * HB_FORECAST_NQUANTILES + 11];
        ev.forecast_rising = median > s->values[o->t];
    }
    hb_buf_reset(&o->why);
    o->level = hb_alert_level_of(&r->cfg->rules, &ev, &o->why);
    return 1;
}

/* ---- writing --------------------------------------------------------------------------- */

static int bind_number(hb_stmt *st, int i, double v)
{
    return isnan(v) ? hb_stmt_bind_null(st, i) : hb_stmt_bind_double(st, i, v);
}

static int exec_reset(hb_stmt *st)
{
    int rc = hb_stmt_step(st);
    hb_stmt_reset(st);
    return rc < 0 ? rc : 0;
}

static int write_signals(run *r, const hb_db_series *s, const outcome *o)
{
    char period[HB_DATE_STRLEN];
    hb_date_format(period, s->dates[o->t]);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < o->nres; i++) {
        const hb_method_result *m = &o->res[i];
        hb_stmt *st = r->put_signal;
        if ((rc = bind_key(st, 1, &s->key)) == 0 && (rc = hb_stmt_bind_cstr(st, 6, period)) == 0 &&
            (rc = hb_stmt_bind_cstr(st, 7, m->method)) == 0 &&
            (rc = hb_stmt_bind_cstr(st, 8, r->day)) == 0 &&
            (rc = hb_stmt_bind_double(st, 9, m->observed)) == 0 &&
            (rc = bind_number(st, 10, m->expected)) == 0 &&
            (rc = bind_number(st, 11, m->upperbound)) == 0 &&
            (rc = m->alarm < 0 ? hb_stmt_bind_null(st, 12)
                               : hb_stmt_bind_int64(st, 12, m->alarm)) == 0 &&
            (rc = bind_number(st, 13, o->pvalue[i])) == 0)
            rc = exec_reset(st);
    }
    return rc;
}

static int write_rt(run *r, const hb_db_series *s, const outcome *o)
{
    char t_end[HB_DATE_STRLEN], t_start[HB_DATE_STRLEN];
    hb_stmt *st = r->put_rt;
    hb_date_format(t_end, s->dates[o->from + o->rt.t_end]);
    hb_date_format(t_start, s->dates[o->from + o->rt.t_start]);
    int rc = bind_key(st, 1, &s->key);
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 6, t_end)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, t_start)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 8, r->day)) == 0 &&
        (rc = hb_stmt_bind_double(st, 9, o->rt.mean)) == 0)
        rc = hb_stmt_bind_double(st, 10, o->rt.sd);
    for (int q = 0; rc == 0 && q < HB_RT_NQUANTILES; q++)
        rc = hb_stmt_bind_double(st, 11 + q, o->rt.q[q]);
    return rc == 0 ? exec_reset(st) : rc;
}

/* The forecast as the JSON documented in the migration. */
static int forecast_json(hb_buf *b, const hb_db_series *s, const outcome *o)
{
    static const double levels[HB_FORECAST_NQUANTILES] = HB_FORECAST_QUANTILE_LEVELS;
    char day[HB_DATE_STRLEN];
    int rc = hb_buf_puts(b, "{\"levels\": [");
    for (int j = 0; rc == 0 && j < HB_FORECAST_NQUANTILES; j++)
        rc = hb_buf_printf(b, "%s%g", j ? ", " : "", levels[j]);
    if (rc == 0)
        rc = hb_buf_puts(b, "], \"targets\": [");
    hb_date d = s->dates[o->t];
    for (size_t h = 0; rc == 0 && h < o->horizon; h++) {
        d = hb_series_next_date(d, s->freq);
        rc = hb_buf_printf(b, "%s\"%s\"", h ? ", " : "", hb_date_format(day, d));
    }
    if (rc == 0)
        rc = hb_buf_puts(b, "], \"quantiles\": [");
    for (size_t h = 0; rc == 0 && h < o->horizon; h++) {
        rc = hb_buf_puts(b, h ? ", [" : "[");
        for (size_t j = 0; rc == 0 && j < HB_FORECAST_NQUANTILES; j++)
            rc = hb_buf_printf(b, "%s%.6g", j ? ", " : "", o->q[h * HB_FORECAST_NQUANTILES + j]);
        if (rc == 0)
            rc = hb_buf_putc(b, ']');
    }
    return rc == 0 ? hb_buf_puts(b, "]}") : rc;
}

static int write_forecast(run *r, const hb_db_series *s, const outcome *o)
{
    char origin[HB_DATE_STRLEN];
    hb_buf json;
    hb_buf_init(&json, 0);
    hb_stmt *st = r->put_forecast;
    int rc = forecast_json(&json, s, o);
    if (rc == 0 && (rc = bind_key(st, 1, &s->key)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, hb_date_format(origin, s->dates[o->t]))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, hb_forecast_model_name(r->cfg->forecast_model))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 8, r->day)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 9, hb_buf_cstr(&json))) == 0)
        rc = exec_reset(st);
    hb_buf_dispose(&json);
    return rc;
}

static int write_outcome(run *r, const hb_db_series *s, const outcome *o)
{
    hb_warn_run_report *rep = r->report;
    int rc = write_signals(r, s, o);
    if (rc == 0 && o->has_rt && (rc = write_rt(r, s, o)) == 0)
        rep->rt++;
    if (rc == 0 && o->horizon > 0 && (rc = write_forecast(r, s, o)) == 0)
        rep->forecasts++;
    if (rc < 0 || o->level < HB_LEVEL_WATCH)
        return rc;
    rep->alarms++;
    char period[HB_DATE_STRLEN];
    int64_t id;
    bool raised, existed = false;
    rc = hb_alert_signal(r->store, &r->cfg->rules, &s->key, hb_date_format(period, s->dates[o->t]),
                         s->period_days, o->level, hb_buf_cstr(&o->why), &id, &raised);
    for (size_t i = 0; i < r->nraised; i++)
        existed = existed || r->raised[i] == id;
    if (rc == 0 && raised && !existed && r->nraised < BATCH) {
        r->raised[r->nraised] = id;
        r->raised_level[r->nraised++] = o->level;
        rep->alerts_raised++;
    }
    return rc;
}

/* ---- the run --------------------------------------------------------------------------- */

#define KEY_COLS     "disease, measure, region, age_group, sex"
#define KEY_CONFLICT "(disease, measure, region, age_group, sex, "

static const char seen_sql[] = "SELECT observed FROM hb_signals WHERE disease = ? AND"
                               " measure = ? AND region = ? AND age_group = ? AND sex = ? AND"
                               " period = ? LIMIT 1";
static const char signal_sql[] =
    "INSERT INTO hb_signals (" KEY_COLS ", period, method, run_date, observed, expected,"
    " upperbound, alarm, pvalue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT " KEY_CONFLICT "period, method) DO UPDATE SET run_date = excluded.run_date,"
    " observed = excluded.observed, expected = excluded.expected,"
    " upperbound = excluded.upperbound, alarm = excluded.alarm, pvalue = excluded.pvalue";
static const char rt_sql[] =
    "INSERT INTO hb_rt_estimates (" KEY_COLS ", t_end, t_start, run_date, mean, sd, q025, q05,"
    " q25, median, q75, q95, q975) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT " KEY_CONFLICT "t_end) DO UPDATE SET t_start = excluded.t_start,"
    " run_date = excluded.run_date, mean = excluded.mean, sd = excluded.sd,"
    " q025 = excluded.q025, q05 = excluded.q05, q25 = excluded.q25, median = excluded.median,"
    " q75 = excluded.q75, q95 = excluded.q95, q975 = excluded.q975";
static const char forecast_sql[] =
    "INSERT INTO hb_forecasts (" KEY_COLS ", origin, model, run_date, quantiles)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT " KEY_CONFLICT "origin) DO UPDATE SET"
    " model = excluded.model, run_date = excluded.run_date, quantiles = excluded.quantiles";

static int prepare_all(run *r)
{
    int rc = hb_store_prepare(r->store, &r->seen, seen_sql);
    if (rc == 0)
        rc = hb_store_prepare(r->store, &r->put_signal, signal_sql);
    if (rc == 0)
        rc = hb_store_prepare(r->store, &r->put_rt, rt_sql);
    if (rc == 0)
        rc = hb_store_prepare(r->store, &r->put_forecast, forecast_sql);
    return rc;
}

static void finalize_all(run *r)
{
    hb_stmt_finalize(r->seen);
    hb_stmt_finalize(r->put_signal);
    hb_stmt_finalize(r->put_rt);
    hb_stmt_finalize(r->put_forecast);
}

/* Tell the caller about the alerts the committed batch opened or raised. */
static void announce(run *r)
{
    for (size_t i = 0; i < r->nraised; i++)
        if (r->hooks && r->hooks->alert_raised)
            r->hooks->alert_raised(r->store, r->raised[i], r->raised_level[i], r->hooks->payload);
    r->nraised = 0;
}

/* Series [first, end) in one transaction. */
static int run_batch(run *r, const hb_db_series_set *set, size_t first, size_t end, outcome *o)
{
    int rc = hb_store_begin(r->store);
    for (size_t i = first; rc == 0 && i < end; i++) {
        const hb_db_series *s = hb_db_series_at(set, i);
        rc = compute(r, s, o);
        if (rc == 1) {
            r->report->screened++;
            rc = write_outcome(r, s, o);
        }
    }
    if (rc == 0)
        rc = hb_store_commit(r->store);
    else
        hb_store_rollback(r->store);
    if (rc == 0)
        announce(r);
    r->nraised = 0;
    return rc;
}

static int run_all(run *r)
{
    hb_db_series_set *set = NULL;
    outcome o;
    memset(&o, 0, sizeof o);
    hb_buf_init(&o.why, 4096);
    int rc = load_serial_intervals(r);
    if (rc == 0)
        rc = hb_db_series_load(r->store, r->date, NULL, &set);
    if (rc == 0)
        rc = hb_surveil_work_new(&r->work, HB_SERIES_LENGTH_MAX);
    if (rc == 0)
        rc = prepare_all(r);
    size_t n = set ? hb_db_series_count(set) : 0;
    r->report->series = n;
    for (size_t first = 0; rc == 0 && first < n; first += BATCH) {
        size_t end = first + BATCH < n ? first + BATCH : n;
        rc = run_batch(r, set, first, end, &o);
        if (rc == 0 && r->hooks && r->hooks->progress)
            r->hooks->progress(end, n, r->hooks->payload);
    }
    finalize_all(r);
    hb_surveil_work_free(r->work);
    hb_db_series_free(set);
    hb_buf_dispose(&o.why);
    return rc;
}

int hb_warn_run(hb_store *store, const hb_warn_config *cfg, hb_date date,
                const hb_warn_hooks *hooks, hb_warn_run_report *report)
{
    run *r = hb_calloc(1, sizeof *r);
    if (!r)
        return HB_ENOMEM;
    memset(report, 0, sizeof *report);
    r->store = store;
    r->cfg = cfg;
    r->hooks = hooks;
    r->date = date;
    r->report = report;
    hb_date_format(r->day, date);
    hb_rng_seed(&r->rng, (uint64_t)date); /* a rerun of a day draws the same samples */
    int rc = claim(store, r->day);
    if (rc == 1) {
        report->already_done = true;
        rc = 0;
    } else if (rc == 0) {
        rc = run_all(r);
        char message[HB_ERROR_MESSAGE_MAX];
        snprintf(message, sizeof message, "%s", rc < 0 ? hb_error_last() : "");
        int end = finish(r, rc < 0 ? "failed" : "done", rc < 0 ? message : NULL);
        if (rc < 0)
            hb_error_set(rc, "%s", message); /* the run's own failure, not the bookkeeping */
        else
            rc = end;
    }
    hb_free(r);
    return rc;
}
