/*
 * tests/surveil/fixture.h — reading the R parity fixtures (CSV files in tests/parity/fixtures/).
 *
 * A fixture is a CSV file with a header, loaded whole into memory: small enough (a few hundred
 * kilobytes) and simpler to index than a stream. Cells are strings; fx_num() reads a number and
 * maps R's "NA" (and an empty cell) to NAN.
 */
#ifndef HB_TESTS_SURVEIL_FIXTURE_H
#define HB_TESTS_SURVEIL_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct fx_table fx_table;

/* Load tests/parity/fixtures/<name>; fails the running test when it cannot. */
fx_table *fx_load(const char *name);
void fx_free(fx_table *t);
size_t fx_rows(const fx_table *t);
/* Whether the table has a column of that name. */
bool fx_has_col(const fx_table *t, const char *name);
/* Column index by name; fails the test when absent. */
size_t fx_col(const fx_table *t, const char *name);
const char *fx_str(const fx_table *t, size_t row, size_t col);
double fx_num(const fx_table *t, size_t row, size_t col);

#endif
