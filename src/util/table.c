/*
 * util/table.c — result tables and their rendering (see table.h).
 */
#include "util/table.h"

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/utf8.h"

struct hb_table {
    size_t ncols;
    char **names;
    hb_col_kind *kinds;
    char **cells; /* row-major, rows * ncols */
    size_t rows;
    size_t cap_rows;
};

int hb_table_new(hb_table **out, size_t ncols, const char *const *names, const hb_col_kind *kinds)
{
    hb_table *t = hb_calloc(1, sizeof *t);
    if (!t)
        return HB_ENOMEM;
    t->ncols = ncols;
    t->names = hb_calloc(ncols, sizeof *t->names);
    t->kinds = hb_calloc(ncols, sizeof *t->kinds);
    if (!t->names || !t->kinds) {
        hb_table_free(t);
        return HB_ENOMEM;
    }
    for (size_t i = 0; i < ncols; i++) {
        t->names[i] = hb_strdup(names[i]);
        t->kinds[i] = kinds ? kinds[i] : HB_COL_TEXT;
        if (!t->names[i]) {
            hb_table_free(t);
            return HB_ENOMEM;
        }
    }
    *out = t;
    return 0;
}

void hb_table_free(hb_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->rows * t->ncols; i++)
        hb_free(t->cells[i]);
    for (size_t i = 0; t->names && i < t->ncols; i++)
        hb_free(t->names[i]);
    hb_free(t->cells);
    hb_free(t->names);
    hb_free(t->kinds);
    hb_free(t);
}

