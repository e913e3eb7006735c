/*
 * bulletin/doc.c — building the document model (see doc.h).
 */
#include "bulletin/doc_int.h"

#include <math.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

static char *dup_or_empty(const char *s)
{
    return hb_strdup(s ? s : "");
}

int hb_doc_new(hb_doc **out, const char *lang, const char *title, const char *subtitle)
{
    hb_doc *doc = hb_calloc(1, sizeof *doc);
    if (!doc)
        return HB_ENOMEM;
    doc->lang = dup_or_empty(lang);
    doc->title = dup_or_empty(title);
    doc->subtitle = dup_or_empty(subtitle);
    if (!doc->lang || !doc->title || !doc->subtitle) {
        hb_doc_free(doc);
        return HB_ENOMEM;
    }
    *out = doc;
    return 0;
}

static void block_dispose(doc_block *b)
{
    hb_free(b->text);
    hb_free(b->label);
    for (size_t i = 0; i < b->ncols; i++)
        hb_free(b->columns[i]);
    for (size_t i = 0; i < b->nrows * b->ncols; i++)
        hb_free(b->cells[i]);
    hb_free(b->columns);
    hb_free(b->align);
    hb_free(b->cells);
    for (size_t i = 0; i < b->npoints && b->x_labels; i++)
        hb_free(b->x_labels[i]);
    hb_free(b->x_labels);
    for (size_t i = 0; i < b->nlines; i++) {
        hb_free(b->lines[i].name);
        hb_free(b->lines[i].values);
    }
    hb_free(b->lines);
}

void hb_doc_free(hb_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nblocks; i++)
        block_dispose(&doc->blocks[i]);
    hb_free(doc->blocks);
    hb_free(doc->lang);
    hb_free(doc->title);
    hb_free(doc->subtitle);
    hb_free(doc);
}

