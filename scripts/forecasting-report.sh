#!/bin/sh
# Rerun the backtests of docs/forecasting.md on the real series in data/series/ and print the
# tables (markdown) on standard output.
#
#   scripts/forecasting-report.sh [path/to/healthybay [SHARED_DATA_DIR]]
#                                 (defaults build/release/healthybay and ../shared/data)
#
# First the selection runs: Hong Kong influenza with origins in 2015-2016 on the data cut at
# 2016-12-31 (every setting was chosen there), and German influenza 2003-2008 as a second opinion
# when the shared data folder (../shared/data, R surveillance's datasets) is at hand. Then the
# reported runs, all on later origins. Seeds are fixed, so a rerun gives the same numbers.
set -eu
cd "$(dirname "$0")/.."
HB=${1:-build/release/healthybay}
FLU_SI="--si-mean 3.6 --si-sd 1.6"   # data/serial_intervals.csv: influenza, seasonal
COVID_SI="--si-mean 4.7 --si-sd 2.9" # covid19, ancestral 2020
SARS_SI="--si-mean 8.4 --si-sd 3.8"  # sars
ALL=baseline,renewal,seasonal-nb,log-ar,ensemble,ensemble-weighted
NOREN=baseline,seasonal-nb,log-ar,ensemble,ensemble-weighted
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hb-forecasting-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

shown() { # a command line as printed: the cut files by their names in the temporary directory
    echo "$1" | sed "s|$tmp/||g"
}

run() { # title, then the arguments of healthybay backtest
    title=$1
    shift
    printf '\n### %s\n\n```\nhealthybay backtest %s\n```\n\n' "$title" "$(shown "$*")"
    echo "| model | n | relative WIS | mean WIS | 50% coverage | 95% coverage |"
    echo "|---|---|---|---|---|---|"
    "$HB" backtest --format csv "$@" | awk -F, '$2 == "all" {
        printf "| %s | %s | %s | %s | %s | %s |\n", $1, $3, $5, $4, $6, $7 }'
}

members() { # title, member sets (space-separated), then the arguments of healthybay backtest
    title=$1
    sets=$2
    shift 2
    printf '\n### %s\n\n```\nhealthybay backtest --models ensemble --members SET %s\n```\n\n' \
        "$title" "$(shown "$*")"
    echo "| members | relative WIS | 50% coverage | 95% coverage |"
    echo "|---|---|---|---|"
    for set in $sets; do
        "$HB" backtest --format csv --models ensemble --members "$set" "$@" |
            awk -F, -v set="$set" '$1 == "ensemble" && $2 == "all" {
                printf "| %s | %s | %s | %s |\n", set, $5, $6, $7 }'
    done
}

echo "## Selection (early years)"
awk -F, 'NR == 1 || $1 <= "2016-12-31"' data/series/hk_flu_weekly.csv >"$tmp/flu_to_2016.csv"
run "Hong Kong influenza positives, origins 2015-2016, data cut at 2016-12-31" \
    --start 2015-01-01 --models $ALL $FLU_SI "$tmp/flu_to_2016.csv"
members "Weekly ensemble members, Hong Kong influenza, origins 2015-2016" \
    "renewal,seasonal-nb,log-ar baseline,renewal,seasonal-nb,log-ar baseline,renewal,seasonal-nb
     renewal,log-ar seasonal-nb,log-ar baseline,seasonal-nb,log-ar baseline,seasonal-nb" \
    --start 2015-01-01 $FLU_SI "$tmp/flu_to_2016.csv"
awk -F, 'NR == 1 || $1 <= "2012-12-31"' data/series/gd_monthly_notifiable.csv >"$tmp/gd_to_2012.csv"
members "Monthly ensemble members, Guangdong notifiable diseases, origins 2009-2012" \
    "baseline,seasonal-nb,log-ar seasonal-nb,log-ar baseline,seasonal-nb" \
    --start 2009-01-01 "$tmp/gd_to_2012.csv"
awk -F, 'NR == 1 || $1 <= "2020-06-30"' data/series/hk_covid_daily_onset.csv >"$tmp/covid_to_2020-06.csv"
members "Daily ensemble members, Hong Kong COVID-19 by onset, origins 2020-03 to 2020-06" \
    "baseline,renewal,seasonal-nb baseline,renewal,seasonal-nb,log-ar baseline,renewal renewal,seasonal-nb,log-ar" \
    --start 2020-03-01 $COVID_SI "$tmp/covid_to_2020-06.csv"
shared=${2:-../shared/data}/r_packages
if [ -r "$shared/surveillance_fluBYBW_weekly_140districts.csv" ]; then
    # Bavaria (district keys 9xxxx) and Baden-Wuerttemberg (8xxxx) summed, and Germany (influMen).
    python3 - "$shared" "$tmp/de_flu.csv" <<'PY'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(f"{src}/surveillance_fluBYBW_weekly_140districts.csv")))
keys = rows[0][3:]
with open(out, "w") as f:
    f.write("date,region,count\n")
    for r in rows[1:]:
        for state, digit in (("BY", "9"), ("BW", "8")):
            f.write(f"{r[0]},{state},{sum(int(v) for k, v in zip(keys, r[3:]) if k.startswith(digit))}\n")
    for r in list(csv.reader(open(f"{src}/surveillance_influMen_weekly.csv")))[1:]:
        f.write(f"{r[0]},DE,{r[3]}\n")
PY
    run "German influenza (Bavaria, Baden-Wuerttemberg 2001-2008; Germany 2001-2006), origins from 2003" \
        --start 2003-01-01 --models $ALL $FLU_SI "$tmp/de_flu.csv"
fi

echo
echo "## Results"
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
