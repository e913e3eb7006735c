/*
 * settle/adjudicate.c — deciding claims and posting them (see claims.h for the rules).
 *
 * One claim is decided in one transaction: lock the claim (a second adjudicator waits, then
 * finds it decided and returns that), apply the claim-level rules, then the item rules, then —
 * for the voucher scheme — the holder's voucher under the holder's lock, and finally post the
 * transfer and store the decision. Lock order is always claim, then voucher holder.
 *
 * Item amounts flow through four stages, each only ever lowering what the next sees:
 * amount -> covered (category covered, within its limit) -> approved (less the co-payment) ->
 * within the claim limit -> within the voucher. Reductions are taken from the last lines first,
 * so a line's figures say what happened to it.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "settle/claims.h"
#include "settle/ledger.h"
#include "settle/money.h"
#include "settle/rates.h"
#include "settle/settle_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct line {
    char category[24];
    int64_t amount, covered, copay, approved;
    char reason[200];
} line;

typedef struct adj {
    hb_store *store;
    const hb_settle_caller *caller;
    int64_t id, claimed, transfer_id;
    char provider[HB_SETTLE_CODE_LEN], episode[HB_SETTLE_CODE_LEN], patient[HB_SETTLE_CODE_LEN];
    char payer_code[HB_SETTLE_CODE_LEN], currency[4], status[12];
    hb_date service, submitted;
    bool insured;
    line *lines;
    size_t n;
    hb_settle_payer payer;
    hb_settle_provider prov;
    hb_settle_terms terms;
    hb_buf reason; /* claim-level reasons, "; "-separated */
    bool rejected, reduced;
    int64_t voucher_fee[2], voucher_hkd[2]; /* [0] optometry, [1] the rest */
    hb_settle_voucher v;
} adj;

static void say(adj *a, const char *fmt, ...) HB_PRINTF(2, 3);
static void say(adj *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (a->reason.len)
        hb_buf_puts(&a->reason, "; ");
    hb_buf_vprintf(&a->reason, fmt, ap);
    va_end(ap);
}

#define reject(a, ...) ((a)->rejected = true, say((a), __VA_ARGS__))

static int load_head(adj *a)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    const char *p[] = { id };
    hb_stmt *st;
    int rc =
        hb_settle__query_row(a->store, &st,
                             "SELECT provider, episode, patient, payer, currency, service_date,"
                             " mainland_insured, claimed_minor, status, submitted_on"
                             " FROM hb_settle_claims WHERE id = CAST(? AS BIGINT)",
                             p, 1);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no claim %lld", (long long)a->id);
    if (rc < 0)
        return rc;
    char *dst[] = { a->provider, a->episode, a->patient, a->payer_code, a->currency };
    size_t size[] = { sizeof a->provider, sizeof a->episode, sizeof a->patient,
                      sizeof a->payer_code, sizeof a->currency };
    for (int i = 0; i < 5; i++)
        snprintf(dst[i], size[i], "%s", hb_stmt_text(st, i, NULL));
    size_t len;
    const char *d = hb_stmt_text(st, 5, &len);
    rc = hb_date_parse(&a->service, d, len);
    a->insured = hb_stmt_int64(st, 6) != 0;
    a->claimed = hb_stmt_int64(st, 7);
    snprintf(a->status, sizeof a->status, "%s", hb_stmt_text(st, 8, NULL));
    d = hb_stmt_text(st, 9, &len);
    if (rc == 0)
        rc = hb_date_parse(&a->submitted, d, len);
    hb_stmt_finalize(st);
    return rc;
}

