/*
 * settle/voucher.c — crediting, reading and using Elderly Health Care Vouchers (voucher.h).
 *
 * Ledger shape. A credit moves value from the scheme to the holder:
 *     payer:HK-EHCV:HKD  -credited        voucher:<holder>:HKD  +credited
 * A use (posted by adjudication) spends it and makes the scheme owe the provider the fee part:
 *     voucher:<holder>:HKD  -deduction (converted from the fee part at the month's factor)
 *     payer:HK-EHCV:HKD     +deduction    payer:HK-EHCV:<fee ccy>  -fee part
 *     provider:<p>:<fee ccy> +fee part
 * so the scheme's HKD account is minus the vouchers outstanding, and each currency balances.
 */
#include "settle/voucher.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "settle/ledger.h"
#include "settle/rates.h"
#include "settle/settle_int.h"
#include "util/alloc.h"
#include "util/error.h"

static int year_of(hb_date d)
{
    int y, m, day;
    hb_date_to_ymd(d, &y, &m, &day);
    return y;
}

/* The first day an optometry sub-cap was in force, on or before date (0 when none). */
static int subcap_first_day(hb_store *store, hb_date date, hb_date *out)
{
    char day[HB_DATE_STRLEN];
    const char *p[] = { hb_date_format(day, date) };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT MIN(valid_from) FROM hb_settle_ehcv_rules WHERE"
                                  " optometry_cap_minor IS NOT NULL AND valid_from <= ?",
                                  p, 1);
    *out = 0;
    if (rc == HB_STORE_ROW) {
        size_t len;
        const char *t = hb_stmt_text(st, 0, &len);
        rc = len ? hb_date_parse(out, t, len) : 0;
        hb_stmt_finalize(st);
    }
    return rc < 0 ? rc : 0;
}

/* The optometry cycle containing date: calendar years anchor + k*years, clipped to the day the
 * sub-cap began. */
static int optometry_cycle(hb_store *store, const hb_settle_ehcv_rule *r, hb_date date,
                           hb_date *from, hb_date *to)
{
    int64_t y = year_of(date), years = r->optometry_cycle_years;
    int64_t k = (y - r->optometry_cycle_anchor) / years;
    if ((y - r->optometry_cycle_anchor) % years < 0)
        k--; /* floor division for years before the anchor */
    int start = (int)(r->optometry_cycle_anchor + k * years);
    hb_date first;
    int rc = subcap_first_day(store, date, &first);
    *from = hb_date_from_ymd(start, 1, 1);
    if (first > *from)
        *from = first;
    *to = hb_date_from_ymd(start + (int)years - 1, 12, 31);
    return rc;
}

static int optometry_used(hb_store *store, const char *payer, const char *holder, hb_date from,
                          hb_date to, int64_t *out)
{
    char a[HB_DATE_STRLEN], b[HB_DATE_STRLEN];
    const char *p[] = { payer, holder, hb_date_format(a, from), hb_date_format(b, to) };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT COALESCE(SUM(voucher_optometry_minor), 0) FROM"
                                  " hb_settle_claims WHERE payer = ? AND patient = ? AND status IN"
                                  " ('approved', 'partial') AND service_date BETWEEN ? AND ?",
                                  p, 4);
    *out = 0;
    if (rc == HB_STORE_ROW) {
        *out = hb_stmt_int64(st, 0);
        hb_stmt_finalize(st);
    }
    return rc < 0 ? rc : 0;
}

int hb_settle__voucher_load(hb_settle_voucher *v, hb_store *store, const char *payer,
                            const char *holder, hb_date service_date, const char *currency)
{
    memset(v, 0, sizeof *v);
    v->currency = currency;
    v->factor = (hb_rate){ 1, 0 };
    int rc = hb_settle__ehcv_rule_at(store, service_date, &v->rule);
    if (rc == 0) {
        rc = hb_ledger_balance(&v->balance_minor, store, "voucher", holder, "HKD");
        if (rc == HB_ENOTFOUND)
            rc = 0; /* never credited: an empty voucher */
    }
    v->optometry_left_minor = -1;
    if (rc == 0 && v->rule.optometry_cap_minor >= 0) {
        hb_date from, to;
        int64_t used = 0;
        rc = optometry_cycle(store, &v->rule, service_date, &from, &to);
        if (rc == 0)
            rc = optometry_used(store, payer, holder, from, to, &used);
        v->optometry_left_minor =
            used >= v->rule.optometry_cap_minor ? 0 : v->rule.optometry_cap_minor - used;
    }
    if (rc == 0 && strcmp(currency, "HKD") != 0) {
        hb_rate_row row;
        rc = hb_rates_lookup(&row, store, "ehcv-factor", currency, "HKD", service_date);
        v->factor = row.rate;
        v->factor_id = row.id;
    }
    return rc;
}

