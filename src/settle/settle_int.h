/*
 * settle/settle_int.h — what the settlement sub-modules share and nobody else sees: the typed
 * CSV table loader behind every settlement import (reference data, members, rates), and the
 * item categories.
 *
 * A loader spec names a file kind, its table and its columns with types. Loading is two passes,
 * like warn/ingest: every field of every row is checked first (all bad fields are reported as
 * file:line:column, up to HB_REPORT_ERRORS_MAX), then — only for a clean file — each row is
 * compared with the stored row of the same key: new rows are inserted, identical ones left
 * alone, changed ones updated, or refused when the table is immutable (exchange rates). Values
 * are compared and bound as canonical text (integers in decimal, amounts in minor units), which
 * both databases convert to the column's type.
 */
#ifndef HB_SETTLE_SETTLE_INT_H
#define HB_SETTLE_SETTLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "settle/money.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/table.h"
#include "util/limits.h"

typedef enum hb_settle_coltype {
    HB_SCOL_TEXT,     /* required text up to HB_SETTLE_ID_MAX (names and sources: any length) */
    HB_SCOL_LONGTEXT, /* required text of any length */
    HB_SCOL_OPTTEXT,  /* optional text */
    HB_SCOL_INT,      /* required integer >= 0 */
    HB_SCOL_OPTINT,   /* optional integer >= 0 */
    HB_SCOL_DATE,     /* YYYY-MM-DD */
    HB_SCOL_OPTDATE,
    HB_SCOL_ENUM,   /* one of arg ('|'-separated) */
    HB_SCOL_AMOUNT, /* decimal with at most 2 places, >= 0; stored in minor units */
    HB_SCOL_OPTAMOUNT,
    HB_SCOL_RATE, /* positive decimal, stored as its canonical text */
    HB_SCOL_REF,  /* a code present in arg ("table.column") */
    HB_SCOL_OPTREF,
    HB_SCOL_JURISDICTIONS /* ';'-separated GD, HK, MO */
} hb_settle_coltype;

typedef struct hb_settle_col {
    const char *name;   /* in the file */
    const char *column; /* in the table */
    hb_settle_coltype type;
    const char *arg;
} hb_settle_col;

typedef struct hb_settle_spec {
    const char *kind; /* "payers", "rates" … */
    const char *table;
    const hb_settle_col *cols;
    size_t ncols;
    size_t nkeys;      /* the first nkeys columns identify a row */
    bool immutable;    /* a changed row is an error, not an update */
    const char *stamp; /* a column set to the current time on insert, or NULL */
    /* Checks across fields of one row (values in column order, NULL = empty); returns a reason
     * or NULL. */
    const char *(*check_row)(const char *const *values);
} hb_settle_spec;

typedef struct hb_settle_load_report {
    uint64_t rows, inserted, updated, unchanged;
    uint64_t nerrors;
    char *errors; /* the first HB_REPORT_ERRORS_MAX messages, one per line; owned */
} hb_settle_load_report;

/* Load CSV text into spec's table inside the caller's transaction. HB_EINVAL when rows were bad
 * (report->errors lists them; nothing written). dry_run checks only. */
int hb_settle__load(hb_store *store, const hb_settle_spec *spec, const char *name, const char *data,
                    size_t len, bool dry_run, hb_settle_load_report *report);
void hb_settle__load_report_dispose(hb_settle_load_report *report);

/* Check one field of the current CSV record as type (arg as in the spec) and append its
 * canonical text to out (nothing for an empty optional field; *empty set). Errors are recorded
 * with hb_csv_error (file:line:column). */
int hb_settle__field(hb_store *store, const hb_csv *csv, size_t field, hb_settle_coltype type,
                     const char *arg, hb_buf *out, bool *empty);

/* Lookups of the dated rules (rules.c). Each returns HB_ENOTFOUND with a message when nothing is
 * in effect. */
#define HB_SETTLE_CODE_LEN (HB_SETTLE_ID_MAX + 1)

typedef struct hb_settle_payer {
    char code[HB_SETTLE_CODE_LEN];
    char jurisdiction[3];
    char kind[20];
    char currency[4];
} hb_settle_payer;

typedef struct hb_settle_provider {
    char code[HB_SETTLE_CODE_LEN];
    char jurisdiction[3];
    char currency[4];
    char liaison[HB_SETTLE_CODE_LEN];
} hb_settle_provider;

/* Categories known to the code: the size of a rule set's item list. */
#define HB_SETTLE_CATEGORIES 10

typedef struct hb_settle_item_rule {
    char category[24];
    int64_t copay_bp;
    int64_t limit_minor; /* -1 = none */
    bool alone;
} hb_settle_item_rule;

typedef struct hb_settle_terms {
    char valid_from[11];
    char residents[16];
    int64_t claim_limit_minor; /* -1 = none */
    int64_t deadline_days;     /* -1 = none */
    hb_rounding rounding;
    hb_settle_item_rule items[HB_SETTLE_CATEGORIES];
    size_t nitems;
} hb_settle_terms;

