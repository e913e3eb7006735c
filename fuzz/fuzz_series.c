/*
 * fuzz/fuzz_series.c — libFuzzer target for the series CSV reader (CSV → checked series).
 * The first byte picks the options, so every combination is explored.
 */
#include <stddef.h>
#include <stdint.h>

#include "series/series.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    hb_series_options opt;
    hb_series_options_init(&opt);
    opt.integer_values = (data[0] & 1) != 0;
    opt.allow_missing = (data[0] & 2) != 0;
    static const int freqs[4] = { 0, HB_FREQ_DAILY, HB_FREQ_WEEKLY, HB_FREQ_MONTHLY };
    opt.freq = freqs[(data[0] >> 2) & 3];
    hb_series_set *set;
    if (hb_series_read_memory(&set, "fuzz.csv", (const char *)data + 1, size - 1, &opt) == 0) {
        for (size_t i = 0; i < hb_series_count(set); i++) {
            const hb_series *s = hb_series_at(set, i);
            for (size_t t = 1; t < s->length; t++)
                if (s->dates[t] <= s->dates[t - 1])
                    __builtin_trap(); /* the reader promised increasing dates */
        }
        hb_series_free(set);
    }
    return 0;
}
