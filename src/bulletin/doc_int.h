/*
 * bulletin/doc_int.h — the document's structure, shared by the renderers.
 */
#ifndef HB_BULLETIN_DOC_INT_H
#define HB_BULLETIN_DOC_INT_H

#include <stdbool.h>

#include "bulletin/doc.h"

typedef struct doc_line {
    char *name;
    double *values; /* npoints */
} doc_line;

typedef struct doc_block {
    hb_block_kind kind;
    char *text;  /* heading, paragraph, chart title */
    char *label; /* chart y label */
    /* table */
    size_t ncols, nrows, cap_rows;
    char **columns;
    char *align;  /* ncols chars, 'l' or 'r' */
    char **cells; /* nrows * ncols, NULL = empty */
    /* chart */
    size_t npoints, nlines;
    char **x_labels;
    doc_line *lines;
} doc_block;

struct hb_doc {
    char *lang, *title, *subtitle;
    doc_block *blocks;
    size_t nblocks, cap;
};

int hb_doc__render_json(const hb_doc *doc, hb_buf *out);
int hb_doc__render_html(const hb_doc *doc, hb_buf *out);
int hb_doc__render_pdf(const hb_doc *doc, hb_buf *out);

/* The chart's y-axis: a "nice" maximum and tick step covering every value (0 when no value). */
void hb_doc__chart_scale(const doc_block *chart, double *max, double *step);

#endif