int hb_table_add_row(hb_table *t, const char *const *cells)
{
    if (t->rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 64;
        size_t n;
        if (!hb_size_mul(&n, cap, t->ncols))
            return hb_error_set(HB_ELIMIT, "table too large");
        char **p = hb_reallocarray(t->cells, n, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        t->cells = p;
        t->cap_rows = cap;
    }
    char **row = t->cells + t->rows * t->ncols;
    for (size_t i = 0; i < t->ncols; i++) {
        row[i] = NULL;
        if (cells[i] && !(row[i] = hb_strdup(cells[i]))) {
            for (size_t k = 0; k < i; k++)
                hb_free(row[k]);
            return HB_ENOMEM;
        }
    }
    t->rows++;
    return 0;
}

void hb_table_truncate(hb_table *t, size_t rows)
{
    for (; t->rows > rows; t->rows--)
        for (size_t c = 0; c < t->ncols; c++)
            hb_free(t->cells[(t->rows - 1) * t->ncols + c]);
}

size_t hb_table_row_count(const hb_table *t)
{
    return t->rows;
}

size_t hb_table_column_count(const hb_table *t)
{
    return t->ncols;
}

const char *hb_table_column_name(const hb_table *t, size_t col)
{
    return col < t->ncols ? t->names[col] : NULL;
}

const char *hb_table_cell(const hb_table *t, size_t row, size_t col)
{
    return t->cells[row * t->ncols + col];
}

int hb_format_parse(hb_format *out, const char *name)
{
    if (strcmp(name, "table") == 0)
        *out = HB_FORMAT_TABLE;
    else if (strcmp(name, "csv") == 0)
        *out = HB_FORMAT_CSV;
    else if (strcmp(name, "json") == 0)
        *out = HB_FORMAT_JSON;
    else
        return hb_error_set(HB_EINVAL, "unknown format '%s' (use table, csv or json)", name);
    return 0;
}

hb_format hb_format_default(FILE *out)
{
    return isatty(fileno(out)) ? HB_FORMAT_TABLE : HB_FORMAT_CSV;
}

int hb_csv_put_field(hb_buf *buf, const char *text, size_t len)
{
    if (!memchr(text, ',', len) && !memchr(text, '"', len) && !memchr(text, '\n', len) &&
        !memchr(text, '\r', len))
        return hb_buf_put(buf, text, len);
    int rc = hb_buf_putc(buf, '"');
    for (size_t i = 0; rc == 0 && i < len; i++)
        rc = text[i] == '"' ? hb_buf_put(buf, "\"\"", 2) : hb_buf_putc(buf, text[i]);
    return rc == 0 ? hb_buf_putc(buf, '"') : rc;
}

/* Bytes that go into a JSON string as they are: everything but '"', '\\' and controls. */
static bool json_plain(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '\\';
}

int hb_json_put_string(hb_buf *buf, const char *text, size_t len)
{
    int rc = hb_buf_putc(buf, '"');
    size_t i = 0;
    while (rc == 0 && i < len) {
        size_t run = i;
        while (run < len && json_plain((unsigned char)text[run]))
            run++;
        if (run > i) { /* a run of plain bytes in one copy: most strings are one run */
            rc = hb_buf_put(buf, text + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = (unsigned char)text[i++];
        if (c == '"' || c == '\\')
            rc = hb_buf_printf(buf, "\\%c", c);
        else if (c == '\n')
            rc = hb_buf_puts(buf, "\\n");
        else if (c == '\t')
            rc = hb_buf_puts(buf, "\\t");
        else if (c == '\r')
            rc = hb_buf_puts(buf, "\\r");
        else
            rc = hb_buf_printf(buf, "\\u%04x", c);
    }
    return rc == 0 ? hb_buf_putc(buf, '"') : rc;
}

static size_t width_of(const char *s)
{
    return s ? hb_utf8_width(s, strlen(s)) : 0;
}

static int pad(hb_buf *b, size_t n)
{
    int rc = 0;
    while (rc == 0 && n--)
        rc = hb_buf_putc(b, ' ');
    return rc;
}

/* One cell padded to width; numbers align right. */
static int put_aligned(hb_buf *b, const char *s, size_t width, bool right)
{
    size_t w = width_of(s);
    int rc = right ? pad(b, width - w) : 0;
    if (rc == 0 && s)
        rc = hb_buf_puts(b, s);
    if (rc == 0 && !right)
        rc = pad(b, width - w);
    return rc;
}

static int render_table(const hb_table *t, hb_buf *b)
{
    size_t *w = hb_calloc(t->ncols, sizeof *w);
    if (!w)
        return HB_ENOMEM;
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = width_of(t->names[c]);
        for (size_t r = 0; r < t->rows; r++) {
            size_t cw = width_of(hb_table_cell(t, r, c));
            w[c] = cw > w[c] ? cw : w[c];
        }
    }
    int rc = 0;
    for (size_t r = 0; rc == 0 && r <= t->rows; r++) { /* r == 0 is the header */
        for (size_t c = 0; rc == 0 && c < t->ncols; c++) {
            const char *s = r == 0 ? t->names[c] : hb_table_cell(t, r - 1, c);
            bool last = c + 1 == t->ncols;
            bool right = r > 0 && t->kinds[c] != HB_COL_TEXT;
            rc = last && !right ? hb_buf_puts(b, s ? s : "") : put_aligned(b, s, w[c], right);
            if (rc == 0 && !last)
                rc = hb_buf_puts(b, "  ");
        }
        if (rc == 0)
            rc = hb_buf_putc(b, '\n');
    }
    hb_free(w);
    return rc;
}

static int render_csv(const hb_table *t, hb_buf *b)
{
    int rc = 0;
    for (size_t r = 0; rc == 0 && r <= t->rows; r++) {
        for (size_t c = 0; rc == 0 && c < t->ncols; c++) {
            const char *s = r == 0 ? t->names[c] : hb_table_cell(t, r - 1, c);
            if (c > 0)
                rc = hb_buf_putc(b, ',');
            if (rc == 0 && s)
                rc = hb_csv_put_field(b, s, strlen(s));
        }
        if (rc == 0)
            rc = hb_buf_putc(b, '\n');
    }
    return rc;
}

static int render_json(const hb_table *t, hb_buf *b)
{
    int rc = hb_buf_putc(b, '[');
    for (size_t r = 0; rc == 0 && r < t->rows; r++) {
        rc = hb_buf_puts(b, r ? ",\n {" : "\n {");
        for (size_t c = 0; rc == 0 && c < t->ncols; c++) {
            const char *s = hb_table_cell(t, r, c);
            if (c > 0)
                rc = hb_buf_puts(b, ", ");
            if (rc == 0)
                rc = hb_json_put_string(b, t->names[c], strlen(t->names[c]));
            if (rc == 0)
                rc = hb_buf_puts(b, ": ");
            if (rc == 0 && (!s || (!*s && t->kinds[c] != HB_COL_TEXT)))
                rc = hb_buf_puts(b, "null");
            else if (rc == 0 && t->kinds[c] != HB_COL_TEXT)
                rc = hb_buf_puts(b, s);
            else if (rc == 0)
                rc = hb_json_put_string(b, s, strlen(s));
        }
        if (rc == 0)
            rc = hb_buf_putc(b, '}');
    }
    return rc == 0 ? hb_buf_puts(b, t->rows ? "\n]\n" : "]\n") : rc;
}

int hb_table_render(const hb_table *t, hb_format format, hb_buf *b)
{
    return format == HB_FORMAT_TABLE ? render_table(t, b)
           : format == HB_FORMAT_CSV ? render_csv(t, b)
                                     : render_json(t, b);
}

int hb_table_write(const hb_table *t, hb_format format, FILE *out)
{
    hb_buf b;
    hb_buf_init(&b, 0);
    int rc = hb_table_render(t, format, &b);
    if (rc == 0 && fwrite(b.ptr, 1, b.len, out) != b.len)
        rc = hb_error_set(HB_ERROR, "cannot write output");
    hb_buf_dispose(&b);
    return rc;
}

json_t *hb_table_to_json(const hb_table *table)
{
    hb_buf text;
    hb_buf_init(&text, 0);
    json_t *doc = NULL;
    if (hb_table_render(table, HB_FORMAT_JSON, &text) == 0)
        doc = json_loadb(text.ptr, text.len, 0, NULL);
    hb_buf_dispose(&text);
    return doc;
}
