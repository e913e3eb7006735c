#!/bin/sh
# Organisations and tokens from the command line, and the audit trail they leave: `audit
# verify` passes, then fails naming the entry once a row is edited with sqlite3 or psql.
. "$(dirname "$0")/lib.sh"

sql() {
    if [ "$BACKEND" = sqlite ]; then
        sqlite3 "$DB" "$1"
    else
        psql -q -t -A -v ON_ERROR_STOP=1 "$DB" -c "$1"
    fi
}

"$HB" db migrate --db "$DB" 2>/dev/null || fail "db migrate"
"$HB" org add --db "$DB" --code hk-dh --name "Department of Health" --kind health_authority \
    --jurisdiction HK --format csv >"$WORK/org.csv" || fail "org add"
grep -q '^hk-dh,Department of Health,health_authority,HK,' "$WORK/org.csv" || fail "org add output"
"$HB" org add --db "$DB" --code mo-ssm --name "Serviços de Saúde" --kind health_authority \
    --jurisdiction MO --format csv >/dev/null || fail "org add MO"
expect_exit 1 "$HB" org add --db "$DB" --code hk-dh --name "Again" --kind health_authority --jurisdiction HK
grep -q "exists already" "$WORK/err" || fail "duplicate org: $(cat "$WORK/err")"
expect_exit 2 "$HB" org add --db "$DB" --code hk-x --name X --kind ministry --jurisdiction HK
grep -q "unknown organisation kind 'ministry'" "$WORK/err" || fail "bad kind: $(cat "$WORK/err")"
expect_exit 2 "$HB" org add --db "$DB" --code HK_X --name X --kind clinic --jurisdiction HK
check_eq "$("$HB" org list --db "$DB" --jurisdiction MO --format csv | tail -n +2 | cut -d, -f1)" mo-ssm "org list"

# The token alone on stdout; the warning that it is shown once on stderr.
token=$("$HB" token create --db "$DB" --org hk-dh --role admin --role auditor --label desk 2>"$WORK/note")
echo "$token" | grep -Eq '^hb_[0-9a-f]{16}_[0-9a-f]{64}$' || fail "token format: $token"
grep -q "shown only this once" "$WORK/note" || fail "token note"
id=$(echo "$token" | cut -c4-19)
"$HB" token list --db "$DB" --org hk-dh --format csv >"$WORK/tokens.csv"
grep -q "^$id,hk-dh,\"admin,auditor\",desk," "$WORK/tokens.csv" || fail "token list: $(cat "$WORK/tokens.csv")"
secret=$(echo "$token" | cut -c21-)
grep -q "$secret" "$WORK/tokens.csv" && fail "token list shows the secret"
check_eq "$(sql "SELECT count(*) FROM hb_tokens WHERE secret_sha256 = '$secret'")" 0 "secret stored"
expect_exit 2 "$HB" token create --db "$DB" --org hk-dh --role root
expect_exit 1 "$HB" token create --db "$DB" --org hk-none --role admin
"$HB" token revoke --db "$DB" --format csv "$id" >"$WORK/revoked.csv" || fail "token revoke"
grep -q "^$id,hk-dh," "$WORK/revoked.csv" || fail "revoke output"
expect_exit 2 "$HB" token revoke --db "$DB" "${id}ff"
"$HB" policy --format csv | grep -q '^org.create,admin,authority,none$' || fail "policy table"

# Four writes, four entries, chained.
"$HB" audit list --db "$DB" --format csv >"$WORK/audit.csv"
check_eq "$(tail -n +2 "$WORK/audit.csv" | wc -l)" 4 "audit entries"
grep -q '^3,.*,HK,,cli [^,]*,token.create,token/'"$id"',ok,' "$WORK/audit.csv" || fail "audit row: $(cat "$WORK/audit.csv")"
"$HB" audit verify --db "$DB" >"$WORK/verify" || fail "verify of an intact log"
grep -q "audit log intact: 4 entries, head 4 " "$WORK/verify" || fail "verify output: $(cat "$WORK/verify")"
head=$(awk '{print $NF}' "$WORK/verify")
"$HB" audit verify --db "$DB" --anchor "$head" >/dev/null || fail "verify with the head as anchor"

# The table refuses edits…
if sql "UPDATE hb_audit SET outcome = 'denied' WHERE seq = 2" >/dev/null 2>&1; then
    fail "the audit table accepted an UPDATE"
fi
# … until someone with the owner's rights drops the guard: then verify names the entry.
if [ "$BACKEND" = sqlite ]; then
    sql "DROP TRIGGER hb_audit_no_update; DROP TRIGGER hb_audit_no_delete"
else
    sql "DROP TRIGGER hb_audit_no_change ON hb_audit"
fi
sql "UPDATE hb_audit SET outcome = 'denied' WHERE seq = 2"
expect_exit 1 "$HB" audit verify --db "$DB"
grep -q "audit log damaged: entry 2 was edited" "$WORK/err" || fail "edit not named: $(cat "$WORK/err")"
sql "UPDATE hb_audit SET outcome = 'ok' WHERE seq = 2"
"$HB" audit verify --db "$DB" >/dev/null || fail "restored log"
sql "DELETE FROM hb_audit WHERE seq = 3"
expect_exit 1 "$HB" audit verify --db "$DB"
grep -q "the entry before entry 4 is missing" "$WORK/err" || fail "deletion not named: $(cat "$WORK/err")"
sql "DELETE FROM hb_audit WHERE seq = 4"
"$HB" audit verify --db "$DB" >/dev/null || fail "the shortened chain is consistent"
expect_exit 1 "$HB" audit verify --db "$DB" --anchor "$head"
grep -q "is not on the chain" "$WORK/err" || fail "truncation: $(cat "$WORK/err")"
exit 0
