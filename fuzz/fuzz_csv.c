/*
 * fuzz/fuzz_csv.c — libFuzzer target for the CSV reader: any bytes must give records or one
 * clean error, never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hb_csv *csv;
    if (hb_csv_open_memory(&csv, "fuzz.csv", (const char *)data, size) < 0)
        return 0;
    int rc = hb_csv_read_header(csv);
    while (rc == 0 && (rc = hb_csv_next(csv)) == 1) {
        size_t n = hb_csv_nfields(csv), len;
        for (size_t i = 0; i < n; i++)
            (void)hb_csv_field(csv, i, &len);
        if (n > 0)
            (void)hb_csv_error(csv, n - 1, "probe");
    }
    hb_csv_free(csv);
    return 0;
}
