/*
 * bulletin/doc.h — a small document model for bulletins: a title and a list of blocks
 * (headings, paragraphs, tables, charts), rendered to JSON, HTML (inline SVG charts) and PDF
 * (cairo + pango, with Noto CJK fonts for Chinese).
 *
 * Section builders fill a document; renderers never look at the database. Every string is UTF-8
 * and is copied into the document.
 */
#ifndef HB_BULLETIN_DOC_H
#define HB_BULLETIN_DOC_H

#include <stddef.h>

#include "util/buf.h"

typedef enum hb_block_kind {
    HB_BLOCK_HEADING,
    HB_BLOCK_PARAGRAPH,
    HB_BLOCK_TABLE,
    HB_BLOCK_CHART
} hb_block_kind;

typedef enum hb_doc_format { HB_DOC_JSON, HB_DOC_HTML, HB_DOC_PDF } hb_doc_format;

typedef struct hb_doc hb_doc;

/* lang is a BCP 47 tag (en, zh-Hans, zh-Hant, pt): it picks the fonts and the HTML lang. */
int hb_doc_new(hb_doc **out, const char *lang, const char *title, const char *subtitle);
void hb_doc_free(hb_doc *doc);

int hb_doc_heading(hb_doc *doc, const char *text);
int hb_doc_paragraph(hb_doc *doc, const char *text);

/* A table: start it with its column names, add rows of ncols cells (NULL = empty). Columns
 * whose align is 'r' are right-aligned (numbers). */
int hb_doc_table(hb_doc *doc, size_t ncols, const char *const *columns, const char *align);
int hb_doc_table_row(hb_doc *doc, const char *const *cells);

/*
 * A line chart: npoints x labels (dates) shared by its lines; add each line with its name and
 * values (NAN = no point). The chart is attached to the document's last block position.
 */
int hb_doc_chart(hb_doc *doc, const char *title, const char *y_label, size_t npoints,
                 const char *const *x_labels);
int hb_doc_chart_line(hb_doc *doc, const char *name, const double *values);

/* Render the whole document, appending to out. */
int hb_doc_render(const hb_doc *doc, hb_doc_format format, hb_buf *out);

/* "json", "html" or "pdf". */
int hb_doc_format_parse(hb_doc_format *out, const char *name);

#endif
