/*
 * warn/config.c — reading the early-warning configuration (see config.h).
 *
 * The defaults are not a second copy of the settings: etc/healthybay.conf is compiled into the
 * binary and parsed first, then the user's file is applied on top with the same code, so the
 * documented file and the behaviour cannot drift apart. A [detect.*] section in the user's file
 * replaces that section's method list.
 */
#include "warn/config.h"

#include <stdio.h>
#include <string.h>

#include "util/embedded.h"
#include "util/ini.h"

extern const hb_embedded_file hb_etc_files[];
extern const size_t hb_etc_files_count;

static const char *const kinds[2] = { "count", "rate" };
static const char *const freqs[3] = { "daily", "weekly", "monthly" };

static const char *const known[] = {
    "run.time",
    "run.lookback_years",
    "run.stale_periods",
    "detect.*.methods",
    "detect.*.ears-c1",
    "detect.*.ears-c2",
    "detect.*.ears-c3",
    "detect.*.farrington",
    "detect.*.farrington-flexible",
    "detect.*.cusum",
    "detect.*.glrnb",
    "detect.*.bayes",
    "rt.enabled",
    "rt.window_days",
    "rt.window_weeks",
    "forecast.model",
    "forecast.horizon_days",
    "forecast.horizon_weeks",
    "forecast.horizon_months",
    "alerts.warning_methods",
    "alerts.warning_excess",
    "alerts.alert_methods",
    "alerts.alert_excess",
    "alerts.rt_escalates",
    "alerts.merge_gap_periods",
    "alerts.notify_level",
    "notify.reminder_hours",
    NULL,
};

static int parse_time(hb_warn_config *cfg, const hb_ini *ini)
{
    const char *t = hb_ini_get(ini, "run", "time");
    int h, m;
    char tail;
    if (!t)
        return 0;
    if (strlen(t) != 5 || sscanf(t, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 ||
        m > 59)
        return hb_ini_error(ini, "run", "time", "'%s' is not a time of day HH:MM", t);
    cfg->run_hour = h;
    cfg->run_minute = m;
    return 0;
}

/* "name=value name=value …" onto params. */
static int parse_params(hb_surveil_params *params, const hb_ini *ini, const char *section,
                        const char *method)
{
    const char *text = hb_ini_get(ini, section, method);
    if (!text)
        return 0;
    char word[256];
    for (const char *p = text; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, " \t");
        if (n == 0)
            break;
        if (n >= sizeof word)
            return hb_ini_error(ini, section, method, "parameter too long");
        memcpy(word, p, n);
        word[n] = '\0';
        p += n;
        char *eq = strchr(word, '=');
        if (!eq)
            return hb_ini_error(ini, section, method, "'%s' is not name=value", word);
        *eq = '\0';
        if (hb_surveil_params_set(params, word, eq + 1) < 0)
            return hb_ini_error(ini, section, method, "%s", hb_error_last());
    }
    if (hb_surveil_params_check(params) < 0)
        return hb_ini_error(ini, section, method, "%s", hb_error_last());
    return 0;
}

/* One [detect.<kind>.<frequency>] section. */
static int parse_detect(hb_warn_config *cfg, const hb_ini *ini, const char *section)
{
    int k = -1, f = -1;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++) {
            char name[64];
            snprintf(name, sizeof name, "detect.%s.%s", kinds[i], freqs[j]);
            if (strcmp(name, section) == 0) {
                k = i;
                f = j;
            }
        }
    if (k < 0)
        return hb_ini_error(ini, section, "methods",
                            "unknown section (use detect.count|rate.daily|weekly|monthly)");
    const char *list = hb_ini_get(ini, section, "methods");
    if (!list)
        return hb_ini_error(ini, section, "methods", "missing: which methods to run");
    size_t n = 0;
    char word[sizeof cfg->methods[0][0][0].name];
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        size_t len = strcspn(p, " \t,");
        if (len == 0)
            break;
        if (len >= sizeof word || n == HB_WARN_METHODS_MAX)
            return hb_ini_error(ini, section, "methods", "at most %d methods", HB_WARN_METHODS_MAX);
        memcpy(word, p, len);
        word[len] = '\0';
        p += len;
        hb_warn_method *m = &cfg->methods[k][f][n];
        hb_surveil_method method;
        if (hb_surveil_method_parse(&method, word) < 0)
            return hb_ini_error(ini, section, "methods", "%s", hb_error_last());
        snprintf(m->name, sizeof m->name, "%s", word);
        hb_surveil_params_init(&m->params, method);
        int rc = parse_params(&m->params, ini, section, word);
        if (rc < 0)
            return rc;
        n++;
    }
    cfg->nmethods[k][f] = n;
    return 0;
}

