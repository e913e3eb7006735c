/* Tests for rt/stats.c: the sort on adversarial inputs, and quantiles by selection equal to the
 * quantiles of the fully sorted data (R type 7). */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "healthybay/rng.h"
#include "rt/stats.h"

/* Inputs quicksorts trip over: sorted, reversed, all equal, few distinct values, organ pipe. */
static void fill(double *x, size_t n, int kind, hb_rng *rng)
{
    for (size_t i = 0; i < n; i++) {
        double u = hb_rng_uniform(rng), di = (double)i;
        x[i] = kind == 0   ? u
               : kind == 1 ? di
               : kind == 2 ? (double)n - di
               : kind == 3 ? 4
               : kind == 4 ? floor(u * 3)
                           : fmin(di, (double)n - di);
    }
}

TEST(rt__sort_orders_adversarial_inputs)
{
    static const size_t sizes[] = { 0, 1, 2, 3, 16, 17, 100, 1000, 4097 };
    static double x[4097];
    hb_rng rng;
    hb_rng_seed(&rng, 4);
    for (int kind = 0; kind < 6; kind++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            size_t n = sizes[s];
            fill(x, n, kind, &rng);
            double sum = 0, sorted_sum = 0;
            for (size_t i = 0; i < n; i++)
                sum += x[i];
            hb_rt__sort(x, n);
            for (size_t i = 0; i < n; i++) {
                sorted_sum += x[i];
                if (i > 0)
                    CHECK_MSG(x[i - 1] <= x[i], "kind %d n %zu at %zu", kind, n, i);
            }
            CHECK(sum == sorted_sum || fabs(sum - sorted_sum) < 1e-9 * fabs(sum));
        }
}

TEST(rt__quantiles_by_selection_equal_the_sorted_ones)
{
    static const double levels[] = { 0,    0.01, 0.025, 0.05,  0.1,  0.25, 0.5,
                                     0.75, 0.9,  0.95,  0.975, 0.99, 1 };
    enum { L = sizeof levels / sizeof *levels };
    static double x[3001], y[3001];
    hb_rng rng;
    hb_rng_seed(&rng, 8);
    static const size_t sizes[] = { 1, 2, 5, 17, 40, 500, 1000, 3001 };
    for (int kind = 0; kind < 6; kind++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            size_t n = sizes[s];
            fill(x, n, kind, &rng);
            memcpy(y, x, n * sizeof *x);
            double got[L];
            hb_rt__quantiles7(got, x, n, levels, L);
            hb_rt__sort(y, n);
            for (size_t j = 0; j < L; j++)
                CHECK_MSG(got[j] == hb_rt__quantile7(y, n, levels[j]), "kind %d n %zu level %g",
                          kind, n, levels[j]);
        }
}
