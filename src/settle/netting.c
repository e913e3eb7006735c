/*
 * settle/netting.c — multilateral netting (see settlement.h). Pure: no I/O, no allocation.
 *
 * Positions are accumulated per (party, currency), then sorted by currency, and within a
 * currency debtors first by amount owed (largest first) and creditors likewise; two cursors walk
 * the debtors and the creditors, each payment settling one of the two completely, so a currency
 * with d debtors and c creditors needs at most d + c - 1 payments.
 */
#include <stdlib.h>
#include <string.h>

#include "settle/money.h"
#include "settle/settlement.h"
#include "util/error.h"

static int add_position(hb_net_position *pos, size_t *n, const char *party, const char *currency,
                        int64_t amount)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(pos[i].party, party) == 0 && strcmp(pos[i].currency, currency) == 0)
            return hb_money_add(&pos[i].net_minor, pos[i].net_minor, amount);
    pos[(*n)++] = (hb_net_position){ party, currency, amount };
    return 0;
}

/* Currency, then debtors (most owed first), then creditors (most due first), then code. */
static int compare_position(const void *a, const void *b)
{
    const hb_net_position *x = a, *y = b;
    int c = strcmp(x->currency, y->currency);
    if (c)
        return c;
    if (x->net_minor != y->net_minor) {
        bool xd = x->net_minor < 0, yd = y->net_minor < 0;
        if (xd != yd)
            return xd ? -1 : 1;
        int64_t xm = xd ? -x->net_minor : x->net_minor, ym = yd ? -y->net_minor : y->net_minor;
        if (xm != ym)
            return xm > ym ? -1 : 1;
    }
    return strcmp(x->party, y->party);
}

/* Pay within one currency: positions [from, to) sorted debtors first. */
static void match(const hb_net_position *pos, size_t from, size_t to, hb_instruction *out,
                  size_t *nout)
{
    size_t d = from, c = from;
    while (c < to && pos[c].net_minor < 0)
        c++;
    int64_t owed = d < to && pos[d].net_minor < 0 ? -pos[d].net_minor : 0;
    int64_t due = c < to ? pos[c].net_minor : 0;
    while (d < to && pos[d].net_minor < 0 && c < to) {
        if (due == 0) { /* a creditor with nothing due ends the creditors */
            c++;
            due = c < to ? pos[c].net_minor : 0;
            continue;
        }
        int64_t pay = owed < due ? owed : due;
        out[(*nout)++] = (hb_instruction){ pos[d].party, pos[c].party, pos[d].currency, pay };
        owed -= pay;
        due -= pay;
        if (owed == 0 && ++d < to && pos[d].net_minor < 0)
            owed = -pos[d].net_minor;
        if (due == 0 && ++c < to)
            due = pos[c].net_minor;
    }
}

int hb_netting_compute(hb_net_position *positions, size_t *npositions, hb_instruction *instructions,
                       size_t *ninstructions, const hb_obligation *obligations, size_t n)
{
    size_t np = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const hb_obligation *o = &obligations[i];
        if (o->amount_minor <= 0)
            return hb_error_set(HB_EINVAL, "obligation %zu is not positive", i + 1);
        if (strcmp(o->debtor, o->creditor) == 0)
            continue; /* a payer that owes itself: nothing moves */
        rc = add_position(positions, &np, o->debtor, o->currency, -o->amount_minor);
        if (rc == 0)
            rc = add_position(positions, &np, o->creditor, o->currency, o->amount_minor);
    }
    if (rc < 0)
        return rc;
    qsort(positions, np, sizeof *positions, compare_position);
    size_t ni = 0;
    for (size_t from = 0, to; from < np; from = to) {
        for (to = from; to < np && strcmp(positions[to].currency, positions[from].currency) == 0;)
            to++;
        match(positions, from, to, instructions, &ni);
    }
    *npositions = np;
    *ninstructions = ni;
    return 0;
}