typedef struct hb_settle_ehcv_rule {
    char valid_from[11];
    int64_t eligible_age, annual_minor, cap_minor;
    int64_t optometry_cap_minor; /* -1 = no sub-cap */
    int64_t optometry_cycle_years, optometry_cycle_anchor;
    int64_t face_value_minor;
    hb_rounding rounding;
} hb_settle_ehcv_rule;

typedef struct hb_settle_member {
    char residence[3];
    int64_t birth_year;
} hb_settle_member;

int hb_settle__payer(hb_store *store, const char *code, hb_settle_payer *out);
int hb_settle__provider(hb_store *store, const char *code, hb_settle_provider *out);
int hb_settle__terms_at(hb_store *store, const char *payer, hb_date date, hb_settle_terms *out);
int hb_settle__ehcv_rule_at(hb_store *store, hb_date date, hb_settle_ehcv_rule *out);
int hb_settle__service_point(hb_store *store, const char *provider, hb_date date, bool *designated);
int hb_settle__member_at(hb_store *store, const char *payer, const char *patient, hb_date date,
                         hb_settle_member *out);
/* The code of the voucher-scheme payer (HB_ENOTFOUND when none is configured). */
int hb_settle__voucher_payer(hb_store *store, char out[HB_SETTLE_CODE_LEN]);

/* Run a one-row query with text parameters; HB_STORE_ROW leaves st positioned on the row (the
 * caller finalizes st), HB_STORE_DONE finalizes it. */
int hb_settle__query_row(hb_store *store, hb_stmt **st, const char *sql, const char *const *params,
                         size_t nparams);

/* A listing whose columns in money_mask (bit i = column i, at most 32 columns) hold minor units
 * of the currency in column currency_col. */
typedef struct hb_settle_query {
    const char *sql;
    size_t ncols;
    const char *const *names;
    const hb_col_kind *kinds;
    uint32_t money_mask;
    size_t currency_col;
} hb_settle_query;

/* A new table for such columns, the money columns shown in style (money.h). */
int hb_settle__table_new(hb_table **out, size_t ncols, const char *const *names,
                         const hb_col_kind *kinds, uint32_t money_mask, hb_money_style style);
/* Run q with text parameters (NULL binds NULL) into a new table, amounts shown in style. */
int hb_settle__money_table(hb_store *store, const hb_settle_query *q, const char *const *params,
                           size_t nparams, hb_money_style style, hb_table **out);

/* The claim's item categories, as a hash input and a check (claims.c). */
#define HB_SETTLE_HEX_LEN 17
void hb_settle__hex(char out[HB_SETTLE_HEX_LEN], uint64_t h);

/* Claims internals shared by claims.c, import.c, adjudicate.c. */
struct hb_claim;
struct hb_settle_caller;
uint64_t hb_settle__claim_hash(const struct hb_claim *claim);
/* 1 (and *id) when the same claim is live already, 0 when its episode is free, HB_ECONFLICT when
 * another claim holds the episode. */
int hb_settle__compare_live(hb_store *store, const struct hb_claim *claim, const char *hash,
                            int64_t *id);
/* Store one checked claim in the caller's transaction: 1 when it was there already, 0 new. */
int hb_settle__store_claim(hb_store *store, const struct hb_settle_caller *caller,
                           const struct hb_claim *claim, int64_t *id);
/* The last date of a settled period (0 when none): nothing may be decided or reversed in it. */
int hb_settle__settled_through(hb_store *store, hb_date *out);
int hb_settle__claim_event(hb_store *store, int64_t claim_id, const char *organisation,
                           const char *action, const char *detail);

/* Voucher internals used by adjudication (voucher.c). */
typedef struct hb_settle_voucher {
    hb_settle_ehcv_rule rule; /* in force on the service date */
    int64_t balance_minor;
    int64_t optometry_left_minor; /* -1 = no sub-cap */
    const char *currency;         /* the fee's */
    hb_rate factor;               /* fee currency -> HKD; 1 for HKD */
    int64_t factor_id;            /* 0 for HKD */
} hb_settle_voucher;

/* Read the holder's voucher as it stands, under the holder's lock (taken by the caller). */
int hb_settle__voucher_load(hb_settle_voucher *v, hb_store *store, const char *payer,
                            const char *holder, hb_date service_date, const char *currency);
/* The HKD deduction for a fee part (minor units of v->currency). */
int hb_settle__voucher_deduction(const hb_settle_voucher *v, int64_t fee, int64_t *deduction);
/* The largest part of fee whose deduction fits in avail HKD, and that deduction (0 and 0 when
 * nothing fits). */
int hb_settle__voucher_fit(const hb_settle_voucher *v, int64_t fee, int64_t avail,
                           int64_t *fee_part, int64_t *deduction);

#endif