int hb_settle__voucher_deduction(const hb_settle_voucher *v, int64_t fee, int64_t *deduction)
{
    return hb_money_convert(deduction, fee, v->currency, "HKD", &v->factor, v->rule.rounding,
                            v->rule.face_value_minor);
}

int hb_settle__voucher_fit(const hb_settle_voucher *v, int64_t fee, int64_t avail,
                           int64_t *fee_part, int64_t *deduction)
{
    int64_t d;
    int rc = hb_settle__voucher_deduction(v, fee, &d);
    if (rc < 0)
        return rc;
    int64_t lo = 0, hi = fee; /* deduction(lo) <= avail; find the largest such fee part */
    if (d > avail) {
        while (lo < hi) {
            int64_t mid = lo + (hi - lo + 1) / 2;
            if ((rc = hb_settle__voucher_deduction(v, mid, &d)) < 0)
                return rc;
            if (d <= avail)
                lo = mid;
            else
                hi = mid - 1;
        }
        fee = lo;
        if ((rc = hb_settle__voucher_deduction(v, fee, &d)) < 0)
            return rc;
    }
    /* A fee part too small to be worth one voucher unit is paid in cash, not for free. */
    *fee_part = d > 0 ? fee : 0;
    *deduction = d > 0 ? d : 0;
    return 0;
}

typedef struct holder_row {
    char *code;
    int64_t birth_year;
} holder_row;

typedef struct credit_job {
    const hb_settle_caller *caller;
    const char *payer, *jurisdiction, *grant;
    const holder_row *h;
    hb_date on;
    int64_t amount;
    hb_voucher_credit_report *report;
} credit_job;

static int credited_before(hb_store *store, const char *holder_code, const char *grant)
{
    const char *p[] = { holder_code, grant };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT 1 FROM hb_settle_voucher_credits WHERE holder = ? AND"
                                  " grant_code = ?",
                                  p, 2);
    hb_stmt_finalize(st);
    return rc == HB_STORE_ROW ? 1 : rc;
}

