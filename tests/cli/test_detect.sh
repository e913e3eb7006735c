#!/bin/sh
# healthybay detect end to end: parity with R's surveillance through the CLI (the fixtures of
# tests/parity/surveillance.R), output shape and NA as empty fields, thread-count independence,
# standard input, and clear errors on bad input. The database is not used.
. "$(dirname "$0")/lib.sh"
FX=$(cd "$(dirname "$0")/../parity/surveillance" && pwd)

# compare CONFIG DATASET: run the CLI with the configuration's options on the dataset from R's
# first date on; every row R has must be there, alarms equal, numbers within 1e-6 relative.
compare() {
    config=$1
    dataset=$2
    line=$(grep "^\"$config\"," "$FX/detect_configs.csv") || fail "no configuration $config"
    method=$(echo "$line" | cut -d, -f2 | tr -d '"')
    opts=$(echo "$line" | sed 's/^[^,]*,[^,]*,//; s/"//g' | tr ';' '\n' | sed '/^$/d; s/^/--/; s/=/ /')
    first=$(awk -F, -v d="$dataset" '$1 == d { print $3; exit }' "$FX/detect_$config.csv")
    # shellcheck disable=SC2086
    "$HB" detect --method "$method" $opts --range "$first:" --threads 2 \
        "$FX/input_$dataset.csv" >"$WORK/$config.out" 2>"$WORK/$config.err" ||
        fail "$config on $dataset: $(cat "$WORK/$config.err")"
    awk -F, -v d="$dataset" '
        FNR == NR { if ($1 == d) { k = $2 "," $3; e[k] = $4; u[k] = $5; a[k] = $6; n++ } next }
        FNR == 1 { next }
        function diff(x, y) { if (x == "" || y == "NA") return !(x == "" && y == "NA")
            dd = x - y; if (dd < 0) dd = -dd; m = (x < 0 ? -x : x); if ((y < 0 ? -y : y) > m) m = (y < 0 ? -y : y)
            return dd > 1e-6 * m && dd > 1e-9 }
        { k = $1 "," $2; if (!(k in a)) next; seen++
          al = ($6 == "" ? "NA" : $6)
          if (al != a[k] || diff($4, e[k]) || diff($5, u[k])) { print k ": " $0 " vs R " e[k] "," u[k] "," a[k]; bad++ } }
        END { if (seen != n) { print "rows: " seen " of R'"'"'s " n; bad++ } exit bad > 0 }' \
        "$FX/detect_$config.csv" "$WORK/$config.out" || fail "$config on $dataset differs from R"
}
compare ff_noufaily salmNewport
compare ff_default fluBYBW
compare ff_muan rotaBB
compare farrington daily
compare earsC3 influMen
compare cusum_glm shadar
compare glrnb_pois_cases salmAllOnset
compare bayes_alt influMen

# Shape: header, one row per date of the range, NA as an empty field, alarms 0/1.
"$HB" detect --method farrington-flexible --range 2013-01-01:2013-12-31 \
    "$FX/input_salmNewport.csv" >"$WORK/ff.csv"
check_eq "$(head -1 "$WORK/ff.csv")" "series,date,count,expected,upperbound,alarm" header
check_eq "$(grep -c '^Berlin,2013-' "$WORK/ff.csv")" 52 "weeks of 2013 for Berlin"
grep -q '^Berlin,2013-[0-9-]*,[0-9]*,,,0$' "$WORK/ff.csv" || fail "empty fields where R gives NA"
awk -F, 'NR > 1 && $6 != "0" && $6 != "1" { exit 1 }' "$WORK/ff.csv" || fail "alarm not 0/1"

# The number of threads and standard input change nothing.
"$HB" detect --method farrington-flexible --range 2013-01-01:2013-12-31 --threads 1 \
    - <"$FX/input_salmNewport.csv" >"$WORK/ff1.csv"
cmp -s "$WORK/ff.csv" "$WORK/ff1.csv" || fail "--threads 1 from stdin differs from --threads 2"

# The published C3 alarms in the week of a spike; R's C3 only the week after.
printf 'date,count\n' >"$WORK/spike.csv"
i=0
for y in 0 0 2 2 1 0 1 1 2 5 1 1 0 0 1 0 3 3 3 1 3 1 1 0 50 3 0 1 1 1; do
    printf '%s,%s\n' "$(date -d "2024-01-01 + $((7 * i)) days" +%F)" "$y" >>"$WORK/spike.csv"
    i=$((i + 1))
done
"$HB" detect --method ears-c3 "$WORK/spike.csv" >"$WORK/c3.csv"
grep -q '^2024-06-17,50,.*,1$' "$WORK/c3.csv" || fail "published C3 misses the spike: $(cat "$WORK/c3.csv")"
"$HB" detect --method ears-c3 --c3 r "$WORK/spike.csv" >"$WORK/c3r.csv"
grep -q '^2024-06-17,50,.*,0$' "$WORK/c3r.csv" || fail "R's C3 alarms in the spike's week"
grep -q '^2024-06-24,3,.*,1$' "$WORK/c3r.csv" || fail "R's C3 alarms the week after"

# Bad input: exit 1 and a message naming the line and the field; usage errors exit 2.
printf 'date,count\n2024-01-01,5\n2024-01-08,-3\n' >"$WORK/neg.csv"
expect_exit 1 "$HB" detect --method ears-c1 "$WORK/neg.csv"
grep -q "neg.csv:3:.*count" "$WORK/err" || fail "negative count: $(cat "$WORK/err")"
printf 'date,count\n2024-01-01,5\n2024-01-08,2.5\n' >"$WORK/frac.csv"
expect_exit 1 "$HB" detect --method ears-c1 "$WORK/frac.csv"
grep -q "frac.csv:3:.*count" "$WORK/err" || fail "non-integer count: $(cat "$WORK/err")"
printf 'date,count\n2024-01-01,5\n2024-13-08,2\n' >"$WORK/date.csv"
expect_exit 1 "$HB" detect --method ears-c1 "$WORK/date.csv"
grep -q "date.csv:3:.*date" "$WORK/err" || fail "bad date: $(cat "$WORK/err")"
printf 'date,count\n2024-01-01,5\n2024-01-01,2\n' >"$WORK/dup.csv"
expect_exit 1 "$HB" detect --method ears-c1 "$WORK/dup.csv"
grep -q "dup.csv:3" "$WORK/err" || fail "duplicate date: $(cat "$WORK/err")"
printf 'date,count\n2024-01-01,5\n2024-01-08,2\n2024-01-22,2\n' >"$WORK/gap.csv"
expect_exit 1 "$HB" detect --method ears-c1 "$WORK/gap.csv"
grep -q "2024-01-15" "$WORK/err" || fail "gap: $(cat "$WORK/err")"
printf 'date,count\n2024-01-01,5\n2024-01-08,99999999999999999999\n' >"$WORK/huge.csv"
expect_exit 1 "$HB" detect --method ears-c1 "$WORK/huge.csv"
grep -q "huge.csv:3" "$WORK/err" || fail "huge count: $(cat "$WORK/err")"
expect_exit 1 "$HB" detect --method farrington-flexible "$WORK/spike.csv"
grep -q "skipped: 30 periods" "$WORK/err" || fail "too short: $(cat "$WORK/err")"
grep -q "no series could be screened" "$WORK/err" || fail "nothing screened: $(cat "$WORK/err")"
# All zeros: EARS gives its (zero) bound and no alarm, not a crash.
printf 'date,count\n' >"$WORK/zero.csv"
for i in $(seq 0 20); do printf '%s,0\n' "$(date -d "2024-01-01 + $i days" +%F)"; done >>"$WORK/zero.csv"
"$HB" detect --method ears-c1 "$WORK/zero.csv" >"$WORK/zero.out"
check_eq "$(tail -1 "$WORK/zero.out")" "2024-01-21,0,0,0,0" "all-zero series"
expect_exit 2 "$HB" detect "$WORK/zero.csv"
grep -q "method is required" "$WORK/err" || fail "no method: $(cat "$WORK/err")"
expect_exit 2 "$HB" detect --method ears-c1 --no-periods 10 "$WORK/zero.csv"
grep -q "has no parameter 'no-periods'" "$WORK/err" || fail "misplaced option: $(cat "$WORK/err")"
expect_exit 2 "$HB" detect --method farrington-flexible --threshold-method nb "$WORK/zero.csv"
grep -q "nbPlugin" "$WORK/err" || fail "bad level: $(cat "$WORK/err")"
expect_exit 2 "$HB" detect --method ears-c1 --baseline 2 "$WORK/zero.csv"
expect_exit 2 "$HB" detect --method ears-c1 --range 2024-02-01:2024-01-01 "$WORK/zero.csv"
expect_exit 0 "$HB" detect --help
grep -q "Examples:" "$WORK/out" || fail "detect --help"
exit 0
