/*
 * bulletin/i18n.h — the words of a bulletin in English, simplified Chinese (GD), traditional
 * Chinese (HK, MO) and Portuguese (MO). Names of regions and diseases come from the reference
 * data instead; this table holds only the fixed text.
 */
#ifndef HB_BULLETIN_I18N_H
#define HB_BULLETIN_I18N_H

#include "util/buf.h"

typedef enum hb_msg {
    HB_MSG_TITLE_DAILY,
    HB_MSG_TITLE_WEEKLY,
    HB_MSG_GBA,
    HB_MSG_SUBTITLE,  /* {1} = the date, {2} = when it was generated */
    HB_MSG_SITUATION, /* section heading */
    HB_MSG_COUNTS,    /* section heading */
    HB_MSG_NO_DATA,   /* {1} = the date */
    HB_MSG_SUMMARY,   /* {1} = number of series, {2} = latest date */
    HB_MSG_RISING,    /* list intro */
    HB_MSG_COL_DISEASE,
    HB_MSG_COL_MEASURE,
    HB_MSG_COL_REGION,
    HB_MSG_COL_PERIOD,
    HB_MSG_COL_VALUE,
    HB_MSG_COL_PREVIOUS,
    HB_MSG_COL_CHANGE,
    HB_MSG_CHART_TITLE, /* {1} = disease, {2} = measure */
    HB_MSG_MEASURE_CASES,
    HB_MSG_MEASURE_DEATHS,
    HB_MSG_MEASURE_ADMISSIONS,
    HB_MSG_MEASURE_POSITIVES,
    HB_MSG_MEASURE_ILI_RATE,
    HB_MSG_MEASURE_POSITIVITY,
    HB_MSG_MEASURE_IMPORTED_CASES,
    HB_MSG_VACCINATION,       /* section heading */
    HB_MSG_VACCINATION_INTRO, /* {1} = the date */
    HB_MSG_COL_VACCINATED_IN,
    HB_MSG_COL_RESIDENTS_OF,
    HB_MSG_COL_ONE_DOSE,
    HB_MSG_COL_FULL_COURSE,
    HB_MSG_ALERTS,       /* section heading */
    HB_MSG_ALERTS_INTRO, /* {1} = the date */
    HB_MSG_NO_ALERTS,    /* {1} = the date */
    HB_MSG_COL_LEVEL,
    HB_MSG_COL_STATUS,
    HB_MSG_COL_SINCE,
    HB_MSG_COL_LATEST,
    HB_MSG_LEVEL_WATCH, /* the levels and statuses in warn/alerts.h's order */
    HB_MSG_LEVEL_WARNING,
    HB_MSG_LEVEL_ALERT,
    HB_MSG_STATUS_NEW,
    HB_MSG_STATUS_ASSESSING,
    HB_MSG_STATUS_CONFIRMED,
    HB_MSG_STATUS_DISMISSED,
    HB_MSG_STATUS_CLOSED,
    HB_MSG_RT,       /* section heading */
    HB_MSG_RT_INTRO, /* {1} = the date */
    HB_MSG_COL_WINDOW_END,
    HB_MSG_COL_RT,
    HB_MSG_COL_INTERVAL,
    HB_MSG_FORECASTS,       /* section heading */
    HB_MSG_FORECASTS_INTRO, /* {1} = the date */
    HB_MSG_COL_TARGET,
    HB_MSG_COL_MEDIAN,
    HB_MSG_COUNT
} hb_msg;

/* The languages, in the order of the table: en, zh-Hans, zh-Hant, pt. */
int hb_i18n_lang_index(const char *lang); /* -1 when unknown */
const char *hb_i18n(int lang_index, hb_msg msg);
/* The column suffix of reference-data names for the language: "en", "zh_hans", "zh_hant",
 * "pt". */
const char *hb_i18n_name_column(int lang_index);
/* Append a message with its placeholders {1} and {2} replaced by arg1 and arg2. Messages are
 * never printf formats, so a translation cannot break the program. */
int hb_i18n_fill(hb_buf *out, int lang_index, hb_msg msg, const char *arg1, const char *arg2);
/* A measure's name, or the code itself when it has none. */
const char *hb_i18n_measure(int lang_index, const char *measure);
/* An alert level (watch, warning, alert) or status (new, assessing …) in the language; the code
 * itself when unknown. */
const char *hb_i18n_alert_word(int lang_index, const char *code);

#endif
