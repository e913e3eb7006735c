#!/bin/sh
# Issue #10 item 6: three `healthybay serve` processes on one database take claims for one
# voucher holder at once — each client submits its claims and has the scheme decide them through
# its own server — and the vouchers are never overspent: every HKD taken is one a decided claim
# accounts for, the balance never went below zero at any point of the holder's statement, the
# holder's HK$2,000 is used up (the clients asked for almost four times as much), and the ledger
# and the audit chain verify. On PostgreSQL the servers share the database's locks; on SQLite its
# write lock. Every request must succeed: a 409 or 5xx from a lost race fails the test. It has
# teeth: without the holder's lock in adjudicate.c the decisions race on PostgreSQL and the
# database's floor refuses one (409 "would go below its floor"), failing the test every time.
. "$(dirname "$0")/lib.sh"

SERVERS=3
CLAIMS=8 # per client: 24 claims of RMB 300 (HK$326 each) for a balance of HK$2,000
export HEALTHYBAY_NOW=2024-03-20T02:00:00Z

"$HB" db migrate --db "$DB" >/dev/null 2>&1 || fail "db migrate"
"$HB" org add --db "$DB" --code hk-dh --name "Department of Health" --kind health_authority \
    --jurisdiction HK >/dev/null || fail "org add hk-dh"
"$HB" org add --db "$DB" --code gd-hkusz --name "HKU-Shenzhen Hospital" --kind hospital \
    --jurisdiction GD >/dev/null || fail "org add gd-hkusz"
printf 'payer,org\nHK-EHCV,hk-dh\n' >"$WORK/payer-orgs.csv"
printf 'provider,org\nGD-HKUSZH,gd-hkusz\n' >"$WORK/provider-orgs.csv"
printf 'payer,patient,residence,birth_year,valid_from,valid_to\nHK-EHCV,P-A,HK,1950,2014-01-01,\n' \
    >"$WORK/members.csv"
printf 'kind,base,quote,valid_from,rate,source\nehcv-factor,CNY,HKD,2024-03-01,1.0870,test\n' \
    >"$WORK/rates.csv"
for kind in payer-orgs provider-orgs members; do
    "$HB" settle reference import "$kind" "$WORK/$kind.csv" --db "$DB" >/dev/null ||
        fail "import $kind"
done
"$HB" rates import "$WORK/rates.csv" --db "$DB" >/dev/null || fail "rates import"
"$HB" vouchers credit --grant annual-2024 --db "$DB" | grep -q "1 credited" || fail "credit"
provider=$("$HB" token create --db "$DB" --org gd-hkusz --role reporter 2>/dev/null)
scheme=$("$HB" token create --db "$DB" --org hk-dh --role reporter 2>/dev/null)

# The servers: port 0 picks a free loopback port, which the log names.
pids=""
CLEANUP='for p in $pids; do kill "$p" 2>/dev/null || true; done'
s=1
while [ $s -le $SERVERS ]; do
    "$HB" serve --db "$DB" --listen 127.0.0.1:0 --threads 2 2>"$WORK/serve$s.log" &
    pids="$pids $!"
    s=$((s + 1))
