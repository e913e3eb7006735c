#!/bin/sh
# Settlement end to end: voucher holders and factors, a claims file, adjudication by two
# processes at once for one voucher holder, a settlement run (twice), statements, the ledger.
. "$(dirname "$0")/lib.sh"

"$HB" db migrate --db "$DB" >/dev/null 2>&1
cat >"$WORK/members.csv" <<'CSV'
payer,patient,residence,birth_year,valid_from,valid_to
HK-EHCV,P-A,HK,1950,2014-01-01,
HK-EHCV,P-B,HK,1962,2014-01-01,
CSV
cat >"$WORK/rates.csv" <<'CSV'
kind,base,quote,valid_from,rate,source
ehcv-factor,CNY,HKD,2024-03-01,1.0870,test fixture (not a published factor)
CSV
"$HB" settle reference import members "$WORK/members.csv" --db "$DB" >/dev/null
"$HB" rates import "$WORK/rates.csv" --db "$DB" >/dev/null
out=$("$HB" rates import "$WORK/rates.csv" --db "$DB")
case "$out" in *"1 unchanged"*) ;; *) fail "rates re-import: $out" ;; esac
out=$("$HB" vouchers credit --grant annual-2024 --db "$DB")
case "$out" in *"1 credited (HK\$2,000.00"*"1 not yet eligible"*) ;; *) fail "credit: $out" ;; esac

# A bad file is refused whole, with every problem named.
cat >"$WORK/bad.csv" <<'CSV'
provider,episode,patient,payer,currency,service_date,mainland_insured,item,category,quantity,unit_price
GD-HKUSZH,E1,P-A,HK-EHCV,CNY,2024-03-02,0,consult,outpatient,1,180.005
GD-NOWHERE,E2,P-A,HK-EHCV,CNY,2024-03-02,0,consult,outpatient,1,180.00
CSV
expect_exit 1 "$HB" claims import "$WORK/bad.csv" --on 2024-03-03 --db "$DB"
grep -q "bad.csv:2:" "$WORK/err" || fail "bad amount not named: $(cat "$WORK/err")"
grep -q "GD-NOWHERE" "$WORK/err" || fail "unknown provider not named: $(cat "$WORK/err")"

# Forty claims of RMB 300 for P-A (HK$326 each; the voucher holds HK$2,000).
{
    echo "provider,episode,patient,payer,currency,service_date,mainland_insured,item,category,quantity,unit_price"
    i=0
    while [ $i -lt 40 ]; do
        echo "GD-HKUSZH,E$i,P-A,HK-EHCV,CNY,2024-03-02,0,consult,outpatient,1,300.00"
        i=$((i + 1))
    done
} >"$WORK/claims.csv"
out=$("$HB" claims import "$WORK/claims.csv" --on 2024-03-03 --as GD-HKUSZH --db "$DB")
case "$out" in *"40 claims: 40 submitted"*) ;; *) fail "import: $out" ;; esac
out=$("$HB" claims import "$WORK/claims.csv" --on 2024-03-03 --as GD-HKUSZH --db "$DB")
case "$out" in *"0 submitted, 40 unchanged"*) ;; *) fail "re-import: $out" ;; esac

# Two processes decide them at once: the voucher is never overspent.
"$HB" claims adjudicate --pending --on 2024-03-05 --db "$DB" >"$WORK/a1" 2>&1 &
p1=$!
"$HB" claims adjudicate --pending --on 2024-03-05 --db "$DB" >"$WORK/a2" 2>&1 &
p2=$!
wait $p1 || fail "adjudicator 1: $(cat "$WORK/a1")"
wait $p2 || fail "adjudicator 2: $(cat "$WORK/a2")"
"$HB" claims list --payer HK-EHCV --format csv --db "$DB" >"$WORK/list.csv"
check_eq "$(grep -c ',submitted,' "$WORK/list.csv" || true)" 0 "claims left undecided"
spent=$(awk -F, 'NR > 1 && ($12 == "approved" || $12 == "partial") { s += $11 * 100 } END { printf "%d", s + 0.5 }' "$WORK/list.csv")
check_eq "$spent" 200000 "HKD taken from the voucher (in cents)"
out=$("$HB" vouchers balance P-A --on 2024-03-06 --db "$DB")
case "$out" in *"balance HK\$0.00"*) ;; *) fail "balance: $out" ;; esac
"$HB" vouchers statement P-A --format csv --db "$DB" >"$WORK/stmt.csv"
tail -n 1 "$WORK/stmt.csv" | grep -q ',0.00$' || fail "statement: $(tail -n 2 "$WORK/stmt.csv")"

# Settlement: once, then again without change; statements reconcile; the ledger is sound.
out=$("$HB" settlement run --period 2024-03 --on 2024-04-01 --format csv --db "$DB")
case "$out" in *"2024-03,CNY,HK-EHCV,GD-HSA,"*) ;; *) fail "settlement: $out" ;; esac
out=$("$HB" settlement run --period 2024-03 --on 2024-04-02 --db "$DB")
case "$out" in *"was settled before: nothing changed"*) ;; *) fail "second run: $out" ;; esac
"$HB" settlement statements --period 2024-03 --payer HK-EHCV --format csv --db "$DB" >"$WORK/s.csv" 2>"$WORK/s.err"
grep -q "reconciles" "$WORK/s.err" || fail "statement: $(cat "$WORK/s.err")"
"$HB" settle verify --db "$DB" | grep -q "ledger OK" || fail "ledger not OK"
"$HB" claims submit --provider GD-HKUSZH --episode LATE --patient P-A --payer HK-EHCV \
    --currency CNY --service-date 2024-03-20 --item consult:outpatient:1:100.00 --on 2024-03-21 \
    --db "$DB" >/dev/null
expect_exit 1 "$HB" claims adjudicate 41 --on 2024-03-25 --db "$DB"
grep -q "settled period" "$WORK/err" || fail "decided in a settled period: $(cat "$WORK/err")"
"$HB" claims reverse 1 --reason test --on 2024-04-03 --db "$DB" >"$WORK/out" 2>"$WORK/err" && fail "reversed a settled claim"
grep -q "settled" "$WORK/err" || fail "reverse: $(cat "$WORK/err")"
"$HB" claims submit --help | grep -q "Example" || fail "help has no example"

# Every write above was audited as the operator's, in the transaction that made it: one entry
# per claim decided and per holder credited, none for the repeats that changed nothing.
"$HB" audit list --limit 1000 --format csv --db "$DB" >"$WORK/audit.csv"
count() { grep -c "$1" "$WORK/audit.csv" || true; }
check_eq "$(count ',settle.reference.import,settle/members,ok')" 1 "reference import entries"
check_eq "$(count ',settle.rates.import,settle/rates,ok')" 1 "rates import entries (the re-import changed nothing)"
check_eq "$(count ',voucher.credit,voucher/P-A,ok')" 1 "voucher credit entries"
check_eq "$(count ',claim.submit,claims/import/')" 1 "claims import entries"
check_eq "$(count ',claim.adjudicate,claim/')" 40 "adjudication entries"
check_eq "$(count ',settlement.run,settlement/2024-03,ok')" 1 "settlement run entries"
check_eq "$(count ',claim.submit,claim/41,ok')" 1 "claim submit entry"
grep -q ',cli ' "$WORK/audit.csv" || fail "audit source: $(head -3 "$WORK/audit.csv")"
"$HB" audit verify --db "$DB" >/dev/null || fail "audit chain"
exit 0
