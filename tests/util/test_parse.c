/* Tests for util/parse.c: strict numbers. */
#include <string.h>

#include "harness.h"
#include "util/parse.h"

static int p64(const char *s, int64_t *v)
{
    return hb_parse_int64(v, s, strlen(s));
}

static int pd(const char *s, double *v)
{
    return hb_parse_double(v, s, strlen(s));
}

TEST(parse__integers)
{
    int64_t v;
    CHECK_OK(p64("0", &v));
    CHECK_INT_EQ(v, 0);
    CHECK_OK(p64("-42", &v));
    CHECK_INT_EQ(v, -42);
    CHECK_OK(p64("+7", &v));
    CHECK_INT_EQ(v, 7);
    CHECK_OK(p64("9223372036854775807", &v));
    CHECK_INT_EQ(v, INT64_MAX);
    CHECK_OK(p64("-9223372036854775808", &v));
    CHECK(v == INT64_MIN);
    CHECK_FAILS(p64("9223372036854775808", &v), HB_EINVAL, "too large");
    static const char *const bad[] = { "", "-", "12a", " 1", "1 ", "0x10", "1.0", "1e3", "++1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_FAILS(p64(bad[i], &v), HB_EINVAL, NULL);
}

TEST(parse__doubles)
{
    double v;
    CHECK_OK(pd("1.5", &v));
    CHECK(v == 1.5);
    CHECK_OK(pd("-2e3", &v));
    CHECK(v == -2000.0);
    CHECK_OK(pd("12", &v));
    CHECK(v == 12.0);
    static const char *const bad[] = { "", "nan", "inf", "1e999", "0x1p3", "1.2.3", "1,5", " 1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_FAILS(pd(bad[i], &v), HB_EINVAL, NULL);
}
