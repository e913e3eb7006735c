/*
 * fuzz/fuzz_phenotype.c — libFuzzer target for the phenotype notation and antigen lists: any
 * bytes give a valid phenotype or one clean error, and a parsed phenotype written out and parsed
 * again is the same phenotype.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "blood/phenotype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hb_blood_phenotype ph = { 0 }, again = { 0 };
    uint64_t mask;
    (void)hb_blood_antigen_list_parse(&mask, (const char *)data, size);
    if (hb_blood_phenotype_parse(&ph, (const char *)data, size, size % 2 == 1) < 0)
        return 0;
    if (hb_blood_phenotype_check(&ph) < 0)
        abort();
    hb_buf typed, predicted;
    hb_buf_init(&typed, 0);
    hb_buf_init(&predicted, 0);
    if (hb_blood_phenotype_format(&typed, &ph, HB_STATES_TYPED) < 0 ||
        hb_blood_phenotype_format(&predicted, &ph, HB_STATES_PREDICTED) < 0 ||
        hb_blood_phenotype_parse(&again, typed.ptr, typed.len, false) < 0 ||
        hb_blood_phenotype_parse(&again, predicted.ptr, predicted.len, true) < 0)
        abort();
    if (again.pos != ph.pos || again.neg != ph.neg || again.predicted != ph.predicted)
        abort();
    hb_buf_dispose(&typed);
    hb_buf_dispose(&predicted);
    return 0;
}
