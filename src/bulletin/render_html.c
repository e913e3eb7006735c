/*
 * bulletin/render_html.c — the document as one self-contained HTML page: no scripts, no external
 * fonts or styles, charts as inline SVG, so it can be mailed, archived and opened offline.
 */
#include <math.h>
#include <string.h>

#include "bulletin/doc_int.h"

static int put_escaped(hb_buf *out, const char *s)
{
    int rc = 0;
    for (; rc == 0 && s && *s; s++) {
        switch (*s) {
        case '<':
            rc = hb_buf_puts(out, "&lt;");
            break;
        case '>':
            rc = hb_buf_puts(out, "&gt;");
            break;
        case '&':
            rc = hb_buf_puts(out, "&amp;");
            break;
        case '"':
            rc = hb_buf_puts(out, "&quot;");
            break;
        default:
            rc = hb_buf_putc(out, *s);
        }
    }
    return rc;
}

static const char style[] =
    "<style>body{font-family:'Noto Sans CJK SC','Noto Sans CJK TC',sans-serif;max-width:52em;"
    "margin:2em auto;padding:0 1em;color:#1b1b1b}h1{font-size:1.6em;margin-bottom:.1em}"
    ".sub{color:#555;margin-top:0}h2{border-bottom:2px solid #0b6e4f;padding-bottom:.2em;"
    "margin-top:1.6em}table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border-"
    "bottom:1px solid #ddd;padding:.25em .5em;text-align:left}th{background:#f1f5f3}"
    "td.r,th.r{text-align:right}svg{max-width:100%;height:auto}</style>";

static int render_table(const doc_block *b, hb_buf *out)
{
    int rc = hb_buf_puts(out, "<table><thead><tr>");
    for (size_t c = 0; rc == 0 && c < b->ncols; c++) {
        rc = hb_buf_printf(out, "<th%s>", b->align[c] == 'r' ? " class=\"r\"" : "");
        if (rc == 0)
            rc = put_escaped(out, b->columns[c]);
        if (rc == 0)
            rc = hb_buf_puts(out, "</th>");
    }
    if (rc == 0)
        rc = hb_buf_puts(out, "</tr></thead><tbody>");
    for (size_t r = 0; rc == 0 && r < b->nrows; r++) {
        rc = hb_buf_puts(out, "<tr>");
        for (size_t c = 0; rc == 0 && c < b->ncols; c++) {
            rc = hb_buf_printf(out, "<td%s>", b->align[c] == 'r' ? " class=\"r\"" : "");
            if (rc == 0)
                rc = put_escaped(out, b->cells[r * b->ncols + c]);
            if (rc == 0)
                rc = hb_buf_puts(out, "</td>");
        }
        if (rc == 0)
            rc = hb_buf_puts(out, "</tr>");
    }
    return rc == 0 ? hb_buf_puts(out, "</tbody></table>\n") : rc;
}

static const char *const palette[] = { "#0b6e4f", "#c0392b", "#2e86c1", "#d68910", "#7d3c98" };

/* A 640 × 240 line chart: y axis with ticks, first/middle/last x labels, one path per line. */
static int render_chart(const doc_block *b, hb_buf *out)
{
    const double w = 640, h = 240, left = 56, right = 12, top = 28, bottom = 36;
    double max, step;
    hb_doc__chart_scale(b, &max, &step);
    int rc = hb_buf_printf(out,
                           "<figure><svg viewBox=\"0 0 %.0f %.0f\" role=\"img\">"
                           "<text x=\"%.0f\" y=\"16\" font-size=\"13\" font-weight=\"bold\">",
                           w, h, left);
    if (rc == 0)
        rc = put_escaped(out, b->text);
    if (rc == 0)
        rc = hb_buf_puts(out, "</text>");
    for (double y = 0; rc == 0 && y <= max + step / 2; y += step) {
        double py = h - bottom - (h - top - bottom) * y / max;
        rc = hb_buf_printf(out,
                           "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#e3e3e3\"/><text x=\"%.0f\" y=\"%.1f\" font-size=\"10\" "
                           "text-anchor=\"end\">%g</text>",
                           left, w - right, py, py, left - 4, py + 3, y);
    }
    size_t ticks[3] = { 0, b->npoints / 2, b->npoints ? b->npoints - 1 : 0 };
    for (size_t k = 0; rc == 0 && b->npoints > 0 && k < 3; k++) {
        double px = left + (w - left - right) * (double)ticks[k] /
                               (double)(b->npoints > 1 ? b->npoints - 1 : 1);
        rc = hb_buf_printf(out,
                           "<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\" "
                           "text-anchor=\"middle\">",
                           px, h - bottom + 14);
        if (rc == 0)
            rc = put_escaped(out, b->x_labels[ticks[k]]);
        if (rc == 0)
            rc = hb_buf_puts(out, "</text>");
    }
    for (size_t l = 0; rc == 0 && l < b->nlines; l++) {
        rc = hb_buf_printf(out, "<path fill=\"none\" stroke-width=\"1.6\" stroke=\"%s\" d=\"",
                           palette[l % 5]);
        bool pen = false;
        for (size_t i = 0; rc == 0 && i < b->npoints; i++) {
            double v = b->lines[l].values[i];
            if (isnan(v)) {
                pen = false;
                continue;
            }
            double px = left + (w - left - right) * (double)i /
                                   (double)(b->npoints > 1 ? b->npoints - 1 : 1);
            double py = h - bottom - (h - top - bottom) * v / max;
            rc = hb_buf_printf(out, "%c%.1f %.1f ", pen ? 'L' : 'M', px, py);
            pen = true;
        }
        if (rc == 0)
            rc = hb_buf_printf(out,
                               "\"/><text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" "
                               "fill=\"%s\">",
                               left + 140.0 * (double)l, h - 6, palette[l % 5]);
        if (rc == 0)
            rc = put_escaped(out, b->lines[l].name);
        if (rc == 0)
            rc = hb_buf_puts(out, "</text>");
    }
    return rc == 0 ? hb_buf_puts(out, "</svg></figure>\n") : rc;
}

int hb_doc__render_html(const hb_doc *doc, hb_buf *out)
{
    int rc = hb_buf_printf(out,
                           "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                           "<meta name=\"viewport\" content=\"width=device-width\"><title>",
                           doc->lang);
    if (rc == 0)
        rc = put_escaped(out, doc->title);
    if (rc == 0)
        rc = hb_buf_printf(out, "</title>%s</head><body><h1>", style);
    if (rc == 0)
        rc = put_escaped(out, doc->title);
    if (rc == 0)
        rc = hb_buf_puts(out, "</h1><p class=\"sub\">");
    if (rc == 0)
        rc = put_escaped(out, doc->subtitle);
    if (rc == 0)
        rc = hb_buf_puts(out, "</p>\n");
    for (size_t i = 0; rc == 0 && i < doc->nblocks; i++) {
        const doc_block *b = &doc->blocks[i];
        if (b->kind == HB_BLOCK_TABLE) {
            rc = render_table(b, out);
        } else if (b->kind == HB_BLOCK_CHART) {
            rc = render_chart(b, out);
        } else {
            rc = hb_buf_puts(out, b->kind == HB_BLOCK_HEADING ? "<h2>" : "<p>");
            if (rc == 0)
                rc = put_escaped(out, b->text);
            if (rc == 0)
                rc = hb_buf_puts(out, b->kind == HB_BLOCK_HEADING ? "</h2>\n" : "</p>\n");
        }
    }
    return rc == 0 ? hb_buf_puts(out, "</body></html>\n") : rc;
}
