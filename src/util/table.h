/*
 * util/table.h — a small result table and its three renderings, shared by every listing command:
 *
 *   table  aligned columns for a terminal (CJK characters counted as two columns)
 *   csv    RFC 4180, header row, for files and pipes
 *   json   an array of objects; integer and number columns are emitted as JSON numbers
 *
 * Cells are text (NULL = missing): a listing is read from the database as text anyway, and the
 * column kind decides the JSON type.
 */
#ifndef HB_UTIL_TABLE_H
#define HB_UTIL_TABLE_H

#include <stdio.h>

#include <jansson.h>

#include "util/buf.h"

typedef enum hb_col_kind { HB_COL_TEXT, HB_COL_INT, HB_COL_NUMBER } hb_col_kind;
typedef enum hb_format { HB_FORMAT_TABLE, HB_FORMAT_CSV, HB_FORMAT_JSON } hb_format;

typedef struct hb_table hb_table;

/* A table with ncols columns; names and kinds are copied. */
int hb_table_new(hb_table **out, size_t ncols, const char *const *names, const hb_col_kind *kinds);
void hb_table_free(hb_table *table);
/* Append a row of ncols cells (each copied; NULL = missing). */
int hb_table_add_row(hb_table *table, const char *const *cells);
size_t hb_table_row_count(const hb_table *table);
size_t hb_table_column_count(const hb_table *table);
const char *hb_table_column_name(const hb_table *table, size_t col);
/* Keep only the first rows rows (a page read one row long, to learn whether more follow). */
void hb_table_truncate(hb_table *table, size_t rows);
const char *hb_table_cell(const hb_table *table, size_t row, size_t col);

/* "table", "csv" or "json"; HB_EINVAL otherwise. */
int hb_format_parse(hb_format *out, const char *name);
/* The default: an aligned table on a terminal, CSV into a file or a pipe. */
hb_format hb_format_default(FILE *out);

int hb_table_write(const hb_table *table, hb_format format, FILE *out);
/* Append the rendering to buf (the server sends JSON tables as response bodies). */
int hb_table_render(const hb_table *table, hb_format format, hb_buf *buf);

/* The JSON rendering as a jansson array (NULL when out of memory): for documents that embed a
 * listing. */
json_t *hb_table_to_json(const hb_table *table);

/* Append one CSV field to buf, quoted when it contains a comma, quote, CR or LF. */
int hb_csv_put_field(hb_buf *buf, const char *text, size_t len);
/* Append text as a JSON string literal (with quotes) to buf. */
int hb_json_put_string(hb_buf *buf, const char *text, size_t len);

#endif
