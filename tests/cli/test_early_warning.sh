#!/bin/sh
# The early-warning workflow end to end on real data: Hong Kong's weekly influenza reports
# (CHP Flu Express) are ingested week by week from 2015 to 2018, the daily run follows each week,
# and alerts must arise in the known seasonal surges and stay quiet in quiet weeks.
. "$(dirname "$0")/lib.sh"

DATA="$(dirname "$0")/../../data/demo/hk_influenza_weekly.csv"
"$HB" db migrate --db "$DB" 2>/dev/null

# The reports before 2015 arrive at once (history), then one file per week; each week's run is
# on the Saturday that ends it.
python3 - "$DATA" "$WORK" <<'PY'
import csv, datetime, os, sys
data, work = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(data)))
header, body = rows[0], rows[1:]
weeks = sorted({r[0] for r in body if "2015-01-01" <= r[0] < "2019-01-01"})
def write(path, keep):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(r for r in body if keep(r[0]))
write(os.path.join(work, "history.csv"), lambda d: d < "2015-01-01")
with open(os.path.join(work, "weeks"), "w") as plan:
    for week in weeks:
        write(os.path.join(work, f"week-{week}.csv"), lambda d, w=week: d == w)
        saturday = datetime.date.fromisoformat(week) + datetime.timedelta(days=6)
        plan.write(f"{week} {saturday}\n")
PY
"$HB" ingest --db "$DB" "$WORK/history.csv" >/dev/null || fail "ingest history"
while read -r week saturday; do
    "$HB" ingest --db "$DB" "$WORK/week-$week.csv" >/dev/null || fail "ingest $week"
    "$HB" run-daily --db "$DB" --date "$saturday" >"$WORK/run.log" 2>&1 ||
        fail "run $saturday: $(cat "$WORK/run.log")"
done <"$WORK/weeks"

"$HB" alerts --db "$DB" --format csv >"$WORK/alerts.csv"
# Alerts that reached at least 'warning' for influenza positives or positivity, with their span.
awk -F, 'NR > 1 && ($5 == "positives" || $5 == "positivity") && $9 != "watch" {print $11, $12}' \
    "$WORK/alerts.csv" >"$WORK/spans"

# A surge is caught when some alert's span overlaps it.
caught() {
    awk -v a="$1" -v b="$2" '$1 <= b && $2 >= a {found = 1} END {exit !found}' "$WORK/spans" ||
        fail "no alert in the $3 ($1..$2); alerts: $(cat "$WORK/alerts.csv")"
}
caught 2015-01-04 2015-03-01 "winter 2015 A(H3N2) season"
caught 2016-01-17 2016-03-13 "winter 2016 season"
caught 2017-06-04 2017-08-13 "summer 2017 A(H3N2) season"
caught 2018-01-07 2018-02-25 "winter 2018 season"

# Quiet autumns: no period in them signalled at all, for any influenza series.
for quiet in "2016-10-23 2016-12-10" "2017-09-10 2017-11-25" "2018-08-12 2018-11-17"; do
    set -- $quiet
    awk -F, -v a="$1" -v b="$2" 'NR > 1 && $11 <= b && $12 >= a {bad = 1; print} END {exit bad}' \
        "$WORK/alerts.csv" || fail "an alert in the quiet weeks $1..$2"
done

# Every surge is one alert per series, not one per week.
n=$(awk -F, 'NR > 1 && $5 == "positives"' "$WORK/alerts.csv" | wc -l)
[ "$n" -le 12 ] || fail "$n alerts for positives over 4 years: repeated signals were not merged"
exit 0
