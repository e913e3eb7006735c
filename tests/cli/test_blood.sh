#!/bin/sh
# The rare-blood exchange end to end, on both backends: a Guangdong centre and the Hong Kong Red
# Cross load their registries, a Hong Kong hospital searches across the border (the issue's
# example query), requests a Guangdong unit, and the request goes through every step. A bad file
# is rejected whole, and a Guangdong donor's number never reaches the hospital.
. "$(dirname "$0")/lib.sh"

export HEALTHYBAY_NOW=2024-06-01T09:00:00Z
"$HB" db migrate --db "$DB" 2>/dev/null || fail "db migrate"

cat >"$WORK/gz-donors.csv" <<'CSV'
local_ref,abo,rhd,phenotype,predicted,last_donation,eligible
GZ-SECRET-001,O,neg,"C+ c- E- e+ Jk(a-b-) Jk3- Fy(a-b+)",Dib-,2024-03-02,yes
GZ-SECRET-002,O,neg,Jka- Fya+,,2023-01-01,yes
CSV
cat >"$WORK/gz-units.csv" <<'CSV'
din,component,storage,abo,rhd,phenotype,collected,expiry
G1507 24 000001 I,red_cells,frozen,O,neg,Jk(a-b-) Jk3- Fy(a-b+),2024-01-05,2034-01-05
CSV
cat >"$WORK/hk-units.csv" <<'CSV'
din,component,storage,abo,rhd,phenotype,expiry
W1234 24 123456 4,red_cells,liquid,O,neg,Jka- Fya-,2024-06-20
CSV
"$HB" blood donors import --db "$DB" --centre gd-gzbc "$WORK/gz-donors.csv" >"$WORK/out" ||
    fail "donors import"
grep -q "2 rows: 2 new" "$WORK/out" || fail "donors import: $(cat "$WORK/out")"
"$HB" blood units import --db "$DB" --centre gd-gzbc "$WORK/gz-units.csv" >/dev/null || fail "GZ units"
"$HB" blood units import --db "$DB" --centre hk-rcbts "$WORK/hk-units.csv" >/dev/null || fail "HK units"

# A bad file: every bad field named, nothing written.
cat >"$WORK/bad.csv" <<'CSV'
din,component,storage,abo,rhd,phenotype,expiry
W1234 24 123457 4,red_cells,frozen,O,neg,,2034-01-01
W1234 24 123458 0,red_cells,frozen,O,neg,Jkz-,2034-01-01
CSV
expect_exit 1 "$HB" blood units import --db "$DB" --centre hk-rcbts "$WORK/bad.csv"
grep -q "bad.csv:2:1: field 'din': DIN 'W123424123457': check character '4' is wrong (expected '2')" "$WORK/err" ||
    fail "bad DIN: $(cat "$WORK/err")"
grep -q "bad.csv:3:.*unknown antigen 'Jkz'" "$WORK/err" || fail "bad antigen: $(cat "$WORK/err")"
check_eq "$("$HB" blood units list --db "$DB" --centre hk-rcbts --format csv | tail -n +2 | wc -l)" 1 \
    "units after a rejected file"

# The issue's example search, from anywhere: O RhD-negative, anti-Jka and anti-Fya.
"$HB" blood search --db "$DB" --abo O --rhd neg --negative Jka,Fya --near hk-rcbts --format csv \
    >"$WORK/hits.csv" 2>"$WORK/count" || fail "search"
grep -q "^3 matches" "$WORK/count" || fail "match count: $(cat "$WORK/count")"
head -n 1 "$WORK/hits.csv" | grep -q '^rank,kind,id,centre,jurisdiction,location,abo,rhd' || fail "header"
# Units first, soonest expiry first: the liquid HK unit, then the frozen GZ unit, then the donor.
check_eq "$(sed -n 2p "$WORK/hits.csv" | cut -d, -f2,3)" "unit,W1234 24 123456 4" "first hit"
check_eq "$(sed -n 3p "$WORK/hits.csv" | cut -d, -f2,3,5)" "unit,G1507 24 000001 I,GD" "second hit"
sed -n 4p "$WORK/hits.csv" | grep -q '^3,donor,RD-[0-9A-Z-]*,gd-gzbc,GD,' || fail "donor hit"
grep -q SECRET "$WORK/hits.csv" && fail "a donor number crossed the border"
# Unknown is never negative: nobody is typed for Vel.
"$HB" blood search --db "$DB" --abo O --rhd neg --negative Vel --format csv >"$WORK/none.csv" 2>"$WORK/count"
grep -q "^0 matches" "$WORK/count" || fail "Vel: $(cat "$WORK/count")"

