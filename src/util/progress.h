/*
 * util/progress.h — a one-line progress bar on standard error, drawn only when standard error is
 * a terminal (pipes and log files get nothing), redrawn at most ten times a second.
 *
 *     checking [==========>          ]  52%  38.1 MB of 73.0 MB
 *     writing  [====================>]  100%  1,024,000 of 1,024,000 rows
 */
#ifndef HB_UTIL_PROGRESS_H
#define HB_UTIL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct hb_progress {
    bool enabled;
    uint64_t last_draw_ns;
    bool drawn; /* something is on the line and must be cleared */
} hb_progress;

void hb_progress_init(hb_progress *p);
/* Draw "phase [bar] pct  done of total unit"; total 0 = unknown (no bar). unit "bytes" prints
 * sizes in kB/MB/GB, anything else is a count of that unit. */
void hb_progress_update(hb_progress *p, const char *phase, uint64_t done, uint64_t total,
                        const char *unit);
/* Clear the line so the next message starts clean. */
void hb_progress_finish(hb_progress *p);

#endif
