/*
 * bulletin/render_pdf.c — the document as an A4 PDF through cairo and pango.
 *
 * Text goes through pango, so Chinese is shaped and set in Noto Sans CJK (simplified or
 * traditional forms chosen by the document's language) and long lines wrap. Layout is a single
 * cursor moving down the page: every block measures itself first and starts a new page when it
 * does not fit; a table that spans pages repeats its header.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "bulletin/doc_int.h"
#include "util/error.h"

#define PAGE_W    595.28
#define PAGE_H    841.89
#define MARGIN    50.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define CHART_H   190.0

typedef struct pdf {
    cairo_t *cr;
    const char *family;
    double y;
    int page;
} pdf;

static cairo_status_t write_to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return hb_buf_put(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Noto CJK carries Latin too; the region variant decides simplified or traditional glyphs. */
static const char *family_for(const char *lang)
{
    if (strcmp(lang, "zh-Hant") == 0)
        return "Noto Sans CJK TC";
    if (strcmp(lang, "zh-Hans") == 0)
        return "Noto Sans CJK SC";
    return "Noto Sans CJK SC";
}

static PangoLayout *layout_text(pdf *p, const char *text, double size, bool bold, double width)
{
    PangoLayout *layout = pango_cairo_create_layout(p->cr);
    PangoFontDescription *font = pango_font_description_new();
    pango_font_description_set_family(font, p->family);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    if (width > 0)
        pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout, text ? text : "", -1);
    return layout;
}

static double layout_height(PangoLayout *layout)
{
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    return (double)h / PANGO_SCALE;
}

static double layout_width(PangoLayout *layout)
{
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    return (double)w / PANGO_SCALE;
}

static void draw_layout(pdf *p, PangoLayout *layout, double x, double y)
{
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, layout);
}

static void footer(pdf *p)
{
    char n[16];
    snprintf(n, sizeof n, "%d", p->page);
    PangoLayout *l = layout_text(p, n, 8, false, 0);
    cairo_set_source_rgb(p->cr, 0.45, 0.45, 0.45);
    draw_layout(p, l, PAGE_W / 2 - layout_width(l) / 2, PAGE_H - MARGIN / 2 - 6);
    g_object_unref(l);
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
}

/* Start a new page when height more points do not fit. */
static void need(pdf *p, double height)
{
    if (p->y + height <= PAGE_H - MARGIN)
        return;
    footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
}

static void text_block(pdf *p, const char *text, double size, bool bold, double space_after)
{
    PangoLayout *l = layout_text(p, text, size, bold, CONTENT_W);
    double h = layout_height(l);
    need(p, h);
    draw_layout(p, l, MARGIN, p->y);
    p->y += h + space_after;
    g_object_unref(l);
}

static void heading(pdf *p, const char *text)
{
    need(p, 40); /* never leave a heading alone at the bottom of a page */
    p->y += 8;
    text_block(p, text, 13, true, 3);
    cairo_set_source_rgb(p->cr, 0.043, 0.431, 0.31);
    cairo_set_line_width(p->cr, 1.5);
    cairo_move_to(p->cr, MARGIN, p->y);
    cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
    cairo_stroke(p->cr);
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    p->y += 6;
}

#define TABLE_FONT 8.5
#define CELL_PAD   3.0

/* Natural column widths, shrunk proportionally when the table is wider than the page. */
static void column_widths(pdf *p, const doc_block *b, double *w)
{
    double total = 0;
    for (size_t c = 0; c < b->ncols; c++) {
        PangoLayout *l = layout_text(p, b->columns[c], TABLE_FONT, true, 0);
        w[c] = layout_width(l) + 2 * CELL_PAD;
        g_object_unref(l);
        for (size_t r = 0; r < b->nrows; r++) {
            l = layout_text(p, b->cells[r * b->ncols + c], TABLE_FONT, false, 0);
            w[c] = fmax(w[c], layout_width(l) + 2 * CELL_PAD);
            g_object_unref(l);
        }
        total += w[c];
    }
    if (total > CONTENT_W)
        for (size_t c = 0; c < b->ncols; c++)
            w[c] *= CONTENT_W / total;
}

/* Draw one row (header when cells is the column names); returns its height. */
static double table_row(pdf *p, const doc_block *b, char *const *cells, const double *w,
                        bool header, bool draw)
{
    double x = MARGIN, h = 0;
    PangoLayout *layouts[64];
    size_t n = b->ncols < 64 ? b->ncols : 64;
    for (size_t c = 0; c < n; c++) {
        layouts[c] = layout_text(p, cells[c], TABLE_FONT, header, w[c] - 2 * CELL_PAD);
        if (b->align[c] == 'r')
            pango_layout_set_alignment(layouts[c], PANGO_ALIGN_RIGHT);
        h = fmax(h, layout_height(layouts[c]) + 2 * CELL_PAD);
    }
    if (draw) {
        if (header) {
            cairo_set_source_rgb(p->cr, 0.945, 0.96, 0.953);
            cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, h);
            cairo_fill(p->cr);
            cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
        }
        for (size_t c = 0; c < n; c++) {
            draw_layout(p, layouts[c], x + CELL_PAD, p->y + CELL_PAD);
            x += w[c];
        }
        cairo_set_source_rgb(p->cr, 0.85, 0.85, 0.85);
        cairo_set_line_width(p->cr, 0.5);
        cairo_move_to(p->cr, MARGIN, p->y + h);
        cairo_line_to(p->cr, PAGE_W - MARGIN, p->y + h);
        cairo_stroke(p->cr);
        cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    }
    for (size_t c = 0; c < n; c++)
        g_object_unref(layouts[c]);
    return h;
}