# The request workflow, across the border.
"$HB" blood request new --db "$DB" --as hk-qmh --jurisdiction HK --unit 'G1507 24 000001 I' \
    --abo A --rhd pos --negative Jk3 --note 'anti-Jk3' >"$WORK/out" || fail "request new"
grep -q "^request 1: requested" "$WORK/out" || fail "request number: $(cat "$WORK/out")"
expect_exit 1 "$HB" blood request accept --db "$DB" --as hk-qmh --jurisdiction HK 1
grep -q "request 1 is requested: it cannot be accept" "$WORK/err" || fail "illegal step: $(cat "$WORK/err")"
expect_exit 1 "$HB" blood request offer --db "$DB" --as hk-qmh --jurisdiction HK 1
grep -q "only gd-gzbc can offer" "$WORK/err" || fail "wrong party: $(cat "$WORK/err")"
"$HB" blood request offer --db "$DB" --as gd-gzbc 1 >/dev/null || fail "offer"
"$HB" blood units list --db "$DB" --centre gd-gzbc --format csv | grep -q ',reserved,1$' || fail "reserved"
"$HB" blood request accept --db "$DB" --as hk-qmh --jurisdiction HK 1 >/dev/null || fail "accept"
"$HB" blood request ship --db "$DB" --as gd-gzbc --note 'via the HZMB' 1 >/dev/null || fail "ship"
"$HB" blood request receive --db "$DB" --as hk-qmh --jurisdiction HK 1 >/dev/null || fail "receive"
"$HB" blood request show --db "$DB" --as hk-qmh --jurisdiction HK --format csv 1 >"$WORK/events.csv"
check_eq "$(cut -d, -f4 "$WORK/events.csv" | tr '\n' ' ')" "action request offer accept ship receive " "history"
grep -q ',2024-06-01T09:00:00.000Z,gd-gzbc,ship,accepted,shipped,via the HZMB$' "$WORK/events.csv" ||
    fail "ship event: $(cat "$WORK/events.csv")"
expect_exit 1 "$HB" blood request show --db "$DB" --as mo-chcsj --jurisdiction MO 1
grep -q "no request 1 of yours" "$WORK/err" || fail "third party: $(cat "$WORK/err")"

# The hospital cannot list the centre's donors; the centre sees its own numbers.
expect_exit 1 "$HB" blood donors list --db "$DB" --centre hk-qmh
"$HB" blood donors list --db "$DB" --centre gd-gzbc --format csv | grep -q ',GZ-SECRET-001,O,neg,' ||
    fail "owner's view"

# DIN check characters, reference listings, usage errors and help.
check_eq "$("$HB" blood din W123424123456)" "W1234 24 123456 4" "check character"
expect_exit 1 "$HB" blood din 'W1234 24 123456 5'
"$HB" blood antigens --db "$DB" --format csv | grep -q '^Jk3,JK,009003,JK3,' || fail "antigens"
"$HB" blood rare-types --db "$DB" --format csv | grep -q '^jk_null,' || fail "rare types"
expect_exit 2 "$HB" blood search --db "$DB" --abo C --rhd neg
expect_exit 2 "$HB" blood search --db "$DB" --abo O --rhd neg --centre gd-gzbc
grep -q -- "--centre does not apply here" "$WORK/err" || fail "option check: $(cat "$WORK/err")"
expect_exit 0 "$HB" blood search --help
grep -q "Usage: healthybay blood search" "$WORK/out" || fail "search --help"
exit 0