static int record_credit(hb_store *store, const credit_job *j, int64_t credited, int64_t forfeited,
                         int64_t transfer_id)
{
    char day[HB_DATE_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_settle_voucher_credits (holder, grant_code,"
                              " credited_on, credited_minor, forfeited_minor, transfer_id)"
                              " VALUES (?, ?, ?, ?, ?, ?)");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, j->h->code)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, j->grant)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, hb_date_format(day, j->on))) == 0 &&
        (rc = hb_stmt_bind_int64(st, 4, credited)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 5, forfeited)) == 0)
        rc = transfer_id ? hb_stmt_bind_int64(st, 6, transfer_id) : hb_stmt_bind_null(st, 6);
    if (rc == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* One holder, in its own transaction under the holder's lock. */
static int credit_one(hb_store *store, void *payload, hb_settle_write *w)
{
    credit_job *j = payload;
    hb_settle_ehcv_rule rule;
    int rc = hb_settle__lock(store, "voucher", j->h->code);
    if (rc == 0 && (rc = credited_before(store, j->h->code, j->grant)) == 1) {
        j->report->already++;
        return 0;
    }
    if (rc == 0)
        rc = hb_settle__ehcv_rule_at(store, j->on, &rule);
    if (rc < 0)
        return rc;
    if (year_of(j->on) - j->h->birth_year < rule.eligible_age) {
        j->report->ineligible++;
        return 0;
    }
    int64_t voucher, scheme, balance = 0, transfer = 0;
    if ((rc = hb_ledger_account(&voucher, store, "voucher", j->h->code, "HKD", 0, rule.cap_minor)) <
            0 ||
        (rc = hb_ledger_account(&scheme, store, "payer", j->payer, "HKD", -1, -1)) < 0 ||
        (rc = hb_ledger_balance(&balance, store, "voucher", j->h->code, "HKD")) < 0)
        return rc;
    int64_t room = balance >= rule.cap_minor ? 0 : rule.cap_minor - balance;
    int64_t credit = j->amount < room ? j->amount : room;
    if (credit > 0) {
        char memo[160];
        snprintf(memo, sizeof memo, "voucher grant %s to %s", j->grant, j->h->code);
        hb_ledger_entry e[2] = { { scheme, "HKD", -credit, NULL },
                                 { voucher, "HKD", credit, NULL } };
        hb_ledger_transfer t = { "voucher-credit", j->on, j->caller->organisation, memo, 0, e, 2 };
        rc = hb_ledger_post(&transfer, store, &t);
    }
    if (rc == 0)
        rc = record_credit(store, j, credit, j->amount - credit, transfer);
    if (rc == 0) {
        snprintf(w->object, sizeof w->object, "voucher/%s", j->h->code);
        snprintf(w->jurisdiction, sizeof w->jurisdiction, "%s", j->jurisdiction);
        j->report->credited++;
        j->report->credited_minor += credit;
        j->report->forfeited_minor += j->amount - credit;
    }
    return rc;
}

/* The grant's amount and date: "annual-YYYY" from the rule in force on `on`, else ehcv_grants. */
static int grant_terms(hb_store *store, const char *grant, hb_date *on, int64_t *amount)
{
    if (strncmp(grant, "annual-", 7) == 0) {
        int64_t year = 0;
        if (strlen(grant) != 11 || sscanf(grant + 7, "%4lld", (long long *)&year) != 1 ||
            year < 1900 || year != year_of(*on))
            return hb_error_set(HB_EINVAL,
                                "grant '%s' must be annual-YYYY with a date in that "
                                "year",
                                grant);
        hb_settle_ehcv_rule rule;
        int rc = hb_settle__ehcv_rule_at(store, *on, &rule);
        *amount = rule.annual_minor;
        return rc;
    }
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT granted_on, amount_minor FROM hb_settle_ehcv_grants"
                                  " WHERE code = ?",
                                  &grant, 1);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND,
                            "no voucher grant '%.40s' (annual-YYYY or a code of "
                            "ehcv-grants)",
                            grant);
    if (rc < 0)
        return rc;
    size_t len;
    const char *d = hb_stmt_text(st, 0, &len);
    rc = hb_date_parse(on, d, len);
    *amount = hb_stmt_int64(st, 1);
    hb_stmt_finalize(st);
    return rc;
}

static int load_holders(hb_store *store, const char *payer, hb_date on, holder_row **out, size_t *n)
{
    char day[HB_DATE_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT patient, MAX(birth_year) FROM hb_settle_members WHERE"
                              " payer = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to"
                              " >= ?) GROUP BY patient ORDER BY patient");
    const char *p[] = { payer, hb_date_format(day, on), day };
    for (int i = 0; rc == 0 && i < 3; i++)
        rc = hb_stmt_bind_cstr(st, i + 1, p[i]);
    size_t cap = 0;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            holder_row *h = hb_reallocarray(*out, cap, sizeof *h);
            if (!h) {
                rc = HB_ENOMEM;
                break;
            }
            *out = h;
        }
        (*out)[*n].birth_year = hb_stmt_int64(st, 1);
        rc = ((*out)[*n].code = hb_strdup(hb_stmt_text(st, 0, NULL))) ? 0 : HB_ENOMEM;
        *n += rc == 0;
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_voucher_credit(hb_voucher_credit_report *out, hb_store *store,
                      const hb_settle_caller *caller, const char *grant, hb_date on)
{
    assert(!hb_store_in_transaction(store)); /* one transaction per holder */
    memset(out, 0, sizeof *out);
    char payer[HB_SETTLE_CODE_LEN];
    hb_settle_payer scheme;
    int64_t amount = 0;
    holder_row *holders = NULL;
    size_t n = 0;
    int rc = hb_settle__voucher_payer(store, payer);
    if (rc == 0)
        rc = hb_settle__payer(store, payer, &scheme);
    if (rc == 0)
        rc = grant_terms(store, grant, &on, &amount);
    if (rc == 0)
        rc = load_holders(store, payer, on, &holders, &n);
    out->holders = n;
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        credit_job j = { caller, payer, scheme.jurisdiction, grant, &holders[i], on, amount, out };
        hb_settle_write w = { .action = "voucher.credit" };
        rc = hb_settle__in_transaction(store, caller, &w, credit_one, &j);
    }
    for (size_t i = 0; i < n; i++)
        hb_free(holders[i].code);
    hb_free(holders);
    return rc < 0 ? rc : 0;
}

