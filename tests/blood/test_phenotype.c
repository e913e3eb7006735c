/* Tests for blood/phenotype.c: the antigen table and the phenotype notation. */
#include <string.h>

#include "blood/phenotype.h"
#include "harness.h"

static uint64_t bit(const char *code)
{
    const hb_blood_antigen *a = hb_blood_antigen_find(code, strlen(code));
    CHECK_MSG(a != NULL, "no antigen %s", code);
    return UINT64_C(1) << a->bit;
}

static hb_blood_phenotype parse(const char *text)
{
    hb_blood_phenotype ph = { 0 };
    CHECK_OK(hb_blood_phenotype_parse(&ph, text, strlen(text), false));
    return ph;
}

/* The table is the stored bit layout: bits are 0..n-1 in order, codes and ISBT numbers unique. */
TEST(blood__antigen_table_is_consistent)
{
    size_t n;
    const hb_blood_antigen *t = hb_blood_antigens(&n);
    CHECK(n >= 40 && n <= HB_BLOOD_ANTIGEN_BITS);
    for (size_t i = 0; i < n; i++) {
        CHECK_INT_EQ(t[i].bit, i);
        for (size_t k = 0; k < i; k++) {
            CHECK_MSG(strcmp(t[i].code, t[k].code) != 0, "duplicate code %s", t[i].code);
            CHECK_MSG(t[i].system_number != t[k].system_number || t[i].number != t[k].number,
                      "duplicate ISBT number for %s and %s", t[i].code, t[k].code);
        }
    }
    char num[7];
    hb_blood_antigen_isbt_number(num, hb_blood_antigen_find("Jk3", 3));
    CHECK_STR_EQ(num, "009003");
    hb_blood_antigen_isbt_number(num, hb_blood_antigen_find("Mia", 3));
    CHECK_STR_EQ(num, "002007");
    hb_blood_antigen_isbt_number(num, hb_blood_antigen_find("Vel", 3));
    CHECK_STR_EQ(num, "034001");
}

TEST(blood__phenotype_forms_agree)
{
    /* Four ways to write the same Kidd null, Rh and Diego phenotype. */
    hb_blood_phenotype a = parse("Jka- Jkb- C+ c- E- e+ Dib-");
    hb_blood_phenotype b = parse("Jk(a-b-);C+c-E-e+ Di(b-)");
    hb_blood_phenotype c = parse("JK:-1,-2 RH:2,-4,-3,5 DI:-2");
    hb_blood_phenotype d =
        parse("Jk(a\xe2\x88\x92"
              "b\xe2\x88\x92) C+ c\xe2\x88\x92 E\xe2\x88\x92 e+w Di(b\xe2\x88\x92)");
    CHECK(a.neg == (bit("Jka") | bit("Jkb") | bit("c") | bit("E") | bit("Dib")));
    CHECK(a.pos == (bit("C") | bit("e")));
    CHECK(a.predicted == 0);
    CHECK(a.pos == b.pos && a.neg == b.neg);
    CHECK(a.pos == c.pos && a.neg == c.neg);
    CHECK(a.pos == d.pos && a.neg == d.neg);
    hb_blood_phenotype mur = parse("Mi(a-) Mur- GE:-2,-3 Vel-");
    CHECK(mur.neg == (bit("Mia") | bit("Mur") | bit("Ge2") | bit("Ge3") | bit("Vel")));
    CHECK_OK(hb_blood_phenotype_check(&a));
}

TEST(blood__phenotype_predicted_merges_with_typed)
{
    hb_blood_phenotype ph = parse("C+ c- K-");
    CHECK_OK(hb_blood_phenotype_parse(&ph, "Jkb- Dib-", 9, true));
    CHECK(ph.predicted == (bit("Jkb") | bit("Dib")));
    CHECK(ph.neg & bit("Jkb"));
    CHECK_OK(hb_blood_phenotype_check(&ph));
    hb_buf out;
    hb_buf_init(&out, 0);
    CHECK_OK(hb_blood_phenotype_format(&out, &ph, HB_STATES_TYPED));
    CHECK_STR_EQ(hb_buf_cstr(&out), "C+ c- K-");
    hb_buf_reset(&out);
    CHECK_OK(hb_blood_phenotype_format(&out, &ph, HB_STATES_PREDICTED));
    CHECK_STR_EQ(hb_buf_cstr(&out), "Jkb- Dib-");
    /* Genotype contradicting serology is refused, not silently merged. */
    CHECK_FAILS(hb_blood_phenotype_parse(&ph, "K+", 2, true), HB_EINVAL, "K is given twice");
    hb_buf_dispose(&out);
}

