/* Tests for blood/din.c: ISBT 128 DIN structure and the ISO/IEC 7064 MOD 37-2 check character. */
#include <string.h>

#include "blood/din.h"
#include "harness.h"

/* Computed with python-stdnum 1.18 (stdnum.iso7064.mod_37_2.calc_check_digit), an independent
 * implementation; "ABCDE27000069" → 'C' is also the published example of a FileMaker ISBT 128
 * check-character function, and A999922123450 is the DIN of HL7 FHIR's ISBT 128 example. */
static const struct {
    const char *din;
    char check;
} vectors[] = {
    { "W123424123456", '4' }, { "G150724000001", 'I' }, { "A999912345678", 'R' },
    { "J000022000000", 'L' }, { "X123426999999", 'N' }, { "W000024000001", 'C' },
    { "D876525654321", 'Z' }, { "Z999999999999", 'P' }, { "A000000000000", '*' },
    { "ABCDE27000069", 'C' }, { "A999922123450", 'Z' },
};

TEST(blood__din_check_character_matches_reference)
{
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        CHECK_MSG(hb_blood_din_check_char(vectors[i].din) == vectors[i].check, "%s: got %c want %c",
                  vectors[i].din, hb_blood_din_check_char(vectors[i].din), vectors[i].check);
}

TEST(blood__din_parse_accepts_label_forms)
{
    char out[HB_BLOOD_DIN_LEN + 1];
    CHECK_OK(hb_blood_din_parse(out, "W1234241234564", 14));
    CHECK_STR_EQ(out, "W123424123456");
    const char *printed = "W1234 24 123456 4";
    CHECK_OK(hb_blood_din_parse(out, printed, strlen(printed)));
    CHECK_STR_EQ(out, "W123424123456");
    CHECK_OK(hb_blood_din_parse(out, "w1234241234564", 14)); /* typed in lower case */
    CHECK_STR_EQ(out, "W123424123456");
    CHECK_OK(hb_blood_din_parse(out, "A000000000000*", 14));
    char formatted[20];
    hb_blood_din_format(formatted, "W123424123456");
    CHECK_STR_EQ(formatted, "W1234 24 123456 4");
}

TEST(blood__din_parse_rejects_bad_numbers)
{
    char out[HB_BLOOD_DIN_LEN + 1];
    CHECK_FAILS(hb_blood_din_parse(out, "W1234241234565", 14), HB_EINVAL,
                "check character '5' is wrong (expected '4')");
    CHECK_FAILS(hb_blood_din_parse(out, "W123424123456", 13), HB_EINVAL, "got 13 characters");
    CHECK_FAILS(hb_blood_din_parse(out, "W12342412345644", 15), HB_EINVAL, "got more");
    CHECK_FAILS(hb_blood_din_parse(out, "WX234241234564", 14), HB_EINVAL,
                "character 2 must be a digit");
    CHECK_FAILS(hb_blood_din_parse(out, "*1234241234564", 14), HB_EINVAL, "FIN must start");
    CHECK_FAILS(hb_blood_din_parse(out, "", 0), HB_EINVAL, "got 0 characters");
}

/* The point of a check character: every single substitution and every adjacent transposition
 * of a valid DIN is caught. */
TEST(blood__din_detects_substitutions_and_transpositions)
{
    const char *good = "W1234241234564";
    char buf[15], out[HB_BLOOD_DIN_LEN + 1];
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    size_t tried = 0;
    for (size_t i = 0; i < 13; i++)
        for (size_t k = 0; k < 36; k++) {
            memcpy(buf, good, 14);
            if (buf[i] == alphabet[k] || (i > 0 && (alphabet[k] < '0' || alphabet[k] > '9')))
                continue;
            buf[i] = alphabet[k];
            CHECK_MSG(hb_blood_din_parse(out, buf, 14) < 0, "substitution not caught: %.14s", buf);
            tried++;
        }
    for (size_t i = 0; i + 1 < 13; i++) {
        memcpy(buf, good, 14);
        if (buf[i] == buf[i + 1] || i == 0)
            continue;
        char t = buf[i];
        buf[i] = buf[i + 1];
        buf[i + 1] = t;
        CHECK_MSG(hb_blood_din_parse(out, buf, 14) < 0, "transposition not caught: %.14s", buf);
        tried++;
    }
    CHECK(tried > 100);
}
