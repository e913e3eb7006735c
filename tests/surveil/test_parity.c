/*
 * Parity with R: every configuration of tests/parity/detect.R, on every fixture series. Each test
 * demands identical alarms and expected / upperbound within 1e-6 relative (parity.h).
 */
#include "harness.h"
#include "parity.h"

TEST(parity__earsC1)
{
    parity_run("earsC1");
}

TEST(parity__earsC1_alt)
{
    parity_run("earsC1_alt");
}

TEST(parity__earsC2)
{
    parity_run("earsC2");
}

TEST(parity__earsC2_alt)
{
    parity_run("earsC2_alt");
}

TEST(parity__earsC3)
{
    parity_run("earsC3");
}

TEST(parity__earsC3_alt)
{
    parity_run("earsC3_alt");
}

TEST(parity__ff_default)
{
    parity_run("ff_default");
}

TEST(parity__ff_noufaily)
{
    parity_run("ff_noufaily");
}

TEST(parity__ff_muan)
{
    parity_run("ff_muan");
}

TEST(parity__ff_orig)
{
    parity_run("ff_orig");
}

TEST(parity__ff_popoffset)
{
    parity_run("ff_popoffset");
}

TEST(parity__farrington)
{
    parity_run("farrington");
}

TEST(parity__farrington_alt)
{
    parity_run("farrington_alt");
}

TEST(parity__cusum)
{
    parity_run("cusum");
}

TEST(parity__cusum_alt)
{
    parity_run("cusum_alt");
}

TEST(parity__cusum_glm)
{
    parity_run("cusum_glm");
}

TEST(parity__glrnb)
{
    parity_run("glrnb");
}

TEST(parity__glrnb_pois_cases)
{
    parity_run("glrnb_pois_cases");
}

TEST(parity__glrnb_nb_window)
{
    parity_run("glrnb_nb_window");
}

TEST(parity__bayes)
{
    parity_run("bayes");
}

TEST(parity__bayes_alt)
{
    parity_run("bayes_alt");
}

TEST(parity__glrnb_full)
{
    parity_run("glrnb_full");
}
