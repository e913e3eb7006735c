/*
 * registry/rules.c — may-use and may-practise (see rules.h for the conditions).
 *
 * Each condition is one small function that either lets the question go on or writes the
 * reason for no. Where several items could grant the answer (approvals, registrations), each is
 * judged and the most telling reason kept: one in force but suspended beats one that ended,
 * which beats one that has not started.
 */
#include "registry/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registry/registry_int.h"

static void say(hb_registry_answer *out, bool yes, const char *fmt, ...) HB_PRINTF(3, 4);

static void say(hb_registry_answer *out, bool yes, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
    out->yes = yes;
}

/* How telling a reason for no is: a higher rank replaces a lower one. */
enum { WHY_NONE, WHY_NOT_STARTED, WHY_ENDED, WHY_IN_FORCE };

typedef struct why {
    int rank;
    char text[HB_ERROR_MESSAGE_MAX];
} why;

static void why_set(why *w, int rank, const char *fmt, ...) HB_PRINTF(3, 4);

static void why_set(why *w, int rank, const char *fmt, ...)
{
    if (rank < w->rank || (rank == w->rank && rank != WHY_ENDED))
        return; /* keep the first of a rank, but the latest end */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->text, sizeof w->text, fmt, ap);
    va_end(ap);
    w->rank = rank;
}

/* 1. The institution's designation for the medicines and devices policy. */
static int designated(hb_store *s, hb_registry_answer *out, const char *inst, const char *day)
{
    hb_registry__row row;
    int rc = hb_registry__query(s, &row,
                                "SELECT designated_from FROM hb_registry_designations"
                                " WHERE institution = ? AND programme = 'drug_device_connect'"
                                " AND designated_from <= ?"
                                " AND (designated_to IS NULL OR designated_to >= ?)",
                                inst, day, day, NULL);
    if (rc < 0 || row.found)
        return rc;
    rc = hb_registry__query(s, &row,
                            "SELECT designated_from, designated_to FROM hb_registry_designations"
                            " WHERE institution = ? AND programme = 'drug_device_connect'"
                            " ORDER BY designated_from DESC LIMIT 1",
                            inst, NULL);
    if (rc < 0)
        return rc;
    if (!row.found)
        say(out, false,
            "%s is not a designated institution for Hong Kong/Macao medicines and "
            "devices",
            inst);
    else if (strcmp(row.col[0], day) > 0)
        say(out, false, "%s is designated only from %s", inst, row.col[0]);
    else
        say(out, false, "%s's designation ended on %s", inst, row.col[1]);
    return 0;
}

/* 3 and 4 for one approval covering the day. departments is the approval's full list (it may
 * be longer than a row buffer holds, so it comes straight from the statement). */
static int judge_approval(hb_store *s, const hb_registry__row *a, const char *departments,
                          const char *day, const char *department, hb_registry_answer *out, why *w)
{
    hb_registry_status st;
    char since[HB_REGISTRY_VALUE_MAX], reason[HB_REGISTRY_VALUE_MAX];
    int rc = hb_registry__status_on(s, &st, "approvals", a->col[0], day, since, reason);
    if (rc < 0)
        return rc;
    if (st != HB_REGISTRY_ACTIVE)
        why_set(w, WHY_IN_FORCE, "approval %s is %s since %s: %s", a->col[0],
                hb_registry_status_name(st), since, reason);
    else if (department && *departments && !hb_registry__list_has(departments, department))
        why_set(w, WHY_IN_FORCE, "approval %s is limited to the departments %s", a->col[0],
                departments);
    else {
        say(out, true, "approval %s (%s to %s) covers this use", a->col[0], a->col[1], a->col[2]);
        snprintf(out->basis, sizeof out->basis, "%s", a->col[0]);
    }
    return 0;
}

static int approvals(hb_store *s, hb_registry_answer *out, const char *product, const char *inst,
                     const char *day, const char *department)
{
    hb_stmt *st;
    why w = { WHY_NONE, "" };
    int rc = hb_store_prepare(s, &st,
                              "SELECT approval_no, valid_from, valid_to, departments"
                              " FROM hb_registry_approvals WHERE product = ? AND institution = ?"
                              " ORDER BY valid_from, approval_no");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, product)) == 0)
        rc = hb_stmt_bind_cstr(st, 2, inst);
    while (rc == 0 && !out->yes && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        hb_registry__row a = { .found = true };
        for (int c = 0; c < 3; c++)
            snprintf(a.col[c], sizeof a.col[c], "%s", hb_stmt_text(st, c, NULL));
        rc = 0;
        if (strcmp(a.col[1], day) > 0)
            why_set(&w, WHY_NOT_STARTED, "approval %s starts only on %s", a.col[0], a.col[1]);
        else if (strcmp(a.col[2], day) < 0)
            why_set(&w, WHY_ENDED, "approval %s ended on %s", a.col[0], a.col[2]);
        else
            rc = judge_approval(s, &a, hb_stmt_text(st, 3, NULL), day, department, out, &w);
    }
    hb_stmt_finalize(st);
    if (rc >= 0 && !out->yes)
        say(out, false, "%s", w.rank ? w.text : "no approval of this product at this institution");
    return rc < 0 ? rc : 0;
}

