/* tests/parity/fixture.c — see fixture.h. Test code: plain malloc is fine outside src/. */
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/csv.h"
#include "util/parse.h"

static void push(fixture *f, size_t col, const char *text, size_t len)
{
    size_t n = f->nrows;
    double v = NAN;
    if (!(len == 2 && memcmp(text, "NA", 2) == 0) && len > 0 && hb_parse_double(&v, text, len) < 0)
        v = NAN; /* a text column: kept in f->text */
    f->cols[col][n] = v;
    f->text[col][n] = strdup(text);
}

fixture *fixture_load(const char *relpath)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/parity/%s", hb_test_source_dir(), relpath);
    hb_csv *csv;
    CHECK_OK(hb_csv_open_file(&csv, path));
    CHECK_OK(hb_csv_read_header(csv));
    fixture *f = calloc(1, sizeof *f);
    f->ncols = hb_csv_header_count(csv);
    f->names = calloc(f->ncols, sizeof *f->names);
    f->cols = calloc(f->ncols, sizeof *f->cols);
    f->text = calloc(f->ncols, sizeof *f->text);
    for (size_t i = 0; i < f->ncols; i++)
        f->names[i] = strdup(hb_csv_header_name(csv, i));
    int rc;
    while ((rc = hb_csv_next(csv)) == 1) {
        if (f->nrows == f->cap) { /* grow geometrically: fixtures have thousands of rows */
            f->cap = f->cap ? 2 * f->cap : 64;
            for (size_t i = 0; i < f->ncols; i++) {
                f->cols[i] = realloc(f->cols[i], f->cap * sizeof(double));
                f->text[i] = realloc(f->text[i], f->cap * sizeof(char *));
                CHECK(f->cols[i] && f->text[i]);
            }
        }
        for (size_t i = 0; i < f->ncols; i++) {
            size_t len;
            const char *s = hb_csv_field(csv, i, &len);
            push(f, i, s, len);
        }
        f->nrows++;
    }
    CHECK_OK(rc);
    hb_csv_free(csv);
    return f;
}

int fixture_has(const fixture *f, const char *name)
{
    for (size_t i = 0; i < f->ncols; i++)
        if (strcmp(f->names[i], name) == 0)
            return 1;
    return 0;
}

static size_t find(const fixture *f, const char *name)
{
    for (size_t i = 0; i < f->ncols; i++)
        if (strcmp(f->names[i], name) == 0)
            return i;
    hb_test_fail(__FILE__, __LINE__, "fixture has no column '%s'", name);
}

const double *fixture_col(const fixture *f, const char *name)
{
    return f->cols[find(f, name)];
}

const char *fixture_text(const fixture *f, const char *name, size_t row)
{
    return f->text[find(f, name)][row];
}

void fixture_free(fixture *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->ncols; i++) {
        for (size_t r = 0; r < f->nrows; r++)
            free(f->text[i][r]);
        free(f->text[i]);
        free(f->cols[i]);
        free(f->names[i]);
    }
    free(f->text);
    free(f->cols);
    free(f->names);
    free(f);
}
