/*
 * fuzz/fuzz_ini.c — libFuzzer target for the configuration reader.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hb_ini *ini;
    if (hb_ini_parse(&ini, "fuzz.conf", (const char *)data, size) == 0) {
        static const char *const known[] = { "run.time", "detect.*.methods", NULL };
        long n;
        (void)hb_ini_check_keys(ini, known);
        for (size_t i = 0; i < hb_ini_section_count(ini); i++)
            (void)hb_ini_get_int(ini, hb_ini_section_name(ini, i), "x", 0, 10, &n);
        hb_ini_free(ini);
    }
    return 0;
}