static int load_lines(adj *a)
{
    hb_stmt *st;
    int rc = hb_store_prepare(a->store, &st,
                              "SELECT category, amount_minor FROM hb_settle_claim_items WHERE"
                              " claim_id = ? ORDER BY line");
    if (rc == 0)
        rc = hb_stmt_bind_int64(st, 1, a->id);
    size_t cap = 0;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        rc = 0;
        if (a->n == cap) {
            cap = cap ? cap * 2 : 8;
            line *l = hb_reallocarray(a->lines, cap, sizeof *l);
            if (!l) {
                rc = HB_ENOMEM;
                break;
            }
            a->lines = l;
        }
        line *l = &a->lines[a->n++];
        memset(l, 0, sizeof *l);
        snprintf(l->category, sizeof l->category, "%s", hb_stmt_text(st, 0, NULL));
        l->amount = hb_stmt_int64(st, 1);
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* The last date of a settled period (0 when none): decisions may not be dated into it. */
int hb_settle__settled_through(hb_store *store, hb_date *out)
{
    hb_stmt *st;
    int rc =
        hb_settle__query_row(store, &st, "SELECT MAX(period_end) FROM hb_settle_runs", NULL, 0);
    *out = 0;
    if (rc == HB_STORE_ROW) {
        size_t len;
        const char *d = hb_stmt_text(st, 0, &len);
        rc = len ? hb_date_parse(out, d, len) : 0;
        hb_stmt_finalize(st);
    }
    return rc < 0 ? rc : 0;
}

static int check_open_period(adj *a)
{
    hb_date through;
    int rc = hb_settle__settled_through(a->store, &through);
    if (rc == 0 && a->caller->today <= through) {
        char d[HB_DATE_STRLEN], t[HB_DATE_STRLEN];
        return hb_error_set(HB_ECONFLICT,
                            "%s is in a settled period (settled through %s): "
                            "decide with a later date",
                            hb_date_format(d, a->caller->today), hb_date_format(t, through));
    }
    return rc;
}

static bool in_residents(const char *list, const char *j)
{
    for (const char *p = list; *p; p += p[2] == ';' ? 3 : 2)
        if (strncmp(p, j, 2) == 0)
            return true;
    return false;
}

/* The voucher scheme's own claim-level rules. */
static int voucher_claim_rules(adj *a, const hb_settle_member *m)
{
    if (a->insured)
        reject(a, "%s",
               "the episode is covered by mainland medical insurance: vouchers cannot "
               "pay for it");
    bool designated = false;
    int rc = hb_settle__service_point(a->store, a->provider, a->service, &designated);
    if (rc == 0 && !designated)
        reject(a, "%s is not a designated voucher service point on the service date", a->provider);
    hb_settle_ehcv_rule rule;
    if (rc == 0)
        rc = hb_settle__ehcv_rule_at(a->store, a->service, &rule);
    int y, mo, d;
    hb_date_to_ymd(a->service, &y, &mo, &d);
    if (rc == 0 && y - m->birth_year < rule.eligible_age) {
        char why[96];
        snprintf(why, sizeof why, "born %lld: vouchers start in the year of the %lldth birthday",
                 (long long)m->birth_year, (long long)rule.eligible_age);
        reject(a, "%s", why);
    }
    return rc;
}

static int claim_rules(adj *a)
{
    int rc = hb_settle__payer(a->store, a->payer_code, &a->payer);
    if (rc == 0)
        rc = hb_settle__provider(a->store, a->provider, &a->prov);
    if (rc == 0) {
        rc = hb_settle__terms_at(a->store, a->payer_code, a->service, &a->terms);
        if (rc == HB_ENOTFOUND) {
            reject(a, "%s", hb_error_last());
            return 0;
        }
    }
    if (rc < 0)
        return rc;
    if (a->terms.deadline_days >= 0 && a->submitted - a->service > a->terms.deadline_days) {
        char why[64];
        snprintf(why, sizeof why, "%lld days", (long long)a->terms.deadline_days);
        reject(a, "submitted after the payer's deadline of %s from the service date", why);
    }
    hb_settle_member m;
    rc = hb_settle__member_at(a->store, a->payer_code, a->patient, a->service, &m);
    if (rc == HB_ENOTFOUND) {
        reject(a, "%s", hb_error_last());
        return 0;
    }
    if (rc < 0)
        return rc;
    if (!in_residents(a->terms.residents, m.residence))
        reject(a, "the payer covers residents of %s only", a->terms.residents);
    if (strcmp(m.residence, a->prov.jurisdiction) == 0)
        reject(a, "not cross-border care: the patient lives in %s, where the provider is",
               m.residence);
    if (strcmp(a->payer.kind, "voucher-scheme") == 0)
        rc = voucher_claim_rules(a, &m);
    return rc;
}

static const hb_settle_item_rule *item_rule(const adj *a, const char *category)
{
    for (size_t i = 0; i < a->terms.nitems; i++)
        if (strcmp(a->terms.items[i].category, category) == 0)
            return &a->terms.items[i];
    return NULL;
}

/* A limit in the payer's currency, in the claim's: the reference rate of the service date,
 * rounded down so that a conversion never allows more than the rule. */
static int limit_in_claim_currency(adj *a, int64_t limit, int64_t *out)
{
    if (strcmp(a->payer.currency, a->currency) == 0) {
        *out = limit;
        return 0;
    }
    hb_rate_row r;
    int rc = hb_rates_lookup(&r, a->store, "reference", a->payer.currency, a->currency, a->service);
    if (rc < 0)
        return hb_error_prefix("claim %lld: converting the payer's limit: ", (long long)a->id);
    return hb_money_convert(out, limit, a->payer.currency, a->currency, &r.rate, HB_ROUND_DOWN, 1);
}

/* Lower the total of field over lines [0, n) matching pred by `by`, from the last line up. */
static void reduce(adj *a, int64_t by, const char *category, bool optometry_only,
                   bool except_optometry, const char *why)
{
    for (size_t i = a->n; by > 0 && i-- > 0;) {
        line *l = &a->lines[i];
        bool opt = strcmp(l->category, "optometry") == 0;
        if ((category && strcmp(l->category, category) != 0) || (optometry_only && !opt) ||
            (except_optometry && opt) || l->approved == 0)
            continue;
        int64_t take = l->approved < by ? l->approved : by;
        l->approved -= take;
        by -= take;
        if (!l->reason[0])
            snprintf(l->reason, sizeof l->reason, "%s", why);
    }
    a->reduced = true;
}

static void coverage(adj *a)
{
    bool alone = false;
    for (size_t i = 0; i < a->n; i++) {
        const hb_settle_item_rule *r = item_rule(a, a->lines[i].category);
        alone |= r && r->alone;
    }
    for (size_t i = 0; i < a->n; i++) {
        line *l = &a->lines[i];
        const hb_settle_item_rule *r = item_rule(a, l->category);
        if (!r)
            snprintf(l->reason, sizeof l->reason, "%s is not covered by %s", l->category,
                     a->payer_code);
        else if (!r->alone && !alone)
            snprintf(l->reason, sizeof l->reason,
                     "%s is covered only together with another covered service", l->category);
        else
            l->approved = l->amount;
        a->reduced |= l->approved < l->amount;
    }
}

static int64_t sum_approved(const adj *a, const char *category, int optometry)
{
    int64_t s = 0; /* bounded: each line is, and a claim's total was checked on submission */
    for (size_t i = 0; i < a->n; i++) {
        bool opt = strcmp(a->lines[i].category, "optometry") == 0;
        if ((!category || strcmp(a->lines[i].category, category) == 0) &&
            (optometry < 0 || opt == (optometry == 1)))
            s += a->lines[i].approved;
    }
    return s;
}

static int item_rules(adj *a)
{
    coverage(a);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < a->terms.nitems; k++) {
        const hb_settle_item_rule *r = &a->terms.items[k];
        int64_t total = sum_approved(a, r->category, -1), limit, copay;
        if (r->limit_minor >= 0 && (rc = limit_in_claim_currency(a, r->limit_minor, &limit)) == 0 &&
            total > limit) {
            reduce(a, total - limit, r->category, false, false, "over the category's limit");
            total = limit;
        }
        if (rc == 0)
            rc = hb_money_mul_ratio(&copay, total, r->copay_bp, 10000, a->terms.rounding);
        for (size_t i = 0; rc == 0 && i < a->n; i++) {
            line *l = &a->lines[i];
            if (strcmp(l->category, r->category) != 0)
                continue;
            l->covered = l->approved;
            l->copay = copay < l->approved ? copay : l->approved;
            l->approved -= l->copay;
            copay -= l->copay;
        }
    }
    int64_t total = sum_approved(a, NULL, -1), limit;
    if (rc == 0 && a->terms.claim_limit_minor >= 0 &&
        (rc = limit_in_claim_currency(a, a->terms.claim_limit_minor, &limit)) == 0 && total > limit)
        reduce(a, total - limit, NULL, false, false, "over the payer's limit per claim");
    return rc;
}

