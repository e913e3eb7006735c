/*
 * util/csv.c — the CSV reader.
 *
 * The input is read in 64 KiB blocks (or used in place, for memory input) and scanned one byte at a
 * time by a small state machine:
 *
 *     FIELD_START --'"'--> QUOTED --'"'--> QUOTE_IN_QUOTED --'"'--> QUOTED (a doubled quote)
 *         |                                       |
 *         +--other--> UNQUOTED                    +--','/EOL--> next field / end of record
 *
 * The current record's fields are stored back to back, each NUL-terminated, in one growable
 * buffer; offsets[] and columns[] say where each field starts in the buffer and on its line.
 */
#include "util/csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/utf8.h"

#define CSV_BLOCK (64 * 1024)

struct hb_csv {
    char *name;
    FILE *file;      /* NULL for memory input */
    bool close_file; /* false for stdin */
    const char *in;  /* current input block */
    size_t in_len;
    size_t in_pos;
    char *block; /* owned block for file input */
    bool eof;
    uint64_t bytes_read;
    uint64_t bytes_total;

    unsigned long line;   /* line of the next byte */
    unsigned long column; /* character column of the next byte */
    bool at_start;        /* nothing read yet: a BOM may follow */

    hb_buf record; /* the fields, each NUL-terminated */
    size_t *offsets;
    unsigned long *columns;
    size_t nfields;
    unsigned long record_line;

    char **header;
    size_t header_count;
};

static int open_common(hb_csv **out, const char *name)
{
    hb_csv *csv = hb_calloc(1, sizeof *csv);
    if (!csv)
        return HB_ENOMEM;
    csv->name = hb_strdup(name);
    csv->offsets = hb_mallocarray(HB_CSV_FIELDS_MAX, sizeof *csv->offsets);
    csv->columns = hb_mallocarray(HB_CSV_FIELDS_MAX, sizeof *csv->columns);
    if (!csv->name || !csv->offsets || !csv->columns) {
        hb_csv_free(csv);
        return HB_ENOMEM;
    }
    hb_buf_init(&csv->record, HB_CSV_RECORD_MAX);
    csv->line = 1;
    csv->column = 1;
    csv->at_start = true;
    *out = csv;
    return 0;
}

int hb_csv_open_memory(hb_csv **out, const char *name, const char *data, size_t len)
{
    int rc = open_common(out, name);
    if (rc < 0)
        return rc;
    (*out)->in = data;
    (*out)->in_len = len;
    (*out)->eof = true; /* there is no further block */
    (*out)->bytes_total = len;
    return 0;
}

int hb_csv_open_file(hb_csv **out, const char *path)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return hb_error_set(HB_ENOTFOUND, "%s: cannot open: %s", path, strerror(errno));
    int rc = open_common(out, is_stdin ? "<stdin>" : path);
    if (rc < 0) {
        if (!is_stdin)
            fclose(f);
        return rc;
    }
    hb_csv *csv = *out;
    csv->file = f;
    csv->close_file = !is_stdin;
    csv->block = hb_malloc(CSV_BLOCK);
    if (!csv->block) {
        hb_csv_free(csv);
        *out = NULL;
        return HB_ENOMEM;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
        csv->bytes_total = (uint64_t)st.st_size;
    return 0;
}

void hb_csv_free(hb_csv *csv)
{
    if (!csv)
        return;
    if (csv->close_file)
        fclose(csv->file);
    for (size_t i = 0; i < csv->header_count; i++)
        hb_free(csv->header[i]);
    hb_free(csv->header);
    hb_buf_dispose(&csv->record);
    hb_free(csv->offsets);
    hb_free(csv->columns);
    hb_free(csv->block);
    hb_free(csv->name);
    hb_free(csv);
}

/* Refill the input block; returns 1 when bytes are available, 0 at the end, < 0 on error. */
static int refill(hb_csv *csv)
{
    if (csv->in_pos < csv->in_len)
        return 1;
    if (csv->eof)
        return 0;
    size_t n = fread(csv->block, 1, CSV_BLOCK, csv->file);
    if (n == 0) {
        if (ferror(csv->file))
            return hb_error_set(HB_ERROR, "%s:%lu: read error: %s", csv->name, csv->line,
                                strerror(errno));
        csv->eof = true;
        return 0;
    }
    csv->in = csv->block;
    csv->in_len = n;
    csv->in_pos = 0;
    return 1;
}

/* Next byte, or -1 at the end of input, or -2 on a read error. Tracks line and column. */
static int get_byte(hb_csv *csv)
{
    int rc = refill(csv);
    if (rc <= 0)
        return rc == 0 ? -1 : -2;
    unsigned char c = (unsigned char)csv->in[csv->in_pos++];
    csv->bytes_read++;
    if (c == '\n') {
        csv->line++;
        csv->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        csv->column++; /* UTF-8 continuation bytes do not start a character */
    }
    return c;
}

