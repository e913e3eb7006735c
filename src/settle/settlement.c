/*
 * settle/settlement.c — settlement runs (see settlement.h).
 *
 * A run holds the global settlement lock for its whole transaction, so two runs (two servers, a
 * retried request) queue, and the second finds the period settled. The claims of the run are
 * read once into memory; obligations, payments, the ledger transfer and the claims' run marks
 * are all derived from that one list.
 */
#include "settle/settlement.h"

#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "settle/ledger.h"
#include "settle/settle_int.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"

typedef struct run_claim {
    int64_t id, amount;
    char payer[HB_SETTLE_CODE_LEN], liaison[HB_SETTLE_CODE_LEN], provider[HB_SETTLE_CODE_LEN];
    char currency[4];
} run_claim;

typedef struct run {
    hb_store *store;
    const hb_settle_caller *caller;
    hb_settlement_result *out;
    hb_date start, end;
    run_claim *claims;
    size_t n;
    hb_obligation *obl; /* aggregated per (debtor, creditor, currency) */
    int64_t *obl_claims;
    size_t nobl;
    hb_net_position *pos;
    hb_instruction *ins;
    size_t npos, nins;
} run;

static int load_claims(run *r)
{
    char end[HB_DATE_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(r->store, &st,
                              "SELECT c.id, c.approved_minor, c.payer, p.liaison, c.provider,"
                              " c.currency FROM hb_settle_claims c JOIN hb_settle_providers p ON"
                              " p.code = c.provider WHERE c.status IN ('approved', 'partial') AND"
                              " c.run_id IS NULL AND c.decided_on <= ?"
                              " ORDER BY c.payer, p.liaison, c.currency, c.id");
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, 1, hb_date_format(end, r->end));
    size_t cap = 0;
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        rc = 0;
        if (r->n == cap) {
            cap = cap ? cap * 2 : 256;
            run_claim *grown = hb_reallocarray(r->claims, cap, sizeof *grown);
            if (!grown) {
                rc = HB_ENOMEM;
                break;
            }
            r->claims = grown;
        }
        run_claim *c = &r->claims[r->n++];
        c->id = hb_stmt_int64(st, 0);
        c->amount = hb_stmt_int64(st, 1);
        snprintf(c->payer, sizeof c->payer, "%s", hb_stmt_text(st, 2, NULL));
        snprintf(c->liaison, sizeof c->liaison, "%s", hb_stmt_text(st, 3, NULL));
        snprintf(c->provider, sizeof c->provider, "%s", hb_stmt_text(st, 4, NULL));
        snprintf(c->currency, sizeof c->currency, "%s", hb_stmt_text(st, 5, NULL));
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Claims are ordered by (payer, liaison, currency): one obligation per run of equal keys. */
static int aggregate(run *r)
{
    r->obl = hb_calloc(r->n + 1, sizeof *r->obl);
    r->obl_claims = hb_calloc(r->n + 1, sizeof *r->obl_claims);
    r->pos = hb_calloc(2 * r->n + 1, sizeof *r->pos);
    r->ins = hb_calloc(2 * r->n + 1, sizeof *r->ins);
    if (!r->obl || !r->obl_claims || !r->pos || !r->ins)
        return HB_ENOMEM;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < r->n; i++) {
        run_claim *c = &r->claims[i];
        hb_obligation *last = r->nobl ? &r->obl[r->nobl - 1] : NULL;
        if (!last || strcmp(last->debtor, c->payer) || strcmp(last->creditor, c->liaison) ||
            strcmp(last->currency, c->currency)) {
            last = &r->obl[r->nobl++];
            *last = (hb_obligation){ c->payer, c->liaison, c->currency, 0 };
        }
        r->obl_claims[r->nobl - 1]++;
        rc = hb_money_add(&last->amount_minor, last->amount_minor, c->amount);
    }
    if (rc == 0)
        rc = hb_netting_compute(r->pos, &r->npos, r->ins, &r->nins, r->obl, r->nobl);
    return rc;
}

typedef struct entries {
    hb_ledger_entry *e;
    size_t n;
} entries;

