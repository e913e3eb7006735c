/* Tests for util/buf.c and util/alloc.c. */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "util/alloc.h"
#include "util/buf.h"

TEST(buf__append_and_detach)
{
    hb_buf b;
    hb_buf_init(&b, 0);
    CHECK_STR_EQ(hb_buf_cstr(&b), "");
    CHECK_OK(hb_buf_puts(&b, "Greater "));
    CHECK_OK(hb_buf_printf(&b, "Bay %s %d", "Area", 11));
    CHECK_OK(hb_buf_putc(&b, '!'));
    CHECK_STR_EQ(hb_buf_cstr(&b), "Greater Bay Area 11!");
    CHECK_INT_EQ(b.len, 20);
    char *s = hb_buf_detach(&b);
    CHECK_STR_EQ(s, "Greater Bay Area 11!");
    CHECK_INT_EQ(b.len, 0);
    hb_free(s);
    hb_buf_dispose(&b);
}

TEST(buf__limit_keeps_contents)
{
    hb_buf b;
    hb_buf_init(&b, 8);
    CHECK_OK(hb_buf_puts(&b, "12345678"));
    CHECK_FAILS(hb_buf_putc(&b, '9'), HB_ELIMIT, "limit of 8 bytes");
    CHECK_FAILS(hb_buf_printf(&b, "%d", 1), HB_ELIMIT, NULL);
    CHECK_STR_EQ(hb_buf_cstr(&b), "12345678");
    hb_buf_reset(&b);
    CHECK_STR_EQ(hb_buf_cstr(&b), "");
    hb_buf_dispose(&b);
}

TEST(buf__growth_is_exact_across_many_appends)
{
    hb_buf b;
    hb_buf_init(&b, 0);
    for (int i = 0; i < 100000; i++)
        CHECK_OK(hb_buf_putc(&b, (char)('a' + i % 26)));
    CHECK_INT_EQ(b.len, 100000);
    CHECK_INT_EQ(b.ptr[99999], 'a' + 99999 % 26);
    CHECK_INT_EQ(b.ptr[100000], '\0');
    hb_buf_dispose(&b);
}

TEST(alloc__overflow_checked)
{
    size_t out;
    CHECK(!hb_size_mul(&out, SIZE_MAX / 2, 3));
    CHECK(hb_size_mul(&out, 1000, 1000) && out == 1000000);
    CHECK(!hb_size_add(&out, SIZE_MAX, 1));
    CHECK(hb_mallocarray(SIZE_MAX / 4, 8) == NULL);
    CHECK_INT_EQ(hb_error_last_code(), HB_ENOMEM);
}

TEST(alloc__fault_injection)
{
    hb_alloc_fail_after(2);
    void *a = hb_malloc(10);
    void *b = hb_malloc(10);
    hb_alloc_fail_after(0);
    CHECK(a != NULL);
    CHECK(b == NULL);
    CHECK_INT_EQ(hb_error_last_code(), HB_ENOMEM);
    hb_free(a);
}
