/*
 * settle/claims.c — checking, submitting, importing and listing claims (see claims.h).
 *
 * A claim's content hash (provider, episode, patient, payer, currency, date, insurance flag and
 * every item) tells a re-sent claim, which changes nothing, from a duplicate with other content.
 * The live-episode unique index settles races between two submitters: the loser's INSERT … ON
 * CONFLICT DO NOTHING inserts nothing, and it then compares with the winner's claim.
 */
#include "settle/claims.h"

#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "settle/money.h"
#include "settle/settle_int.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"

static int check_id(const char *what, const char *v)
{
    if (!v || !*v)
        return hb_error_set(HB_EINVAL, "%s is required", what);
    if (strlen(v) > HB_SETTLE_ID_MAX)
        return hb_error_set(HB_EINVAL, "%s longer than %d characters", what, HB_SETTLE_ID_MAX);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return hb_error_set(HB_EINVAL, "%s contains a control character", what);
    return 0;
}

static int check_items(const hb_claim *c)
{
    if (c->nitems < 1 || c->nitems > HB_CLAIM_ITEMS_MAX)
        return hb_error_set(HB_EINVAL, "a claim has 1 to %d items, not %zu", HB_CLAIM_ITEMS_MAX,
                            c->nitems);
    int64_t total = 0, amount;
    for (size_t i = 0; i < c->nitems; i++) {
        const hb_claim_item *it = &c->items[i];
        int rc = check_id("item code", it->code);
        if (rc == 0 && (!it->category || !hb_claim_category_valid(it->category)))
            rc = hb_error_set(HB_EINVAL, "category '%.40s' is not one of %s",
                              it->category ? it->category : "", hb_claim_categories);
        if (rc == 0 && (it->quantity < 1 || it->quantity > HB_CLAIM_QUANTITY_MAX))
            rc = hb_error_set(HB_EINVAL, "quantity %lld is not in 1..%d", (long long)it->quantity,
                              HB_CLAIM_QUANTITY_MAX);
        if (rc == 0 && it->unit_minor < 0)
            rc = hb_error_set(HB_EINVAL, "unit price is negative");
        if (rc == 0)
            rc = hb_money_mul(&amount, it->quantity, it->unit_minor);
        if (rc == 0)
            rc = hb_money_add(&total, total, amount);
        if (rc < 0)
            return hb_error_prefix("item %zu: ", i + 1);
    }
    if (total == 0)
        return hb_error_set(HB_EINVAL, "the claim totals zero");
    return 0;
}

int hb_claim_check(hb_store *store, const hb_claim *c, hb_date today)
{
    int rc;
    if ((rc = check_id("provider", c->provider)) < 0 ||
        (rc = check_id("episode", c->episode)) < 0 || (rc = check_id("patient", c->patient)) < 0 ||
        (rc = check_id("payer", c->payer)) < 0 || (rc = check_id("currency", c->currency)) < 0 ||
        (rc = hb_currency_check(c->currency)) < 0)
        return rc;
    if (c->service_date > today) {
        char d[HB_DATE_STRLEN];
        return hb_error_set(HB_EINVAL, "service date %s is in the future",
                            hb_date_format(d, c->service_date));
    }
    hb_settle_provider provider;
    hb_settle_payer payer;
    if ((rc = hb_settle__provider(store, c->provider, &provider)) < 0 ||
        (rc = hb_settle__payer(store, c->payer, &payer)) < 0)
        return rc == HB_ENOTFOUND ? HB_EINVAL : rc;
    if (strcmp(provider.currency, c->currency) != 0)
        return hb_error_set(HB_EINVAL, "provider %s charges in %s, not %s", provider.code,
                            provider.currency, c->currency);
    return check_items(c);
}

uint64_t hb_settle__claim_hash(const hb_claim *c)
{
    uint64_t h = HB_SETTLE_HASH_INIT;
    const char *fields[] = { c->provider, c->episode, c->patient, c->payer, c->currency };
    for (size_t i = 0; i < 5; i++)
        h = hb_settle_hash_str(h, fields[i]);
    h = hb_settle_hash_i64(h, c->service_date);
    h = hb_settle_hash_i64(h, c->mainland_insured);
    for (size_t i = 0; i < c->nitems; i++) {
        h = hb_settle_hash_str(hb_settle_hash_str(h, c->items[i].code), c->items[i].category);
        h = hb_settle_hash_i64(hb_settle_hash_i64(h, c->items[i].quantity), c->items[i].unit_minor);
    }
    return h;
}

/* The live claim for the claim's provider and episode: 1 with its id and content hash, 0 none. */
static int find_live(hb_store *store, const hb_claim *c, int64_t *id, char hash[HB_SETTLE_HEX_LEN])
{
    const char *params[] = { c->provider, c->episode };
    hb_stmt *st;
    int rc = hb_settle__query_row(store, &st,
                                  "SELECT id, content_hash FROM hb_settle_claims WHERE provider = ?"
                                  " AND episode = ? AND status NOT IN ('rejected', 'reversed')",
                                  params, 2);
    if (rc != HB_STORE_ROW)
        return rc;
    *id = hb_stmt_int64(st, 0);
    snprintf(hash, HB_SETTLE_HEX_LEN, "%s", hb_stmt_text(st, 1, NULL));
    hb_stmt_finalize(st);
    return 1;
}