static int parse_scalars(hb_warn_config *cfg, const hb_ini *ini)
{
    long v;
    int rc = parse_time(cfg, ini);
#define INT(sec, key, lo, hi, field)                                                     \
    if (rc == 0 && (v = (field), (rc = hb_ini_get_int(ini, sec, key, lo, hi, &v)) == 0)) \
        (field) = (int)v;
    INT("run", "lookback_years", 1, 50, cfg->lookback_years)
    INT("run", "stale_periods", 0, 52, cfg->stale_periods)
    INT("rt", "window_days", 2, 60, cfg->rt_window_days)
    INT("rt", "window_weeks", 1, 10, cfg->rt_window_weeks)
    INT("forecast", "horizon_days", 1, 28, cfg->horizon_days)
    INT("forecast", "horizon_weeks", 1, 8, cfg->horizon_weeks)
    INT("forecast", "horizon_months", 1, 6, cfg->horizon_months)
    INT("alerts", "warning_methods", 1, HB_WARN_METHODS_MAX, cfg->rules.warning_methods)
    INT("alerts", "alert_methods", 1, HB_WARN_METHODS_MAX, cfg->rules.alert_methods)
    INT("alerts", "merge_gap_periods", 0, 52, cfg->rules.merge_gap_periods)
    INT("notify", "reminder_hours", 1, 24 * 30, cfg->reminder_hours)
#undef INT
    if (rc == 0)
        rc = hb_ini_get_double(ini, "alerts", "warning_excess", 0, 100, &cfg->rules.warning_excess);
    if (rc == 0)
        rc = hb_ini_get_double(ini, "alerts", "alert_excess", 0, 100, &cfg->rules.alert_excess);
    if (rc == 0)
        rc = hb_ini_get_bool(ini, "alerts", "rt_escalates", &cfg->rules.rt_escalates);
    if (rc == 0)
        rc = hb_ini_get_bool(ini, "rt", "enabled", &cfg->rt_enabled);
    const char *level = hb_ini_get(ini, "alerts", "notify_level");
    if (rc == 0 && level && hb_alert_level_parse(&cfg->rules.notify_level, level) < 0)
        rc = hb_ini_error(ini, "alerts", "notify_level", "%s", hb_error_last());
    const char *model = hb_ini_get(ini, "forecast", "model");
    if (rc == 0 && model && hb_forecast_model_parse(&cfg->forecast_model, model) < 0)
        rc = hb_ini_error(ini, "forecast", "model", "%s", hb_error_last());
    return rc;
}

/* Apply every setting of ini on top of cfg. */
static int apply(hb_warn_config *cfg, const hb_ini *ini)
{
    int rc = hb_ini_check_keys(ini, known);
    if (rc == 0)
        rc = parse_scalars(cfg, ini);
    for (size_t i = 0; rc == 0 && i < hb_ini_section_count(ini); i++) {
        const char *section = hb_ini_section_name(ini, i);
        if (strncmp(section, "detect.", 7) == 0)
            rc = parse_detect(cfg, ini, section);
    }
    return rc;
}

int hb_warn_config_parse(hb_warn_config *cfg, const char *name, const char *text, size_t len)
{
    hb_ini *ini;
    int rc = hb_ini_parse(&ini, name, text, len);
    if (rc == 0)
        rc = apply(cfg, ini);
    hb_ini_free(ini);
    return rc;
}

int hb_warn_config_defaults(hb_warn_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    hb_alert_rules_init(&cfg->rules);
    const hb_embedded_file *f =
        hb_embedded_find(hb_etc_files, hb_etc_files_count, "healthybay.conf");
    if (!f)
        return hb_error_set(HB_ERROR, "etc/healthybay.conf is missing from this build");
    return hb_warn_config_parse(cfg, "etc/healthybay.conf", f->data, f->size);
}

int hb_warn_config_load(hb_warn_config *cfg, const char *path)
{
    int rc = hb_warn_config_defaults(cfg);
    if (rc < 0 || !path)
        return rc;
    hb_ini *ini;
    rc = hb_ini_read_file(&ini, path);
    if (rc == 0)
        rc = apply(cfg, ini);
    hb_ini_free(ini);
    return rc;
}

const hb_warn_method *hb_warn_config_methods(const hb_warn_config *cfg, bool is_count, int freq,
                                             size_t *count)
{
    int k = is_count ? HB_KIND_COUNT : HB_KIND_RATE;
    int f = freq == 365 ? HB_FREQ_I_DAILY : freq == 52 ? HB_FREQ_I_WEEKLY : HB_FREQ_I_MONTHLY;
    *count = cfg->nmethods[k][f];
    return cfg->methods[k][f];
}