static int voucher_rules(adj *a)
{
    int rc = hb_settle__lock(a->store, "voucher", a->patient);
    if (rc == 0)
        rc = hb_settle__voucher_load(&a->v, a->store, a->payer_code, a->patient, a->service,
                                     a->currency);
    if (rc < 0)
        return rc;
    int64_t avail = a->v.balance_minor, part;
    for (int g = 0; rc == 0 && g < 2; g++) {
        int64_t fee = sum_approved(a, NULL, g == 0 ? 1 : 0);
        int64_t room = avail;
        if (g == 0 && a->v.optometry_left_minor >= 0 && a->v.optometry_left_minor < room)
            room = a->v.optometry_left_minor;
        rc = hb_settle__voucher_fit(&a->v, fee, room, &part, &a->voucher_hkd[g]);
        a->voucher_fee[g] = part;
        avail -= a->voucher_hkd[g];
        if (rc == 0 && part < fee)
            reduce(a, fee - part, NULL, g == 0, g == 1,
                   g == 0 ? "beyond the voucher balance or the optometry sub-cap: paid by the "
                            "holder"
                          : "beyond the voucher balance: paid by the holder");
    }
    return rc;
}

static int post(adj *a, int64_t total)
{
    bool voucher = strcmp(a->payer.kind, "voucher-scheme") == 0;
    int64_t payer_acc, provider_acc, payer_hkd = 0, holder = 0;
    int rc = hb_ledger_account(&payer_acc, a->store, "payer", a->payer_code, a->currency, -1, -1);
    if (rc == 0)
        rc = hb_ledger_account(&provider_acc, a->store, "provider", a->provider, a->currency, -1,
                               -1);
    if (rc == 0 && voucher)
        rc = hb_ledger_account(&payer_hkd, a->store, "payer", a->payer_code, "HKD", -1, -1);
    if (rc == 0 && voucher)
        rc = hb_ledger_account(&holder, a->store, "voucher", a->patient, "HKD", 0,
                               a->v.rule.cap_minor);
    if (rc < 0)
        return rc;
    hb_ledger_conversion conv[2];
    hb_ledger_entry e[5];
    size_t n = 0;
    e[n++] = (hb_ledger_entry){ payer_acc, a->currency, -total, NULL };
    e[n++] = (hb_ledger_entry){ provider_acc, a->currency, total, NULL };
    for (int g = 0; voucher && g < 2; g++) {
        if (a->voucher_hkd[g] == 0)
            continue;
        conv[g] = (hb_ledger_conversion){ -a->voucher_fee[g], a->currency,
                                          a->v.factor_id,     a->v.factor,
                                          a->v.rule.rounding, a->v.rule.face_value_minor };
        e[n++] = (hb_ledger_entry){ holder, "HKD", -a->voucher_hkd[g], &conv[g] };
    }
    if (voucher)
        e[n++] = (hb_ledger_entry){ payer_hkd, "HKD", a->voucher_hkd[0] + a->voucher_hkd[1], NULL };
    char memo[320];
    snprintf(memo, sizeof memo, "claim %lld: %s episode %s, payer %s", (long long)a->id,
             a->provider, a->episode, a->payer_code);
    hb_ledger_transfer t = { "claim", a->caller->today, a->caller->organisation, memo, 0, e, n };
    return hb_ledger_post(&a->transfer_id, a->store, &t);
}

