/*
 * rt/stats.c — sorting and R-compatible empirical quantiles (see stats.h).
 *
 * R's default quantile (type 7) interpolates linearly between order statistics at h = (n-1)p;
 * EpiEstim's uncertain_si and the FluSight baseline both report it, so ours must be the same.
 */
#include "rt/stats.h"

#include <assert.h>
#include <math.h>

/*
 * Sorting is the hot spot of every sampled model (23 quantiles of 1000 draws per horizon), and
 * glibc's qsort pays a call through a function pointer per comparison: this introsort on doubles
 * (quicksort with a median-of-three pivot, insertion sort for short runs, heapsort when the
 * recursion gets too deep) was 4 times faster on those samples.
 */
static void insertion_sort(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = x[i];
        size_t j = i;
        for (; j > 0 && x[j - 1] > v; j--)
            x[j] = x[j - 1];
        x[j] = v;
    }
}

static void sift_down(double *x, size_t root, size_t n)
{
    double v = x[root];
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && x[child + 1] > x[child])
            child++;
        if (!(x[child] > v))
            break;
        x[root] = x[child];
    }
    x[root] = v;
}

static void heap_sort(double *x, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(x, i, n);
    for (size_t end = n; end-- > 1;) {
        double t = x[0];
        x[0] = x[end];
        x[end] = t;
        sift_down(x, 0, end);
    }
}

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Partition x[0..n-1] around a median-of-three pivot; returns the pivot's final index j: x[i]
 * <= x[j] for i < j, x[i] >= x[j] for i > j. n > 16. */
static size_t partition(double *x, size_t n)
{
    size_t mid = n / 2;
    if (x[mid] < x[0])
        swap(&x[mid], &x[0]);
    if (x[n - 1] < x[0])
        swap(&x[n - 1], &x[0]);
    if (x[n - 1] < x[mid])
        swap(&x[n - 1], &x[mid]);
    swap(&x[0], &x[mid]);
    /* x[0] is the pivot; x[n-1] >= pivot stops the right scan. */
    double pivot = x[0];
    size_t i = 0, j = n;
    for (;;) {
        while (x[++i] < pivot)
            ;
        while (pivot < x[--j])
            ;
        if (i >= j)
            break;
        swap(&x[i], &x[j]);
    }
    swap(&x[0], &x[j]);
    return j;
}

static void intro_sort(double *x, size_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            heap_sort(x, n);
            return;
        }
        size_t j = partition(x, n);
        /* Recurse into the smaller side, loop on the larger: the stack stays O(log n). */
        if (j < n - j - 1) {
            intro_sort(x, j, depth);
            x += j + 1;
            n -= j + 1;
        } else {
            intro_sort(x + j + 1, n - j - 1, depth);
            n = j;
        }
    }
    insertion_sort(x, n);
}

static int depth_limit(size_t n)
{
    int depth = 0;
    for (size_t m = n; m > 1; m /= 2)
        depth += 2;
    return depth;
}

void hb_rt__sort(double *x, size_t n)
{
    intro_sort(x, n, depth_limit(n));
}

/* Quickselect for several ranks at once: partition, then go on only into the sides that hold
 * a wanted rank (ranks[0..k-1] ascending, relative to x; rebased in place as x moves). */
static void select_ranks(double *x, size_t n, size_t *ranks, size_t k, int depth)
{
    while (k > 0 && n > 16) {
        if (depth-- == 0) {
            heap_sort(x, n);
            return;
        }
        size_t j = partition(x, n), left = 0;
        while (left < k && ranks[left] < j)
            left++;
        size_t right = left;
        while (right < k && ranks[right] == j)
            right++;
        select_ranks(x, j, ranks, left, depth);
        x += j + 1;
        n -= j + 1;
        for (size_t i = right; i < k; i++)
            ranks[i] -= j + 1;
        ranks += right;
        k -= right;
    }
    if (k > 0)
        insertion_sort(x, n);
}

void hb_rt__quantiles7(double *out, double *x, size_t n, const double *levels, size_t nlevels)
{
    assert(n >= 1);
    assert(nlevels <= HB_RT_QUANTILES_MAX);
    size_t ranks[2 * HB_RT_QUANTILES_MAX], k = 0;
    for (size_t j = 0; j < nlevels; j++) {
        assert(j == 0 || levels[j] >= levels[j - 1]);
        size_t lo = (size_t)floor((double)(n - 1) * levels[j]);
        for (size_t r = lo; r <= lo + 1 && r < n; r++)
            if (k == 0 || ranks[k - 1] < r)
                ranks[k++] = r;
    }
    select_ranks(x, n, ranks, k, depth_limit(n));
    for (size_t j = 0; j < nlevels; j++)
        out[j] = hb_rt__quantile7(x, n, levels[j]);
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