done
s=1
while [ $s -le $SERVERS ]; do
    i=0
    until port=$(sed -n 's/.*listening on .* port \([0-9]*\) .*/\1/p' "$WORK/serve$s.log") &&
        [ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do
        i=$((i + 1))
        [ $i -lt 200 ] || fail "server $s did not start: $(cat "$WORK/serve$s.log")"
        sleep 0.05
    done
    echo "$port" >"$WORK/port$s"
    s=$((s + 1))
done

# One client per server, all released at once: submit its claims, then — when every client has
# submitted — have the scheme decide them as fast as it answers, so the decisions race.
client() {
    base="http://127.0.0.1:$(cat "$WORK/port$1")/api/v1"
    while [ ! -e "$WORK/go" ]; do sleep 0.01; done
    n=1
    while [ $n -le $CLAIMS ]; do
        code=$(curl -s -o "$WORK/c$1-$n.json" -w '%{http_code}' -X POST \
            -H "Authorization: Bearer $provider" -H 'Content-Type: application/json' \
            -d "{\"provider\": \"GD-HKUSZH\", \"episode\": \"S$1-$n\", \"patient\": \"P-A\",
                 \"payer\": \"HK-EHCV\", \"currency\": \"CNY\", \"service_date\": \"2024-03-18\",
                 \"items\": [{\"code\": \"consult\", \"category\": \"outpatient\",
                              \"quantity\": 1, \"unit_minor\": 30000}]}" "$base/claims")
        [ "$code" = 201 ] || { echo "claim $n: submit $code $(cat "$WORK/c$1-$n.json")"; return 1; }
        n=$((n + 1))
    done
    touch "$WORK/ready$1"
    while [ "$(ls "$WORK" | grep -c '^ready')" -lt $SERVERS ]; do sleep 0.01; done
    n=1
    while [ $n -le $CLAIMS ]; do
        id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$WORK/c$1-$n.json")
        code=$(curl -s -o "$WORK/d$1-$n.json" -w '%{http_code}' -X POST \
            -H "Authorization: Bearer $scheme" "$base/claims/$id/adjudication")
        [ "$code" = 200 ] || { echo "claim $n: decide $code $(cat "$WORK/d$1-$n.json")"; return 1; }
        n=$((n + 1))
    done
}
cpids=""
s=1
while [ $s -le $SERVERS ]; do
    client $s >"$WORK/client$s.out" 2>&1 &
    cpids="$cpids $!"
    s=$((s + 1))
done
touch "$WORK/go"
s=1
for p in $cpids; do
    wait "$p" || fail "client $s: $(cat "$WORK/client$s.out")"
    s=$((s + 1))
done

# Every server took part, and none failed a request.
s=1
while [ $s -le $SERVERS ]; do
    grep -q ' 500 \| 503 ' "$WORK/serve$s.log" && fail "server $s: $(grep ' 50[03] ' "$WORK/serve$s.log")"
    s=$((s + 1))
done

# The HKD taken from the voucher is what the decided claims say, and all of it.
for f in "$WORK"/d*.json; do cat "$f"; echo; done >"$WORK/decisions" # one claim a line
check_eq "$(wc -l <"$WORK/decisions")" $((SERVERS * CLAIMS)) "decisions"
check_eq "$(grep -c '"status":"submitted"' "$WORK/decisions" || true)" 0 "claims left undecided"
taken=$(grep -o '"voucher_hkd_minor":[0-9]*' "$WORK/decisions" | cut -d: -f2 |
    awk '{ s += $1 } END { print s + 0 }')
port=$(cat "$WORK/port1")
curl -s -H "Authorization: Bearer $scheme" "http://127.0.0.1:$port/api/v1/vouchers/P-A" \
    >"$WORK/balance.json"
balance=$(sed -n 's/.*"balance_minor":\(-\{0,1\}[0-9]*\).*/\1/p' "$WORK/balance.json")
[ -n "$balance" ] || fail "balance: $(cat "$WORK/balance.json")"
check_eq "$((taken + balance))" 200000 "HKD taken + balance left (cents)"
[ "$balance" -ge 0 ] || fail "the voucher went below zero: $balance"
[ "$balance" -lt 32600 ] || fail "the voucher was not used up ($balance left): no contention"
approved=$(grep -c '"status":"approved"' "$WORK/decisions" || true)
[ "$approved" -ge 6 ] || fail "only $approved claims approved"

# At no point of the statement did the balance go below zero.
curl -s -H "Authorization: Bearer $scheme" \
    "http://127.0.0.1:$port/api/v1/vouchers/P-A/statement" >"$WORK/statement.json"
moves=$(grep -o '"balance_minor":-\{0,1\}[0-9]*' "$WORK/statement.json" | wc -l)
[ "$moves" -gt 6 ] || fail "statement: $(cat "$WORK/statement.json")"
grep -q '"balance_minor":-' "$WORK/statement.json" && fail "a negative balance in the statement"

"$HB" settle verify --db "$DB" | grep -q "ledger OK" || fail "ledger: $("$HB" settle verify --db "$DB")"
"$HB" audit verify --db "$DB" >/dev/null || fail "audit chain"
decided=$("$HB" audit list --limit 1000 --format csv --db "$DB" | grep -c ',claim.adjudicate,claim/.*,ok,')
check_eq "$decided" $((SERVERS * CLAIMS)) "adjudications audited"

for p in $pids; do kill -TERM "$p"; done
for p in $pids; do wait "$p" || fail "a server exited $? after SIGTERM"; done
pids=""
exit 0
