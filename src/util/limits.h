/*
 * util/limits.h — every limit in healthybay, in one place, each with the reason for its value.
 *
 * A limit keeps bad or hostile input from exhausting memory or time. Each may be overridden at
 * build time (-DHB_CSV_FIELD_MAX=...); the checks at the end refuse overrides that would break the
 * relations the code relies on (sqliteLimit.h does the same).
 */
#ifndef HB_UTIL_LIMITS_H
#define HB_UTIL_LIMITS_H

/* One error message: long enough for "file:line:column: field 'x': reason" with a quoted value. */
#ifndef HB_ERROR_MESSAGE_MAX
#define HB_ERROR_MESSAGE_MAX 512
#endif

/* One CSV field. Surveillance values, codes and names are short; 64 KiB leaves room for free-text
 * comments without letting a missing closing quote swallow a whole file into one field. */
#ifndef HB_CSV_FIELD_MAX
#define HB_CSV_FIELD_MAX (64 * 1024)
#endif

/* Columns in one CSV record. The widest file we read (fluBYBW, 140 districts) has 143. */
#ifndef HB_CSV_FIELDS_MAX
#define HB_CSV_FIELDS_MAX 1024
#endif

/* One CSV record (all fields together). */
#ifndef HB_CSV_RECORD_MAX
#define HB_CSV_RECORD_MAX (1024 * 1024)
#endif

/* Bad lines reported for one rejected file: enough to fix a systematic error, not a flood. */
#ifndef HB_REPORT_ERRORS_MAX
#define HB_REPORT_ERRORS_MAX 100
#endif

/* Time points in one series: 100 years of daily data. */
#ifndef HB_SERIES_LENGTH_MAX
#define HB_SERIES_LENGTH_MAX 36525
#endif

/* Years of history Farrington-type methods look back (b). R allows any; 20 years of weekly data
 * is more than any surveillance system keeps consistent case definitions for. */
#ifndef HB_SURVEIL_YEARS_MAX
#define HB_SURVEIL_YEARS_MAX 20
#endif

/* Seasonal periods of Farrington flexible (noPeriods): one GLM coefficient each. Noufaily et al.
 * use 10; more than one per week of the year cannot be estimated. */
#ifndef HB_SURVEIL_PERIODS_MAX
#define HB_SURVEIL_PERIODS_MAX 52
#endif

/* Harmonics of the GLRNB / CUSUM seasonal baseline model (two GLM columns each). */
#ifndef HB_SURVEIL_HARMONICS_MAX
#define HB_SURVEIL_HARMONICS_MAX 8
#endif

/* Counts below this get their logarithms and powers from a table made once per detection
 * workspace (32 KiB a column) instead of computing them at every time point; larger counts are
 * computed as they come. */
#ifndef HB_SURVEIL_COUNT_TABLE
#define HB_SURVEIL_COUNT_TABLE 4096
#endif

/* Series in one input file: 10 million covers every region × disease × age group × measure of
 * the Greater Bay Area many times over; past it a file is more likely a mistake than a workload. */
#ifndef HB_SERIES_MAX
#define HB_SERIES_MAX 10000000
#endif

/* Default cap for a growable buffer that was given no explicit one (1 GiB). */
#ifndef HB_BUF_DEFAULT_MAX
#define HB_BUF_DEFAULT_MAX ((size_t)1 << 30)
#endif

/* A database URL or file path. */
#ifndef HB_PATH_MAX
#define HB_PATH_MAX 4096
#endif

/* Length of one SQL statement after placeholder rewriting; our statements are short and static. */
#ifndef HB_SQL_MAX
#define HB_SQL_MAX (64 * 1024)
#endif

/* Bound parameters in one prepared statement. */
#ifndef HB_SQL_PARAMS_MAX
#define HB_SQL_PARAMS_MAX 64
#endif

/* Posterior draws pooled per window by EpiEstim's uncertain_si (n1 * n2). The default is 25,000;
 * 10^7 doubles are 80 MB, the most one Rt estimate should hold in memory. */
#ifndef HB_RT_SAMPLES_MAX
#define HB_RT_SAMPLES_MAX 10000000
#endif

/* Sample trajectories behind one sampled forecast (the FluSight baseline, the renewal model).
 * The hubs use 1,000 to 100,000; above 10^6 the quantiles stop changing and only time is spent. */
#ifndef HB_FORECAST_SAMPLES_MAX
#define HB_FORECAST_SAMPLES_MAX 1000000
#endif

/* Forecast horizon in periods: 14 days covers the daily targets, 4 weeks and 12 months the others;
 * 104 periods (two years of weeks) is far beyond any useful forecast of case counts. */
#ifndef HB_FORECAST_HORIZON_MAX
#define HB_FORECAST_HORIZON_MAX 104
#endif

#if HB_ERROR_MESSAGE_MAX < 128
#error "HB_ERROR_MESSAGE_MAX must leave room for a file name, a position and a reason"
#endif
#if HB_CSV_FIELD_MAX > HB_CSV_RECORD_MAX
#error "a CSV field cannot be larger than a CSV record"
#endif
#if HB_CSV_FIELDS_MAX < 16
#error "HB_CSV_FIELDS_MAX is too small for the reference data files"
#endif
#if HB_RT_SAMPLES_MAX < 25000
#error "HB_RT_SAMPLES_MAX must allow EpiEstim's default uncertain_si (n1 = 500, n2 = 50)"
#endif
#if HB_FORECAST_HORIZON_MAX < 14
#error "HB_FORECAST_HORIZON_MAX must allow 14-day forecasts of daily data"
#endif

#endif
