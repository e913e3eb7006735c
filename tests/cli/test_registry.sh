#!/bin/sh
# `healthybay registry …` end to end on both backends, with synthetic data (codes SYN-…): import,
# audit entries, rejection with every bad line named, may-use / may-practise and their exit codes (0 yes,
# 3 no, 1 failure, 2 usage), revocation, history, expiry alerts, usage, FHIR export.
. "$(dirname "$0")/lib.sh"

"$HB" db migrate --db "$DB" 2>"$WORK/migrate.log" || fail "db migrate: $(cat "$WORK/migrate.log")"

# The shipped rule data: 15 Hengqin categories, the first designated institutions.
check_eq "$("$HB" registry list --db "$DB" --format csv categories | tail -n +2 | wc -l)" 15 "categories"
"$HB" registry list --db "$DB" --format csv designations | grep -q '^gd-hku-szh,drug_device_connect,2021-08-27,,1,' ||
    fail "HKU-SZH designation"

cat >"$WORK/products.csv" <<'CSV'
code,kind,hk_reg_no,mo_reg_no,name_en,name_zh_hans,name_zh_hant,inn,form,strength,device_class,holder,home_use_evidence
SYN-DRUG-1,drug,HK-99001,,Synthetic Drug,合成药,合成藥,examplimab,injection,100 mg/mL,,Synthetic Pharma,
CSV
cat >"$WORK/approvals.csv" <<'CSV'
approval_no,product,institution,approved_on,valid_from,valid_to,quantity_max,unit,indications,departments
SYN-AP-1,SYN-DRUG-1,gd-hku-szh,,2024-01-01,2025-12-31,500,vial,,
CSV
"$HB" registry import --db "$DB" products "$WORK/products.csv" >"$WORK/out" || fail "import products"
grep -q '1 new' "$WORK/out" || fail "products: $(cat "$WORK/out")"
"$HB" registry import --db "$DB" approvals "$WORK/approvals.csv" >/dev/null || fail "import approvals"
"$HB" registry import --db "$DB" approvals "$WORK/approvals.csv" >"$WORK/out" || fail "re-import"
grep -q '1 unchanged (nothing to write)' "$WORK/out" || fail "re-import: $(cat "$WORK/out")"

# Every change is audited, as the operator, naming the batch; a file that changes nothing and a
# dry run are not changes.
"$HB" registry import --db "$DB" --dry-run products "$WORK/products.csv" >/dev/null || fail "dry run"
"$HB" audit list --db "$DB" --format csv >"$WORK/audit.csv"
check_eq "$(grep -c ',registry.write,registry/' "$WORK/audit.csv")" 2 "registry audit entries"
grep -q ',cli [^,]*,registry.write,registry/products/batch/[0-9]*,ok,' "$WORK/audit.csv" ||
    fail "audit of the products import: $(cat "$WORK/audit.csv")"
grep -q ',cli [^,]*,registry.write,registry/approvals/batch/[0-9]*,ok,' "$WORK/audit.csv" ||
    fail "audit of the approvals import: $(cat "$WORK/audit.csv")"
"$HB" audit verify --db "$DB" >/dev/null || fail "audit verify after imports"

# A bad file is rejected whole: every bad line named, nothing written.
cat >"$WORK/bad.csv" <<'CSV'
approval_no,product,institution,approved_on,valid_from,valid_to,quantity_max,unit,indications,departments
SYN-AP-2,SYN-DRUG-1,gd-hku-szh,,2024-01-01,2023-12-31,,,,
SYN-AP-3,SYN-NOPE,gd-hku-szh,,2024-01-01,2024-12-31,,,,
SYN-AP-4,SYN-DRUG-1,gd-hku-szh,,2024-02-30,2024-12-31,,,,
CSV
expect_exit 1 "$HB" registry import --db "$DB" approvals "$WORK/bad.csv"
grep -q "bad.csv:2:.*field 'valid_to': 2023-12-31 is before valid_from 2024-01-01" "$WORK/err" || fail "line 2: $(cat "$WORK/err")"
grep -q "bad.csv:3:10: field 'product': 'SYN-NOPE' is not a known code" "$WORK/err" || fail "line 3: $(cat "$WORK/err")"
grep -q "bad.csv:4:.*field 'valid_from': '2024-02-30' is not a valid date" "$WORK/err" || fail "line 4: $(cat "$WORK/err")"
grep -q "nothing was written" "$WORK/err" || fail "summary"
check_eq "$("$HB" registry list --db "$DB" --format csv approvals | tail -n +2 | wc -l)" 1 "approvals after rejection"

# may-use: yes (0) on the last day, no (3) the day after, 1 for an unknown product.
expect_exit 0 "$HB" registry may-use --db "$DB" --format table --product SYN-DRUG-1 --institution gd-hku-szh --on 2025-12-31
grep -q '^yes: approval SYN-AP-1' "$WORK/out" || fail "may-use yes: $(cat "$WORK/out")"
expect_exit 3 "$HB" registry may-use --db "$DB" --format table --product SYN-DRUG-1 --institution gd-hku-szh --on 2026-01-01
grep -q '^no: approval SYN-AP-1 ended on 2025-12-31' "$WORK/out" || fail "may-use no: $(cat "$WORK/out")"
expect_exit 1 "$HB" registry may-use --db "$DB" --product SYN-NOPE --institution gd-hku-szh
expect_exit 2 "$HB" registry may-use --db "$DB" --product SYN-DRUG-1
expect_exit 2 "$HB" registry may-use --db "$DB" --product SYN-DRUG-1 --institution gd-hku-szh --on 2024-13-01

