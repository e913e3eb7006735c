/*
 * tests/surveil/fixture.c — see fixture.h.
 */
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/csv.h"
#include "util/parse.h"

struct fx_table {
    size_t nrows, ncols, cap;
    char **names;
    char **cells; /* nrows * ncols */
};

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    CHECK(p != NULL);
    memcpy(p, s, n);
    return p;
}

fx_table *fx_load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/parity/fixtures/%s", hb_test_source_dir(), name);
    hb_csv *csv;
    CHECK_OK(hb_csv_open_file(&csv, path));
    CHECK_OK(hb_csv_read_header(csv));
    fx_table *t = calloc(1, sizeof *t);
    CHECK(t != NULL);
    t->ncols = hb_csv_header_count(csv);
    t->names = calloc(t->ncols, sizeof(char *));
    CHECK(t->names != NULL);
    for (size_t j = 0; j < t->ncols; j++)
        t->names[j] = dup(hb_csv_header_name(csv, j));
    int rc;
    while ((rc = hb_csv_next(csv)) == 1) {
        if (t->nrows == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 256;
            t->cells = realloc(t->cells, t->cap * t->ncols * sizeof(char *));
            CHECK(t->cells != NULL);
        }
        for (size_t j = 0; j < t->ncols; j++)
            t->cells[t->nrows * t->ncols + j] = dup(hb_csv_field(csv, j, NULL));
        t->nrows++;
    }
    CHECK_OK(rc);
    hb_csv_free(csv);
    return t;
}

void fx_free(fx_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    for (size_t j = 0; j < t->ncols; j++)
        free(t->names[j]);
    free(t->cells);
    free(t->names);
    free(t);
}

size_t fx_rows(const fx_table *t)
{
    return t->nrows;
}

bool fx_has_col(const fx_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->names[j], name) == 0)
            return true;
    return false;
}

size_t fx_col(const fx_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->names[j], name) == 0)
            return j;
    hb_test_fail(__FILE__, __LINE__, "fixture has no column '%s'", name);
}

const char *fx_str(const fx_table *t, size_t row, size_t col)
{
    CHECK(row < t->nrows && col < t->ncols);
    return t->cells[row * t->ncols + col];
}

double fx_num(const fx_table *t, size_t row, size_t col)
{
    const char *s = fx_str(t, row, col);
    if (*s == 0 || strcmp(s, "NA") == 0 || strcmp(s, "NaN") == 0)
        return NAN;
    if (strcmp(s, "Inf") == 0)
        return INFINITY;
    double v;
    CHECK_MSG(hb_parse_double(&v, s, strlen(s)) == 0, "fixture row %zu: '%s' is not a number",
              row + 1, s);
    return v;
}
