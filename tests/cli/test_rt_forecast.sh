#!/bin/sh
# healthybay rt / forecast / backtest end to end: EpiEstim parity through the CLI on Hong Kong's
# SARS 2003 series, forecast-hub output shape, backtest summary, and clear errors on bad input.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# Rt on SARS 2003 matches EpiEstim (tests/parity/epiestim/sars_param.csv) to 1e-6.
"$HB" rt --si-mean 8.4 --si-sd 3.8 "$ROOT/data/series/hk_sars_2003_daily.csv" >"$WORK/rt.csv"
check_eq "$(head -1 "$WORK/rt.csv")" "t_start,t_end,mean,sd,q025,q05,q25,median,q75,q95,q975" header
check_eq "$(wc -l <"$WORK/rt.csv")" 101 "rows (100 windows)"
paste -d, "$WORK/rt.csv" "$ROOT/tests/parity/epiestim/sars_param.csv" | awk -F, '
    NR > 1 && $3 != "NA" { for (i = 3; i <= 11; i++) { d = $i - $(i + 11); if (d < 0) d = -d
        if (d > 1e-6 * ($i < 0 ? -$i : $i)) { print "row " NR " col " i ": " $i " vs " $(i + 11); bad = 1 } } }
    NR > 1 && $3 == "NA" && $14 != "NA" { print "row " NR ": NA vs " $14; bad = 1 }
    END { exit bad }' || fail "rt differs from EpiEstim"

# Keys, imported cases, windows.
printf 'date,region,count,imported\n' >"$WORK/two.csv"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    d=$(printf %02d "$i")
    printf "2024-01-%s,810000,%d,1\n2024-01-%s,820000,%d,0\n" "$d" "$((i * 3))" "$d" "$((i + 1))"
done >>"$WORK/two.csv"
"$HB" rt --si-mean 3 --si-sd 1.5 --window 5 "$WORK/two.csv" >"$WORK/two.out"
check_eq "$(head -1 "$WORK/two.out" | cut -d, -f1-3)" "region,t_start,t_end" "key header"
check_eq "$(grep -c '^810000,' "$WORK/two.out")" 7 "windows per series"

# Forecast: 23 quantiles x 4 weeks per series, non-decreasing.
"$HB" forecast --model baseline "$ROOT/data/series/hk_flu_weekly.csv" >"$WORK/fc.csv"
check_eq "$(head -1 "$WORK/fc.csv")" "subtype,origin_date,target_date,horizon,quantile,value" "forecast header"
check_eq "$(wc -l <"$WORK/fc.csv")" $((3 * 4 * 23 + 1)) "forecast rows"
grep -q '^B,2020-01-05,2020-01-26,4,0.99,' "$WORK/fc.csv" || fail "target date of horizon 4"
awk -F, 'NR > 1 { k = $1 $4; if (k == pk && $6 < pv) bad = 1; pk = k; pv = $6 } END { exit bad }' \
    "$WORK/fc.csv" || fail "quantiles decrease"

# Backtest summary and scores file.
"$HB" backtest --start 2019-06-01 --models seasonal-nb,ensemble --format csv \
    --scores-out "$WORK/scores.csv" "$ROOT/data/series/hk_flu_weekly.csv" >"$WORK/bt.csv"
check_eq "$(head -1 "$WORK/bt.csv")" "model,horizon,n,mean_wis,relative_wis,coverage50,coverage95" "summary header"
grep -q '^baseline,all,[0-9]*,[0-9.]*,1.000,' "$WORK/bt.csv" || fail "baseline row: $(cat "$WORK/bt.csv")"
check_eq "$(grep -c ',all,' "$WORK/bt.csv")" 3 "one 'all' row per model"
n=$(grep '^ensemble,all,' "$WORK/bt.csv" | cut -d, -f3)
check_eq "$(grep -c ',ensemble,' "$WORK/scores.csv")" "$n" "scores file rows"

# Bad input: a clear message naming the line and field, exit 1; usage errors exit 2.
printf 'date,count\n2024-01-01,5\n2024-01-02,-3\n' >"$WORK/neg.csv"
expect_exit 1 "$HB" forecast "$WORK/neg.csv"
grep -q "neg.csv:3:.*count" "$WORK/err" || fail "negative count: $(cat "$WORK/err")"
printf 'date,count\n2024-01-01,5\n2024-01-03,4\n2024-01-04,4\n' >"$WORK/gap.csv"
expect_exit 1 "$HB" rt --si-mean 3 --si-sd 1 "$WORK/gap.csv"
printf 'date,count\n2024-01-01,5\n2024-01-02,4\n' >"$WORK/short.csv"
expect_exit 1 "$HB" rt --si-mean 3 --si-sd 1 "$WORK/short.csv"
grep -q "too short" "$WORK/err" || fail "short: $(cat "$WORK/err")"
expect_exit 2 "$HB" rt "$WORK/short.csv"
grep -q "serial interval is needed" "$WORK/err" || fail "no SI: $(cat "$WORK/err")"
expect_exit 2 "$HB" backtest "$WORK/short.csv"
expect_exit 2 "$HB" forecast --model arima "$WORK/short.csv"
expect_exit 2 "$HB" forecast --model renewal "$WORK/short.csv"
"$HB" forecast --help | grep -q "Examples:" || fail "forecast --help"
exit 0