/* 1 (and *id) when the same claim is live already, 0 when the episode is free, HB_ECONFLICT
 * when another claim holds it. */
int hb_settle__compare_live(hb_store *store, const hb_claim *c, const char *hash, int64_t *id)
{
    char stored[HB_SETTLE_HEX_LEN];
    int rc = find_live(store, c, id, stored);
    if (rc == 1 && strcmp(stored, hash) != 0)
        return hb_error_set(HB_ECONFLICT,
                            "duplicate: claim %lld is already live for provider %s episode %s "
                            "with different content",
                            (long long)*id, c->provider, c->episode);
    return rc;
}

static int insert_claim(hb_store *store, const hb_settle_caller *caller, const hb_claim *c,
                        const char *hash, int64_t *id)
{
    char day[HB_DATE_STRLEN], today[HB_DATE_STRLEN], now[HB_TIMESTAMP_STRLEN];
    int64_t total = 0, amount;
    for (size_t i = 0; i < c->nitems; i++) {
        hb_money_mul(&amount, c->items[i].quantity, c->items[i].unit_minor);
        hb_money_add(&total, total, amount); /* both checked by check_items */
    }
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_settle_claims (provider, episode, patient, payer,"
                              " currency, service_date, mainland_insured, claimed_minor, status,"
                              " content_hash, submitted_on, submitted_by, created_at) VALUES"
                              " (?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?)"
                              " ON CONFLICT DO NOTHING RETURNING id");
    const char *text[] = { c->provider, c->episode,  c->patient,
                           c->payer,    c->currency, hb_date_format(day, c->service_date) };
    for (int i = 0; rc == 0 && i < 6; i++)
        rc = hb_stmt_bind_cstr(st, i + 1, text[i]);
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 7, c->mainland_insured)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 8, total)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 9, hash)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 10, hb_date_format(today, caller->today))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 11, caller->organisation)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 12, hb_timestamp_now(now))) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        *id = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return rc; /* HB_STORE_ROW inserted, HB_STORE_DONE lost a race for the episode */
}

static int insert_items(hb_store *store, const hb_claim *c, int64_t id)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_settle_claim_items (claim_id, line, code, category,"
                              " quantity, unit_minor, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; rc == 0 && i < c->nitems; i++) {
        const hb_claim_item *it = &c->items[i];
        if ((rc = hb_stmt_bind_int64(st, 1, id)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 2, (int64_t)i + 1)) == 0 &&
            (rc = hb_stmt_bind_cstr(st, 3, it->code)) == 0 &&
            (rc = hb_stmt_bind_cstr(st, 4, it->category)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 5, it->quantity)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 6, it->unit_minor)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 7, it->quantity * it->unit_minor)) == 0)
            rc = hb_stmt_step(st);
        hb_stmt_reset(st);
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_settle__claim_event(hb_store *store, int64_t claim_id, const char *organisation,
                           const char *action, const char *detail)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_settle_claim_events (claim_id, at, organisation,"
                              " action, detail) VALUES (?, ?, ?, ?, ?)");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, claim_id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, organisation)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, action)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, detail)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_settle__store_claim(hb_store *store, const hb_settle_caller *caller, const hb_claim *c,
                           int64_t *id)
{
    char hash[HB_SETTLE_HEX_LEN];
    hb_settle__hex(hash, hb_settle__claim_hash(c));
    int rc = hb_settle__compare_live(store, c, hash, id);
    if (rc != 0)
        return rc;
    rc = insert_claim(store, caller, c, hash, id);
    if (rc == HB_STORE_DONE) { /* another submitter took the episode since we looked */
        rc = hb_settle__compare_live(store, c, hash, id);
        return rc != 0 ? rc
                       : hb_error_set(HB_ECONFLICT, "episode %s of %s changed concurrently",
                                      c->episode, c->provider);
    }
    if (rc == HB_STORE_ROW)
        rc = insert_items(store, c, *id);
    if (rc == 0)
        rc = hb_settle__claim_event(store, *id, caller->organisation, "submit", NULL);
    return rc;
}

typedef struct submit_job {
    const hb_settle_caller *caller;
    const hb_claim *claim;
    int64_t id;
    bool existing;
} submit_job;

static int submit_in_tx(hb_store *store, void *payload, hb_settle_write *w)
{
    submit_job *j = payload;
    hb_settle_provider provider;
    int rc = hb_settle__store_claim(store, j->caller, j->claim, &j->id);
    j->existing = rc == 1;
    if (rc == 0 && (rc = hb_settle__provider(store, j->claim->provider, &provider)) == 0) {
        snprintf(w->object, sizeof w->object, "claim/%lld", (long long)j->id);
        snprintf(w->jurisdiction, sizeof w->jurisdiction, "%s", provider.jurisdiction);
    }
    return rc;
}

