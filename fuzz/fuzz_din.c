/*
 * fuzz/fuzz_din.c — libFuzzer target for ISBT 128 DIN parsing: any bytes give a DIN or one clean
 * error, and every accepted DIN re-parses from its printed form to itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blood/din.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char din[HB_BLOOD_DIN_LEN + 1], again[HB_BLOOD_DIN_LEN + 1], printed[20];
    if (hb_blood_din_parse(din, (const char *)data, size) < 0)
        return 0;
    hb_blood_din_format(printed, din);
    if (hb_blood_din_parse(again, printed, strlen(printed)) < 0 || strcmp(din, again) != 0)
        abort();
    return 0;
}
