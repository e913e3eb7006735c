#!/bin/sh
# The early warning inside `serve`: with the clock pinned past [run] time (08:30 in the Bay
# Area), two servers on one database run the day once between them — the run and its six daily
# notifications — and say so in one log; before [run] time nothing runs; a bad configuration
# stops the start.
. "$(dirname "$0")/lib.sh"

sql() {
    if [ "$BACKEND" = sqlite ]; then sqlite3 "$DB" "$1"; else psql -qtA "$DB" -c "$1"; fi
}
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

"$HB" db migrate --db "$DB" 2>/dev/null
"$HB" ingest --db "$DB" "$(dirname "$0")/../../data/demo/hk_influenza_weekly.csv" >/dev/null
mkdir "$WORK/keys"
for j in GD HK MO; do
    "$HB" keys generate --jurisdiction "$j" --keys "$WORK/keys" --db "$DB" >/dev/null || fail "keys $j"
done

printf '[run]\ntime = 8:3O\n' >"$WORK/bad.conf"
expect_exit 1 "$HB" serve --db "$DB" --listen 127.0.0.1:0 --config "$WORK/bad.conf"
grep -q "bad.conf:2" "$WORK/err" || fail "bad config not named: $(cat "$WORK/err")"

# 08:00 in the Bay Area: serving, not yet running the day.
HEALTHYBAY_NOW=2019-12-30T00:00:00Z "$HB" serve --db "$DB" --listen "127.0.0.1:$(free_port)" \
    --keys "$WORK/keys" 2>"$WORK/early.log" &
early=$!
CLEANUP='kill "$early" 2>/dev/null || true'
sleep 1.5
kill -TERM "$early"
wait "$early" || fail "serve exited $? after SIGTERM"
check_eq "$(sql "SELECT COUNT(*) FROM hb_warn_runs")" 0 "runs before 08:30"

# 09:00: two servers; the day runs once.
export HEALTHYBAY_NOW=2019-12-30T01:00:00Z
"$HB" serve --db "$DB" --listen "127.0.0.1:$(free_port)" --keys "$WORK/keys" 2>"$WORK/a.log" &
a=$!
"$HB" serve --db "$DB" --listen "127.0.0.1:$(free_port)" --keys "$WORK/keys" 2>"$WORK/b.log" &
b=$!
CLEANUP='kill "$a" "$b" 2>/dev/null || true'
i=0
until grep -q "early warning: 2019-12-30: .*notifications: 6 daily" "$WORK/a.log" "$WORK/b.log"; do
    i=$((i + 1))
    [ $i -lt 300 ] || fail "no run in 30 s: $(cat "$WORK/a.log" "$WORK/b.log")"
    sleep 0.1
done
sleep 0.5
kill -TERM "$a" "$b"
wait "$a" || fail "server a exited $?"
wait "$b" || fail "server b exited $?"
check_eq "$(cat "$WORK/a.log" "$WORK/b.log" | grep -c "early warning: 2019-12-30:")" 1 "runs logged"
check_eq "$(sql "SELECT status FROM hb_warn_runs WHERE run_date = '2019-12-30'")" done "run status"
check_eq "$(sql "SELECT COUNT(*) FROM hb_notifications WHERE kind = 'daily'")" 6 "daily notifications"
grep -q "failed" "$WORK/a.log" "$WORK/b.log" && fail "a failure logged: $(cat "$WORK/a.log" "$WORK/b.log")"
exit 0
