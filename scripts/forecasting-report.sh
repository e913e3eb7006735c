#!/bin/sh
# Rerun the backtests of docs/forecasting.md on the real series in data/series/ and print the
# tables (markdown) on standard output.
#
#   scripts/forecasting-report.sh [path/to/healthybay]   (default build/release/healthybay)
#
# Settings were chosen on early years only (weekly influenza: the 2014-2016 seasons, see
# docs/forecasting.md); the origins reported here are all later. Seeds are fixed, so a rerun
# gives the same numbers.
set -eu
cd "$(dirname "$0")/.."
HB=${1:-build/release/healthybay}
FLU_SI="--si-mean 3.6 --si-sd 1.6"   # data/serial_intervals.csv: influenza, seasonal
COVID_SI="--si-mean 4.7 --si-sd 2.9" # covid19, ancestral 2020
SARS_SI="--si-mean 8.4 --si-sd 3.8"  # sars
ALL=baseline,renewal,seasonal-nb,ensemble,ensemble-weighted
NOREN=baseline,seasonal-nb,ensemble,ensemble-weighted

run() { # title, then the arguments of healthybay backtest
    title=$1
    shift
    printf '\n### %s\n\n```\nhealthybay backtest %s\n```\n\n' "$title" "$*"
    echo "| model | n | relative WIS | mean WIS | 50% coverage | 95% coverage |"
    echo "|---|---|---|---|---|---|"
    "$HB" backtest --format csv "$@" | awk -F, '$2 == "all" {
        printf "| %s | %s | %s | %s | %s | %s |\n", $1, $3, $5, $4, $6, $7 }'
}

run "Hong Kong influenza positives (A(H1), A(H3), B), weekly, 1-4 weeks, origins 2017-2019" \
    --start 2017-01-01 --models $ALL $FLU_SI data/series/hk_flu_weekly.csv
run "Hong Kong ILI consultation rate (private doctors), weekly, 1-4 weeks, origins 2017-2019" \
    --start 2017-01-01 --models $NOREN --value-column rate data/series/hk_ili_weekly.csv
run "Hong Kong COVID-19 cases by onset, daily, 1-14 days, origins 2020-07-01 to the end" \
    --start 2020-07-01 --models $ALL $COVID_SI data/series/hk_covid_daily_onset.csv
run "Guangdong monthly notifiable diseases, 1-3 months, origins 2013-2017" \
    --start 2013-01-01 --models $NOREN data/series/gd_monthly_notifiable.csv
run "Hong Kong SARS 2003, daily, 1-14 days, origins from day 30" \
    --start 2003-01-30 --models baseline,renewal,ensemble $SARS_SI data/series/hk_sars_2003_daily.csv
