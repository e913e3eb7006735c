/*
 * tests/surveil/parity.h — running healthybay on the R parity fixtures (tests/parity/detect.R):
 * the configuration's method and options, each input series, and a comparison with R's results.
 */
#ifndef HB_TESTS_SURVEIL_PARITY_H
#define HB_TESTS_SURVEIL_PARITY_H

#include "healthybay/surveil.h"

/* Relative tolerance for expected and upperbound (the 1e-6), and the absolute slack
 * below which two values both count as zero (sums of many terms that cancel). */
#define PARITY_REL 1e-6
#define PARITY_ABS 1e-9

/* Set params from the configuration's row of detect_configs.csv. */
void parity_params(hb_surveil_params *params, const char *config);

/* Run the configuration on every series of its fixture and compare with R; fails the test with
 * the first differences when any value differs. */
void parity_run(const char *config);

#endif
