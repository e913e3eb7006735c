/*
 * bulletin/render_json.c — the document as JSON, for the API and the dashboard:
 *
 *   {"lang": "zh-Hant", "title": "…", "subtitle": "…", "blocks": [
 *     {"type": "heading", "text": "…"}, {"type": "paragraph", "text": "…"},
 *     {"type": "table", "columns": [...], "align": "lrr", "rows": [[...], ...]},
 *     {"type": "chart", "title": "…", "y_label": "…", "x": [...],
 *      "lines": [{"name": "…", "values": [1, null, …]}]}]}
 */
#include <jansson.h>
#include <math.h>

#include "bulletin/doc_int.h"
#include "util/error.h"

static json_t *string_array(char *const *items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, items[i] ? json_string(items[i]) : json_null());
    return a;
}

static json_t *table_json(const doc_block *b)
{
    json_t *rows = json_array();
    for (size_t r = 0; rows && r < b->nrows; r++)
        json_array_append_new(rows, string_array(b->cells + r * b->ncols, b->ncols));
    return json_pack("{s:s, s:o, s:s, s:o}", "type", "table", "columns",
                     string_array(b->columns, b->ncols), "align", b->align, "rows", rows);
}

static json_t *chart_json(const doc_block *b)
{
    json_t *lines = json_array();
    for (size_t l = 0; lines && l < b->nlines; l++) {
        json_t *values = json_array();
        for (size_t i = 0; values && i < b->npoints; i++) {
            double v = b->lines[l].values[i];
            json_array_append_new(values, isnan(v) ? json_null() : json_real(v));
        }
        json_array_append_new(lines,
                              json_pack("{s:s, s:o}", "name", b->lines[l].name, "values", values));
    }
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "type", "chart", "title", b->text, "y_label",
                     b->label, "x", string_array(b->x_labels, b->npoints), "lines", lines);
}

int hb_doc__render_json(const hb_doc *doc, hb_buf *out)
{
    json_t *blocks = json_array();
    for (size_t i = 0; blocks && i < doc->nblocks; i++) {
        const doc_block *b = &doc->blocks[i];
        json_t *j =
            b->kind == HB_BLOCK_TABLE ? table_json(b)
            : b->kind == HB_BLOCK_CHART
                ? chart_json(b)
                : json_pack("{s:s, s:s}", "type",
                            b->kind == HB_BLOCK_HEADING ? "heading" : "paragraph", "text", b->text);
        if (!j || json_array_append_new(blocks, j) < 0) {
            json_decref(blocks);
            return hb_error_set(HB_ENOMEM, "out of memory building JSON");
        }
    }
    json_t *root = json_pack("{s:s, s:s, s:s, s:o}", "lang", doc->lang, "title", doc->title,
                             "subtitle", doc->subtitle, "blocks", blocks);
    char *text = root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    if (!text)
        return hb_error_set(HB_ENOMEM, "out of memory writing JSON");
    int rc = hb_buf_puts(out, text);
    if (rc == 0)
        rc = hb_buf_putc(out, '\n');
    /* jansson allocated text with its own allocator (malloc by default). */
    json_free_t free_fn;
    json_malloc_t malloc_fn;
    json_get_alloc_funcs(&malloc_fn, &free_fn);
    free_fn(text);
    return rc;
}