static void table(pdf *p, const doc_block *b)
{
    double w[64];
    if (b->ncols == 0 || b->ncols > 64)
        return;
    column_widths(p, b, w);
    double header_h = table_row(p, b, b->columns, w, true, false);
    need(p, header_h * 2);
    p->y += table_row(p, b, b->columns, w, true, true);
    for (size_t r = 0; r < b->nrows; r++) {
        char *const *cells = b->cells + r * b->ncols;
        double h = table_row(p, b, cells, w, false, false);
        if (p->y + h > PAGE_H - MARGIN) {
            need(p, PAGE_H); /* a new page, with the header again */
            p->y += table_row(p, b, b->columns, w, true, true);
        }
        p->y += table_row(p, b, cells, w, false, true);
    }
    p->y += 8;
}

static const double palette[][3] = {
    { 0.043, 0.431, 0.31 },  { 0.753, 0.224, 0.169 }, { 0.18, 0.525, 0.757 },
    { 0.839, 0.537, 0.063 }, { 0.49, 0.235, 0.596 },
};

static void small_text(pdf *p, const char *text, double x, double y, bool right)
{
    PangoLayout *l = layout_text(p, text, 7.5, false, 0);
    draw_layout(p, l, right ? x - layout_width(l) : x - layout_width(l) / 2, y);
    g_object_unref(l);
}

static void chart(pdf *p, const doc_block *b)
{
    const double left = MARGIN + 40, right = PAGE_W - MARGIN, top_pad = 20, bottom_pad = 30;
    need(p, CHART_H + 10);
    double top = p->y + top_pad, bottom = p->y + CHART_H - bottom_pad;
    PangoLayout *title = layout_text(p, b->text, 10, true, CONTENT_W);
    draw_layout(p, title, MARGIN, p->y);
    g_object_unref(title);
    double max, step;
    hb_doc__chart_scale(b, &max, &step);
    char tick[32];
    cairo_set_line_width(p->cr, 0.4);
    for (double v = 0; v <= max + step / 2; v += step) {
        double y = bottom - (bottom - top) * v / max;
        cairo_set_source_rgb(p->cr, 0.88, 0.88, 0.88);
        cairo_move_to(p->cr, left, y);
        cairo_line_to(p->cr, right, y);
        cairo_stroke(p->cr);
        cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
        snprintf(tick, sizeof tick, "%g", v);
        small_text(p, tick, left - 4, y - 5, true);
    }
    double span = (double)(b->npoints > 1 ? b->npoints - 1 : 1);
    size_t ticks[3] = { 0, b->npoints / 2, b->npoints ? b->npoints - 1 : 0 };
    for (size_t k = 0; b->npoints && k < 3; k++)
        small_text(p, b->x_labels[ticks[k]], left + (right - left) * (double)ticks[k] / span,
                   bottom + 3, false);
    cairo_set_line_width(p->cr, 1.3);
    for (size_t l = 0; l < b->nlines; l++) {
        const double *c = palette[l % 5];
        cairo_set_source_rgb(p->cr, c[0], c[1], c[2]);
        bool pen = false;
        for (size_t i = 0; i < b->npoints; i++) {
            double v = b->lines[l].values[i];
            if (isnan(v)) {
                pen = false;
                continue;
            }
            double x = left + (right - left) * (double)i / span;
            double y = bottom - (bottom - top) * v / max;
            if (pen)
                cairo_line_to(p->cr, x, y);
            else
                cairo_move_to(p->cr, x, y);
            pen = true;
        }
        cairo_stroke(p->cr);
        small_text(p, b->lines[l].name, left + 60 + 130.0 * (double)l, bottom + 14, false);
    }
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    p->y += CHART_H + 10;
}

int hb_doc__render_pdf(const hb_doc *doc, hb_buf *out)
{
    cairo_surface_t *surface =
        cairo_pdf_surface_create_for_stream(write_to_buf, out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc->title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "healthybay");
    pdf p = { cairo_create(surface), family_for(doc->lang), MARGIN, 1 };
    cairo_set_source_rgb(p.cr, 0.1, 0.1, 0.1);
    text_block(&p, doc->title, 18, true, 2);
    cairo_set_source_rgb(p.cr, 0.35, 0.35, 0.35);
    text_block(&p, doc->subtitle, 10, false, 10);
    cairo_set_source_rgb(p.cr, 0.1, 0.1, 0.1);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const doc_block *b = &doc->blocks[i];
        if (b->kind == HB_BLOCK_HEADING)
            heading(&p, b->text);
        else if (b->kind == HB_BLOCK_PARAGRAPH)
            text_block(&p, b->text, 10, false, 6);
        else if (b->kind == HB_BLOCK_TABLE)
            table(&p, b);
        else
            chart(&p, b);
    }
    footer(&p);
    cairo_show_page(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        return hb_error_set(HB_ERROR, "cannot write PDF: %s", cairo_status_to_string(status));
    return 0;
}
