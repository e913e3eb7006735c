/*
 * Two processes post claims for one voucher holder at once, each on its own database
 * connection: together they ask for three times the balance, and the vouchers must never be
 * overspent. Runs on SQLite (one file, two connections) and on PostgreSQL (two sessions).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "healthybay/date.h"
#include "settle/ledger.h"
#include "settle/voucher.h"

#define CLAIMS_PER_PROCESS 12

/* A child: its own connection, N claims of RMB 500 each for E1, submitted and decided. */
static int child(const char *url, int who, int start_fd)
{
    char go;
    if (read(start_fd, &go, 1) != 1)
        return 2;
    hb_store *s;
    if (hb_store_open(&s, url, 0) < 0)
        return 3;
    for (int i = 0; i < CLAIMS_PER_PROCESS; i++) {
        char episode[32];
        snprintf(episode, sizeof episode, "P%d-%d", who, i);
        hb_claim_item it = { "consult", i % 3 == 0 ? "optometry" : "outpatient", 1, 50000 };
        hb_date day;
        hb_date_parse(&day, "2024-03-04", 10);
        hb_claim c = { "GD-HKUSZH", episode, "E1", "HK-EHCV", "CNY", day, false, &it, 1 };
        hb_settle_caller caller;
        hb_settle_caller_init(&caller);
        caller.today = day;
        int64_t id;
        bool existing;
        hb_claim_decision d;
        if (hb_claim_submit(&id, &existing, s, &caller, &c) < 0 ||
            hb_claim_adjudicate(&d, s, &caller, id) < 0) {
            fprintf(stderr, "process %d claim %d: %s\n", who, i, hb_error_last());
            hb_store_close(s);
            return 1;
        }
    }
    hb_store_close(s);
    return 0;
}

TEST(settle__two_processes_never_overspend_a_voucher)
{
    hb_store *s = fixture_open();
    hb_settle_caller c = fixture_caller("2024-01-01");
    hb_voucher_credit_report r;
    CHECK_OK(hb_voucher_credit(&r, s, &c, "annual-2023", fixture_date("2023-01-01")));
    CHECK_OK(hb_voucher_credit(&r, s, &c, "annual-2024", fixture_date("2024-01-01")));
    int64_t start;
    CHECK_OK(hb_ledger_balance(&start, s, "voucher", "E1", "HKD"));
    CHECK_INT_EQ(start, 400000);
    hb_store_close(s);
    const char *url = fixture_url();
    int gate[2];
    CHECK(pipe(gate) == 0);
    pid_t pids[2];
    for (int p = 0; p < 2; p++) {
        fflush(NULL);
        pids[p] = fork();
        CHECK(pids[p] >= 0);
        if (pids[p] == 0) {
            close(gate[1]);
            _exit(child(url, p, gate[0]));
        }
    }
    close(gate[0]);
    CHECK(write(gate[1], "gg", 2) == 2); /* release both at once */
    close(gate[1]);
    for (int p = 0; p < 2; p++) {
        int status;
        CHECK(waitpid(pids[p], &status, 0) == pids[p]);
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "process %d failed (%d)", p,
                  status);
    }
    CHECK_OK(hb_store_open(&s, url, 0));
    int64_t end, spent, optometry;
    CHECK_OK(hb_ledger_balance(&end, s, "voucher", "E1", "HKD"));
    spent = fixture_scalar(s, "SELECT COALESCE(SUM(voucher_minor), 0) FROM hb_settle_claims WHERE"
                              " patient = 'E1' AND status IN ('approved', 'partial')");
    optometry = fixture_scalar(s, "SELECT COALESCE(SUM(voucher_optometry_minor), 0) FROM"
                                  " hb_settle_claims WHERE patient = 'E1'");
    CHECK_INT_EQ(fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_claims"),
                 2 * CLAIMS_PER_PROCESS);
    CHECK(end >= 0);
    CHECK_INT_EQ(spent, start - end); /* every HKD taken is accounted for by a claim */
    CHECK(spent <= start);            /* never more than there was */
    CHECK(optometry <= 200000);       /* nor more than the optometry sub-cap */
    CHECK(end < 54400);               /* and they did use it up: less than one claim is left */
    hb_ledger_check lc;
    CHECK_OK(hb_ledger_verify(&lc, s));
    CHECK_INT_EQ(lc.unbalanced_transfers + lc.wrong_balances + lc.out_of_bounds, 0);
    hb_store_close(s);
}