static int exists(hb_store *s, const char *sql, const char *code, const char *what,
                  hb_registry__row *row)
{
    int rc = hb_registry__query(s, row, sql, code, NULL);
    if (rc == 0 && !row->found)
        rc = hb_error_set(HB_ENOTFOUND, "no %s '%s' in the registry", what, code);
    return rc;
}

int hb_registry_may_use(hb_store *store, hb_registry_answer *out, const char *product,
                        const char *institution, hb_date on, const char *department)
{
    memset(out, 0, sizeof *out);
    char day[HB_DATE_STRLEN], since[HB_REGISTRY_VALUE_MAX], reason[HB_REGISTRY_VALUE_MAX];
    hb_date_format(day, on);
    hb_registry__row row;
    hb_registry_status st;
    int rc = exists(store, "SELECT kind FROM hb_registry_products WHERE code = ?", product,
                    "product", &row);
    if (rc == 0)
        rc = exists(store, "SELECT 1 FROM hb_registry_institutions WHERE code = ?", institution,
                    "institution", &row);
    if (rc == 0)
        rc = designated(store, out, institution, day);
    if (rc < 0 || out->reason[0])
        return rc;
    rc = hb_registry__status_on(store, &st, "products", product, day, since, reason);
    if (rc < 0)
        return rc;
    if (st != HB_REGISTRY_ACTIVE) {
        say(out, false, "%s is %s since %s: %s", product, hb_registry_status_name(st), since,
            reason);
        return 0;
    }
    return approvals(store, out, product, institution, day, department);
}

/* 1. Suspensions and removals in effect, from any regulator. */
static int in_good_standing(hb_store *s, hb_registry_answer *out, const char *person,
                            const char *day)
{
    hb_registry__row d;
    int rc = hb_registry__query(s, &d,
                                "SELECT action, effective_from, effective_to, authority"
                                " FROM hb_registry_disciplinary WHERE practitioner = ?"
                                " AND action IN ('suspension', 'removal')"
                                " AND effective_from <= ?"
                                " AND (effective_to IS NULL OR effective_to >= ?)"
                                " ORDER BY effective_from DESC LIMIT 1",
                                person, day, day, NULL);
    if (rc == 0 && d.found)
        say(out, false, "%s is under %s by %s from %s%s%s", person,
            strcmp(d.col[0], "removal") == 0 ? "removal from the register" : "suspension", d.col[3],
            d.col[1], d.col[2][0] ? " to " : "", d.col[2][0] ? d.col[2] : "");
    return rc;
}

/* 2. A home registration in force and active on the day. */
static int registered_at_home(hb_store *s, hb_registry_answer *out, const char *person,
                              const char *home, const char *day, char *registration)
{
    hb_stmt *st;
    why w = { WHY_NONE, "" };
    int rc = hb_store_prepare(s, &st,
                              "SELECT g.register || '/' || g.number, g.registered_from,"
                              " g.registered_to FROM hb_registry_registrations g"
                              " JOIN hb_registry_registers r ON r.code = g.register"
                              " WHERE g.practitioner = ? AND r.jurisdiction = ?"
                              " ORDER BY g.registered_from");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, person)) == 0)
        rc = hb_stmt_bind_cstr(st, 2, home);
    while (rc == 0 && !registration[0] && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        char item[HB_REGISTRY_VALUE_MAX], since[HB_REGISTRY_VALUE_MAX], why_text[512];
        snprintf(item, sizeof item, "%s", hb_stmt_text(st, 0, NULL));
        const char *from = hb_stmt_text(st, 1, NULL), *to = hb_stmt_text(st, 2, NULL);
        hb_registry_status status;
        rc = 0;
        if (strcmp(from, day) > 0)
            why_set(&w, WHY_NOT_STARTED, "home registration %s starts only on %s", item, from);
        else if (to[0] && strcmp(to, day) < 0)
            why_set(&w, WHY_ENDED, "home registration %s ended on %s", item, to);
        else if ((rc = hb_registry__status_on(s, &status, "registrations", item, day, since,
                                              why_text)) == 0 &&
                 status != HB_REGISTRY_ACTIVE)
            why_set(&w, WHY_IN_FORCE, "home registration %s is %s since %s: %s", item,
                    hb_registry_status_name(status), since, why_text);
        else if (rc == 0)
            snprintf(registration, HB_REGISTRY_VALUE_MAX, "%s", item);
    }
    hb_stmt_finalize(st);
    if (rc >= 0 && !registration[0])
        say(out, false, "%s", w.rank ? w.text : "no home registration on record");
    return rc < 0 ? rc : 0;
}