int hb_claim_submit(int64_t *out_id, bool *out_existing, hb_store *store,
                    const hb_settle_caller *caller, const hb_claim *claim)
{
    int rc = hb_claim_check(store, claim, caller->today);
    if (rc < 0)
        return rc;
    submit_job j = { caller, claim, 0, false };
    hb_settle_write w = { .action = "claim.submit" };
    rc = hb_settle__in_transaction(store, caller, &w, submit_in_tx, &j);
    if (rc < 0)
        return rc;
    *out_id = j.id;
    *out_existing = j.existing;
    return 0;
}

int hb_claims_list(hb_store *store, const hb_claim_filter *f, hb_money_style style, hb_table **out)
{
    static const char *const names[] = { "id",         "provider",     "episode",     "patient",
                                         "payer",      "service_date", "currency",    "claimed",
                                         "approved",   "copay",        "voucher_hkd", "status",
                                         "decided_on", "run",          "reason" };
    static const hb_col_kind kinds[] = { HB_COL_INT,    HB_COL_TEXT,   HB_COL_TEXT,   HB_COL_TEXT,
                                         HB_COL_TEXT,   HB_COL_TEXT,   HB_COL_TEXT,   HB_COL_NUMBER,
                                         HB_COL_NUMBER, HB_COL_NUMBER, HB_COL_NUMBER, HB_COL_TEXT,
                                         HB_COL_TEXT,   HB_COL_INT,    HB_COL_TEXT };
    /* voucher_hkd is HKD whatever the claim's currency: all three have 2 decimals. */
    static const hb_settle_query q = {
        "SELECT id, provider, episode, patient, payer, service_date, currency, claimed_minor,"
        " approved_minor, copay_minor, voucher_minor, status, decided_on, run_id, reason"
        " FROM hb_settle_claims WHERE (CAST(? AS TEXT) IS NULL OR status = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR payer = ?) AND (CAST(? AS TEXT) IS NULL OR provider = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR patient = ?) AND (CAST(? AS BIGINT) = 0 OR id = CAST(? "
        "AS BIGINT))"
        " AND (CAST(? AS TEXT) IS NULL OR provider IN (SELECT provider FROM"
        " hb_settle_provider_orgs WHERE org = ?) OR (CAST(? AS BIGINT) = 1 AND payer IN"
        " (SELECT payer FROM hb_settle_payer_orgs WHERE org = ?)))"
        " AND (CAST(? AS BIGINT) = 0 OR id < CAST(? AS BIGINT)) ORDER BY id DESC LIMIT CAST(? AS "
        "BIGINT)",
        15,
        names,
        kinds,
        (1u << 7) | (1u << 8) | (1u << 9) | (1u << 10),
        6,
    };
    char id[24], with_payer[2], before[24], limit[24];
    snprintf(id, sizeof id, "%lld", (long long)f->id);
    snprintf(with_payer, sizeof with_payer, "%d", f->with_payer ? 1 : 0);
    snprintf(before, sizeof before, "%lld", (long long)f->before_id);
    snprintf(limit, sizeof limit, "%lld", f->limit ? (long long)f->limit : (long long)INT64_MAX);
    const char *p[] = { f->status,  f->status,  f->payer, f->payer, f->provider, f->provider,
                        f->patient, f->patient, id,       id,       f->org,      f->org,
                        with_payer, f->org,     before,   before,   limit };
    return hb_settle__money_table(store, &q, p, sizeof p / sizeof p[0], style, out);
}

int hb_claim_items(hb_store *store, int64_t claim_id, hb_money_style style, hb_table **out)
{
    static const char *const names[] = { "line",   "code",     "category", "quantity", "unit",
                                         "amount", "approved", "copay",    "reason",   "currency" };
    static const hb_col_kind kinds[] = { HB_COL_INT,    HB_COL_TEXT,   HB_COL_TEXT,   HB_COL_INT,
                                         HB_COL_NUMBER, HB_COL_NUMBER, HB_COL_NUMBER, HB_COL_NUMBER,
                                         HB_COL_TEXT,   HB_COL_TEXT };
    static const hb_settle_query q = {
        "SELECT i.line, i.code, i.category, i.quantity, i.unit_minor, i.amount_minor,"
        " i.approved_minor, i.copay_minor, i.reason, c.currency FROM hb_settle_claim_items i"
        " JOIN hb_settle_claims c ON c.id = i.claim_id WHERE i.claim_id = CAST(? AS BIGINT)"
        " ORDER BY i.line",
        10,
        names,
        kinds,
        (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7),
        9,
    };
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)claim_id);
    const char *p[] = { id };
    return hb_settle__money_table(store, &q, p, 1, style, out);
}