/* Add amount to the entry of account kind:owner:currency, creating both as needed. */
static int add_entry(run *r, entries *es, const char *kind, const char *owner, const char *currency,
                     int64_t amount)
{
    int64_t account;
    int rc = hb_ledger_account(&account, r->store, kind, owner, currency, -1, -1);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < es->n; i++)
        if (es->e[i].account_id == account)
            return hb_money_add(&es->e[i].amount_minor, es->e[i].amount_minor, amount);
    es->e[es->n++] = (hb_ledger_entry){ account, currency, amount, NULL };
    return 0;
}

static int post(run *r)
{
    entries es = { hb_calloc(2 * r->n + 2 * r->nins + 1, sizeof *es.e), 0 };
    if (!es.e)
        return HB_ENOMEM;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < r->n; i++) {
        const run_claim *c = &r->claims[i];
        rc = add_entry(r, &es, "provider", c->provider, c->currency, -c->amount);
        if (rc == 0)
            rc = add_entry(r, &es, "payer", c->liaison, c->currency, c->amount);
    }
    for (size_t i = 0; rc == 0 && i < r->nins; i++) {
        const hb_instruction *p = &r->ins[i];
        rc = add_entry(r, &es, "payer", p->payer, p->currency, p->amount_minor);
        if (rc == 0)
            rc = add_entry(r, &es, "payer", p->payee, p->currency, -p->amount_minor);
    }
    /* Accounts whose movements cancel (a liaison paying its own providers for its own claims)
     * get no entry: entries are never zero. */
    size_t kept = 0;
    for (size_t i = 0; i < es.n; i++)
        if (es.e[i].amount_minor != 0)
            es.e[kept++] = es.e[i];
    char memo[64];
    snprintf(memo, sizeof memo, "settlement of %s: %zu claims", r->out->period, r->n);
    hb_ledger_transfer t = { "settlement", r->caller->today, r->caller->organisation, memo, 0, es.e,
                             kept };
    if (rc == 0 && kept > 0)
        rc = hb_ledger_post(&r->out->transfer_id, r->store, &t);
    hb_free(es.e);
    return rc;
}