/* Peek at the next byte without consuming it; -1 at the end. */
static int peek_byte(hb_csv *csv)
{
    int rc = refill(csv);
    if (rc <= 0)
        return rc == 0 ? -1 : -2;
    return (unsigned char)csv->in[csv->in_pos];
}

static int error_at(hb_csv *csv, int code, unsigned long line, unsigned long column,
                    const char *fmt, ...) HB_PRINTF(5, 6);

static int error_at(hb_csv *csv, int code, unsigned long line, unsigned long column,
                    const char *fmt, ...)
{
    char reason[HB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return hb_error_set(code, "%s:%lu:%lu: %s", csv->name, line, column, reason);
}

/* Close the current field: NUL-terminate it and check its encoding. */
static int end_field(hb_csv *csv, size_t start)
{
    int rc = hb_buf_putc(&csv->record, '\0');
    if (rc < 0)
        return rc == HB_ELIMIT ? error_at(csv, HB_ELIMIT, csv->record_line, 1,
                                          "record longer than %d bytes", HB_CSV_RECORD_MAX)
                               : rc;
    size_t len = csv->record.len - 1 - start;
    if (len > HB_CSV_FIELD_MAX)
        return error_at(csv, HB_ELIMIT, csv->record_line, csv->columns[csv->nfields],
                        "field longer than %d bytes", HB_CSV_FIELD_MAX);
    size_t bad = hb_utf8_invalid_at(csv->record.ptr + start, len);
    if (bad != SIZE_MAX)
        return error_at(csv, HB_EINVAL, csv->record_line, csv->columns[csv->nfields],
                        "field %zu is not valid UTF-8 (byte %zu)", csv->nfields + 1, bad + 1);
    csv->nfields++;
    return 0;
}

static int begin_field(hb_csv *csv, size_t *start)
{
    if (csv->nfields >= HB_CSV_FIELDS_MAX)
        return error_at(csv, HB_ELIMIT, csv->line, csv->column, "more than %d fields",
                        HB_CSV_FIELDS_MAX);
    *start = csv->record.len;
    csv->offsets[csv->nfields] = *start;
    csv->columns[csv->nfields] = csv->column;
    return 0;
}

static int put(hb_csv *csv, int c)
{
    int rc = hb_buf_putc(&csv->record, (char)c);
    if (rc == HB_ELIMIT)
        return error_at(csv, HB_ELIMIT, csv->record_line, 1, "record longer than %d bytes",
                        HB_CSV_RECORD_MAX);
    return rc;
}

/* Skip a UTF-8 byte-order mark at the very start of the input. */
static void skip_bom(hb_csv *csv)
{
    csv->at_start = false;
    if (refill(csv) <= 0 || csv->in_len - csv->in_pos < 3)
        return;
    const unsigned char *p = (const unsigned char *)csv->in + csv->in_pos;
    if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        csv->in_pos += 3;
        csv->bytes_read += 3;
    }
}

/* Read a quoted field (the opening quote is consumed). */
static int read_quoted(hb_csv *csv, unsigned long qline, unsigned long qcol)
{
    for (;;) {
        int c = get_byte(csv);
        if (c == -2)
            return HB_ERROR;
        if (c == -1)
            return error_at(csv, HB_EINVAL, qline, qcol,
                            "quoted field is never closed (missing '\"')");
        if (c == 0)
            return error_at(csv, HB_EINVAL, csv->line, csv->column - 1, "NUL byte in input");
        if (c == '"') {
            if (peek_byte(csv) != '"')
                return 0;
            get_byte(csv); /* a doubled quote stands for one */
        }
        int rc = put(csv, c);
        if (rc < 0)
            return rc;
    }
}

/*
 * Read one record into csv->record. Returns 1 for a record, 0 at the end of the input (or when
 * only blank lines remain), < 0 on error.
 */
