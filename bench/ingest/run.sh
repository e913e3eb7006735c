#!/bin/sh
# Ingestion throughput: `healthybay ingest` (every field checked against the reference data,
# duplicates found, revisions kept) into a fresh SQLite database, beside the machine's ceiling in
# the same run: the sqlite3 shell's `.import` of the same file into a plain table with the same
# primary key, which checks nothing.
#
#   bench/ingest/run.sh [ROWS]      (default 1000000; needs a Release build in build/release)
set -eu
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
hb=build/release/healthybay
[ -x "$hb" ] || { echo "build first: cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release && cmake --build build/release" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/hb-bench-ingest.XXXXXX")
trap 'rm -rf "$out"' EXIT
python3 bench/ingest/gen_counts.py "$rows" "$out/counts.csv"
size=$(du -m "$out/counts.csv" | cut -f1)

"$hb" db migrate --db "$out/hb.db" 2>/dev/null
t0=$(date +%s.%N)
"$hb" ingest --db "$out/hb.db" "$out/counts.csv" >/dev/null
t1=$(date +%s.%N)

sqlite3 "$out/ref.db" "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
CREATE TABLE counts (date TEXT, region TEXT, disease TEXT, measure TEXT, value REAL,
  age_group TEXT, sex TEXT, PRIMARY KEY (region, disease, measure, age_group, sex, date));" >/dev/null
t2=$(date +%s.%N)
sqlite3 "$out/ref.db" ".mode csv" ".import --skip 1 $out/counts.csv counts"
t3=$(date +%s.%N)

python3 - "$rows" "$size" "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
rows, size = int(sys.argv[1]), sys.argv[2]
t0, t1, t2, t3 = map(float, sys.argv[3:])
hb, ref = t1 - t0, t3 - t2
print(f"rows: {rows:,} ({size} MB of CSV)")
print(f"healthybay ingest : {hb:6.2f} s  {rows / hb:>12,.0f} rows/s  (checked, deduplicated, revisions kept)")
print(f"sqlite3 .import   : {ref:6.2f} s  {rows / ref:>12,.0f} rows/s  (no checks: the ceiling)")
print(f"ratio             : {hb / ref:.2f}x the time of a bare import")
PY
