/*
 * util/csv.h — a streaming RFC 4180 CSV reader that knows where it is.
 *
 * Every error names the input, the line and the column (in characters, 1-based) where the problem
 * starts, so a user can go straight to it:  counts.csv:1043:17: field 'value': not a number.
 *
 * What it accepts: comma-separated fields; fields may be quoted with '"' and then contain commas,
 * line breaks and doubled quotes; records end with LF or CRLF; a UTF-8 byte-order mark at the start
 * is skipped; completely empty lines are skipped. What it rejects: a quote inside an unquoted
 * field, text after a closing quote, an unterminated quote, NUL bytes, invalid UTF-8, and any
 * field, record or field count beyond util/limits.h. After hb_csv_read_header(), every record must
 * have as many fields as the header.
 *
 * Memory: one record is held at a time; field pointers are valid until the next hb_csv_next().
 */
#ifndef HB_UTIL_CSV_H
#define HB_UTIL_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

typedef struct hb_csv hb_csv;

/* Open a file ("-" reads standard input, named "<stdin>"). */
int hb_csv_open_file(hb_csv **out, const char *path);
/* Read from memory; data is borrowed and must outlive the reader. name is used in messages. */
int hb_csv_open_memory(hb_csv **out, const char *name, const char *data, size_t len);
/* Close; hb_csv_free(NULL) is a no-op. */
void hb_csv_free(hb_csv *csv);

/* Read the next record: 1 when there is one, 0 at the end of the input, < 0 on error. */
int hb_csv_next(hb_csv *csv);
size_t hb_csv_nfields(const hb_csv *csv);
/* Field i of the current record, NUL-terminated; *len (if not NULL) gets its length. */
const char *hb_csv_field(const hb_csv *csv, size_t i, size_t *len);
/* Line on which the current record starts. */
unsigned long hb_csv_line(const hb_csv *csv);
/* Column (characters, 1-based) at which field i of the current record starts. */
unsigned long hb_csv_column(const hb_csv *csv, size_t i);
const char *hb_csv_name(const hb_csv *csv);

/*
 * Read the first record as the header. Fails on empty input, on an empty or duplicated column
 * name. Later records must have the header's number of fields.
 */
int hb_csv_read_header(hb_csv *csv);
size_t hb_csv_header_count(const hb_csv *csv);
const char *hb_csv_header_name(const hb_csv *csv, size_t i);
/* Index of the column named name, or -1. */
long hb_csv_find(const hb_csv *csv, const char *name);

/*
 * Record an error about field i of the current record and return HB_EINVAL:
 *     "<name>:<line>:<column>: field '<header name>': <reason>"
 */
int hb_csv_error(const hb_csv *csv, size_t field, const char *fmt, ...) HB_PRINTF(3, 4);

/* Input consumed so far and its total size (0 when unknown, e.g. a pipe): for progress bars. */
uint64_t hb_csv_bytes_read(const hb_csv *csv);
uint64_t hb_csv_bytes_total(const hb_csv *csv);

#endif
