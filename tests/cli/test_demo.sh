#!/bin/sh
# `healthybay demo` builds a fresh, migrated database and says what to try; a rerun starts over.
. "$(dirname "$0")/lib.sh"

cd "$WORK"
"$HB" demo --dir demo >"$WORK/out" 2>"$WORK/err" || fail "demo: $(cat "$WORK/err")"
grep -q "9 Guangdong cities, 18 Hong Kong districts, 7 Macao parishes" "$WORK/out" || fail "summary: $(cat "$WORK/out")"
[ -f demo/healthybay-demo.db ] || fail "no demo database"
"$HB" db status --db demo/healthybay-demo.db --format csv >/dev/null || fail "demo database not migrated"
sqlite3 demo/healthybay-demo.db "INSERT INTO hb_holidays VALUES ('2099-01-01','HK','holiday','x',NULL)"
"$HB" demo --dir demo >/dev/null 2>&1 || fail "second demo run"
check_eq "$(sqlite3 demo/healthybay-demo.db "SELECT count(*) FROM hb_holidays WHERE date = '2099-01-01'")" 0 "rerun starts from nothing"
exit 0