static int insert_run(run *r)
{
    char end[HB_DATE_STRLEN], on[HB_DATE_STRLEN], now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(r->store, &st,
                              "INSERT INTO hb_settle_runs (period, period_end, run_on, created_at,"
                              " organisation, claims, transfer_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                              " RETURNING id");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, r->out->period)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, hb_date_format(end, r->end))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, hb_date_format(on, r->caller->today))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, r->caller->organisation)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 6, (int64_t)r->n)) == 0)
        rc = r->out->transfer_id ? hb_stmt_bind_int64(st, 7, r->out->transfer_id)
                                 : hb_stmt_bind_null(st, 7);
    if (rc == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        r->out->run_id = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return rc == HB_STORE_ROW ? 0 : rc < 0 ? rc : HB_ERROR;
}

static int insert_details(run *r)
{
    hb_stmt *a = NULL, *b = NULL;
    int rc = hb_store_prepare(r->store, &a,
                              "INSERT INTO hb_settle_obligations (run_id, debtor, creditor,"
                              " currency, amount_minor, claims) VALUES (?, ?, ?, ?, ?, ?)");
    if (rc == 0)
        rc = hb_store_prepare(r->store, &b,
                              "INSERT INTO hb_settle_instructions (run_id, currency, payer, payee,"
                              " amount_minor) VALUES (?, ?, ?, ?, ?)");
    for (size_t i = 0; rc == 0 && i < r->nobl; i++) {
        const hb_obligation *o = &r->obl[i];
        if ((rc = hb_stmt_bind_int64(a, 1, r->out->run_id)) == 0 &&
            (rc = hb_stmt_bind_cstr(a, 2, o->debtor)) == 0 &&
            (rc = hb_stmt_bind_cstr(a, 3, o->creditor)) == 0 &&
            (rc = hb_stmt_bind_cstr(a, 4, o->currency)) == 0 &&
            (rc = hb_stmt_bind_int64(a, 5, o->amount_minor)) == 0 &&
            (rc = hb_stmt_bind_int64(a, 6, r->obl_claims[i])) == 0)
            rc = hb_stmt_step(a);
        hb_stmt_reset(a);
    }
    for (size_t i = 0; rc == 0 && i < r->nins; i++) {
        const hb_instruction *p = &r->ins[i];
        if ((rc = hb_stmt_bind_int64(b, 1, r->out->run_id)) == 0 &&
            (rc = hb_stmt_bind_cstr(b, 2, p->currency)) == 0 &&
            (rc = hb_stmt_bind_cstr(b, 3, p->payer)) == 0 &&
            (rc = hb_stmt_bind_cstr(b, 4, p->payee)) == 0 &&
            (rc = hb_stmt_bind_int64(b, 5, p->amount_minor)) == 0)
            rc = hb_stmt_step(b);
        hb_stmt_reset(b);
    }
    hb_stmt_finalize(a);
    hb_stmt_finalize(b);
    return rc < 0 ? rc : 0;
}

static int mark_claims(run *r)
{
    hb_stmt *st;
    int rc = hb_store_prepare(r->store, &st,
                              "UPDATE hb_settle_claims SET run_id = ? WHERE id = ? AND run_id IS"
                              " NULL");
    for (size_t i = 0; rc == 0 && i < r->n; i++) {
        if ((rc = hb_stmt_bind_int64(st, 1, r->out->run_id)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 2, r->claims[i].id)) == 0)
            rc = hb_stmt_step(st);
        if (rc == 0 && hb_stmt_changes(st) != 1)
            rc = hb_error_set(HB_ECONFLICT, "claim %lld was settled concurrently",
                              (long long)r->claims[i].id);
        hb_stmt_reset(st);
        if (rc == 0)
            rc = hb_settle__claim_event(r->store, r->claims[i].id, r->caller->organisation,
                                        "settle", r->out->period);
    }
    hb_stmt_finalize(st);
    return rc;
}

/* 1 when the period is settled (out filled from the run), 0 when not. */
static int find_run(hb_store *store, const char *period, hb_settlement_result *out)
{
    const char *p[] = { period };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT r.id, r.claims, r.transfer_id, (SELECT COUNT(*) FROM"
                                  " hb_settle_obligations o WHERE o.run_id = r.id), (SELECT"
                                  " COUNT(*) FROM hb_settle_instructions i WHERE i.run_id = r.id)"
                                  " FROM hb_settle_runs r WHERE r.period = ?",
                                  p, 1);
    if (rc != HB_STORE_ROW)
        return rc;
    out->run_id = hb_stmt_int64(st, 0);
    out->claims = hb_stmt_int64(st, 1);
    out->transfer_id = hb_stmt_is_null(st, 2) ? 0 : hb_stmt_int64(st, 2);
    out->obligations = hb_stmt_int64(st, 3);
    out->instructions = hb_stmt_int64(st, 4);
    hb_stmt_finalize(st);
    return 1;
}

static int settle(run *r)
{
    hb_date through;
    int rc = hb_settle__settled_through(r->store, &through);
    char end[HB_DATE_STRLEN];
    if (rc == 0 && through > r->end)
        rc = hb_error_set(HB_ECONFLICT, "a later period is settled already (through %s)",
                          hb_date_format(end, through));
    if (rc == 0 && r->caller->today <= r->end)
        rc = hb_error_set(HB_ECONFLICT, "period %s is not over yet (it ends %s)", r->out->period,
                          hb_date_format(end, r->end));
    if (rc == 0)
        rc = load_claims(r);
    if (rc == 0)
        rc = aggregate(r);
    if (rc == 0)
        rc = post(r);
    if (rc == 0)
        rc = insert_run(r);
    if (rc == 0)
        rc = insert_details(r);
    if (rc == 0)
        rc = mark_claims(r);
    r->out->claims = (int64_t)r->n;
    r->out->obligations = (int64_t)r->nobl;
    r->out->instructions = (int64_t)r->nins;
    return rc;
}

static int run_in_tx(hb_store *store, void *payload, hb_settle_write *w)
{
    run *r = payload;
    int rc = hb_settle__lock(store, "settlement", "all");
    if (rc == 0)
        rc = find_run(store, r->out->period, r->out);
    if (rc == 1) {
        r->out->already = true;
        return 0;
    }
    if (rc == 0)
        rc = settle(r);
    if (rc == 0) /* the run settles all three jurisdictions: no one jurisdiction names it */
        snprintf(w->object, sizeof w->object, "settlement/%s", r->out->period);
    return rc;
}

int hb_settlement_run(hb_settlement_result *out, hb_store *store, const hb_settle_caller *caller,
                      hb_date month)
{
    memset(out, 0, sizeof *out);
    int y, m, d;
    hb_date_to_ymd(month, &y, &m, &d);
    snprintf(out->period, sizeof out->period, "%04d-%02d", y % 10000, m % 100);
    run r = { .store = store, .caller = caller, .out = out };
    r.start = hb_date_from_ymd(y, m, 1);
    r.end = hb_date_from_ymd(y, m, hb_days_in_month(y, m));
    hb_settle_write w = { .action = "settlement.run" };
    int rc = hb_settle__in_transaction(store, caller, &w, run_in_tx, &r);
    hb_free(r.claims);
    hb_free(r.obl);
    hb_free(r.obl_claims);
    hb_free(r.pos);
    hb_free(r.ins);
    if (rc >= 0 && out->already)
        rc = find_run(store, out->period, out) == 1 ? 0 : HB_ERROR;
    return rc < 0 ? rc : 0;
}

int hb_settlement_get(hb_settlement_result *out, hb_store *store, const char *period)
{
    memset(out, 0, sizeof *out);
    snprintf(out->period, sizeof out->period, "%.7s", period);
    int rc = find_run(store, out->period, out);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "period %.7s is not settled", period);
    out->already = true;
    return rc < 0 ? rc : 0;
}

