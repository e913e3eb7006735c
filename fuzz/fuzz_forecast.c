/*
 * fuzz/fuzz_forecast.c — libFuzzer target for the Rt and forecasting path of `healthybay rt`,
 * `forecast` and `backtest`: any CSV must give estimates, forecasts or one clean error — never a
 * crash, a hang, a leak or undefined behaviour (huge counts, all zeros, one-period series...).
 */
#include <stddef.h>
#include <stdint.h>

#include "healthybay/forecast.h"
#include "healthybay/rt.h"
#include "series/series.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one_series(const hb_series *s, int freq)
{
    size_t nw = hb_rt_window_count(s->length, 7);
    hb_rt_window *w = hb_calloc(nw ? nw : 1, sizeof *w);
    double si[16];
    if (w && hb_rt_discr_si(si, 16, 3.5, 1.5) == 0) {
        hb_rt_sliding_windows(w, s->length, 7);
        (void)hb_rt_estimate(w, nw, s->values, s->imported, s->length, si, 16, NULL);
    }
    hb_free(w);
    hb_forecast_options opt;
    hb_forecast_options_init(&opt, freq);
    opt.nsamples = 20;
    opt.horizon = 3;
    opt.si = si;
    opt.si_len = 16;
    opt.members |= 1u << HB_MODEL_RENEWAL;
    opt.weight_origins = 4;
    double q[3 * HB_FORECAST_NQUANTILES];
    hb_rng rng;
    hb_rng_seed(&rng, 1);
    (void)hb_forecast(q, HB_MODEL_ENSEMBLE_WEIGHTED, s->values, s->imported, s->length, &opt, &rng);
    hb_forecast_score *scores;
    size_t n;
    if (s->length <= 40 &&
        hb_forecast_backtest(&scores, &n, s->values, s->imported, s->length, s->length / 2,
                             (1u << HB_MODEL_COUNT) - 1, &opt, &rng) == 0)
        hb_forecast_scores_free(scores);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hb_series_options opt;
    hb_series_options_init(&opt);
    opt.integer_values = true;
    hb_series_set *set;
    if (hb_series_read_memory(&set, "fuzz.csv", (const char *)data, size, &opt) < 0)
        return 0;
    for (size_t i = 0; i < hb_series_count(set) && i < 4; i++)
        one_series(hb_series_at(set, i), hb_series_freq(set));
    hb_series_free(set);
    return 0;
}