# Revocation from a date: the day before still yes; history shows it.
printf 'kind,item,effective_from,status,reason\napprovals,SYN-AP-1,2024-06-01,revoked,synthetic recall\n' |
    "$HB" registry import --db "$DB" status - >/dev/null || fail "status import"
expect_exit 0 "$HB" registry may-use --db "$DB" --format table --product SYN-DRUG-1 --institution gd-hku-szh --on 2024-05-31
expect_exit 3 "$HB" registry may-use --db "$DB" --format json --product SYN-DRUG-1 --institution gd-hku-szh --on 2024-06-01
python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[0]; assert a["answer"]=="no" and "revoked" in a["reason"], a' "$WORK/out" ||
    fail "may-use json"
"$HB" registry history --db "$DB" --format csv approvals SYN-AP-1 >"$WORK/history.csv" || fail "history"
grep -q '^1,.*,created,' "$WORK/history.csv" || fail "history created: $(cat "$WORK/history.csv")"
grep -q ',revoked,2024-06-01,synthetic recall' "$WORK/history.csv" || fail "history revoked"

# Practitioners: a Macao doctor in Hengqin.
cat >"$WORK/institutions.csv" <<'CSV'
code,jurisdiction,region,zone,kind,name_en,name_zh_hans,name_zh_hant,name_pt,source
syn-hq-clinic,GD,440400,hengqin,clinic,Synthetic Hengqin Clinic,,,,synthetic
CSV
cat >"$WORK/practitioners.csv" <<'CSV'
id,home_jurisdiction,category,name_en,name_zh_hant,name_zh_hans,specialty,sex,date_of_birth,phone,email
SYN-MO-1,MO,doctor,Synthetic Doctor,合成醫生,,,female,1980-02-03,,
CSV
printf 'register,number,practitioner,registered_from,registered_to\nMO-PS,SYN-M-1,SYN-MO-1,2019-01-01,\n' >"$WORK/registrations.csv"
printf 'permit_no,practitioner,scheme,category,issuer,issued_on,valid_from,valid_to,scope\nSYN-HQ-1,SYN-MO-1,hengqin,doctor,x,,2023-08-11,2026-08-10,\n' >"$WORK/permits.csv"
printf 'practitioner,institution,valid_from,valid_to,permit,role\nSYN-MO-1,syn-hq-clinic,2023-08-11,2026-08-10,SYN-HQ-1,primary\n' >"$WORK/employments.csv"
for kind in institutions practitioners registrations permits employments; do
    "$HB" registry import --db "$DB" "$kind" "$WORK/$kind.csv" >/dev/null 2>"$WORK/err" || fail "import $kind: $(cat "$WORK/err")"
done
expect_exit 0 "$HB" registry may-practise --db "$DB" --format table --person SYN-MO-1 --institution syn-hq-clinic --on 2026-08-10
expect_exit 3 "$HB" registry may-practise --db "$DB" --format table --person SYN-MO-1 --institution syn-hq-clinic --on 2026-08-11
grep -q '^no: .*ended on 2026-08-10' "$WORK/out" || fail "may-practise no: $(cat "$WORK/out")"

# A permit longer than 3 years is refused, naming line and field.
printf 'permit_no,practitioner,scheme,category,issuer,issued_on,valid_from,valid_to,scope\nSYN-HQ-2,SYN-MO-1,hengqin,doctor,x,,2023-08-11,2026-08-11,\n' >"$WORK/long.csv"
expect_exit 1 "$HB" registry import --db "$DB" permits "$WORK/long.csv"
grep -q "long.csv:2:.*field 'valid_to': longer than the hengqin scheme allows" "$WORK/err" || fail "3 years: $(cat "$WORK/err")"

# Expiry alerts, public listing, FHIR.
"$HB" registry expiring --db "$DB" --on 2026-06-01 --within 70 --format csv >"$WORK/exp.csv" || fail "expiring"
grep -q '^permits,SYN-HQ-1,SYN-MO-1 (hengqin),2026-08-10,70$' "$WORK/exp.csv" || fail "expiring: $(cat "$WORK/exp.csv")"
"$HB" registry list --db "$DB" --public --format csv practitioners | grep -q '^SYN-MO-1,MO,doctor,Synthetic Doctor,合成醫生,,,,,,,1$' ||
    fail "public listing shows restricted fields"
"$HB" registry fhir --db "$DB" --resources Practitioner,PractitionerRole,Organization >"$WORK/fhir.json" || fail "fhir"
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); t=[e["resource"]["resourceType"] for e in b["entry"]]; assert b["type"]=="collection" and "PractitionerRole" in t and "Practitioner" in t, t' "$WORK/fhir.json" ||
    fail "fhir bundle"
expect_exit 2 "$HB" registry fhir --db "$DB" --resources Patient

expect_exit 0 "$HB" registry import --help
grep -q "Usage: healthybay registry import" "$WORK/out" || fail "import --help"
exit 0
