#!/bin/sh
# `healthybay demo` builds a working installation from nothing — in DIR on SQLite, or in the
# empty database given with --db — and serves it with --serve: the tokens it writes open the
# API, the early warning has raised alerts on the real data, every inbox keeps its latest four
# notifications unread, and the four bulletins are PDFs. A database that already holds
# healthybay is refused untouched.
. "$(dirname "$0")/lib.sh"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ "$BACKEND" = sqlite ]; then
    target=""
    DB="$WORK/demo/healthybay-demo.db"
else
    target="--db $DB"
fi
# A short span keeps the test quick: the first weeks of COVID-19 in the Bay Area.
# shellcheck disable=SC2086
"$HB" demo --dir "$WORK/demo" $target --from 2020-01-20 --to 2020-02-05 >"$WORK/demo.log" ||
    fail "demo: $(cat "$WORK/demo.log")"
grep -q "^open alerts   [1-9]" "$WORK/demo.log" || fail "no open alerts: $(cat "$WORK/demo.log")"
check_eq "$(stat -c %a "$WORK/demo/tokens.env")" 600 "tokens.env mode"
check_eq "$(stat -c %a "$WORK/demo/keys/HK-notify.key")" 600 "private key mode"
for f in GBA-2020-02-05-en GD-2020-02-05-zh-Hans HK-2020-02-05-zh-Hant MO-2020-02-05-pt; do
    check_eq "$(head -c 5 "$WORK/demo/bulletins/$f.pdf")" "%PDF-" "bulletin $f"
done
for j in GD HK MO; do
    n=$("$HB" notifications inbox --db "$DB" --jurisdiction "$j" --format csv | tail -n +2 | wc -l)
    check_eq "$n" 4 "unread notifications of $j"
done

expect_exit 1 "$HB" demo --dir "$WORK/demo" --db "$DB"
grep -q "already holds a healthybay database" "$WORK/err" || fail "not refused: $(cat "$WORK/err")"
"$HB" alerts --db "$DB" --status open --format csv >/dev/null || fail "the refused demo broke it"

# --serve (on a SQLite demo): the server answers with the tokens of tokens.env.
port=$(free_port)
"$HB" demo --dir "$WORK/demo2" --from 2020-02-01 --to 2020-02-02 \
    --serve --listen "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
pid=$!
CLEANUP='kill "$pid" 2>/dev/null || true'
i=0
until curl -s "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 600 ] || fail "demo --serve did not start: $(cat "$WORK/serve.log")"
    sleep 0.1
done
# shellcheck disable=SC1091
. "$WORK/demo2/tokens.env"
code=$(curl -s -o "$WORK/alerts.json" -w '%{http_code}' \
    -H "Authorization: Bearer $HK_EPIDEMIOLOGIST" "http://127.0.0.1:$port/api/v1/alerts")
check_eq "$code" 200 "GET /api/v1/alerts with the demo's token"
kill -TERM "$pid"
wait "$pid" || fail "demo --serve exited $? after SIGTERM"
exit 0
