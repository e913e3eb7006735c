#!/bin/sh
# Commands on a database that is missing, unmigrated or not a database fail with one clear line.
. "$(dirname "$0")/lib.sh"

if [ "$BACKEND" = sqlite ]; then
    expect_exit 1 "$HB" regions --db "$WORK/absent.db"
    grep -q "does not exist: create it with 'healthybay db migrate" "$WORK/err" || fail "absent: $(cat "$WORK/err")"
    [ ! -e "$WORK/absent.db" ] || fail "a read command created the database file"
    printf 'this is not a database, just text that is long enough\n' >"$WORK/junk.db"
    expect_exit 1 "$HB" db migrate --db "$WORK/junk.db"
    grep -q "not a usable SQLite database" "$WORK/err" || fail "junk: $(cat "$WORK/err")"
    check_eq "$(wc -l <"$WORK/err")" 1 "one-line error"
else
    expect_exit 1 "$HB" regions --db "postgresql://nobody@127.0.0.1:1/none"
    grep -q "cannot connect" "$WORK/err" || fail "unreachable: $(cat "$WORK/err")"
fi
[ "$BACKEND" = sqlite ] && sqlite3 "$DB" 'CREATE TABLE unrelated (x)'
expect_exit 1 "$HB" regions --db "$DB"
grep -q "run 'healthybay db migrate' first" "$WORK/err" || fail "unmigrated: $(cat "$WORK/err")"
exit 0
