/*
 * warn/ingest.h — accepting surveillance counts: a file or request body of
 *
 *     date,region,disease,measure,value[,age_group][,sex]
 *
 * is checked whole against the reference data and written in one transaction, or rejected whole
 * with every bad line named (up to HB_REPORT_ERRORS_MAX messages; all are counted).
 *
 * Re-sending the same data changes nothing. A different value for a (region, disease, measure,
 * age group, sex, date) that is already stored is a correction: the stored value moves to the
 * revision history and the new one becomes current with the next revision number. Reporting
 * delays and back-fill are normal in surveillance, so nothing is ever overwritten silently.
 *
 * Rules per field: date YYYY-MM-DD; region and disease are reference codes (`healthybay regions`,
 * `healthybay diseases`), and a region must belong to opt->jurisdiction when that is set (an
 * organisation reports for its own jurisdiction); measure is a known measure — counts (cases,
 * deaths, admissions, positives) are non-negative whole numbers, rates (ili_rate, positivity) are
 * non-negative numbers, positivity at most 100; age_group is `all` (the default), `A-B` or `A+`;
 * sex is all (the default), female, male or unknown. One row per key and date in a file.
 */
#ifndef HB_WARN_INGEST_H
#define HB_WARN_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Progress of a long ingestion: phase "checking" counts bytes read of the input (total 0 when
 * unknown, e.g. a pipe); phase "writing" counts rows written of the rows accepted. */
typedef void (*hb_ingest_progress_fn)(const char *phase, uint64_t done, uint64_t total,
                                      void *payload);

typedef struct hb_ingest_options {
    const char *source;       /* recorded with the batch: a file name, "api"… (required) */
    const char *organisation; /* recorded with the batch; NULL when unknown */
    const char *jurisdiction; /* GD, HK or MO: only its regions are accepted; NULL = any */
    bool dry_run;             /* check everything, write nothing */
    hb_ingest_progress_fn progress;
    void *payload;
} hb_ingest_options;

typedef struct hb_ingest_report {
    uint64_t rows;      /* data rows read */
    uint64_t inserted;  /* new (key, date) values */
    uint64_t revised;   /* corrections of stored values */
    uint64_t unchanged; /* identical to what was stored */
    int64_t batch_id;   /* 0 for a dry run or a rejection */
    uint64_t nerrors;   /* bad fields found; the file was rejected when > 0 */
    char *errors;       /* the first HB_REPORT_ERRORS_MAX of them, one per line; owned */
    char foreign[8];    /* with opt->jurisdiction: the first other jurisdiction whose region
                         * was reported (a question of rights, not of a bad field); else "" */
} hb_ingest_report;

/*
 * Ingest a CSV file ("-" = standard input) or CSV text in memory (name is used in messages).
 * Returns 0 when the data was accepted; HB_EINVAL when rows were bad (report->errors says which,
 * and nothing was written); another code for database or I/O failures. Runs in the caller's
 * transaction when one is open (then a failure leaves rolling back to the caller), else in its
 * own.
 * The report is filled in every case; release it with hb_ingest_report_dispose().
 */
int hb_ingest_file(hb_store *store, const char *path, const hb_ingest_options *opt,
                   hb_ingest_report *report);
int hb_ingest_memory(hb_store *store, const char *name, const char *data, size_t len,
                     const hb_ingest_options *opt, hb_ingest_report *report);

void hb_ingest_report_dispose(hb_ingest_report *report);

#endif
