#!/bin/sh
# The vaccination module end to end: keys, pseudonyms, import, status, coverage, issue, verify.
. "$(dirname "$0")/lib.sh"

"$HB" db migrate --db "$DB" 2>"$WORK/migrate.log" || fail "db migrate: $(cat "$WORK/migrate.log")"
"$HB" vaccine keys generate --db "$DB" --jurisdiction GD --dir "$WORK/gd" 2>"$WORK/keys.log" ||
    fail "keys generate: $(cat "$WORK/keys.log")"
check_eq "$(stat -c %a "$WORK/gd/dsc.key")" 600 "DSC key mode"
check_eq "$(stat -c %a "$WORK/gd/pseudonym.key")" 600 "pseudonym secret mode"
grep -q "PRIVATE" "$WORK/keys.log" && fail "a private key was printed"
expect_exit 1 "$HB" vaccine keys generate --db "$DB" --jurisdiction GD --dir "$WORK/gd"

"$HB" vaccine products --db "$DB" --format csv | grep -q '^GBA-KCONVAC,.*,0$' ||
    fail "GBA product missing from the DCC value sets"
check_eq "$("$HB" vaccine rules --db "$DB" --jurisdiction HK --format csv | grep -c ',HK-2022.1,')" 9 \
    "HK-2022.1 rows"
"$HB" vaccine trust list --db "$DB" --format csv | grep -q ',GD,' || fail "DSC in the trust list"

P=$("$HB" vaccine pseudonym --secret "$WORK/gd/pseudonym.key" --jurisdiction GD \
    --document-type HKID --number 'A123456(7)')
case "$P" in GD-????????????????????????????????) ;; *) fail "pseudonym '$P'" ;; esac

cat >"$WORK/doses.csv" <<CSV
person,residence,product,manufacturer,dose_number,series_doses,date,administered_in,site,region,lot
$P,HK,CoronaVac,,1,2,2021-06-01,GD,Futian vaccination point,440300,
$P,HK,CoronaVac,,2,2,2021-06-29,GD,Futian vaccination point,440300,
GD-00000000000000000000000000000002,HK,GBA-KCONVAC,,1,2,2021-07-01,GD,Nanshan,440300,
CSV
"$HB" vaccine import --db "$DB" "$WORK/doses.csv" 2>"$WORK/import.log" ||
    fail "import: $(cat "$WORK/import.log")"
grep -q "3 doses imported" "$WORK/import.log" || fail "import count: $(cat "$WORK/import.log")"

# A bad file: every bad line reported, nothing written, exit 1.
printf 'person,residence,product,manufacturer,dose_number,series_doses,date,administered_in,site,region,lot\n%s,HK,Sinovac,,1,2,2021-06-01,GD,x,,\n%s,HK,CoronaVac,,1,2,2021-02-30,GD,x,,\n' \
    "GD-00000000000000000000000000000009" "GD-00000000000000000000000000000009" >"$WORK/bad.csv"
expect_exit 1 "$HB" vaccine import --db "$DB" "$WORK/bad.csv"
grep -q "bad.csv:2:.*field 'product'" "$WORK/err" || fail "bad product line: $(cat "$WORK/err")"
grep -q "bad.csv:3:.*field 'date'" "$WORK/err" || fail "bad date line: $(cat "$WORK/err")"

"$HB" vaccine status --db "$DB" --person "$P" --under HK --on 2021-08-20 >"$WORK/status.txt"
grep -q "FULLY VACCINATED" "$WORK/status.txt" || fail "status: $(cat "$WORK/status.txt")"
grep -q "rules: HK-2021.1" "$WORK/status.txt" || fail "rule version"
"$HB" vaccine status --db "$DB" --person GD-00000000000000000000000000000002 --under HK \
    --on 2021-08-20 --format json >"$WORK/status.json"
check_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["full"], d["rules_version"])' "$WORK/status.json")" \
    "False HK-2021.1" "KCONVAC under HK"
expect_exit 2 "$HB" vaccine status --db "$DB" --person "$P"

"$HB" vaccine coverage --db "$DB" --residence HK --on 2021-08-20 --format csv >"$WORK/cov.csv"
check_eq "$(tail -n 1 "$WORK/cov.csv")" "2021-08-20,HK,*,2,1" "coverage row"

"$HB" vaccine issue --db "$DB" --person "$P" --jurisdiction GD --keys "$WORK/gd" \
    --family-name Chan --given-name 'Tai Man' --dob 1980-01-02 --out "$WORK/cert" >"$WORK/issue.out" ||
    fail "issue"
head -c 4 "$WORK/cert.txt" | grep -q "HC1:" || fail "cert.txt"
check_eq "$(head -c 4 "$WORK/cert.png" | tail -c 3)" "PNG" "PNG signature"
grep -q "<svg" "$WORK/cert.svg" || fail "SVG"
# The PNG scans back to exactly the certificate text (ZBar, as a phone's scanner would).
command -v zbarimg >/dev/null || fail "zbarimg is missing (scripts/install-deps.sh installs zbar-tools)"
check_eq "$(zbarimg --nodbus --raw -q "$WORK/cert.png")" "$(cat "$WORK/cert.txt")" "QR scanned back"

# Verify offline with the DSC file, and through the database trust list.
"$HB" vaccine verify --trust-cert "$WORK/gd/dsc.pem" "$(cat "$WORK/cert.txt")" >"$WORK/v.json" ||
    fail "verify: $(cat "$WORK/v.json")"
check_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verdict"], d["payload"]["v"][0]["mp"])' "$WORK/v.json")" \
    "valid CoronaVac" "verdict and payload"
"$HB" vaccine verify --db "$DB" "$(cat "$WORK/cert.txt")" >/dev/null || fail "verify via database"
expect_exit 1 "$HB" vaccine verify --trust-cert "$WORK/gd/dsc.pem" --at 2040-01-01T00:00:00Z \
    "$(cat "$WORK/cert.txt")"
grep -q '"reason": "expired"' "$WORK/out" || fail "expired reason"
expect_exit 1 "$HB" vaccine verify --trust-cert "$WORK/gd/dsc.pem" "HC2:$(cut -c5- "$WORK/cert.txt")"
grep -q '"reason": "bad_prefix"' "$WORK/out" || fail "prefix reason"
expect_exit 2 "$HB" vaccine verify --trust-cert "$WORK/gd/dsc.pem" --at yesterday "HC1:"
expect_exit 2 "$HB" vaccine verify --trust-cert "$WORK/missing.pem" "HC1:"
expect_exit 0 "$HB" vaccine verify --help
grep -q "Exit status: 0 valid, 1 invalid, 2 usage error" "$WORK/out" || fail "verify --help"
exit 0
