#!/usr/bin/env python3
"""The same postings by plain SQL: reads healthybay's ledger (transfers and entries of the claims
it posted, exported by run.sh) and writes one SQL transaction per claim that inserts the same
transfer and entries, applies the same bounded balance updates and marks the claim decided, into
a plain copy of the tables. This is what a hand-written posting costs in PostgreSQL."""
import csv
import sys
from collections import defaultdict

entries_csv, out = sys.argv[1], sys.argv[2]
by_transfer = defaultdict(list)
with open(entries_csv) as f:
    for row in csv.DictReader(f):
        by_transfer[int(row["transfer_id"])].append(row)
with open(out, "w") as f:
    f.write("\\set ON_ERROR_STOP on\n")
    for tid in sorted(by_transfer):
        rows = by_transfer[tid]
        claim = rows[0]["claim_id"]
        f.write("BEGIN;\n")
        f.write(f"INSERT INTO p_transfers (id, kind, posted_on, memo) VALUES ({tid}, 'claim',"
                f" '2024-03-05', 'claim {claim}');\n")
        for e in rows:
            f.write(f"INSERT INTO p_entries (transfer_id, account_id, currency, amount_minor)"
                    f" VALUES ({tid}, {e['account_id']}, '{e['currency']}', {e['amount_minor']});\n")
        deltas = defaultdict(int)
        for e in rows:
            deltas[int(e["account_id"])] += int(e["amount_minor"])
        for acc in sorted(deltas):
            d = deltas[acc]
            f.write(f"UPDATE p_accounts SET balance_minor = balance_minor + {d} WHERE id = {acc}"
                    f" AND (floor_minor IS NULL OR balance_minor + {d} >= floor_minor);\n")
        f.write(f"UPDATE p_claims SET status = 'approved', transfer_id = {tid} WHERE id = {claim};\n")
        f.write("COMMIT;\n")
