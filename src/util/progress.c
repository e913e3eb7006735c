/*
 * util/progress.c — the terminal progress bar (see progress.h).
 */
#include "util/progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/clock.h"

#define BAR_WIDTH 30
#define REDRAW_NS 100000000u /* 0.1 s */

void hb_progress_init(hb_progress *p)
{
    memset(p, 0, sizeof *p);
    p->enabled = isatty(fileno(stderr)) != 0;
}

static void format_amount(char *out, size_t size, uint64_t n, const char *unit)
{
    if (strcmp(unit, "bytes") == 0) {
        double v = (double)n;
        const char *suffix = v >= 1e9 ? "GB" : v >= 1e6 ? "MB" : "kB";
        double scale = v >= 1e9 ? 1e9 : v >= 1e6 ? 1e6 : 1e3;
        snprintf(out, size, "%.1f %s", v / scale, suffix);
    } else {
        snprintf(out, size, "%llu", (unsigned long long)n);
    }
}

void hb_progress_update(hb_progress *p, const char *phase, uint64_t done, uint64_t total,
                        const char *unit)
{
    if (!p->enabled)
        return;
    uint64_t now = hb_monotonic_ns();
    bool complete = total > 0 && done >= total;
    if (p->drawn && !complete && now - p->last_draw_ns < REDRAW_NS)
        return;
    p->last_draw_ns = now;
    char a[32], b[32], bar[BAR_WIDTH + 1];
    format_amount(a, sizeof a, done, unit);
    if (total > 0) {
        format_amount(b, sizeof b, total, unit);
        size_t filled = (size_t)((double)BAR_WIDTH * (double)done / (double)total);
        if (filled > BAR_WIDTH)
            filled = BAR_WIDTH;
        memset(bar, '=', filled);
        memset(bar + filled, ' ', BAR_WIDTH - filled);
        if (filled > 0 && filled < BAR_WIDTH)
            bar[filled - 1] = '>';
        bar[BAR_WIDTH] = '\0';
        fprintf(stderr, "\r%-9s[%s] %3d%%  %s of %s%s\033[K", phase, bar,
                (int)(100.0 * (double)done / (double)total), a, b,
                strcmp(unit, "bytes") ? " " : "");
        if (strcmp(unit, "bytes") != 0)
            fputs(unit, stderr);
    } else {
        fprintf(stderr, "\r%-9s %s %s\033[K", phase, a, strcmp(unit, "bytes") ? unit : "");
    }
    fflush(stderr);
    p->drawn = true;
}

void hb_progress_finish(hb_progress *p)
{
    if (p->enabled && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = false;
    }
}