static int save_lines(adj *a)
{
    hb_stmt *st;
    int rc = hb_store_prepare(a->store, &st,
                              "UPDATE hb_settle_claim_items SET approved_minor = ?, copay_minor ="
                              " ?, reason = ? WHERE claim_id = ? AND line = ?");
    for (size_t i = 0; rc == 0 && i < a->n; i++) {
        line *l = &a->lines[i];
        if ((rc = hb_stmt_bind_int64(st, 1, l->approved)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 2, l->copay)) == 0 &&
            (rc = hb_stmt_bind_cstr(st, 3, l->reason[0] ? l->reason : NULL)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 4, a->id)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 5, (int64_t)i + 1)) == 0)
            rc = hb_stmt_step(st);
        hb_stmt_reset(st);
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int save(adj *a, int64_t total, int64_t copay)
{
    const char *status = total == 0 ? "rejected" : a->reduced ? "partial" : "approved";
    char day[HB_DATE_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(a->store, &st,
                              "UPDATE hb_settle_claims SET status = ?, approved_minor = ?,"
                              " copay_minor = ?, voucher_minor = ?, voucher_optometry_minor = ?,"
                              " reason = ?, decided_on = ?, transfer_id = ? WHERE id = ? AND"
                              " status = 'submitted'");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, status)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 2, total)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 3, copay)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 4, a->voucher_hkd[0] + a->voucher_hkd[1])) == 0 &&
        (rc = hb_stmt_bind_int64(st, 5, a->voucher_hkd[0])) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, a->reason.len ? hb_buf_cstr(&a->reason) : NULL)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, hb_date_format(day, a->caller->today))) == 0 &&
        (rc = a->transfer_id ? hb_stmt_bind_int64(st, 8, a->transfer_id)
                             : hb_stmt_bind_null(st, 8)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 9, a->id)) == 0)
        rc = hb_stmt_step(st);
    if (rc == 0 && hb_stmt_changes(st) != 1)
        rc =
            hb_error_set(HB_ECONFLICT, "claim %lld changed while it was decided", (long long)a->id);
    hb_stmt_finalize(st);
    if (rc == 0)
        rc = save_lines(a);
    if (rc == 0)
        rc = hb_settle__claim_event(a->store, a->id, a->caller->organisation, "adjudicate", status);
    snprintf(a->status, sizeof a->status, "%s", status);
    return rc;
}

