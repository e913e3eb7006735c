/*
 * rt/stats.c — sorting and R-compatible empirical quantiles (see stats.h).
 *
 * R's default quantile (type 7) interpolates linearly between order statistics at h = (n-1)p;
 * EpiEstim's uncertain_si and the FluSight baseline both report it, so ours must be the same.
 */
#include "rt/stats.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void hb_rt__sort(double *x, size_t n)
{
    if (n > 1)
        qsort(x, n, sizeof *x, cmp_double);
}

double hb_rt__quantile7(const double *sorted, size_t n, double p)
{
    assert(n >= 1);
    assert(p >= 0 && p <= 1);
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return sorted[n - 1];
    double frac = h - (double)lo;
    if (frac == 0 || sorted[lo + 1] == sorted[lo])
        return sorted[lo];
    /* R's own form of the interpolation, so results agree to the last bit. */
    return (1 - frac) * sorted[lo] + frac * sorted[lo + 1];
}

double hb_rt__median(double *x, size_t n)
{
    hb_rt__sort(x, n);
    return hb_rt__quantile7(x, n, 0.5);
}
