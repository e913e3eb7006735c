/*
 * tests/parity/fixture.h — read the committed parity fixtures (CSV with a header; numbers, "NA"
 * for missing) into columns of doubles, so a test can compare with R column by column.
 */
#ifndef HB_TESTS_PARITY_FIXTURE_H
#define HB_TESTS_PARITY_FIXTURE_H

#include <stddef.h>

typedef struct fixture {
    size_t nrows, ncols;
    char **names;  /* ncols column names */
    double **cols; /* ncols arrays of nrows values; NAN for NA */
    char ***text;  /* ncols arrays of nrows strings (the raw fields) */
    size_t cap;    /* rows allocated */
} fixture;

/* Load tests/parity/<relpath> (relative to the source tree); fails the test when unreadable. */
fixture *fixture_load(const char *relpath);
/* Whether the fixture has a column of that name. */
int fixture_has(const fixture *f, const char *name);
/* The column named name; fails the test when there is none. */
const double *fixture_col(const fixture *f, const char *name);
const char *fixture_text(const fixture *f, const char *name, size_t row);
void fixture_free(fixture *f);

#endif