int hb_settlement_instructions(hb_store *store, const char *period, hb_money_style style,
                               hb_table **out)
{
    static const char *const names[] = { "period", "currency", "payer", "payee", "amount" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_NUMBER };
    static const hb_settle_query q = {
        "SELECT r.period, i.currency, i.payer, i.payee, i.amount_minor FROM"
        " hb_settle_instructions i JOIN hb_settle_runs r ON r.id = i.run_id WHERE r.period = ?"
        " ORDER BY i.currency, i.payer, i.payee",
        5,
        names,
        kinds,
        1u << 4,
        1,
    };
    const char *p[] = { period };
    return hb_settle__money_table(store, &q, p, 1, style, out);
}

typedef struct statement {
    hb_store *store;
    const char *period;
    hb_money_style style;
    hb_table *t;
    hb_statement_check *check;
    char party[HB_SETTLE_CODE_LEN], currency[4];
    int64_t owed, due; /* from the claim lines of the current group */
} statement;

static int add_row(statement *s, const char *line, const char *claim, const char *provider,
                   const char *counterparty, const char *episode, const char *date, int64_t amount)
{
    char money[HB_MONEY_STRLEN];
    const char *cells[] = {
        s->party, s->currency, line,
        claim,    provider,    counterparty,
        episode,  date,        hb_money_cell(money, amount, s->currency, s->style)
    };
    return hb_table_add_row(s->t, cells);
}

/* The recorded obligations of the group: owed as debtor, due as creditor. */
static int recorded(statement *s, int64_t *owed, int64_t *due)
{
    const char *p[] = { s->party, s->party, s->period, s->currency };
    hb_stmt *st;
    int rc = hb_settle__query_row(s->store, &st,
                                  "SELECT COALESCE(SUM(CASE WHEN o.debtor = ? THEN o.amount_minor"
                                  " ELSE 0 END), 0), COALESCE(SUM(CASE WHEN o.creditor = ? THEN"
                                  " o.amount_minor ELSE 0 END), 0) FROM hb_settle_obligations o"
                                  " JOIN hb_settle_runs r ON r.id = o.run_id WHERE r.period = ?"
                                  " AND o.currency = ?",
                                  p, 4);
    *owed = *due = 0;
    if (rc == HB_STORE_ROW) {
        *owed = hb_stmt_int64(st, 0);
        *due = hb_stmt_int64(st, 1);
        hb_stmt_finalize(st);
    }
    return rc < 0 ? rc : 0;
}