int hb_voucher_balance(hb_voucher_status *out, hb_store *store, const char *holder, hb_date date)
{
    memset(out, 0, sizeof *out);
    char payer[HB_SETTLE_CODE_LEN];
    hb_settle_member m;
    hb_settle_voucher v;
    int rc = hb_settle__voucher_payer(store, payer);
    if (rc == 0) {
        rc = hb_settle__member_at(store, payer, holder, date, &m);
        out->member = rc == 0;
        rc = rc == HB_ENOTFOUND ? 0 : rc;
    }
    if (rc == 0)
        rc = hb_settle__voucher_load(&v, store, payer, holder, date, "HKD");
    if (rc < 0)
        return rc;
    out->eligible = out->member && year_of(date) - m.birth_year >= v.rule.eligible_age;
    out->balance_minor = v.balance_minor;
    out->cap_minor = v.rule.cap_minor;
    out->optometry_cap_minor = v.rule.optometry_cap_minor;
    if (v.rule.optometry_cap_minor >= 0) {
        hb_date from, to;
        rc = optometry_cycle(store, &v.rule, date, &from, &to);
        hb_date_format(out->cycle_from, from);
        hb_date_format(out->cycle_to, to);
        out->optometry_used_minor = v.rule.optometry_cap_minor - v.optometry_left_minor;
    }
    return rc;
}

int hb_voucher_statement(hb_store *store, const char *holder, hb_money_style style, hb_table **out)
{
    static const char *const names[] = { "date",         "what",   "claim", "provider", "fee",
                                         "fee_currency", "factor", "hkd",   "balance" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT,   HB_COL_INT,
                                         HB_COL_TEXT, HB_COL_NUMBER, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_NUMBER, HB_COL_NUMBER };
    char code[HB_SETTLE_CODE_LEN + 16];
    snprintf(code, sizeof code, "voucher:%s:HKD", holder);
    const char *p[] = { code };
    hb_table *t;
    hb_stmt *st;
    int rc = hb_settle__table_new(&t, 9, names, kinds, (1u << 4) | (1u << 7) | (1u << 8), style);
    if (rc < 0)
        return rc;
    /* A claim is found from its own transfer or from the transfer that reversed it. */
    rc = hb_store_prepare(store, &st,
                          "SELECT t.posted_on, t.kind, c.id, c.provider, e.from_minor,"
                          " e.from_currency, e.rate_units, e.rate_scale, e.amount_minor, t.memo"
                          " FROM hb_settle_entries e JOIN hb_settle_accounts a ON a.id ="
                          " e.account_id JOIN hb_settle_transfers t ON t.id = e.transfer_id"
                          " LEFT JOIN hb_settle_claims c ON c.transfer_id = COALESCE(t.reverses,"
                          " t.id) WHERE a.code = ? ORDER BY e.id");
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, 1, p[0]);
    int64_t balance = 0;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        char fee[HB_MONEY_STRLEN], hkd[HB_MONEY_STRLEN], bal[HB_MONEY_STRLEN];
        char factor[HB_RATE_STRLEN];
        bool converted = !hb_stmt_is_null(st, 4);
        hb_rate r = { hb_stmt_int64(st, 6), (int)hb_stmt_int64(st, 7) };
        int64_t amount = hb_stmt_int64(st, 8);
        balance += amount;
        const char *cells[9] = {
            hb_stmt_text(st, 0, NULL),
            hb_stmt_text(st, 1, NULL),
            hb_stmt_is_null(st, 2) ? NULL : hb_stmt_text(st, 2, NULL),
            hb_stmt_is_null(st, 3) ? NULL : hb_stmt_text(st, 3, NULL),
            converted ? hb_money_cell(fee, -hb_stmt_int64(st, 4), "CNY", style) : NULL,
            converted ? hb_stmt_text(st, 5, NULL) : NULL,
            converted ? hb_rate_format(factor, &r) : NULL,
            hb_money_cell(hkd, amount, "HKD", style),
            hb_money_cell(bal, balance, "HKD", style),
        };
        rc = hb_table_add_row(t, cells);
    }
    hb_stmt_finalize(st);
    if (rc < 0) {
        hb_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