TEST(blood__phenotype_format_round_trips)
{
    hb_blood_phenotype ph = parse("Vel- Jk(a+b-) Fy(a+b-) c- C+ Mia- H+ Lan- Kpb+ Rh29+");
    hb_buf out;
    hb_buf_init(&out, 0);
    CHECK_OK(hb_blood_phenotype_format(&out, &ph, HB_STATES_TYPED));
    CHECK_STR_EQ(hb_buf_cstr(&out), "C+ c- Rh29+ Mia- Kpb+ Fya+ Fyb- Jka+ Jkb- H+ Lan- Vel-");
    hb_blood_phenotype again = parse(hb_buf_cstr(&out));
    CHECK(again.pos == ph.pos && again.neg == ph.neg);
    hb_buf_dispose(&out);
}

TEST(blood__phenotype_errors_name_the_token)
{
    static const struct {
        const char *text, *needle;
    } bad[] = {
        { "Jkx-", "'Jkx-': unknown antigen 'Jkx'" },
        { "D-", "'D-': D: RhD has its own field" },
        { "Jka", "'Jka': 'Jka' needs a sign" },
        { "Jka- Jka-", "'Jka-': Jka is given twice" },
        { "Jka- Jka+", "Jka is given twice" },
        { "Jk(a-b-", "missing ')' after 'Jk('" },
        { "Jk(ab-)", "unknown antigen 'Jkab'" },
        { "JK:-1,x", "expected an antigen number after 'JK:'" },
        { "JK:9", "antigen JK9 is not typed here" },
        { "XX:1", "no antigen of system 'XX'" },
        { "Jka-/", "expected an antigen code at '/'" },
        { "k-)", "expected an antigen code at ')'" },
        { "Fy(a+)x", "unexpected 'x'" },
        { "c?", "needs a sign" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hb_blood_phenotype ph = { 0 };
        CHECK_FAILS(hb_blood_phenotype_parse(&ph, bad[i].text, strlen(bad[i].text), false),
                    HB_EINVAL, bad[i].needle);
    }
}

TEST(blood__antigen_lists)
{
    uint64_t m;
    CHECK_OK(hb_blood_antigen_list_parse(&m, "Jka,Fya", 7));
    CHECK(m == (bit("Jka") | bit("Fya")));
    const char *anti = "anti-Jk3 anti-Mia;Vel";
    CHECK_OK(hb_blood_antigen_list_parse(&m, anti, strlen(anti)));
    CHECK(m == (bit("Jk3") | bit("Mia") | bit("Vel")));
    CHECK_OK(hb_blood_antigen_list_parse(&m, "", 0));
    CHECK(m == 0);
    CHECK_FAILS(hb_blood_antigen_list_parse(&m, "jka", 3), HB_EINVAL, "unknown antigen 'jka'");
    hb_buf out;
    hb_buf_init(&out, 0);
    CHECK_OK(hb_blood_antigen_list_format(&out, bit("Fya") | bit("c") | bit("Jka")));
    CHECK_STR_EQ(hb_buf_cstr(&out), "c,Fya,Jka");
    hb_buf_dispose(&out);
    hb_blood_abo abo;
    hb_blood_rhd rhd;
    CHECK_OK(hb_blood_abo_parse(&abo, "AB", 2));
    CHECK_INT_EQ(abo, HB_ABO_AB);
    CHECK_FAILS(hb_blood_abo_parse(&abo, "C", 1), HB_EINVAL, "not an ABO group");
    CHECK_OK(hb_blood_rhd_parse(&rhd, "-", 1));
    CHECK_INT_EQ(rhd, HB_RHD_NEG);
    CHECK_FAILS(hb_blood_rhd_parse(&rhd, "negative", 8), HB_EINVAL, "pos or neg");
}