static int decide(adj *a)
{
    int rc = claim_rules(a);
    if (rc == 0 && !a->rejected)
        rc = item_rules(a);
    int64_t total = a->rejected ? 0 : sum_approved(a, NULL, -1);
    if (rc == 0 && total > 0 && strcmp(a->payer.kind, "voucher-scheme") == 0) {
        rc = voucher_rules(a);
        total = sum_approved(a, NULL, -1);
    }
    if (rc == 0 && total > 0 && !a->reason.len && a->reduced)
        say(a, "%s", "some items were not paid in full: see the items");
    if (rc == 0 && total == 0 && !a->reason.len)
        say(a, "%s", "no item is payable: see the items");
    if (rc == 0 && total > 0)
        rc = post(a, total);
    int64_t copay = 0;
    for (size_t i = 0; i < a->n && !a->rejected; i++)
        copay += a->lines[i].copay;
    if (a->rejected)
        for (size_t i = 0; i < a->n; i++)
            a->lines[i].approved = a->lines[i].copay = 0;
    return rc < 0 ? rc : save(a, total, a->rejected ? 0 : copay);
}

static void adj_dispose(adj *a)
{
    hb_free(a->lines);
    hb_buf_dispose(&a->reason);
}

typedef struct adj_job {
    const hb_settle_caller *caller;
    int64_t id;
    bool already;
} adj_job;

/* Name the decided claim in w, in the payer's jurisdiction: the payer is who acts. */
static int note_write(hb_store *store, const adj *a, hb_settle_write *w)
{
    hb_settle_payer payer;
    int rc = hb_settle__payer(store, a->payer_code, &payer);
    if (rc == 0) {
        snprintf(w->object, sizeof w->object, "claim/%lld", (long long)a->id);
        snprintf(w->jurisdiction, sizeof w->jurisdiction, "%s", payer.jurisdiction);
    }
    return rc;
}

