/*
 * warn/config.h — the early-warning configuration: etc/healthybay.conf documents every setting;
 * the built-in defaults are exactly that file's values (a test keeps them equal).
 */
#ifndef HB_WARN_CONFIG_H
#define HB_WARN_CONFIG_H

#include "healthybay/forecast.h"
#include "healthybay/surveil.h"
#include "warn/alerts.h"

#define HB_WARN_METHODS_MAX 4

typedef enum hb_measure_kind { HB_KIND_COUNT, HB_KIND_RATE } hb_measure_kind;
typedef enum hb_freq_index { HB_FREQ_I_DAILY, HB_FREQ_I_WEEKLY, HB_FREQ_I_MONTHLY } hb_freq_index;

typedef struct hb_warn_method {
    char name[32]; /* the CLI name: "farrington-flexible" */
    hb_surveil_params params;
} hb_warn_method;

typedef struct hb_warn_config {
    int run_hour, run_minute;
    int lookback_years;
    int stale_periods;
    hb_warn_method methods[2][3][HB_WARN_METHODS_MAX]; /* [kind][frequency] */
    size_t nmethods[2][3];
    bool rt_enabled;
    int rt_window_days, rt_window_weeks;
    hb_forecast_model forecast_model;
    int horizon_days, horizon_weeks, horizon_months;
    hb_alert_rules rules;
    int reminder_hours;
} hb_warn_config;

/* The defaults (etc/healthybay.conf as shipped). */
int hb_warn_config_defaults(hb_warn_config *cfg);
/* The defaults, then the settings in the file at path; errors name file:line:column. */
int hb_warn_config_load(hb_warn_config *cfg, const char *path);
/* As hb_warn_config_load, from text (name is used in messages). */
int hb_warn_config_parse(hb_warn_config *cfg, const char *name, const char *text, size_t len);

/* The methods for a kind of measure at a frequency (365, 52 or 12). */
const hb_warn_method *hb_warn_config_methods(const hb_warn_config *cfg, bool is_count, int freq,
                                             size_t *count);

#endif