/* Close a (party, currency) group: totals, the payments, and the reconciliation. */
static int close_group(statement *s)
{
    int64_t owed, due, moved = 0;
    int rc = recorded(s, &owed, &due);
    if (rc == 0)
        rc = add_row(s, "total owed", NULL, NULL, NULL, NULL, NULL, -s->owed);
    if (rc == 0)
        rc = add_row(s, "total due", NULL, NULL, NULL, NULL, NULL, s->due);
    if (rc == 0)
        rc = add_row(s, "net", NULL, NULL, NULL, NULL, NULL, s->due - s->owed);
    hb_stmt *st = NULL;
    const char *p[] = { s->period, s->currency, s->party, s->party };
    if (rc == 0)
        rc = hb_store_prepare(s->store, &st,
                              "SELECT i.payer, i.payee, i.amount_minor FROM hb_settle_instructions"
                              " i JOIN hb_settle_runs r ON r.id = i.run_id WHERE r.period = ? AND"
                              " i.currency = ? AND (i.payer = ? OR i.payee = ?) ORDER BY i.payer,"
                              " i.payee");
    for (int i = 0; rc == 0 && i < 4; i++)
        rc = hb_stmt_bind_cstr(st, i + 1, p[i]);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        bool pays = strcmp(hb_stmt_text(st, 0, NULL), s->party) == 0;
        int64_t amount = hb_stmt_int64(st, 2);
        moved += pays ? -amount : amount;
        rc = add_row(s, pays ? "pays" : "receives", NULL, NULL,
                     hb_stmt_text(st, pays ? 1 : 0, NULL), NULL, NULL, pays ? -amount : amount);
    }
    hb_stmt_finalize(st);
    s->check->mismatches += owed != s->owed || due != s->due || moved != s->due - s->owed;
    s->owed = s->due = 0;
    return rc < 0 ? rc : 0;
}

static int statement_lines(statement *s, const char *payer)
{
    const char *p[] = { s->period, s->period, payer, payer };
    hb_stmt *st;
    int rc = hb_store_prepare(
        s->store, &st,
        "SELECT party, currency, line, id, provider, counterparty, episode, service_date, amount"
        " FROM (SELECT c.payer AS party, c.currency, 'owes' AS line, c.id, c.provider,"
        " p.liaison AS counterparty, c.episode, c.service_date, c.approved_minor AS amount"
        " FROM hb_settle_claims c JOIN hb_settle_providers p ON p.code = c.provider JOIN"
        " hb_settle_runs r ON r.id = c.run_id WHERE r.period = ? UNION ALL SELECT p.liaison,"
        " c.currency, 'due', c.id, c.provider, c.payer, c.episode, c.service_date,"
        " c.approved_minor FROM hb_settle_claims c JOIN hb_settle_providers p ON p.code ="
        " c.provider JOIN hb_settle_runs r ON r.id = c.run_id WHERE r.period = ?) x"
        " WHERE (CAST(? AS TEXT) IS NULL OR party = ?) ORDER BY party, currency, line DESC, id");
    for (int i = 0; rc == 0 && i < 4; i++)
        rc = hb_stmt_bind_cstr(st, i + 1, p[i]);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        const char *party = hb_stmt_text(st, 0, NULL), *cur = hb_stmt_text(st, 1, NULL);
        if ((s->party[0] && (strcmp(party, s->party) || strcmp(cur, s->currency))) &&
            (rc = close_group(s)) < 0)
            break;
        snprintf(s->party, sizeof s->party, "%s", party);
        snprintf(s->currency, sizeof s->currency, "%s", cur);
        bool owes = strcmp(hb_stmt_text(st, 2, NULL), "owes") == 0;
        int64_t amount = hb_stmt_int64(st, 8);
        *(owes ? &s->owed : &s->due) += amount;
        s->check->lines++;
        rc = add_row(s, owes ? "owes" : "due", hb_stmt_text(st, 3, NULL), hb_stmt_text(st, 4, NULL),
                     hb_stmt_text(st, 5, NULL), hb_stmt_text(st, 6, NULL),
                     hb_stmt_text(st, 7, NULL), owes ? -amount : amount);
    }
    hb_stmt_finalize(st);
    if (rc == 0 && s->party[0])
        rc = close_group(s);
    return rc;
}

int hb_settlement_statement(hb_store *store, const char *period, const char *payer,
                            hb_money_style style, hb_table **out, hb_statement_check *check)
{
    static const char *const names[] = { "payer",   "currency",     "line",
                                         "claim",   "provider",     "counterparty",
                                         "episode", "service_date", "amount" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_INT,  HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_NUMBER };
    memset(check, 0, sizeof *check);
    hb_settlement_result settled;
    int rc = find_run(store, period, &settled);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "period %.12s is not settled", period);
    statement s = { .store = store, .period = period, .style = style, .check = check };
    if (rc >= 0)
        rc = hb_settle__table_new(&s.t, 9, names, kinds, 1u << 8, style);
    if (rc >= 0)
        rc = statement_lines(&s, payer);
    if (rc < 0) {
        hb_table_free(s.t);
        return rc;
    }
    *out = s.t;
    return 0;
}