static int adjudicate_in_tx(hb_store *store, void *payload, hb_settle_write *w)
{
    adj_job *j = payload;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    adj a = { .store = store, .caller = j->caller, .id = j->id };
    hb_buf_init(&a.reason, HB_ERROR_MESSAGE_MAX - 1);
    int rc = hb_settle__lock(store, "claim", id);
    if (rc == 0)
        rc = load_head(&a); /* after the lock: the status another adjudicator left */
    if (rc == 0 && strcmp(a.status, "submitted") != 0)
        j->already = true;
    else if (rc == 0 && (rc = check_open_period(&a)) == 0 && (rc = load_lines(&a)) == 0 &&
             (rc = decide(&a)) == 0)
        rc = note_write(store, &a, w);
    adj_dispose(&a);
    return rc;
}

int hb_claim_adjudicate(hb_claim_decision *out, hb_store *store, const hb_settle_caller *caller,
                        int64_t claim_id)
{
    adj_job j = { caller, claim_id, false };
    hb_settle_write w = { .action = "claim.adjudicate" };
    int rc = hb_settle__in_transaction(store, caller, &w, adjudicate_in_tx, &j);
    if (rc < 0)
        return rc;
    rc = hb_claim_get(out, store, claim_id);
    out->already = j.already;
    return rc;
}

int hb_claim_get(hb_claim_decision *out, hb_store *store, int64_t claim_id)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)claim_id);
    const char *p[] = { id };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT status, currency, claimed_minor, approved_minor,"
                                  " copay_minor, voucher_minor, transfer_id, reason, provider,"
                                  " payer FROM hb_settle_claims WHERE id = CAST(? AS BIGINT)",
                                  p, 1);
    memset(out, 0, sizeof *out);
    out->claim_id = claim_id;
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no claim %lld", (long long)claim_id);
    if (rc < 0)
        return rc;
    snprintf(out->status, sizeof out->status, "%s", hb_stmt_text(st, 0, NULL));
    snprintf(out->currency, sizeof out->currency, "%s", hb_stmt_text(st, 1, NULL));
    out->claimed_minor = hb_stmt_int64(st, 2);
    out->approved_minor = hb_stmt_int64(st, 3);
    out->copay_minor = hb_stmt_int64(st, 4);
    out->voucher_minor = hb_stmt_int64(st, 5);
    out->transfer_id = hb_stmt_is_null(st, 6) ? 0 : hb_stmt_int64(st, 6);
    snprintf(out->reason, sizeof out->reason, "%s", hb_stmt_text(st, 7, NULL));
    snprintf(out->provider, sizeof out->provider, "%s", hb_stmt_text(st, 8, NULL));
    snprintf(out->payer, sizeof out->payer, "%s", hb_stmt_text(st, 9, NULL));
    hb_stmt_finalize(st);
    return 0;
}

/* The ids of submitted claims, oldest first. */
static int pending_ids(hb_store *store, int64_t **ids, size_t *n)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT id FROM hb_settle_claims WHERE status = 'submitted'"
                              " ORDER BY id");
    size_t cap = 0;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        rc = 0;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            int64_t *grown = hb_reallocarray(*ids, cap, sizeof *grown);
            if (!grown) {
                rc = HB_ENOMEM;
                break;
            }
            *ids = grown;
        }
        (*ids)[(*n)++] = hb_stmt_int64(st, 0);
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_claims_adjudicate_pending(hb_adjudication_report *out, hb_store *store,
                                 const hb_settle_caller *caller)
{
    memset(out, 0, sizeof *out);
    int64_t *ids = NULL;
    size_t n = 0;
    assert(!hb_store_in_transaction(store)); /* one transaction per claim */
    int rc = pending_ids(store, &ids, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        hb_claim_decision d;
        rc = hb_claim_adjudicate(&d, store, caller, ids[i]);
        if (rc < 0 || d.already)
            continue;
        out->claims++;
        out->approved += strcmp(d.status, "approved") == 0;
        out->partial += strcmp(d.status, "partial") == 0;
        out->rejected += strcmp(d.status, "rejected") == 0;
    }
    hb_free(ids);
    return rc;
}

