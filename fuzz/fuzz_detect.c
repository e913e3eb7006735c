/*
 * fuzz/fuzz_detect.c — libFuzzer target for `healthybay detect`'s path: CSV -> series -> every
 * detection method. Any input must give results (NA where a method cannot compute) or one clean
 * error — never a crash, a hang, a leak or undefined behaviour (huge or all-zero counts, short
 * series, daily or monthly data, populations of any size).
 *
 * Each series (the first four) runs through all eight methods on its last 30 periods (or its last
 * one when shorter than a method's history) with one of three parameter sets, picked by the
 * input's length: R's defaults; Noufaily's Farrington, R's C3, CUSUM with a GLM mean, Poisson
 * GLR returning cases, Bayes with a past year; or the remaining options (muan, a population
 * offset when the file has a population column, minSigma, Rossi's transform, a GLR window).
 */
#include <stddef.h>
#include <stdint.h>

#include "healthybay/surveil.h"
#include "series/series.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void preset(hb_surveil_params *p, int which, bool population)
{
    static const char *const one[][2] = {
        { "no-periods", "10" },
        { "past-weeks-not-included", "26" },
        { "p-threshold-trend", "1" },
        { "threshold-method", "nbPlugin" },
        { "c3", "r" },
        { "m", "glm" },
        { "alpha", "0" },
        { "ret", "cases" },
        { "b", "1" },
    };
    static const char *const two[][2] = {
        { "threshold-method", "muan" },
        { "no-periods", "4" },
        { "min-sigma", "1" },
        { "trans", "rossi" },
        { "M", "20" },
        { "alpha", "0.3" },
        { "w", "2" },
        { "power-trans", "none" },
        { "limit54", "0,4" },
        { "reweight", "false" },
    };
    if (which == 1)
        for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
            (void)hb_surveil_params_set(p, one[i][0], one[i][1]); /* some do not apply */
    if (which == 2) {
        for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
            (void)hb_surveil_params_set(p, two[i][0], two[i][1]);
        if (population)
            (void)hb_surveil_params_set(p, "population-offset", "true");
    }
}

static void one_series(const hb_series *s, int freq, int which, hb_surveil_work *work)
{
    hb_surveil_series in = { s->length, s->dates, s->values, s->population, freq };
    size_t n = s->length;
    double *num = hb_mallocarray(n, 3 * sizeof(double));
    signed char *alarm = hb_malloc(n);
    for (int m = HB_SURVEIL_EARS_C1; num && alarm && m <= HB_SURVEIL_BAYES; m++) {
        hb_surveil_params p;
        hb_surveil_params_init(&p, (hb_surveil_method)m);
        preset(&p, which, s->population != NULL);
        size_t from = hb_surveil_default_from(&p, &in);
        if (from + 30 < n)
            from = n - 30;
        if (from >= n)
            from = n - 1;
        hb_surveil_result r = { num, num + n, alarm, num + 2 * n };
        (void)hb_surveil_detect(&r, work, &in, &p, from, n);
    }
    hb_free(num);
    hb_free(alarm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hb_series_options opt;
    hb_series_options_init(&opt);
    opt.integer_values = true;
    hb_series_set *set;
    if (hb_series_read_memory(&set, "fuzz.csv", (const char *)data, size, &opt) < 0)
        return 0;
    size_t len = 1;
    for (size_t i = 0; i < hb_series_count(set) && i < 4; i++)
        len = hb_series_at(set, i)->length > len ? hb_series_at(set, i)->length : len;
    hb_surveil_work *work;
    if (hb_surveil_work_new(&work, len) == 0) {
        for (size_t i = 0; i < hb_series_count(set) && i < 4; i++)
            one_series(hb_series_at(set, i), hb_series_freq(set), (int)(size % 3), work);
        hb_surveil_work_free(work);
    }
    hb_series_free(set);
    return 0;
}
