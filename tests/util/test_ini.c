/* Tests for util/ini.c: a strict configuration reader. */
#include <string.h>

#include "harness.h"
#include "util/ini.h"

static hb_ini *parse(const char *text)
{
    hb_ini *ini;
    CHECK_OK(hb_ini_parse(&ini, "w.conf", text, strlen(text)));
    return ini;
}

static void parse_fails(const char *text, const char *needle)
{
    hb_ini *ini = NULL;
    CHECK_FAILS(hb_ini_parse(&ini, "w.conf", text, strlen(text)), HB_EINVAL, needle);
    CHECK(ini == NULL);
}

TEST(ini__sections_values_comments)
{
    hb_ini *ini =
        parse("# early warning\n\n[run]\ntime = 08:30   # local\n"
              "[detect.count.weekly]\n  methods = farrington-flexible ears-c2\n"
              "options=--alpha 0.01 ; comment\nhash = a#b\n[alerts]\nwarning_excess=0.25\n"
              "rt_escalates = no\nmerge_gap_periods = 3\n");
    CHECK_STR_EQ(hb_ini_get(ini, "run", "time"), "08:30");
    CHECK_STR_EQ(hb_ini_get(ini, "detect.count.weekly", "methods"), "farrington-flexible ears-c2");
    CHECK_STR_EQ(hb_ini_get(ini, "detect.count.weekly", "options"), "--alpha 0.01");
    CHECK_STR_EQ(hb_ini_get(ini, "detect.count.weekly", "hash"), "a#b");
    CHECK(hb_ini_get(ini, "run", "nope") == NULL);
    double d = 0;
    CHECK_OK(hb_ini_get_double(ini, "alerts", "warning_excess", 0, 10, &d));
    CHECK(d == 0.25);
    bool b = true;
    CHECK_OK(hb_ini_get_bool(ini, "alerts", "rt_escalates", &b));
    CHECK(!b);
    long n = 2;
    CHECK_OK(hb_ini_get_int(ini, "alerts", "merge_gap_periods", 0, 52, &n));
    CHECK_INT_EQ(n, 3);
    long keep = 7;
    CHECK_OK(hb_ini_get_int(ini, "alerts", "absent", 0, 52, &keep));
    CHECK_INT_EQ(keep, 7);
    CHECK_INT_EQ(hb_ini_section_count(ini), 3);
    CHECK_STR_EQ(hb_ini_section_name(ini, 1), "detect.count.weekly");
    static const char *const known[] = { "run.time",
                                         "detect.*.methods",
                                         "detect.*.options",
                                         "detect.*.hash",
                                         "alerts.warning_excess",
                                         "alerts.rt_escalates",
                                         "alerts.merge_gap_periods",
                                         NULL };
    CHECK_OK(hb_ini_check_keys(ini, known));
    hb_ini_free(ini);
}

TEST(ini__errors_name_the_place)
{
    parse_fails("[run\n", "w.conf:1:5: expected [section-name]");
    parse_fails("key = 1\n", "w.conf:1:1: key before any [section]");
    parse_fails("[a]\nx = 1\nx = 2\n", "w.conf:3:1: key appears twice");
    parse_fails("[a]\n[a]\n", "w.conf:2:2: section appears twice");
    parse_fails("[a]\njust words\n", "w.conf:2:6: expected key = value");
    parse_fails("[a] x\n", "text after ']'");
    hb_ini *ini = parse("[alerts]\nwarning_excess = lots\nmerge_gap_periods = 99\n"
                        "rt_escalates = maybe\ntypo = 1\n");
    double d;
    CHECK_FAILS(hb_ini_get_double(ini, "alerts", "warning_excess", 0, 10, &d), HB_EINVAL,
                "w.conf:2:1: [alerts] warning_excess: 'lots' is not a number from 0 to 10");
    long n;
    CHECK_FAILS(hb_ini_get_int(ini, "alerts", "merge_gap_periods", 0, 52, &n), HB_EINVAL,
                "w.conf:3:1: [alerts] merge_gap_periods: '99' is not a whole number from 0 to 52");
    bool b;
    CHECK_FAILS(hb_ini_get_bool(ini, "alerts", "rt_escalates", &b), HB_EINVAL,
                "'maybe' is not yes or no");
    static const char *const known[] = { "alerts.warning_excess", "alerts.merge_gap_periods",
                                         "alerts.rt_escalates", NULL };
    CHECK_FAILS(hb_ini_check_keys(ini, known), HB_EINVAL,
                "w.conf:5:1: unknown setting 'typo' in [alerts]");
    hb_ini_free(ini);
}

TEST(ini__file)
{
    hb_ini *ini;
    const char *path = hb_test_write_file("x.conf", "[a]\nb = c\n");
    CHECK_OK(hb_ini_read_file(&ini, path));
    CHECK_STR_EQ(hb_ini_get(ini, "a", "b"), "c");
    hb_ini_free(ini);
    CHECK_FAILS(hb_ini_read_file(&ini, hb_test_path("none.conf")), HB_ENOTFOUND, "cannot open");
}