/* Reverse a paid claim: not in a settled period, not settled itself; a voucher claim under the
 * holder's lock (the restored balance must stay within the cap, or the database refuses). */
static int reverse_claim(adj *a, int64_t transfer_id, const char *reason)
{
    hb_stmt *st;
    const char *p[] = { a->provider, a->episode };
    int rc = check_open_period(a);
    if (rc == 0)
        rc = hb_settle__query_row(a->store, &st,
                                  "SELECT run_id FROM hb_settle_claims WHERE provider = ? AND"
                                  " episode = ? AND run_id IS NOT NULL AND status IN ('approved',"
                                  " 'partial')",
                                  p, 2);
    if (rc == HB_STORE_ROW) {
        hb_stmt_finalize(st);
        return hb_error_set(HB_ECONFLICT,
                            "claim %lld is settled: correct it with a new claim "
                            "in an open period",
                            (long long)a->id);
    }
    if (rc == 0 && (rc = hb_settle__payer(a->store, a->payer_code, &a->payer)) == 0 &&
        strcmp(a->payer.kind, "voucher-scheme") == 0)
        rc = hb_settle__lock(a->store, "voucher", a->patient);
    int64_t rev = 0;
    char memo[HB_ERROR_MESSAGE_MAX];
    snprintf(memo, sizeof memo, "reversal of claim %lld: %s", (long long)a->id, reason);
    if (rc == 0)
        rc = hb_ledger_reverse(&rev, a->store, transfer_id, a->caller->today,
                               a->caller->organisation, memo);
    char sql_id[24];
    snprintf(sql_id, sizeof sql_id, "%lld", (long long)a->id);
    const char *q[] = { reason, sql_id };
    if (rc == 0 && (rc = hb_settle__query_row(a->store, &st,
                                              "UPDATE hb_settle_claims SET status = 'reversed',"
                                              " reason = ? WHERE id = CAST(? AS BIGINT)",
                                              q, 2)) == HB_STORE_DONE)
        rc = hb_settle__claim_event(a->store, a->id, a->caller->organisation, "reverse", memo);
    return rc;
}

typedef struct reverse_job {
    const hb_settle_caller *caller;
    int64_t id;
    const char *reason;
    bool already;
} reverse_job;

static int reverse_in_tx(hb_store *store, void *payload, hb_settle_write *w)
{
    reverse_job *j = payload;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    adj a = { .store = store, .caller = j->caller, .id = j->id };
    hb_buf_init(&a.reason, 0);
    int rc = hb_settle__lock(store, "claim", id);
    if (rc == 0)
        rc = load_head(&a);
    hb_claim_decision d;
    if (rc == 0)
        rc = hb_claim_get(&d, store, j->id);
    if (rc == 0 && strcmp(a.status, "reversed") == 0)
        j->already = true;
    else if (rc == 0 && strcmp(a.status, "approved") != 0 && strcmp(a.status, "partial") != 0)
        rc = hb_error_set(HB_ECONFLICT,
                          "claim %s is %s: only a decided claim that was paid "
                          "can be reversed",
                          id, a.status);
    if (rc == 0 && !j->already && (rc = reverse_claim(&a, d.transfer_id, j->reason)) == 0)
        rc = note_write(store, &a, w);
    adj_dispose(&a);
    return rc;
}

int hb_claim_reverse(hb_claim_decision *out, hb_store *store, const hb_settle_caller *caller,
                     int64_t claim_id, const char *reason)
{
    if (!reason || !*reason)
        return hb_error_set(HB_EINVAL, "a reversal needs a reason");
    reverse_job j = { caller, claim_id, reason, false };
    hb_settle_write w = { .action = "claim.reverse" };
    int rc = hb_settle__in_transaction(store, caller, &w, reverse_in_tx, &j);
    if (rc == 0)
        rc = hb_claim_get(out, store, claim_id);
    out->already = j.already;
    return rc;
}