static doc_block *add_block(hb_doc *doc, hb_block_kind kind)
{
    if (doc->nblocks == doc->cap) {
        size_t cap = doc->cap ? doc->cap * 2 : 16;
        doc_block *p = hb_reallocarray(doc->blocks, cap, sizeof *p);
        if (!p)
            return NULL;
        doc->blocks = p;
        doc->cap = cap;
    }
    doc_block *b = &doc->blocks[doc->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

static int add_text(hb_doc *doc, hb_block_kind kind, const char *text)
{
    doc_block *b = add_block(doc, kind);
    if (!b || !(b->text = dup_or_empty(text)))
        return HB_ENOMEM;
    return 0;
}

int hb_doc_heading(hb_doc *doc, const char *text)
{
    return add_text(doc, HB_BLOCK_HEADING, text);
}

int hb_doc_paragraph(hb_doc *doc, const char *text)
{
    return add_text(doc, HB_BLOCK_PARAGRAPH, text);
}

int hb_doc_table(hb_doc *doc, size_t ncols, const char *const *columns, const char *align)
{
    doc_block *b = add_block(doc, HB_BLOCK_TABLE);
    if (!b)
        return HB_ENOMEM;
    b->columns = hb_calloc(ncols, sizeof *b->columns);
    b->align = hb_calloc(ncols + 1, 1);
    if (!b->columns || !b->align)
        return HB_ENOMEM;
    b->ncols = ncols;
    for (size_t i = 0; i < ncols; i++) {
        if (!(b->columns[i] = dup_or_empty(columns[i])))
            return HB_ENOMEM;
        b->align[i] = align && align[i] == 'r' ? 'r' : 'l';
    }
    return 0;
}

static doc_block *last_of(hb_doc *doc, hb_block_kind kind)
{
    if (doc->nblocks == 0 || doc->blocks[doc->nblocks - 1].kind != kind) {
        hb_error_set(HB_EINVAL, "no %s to add to", kind == HB_BLOCK_TABLE ? "table" : "chart");
        return NULL;
    }
    return &doc->blocks[doc->nblocks - 1];
}

int hb_doc_table_row(hb_doc *doc, const char *const *cells)
{
    doc_block *b = last_of(doc, HB_BLOCK_TABLE);
    if (!b)
        return HB_EINVAL;
    if (b->nrows == b->cap_rows) {
        size_t cap = b->cap_rows ? b->cap_rows * 2 : 16;
        char **p = hb_reallocarray(b->cells, cap * b->ncols, sizeof *p);
        if (!p)
            return HB_ENOMEM;
        b->cells = p;
        b->cap_rows = cap;
    }
    char **row = b->cells + b->nrows * b->ncols;
    for (size_t i = 0; i < b->ncols; i++) {
        row[i] = cells[i] ? hb_strdup(cells[i]) : NULL;
        if (cells[i] && !row[i]) {
            for (size_t k = 0; k < i; k++)
                hb_free(row[k]);
            return HB_ENOMEM;
        }
    }
    b->nrows++;
    return 0;
}

int hb_doc_chart(hb_doc *doc, const char *title, const char *y_label, size_t npoints,
                 const char *const *x_labels)
{
    doc_block *b = add_block(doc, HB_BLOCK_CHART);
    if (!b || !(b->text = dup_or_empty(title)) || !(b->label = dup_or_empty(y_label)))
        return HB_ENOMEM;
    b->x_labels = hb_calloc(npoints ? npoints : 1, sizeof *b->x_labels);
    if (!b->x_labels)
        return HB_ENOMEM;
    b->npoints = npoints;
    for (size_t i = 0; i < npoints; i++)
        if (!(b->x_labels[i] = dup_or_empty(x_labels[i])))
            return HB_ENOMEM;
    return 0;
}

int hb_doc_chart_line(hb_doc *doc, const char *name, const double *values)
{
    doc_block *b = last_of(doc, HB_BLOCK_CHART);
    if (!b)
        return HB_EINVAL;
    doc_line *lines = hb_reallocarray(b->lines, b->nlines + 1, sizeof *lines);
    if (!lines)
        return HB_ENOMEM;
    b->lines = lines;
    doc_line *l = &b->lines[b->nlines];
    l->name = dup_or_empty(name);
    l->values = hb_mallocarray(b->npoints ? b->npoints : 1, sizeof *l->values);
    if (!l->name || !l->values) {
        hb_free(l->name);
        hb_free(l->values);
        return HB_ENOMEM;
    }
    if (b->npoints)
        memcpy(l->values, values, b->npoints * sizeof *values);
    b->nlines++;
    return 0;
}

void hb_doc__chart_scale(const doc_block *chart, double *max, double *step)
{
    double top = 0;
    for (size_t l = 0; l < chart->nlines; l++)
        for (size_t i = 0; i < chart->npoints; i++)
            if (!isnan(chart->lines[l].values[i]) && chart->lines[l].values[i] > top)
                top = chart->lines[l].values[i];
    if (top <= 0) {
        *max = 1;
        *step = 0.25;
        return;
    }
    /* A step of 1, 2 or 5 × 10^k giving four to eight ticks. */
    double raw = top / 5, mag = pow(10, floor(log10(raw))), s;
    double norm = raw / mag;
    s = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
    *step = s * mag;
    *max = ceil(top / *step) * *step;
}

int hb_doc_render(const hb_doc *doc, hb_doc_format format, hb_buf *out)
{
    switch (format) {
    case HB_DOC_JSON:
        return hb_doc__render_json(doc, out);
    case HB_DOC_HTML:
        return hb_doc__render_html(doc, out);
    case HB_DOC_PDF:
        return hb_doc__render_pdf(doc, out);
    }
    return hb_error_set(HB_EINVAL, "unknown document format");
}

int hb_doc_format_parse(hb_doc_format *out, const char *name)
{
    if (strcmp(name, "json") == 0)
        *out = HB_DOC_JSON;
    else if (strcmp(name, "html") == 0)
        *out = HB_DOC_HTML;
    else if (strcmp(name, "pdf") == 0)
        *out = HB_DOC_PDF;
    else
        return hb_error_set(HB_EINVAL, "unknown format '%s' (use json, html or pdf)", name);
    return 0;
}
