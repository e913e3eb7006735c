#!/bin/sh
# `db migrate` then `regions`: the issue's acceptance check, on both backends.
. "$(dirname "$0")/lib.sh"

"$HB" db migrate --db "$DB" 2>"$WORK/migrate.log" || fail "db migrate: $(cat "$WORK/migrate.log")"
"$HB" db migrate --db "$DB" 2>"$WORK/again.log" || fail "second db migrate failed"
grep -q "0 migrations applied" "$WORK/again.log" || fail "second migrate applied something"
"$HB" db status --db "$DB" --format csv >"$WORK/status.csv" || fail "db status"
grep -q ",pending," "$WORK/status.csv" && fail "pending migrations after migrate"

"$HB" regions --db "$DB" --format csv >"$WORK/regions.csv"
head -n 1 "$WORK/regions.csv" | grep -q '^code,jurisdiction,level,parent,name_en,name_zh_hans,name_zh_hant,name_pt,population' ||
    fail "regions CSV header: $(head -n 1 "$WORK/regions.csv")"
check_eq "$(grep -c ',GD,city,' "$WORK/regions.csv")" 9 "GD cities"
check_eq "$(grep -c ',HK,district,' "$WORK/regions.csv")" 18 "HK districts"
check_eq "$(grep -c ',MO,parish,' "$WORK/regions.csv")" 7 "Macao parishes"
check_eq "$(grep -c '^MO-COT,MO,area,' "$WORK/regions.csv")" 1 "Cotai"
grep -q '^440300,GD,city,440000,Shenzhen,深圳市,深圳市,' "$WORK/regions.csv" || fail "Shenzhen row"

# The same listing as JSON parses and has 38 objects.
"$HB" regions --db "$DB" --format json >"$WORK/regions.json"
check_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/regions.json")" 38 "JSON regions"

# Filters and other listings.
check_eq "$("$HB" regions --db "$DB" --jurisdiction MO --format csv | tail -n +2 | wc -l)" 9 "MO rows"
"$HB" diseases --db "$DB" --notifiable-in HK --format csv | grep -q '^covid19,' || fail "covid19 notifiable in HK"
"$HB" holidays --db "$DB" --jurisdiction GD --year 2024 --format csv | grep -q '^2024-02-04,GD,workday,' ||
    fail "2024-02-04 make-up workday"

# Usage errors exit 2 and say what is wrong; help exits 0.
expect_exit 2 "$HB" regions --db "$DB" --format xml
grep -q "unknown format 'xml'" "$WORK/err" || fail "format error message"
expect_exit 2 "$HB" regions --db "$DB" --no-such-option
expect_exit 2 "$HB" no-such-command
expect_exit 0 "$HB" regions --help
grep -q "Usage: healthybay regions" "$WORK/out" || fail "regions --help"
expect_exit 0 "$HB" --help
grep -q "db migrate" "$WORK/out" || fail "--help lists commands"
exit 0