static int read_record(hb_csv *csv)
{
    if (csv->at_start)
        skip_bom(csv);
    hb_buf_reset(&csv->record);
    csv->nfields = 0;
    for (;;) { /* skip blank lines */
        int c = peek_byte(csv);
        if (c == -2)
            return HB_ERROR;
        if (c == -1)
            return 0;
        if (c == '\n') {
            get_byte(csv);
            continue;
        }
        if (c == '\r') {
            get_byte(csv);
            if (peek_byte(csv) == '\n')
                get_byte(csv);
            continue;
        }
        break;
    }
    csv->record_line = csv->line;
    size_t start;
    int rc = begin_field(csv, &start);
    if (rc < 0)
        return rc;
    for (;;) {
        unsigned long col = csv->column;
        int c = get_byte(csv);
        if (c == -2)
            return HB_ERROR;
        if (c == 0)
            return error_at(csv, HB_EINVAL, csv->line, col, "NUL byte in input");
        if (c == '"') {
            if (csv->record.len != start)
                return error_at(csv, HB_EINVAL, csv->line, col,
                                "'\"' inside an unquoted field (quote the whole field and "
                                "double the quote)");
            rc = read_quoted(csv, csv->line, col);
            if (rc < 0)
                return rc;
            int next = peek_byte(csv);
            if (next != ',' && next != '\n' && next != '\r' && next != -1)
                return error_at(csv, HB_EINVAL, csv->line, csv->column,
                                "text after the closing '\"' of a quoted field");
            continue;
        }
        if (c == ',' || c == '\n' || c == '\r' || c == -1) {
            rc = end_field(csv, start);
            if (rc < 0)
                return rc;
            if (c == ',') {
                rc = begin_field(csv, &start);
                if (rc < 0)
                    return rc;
                continue;
            }
            if (c == '\r' && peek_byte(csv) == '\n')
                get_byte(csv);
            return 1;
        }
        rc = put(csv, c);
        if (rc < 0)
            return rc;
    }
}

int hb_csv_next(hb_csv *csv)
{
    int rc = read_record(csv);
    if (rc <= 0)
        return rc;
    if (csv->header && csv->nfields != csv->header_count)
        return error_at(csv, HB_EINVAL, csv->record_line, 1,
                        "expected %zu fields (as in the header), found %zu", csv->header_count,
                        csv->nfields);
    return 1;
}

size_t hb_csv_nfields(const hb_csv *csv)
{
    return csv->nfields;
}

const char *hb_csv_field(const hb_csv *csv, size_t i, size_t *len)
{
    if (i >= csv->nfields) {
        if (len)
            *len = 0;
        return "";
    }
    const char *p = csv->record.ptr + csv->offsets[i];
    if (len) {
        size_t end = i + 1 < csv->nfields ? csv->offsets[i + 1] - 1 : csv->record.len - 1;
        *len = end - csv->offsets[i];
    }
    return p;
}

unsigned long hb_csv_line(const hb_csv *csv)
{
    return csv->record_line;
}

unsigned long hb_csv_column(const hb_csv *csv, size_t i)
{
    return i < csv->nfields ? csv->columns[i] : 1;
}

const char *hb_csv_name(const hb_csv *csv)
{
    return csv->name;
}

int hb_csv_read_header(hb_csv *csv)
{
    int rc = read_record(csv);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return hb_error_set(HB_EINVAL, "%s: empty file (expected a header line)", csv->name);
    csv->header = hb_calloc(csv->nfields, sizeof *csv->header);
    if (!csv->header)
        return HB_ENOMEM;
    for (size_t i = 0; i < csv->nfields; i++) {
        size_t len;
        const char *name = hb_csv_field(csv, i, &len);
        if (len == 0)
            return error_at(csv, HB_EINVAL, csv->record_line, csv->columns[i],
                            "column %zu of the header has no name", i + 1);
        for (size_t k = 0; k < i; k++)
            if (strcmp(csv->header[k], name) == 0)
                return error_at(csv, HB_EINVAL, csv->record_line, csv->columns[i],
                                "column '%s' appears twice in the header", name);
        csv->header[i] = hb_strdup(name);
        if (!csv->header[i])
            return HB_ENOMEM;
        csv->header_count = i + 1;
    }
    return 0;
}

size_t hb_csv_header_count(const hb_csv *csv)
{
    return csv->header_count;
}

const char *hb_csv_header_name(const hb_csv *csv, size_t i)
{
    return i < csv->header_count ? csv->header[i] : "";
}

long hb_csv_find(const hb_csv *csv, const char *name)
{
    for (size_t i = 0; i < csv->header_count; i++)
        if (strcmp(csv->header[i], name) == 0)
            return (long)i;
    return -1;
}

int hb_csv_error(const hb_csv *csv, size_t field, const char *fmt, ...)
{
    char reason[HB_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (field < csv->header_count)
        return hb_error_set(HB_EINVAL, "%s:%lu:%lu: field '%s': %s", csv->name, csv->record_line,
                            hb_csv_column(csv, field), csv->header[field], reason);
    return hb_error_set(HB_EINVAL, "%s:%lu:%lu: %s", csv->name, csv->record_line,
                        hb_csv_column(csv, field), reason);
}

uint64_t hb_csv_bytes_read(const hb_csv *csv)
{
    return csv->bytes_read;
}

uint64_t hb_csv_bytes_total(const hb_csv *csv)
{
    return csv->bytes_total;
}