/* 3. Practice at the institution on the day; *emp gets valid_from, valid_to, permit. */
static int employed(hb_store *s, hb_registry_answer *out, const char *person, const char *inst,
                    const char *day, hb_registry__row *emp)
{
    int rc = hb_registry__query(s, emp,
                                "SELECT valid_from, valid_to, permit FROM hb_registry_employments"
                                " WHERE practitioner = ? AND institution = ? AND valid_from <= ?"
                                " AND (valid_to IS NULL OR valid_to >= ?)"
                                " ORDER BY valid_from DESC LIMIT 1",
                                person, inst, day, day, NULL);
    if (rc < 0 || emp->found)
        return rc;
    hb_registry__row any;
    rc = hb_registry__query(s, &any,
                            "SELECT valid_from, valid_to FROM hb_registry_employments"
                            " WHERE practitioner = ? AND institution = ?"
                            " ORDER BY CASE WHEN valid_from <= ? THEN 0 ELSE 1 END,"
                            " valid_from DESC LIMIT 1",
                            person, inst, day, NULL);
    if (rc == 0 && !any.found)
        say(out, false, "%s is not registered to practise at %s", person, inst);
    else if (rc == 0 && strcmp(any.col[0], day) > 0)
        say(out, false, "%s's practice at %s starts only on %s", person, inst, any.col[0]);
    else if (rc == 0)
        say(out, false, "%s's practice at %s ended on %s", person, inst, any.col[1]);
    return rc;
}

/* 4. The permit the practice rests on: valid, active, and for the institution's area. */
static int on_permit(hb_store *s, hb_registry_answer *out, const char *permit, const char *zone,
                     const char *day)
{
    hb_registry__row p;
    char since[HB_REGISTRY_VALUE_MAX], reason[HB_REGISTRY_VALUE_MAX];
    hb_registry_status st;
    int rc = hb_registry__query(s, &p,
                                "SELECT p.valid_from, p.valid_to, p.scheme, s.area"
                                " FROM hb_registry_permits p JOIN hb_registry_schemes s"
                                " ON s.code = p.scheme AND s.valid_from <= p.valid_from"
                                " AND (s.valid_to IS NULL OR s.valid_to >= p.valid_from)"
                                " WHERE p.permit_no = ?",
                                permit, NULL);
    if (rc == 0 && !p.found)
        say(out, false, "the practice rests on no known permit ('%s')", permit);
    else if (rc == 0 && strcmp(p.col[0], day) > 0)
        say(out, false, "permit %s is valid only from %s", permit, p.col[0]);
    else if (rc == 0 && strcmp(p.col[1], day) < 0)
        say(out, false, "permit %s expired on %s", permit, p.col[1]);
    else if (rc == 0 && strcmp(p.col[3], "hengqin") == 0 && strcmp(zone, "hengqin") != 0)
        say(out, false, "permit %s is valid only in the Hengqin cooperation zone", permit);
    else if (rc == 0 &&
             (rc = hb_registry__status_on(s, &st, "permits", permit, day, since, reason)) == 0 &&
             st != HB_REGISTRY_ACTIVE)
        say(out, false, "permit %s is %s since %s: %s", permit, hb_registry_status_name(st), since,
            reason);
    else if (rc == 0)
        say(out, true, "permit %s (%s, %s to %s) covers practice there", permit, p.col[2], p.col[0],
            p.col[1]);
    return rc;
}

int hb_registry_may_practise(hb_store *store, hb_registry_answer *out, const char *person,
                             const char *institution, hb_date on)
{
    memset(out, 0, sizeof *out);
    char day[HB_DATE_STRLEN], registration[HB_REGISTRY_VALUE_MAX] = "";
    hb_date_format(day, on);
    hb_registry__row who, inst, emp;
    int rc = exists(store, "SELECT home_jurisdiction FROM hb_registry_practitioners WHERE id = ?",
                    person, "practitioner", &who);
    if (rc == 0)
        rc = exists(store, "SELECT jurisdiction, zone FROM hb_registry_institutions WHERE code = ?",
                    institution, "institution", &inst);
    if (rc == 0)
        rc = in_good_standing(store, out, person, day);
    if (rc == 0 && !out->reason[0])
        rc = registered_at_home(store, out, person, who.col[0], day, registration);
    if (rc == 0 && !out->reason[0])
        rc = employed(store, out, person, institution, day, &emp);
    if (rc < 0 || out->reason[0])
        return rc;
    if (strcmp(inst.col[0], who.col[0]) == 0) {
        say(out, true, "practice at home (%s) on registration %s", who.col[0], registration);
        snprintf(out->basis, sizeof out->basis, "%s", registration);
        return 0;
    }
    rc = on_permit(store, out, emp.col[2], inst.col[1], day);
    if (rc == 0 && out->yes)
        snprintf(out->basis, sizeof out->basis, "%s", emp.col[2]);
    return rc;
}
