/*
 * cli/parallel.h — run a per-series function over every series of a file on several threads,
 * keeping the output in file order.
 *
 * Series are taken in chunks; a chunk is split into one contiguous slice per thread, each
 * writing its output and its warnings into its own buffers; after the threads join, the buffers
 * are handed to `emit` in series order. The library functions are thread-safe and every series
 * gets its own generator seeded from (seed, series index), so results do not depend on the
 * number of threads.
 */
#ifndef HB_CLI_PARALLEL_H
#define HB_CLI_PARALLEL_H

#include <stddef.h>

#include "util/buf.h"

/* Work on series i: append output to out and one line per warning to warn. A return < 0 stops
 * the run (the error message is carried to the calling thread). */
typedef int (*hb_par_fn)(void *ctx, size_t i, hb_buf *out, hb_buf *warn);
/* Consume the output of a slice (series in order); < 0 stops the run. */
typedef int (*hb_par_emit)(void *ctx, hb_buf *out, hb_buf *warn, size_t done, size_t total);

int hb_par_run(size_t nthreads, size_t n, hb_par_fn fn, hb_par_emit emit, void *ctx);

#endif
