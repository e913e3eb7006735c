#!/bin/sh
# Cross-border notifications end to end: after the daily run, Hong Kong's daily situation reaches
# the Guangdong and Macao inboxes, verified; Guangdong acknowledges it; a notification changed in
# the database is refused on receipt and cannot be acknowledged.
. "$(dirname "$0")/lib.sh"

sql() {
    if [ "$BACKEND" = sqlite ]; then sqlite3 "$DB" "$1"; else psql -qtA "$DB" -c "$1"; fi
}

"$HB" db migrate --db "$DB" 2>/dev/null
"$HB" ingest --db "$DB" "$(dirname "$0")/../../data/demo/hk_influenza_weekly.csv" >/dev/null
mkdir "$WORK/keys"
for j in GD HK MO; do
    "$HB" keys generate --jurisdiction "$j" --keys "$WORK/keys" --db "$DB" >/dev/null || fail "keys $j"
done
check_eq "$(stat -c %a "$WORK/keys/HK-notify.key")" 600 "private key mode"
"$HB" run-daily --db "$DB" --keys "$WORK/keys" --date 2019-12-28 >"$WORK/run.log" || fail "run-daily"
grep -q "notifications: 6 daily" "$WORK/run.log" || fail "daily notifications: $(cat "$WORK/run.log")"

for to in GD MO; do
    "$HB" notifications inbox --jurisdiction "$to" --db "$DB" --format csv >"$WORK/$to.csv"
    grep -q ',daily,HK,.*HK: daily epidemic situation up to 2019-12-28,verified,' "$WORK/$to.csv" ||
        fail "HK's daily notification in $to's inbox: $(cat "$WORK/$to.csv")"
done
id=$(awk -F, '$2 == "daily" && $3 == "HK" {print $1}' "$WORK/GD.csv")
"$HB" notifications ack "$id" --jurisdiction GD --as gd-hc --db "$DB" >/dev/null || fail "ack"
"$HB" notifications inbox --jurisdiction GD --all --db "$DB" --format csv | grep -q "^$id,.*,gd-hc," ||
    fail "acknowledgement not recorded"
expect_exit 1 "$HB" notifications ack "$id" --jurisdiction MO --db "$DB"
grep -q "no notification $id for MO" "$WORK/err" || fail "MO acknowledged GD's notification"

# Someone with database access changes what Hong Kong told Macao.
mo=$(awk -F, '$2 == "daily" && $3 == "HK" {print $1}' "$WORK/MO.csv")
sql "UPDATE hb_notifications SET payload = replace(payload, 'influenza', 'measles') WHERE id = $mo"
"$HB" notifications inbox --jurisdiction MO --db "$DB" --format csv | grep -q "^$mo,.*,refused: the signature does not match the message," ||
    fail "tampered notification not refused"
expect_exit 1 "$HB" notifications ack "$mo" --jurisdiction MO --db "$DB"
grep -q "refused" "$WORK/err" || fail "tampered notification acknowledged: $(cat "$WORK/err")"
exit 0
