#!/bin/sh
# Rebuild data/series/*.csv (the real series of docs/forecasting.md) from the shared data folder.
#
#   scripts/series-from-shared.sh [SHARED_DATA_DIR]     (default ../shared/data)
#
# Only reshapes (selects columns, long format, ISO dates); no value is changed. Sources and
# licences: data/series/README.md.
set -eu
cd "$(dirname "$0")/.."
src=${1:-../shared/data}
out=data/series

# Hong Kong Flu Express: weekly positive detections by subtype, and the ILI consultation rate of
# sentinel private doctors (ILI_PMP; the GOPC rate is blank for most of 2014-2018).
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { d = $col["week_start"]
      print d ",A(H1)," $col["H1"]; print d ",A(H3)," $col["H3"]; print d ",B," $col["B"] }' \
    "$src/hong_kong/hk_chp_flu_express_weekly.csv" |
    { echo "date,subtype,count"; sort -t, -k2,2 -k1,1; } >"$out/hk_flu_weekly.csv"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { print $col["week_start"] ",private_doctors," $col["ILI_PMP"] }' \
    "$src/hong_kong/hk_chp_flu_express_weekly.csv" |
    { echo "date,setting,rate"; cat; } >"$out/hk_ili_weekly.csv"

# Hong Kong COVID-19 cases by onset date (line list), local and imported.
awk -F, '{ sub(/\r$/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print "date,count,imported"; next }
    { print $col["date"] "," $col["onset_local"] "," $col["onset_imported"] }' \
    "$src/hong_kong/hk_chp_covid19_linelist_daily_counts.csv" >"$out/hk_covid_daily_onset.csv"

# Guangdong monthly notifiable diseases (complete columns only; hfmd from 2005, before which the
# source has no rows), in the disease codes of data/diseases.csv.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { d = $col["month"] "-01"
      print d ",influenza," $col["influenza"]; print d ",measles," $col["measles"]
      print d ",scarlet_fever," $col["scarlet_fever"]; print d ",mumps," $col["mumps"]
      if ($col["hand_foot_and_mouth_disease"] != "") print d ",hfmd," $col["hand_foot_and_mouth_disease"] }' \
    "$src/guangdong/cnids_guangdong_monthly_core_wide.csv" |
    { echo "date,disease,count"; sort -t, -k2,2 -k1,1; } >"$out/gd_monthly_notifiable.csv"

# SARS, Hong Kong 2003 (EpiEstim's SARS2003): the package gives days 1..107, no calendar dates;
# day 1 is written as 2003-01-01 so the file has ISO dates (see README: the calendar is a label).
awk -F, 'NR == 1 { print "date,count"; next }
    { t = mktime("2003 01 01 12 00 00") + ($1 - 1) * 86400; print strftime("%Y-%m-%d", t, 1) "," $2 }' \
    "$src/r_packages/epiestim_SARS2003_HK_incidence.csv" >"$out/hk_sars_2003_daily.csv"
wc -l "$out"/*.csv
